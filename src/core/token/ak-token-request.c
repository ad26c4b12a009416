/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-clock.h"
#include "ak-error.h"
#include "ak-secret.h"
#include "ak-token-request.h"
#include "ak-token.h"

#define AK_006_DEFAULT_LIFETIME 86400

typedef struct
{
  const char *label;
  const char *description;
  AkBuilder uid_builder;
  AkBuilder account_builder;
  AkTokenField fields;
} KindInfo;

#define RTC_FIELDS (AK_TOKEN_FIELD_CHANNEL | AK_TOKEN_FIELD_EXPIRE)

static const KindInfo kinds[AK_N_TOKEN_KINDS] = {
  [AK_TOKEN_KIND_RTC] = {
    N_("RTC"), N_("Join a channel, and publish unless the role is subscriber"),
    AK_BUILDER_RTC_UID, AK_BUILDER_RTC_ACCOUNT,
    RTC_FIELDS | AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_ROLE
    | AK_TOKEN_FIELD_PRIVILEGE_EXPIRE },
  [AK_TOKEN_KIND_RTC_RTM] = {
    N_("RTC + RTM"), N_("RTC and RTM (Signaling) in one token for a user account"),
    AK_BUILDER_RTC_RTM, AK_BUILDER_RTC_RTM,
    RTC_FIELDS | AK_TOKEN_FIELD_ACCOUNT | AK_TOKEN_FIELD_ROLE | AK_TOKEN_FIELD_PRIVILEGE_EXPIRE },
  [AK_TOKEN_KIND_RTM] = {
    N_("RTM"), N_("RTM (Signaling) login"), AK_BUILDER_RTM, AK_BUILDER_RTM,
    AK_TOKEN_FIELD_USER_ID | AK_TOKEN_FIELD_EXPIRE },
  [AK_TOKEN_KIND_CHAT_USER] = {
    N_("Chat user"), N_("Chat SDK login for one user"), AK_BUILDER_CHAT_USER,
    AK_BUILDER_CHAT_USER, AK_TOKEN_FIELD_USER_ID | AK_TOKEN_FIELD_EXPIRE },
  [AK_TOKEN_KIND_CHAT_APP] = {
    N_("Chat app"), N_("Chat REST API calls (the Bearer token)"), AK_BUILDER_CHAT_APP,
    AK_BUILDER_CHAT_APP, AK_TOKEN_FIELD_EXPIRE },
  [AK_TOKEN_KIND_CONVOAI] = {
    N_("Conversational AI agent"),
    N_("For an agent of the Conversational AI Engine: RTC, RTM and the ConvoAI service"),
    AK_BUILDER_CONVOAI, AK_BUILDER_CONVOAI,
    RTC_FIELDS | AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_ROLE
    | AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE | AK_TOKEN_FIELD_RTM_USER_ID
    | AK_TOKEN_FIELD_RTM_EXPIRE },
  [AK_TOKEN_KIND_STT] = {
    N_("Real-time STT"),
    N_("For a Real-time STT (speech-to-text) agent: RTC, RTM and the STT service"),
    AK_BUILDER_STT, AK_BUILDER_STT,
    RTC_FIELDS | AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_ROLE
    | AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE | AK_TOKEN_FIELD_RTM_USER_ID
    | AK_TOKEN_FIELD_RTM_EXPIRE },
  [AK_TOKEN_KIND_RTC_PRIVILEGES] = {
    N_("RTC, expiry per privilege"), N_("Join and each kind of publishing expire separately"),
    AK_BUILDER_RTC_UID_PRIVILEGE, AK_BUILDER_RTC_ACCOUNT_PRIVILEGE,
    RTC_FIELDS | AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE },
  [AK_TOKEN_KIND_RTC_RTM2] = {
    N_("RTC + RTM, separate users"), N_("RTC for an account and RTM for another user ID"),
    AK_BUILDER_RTC_RTM2, AK_BUILDER_RTC_RTM2,
    RTC_FIELDS | AK_TOKEN_FIELD_ACCOUNT | AK_TOKEN_FIELD_ROLE
    | AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE | AK_TOKEN_FIELD_RTM_USER_ID
    | AK_TOKEN_FIELD_RTM_EXPIRE },
  [AK_TOKEN_KIND_RTM_PERMISSIONS] = {
    N_("RTM with permissions"), N_("RTM login limited to channels, groups and users"),
    AK_BUILDER_RTM_PERMISSIONS, AK_BUILDER_RTM_PERMISSIONS,
    AK_TOKEN_FIELD_USER_ID | AK_TOKEN_FIELD_PERMISSIONS | AK_TOKEN_FIELD_EXPIRE },
  [AK_TOKEN_KIND_FPA] = {
    N_("FPA"), N_("Fusion Protocol Acceleration; the official builder fixes 24 h"),
    AK_BUILDER_FPA, AK_BUILDER_FPA, 0 },
  [AK_TOKEN_KIND_APAAS_ROOM_USER] = {
    N_("Flexible Classroom: room user"), N_("A user in a room, with RTM and Chat"),
    AK_BUILDER_APAAS_ROOM_USER, AK_BUILDER_APAAS_ROOM_USER,
    AK_TOKEN_FIELD_ROOM_UUID | AK_TOKEN_FIELD_USER_UUID | AK_TOKEN_FIELD_APAAS_ROLE
    | AK_TOKEN_FIELD_EXPIRE },
  [AK_TOKEN_KIND_APAAS_USER] = {
    N_("Flexible Classroom: user"), N_("A user outside any room"), AK_BUILDER_APAAS_USER,
    AK_BUILDER_APAAS_USER, AK_TOKEN_FIELD_USER_UUID | AK_TOKEN_FIELD_EXPIRE },
  [AK_TOKEN_KIND_APAAS_APP] = {
    N_("Flexible Classroom: app"), N_("The app itself, for server calls"),
    AK_BUILDER_APAAS_APP, AK_BUILDER_APAAS_APP, AK_TOKEN_FIELD_EXPIRE },
  [AK_TOKEN_KIND_RTC006] = {
    N_("Legacy 006 RTC"), N_("The older AccessToken format"), AK_BUILDER_RTC006_UID,
    AK_BUILDER_RTC006_ACCOUNT,
    RTC_FIELDS | AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_ROLE },
  [AK_TOKEN_KIND_RTM006] = {
    N_("Legacy 006 RTM"), N_("The older AccessToken format, for RTM"), AK_BUILDER_RTM006,
    AK_BUILDER_RTM006, AK_TOKEN_FIELD_USER_ID | AK_TOKEN_FIELD_EXPIRE },
  /* What agora-token-service gives for RTM with a channel: built from its services, as no
   * official builder makes it. */
  [AK_TOKEN_KIND_RTM_STREAM] = {
    N_("RTM with a stream channel"),
    N_("RTM login, and joining one channel to send data streams there as the same user"),
    AK_BUILDER_RAW007, AK_BUILDER_RAW007,
    AK_TOKEN_FIELD_CHANNEL | AK_TOKEN_FIELD_USER_ID | AK_TOKEN_FIELD_EXPIRE },
};

