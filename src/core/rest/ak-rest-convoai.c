/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-json.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-private.h"
#include "ak-token.h"

/* ---------------------------------------------------------------------------------------------
 * Conversational AI: the agent a token is for, and the token in the body
 */

#define CONVOAI_PATH_PREFIX "/api/conversational-ai-agent/"

gboolean
ak_rest_endpoint_is_convoai (const char *endpoint_id)
{
  const AkEndpoint *endpoint = endpoint_id != NULL ? ak_rest_catalogue_find (endpoint_id) : NULL;

  return endpoint != NULL && g_str_has_prefix (endpoint->path, CONVOAI_PATH_PREFIX);
}

static JsonObject *
properties_of (JsonNode *root)
{
  JsonNode *properties;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  properties = json_object_get_member (json_node_get_object (root), "properties");
  return properties != NULL && JSON_NODE_HOLDS_OBJECT (properties)
           ? json_node_get_object (properties) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A numeric uid, given as a JSON integer or as a string of digits (the documentation's
 * examples quote it): 0 to 2^32 - 1. */
static gboolean
read_numeric_uid (JsonNode *node,
                  guint32  *uid)
{
  guint64 value = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 number = json_node_get_int (node);

      if (number < 0 || number > G_MAXUINT32)
        return FALSE;
      *uid = (guint32) number;
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING
      || !g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXUINT32, &value,
                                      NULL))
    return FALSE;
  *uid = (guint32) value;
  return TRUE;
}

/**
 * ak_rest_convoai_read_target:
 * @body: (nullable): the request body
 * @channel: (nullable): the channel to use when @body names none
 * @uid: (nullable): the agent uid to use when @body names none, used as written
 * @target_channel: (out): the channel
 * @target_account: (out): the agent's uid as the token holds it
 *
 * Returns: whether both were found
 */
gboolean
ak_rest_convoai_read_target (const char  *body,
                             const char  *channel,
                             const char  *uid,
                             char       **target_channel,
                             char       **target_account,
                             GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *properties = NULL;
  JsonNode *uid_node = NULL;
  const char *body_channel;
  gboolean string_uid = FALSE;

  g_return_val_if_fail (target_channel != NULL && target_account != NULL, FALSE);

  if (body != NULL && body[strspn (body, " \t\r\n")] != '\0')
    {
      g_autoptr(GError) parse_error = NULL;

      root = ak_json_parse_untrusted (body, strlen (body), &parse_error);
      if (root == NULL)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The body is not valid JSON, so the agent’s channel and uid cannot be "
                         "read from it: %s"), parse_error->message);
          return FALSE;
        }
      properties = properties_of (root);
    }

  body_channel = string_member (properties, "channel");
  uid_node = properties != NULL ? json_object_get_member (properties, "agent_rtc_uid") : NULL;
  if (body_channel == NULL && uid_node == NULL)
    {
      /* Leave, query, update and the rest name the agent only by its id: the token must
       * still be for the channel and uid it was started with. */
      if (channel == NULL || *channel == '\0' || uid == NULL || *uid == '\0')
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("A Conversational AI token is minted for the agent’s channel "
                                 "and uid: give the channel and agent uid it was started with, "
                                 "or use Basic authentication."));
          return FALSE;
        }
      *target_channel = g_strdup (channel);
      *target_account = g_strdup (uid);
      return TRUE;
    }

  if (body_channel == NULL || *body_channel == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The body has no properties.channel: name the channel the agent "
                             "joins."));
      return FALSE;
    }
  if (properties != NULL && json_object_has_member (properties, "enable_string_uid"))
    {
      JsonNode *flag = json_object_get_member (properties, "enable_string_uid");

      string_uid = JSON_NODE_HOLDS_VALUE (flag)
                   && json_node_get_value_type (flag) == G_TYPE_BOOLEAN
                   && json_node_get_boolean (flag);
    }

  if (string_uid)
    {
      const char *account = string_member (properties, "agent_rtc_uid");

      if (account == NULL || *account == '\0')
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("The body has enable_string_uid set but no string "
                                 "properties.agent_rtc_uid: name the agent’s user account."));
          return FALSE;
        }
      *target_account = g_strdup (account);
    }
  else
    {
      guint32 number = 0;

      if (!read_numeric_uid (uid_node, &number))
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("The body’s properties.agent_rtc_uid must be a uid from 0 to "
                                 "4294967295 (or set enable_string_uid to true for a string "
                                 "uid)."));
          return FALSE;
        }
      /* As the token writes an integer uid: 0 (any user) as "". */
      *target_account = ak_uid_to_string (number);
    }
  *target_channel = g_strdup (body_channel);
  return TRUE;
}

gboolean
ak_rest_convoai_body_has_placeholder (const char *body)
{
  g_autoptr(JsonNode) root = NULL;

  if (body == NULL || strstr (body, "convoai_token") == NULL)
    return FALSE;
  root = ak_json_parse_untrusted (body, strlen (body), NULL);
  return g_strcmp0 (string_member (properties_of (root), "token"),
                    AK_REST_CONVOAI_TOKEN_PLACEHOLDER) == 0;
}

/**
 * ak_rest_convoai_fill_token:
 * @body: (nullable): the request body
 * @token: the token to put in place of the placeholder
 *
 * Returns: (transfer full) (nullable): the filled body, a secret
 */
char *
ak_rest_convoai_fill_token (const char  *body,
                            const char  *token,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) again = NULL;
  JsonObject *properties;
  char *filled;
  gsize length = 0;

  g_return_val_if_fail (token != NULL, NULL);

  if (body == NULL || strstr (body, "convoai_token") == NULL)
    return NULL;
  root = ak_json_parse_untrusted_mutable (body, strlen (body), NULL);
  properties = properties_of (root);
  if (g_strcmp0 (string_member (properties, "token"), AK_REST_CONVOAI_TOKEN_PLACEHOLDER) != 0)
    return NULL;

  json_object_set_string_member (properties, "token", token);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, strchr (body, '\n') != NULL);
  filled = json_generator_to_data (generator, &length);
  /* json-glib 1.6 writes some numbers as no JSON reads them ("1e98" as "1e+98.0"). */
  again = ak_json_parse_untrusted (filled, length, NULL);
  if (again == NULL)
    {
      ak_secret_string_free (filled);
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The body could not be written back with the token in "
                             "properties.token: write its numbers plainly, or paste a token "
                             "there."));
      return NULL;
    }
  return filled;
}
