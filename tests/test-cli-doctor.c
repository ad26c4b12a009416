/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ak-core.h"
#include "ak-test-stdin.h"

/*
 * `agora-keys-cli doctor`: exit statuses, the text and --json output, the support report,
 * and --verify-with-keyring against libsecret's file backend in a throwaway $HOME.
 */

#define TOKEN_APP_ID "970CA35de60c44645bbae8a215061b33"
#define TOKEN_APP_ID_2 "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"

static const char *cli_path;

typedef struct
{
  char *home;
  char *keyring;
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
          const char         *input,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *stdin_path = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_build_filename (fixture->home, ".local", "share", NULL);
  g_autofree char *config = g_build_filename (fixture->home, ".config", NULL);

  cli_result_clear (result);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", fixture->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "AGORA_APP_CERTIFICATE");
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

  stdin_path = ak_test_stdin_from (launcher, input);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_unlink (stdin_path);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  if (result->out == NULL)
    result->out = g_strdup ("");
  if (result->err == NULL)
    result->err = g_strdup ("");
  /* Not stdout: a report with --include-token holds a token. */
  g_test_message ("exit %d, stderr: %s", result->status, result->err);
}

static void run_cli (Fixture *fixture, CliResult *result, Keyring keyring, const char *input,
                     ...) G_GNUC_NULL_TERMINATED;

static void
run_cli (Fixture    *fixture,
         CliResult  *result,
         Keyring     keyring,
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
  run_cliv (fixture, result, keyring, input, (const char * const *) args->pdata);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->home = g_dir_make_tmp ("ak-cli-doctor-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->keyring = g_build_filename (fixture->home, ".local", "share", "keyrings",
                                       "test.keyring", NULL);
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
  remove_tree (fixture->home);
  g_free (fixture->home);
  g_free (fixture->keyring);
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

/* ---------------------------------------------------------------------------------------------
 */

static void
test_exit_statuses (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *token = build (CERT_1, "demo", "42");
  g_autofree char *cut = NULL;
  g_autofree char *spaced = NULL;
  g_auto(CliResult) r = { 0 };

  if (!require_cli ())
    return;

  /* Nothing wrong: 0, and it says so. */
  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--channel", "demo", "--uid", "42",
           "--product", "rtc", "--app-id", TOKEN_APP_ID, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Nothing in the token explains a rejection.");

  /* The same token on the command line, as decode allows it. */
  run_cli (fixture, &r, KEYRING_NONE, NULL, "doctor", token, "--channel", "demo", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* A finding that explains the rejection: 3, with the fix and a build command. */
  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--channel", "Demo", "--uid", "42",
           NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_true (g_str_has_prefix (r.out, "[explains] channel-case\n"));
  assert_contains (r.out, "Fix:");
  assert_contains (r.out, "Regenerate: agora-keys-cli build rtc --channel 'Demo' --uid '42'");

  /* An error code reorders: 110 with an App ID mismatch and a channel mismatch. */
  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--channel", "other",
           "--app-id", TOKEN_APP_ID_2, "--error", "110", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_true (g_str_has_prefix (r.out, "[explains] app-id-mismatch\n"));

  /* Damaged on the way but repairable: 3, and what was repaired. */
  spaced = g_strdup_printf ("Bearer \"%s\"", token);
  run_cli (fixture, &r, KEYRING_NONE, spaced, "doctor", "-", NULL);
  g_assert_cmpint (r.status, ==, 3);
  assert_contains (r.out, "[explains] token-wrapped");
  assert_contains (r.out, "Bearer");

  /* Beyond repair: 1. */
  cut = g_strndup (token, strlen (token) - 3);
  run_cli (fixture, &r, KEYRING_NONE, cut, "doctor", "-", NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "cut short");
  g_assert_cmpstr (r.out, ==, "");
  run_cli (fixture, &r, KEYRING_NONE, "hello", "doctor", "-", NULL);
  g_assert_cmpint (r.status, ==, 1);

  /* Usage errors: 2. */
  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--uid", "1", "--account", "a",
           NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--product", "video", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--include-token", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", NULL);
  g_assert_cmpint (r.status, ==, 2);

  /* help doctor lists the codes it knows. */
  run_cli (fixture, &r, KEYRING_NONE, NULL, "help", "doctor", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "ERR_TOKEN_EXPIRED");
  assert_contains (r.out, "--verify-with-keyring");
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *token = build (CERT_1, "demo", "user-7");
  g_auto(CliResult) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *first, *regenerate, *evidence;
  JsonArray *findings;

  if (!require_cli ())
    return;

  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--json", "--channel", "demo",
           "--uid", "7", NULL);
  g_assert_cmpint (r.status, ==, 3);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
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
  g_auto(CliResult) r = { 0 };

  if (!require_cli ())
    return;

  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--report", "--channel", "x",
           NULL);
  g_assert_cmpint (r.status, ==, 3);
  assert_contains (r.out, "970C…1b33");
  assert_contains (r.out, "channel-mismatch");
  g_assert_null (strstr (r.out, TOKEN_APP_ID));
  g_assert_null (strstr (r.out, token));

  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--report", "--include-token",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, token);
}

