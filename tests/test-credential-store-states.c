/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>

#include "ak-core.h"
#include "ak-credential-store-private.h"
#include "ak-test-store.h"

/*
 * The store's keyring states, against a scripted in-memory backend: a session-only store,
 * the fall back to one when there is no Secret Service, write errors, a locked keyring (in
 * the store's view, or on disk after a reboot), unlocked or locked from outside, no default
 * collection. The same store against libsecret's file backend and memory is
 * test-credential-store.c; against a real gnome-keyring, test-keyring-integration.c.
 */

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define APP_ID_2 "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"

/* ---------------------------------------------------------------------------------------------
 * Memory only: states that need a scripted backend
 */

static void
test_session_only (void)
{
  g_autoptr(AkCredentialStore) store = ak_credential_store_new_in_memory ();
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_UNKNOWN);
  g_assert_true (store_load (store, &error));
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_SESSION_ONLY);
  ak_test_assert_contains (ak_credential_store_get_state_message (store),
                         "will not be kept after Agora Keys closes");

  g_assert_false (store_unlock (store, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  added = ak_test_store_add_project (store, "In memory", APP_ID, CERT_1, NULL);
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_SESSION_ONLY);
}

typedef struct
{
  GError *(*make) (void);
  const char *message;
} FallbackCase;

static GError *
no_bus (void)
{
  return g_error_new_literal (AK_SECRET_BACKEND_ERROR, AK_SECRET_BACKEND_ERROR_NO_BUS,
                              "Cannot autolaunch D-Bus without X11 $DISPLAY");
}

static GError *
service_unknown (void)
{
  return g_dbus_error_new_for_dbus_error ("org.freedesktop.DBus.Error.ServiceUnknown",
                                          "The name org.freedesktop.secrets was not provided");
}

static GError *
spawn_failed (void)
{
  return g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED, "exited");
}

static GError *
access_denied (void)
{
  return g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED, "denied");
}

static void
test_fallback_to_session (void)
{
  static const FallbackCase cases[] = {
    { no_bus, "there is no D-Bus session bus" },
    { service_unknown, "no Secret Service is running" },
    { spawn_failed, "install gnome-keyring" },
    { access_denied, "access to the Secret Service was refused" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AkSecretBackend) backend = ak_secret_backend_new_memory ();
      g_autoptr(AkCredentialStore) store = ak_credential_store_new_with_backend (backend);
      g_autoptr(GError) failure = cases[i].make ();
      g_autoptr(GError) error = NULL;
      g_autoptr(AkCredential) added = NULL;
      guint state_notifies = 0;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_signal_connect (store, "notify::state", G_CALLBACK (ak_test_count_notify), &state_notifies);
      ak_secret_backend_memory_set_failure (backend, failure);

      /* The app keeps working, and says how: never a silent fallback. */
      g_assert_true (store_load (store, &error));
      g_assert_no_error (error);
      g_assert_cmpint (ak_credential_store_get_state (store), ==,
                       AK_KEYRING_STATE_SESSION_ONLY);
      g_assert_cmpuint (state_notifies, ==, 1);
      ak_test_assert_contains (ak_credential_store_get_state_message (store), cases[i].message);
      ak_test_assert_contains (ak_credential_store_get_state_message (store),
                             "will not be kept after Agora Keys closes");
      g_assert_true (ak_credential_store_get_backend (store) != backend);
      g_assert_false (ak_secret_backend_is_persistent (ak_credential_store_get_backend (store)));

      added = ak_test_store_add_project (store, "Session", APP_ID, CERT_1, NULL);
      g_assert_cmpuint (store_n_items (store), ==, 1);
    }
}

typedef struct
{
  GError *(*make) (void);
  GQuark domain;
  int code;
  const char *message;
  AkKeyringState state;
} WriteErrorCase;

static GError *
is_locked (void)
{
  return g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                              "Cannot create an item in a locked collection");
}

static GError *
remote_is_locked (void)
{
  return g_dbus_error_new_for_dbus_error ("org.freedesktop.Secret.Error.IsLocked",
                                          "Cannot create an item in a locked collection");
}

static GError *
no_collection (void)
{
  return g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                              "Object does not exist at path "
                              "“/org/freedesktop/secrets/collection/login”");
}

