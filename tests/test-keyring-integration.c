/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ak-core.h"
#include "ak-credential-store.h"
#include "ak-test-stall.h"

/*
 * The store against a real gnome-keyring.
 *
 * /ak/keyring/session/…: the Secret Service of the session this test runs in (build-aux/test
 * starts one, unlocked, in a private dbus-run-session); skipped when there is none.
 *
 * /ak/keyring/private/…: each in a child process with its own D-Bus daemon (no service
 * files, so nothing is activated and no prompt can appear), with or without its own
 * gnome-keyring-daemon: a locked collection, no default collection, no Secret Service.
 */

#define SCHEMA "io.github.agorakeys.AgoraKeys.IntegrationTest"
#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define SECRETS_NAME "org.freedesktop.secrets"

/* ---------------------------------------------------------------------------------------------
 * Waiting, with a deadline: a keyring prompt nobody can answer must fail the test, not hang it
 */

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;
  wait->result = g_object_ref (result);
}

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_for (Wait         *wait,
          GCancellable *cancellable,
          guint         seconds)
{
  guint timeout = g_timeout_add_seconds (seconds, cancel_now, cancellable);
  gint64 hard_deadline = g_get_monotonic_time () + (seconds + 20) * G_USEC_PER_SEC;

  while (wait->result == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      if (wait->result == NULL)
        g_usleep (1000);
      if (g_get_monotonic_time () > hard_deadline)
        g_error ("The keyring did not answer, even after being cancelled");
    }
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (timeout);
  return wait->result;
}

static gboolean
store_load (AkCredentialStore *store,
            GError           **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { 0 };

  ak_credential_store_load_async (store, cancellable, got_result, &wait);
  result = wait_for (&wait, cancellable, 20);
  return ak_credential_store_load_finish (store, result, error);
}

static gboolean
store_unlock (AkCredentialStore *store,
              GError           **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { 0 };

  ak_credential_store_unlock_async (store, cancellable, got_result, &wait);
  result = wait_for (&wait, cancellable, 10);
  return ak_credential_store_unlock_finish (store, result, error);
}

static AkCredential *
store_add (AkCredentialStore         *store,
           AkCredential              *credential,
           const AkCredentialSecrets *secrets,
           GError                   **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { 0 };

  ak_credential_store_add_async (store, credential, secrets, cancellable, got_result, &wait);
  result = wait_for (&wait, cancellable, 20);
  return ak_credential_store_add_finish (store, result, error);
}

static gboolean
store_update (AkCredentialStore         *store,
              AkCredential              *existing,
              AkCredential              *changes,
              const AkCredentialSecrets *secrets,
              GError                   **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { 0 };

  ak_credential_store_update_async (store, existing, changes, secrets, cancellable, got_result,
                                    &wait);
  result = wait_for (&wait, cancellable, 20);
  return ak_credential_store_update_finish (store, result, error);
}

static gboolean
store_delete (AkCredentialStore *store,
              AkCredential      *credential,
              GError           **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { 0 };

  ak_credential_store_delete_async (store, credential, cancellable, got_result, &wait);
  result = wait_for (&wait, cancellable, 20);
  return ak_credential_store_delete_finish (store, result, error);
}

static AkCredentialSecrets *
store_secrets (AkCredentialStore *store,
               AkCredential      *credential,
               GError           **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { 0 };

  ak_credential_store_load_secrets_async (store, credential, cancellable, got_result, &wait);
  result = wait_for (&wait, cancellable, 20);
  return ak_credential_store_load_secrets_finish (store, result, error);
}

static AkCredential *
make_project (const char *label)
{
  AkCredential *credential = ak_credential_new (AK_CREDENTIAL_PROJECT);

  ak_credential_set_label (credential, label);
  ak_credential_set_app_id (credential, APP_ID);
  return credential;
}

