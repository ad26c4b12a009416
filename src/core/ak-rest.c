/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-codec-private.h"
#include "ak-core-enums.h"
#include "ak-error.h"
#include "ak-json.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-private.h"
#include "ak-token.h"

#define MASK "••••••••"
#define MAX_SUMMARY_CHARS 300

/* ---------------------------------------------------------------------------------------------
 * Auth schemes
 */

static const struct
{
  const char *name;
  const char *label;
} schemes[] = {
  [AK_AUTH_NONE] = { "none", N_("No authentication") },
  [AK_AUTH_BASIC] = { "basic", N_("Basic (Customer ID and Secret)") },
  [AK_AUTH_AGORA_TOKEN] = { "agora-token", N_("Agora token (RTM)") },
  [AK_AUTH_X_AGORA] = { "x-agora", N_("x-agora-token headers (legacy)") },
  [AK_AUTH_BEARER] = { "bearer", N_("Bearer (Chat app token)") },
  [AK_AUTH_CHAT_EXCHANGE] = { "chat-exchange", N_("Chat token exchange") },
};

const char *
ak_auth_scheme_to_name (AkAuthScheme scheme)
{
  g_return_val_if_fail (scheme < G_N_ELEMENTS (schemes), NULL);
  return schemes[scheme].name;
}

gboolean
ak_auth_scheme_from_name (const char   *name,
                          AkAuthScheme *scheme)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_str_equal (name, schemes[i].name))
      {
        if (scheme != NULL)
          *scheme = (AkAuthScheme) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ak_auth_scheme_get_label (AkAuthScheme scheme)
{
  g_return_val_if_fail (scheme < G_N_ELEMENTS (schemes), NULL);
  return _(schemes[scheme].label);
}

/* ---------------------------------------------------------------------------------------------
 * Requests and responses
 */

static void
secret_free (gpointer data)
{
  ak_secret_string_free (data);
}

/* Custom headers and bodies can hold secrets the user typed: they are wiped like the rest. */
static GPtrArray *
header_array_new (void)
{
  return g_ptr_array_new_with_free_func (secret_free);
}

/**
 * ak_rest_request_new:
 * @method: "GET", "POST", …
 * @url: the full URL
 *
 * Returns: (transfer full): a request without body, extra headers or authentication
 */
AkRestRequest *
ak_rest_request_new (const char *method,
                     const char *url)
{
  AkRestRequest *request = g_new0 (AkRestRequest, 1);

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->headers = header_array_new ();
  request->auth.scheme = AK_AUTH_NONE;
  request->auth.token_expire = 3600;
  return request;
}

AkRestRequest *
ak_rest_request_copy (const AkRestRequest *request)
{
  AkRestRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_new0 (AkRestRequest, 1);
  copy->method = g_strdup (request->method);
  copy->url = g_strdup (request->url);
  copy->body = g_strdup (request->body);
  copy->headers = header_array_new ();
  for (guint i = 0; request->headers != NULL && i < request->headers->len; i++)
    g_ptr_array_add (copy->headers, g_strdup (g_ptr_array_index (request->headers, i)));
  copy->auth.scheme = request->auth.scheme;
  copy->auth.credential_label = g_strdup (request->auth.credential_label);
  copy->auth.secondary = request->auth.secondary;
  copy->auth.user_id = g_strdup (request->auth.user_id);
  copy->auth.token = g_strdup (request->auth.token);
  copy->auth.token_expire = request->auth.token_expire;
  copy->auth.channel = g_strdup (request->auth.channel);
  copy->endpoint_id = g_strdup (request->endpoint_id);
  copy->timeout_seconds = request->timeout_seconds;
  return copy;
}

void
ak_rest_request_free (AkRestRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->url);
  ak_secret_string_free (request->body);
  g_clear_pointer (&request->headers, g_ptr_array_unref);
  g_free (request->auth.credential_label);
  g_free (request->auth.user_id);
  ak_secret_string_free (request->auth.token);
  g_free (request->auth.channel);
  g_free (request->endpoint_id);
  g_free (request);
}