/* Names for the command line and specs; the education builders make the same bytes as the
 * APaaS ones, so their names are aliases. */
static const struct
{
  const char *name;
  const char *aliases[2];
} kind_names[AK_N_TOKEN_KINDS] = {
  [AK_TOKEN_KIND_RTC] = { "rtc", { NULL } },
  [AK_TOKEN_KIND_RTC_RTM] = { "rtc-rtm", { NULL } },
  [AK_TOKEN_KIND_RTM] = { "rtm", { NULL } },
  [AK_TOKEN_KIND_CHAT_USER] = { "chat-user", { NULL } },
  [AK_TOKEN_KIND_CHAT_APP] = { "chat-app", { NULL } },
  [AK_TOKEN_KIND_CONVOAI] = { "convoai", { NULL } },
  [AK_TOKEN_KIND_STT] = { "stt", { NULL } },
  [AK_TOKEN_KIND_RTC_PRIVILEGES] = { "rtc-privileges", { NULL } },
  [AK_TOKEN_KIND_RTC_RTM2] = { "rtc-rtm2", { NULL } },
  [AK_TOKEN_KIND_RTM_PERMISSIONS] = { "rtm-permissions", { NULL } },
  [AK_TOKEN_KIND_FPA] = { "fpa", { NULL } },
  [AK_TOKEN_KIND_APAAS_ROOM_USER] = { "apaas-room-user", { "education-room-user", NULL } },
  [AK_TOKEN_KIND_APAAS_USER] = { "apaas-user", { "education-user", NULL } },
  [AK_TOKEN_KIND_APAAS_APP] = { "apaas-app", { "education-app", NULL } },
  [AK_TOKEN_KIND_RTC006] = { "rtc006", { NULL } },
  [AK_TOKEN_KIND_RTM006] = { "rtm006", { NULL } },
  [AK_TOKEN_KIND_RTM_STREAM] = { "rtm-stream", { NULL } },
};

