/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ak-rest-curl.h"
#include "ak-rest-private.h"
#include "ak-rest-redact.h"
#include "ak-rest-redact-private.h"

/* ---------------------------------------------------------------------------------------------
 * Copy as cURL
 */

/* Secret values become shell variables: the text carries a marker per value, and the marker
 * is then cut out and replaced by "$NAME" between the single-quoted pieces. */
typedef struct
{
  char *marker;
  GPtrArray *variables;
} Placeholders;

static char *
variable_name (const char *name)
{
  GString *out = g_string_new ("AGORA_");
  char previous = '_';

  for (const char *p = name; *p != '\0'; p++)
    {
      char c = *p;

      if (g_ascii_isupper (c) && (g_ascii_islower (previous) || g_ascii_isdigit (previous)))
        g_string_append_c (out, '_');
      if (g_ascii_isalnum (c))
        g_string_append_c (out, g_ascii_toupper (c));
      else if (out->str[out->len - 1] != '_')
        g_string_append_c (out, '_');
      previous = c;
    }
  while (out->len > 6 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 6)
    g_string_append (out, "SECRET");
  return g_string_free (out, FALSE);
}

static char *
replace_with_marker (const char *name,
                     gpointer    user_data)
{
  Placeholders *placeholders = user_data;

  g_ptr_array_add (placeholders->variables, variable_name (name));
  return g_strdup_printf ("%s%u_", placeholders->marker, placeholders->variables->len - 1);
}

/* @text as one shell word: single-quoted pieces, with "$VARIABLE" where a marker was. */
static void
append_shell_word (GString      *out,
                   const char   *text,
                   Placeholders *placeholders)
{
  const char *p = text;
  gsize marker_length = placeholders != NULL ? strlen (placeholders->marker) : 0;

  for (;;)
    {
      const char *found = placeholders != NULL ? strstr (p, placeholders->marker) : NULL;
      g_autofree char *piece = NULL;
      g_autofree char *quoted = NULL;
      guint64 index;
      char *end;

      if (found == NULL)
        {
          quoted = g_shell_quote (p);
          g_string_append (out, quoted);
          return;
        }

      index = g_ascii_strtoull (found + marker_length, &end, 10);
      if (*end != '_' || index >= placeholders->variables->len)
        {
          /* Not ours after all (cannot happen with a random marker): keep it as text. */
          piece = g_strndup (p, found + marker_length - p);
          quoted = g_shell_quote (piece);
          g_string_append (out, quoted);
          p = found + marker_length;
          continue;
        }

      if (found > p)
        {
          piece = g_strndup (p, found - p);
          quoted = g_shell_quote (piece);
          g_string_append (out, quoted);
        }
      g_string_append_printf (out, "\"$%s\"",
                              (const char *) g_ptr_array_index (placeholders->variables, index));
      p = end + 1;
      if (*p == '\0')
        return;
    }
}