static AkCredentialSecrets *
make_secrets (const char *primary,
              const char *secondary)
{
  AkCredentialSecrets *secrets = ak_credential_secrets_new ();

  secrets->primary_certificate = g_strdup (primary);
  secrets->secondary_certificate = g_strdup (secondary);
  return secrets;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

/* ---------------------------------------------------------------------------------------------
 * The session's own Secret Service
 */

/* --unlock creates the login collection a moment after the daemon takes its name. */
static gboolean
default_collection_exists (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  const char *path = "/";

  reply = g_dbus_connection_call_sync (bus, SECRETS_NAME, "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"),
                                       G_VARIANT_TYPE ("(o)"), 0, 5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(&o)", &path);
  return !g_str_equal (path, "/");
}

static gboolean
session_has_secret_service (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) activatable = NULL;
  g_autoptr(GVariant) names = NULL;
  gboolean has_owner = FALSE;

  /* No bus address: do not let GLib autolaunch one (and a keyring with a prompt). */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", SECRETS_NAME),
                                       G_VARIANT_TYPE ("(b)"), 0, 5000, NULL, NULL);
  if (owned != NULL)
    g_variant_get (owned, "(b)", &has_owner);
  if (has_owner)
    return TRUE;

  activatable = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus",
                                             "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                             "ListActivatableNames", NULL,
                                             G_VARIANT_TYPE ("(as)"), 0, 5000, NULL, NULL);
  if (activatable == NULL)
    return FALSE;
  names = g_variant_get_child_value (activatable, 0);
  for (gsize i = 0; i < g_variant_n_children (names); i++)
    {
      g_autoptr(GVariant) name = g_variant_get_child_value (names, i);

      if (g_str_equal (g_variant_get_string (name, NULL), SECRETS_NAME))
        return TRUE;
    }
  return FALSE;
}

static AkCredentialStore *
session_store_or_skip (void)
{
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!session_has_secret_service ())
    {
      g_test_skip ("No Secret Service on the session bus: run build-aux/test, or this test "
                   "inside dbus-run-session with gnome-keyring-daemon --unlock");
      return NULL;
    }

  {
    g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC * ak_test_time_scale ();

    while (!default_collection_exists (bus))
      {
        if (g_get_monotonic_time () > deadline)
          {
            g_test_skip ("The session keyring has no default collection (start "
                         "gnome-keyring-daemon with --unlock)");
            return NULL;
          }
        g_usleep (50 * 1000);
      }
  }

  store = ak_credential_store_new (SCHEMA);
  g_assert_true (store_load (store, &error));
  g_assert_no_error (error);
  if (ak_credential_store_get_state (store) != AK_KEYRING_STATE_READY)
    {
      /* Writing to a locked login keyring would raise a prompt on the user's screen. */
      g_test_skip ("The session keyring is not unlocked");
      return NULL;
    }
  return g_steal_pointer (&store);
}

static void
test_session_round_trip (void)
{
  g_autoptr(AkCredentialStore) store = session_store_or_skip ();
  g_autoptr(AkCredentialStore) fresh = NULL;
  g_autoptr(AkCredential) project = NULL;
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(AkCredential) changes = NULL;
  g_autoptr(AkCredentialSecrets) secrets = make_secrets (CERT_1, CERT_2);
  g_autoptr(AkCredentialSecrets) rotated = make_secrets (CERT_2, NULL);
  g_autoptr(AkCredentialSecrets) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_uuid_string_random ();
  g_autofree char *label = g_strdup_printf ("Integration %s", suffix);
  g_autofree char *renamed = g_strdup_printf ("Renamed %s", suffix);
  AkCredential *seen;
  guint before;

  if (store == NULL)
    return;
  before = g_list_model_get_n_items (ak_credential_store_get_model (store));

  project = make_project (label);
  added = store_add (store, project, secrets, &error);
  g_assert_no_error (error);
  g_assert_true (ak_credential_get_has_secondary (added));

  /* Another store (one Secret Service connection per process) reads what was written. */
  fresh = ak_credential_store_new (SCHEMA);
  g_assert_true (store_load (fresh, &error));
  g_assert_cmpuint (g_list_model_get_n_items (ak_credential_store_get_model (fresh)), ==,
                    before + 1);
  seen = ak_credential_store_find (fresh, AK_CREDENTIAL_PROJECT, label);
  g_assert_nonnull (seen);
  loaded = store_secrets (fresh, seen, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->primary_certificate, ==, CERT_1);
  g_assert_cmpstr (loaded->secondary_certificate, ==, CERT_2);
  g_clear_pointer (&loaded, ak_credential_secrets_free);

  /* Rename and keep the certificates, then replace them. */
  changes = ak_credential_copy (added);
  ak_credential_set_label (changes, renamed);
  ak_credential_set_notes (changes, "edited in the integration test");
  g_assert_true (store_update (store, added, changes, NULL, &error));
  g_assert_no_error (error);
  loaded = store_secrets (store, added, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->primary_certificate, ==, CERT_1);
  g_clear_pointer (&loaded, ak_credential_secrets_free);
  g_assert_true (store_update (store, added, changes, rotated, &error));
  g_assert_no_error (error);
  g_assert_false (ak_credential_get_has_secondary (added));

  g_clear_object (&fresh);
  fresh = ak_credential_store_new (SCHEMA);
  g_assert_true (store_load (fresh, &error));
  g_assert_null (ak_credential_store_find (fresh, AK_CREDENTIAL_PROJECT, label));
  seen = ak_credential_store_find (fresh, AK_CREDENTIAL_PROJECT, renamed);
  g_assert_nonnull (seen);
  g_assert_cmpstr (ak_credential_get_notes (seen), ==, "edited in the integration test");
  /* One item: the edit left no old copy behind. */
  g_assert_cmpuint (g_list_model_get_n_items (ak_credential_store_get_model (fresh)), ==,
                    before + 1);
  loaded = store_secrets (fresh, seen, &error);
  g_assert_cmpstr (loaded->primary_certificate, ==, CERT_2);
  g_assert_null (loaded->secondary_certificate);

  g_assert_true (store_delete (store, added, &error));
  g_assert_no_error (error);
  g_clear_object (&fresh);
  fresh = ak_credential_store_new (SCHEMA);
  g_assert_true (store_load (fresh, &error));
  g_assert_null (ak_credential_store_find (fresh, AK_CREDENTIAL_PROJECT, renamed));
  g_assert_cmpuint (g_list_model_get_n_items (ak_credential_store_get_model (fresh)), ==,
                    before);
}

