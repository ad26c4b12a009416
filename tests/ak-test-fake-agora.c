/* ak-test-fake-agora.c: a fake Agora on loopback, for every test that sends requests
 *
 * A SoupServer on 127.0.0.1 running in a thread of its own, so that a test's main loop may
 * block or stall without the server stalling with it. Declared in ak-test-util.h.
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ak-test-util.h"

struct _AkTestServer
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  guint port;
  AkTestServerSetup setup;
  gpointer user_data;

  GMutex lock;
  GCond cond;
  /* Under the lock. */
  gboolean ready;
  char *error;
  guint n_requests;
  char *last[AK_TEST_REQUEST_BODY + 1];
};

/* Before any handler: the body is whole by now. */
static void
record_request (SoupServer        *soup_server,
                SoupServerMessage *msg,
                gpointer           data)
{
  AkTestServer *server = data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  g_mutex_lock (&server->lock);
  server->n_requests++;
  g_free (server->last[AK_TEST_REQUEST_METHOD]);
  server->last[AK_TEST_REQUEST_METHOD] = g_strdup (soup_server_message_get_method (msg));
  g_free (server->last[AK_TEST_REQUEST_PATH]);
  server->last[AK_TEST_REQUEST_PATH] = g_strdup (g_uri_get_path (uri));
  g_free (server->last[AK_TEST_REQUEST_QUERY]);
  server->last[AK_TEST_REQUEST_QUERY] = g_strdup (g_uri_get_query (uri));
  g_free (server->last[AK_TEST_REQUEST_BODY]);
  server->last[AK_TEST_REQUEST_BODY] = g_strndup (body->data, body->length);
  g_mutex_unlock (&server->lock);
}

