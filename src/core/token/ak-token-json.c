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

/* @member: an object keyed by privilege id, of each privilege's name when @name_func is given
 * (only the known ones), else of @base_time plus its value. */
static void
add_privilege_map (JsonBuilder       *builder,
                   const char        *member,
                   const GArray      *privileges,
                   guint16            type,
                   PrivilegeNameFunc  name_func,
                   gint64             base_time)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  for (guint i = 0; i < privileges->len; i++)
    {
      const AkPrivilege *p = &g_array_index (privileges, AkPrivilege, i);
      const char *name = name_func != NULL ? name_func (type, p->id) : NULL;
      char key[8];

      if (name_func != NULL && name == NULL)
        continue;
      g_snprintf (key, sizeof key, "%u", p->id);
      if (name != NULL)
        add_string (builder, key, name);
      else
        add_int (builder, key, base_time + p->value);
    }
  json_builder_end_object (builder);
}

static void
add_privileges (JsonBuilder      *builder,
                const GArray     *privileges,
                guint16           type,
                PrivilegeNameFunc name_func,
                gint64            base_time)
{
  add_privilege_map (builder, "privileges", privileges, type, NULL, 0);
  add_privilege_map (builder, "privilege_names", privileges, type, name_func, 0);
  /* 007 values count from the issue time; 006 values are already absolute (0 = never). */
  add_privilege_map (builder, "privilege_expires_at", privileges, type, NULL, base_time);
}

/* @parent's member @name, first added as an empty object or array (@type) when missing. */
static JsonNode *
member_node (JsonObject   *parent,
             const char   *name,
             JsonNodeType  type)
{
  JsonNode *node = json_object_get_member (parent, name);

  if (node == NULL)
    {
      node = json_node_new (type);
      if (type == JSON_NODE_OBJECT)
        json_node_take_object (node, json_object_new ());
      else
        json_node_take_array (node, json_array_new ());
      json_object_set_member (parent, name, node);
    }
  return node;
}

static JsonArray *
add_resources (JsonArray             *array,
               const AkRtmPermission *p)
{
  for (guint j = 0; j < p->resources->len; j++)
    json_array_add_string_element (array, g_ptr_array_index (p->resources, j));
  return array;
}

/* What the official builders write: one block per resource type and one entry per
 * permission type, both ascending. "permissions" shows such a token exactly. */
static gboolean
permissions_in_builder_order (const GArray *blocks,
                              const GArray *permissions)
{
  guint entry = 0;

  for (guint b = 0; b < blocks->len; b++)
    {
      const AkRtmPermissionBlock *block = &g_array_index (blocks, AkRtmPermissionBlock, b);

      if (block->n_permissions == 0
          || (b > 0 && g_array_index (blocks, AkRtmPermissionBlock, b - 1).resource_type
                         >= block->resource_type))
        return FALSE;
      for (guint k = 1; k < block->n_permissions && entry + k < permissions->len; k++)
        if (g_array_index (permissions, AkRtmPermission, entry + k - 1).permission_type
            >= g_array_index (permissions, AkRtmPermission, entry + k).permission_type)
          return FALSE;
      entry += block->n_permissions;
    }
  return TRUE;
}

/* "permissions" is the vectors' shape, {"<resource type>": {"<permission type>": [...]}},
 * with keys in order of first appearance. A token not in the official builders' order may
 * repeat a type, which merges there, so "permission_blocks" then lists every block and
 * entry exactly as written on the wire. */
static void
add_permissions (JsonBuilder     *builder,
                 const AkService *service)
{
  g_autoptr(GArray) blocks = ak_service_dup_permission_blocks (service);
  const GArray *permissions = service->permissions;
  gboolean as_built = permissions_in_builder_order (blocks, permissions);
  JsonObject *merged = json_object_new ();
  JsonArray *as_written = as_built ? NULL : json_array_sized_new (blocks->len);
  JsonNode *node;
  guint entry = 0;

  for (guint b = 0; b < blocks->len; b++)
    {
      const AkRtmPermissionBlock *block = &g_array_index (blocks, AkRtmPermissionBlock, b);
      const char *resource_name = ak_rtm_resource_type_to_name (block->resource_type);
      JsonObject *block_object = NULL;
      JsonArray *entries = NULL;
      JsonObject *by_permission;
      char key[8];

      g_snprintf (key, sizeof key, "%u", block->resource_type);
      by_permission = json_node_get_object (member_node (merged, key, JSON_NODE_OBJECT));

      if (as_written != NULL)
        {
          block_object = json_object_new ();
          entries = json_array_sized_new (block->n_permissions);
          json_object_set_int_member (block_object, "resource_type", block->resource_type);
          if (resource_name != NULL)
            json_object_set_string_member (block_object, "resource_name", resource_name);
        }

      for (guint end = entry + block->n_permissions; entry < end && entry < permissions->len;
           entry++)
        {
          const AkRtmPermission *p = &g_array_index (permissions, AkRtmPermission, entry);
          const char *permission_name = ak_rtm_permission_type_to_name (p->permission_type);
          JsonObject *entry_object;

          g_snprintf (key, sizeof key, "%u", p->permission_type);
          add_resources (json_node_get_array (member_node (by_permission, key, JSON_NODE_ARRAY)),
                         p);
          if (as_written == NULL)
            continue;

          entry_object = json_object_new ();
          json_object_set_int_member (entry_object, "permission_type", p->permission_type);
          if (permission_name != NULL)
            json_object_set_string_member (entry_object, "permission_name", permission_name);
          json_object_set_array_member (entry_object, "resources",
                                        add_resources (json_array_sized_new (p->resources->len),
                                                       p));
          json_array_add_object_element (entries, entry_object);
        }

      if (as_written != NULL)
        {
          json_object_set_array_member (block_object, "permissions", entries);
          json_array_add_object_element (as_written, block_object);
        }
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, merged);
  json_builder_set_member_name (builder, "permissions");
  json_builder_add_value (builder, node);

  if (as_written != NULL)
    {
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, as_written);
      json_builder_set_member_name (builder, "permission_blocks");
      json_builder_add_value (builder, node);
    }
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
      add_permissions (builder, service);
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
 * `decoded` objects, plus `expires_at` and per-privilege `privilege_expires_at`, and, for an
 * RTM2 service whose permissions are not in the official builders' order,
 * `permission_blocks`: every block and entry in wire order, repeats and empty ones included.
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
