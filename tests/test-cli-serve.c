/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-test-util.h"

/*
 * agora-keys-cli serve, run as a user would, against libsecret's file backend in a
 * throwaway $HOME, asked over loopback only.
 */

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"

static const char *cli_path;

typedef AkTestHome Fixture;

static GSubprocessLauncher *
launcher_new (Fixture         *fixture,
              GSubprocessFlags flags,
              gboolean         keyring)
{
  GSubprocessLauncher *launcher = ak_test_cli_launcher_new ();

  g_subprocess_launcher_set_flags (launcher, flags);
  ak_test_launcher_set_home (launcher, fixture->home,
                             keyring ? AK_TEST_KEYRING_FILE : AK_TEST_KEYRING_NONE);
  return launcher;
}

/* @args[0] is the CLI itself. */
static int
run_to_end (Fixture             *fixture,
            gboolean             keyring,
            const char          *input,
            char               **err,
            const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(AkTestCliResult) result = { 0 };

  launcher = launcher_new (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                    | G_SUBPROCESS_FLAGS_STDERR_PIPE, keyring);
  ak_test_run_cliv (launcher, &result, input, args + 1);
  *err = g_steal_pointer (&result.err);
  return result.status;
}

static char *
fetch (SoupSession *session,
       const char  *method,
       const char  *url,
       const char  *body,
       guint       *status)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The status of a GET sent with @host as its Host header, on a raw connection. */
static guint
status_with_host (const char *url,
                  const char *path,
                  const char *host)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: %s\r\n"
                                              "Connection: close\r\n\r\n", path, host);
  char response[4096] = { 0 };
  gsize length = 0;
  guint status = 0;

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_uri (client, url, 80, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            request, strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), response,
                           sizeof response - 1, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sscanf (response, "HTTP/1.1 %u", &status), ==, 1);
  return status;
}

static void
test_serve (Fixture       *fixture,
            gconstpointer  data)
{
  const char * const add[] = { cli_path, "credential", "add", "project", "--label", "Demo",
                               "--app-id", APP_ID, NULL };
  const char * const serve[] = { cli_path, "serve", "--project", "Demo", "--port", "0",
                                 "--allow-host", "MyApp.test", "--allow-host", "dev.test:3000",
                                 NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = ak_test_session_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *body = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *stderr_text = NULL;
  const char *url;
  const char *text;
  guint status = 0;

  if (!ak_test_require_cli ())
    return;

  g_assert_cmpint (run_to_end (fixture, TRUE, CERT "\n\n", &err, add), ==, 0);
  g_clear_pointer (&err, g_free);

  launcher = launcher_new (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                    | G_SUBPROCESS_FLAGS_STDERR_PIPE, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, serve, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  url = line + strlen ("listening on ");

  uri = g_strconcat (url, "/ping", NULL);
  body = fetch (session, "GET", uri, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (body, ==, "{\"message\":\"pong\"}");
  g_clear_pointer (&uri, g_free);
  g_clear_pointer (&body, g_free);

  /* This computer's names and the allowed ones are served; another site's gets 421. */
  g_assert_cmpuint (status_with_host (url, "/ping", "localhost"), ==, 200);
  g_assert_cmpuint (status_with_host (url, "/ping", "myapp.test:8080"), ==, 200);
  g_assert_cmpuint (status_with_host (url, "/ping", "dev.test"), ==, 200);
  g_assert_cmpuint (status_with_host (url, "/rtm/u/", "rebound.example"), ==, 421);

  uri = g_strconcat (url, "/getToken", NULL);
  body = fetch (session, "POST", uri,
                "{\"tokenType\":\"rtc\",\"channel\":\"cli\",\"role\":\"publisher\","
                "\"uid\":\"9\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  answer = ak_test_parse_json (body, -1);
  text = json_object_get_string_member (json_node_get_object (answer), "token");
  token = ak_token_parse (text, &error);
  g_assert_no_error (error);
  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ak_token_get_service (token, 0)->channel_name, ==, "cli");

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &rest, &stderr_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* The log names the requests, never the token or the certificate. */
  g_assert_nonnull (strstr (stderr_text, "/ping"));
  g_assert_nonnull (strstr (stderr_text, "/getToken"));
  g_assert_nonnull (strstr (stderr_text, "/rtm/u/ → 421"));
  g_assert_null (strstr (stderr_text, text));
  g_assert_null (strstr (stderr_text, "007eJ"));
  g_assert_null (strstr (stderr_text, CERT));
  g_assert_null (strstr (rest, "007eJ"));
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  const char * const no_project[] = { cli_path, "serve", NULL };
  const char * const serve[] = { cli_path, "serve", "--project", "Demo", NULL };
  const char * const bad_bind[] = { cli_path, "serve", "--project", "Demo", "--bind",
                                    "example.com", NULL };
  const char * const bad_host[] = { cli_path, "serve", "--project", "Demo", "--allow-host",
                                    "http://app.test/", NULL };
  g_autofree char *err = NULL;

  if (!ak_test_require_cli ())
    return;

  g_assert_cmpint (run_to_end (fixture, TRUE, "", &err, no_project), ==, 2);
  g_assert_nonnull (strstr (err, "--project"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_to_end (fixture, TRUE, "", &err, bad_bind), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_to_end (fixture, TRUE, "", &err, bad_host), ==, 2);
  g_assert_nonnull (strstr (err, "--allow-host"));
  g_clear_pointer (&err, g_free);
  /* No Secret Service: exit 5, not a silent in-memory store. */
  g_assert_cmpint (run_to_end (fixture, FALSE, "", &err, serve), ==, 5);
  g_clear_pointer (&err, g_free);
  /* A keyring without that project. */
  g_assert_cmpint (run_to_end (fixture, TRUE, "", &err, serve), ==, 1);
  g_assert_nonnull (strstr (err, "Demo"));
}

int
main (int    argc,
      char **argv)
{
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  ak_test_init_cli_tests (&argc, &argv);
  cli_path = ak_test_cli_path ();

  g_test_add ("/ak/cli-serve/serve", Fixture, NULL, ak_test_home_set_up, test_serve,
              ak_test_home_tear_down);
  g_test_add ("/ak/cli-serve/refusals", Fixture, NULL, ak_test_home_set_up, test_refusals,
              ak_test_home_tear_down);

  return g_test_run ();
}
