/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-test-util.h"
#include "ak-token-request.h"
#include "ak-token-server-private.h"

/*
 * One request, four faces: the command line's flags, a `--spec` that names a kind, the token
 * server's routes and the window's form (an AkTokenRequest filled as the form fills it, with
 * the clock and the salt fixed). With the issue time and salt fixed, all must give the same
 * token, byte for byte: a face with its own kinds, defaults or separators would differ.
 */

#define TEST_APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define ISSUE_TS 1700000000
#define ISSUE_TS_TEXT "1700000000"
#define SALT 12345
#define SALT_TEXT "12345"

static AkCredentialStore *store;
static SoupSession *session;
static AkTokenServer *server;

typedef struct
{
  const char *name;
  const char *cli[16];          /* after "build", without --app-id, --issue-ts and --salt */
  const char *spec;             /* members after "kind", without app-id, issue-ts and salt */
  const char *route;            /* a GET route of the token server, or NULL */
  const char *route_key;        /* the reply's member holding the token */
  AkTokenRequest form;          /* as the Generate form fills it */
} FaceCase;

static const FaceCase cases[] = {
  { "rtc-uid",
    { "rtc", "--channel", "demo", "--uid", "42", "--role", "subscriber", "--expire", "600" },
    "\"kind\": \"rtc\", \"channel\": \"demo\", \"uid\": 42, \"role\": \"subscriber\", "
    "\"expire\": \"10m\"",
    "/rtc/demo/subscriber/uid/42/?expiry=600", "rtcToken",
    { .kind = AK_TOKEN_KIND_RTC, .channel = "demo", .uid = 42, .role = AK_RTC_ROLE_SUBSCRIBER,
      .expire = 600, .privilege_expire = 600 } },
  { "rtc-account",
    { "rtc", "--channel", "demo", "--account", "alice", "--expire", "1h" },
    "\"kind\": \"rtc\", \"channel\": \"demo\", \"account\": \"alice\", "
    "\"role\": \"publisher\", \"expire\": 3600",
    "/rtc/demo/publisher/userAccount/alice/?expiry=3600", "rtcToken",
    { .kind = AK_TOKEN_KIND_RTC, .channel = "demo", .use_account = TRUE, .account = "alice",
      .role = AK_RTC_ROLE_PUBLISHER, .expire = 3600, .privilege_expire = 3600 } },
  { "rtm",
    { "rtm", "--user-id", "bob", "--expire", "2h" },
    "\"kind\": \"rtm\", \"user-id\": \"bob\", \"expire\": \"7200\"",
    "/rtm/bob/?expiry=7200", "rtmToken",
    { .kind = AK_TOKEN_KIND_RTM, .user_id = "bob", .expire = 7200 } },
  /* The server's /rte/ route gives this RTM token beside the RTC one. */
  { "rtm-stream",
    { "rtm-stream", "--channel", "demo", "--user-id", "alice", "--expire", "3600" },
    "\"kind\": \"rtm-stream\", \"channel\": \"demo\", \"user-id\": \"alice\"",
    "/rte/demo/publisher/userAccount/alice/?expiry=3600", "rtmToken",
    { .kind = AK_TOKEN_KIND_RTM_STREAM, .channel = "demo", .user_id = "alice",
      .expire = 3600 } },
  { "rte-rtc",
    { "rtc", "--channel", "demo", "--account", "alice", "--expire", "3600" },
    "\"kind\": \"rtc\", \"channel\": \"demo\", \"account\": \"alice\"",
    "/rte/demo/publisher/userAccount/alice/?expiry=3600", "rtcToken",
    { .kind = AK_TOKEN_KIND_RTC, .channel = "demo", .use_account = TRUE, .account = "alice",
      .role = AK_RTC_ROLE_PUBLISHER, .expire = 3600, .privilege_expire = 3600 } },
  /* RTC and RTM in one token: no server route makes it. */
  { "rtc-rtm",
    { "rtc-rtm", "--channel", "demo", "--account", "alice", "--expire", "600",
      "--privilege-expire", "300" },
    "\"kind\": \"rtc-rtm\", \"channel\": \"demo\", \"account\": \"alice\", "
    "\"expire\": \"10m\", \"privilege-expire\": \"5m\"",
    NULL, NULL,
    { .kind = AK_TOKEN_KIND_RTC_RTM, .channel = "demo", .use_account = TRUE,
      .account = "alice", .role = AK_RTC_ROLE_PUBLISHER, .expire = 600,
      .privilege_expire = 300 } },
  { "chat-user",
    { "chat-user", "--user-id", "bob", "--expire", "600" },
    "\"kind\": \"chat-user\", \"user-id\": \"bob\", \"expire\": 600",
    "/chat/account/bob/?expiry=600", "chatToken",
    { .kind = AK_TOKEN_KIND_CHAT_USER, .user_id = "bob", .expire = 600 } },
  /* One permission syntax: two flags, or one entry with commas, as the form takes. */
  { "rtm-permissions",
    { "rtm-permissions", "--user-id", "bob", "--permission",
      "messageChannels:read:chan-a, 0:0:chan-b", "--permission", "users:write:carol" },
    "\"kind\": \"rtm-permissions\", \"user-id\": \"bob\", "
    "\"permission\": \"messageChannels:read:chan-a\\n0:0:chan-b;users:write:carol\"",
    NULL, NULL,
    { .kind = AK_TOKEN_KIND_RTM_PERMISSIONS, .user_id = "bob", .expire = 3600,
      .permissions = "messageChannels:read:chan-a, messageChannels:read:chan-b\n"
                     "users:write:carol" } },
  { "education-app",
    { "education-app", "--expire", "600" },
    "\"kind\": \"apaas-app\", \"expire\": \"600s\"",
    NULL, NULL,
    { .kind = AK_TOKEN_KIND_APAAS_APP, .expire = 600 } },
};

