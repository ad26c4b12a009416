/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-rest-client-private.h"
#include "ak-secret.h"

/* ---------------------------------------------------------------------------------------------
 * The Chat token exchange: an app token traded for a user token, kept until near its expiry
 */

/* Where the Chat token exchange goes: beside the request it serves, `…/{org}/{app}/token` on
 * the request's own origin and path prefix, so that a stand-in at a custom base URL gets it
 * as the real Chat host would. The request's URL passed ak_rest_check_url(): https, or plain
 * http to this machine only. */
char *
ak_rest_chat_exchange_url (const char    *request_url,
                           AkCredential  *project,
                           GError       **error)
{
  g_autoptr(GUri) uri = g_uri_parse (request_url, G_URI_FLAGS_ENCODED, error);
  g_autofree char *org = g_uri_escape_string (ak_credential_get_chat_org (project), NULL, FALSE);
  g_autofree char *app = g_uri_escape_string (ak_credential_get_chat_app (project), NULL, FALSE);
  g_autoptr(GString) prefix = g_string_new (NULL);
  g_autoptr(GUri) exchange = NULL;
  g_auto(GStrv) segments = NULL;
  g_autofree char *path = NULL;
  char *url;

  if (uri == NULL)
    return NULL;
  segments = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 1; segments[i] != NULL; i++)
    {
      g_autofree char *segment = g_uri_unescape_string (segments[i], NULL);
      g_autofree char *next = segments[i + 1] != NULL ? g_uri_unescape_string (segments[i + 1],
                                                                               NULL)
                                                      : NULL;

      if (g_strcmp0 (segment, ak_credential_get_chat_org (project)) == 0
          && g_strcmp0 (next, ak_credential_get_chat_app (project)) == 0)
        break;
      g_string_append_printf (prefix, "/%s", segments[i]);
      if (segments[i + 1] == NULL)
        /* The path does not name the app: the exchange goes to the origin's root. */
        g_string_truncate (prefix, 0);
    }

  path = g_strdup_printf ("%s/%s/%s/token", prefix->str, org, app);
  exchange = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                          g_uri_get_port (uri), path, NULL, NULL);
  url = g_uri_to_string (exchange);
  if (!ak_rest_check_url (url, error))
    g_clear_pointer (&url, g_free);
  return url;
}

/* Exchanged tokens are kept per project, certificate and exchange URL: a stand-in's token is
 * never offered to the real host. */
char *
ak_rest_chat_cache_key (AkCredential *project,
                        const char   *certificate,
                        const char   *exchange_url)
{
  g_autofree char *certificate_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                                     certificate, -1);

  return g_strjoin ("\n", ak_credential_get_id (project), ak_credential_get_app_id (project),
                    exchange_url, certificate_hash, NULL);
}

typedef struct
{
  GTask *task;
  SendOp *op;         /* the task's data */
  char *cache_key;
  GInputStream *input;
  /* The answer, up to CHAT_EXCHANGE_MAX_ANSWER bytes; it holds the token: wiped. */
  GByteArray *answer;
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  g_free (exchange->cache_key);
  g_clear_object (&exchange->input);
  if (exchange->answer != NULL)
    {
      ak_secret_wipe (exchange->answer->data, exchange->answer->len);
      g_byte_array_unref (exchange->answer);
    }
  g_free (exchange);
}

static void
exchange_fail (Exchange *exchange,
               GError   *error)
{
  GTask *task = exchange->task;

  ak_rest_send_op_stop_deadline (exchange->op);
  if (exchange->input != NULL)
    g_input_stream_close_async (exchange->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  exchange_free (exchange);
  ak_rest_send_op_fail (task, error);
}

/* @error is the transport's: said in the user's terms, with the host. */
static void
exchange_fail_transport (Exchange *exchange,
                         GError   *error)
{
  exchange_fail (exchange, ak_rest_describe_transport_error (exchange->op, error));
}

static void exchange_answered (Exchange *exchange, GBytes *body);
static void exchange_read_next (Exchange *exchange);

static void
exchange_chunk_read (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Exchange *exchange = user_data;
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const guint8 *data;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      exchange_fail_transport (exchange, error);
      return;
    }
  data = g_bytes_get_data (chunk, &size);
  if (size == 0)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (exchange->answer->data, exchange->answer->len);

      g_input_stream_close_async (exchange->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&exchange->input);
      exchange_answered (exchange, body);
      return;
    }
  if (exchange->answer->len + size > CHAT_EXCHANGE_MAX_ANSWER)
    {
      g_autofree char *host = ak_rest_describe_host (exchange->op->uri);

      ak_secret_wipe ((gpointer) data, size);
      exchange_fail (exchange, g_error_new (AK_ERROR, AK_ERROR_HTTP,
                                            _("The Chat token exchange at %s answered with "
                                              "more than %u KiB, far more than a token: it is "
                                              "not a Chat server."), host,
                                            CHAT_EXCHANGE_MAX_ANSWER / 1024));
      return;
    }
  g_byte_array_append (exchange->answer, data, size);
  ak_secret_wipe ((gpointer) data, size);
  exchange_read_next (exchange);
}