/**
 * ak_rest_request_add_header:
 *
 * Appends "@name: @value" to the extra headers. Checked when the request is sent.
 */
void
ak_rest_request_add_header (AkRestRequest *request,
                            const char    *name,
                            const char    *value)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL);

  if (request->headers == NULL)
    request->headers = header_array_new ();
  g_ptr_array_add (request->headers, g_strdup_printf ("%s: %s", name, value != NULL ? value : ""));
}

G_DEFINE_BOXED_TYPE (AkRestRequest, ak_rest_request, ak_rest_request_copy, ak_rest_request_free)

/**
 * ak_rest_response_new:
 *
 * Returns: (transfer full): an empty response (no headers, no body), to fill in
 */
AkRestResponse *
ak_rest_response_new (void)
{
  AkRestResponse *response = g_new0 (AkRestResponse, 1);

  response->headers = g_ptr_array_new_with_free_func (g_free);
  return response;
}

AkRestResponse *
ak_rest_response_copy (const AkRestResponse *response)
{
  AkRestResponse *copy;

  g_return_val_if_fail (response != NULL, NULL);

  copy = ak_rest_response_new ();
  copy->status = response->status;
  copy->reason = g_strdup (response->reason);
  for (guint i = 0; response->headers != NULL && i < response->headers->len; i++)
    g_ptr_array_add (copy->headers, g_strdup (g_ptr_array_index (response->headers, i)));
  copy->body = response->body != NULL ? g_bytes_ref (response->body) : NULL;
  copy->content_type = g_strdup (response->content_type);
  copy->duration_ms = response->duration_ms;
  copy->request_id = g_strdup (response->request_id);
  copy->error_summary = g_strdup (response->error_summary);
  copy->success = response->success;
  copy->masked_body = g_strdup (response->masked_body);
  copy->body_length = response->body_length;
  copy->body_truncated = response->body_truncated;
  copy->body_file = response->body_file != NULL ? ak_rest_body_file_ref (response->body_file)
                                                : NULL;
  copy->console_projects = response->console_projects != NULL
                             ? g_ptr_array_ref (response->console_projects) : NULL;
  return copy;
}

void
ak_rest_response_free (AkRestResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->reason);
  g_clear_pointer (&response->headers, g_ptr_array_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->content_type);
  g_free (response->request_id);
  g_free (response->error_summary);
  g_free (response->masked_body);
  g_clear_pointer (&response->body_file, ak_rest_body_file_unref);
  g_clear_pointer (&response->console_projects, g_ptr_array_unref);
  g_free (response);
}

G_DEFINE_BOXED_TYPE (AkRestResponse, ak_rest_response, ak_rest_response_copy,
                     ak_rest_response_free)

/* ---------------------------------------------------------------------------------------------
 * Headers
 */

/* RFC 9110 token characters. */
gboolean
ak_rest_header_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
ak_rest_header_value_is_valid (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if (*p == '\r' || *p == '\n' || (*p != '\t' && g_ascii_iscntrl (*p)))
      return FALSE;
  return TRUE;
}

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

/* Kept for the callers that only ask whether json-glib may be given @data: the same check
 * ak_json_parse_untrusted() makes first, so no caller gets a laxer one. */
gboolean
ak_rest_json_is_one_value (const char *data,
                           gsize       length)
{
  if (data == NULL)
    return FALSE;
  return ak_json_check_untrusted (data, length, NULL);
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

/* ---------------------------------------------------------------------------------------------
 * Masking certificates in project listings
 */

static gboolean
is_sign_key_name (const char *name)
{
  return g_strcmp0 (name, "sign_key") == 0;
}

static gboolean
node_is_maskable (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return *json_node_get_string (node) != '\0';
  return TRUE;
}

static gboolean
tree_has_maskable (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (tree_has_maskable (json_array_get_element (array, i)))
          return TRUE;
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if ((is_sign_key_name (name) && node_is_maskable (member)) || tree_has_maskable (member))
          return TRUE;
    }
  return FALSE;
}

