/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-core-enums.h"
#include "ak-enum-nick.h"
#include "ak-token-doctor.h"

/* ---------------------------------------------------------------------------------------------
 * Names
 */

/* The names are the enums' nicks ("rtc", "publisher"), in any case. */

const char *
ak_doctor_product_to_name (AkDoctorProduct product)
{
  return ak_enum_to_nick (AK_TYPE_DOCTOR_PRODUCT, product);
}

gboolean
ak_doctor_product_from_name (const char      *name,
                             AkDoctorProduct *product)
{
  int value;

  if (!ak_enum_from_nick (AK_TYPE_DOCTOR_PRODUCT, name, &value))
    return FALSE;
  if (product != NULL)
    *product = (AkDoctorProduct) value;
  return TRUE;
}

const char *
ak_doctor_role_to_name (AkDoctorRole role)
{
  return ak_enum_to_nick (AK_TYPE_DOCTOR_ROLE, role);
}

gboolean
ak_doctor_role_from_name (const char   *name,
                          AkDoctorRole *role)
{
  int value;

  if (!ak_enum_from_nick (AK_TYPE_DOCTOR_ROLE, name, &value))
    return FALSE;
  if (role != NULL)
    *role = (AkDoctorRole) value;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Error codes
 */

#define IDS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static const AkDoctorErrorCode error_codes[] = {
  /* https://docs.agora.io/en/help/integration-issues/token_related_issues */
  { "101", "ERR_INVALID_APP_ID", AK_DOCTOR_PRODUCT_RTC, N_("error code"),
    N_("The App ID is not valid: the SDK was initialised with a wrong or malformed App ID."),
    IDS (AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_APP_ID_UNKNOWN) },
  /* https://docs.agora.io/en/help/integration-issues/token_related_issues */
  { "109", "ERR_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTC, N_("error code"),
    N_("The token has expired."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_ISSUED_IN_FUTURE,
         AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE) },
  /* https://docs.agora.io/en/help/integration-issues/token_related_issues */
  { "110", "ERR_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTC, N_("error code"),
    N_("The token is invalid: not the one made for this App ID, channel and uid, made with "
       "another certificate, or no token given while the project needs one."),
    IDS (AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_CERTIFICATE_MISMATCH,
         AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED, AK_DOCTOR_CHANNEL_MISMATCH,
         AK_DOCTOR_CHANNEL_CASE, AK_DOCTOR_CHANNEL_WHITESPACE, AK_DOCTOR_CHANNEL_NORMALIZATION,
         AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_CHECKSUM_MISMATCH,
         AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_TOKEN_REPAIRED_SPACES, AK_DOCTOR_TOKEN_WRAPPED) },
  /* https://github.com/AgoraIO-Community/VideoUIKit-Flutter/issues/68 (maintainers' answer)
   * and https://docs.agora.io/en/Video/error_rtc: the join request was refused, usually
   * because the client is already in the channel. Not a token fault. */
  { "-17", "ERR_JOIN_CHANNEL_REJECTED", AK_DOCTOR_PRODUCT_RTC, N_("error code"),
    N_("The request to join the channel was rejected, usually because this client is already "
       "in the channel (or joining it): leave it first. This is not a token fault."),
    (const char * const[]) { NULL } },
  /* https://api-ref.agora.io/en/video-sdk/blueprint/4.x/API/
   *   enum_connectionchangedreasontype.html */
  { "8", "CONNECTION_CHANGED_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTC,
    N_("connection state change reason"),
    N_("The token is invalid: the project needs a token and none was used, the uid given "
       "to joinChannel differs from the token's, or the token is not the one generated."),
    IDS (AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_CHANNEL_MISMATCH,
         AK_DOCTOR_CHANNEL_CASE, AK_DOCTOR_CHANNEL_WHITESPACE, AK_DOCTOR_CHANNEL_NORMALIZATION,
         AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_CERTIFICATE_MISMATCH,
         AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED, AK_DOCTOR_CHECKSUM_MISMATCH,
         AK_DOCTOR_SERVICE_MISSING) },
  /* https://api-ref.agora.io/en/video-sdk/blueprint/4.x/API/
   *   enum_connectionchangedreasontype.html */
  { "9", "CONNECTION_CHANGED_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTC,
    N_("connection state change reason"),
    N_("The token has expired: get a new one and renew it."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_EXPIRES_SOON) },
  /* https://api-ref.agora.io/en/signaling-sdk/web/1.x/enums/rtmerrorcode.loginerror.html */
  { "5", "LOGIN_ERR_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTM, N_("login error (Signaling 1.x)"),
    N_("The token is invalid: check the method used to generate it."),
    IDS (AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_APP_ID_MISMATCH,
         AK_DOCTOR_CERTIFICATE_MISMATCH, AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED) },
  /* https://api-ref.agora.io/en/signaling-sdk/web/1.x/enums/rtmerrorcode.loginerror.html */
  { "6", "LOGIN_ERR_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTM, N_("login error (Signaling 1.x)"),
    N_("The token has expired, so the login was rejected: generate a new token."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED) },
  /* https://api-ref.agora.io/en/signaling-sdk/ios/1.x/Constants/AgoraRtmRenewTokenErrorCode.html */
  { "RENEW_TOKEN_ERR_TOKEN_EXPIRED", NULL, AK_DOCTOR_PRODUCT_RTM,
    N_("renewToken result (Signaling 1.x), code 5"),
    N_("The token given to renewToken has already expired."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED) },
  /* https://api-ref.agora.io/en/signaling-sdk/ios/1.x/Constants/AgoraRtmRenewTokenErrorCode.html */
  { "RENEW_TOKEN_ERR_INVALID_TOKEN", NULL, AK_DOCTOR_PRODUCT_RTM,
    N_("renewToken result (Signaling 1.x), code 6"),
    N_("The token given to renewToken is invalid."),
    IDS (AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_CERTIFICATE_MISMATCH) },
  /* Signaling 2.x SDK header AgoraRtmBase.h, enum RTM_ERROR_CODE ("-10005: The token is
   * invalid."), as shipped in the Signaling 2.x SDKs. */
  { "-10005", "RTM_ERROR_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTM, N_("error code (Signaling 2.x)"),
    N_("The token is invalid: not an RTM token for this App ID and user ID, or made with "
       "another certificate."),
    IDS (AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_UID_ACCOUNT_SWAP,
         AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_CERTIFICATE_MISMATCH,
         AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED, AK_DOCTOR_VERSION_006_NOT_ACCEPTED,
         AK_DOCTOR_TOKEN_REPAIRED_SPACES, AK_DOCTOR_TOKEN_WRAPPED) },
  /* AgoraRtmBase.h, enum RTM_ERROR_CODE: "-10009: The token has expired." */
  { "-10009", "RTM_ERROR_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTM, N_("error code (Signaling 2.x)"),
    N_("The token has expired: generate a new one and call renewToken or log in again."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_ISSUED_IN_FUTURE,
         AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE) },
  /* AgoraRtmBase.h, enum RTM_ERROR_CODE: "-10012: The login is rejected by server." */
  { "-10012", "RTM_ERROR_LOGIN_REJECTED", AK_DOCTOR_PRODUCT_RTM, N_("error code (Signaling 2.x)"),
    N_("The server rejected the login: check the App ID, the user ID and the token."),
    IDS (AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SERVICE_MISSING,
         AK_DOCTOR_CERTIFICATE_MISMATCH, AK_DOCTOR_TOKEN_EXPIRED) },
  /* AgoraRtmBase.h, enum RTM_ERROR_CODE: "-10015: The login is not authorized. Happens user
   * login the RTM system without granted from console." Signaling is not enabled for the
   * project: the token cannot cause it. */
  { "-10015", "RTM_ERROR_LOGIN_NOT_AUTHORIZED", AK_DOCTOR_PRODUCT_RTM,
    N_("error code (Signaling 2.x)"),
    N_("Signaling is not enabled for this project in Agora Console: enable it there. This is "
       "not a token fault."),
    (const char * const[]) { NULL } },
  /* AgoraRtmBase.h, enum RTM_ERROR_CODE: "-10016: Try to login or join with inconsistent
   * app ID." */
  { "-10016", "RTM_ERROR_INCONSISTENT_APPID", AK_DOCTOR_PRODUCT_RTM,
    N_("error code (Signaling 2.x)"),
    N_("The token was made for another App ID than the one the client was created with."),
    IDS (AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_APP_ID_UNKNOWN) },
  /* AgoraRtmBase.h, enum RTM_CONNECTION_CHANGE_REASON: "8: The connection fails because the
   * token is not valid." */
  { "8", "RTM_CONNECTION_CHANGED_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTM,
    N_("connection state change reason (Signaling 2.x)"),
    N_("The connection failed because the token is not valid."),
    IDS (AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_APP_ID_MISMATCH,
         AK_DOCTOR_CERTIFICATE_MISMATCH, AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED) },
  /* AgoraRtmBase.h, enum RTM_CONNECTION_CHANGE_REASON: "9: The connection fails because the
   * token has expired." */
  { "9", "RTM_CONNECTION_CHANGED_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTM,
    N_("connection state change reason (Signaling 2.x)"),
    N_("The connection failed because the token has expired: renew it before it runs out."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_EXPIRES_SOON) },
  /* https://docs.agora.io/en/realtime-media/im/build/secure-access-and-authentication/
   *   authentication
   * (Chat REST calls need an app token; HTTP 401 is Unauthorized, RFC 9110 section 15.5.2) */
  { "401", "Unauthorized", AK_DOCTOR_PRODUCT_CHAT, N_("HTTP status"),
    N_("The Chat server did not accept the token: REST calls need an app token, SDK logins a "
       "user token for that user."),
    IDS (AK_DOCTOR_CHAT_USER_TOKEN_AS_APP, AK_DOCTOR_CHAT_APP_TOKEN_AS_USER,
         AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_APP_ID_MISMATCH,
         AK_DOCTOR_CERTIFICATE_MISMATCH) },
  /* https://docs.agora.io/en/api-reference/api-ref/conversational-ai/authentication: the
   * token's channel must match properties.channel, its uid properties.agent_rtc_uid, and a
   * string uid needs enable_string_uid (HTTP 401 is Unauthorized, RFC 9110 15.5.2) */
  { "401", "Unauthorized", AK_DOCTOR_PRODUCT_CONVOAI, N_("HTTP status"),
    N_("The “agora token=” authorisation was not accepted: the token must be an RTC token for "
       "the agent's channel and uid, unexpired, made with this project's certificate."),
    IDS (AK_DOCTOR_CONVOAI_CHANNEL_MISMATCH, AK_DOCTOR_CONVOAI_UID_MISMATCH,
         AK_DOCTOR_CONVOAI_STRING_UID, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_VERSION_006_NOT_ACCEPTED,
         AK_DOCTOR_TOKEN_WRAPPED, AK_DOCTOR_CERTIFICATE_MISMATCH) },
  /* https://docs.agora.io/en/api-reference/api-ref/conversational-ai/status-codes: 403 is
   * "Unauthorized access: resolve account or billing issues, or contact technical support to
   * activate the service" (reasons such as ServiceNotEnabled, AccountSuspended). A rejected
   * token is 401, above. */
  { "403", "Forbidden", AK_DOCTOR_PRODUCT_CONVOAI, N_("HTTP status"),
    N_("The account or project may not use Conversational AI: the service is not enabled, or "
       "there is an account or billing issue. This is not a token fault: a rejected token "
       "gives 401."),
    (const char * const[]) { NULL } },
};

const AkDoctorErrorCode *
ak_token_doctor_error_codes (gsize *n_codes)
{
  if (n_codes != NULL)
    *n_codes = G_N_ELEMENTS (error_codes);
  return error_codes;
}

const AkDoctorErrorCode *
ak_token_doctor_lookup_error_code (const char      *code,
                                   AkDoctorProduct  product)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (code != NULL, NULL);

  stripped = g_strstrip (g_strdup (code));
  for (guint pass = 0; pass < 2; pass++)
    for (gsize i = 0; i < G_N_ELEMENTS (error_codes); i++)
      {
        const AkDoctorErrorCode *entry = &error_codes[i];
        gboolean same = g_ascii_strcasecmp (stripped, entry->code) == 0
                        || (entry->name != NULL
                            && g_ascii_strcasecmp (stripped, entry->name) == 0);

        /* First the product's own codes, then (for "any") any product's. */
        if (same && (entry->product == product
                     || (pass == 1 && product == AK_DOCTOR_PRODUCT_ANY)))
          return entry;
      }
  return NULL;
}