/* -1: random salts, as outside tests. */
static gint64 salt_for_testing = -1;

const char *
ak_token_kind_get_label (AkTokenKind kind)
{
  g_return_val_if_fail (kind < AK_N_TOKEN_KINDS, NULL);
  return _(kinds[kind].label);
}

const char *
ak_token_kind_get_description (AkTokenKind kind)
{
  g_return_val_if_fail (kind < AK_N_TOKEN_KINDS, NULL);
  return _(kinds[kind].description);
}

AkTokenField
ak_token_kind_get_fields (AkTokenKind kind)
{
  g_return_val_if_fail (kind < AK_N_TOKEN_KINDS, 0);
  return kinds[kind].fields;
}

AkBuilder
ak_token_kind_get_builder (AkTokenKind kind,
                           gboolean    use_account)
{
  g_return_val_if_fail (kind < AK_N_TOKEN_KINDS, AK_BUILDER_RAW007);
  return use_account ? kinds[kind].account_builder : kinds[kind].uid_builder;
}

const char *
ak_token_kind_get_name (AkTokenKind kind)
{
  g_return_val_if_fail (kind < AK_N_TOKEN_KINDS, NULL);
  return kind_names[kind].name;
}

const char * const *
ak_token_kind_get_aliases (AkTokenKind kind)
{
  g_return_val_if_fail (kind < AK_N_TOKEN_KINDS, NULL);
  return (const char * const *) kind_names[kind].aliases;
}

gboolean
ak_token_kind_from_name (const char  *name,
                         AkTokenKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < AK_N_TOKEN_KINDS; i++)
    if (g_str_equal (name, kind_names[i].name)
        || g_strv_contains ((const char * const *) kind_names[i].aliases, name))
      {
        *kind = (AkTokenKind) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
require_text (const char  *value,
              const char  *message,
              GError     **error)
{
  if (value != NULL && *value != '\0')
    return TRUE;
  g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT, message);
  return FALSE;
}

/* rtc_rtm2 and the agent builders name their RTC inputs rtc_account, rtc_role and
 * rtc_token_expire; the agent builders take an integer uid as rtc_account too. */
static gboolean
uses_rtc_prefix (AkBuilder builder)
{
  return builder == AK_BUILDER_RTC_RTM2 || builder == AK_BUILDER_CONVOAI
         || builder == AK_BUILDER_STT;
}

static const char * const privilege_inputs[4] = {
  "join_channel_privilege_expire",
  "pub_audio_privilege_expire",
  "pub_video_privilege_expire",
  "pub_data_stream_privilege_expire",
};

/* @first_id, its lifetime, the next id, its lifetime, …, 0 */
static JsonNode *
privileges_node (guint first_id,
                 ...)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;
  va_list args;

  va_start (args, first_id);
  for (guint id = first_id; id != 0; id = va_arg (args, guint))
    {
      g_autofree char *key = g_strdup_printf ("%u", id);

      json_object_set_int_member (object, key, va_arg (args, guint32));
    }
  va_end (args);
  node = json_node_init_object (json_node_alloc (), object);
  /* The node holds its own reference. */
  json_object_unref (object);
  return node;
}

/* RTM login for the user ID, and RTC join and data streams in the channel under the same name
 * as a string uid: the services agora-token-service puts in its RTM tokens for a channel. */
