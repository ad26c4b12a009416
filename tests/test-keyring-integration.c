/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsecret/secret.h>

#include "ak-core.h"
#include "ak-credential-private.h"
#include "ak-credential-store.h"
#include "ak-test-keyring.h"
#include "ak-test-store.h"

/*
 * The store against a real gnome-keyring.
 *
 * /ak/keyring/session/…: the Secret Service of the session this test runs in (build-aux/test
 * starts one, unlocked, in a private dbus-run-session); skipped when there is none.
 *
 * /ak/keyring/private/…: each in a child process with its own D-Bus daemon (no service
 * files, so nothing is activated and no prompt can appear), with or without its own
 * gnome-keyring-daemon: a locked collection, one locked on disk (the daemon restarted
 * without its password, as after a reboot), no default collection, no Secret Service.
 */

#define SCHEMA "io.github.agorakeys.AgoraKeys.IntegrationTest"
#define PROJECT_APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"

/* ---------------------------------------------------------------------------------------------
 * The session's own Secret Service
 */

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
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, CERT_2);
  g_autoptr(AkCredentialSecrets) rotated = ak_test_secrets_new (CERT_2, NULL);
  g_autoptr(AkCredentialSecrets) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_uuid_string_random ();
  g_autofree char *label = g_strdup_printf ("Integration %s", suffix);
  g_autofree char *renamed = g_strdup_printf ("Renamed %s", suffix);
  AkCredential *seen;
  guint before;

  if (store == NULL)
    return;
  before = store_n_items (store);

  project = make_project (label, PROJECT_APP_ID);
  added = store_add (store, project, secrets, &error);
  g_assert_no_error (error);
  g_assert_true (ak_credential_get_has_secondary (added));

  /* Another store (one Secret Service connection per process) reads what was written. */
  fresh = ak_credential_store_new (SCHEMA);
  g_assert_true (store_load (fresh, &error));
  g_assert_cmpuint (store_n_items (fresh), ==,
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
  g_assert_cmpuint (store_n_items (fresh), ==,
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
  g_assert_cmpuint (store_n_items (fresh), ==,
                    before);
}

static void
lock_default_collection (void)
{
  const char *paths[] = { "/org/freedesktop/secrets/aliases/default" };
  g_autoptr(GVariant) reply = NULL;

  reply = secrets_call ("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "Lock",
                        g_variant_new ("(@ao)", g_variant_new_objv (paths, 1)),
                        G_VARIANT_TYPE ("(aoo)"));
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
  g_autoptr(AkCredential) project = make_project ("Locked project", PROJECT_APP_ID);
  g_autoptr(AkCredential) other = make_project ("Another project", PROJECT_APP_ID);
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, NULL);
  g_autoptr(GError) error = NULL;
  AkCredential *seen;

  if (!g_test_subprocess ())
    {
      run_in_subprocess (KEYRING_UNLOCKED);
      return;
    }
  private_session_start (&session, KEYRING_UNLOCKED);

  store = ak_credential_store_new (SCHEMA);
  store_load_expect (store, AK_KEYRING_STATE_READY);
  added = store_add (store, project, secrets, &error);
  g_assert_no_error (error);

  lock_default_collection ();

  /* A store that still thinks it is unlocked: gnome-keyring refuses, without a prompt. */
  store_assert_add_refused (store, other, secrets, AK_ERROR_KEYRING_LOCKED);
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_LOCKED);
  g_assert_cmpuint (store_n_items (store), ==, 1);

  /* Loading a locked keyring: labels listed, secrets out of reach, writes refused. */
  again = ak_credential_store_new (SCHEMA);
  store_load_locked (again);
  seen = ak_credential_store_find (again, AK_CREDENTIAL_PROJECT, "Locked project");
  g_assert_nonnull (seen);
  g_assert_null (store_secrets (again, seen, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);
  store_assert_add_refused (again, other, secrets, AK_ERROR_KEYRING_LOCKED);

  /* Unlocking needs a prompt, and this bus has no prompter: a clear failure (or, if the
   * keyring waits, the test's own cancellation), still locked, nothing lost. */
  store_assert_unlock_dismissed (again, TRUE);
  g_assert_nonnull (ak_credential_store_find (again, AK_CREDENTIAL_PROJECT, "Locked project"));

  private_session_stop (&session);
}

