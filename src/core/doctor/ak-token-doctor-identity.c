/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-token-doctor-private.h"

/* Agora's documented channel name limit, in bytes. */
#define CHANNEL_MAX_BYTES 64

/* Whether the token names the channel, uid, user, services and role the client used. */

static gboolean
channel_char_allowed (guchar c)
{
  /* Agora's 89 characters: letters, digits, space and these. */
  return g_ascii_isalnum (c) || (c != '\0' && strchr (" !#$%&()+-:;<=.>?@[]^_{}|~,", c) != NULL);
}

static void
check_channel_rules (Doctor     *doctor,
                     const char *channel,
                     const char *whose)
{
  AkDoctorFinding *finding;
  gsize length = strlen (channel);

  if (length > CHANNEL_MAX_BYTES)
    {
      g_autofree char *bytes = g_strdup_printf ("%zu", length);

      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_CHANNEL_TOO_LONG, AK_DOCTOR_SEVERITY_EXPLAINS,
                               g_strdup_printf (_("The %s channel name is %zu bytes long; Agora "
                                                  "allows at most 64."), whose, length),
                               _("Use a shorter channel name (64 bytes at most)."));
      ak_doctor_finding_add_evidence (finding, _("Channel length"), bytes, "64");
      return;
    }
  for (gsize i = 0; i < length; i++)
    if (!channel_char_allowed ((guchar) channel[i]))
      {
        g_autofree char *position = g_strdup_printf ("%zu", i + 1);

        finding =
          ak_doctor_add_finding (doctor, AK_DOCTOR_CHANNEL_INVALID_CHARACTERS,
                                 AK_DOCTOR_SEVERITY_EXPLAINS,
                                 g_strdup_printf (_("The %s channel name has a character Agora "
                                                    "does not allow, at byte %zu: only ASCII "
                                                    "letters, digits, space and "
                                                    "!#$%%&()+-:;<=.>?@[]^_{}|~, are allowed."),
                                                  whose, i + 1),
                                 _("Use only the allowed characters in channel names."));
        ak_doctor_finding_add_evidence (finding, _("Channel byte"), position, NULL);
        return;
      }
}

void
ak_doctor_check_channel (Doctor *doctor)
{
  const char *used = doctor->input->channel;
  const char *in_token;
  const char *id;
  AkDoctorFinding *finding;
  char *verdict;

  if (doctor->rtc == NULL || doctor->rtc->channel_name == NULL)
    return;
  in_token = doctor->rtc->channel_name;
  if (used == NULL || g_str_equal (used, in_token))
    {
      check_channel_rules (doctor, in_token, _("token's"));
      return;
    }

  {
    g_autofree char *used_stripped = g_strstrip (g_strdup (used));
    g_autofree char *token_stripped = g_strstrip (g_strdup (in_token));
    g_autofree char *used_fold = g_utf8_casefold (used, -1);
    g_autofree char *token_fold = g_utf8_casefold (in_token, -1);
    g_autofree char *used_nfc = g_utf8_normalize (used, -1, G_NORMALIZE_NFC);
    g_autofree char *token_nfc = g_utf8_normalize (in_token, -1, G_NORMALIZE_NFC);

    if (g_str_equal (used_stripped, token_stripped))
      {
        id = AK_DOCTOR_CHANNEL_WHITESPACE;
        verdict = g_strdup (_("The channel names differ only in spaces at the start or end: "
                              "the server compares them byte for byte."));
      }
    else if (used_nfc != NULL && token_nfc != NULL && g_str_equal (used_nfc, token_nfc))
      {
        id = AK_DOCTOR_CHANNEL_NORMALIZATION;
        verdict = g_strdup (_("The channel names look the same but are written with different "
                              "Unicode forms (composed NFC vs decomposed NFD): the server "
                              "compares bytes."));
      }
    else if (g_str_equal (used_fold, token_fold))
      {
        id = AK_DOCTOR_CHANNEL_CASE;
        verdict = g_strdup (_("The channel names differ only in upper and lower case: channel "
                              "names are case-sensitive."));
      }
    else
      {
        id = AK_DOCTOR_CHANNEL_MISMATCH;
        verdict = g_strdup (_("The token was made for another channel than the one the client "
                              "joined."));
      }
  }
  finding =
    ak_doctor_add_finding (doctor, id, AK_DOCTOR_SEVERITY_EXPLAINS, verdict,
                           _("Join the exact channel name the token was made for, or build the "
                             "token for the channel joined."));
  ak_doctor_add_evidence_and_regenerate (doctor, finding, _("Channel"), in_token, used);

  /* The difference comes first; a name the server refuses anyway comes after it. */
  check_channel_rules (doctor, in_token, _("token's"));
  if (!ak_doctor_has_finding (doctor, AK_DOCTOR_CHANNEL_TOO_LONG)
      && !ak_doctor_has_finding (doctor, AK_DOCTOR_CHANNEL_INVALID_CHARACTERS))
    check_channel_rules (doctor, used, _("client's"));
}

gboolean
ak_doctor_is_decimal_uid (const char *text)
{
  guint64 value;

  if (text[0] == '\0' || (text[0] == '0' && text[1] != '\0'))
    return FALSE;
  return g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL);
}

