/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-token-server-view.h"

G_BEGIN_DECLS

/* For tests and sibling files */
GtkEditable         *ak_token_server_view_get_field  (AkTokenServerView *self, const char *name);
void                 ak_token_server_view_run        (AkTokenServerView *self);
AkTokenServerResult *ak_token_server_view_get_result (AkTokenServerView *self);
gboolean             ak_token_server_view_is_busy    (AkTokenServerView *self);

G_END_DECLS
