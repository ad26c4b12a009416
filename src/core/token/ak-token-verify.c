/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-token-private.h"

/* ---------------------------------------------------------------------------------------------
 * Verification
 */

static gboolean
verify_006 (const AkToken  *token,
            const char     *app_certificate,
            const char     *channel_name,
            const char     *uid,
            AkVerification *result,
            GError        **error)
{
  g_autofree char *prefix_text = NULL;
  guint8 expected[AK_SIGNATURE_LENGTH];
  gsize message_len;
  const guint8 *message;

  if (channel_name == NULL || uid == NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("A 006 token holds only checksums of its channel name and uid, so checking "
                     "it needs the channel name and uid it was made for."));
      return FALSE;
    }

  result->crc_channel_name = ak_crc32 (channel_name) == token->crc_channel_name
                               ? AK_SIGNATURE_VALID : AK_SIGNATURE_INVALID;
  result->crc_uid = ak_crc32 (uid) == token->crc_uid ? AK_SIGNATURE_VALID : AK_SIGNATURE_INVALID;

  if (result->crc_channel_name == AK_SIGNATURE_INVALID || result->crc_uid == AK_SIGNATURE_INVALID)
    {
      const char *which;

      if (result->crc_channel_name == AK_SIGNATURE_INVALID && result->crc_uid == AK_SIGNATURE_INVALID)
        which = _("Neither the channel name nor the uid matches what this token was made for.");
      else if (result->crc_channel_name == AK_SIGNATURE_INVALID)
        which = _("The channel name does not match the one this token was made for.");
      else
        which = _("The uid does not match the one this token was made for (integer uid 0 is "
                  "the empty string; the string “0” is a different uid).");
      g_set_error_literal (error, AK_ERROR, AK_ERROR_CRC_MISMATCH, which);
      return FALSE;
    }

  message = g_bytes_get_data (token->message, &message_len);
  prefix_text = g_strconcat (token->app_id, channel_name, uid, NULL);
  ak_hmac_sha256_2 (app_certificate, strlen (app_certificate), prefix_text, strlen (prefix_text),
                    message, message_len, expected);
  result->signature = ak_digest_equal (expected, token->signature, AK_SIGNATURE_LENGTH)
                        ? AK_SIGNATURE_VALID : AK_SIGNATURE_INVALID;
  return TRUE;
}

/**
 * ak_token_verify:
 * @app_certificate: the certificate to check against
 * @channel_name: (nullable): 006 only: the channel the token was made for
 * @uid: (nullable): 006 only: the uid text ("" for integer uid 0)
 * @verification: (out caller-allocates) (optional): what was checked and found
 *
 * Checks the signature of a parsed token, in constant time.
 *
 * Returns: %TRUE if the token was signed with @app_certificate (and, for 006, made for
 *   @channel_name and @uid); otherwise %FALSE with %AK_ERROR_SIGNATURE_MISMATCH,
 *   %AK_ERROR_CRC_MISMATCH or %AK_ERROR_INVALID_INPUT.
 */
gboolean
ak_token_verify (const AkToken  *token,
                 const char     *app_certificate,
                 const char     *channel_name,
                 const char     *uid,
                 AkVerification *verification,
                 GError        **error)
{
  AkVerification result = { 0 };
  gboolean checked;

  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (token->content != NULL, FALSE);

  if (verification != NULL)
    *verification = result;

  if (!ak_validate_app_certificate (app_certificate, error))
    return FALSE;

  if (token->version == AK_TOKEN_VERSION_006)
    {
      checked = verify_006 (token, app_certificate, channel_name, uid, &result, error);
    }
  else
    {
      const guint8 *content;
      gsize content_len;
      guint8 expected[AK_SIGNATURE_LENGTH];

      content = g_bytes_get_data (token->content, &content_len);
      ak_token_sign_007 (app_certificate, token->issue_ts, token->salt,
                         content + 2 + AK_SIGNATURE_LENGTH, content_len - 2 - AK_SIGNATURE_LENGTH,
                         expected);
      result.signature = ak_digest_equal (expected, token->signature, AK_SIGNATURE_LENGTH)
                           ? AK_SIGNATURE_VALID : AK_SIGNATURE_INVALID;
      checked = TRUE;
    }

  if (verification != NULL)
    *verification = result;

  if (!checked)
    return FALSE;

  if (result.signature != AK_SIGNATURE_VALID)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_SIGNATURE_MISMATCH,
                   _("The signature does not match this App Certificate: the token was signed "
                     "with another certificate (primary or secondary?), or it was changed "
                     "after it was made."));
      return FALSE;
    }
  return TRUE;
}
