/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
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
};

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

/**
 * ak_rtm_permissions_parse:
 * @text: "resource:permission:name" entries separated by commas, semicolons or new lines;
 *   resources and permissions by name (messageChannels, read, …) or number
 *
 * Returns: (transfer full): the `permissions` input of the rtm_permissions builder
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
      JsonObject *by_permission;
      JsonArray *names;

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

      if (!json_object_has_member (by_resource, parts[0]))
        json_object_set_object_member (by_resource, parts[0], json_object_new ());
      by_permission = json_object_get_object_member (by_resource, parts[0]);
      if (!json_object_has_member (by_permission, parts[1]))
        json_object_set_array_member (by_permission, parts[1], json_array_new ());
      names = json_object_get_array_member (by_permission, parts[1]);
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

static const char * const privilege_inputs[4] = {
  "join_channel_privilege_expire",
  "pub_audio_privilege_expire",
  "pub_video_privilege_expire",
  "pub_data_stream_privilege_expire",
};

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

  fields = kinds[request->kind].fields;
  account = (fields & AK_TOKEN_FIELD_ACCOUNT)
            || ((fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT) && request->use_account);
  *builder = ak_token_kind_get_builder (request->kind, account);

  json_object_set_string_member (inputs, "app_id", request->app_id != NULL ? request->app_id : "");
  if (request->app_certificate != NULL)
    json_object_set_string_member (inputs, "app_certificate", request->app_certificate);

  if (fields & AK_TOKEN_FIELD_CHANNEL)
    {
      if (!require_text (request->channel, _("Enter the channel name."), error))
        return NULL;
      json_object_set_string_member (inputs, "channel_name", request->channel);
    }

  if (fields & (AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_ACCOUNT))
    {
      if (!account)
        json_object_set_int_member (inputs, "uid", request->uid);
      else if (!require_text (request->account, _("Enter the user account."), error))
        return NULL;
      else
        json_object_set_string_member (inputs,
                                       *builder == AK_BUILDER_RTC_RTM2 ? "rtc_account" : "account",
                                       request->account);
    }

  if (fields & AK_TOKEN_FIELD_ROLE)
    json_object_set_int_member (inputs, *builder == AK_BUILDER_RTC_RTM2 ? "rtc_role" : "role",
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
      json_object_set_int_member (inputs, "ts", MIN (now + AK_006_DEFAULT_LIFETIME, G_MAXUINT32));
      return g_steal_pointer (&inputs);
    }

  json_object_set_int_member (inputs, "issue_ts", now);
  if (fields & AK_TOKEN_FIELD_EXPIRE)
    json_object_set_int_member (inputs,
                                *builder == AK_BUILDER_RTC_RTM2 ? "rtc_token_expire"
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