static GError *
permission_denied (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Permission denied");
}

static GError *
unknown_remote (void)
{
  return g_dbus_error_new_for_dbus_error ("org.example.Strange", "Something strange");
}

static GError *
cancelled (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
}

static void
test_write_errors (void)
{
  const WriteErrorCase cases[] = {
    { is_locked, AK_ERROR, AK_ERROR_KEYRING_LOCKED, "The keyring is locked",
      AK_KEYRING_STATE_LOCKED },
    { remote_is_locked, AK_ERROR, AK_ERROR_KEYRING_LOCKED, "Unlock it",
      AK_KEYRING_STATE_LOCKED },
    { no_collection, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE, "no default collection",
      AK_KEYRING_STATE_READY },
    { service_unknown, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE, "Install gnome-keyring",
      AK_KEYRING_STATE_READY },
    { permission_denied, AK_ERROR, AK_ERROR_FAILED, "(Permission denied)",
      AK_KEYRING_STATE_READY },
    { unknown_remote, AK_ERROR, AK_ERROR_FAILED, "Something strange",
      AK_KEYRING_STATE_READY },
    { cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled", AK_KEYRING_STATE_READY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AkSecretBackend) backend = ak_secret_backend_new_memory ();
      g_autoptr(AkCredentialStore) store = ak_credential_store_new_with_backend (backend);
      g_autoptr(AkCredential) project = make_project ("Write", APP_ID);
      g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, NULL);
      g_autoptr(GError) failure = cases[i].make ();
      g_autoptr(GError) error = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_true (store_load (store, &error));
      g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_READY);

      ak_secret_backend_memory_set_failure (backend, failure);
      g_assert_null (store_add (store, project, secrets, &error));
      g_assert_error (error, cases[i].domain, cases[i].code);
      ak_test_assert_contains (error->message, cases[i].message);
      g_assert_cmpint (ak_credential_store_get_state (store), ==, cases[i].state);
      g_assert_cmpuint (store_n_items (store), ==, 0);
    }
}

/* The prompt was answered: unlocked. */
static void
unlock_ready (AkCredentialStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (store_unlock (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_READY);
}

/* Locks the backend: the keyring as the store sees it once it was read, or as gnome-keyring
 * has it after a reboot (on disk), where searches find nothing at all, yet the keyring is not
 * empty and only the collection's own state tells the two apart. */
static void
set_locked (AkSecretBackend *backend,
            gboolean         on_disk,
            gboolean         unlock_succeeds)
{
  if (on_disk)
    ak_secret_backend_memory_set_locked_on_disk (backend, TRUE, unlock_succeeds);
  else
    ak_secret_backend_memory_set_locked (backend, TRUE, unlock_succeeds);
}

/* @data: whether the keyring is locked on disk. */
static void
test_locked (gconstpointer data)
{
  gboolean on_disk = GPOINTER_TO_INT (data);
  g_autoptr(AkSecretBackend) backend = ak_secret_backend_new_memory ();
  g_autoptr(AkCredentialStore) writer = ak_credential_store_new_with_backend (backend);
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) project = NULL;
  g_autoptr(AkCredential) another = make_project ("Another", APP_ID_2);
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_2, NULL);
  g_autoptr(AkCredentialSecrets) loaded = NULL;
  g_autoptr(GError) error = NULL;

  /* Locked on disk: a store that starts after the reboot; else the same store. */
  store = on_disk ? ak_credential_store_new_with_backend (backend) : g_object_ref (writer);
  g_assert_true (store_load (writer, &error));
  project = ak_test_store_add_project (writer, "Locked away", APP_ID, CERT_1, NULL);

  set_locked (backend, on_disk, FALSE);
  store_load_locked (store);
  if (on_disk)
    g_assert_cmpuint (store_n_items (store), ==, 0);
  else
    {
      /* Labels stay listed; the same object is kept. */
      g_assert_cmpuint (store_n_items (store), ==, 1);
      g_assert_true (store_item_at (store, 0) == project);
      g_assert_null (store_secrets (store, project, &error));
      g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED);
      g_clear_error (&error);
      g_assert_false (store_delete (store, project, &error));
      g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED);
      g_clear_error (&error);
    }
  store_assert_add_refused (store, another, secrets, AK_ERROR_KEYRING_LOCKED);

  /* The prompt was dismissed: still locked, nothing lost. */
  store_assert_unlock_dismissed (store, FALSE);
  g_assert_cmpuint (store_n_items (store), ==, on_disk ? 0 : 1);

  /* Unlock unlocks the collection (on disk, not items a search could not find); then the
   * list. */
  set_locked (backend, on_disk, TRUE);
  unlock_ready (store);
  g_assert_cmpuint (store_n_items (store), ==, 1);
  g_assert_nonnull (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "Locked away"));
  if (!on_disk)
    g_assert_true (store_item_at (store, 0) == project);
  loaded = store_secrets (store, store_item_at (store, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->primary_certificate, ==, CERT_1);
}