/* ---------------------------------------------------------------------------------------------
 * A private session: its own bus, and maybe its own gnome-keyring
 */

typedef struct
{
  char *dir;
  char *address;
  GPid bus_pid;
  GPid keyring_pid;
} PrivateSession;

static void
die_with_parent (gpointer user_data)
{
  /* Whatever happens to the test, the daemons go with it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
read_line (int fd)
{
  GString *line = g_string_new (NULL);
  char c;

  while (read (fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  close (fd);
  return g_string_free (line, FALSE);
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
stop_process (GPid *pid)
{
  if (*pid > 0)
    {
      kill (*pid, SIGTERM);
      waitpid (*pid, NULL, 0);
      g_spawn_close_pid (*pid);
      *pid = 0;
    }
}

static void
private_session_stop (PrivateSession *session)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  /* GLib ends the process when its session bus goes away; here that is the plan. */
  if (bus != NULL)
    g_dbus_connection_set_exit_on_close (bus, FALSE);
  stop_process (&session->keyring_pid);
  stop_process (&session->bus_pid);
  if (session->dir != NULL)
    remove_tree (session->dir);
  g_clear_pointer (&session->dir, g_free);
  g_clear_pointer (&session->address, g_free);
}

typedef enum
{
  KEYRING_NONE,
  KEYRING_UNLOCKED,
  KEYRING_NOT_SET_UP,
} KeyringSetup;

/* Must run before anything in this process has started a thread: it sets the session bus
 * address that libsecret will use. */
