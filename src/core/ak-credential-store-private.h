/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-credential-store.h"
#include "ak-secret-backend.h"

G_BEGIN_DECLS

/* For tests: a store over @backend that reports READY or LOCKED as a keyring would, even when
 * @backend is the memory one (whose failures and locking tests can then script). */
AkCredentialStore *ak_credential_store_new_with_backend (AkSecretBackend *backend);
AkSecretBackend   *ak_credential_store_get_backend      (AkCredentialStore *self);

G_END_DECLS
