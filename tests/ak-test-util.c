/* ak-test-util.c: the fixtures every test program shares
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "ak-test-util.h"

/* Long enough for a loaded CI machine under valgrind once scaled; only a hung test gets
 * there. */
#define WAIT_SECONDS 60

/* ---------------------------------------------------------------------------------------------
 * Running the command line
 */

void
ak_test_cli_result_clear (AkTestCliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

const char *
ak_test_cli_path (void)
{
  return g_getenv ("AK_CLI");
}

gboolean
ak_test_require_cli (void)
{
  if (ak_test_cli_path () == NULL)
    {
      g_test_skip ("AK_CLI is not set (run the tests with meson test)");
      return FALSE;
    }
  return TRUE;
}

GSubprocessLauncher *
ak_test_cli_launcher_new (void)
{
  GSubprocessLauncher *launcher;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "AGORA_APP_CERTIFICATE");
  return launcher;
}

static char *
home_keyring (const char *home)
{
  return g_build_filename (home, ".local", "share", "keyrings", "test.keyring", NULL);
}

void
ak_test_launcher_set_home (GSubprocessLauncher *launcher,
                           const char          *home,
                           AkTestKeyring        keyring)
{
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  g_autofree char *data = g_build_filename (home, ".local", "share", NULL);
  g_autofree char *cache = g_build_filename (home, ".cache", NULL);
  g_autofree char *state = g_build_filename (home, ".local", "state", NULL);
  g_autofree char *keyring_path = home_keyring (home);

  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  if (keyring == AK_TEST_KEYRING_FILE)
    {
      g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
      g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", keyring_path, TRUE);
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
}

void
ak_test_launcher_set_no_proxy (GSubprocessLauncher *launcher)
{
  static const char * const names[] = {
    "http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_subprocess_launcher_unsetenv (launcher, names[i]);
  g_subprocess_launcher_setenv (launcher, "no_proxy", "127.0.0.1,localhost", TRUE);
  g_subprocess_launcher_setenv (launcher, "GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
}

/* A child's stdin comes from a file, not a pipe: a child that exits before reading all of a
 * pipe makes g_subprocess_communicate() fail with EPIPE, and the test then loses the child's
 * output. Returns the file's path, to unlink once the child is spawned. */
static char *
stdin_from (GSubprocessLauncher *launcher,
            const char          *input)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd;

  fd = g_file_open_tmp ("ak-test-stdin-XXXXXX", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  /* 0600: some tests pass secrets on stdin. */
  g_file_set_contents_full (path, input != NULL ? input : "", -1,
                            G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_set_stdin_file_path (launcher, path);
  return path;
}

void
ak_test_run_cliv (GSubprocessLauncher *launcher,
                  AkTestCliResult     *result,
                  const char          *input,
                  const char * const  *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stdin_path = NULL;
  g_autofree char *joined = NULL;

  g_assert_nonnull (ak_test_cli_path ());
  ak_test_cli_result_clear (result);

  g_ptr_array_add (argv, (gpointer) ak_test_cli_path ());
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  joined = g_strjoinv (" ", (char **) argv->pdata);

  stdin_path = stdin_from (launcher, input);
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

  g_test_message ("%s: exit %d", joined, result->status);
}

/* ---------------------------------------------------------------------------------------------
 * A throwaway $HOME
 */

char *
ak_test_home_new (char **keyring_path)
{
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("ak-test-home-XXXXXX", &error);

  g_assert_no_error (error);
  if (keyring_path != NULL)
    *keyring_path = home_keyring (home);
  return home;
}

void
ak_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  GStatBuf st;
  const char *name;

  /* A link is removed, never followed: what it points to is not the test's. */
  if (g_lstat (path, &st) != 0)
    return;
  if (!S_ISDIR (st.st_mode))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      ak_test_remove_tree (child);
    }
  g_rmdir (path);
}

char *
ak_test_setenv_isolated (void)
{
  static const char * const proxies[] = { "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY" };
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ak-test-keyring-XXXXXX", &error);
  g_autofree char *keyring = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (proxies); i++)
    g_unsetenv (proxies[i]);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  keyring = g_build_filename (dir, "test.keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  return dir;
}

/* ---------------------------------------------------------------------------------------------
 * Waiting on the main loop
 */

static gint64
wait_deadline (void)
{
  return g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC * ak_test_time_scale ();
}

void
ak_test_wait_until (AkTestCondition  condition,
                    gpointer         data,
                    const char      *what)
{
  gint64 deadline = wait_deadline ();

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
flag_is_set (gpointer data)
{
  return *(const gboolean *) data;
}

void
ak_test_wait_for_flag (const gboolean *flag,
                       const char     *what)
{
  ak_test_wait_until (flag_is_set, (gpointer) flag, what);
}

void
ak_test_wait_callback (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  AkTestWait *wait = user_data;

  if (wait->check_async)
    g_assert_true (wait->returned);
  g_assert_null (wait->result);
  wait->result = g_object_ref (result);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

GAsyncResult *
ak_test_wait_result (AkTestWait *wait)
{
  gint64 deadline = wait_deadline ();
  /* Wakes the blocking iteration, so that the deadline is looked at. */
  guint wake = g_timeout_add (50, wake_up, NULL);

  wait->returned = TRUE;
  while (wait->result == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("An operation did not finish within %d s", WAIT_SECONDS);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  return wait->result;
}

/* ---------------------------------------------------------------------------------------------
 * Test data
 */

JsonNode *
ak_test_load_json (const char *name)
{
  const char *dir = g_getenv ("AK_TEST_DATA_DIR");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    g_error ("AK_TEST_DATA_DIR is not set; run the tests through meson");
  path = g_build_filename (dir, name, NULL);
  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("Cannot load %s: %s", path, error->message);
  if (json_parser_get_root (parser) == NULL)
    g_error ("%s is empty", path);
  return json_parser_steal_root (parser);
}

JsonArray *
ak_test_official_vectors (void)
{
  static JsonNode *root;

  if (root == NULL)
    {
      root = ak_test_load_json ("official-vectors.json");
      if (!JSON_NODE_HOLDS_ARRAY (root))
        g_error ("official-vectors.json does not hold an array");
    }
  return json_node_get_array (root);
}

JsonObject *
ak_test_find_vector (const char *id)
{
  JsonArray *vectors = ak_test_official_vectors ();

  for (guint i = 0; i < json_array_get_length (vectors); i++)
    {
      JsonObject *vector = json_array_get_object_element (vectors, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (vector, "id", NULL), id) == 0)
        return vector;
    }
  g_error ("No official vector %s", id);
  return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * A credential store with a project in it
 */

AkCredential *
ak_test_store_add_project (AkCredentialStore *store,
                           const char        *label,
                           const char        *app_id,
                           const char        *primary_certificate,
                           const char        *secondary_certificate)
{
  g_autoptr(AkCredential) project = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (primary_certificate,
                                                                secondary_certificate);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { .check_async = TRUE };
  AkCredential *added;

  ak_credential_set_label (project, label);
  ak_credential_set_app_id (project, app_id);
  ak_credential_store_add_async (store, project, secrets, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  added = ak_credential_store_add_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (added);
  return added;
}

AkCredentialStore *
ak_test_store_new_with_project (const char *label,
                                const char *app_id,
                                const char *primary_certificate,
                                const char *secondary_certificate)
{
  AkCredentialStore *store = ak_credential_store_new_in_memory ();
  g_autoptr(AkCredential) added = ak_test_store_add_project (store, label, app_id,
                                                             primary_certificate,
                                                             secondary_certificate);

  return store;
}

static void
log_request (AkTokenServer            *server,
             const AkTokenServerEntry *entry,
             gpointer                  log)
{
  g_autofree char *line = ak_token_server_entry_format (entry);

  g_string_append_printf (log, "%s\n", line);
}

void
ak_test_token_server_log_to (AkTokenServer *server,
                             GString       *log)
{
  g_signal_connect (server, "request", G_CALLBACK (log_request), log);
}

AkCredentialSecrets *
ak_test_secrets_new (const char *primary_certificate,
                     const char *secondary_certificate)
{
  AkCredentialSecrets *secrets = ak_credential_secrets_new ();

  secrets->primary_certificate = g_strdup (primary_certificate);
  secrets->secondary_certificate = g_strdup (secondary_certificate);
  return secrets;
}

AkToken *
ak_test_parse_token (const char *text)
{
  g_autoptr(GError) error = NULL;
  AkToken *token = ak_token_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

/* ---------------------------------------------------------------------------------------------
 * Assertions
 */

void
ak_test_assert_contains (const char *haystack,
                         const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

gboolean
ak_test_bytes_contain (const char *data,
                       gsize       length,
                       const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("(missing)");
  return json_to_string (node, FALSE);
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
values_equal (JsonNode *expected,
              JsonNode *actual)
{
  if (node_is_number (expected) && node_is_number (actual))
    return json_node_get_int (expected) == json_node_get_int (actual);
  if (json_node_get_value_type (expected) != json_node_get_value_type (actual))
    return FALSE;
  if (json_node_get_value_type (expected) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (expected) == json_node_get_boolean (actual);
  return g_strcmp0 (json_node_get_string (expected), json_node_get_string (actual)) == 0;
}

static char *
objects_difference (JsonObject *e,
                    JsonObject *a,
                    const char *path,
                    gboolean    lenient)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, e);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autofree char *child = g_strdup_printf ("%s.%s", path, name);
      char *why = ak_test_json_difference (node, json_object_get_member (a, name), child,
                                           lenient && g_str_equal (name, "services"));
      if (why != NULL)
        return why;
    }
  if (lenient)
    return NULL;
  json_object_iter_init (&iter, a);
  while (json_object_iter_next (&iter, &name, &node))
    if (!json_object_has_member (e, name))
      return g_strdup_printf ("%s.%s: unexpected member", path, name);
  return NULL;
}

char *
ak_test_json_difference (JsonNode   *expected,
                         JsonNode   *actual,
                         const char *path,
                         gboolean    lenient)
{
  if (actual == NULL || JSON_NODE_TYPE (expected) != JSON_NODE_TYPE (actual))
    goto differ;

  switch (JSON_NODE_TYPE (expected))
    {
    case JSON_NODE_NULL:
      return NULL;

    case JSON_NODE_VALUE:
      if (values_equal (expected, actual))
        return NULL;
      goto differ;

    case JSON_NODE_ARRAY:
      {
        JsonArray *e = json_node_get_array (expected);
        JsonArray *a = json_node_get_array (actual);

        if (json_array_get_length (e) != json_array_get_length (a))
          goto differ;
        for (guint i = 0; i < json_array_get_length (e); i++)
          {
            g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);
            char *why = ak_test_json_difference (json_array_get_element (e, i),
                                                 json_array_get_element (a, i), child, lenient);
            if (why != NULL)
              return why;
          }
        return NULL;
      }

    case JSON_NODE_OBJECT:
      return objects_difference (json_node_get_object (expected),
                                 json_node_get_object (actual), path, lenient);

    default:
      g_assert_not_reached ();
    }

differ:
  {
    g_autofree char *e_text = node_to_text (expected);
    g_autofree char *a_text = node_to_text (actual);

    return g_strdup_printf ("%s: expected %s, got %s", path, e_text, a_text);
  }
}

void
ak_test_assert_json_equal (JsonNode *expected,
                           JsonNode *actual)
{
  g_autofree char *why = ak_test_json_difference (expected, actual, "$", FALSE);

  g_assert_cmpstr (why, ==, NULL);
}

/* ---------------------------------------------------------------------------------------------
 * Table-driven tests, and the token server's test programs
 */

void
ak_test_add_cases (const char    *prefix,
                   gconstpointer  cases,
                   gsize          n_cases,
                   gsize          case_size,
                   GTestDataFunc  func)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      gconstpointer one = (const char *) cases + i * case_size;
      /* Every case struct starts with its name. */
      const char *name = *(const char * const *) one;
      g_autofree char *path = g_strdup_printf ("%s/%s", prefix, name);

      g_test_add_data_func (path, one, func);
    }
}

/* ak_test_init_with_demo()'s keyring directory, until ak_test_finish_with_demo(). */
static char *demo_keyring_dir;

AkCredentialStore *
ak_test_init_with_demo (int         *argc,
                        char      ***argv,
                        const char  *app_id,
                        const char  *primary_certificate,
                        const char  *secondary_certificate)
{
  g_assert_null (demo_keyring_dir);
  demo_keyring_dir = ak_test_setenv_isolated ();
  g_test_init (argc, argv, NULL);
  return ak_test_store_new_with_project ("Demo", app_id, primary_certificate,
                                         secondary_certificate);
}

int
ak_test_finish_with_demo (AkCredentialStore **store,
                          int                 status)
{
  g_clear_object (store);
  ak_test_remove_tree (demo_keyring_dir);
  g_clear_pointer (&demo_keyring_dir, g_free);
  return status;
}

gboolean
ak_test_token_server_start (AkTokenServer  *server,
                            GError        **error)
{
  AkTestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  ak_token_server_start_async (server, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  return ak_token_server_start_finish (server, result, error);
}

guint
ak_test_locked_count (GMutex      *lock,
                      const guint *value)
{
  guint n;

  g_mutex_lock (lock);
  n = *value;
  g_mutex_unlock (lock);
  return n;
}

/* ---------------------------------------------------------------------------------------------
 * Parsing JSON a test was given (a CLI's output, a fake server's answer)
 */

JsonNode *
ak_test_parse_json (const char *text,
                    gssize      length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (text);
  json_parser_load_from_data (parser, text, length, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

/* ---------------------------------------------------------------------------------------------
 * Starting a test program that runs agora-keys-cli
 */

void
ak_test_init_cli_tests (int    *argc,
                        char ***argv)
{
  g_test_init (argc, argv, NULL);
  signal (SIGPIPE, SIG_IGN);
}

/* ---------------------------------------------------------------------------------------------
 * A throwaway $HOME as a test fixture
 */

void
ak_test_home_set_up (AkTestHome    *home,
                     gconstpointer  data)
{
  home->home = ak_test_home_new (&home->keyring);
}

void
ak_test_home_tear_down (AkTestHome    *home,
                        gconstpointer  data)
{
  ak_test_remove_tree (home->home);
  g_clear_pointer (&home->home, g_free);
  g_clear_pointer (&home->keyring, g_free);
}

void
ak_test_run_cli_at_home (const AkTestHome   *home,
                         AkTestKeyring       keyring,
                         const char * const *env,
                         GString            *printed,
                         AkTestCliResult    *result,
                         const char         *input,
                         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = ak_test_cli_launcher_new ();

  ak_test_launcher_set_home (launcher, home->home, keyring);
  for (; env != NULL && *env != NULL; env++)
    {
      g_auto(GStrv) name_value = g_strsplit (*env, "=", 2);

      g_assert_nonnull (name_value[1]);
      g_subprocess_launcher_setenv (launcher, name_value[0], name_value[1], TRUE);
    }
  ak_test_run_cliv (launcher, result, input, args);
  if (printed != NULL)
    {
      g_string_append (printed, result->out);
      g_string_append (printed, result->err);
    }
}