static void
private_session_start (PrivateSession *session,
                       KeyringSetup    setup)
{
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  gint64 deadline;
  int out_fd = -1;

  g_assert_nonnull (dbus_daemon);
  g_assert_true (setup == KEYRING_NONE || keyring_daemon != NULL);

  session->dir = g_dir_make_tmp ("ak-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  /* Usually no service directories: nothing can be activated, neither a Secret Service nor
   * a prompter. Without a login keyring, gnome-keyring needs a prompter to fail properly
   * (libsecret 0.20.5 mishandles a prompt that cannot even start), so that case gets the
   * standard ones; with no display the prompter exits at once. */
  config = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                            "Configuration 1.0//EN\" \"http://www.freedesktop.org/standards/"
                            "dbus/1.0/busconfig.dtd\">\n"
                            "<busconfig>\n"
                            "  <type>session</type>\n"
                            "  <listen>unix:dir=%s</listen>\n"
                            "  <auth>EXTERNAL</auth>\n"
                            "%s"
                            "  <policy context=\"default\">\n"
                            "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                            "    <allow eavesdrop=\"true\"/>\n"
                            "    <allow own=\"*\"/>\n"
                            "  </policy>\n"
                            "</busconfig>\n", session->dir,
                            setup == KEYRING_NOT_SET_UP
                              ? "  <standard_session_servicedirs/>\n" : "");
  config_path = g_build_filename (session->dir, "bus.conf", NULL);
  write_file (config_path, config);

  {
    g_autofree char *config_arg = g_strdup_printf ("--config-file=%s", config_path);
    const char *argv[] = { dbus_daemon, config_arg, "--print-address=1", "--nofork", NULL };
    g_auto(GStrv) envp = g_get_environ ();

    /* What it activates must find no display to put a window on (xvfb-run sets one), and
     * the daemons are not under test: the test's fatal warnings are not theirs. */
    envp = g_environ_unsetenv (envp, "DISPLAY");
    envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
    envp = g_environ_unsetenv (envp, "G_DEBUG");
    g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD
                              | G_SPAWN_STDERR_TO_DEV_NULL, die_with_parent, NULL,
                              &session->bus_pid, NULL, &out_fd, NULL, &error);
    g_assert_no_error (error);
    session->address = read_line (out_fd);
    g_assert_true (g_str_has_prefix (session->address, "unix:"));
  }

  if (setup != KEYRING_NONE)
    {
      g_autofree char *home = g_build_filename (session->dir, "home", NULL);
      g_autofree char *data = g_build_filename (session->dir, "data", NULL);
      g_autofree char *runtime = g_build_filename (session->dir, "runtime", NULL);
      g_auto(GStrv) envp = g_get_environ ();
      const char *argv[] = { keyring_daemon, "--foreground", "--components=secrets",
                             setup == KEYRING_UNLOCKED ? "--unlock" : NULL, NULL };
      int in_fd = -1;

      g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (data, 0700), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
      envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", session->address, TRUE);
      envp = g_environ_setenv (envp, "HOME", home, TRUE);
      envp = g_environ_setenv (envp, "XDG_DATA_HOME", data, TRUE);
      envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", runtime, TRUE);
      envp = g_environ_unsetenv (envp, "DISPLAY");
      envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
      envp = g_environ_unsetenv (envp, "GNOME_KEYRING_CONTROL");
      envp = g_environ_unsetenv (envp, "G_DEBUG");

      g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD
                                | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                die_with_parent, NULL, &session->keyring_pid, &in_fd, NULL,
                                NULL, &error);
      g_assert_no_error (error);
      if (setup == KEYRING_UNLOCKED)
        g_assert_cmpint (write (in_fd, "ak-test-password", 16), ==, 16);
      close (in_fd);
    }

  /* Before the first connection, and so before any D-Bus thread exists. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", session->address, TRUE);
  g_unsetenv ("SECRET_BACKEND");
  g_unsetenv ("DISPLAY");

  if (setup == KEYRING_NONE)
    return;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC * ak_test_time_scale ();
  for (;;)
    {
      g_autoptr(GVariant) owned = NULL;
      gboolean has_owner = FALSE;

      owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", SECRETS_NAME),
                                           G_VARIANT_TYPE ("(b)"), 0, 5000, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (owned, "(b)", &has_owner);
      if (has_owner && (setup != KEYRING_UNLOCKED || default_collection_exists (bus)))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("gnome-keyring-daemon did not get ready on the private bus");
      g_usleep (50 * 1000);
    }
}

static void
lock_default_collection (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { "/org/freedesktop/secrets/aliases/default" };

  reply = g_dbus_connection_call_sync (bus, SECRETS_NAME, "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new ("(@ao)",
                                                      g_variant_new_objv (paths, 1)),
                                       G_VARIANT_TYPE ("(aoo)"), 0, 5000, NULL, &error);
  g_assert_no_error (error);
}

/* In the parent: skips when the daemons are missing, else runs the test in a child. */
static void
run_in_subprocess (KeyringSetup setup)
{
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (dbus_daemon == NULL || (setup != KEYRING_NONE && keyring_daemon == NULL))
    {
      g_test_skip ("dbus-daemon or gnome-keyring-daemon is not installed");
      return;
    }
  g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_private_locked (void)
{
  PrivateSession session = { 0 };
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredentialStore) again = NULL;
  g_autoptr(AkCredential) project = make_project ("Locked project");
  g_autoptr(AkCredential) other = make_project ("Another project");
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(AkCredentialSecrets) secrets = make_secrets (CERT_1, NULL);
  g_autoptr(GError) error = NULL;
  AkCredential *seen;

  if (!g_test_subprocess ())
    {
      run_in_subprocess (KEYRING_UNLOCKED);
      return;
    }
  private_session_start (&session, KEYRING_UNLOCKED);

  store = ak_credential_store_new (SCHEMA);
  g_assert_true (store_load (store, &error));
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_READY);
  added = store_add (store, project, secrets, &error);
  g_assert_no_error (error);

  lock_default_collection ();

  /* A store that still thinks it is unlocked: gnome-keyring refuses, without a prompt. */
  g_assert_null (store_add (store, other, secrets, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_LOCKED);
  g_assert_cmpuint (g_list_model_get_n_items (ak_credential_store_get_model (store)), ==, 1);

  /* Loading a locked keyring: labels listed, secrets out of reach, writes refused. */
  again = ak_credential_store_new (SCHEMA);
  g_assert_true (store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ak_credential_store_get_state (again), ==, AK_KEYRING_STATE_LOCKED);
  assert_contains (ak_credential_store_get_state_message (again), "locked");
  seen = ak_credential_store_find (again, AK_CREDENTIAL_PROJECT, "Locked project");
  g_assert_nonnull (seen);
  g_assert_null (store_secrets (again, seen, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);
  g_assert_null (store_add (again, other, secrets, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  /* Unlocking needs a prompt, and this bus has no prompter: a clear failure (or, if the
   * keyring waits, the test's own cancellation), still locked, nothing lost. */
  g_assert_false (store_unlock (again, &error));
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED);
      assert_contains (error->message, "still locked");
    }
  g_clear_error (&error);
  g_assert_cmpint (ak_credential_store_get_state (again), ==, AK_KEYRING_STATE_LOCKED);
  g_assert_nonnull (ak_credential_store_find (again, AK_CREDENTIAL_PROJECT, "Locked project"));

  private_session_stop (&session);
}

static void
test_private_no_default_collection (void)
{
  PrivateSession session = { 0 };
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) project = make_project ("Nowhere");
  g_autoptr(AkCredentialSecrets) secrets = make_secrets (CERT_1, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess (KEYRING_NOT_SET_UP);
      return;
    }
  private_session_start (&session, KEYRING_NOT_SET_UP);

  store = ak_credential_store_new (SCHEMA);
  g_assert_true (store_load (store, &error));
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_READY);

  /* gnome-keyring would ask for a password to create the login keyring; with no prompter it
   * fails, and the message says what to set up. */
  g_assert_null (store_add (store, project, secrets, &error));
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE);
      assert_contains (error->message, "no default collection");
      assert_contains (error->message, "Seahorse");
    }
  g_assert_cmpuint (g_list_model_get_n_items (ak_credential_store_get_model (store)), ==, 0);

  private_session_stop (&session);
}