static gpointer
server_thread (gpointer data)
{
  AkTestServer *server = data;
  g_autoptr(GError) error = NULL;
  GSList *uris = NULL;

  g_main_context_push_thread_default (server->context);
  server->server = soup_server_new (NULL, NULL);
  g_signal_connect (server->server, "request-read", G_CALLBACK (record_request), server);
  if (server->setup != NULL)
    server->setup (server->server, server->user_data);
  if (soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    uris = soup_server_get_uris (server->server);

  g_mutex_lock (&server->lock);
  if (uris != NULL)
    server->port = (guint) g_uri_get_port (uris->data);
  server->error = error != NULL ? g_strdup (error->message) : NULL;
  server->ready = TRUE;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  if (error == NULL)
    g_main_loop_run (server->loop);

  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  while (g_main_context_iteration (server->context, FALSE))
    ;
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

AkTestServer *
ak_test_server_new_with_setup (AkTestServerSetup setup,
                               gpointer          user_data)
{
  AkTestServer *server = g_new0 (AkTestServer, 1);

  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->setup = setup;
  server->user_data = user_data;
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("ak-test-server", server_thread, server);

  g_mutex_lock (&server->lock);
  while (!server->ready)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
  if (server->error != NULL)
    g_error ("The fake server cannot listen on loopback: %s", server->error);
  return server;
}

typedef struct
{
  SoupServerCallback handler;
  gpointer user_data;
} CatchAll;

static void
add_catch_all (SoupServer *soup_server,
               gpointer    data)
{
  CatchAll *all = data;

  soup_server_add_handler (soup_server, NULL, all->handler, all->user_data, NULL);
}

AkTestServer *
ak_test_server_new (SoupServerCallback handler,
                    gpointer           user_data)
{
  /* Used by the thread only before ak_test_server_new_with_setup() returns. */
  CatchAll all = { handler, user_data };

  return ak_test_server_new_with_setup (add_catch_all, &all);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
ak_test_server_free (AkTestServer *server)
{
  g_main_context_invoke (server->context, quit_loop, server->loop);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  for (guint i = 0; i < G_N_ELEMENTS (server->last); i++)
    g_free (server->last[i]);
  g_free (server->error);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server);
}

guint
ak_test_server_get_port (AkTestServer *server)
{
  return server->port;
}

char *
ak_test_server_get_url (AkTestServer *server)
{
  return g_strdup_printf ("http://127.0.0.1:%u", server->port);
}

GMainContext *
ak_test_server_get_context (AkTestServer *server)
{
  return server->context;
}

guint
ak_test_server_get_n_requests (AkTestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->n_requests;
  g_mutex_unlock (&server->lock);
  return n;
}

static char *
dup_last (AkTestServer      *server,
          AkTestRequestPart  part)
{
  char *copy;

  g_assert_cmpint (part, <, G_N_ELEMENTS (server->last));
  g_mutex_lock (&server->lock);
  copy = g_strdup (server->last[part]);
  g_mutex_unlock (&server->lock);
  return copy;
}

void
ak_test_server_assert_last (AkTestServer      *server,
                            AkTestRequestPart  part,
                            const char        *expected)
{
  g_autofree char *actual = dup_last (server, part);

  g_assert_cmpstr (actual, ==, expected);
}

SoupSession *
ak_test_session_new (void)
{
  SoupSession *session = soup_session_new ();

  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

void
ak_test_reply_json (SoupServerMessage *msg,
                    guint              status,
                    const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* A streamed body's byte at @offset: text, or [0,0,…,0] for the dense JSON case. */
static char
stream_byte (guint64  offset,
             guint64  size,
             gboolean dense_json)
{
  if (!dense_json)
    return (char) ('a' + (offset * 7 + offset / 65536) % 26);
  if (offset == 0)
    return '[';
  if (offset == size - 1)
    return ']';
  return offset % 2 == 1 ? '0' : ',';
}

typedef struct
{
  guint64 size;
  guint64 sent;
  gboolean dense_json;
} Stream;

/* Appends the next slice, or ends the body. */
static void
stream_next (SoupServerMessage *msg,
             Stream            *stream)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize n = (gsize) MIN ((guint64) AK_TEST_STREAM_SLICE, stream->size - stream->sent);
  char *slice;

  if (n == 0)
    soup_message_body_complete (body);
  else
    {
      slice = g_malloc (n);
      for (gsize i = 0; i < n; i++)
        slice[i] = stream_byte (stream->sent + i, stream->size, stream->dense_json);
      stream->sent += n;
      soup_message_body_append (body, SOUP_MEMORY_TAKE, slice, n);
    }
  soup_server_message_unpause (msg);
}

void
ak_test_reply_stream (SoupServerMessage *msg,
                      const char        *what)
{
  Stream *stream = g_new0 (Stream, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Sent slices are dropped, so that the test's own memory stays small. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  stream->dense_json = g_str_has_prefix (what, "json-");
  stream->size = g_ascii_strtoull (stream->dense_json ? what + 5 : what, NULL, 10);
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, stream->dense_json ? "application/json"
                                                                     : "text/plain", NULL);
  g_object_set_data_full (G_OBJECT (msg), "ak-stream", stream, g_free);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (stream_next), stream);
  stream_next (msg, stream);
}

char *
ak_test_stream_checksum (guint64  size,
                         gboolean dense_json)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *slice = g_malloc (AK_TEST_STREAM_SLICE);

  for (guint64 offset = 0; offset < size; offset += AK_TEST_STREAM_SLICE)
    {
      gsize n = (gsize) MIN ((guint64) AK_TEST_STREAM_SLICE, size - offset);

      for (gsize i = 0; i < n; i++)
        slice[i] = (guchar) stream_byte (offset + i, size, dense_json);
      g_checksum_update (checksum, slice, n);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

char *
ak_test_file_checksum (const char *path,
                       guint64    *size)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *slice = g_malloc (AK_TEST_STREAM_SLICE);
  gssize n;

  input = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  *size = 0;
  while ((n = g_input_stream_read (G_INPUT_STREAM (input), slice, AK_TEST_STREAM_SLICE, NULL,
                                   &error)) > 0)
    {
      g_checksum_update (checksum, slice, (gsize) n);
      *size += (guint64) n;
    }
  g_assert_no_error (error);
  return g_strdup (g_checksum_get_string (checksum));
}
