/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-clock.h"
#include "ak-duration.h"
#include "ak-token-server-check-private.h"

/* ---------------------------------------------------------------------------------------------
 * Words for findings
 */

static char *
format_lifetime (guint64 seconds)
{
  g_autofree char *words = NULL;

  if (seconds < 60)
    return ak_duration_format (seconds);
  words = ak_duration_format (seconds);
  /* Translators: a number of seconds, then the same duration in words, e.g. "7200 s (2 h)" */
  return g_strdup_printf (_("%llu s (%s)"), (unsigned long long) seconds, words);
}

static const char *
service_label (guint16 type)
{
  switch (type)
    {
    case AK_SERVICE_RTC:
      return "RTC";
    case AK_SERVICE_RTM:
      return "RTM";
    case AK_SERVICE_CHAT:
      return "Chat";
    case AK_SERVICE_RTM2:
      return "RTM 2";
    case AK_SERVICE_STREAMING:
    case AK_SERVICE_FPA:
    case AK_SERVICE_FCDN:
    case AK_SERVICE_APAAS:
    default:
      return ak_service_type_to_name (type) != NULL ? ak_service_type_to_name (type)
                                                    : C_("service", "unknown");
    }
}

/* How agora-token-service reads a uid: an unsigned 64-bit number, or else an account. */
gboolean
ak_token_server_parse_integer_uid (const char *uid,
                                   guint64    *value)
{
  return ak_is_digits (uid) && g_ascii_string_to_unsigned (uid, 10, 0, G_MAXUINT64, value, NULL);
}

/* The user of an RTC service, as a phrase: "any user (uid 0)", "uid 42", "user account “x”". */
static char *
describe_rtc_user (const char *uid_text)
{
  if (*uid_text == '\0')
    return g_strdup (_("any user (uid 0)"));
  if (ak_is_digits (uid_text))
    return g_strdup_printf (_("uid %s"), uid_text);
  return g_strdup_printf (_("user account “%s”"), uid_text);
}

/* ---------------------------------------------------------------------------------------------
 * Comparing what the token grants with what was asked
 */

void
ak_token_server_check_op_free (CheckOp *op)
{
  g_free (op->channel);
  g_free (op->uid);
  g_free (op->origin);
  g_free (op->project_label);
  g_clear_object (&op->store);
  g_clear_pointer (&op->request, ak_rest_request_free);
  g_clear_pointer (&op->result, ak_token_server_result_unref);
  g_free (op);
}

static const AkService *
find_service (AkToken *token,
              guint16  type)
{
  for (guint i = 0; i < ak_token_get_n_services (token); i++)
    if (ak_token_get_service (token, i)->type == type)
      return ak_token_get_service (token, i);
  return NULL;
}

static guint16
expected_service_type (AkTokenServerTokenType type)
{
  switch (type)
    {
    case AK_TOKEN_SERVER_TOKEN_RTM:
      return AK_SERVICE_RTM;
    case AK_TOKEN_SERVER_TOKEN_CHAT:
      return AK_SERVICE_CHAT;
    case AK_TOKEN_SERVER_TOKEN_RTC:
    default:
      return AK_SERVICE_RTC;
    }
}

void
ak_token_server_compare_app_id (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  const char *app_id = ak_token_get_app_id (result->token);

  if (result->project == NULL)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_APP_ID,
                                        _("Issued for App ID %s."), app_id);
  else if (g_ascii_strcasecmp (ak_credential_get_app_id (result->project), app_id) != 0)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                        AK_TOKEN_SERVER_ASPECT_APP_ID,
                                        _("The token is for App ID %s, not %s of “%s”: the server "
                                          "is set up for another project."),
                                        app_id, ak_credential_get_app_id (result->project),
                                        ak_credential_get_label (result->project));
  else
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_APP_ID,
                                        _("Issued for App ID %s of “%s”."), app_id,
                                        ak_credential_get_label (result->project));
}

