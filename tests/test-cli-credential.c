/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "ak-test-util.h"

/*
 * agora-keys-cli credential …, and build --project, run as a user would, against
 * libsecret's file backend in a throwaway $HOME.
 */

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define CERT_3 "77aa66bb55cc44dd33ee22ff11009988"
#define CUSTOMER_ID "7f3c2a1b9e8d4c6f"
#define CUSTOMER_SECRET "Zq9CustomerSecretXy42"
#define IMPORTED_SECRET "Kp4ImportedSecretQw19"
#define MASK "••••••••"

typedef struct
{
  AkTestHome dirs;
  /* Every output that must be free of secrets, for the audit. */
  GString *audited;
} Fixture;

typedef enum
{
  OUTPUT_AUDITED,
  /* stdout is meant to show a secret (show --reveal) or a token (build): not audited */
  OUTPUT_REVEALS,
} Output;

static void
run_cliv (Fixture            *fixture,
          AkTestCliResult    *result,
          AkTestKeyring       keyring,
          Output              output,
          const char         *input,
          const char * const *args)
{
  /* Debug messages are audited too. */
  static const char * const env[] = { "G_MESSAGES_DEBUG=all", NULL };

  ak_test_run_cli_at_home (&fixture->dirs, keyring, env, NULL, result, input, args);
  g_string_append (fixture->audited, result->err);
  if (output == OUTPUT_AUDITED)
    g_string_append (fixture->audited, result->out);
}

#define run_cli(fixture, result, keyring, output, input, ...) \
  run_cliv (fixture, result, keyring, output, input, AK_TEST_ARGS (__VA_ARGS__))

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ak_test_home_set_up (&fixture->dirs, data);
  fixture->audited = g_string_new (NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ak_test_home_tear_down (&fixture->dirs, data);
  g_string_free (fixture->audited, TRUE);
}

/* The command exited 0 and said @said on its standard output. */
static void
assert_succeeded (const AkTestCliResult *r,
                  const char            *said)
{
  g_assert_cmpint (r->status, ==, 0);
  ak_test_assert_contains (r->out, said);
}

static void
add_demo_project (Fixture *fixture)
{
  g_auto(AkTestCliResult) r = { 0 };

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, CERT_1 "\n" CERT_2 "\n",
           "credential", "add", "project", "--label", "Demo", "--app-id", APP_ID,
           "--chat-org", "61717166", "--chat-app", "demo", "--chat-host", "a41.chat.agora.io",
           "--notes", "staging project", NULL);
  assert_succeeded (&r, "Saved project “Demo” in the keyring.");
}

