/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-context.h"
#include "ak-credential-store.h"

G_BEGIN_DECLS

typedef enum
{
  AK_SECRET_PRIMARY_CERTIFICATE,
  AK_SECRET_SECONDARY_CERTIFICATE,
  AK_SECRET_CUSTOMER_SECRET,
} AkSecretField;

#define AK_TYPE_CREDENTIALS_PAGE (ak_credentials_page_get_type ())
G_DECLARE_FINAL_TYPE (AkCredentialsPage, ak_credentials_page, AK, CREDENTIALS_PAGE, AdwBin)

void ak_credentials_page_set_context  (AkCredentialsPage *self, AkContext *context);
void ak_credentials_page_add          (AkCredentialsPage *self, AkCredentialKind kind);
void ak_credentials_page_import       (AkCredentialsPage *self);
void ak_credentials_page_focus_search (AkCredentialsPage *self);
void ak_credentials_page_edit         (AkCredentialsPage *self, AkCredential *credential);
void ak_credentials_page_copy_id      (AkCredentialsPage *self, AkCredential *credential);
void ak_credentials_page_copy_secret  (AkCredentialsPage *self,
                                       AkCredential *credential,
                                       AkSecretField field);
void ak_credentials_page_delete       (AkCredentialsPage *self, AkCredential *credential);

G_END_DECLS
