/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ak-core.h"
#include "ak-test-util.h"

/*
 * Checking a token against the stored projects (in memory) and against a pasted
 * certificate; then `agora-keys-cli decode --verify-with-keyring` against libsecret's file
 * backend in a throwaway $HOME.
 */

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define APP_ID_2 "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define APP_ID_3 "ffeeddccbbaa99887766554433221100"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define CERT_3 "77aa66bb55cc44dd33ee22ff11009988"

/* ---------------------------------------------------------------------------------------------
 * Tokens and waiting
 */

static char *
build_rtc (const char *app_id,
           const char *certificate)
{
  g_autoptr(AkToken) token = ak_token_new_007 (app_id, 1700000000, 3600, 7);
  AkService *rtc = ak_service_new (AK_SERVICE_RTC);
  g_autoptr(GError) error = NULL;
  char *text;

  rtc->channel_name = g_strdup ("demo");
  rtc->uid = g_strdup ("42");
  ak_service_set_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, 3600);
  ak_token_add_service (token, rtc);
  text = ak_token_encode (token, certificate, &error);
  g_assert_no_error (error);
  return text;
}

static char *
build_006 (const char *app_id,
           const char *certificate)
{
  g_autoptr(AkToken) token = ak_token_new_006 (app_id, "demo", "42", 7, 1700086400);
  g_autoptr(GError) error = NULL;
  char *text;

  ak_token_set_privilege_006 (token, AK_PRIV006_JOIN_CHANNEL, 1700003600);
  text = ak_token_encode (token, certificate, &error);
  g_assert_no_error (error);
  return text;
}