static void
test_add_list_show (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonArray *array;
  JsonObject *object;

  if (!ak_test_require_cli ())
    return;

  add_demo_project (fixture);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, CUSTOMER_SECRET "\r\n",
           "credential", "add", "customer", "--label", "Billing", "--customer-id", CUSTOMER_ID,
           NULL);
  assert_succeeded (&r, "Saved customer credential “Billing” in the keyring.");

  /* Mistakes, each with its own status and sentence. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, CERT_3 "\n",
           "credential", "add", "project", "--label", " demo", "--app-id", APP_ID, NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "A project named “Demo” already exists.");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, CERT_3 "\n",
           "credential", "add", "project", "--label", "Bad", "--app-id", "1234", NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "The App ID has 4 characters");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, "",
           "credential", "add", "project", "--label", "Empty", "--app-id", APP_ID, NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "Standard input is empty");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, "not-a-certificate\n",
           "credential", "add", "project", "--label", "Short", "--app-id", APP_ID, NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "App Certificate");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, CUSTOMER_SECRET "\n",
           "credential", "add", "customer", "--label", "X", "--customer-id", "a",
           "--app-id", APP_ID, NULL);
  g_assert_cmpint (r.status, ==, 2);
  ak_test_assert_contains (r.err, "--app-id does not apply to a customer credential");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL,
           "credential", "add", "project", "--app-id", APP_ID, NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "frob", NULL);
  g_assert_cmpint (r.status, ==, 2);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "list", NULL);
  assert_succeeded (&r, "project   Demo");
  ak_test_assert_contains (r.out, APP_ID);
  ak_test_assert_contains (r.out, "customer  Billing");
  ak_test_assert_contains (r.out, CUSTOMER_ID);
  g_assert_null (strstr (r.out, "Short"));

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "list", "--json",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  listed = ak_test_parse_json (r.out, -1);
  array = json_node_get_array (listed);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "project");
  g_assert_cmpstr (json_object_get_string_member (object, "app_id"), ==, APP_ID);
  g_assert_cmpstr (json_object_get_string_member (object, "chat_host"), ==,
                   "a41.chat.agora.io");
  g_assert_true (json_object_get_boolean_member (object, "has_secondary"));
  g_assert_false (json_object_has_member (object, "primary_certificate"));
  object = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "customer_id"), ==, CUSTOMER_ID);

  /* Masked unless asked. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "show", "demo",
           NULL);
  assert_succeeded (&r, "Project “Demo”");
  ak_test_assert_contains (r.out, "Primary certificate:     " MASK);
  ak_test_assert_contains (r.out, "Secondary certificate:   " MASK);
  ak_test_assert_contains (r.out, "Chat REST host:          a41.chat.agora.io");
  ak_test_assert_contains (r.out, "Notes:                   staging project");

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_REVEALS, NULL, "credential", "show", "Demo",
           "--reveal", NULL);
  assert_succeeded (&r, "Primary certificate:     " CERT_1 "\n");
  ak_test_assert_contains (r.out, "Secondary certificate:   " CERT_2 "\n");

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_REVEALS, NULL, "credential", "show", "billing",
           "--reveal", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  shown = ak_test_parse_json (r.out, -1);
  object = json_array_get_object_element (json_node_get_array (shown), 0);
  g_assert_cmpstr (json_object_get_string_member (object, "customer_secret"), ==,
                   CUSTOMER_SECRET);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "show", "Nope",
           NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "Nothing in the keyring is named “Nope”");
}

static void
edit_and_remove (Fixture *fixture)
{
  g_auto(AkTestCliResult) r = { 0 };

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "edit", "demo",
           "--label", "Demo 2", "--notes", "", "--chat-host", "a61.chat.agora.io", NULL);
  assert_succeeded (&r, "Updated project “Demo 2” in the keyring.");

  /* Fields changed, certificates kept. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_REVEALS, NULL, "credential", "show", "demo 2",
           "--reveal", NULL);
  assert_succeeded (&r, "Chat REST host:          a61.chat.agora.io");
  ak_test_assert_contains (r.out, "Notes:                   —");
  ak_test_assert_contains (r.out, "Primary certificate:     " CERT_1);
  ak_test_assert_contains (r.out, "Secondary certificate:   " CERT_2);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, CERT_3 "\n", "credential", "edit",
           "Demo 2", "--secrets", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_REVEALS, NULL, "credential", "show", "Demo 2",
           "--reveal", NULL);
  ak_test_assert_contains (r.out, "Primary certificate:     " CERT_3);
  ak_test_assert_contains (r.out, "Secondary certificate:   none");

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "edit", "Demo 2",
           NULL);
  g_assert_cmpint (r.status, ==, 2);
  ak_test_assert_contains (r.err, "Nothing to change");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "edit", "Demo 2",
           "--app-id", "zz", NULL);
  g_assert_cmpint (r.status, ==, 1);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "remove",
           "DEMO 2", NULL);
  assert_succeeded (&r, "Removed project “Demo 2” from the keyring.");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "show", "Demo 2",
           NULL);
  g_assert_cmpint (r.status, ==, 1);
}

static void
test_edit_remove (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };

  if (!ak_test_require_cli ())
    return;

  add_demo_project (fixture);
  edit_and_remove (fixture);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "list", NULL);
  assert_succeeded (&r, "no credentials yet");
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autofree char *file = g_build_filename (fixture->dirs.home, "key_and_secret.txt", NULL);
  g_autofree char *partial = g_build_filename (fixture->dirs.home, "partial.txt", NULL);

  if (!ak_test_require_cli ())
    return;

  g_assert_true (g_file_set_contents (file, "\xEF\xBB\xBF" "Customer ID: " CUSTOMER_ID
                                      "\r\nCustomer Secret: " IMPORTED_SECRET "\r\n", -1,
                                      NULL));
  g_assert_true (g_file_set_contents (partial, "Customer ID: " CUSTOMER_ID "\n", -1, NULL));

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "import", file,
           "--label", "Imported", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ak_test_assert_contains (r.err, "Found the Customer ID and the Customer Secret.");
  ak_test_assert_contains (r.out, "Saved customer credential “Imported” in the keyring.");
  ak_test_assert_contains (r.out, "Customer ID: " CUSTOMER_ID);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_REVEALS, NULL, "credential", "show",
           "Imported", "--reveal", NULL);
  ak_test_assert_contains (r.out, "Customer Secret:         " IMPORTED_SECRET);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "import", partial,
           "--label", "Partial", NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "Found a Customer ID but no Customer Secret");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "credential", "import", file,
           NULL);
  g_assert_cmpint (r.status, ==, 2);
}

static void
build_with_project (Fixture *fixture)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autofree char *from_keyring = NULL;
  g_autofree char *cert_file = g_build_filename (fixture->dirs.home, "cert", NULL);
  g_autofree char *cert_2_file = g_build_filename (fixture->dirs.home, "cert2", NULL);

  g_assert_true (g_file_set_contents (cert_file, CERT_1 "\n", -1, NULL));
  g_assert_true (g_file_set_contents (cert_2_file, CERT_2 "\n", -1, NULL));

  /* The same token as with the App ID and certificate given by hand. */
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_REVEALS, NULL, "build", "rtc", "--project",
           "demo",
           "--channel", "room", "--uid", "42", "--issue-ts", "1700000000", "--salt", "7", NULL);
  g_assert_cmpint (r.status, ==, 0);
  from_keyring = g_strdup (r.out);
  g_assert_true (g_str_has_prefix (from_keyring, "007"));
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_REVEALS, NULL, "build", "rtc", "--app-id",
           APP_ID, "--app-certificate-file", cert_file, "--channel", "room", "--uid", "42",
           "--issue-ts", "1700000000", "--salt", "7", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, from_keyring);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_REVEALS, NULL, "build", "rtc", "--project",
           "Demo", "--secondary", "--channel", "room", "--uid", "42", "--issue-ts", "1700000000",
           "--salt", "7", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&from_keyring, g_free);
  from_keyring = g_strdup (r.out);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_REVEALS, NULL, "build", "rtc", "--app-id",
           APP_ID, "--app-certificate-file", cert_2_file, "--channel", "room", "--uid", "42",
           "--issue-ts", "1700000000", "--salt", "7", NULL);
  g_assert_cmpstr (r.out, ==, from_keyring);

  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "build", "rtc", "--project",
           "Nope", "--channel", "room", "--uid", "42", NULL);
  g_assert_cmpint (r.status, ==, 1);
  ak_test_assert_contains (r.err, "No project in the keyring is named “Nope”");
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "build", "rtc", "--project",
           "Demo", "--app-id", APP_ID, "--channel", "room", "--uid", "42", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_cli (fixture, &r, AK_TEST_KEYRING_FILE, OUTPUT_AUDITED, NULL, "build", "rtc", "--secondary",
           "--channel", "room", "--uid", "42", NULL);
  g_assert_cmpint (r.status, ==, 2);
}

