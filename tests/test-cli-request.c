/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-rest-catalogue.h"
#include "ak-test-convoai.h"
#include "ak-test-util.h"

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

#define EXCHANGED_TOKEN "YWMt-cli-exchanged-0042"
/* When set, the next runs get this proxy from the environment, as a user's shell would give
 * it, and write their standard output to this file. */
static const char *child_proxy;
static const char *child_stdout_path;

/* ---------------------------------------------------------------------------------------------
 * The fake Agora
 */

typedef struct
{
  AkTestServer *server;
  GMutex lock;
  /* Under the lock. */
  guint n_exchanges;
  AkTestConvoai convoai;
} FakeAgora;

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

/* A Chat host stand-in: the token exchange, and a call that wants the exchanged token. */
static void
handle_chat (FakeAgora         *fake,
             SoupServerMessage *msg,
             const char        *what)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  g_autofree char *body = NULL;

  if (g_str_equal (what, "token"))
    {
      /* A Chat app token minted from the project's certificate. */
      if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 || auth == NULL
          || !g_str_has_prefix (auth, "Bearer 007"))
        {
          ak_test_reply_json (msg, 401, "{\"error\":\"unauthorized\"}");
          return;
        }
      g_mutex_lock (&fake->lock);
      fake->n_exchanges++;
      g_mutex_unlock (&fake->lock);
      body = g_strdup_printf ("{\"access_token\":\"" EXCHANGED_TOKEN "\",\"expire_timestamp\":"
                              "%" G_GINT64_FORMAT "}", g_get_real_time () / 1000 + 3600 * 1000);
      ak_test_reply_json (msg, 200, body);
    }
  else if (g_strcmp0 (auth, "Bearer " EXCHANGED_TOKEN) == 0)
    ak_test_reply_json (msg, 200, "{\"entities\":[],\"bearer\":\"exchanged\"}");
  else
    ak_test_reply_json (msg, 401, "{\"error\":\"unauthorized\"}");
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

  if (ak_test_convoai_handle (&fake->convoai, msg, path))
    return;
  if (g_str_has_prefix (path, "/stream/"))
    ak_test_reply_stream (msg, path + strlen ("/stream/"));
  else if (g_str_has_prefix (path, "/61717166/demo/"))
    handle_chat (fake, msg, path + strlen ("/61717166/demo/"));
  else if (g_str_equal (path, "/ok"))
    {
      soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                   "X-Request-ID", "rid-7731");
      ak_test_reply_json (msg, 200, "{\"hello\":\"world\"}");
    }
  else if (g_str_equal (path, "/created"))
    ak_test_reply_json (msg, 201, "{\"id\":1953}");
  else if (g_str_equal (path, "/missing"))
    ak_test_reply_json (msg, 404, "{\"message\":\"invalid appid\"}");
  else if (g_str_equal (path, "/basic") || g_str_has_prefix (path, "/dev/v1/channel/")
           || g_str_has_prefix (path, "/dev/v2/project/"))
    {
      if (basic_is_right (msg))
        ak_test_reply_json (msg, 200,
                            "{\"success\":true,\"data\":{\"channels\":[],\"total_size\":0}}");
      else
        ak_test_reply_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
    }
  else if (g_str_equal (path, "/dev/v1/projects"))
    {
      if (basic_is_right (msg))
        ak_test_reply_json (msg, 200,
                            "{\"projects\":[{\"id\":\"p1\",\"name\":\"demo\",\"vendor_key\":\""
                            AGORA_APP_ID "\",\"sign_key\":\"" PROJECT_SIGN_KEY
                            "\",\"status\":1}]}");
      else
        ak_test_reply_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
    }
  else if (g_str_equal (path, "/bearer"))
    {
      const char *auth = soup_message_headers_get_one (headers, "Authorization");

      if (g_strcmp0 (auth, "Bearer " PASTED_TOKEN) == 0)
        ak_test_reply_json (msg, 200, "{\"entities\":[]}");
      else
        ak_test_reply_json (msg, 401,
                            "{\"error\":\"unauthorized\",\"error_description\":\"Unable to "
                            "authenticate due to corrupt access token\"}");
    }
  else
    ak_test_reply_json (msg, 200, "{}");
}