static void
exchange_read_next (Exchange *exchange)
{
  g_input_stream_read_bytes_async (exchange->input, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   exchange->op->cancellable, exchange_chunk_read, exchange);
}

/* An exchange answer is a few hundred bytes: it is read up to a small limit, so that a
 * hostile server cannot make the client hold an endless body. */
static void
exchange_sent (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Exchange *exchange = user_data;
  g_autoptr(GError) error = NULL;

  exchange->input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (exchange->input == NULL)
    {
      exchange_fail_transport (exchange, error);
      return;
    }
  exchange->answer = g_byte_array_new ();
  exchange_read_next (exchange);
}

static void
exchange_answered (Exchange *exchange,
                   GBytes   *body)
{
  GTask *task = exchange->task;
  SendOp *op = exchange->op;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *host = ak_rest_describe_host (op->uri);
  JsonObject *object_root;
  const char *access_token;
  ChatToken *cached;
  gint64 now = g_get_real_time ();
  gint64 expires_at;
  guint status;
  const char *data;
  gsize size = 0;

  status = soup_message_get_status (op->message);
  data = g_bytes_get_data (body, &size);
  if (size <= AK_REST_ANALYZE_LIMIT)
    root = ak_rest_parse_json (data, size);
  if (status < 200 || status >= 300)
    {
      g_autofree char *summary = ak_rest_summarize_json (status, root);

      ak_rest_send_op_stop_deadline (op);
      if (summary != NULL)
        error = g_error_new (AK_ERROR, AK_ERROR_HTTP,
                             _("The Chat token exchange at %s failed (HTTP %u): %s"), host,
                             status, summary);
      else
        error = g_error_new (AK_ERROR, AK_ERROR_HTTP,
                             _("The Chat token exchange at %s failed (HTTP %u)."), host, status);
      ak_rest_send_op_fail (task, g_steal_pointer (&error));
      exchange_free (exchange);
      return;
    }

  object_root = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  access_token = object_root != NULL ? json_object_get_string_member_with_default (object_root,
                                                                                    "access_token",
                                                                                    NULL)
                                     : NULL;
  if (access_token == NULL || *access_token == '\0'
      || !ak_rest_header_value_is_valid (access_token))
    {
      ak_rest_send_op_stop_deadline (op);
      ak_rest_send_op_fail (task, g_error_new (AK_ERROR, AK_ERROR_HTTP,
                                               _("The Chat token exchange at %s answered without "
                                                 "an access token."), host));
      exchange_free (exchange);
      return;
    }

  /* expire_timestamp is in milliseconds; without it, the minted token's lifetime applies. */
  expires_at = json_object_get_int_member_with_default (object_root, "expire_timestamp", 0) * 1000;
  if (expires_at <= 0)
    expires_at = now + (gint64) op->request->auth.token_expire * G_USEC_PER_SEC;

  g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: Bearer ", access_token, NULL));
  if (expires_at - CHAT_TOKEN_MARGIN_SECONDS * G_USEC_PER_SEC > now)
    {
      cached = g_new0 (ChatToken, 1);
      cached->access_token = g_strdup (access_token);
      cached->valid_until = expires_at - CHAT_TOKEN_MARGIN_SECONDS * G_USEC_PER_SEC;
      g_hash_table_replace (op->client->chat_tokens, g_steal_pointer (&exchange->cache_key),
                            cached);
    }

  /* The body and the parsed copy hold the token too. */
  ak_secret_wipe_string ((char *) access_token);
  ak_secret_wipe ((char *) data, size);

  ak_rest_send_op_clear_message (op);
  exchange_free (exchange);
  ak_rest_send_op_auth_done (task);
}

void
ak_rest_chat_exchange_start (GTask      *task,
                             const char *app_token,
                             char       *cache_key)
{
  SendOp *op = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"grant_type\":\"agora\"}",
                                               strlen ("{\"grant_type\":\"agora\"}"));
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  Exchange *exchange;

  url = ak_rest_chat_exchange_url (op->request->url, op->credential, &error);
  if (url == NULL)
    {
      g_free (cache_key);
      ak_rest_send_op_fail (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&op->uri, g_uri_unref);
  op->uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  ak_rest_send_op_clear_message (op);
  op->message = ak_rest_send_op_new_message (op, "POST", op->uri);
  headers = soup_message_get_request_headers (op->message);
  authorization = g_strconcat ("Bearer ", app_token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  ak_secret_wipe_string (authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (op->message, "application/json", body);

  exchange = g_new0 (Exchange, 1);
  exchange->task = task;
  exchange->op = op;
  exchange->cache_key = cache_key;
  ak_rest_send_op_start_deadline (task);
  soup_session_send_async (op->client->session, op->message, G_PRIORITY_DEFAULT,
                           op->cancellable, exchange_sent, exchange);
}
