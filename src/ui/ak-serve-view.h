/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-context.h"
#include "ak-credential-store.h"
#include "ak-token-server.h"

G_BEGIN_DECLS

#define AK_TYPE_SERVE_VIEW (ak_serve_view_get_type ())
G_DECLARE_FINAL_TYPE (AkServeView, ak_serve_view, AK, SERVE_VIEW, AdwBin)

/* The local token server's controls: start/stop, project and certificate, port, bind address,
 * allowed origins, its URL and a client snippet to copy, and the live request log. */
void           ak_serve_view_set_context (AkServeView *self, AkContext *context);

/* For tests */
/* "port", "hosts" (extra allowed host names) or "origins". */
GtkEditable   *ak_serve_view_get_field  (AkServeView *self, const char *name);
void           ak_serve_view_set_running (AkServeView *self, gboolean running);
AkTokenServer *ak_serve_view_get_server (AkServeView *self);
const char    *ak_serve_view_get_error  (AkServeView *self);
guint          ak_serve_view_get_n_log_entries (AkServeView *self);

G_END_DECLS
