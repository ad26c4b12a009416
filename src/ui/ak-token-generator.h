/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-context.h"
#include "ak-credential-store.h"
#include "ak-ticker.h"
#include "ak-token-history.h"
#include "ak-token-request.h"

G_BEGIN_DECLS

#define AK_TYPE_TOKEN_GENERATOR (ak_token_generator_get_type ())
G_DECLARE_FINAL_TYPE (AkTokenGenerator, ak_token_generator, AK, TOKEN_GENERATOR, AdwBin)

/* The form that makes tokens. "decode-requested" (string) asks to open a token in the
 * decoder. */
void ak_token_generator_set_context (AkTokenGenerator *self, AkContext *context);
/* Fills the form from @request's kind, channel, uid or account, role, user IDs and lifetimes
 * (members left %NULL keep what the form has); the project and certificate are not touched.
 * Kinds beyond the everyday ones switch the advanced kinds on. */
void ak_token_generator_fill  (AkTokenGenerator *self,
                               const AkTokenRequestText *request);

G_END_DECLS