static void
test_private_no_default_collection (void)
{
  PrivateSession session = { 0 };
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) project = make_project ("Nowhere", PROJECT_APP_ID);
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess (KEYRING_NOT_SET_UP);
      return;
    }
  private_session_start (&session, KEYRING_NOT_SET_UP);

  store = ak_credential_store_new (SCHEMA);
  /* Not taken for an empty keyring: the state says what to set up. */
  store_load_expect (store, AK_KEYRING_STATE_NO_COLLECTION);
  ak_test_assert_contains (ak_credential_store_get_state_message (store), "no default collection");
  ak_test_assert_contains (ak_credential_store_get_state_message (store), "Seahorse");

  /* gnome-keyring would ask for a password to create the login keyring; with no prompter it
   * fails, and the message says what to set up. */
  g_assert_null (store_add (store, project, secrets, &error));
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE);
      ak_test_assert_contains (error->message, "no default collection");
      ak_test_assert_contains (error->message, "Seahorse");
    }
  g_assert_cmpuint (store_n_items (store), ==, 0);
  g_clear_error (&error);

  /* The command line says so too, with status 5, instead of "no credentials yet". */
  if (g_getenv ("AK_CLI") != NULL)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = private_session_run_cli (NULL, &out, &err, "credential", "list", NULL);

      g_assert_cmpint (status, ==, 5);
      ak_test_assert_contains (err, "no default collection");
      g_assert_null (strstr (out, "no credentials"));
    }

  private_session_stop (&session);
}

static void
test_private_no_secret_service (void)
{
  PrivateSession session = { 0 };
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) project = make_project ("Session only", PROJECT_APP_ID);
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, NULL);
  g_autoptr(GError) error = NULL;
  const GError *why;

  if (!g_test_subprocess ())
    {
      run_in_subprocess (KEYRING_NONE);
      return;
    }
  private_session_start (&session, KEYRING_NONE);

  store = ak_credential_store_new (SCHEMA);
  store_load_expect (store, AK_KEYRING_STATE_SESSION_ONLY);
  ak_test_assert_contains (ak_credential_store_get_state_message (store), "no Secret Service");
  ak_test_assert_contains (ak_credential_store_get_state_message (store), "gnome-keyring");
  ak_test_assert_contains (ak_credential_store_get_state_message (store),
                           "will not be kept after Agora Keys closes");
  why = ak_credential_store_get_unavailable_error (store);
  g_assert_error (why, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE);
  /* The library's own words are kept as context. */
  ak_test_assert_contains (why->message, SECRETS_NAME);

  /* The app keeps working, in memory. */
  added = store_add (store, project, secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (store_n_items (store), ==, 1);

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
      ak_test_assert_contains (err, "No Secret Service is running");
      ak_test_assert_contains (err, "gnome-keyring");
    }

  private_session_stop (&session);
}

/* ---------------------------------------------------------------------------------------------
 * Locked on disk, as after a reboot
 */

/* build --project, which read the certificate from the keyring */
static int
run_build_on_disk (char **out,
                   char **err)
{
  return private_session_run_cli (NULL, out, err, "build", "rtc", "--project", "On disk",
                                  "--channel", "room", "--uid", "42", "--issue-ts",
                                  "1700000000", "--salt", "7", NULL);
}

