/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-token-decoder.h"

G_BEGIN_DECLS

/* For tests and sibling files: what the decoder shows. */
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