/* Inside double quotes only \ " $ and ` are special. */
static void
append_double_quoted (GString    *out,
                      const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"' || *p == '$' || *p == '`')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

static void
append_header_arg (GString    *out,
                   const char *header)
{
  g_autofree char *quoted = g_shell_quote (header);

  g_string_append_printf (out, " -H %s", quoted);
}

static gboolean
has_header (const AkRestRequest *request,
            const char          *name)
{
  gsize length = strlen (name);

  if (request->headers == NULL)
    return FALSE;
  for (guint i = 0; i < request->headers->len; i++)
    {
      const char *header = g_ptr_array_index (request->headers, i);

      if (g_ascii_strncasecmp (header, name, length) == 0 && header[length] == ':')
        return TRUE;
    }
  return FALSE;
}

static void
append_auth_placeholders (GString             *out,
                          const AkRestRequest *request)
{
  g_autofree char *uid_header = NULL;
  g_autofree char *quoted = NULL;

  switch (request->auth.scheme)
    {
    case AK_AUTH_BASIC:
      g_string_append (out, " -u \"$AGORA_CUSTOMER_ID:$AGORA_CUSTOMER_SECRET\"");
      break;
    case AK_AUTH_AGORA_TOKEN:
      g_string_append (out, " -H \"Authorization: agora token=$AGORA_TOKEN\"");
      break;
    case AK_AUTH_X_AGORA:
      uid_header = g_strconcat ("x-agora-uid: ",
                                request->auth.user_id != NULL ? request->auth.user_id : "",
                                NULL);
      quoted = g_shell_quote (uid_header);
      g_string_append_printf (out, " -H \"x-agora-token: $AGORA_TOKEN\" -H %s", quoted);
      break;
    case AK_AUTH_BEARER:
    case AK_AUTH_CHAT_EXCHANGE:
      g_string_append (out, " -H \"Authorization: Bearer $AGORA_TOKEN\"");
      break;
    case AK_AUTH_NONE:
    default:
      break;
    }
}

static void
append_extra_header (GString    *out,
                     const char *header,
                     gboolean    with_secrets)
{
  g_autofree char *name = ak_rest_header_line_name (header, NULL);
  g_autofree char *variable = NULL;

  if (name == NULL)
    return;
  if (with_secrets || !ak_rest_header_is_secret (name))
    {
      append_header_arg (out, header);
      return;
    }

  variable = g_ascii_strcasecmp (name, "x-agora-token") == 0 ? g_strdup ("AGORA_TOKEN")
                                                              : variable_name (name);
  g_string_append (out, " -H \"");
  append_double_quoted (out, name);
  g_string_append_printf (out, ": $%s\"", variable);
}

static gboolean
is_plain_word (const char *text)
{
  if (text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/**
 * ak_rest_request_to_curl:
 * @request: the request
 * @auth_headers: (nullable) (element-type utf8): the real auth headers, from
 *   ak_rest_client_resolve_auth_finish(), when the user asked to include secrets
 *
 * Without @auth_headers the command holds no secret: the auth becomes
 * `-u "$AGORA_CUSTOMER_ID:$AGORA_CUSTOMER_SECRET"` or a header with `$AGORA_TOKEN`, credential
 * headers among the extra ones and secret-named JSON members and query parameters become
 * shell variables such as `$AGORA_SECRET_KEY`. Every other word is single-quoted.
 *
 * Returns: (transfer full): one line: `curl -X METHOD 'URL' -H 'Accept: application/json' …`
 */
char *
ak_rest_request_to_curl (const AkRestRequest *request,
                         GPtrArray           *auth_headers)
{
  gboolean with_secrets = auth_headers != NULL;
  const char *method;
  Placeholders placeholders = { NULL, NULL };
  GString *out;

  g_return_val_if_fail (request != NULL, NULL);

  method = request->method != NULL ? request->method : "GET";
  out = g_string_new ("curl -X ");
  if (is_plain_word (method))
    g_string_append (out, method);
  else
    {
      g_autofree char *quoted = g_shell_quote (method);

      g_string_append (out, quoted);
    }

  placeholders.marker = g_strdup_printf ("AKSECRET%08x%08x_", g_random_int (),
                                         g_random_int ());
  placeholders.variables = g_ptr_array_new_with_free_func (g_free);

  g_string_append_c (out, ' ');
  if (with_secrets)
    append_shell_word (out, request->url != NULL ? request->url : "", NULL);
  else
    {
      g_autofree char *url = ak_rest_redact_url_with (request->url != NULL ? request->url : "",
                                         replace_with_marker, &placeholders);

      append_shell_word (out, url, &placeholders);
    }

  if (!has_header (request, "Accept"))
    append_header_arg (out, "Accept: application/json");
  if (request->body != NULL && request->body[0] != '\0'
      && !has_header (request, "Content-Type"))
    append_header_arg (out, "Content-Type: application/json");

  if (with_secrets)
    for (guint i = 0; i < auth_headers->len; i++)
      append_header_arg (out, g_ptr_array_index (auth_headers, i));
  else
    append_auth_placeholders (out, request);

  if (request->headers != NULL)
    for (guint i = 0; i < request->headers->len; i++)
      append_extra_header (out, g_ptr_array_index (request->headers, i), with_secrets);

  if (request->body != NULL && request->body[0] != '\0')
    {
      g_string_append (out, " --data-raw ");
      if (with_secrets)
        append_shell_word (out, request->body, NULL);
      else
        {
          g_autofree char *body = ak_rest_redact_json_with (request->body, replace_with_marker,
                                               &placeholders);

          append_shell_word (out, body, &placeholders);
        }
    }

  g_free (placeholders.marker);
  g_ptr_array_unref (placeholders.variables);
  return g_string_free (out, FALSE);
}

