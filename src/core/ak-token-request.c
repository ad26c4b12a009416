/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-clock.h"
#include "ak-duration.h"
#include "ak-error.h"
#include "ak-secret.h"
#include "ak-token-request.h"
#include "ak-token.h"

#define AK_006_DEFAULT_LIFETIME 86400
#define AK_DEFAULT_EXPIRE 3600

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

static gboolean
parse_permission_part (const char *text,
                       gboolean    is_resource,
                       guint16    *value)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT16, &number, NULL))
    {
      *value = (guint16) number;
      return TRUE;
    }
  if (is_resource)
    return ak_rtm_resource_type_from_name (text, value);
  return ak_rtm_permission_type_from_name (text, value);
}

/**
 * ak_rtm_permissions_parse:
 * @text: "resource:permission:name" entries separated by commas, semicolons or new lines;
 *   resources and permissions by name (messageChannels, read, …) or number
 *
 * Returns: (transfer full): the `permissions` input of the rtm_permissions builder, keyed by
 *   number so that "messageChannels" and "0" end up in one list
 */
JsonNode *
ak_rtm_permissions_parse (const char  *text,
                          GError     **error)
{
  g_autoptr(JsonObject) by_resource = json_object_new ();
  g_auto(GStrv) entries = g_regex_split_simple ("[,;\\n]", text != NULL ? text : "", 0, 0);
  guint n = 0;

  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autofree char *entry = g_strstrip (g_strdup (entries[i]));
      g_auto(GStrv) parts = NULL;
      g_autofree char *resource_key = NULL;
      g_autofree char *permission_key = NULL;
      JsonObject *by_permission;
      JsonArray *names;
      guint16 resource;
      guint16 permission;

      if (*entry == '\0')
        continue;
      parts = g_strsplit (entry, ":", 3);
      if (g_strv_length (parts) != 3 || *g_strstrip (parts[2]) == '\0')
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not a permission: write resource:permission:name, for example "
                         "messageChannels:read:chan-a."),
                       entry);
          return NULL;
        }
      g_strstrip (parts[0]);
      g_strstrip (parts[1]);
      if (!parse_permission_part (parts[0], TRUE, &resource))
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not an RTM resource type: use messageChannels, "
                         "streamChannels, groupChannels, serverGroups, users or a number."),
                       parts[0]);
          return NULL;
        }
      if (!parse_permission_part (parts[1], FALSE, &permission))
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not an RTM permission: use read, write or a number."),
                       parts[1]);
          return NULL;
        }

      resource_key = g_strdup_printf ("%u", resource);
      permission_key = g_strdup_printf ("%u", permission);
      if (!json_object_has_member (by_resource, resource_key))
        json_object_set_object_member (by_resource, resource_key, json_object_new ());
      by_permission = json_object_get_object_member (by_resource, resource_key);
      if (!json_object_has_member (by_permission, permission_key))
        json_object_set_array_member (by_permission, permission_key, json_array_new ());
      names = json_object_get_array_member (by_permission, permission_key);
      json_array_add_string_element (names, parts[2]);
      n++;
    }

  if (n == 0)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("Add at least one permission, for example "
                             "messageChannels:read:chan-a."));
      return NULL;
    }
  return json_node_init_object (json_node_alloc (), by_resource);
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

  if (fields & AK_TOKEN_FIELD_CHANNEL)
    {
      if (!require_text (request->channel, _("Enter the channel name."), error))
        return NULL;
      json_object_set_string_member (inputs, "channel_name", request->channel);
    }

  if (fields & (AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_ACCOUNT))
    {
      if (!account)
        json_object_set_int_member (inputs, uses_rtc_prefix (*builder) ? "rtc_account" : "uid",
                                    request->uid);
      else if (!require_text (request->account, _("Enter the user account."), error))
        return NULL;
      else
        json_object_set_string_member (inputs,
                                       uses_rtc_prefix (*builder) ? "rtc_account" : "account",
                                       request->account);
    }

  if (fields & AK_TOKEN_FIELD_ROLE)
    json_object_set_int_member (inputs, uses_rtc_prefix (*builder) ? "rtc_role" : "role",
                                request->role);

  if (fields & AK_TOKEN_FIELD_USER_ID)
    {
      if (!require_text (request->user_id, _("Enter the user ID."), error))
        return NULL;
      json_object_set_string_member (inputs,
                                     *builder == AK_BUILDER_RTM006 ? "user_account" : "user_id",
                                     request->user_id);
    }

  if (fields & AK_TOKEN_FIELD_RTM_USER_ID)
    {
      if (!require_text (request->rtm_user_id, _("Enter the RTM user ID."), error))
        return NULL;
      json_object_set_string_member (inputs, "rtm_user_id", request->rtm_user_id);
    }

  if (fields & AK_TOKEN_FIELD_ROOM_UUID)
    {
      if (!require_text (request->room_uuid, _("Enter the room UUID."), error))
        return NULL;
      json_object_set_string_member (inputs, "room_uuid", request->room_uuid);
    }
  if (fields & AK_TOKEN_FIELD_USER_UUID)
    {
      if (!require_text (request->user_uuid, _("Enter the user UUID."), error))
        return NULL;
      json_object_set_string_member (inputs, "user_uuid", request->user_uuid);
    }
  if (fields & AK_TOKEN_FIELD_APAAS_ROLE)
    json_object_set_int_member (inputs, "role", request->apaas_role);

  if (fields & AK_TOKEN_FIELD_PERMISSIONS)
    {
      JsonNode *permissions = ak_rtm_permissions_parse (request->permissions, error);

      if (permissions == NULL)
        return NULL;
      json_object_set_member (inputs, "permissions", permissions);
    }

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