static JsonObject *
rtm_stream_inputs (const AkTokenRequest  *request,
                   gint64                 now,
                   JsonObject            *inputs,
                   GError               **error)
{
  g_autoptr(JsonObject) owned = inputs;
  JsonArray *services;
  JsonObject *rtc;
  JsonObject *rtm;

  if (!require_text (request->channel, _("Enter the channel name."), error)
      || !require_text (request->user_id, _("Enter the user ID."), error))
    return NULL;

  services = json_array_new ();
  rtc = json_object_new ();
  json_object_set_int_member (rtc, "type", AK_SERVICE_RTC);
  json_object_set_string_member (rtc, "channel_name", request->channel);
  json_object_set_string_member (rtc, "uid", request->user_id);
  json_object_set_member (rtc, "privileges",
                          privileges_node (AK_PRIV_RTC_JOIN_CHANNEL, request->expire,
                                           (guint) AK_PRIV_RTC_PUBLISH_DATA, request->expire,
                                           0u));
  rtm = json_object_new ();
  json_object_set_int_member (rtm, "type", AK_SERVICE_RTM);
  json_object_set_string_member (rtm, "user_id", request->user_id);
  json_object_set_member (rtm, "privileges",
                          privileges_node (AK_PRIV_RTM_LOGIN, request->expire, 0u));
  json_array_add_object_element (services, rtc);
  json_array_add_object_element (services, rtm);

  json_object_set_int_member (owned, "issue_ts", now);
  json_object_set_int_member (owned, "expire", request->expire);
  json_object_set_array_member (owned, "services", services);
  return g_steal_pointer (&owned);
}

/* The inputs that name who and where: channel, uid or account, role, user IDs, rooms and
 * RTM2 permissions, as @fields asks. */
static gboolean
set_identity_inputs (const AkTokenRequest  *request,
                     AkTokenField           fields,
                     gboolean               account,
                     AkBuilder              builder,
                     JsonObject            *inputs,
                     GError               **error)
{
  if (fields & AK_TOKEN_FIELD_CHANNEL)
    {
      if (!require_text (request->channel, _("Enter the channel name."), error))
        return FALSE;
      json_object_set_string_member (inputs, "channel_name", request->channel);
    }

  if (fields & (AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_ACCOUNT))
    {
      if (!account)
        json_object_set_int_member (inputs, uses_rtc_prefix (builder) ? "rtc_account" : "uid",
                                    request->uid);
      else if (!require_text (request->account, _("Enter the user account."), error))
        return FALSE;
      else
        json_object_set_string_member (inputs,
                                       uses_rtc_prefix (builder) ? "rtc_account" : "account",
                                       request->account);
    }

  if (fields & AK_TOKEN_FIELD_ROLE)
    json_object_set_int_member (inputs, uses_rtc_prefix (builder) ? "rtc_role" : "role",
                                request->role);

  if (fields & AK_TOKEN_FIELD_USER_ID)
    {
      if (!require_text (request->user_id, _("Enter the user ID."), error))
        return FALSE;
      json_object_set_string_member (inputs,
                                     builder == AK_BUILDER_RTM006 ? "user_account" : "user_id",
                                     request->user_id);
    }

  if (fields & AK_TOKEN_FIELD_RTM_USER_ID)
    {
      if (!require_text (request->rtm_user_id, _("Enter the RTM user ID."), error))
        return FALSE;
      json_object_set_string_member (inputs, "rtm_user_id", request->rtm_user_id);
    }

  if (fields & AK_TOKEN_FIELD_ROOM_UUID)
    {
      if (!require_text (request->room_uuid, _("Enter the room UUID."), error))
        return FALSE;
      json_object_set_string_member (inputs, "room_uuid", request->room_uuid);
    }
  if (fields & AK_TOKEN_FIELD_USER_UUID)
    {
      if (!require_text (request->user_uuid, _("Enter the user UUID."), error))
        return FALSE;
      json_object_set_string_member (inputs, "user_uuid", request->user_uuid);
    }
  if (fields & AK_TOKEN_FIELD_APAAS_ROLE)
    json_object_set_int_member (inputs, "role", request->apaas_role);

  if (fields & AK_TOKEN_FIELD_PERMISSIONS)
    {
      JsonNode *permissions = ak_rtm_permissions_parse (request->permissions, error);

      if (permissions == NULL)
        return FALSE;
      json_object_set_member (inputs, "permissions", permissions);
    }

  return TRUE;
}

/**
 * ak_token_request_to_inputs:
 * @builder: (out): the builder to call
 *
 * Returns: (transfer full): the inputs for ak_build_token(), or %NULL with @error set
 *   (%AK_ERROR_INVALID_INPUT) when a field the kind needs is missing
 */