static void
fake_agora_start (FakeAgora *fake)
{
  g_mutex_init (&fake->lock);
  g_mutex_init (&fake->convoai.lock);
  fake->convoai.app_id = AGORA_APP_ID;
  fake->convoai.certificate = CERT_1;
  fake->server = ak_test_server_new (handle, fake);
}

static void
fake_agora_stop (FakeAgora *fake)
{
  g_clear_pointer (&fake->server, ak_test_server_free);
  ak_test_convoai_clear (&fake->convoai);
  g_mutex_clear (&fake->convoai.lock);
  g_mutex_clear (&fake->lock);
}

/* A TCP socket on a free port of 127.0.0.1 (in *@port); listening if @listen: nobody reads. */
static GSocket *
loopback_socket (gboolean  listen,
                 guint    *port)
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
  if (listen)
    g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

/* A port nothing listens on (the socket that had it is closed again). */
static guint
closed_port (void)
{
  guint port;
  g_autoptr(GSocket) socket = loopback_socket (FALSE, &port);

  return port;
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

static void
run_cliv (Fixture            *fixture,
          AkTestCliResult    *result,
          AkTestKeyring       keyring,
          const char         *token_env,
          const char         *input,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = ak_test_cli_launcher_new ();

  if (child_stdout_path != NULL)
    {
      g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_subprocess_launcher_set_stdout_file_path (launcher, child_stdout_path);
    }
  ak_test_launcher_set_home (launcher, fixture->home, keyring);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  ak_test_launcher_set_no_proxy (launcher);
  if (child_proxy != NULL)
    {
      /* The system's resolver (libproxy or GNOME's), reading the environment. */
      g_subprocess_launcher_unsetenv (launcher, "GIO_USE_PROXY_RESOLVER");
      g_subprocess_launcher_unsetenv (launcher, "no_proxy");
      g_subprocess_launcher_unsetenv (launcher, "NO_PROXY");
      g_subprocess_launcher_setenv (launcher, "http_proxy", child_proxy, TRUE);
      g_subprocess_launcher_setenv (launcher, "HTTP_PROXY", child_proxy, TRUE);
      g_subprocess_launcher_setenv (launcher, "https_proxy", child_proxy, TRUE);
      g_subprocess_launcher_setenv (launcher, "HTTPS_PROXY", child_proxy, TRUE);
    }
  if (token_env != NULL)
    g_subprocess_launcher_setenv (launcher, "AGORA_TOKEN", token_env, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "AGORA_TOKEN");
  ak_test_run_cliv (launcher, result, input, args);

  g_string_append (fixture->audited, result->out);
  g_string_append (fixture->audited, result->err);
}

#define run_cli(fixture, result, keyring, token_env, input, ...) \
  run_cliv (fixture, result, keyring, token_env, input, AK_TEST_ARGS (__VA_ARGS__))

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
  fixture->home = ak_test_home_new (&fixture->keyring);
  fixture->audited = g_string_new (NULL);
  fake_agora_start (&fixture->fake);
  fixture->base_url = ak_test_server_get_url (fixture->fake.server);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Nothing printed during the test held a secret. */
  assert_no_secret (fixture->audited->str);

  fake_agora_stop (&fixture->fake);
  ak_test_remove_tree (fixture->home);
  g_free (fixture->home);
  g_free (fixture->keyring);
  g_free (fixture->base_url);
  g_string_free (fixture->audited, TRUE);
}

static char *
history_file (Fixture *fixture)
{
  return g_build_filename (fixture->home, ".local", "share", APP_ID, "history.json", NULL);
}

