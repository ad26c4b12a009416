/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ak-core.h"
#include "ak-test-cli.h"

/*
 * Where agora-keys-cli build takes the App Certificate from: the environment, a spec, a file
 * (--app-certificate-file), the command line, or nowhere (refused, never prompted for).
 */

/* A spec without app_certificate takes it from the environment; a spec with one keeps it
 * over the environment; --app-certificate-file beats both. */
static void
test_build_spec_certificate_sources (void)
{
  const char *token = vector_builder_token ("official-001", "rtc_uid");
  g_autofree char *expected = expected_line (token);
  g_autoptr(JsonObject) inputs = NULL;
  g_autofree char *with_cert = NULL;
  g_autofree char *without_cert = NULL;
  g_autofree char *wrong_file = NULL;
  g_auto(AkTestCliResult) result = { 0 };
  JsonArray *builders;

  if (!ak_test_require_cli ())
    return;

  builders = json_object_get_array_member (ak_test_find_vector ("official-001"),
                                           "equivalent_builders");
  inputs = json_object_ref (json_object_get_object_member (
    json_array_get_object_element (builders, 0), "inputs"));
  with_cert = spec_text ("rtc_uid", inputs);
  json_object_remove_member (inputs, "app_certificate");
  without_cert = spec_text ("rtc_uid", inputs);

  run_cli (&result, without_cert, TEST_CERT, "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);

  run_cli (&result, with_cert, OTHER_TEST_CERT, "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);

  /* Two specs one after the other: refused, not the last one built. */
  {
    g_autofree char *twice = g_strconcat (with_cert, with_cert, NULL);

    run_cli (&result, twice, NULL, "build", "--spec", "-", NULL);
    g_assert_cmpint (result.status, ==, 1);
    g_assert_cmpstr (result.out, ==, "");
    g_assert_nonnull (strstr (result.err, "more than one value"));
  }

  wrong_file = write_temp_file (OTHER_TEST_CERT "\n");
  run_cli (&result, with_cert, NULL, "build", "--spec", "-",
           "--app-certificate-file", wrong_file, NULL);
  g_unlink (wrong_file);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "007"));
  g_assert_cmpstr (result.out, !=, expected);

  /* No certificate anywhere, and standard input is no terminal to ask on. */
  run_cli (&result, without_cert, NULL, "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "AGORA_APP_CERTIFICATE"));
}

static void
test_build_without_certificate (void)
{
  g_auto(AkTestCliResult) result = { 0 };

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, NULL, NULL, "build", "rtc", "--app-id", TEST_APP_ID, "--channel", "c",
           "--uid", "1", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_true (g_str_has_prefix (result.err, "agora-keys-cli: "));
  g_assert_nonnull (strstr (result.err, "--app-certificate-file"));
  g_assert_nonnull (strstr (result.err, "AGORA_APP_CERTIFICATE"));
}

/* build @kind with the flags of the official vectors for user 2882341273, the certificate
 * @env_certificate in the environment (unless NULL), and @flag @value. */
static void
build_official_user (AkTestCliResult *result,
                     const char      *env_certificate,
                     const char      *kind,
                     const char      *flag,
                     const char      *value)
{
  run_cli (result, NULL, env_certificate, "build", kind, "--app-id", TEST_APP_ID, "--user-id",
           "2882341273", "--expire", "600", "--issue-ts", "1111111", "--salt", "1", flag, value,
           NULL);
}

static void
test_build_certificate_file (void)
{
  g_autofree char *expected = expected_line (vector_builder_token ("official-003", "rtm"));
  g_autofree char *good = write_temp_file ("  " TEST_CERT "  \r\nsecond line is ignored\n");
  g_autofree char *empty = write_temp_file ("\n" TEST_CERT "\n");
  g_auto(AkTestCliResult) result = { 0 };

  if (!ak_test_require_cli ())
    return;

  /* The file wins over a wrong certificate in the environment. */
  build_official_user (&result, OTHER_TEST_CERT, "rtm", "--app-certificate-file", good);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);

  build_official_user (&result, NULL, "rtm", "--app-certificate-file", empty);
  g_assert_cmpint (result.status, !=, 0);
  g_assert_cmpstr (result.out, ==, "");

  run_cli (&result, NULL, NULL, "build", "rtm", "--app-id", TEST_APP_ID, "--user-id", "u",
           "--app-certificate-file", "/nonexistent/certificate", NULL);
  g_assert_cmpint (result.status, !=, 0);
  g_assert_cmpstr (result.out, ==, "");

  run_cli (&result, NULL, NULL, "build", "rtm", "--app-id", TEST_APP_ID, "--user-id", "u",
           "--app-certificate-file", good, "--app-certificate", TEST_CERT, NULL);
  g_assert_cmpint (result.status, ==, 2);

  g_unlink (good);
  g_unlink (empty);
}

/* The one test that passes the certificate on the command line, to show it still works. */
static void
test_build_certificate_argument (void)
{
  g_autofree char *expected = expected_line (vector_builder_token ("official-004", "chat_user"));
  g_auto(AkTestCliResult) result = { 0 };
  g_auto(AkTestCliResult) help = { 0 };

  if (!ak_test_require_cli ())
    return;

  build_official_user (&result, NULL, "chat-user", "--app-certificate", TEST_CERT);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);

  run_cli (&help, NULL, NULL, "help", "build", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--app-certificate"));
  g_assert_nonnull (strstr (help.out, "visible to other users"));
}

int
main (int argc,
      char *argv[])
{
  ak_test_init_cli_tests (&argc, &argv);

  g_test_add_func ("/ak/cli/build-spec/certificate-sources", test_build_spec_certificate_sources);
  g_test_add_func ("/ak/cli/build/without-certificate", test_build_without_certificate);
  g_test_add_func ("/ak/cli/build/certificate-file", test_build_certificate_file);
  g_test_add_func ("/ak/cli/build/certificate-argument", test_build_certificate_argument);

  return g_test_run ();
}
