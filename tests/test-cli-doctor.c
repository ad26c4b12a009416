/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ak-core.h"
#include "ak-test-util.h"

/*
 * `agora-keys-cli doctor`: exit statuses, the text and --json output, the support report,
 * and --verify-with-keyring against libsecret's file backend in a throwaway $HOME.
 */

#define TOKEN_APP_ID "970CA35de60c44645bbae8a215061b33"
#define TOKEN_APP_ID_2 "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"

typedef AkTestHome Fixture;

static void
run_cliv (Fixture            *fixture,
          AkTestCliResult    *result,
          AkTestKeyring       keyring,
          const char         *input,
          const char * const *args)
{
  ak_test_run_cli_at_home (fixture, keyring, NULL, NULL, result, input, args);
  /* Not stdout: a report with --include-token holds a token. */
  g_test_message ("stderr: %s", result->err);
}

#define run_cli(fixture, result, keyring, input, ...) \
  run_cliv (fixture, result, keyring, input, AK_TEST_ARGS (__VA_ARGS__))

/* Issued now by the real clock (the CLI reads it too), valid for a day. */
static char *
build (const char *certificate,
       const char *channel,
       const char *uid)
{
  g_autoptr(AkToken) token = ak_token_new_007 (TOKEN_APP_ID, (guint32) ak_clock_now_unix (),
                                               86400, 7);
  AkService *rtc = ak_service_new (AK_SERVICE_RTC);
  g_autoptr(GError) error = NULL;
  char *text;

  rtc->channel_name = g_strdup (channel);
  rtc->uid = g_strdup (uid);
  ak_service_set_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, 86400);
  ak_token_add_service (token, rtc);
  text = ak_token_encode (token, certificate, &error);
  g_assert_no_error (error);
  return text;
}

/* ---------------------------------------------------------------------------------------------
 */

static void
test_exit_statuses (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *token = build (CERT_1, "demo", "42");
  g_autofree char *cut = NULL;
  g_autofree char *spaced = NULL;
  g_auto(AkTestCliResult) r = { 0 };

  if (!ak_test_require_cli ())
    return;

  /* Nothing wrong: 0, and it says so. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--channel", "demo", "--uid",
           "42", "--product", "rtc", "--app-id", TOKEN_APP_ID, NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "Nothing in the token explains a rejection.");

  /* The same token on the command line, as decode allows it. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, "doctor", token, "--channel", "demo", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* A finding that explains the rejection: 3, with the fix and a build command. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--channel", "Demo", "--uid",
           "42", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_true (g_str_has_prefix (r.out, "[explains] channel-case\n"));
  ak_test_assert_contains (r.out, "Fix:");
  ak_test_assert_contains (r.out,
                           "Regenerate: agora-keys-cli build rtc --channel 'Demo' --uid '42'");

  /* An error code reorders: 110 with an App ID mismatch and a channel mismatch. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--channel", "other",
           "--app-id", TOKEN_APP_ID_2, "--error", "110", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_true (g_str_has_prefix (r.out, "[explains] app-id-mismatch\n"));

  /* Damaged on the way but repairable: 3, and what was repaired. */
  spaced = g_strdup_printf ("Bearer \"%s\"", token);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, spaced, "doctor", "-", NULL);
  g_assert_cmpint (r.status, ==, 3);
  ak_test_assert_contains (r.out, "[explains] token-wrapped");
  ak_test_assert_contains (r.out, "Bearer");

  /* Beyond repair: 1. */
  cut = g_strndup (token, strlen (token) - 3);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, cut, "doctor", "-", NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "cut short");
  g_assert_cmpstr (r.out, ==, "");
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, "hello", "doctor", "-", NULL);
  g_assert_cmpint (r.status, ==, 1);

  /* Usage errors: 2. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--uid", "1", "--account", "a",
           NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--product", "video", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--include-token", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", NULL);
  g_assert_cmpint (r.status, ==, 2);

  /* help doctor lists the codes it knows. */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, NULL, "help", "doctor", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "ERR_TOKEN_EXPIRED");
  ak_test_assert_contains (r.out, "--verify-with-keyring");
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *token = build (CERT_1, "demo", "user-7");
  g_auto(AkTestCliResult) r = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root, *first, *regenerate, *evidence;
  JsonArray *findings;

  if (!ak_test_require_cli ())
    return;

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--json", "--channel", "demo",
           "--uid", "7", NULL);
  g_assert_cmpint (r.status, ==, 3);
  node = ak_test_parse_json (r.out, -1);
  root = json_node_get_object (node);
  g_assert_true (json_object_get_boolean_member (root, "explains-rejection"));
  g_assert_false (json_object_get_boolean_member (root, "repaired"));
  findings = json_object_get_array_member (root, "findings");
  g_assert_cmpuint (json_array_get_length (findings), >=, 1);
  first = json_array_get_object_element (findings, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "uid-account-swap");
  g_assert_cmpstr (json_object_get_string_member (first, "severity"), ==, "explains");
  g_assert_true (json_object_has_member (first, "verdict"));
  g_assert_true (json_object_has_member (first, "fix"));
  evidence = json_array_get_object_element (json_object_get_array_member (first, "evidence"),
                                            0);
  g_assert_cmpstr (json_object_get_string_member (evidence, "in-token"), ==, "user-7");
  regenerate = json_object_get_object_member (first, "regenerate");
  g_assert_cmpstr (json_object_get_string_member (regenerate, "kind"), ==, "rtc");
  g_assert_cmpstr (json_object_get_string_member (regenerate, "uid"), ==, "7");
  g_assert_null (strstr (r.out, token));
}