static void
test_build_project (Fixture       *fixture,
                    gconstpointer  data)
{
  if (!ak_test_require_cli ())
    return;

  add_demo_project (fixture);
  build_with_project (fixture);
}

static void
test_no_secret_service (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const commands[][12] = {
    { "credential", "list", NULL },
    { "credential", "show", "Demo", NULL },
    { "credential", "add", "project", "--label", "Demo", "--app-id", APP_ID, NULL },
    { "credential", "remove", "Demo", NULL },
    { "build", "rtc", "--project", "Demo", "--channel", "c", "--uid", "1", NULL },
  };

  if (!ak_test_require_cli ())
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(AkTestCliResult) r = { 0 };

      run_cliv (fixture, &r, AK_TEST_KEYRING_NONE, OUTPUT_AUDITED, CERT_1 "\n", commands[i]);
      /* Never a silent in-memory store: status 5 and what to install or start. */
      g_assert_cmpint (r.status, ==, 5);
      ak_test_assert_contains (r.err, "Secret Service");
      ak_test_assert_contains (r.err, "gnome-keyring");
      g_assert_cmpstr (r.out, ==, "");
    }
}

static const char * const secret_values[] = {
  CERT_1, CERT_2, CERT_3, CUSTOMER_SECRET, IMPORTED_SECRET,
};