/* A walk over the raw text, so that everything but the masked values stays as the server
 * sent it (number spelling, member order, spacing). It records the byte spans of the values
 * of "sign_key" members. */
typedef struct
{
  const char *data;
  const char *p;
  const char *end;
  GArray *spans;
  guint depth;
} Scan;

typedef struct
{
  gsize start;
  gsize end;
} Span;

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
skip_space (Scan *scan)
{
  while (scan->p < scan->end && is_json_space (*scan->p))
    scan->p++;
}

static gboolean
scan_string (Scan *scan)
{
  if (scan->p >= scan->end || *scan->p != '"')
    return FALSE;
  for (scan->p++; scan->p < scan->end; scan->p++)
    {
      /* json-glib takes escapes JSON does not have ("\i" reads as "i"), so a name could say
       * sign_key to the parser and not to this walk: such text goes to the tree instead. */
      if (*scan->p == '\\')
        {
          scan->p++;
          if (scan->p >= scan->end || *scan->p == '\0'
              || strchr ("\"\\/bfnrtu", *scan->p) == NULL)
            return FALSE;
        }
      else if (*scan->p == '"')
        {
          scan->p++;
          return TRUE;
        }
    }
  return FALSE;
}

/* The member name between @start and @end (quotes included), decoded enough to compare it
 * with an ASCII name: escapes that make anything else fail the comparison. */
static char *
decode_name (const char *start,
             const char *end)
{
  g_autoptr(GString) name = g_string_new (NULL);

  for (const char *p = start + 1; p < end - 1; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (name, *p);
          continue;
        }
      p++;
      if (p < end - 1 && *p == 'u' && end - 1 - p > 4)
        {
          char hex[5] = { p[1], p[2], p[3], p[4], '\0' };
          guint64 code;

          if (!g_ascii_string_to_unsigned (hex, 16, 0, 0x7f, &code, NULL) || code == 0)
            return NULL;
          g_string_append_c (name, (char) code);
          p += 4;
        }
      else if (p < end - 1 && strchr ("\"\\/", *p) != NULL)
        g_string_append_c (name, *p);
      else
        return NULL;
    }
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static gboolean scan_value (Scan *scan, gboolean record);

static gboolean
scan_object (Scan *scan)
{
  scan->p++;
  skip_space (scan);
  if (scan->p < scan->end && *scan->p == '}')
    {
      scan->p++;
      return TRUE;
    }

  while (scan->p < scan->end)
    {
      const char *name_start = scan->p;
      g_autofree char *name = NULL;

      if (!scan_string (scan))
        return FALSE;
      name = decode_name (name_start, scan->p);
      skip_space (scan);
      if (scan->p >= scan->end || *scan->p != ':')
        return FALSE;
      scan->p++;
      skip_space (scan);
      if (!scan_value (scan, is_sign_key_name (name)))
        return FALSE;
      skip_space (scan);
      if (scan->p >= scan->end)
        return FALSE;
      if (*scan->p == '}')
        {
          scan->p++;
          return TRUE;
        }
      if (*scan->p != ',')
        return FALSE;
      scan->p++;
      skip_space (scan);
    }
  return FALSE;
}

static gboolean
scan_array (Scan *scan)
{
  scan->p++;
  skip_space (scan);
  if (scan->p < scan->end && *scan->p == ']')
    {
      scan->p++;
      return TRUE;
    }

  while (scan->p < scan->end)
    {
      if (!scan_value (scan, FALSE))
        return FALSE;
      skip_space (scan);
      if (scan->p >= scan->end)
        return FALSE;
      if (*scan->p == ']')
        {
          scan->p++;
          return TRUE;
        }
      if (*scan->p != ',')
        return FALSE;
      scan->p++;
      skip_space (scan);
    }
  return FALSE;
}