JsonObject *
ak_token_request_to_inputs (const AkTokenRequest  *request,
                            gint64                 now,
                            AkBuilder             *builder,
                            GError               **error)
{
  g_autoptr(JsonObject) inputs = json_object_new ();
  AkTokenField fields;
  gboolean account;

  g_return_val_if_fail (request != NULL && request->kind < AK_N_TOKEN_KINDS, NULL);

  if (request->issue_ts != 0)
    now = request->issue_ts;
  fields = kinds[request->kind].fields;
  account = (fields & AK_TOKEN_FIELD_ACCOUNT)
            || ((fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT) && request->use_account);
  *builder = ak_token_kind_get_builder (request->kind, account);

  json_object_set_string_member (inputs, "app_id", request->app_id != NULL ? request->app_id : "");
  if (request->app_certificate != NULL)
    json_object_set_string_member (inputs, "app_certificate", request->app_certificate);
  if (request->fixed_salt)
    json_object_set_int_member (inputs, "salt", request->salt);
  else if (salt_for_testing >= 0)
    json_object_set_int_member (inputs, "salt", salt_for_testing);

  if (request->kind == AK_TOKEN_KIND_RTM_STREAM)
    return rtm_stream_inputs (request, now, g_steal_pointer (&inputs), error);

  if (!set_identity_inputs (request, fields, account, *builder, inputs, error))
    return NULL;

  if (ak_builder_is_006 (*builder))
    {
      gint64 privilege_ts = request->never_expire ? 0 : now + request->expire;

      if (privilege_ts > G_MAXUINT32)
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("A 006 token cannot store times after the year 2106; choose a "
                                 "shorter lifetime."));
          return NULL;
        }
      json_object_set_int_member (inputs, "privilege_expire_ts", privilege_ts);
      json_object_set_int_member (inputs, "ts",
                                  request->ts != 0 ? request->ts
                                  : MIN (now + AK_006_DEFAULT_LIFETIME, G_MAXUINT32));
      return g_steal_pointer (&inputs);
    }

  json_object_set_int_member (inputs, "issue_ts", now);
  if (fields & AK_TOKEN_FIELD_EXPIRE)
    json_object_set_int_member (inputs,
                                uses_rtc_prefix (*builder) ? "rtc_token_expire"
                                : (fields & AK_TOKEN_FIELD_CHANNEL) ? "token_expire" : "expire",
                                request->expire);
  if (fields & AK_TOKEN_FIELD_PRIVILEGE_EXPIRE)
    json_object_set_int_member (inputs, "privilege_expire", request->privilege_expire);
  if (fields & AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE)
    for (guint i = 0; i < G_N_ELEMENTS (privilege_inputs); i++)
      json_object_set_int_member (inputs, privilege_inputs[i], request->each_privilege_expire[i]);
  if (fields & AK_TOKEN_FIELD_RTM_EXPIRE)
    json_object_set_int_member (inputs, "rtm_token_expire", request->rtm_expire);

  return g_steal_pointer (&inputs);
}

/**
 * ak_token_request_build:
 *
 * Returns: (transfer full): the token and its warnings, or %NULL with @error set
 */
AkBuildResult *
ak_token_request_build (const AkTokenRequest  *request,
                        GError               **error)
{
  g_autoptr(JsonObject) inputs = NULL;
  AkBuildResult *result;
  JsonNode *certificate;
  AkBuilder builder;

  g_return_val_if_fail (request != NULL, NULL);

  inputs = ak_token_request_to_inputs (request, ak_clock_now_unix (), &builder, error);
  if (inputs == NULL)
    return NULL;
  result = ak_build_token (builder, inputs, error);

  /* json-glib keeps its own copy of the certificate: wipe it before it is freed. */
  certificate = json_object_get_member (inputs, "app_certificate");
  if (certificate != NULL && json_node_get_value_type (certificate) == G_TYPE_STRING)
    {
      char *copy = (char *) json_node_get_string (certificate);

      ak_secret_wipe_string (copy);
    }
  return result;
}

void
ak_token_request_set_salt_for_testing (gboolean fixed,
                                       guint32  salt)
{
  salt_for_testing = fixed ? (gint64) salt : -1;
}