static void
audit_tree (Fixture    *fixture,
            const char *path,
            guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      g_autofree char *backup = g_strconcat (fixture->dirs.keyring, "~", NULL);
      gsize length = 0;

      /* The keyring's own file (and the backup libsecret keeps) may hold them, encrypted. */
      if (g_str_equal (path, fixture->dirs.keyring) || g_str_equal (path, backup))
        return;
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      for (gsize i = 0; i < G_N_ELEMENTS (secret_values); i++)
        if (ak_test_bytes_contain (contents, length, secret_values[i]))
          g_error ("%s holds a secret", path);
      (*n_files)++;
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      audit_tree (fixture, child, n_files);
    }
}

/* Everything a user does from the command line, with debug logging on: no secret in any
 * output other than the one that asked for it, nor in any file under $HOME but the keyring. */
static void
test_secrets_audit (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *input_file = g_build_filename (fixture->dirs.home, "key_and_secret.txt", NULL);
  guint n_files = 0;

  if (!ak_test_require_cli ())
    return;

  test_add_list_show (fixture, data);
  test_import (fixture, data);
  build_with_project (fixture);
  edit_and_remove (fixture);

  g_assert_cmpuint (fixture->audited->len, >, 0);
  ak_test_assert_contains (fixture->audited->str, "Saved project");
  for (gsize i = 0; i < G_N_ELEMENTS (secret_values); i++)
    if (strstr (fixture->audited->str, secret_values[i]) != NULL)
      g_error ("A secret appeared in the output of a command that should not show it");

  /* The files the user wrote for the test are theirs, not ours. */
  g_remove (input_file);
  g_remove (fixture->dirs.keyring);
  {
    g_autofree char *cert = g_build_filename (fixture->dirs.home, "cert", NULL);
    g_autofree char *cert_2 = g_build_filename (fixture->dirs.home, "cert2", NULL);
    g_remove (cert);
    g_remove (cert_2);
  }
  audit_tree (fixture, fixture->dirs.home, &n_files);
  g_test_message ("%u other files under $HOME checked", n_files);
}

int
main (int    argc,
      char **argv)
{
  ak_test_init_cli_tests (&argc, &argv);
#define ADD(path, func) \
  g_test_add ("/ak/cli-credential/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("add-list-show", test_add_list_show);
  ADD ("edit-remove", test_edit_remove);
  ADD ("import", test_import);
  ADD ("build-project", test_build_project);
  ADD ("no-secret-service", test_no_secret_service);
  ADD ("secrets-audit", test_secrets_audit);
#undef ADD

  return g_test_run ();
}