/* What the request history file holds; fails the test when it cannot be read. */
static char *
read_history (Fixture *fixture)
{
  g_autofree char *path = history_file (fixture);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 */

static void
test_status_and_exit_codes (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autofree char *refused_url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autofree char *full_url = g_strdup_printf ("%s/ok", fixture->base_url);
  g_autofree char *silent_url = NULL;
  g_autoptr(GSocket) silent = NULL;
  g_autofree char *history_path = NULL;
  guint silent_port;
  guint before;
  gint64 started;

  if (!ak_test_require_cli ())
    return;

  /* 2xx: the body on stdout, the status line on stderr, exit 0. No keyring needed. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "{\"hello\":\"world\"}");
  ak_test_assert_contains (r.err, "HTTP 200 OK · ");
  ak_test_assert_contains (r.err, " ms · 17 bytes");
  ak_test_assert_contains (r.err, "X-Request-ID: rid-7731");
  ak_test_server_assert_last (fixture->fake.server, AK_TEST_REQUEST_METHOD, "GET");

  /* A lower-case method, a full URL, a JSON body, 201 is success. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "get", full_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "POST", "/created", "--base-url", fixture->base_url,
           "--data", "{\"cname\":\"room 1\"}", "--header", "X-Trace: t-1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.err, "HTTP 201 Created");
  ak_test_server_assert_last (fixture->fake.server, AK_TEST_REQUEST_METHOD, "POST");
  ak_test_server_assert_last (fixture->fake.server, AK_TEST_REQUEST_BODY, "{\"cname\":\"room 1\"}");

  /* Another status: the body still on stdout, the product's error on stderr, exit 4. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/missing", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_cmpstr (r.out, ==, "{\"message\":\"invalid appid\"}");
  ak_test_assert_contains (r.err, "HTTP 404 Not Found");
  ak_test_assert_contains (r.err, "invalid appid");

  /* Placeholders filled from --param, percent-encoded. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/users/{name}", "--param", "name=a b/c", "--base-url",
           fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* The server decodes it; the URL as sent is in the history. */
  ak_test_server_assert_last (fixture->fake.server, AK_TEST_REQUEST_PATH, "/users/a b/c");
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "history", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "\"url\" : \"http://127.0.0.1:");
  ak_test_assert_contains (r.out, "/users/a%20b%2Fc\"");

  /* No response: exit 1, nothing on stdout. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", refused_url, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpuint (strlen (r.err), >, 0);

  silent = loopback_socket (TRUE, &silent_port);
  silent_url = g_strdup_printf ("http://127.0.0.1:%u", silent_port);
  started = g_get_monotonic_time ();
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", silent_url, "--timeout", "1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpint (g_get_monotonic_time () - started, <,
                   20 * G_USEC_PER_SEC * ak_test_time_scale ());

  /* Usage errors: exit 2, and nothing is sent. */
  before = ak_test_server_get_n_requests (fixture->fake.server);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/dev/v1/channel/{appid}", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 2);
  ak_test_assert_contains (r.err, "appid");
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", fixture->base_url, "--auth", "magic", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", fixture->base_url, "--header", "nocolon", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", fixture->base_url, "--host", "api.agora.io",
           NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/ok", "--base-url", "http://example.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "request", "GET", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "--endpoint", "no.such-endpoint", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpuint (ak_test_server_get_n_requests (fixture->fake.server), ==, before);

  /* A customer credential needs the keyring: exit 5 without one. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, "--customer", "Billing",
           NULL);
  g_assert_cmpint (r.status, ==, 5);
  g_assert_cmpuint (ak_test_server_get_n_requests (fixture->fake.server), ==, before);

  /* Every request that got an answer, or none, is in the history, newest first. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "history", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "GET    404  " );
  ak_test_assert_contains (r.out, "/missing");
  g_assert_true (strstr (r.out, "/users/a%20b%2Fc") < strstr (r.out, "/missing"));

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "history", "--search", "404", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "/missing");
  g_assert_null (strstr (r.out, "/created"));

  history_path = history_file (fixture);
  g_assert_true (g_file_test (history_path, G_FILE_TEST_IS_REGULAR));
}

/* A directory where the history file should be: `history` says it cannot read it (exit 1,
 * not "empty"), and a request is still sent and answered, without crashing. */
static void
test_history_unreadable (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *history_path = history_file (fixture);
  g_auto(AkTestCliResult) r = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (history_path, 0700), ==, 0);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "history", NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "not a regular file");
  g_assert_null (strstr (r.out, "empty"));

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", "/missing", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 4);
  ak_test_assert_contains (r.err, "not a regular file");
  g_assert_true (g_file_test (history_path, G_FILE_TEST_IS_DIR));
}

