/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AK_ERROR (ak_error_quark ())

/**
 * AkError:
 * @AK_ERROR_INVALID_INPUT: a value given to a builder or command is not acceptable
 * @AK_ERROR_BAD_VERSION: the token does not start with a known version prefix
 * @AK_ERROR_BAD_BASE64: the token text is not valid standard base64
 * @AK_ERROR_BAD_COMPRESSION: the token payload is not a valid zlib stream
 * @AK_ERROR_TOO_LARGE: the token (or its inflated payload) is larger than any real token
 * @AK_ERROR_TRUNCATED: a field runs past the end of the payload
 * @AK_ERROR_TRAILING_BYTES: bytes are left over after the last field
 * @AK_ERROR_BAD_FIELD: a field holds a value the format does not allow
 * @AK_ERROR_SIGNATURE_MISMATCH: the signature does not match the certificate
 * @AK_ERROR_CRC_MISMATCH: a 006 token was made for another channel name or uid
 * @AK_ERROR_KEYRING_UNAVAILABLE: no Secret Service is running
 * @AK_ERROR_KEYRING_LOCKED: the keyring is locked
 * @AK_ERROR_NOT_FOUND: no stored item has that name
 * @AK_ERROR_HTTP: an HTTP request failed
 * @AK_ERROR_FAILED: anything else
 *
 * Error codes in the %AK_ERROR domain. Messages are sentences a user can act on.
 */
typedef enum
{
  AK_ERROR_INVALID_INPUT,
  AK_ERROR_BAD_VERSION,
  AK_ERROR_BAD_BASE64,
  AK_ERROR_BAD_COMPRESSION,
  AK_ERROR_TOO_LARGE,
  AK_ERROR_TRUNCATED,
  AK_ERROR_TRAILING_BYTES,
  AK_ERROR_BAD_FIELD,
  AK_ERROR_SIGNATURE_MISMATCH,
  AK_ERROR_CRC_MISMATCH,
  AK_ERROR_KEYRING_UNAVAILABLE,
  AK_ERROR_KEYRING_LOCKED,
  AK_ERROR_NOT_FOUND,
  AK_ERROR_HTTP,
  AK_ERROR_FAILED,
} AkError;

GQuark   ak_error_quark            (void);
gboolean ak_error_is_malformed_token (const GError *error);

G_END_DECLS