void
ak_token_server_add_signature_finding (CheckOp      *op,
                                       const GError *error)
{
  AkTokenServerResult *result = op->result;
  AkTokenCheck *check = result->check;

  if (check == NULL)
    {
      ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                          AK_TOKEN_SERVER_ASPECT_SIGNATURE,
                                          _("The signature was not checked: %s"), error->message);
      return;
    }

  switch (ak_token_check_get_status (check))
    {
    case AK_TOKEN_CHECK_VALID:
      ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK,
                                          AK_TOKEN_SERVER_ASPECT_SIGNATURE, "%s",
                                          ak_token_check_get_message (check));
      break;
    case AK_TOKEN_CHECK_NO_PROJECT:
      ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                          AK_TOKEN_SERVER_ASPECT_SIGNATURE,
                                          _("No stored project has App ID %s, so the signature was "
                                            "not checked. Store the project with its certificate "
                                            "to check it."),
                                          ak_token_get_app_id (result->token));
      break;
    case AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID:
      ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                          AK_TOKEN_SERVER_ASPECT_SIGNATURE, "%s",
                                          ak_token_check_get_message (check));
      break;
    case AK_TOKEN_CHECK_SIGNATURE_MISMATCH:
    case AK_TOKEN_CHECK_CRC_MISMATCH:
    case AK_TOKEN_CHECK_INVALID_CERTIFICATE:
    default:
      ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                          AK_TOKEN_SERVER_ASPECT_SIGNATURE, "%s",
                                          ak_token_check_get_message (check));
      break;
    }
}

/* Returns the service of the type asked for, or NULL (with a finding) when there is none. */
static const AkService *
compare_services (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  AkToken *token = result->token;
  guint16 expected = expected_service_type (op->query.token_type);
  const AkService *main_service = find_service (token, expected);
  guint n = ak_token_get_n_services (token);

  if (main_service == NULL)
    {
      g_autoptr(GString) carried = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (carried, "%s%s", i > 0 ? ", " : "",
                                service_label (ak_token_get_service (token, i)->type));
      if (n == 0)
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_SERVICE,
                                            _("The token grants no service at all, although a "
                                              "token for %s was asked."),
                                            service_label (expected));
      else
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_SERVICE,
                                            _("The token grants %s, not the %s asked."),
                                            carried->str,
                                            service_label (expected));
      return NULL;
    }

  ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_SERVICE,
                                      _("A token for %s, as asked."), service_label (expected));

  for (guint i = 0; i < n; i++)
    {
      const AkService *service = ak_token_get_service (token, i);

      if (service == main_service)
        continue;
      /* agora-token-service puts an RTM stream channel in an RTC service. */
      if (op->query.token_type == AK_TOKEN_SERVER_TOKEN_RTM && service->type == AK_SERVICE_RTC
          && *op->channel != '\0')
        continue;
      ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                          AK_TOKEN_SERVER_ASPECT_SERVICE,
                                          _("It also grants %s, which was not asked for."),
                                          service_label (service->type));
    }
  return main_service;
}

static void
compare_rtc_user (CheckOp         *op,
                  const AkService *service)
{
  AkTokenServerResult *result = op->result;
  const char *granted = ak_token_server_or_empty (service->uid);
  g_autofree char *granted_words = describe_rtc_user (granted);
  g_autofree char *expected = NULL;
  g_autofree char *expected_words = NULL;
  guint64 value;

  if (!ak_token_server_parse_integer_uid (op->uid, &value))
    {
      expected = g_strdup (op->uid);
    }
  else
    {
      expected = ak_uid_to_string ((guint32) value);
      if (value > G_MAXUINT32 && g_str_equal (granted, expected))
        {
          ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                              AK_TOKEN_SERVER_ASPECT_USER,
                                              _("The uid %s is above 4294967295: the server "
                                                "wrapped it to 32 bits, as agora-token-service "
                                                "does, so the token is for %s."),
                                              op->uid, granted_words);
          return;
        }
      if (value > G_MAXUINT32 && g_str_equal (granted, op->uid))
        {
          g_free (expected);
          expected = g_strdup (op->uid);
        }
    }

  if (g_str_equal (granted, expected))
    {
      ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_USER,
                                          /* Translators: %s is "uid 42", "user account “x”" or
                                           * "any user (uid 0)" */
                                          _("For %s."), granted_words);
      return;
    }
  expected_words = describe_rtc_user (expected);
  ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_USER,
                                      /* Translators: each %s is "uid 42", "user account “x”" or
                                       * "any user (uid 0)" */
                                      _("The token is for %s, not %s."), granted_words,
                                      expected_words);
}

