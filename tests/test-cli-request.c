/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-rest-catalogue.h"
#include "ak-test-stall.h"
#include "ak-test-stdin.h"

/*
 * agora-keys-cli request, endpoints and history, run as a user would, against a fake Agora on
 * a SoupServer at 127.0.0.1 (its own thread and main context), with credentials in libsecret's
 * file backend in a throwaway $HOME. Nothing leaves loopback.
 */

#define AGORA_APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define CUSTOMER_ID "7f3c2a1b9e8d4c6f"
#define CUSTOMER_SECRET "Zq9CustomerSecretXy42"
#define PASTED_TOKEN "007eJxPastedChatTokenForTheCliTest0042"
#define PROJECT_SIGN_KEY "0123456789abcdef0123456789abcdef"

static const char *cli_path;

/* ---------------------------------------------------------------------------------------------
 * The fake Agora
 */

typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  guint port;

  GMutex lock;
  GCond ready;
  gboolean started;
  guint n_requests;
  char *last_method;
  char *last_path;
  char *last_query;
  char *last_body;
} FakeAgora;

static void
record (FakeAgora         *fake,
        SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  g_mutex_lock (&fake->lock);
  fake->n_requests++;
  g_free (fake->last_method);
  fake->last_method = g_strdup (soup_server_message_get_method (msg));
  g_free (fake->last_path);
  fake->last_path = g_strdup (g_uri_get_path (uri));
  g_free (fake->last_query);
  fake->last_query = g_strdup (g_uri_get_query (uri));
  g_free (fake->last_body);
  fake->last_body = g_strndup (body->data, body->length);
  g_mutex_unlock (&fake->lock);
}

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                    strlen (json));
}

static gboolean
basic_is_right (SoupServerMessage *msg)
{
  const char *header =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                  "Authorization");
  g_autofree char *encoded = g_base64_encode ((const guchar *) CUSTOMER_ID ":" CUSTOMER_SECRET,
                                              strlen (CUSTOMER_ID ":" CUSTOMER_SECRET));
  g_autofree char *expected = g_strconcat ("Basic ", encoded, NULL);

  return g_strcmp0 (header, expected) == 0;
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  FakeAgora *fake = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  record (fake, msg);

  if (g_str_equal (path, "/ok"))
    {
      soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                   "X-Request-ID", "rid-7731");
      reply (msg, 200, "{\"hello\":\"world\"}");
    }
  else if (g_str_equal (path, "/created"))
    reply (msg, 201, "{\"id\":1953}");
  else if (g_str_equal (path, "/missing"))
    reply (msg, 404, "{\"message\":\"invalid appid\"}");
  else if (g_str_equal (path, "/basic") || g_str_has_prefix (path, "/dev/v1/channel/")
           || g_str_has_prefix (path, "/dev/v2/project/"))
    {
      if (basic_is_right (msg))
        reply (msg, 200, "{\"success\":true,\"data\":{\"channels\":[],\"total_size\":0}}");
      else
        reply (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
    }
  else if (g_str_equal (path, "/dev/v1/projects"))
    {
      if (basic_is_right (msg))
        reply (msg, 200, "{\"projects\":[{\"id\":\"p1\",\"name\":\"demo\",\"vendor_key\":\""
                         AGORA_APP_ID "\",\"sign_key\":\"" PROJECT_SIGN_KEY "\",\"status\":1}]}");
      else
        reply (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
    }
  else if (g_str_equal (path, "/bearer"))
    {
      const char *auth = soup_message_headers_get_one (headers, "Authorization");

      if (g_strcmp0 (auth, "Bearer " PASTED_TOKEN) == 0)
        reply (msg, 200, "{\"entities\":[]}");
      else
        reply (msg, 401, "{\"error\":\"unauthorized\",\"error_description\":\"Unable to "
                         "authenticate due to corrupt access token\"}");
    }
  else
    reply (msg, 200, "{}");
}

static gpointer
fake_agora_thread (gpointer data)
{
  FakeAgora *fake = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fake->context);

  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, handle, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  g_assert_nonnull (uris);
  fake->port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&fake->lock);
  fake->started = TRUE;
  g_cond_signal (&fake->ready);
  g_mutex_unlock (&fake->lock);

  g_main_loop_run (fake->loop);

  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

