/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-codec-private.h"
#include "ak-token-private.h"

/* The decoder's JSON uses the field names of the vectors file's `decoded` objects, so that
 * scripts can compare our output with the official test data directly. */

static void
add_state (JsonBuilder      *builder,
           const char       *name,
           AkSignatureState  state)
{
  json_builder_set_member_name (builder, name);
  if (state == AK_SIGNATURE_UNCHECKED)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, state == AK_SIGNATURE_VALID);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_hex (JsonBuilder  *builder,
         const char   *name,
         const guint8 *data,
         gsize         len)
{
  g_autofree char *hex = ak_hex_encode (data, len);

  add_string (builder, name, hex);
}

typedef const char *(*PrivilegeNameFunc) (guint16 type, guint16 id);

static const char *
privilege006_name (guint16 type,
                   guint16 id)
{
  return ak_privilege006_name (id);
}

static void
add_privileges (JsonBuilder      *builder,
                const GArray     *privileges,
                guint16           type,
                PrivilegeNameFunc name_func,
                gint64            base_time)
{
  json_builder_set_member_name (builder, "privileges");
  json_builder_begin_object (builder);
  for (guint i = 0; i < privileges->len; i++)
    {
      const AkPrivilege *p = &g_array_index (privileges, AkPrivilege, i);
      char key[8];

      g_snprintf (key, sizeof key, "%u", p->id);
      add_int (builder, key, p->value);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "privilege_names");
  json_builder_begin_object (builder);
  for (guint i = 0; i < privileges->len; i++)
    {
      const AkPrivilege *p = &g_array_index (privileges, AkPrivilege, i);
      const char *name = name_func (type, p->id);
      char key[8];

      if (name == NULL)
        continue;
      g_snprintf (key, sizeof key, "%u", p->id);
      add_string (builder, key, name);
    }
  json_builder_end_object (builder);

  /* 007 values count from the issue time; 006 values are already absolute (0 = never). */
  json_builder_set_member_name (builder, "privilege_expires_at");
  json_builder_begin_object (builder);
  for (guint i = 0; i < privileges->len; i++)
    {
      const AkPrivilege *p = &g_array_index (privileges, AkPrivilege, i);
      char key[8];

      g_snprintf (key, sizeof key, "%u", p->id);
      add_int (builder, key, base_time + p->value);
    }
  json_builder_end_object (builder);
}

