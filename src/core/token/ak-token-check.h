/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ak-credential.h"
#include "ak-credential-store.h"
#include "ak-token.h"

G_BEGIN_DECLS

/**
 * AkTokenCheckStatus:
 * @AK_TOKEN_CHECK_VALID: the signature matches (and, for 006, the channel and uid)
 * @AK_TOKEN_CHECK_SIGNATURE_MISMATCH: no certificate that was tried made this signature
 * @AK_TOKEN_CHECK_CRC_MISMATCH: 006: the token was made for another channel name or uid
 * @AK_TOKEN_CHECK_NO_PROJECT: no stored project has the token's App ID: nothing was checked
 * @AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID: 006 without a channel name and uid: nothing checked
 * @AK_TOKEN_CHECK_INVALID_CERTIFICATE: the certificate given is not 32 hexadecimal characters
 *
 * What a check found. Only the first three say anything about the token itself.
 */
typedef enum
{
  AK_TOKEN_CHECK_VALID,
  AK_TOKEN_CHECK_SIGNATURE_MISMATCH,
  AK_TOKEN_CHECK_CRC_MISMATCH,
  AK_TOKEN_CHECK_NO_PROJECT,
  AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID,
  AK_TOKEN_CHECK_INVALID_CERTIFICATE,
} AkTokenCheckStatus;

/**
 * AkCertificateKind:
 * @AK_CERTIFICATE_NONE: no certificate matched (or none was tried)
 * @AK_CERTIFICATE_PRIMARY: the primary certificate of the stored project
 * @AK_CERTIFICATE_SECONDARY: the secondary certificate of the stored project
 * @AK_CERTIFICATE_GIVEN: the certificate given for this one check
 *
 * Which certificate a token was signed with.
 */
typedef enum
{
  AK_CERTIFICATE_NONE,
  AK_CERTIFICATE_PRIMARY,
  AK_CERTIFICATE_SECONDARY,
  AK_CERTIFICATE_GIVEN,
} AkCertificateKind;

typedef struct _AkTokenCheck AkTokenCheck;

#define AK_TYPE_TOKEN_CHECK (ak_token_check_get_type ())
GType               ak_token_check_get_type         (void) G_GNUC_CONST;
AkTokenCheck       *ak_token_check_ref              (AkTokenCheck *check);
void                ak_token_check_unref            (AkTokenCheck *check);

AkTokenCheckStatus  ak_token_check_get_status       (const AkTokenCheck *check);
/* The stored project with the token's App ID (the one that matched, else the first),
 * or NULL when no stored project has it or a certificate was given. */
AkCredential       *ak_token_check_get_project      (const AkTokenCheck *check);
AkCertificateKind   ak_token_check_get_certificate  (const AkTokenCheck *check);
/* What ak_token_verify() found with the certificate that matched, else the last one tried. */
const AkVerification *ak_token_check_get_verification (const AkTokenCheck *check);
/* One sentence for the user: "Signed with the primary certificate of “Demo”.", … */
const char         *ak_token_check_get_message      (const AkTokenCheck *check);
/* The verdict in a few words, for a heading: "Signature valid — primary certificate of
 * “Demo”", "Not checked — no certificate for this App ID", … */
const char         *ak_token_check_get_title        (const AkTokenCheck *check);

/* Checks @token against the certificates of the stored project with the same App ID
 * (case-insensitive): the primary, then the secondary. Secrets are loaded for the check and
 * wiped right after. Loads @store first if it has not been loaded. @channel and @uid are for
 * 006 tokens ("" for integer uid 0) and ignored for 007. Fails only when the keyring fails
 * (%AK_ERROR_KEYRING_LOCKED, …) or on cancellation: every answer about the token, including
 * "no stored project", is an #AkTokenCheck. */
void                ak_token_check_with_store_async (AkCredentialStore *store,
                                                     AkToken *token,
                                                     const char *channel,
                                                     const char *uid,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer user_data);
AkTokenCheck       *ak_token_check_with_store_finish (AkCredentialStore *store,
                                                      GAsyncResult *result,
                                                      GError **error);

/* Checks @token against a certificate pasted for this check only; never fails. */
AkTokenCheck       *ak_token_check_with_certificate (AkToken *token,
                                                     const char *certificate,
                                                     const char *channel,
                                                     const char *uid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkTokenCheck, ak_token_check_unref)

G_END_DECLS