static AkTokenCheck *
check_with_store (AkCredentialStore *store,
                  const char        *text,
                  const char        *channel,
                  const char        *uid,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autoptr(AkToken) token = ak_test_parse_token (text);
  g_autoptr(GAsyncResult) result = NULL;
  AkTestWait wait = { .check_async = TRUE };

  ak_token_check_with_store_async (store, token, channel, uid, cancellable,
                                   ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  return ak_token_check_with_store_finish (store, result, error);
}

/* ---------------------------------------------------------------------------------------------
 * Against the store
 */

typedef struct
{
  AkCredentialStore *store;
} Fixture;

static void
add_project (AkCredentialStore *store,
             const char        *label,
             const char        *app_id,
             const char        *primary,
             const char        *secondary)
{
  g_autoptr(AkCredential) added = ak_test_store_add_project (store, label, app_id, primary,
                                                             secondary);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { .check_async = TRUE };

  fixture->store = ak_credential_store_new_in_memory ();
  ak_credential_store_load_async (fixture->store, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  g_assert_true (ak_credential_store_load_finish (fixture->store, result, &error));
  g_assert_no_error (error);

  add_project (fixture->store, "Demo", APP_ID, CERT_1, CERT_2);
  add_project (fixture->store, "Other", APP_ID_2, CERT_3, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
}

/* Checks @text against @store, which must answer. */
static AkTokenCheck *
check_in (AkCredentialStore *store,
          const char        *text,
          const char        *channel,
          const char        *uid)
{
  g_autoptr(GError) error = NULL;
  AkTokenCheck *check = check_with_store (store, text, channel, uid, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (check);
  return check;
}

/* Fails unless @check has @status and, where given, @certificate (-1: not checked), the
 * project labelled @project, @message and @title (NULL: not checked). */
static void
assert_check (AkTokenCheck       *check,
              AkTokenCheckStatus  status,
              int                 certificate,
              const char         *project,
              const char         *message,
              const char         *title)
{
  g_assert_cmpint (ak_token_check_get_status (check), ==, status);
  if (certificate >= 0)
    g_assert_cmpint (ak_token_check_get_certificate (check), ==, certificate);
  if (project != NULL)
    g_assert_cmpstr (ak_credential_get_label (ak_token_check_get_project (check)), ==, project);
  if (message != NULL)
    g_assert_cmpstr (ak_token_check_get_message (check), ==, message);
  if (title != NULL)
    g_assert_cmpstr (ak_token_check_get_title (check), ==, title);
}

/* One 007 token checked against the store, and what the check says. */
typedef struct
{
  const char *name;
  const char *app_id;
  /* The App ID typed in lower case: the same project, and its bytes still sign. */
  gboolean lower_case;
  const char *certificate;
  AkTokenCheckStatus status;
  /* As assert_check() takes them. */
  int kind;
  const char *project, *message, *title;
  /* The signature's state, when checked. */
  gboolean check_signature;
  AkSignatureState signature;
  /* No project was found. */
  gboolean no_project;
} StoreCase;

static const StoreCase store_cases[] = {
  { "primary", APP_ID, FALSE, CERT_1, AK_TOKEN_CHECK_VALID, AK_CERTIFICATE_PRIMARY, "Demo",
    "Signed with the primary certificate of “Demo”.",
    "Signature valid — primary certificate of “Demo”", TRUE, AK_SIGNATURE_VALID },
  { "secondary", APP_ID, FALSE, CERT_2, AK_TOKEN_CHECK_VALID, AK_CERTIFICATE_SECONDARY, NULL,
    "Signed with the secondary certificate of “Demo”.",
    "Signature valid — secondary certificate of “Demo”" },
  { "app-id-case", APP_ID, TRUE, CERT_1, AK_TOKEN_CHECK_VALID, -1, "Demo", NULL, NULL },
  { "no-project", APP_ID_3, FALSE, CERT_1, AK_TOKEN_CHECK_NO_PROJECT, AK_CERTIFICATE_NONE, NULL,
    "No stored project has App ID " APP_ID_3 "; paste its certificate to check the signature.",
    "Not checked — no certificate for this App ID", TRUE, AK_SIGNATURE_UNCHECKED, TRUE },
};

static void
test_store_case (Fixture       *fixture,
                 gconstpointer  data)
{
  const StoreCase *store_case = data;
  g_autofree char *app_id = store_case->lower_case ? g_ascii_strdown (store_case->app_id, -1)
                                                   : g_strdup (store_case->app_id);
  g_autofree char *text = build_rtc (app_id, store_case->certificate);
  g_autoptr(AkTokenCheck) check = check_in (fixture->store, text, NULL, NULL);

  assert_check (check, store_case->status, store_case->kind, store_case->project,
                store_case->message, store_case->title);
  if (store_case->check_signature)
    g_assert_cmpint (ak_token_check_get_verification (check)->signature, ==,
                     store_case->signature);
  if (store_case->no_project)
    g_assert_null (ak_token_check_get_project (check));
}

static void
test_mismatch (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *text = build_rtc (APP_ID, CERT_3);
  g_autofree char *other = build_rtc (APP_ID_2, CERT_1);
  g_autoptr(AkTokenCheck) check = check_in (fixture->store, text, NULL, NULL);
  g_autoptr(AkTokenCheck) other_check = check_in (fixture->store, other, NULL, NULL);

  assert_check (check, AK_TOKEN_CHECK_SIGNATURE_MISMATCH, AK_CERTIFICATE_NONE, "Demo",
                "The signature matches neither the primary nor the secondary certificate of "
                "“Demo”: the token was made with another certificate or changed after it "
                "was made.",
                "Signature does not match the primary or secondary certificate of “Demo”");
  g_assert_cmpint (ak_token_check_get_verification (check)->signature, ==,
                   AK_SIGNATURE_INVALID);

  /* A project without a secondary certificate says so. */
  assert_check (other_check, AK_TOKEN_CHECK_SIGNATURE_MISMATCH, -1, NULL, NULL,
                "Signature does not match the primary certificate of “Other”");
  g_assert_nonnull (strstr (ak_token_check_get_message (other_check),
                            "primary certificate of “Other”, which has no secondary"));
}

static void
test_same_app_id_twice (Fixture       *fixture,
                        gconstpointer  data)
{
  /* After a certificate change a project may be stored twice: try both. */
  g_autofree char *text = build_rtc (APP_ID_2, CERT_2);
  g_autofree char *neither = build_rtc (APP_ID_2, CERT_1);
  g_autoptr(AkTokenCheck) check = NULL;
  g_autoptr(AkTokenCheck) mismatch = NULL;

  add_project (fixture->store, "Other (new certificate)", APP_ID_2, CERT_2, NULL);
  check = check_in (fixture->store, text, NULL, NULL);
  assert_check (check, AK_TOKEN_CHECK_VALID, AK_CERTIFICATE_PRIMARY, "Other (new certificate)",
                NULL, "Signature valid — primary certificate of “Other (new certificate)”");

  mismatch = check_in (fixture->store, neither, NULL, NULL);
  assert_check (mismatch, AK_TOKEN_CHECK_SIGNATURE_MISMATCH, -1, NULL, NULL,
                "Signature matches none of the 2 projects with this App ID");
}

static void
test_006 (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *text = build_006 (APP_ID, CERT_2);
  g_autoptr(AkTokenCheck) valid = check_in (fixture->store, text, "demo", "42");
  g_autoptr(AkTokenCheck) wrong_uid = check_in (fixture->store, text, "demo", "0");
  g_autoptr(AkTokenCheck) wrong_channel = check_in (fixture->store, text, "demo2", "42");
  g_autoptr(AkTokenCheck) no_channel = check_in (fixture->store, text, NULL, NULL);
  const AkVerification *verification;

  assert_check (valid, AK_TOKEN_CHECK_VALID, AK_CERTIFICATE_SECONDARY, NULL,
                "Signed with the secondary certificate of “Demo”, for this channel name and "
                "uid.",
                "Signature valid — secondary certificate of “Demo”");

  /* A CRC mismatch is told apart from a wrong certificate. */
  assert_check (wrong_uid, AK_TOKEN_CHECK_CRC_MISMATCH, AK_CERTIFICATE_NONE, NULL, NULL,
                "Made for another channel name or uid");
  verification = ak_token_check_get_verification (wrong_uid);
  g_assert_cmpint (verification->crc_channel_name, ==, AK_SIGNATURE_VALID);
  g_assert_cmpint (verification->crc_uid, ==, AK_SIGNATURE_INVALID);
  g_assert_cmpint (verification->signature, ==, AK_SIGNATURE_UNCHECKED);
  g_assert_true (g_str_has_prefix (ak_token_check_get_message (wrong_uid),
                                   "The uid does not match"));

  assert_check (wrong_channel, AK_TOKEN_CHECK_CRC_MISMATCH, -1, NULL,
                "The channel name does not match the one this token was made for.", NULL);
  assert_check (no_channel, AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID, -1, "Demo",
                "Enter the channel name and uid to check a 006 token.",
                "Not checked — enter the channel name and uid");
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *text = build_rtc (APP_ID, CERT_1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AkTokenCheck) check = NULL;

  g_cancellable_cancel (cancellable);
  check = check_with_store (fixture->store, text, NULL, NULL, cancellable, &error);
  g_assert_null (check);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_unloaded_store (void)
{
  /* A store nobody loaded yet is loaded first; an empty one has no project. */
  g_autoptr(AkCredentialStore) store = ak_credential_store_new_in_memory ();
  g_autofree char *text = build_rtc (APP_ID, CERT_1);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkTokenCheck) check = check_with_store (store, text, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_SESSION_ONLY);
  g_assert_cmpint (ak_token_check_get_status (check), ==, AK_TOKEN_CHECK_NO_PROJECT);
}

static void
test_with_certificate (void)
{
  g_autofree char *text = build_rtc (APP_ID, CERT_1);
  g_autofree char *text_006 = build_006 (APP_ID, CERT_1);
  g_autoptr(AkToken) token = ak_test_parse_token (text);
  g_autoptr(AkToken) token_006 = ak_test_parse_token (text_006);
  g_autoptr(AkTokenCheck) valid = ak_token_check_with_certificate (token, CERT_1, NULL, NULL);
  g_autoptr(AkTokenCheck) wrong = ak_token_check_with_certificate (token, CERT_2, NULL, NULL);
  g_autoptr(AkTokenCheck) invalid = ak_token_check_with_certificate (token, "5CFd2fd1", NULL,
                                                                     NULL);
  g_autoptr(AkTokenCheck) valid_006 = ak_token_check_with_certificate (token_006, CERT_1,
                                                                       "demo", "42");
  g_autoptr(AkTokenCheck) crc_006 = ak_token_check_with_certificate (token_006, CERT_1,
                                                                     "demo", "");
  g_autoptr(AkTokenCheck) needs_006 = ak_token_check_with_certificate (token_006, CERT_1,
                                                                       "demo", NULL);

  assert_check (valid, AK_TOKEN_CHECK_VALID, AK_CERTIFICATE_GIVEN, NULL,
                "Signed with this certificate.", "Signature valid — the pasted certificate");
  g_assert_null (ak_token_check_get_project (valid));

  assert_check (wrong, AK_TOKEN_CHECK_SIGNATURE_MISMATCH, AK_CERTIFICATE_NONE, NULL,
                "The signature does not match this certificate: the token was made with "
                "another certificate or changed after it was made.",
                "Signature does not match the pasted certificate");
  g_assert_cmpint (ak_token_check_get_verification (wrong)->signature, ==,
                   AK_SIGNATURE_INVALID);

  assert_check (invalid, AK_TOKEN_CHECK_INVALID_CERTIFICATE, -1, NULL,
                "The App Certificate has 8 characters; it must have exactly 32 hexadecimal "
                "characters.",
                "Not checked — the certificate is not valid");

  assert_check (valid_006, AK_TOKEN_CHECK_VALID, -1, NULL, NULL, NULL);
  assert_check (crc_006, AK_TOKEN_CHECK_CRC_MISMATCH, -1, NULL, NULL, NULL);
  assert_check (needs_006, AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID, -1, NULL, NULL, NULL);
}

static void
test_tampered (void)
{
  /* One bit of the 006 message flipped (the expiry): the certificate no longer matches. */
  g_autofree char *text = build_006 (APP_ID, CERT_1);
  g_autoptr(AkToken) token = ak_test_parse_token (text);
  g_autoptr(AkToken) tampered = NULL;
  g_autoptr(AkTokenCheck) check = NULL;
  gsize len = strlen (text);
  char *last;

  /* The last characters encode the joinChannel expiry; change one that is not padding. */
  last = text + len - 1;
  while (*last == '=')
    last--;
  last--;
  *last = *last == 'A' ? 'B' : 'A';
  tampered = ak_test_parse_token (text);
  g_assert_cmpuint (ak_token_get_crc_uid (tampered), ==, ak_token_get_crc_uid (token));

  check = ak_token_check_with_certificate (tampered, CERT_1, "demo", "42");
  g_assert_cmpint (ak_token_check_get_status (check), ==, AK_TOKEN_CHECK_SIGNATURE_MISMATCH);
}

/* ---------------------------------------------------------------------------------------------
 * agora-keys-cli decode --verify-with-keyring
 */

/* Debug messages are audited too, and a certificate in the environment must not be used
 * instead of the keyring. */
static const char * const cli_env[] = {
  "G_MESSAGES_DEBUG=all", "AGORA_APP_CERTIFICATE=" CERT_3, NULL,
};

/* Every output goes to @outputs, for the audit at the end; the arguments are one array. */
#define run_cli(home, outputs, result, with_keyring, input, ...) \
  ak_test_run_cli_at_home (home, (with_keyring) ? AK_TEST_KEYRING_FILE : AK_TEST_KEYRING_NONE, \
                           cli_env, outputs, result, input, __VA_ARGS__)

static void
test_cli_keyring (void)
{
  AkTestHome home = { 0 };
  g_autoptr(GString) outputs = g_string_new (NULL);
  g_auto(AkTestCliResult) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *primary = build_rtc (APP_ID, CERT_1);
  g_autofree char *secondary = build_rtc (APP_ID, CERT_2);
  g_autofree char *foreign = build_rtc (APP_ID, CERT_3);
  g_autofree char *unknown = build_rtc (APP_ID_3, CERT_3);
  g_autofree char *token_006 = build_006 (APP_ID, CERT_1);
  g_autofree char *piped = NULL;
  JsonObject *check;

  if (!ak_test_require_cli ())
    return;

  ak_test_home_set_up (&home, NULL);

  run_cli (&home, outputs, &r, TRUE, CERT_1 "\n" CERT_2 "\n",
           (const char *[]) { "credential", "add", "project", "--label", "Demo", "--app-id",
                              APP_ID, NULL });
  g_assert_cmpint (r.status, ==, 0);

  run_cli (&home, outputs, &r, TRUE, NULL,
           (const char *[]) { "decode", "--verify-with-keyring", primary, NULL });
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "valid: the primary certificate of “Demo”");

  piped = g_strdup_printf ("%s\n", secondary);
  run_cli (&home, outputs, &r, TRUE, piped,
           (const char *[]) { "decode", "--verify-with-keyring", "-", NULL });
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "valid: the secondary certificate of “Demo”");

  /* Signed with a certificate the project does not have (the one in the environment). */
  run_cli (&home, outputs, &r, TRUE, NULL,
           (const char *[]) { "decode", "--verify-with-keyring", foreign, NULL });
  g_assert_cmpint (r.status, ==, 3);
  ak_test_assert_contains (r.out, "does not match");
  ak_test_assert_contains (r.err, "matches neither the primary nor the secondary certificate of "
                                  "“Demo”");

  run_cli (&home, outputs, &r, TRUE, NULL,
           (const char *[]) { "decode", "--verify-with-keyring", unknown, NULL });
  g_assert_cmpint (r.status, ==, 4);
  ak_test_assert_contains (r.out, "not checked: no project in the keyring has this App ID");
  ak_test_assert_contains (r.err, "No project in the keyring has App ID " APP_ID_3);

  run_cli (&home, outputs, &r, TRUE, NULL,
           (const char *[]) { "decode", "--json", "--verify-with-keyring", secondary, NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (
                   json_parser_get_root (parser)), "signature_valid"));
  check = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                         "keyring_check");
  g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (check, "project"), ==, "Demo");
  g_assert_cmpstr (json_object_get_string_member (check, "certificate"), ==, "secondary");

  run_cli (&home, outputs, &r, TRUE, NULL,
           (const char *[]) { "decode", "--verify-with-keyring", "--channel", "demo", "--uid",
                              "42", token_006, NULL });
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.out, "valid: the primary certificate of “Demo”");

  run_cli (&home, outputs, &r, TRUE, NULL,
           (const char *[]) { "decode", "--verify-with-keyring", "--channel", "demo", "--uid",
                              "43", token_006, NULL });
  g_assert_cmpint (r.status, ==, 3);
  ak_test_assert_contains (r.err, "The uid does not match");

  run_cli (&home, outputs, &r, TRUE, NULL,
           (const char *[]) { "decode", "--verify-with-keyring", token_006, NULL });
  g_assert_cmpint (r.status, ==, 2);
  ak_test_assert_contains (r.err, "--channel");

  run_cli (&home, outputs, &r, TRUE, NULL,
           (const char *[]) { "decode", "--verify-with-keyring", "--verify", primary, NULL });
  g_assert_cmpint (r.status, ==, 2);

  /* A malformed token is reported before the keyring is asked for anything. */
  run_cli (&home, outputs, &r, FALSE, NULL,
           (const char *[]) { "decode", "--verify-with-keyring", "007eJ*", NULL });
  g_assert_cmpint (r.status, ==, 1);

  /* No Secret Service: status 5 and what to install, never a silent fallback. */
  run_cli (&home, outputs, &r, FALSE, NULL,
           (const char *[]) { "decode", "--verify-with-keyring", primary, NULL });
  g_assert_cmpint (r.status, ==, 5);
  ak_test_assert_contains (r.err, "Secret Service");
  g_assert_cmpstr (r.out, ==, "");

  /* The certificates never show in any output. */
  g_assert_null (strstr (outputs->str, CERT_1));
  g_assert_null (strstr (outputs->str, CERT_2));
  g_assert_null (strstr (outputs->str, CERT_3));

  ak_test_home_tear_down (&home, NULL);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  /* A child that exits before reading its input must fail the assertion, not kill us. */
  signal (SIGPIPE, SIG_IGN);
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/ak/token-check/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  for (guint i = 0; i < G_N_ELEMENTS (store_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/token-check/%s", store_cases[i].name);

      g_test_add (path, Fixture, &store_cases[i], fixture_set_up, test_store_case,
                  fixture_tear_down);
    }
  ADD ("mismatch", test_mismatch);
  ADD ("same-app-id-twice", test_same_app_id_twice);
  ADD ("006", test_006);
  ADD ("cancelled", test_cancelled);
#undef ADD
  g_test_add_func ("/ak/token-check/unloaded-store", test_unloaded_store);
  g_test_add_func ("/ak/token-check/with-certificate", test_with_certificate);
  g_test_add_func ("/ak/token-check/tampered", test_tampered);
  g_test_add_func ("/ak/token-check/cli-keyring", test_cli_keyring);

  return g_test_run ();
}