/* Unlocked at login or in Seahorse while the window is open: the store follows without a
 * click, and a store nobody loaded stays unread. */
static void
test_unlocked_from_outside (void)
{
  g_autoptr(AkSecretBackend) backend = ak_secret_backend_new_memory ();
  g_autoptr(AkCredentialStore) writer = ak_credential_store_new_with_backend (backend);
  g_autoptr(AkCredentialStore) store = ak_credential_store_new_with_backend (backend);
  g_autoptr(AkCredentialStore) unread = ak_credential_store_new_with_backend (backend);
  g_autoptr(AkCredential) project = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (store_load (writer, &error));
  project = ak_test_store_add_project (writer, "Back again", APP_ID, CERT_1, NULL);
  ak_secret_backend_memory_set_locked_on_disk (backend, TRUE, FALSE);
  g_assert_true (store_load (store, &error));
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_LOCKED);

  ak_secret_backend_memory_set_locked_on_disk (backend, FALSE, FALSE);
  ak_secret_backend_emit_collections_changed (backend);
  store_wait_for (store, AK_KEYRING_STATE_READY, G_MAXUINT, 10);
  g_assert_cmpuint (store_n_items (store), ==, 1);
  g_assert_nonnull (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "Back again"));
  g_assert_cmpint (ak_credential_store_get_state (unread), ==, AK_KEYRING_STATE_UNKNOWN);

  /* Locked again from outside: said at once, not at the next failed write. */
  ak_secret_backend_memory_set_locked (backend, TRUE, FALSE);
  ak_secret_backend_emit_collections_changed (backend);
  store_wait_for (store, AK_KEYRING_STATE_LOCKED, G_MAXUINT, 10);
  g_assert_cmpuint (store_n_items (store), ==, 1);
}

static void
test_no_default_collection (void)
{
  g_autoptr(AkSecretBackend) backend = ak_secret_backend_new_memory ();
  g_autoptr(AkCredentialStore) store = ak_credential_store_new_with_backend (backend);
  g_autoptr(GError) error = NULL;

  ak_secret_backend_memory_set_no_default_collection (backend, TRUE);
  g_assert_true (store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_NO_COLLECTION);
  ak_test_assert_contains (ak_credential_store_get_state_message (store),
                           "no default collection");
  ak_test_assert_contains (ak_credential_store_get_state_message (store), "Seahorse");
  g_assert_cmpuint (store_n_items (store), ==, 0);

  /* A default keyring made in Seahorse: the store follows. */
  ak_secret_backend_memory_set_no_default_collection (backend, FALSE);
  ak_secret_backend_emit_collections_changed (backend);
  store_wait_for (store, AK_KEYRING_STATE_READY, G_MAXUINT, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/store/memory/session-only", test_session_only);
  g_test_add_func ("/ak/store/memory/fallback-to-session", test_fallback_to_session);
  g_test_add_func ("/ak/store/memory/write-errors", test_write_errors);
  g_test_add_data_func ("/ak/store/memory/locked", GINT_TO_POINTER (FALSE), test_locked);
  g_test_add_data_func ("/ak/store/memory/locked-on-disk", GINT_TO_POINTER (TRUE), test_locked);
  g_test_add_func ("/ak/store/memory/unlocked-from-outside", test_unlocked_from_outside);
  g_test_add_func ("/ak/store/memory/no-default-collection", test_no_default_collection);

  return g_test_run ();
}