static gboolean
scan_value (Scan     *scan,
            gboolean  record)
{
  const char *start = scan->p;
  guint spans_before = scan->spans->len;
  gboolean ok;

  if (scan->p >= scan->end)
    return FALSE;

  if (*scan->p == '{' || *scan->p == '[')
    {
      if (++scan->depth > AK_JSON_MAX_DEPTH)
        return FALSE;
      ok = *scan->p == '{' ? scan_object (scan) : scan_array (scan);
      scan->depth--;
    }
  else if (*scan->p == '"')
    ok = scan_string (scan);
  else
    {
      while (scan->p < scan->end
             && (g_ascii_isalnum (*scan->p) || *scan->p == '+' || *scan->p == '-'
                 || *scan->p == '.'))
        scan->p++;
      ok = scan->p > start;
    }

  if (ok && record)
    {
      gsize length = (gsize) (scan->p - start);
      gboolean empty = (length == 2 && start[0] == '"')
                       || (length == 4 && memcmp (start, "null", 4) == 0);

      if (!empty)
        {
          Span span = { (gsize) (start - scan->data), (gsize) (scan->p - scan->data) };

          /* A "sign_key" inside this value goes with it: overlapping spans would copy from
           * before the last one (found by fuzz-rest-error as a read past the body). */
          g_array_set_size (scan->spans, spans_before);
          g_array_append_val (scan->spans, span);
        }
    }
  return ok;
}

/* @data with each span replaced by the mask. */
static char *
splice_masks (const char *data,
              gsize       length,
              GArray     *spans)
{
  GString *masked = g_string_sized_new (length);
  gsize copied = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      g_string_append_len (masked, data + copied, (gssize) (span->start - copied));
      g_string_append (masked, "\"" MASK "\"");
      copied = span->end;
    }
  g_string_append_len (masked, data + copied, (gssize) (length - copied));
  return g_string_free (masked, FALSE);
}

static void
mask_tree (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        mask_tree (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *member = json_object_get_member (object, name);

          /* The member is replaced, not re-initialized: json_node_init_string() on a parsed
           * node leaks, and corrupts GSlice memory, with json-glib 1.6. Replacing frees @name,
           * which is not read again. */
          if (is_sign_key_name (name) && node_is_maskable (member))
            json_object_set_string_member (object, name, MASK);
          else
            mask_tree (member);
        }
    }
}

/* What is shown instead of a body that names a "sign_key" but cannot be read as JSON (too
 * deep, a NUL, broken): its values cannot be found by their member, so none of it is shown.
 * The name is looked for as text only to choose between hiding the whole body and showing one
 * with no certificate in it; a server that escapes the name in a body it breaks on purpose
 * knows the certificate already. */
/* Whether @data may name a "sign_key" in some reading: literally, or through an escape (json-glib
 * reads "s\ign_key" and "sign\u005fkey" as the name) or a NUL byte that a reader may skip. */
static gboolean
text_may_name_sign_key (const char *data,
                        gsize       length)
{
  static const char name[] = "sign_key";

  /* Not strstr(): a NUL byte (one reason to be unreadable) must not end the search. */
  for (gsize i = 0; i < length; i++)
    if (data[i] == '\\' || data[i] == '\0'
        || (i + sizeof name - 1 <= length && memcmp (data + i, name, sizeof name - 1) == 0))
      return TRUE;
  return FALSE;
}

/* What is shown instead of a body that may name a "sign_key" but cannot be read as JSON (too
 * deep, a NUL, an escape JSON does not have, broken): its values cannot be found by their
 * member, so none of it is shown. A broken body with no such name (a cut-off error message)
 * is still shown as it came. */
static char *
hide_unreadable_body (const char *data,
                      gsize       length)
{
  g_autoptr(GError) error = NULL;
  gsize i = 0;

  if (data == NULL)
    return NULL;
  while (i < length && is_json_space (data[i]))
    i++;
  if (i == length || (data[i] != '{' && data[i] != '[')
      || !text_may_name_sign_key (data, length))
    return NULL;

  /* The reason without building a tree: this also serves bodies too large to parse. */
  if (ak_json_check_untrusted (data, length, &error))
    g_set_error_literal (&error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("It is not valid JSON."));
  /* Translators: %s says why the JSON could not be read */
  return g_strdup_printf (_("The body is not shown: it may hold a certificate (sign_key), but "
                            "it could not be read to mask it. %s"), error->message);
}