static void
compare_rtc_role (CheckOp         *op,
                  const AkService *service)
{
  static const struct
  {
    guint16 id;
    const char *what;
  } publishing[] = {
    { AK_PRIV_RTC_PUBLISH_AUDIO, N_("audio") },
    { AK_PRIV_RTC_PUBLISH_VIDEO, N_("video") },
    { AK_PRIV_RTC_PUBLISH_DATA, N_("data streams") },
  };
  AkTokenServerResult *result = op->result;
  g_autoptr(GString) missing = g_string_new (NULL);
  guint granted = 0;

  if (!ak_service_get_privilege (service, AK_PRIV_RTC_JOIN_CHANNEL, NULL))
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_ROLE,
                                        _("It does not grant joining the channel."));

  for (guint i = 0; i < G_N_ELEMENTS (publishing); i++)
    if (ak_service_get_privilege (service, publishing[i].id, NULL))
      granted++;
    else
      g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "",
                              _(publishing[i].what));

  if (op->query.role == AK_TOKEN_SERVER_ROLE_PUBLISHER)
    {
      if (granted == G_N_ELEMENTS (publishing))
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_ROLE,
                                            _("It grants publishing audio, video and data streams, "
                                              "as publisher asks."));
      else
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_ROLE,
                                            _("It does not grant publishing %s although publisher "
                                              "was asked: with strict token permission the user "
                                              "cannot publish that."),
                                            missing->str);
    }
  else if (granted > 0)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                        AK_TOKEN_SERVER_ASPECT_ROLE,
                                        _("It grants publishing although subscriber was asked: "
                                          "strict token permission is needed for that to matter."));
  else
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_ROLE,
                                        _("It grants joining only, as subscriber asks."));
}

static void
compare_rtc (CheckOp         *op,
             const AkService *service)
{
  AkTokenServerResult *result = op->result;
  const char *channel = ak_token_server_or_empty (service->channel_name);

  if (g_str_equal (channel, op->channel))
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_CHANNEL,
                                        _("For channel “%s”."), channel);
  else
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                        AK_TOKEN_SERVER_ASPECT_CHANNEL,
                                        _("The token is for channel “%s”, not “%s”."), channel,
                                        op->channel);

  compare_rtc_user (op, service);
  compare_rtc_role (op, service);
}

static void
compare_rtm (CheckOp         *op,
             const AkService *service)
{
  AkTokenServerResult *result = op->result;
  const char *user = ak_token_server_or_empty (service->user_id);
  const AkService *stream;

  if (g_str_equal (user, op->uid))
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_USER,
                                        _("For RTM user “%s”."), user);
  else
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_USER,
                                        _("The token is for RTM user “%s”, not “%s”."), user,
                                        op->uid);

  if (!ak_service_get_privilege (service, AK_PRIV_RTM_LOGIN, NULL))
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_ROLE,
                                        _("It does not grant RTM login."));

  if (*op->channel == '\0')
    return;
  stream = find_service (result->token, AK_SERVICE_RTC);
  if (stream == NULL)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                        AK_TOKEN_SERVER_ASPECT_CHANNEL,
                                        _("It grants no stream channel, although “%s” was asked."),
                                        op->channel);
  else if (!g_str_equal (ak_token_server_or_empty (stream->channel_name), op->channel))
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                        AK_TOKEN_SERVER_ASPECT_CHANNEL,
                                        _("The token's stream channel is “%s”, not “%s”."),
                                        ak_token_server_or_empty (stream->channel_name),
                                        op->channel);
  else
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_CHANNEL,
                                        _("It also grants joining stream channel “%s”."),
                                        op->channel);
}

static void
compare_chat (CheckOp         *op,
              const AkService *service)
{
  AkTokenServerResult *result = op->result;
  const char *user = ak_token_server_or_empty (service->user_id);
  gboolean app = ak_service_get_privilege (service, AK_PRIV_CHAT_APP, NULL);
  gboolean user_privilege = ak_service_get_privilege (service, AK_PRIV_CHAT_USER, NULL);

  if (*op->uid == '\0')
    {
      if (app)
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_USER,
                                            _("A Chat app token, as an empty uid asks."));
      else
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_USER,
                                            _("A Chat user token for “%s”, although an empty uid "
                                              "asks for an app token."), user);
      return;
    }

  if (!user_privilege)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_USER,
                                        _("A Chat app token, although a user token for “%s” was "
                                          "asked."), op->uid);
  else if (!g_str_equal (user, op->uid))
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_USER,
                                        _("The token is for Chat user “%s”, not “%s”."), user,
                                        op->uid);
  else
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_USER,
                                        _("A Chat user token for “%s”."), user);
}