/* ---------------------------------------------------------------------------------------------
 * Requests as typed: flags and kind specs
 */

void
ak_token_request_text_clear (AkTokenRequestText *text)
{
  char **strings[] = {
    &text->kind, &text->app_id, &text->channel, &text->uid, &text->account, &text->role,
    &text->expire, &text->privilege_expire, &text->join_expire, &text->audio_expire,
    &text->video_expire, &text->data_expire, &text->user_id, &text->rtm_user_id,
    &text->rtm_expire, &text->room_uuid, &text->user_uuid, &text->apaas_role, &text->issue_ts,
    &text->ts, &text->salt, &text->joined_permissions,
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
  g_clear_pointer (&text->permissions, g_strfreev);
  text->never_expire = FALSE;
}

/* The text fields by name: a spec's members, and the flags without "--". */
static const struct
{
  const char *name;
  gsize offset;
} text_fields[] = {
  { "kind", G_STRUCT_OFFSET (AkTokenRequestText, kind) },
  { "app-id", G_STRUCT_OFFSET (AkTokenRequestText, app_id) },
  { "channel", G_STRUCT_OFFSET (AkTokenRequestText, channel) },
  { "uid", G_STRUCT_OFFSET (AkTokenRequestText, uid) },
  { "account", G_STRUCT_OFFSET (AkTokenRequestText, account) },
  { "role", G_STRUCT_OFFSET (AkTokenRequestText, role) },
  { "expire", G_STRUCT_OFFSET (AkTokenRequestText, expire) },
  { "privilege-expire", G_STRUCT_OFFSET (AkTokenRequestText, privilege_expire) },
  { "join-expire", G_STRUCT_OFFSET (AkTokenRequestText, join_expire) },
  { "audio-expire", G_STRUCT_OFFSET (AkTokenRequestText, audio_expire) },
  { "video-expire", G_STRUCT_OFFSET (AkTokenRequestText, video_expire) },
  { "data-expire", G_STRUCT_OFFSET (AkTokenRequestText, data_expire) },
  { "user-id", G_STRUCT_OFFSET (AkTokenRequestText, user_id) },
  { "rtm-user-id", G_STRUCT_OFFSET (AkTokenRequestText, rtm_user_id) },
  { "rtm-expire", G_STRUCT_OFFSET (AkTokenRequestText, rtm_expire) },
  { "room-uuid", G_STRUCT_OFFSET (AkTokenRequestText, room_uuid) },
  { "user-uuid", G_STRUCT_OFFSET (AkTokenRequestText, user_uuid) },
  { "apaas-role", G_STRUCT_OFFSET (AkTokenRequestText, apaas_role) },
  { "issue-ts", G_STRUCT_OFFSET (AkTokenRequestText, issue_ts) },
  { "ts", G_STRUCT_OFFSET (AkTokenRequestText, ts) },
  { "salt", G_STRUCT_OFFSET (AkTokenRequestText, salt) },
};

static gboolean
wrong_member_type (const char  *name,
                   const char  *expected,
                   GError     **error)
{
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("“%s” must be %s."), name, expected);
  return FALSE;
}