char *
ak_rest_mask_json (const char *data,
                   gsize       length,
                   JsonNode   *root)
{
  g_autoptr(GArray) spans = NULL;
  Scan scan;

  /* Before anything points into @data: an empty body may come as NULL (g_bytes_get_data()),
   * and even NULL + 0 is undefined behaviour. */
  if (root == NULL)
    return hide_unreadable_body (data, length);
  if (!tree_has_maskable (root))
    return NULL;

  spans = g_array_new (FALSE, FALSE, sizeof (Span));
  scan = (Scan) { data, data, data + length, spans, 0 };
  skip_space (&scan);
  if (!scan_value (&scan, FALSE) || spans->len == 0)
    {
      /* The text walk disagrees with the parser: mask a mutable tree and print that. */
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) tree = ak_json_parse_untrusted_mutable (data, length, NULL);

      if (tree == NULL)
        return hide_unreadable_body (data, length);
      mask_tree (tree);
      json_generator_set_root (generator, tree);
      json_generator_set_pretty (generator, TRUE);
      return json_generator_to_data (generator, NULL);
    }

  return splice_masks (data, length, spans);
}

char *
ak_rest_mask_text (const char *data,
                   gsize       length)
{
  g_autoptr(GArray) spans = NULL;
  Scan scan;

  if (data == NULL)
    return NULL;
  spans = g_array_new (FALSE, FALSE, sizeof (Span));
  scan = (Scan) { data, data, data + length, spans, 0 };
  skip_space (&scan);
  /* A walk that fails (too deep, broken) or stops before the end has not seen every value. */
  if (!scan_value (&scan, FALSE))
    return hide_unreadable_body (data, length);
  skip_space (&scan);
  if (scan.p != scan.end)
    return hide_unreadable_body (data, length);
  if (spans->len == 0)
    return NULL;
  return splice_masks (data, length, spans);
}

char *
ak_rest_mask_body (const char *body,
                   gssize      length)
{
  g_autoptr(JsonNode) root = NULL;
  gsize size;

  if (body == NULL)
    return NULL;
  size = length < 0 ? strlen (body) : (gsize) length;
  root = ak_rest_parse_json (body, size);
  return ak_rest_mask_json (body, size, root);
}

/* ---------------------------------------------------------------------------------------------
 * Hosts and URLs
 */

const char * const *
ak_rest_get_hosts (void)
{
  static const char * const hosts[] = {
    "api.agora.io",
    "api.sd-rtn.com",
    "api-us-west-1.agora.io",
    "api-us-east-1.agora.io",
    "api-ap-southeast-1.agora.io",
    "api-ap-northeast-1.agora.io",
    "api-eu-west-1.agora.io",
    "api-eu-central-1.agora.io",
    "api-cn-east-1.agora.io",
    "api-cn-north-1.agora.io",
    "api-us-west-1.sd-rtn.com",
    "api-us-east-1.sd-rtn.com",
    "api-ap-southeast-1.sd-rtn.com",
    "api-ap-northeast-1.sd-rtn.com",
    "api-eu-west-1.sd-rtn.com",
    "api-eu-central-1.sd-rtn.com",
    "api-cn-east-1.sd-rtn.com",
    "api-cn-north-1.sd-rtn.com",
    NULL
  };

  return hosts;
}

gboolean
ak_rest_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize length;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  length = strlen (host);
  if (length > 2 && host[0] == '[' && host[length - 1] == ']')
    bare = g_strndup (host + 1, length - 2);
  else
    bare = g_strdup (host);
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* "{appid}" and the like, copied from a template and never filled. */
static char *
find_placeholder (const char *text)
{
  for (const char *open = strchr (text, '{'); open != NULL; open = strchr (open + 1, '{'))
    {
      const char *p = open + 1;

      if (!g_ascii_isalpha (*p) && *p != '_')
        continue;
      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      if (*p == '}')
        return g_strndup (open, (gsize) (p - open + 1));
    }
  return NULL;
}

