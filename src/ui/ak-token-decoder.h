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

/* For tests: what the decoder shows. */
char              *ak_token_decoder_get_text            (AkTokenDecoder *self);
const char        *ak_token_decoder_get_error           (AkTokenDecoder *self);
const char        *ak_token_decoder_get_check_message   (AkTokenDecoder *self);
gboolean           ak_token_decoder_get_check_status    (AkTokenDecoder *self,
                                                         AkTokenCheckStatus *status);
const char        *ak_token_decoder_get_field           (AkTokenDecoder *self, const char *title);
guint              ak_token_decoder_get_n_services      (AkTokenDecoder *self);
guint              ak_token_decoder_get_n_expiries      (AkTokenDecoder *self);
GtkEditable       *ak_token_decoder_get_entry           (AkTokenDecoder *self, const char *name);
gboolean           ak_token_decoder_has_tag_at          (AkTokenDecoder *self,
                                                         const char *tag,
                                                         int offset);
gboolean           ak_token_decoder_is_checking         (AkTokenDecoder *self);

G_END_DECLS