static void
fake_agora_start (FakeAgora *fake)
{
  g_mutex_init (&fake->lock);
  g_cond_init (&fake->ready);
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);
  fake->thread = g_thread_new ("fake-agora", fake_agora_thread, fake);

  g_mutex_lock (&fake->lock);
  while (!fake->started)
    g_cond_wait (&fake->ready, &fake->lock);
  g_mutex_unlock (&fake->lock);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fake_agora_stop (FakeAgora *fake)
{
  g_main_context_invoke (fake->context, quit_loop, fake->loop);
  g_thread_join (fake->thread);
  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_free (fake->last_method);
  g_free (fake->last_path);
  g_free (fake->last_query);
  g_free (fake->last_body);
  g_mutex_clear (&fake->lock);
  g_cond_clear (&fake->ready);
}

static guint
fake_agora_count (FakeAgora *fake)
{
  guint n;

  g_mutex_lock (&fake->lock);
  n = fake->n_requests;
  g_mutex_unlock (&fake->lock);
  return n;
}

/* A port nothing listens on, and one where the kernel accepts connections nobody reads. */
static guint
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static GSocket *
silent_listener (guint *port)
{
  GSocket *socket;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

/* ---------------------------------------------------------------------------------------------
 * Running the command line
 */

typedef struct
{
  char *home;
  char *keyring;
  char *base_url;
  FakeAgora fake;
  /* Every output, for the audit: none may hold a secret. */
  GString *audited;
} Fixture;

typedef struct
{
  int status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

typedef enum
{
  KEYRING_FILE,
  KEYRING_NONE,
} Keyring;

static void
run_cliv (Fixture            *fixture,
          CliResult          *result,
          Keyring             keyring,
          const char         *token_env,
          const char         *input,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *stdin_path = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *config = g_build_filename (fixture->home, ".config", NULL);
  g_autofree char *data = g_build_filename (fixture->home, ".local", "share", NULL);
  g_autofree char *cache = g_build_filename (fixture->home, ".cache", NULL);
  g_autofree char *state = g_build_filename (fixture->home, ".local", "state", NULL);

  cli_result_clear (result);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", fixture->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  /* Loopback only, whatever proxy the machine has. */
  g_subprocess_launcher_unsetenv (launcher, "http_proxy");
  g_subprocess_launcher_unsetenv (launcher, "https_proxy");
  g_subprocess_launcher_unsetenv (launcher, "all_proxy");
  g_subprocess_launcher_unsetenv (launcher, "HTTP_PROXY");
  g_subprocess_launcher_unsetenv (launcher, "HTTPS_PROXY");
  g_subprocess_launcher_unsetenv (launcher, "ALL_PROXY");
  g_subprocess_launcher_setenv (launcher, "no_proxy", "127.0.0.1,localhost", TRUE);
  g_subprocess_launcher_setenv (launcher, "GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "AGORA_APP_CERTIFICATE");
  if (token_env != NULL)
    g_subprocess_launcher_setenv (launcher, "AGORA_TOKEN", token_env, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "AGORA_TOKEN");
  if (keyring == KEYRING_FILE)
    {
      g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
      g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", fixture->keyring, TRUE);
      g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD", "ak-test", TRUE);
    }
  else
    {
      /* A session bus address where nothing listens: no Secret Service. */
      g_subprocess_launcher_unsetenv (launcher, "SECRET_BACKEND");
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                    "unix:path=/nonexistent/ak-test-bus", TRUE);
    }

  g_ptr_array_add (argv, (gpointer) cli_path);
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);

  joined = g_strjoinv (" ", (char **) argv->pdata);
  stdin_path = ak_test_stdin_from (launcher, input);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_unlink (stdin_path);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out,
                                 &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  if (result->out == NULL)
    result->out = g_strdup ("");
  if (result->err == NULL)
    result->err = g_strdup ("");

  g_test_message ("%s: exit %d", joined, result->status);
  g_string_append (fixture->audited, result->out);
  g_string_append (fixture->audited, result->err);
}

static void run_cli (Fixture *fixture, CliResult *result, Keyring keyring,
                     const char *token_env, const char *input, ...) G_GNUC_NULL_TERMINATED;

static void
run_cli (Fixture    *fixture,
         CliResult  *result,
         Keyring     keyring,
         const char *token_env,
         const char *input,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run_cliv (fixture, result, keyring, token_env, input, (const char * const *) args->pdata);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
assert_no_secret (const char *text)
{
  static const char * const secrets[] = {
    CUSTOMER_SECRET, CERT_1, CERT_2, PASTED_TOKEN, PROJECT_SIGN_KEY,
  };
  g_autofree char *encoded = g_base64_encode ((const guchar *) CUSTOMER_ID ":" CUSTOMER_SECRET,
                                              strlen (CUSTOMER_ID ":" CUSTOMER_SECRET));

  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (strstr (text, secrets[i]) != NULL)
      g_error ("a secret (%s) leaked into “%s”", secrets[i], text);
  if (strstr (text, encoded) != NULL)
    g_error ("the Basic header leaked into “%s”", text);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->home = g_dir_make_tmp ("ak-cli-request-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->keyring = g_build_filename (fixture->home, ".local", "share", "keyrings",
                                       "test.keyring", NULL);
  fixture->audited = g_string_new (NULL);
  fake_agora_start (&fixture->fake);
  fixture->base_url = g_strdup_printf ("http://127.0.0.1:%u", fixture->fake.port);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Nothing printed during the test held a secret. */
  assert_no_secret (fixture->audited->str);

  fake_agora_stop (&fixture->fake);
  remove_tree (fixture->home);
  g_free (fixture->home);
  g_free (fixture->keyring);
  g_free (fixture->base_url);
  g_string_free (fixture->audited, TRUE);
}

static gboolean
require_cli (void)
{
  if (cli_path == NULL)
    {
      g_test_skip ("AK_CLI is not set (run the tests with meson test)");
      return FALSE;
    }
  return TRUE;
}

static char *
history_file (Fixture *fixture)
{
  return g_build_filename (fixture->home, ".local", "share", APP_ID, "history.json", NULL);
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 */

static void
test_status_and_exit_codes (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(CliResult) r = { 0 };
  g_autofree char *refused_url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autofree char *full_url = g_strdup_printf ("%s/ok", fixture->base_url);
  g_autofree char *silent_url = NULL;
  g_autoptr(GSocket) silent = NULL;
  g_autofree char *history_path = NULL;
  guint silent_port;
  guint before;
  gint64 started;

  if (!require_cli ())
    return;

  /* 2xx: the body on stdout, the status line on stderr, exit 0. No keyring needed. */
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "{\"hello\":\"world\"}");
  assert_contains (r.err, "HTTP 200 OK · ");
  assert_contains (r.err, " ms · 17 bytes");
  assert_contains (r.err, "X-Request-ID: rid-7731");
  g_assert_cmpstr (fixture->fake.last_method, ==, "GET");

  /* A lower-case method, a full URL, a JSON body, 201 is success. */
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "get", full_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "POST", "/created", "--base-url", fixture->base_url,
           "--data", "{\"cname\":\"room 1\"}", "--header", "X-Trace: t-1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "HTTP 201 Created");
  g_assert_cmpstr (fixture->fake.last_method, ==, "POST");
  g_assert_cmpstr (fixture->fake.last_body, ==, "{\"cname\":\"room 1\"}");

  /* Another status: the body still on stdout, the product's error on stderr, exit 4. */
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/missing", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_cmpstr (r.out, ==, "{\"message\":\"invalid appid\"}");
  assert_contains (r.err, "HTTP 404 Not Found");
  assert_contains (r.err, "invalid appid");

  /* Placeholders filled from --param, percent-encoded. */
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/users/{name}", "--param", "name=a b/c", "--base-url",
           fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* The server decodes it; the URL as sent is in the history. */
  g_assert_cmpstr (fixture->fake.last_path, ==, "/users/a b/c");
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL, "history", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "\"url\" : \"http://127.0.0.1:");
  assert_contains (r.out, "/users/a%20b%2Fc\"");

  /* No response: exit 1, nothing on stdout. */
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", refused_url, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpuint (strlen (r.err), >, 0);

  silent = silent_listener (&silent_port);
  silent_url = g_strdup_printf ("http://127.0.0.1:%u", silent_port);
  started = g_get_monotonic_time ();
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", silent_url, "--timeout", "1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpint (g_get_monotonic_time () - started, <,
                   20 * G_USEC_PER_SEC * ak_test_time_scale ());

  /* Usage errors: exit 2, and nothing is sent. */
  before = fake_agora_count (&fixture->fake);
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/dev/v1/channel/{appid}", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "appid");
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", fixture->base_url, "--auth", "magic", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", fixture->base_url, "--header", "nocolon",
           NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", fixture->base_url, "--host", "api.agora.io",
           NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", "http://example.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL, "request", "GET", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "--endpoint", "no.such-endpoint", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpuint (fake_agora_count (&fixture->fake), ==, before);

  /* A customer credential needs the keyring: exit 5 without one. */
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, "--customer", "Billing",
           NULL);
  g_assert_cmpint (r.status, ==, 5);
  g_assert_cmpuint (fake_agora_count (&fixture->fake), ==, before);

  /* Every request that got an answer, or none, is in the history, newest first. */
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL, "history", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "GET    404  " );
  assert_contains (r.out, "/missing");
  g_assert_true (strstr (r.out, "/users/a%20b%2Fc") < strstr (r.out, "/missing"));

  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL, "history", "--search", "404", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "/missing");
  g_assert_null (strstr (r.out, "/created"));

  history_path = history_file (fixture);
  g_assert_true (g_file_test (history_path, G_FILE_TEST_IS_REGULAR));
}