/* A string, or a whole number written as its digits. */
static char *
member_text (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

gboolean
ak_token_request_text_set_from_json (AkTokenRequestText  *text,
                                     JsonObject          *object,
                                     GError             **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (text != NULL && object != NULL, FALSE);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      gboolean known = FALSE;

      if (g_str_equal (name, "app-certificate"))
        continue;
      if (g_str_equal (name, "never-expire"))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            return wrong_member_type (name, _("true or false"), error);
          text->never_expire = json_node_get_boolean (node);
          continue;
        }
      if (g_str_equal (name, "permission") || g_str_equal (name, "permissions"))
        {
          g_autoptr(GStrvBuilder) entries = g_strv_builder_new ();

          if (JSON_NODE_HOLDS_ARRAY (node))
            {
              JsonArray *array = json_node_get_array (node);

              for (guint i = 0; i < json_array_get_length (array); i++)
                {
                  JsonNode *element = json_array_get_element (array, i);

                  if (!JSON_NODE_HOLDS_VALUE (element)
                      || json_node_get_value_type (element) != G_TYPE_STRING)
                    return wrong_member_type (name, _("a string or a list of strings"), error);
                  g_strv_builder_add (entries, json_node_get_string (element));
                }
            }
          else if (JSON_NODE_HOLDS_VALUE (node)
                   && json_node_get_value_type (node) == G_TYPE_STRING)
            g_strv_builder_add (entries, json_node_get_string (node));
          else
            return wrong_member_type (name, _("a string or a list of strings"), error);
          g_clear_pointer (&text->permissions, g_strfreev);
          text->permissions = g_strv_builder_end (entries);
          continue;
        }

      for (guint i = 0; i < G_N_ELEMENTS (text_fields) && !known; i++)
        if (g_str_equal (name, text_fields[i].name))
          {
            char **field = G_STRUCT_MEMBER_P (text, text_fields[i].offset);
            char *value = member_text (node);

            if (value == NULL)
              return wrong_member_type (name, _("a string or a whole number"), error);
            g_free (*field);
            *field = value;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not a field of a kind spec: use the names of the build "
                         "flags without “--”, such as “channel” or “privilege-expire”."),
                       name);
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct
{
  const char *prefix;
  const char *kind_name;
  AkTokenField fields;
  GError **error;
} ParseContext;

static gboolean
not_applicable (ParseContext *ctx,
                const char   *name)
{
  g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("%s%s does not apply to kind “%s”."), ctx->prefix, name, ctx->kind_name);
  return FALSE;
}

static gboolean
needs (ParseContext *ctx,
       const char   *name)
{
  g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("Kind “%s” needs %s%s."), ctx->kind_name, ctx->prefix, name);
  return FALSE;
}

/* A field the kind does not use is refused, not ignored: a typo in the kind would otherwise
 * build a token without what was asked for. */
static gboolean
check_applies (ParseContext *ctx,
               const char   *name,
               gboolean      given,
               AkTokenField  wanted)
{
  return !given || (ctx->fields & wanted) != 0 || not_applicable (ctx, name);
}

static gboolean
parse_u32 (ParseContext *ctx,
           const char   *name,
           const char   *text,
           guint32      *value)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &number, NULL))
    {
      *value = (guint32) number;
      return TRUE;
    }
  g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("%s%s must be a whole number from 0 to 4294967295, not “%s”."),
               ctx->prefix, name, text);
  return FALSE;
}

static gboolean
parse_duration (ParseContext *ctx,
                const char   *name,
                const char   *text,
                guint32       fallback,
                guint32      *seconds)
{
  g_autoptr(GError) local_error = NULL;

  if (text == NULL)
    {
      *seconds = fallback;
      return TRUE;
    }
  if (ak_duration_parse (text, seconds, &local_error))
    return TRUE;
  g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT, "%s%s: %s", ctx->prefix, name,
               local_error->message);
  return FALSE;
}

static gboolean
parse_identity (ParseContext       *ctx,
                AkTokenRequestText *text,
                AkTokenRequest     *request)
{
  if (ctx->fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT)
    {
      if ((text->uid == NULL) == (text->account == NULL))
        {
          g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("Kind “%s” needs exactly one of %suid (an integer user ID) and "
                         "%saccount (a string user account)."),
                       ctx->kind_name, ctx->prefix, ctx->prefix);
          return FALSE;
        }
    }
  else if ((ctx->fields & AK_TOKEN_FIELD_ACCOUNT) && text->uid != NULL)
    {
      g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Kind “%s” takes a string user account (%saccount), not %suid."),
                   ctx->kind_name, ctx->prefix, ctx->prefix);
      return FALSE;
    }
  if (!check_applies (ctx, "uid", text->uid != NULL, AK_TOKEN_FIELD_UID_OR_ACCOUNT)
      || !check_applies (ctx, "account", text->account != NULL,
                         AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_ACCOUNT))
    return FALSE;

  if (text->uid != NULL && !parse_u32 (ctx, "uid", text->uid, &request->uid))
    return FALSE;
  request->use_account = text->account != NULL;
  request->account = text->account;
  return TRUE;
}

