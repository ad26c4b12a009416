/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <openssl/crypto.h>

#include "ak-token-server-private.h"

/* ---------------------------------------------------------------------------------------------
 * Requests
 */

/* The agora-token-service shape of an error: what to fix, in a sentence. */
static char *
error_body (const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
ak_token_server_respond_error (Request    *request,
                               guint       status,
                               const char *message)
{
  g_autofree char *body = error_body (message);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* @pairs: key, value, …, NULL. Values are wiped after use: they may be tokens. */
void
ak_token_server_respond_json (Request    *request,
                              const char *first_key,
                              ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *body;
  const char *key;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_key);
  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

void
ak_token_server_respond_text (Request    *request,
                              const char *text)
{
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_COPY, text, strlen (text));
}

static gboolean
origin_matches (const char *pattern,
                const char *origin)
{
  gsize len = strlen (pattern);

  if (g_strcmp0 (pattern, "*") == 0 || g_strcmp0 (pattern, origin) == 0)
    return TRUE;

  /* "scheme://host:*": that host on any port, or on its default port. */
  if (len >= 2 && g_str_has_suffix (pattern, ":*"))
    {
      gsize prefix = len - 2;
      const char *rest;

      if (strncmp (pattern, origin, prefix) != 0)
        return FALSE;
      rest = origin + prefix;
      if (*rest == '\0')
        return TRUE;
      if (*rest != ':' || rest[1] == '\0')
        return FALSE;
      for (rest++; *rest != '\0'; rest++)
        if (!g_ascii_isdigit (*rest))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

static gboolean
origin_allowed (AkTokenServer *self,
                const char    *origin)
{
  for (guint i = 0; self->allowed_origins != NULL && self->allowed_origins[i] != NULL; i++)
    if (origin_matches (self->allowed_origins[i], origin))
      return TRUE;
  return FALSE;
}

static gboolean
api_key_accepted (AkTokenServer *self,
                  SoupServerMessage *msg)
{
  const char *header;
  const char *given;
  gsize key_len;

  if (self->api_key == NULL)
    return TRUE;
  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  given = header + 7;
  while (*given == ' ')
    given++;
  key_len = strlen (self->api_key);
  return strlen (given) == key_len && CRYPTO_memcmp (given, self->api_key, key_len) == 0;
}

/* --- Dispatch and early refusal --- */

/* The path's segments, unescaped, without empty ones from a trailing slash. */
char **
ak_token_server_split_path (const char *path,
                            guint      *n_parts)
{
  g_auto(GStrv) raw = g_strsplit (path, "/", -1);
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  guint count = g_strv_length (raw);

  for (guint i = 0; i < count; i++)
    {
      char *part;

      /* Skip the leading "" and one trailing "" (Gin's routes end in "/"). */
      if ((i == 0 || i == count - 1) && raw[i][0] == '\0')
        continue;
      /* NUL (%00), a broken escape or bytes that are not UTF-8: no name has them. */
      part = g_uri_unescape_string (raw[i], NULL);
      if (part == NULL || !g_utf8_validate (part, -1, NULL))
        {
          g_free (part);
          g_ptr_array_free (parts, TRUE);
          return NULL;
        }
      g_ptr_array_add (parts, part);
    }
  *n_parts = parts->len;
  g_ptr_array_add (parts, NULL);
  return (char **) g_ptr_array_free (parts, FALSE);
}

/* The raw query's names and values, each unescaped, hold no NUL and are UTF-8. */
static gboolean
query_is_clean (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return TRUE;
  pairs = g_strsplit_set (query, "&;=", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_autofree char *text = g_uri_unescape_string (pairs[i], NULL);

      if (text == NULL || !g_utf8_validate (text, -1, NULL))
        return FALSE;
    }
  return TRUE;
}

void
ak_token_server_handle_request (SoupServer        *server,
                                SoupServerMessage *msg,
                                const char        *path,
                                GHashTable        *query,
                                gpointer           user_data)
{
  AkTokenServer *self = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *origin = soup_message_headers_get_one (request_headers, "Origin");
  gint64 start = g_get_monotonic_time ();
  Request request = { self, msg, { 0 } };
  g_auto(GStrv) parts = NULL;
  guint n_parts = 0;

  request.entry.time = g_get_real_time ();
  request.entry.origin = g_strdup (origin);
  request.entry.method = g_strdup (method);
  request.entry.route = g_strdup (path);

  /* Every answer may carry a token or a refusal about one: none may be cached. */
  soup_message_headers_replace (response_headers, "Cache-Control", "no-store");
  soup_message_headers_replace (response_headers, "Pragma", "no-cache");

  if (origin != NULL)
    {
      soup_message_headers_append (response_headers, "Vary", "Origin");
      if (!origin_allowed (self, origin))
        {
          ak_token_server_respond_error (&request, SOUP_STATUS_FORBIDDEN, _("Origin not allowed"));
          goto out;
        }
      soup_message_headers_replace (response_headers, "Access-Control-Allow-Origin", origin);
    }

  if (g_str_equal (method, "OPTIONS"))
    {
      soup_message_headers_replace (response_headers, "Access-Control-Allow-Methods",
                                    "GET, POST, OPTIONS");
      soup_message_headers_replace (response_headers, "Access-Control-Allow-Headers",
                                    "Origin, Content-Type, Authorization");
      soup_message_headers_replace (response_headers, "Access-Control-Max-Age", "600");
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      goto out;
    }

  if (!api_key_accepted (self, msg))
    {
      soup_message_headers_replace (response_headers, "WWW-Authenticate", "Bearer");
      ak_token_server_respond_error (&request, SOUP_STATUS_UNAUTHORIZED,
                                     _("This server needs its API key: send “Authorization: Bearer "
                                       "KEY”."));
      goto out;
    }

  if (g_str_equal (path, "/getToken") || g_str_equal (path, "/getToken/"))
    {
      if (!g_str_equal (method, "POST"))
        {
          soup_message_headers_replace (response_headers, "Allow", "POST, OPTIONS");
          ak_token_server_respond_error (&request, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                         _("Use POST for /getToken."));
        }
      else
        ak_token_server_handle_get_token (&request);
      goto out;
    }

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (response_headers, "Allow", "GET, OPTIONS");
      ak_token_server_respond_error (&request, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                     _("Only POST /getToken takes a body; the other routes use "
                                       "GET."));
      goto out;
    }

  parts = ak_token_server_split_path (path, &n_parts);
  if (parts == NULL || !query_is_clean (msg))
    ak_token_server_respond_error (&request, SOUP_STATUS_BAD_REQUEST,
                                   _("The path or the query holds a NUL (%00), a broken escape or "
                                     "text that is not UTF-8."));
  else
    ak_token_server_handle_get_route (&request, parts, n_parts, query);

out:
  request.entry.status = soup_server_message_get_status (msg);
  request.entry.duration_us = g_get_monotonic_time () - start;
  ak_token_server_emit_request (self, &request.entry);
  g_free (request.entry.origin);
  g_free (request.entry.method);
  g_free (request.entry.route);
  g_free (request.entry.token_type);
  g_free (request.entry.channel);
  g_free (request.entry.uid);
}

/* A refusal decided from the headers alone: answered at once, and the connection closed
 * without reading the body, whatever its size. */
static void
refuse_early (AkTokenServer     *self,
              SoupServerMessage *msg,
              guint              status,
              const char        *message)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *body = error_body (message);
  const char *origin = soup_message_headers_get_one (request_headers, "Origin");
  AkTokenServerEntry entry = { 0 };

  entry.time = g_get_real_time ();
  entry.origin = origin != NULL && g_utf8_validate (origin, -1, NULL) ? g_strdup (origin) : NULL;
  entry.method = g_strdup (soup_server_message_get_method (msg));
  entry.route = g_strdup (uri != NULL ? g_uri_get_path (uri) : "?");
  entry.status = status;

  soup_message_headers_replace (response_headers, "Cache-Control", "no-store");
  soup_message_headers_replace (response_headers, "Pragma", "no-cache");
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (response_headers, "WWW-Authenticate", "Bearer");
  ak_server_listener_refuse (self->listener, msg, status, body);

  ak_token_server_emit_request (self, &entry);
  g_free (entry.origin);
  g_free (entry.method);
  g_free (entry.route);
}

/* The Host header, and an absolute request URI's host, must name this computer or an allowed
 * name: a page whose name was rebound to 127.0.0.1 calls with its own name as the Host. */
static gboolean
request_host_allowed (AkTokenServer     *self,
                      SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_list (headers, "Host");
  GUri *uri = soup_server_message_get_uri (msg);
  const char *names[2] = { NULL, NULL };
  g_autofree char *header_name = NULL;
  g_autofree char *uri_name = NULL;

  /* No Host (HTTP/1.0) or several: refused, as nothing shows which site asked. */
  if (value == NULL || strchr (value, ',') != NULL || uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  header_name = ak_token_server_host_without_port (value);
  if (strchr (g_uri_get_host (uri), ':') != NULL && g_uri_get_host (uri)[0] != '[')
    uri_name = g_strdup_printf ("[%s]", g_uri_get_host (uri));
  else
    uri_name = g_ascii_strdown (g_uri_get_host (uri), -1);
  names[0] = header_name;
  names[1] = uri_name;

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      gboolean allowed;

      if (names[n] == NULL)
        return FALSE;
      allowed = ak_token_server_host_is_this_computer (names[n])
                || g_strv_contains ((const char * const *) self->allowed_hosts, names[n]);
      if (!allowed)
        return FALSE;
    }
  return TRUE;
}

/* libsoup 3.2 reads Content-Length into a signed 64-bit value: 2^63 and more wrap to a
 * negative length, which it then treats as an empty body, and the body's bytes as the next
 * request. Read the header's text as well, and take only plain digits within the limit. */
static gboolean
content_length_acceptable (SoupMessageHeaders *headers)
{
  const char *text = soup_message_headers_get_one (headers, "Content-Length");
  goffset length = soup_message_headers_get_content_length (headers);
  guint64 value;

  if (length < 0 || length > AK_TOKEN_SERVER_MAX_BODY || text == NULL)
    return FALSE;
  while (*text == ' ' || *text == '\t')
    text++;
  return g_ascii_string_to_unsigned (text, 10, 0, AK_TOKEN_SERVER_MAX_BODY, &value, NULL)
         && (goffset) value == length;
}

static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  AkTokenServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* libsoup refused it already (say, a bad URI): its body is not read either. */
  if (soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    {
      refuse_early (self, msg, soup_server_message_get_status (msg),
                    _("The request is not valid HTTP."));
      return;
    }
  if (ak_token_server_address_is_loopback (self->bind_address)
      && !request_host_allowed (self, msg))
    {
      refuse_early (self, msg, SOUP_STATUS_MISDIRECTED_REQUEST,
                    _("This server answers only requests addressed to this computer "
                      "(localhost, 127.0.0.1 or [::1]) or to a name allowed with "
                      "--allow-host: the Host header names another site."));
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && !content_length_acceptable (headers))
    {
      refuse_early (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                    _("The request body is larger than 64 KiB."));
      return;
    }
  /* The preflight carries no credentials; everything else shows the key before its body. */
  if (!g_str_equal (soup_server_message_get_method (msg), "OPTIONS")
      && !api_key_accepted (self, msg))
    refuse_early (self, msg, SOUP_STATUS_UNAUTHORIZED,
                  _("This server needs its API key: send “Authorization: Bearer KEY”."));
}

/* A chunked body announces no length: it is cut off once it passes the limit. */
static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  AkTokenServer *self = user_data;

  if (soup_server_message_get_request_body (msg)->length > AK_TOKEN_SERVER_MAX_BODY)
    refuse_early (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                  _("The request body is larger than 64 KiB."));
}

void
ak_token_server_on_request_started (SoupServer        *server,
                                    SoupServerMessage *msg,
                                    gpointer           user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), user_data);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), user_data);
}
