/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ak-application.h"
#include "ak-core.h"
#include "ak-serve-view-private.h"
#include "ak-test-ui.h"
#include "ak-window-private.h"

/*
 * The Tokens page's Local server view, as a user drives it: the server it starts hands out
 * tokens for the stored project, and answers only the host names it was told to. The other
 * views of the page are test-ui-tokens.c.
 */

#define APP_ID_1 AK_TEST_DEMO_APP_ID
#define CERT_1 AK_TEST_DEMO_CERT

typedef AkTestTokensFixture Fixture;

static gboolean
server_running (gpointer data)
{
  return ak_token_server_get_running (data);
}

typedef struct
{
  GBytes *body;
  guint status;
  gboolean done;
} Fetch;

static void
fetched (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  fetch->status = soup_message_get_status (soup_session_get_async_result_message (
    SOUP_SESSION (object), result));
  fetch->done = TRUE;
}

static gboolean
fetch_done (gpointer data)
{
  return ((Fetch *) data)->done;
}

/* The Serve view starts a real server for the stored project; a token fetched from it
 * verifies, and the request shows in the log. */
static void
test_serve (Fixture       *f,
            gconstpointer  user_data)
{
  AkServeView *serve = ak_tokens_page_get_serve_view (f->page);
  AkTokenServer *server = ak_serve_view_get_server (serve);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(AkToken) token = NULL;
  Fetch fetch = { 0 };

  ak_tokens_page_show (f->page, "serve");
  gtk_editable_set_text (ak_serve_view_get_field (serve, "port"), "0");
  ak_serve_view_set_running (serve, TRUE);
  ak_test_wait_until (server_running, server, "the server");
  g_assert_null (ak_serve_view_get_error (serve));

  base = ak_token_server_get_url (server);
  url = g_strdup_printf ("%s/rtc/demo/publisher/uid/42/", base);
  message = soup_message_new ("GET", url);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, fetched, &fetch);
  ak_test_wait_until (fetch_done, &fetch, "the token");
  g_assert_cmpuint (fetch.status, ==, 200);
  answer = ak_test_parse_json (g_bytes_get_data (fetch.body, NULL),
                               (gssize) g_bytes_get_size (fetch.body));
  token = ak_token_parse (json_object_get_string_member (json_node_get_object (answer),
                                                         "rtcToken"), NULL);
  g_assert_nonnull (token);
  g_assert_true (ak_token_verify (token, CERT_1, NULL, NULL, NULL, NULL));
  g_assert_cmpstr (ak_token_get_service (token, 0)->channel_name, ==, "demo");
  g_assert_cmpuint (ak_serve_view_get_n_log_entries (serve), ==, 1);
  g_bytes_unref (fetch.body);

  ak_serve_view_set_running (serve, FALSE);
  g_assert_false (ak_token_server_get_running (server));
}

/* A raw request with the Host header a client chose, made off the main thread (the server
 * runs on it). */
typedef struct
{
  char *url;
  char *host;
  char *status_line;
  gboolean done;
} RawGet;

static gpointer
raw_get_thread (gpointer data)
{
  RawGet *get = data;
  g_autoptr(GUri) uri = g_uri_parse (get->url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GDataInputStream) lines = NULL;

  g_assert_nonnull (uri);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                (guint16) g_uri_get_port (uri), NULL, NULL);
  g_assert_nonnull (connection);
  request = g_strdup_printf ("GET /rtc/demo/publisher/uid/42/ HTTP/1.1\r\nHost: %s\r\n"
                             "Connection: close\r\n\r\n", get->host);
  g_assert_true (g_output_stream_write_all (
    g_io_stream_get_output_stream (G_IO_STREAM (connection)), request, strlen (request), NULL,
    NULL, NULL));
  lines = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  get->status_line = g_data_input_stream_read_line (lines, NULL, NULL, NULL);
  g_atomic_int_set (&get->done, TRUE);
  return NULL;
}

static gboolean
server_stopped (gpointer data)
{
  return !ak_token_server_get_running (data);
}

static gboolean
raw_get_done (gpointer data)
{
  return g_atomic_int_get (&((RawGet *) data)->done);
}

static char *
get_with_host (const char *url,
               const char *host)
{
  RawGet get = { (char *) url, (char *) host, NULL, FALSE };
  GThread *thread = g_thread_new ("raw-get", raw_get_thread, &get);

  ak_test_wait_until (raw_get_done, &get, "the server's answer");
  g_thread_join (thread);
  return get.status_line;
}

/* The user adds a host name of their own in the Local server view, found by its accessible
 * name: requests for it are served, requests naming another site (DNS rebinding) get 421. */
static void
test_serve_allowed_host (Fixture       *f,
                         gconstpointer  user_data)
{
  AkServeView *serve = ak_tokens_page_get_serve_view (f->page);
  AkTokenServer *server = ak_serve_view_get_server (serve);
  GtkWidget *port;
  GtkWidget *hosts;
  GtkWidget *serving;
  GtkWidget *toggle;
  const char *url;
  g_autofree char *allowed = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *local = NULL;

  ak_tokens_page_show (f->page, "serve");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  port = ak_test_find_shown (GTK_WIDGET (f->page), "Port (0 picks a free one)");
  hosts = ak_test_find_shown (GTK_WIDGET (f->page), "Allowed host names");
  serving = ak_test_find_shown (GTK_WIDGET (f->page), "Serving");
  g_assert_nonnull (port);
  g_assert_nonnull (hosts);
  g_assert_nonnull (serving);
  gtk_editable_set_text (GTK_EDITABLE (port), "0");
  gtk_editable_set_text (GTK_EDITABLE (hosts), "devbox.test, other.test:8080");
  toggle = ak_test_find_of_type (serving, GTK_TYPE_SWITCH);
  g_assert_nonnull (toggle);
  gtk_widget_activate (toggle);
  ak_test_wait_until (server_running, server, "the server");

  url = ak_test_row_subtitle (GTK_WIDGET (f->page), "Server URL");
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  allowed = get_with_host (url, "devbox.test:1234");
  foreign = get_with_host (url, "evil.example");
  local = get_with_host (url, "localhost");
  g_assert_cmpstr (allowed, ==, "HTTP/1.1 200 OK\r");
  g_assert_true (g_str_has_prefix (foreign, "HTTP/1.1 421"));
  g_assert_cmpstr (local, ==, "HTTP/1.1 200 OK\r");

  gtk_widget_activate (toggle);
  ak_test_wait_until (server_stopped, server, "the server to stop");
}

int
main (int   argc,
      char *argv[])
{
  AkApplication *app = ak_test_ui_init (&argc, &argv, FALSE);

#define ADD(path, func) AK_TEST_ADD_TOKENS ("/ak/ui/tokens/" path, app, func)
  ADD ("serve", test_serve);
  ADD ("serve-allowed-host", test_serve_allowed_host);
#undef ADD

  return ak_test_ui_run (&app);
}