static gboolean
parse_roles (ParseContext       *ctx,
             AkTokenRequestText *text,
             AkTokenRequest     *request)
{
  gint64 number;

  request->role = AK_RTC_ROLE_PUBLISHER;
  if ((request->kind == AK_TOKEN_KIND_APAAS_ROOM_USER || request->kind == AK_TOKEN_KIND_APAAS_USER
       || request->kind == AK_TOKEN_KIND_APAAS_APP)
      && text->role != NULL)
    {
      g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("%srole does not apply to kind “%s”; use %sapaas-role N."),
                   ctx->prefix, ctx->kind_name, ctx->prefix);
      return FALSE;
    }
  if (!check_applies (ctx, "role", text->role != NULL, AK_TOKEN_FIELD_ROLE)
      || !check_applies (ctx, "apaas-role", text->apaas_role != NULL,
                         AK_TOKEN_FIELD_APAAS_ROLE))
    return FALSE;

  if (text->role != NULL)
    {
      if (g_ascii_strcasecmp (text->role, "subscriber") == 0)
        request->role = AK_RTC_ROLE_SUBSCRIBER;
      else if (g_ascii_strcasecmp (text->role, "publisher") != 0)
        {
          g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("%srole must be publisher or subscriber, not “%s”."), ctx->prefix,
                       text->role);
          return FALSE;
        }
    }

  if (!(ctx->fields & AK_TOKEN_FIELD_APAAS_ROLE))
    return TRUE;
  if (text->apaas_role == NULL)
    return needs (ctx, "apaas-role");
  if (!g_ascii_string_to_signed (text->apaas_role, 10, G_MININT16, G_MAXINT16, &number, NULL))
    {
      g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("%sapaas-role must be a whole number from -32768 to 32767, not “%s”."),
                   ctx->prefix, text->apaas_role);
      return FALSE;
    }
  request->apaas_role = (gint16) number;
  return TRUE;
}

/* 007 lifetimes count from the issue time. Privileges default to the token's lifetime, not
 * the official 0 that decoders show as already expired; per-privilege ones default to
 * privilege-expire, and the RTM login to expire. */
static gboolean
parse_times_007 (ParseContext       *ctx,
                 AkTokenRequestText *text,
                 AkTokenRequest     *request)
{
  const char *each_names[4] = { "join-expire", "audio-expire", "video-expire", "data-expire" };
  const char *each[4] = { text->join_expire, text->audio_expire, text->video_expire,
                          text->data_expire };

  if (text->never_expire)
    return not_applicable (ctx, "never-expire");
  if (text->ts != NULL)
    return not_applicable (ctx, "ts");

  if (!check_applies (ctx, "expire", text->expire != NULL, AK_TOKEN_FIELD_EXPIRE)
      || !check_applies (ctx, "privilege-expire", text->privilege_expire != NULL,
                         AK_TOKEN_FIELD_PRIVILEGE_EXPIRE | AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE)
      || !check_applies (ctx, "rtm-expire", text->rtm_expire != NULL, AK_TOKEN_FIELD_RTM_EXPIRE)
      || !parse_duration (ctx, "expire", text->expire, AK_DEFAULT_EXPIRE, &request->expire)
      || !parse_duration (ctx, "privilege-expire", text->privilege_expire, request->expire,
                          &request->privilege_expire))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (each); i++)
    if (!check_applies (ctx, each_names[i], each[i] != NULL,
                        AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE)
        || !parse_duration (ctx, each_names[i], each[i], request->privilege_expire,
                            &request->each_privilege_expire[i]))
      return FALSE;

  return parse_duration (ctx, "rtm-expire", text->rtm_expire, request->expire,
                         &request->rtm_expire);
}

