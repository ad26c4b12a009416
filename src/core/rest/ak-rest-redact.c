/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ak-json.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-redact.h"
#include "ak-rest-redact-private.h"

/* ---------------------------------------------------------------------------------------------
 * What counts as a secret: by the name of a header, a JSON member or a query parameter
 */

static char *
squeeze_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    if (*p != '_' && *p != '-' && *p != ' ')
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

/**
 * ak_rest_header_is_secret:
 * @name: a header name
 *
 * The one rule for headers: the history leaves these out, "Copy as cURL" puts them in
 * variables, and the client never carries them to another origin after a redirect.
 *
 * Returns: whether a header of that name carries a credential: Authorization,
 *   Proxy-Authorization, x-agora-token, or any name with "token", "secret", "key",
 *   "password", "cookie" or "auth" in it (case-insensitive)
 */
gboolean
ak_rest_header_is_secret (const char *name)
{
  static const char * const words[] = { "token", "secret", "key", "password", "cookie",
                                        "auth" };
  g_autofree char *lower = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  lower = g_strstrip (g_ascii_strdown (name, -1));
  if (g_str_equal (lower, "authorization") || g_str_equal (lower, "proxy-authorization")
      || g_str_equal (lower, "x-agora-token"))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * ak_rest_member_is_secret:
 * @name: a JSON member or query parameter name
 *
 * Returns: whether a value under that name is a secret: "secret", "token", "password",
 *   "sign_key", "certificate", "customer_secret", "access_token", and the names built on
 *   them ("secretKey", "appCertificate", "accessKey"); paging cursors ("pageToken") are not
 */
gboolean
ak_rest_member_is_secret (const char *name)
{
  static const char * const exact[] = { "signkey", "accesskey", "key", "privatekey" };
  static const char * const words[] = { "secret", "token", "password", "passwd",
                                        "certificate" };
  g_autofree char *squeezed = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  squeezed = squeeze_name (name);
  if (strstr (squeezed, "page") != NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (exact); i++)
    if (g_str_equal (squeezed, exact[i]))
      return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (squeezed, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* A replacement for the value of a secret member or parameter; NULL keeps it. */
static gboolean
redact_node (JsonNode          *node,
             AkRestReplaceFunc  replace,
             gpointer     user_data)
{
  gboolean changed = FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *child = json_object_get_member (object, name);

          /* An empty value, and the ConvoAI token placeholder the client fills in at send
           * time, hold no secret: kept, so that the request can be sent again as it was. */
          if (ak_rest_member_is_secret (name) && !JSON_NODE_HOLDS_NULL (child)
              && !(JSON_NODE_HOLDS_VALUE (child)
                   && json_node_get_value_type (child) == G_TYPE_STRING
                   && (json_node_get_string (child)[0] == '\0'
                       || g_str_equal (json_node_get_string (child),
                                       AK_REST_CONVOAI_TOKEN_PLACEHOLDER))))
            {
              g_autofree char *replacement = replace (name, user_data);

              if (replacement != NULL)
                {
                  json_object_set_string_member (object, name, replacement);
                  changed = TRUE;
                }
            }
          else if (redact_node (child, replace, user_data))
            changed = TRUE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (redact_node (json_array_get_element (array, i), replace, user_data))
          changed = TRUE;
    }

  return changed;
}

/* @body with the values of secret-named members replaced; the text itself when it is not
 * JSON or holds no secret, so what the user wrote is kept as written. JSON that cannot be read
 * safely (nested deeper than AK_JSON_MAX_DEPTH, a \u0000, broken) may hide a secret-named
 * member where it cannot be found: the whole body is then replaced, as one secret. */
char *
ak_rest_redact_json_with (const char        *body,
                          AkRestReplaceFunc  replace,
                          gpointer           user_data)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *redacted = NULL;
  gsize length = 0;
  gsize start;

  if (body == NULL)
    return NULL;
  start = strspn (body, " \t\r\n");
  if (body[start] != '{' && body[start] != '[')
    return g_strdup (body);

  /* Mutable: the secret values are replaced in the parsed tree. */
  root = ak_json_parse_untrusted_mutable (body, strlen (body), NULL);
  if (root == NULL)
    return replace ("body", user_data);
  if (!redact_node (root, replace, user_data))
    return g_strdup (body);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, strchr (body, '\n') != NULL);
  redacted = json_generator_to_data (generator, &length);
  /* json-glib 1.6 prints some numbers as no JSON reads them ("1e98" as "1e+98.0", found by
   * fuzz-json): a body sent again or copied as cURL would then be refused. Masked whole. */
  again = ak_json_parse_untrusted (redacted, length, NULL);
  if (again == NULL)
    return replace ("body", user_data);
  return g_steal_pointer (&redacted);
}