static void
test_body (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *token = build (CERT_1, "room", "1001");
  g_autofree char *path = g_build_filename (fixture->home, "body.json", NULL);
  g_auto(CliResult) r = { 0 };
  g_autoptr(GError) error = NULL;

  if (!require_cli ())
    return;

  g_file_set_contents (path, "{\"properties\": {\"channel\": \"room\", \"agent_rtc_uid\": "
                       "\"2002\"}}", -1, &error);
  g_assert_no_error (error);
  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--body", path, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_true (g_str_has_prefix (r.out, "[explains] convoai-uid-mismatch\n"));

  g_file_set_contents (path, "{\"properties\": ", -1, &error);
  g_assert_no_error (error);
  run_cli (fixture, &r, KEYRING_NONE, token, "doctor", "-", "--body", path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "ConvoAI request body");
}

static void
test_keyring (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *good = build (CERT_1, "demo", "42");
  g_autofree char *other = build (CERT_2, "demo", "42");
  g_auto(CliResult) r = { 0 };

  if (!require_cli ())
    return;

  run_cli (fixture, &r, KEYRING_FILE, CERT_1 "\n", "credential", "add", "project",
           "--label", "Demo", "--app-id", TOKEN_APP_ID, NULL);
  g_assert_cmpint (r.status, ==, 0);

  run_cli (fixture, &r, KEYRING_FILE, good, "doctor", "-", "--verify-with-keyring", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Nothing in the token explains a rejection.");

  run_cli (fixture, &r, KEYRING_FILE, other, "doctor", "-", "--verify-with-keyring", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_true (g_str_has_prefix (r.out, "[explains] certificate-mismatch\n"));
  assert_contains (r.out, "“Demo”");
  g_assert_null (strstr (r.out, CERT_1));
  g_assert_null (strstr (r.err, CERT_1));

  /* No Secret Service: 5, never a silent "not checked". */
  run_cli (fixture, &r, KEYRING_NONE, good, "doctor", "-", "--verify-with-keyring", NULL);
  g_assert_cmpint (r.status, ==, 5);
  assert_contains (r.err, "Secret Service");
  g_assert_cmpstr (r.out, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  cli_path = g_getenv ("AK_CLI");

  g_test_add ("/ak/cli-doctor/exit-statuses", Fixture, NULL, fixture_set_up,
              test_exit_statuses, fixture_tear_down);
  g_test_add ("/ak/cli-doctor/json", Fixture, NULL, fixture_set_up, test_json,
              fixture_tear_down);
  g_test_add ("/ak/cli-doctor/report", Fixture, NULL, fixture_set_up, test_report,
              fixture_tear_down);
  g_test_add ("/ak/cli-doctor/body", Fixture, NULL, fixture_set_up, test_body,
              fixture_tear_down);
  g_test_add ("/ak/cli-doctor/keyring", Fixture, NULL, fixture_set_up, test_keyring,
              fixture_tear_down);
  return g_test_run ();
}
