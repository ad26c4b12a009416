/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-credential-store.h"

G_BEGIN_DECLS

#define AK_TYPE_CREDENTIAL_DIALOG (ak_credential_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AkCredentialDialog, ak_credential_dialog, AK, CREDENTIAL_DIALOG, AdwWindow)

/* Adds a credential of @kind, or edits @existing when it is not NULL. */
AkCredentialDialog *ak_credential_dialog_new              (GtkWindow *parent,
                                                           AkCredentialStore *store,
                                                           GSettings *settings,
                                                           AkCredentialKind kind,
                                                           AkCredential *existing);
void                ak_credential_dialog_prefill_customer (AkCredentialDialog *self,
                                                           const char *customer_id,
                                                           const char *customer_secret,
                                                           const char *summary);

G_END_DECLS
