/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-token-builder-private.h"

/* ---------------------------------------------------------------------------------------------
 * raw007 and raw006: services and privileges spelled out
 */

/* raw007: the full service list, as in the vectors file. */
static const char * const raw_service_keys[] = {
  "type", "privileges", "channel_name", "uid", "account", "user_id", "room_uuid", "user_uuid",
  "role", "permissions", NULL,
};

gboolean
ak_build_check_known_keys (JsonObject         *object,
                           const char * const *allowed,
                           const char         *where,
                           GError            **error)
{
  JsonObjectIter iter;
  const char *key;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, NULL))
    if (!g_strv_contains (allowed, key))
      {
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("“%s” is not an input of %s."), key, where);
        return FALSE;
      }
  return TRUE;
}

static gint
privilege_compare (gconstpointer a,
                   gconstpointer b)
{
  const AkPrivilege *x = a;
  const AkPrivilege *y = b;

  return (x->id > y->id) - (x->id < y->id);
}

static gboolean
read_privilege_map (JsonNode   *node,
                    GArray     *privileges,
                    GError    **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("“privileges” must be an object like {\"1\": 3600}."));
      return FALSE;
    }

  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      guint64 id;
      gint64 v;
      AkPrivilege p;

      if (!g_ascii_string_to_unsigned (key, 10, 0, G_MAXUINT16, &id, NULL)
          || !JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64
          || (v = json_node_get_int (value)) < 0 || v > G_MAXUINT32)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The privilege “%s” must map a number from 0 to 65535 to a whole "
                         "number from 0 to 4294967295."),
                       key);
          return FALSE;
        }

      p.id = (guint16) id;
      p.value = (guint32) v;
      g_array_append_val (privileges, p);
    }

  /* Once, not an insertion per key, whatever order the keys come in; the sort is stable,
   * so an id given twice (as "1" and "01") keeps the order of the input. */
  g_array_sort (privileges, privilege_compare);
  return TRUE;
}

static gboolean
service_string (JsonObject  *object,
                const char  *key,
                char       **out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    {
      *out = g_strdup ("");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The service field “%s” must be a string."), key);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* As the official ServiceRtc, ServiceStreaming and ServiceFCdn take it: an integer uid or
 * a string account; absent is "". */
static gboolean
service_uid (JsonObject  *object,
             const char  *key,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  gboolean is_integer;

  if (node == NULL)
    {
      *out = g_strdup ("");
      return TRUE;
    }
  return ak_build_uid_or_account_text (node, key, out, &is_integer, error);
}

static AkService *
read_raw_service (JsonNode  *node,
                  guint      index,
                  GError   **error)
{
  g_autoptr(AkService) service = NULL;
  JsonObject *object;
  JsonNode *type_node;
  gint64 type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Service %u must be an object."), index + 1);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!ak_build_check_known_keys (object, raw_service_keys, _("a service"), error))
    return NULL;

  type_node = json_object_get_member (object, "type");
  if (type_node == NULL || !JSON_NODE_HOLDS_VALUE (type_node)
      || json_node_get_value_type (type_node) != G_TYPE_INT64
      || (type = json_node_get_int (type_node)) < AK_SERVICE_RTC || type > AK_SERVICE_STT)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Service %u needs a “type” from 1 to 10."), index + 1);
      return NULL;
    }

  service = ak_service_new ((AkServiceType) type);
  if (!read_privilege_map (json_object_get_member (object, "privileges"), service->privileges,
                           error))
    return NULL;

  switch (type)
    {
    case AK_SERVICE_RTC:
      if (!service_string (object, "channel_name", &service->channel_name, error)
          || !service_uid (object, "uid", &service->uid, error))
        return NULL;
      break;
    case AK_SERVICE_STREAMING:
    case AK_SERVICE_FCDN:
      if (!service_string (object, "channel_name", &service->channel_name, error)
          || !service_uid (object, "account", &service->uid, error))
        return NULL;
      break;
    case AK_SERVICE_RTM:
    case AK_SERVICE_CHAT:
      if (!service_string (object, "user_id", &service->user_id, error))
        return NULL;
      break;
    case AK_SERVICE_APAAS:
      {
        JsonNode *role = json_object_get_member (object, "role");

        if (!service_string (object, "room_uuid", &service->room_uuid, error)
            || !service_string (object, "user_uuid", &service->user_uuid, error))
          return NULL;
        if (role != NULL)
          {
            gint64 r = JSON_NODE_HOLDS_VALUE (role)
                       && json_node_get_value_type (role) == G_TYPE_INT64
                         ? json_node_get_int (role) : G_MAXINT64;

            if (r < G_MININT16 || r > G_MAXINT16)
              {
                g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                             _("The APaaS role must be a whole number from -32768 to 32767."));
                return NULL;
              }
            service->role = (gint16) r;
          }
      }
      break;
    case AK_SERVICE_RTM2:
      {
        JsonNode *permissions = json_object_get_member (object, "permissions");

        if (!service_string (object, "user_id", &service->user_id, error))
          return NULL;
        if (permissions != NULL && !ak_build_read_permissions_input (permissions, service, error))
          return NULL;
      }
      break;
    default:
      break;
    }

  return g_steal_pointer (&service);
}

AkToken *
ak_build_raw007 (BuildContext *ctx,
                 GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  JsonNode *services;
  JsonArray *array;
  guint32 expire;

  if (!ak_build_get_u32 (ctx, "expire", TRUE, &expire, error)
      || !ak_build_lookup (ctx, "services", TRUE, &services, error))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (services))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “services” must be a list of service objects."));
      return NULL;
    }

  ak_build_check_expire (ctx, "expire", expire);
  token = ak_build_new_007 (ctx, expire);
  array = json_node_get_array (services);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      AkService *service = read_raw_service (json_array_get_element (array, i), i, error);

      if (service == NULL)
        return NULL;
      ak_token_add_service (token, service);
    }
  return g_steal_pointer (&token);
}

/* 006: ctx->issue_ts holds the envelope ts (absolute expiry of the token itself). */
AkToken *
ak_build_raw006 (BuildContext *ctx,
                 GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  const char *channel;
  const char *uid;
  JsonNode *privileges;

  if (!ak_build_get_string (ctx, "channel_name", FALSE, &channel, error)
      || !ak_build_get_string (ctx, "uid", FALSE, &uid, error)
      || !ak_build_lookup (ctx, "privileges", TRUE, &privileges, error))
    return NULL;

  token = ak_token_new_006 (ctx->app_id, channel, uid, ctx->salt, ctx->issue_ts);
  if (!read_privilege_map (privileges, ak_token_get_privileges_006 (token), error))
    return NULL;
  return g_steal_pointer (&token);
}