static void
add_credentials (Fixture *fixture)
{
  g_auto(CliResult) r = { 0 };

  run_cli (fixture, &r, KEYRING_FILE, NULL, CUSTOMER_SECRET "\n",
           "credential", "add", "customer", "--label", "Billing", "--customer-id", CUSTOMER_ID,
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, KEYRING_FILE, NULL, CERT_1 "\n" CERT_2 "\n",
           "credential", "add", "project", "--label", "Demo", "--app-id", AGORA_APP_ID,
           "--chat-org", "61717166", "--chat-app", "demo", NULL);
  g_assert_cmpint (r.status, ==, 0);
}

static void
test_basic_auth (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(CliResult) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  JsonArray *entries;
  JsonObject *newest;
  JsonObject *auth;
  guint before;

  if (!require_cli ())
    return;

  add_credentials (fixture);

  /* The fake checks the header against the stored pair. */
  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, "--customer", "Billing",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "\"success\":true");

  /* One customer credential stored: --auth basic finds it alone. */
  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, "--auth", "basic", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* No auth: the fake refuses, exit 4. */
  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 4);
  assert_contains (r.err, "HTTP 401");
  assert_contains (r.err, "Invalid authentication credentials");

  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, "--customer", "Nope",
           NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "Nope");

  /* A catalogued endpoint, its path filled from the project. */
  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "rtc.channel-list", "--project", "Demo", "--customer",
           "Billing", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (fixture->fake.last_path, ==, "/dev/v1/channel/" AGORA_APP_ID);
  g_assert_cmpstr (fixture->fake.last_query, ==, "page_no=0&page_size=100");

  /* Certificates in a project list are masked on stdout. */
  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "console.projects-list", "--base-url", fixture->base_url,
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, AGORA_APP_ID);
  g_assert_null (strstr (r.out, PROJECT_SIGN_KEY));

  /* Endpoints that change or delete something, or delete what they read, ask first. */
  before = fake_agora_count (&fixture->fake);
  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "rtm.user-events", "--project", "Demo", "--base-url",
           fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "--yes");
  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "rtc.kicking-rule-delete", "--data",
           "{\"appid\":\"" AGORA_APP_ID "\",\"id\":1953}", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpuint (fake_agora_count (&fixture->fake), ==, before);
  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "rtm.user-events", "--project", "Demo", "--base-url",
           fixture->base_url, "--yes", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (fixture->fake.last_path, ==,
                   "/dev/v2/project/" AGORA_APP_ID "/rtm/vendor/user_events");

  /* The history names the credential, never its secret. */
  path = history_file (fixture);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  assert_no_secret (contents);

  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL, "history", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  entries = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (entries), ==, 6);
  newest = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (newest, "endpoint"), ==, "rtm.user-events");
  auth = json_object_get_object_member (newest, "auth");
  g_assert_cmpstr (json_object_get_string_member (auth, "scheme"), ==, "basic");
  g_assert_cmpstr (json_object_get_string_member (auth, "credential"), ==, "Billing");

  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL, "history", "--search", "billing", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "(basic Billing)");

  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL, "history", "--clear", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, KEYRING_FILE, NULL, NULL, "history", NULL);
  assert_contains (r.out, "empty");
}

