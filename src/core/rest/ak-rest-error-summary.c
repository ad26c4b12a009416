/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-json.h"
#include "ak-rest-private.h"

#define MAX_SUMMARY_CHARS 300

/* ---------------------------------------------------------------------------------------------
 * Error bodies (the products' error shapes)
 */

static gboolean
is_2xx (guint status)
{
  return status >= 200 && status < 300;
}

static const char *
get_text (JsonObject *object,
          const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (node);
  return text != NULL && *text != '\0' ? text : NULL;
}

static gboolean
get_integer (JsonObject *object,
             const char *name,
             gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_boolean (JsonObject *object,
             const char *name,
             gboolean   *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* Server text goes into one line of bounded length. */
static char *
clean_text (const char *text)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  const char *valid_end = NULL;
  const char *p = text;
  gsize chars = 0;

  g_utf8_validate (text, -1, &valid_end);
  for (; p < valid_end && chars < MAX_SUMMARY_CHARS; p = g_utf8_next_char (p), chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          if (clean->len > 0 && clean->str[clean->len - 1] != ' ')
            g_string_append_c (clean, ' ');
        }
      else
        g_string_append_unichar (clean, c);
    }
  while (clean->len > 0 && clean->str[clean->len - 1] == ' ')
    g_string_truncate (clean, clean->len - 1);
  if (p < valid_end)
    g_string_append (clean, "…");
  return g_string_free (g_steal_pointer (&clean), FALSE);
}

static char *
code_text (gint64 code)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, code);
}

static char *
summarize_object (guint       status,
                  JsonObject *object)
{
  const char *error_text = get_text (object, "error");
  const char *description = get_text (object, "error_description");
  const char *message = get_text (object, "message");
  const char *reason = get_text (object, "reason");
  const char *detail = reason != NULL ? reason : message;
  g_autofree char *clean = detail != NULL ? clean_text (detail) : NULL;
  gboolean flag;
  gint64 code;

  /* Chat: {"error":"auth_bad_access_token","error_description":"…"}; token servers also
   * answer {"error":"Origin not allowed"}. */
  if (error_text != NULL)
    {
      g_autofree char *name = clean_text (error_text);

      if (description != NULL)
        {
          g_autofree char *text = clean_text (description);

          /* Translators: an error description, then the server's error name. */
          return g_strdup_printf (_("%s (%s)."), text, name);
        }
      return g_strdup_printf (_("The server says: %s"), name);
    }

  /* RTM 2 history: {"errorCode":401,"error":true,"reason":"…"} */
  if (get_boolean (object, "error", &flag))
    {
      g_autofree char *number = NULL;

      if (!flag)
        return NULL;
      if (!get_integer (object, "errorCode", &code))
        return clean != NULL ? g_strdup_printf (_("The request failed: %s"), clean)
                             : g_strdup (_("The request failed."));
      number = code_text (code);
      return clean != NULL ? g_strdup_printf (_("Error %s: %s"), number, clean)
                           : g_strdup_printf (_("Error %s."), number);
    }

  /* RTM 1 REST: {"result":"failed","request_id":…} */
  if (g_strcmp0 (get_text (object, "result"), "failed") == 0)
    {
      const char *what = clean != NULL ? clean : get_text (object, "code");
      g_autofree char *clean_what = what != NULL ? clean_text (what) : NULL;

      return clean_what != NULL ? g_strdup_printf (_("The request failed: %s"), clean_what)
                                : g_strdup (_("The request failed."));
    }

  /* Cloud Recording {"code":2,"reason":"…"} (also on 201 and 206); Analytics
   * {"code":300,"message":"qps limit error"} on 200. */
  if (get_integer (object, "code", &code))
    {
      g_autofree char *number = code_text (code);

      if (code == 0 || (code == 200 && is_2xx (status)))
        return NULL;
      if (code == 300 && reason == NULL && message != NULL)
        return g_strdup_printf (_("A rate or quota limit was reached (code 300): %s. Wait, or "
                                  "check the limits of your Analytics plan."), clean);
      if (clean != NULL)
        return g_strdup_printf (_("Error %s: %s"), number, clean);
      if (!is_2xx (status))
        return g_strdup_printf (_("Error %s."), number);
      return NULL;
    }

  /* Channel management answers {"success":false,…} when a query fails. */
  if (get_boolean (object, "success", &flag) && !flag)
    return clean != NULL ? g_strdup_printf (_("The request failed: %s"), clean)
                         : g_strdup (_("The request failed."));

  /* RTC, Console, Cloud Recording gateway, Media Push: {"message":"…"}. A 2xx answer with a
   * message (a token server's {"message":"pong"}) is not an error. */
  if (clean != NULL && !is_2xx (status))
    return g_strdup_printf (_("The server says: %s"), clean);

  return NULL;
}

char *
ak_rest_summarize_json (guint     status,
                        JsonNode *root)
{
  g_autofree char *summary = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  summary = summarize_object (status, json_node_get_object (root));
  if (summary != NULL && status == 429)
    {
      /* Translators: a summary of the server's error, then advice. */
      return g_strdup_printf (_("%s Wait a moment before trying again: Agora limits how many "
                                "requests an account or App ID may send per second."),
                              summary);
    }
  return g_steal_pointer (&summary);
}

JsonNode *
ak_rest_parse_json (const char *data,
                    gsize       length)
{
  if (data == NULL)
    return NULL;
  return ak_json_parse_untrusted (data, length, NULL);
}

/**
 * ak_rest_summarize_error:
 * @status: the HTTP status
 * @body: (nullable): the response body
 *
 * Reads the error fields of the Agora products' error bodies: `{"message"}`,
 * `{"code","reason"}`, `{"result":"failed"}`, `{"errorCode","error":true,"reason"}`,
 * `{"error","error_description"}` and Analytics' `{"code":300,…}`.
 *
 * Returns: (transfer full) (nullable): one sentence, or %NULL when @body has no error fields
 */
char *
ak_rest_summarize_error (guint       status,
                         const char *body)
{
  g_autoptr(JsonNode) root = NULL;

  if (body == NULL)
    return NULL;
  root = ak_rest_parse_json (body, strlen (body));
  return ak_rest_summarize_json (status, root);
}
