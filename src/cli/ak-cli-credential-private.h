/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-credential-store.h"

G_BEGIN_DECLS

/* ak-cli-credential-store.c: the keyring calls of "credential", each waited for in turn. */
AkCredential        *ak_cli_credential_store_add          (AkCredentialStore *store,
                                                           AkCredential *credential,
                                                           const AkCredentialSecrets *secrets,
                                                           GError **error);
gboolean             ak_cli_credential_store_update       (AkCredentialStore *store,
                                                           AkCredential *existing,
                                                           AkCredential *changes,
                                                           const AkCredentialSecrets *secrets,
                                                           GError **error);
gboolean             ak_cli_credential_store_delete       (AkCredentialStore *store,
                                                           AkCredential *credential,
                                                           GError **error);
AkCredentialSecrets *ak_cli_credential_store_load_secrets (AkCredentialStore *store,
                                                           AkCredential *credential,
                                                           GError **error);
gboolean             ak_cli_credential_parse_kind         (const char *text,
                                                           AkCredentialKind *kind,
                                                           GError **error);
/* By label; @kind_text ("project", "customer" or NULL) settles it when both share one. */
AkCredential        *ak_cli_credential_find               (AkCredentialStore *store,
                                                           const char *label,
                                                           const char *kind_text,
                                                           GError **error);

G_END_DECLS
