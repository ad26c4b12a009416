/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "ak-json.h"
#include "ak-token-server-private.h"

/* POST /getToken: agora-token-service's JSON face. */

/* The member named @key in any case: agora-token-service decodes with Go's encoding/json, which
 * takes "TokenType" or "UID" for "tokenType" and "uid". Two spellings of one name are refused,
 * as which one counts would depend on their order. */
static gboolean
find_member (Request     *request,
             JsonObject  *object,
             const char  *key,
             JsonNode   **out)
{
  g_autoptr(GList) names = json_object_get_members (object);
  const char *found = NULL;

  *out = NULL;
  for (GList *l = names; l != NULL; l = l->next)
    {
      if (g_ascii_strcasecmp (l->data, key) != 0)
        continue;
      if (found != NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("The body gives “%s” twice, as “%s” and as “%s”: keep one."),
                             key, found, (const char *) l->data);

          ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST, message);
          return FALSE;
        }
      found = l->data;
    }
  if (found != NULL)
    *out = json_object_get_member (object, found);
  return TRUE;
}

/* A string member, a number given for a string (uids), or absent. */
static gboolean
member_string (Request     *request,
               JsonObject  *object,
               const char  *key,
               char       **out)
{
  JsonNode *node;

  *out = NULL;
  if (!find_member (request, object, key, &node))
    return FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out = g_strdup (json_node_get_string (node));
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }
  {
    g_autofree char *message = g_strdup_printf (_("“%s” must be a string."), key);

    ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST, message);
  }
  return FALSE;
}

void
ak_token_server_handle_get_token (Request *request)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *role = NULL;
  g_autofree char *uid = NULL;
  g_autoptr(AkTokenServerTokenText) token = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (request->msg);
  JsonObject *object;
  JsonNode *expire_node;
  gint64 expire_value = 0;
  guint32 expire;

  body = soup_message_body_flatten (request_body);
  if (g_bytes_get_size (body) > AK_TOKEN_SERVER_MAX_BODY)
    {
      ak_token_server_respond_error (request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                     _("The request body is larger than 64 KiB."));
      return;
    }
  /* Refuses NUL bytes, escaped NULs and invalid UTF-8 anywhere: a channel "ab\u0000cd" would
   * otherwise be signed as "ab". */
  root = ak_json_parse_untrusted (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      const char *example = _("The body must be a JSON object like {\"tokenType\": \"rtc\", "
                              "\"channel\": \"test\", \"role\": \"publisher\", "
                              "\"uid\": \"0\", \"expire\": 3600}.");
      g_autofree char *message = error != NULL ? g_strdup_printf ("%s %s", error->message,
                                                                  example)
                                               : g_strdup (example);

      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST, message);
      return;
    }
  object = json_node_get_object (root);

  if (!member_string (request, object, "tokenType", &type)
      || !member_string (request, object, "channel", &channel)
      || !member_string (request, object, "role", &role)
      || !member_string (request, object, "uid", &uid))
    return;

  /* agora-token-service ignores "expiry" in a body and gives 3600 s: a client that works here
   * would silently get other tokens there. */
  if (!find_member (request, object, "expiry", &expire_node))
    return;
  if (expire_node != NULL)
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("In a body the lifetime is “expire”: agora-token-service "
                                       "ignores “expiry” there (that is the GET routes' query "
                                       "parameter)."));
      return;
    }
  if (!find_member (request, object, "expire", &expire_node))
    return;
  if (expire_node != NULL && !JSON_NODE_HOLDS_NULL (expire_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (expire_node)
          || json_node_get_value_type (expire_node) != G_TYPE_INT64)
        {
          ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                         _("“expire” must be a whole number of seconds from 0 to "
                                           "86400."));
          return;
        }
      expire_value = json_node_get_int (expire_node);
    }

  ak_token_server_note (request, type, channel, uid);
  if (!ak_token_server_check_expire (request, "expire", expire_value, &expire))
    return;

  if (g_strcmp0 (type, "rtc") == 0)
    token = ak_token_server_build_rtc (request, channel, role, uid, FALSE, expire);
  else if (g_strcmp0 (type, "rtm") == 0)
    token = ak_token_server_build_rtm (request, uid, channel, expire);
  else if (g_strcmp0 (type, "chat") == 0)
    token = ak_token_server_build_chat (request, uid, expire);
  else
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("“tokenType” must be “rtc”, “rtm” or “chat”."));
      return;
    }

  if (token != NULL)
    ak_token_server_respond_json (request, "token", token, NULL);
}