static void
test_private_locked_on_disk (void)
{
  PrivateSession session = { 0 };
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) other = make_project ("Another project", PROJECT_APP_ID);
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!g_test_subprocess ())
    {
      if (g_getenv ("AK_CLI") == NULL)
        {
          g_test_skip ("AK_CLI is not set: run it with meson test");
          return;
        }
      run_in_subprocess (KEYRING_UNLOCKED_WITH_PROMPTER);
      return;
    }
  private_session_start (&session, KEYRING_UNLOCKED_WITH_PROMPTER);

  /* Stored by the command line, under its own schema, before this process has a Secret
   * Service session that the restart would leave behind. */
  status = private_session_run_cli (CERT_1 "\n\n", &out, &err, "credential", "add", "project",
                                    "--label", "On disk", "--app-id", PROJECT_APP_ID, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  private_session_restart_keyring (&session, FALSE);
  g_assert_true (private_session_login_is_locked ());

  /* The store: locked, not an empty keyring, and writes refused up front. */
  store = ak_credential_store_new (APP_ID);
  store_load_locked (store);
  g_assert_cmpuint (store_n_items (store), ==, 0);
  store_assert_add_refused (store, other, secrets, AK_ERROR_KEYRING_LOCKED);

  /* The command line: status 5 and how to unlock, never "no credentials yet" nor "no
   * project named …". */
  status = private_session_run_cli (NULL, &out, &err, "credential", "list", NULL);
  g_assert_cmpint (status, ==, 5);
  ak_test_assert_contains (err, "The keyring is locked");
  ak_test_assert_contains (err, "Seahorse");
  g_assert_null (strstr (out, "no credentials"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_build_on_disk (&out, &err);
  g_assert_cmpint (status, ==, 5);
  ak_test_assert_contains (err, "The keyring is locked");
  g_assert_null (strstr (err, "No project"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Unlock from the app: the prompt goes to the collection itself (a search would find
   * nothing to unlock), and here no prompter can show it: still locked, nothing lost. */
  store_assert_unlock_dismissed (store, TRUE);

  /* Unlocked from outside, as a login does: the store follows by itself. */
  private_session_unlock_from_outside ();
  g_assert_false (private_session_login_is_locked ());
  store_wait_for (store, AK_KEYRING_STATE_READY, 1, 15);
  g_assert_nonnull (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "On disk"));

  status = private_session_run_cli (NULL, &out, &err, "credential", "list", NULL);
  g_assert_cmpint (status, ==, 0);
  ak_test_assert_contains (out, "On disk");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_build_on_disk (&out, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "007"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Restarted with the password, as build-aux/test starts it: unlocked again. */
  private_session_restart_keyring (&session, TRUE);
  g_assert_false (private_session_login_is_locked ());
  status = private_session_run_cli (NULL, &out, &err, "credential", "list", NULL);
  g_assert_cmpint (status, ==, 0);
  ak_test_assert_contains (out, "On disk");

  private_session_stop (&session);
}

/* ---------------------------------------------------------------------------------------------
 * Changes made by another client of the Secret Service, as the command line or Seahorse make
 * them: the store's model, and the shared projects model, follow within a moment
 */

static const SecretSchema outside_schema = {
  .name = SCHEMA,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = AK_ATTR_ID, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_KIND, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_LABEL, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_APP_ID, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_CUSTOMER_ID, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_CHAT_ORG, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_CHAT_APP, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_CHAT_HOST, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_TOKEN_SERVER_URL, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_NOTES, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_HAS_SECONDARY, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_SECONDARY_REMOVED, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct
{
  GListModel *model;
  const char *label;
  gboolean present;
} Presence;

static gboolean
presence_holds (Presence *presence)
{
  guint n = g_list_model_get_n_items (presence->model);
  gboolean found = FALSE;

  for (guint i = 0; i < n && !found; i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (presence->model, i);

      found = g_str_equal (ak_credential_get_label (credential), presence->label);
    }
  return found == presence->present;
}

/* The store hears of it through the Secret Service's signals, and reads again after a
 * short pause; generous here, since a loaded machine (or a sanitizer) is slow. */
static void
wait_for_presence (AkCredentialStore *store,
                   const char        *label,
                   gboolean           present)
{
  Presence in_all = { ak_credential_store_get_model (store), label, present };
  Presence in_projects = { ak_credential_store_get_projects (store), label, present };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC * ak_test_time_scale ();

  while (!presence_holds (&in_all) || !presence_holds (&in_projects))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("“%s” was %s the store's models after an outside change", label,
                 present ? "never in" : "still in");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
items_changed_count (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *removals)
{
  *removals += removed;
}

static void
test_session_outside_changes (void)
{
  g_autoptr(AkCredentialStore) store = session_store_or_skip ();
  g_autoptr(AkCredential) project = NULL;
  g_autoptr(AkCredential) mine = NULL;
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, NULL);
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *label = g_strdup_printf ("Outside %s", suffix);
  g_autofree char *renamed = g_strdup_printf ("Renamed outside %s", suffix);
  g_autofree char *mine_label = g_strdup_printf ("Mine %s", suffix);
  const char *content_type;
  char *encoded;
  GList *found;
  guint removals = 0;

  if (store == NULL)
    return;

  /* One of our own, which must stay put (never flash away) through the reloads. */
  project = make_project (mine_label, PROJECT_APP_ID);
  mine = store_add (store, project, secrets, &error);
  g_assert_no_error (error);
  g_clear_object (&project);
  g_signal_connect (ak_credential_store_get_model (store), "items-changed",
                    G_CALLBACK (items_changed_count), &removals);

  /* Created by another client. */
  project = make_project (label, PROJECT_APP_ID);
  ak_credential_set_id (project, id);
  attributes = ak_credential_to_attributes (project);
  encoded = ak_credential_secrets_encode (secrets, AK_CREDENTIAL_PROJECT, &content_type);
  g_assert_true (secret_password_storev_sync (&outside_schema, attributes, NULL, label, encoded,
                                              NULL, &error));
  ak_secret_string_free (encoded);
  g_assert_no_error (error);
  wait_for_presence (store, label, TRUE);
  g_assert_cmpuint (removals, ==, 0);

  /* Changed (as Seahorse edits an item in place): the new label shows, the old goes. */
  wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (wanted, (char *) AK_ATTR_ID, id);
  found = secret_password_searchv_sync (&outside_schema, wanted, SECRET_SEARCH_ALL, NULL,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (found), ==, 1);
  g_assert_true (SECRET_IS_ITEM (found->data));
  g_hash_table_replace (attributes, (char *) AK_ATTR_LABEL, g_strdup (renamed));
  g_assert_true (secret_item_set_attributes_sync (found->data, &outside_schema, attributes,
                                                  NULL, &error));
  g_assert_no_error (error);
  g_list_free_full (found, g_object_unref);
  wait_for_presence (store, renamed, TRUE);
  wait_for_presence (store, label, FALSE);

  /* Deleted by another client. */
  g_assert_true (secret_password_clearv_sync (&outside_schema, wanted, NULL, &error));
  g_assert_no_error (error);
  wait_for_presence (store, renamed, FALSE);

  /* Ours was never removed from the model on the way, only the outside one. */
  g_assert_true (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, mine_label) == mine);
  g_assert_cmpuint (removals, <=, 2);
  g_signal_handlers_disconnect_by_func (ak_credential_store_get_model (store),
                                        items_changed_count, &removals);
  g_assert_true (store_delete (store, mine, &error));
  g_assert_no_error (error);
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
  g_test_add_func ("/ak/keyring/session/outside-changes", test_session_outside_changes);
  g_test_add_func ("/ak/keyring/private/locked", test_private_locked);
  g_test_add_func ("/ak/keyring/private/locked-on-disk", test_private_locked_on_disk);
  g_test_add_func ("/ak/keyring/private/no-default-collection",
                   test_private_no_default_collection);
  g_test_add_func ("/ak/keyring/private/no-secret-service", test_private_no_secret_service);

  return g_test_run ();
}