/* @url with secret-named query values replaced and any user:password@ removed. Done by hand
 * rather than with GUri, so that a URL GUri refuses is still redacted. */
char *
ak_rest_redact_url_with (const char        *url,
                         AkRestReplaceFunc  replace,
                         gpointer           user_data)
{
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) params = NULL;
  g_autofree char *query = NULL;
  const char *authority;
  const char *authority_end;
  const char *query_start;
  const char *fragment;
  const char *at = NULL;

  if (url == NULL)
    return NULL;

  out = g_string_new (NULL);
  authority = strstr (url, "://");
  authority = authority != NULL ? authority + 3 : url;
  authority_end = authority + strcspn (authority, "/?#");
  for (const char *p = authority; p < authority_end; p++)
    if (*p == '@')
      at = p;
  if (at != NULL)
    {
      g_string_append_len (out, url, authority - url);
      g_string_append_len (out, at + 1, authority_end - at - 1);
    }
  else
    g_string_append_len (out, url, authority_end - url);

  fragment = strchr (authority_end, '#');
  if (fragment == NULL)
    fragment = authority_end + strlen (authority_end);
  query_start = memchr (authority_end, '?', fragment - authority_end);
  if (query_start == NULL)
    {
      g_string_append (out, authority_end);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  g_string_append_len (out, authority_end, query_start + 1 - authority_end);
  query = g_strndup (query_start + 1, fragment - query_start - 1);
  params = g_strsplit (query, "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *eq = strchr (params[i], '=');
      g_autofree char *raw_name = eq != NULL ? g_strndup (params[i], eq - params[i])
                                             : g_strdup (params[i]);
      g_autofree char *name = g_uri_unescape_string (raw_name, NULL);
      g_autofree char *replacement = NULL;

      if (i > 0)
        g_string_append_c (out, '&');
      if (eq != NULL && eq[1] != '\0' && ak_rest_member_is_secret (name != NULL ? name
                                                                              : raw_name))
        replacement = replace (name != NULL ? name : raw_name, user_data);
      if (replacement != NULL)
        g_string_append_printf (out, "%s=%s", raw_name, replacement);
      else
        g_string_append (out, params[i]);
    }
  g_string_append (out, fragment);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
replace_with_mask (const char *name,
                   gpointer    user_data)
{
  return g_strdup (AK_REST_MASK);
}

/**
 * ak_rest_redact_body:
 * @body: (nullable): a request or response body
 *
 * Returns: (transfer full) (nullable): @body with the value of every secret-named JSON
 *   member (see ak_rest_member_is_secret()) replaced by %AK_REST_MASK; a body that is not
 *   JSON comes back as it is, and one that starts like JSON but cannot be read safely (see
 *   ak_json_parse_untrusted()) comes back as %AK_REST_MASK alone
 */
char *
ak_rest_redact_body (const char *body)
{
  return ak_rest_redact_json_with (body, replace_with_mask, NULL);
}


/**
 * ak_rest_redact_url:
 * @url: a request URL
 *
 * Returns: (transfer full): @url without any user:password@ and with the value of every
 *   secret-named query parameter replaced by %AK_REST_MASK
 */
char *
ak_rest_redact_url (const char *url)
{
  return ak_rest_redact_url_with (url != NULL ? url : "", replace_with_mask, NULL);
}