static void
add_credentials (Fixture *fixture)
{
  g_auto(AkTestCliResult) r = { 0 };

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, CUSTOMER_SECRET "\n",
           "credential", "add", "customer", "--label", "Billing", "--customer-id", CUSTOMER_ID,
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, CERT_1 "\n" CERT_2 "\n",
           "credential", "add", "project", "--label", "Demo", "--app-id", AGORA_APP_ID,
           "--chat-org", "61717166", "--chat-app", "demo", NULL);
  g_assert_cmpint (r.status, ==, 0);
}

static void
test_basic_auth (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  JsonArray *entries;
  JsonObject *newest;
  JsonObject *auth;
  guint before;

  if (!ak_test_require_cli ())
    return;

  add_credentials (fixture);

  /* The fake checks the header against the stored pair. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, "--customer", "Billing",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "\"success\":true");

  /* One customer credential stored: --auth basic finds it alone. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, "--auth", "basic", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* No auth: the fake refuses, exit 4. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 4);
  ak_test_assert_contains (r.err, "HTTP 401");
  ak_test_assert_contains (r.err, "Invalid authentication credentials");

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, "--customer", "Nope", NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "Nope");

  /* A catalogued endpoint, its path filled from the project. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "rtc.channel-list", "--project", "Demo", "--customer",
           "Billing", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_server_assert_last (fixture->fake.server, AK_TEST_REQUEST_PATH,
                              "/dev/v1/channel/" AGORA_APP_ID);
  ak_test_server_assert_last (fixture->fake.server, AK_TEST_REQUEST_QUERY,
                              "page_no=0&page_size=100");

  /* Certificates in a project list are masked on stdout. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "console.projects-list", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, AGORA_APP_ID);
  g_assert_null (strstr (r.out, PROJECT_SIGN_KEY));

  /* Endpoints that change or delete something, or delete what they read, ask first. */
  before = ak_test_server_get_n_requests (fixture->fake.server);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "rtm.user-events", "--project", "Demo", "--base-url",
           fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 2);
  ak_test_assert_contains (r.err, "--yes");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "rtc.kicking-rule-delete", "--data",
           "{\"appid\":\"" AGORA_APP_ID "\",\"id\":1953}", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpuint (ak_test_server_get_n_requests (fixture->fake.server), ==, before);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "rtm.user-events", "--project", "Demo", "--base-url",
           fixture->base_url, "--yes", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_server_assert_last (fixture->fake.server, AK_TEST_REQUEST_PATH,
                              "/dev/v2/project/" AGORA_APP_ID "/rtm/vendor/user_events");

  /* The history names the credential, never its secret. */
  contents = read_history (fixture);
  assert_no_secret (contents);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL, "history", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = ak_test_parse_json (r.out, -1);
  entries = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (entries), ==, 6);
  newest = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (newest, "endpoint"), ==, "rtm.user-events");
  auth = json_object_get_object_member (newest, "auth");
  g_assert_cmpstr (json_object_get_string_member (auth, "scheme"), ==, "basic");
  g_assert_cmpstr (json_object_get_string_member (auth, "credential"), ==, "Billing");

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL, "history", "--search", "billing", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "(basic Billing)");

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL, "history", "--clear", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL, "history", NULL);
  ak_test_assert_contains (r.out, "empty");
}

