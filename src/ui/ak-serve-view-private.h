/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-serve-view.h"

G_BEGIN_DECLS

/* For tests and sibling files */
/* "port", "hosts" (extra allowed host names) or "origins". */
GtkEditable   *ak_serve_view_get_field  (AkServeView *self, const char *name);
void           ak_serve_view_set_running (AkServeView *self, gboolean running);
AkTokenServer *ak_serve_view_get_server (AkServeView *self);
const char    *ak_serve_view_get_error  (AkServeView *self);
guint          ak_serve_view_get_n_log_entries (AkServeView *self);

G_END_DECLS
