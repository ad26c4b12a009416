/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "ak-secret.h"

/**
 * ak_secret_wipe:
 * @data: (nullable): memory that held a secret
 * @length: how many bytes of it to clear
 *
 * Zeroes @data in a way the compiler may not remove, even right before a free().
 */
void
ak_secret_wipe (gpointer data,
                gsize    length)
{
  if (data != NULL && length > 0)
    OPENSSL_cleanse (data, length);
}

/**
 * ak_secret_wipe_string:
 * @text: (nullable): a NUL-terminated secret, left in place as an empty string
 */
void
ak_secret_wipe_string (char *text)
{
  if (text != NULL)
    ak_secret_wipe (text, strlen (text));
}

/**
 * ak_secret_string_free:
 * @secret: (nullable): a NUL-terminated secret from g_malloc()
 *
 * Wipes @secret, then frees it.
 */
void
ak_secret_string_free (char *secret)
{
  if (secret == NULL)
    return;
  ak_secret_wipe_string (secret);
  g_free (secret);
}