static void
test_bearer_token (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autofree char *contents = NULL;

  if (!ak_test_require_cli ())
    return;

  /* From the environment, or from standard input; never from argv. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, PASTED_TOKEN, NULL,
           "request", "GET", "/bearer", "--auth", "bearer", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, PASTED_TOKEN "\n",
           "request", "GET", "/bearer", "--auth", "bearer", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, "not-the-token\n",
           "request", "GET", "/bearer", "--auth", "bearer", "--base-url", fixture->base_url, NULL);
  g_assert_cmpint (r.status, ==, 4);
  ak_test_assert_contains (r.err, "corrupt access token");

  contents = read_history (fixture);
  ak_test_assert_contains (contents, "\"scheme\" : \"bearer\"");
  assert_no_secret (contents);
}

static void
test_endpoints (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  guint n;

  if (!ak_test_require_cli ())
    return;

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "endpoints", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "RTC channel management\n");
  ak_test_assert_contains (r.out, "rtc.channel-list");
  ak_test_assert_contains (r.out, " GET    basic       read        /dev/v1/channel/{appid}");
  ak_test_assert_contains (r.out, "side-effect /dev/v2/project/{appid}/rtm/vendor/user_events");
  ak_test_assert_contains (r.out, "destructive /dev/v1/reset_signkey");
  ak_test_assert_contains (r.out, "bearer");

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "endpoints", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = ak_test_parse_json (r.out, -1);
  array = json_node_get_array (root);
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

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "endpoints", "extra", NULL);
  g_assert_cmpint (r.status, ==, 2);

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "help", "request", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "--base-url");
  ak_test_assert_contains (r.out, "AGORA_TOKEN");
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL, "--help", NULL);
  ak_test_assert_contains (r.out, "endpoints");
  ak_test_assert_contains (r.out, "history");
}

/* Requests to this machine never go through the proxy the environment names: it would carry
 * plain HTTP and its Basic header. */
static void
test_proxy_bypassed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autoptr(GSocket) proxy = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *localhost_url = NULL;
  GSocket *accepted;
  guint port = 0;
  guint seen = 0;

  if (!ak_test_require_cli ())
    return;

  add_credentials (fixture);
  proxy = loopback_socket (TRUE, &port);
  g_socket_set_blocking (proxy, FALSE);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  child_proxy = proxy_url;

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "GET", "/basic", "--base-url", fixture->base_url, "--customer", "Billing",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "\"success\":true");
  localhost_url = g_strdup_printf ("http://localhost:%u/ok",
                                   ak_test_server_get_port (fixture->fake.server));
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL, "request", "GET", localhost_url, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* The connections the proxy got, queued by the kernel: none. */
  g_assert_null (g_socket_accept (proxy, NULL, NULL));

  /* Elsewhere the proxy is used: the check above could fail. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "GET", "https://ak-test.invalid/x", "--timeout", "1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  while ((accepted = g_socket_accept (proxy, NULL, NULL)) != NULL)
    {
      seen++;
      g_object_unref (accepted);
    }
  g_assert_cmpuint (seen, ==, 1);
  child_proxy = NULL;
}

/* --auth chat-exchange goes to the base URL of the request it serves. */
static void
test_chat_exchange_base_url (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  guint before;

  if (!ak_test_require_cli ())
    return;

  add_credentials (fixture);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "GET", "/61717166/demo/users", "--base-url", fixture->base_url, "--auth",
           "chat-exchange", "--project", "Demo", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "\"bearer\":\"exchanged\"");
  g_assert_cmpuint (fixture->fake.n_exchanges, ==, 1);
  ak_test_server_assert_last (fixture->fake.server, AK_TEST_REQUEST_PATH, "/61717166/demo/users");

  /* Plain http to another machine is refused before anything is sent. */
  before = ak_test_server_get_n_requests (fixture->fake.server);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "GET", "/61717166/demo/users", "--base-url", "http://192.0.2.7:8080",
           "--auth", "chat-exchange", "--project", "Demo", NULL);
  g_assert_cmpint (r.status, ==, 2);
  ak_test_assert_contains (r.err, "http");
  g_assert_cmpuint (ak_test_server_get_n_requests (fixture->fake.server), ==, before);
  g_assert_cmpuint (fixture->fake.n_exchanges, ==, 1);
}

