/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-context.h"
#include "ak-credential-store.h"
#include "ak-ticker.h"
#include "ak-token-check.h"
#include "ak-token-history.h"

G_BEGIN_DECLS

#define AK_TYPE_TOKEN_DECODER (ak_token_decoder_get_type ())
G_DECLARE_FINAL_TYPE (AkTokenDecoder, ak_token_decoder, AK, TOKEN_DECODER, AdwBin)

void ak_token_decoder_set_context (AkTokenDecoder *self, AkContext *context);
void ak_token_decoder_set_text (AkTokenDecoder *self, const char *text);
void ak_token_decoder_paste    (AkTokenDecoder *self);
/* Copies the decoded token as JSON (what `agora-keys-cli decode --json` prints). */
gboolean ak_token_decoder_copy_json (AkTokenDecoder *self);

/* "diagnose-requested" (string): the Diagnose… button asks to open the token in the
 * Diagnose view. */

G_END_DECLS