static void
test_private_no_secret_service (void)
{
  PrivateSession session = { 0 };
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) project = make_project ("Session only");
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(AkCredentialSecrets) secrets = make_secrets (CERT_1, NULL);
  g_autoptr(GError) error = NULL;
  const GError *why;

  if (!g_test_subprocess ())
    {
      run_in_subprocess (KEYRING_NONE);
      return;
    }
  private_session_start (&session, KEYRING_NONE);

  store = ak_credential_store_new (SCHEMA);
  g_assert_true (store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_SESSION_ONLY);
  assert_contains (ak_credential_store_get_state_message (store), "no Secret Service");
  assert_contains (ak_credential_store_get_state_message (store), "gnome-keyring");
  assert_contains (ak_credential_store_get_state_message (store),
                   "will not be kept after Agora Keys closes");
  why = ak_credential_store_get_unavailable_error (store);
  g_assert_error (why, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE);
  /* The library's own words are kept as context. */
  assert_contains (why->message, SECRETS_NAME);

  /* The app keeps working, in memory. */
  added = store_add (store, project, secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ak_credential_store_get_model (store)), ==, 1);

  /* The command line refuses instead, with status 5. */
  if (g_getenv ("AK_CLI") != NULL)
    {
      const char *argv[] = { g_getenv ("AK_CLI"), "credential", "list", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 5);
      assert_contains (err, "No Secret Service is running");
      assert_contains (err, "gnome-keyring");
    }

  private_session_stop (&session);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The real keyring, not a file backend a developer may have set up. */
  if (!g_test_subprocess ())
    g_unsetenv ("SECRET_BACKEND");

  g_test_add_func ("/ak/keyring/session/round-trip", test_session_round_trip);
  g_test_add_func ("/ak/keyring/private/locked", test_private_locked);
  g_test_add_func ("/ak/keyring/private/no-default-collection",
                   test_private_no_default_collection);
  g_test_add_func ("/ak/keyring/private/no-secret-service", test_private_no_secret_service);

  return g_test_run ();
}
