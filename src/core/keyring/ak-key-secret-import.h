/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * AkKeySecretImport:
 * @customer_id: (nullable): the Customer ID found, or %NULL
 * @customer_secret: (nullable): the Customer Secret found, or %NULL (wiped when freed)
 * @summary: a sentence saying what was found and what was not
 */
typedef struct
{
  char *customer_id;
  char *customer_secret;
  char *summary;
} AkKeySecretImport;

/* Parses the key_and_secret.txt file Agora Console downloads, tolerantly (labels in any case,
 * ":" or "=" or white space, quotes, CRLF, a BOM). Fails with AK_ERROR_INVALID_INPUT and a
 * sentence saying what was missing when the ID or the secret cannot be found. */
AkKeySecretImport *ak_key_secret_import_parse (const char *contents,
                                               gsize length,
                                               GError **error);
void               ak_key_secret_import_free  (AkKeySecretImport *import);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkKeySecretImport, ak_key_secret_import_free)

G_END_DECLS
