/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-context.h"
#include "ak-credential-store.h"
#include "ak-token-doctor.h"

G_BEGIN_DECLS

#define AK_TYPE_TOKEN_DOCTOR_VIEW (ak_token_doctor_view_get_type ())
G_DECLARE_FINAL_TYPE (AkTokenDoctorView, ak_token_doctor_view, AK, TOKEN_DOCTOR_VIEW, AdwBin)

/* The Diagnose view: a rejected token, what the client did with it, and the findings.
 * "generate-requested" (AkTokenRequestText *request, const char *project_label) asks for
 * Generate filled with a finding's corrected inputs; the label is %NULL when no stored
 * project has the token's App ID. */
void ak_token_doctor_view_set_context (AkTokenDoctorView *self, AkContext *context);
/* Puts @text in the token field; the diagnosis waits for "Diagnose". */
void ak_token_doctor_view_set_token (AkTokenDoctorView *self, const char *text);

/* Fills the form from @input (the token included); a %NULL string leaves its field empty,
 * an error code not in the list leaves "None". */
void ak_token_doctor_view_fill      (AkTokenDoctorView *self, const AkDoctorInput *input);

G_END_DECLS