void
ak_doctor_check_uid (Doctor *doctor)
{
  const AkDoctorInput *input = doctor->input;
  const char *in_token;
  const char *used = doctor->client_uid;
  AkDoctorFinding *finding;
  g_autofree char *used_text = NULL;

  if (doctor->rtc == NULL || doctor->rtc->uid == NULL)
    return;
  if (input->product != AK_DOCTOR_PRODUCT_RTC && input->product != AK_DOCTOR_PRODUCT_ANY)
    return;
  in_token = doctor->rtc->uid;

  if (in_token[0] == '\0')
    {
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_UID_ZERO, AK_DOCTOR_SEVERITY_INFO,
                               g_strdup (_("The token was made for uid 0: it is stored empty and "
                                           "lets a client join with any integer uid. A string "
                                           "account “0” would be a different token.")),
                               _("Nothing to fix, unless each user should need a token of "
                                 "their own."));
      ak_doctor_finding_add_evidence (finding, _("UID"), _("(empty: uid 0)"), used);
      return;
    }
  if (used == NULL)
    return;

  used_text = input->has_uid ? g_strdup_printf (_("integer uid %u"), input->uid)
                             : g_strdup_printf (_("account “%s”"), input->account);

  if (input->has_uid && input->uid == 0)
    {
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
                               g_strdup (_("The client joined with uid 0, which asks the server "
                                           "to pick a uid, but the token was made for one "
                                           "particular uid.")),
                               _("Join with the uid the token was made for, or build the token "
                                 "with uid 0 so that any uid may use it."));
      ak_doctor_add_evidence_and_regenerate (doctor, finding, _("UID"), in_token, used_text);
      return;
    }

  if (g_str_equal (in_token, used))
    {
      if (!input->has_uid && ak_doctor_is_decimal_uid (used))
        {
          g_autofree char *as_uid = g_strdup_printf (_("integer uid %s"), used);

          finding =
            ak_doctor_add_finding (doctor, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_SEVERITY_WARNING,
                                   g_strdup_printf (_("The client joins with the string account "
                                                      "“%s”, which looks like an integer uid: "
                                                      "the SDK maps an account to another "
                                                      "integer uid, so users joining with "
                                                      "integer uid %s are someone else."),
                                                    used, used),
                                   _("Use one kind of identity in the whole app: integer uids "
                                     "with joinChannel, or accounts with "
                                     "joinChannelWithUserAccount, and build tokens the same "
                                     "way."));
          ak_doctor_finding_add_evidence (finding, _("UID"), in_token, as_uid);
        }
      return;
    }

  if (input->has_uid && !ak_doctor_is_decimal_uid (in_token))
    {
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_SEVERITY_EXPLAINS,
                               g_strdup_printf (_("The token was made for the string account "
                                                  "“%s”, but the client joined with an integer "
                                                  "uid."), in_token),
                               _("Join with joinChannelWithUserAccount and this account, or build "
                                 "the token with the integer uid."));
    }
  else
    finding =
      ak_doctor_add_finding (doctor, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup (_("The token was made for another uid or account than the "
                                         "one the client joined with.")),
                             _("Join with the uid or account the token was made for, or build "
                               "the token for the one the client uses."));
  ak_doctor_add_evidence_and_regenerate (doctor, finding, _("UID"), in_token, used_text);
}

void
ak_doctor_check_user_id (Doctor *doctor)
{
  const AkDoctorInput *input = doctor->input;
  const AkService *service = NULL;
  AkDoctorFinding *finding;

  if (input->product == AK_DOCTOR_PRODUCT_RTM)
    service = doctor->rtm;
  else if (input->product == AK_DOCTOR_PRODUCT_CHAT)
    service = doctor->chat;
  if (service == NULL || service->user_id == NULL || input->has_uid || input->account == NULL)
    return;
  if (service->user_id[0] == '\0' || g_str_equal (service->user_id, input->account))
    return;

  finding =
    ak_doctor_add_finding (doctor, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
                           g_strdup (_("The token was made for another user ID than the one the "
                                       "client logged in with.")),
                           _("Log in with the user ID the token was made for, or build the token "
                             "for this user."));
  ak_doctor_add_evidence_and_regenerate (doctor, finding, _("User ID"), service->user_id,
                                         input->account);
}

