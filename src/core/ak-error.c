/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ak-error.h"

G_DEFINE_QUARK (ak-error-quark, ak_error)

/**
 * ak_error_is_malformed_token:
 * @error: (nullable): an error
 *
 * Returns: %TRUE if @error says that a token could not be taken apart
 *   (as opposed to a token that parsed but failed verification).
 */
gboolean
ak_error_is_malformed_token (const GError *error)
{
  if (error == NULL || error->domain != AK_ERROR)
    return FALSE;

  switch ((AkError) error->code)
    {
    case AK_ERROR_BAD_VERSION:
    case AK_ERROR_BAD_BASE64:
    case AK_ERROR_BAD_COMPRESSION:
    case AK_ERROR_TOO_LARGE:
    case AK_ERROR_TRUNCATED:
    case AK_ERROR_TRAILING_BYTES:
    case AK_ERROR_BAD_FIELD:
      return TRUE;
    case AK_ERROR_INVALID_INPUT:
    case AK_ERROR_SIGNATURE_MISMATCH:
    case AK_ERROR_CRC_MISMATCH:
    case AK_ERROR_KEYRING_UNAVAILABLE:
    case AK_ERROR_KEYRING_LOCKED:
    case AK_ERROR_NOT_FOUND:
    case AK_ERROR_HTTP:
    case AK_ERROR_FAILED:
    default:
      return FALSE;
    }
}