static void
test_bearer_token (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(CliResult) r = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;

  if (!require_cli ())
    return;

  /* From the environment, or from standard input; never from argv. */
  run_cli (fixture, &r, KEYRING_NONE, PASTED_TOKEN, NULL,
           "request", "GET", "/bearer", "--auth", "bearer", "--base-url", fixture->base_url,
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, KEYRING_NONE, NULL, PASTED_TOKEN "\n",
           "request", "GET", "/bearer", "--auth", "bearer", "--base-url", fixture->base_url,
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, KEYRING_NONE, NULL, "not-the-token\n",
           "request", "GET", "/bearer", "--auth", "bearer", "--base-url", fixture->base_url,
           NULL);
  g_assert_cmpint (r.status, ==, 4);
  assert_contains (r.err, "corrupt access token");

  path = history_file (fixture);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_contains (contents, "\"scheme\" : \"bearer\"");
  assert_no_secret (contents);
}

static void
test_endpoints (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(CliResult) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  guint n;

  if (!require_cli ())
    return;

  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL, "endpoints", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "RTC channel management\n");
  assert_contains (r.out, "rtc.channel-list");
  assert_contains (r.out, " GET    basic       read        /dev/v1/channel/{appid}");
  assert_contains (r.out, "side-effect /dev/v2/project/{appid}/rtm/vendor/user_events");
  assert_contains (r.out, "destructive /dev/v1/reset_signkey");
  assert_contains (r.out, "bearer");

  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL, "endpoints", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  ak_rest_catalogue_get (&n);
  g_assert_cmpuint (json_array_get_length (array), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      g_assert_nonnull (json_object_get_string_member (object, "id"));
      g_assert_nonnull (json_object_get_string_member (object, "method"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "path"), "/"));
      g_assert_nonnull (json_object_get_string_member (object, "auth"));
      g_assert_nonnull (json_object_get_string_member (object, "effect"));
    }

  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL, "endpoints", "extra", NULL);
  g_assert_cmpint (r.status, ==, 2);

  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL, "help", "request", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "--base-url");
  assert_contains (r.out, "AGORA_TOKEN");
  run_cli (fixture, &r, KEYRING_NONE, NULL, NULL, "--help", NULL);
  assert_contains (r.out, "endpoints");
  assert_contains (r.out, "history");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  cli_path = g_getenv ("AK_CLI");

  g_test_add ("/ak/cli-request/status-and-exit-codes", Fixture, NULL, fixture_set_up,
              test_status_and_exit_codes, fixture_tear_down);
  g_test_add ("/ak/cli-request/basic-auth", Fixture, NULL, fixture_set_up, test_basic_auth,
              fixture_tear_down);
  g_test_add ("/ak/cli-request/bearer-token", Fixture, NULL, fixture_set_up,
              test_bearer_token, fixture_tear_down);
  g_test_add ("/ak/cli-request/endpoints", Fixture, NULL, fixture_set_up, test_endpoints,
              fixture_tear_down);

  return g_test_run ();
}