static gboolean
has_scheme (const char *text)
{
  const char *colon = strstr (text, "://");

  if (colon == NULL || colon == text)
    return FALSE;
  for (const char *p = text; p < colon; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/* Percent-encodes what may not appear in a URL (spaces, quotes, braces, non-ASCII), leaving
 * reserved characters and existing %XX escapes alone. */
static char *
escape_url (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-._~:/?#[]@!$&'()*+,;=", *p) != NULL
          || (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])))
        g_string_append_c (escaped, (char) *p);
      else
        g_string_append_printf (escaped, "%%%02X", *p);
    }
  return g_string_free (escaped, FALSE);
}

/**
 * ak_rest_check_url:
 * @url: a full URL
 *
 * Returns: %TRUE if @url may be sent: https, or plain http to this computer only, with a host,
 *   without credentials or unfilled placeholders; otherwise %FALSE with an
 *   %AK_ERROR_INVALID_INPUT sentence
 */
gboolean
ak_rest_check_url (const char  *url,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *placeholder = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("Enter a URL."));
      return FALSE;
    }

  placeholder = find_placeholder (url);
  if (placeholder != NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The URL still has the placeholder %s: fill it in before sending."),
                   placeholder);
      return FALSE;
    }

  for (const guchar *p = (const guchar *) url; *p != '\0'; p++)
    if (*p <= ' ' || *p >= 0x7f)
      {
        g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                             _("The URL contains spaces or other characters that must be "
                               "percent-encoded."));
        return FALSE;
      }

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || !has_scheme (url))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("“%s” is not a URL: write it like https://api.agora.io/dev/v1/projects."),
                   url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("“%s” has no host name."), url);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("Do not put a user name or password in the URL: keep the "
                             "credential in Credentials and choose an authentication scheme."));
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (ak_rest_host_is_loopback (host))
        return TRUE;
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Plain http:// is only allowed to this computer (localhost, 127.0.0.1, "
                     "::1): use https://%s instead."),
                   host);
      return FALSE;
    }

  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("“%s” URLs cannot be sent: use https://."), scheme);
  return FALSE;
}

/**
 * ak_rest_build_url:
 * @host_or_base_url: a host ("api.agora.io", "a41.chat.agora.io:443"), which means https, or a
 *   base URL ("https://tokens.example.com/v2", "http://127.0.0.1:8080")
 * @path: (nullable): the path, with or without its leading "/", and any query string; a full
 *   http(s) URL here replaces the host
 *
 * Characters a URL cannot hold are percent-encoded; the result is checked with
 * ak_rest_check_url().
 *
 * Returns: (transfer full): the URL, or %NULL with an %AK_ERROR_INVALID_INPUT error
 */
char *
ak_rest_build_url (const char  *host_or_base_url,
                   const char  *path,
                   GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *trimmed_path = g_strstrip (g_strdup (path != NULL ? path : ""));
  g_autofree char *joined = NULL;
  g_autofree char *placeholder = NULL;
  g_autofree char *url = NULL;
  const char *relative;

  if (has_scheme (trimmed_path))
    joined = g_steal_pointer (&trimmed_path);
  else
    {
      gsize length;

      base = g_strstrip (g_strdup (host_or_base_url != NULL ? host_or_base_url : ""));
      if (*base == '\0')
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("Choose a host or enter a base URL."));
          return NULL;
        }
      if (!has_scheme (base))
        {
          char *with_scheme = g_strconcat ("https://", base, NULL);

          g_free (base);
          base = with_scheme;
        }
      length = strlen (base);
      while (length > (gsize) (strstr (base, "://") - base) + 3 && base[length - 1] == '/')
        base[--length] = '\0';

      relative = trimmed_path;
      while (*relative == '/')
        relative++;
      joined = g_strconcat (base, "/", relative, NULL);
    }

  /* Before escaping, which would hide the braces. */
  placeholder = find_placeholder (joined);
  if (placeholder != NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The path still has the placeholder %s: fill it in before sending."),
                   placeholder);
      return NULL;
    }

  url = escape_url (joined);
  if (!ak_rest_check_url (url, error))
    return NULL;
  return g_steal_pointer (&url);
}

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
