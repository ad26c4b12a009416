/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-context.h"
#include "ak-credential-store.h"
#include "ak-serve-view.h"
#include "ak-ticker.h"
#include "ak-token-decoder.h"
#include "ak-token-doctor-view.h"
#include "ak-token-generator.h"

G_BEGIN_DECLS

#define AK_TYPE_TOKENS_PAGE (ak_tokens_page_get_type ())
G_DECLARE_FINAL_TYPE (AkTokensPage, ak_tokens_page, AK, TOKENS_PAGE, AdwBin)

void              ak_tokens_page_set_context (AkTokensPage *self, AkContext *context);
/* "generate", "decode", "diagnose", "serve" or "recent" */
void              ak_tokens_page_show          (AkTokensPage *self, const char *view);
const char       *ak_tokens_page_get_view      (AkTokensPage *self);
void              ak_tokens_page_decode        (AkTokensPage *self, const char *text);
/* Opens the Diagnose view with @text in its token field. */
void              ak_tokens_page_diagnose      (AkTokensPage *self, const char *text);
AkTokenGenerator *ak_tokens_page_get_generator (AkTokensPage *self);
AkTokenDecoder   *ak_tokens_page_get_decoder   (AkTokensPage *self);
AkTokenHistory   *ak_tokens_page_get_history   (AkTokensPage *self);
AkServeView      *ak_tokens_page_get_serve_view (AkTokensPage *self);
AkTokenDoctorView *ak_tokens_page_get_doctor_view (AkTokensPage *self);

void              ak_tokens_page_generate_for_project (AkTokensPage *self,
                                                       AkCredential *project);

G_END_DECLS