/* 006 stores absolute times: the privileges expire "expire" after the issue time. */
static gboolean
parse_times_006 (ParseContext       *ctx,
                 AkTokenRequestText *text,
                 AkTokenRequest     *request)
{
  const struct
  {
    const char *name;
    const char *value;
  } only_007[] = {
    { "privilege-expire", text->privilege_expire },
    { "join-expire", text->join_expire },
    { "audio-expire", text->audio_expire },
    { "video-expire", text->video_expire },
    { "data-expire", text->data_expire },
    { "rtm-expire", text->rtm_expire },
  };

  for (guint i = 0; i < G_N_ELEMENTS (only_007); i++)
    if (only_007[i].value != NULL)
      return not_applicable (ctx, only_007[i].name);

  if (text->never_expire && text->expire != NULL)
    {
      g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Give either %sexpire or %snever-expire, not both."), ctx->prefix,
                   ctx->prefix);
      return FALSE;
    }
  request->never_expire = text->never_expire;
  if (text->ts != NULL && !parse_u32 (ctx, "ts", text->ts, &request->ts))
    return FALSE;
  return parse_duration (ctx, "expire", text->expire, AK_DEFAULT_EXPIRE, &request->expire);
}

/**
 * ak_token_request_parse:
 * @prefix: what goes before a field's name in errors: "--" for flags, "" for a spec
 *
 * Returns: %TRUE with @request filled, or %FALSE with @error set
 */
gboolean
ak_token_request_parse (AkTokenRequestText  *text,
                        const char          *prefix,
                        AkTokenRequest      *request,
                        GError             **error)
{
  ParseContext ctx = { .prefix = prefix, .kind_name = text->kind, .error = error };
  const struct
  {
    const char *name;
    const char *value;
    AkTokenField field;
  } strings[] = {
    { "channel", text->channel, AK_TOKEN_FIELD_CHANNEL },
    { "user-id", text->user_id, AK_TOKEN_FIELD_USER_ID },
    { "rtm-user-id", text->rtm_user_id, AK_TOKEN_FIELD_RTM_USER_ID },
    { "room-uuid", text->room_uuid, AK_TOKEN_FIELD_ROOM_UUID },
    { "user-uuid", text->user_uuid, AK_TOKEN_FIELD_USER_UUID },
    { "permission", text->permissions != NULL ? "" : NULL, AK_TOKEN_FIELD_PERMISSIONS },
  };

  g_return_val_if_fail (text != NULL && prefix != NULL && request != NULL, FALSE);

  *request = (AkTokenRequest) { 0 };
  if (text->kind == NULL)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("Say which kind of token to build, such as “rtc”."));
      return FALSE;
    }
  if (!ak_token_kind_from_name (text->kind, &request->kind))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("Unknown kind “%s”."),
                   text->kind);
      return FALSE;
    }
  ctx.fields = kinds[request->kind].fields;

  if (text->app_id == NULL)
    return needs (&ctx, "app-id");
  request->app_id = text->app_id;

  if (!parse_identity (&ctx, text, request))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (!check_applies (&ctx, strings[i].name, strings[i].value != NULL, strings[i].field))
      return FALSE;
  request->channel = text->channel;
  request->user_id = text->user_id;
  request->rtm_user_id = text->rtm_user_id;
  request->room_uuid = text->room_uuid;
  request->user_uuid = text->user_uuid;
  if (!parse_roles (&ctx, text, request))
    return FALSE;

  /* One syntax for every face: each given entry may hold several, as in the window. */
  if (text->permissions != NULL)
    {
      g_autoptr(JsonNode) checked = NULL;
      g_autoptr(GError) local_error = NULL;

      g_free (text->joined_permissions);
      text->joined_permissions = g_strjoinv ("\n", text->permissions);
      checked = ak_rtm_permissions_parse (text->joined_permissions, &local_error);
      if (checked == NULL)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, "%spermission: %s", prefix,
                       local_error->message);
          return FALSE;
        }
      request->permissions = text->joined_permissions;
    }

  if (text->salt != NULL)
    {
      if (!parse_u32 (&ctx, "salt", text->salt, &request->salt))
        return FALSE;
      request->fixed_salt = TRUE;
    }
  if (text->issue_ts != NULL && !parse_u32 (&ctx, "issue-ts", text->issue_ts,
                                            &request->issue_ts))
    return FALSE;

  if (ak_builder_is_006 (ak_token_kind_get_builder (request->kind, FALSE)))
    {
      if (!parse_times_006 (&ctx, text, request))
        return FALSE;
    }
  else if (!parse_times_007 (&ctx, text, request))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if ((ctx.fields & strings[i].field) && strings[i].value == NULL)
      return needs (&ctx, strings[i].name);
  if ((ctx.fields & AK_TOKEN_FIELD_ACCOUNT) && text->account == NULL)
    return needs (&ctx, "account");

  return TRUE;
}
