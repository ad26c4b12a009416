/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-rest.h"

G_BEGIN_DECLS

#define AK_TYPE_RESPONSE_VIEW (ak_response_view_get_type ())
G_DECLARE_FINAL_TYPE (AkResponseView, ak_response_view, AK, RESPONSE_VIEW, AdwBin)

/* The response pane: status with semantic colour, duration and size, the error summary, and
 * the body (pretty JSON, highlighted), the raw body and the headers. Large bodies are
 * formatted on a worker thread and shown a slice per main-loop turn, so the window never
 * stalls. */
void        ak_response_view_show_sending  (AkResponseView *self);
void        ak_response_view_show_response (AkResponseView *self, const AkRestResponse *response);
void        ak_response_view_show_error    (AkResponseView *self, const GError *error);
void        ak_response_view_clear         (AkResponseView *self);
/* Copies the whole body (not only the preview), as a secret: a response can hold a token.
 * Of a body too large for memory, what is held: its first megabyte. */
gboolean    ak_response_view_copy_body     (AkResponseView *self, guint clear_seconds);

G_END_DECLS