typedef struct
{
  const char *name;
  guint64 size;
  gboolean dense_json;
} StreamCase;

static const StreamCase stream_cases[] = {
  /* Streamed to standard output as it arrives. */
  { "text-100mb", 100 * 1000 * 1000, FALSE },
  /* 20 MB of [0,0,…]: a tree of it took 876 MB. */
  { "dense-json-20mb", 20 * 1000 * 1000 + 1, TRUE },
  /* Held (under 8 MiB) but too large to parse for a summary. */
  { "dense-json-6mb", 6 * 1000 * 1000 + 1, TRUE },
};

/* A large body reaches standard output whole while the CLI stays small. */
static void
test_streamed_body (Fixture       *fixture,
                    gconstpointer  data)
{
  const StreamCase *c = data;
  g_auto(AkTestCliResult) r = { 0 };
  g_autofree char *out_path = g_build_filename (fixture->home, "body.out", NULL);
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  guint64 size = c->size;
  guint64 written = 0;
  struct rusage usage;
  gboolean slow = ak_test_time_scale () > 1;

  if (!ak_test_require_cli ())
    return;

  /* Sanitizers and valgrind are slow and heavy: a smaller body, and no memory bound. */
  if (slow && size > 10 * 1000 * 1000)
    size = 10 * 1000 * 1000 + 1;
  path = g_strdup_printf ("/stream/%s%" G_GUINT64_FORMAT, c->dense_json ? "json-" : "", size);
  expected = ak_test_stream_checksum (size, c->dense_json);

  child_stdout_path = out_path;
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "GET", path, "--base-url", fixture->base_url, "--no-history", NULL);
  child_stdout_path = NULL;
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.err, "HTTP 200");

  actual = ak_test_file_checksum (out_path, &written);
  g_assert_cmpuint (written, ==, size);
  g_assert_cmpstr (actual, ==, expected);
  g_unlink (out_path);

  /* The largest peak of the children so far, each run included. A child's peak counts the
   * test's own memory at the time it was forked, which the fake keeps small (slices are
   * not accumulated). */
  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  g_test_message ("%s: largest peak RSS of a CLI run so far: %ld KiB", c->name,
                  usage.ru_maxrss);
  if (!slow)
    g_assert_cmpint (usage.ru_maxrss, <, 64 * 1024);
}

/* A join body as the catalogue gives it: the token left for the client to fill in. */
#define CONVOAI_JOIN_BODY(channel, uid, string_uid) \
  "{\"name\":\"agent1\",\"properties\":{\"channel\":\"" channel "\",\"token\":" \
  "\"" AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\",\"agent_rtc_uid\":" uid "," \
  "\"remote_rtc_uids\":[\"1002\"],\"enable_string_uid\":" string_uid "," \
  "\"idle_timeout\":120}}"

/* An agent started and stopped from the command line with a minted ConvoAI token, checked by
 * the stand-in against the project's certificate, the body's channel and the agent's uid. */
/* request --endpoint @endpoint to the fake, with a token from the project “Demo”, confirmed,
 * and then @extra. */