/* Runs agora-keys-cli with @args, the certificate in the environment and @input on stdin. */
static char *
run_cli (const char * const *args,
         const char         *input)
{
  g_autoptr(GSubprocessLauncher) launcher = ak_test_cli_launcher_new ();
  g_auto(AkTestCliResult) result = { 0 };

  g_subprocess_launcher_setenv (launcher, "AGORA_APP_CERTIFICATE", CERT, TRUE);
  ak_test_run_cliv (launcher, &result, input, args);
  if (result.status != 0)
    g_error ("agora-keys-cli failed: %s", result.err);
  return g_strstrip (g_steal_pointer (&result.out));
}

static char *
by_flags (const FaceCase *face)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "build");
  for (guint i = 0; face->cli[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) face->cli[i]);
  g_ptr_array_add (args, (gpointer) "--app-id");
  g_ptr_array_add (args, (gpointer) TEST_APP_ID);
  g_ptr_array_add (args, (gpointer) "--issue-ts");
  g_ptr_array_add (args, (gpointer) ISSUE_TS_TEXT);
  g_ptr_array_add (args, (gpointer) "--salt");
  g_ptr_array_add (args, (gpointer) SALT_TEXT);
  g_ptr_array_add (args, NULL);
  return run_cli ((const char * const *) args->pdata, NULL);
}

static char *
by_spec (const FaceCase *face)
{
  static const char * const args[] = { "build", "--spec", "-", NULL };
  g_autofree char *spec = g_strdup_printf ("{%s, \"app-id\": \"" TEST_APP_ID "\", "
                                           "\"issue-ts\": " ISSUE_TS_TEXT ", "
                                           "\"salt\": \"" SALT_TEXT "\"}", face->spec);

  return run_cli (args, spec);
}

static char *
by_server (const FaceCase *face)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s",
                                          ak_token_server_get_port (server), face->route);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  AkTestWait wait = { 0 };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  bytes = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = ak_json_parse_untrusted (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (root),
                                                  face->route_key));
}

/* The form leaves issue time and salt to the clock and the generator: fix those instead. */
static char *
by_form (const FaceCase *face)
{
  AkTokenRequest request = face->form;
  g_autoptr(AkBuildResult) result = NULL;
  g_autoptr(GError) error = NULL;

  request.app_id = TEST_APP_ID;
  request.app_certificate = CERT;
  ak_clock_set_for_testing (ISSUE_TS);
  ak_token_request_set_salt_for_testing (TRUE, SALT);
  result = ak_token_request_build (&request, &error);
  ak_token_request_set_salt_for_testing (FALSE, 0);
  ak_clock_set_for_testing (0);
  g_assert_no_error (error);
  return g_strdup (ak_build_result_get_token (result));
}

static void
test_faces (gconstpointer data)
{
  const FaceCase *face = data;
  g_autofree char *form = NULL;
  g_autofree char *flags = NULL;
  g_autofree char *spec = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("AK_CLI") == NULL)
    {
      g_test_skip ("AK_CLI is not set (run the tests with meson test)");
      return;
    }

  form = by_form (face);
  token = ak_token_parse (form, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ak_token_get_issue_ts (token), ==, ISSUE_TS);
  g_assert_cmpuint (ak_token_get_salt (token), ==, SALT);

  flags = by_flags (face);
  g_assert_cmpstr (flags, ==, form);
  spec = by_spec (face);
  g_assert_cmpstr (spec, ==, form);
  if (face->route != NULL)
    {
      g_autofree char *served = by_server (face);

      g_assert_cmpstr (served, ==, form);
    }
}

/* Without the fixed salt, two builds differ: the test above is not comparing constants. */
static void
test_random_salt (void)
{
  AkTokenRequest request = cases[0].form;
  g_autoptr(AkBuildResult) first = NULL;
  g_autoptr(AkBuildResult) second = NULL;
  g_autoptr(GError) error = NULL;

  request.app_id = TEST_APP_ID;
  request.app_certificate = CERT;
  request.issue_ts = ISSUE_TS;
  first = ak_token_request_build (&request, &error);
  g_assert_no_error (error);
  second = ak_token_request_build (&request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ak_build_result_get_token (first), !=, ak_build_result_get_token (second));
}

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;

  server = ak_token_server_new (store);
  ak_token_server_set_project_label (server, "Demo");
  ak_token_server_set_port (server, 0);
  ak_token_server_set_bind_address (server, "127.0.0.1");
  ak_token_server_set_fixed_issue_for_testing (server, ISSUE_TS, TRUE, SALT);
  g_assert_true (ak_test_token_server_start (server, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  store = ak_test_init_with_demo (&argc, &argv, TEST_APP_ID, CERT, NULL);
  session = ak_test_session_new ();
  start_server ();

  AK_TEST_ADD_CASES ("/ak/token-request-faces", cases, test_faces);
  g_test_add_func ("/ak/token-request-faces/random-salt", test_random_salt);

  status = g_test_run ();

  ak_token_server_stop (server);
  g_clear_object (&server);
  g_clear_object (&session);
  return ak_test_finish_with_demo (&store, status);
}
