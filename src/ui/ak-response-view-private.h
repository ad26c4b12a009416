/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-response-view.h"

G_BEGIN_DECLS

/* For tests and sibling files */
const char *ak_response_view_get_status    (AkResponseView *self);
const char *ak_response_view_get_summary   (AkResponseView *self);
const char *ak_response_view_get_preview_note (AkResponseView *self);
char       *ak_response_view_get_body      (AkResponseView *self);
gboolean    ak_response_view_is_loading    (AkResponseView *self);

G_END_DECLS