static void
run_convoai (Fixture            *fixture,
             AkTestCliResult    *r,
             const char         *endpoint,
             const char * const *extra)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char * const common[] = {
    "request", "--endpoint", endpoint, "--base-url", fixture->base_url, "--auth", "agora-token",
    "--project", "Demo", "--yes",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    g_ptr_array_add (args, (gpointer) common[i]);
  for (; *extra != NULL; extra++)
    g_ptr_array_add (args, (gpointer) *extra);
  g_ptr_array_add (args, NULL);
  run_cliv (fixture, r, AK_TEST_KEYRING_FILE, NULL, NULL, (const char * const *) args->pdata);
}

static void
test_convoai_agent (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autofree char *contents = NULL;
  guint before;

  if (!ak_test_require_cli ())
    return;

  add_credentials (fixture);

  run_convoai (fixture, &r, "convoai.join",
               AK_TEST_ARGS ("--data", CONVOAI_JOIN_BODY ("support-7", "\"1001\"", "false")));
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, AK_TEST_CONVOAI_AGENT_ID);
  g_assert_cmpuint (fixture->fake.convoai.n_started, ==, 1);
  g_assert_cmpuint (fixture->fake.convoai.n_refused, ==, 0);
  g_assert_null (strstr (r.out, "007e"));
  g_assert_null (strstr (r.err, "007e"));

  /* The history keeps the body with the placeholder, never the token that replaced it. */
  contents = read_history (fixture);
  ak_test_assert_contains (contents, "convoai.join");
  ak_test_assert_contains (contents, AK_REST_CONVOAI_TOKEN_PLACEHOLDER);
  g_assert_null (strstr (contents, "007e"));

  /* Leave has no body: the agent's channel and uid are asked for, and nothing is sent
   * without them. */
  before = ak_test_server_get_n_requests (fixture->fake.server);
  run_convoai (fixture, &r, "convoai.leave",
               AK_TEST_ARGS ("--param", "agentId=" AK_TEST_CONVOAI_AGENT_ID));
  g_assert_cmpint (r.status, ==, 2);
  ak_test_assert_contains (r.err, "channel");
  g_assert_cmpuint (ak_test_server_get_n_requests (fixture->fake.server), ==, before);

  /* A token for another uid is refused by the stand-in, as Agora would. */
  run_convoai (fixture, &r, "convoai.leave",
               AK_TEST_ARGS ("--channel", "support-7", "--user", "1002", "--param",
                             "agentId=" AK_TEST_CONVOAI_AGENT_ID));
  g_assert_cmpint (r.status, ==, 4);
  g_assert_cmpuint (fixture->fake.convoai.n_refused, ==, 1);

  run_convoai (fixture, &r, "convoai.leave",
               AK_TEST_ARGS ("--channel", "support-7", "--user", "1001", "--param",
                             "agentId=" AK_TEST_CONVOAI_AGENT_ID));
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (fixture->fake.convoai.n_stopped, ==, 1);

  /* A string uid, and a numeric uid given as a JSON number. */
  run_convoai (fixture, &r, "convoai.join",
               AK_TEST_ARGS ("--data", CONVOAI_JOIN_BODY ("support-8", "\"bot-a\"", "true")));
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (fixture->fake.convoai.uid, ==, "bot-a");
  run_convoai (fixture, &r, "convoai.join",
               AK_TEST_ARGS ("--data", CONVOAI_JOIN_BODY ("support-9", "0", "false")));
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (fixture->fake.convoai.uid, ==, "");
  g_assert_cmpuint (fixture->fake.convoai.n_started, ==, 3);

  /* Basic auth: the placeholder is still filled, from the project with the URL's App ID. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, NULL, NULL,
           "request", "--endpoint", "convoai.join", "--base-url", fixture->base_url,
           "--auth", "basic", "--customer", "Billing", "--project", "Demo", "--yes",
           "--data", CONVOAI_JOIN_BODY ("support-10", "\"1001\"", "false"), NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (fixture->fake.convoai.n_started, ==, 4);

  /* A join body that names no channel is refused before anything is sent. */
  before = ak_test_server_get_n_requests (fixture->fake.server);
  run_convoai (fixture, &r, "convoai.join",
               AK_TEST_ARGS ("--data",
                             "{\"name\":\"a\",\"properties\":{\"agent_rtc_uid\":\"1001\"}}"));
  g_assert_cmpint (r.status, ==, 2);
  ak_test_assert_contains (r.err, "properties.channel");
  g_assert_cmpuint (ak_test_server_get_n_requests (fixture->fake.server), ==, before);
}

