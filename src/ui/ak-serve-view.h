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

G_END_DECLS