static void
add_permissions (JsonBuilder  *builder,
                 const GArray *permissions)
{
  guint i = 0;

  json_builder_set_member_name (builder, "permissions");
  json_builder_begin_object (builder);
  while (permissions != NULL && i < permissions->len)
    {
      guint16 resource_type = g_array_index (permissions, AkRtmPermission, i).resource_type;
      char key[8];

      g_snprintf (key, sizeof key, "%u", resource_type);
      json_builder_set_member_name (builder, key);
      json_builder_begin_object (builder);
      for (; i < permissions->len
             && g_array_index (permissions, AkRtmPermission, i).resource_type == resource_type;
           i++)
        {
          const AkRtmPermission *p = &g_array_index (permissions, AkRtmPermission, i);

          g_snprintf (key, sizeof key, "%u", p->permission_type);
          json_builder_set_member_name (builder, key);
          json_builder_begin_array (builder);
          for (guint j = 0; j < p->resources->len; j++)
            json_builder_add_string_value (builder, g_ptr_array_index (p->resources, j));
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
add_service (JsonBuilder     *builder,
             const AkService *service,
             guint32          issue_ts)
{
  json_builder_begin_object (builder);
  add_int (builder, "type", service->type);
  add_string (builder, "name", ak_service_type_to_name (service->type));
  add_privileges (builder, service->privileges, service->type, ak_service_privilege_name,
                  issue_ts);

  switch (service->type)
    {
    case AK_SERVICE_RTC:
      add_string (builder, "channel_name", service->channel_name);
      add_string (builder, "uid", service->uid);
      break;
    case AK_SERVICE_STREAMING:
    case AK_SERVICE_FCDN:
      add_string (builder, "channel_name", service->channel_name);
      add_string (builder, "account", service->uid);
      break;
    case AK_SERVICE_RTM:
    case AK_SERVICE_CHAT:
      add_string (builder, "user_id", service->user_id);
      break;
    case AK_SERVICE_APAAS:
      add_string (builder, "room_uuid", service->room_uuid);
      add_string (builder, "user_uuid", service->user_uuid);
      add_int (builder, "role", service->role);
      break;
    case AK_SERVICE_RTM2:
      add_string (builder, "user_id", service->user_id);
      add_permissions (builder, service->permissions);
      break;
    default:
      break;
    }
  json_builder_end_object (builder);
}

static void
add_007 (JsonBuilder          *builder,
         const AkToken        *token,
         const AkVerification *verification)
{
  add_string (builder, "version", "007");
  add_string (builder, "app_id", token->app_id);
  add_int (builder, "issue_ts", token->issue_ts);
  add_int (builder, "expire", token->expire);
  add_int (builder, "expires_at", ak_token_get_expires_at (token));
  add_int (builder, "salt", token->salt);
  add_hex (builder, "signature_hex", token->signature, AK_SIGNATURE_LENGTH);
  add_hex (builder, "zlib_header_hex", token->zlib_header, 2);
  add_int (builder, "compressed_len", (gint64) token->compressed_len);
  add_int (builder, "payload_len", (gint64) g_bytes_get_size (token->content));

  json_builder_set_member_name (builder, "services");
  json_builder_begin_array (builder);
  for (guint i = 0; i < token->services->len; i++)
    add_service (builder, g_ptr_array_index (token->services, i), token->issue_ts);
  json_builder_end_array (builder);

  add_int (builder, "service_count_field", token->service_count_field);
  if (token->stopped_at_unknown)
    add_int (builder, "stopped_at_unknown_service_type", token->unknown_service_type);
  add_state (builder, "signature_valid", verification->signature);
}

static void
add_006 (JsonBuilder          *builder,
         const AkToken        *token,
         const AkVerification *verification)
{
  const guint8 *data;
  gsize len;

  add_string (builder, "version", "006");
  add_string (builder, "app_id", token->app_id);
  add_hex (builder, "signature_hex", token->signature, AK_SIGNATURE_LENGTH);
  add_int (builder, "crc_channel_name", token->crc_channel_name);
  add_int (builder, "crc_uid", token->crc_uid);
  add_int (builder, "salt", token->salt);
  add_int (builder, "ts", token->ts);
  add_int (builder, "expires_at", token->ts);
  add_privileges (builder, token->privileges, 0, privilege006_name, 0);
  data = g_bytes_get_data (token->content, &len);
  add_hex (builder, "content_hex", data, len);
  data = g_bytes_get_data (token->message, &len);
  add_hex (builder, "message_hex", data, len);
  add_state (builder, "crc_channel_name_matches", verification->crc_channel_name);
  add_state (builder, "crc_uid_matches", verification->crc_uid);
  add_state (builder, "signature_valid", verification->signature);
}

/**
 * ak_token_to_json:
 * @verification: (nullable): the result of ak_token_verify(), or %NULL when unchecked
 *
 * Describes a parsed or encoded token with the field names of the official vectors'
 * `decoded` objects, plus `expires_at` and per-privilege `privilege_expires_at`.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
ak_token_to_json (const AkToken        *token,
                  const AkVerification *verification)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  static const AkVerification unchecked = { 0 };

  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (token->content != NULL, NULL);

  if (verification == NULL)
    verification = &unchecked;

  json_builder_begin_object (builder);
  if (token->version == AK_TOKEN_VERSION_006)
    add_006 (builder, token, verification);
  else
    add_007 (builder, token, verification);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
