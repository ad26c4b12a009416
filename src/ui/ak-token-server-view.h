/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-context.h"
#include "ak-credential-store.h"
#include "ak-rest.h"
#include "ak-token-server-check.h"

G_BEGIN_DECLS

#define AK_TYPE_TOKEN_SERVER_VIEW (ak_token_server_view_get_type ())
G_DECLARE_FINAL_TYPE (AkTokenServerView, ak_token_server_view, AK, TOKEN_SERVER_VIEW, AdwBin)

/* "Test my token server": asks an agora-token-service compatible server for a token, then
 * takes the answer apart, checks it against the stored certificate and against what was
 * asked, and lists what it found. */
void ak_token_server_view_set_context (AkTokenServerView *self, AkContext *context);

G_END_DECLS