static void
compare_expiry (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  guint32 asked = ak_token_server_requested_expire (&op->query);
  guint32 granted = ak_token_get_expire (result->token);
  g_autofree char *asked_words = format_lifetime (asked);
  g_autofree char *granted_words = format_lifetime (granted);

  if (granted > (guint64) asked + AK_TOKEN_SERVER_EXPIRE_TOLERANCE)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                        AK_TOKEN_SERVER_ASPECT_EXPIRY,
                                        _("It lasts %s, longer than the %s asked: the server does "
                                          "not honour “expire”."), granted_words, asked_words);
  else if ((guint64) granted + AK_TOKEN_SERVER_EXPIRE_TOLERANCE < asked)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                        AK_TOKEN_SERVER_ASPECT_EXPIRY,
                                        _("It lasts only %s, not the %s asked."), granted_words,
                                        asked_words);
  else
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_EXPIRY,
                                        _("It lasts %s, as asked."), granted_words);

  if (granted > 86400)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                        AK_TOKEN_SERVER_ASPECT_EXPIRY,
                                        _("It lasts more than 24 hours, the longest lifetime Agora "
                                          "documents; agora-token-service does not cap “expire”."));
}

static void
compare_privilege_expiries (CheckOp         *op,
                            const AkService *service)
{
  AkTokenServerResult *result = op->result;
  guint32 token_expire = ak_token_get_expire (result->token);
  guint problems = 0;

  for (guint i = 0; i < service->privileges->len; i++)
    {
      const AkPrivilege *privilege = &g_array_index (service->privileges, AkPrivilege, i);
      const char *name = ak_service_privilege_name (service->type, privilege->id);
      g_autofree char *fallback = NULL;

      if (name == NULL)
        name = fallback = g_strdup_printf ("%u", privilege->id);

      if (privilege->value == 0)
        {
          ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                              AK_TOKEN_SERVER_ASPECT_PRIVILEGES,
                                              _("The privilege “%s” has lifetime 0, which Agora's "
                                                "own parser shows as expired at the issue "
                                                "time."), name);
          problems++;
        }
      else if ((guint64) privilege->value + AK_TOKEN_SERVER_EXPIRE_TOLERANCE < token_expire)
        {
          g_autofree char *privilege_words = format_lifetime (privilege->value);
          g_autofree char *token_words = format_lifetime (token_expire);

          ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                              AK_TOKEN_SERVER_ASPECT_PRIVILEGES,
                                              _("The privilege “%s” ends after %s, before the "
                                                "token, which lasts %s: the user loses it "
                                                "early."), name, privilege_words, token_words);
          problems++;
        }
    }

  if (problems == 0 && service->privileges->len > 0)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK,
                                        AK_TOKEN_SERVER_ASPECT_PRIVILEGES,
                                        _("Every privilege lasts as long as the token."));
}

static void
compare_clock (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  gint64 skew = (gint64) ak_token_get_issue_ts (result->token) - ak_clock_now_unix ();
  g_autofree char *words = format_lifetime ((guint64) ABS (skew));

  if (skew > AK_TOKEN_SERVER_CLOCK_TOLERANCE)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                        AK_TOKEN_SERVER_ASPECT_CLOCK,
                                        _("The token was issued %s in the future by this "
                                          "computer's clock: the server's clock (or this one) is "
                                          "wrong."), words);
  else if (skew < -AK_TOKEN_SERVER_CLOCK_TOLERANCE)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                        AK_TOKEN_SERVER_ASPECT_CLOCK,
                                        _("The token was issued %s ago by this computer's clock, "
                                          "so it expires that much sooner than asked: check the "
                                          "server's clock."), words);
}

void
ak_token_server_compare_grants (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  const AkService *service;

  if (ak_token_get_version (result->token) != AK_TOKEN_VERSION_007)
    {
      /* 006 has no services to compare; its channel and uid went into the signature check. */
      ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_WARNING,
                                          AK_TOKEN_SERVER_ASPECT_TOKEN,
                                          _("The server issued a legacy 006 token; "
                                            "agora-token-service issues AccessToken2 (007) "
                                            "tokens."));
      return;
    }

  service = compare_services (op);
  if (service != NULL)
    {
      switch (op->query.token_type)
        {
        case AK_TOKEN_SERVER_TOKEN_RTM:
          compare_rtm (op, service);
          break;
        case AK_TOKEN_SERVER_TOKEN_CHAT:
          compare_chat (op, service);
          break;
        case AK_TOKEN_SERVER_TOKEN_RTC:
        default:
          compare_rtc (op, service);
          break;
        }
    }
  compare_expiry (op);
  if (service != NULL)
    compare_privilege_expiries (op, service);
  compare_clock (op);
}