void
ak_doctor_check_service (Doctor *doctor)
{
  const AkDoctorInput *input = doctor->input;
  gboolean is_006 = ak_token_get_version (doctor->token) == AK_TOKEN_VERSION_006;
  AkDoctorFinding *finding = NULL;
  const char *needed = NULL;
  gboolean present = TRUE;

  switch (input->product)
    {
    case AK_DOCTOR_PRODUCT_RTC:
    case AK_DOCTOR_PRODUCT_CONVOAI:
    case AK_DOCTOR_PRODUCT_STT:
      needed = "RTC";
      present = is_006 ? ak_doctor_has_privilege_006 (doctor, AK_PRIV006_JOIN_CHANNEL)
                       : doctor->rtc != NULL;
      break;
    case AK_DOCTOR_PRODUCT_RTM:
      needed = "RTM";
      present = is_006 ? ak_doctor_has_privilege_006 (doctor, AK_PRIV006_RTM_LOGIN)
                       : doctor->rtm != NULL;
      break;
    case AK_DOCTOR_PRODUCT_CHAT:
      needed = "Chat";
      present = !is_006 && doctor->chat != NULL;
      break;
    case AK_DOCTOR_PRODUCT_ANY:
    default:
      return;
    }

  if (!present)
    {
      GString *has = g_string_new (NULL);

      if (is_006)
        g_string_append (has, ak_doctor_has_privilege_006 (doctor, AK_PRIV006_RTM_LOGIN) ? "RTM "
                                                                                           "(006)"
                                                                               : "RTC (006)");
      for (guint i = 0; !is_006 && i < ak_token_get_n_services (doctor->token); i++)
        {
          const char *name = ak_service_type_to_name (ak_token_get_service (doctor->token,
                                                                            i)->type);

          g_string_append_printf (has, "%s%s", has->len > 0 ? ", " : "", name ? name : "?");
        }
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_SEVERITY_EXPLAINS,
                               g_strdup_printf (_("The token has no %s privileges, which %s "
                                                  "needs: it was made for another product "
                                                  "(an RTC token used for Signaling, a Signaling "
                                                  "token for RTC, a Console temporary token for "
                                                  "Signaling, …)."), needed,
                                                ak_doctor_product_to_name (input->product)),
                               _("Build the token with the builder for this product."));
      ak_doctor_finding_add_evidence (finding, _("Services"), has->str, needed);
      g_string_free (has, TRUE);
      ak_doctor_set_regenerate (doctor, finding, ak_doctor_regenerate_kind (doctor));
      return;
    }

  if (input->product == AK_DOCTOR_PRODUCT_CHAT && doctor->chat->user_id != NULL)
    {
      gboolean app_token = doctor->chat->user_id[0] == '\0';
      gboolean wants_user = !input->has_uid && input->account != NULL;

      if (!app_token && !wants_user)
        {
          finding =
            ak_doctor_add_finding (doctor, AK_DOCTOR_CHAT_USER_TOKEN_AS_APP,
                                   AK_DOCTOR_SEVERITY_EXPLAINS,
                                   g_strdup_printf (_("This is a Chat user token (for “%s”), "
                                                      "used where an app token is needed: Chat "
                                                      "REST calls need an app token."),
                                                    doctor->chat->user_id),
                                   _("Build a Chat app token for REST calls; keep user tokens for "
                                     "SDK logins."));
          ak_doctor_finding_add_evidence (finding, _("Chat token"), _("user"), _("app"));
          ak_doctor_set_regenerate (doctor, finding, AK_TOKEN_KIND_CHAT_APP);
        }
      else if (app_token && wants_user)
        {
          finding =
            ak_doctor_add_finding (doctor, AK_DOCTOR_CHAT_APP_TOKEN_AS_USER,
                                   AK_DOCTOR_SEVERITY_EXPLAINS,
                                   g_strdup (_("This is a Chat app token, used to log a user "
                                               "in: SDK logins need a user token for that "
                                               "user.")),
                                   _("Build a Chat user token for this user ID."));
          ak_doctor_finding_add_evidence (finding, _("Chat token"), _("app"), _("user"));
          ak_doctor_set_regenerate (doctor, finding, AK_TOKEN_KIND_CHAT_USER);
        }
    }
}

void
ak_doctor_check_role (Doctor *doctor)
{
  gboolean is_006 = ak_token_get_version (doctor->token) == AK_TOKEN_VERSION_006;
  gboolean audio, video;
  AkDoctorFinding *finding;

  if (doctor->input->role != AK_DOCTOR_ROLE_PUBLISHER)
    return;
  if (is_006)
    {
      audio = ak_doctor_has_privilege_006 (doctor, AK_PRIV006_PUBLISH_AUDIO);
      video = ak_doctor_has_privilege_006 (doctor, AK_PRIV006_PUBLISH_VIDEO);
    }
  else if (doctor->rtc != NULL)
    {
      audio = ak_service_get_privilege (doctor->rtc, AK_PRIV_RTC_PUBLISH_AUDIO, NULL);
      video = ak_service_get_privilege (doctor->rtc, AK_PRIV_RTC_PUBLISH_VIDEO, NULL);
    }
  else
    return;
  if (audio || video)
    return;

  finding =
    ak_doctor_add_finding (doctor, AK_DOCTOR_ROLE_NO_PUBLISH, AK_DOCTOR_SEVERITY_LIKELY,
                           g_strdup (_("The client publishes, but the token is a subscriber "
                                       "token: it has no publish privileges. With strict token "
                                       "permission (co-host authentication) on for the project, "
                                       "the server refuses to let it publish; without it, the "
                                       "role in the token is not enforced.")),
                           _("Build the token with the publisher role for clients that publish."));
  ak_doctor_add_evidence_and_regenerate (doctor, finding, _("Role"), _("subscriber (join only)"),
                                         _("publisher"));
}