static void
test_report (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *token = build (CERT_1, "demo", "42");
  g_auto(AkTestCliResult) r = { 0 };

  if (!ak_test_require_cli ())
    return;

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--report", "--channel", "x",
           NULL);
  g_assert_cmpint (r.status, ==, 3);
  ak_test_assert_contains (r.out, "970C…1b33");
  ak_test_assert_contains (r.out, "channel-mismatch");
  g_assert_null (strstr (r.out, TOKEN_APP_ID));
  g_assert_null (strstr (r.out, token));

  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--report", "--include-token",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, token);
}

static void
test_body (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *token = build (CERT_1, "room", "1001");
  g_autofree char *path = g_build_filename (fixture->home, "body.json", NULL);
  g_auto(AkTestCliResult) r = { 0 };
  g_autoptr(GError) error = NULL;

  if (!ak_test_require_cli ())
    return;

  g_file_set_contents (path, "{\"properties\": {\"channel\": \"room\", \"agent_rtc_uid\": "
                       "\"2002\"}}", -1, &error);
  g_assert_no_error (error);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--body", path, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_true (g_str_has_prefix (r.out, "[explains] convoai-uid-mismatch\n"));

  g_file_set_contents (path, "{\"properties\": ", -1, &error);
  g_assert_no_error (error);
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, token, "doctor", "-", "--body", path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "ConvoAI request body");
}

static void
test_keyring (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *good = build (CERT_1, "demo", "42");
  g_autofree char *other = build (CERT_2, "demo", "42");
  g_auto(AkTestCliResult) r = { 0 };

  if (!ak_test_require_cli ())
    return;

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, CERT_1 "\n", "credential", "add", "project",
           "--label", "Demo", "--app-id", TOKEN_APP_ID, NULL);
  g_assert_cmpint (r.status, ==, 0);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, good, "doctor", "-", "--verify-with-keyring", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "Nothing in the token explains a rejection.");

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, other, "doctor", "-", "--verify-with-keyring", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_true (g_str_has_prefix (r.out, "[explains] certificate-mismatch\n"));
  ak_test_assert_contains (r.out, "“Demo”");
  g_assert_null (strstr (r.out, CERT_1));
  g_assert_null (strstr (r.err, CERT_1));

  /* No Secret Service: 5, never a silent "not checked". */
  run_cli (fixture, &r, AK_TEST_KEYRING_NONE, good, "doctor", "-", "--verify-with-keyring", NULL);
  g_assert_cmpint (r.status, ==, 5);
  ak_test_assert_contains (r.err, "Secret Service");
  g_assert_cmpstr (r.out, ==, "");
}

int
main (int    argc,
      char **argv)
{
  ak_test_init_cli_tests (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ak/cli-doctor/" path, Fixture, NULL, ak_test_home_set_up, func, \
              ak_test_home_tear_down)
  ADD ("exit-statuses", test_exit_statuses);
  ADD ("json", test_json);
  ADD ("report", test_report);
  ADD ("body", test_body);
  ADD ("keyring", test_keyring);
#undef ADD
  return g_test_run ();
}