/* An endpoint on its own host (Cloud Transcoding: api.sd-rtn.com) goes there unless a base URL
 * says otherwise; a scheme the endpoint does not take is warned about. No network: dry runs. */
static void
test_endpoint_host_and_scheme (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autofree char *expected = NULL;
  guint before;

  if (!ak_test_require_cli ())
    return;

  before = ak_test_server_get_n_requests (fixture->fake.server);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "--endpoint", "transcoding.query", "--auth", "none", "--dry-run",
           "--param", "appId=" AGORA_APP_ID, "--param", "taskId=t1", "--param",
           "builderToken=b1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "GET https://api.sd-rtn.com/v1/projects/" AGORA_APP_ID
                   "/rtsc/cloud-transcoder/tasks/t1?builderToken=b1\n");
  /* Basic is what it takes: none is flagged, and still not sent on a dry run. */
  ak_test_assert_contains (r.err, "warning");
  ak_test_assert_contains (r.err, "basic");

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "--endpoint", "transcoding.query", "--auth", "none", "--dry-run",
           "--base-url", fixture->base_url, "--param", "appId=" AGORA_APP_ID, "--param",
           "taskId=t1", "--param", "builderToken=b1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  expected = g_strdup_printf ("GET %s/v1/projects/" AGORA_APP_ID "/rtsc/cloud-transcoder/tasks/"
                              "t1?builderToken=b1\n", fixture->base_url);
  g_assert_cmpstr (r.out, ==, expected);
  g_assert_cmpuint (ak_test_server_get_n_requests (fixture->fake.server), ==, before);

  /* The schemes an endpoint takes draw no warning: its own, and the ones it also takes. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "--endpoint", "convoai.list", "--dry-run", "--auth", "agora-token",
           "--project", "Demo", "--param", "appid=" AGORA_APP_ID, NULL);
  g_assert_null (strstr (r.err, "warning"));
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "--endpoint", "rtc.channel-list", "--dry-run", "--param",
           "appid=" AGORA_APP_ID, NULL);
  g_assert_null (strstr (r.err, "warning"));
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, NULL,
           "request", "--endpoint", "convoai.list", "--dry-run", "--auth", "none",
           "--param", "appid=" AGORA_APP_ID, NULL);
  ak_test_assert_contains (r.err, "warning");
  ak_test_assert_contains (r.err, "basic, agora-token");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/ak/cli-request/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("history-unreadable", test_history_unreadable);
  ADD ("status-and-exit-codes", test_status_and_exit_codes);
  ADD ("basic-auth", test_basic_auth);
  ADD ("bearer-token", test_bearer_token);
  ADD ("endpoints", test_endpoints);
  ADD ("proxy-bypassed", test_proxy_bypassed);
  ADD ("chat-exchange-base-url", test_chat_exchange_base_url);
  ADD ("convoai-agent", test_convoai_agent);
  ADD ("endpoint-host-and-scheme", test_endpoint_host_and_scheme);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (stream_cases); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/ak/cli-request/streamed-body/%s",
                                                    stream_cases[i].name);

      g_test_add (test_path, Fixture, &stream_cases[i], fixture_set_up, test_streamed_body,
                  fixture_tear_down);
    }

  return g_test_run ();
}
