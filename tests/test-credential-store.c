/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <locale.h>
#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ak-core.h"
#include "ak-credential-private.h"
#include "ak-credential-store-private.h"
#include "ak-test-keyring-file.h"
#include "ak-test-store.h"

/*
 * The store against libsecret's file backend (each test in its own process with its own
 * keyring file, since libsecret keeps one backend per process) and against memory. The
 * keyring states a scripted backend gives are in test-credential-store-states.c.
 */

#define SCHEMA "io.github.agorakeys.AgoraKeys.Test"
#define PASSWORD "ak-test-password"
#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define APP_ID_2 "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define CERT_3 "77aa66bb55cc44dd33ee22ff11009988"
#define CUSTOMER_SECRET "Zq9CustomerSecretXy42"

static gboolean file_mode;
static char *keyring_path;

/* ---------------------------------------------------------------------------------------------
 * Fixtures
 */

static AkCredentialStore *
new_store (void)
{
  if (file_mode)
    return ak_credential_store_new (SCHEMA);
  return ak_credential_store_new_in_memory ();
}

static AkCredentialStore *
new_loaded_store (void)
{
  AkCredentialStore *store = new_store ();

  store_load_expect (store, file_mode ? AK_KEYRING_STATE_READY : AK_KEYRING_STATE_SESSION_ONLY);
  return store;
}

static AkCredential *
make_customer (const char *label,
               const char *customer_id)
{
  return make_credential (AK_CREDENTIAL_CUSTOMER, label, customer_id);
}

static AkCredentialSecrets *
customer_secrets (const char *secret)
{
  AkCredentialSecrets *secrets = ak_credential_secrets_new ();

  secrets->customer_secret = g_strdup (secret);
  return secrets;
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  guint *count = user_data;
  (*count)++;
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Tests for both backends
 */

static void
test_add_find_list (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) project = NULL;
  g_autoptr(AkCredential) customer = NULL;
  g_autoptr(AkCredential) customer_added = NULL;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(AkCredentialSecrets) customer_values = customer_secrets (CUSTOMER_SECRET);
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  g_assert_cmpuint (store_n_items (store), ==, 0);
  g_signal_connect (ak_credential_store_get_model (store), "items-changed",
                    G_CALLBACK (count_items_changed), &changes);

  customer = make_customer ("Billing", "c0ffee1234");
  ak_credential_set_notes (customer, "account-level");
  customer_added = store_add (store, customer, customer_values, &error);
  g_assert_no_error (error);
  project = ak_test_store_add_project (store, "  Production ", APP_ID, CERT_1, CERT_2);

  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (store_n_items (store), ==, 2);
  /* Projects first, then customers; the label is kept trimmed. */
  g_assert_true (store_item_at (store, 0) == project);
  g_assert_true (store_item_at (store, 1) == customer_added);
  g_assert_cmpstr (ak_credential_get_label (project), ==, "Production");
  g_assert_true (g_uuid_string_is_valid (ak_credential_get_id (project)));
  g_assert_true (g_uuid_string_is_valid (ak_credential_get_id (customer_added)));
  g_assert_cmpstr (ak_credential_get_id (project), !=, ak_credential_get_id (customer_added));
  g_assert_true (ak_credential_get_has_secondary (project));
  g_assert_cmpstr (ak_credential_get_customer_id (customer_added), ==, "c0ffee1234");
  g_assert_cmpstr (ak_credential_get_notes (customer_added), ==, "account-level");
  /* The caller's object is a template: the store keeps its own. */
  g_assert_true (customer_added != customer);
  g_assert_cmpstr (ak_credential_get_id (customer), ==, "");

  g_assert_true (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "production") == project);
  g_assert_true (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, " PRODUCTION") == project);
  g_assert_null (ak_credential_store_find (store, AK_CREDENTIAL_CUSTOMER, "Production"));
  g_assert_true (ak_credential_store_find (store, AK_CREDENTIAL_CUSTOMER, "billing")
                 == customer_added);
  g_assert_true (ak_credential_store_find_by_app_id (store, "970ca35de60c44645bbae8a215061b33")
                 == project);
  g_assert_null (ak_credential_store_find_by_app_id (store, APP_ID_2));

  secrets = store_secrets (store, project, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secrets->primary_certificate, ==, CERT_1);
  g_assert_cmpstr (secrets->secondary_certificate, ==, CERT_2);
  g_assert_null (secrets->customer_secret);
  g_clear_pointer (&secrets, ak_credential_secrets_free);

  secrets = store_secrets (store, customer_added, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secrets->customer_secret, ==, CUSTOMER_SECRET);
}

static void
test_fresh_store_reads_back (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredentialStore) fresh = NULL;
  g_autoptr(AkCredential) project = ak_test_store_add_project (store, "Demo", APP_ID, CERT_1, NULL);
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  AkCredential *seen;

  if (!file_mode)
    {
      /* Memory is per store: a new one starts empty, which is the point of the banner. */
      fresh = new_loaded_store ();
      g_assert_cmpuint (store_n_items (fresh), ==, 0);
      return;
    }

  fresh = new_loaded_store ();
  g_assert_cmpuint (store_n_items (fresh), ==, 1);
  seen = store_item_at (fresh, 0);
  g_assert_true (seen != project);
  g_assert_cmpstr (ak_credential_get_id (seen), ==, ak_credential_get_id (project));
  g_assert_cmpstr (ak_credential_get_label (seen), ==, "Demo");
  g_assert_cmpstr (ak_credential_get_app_id (seen), ==, APP_ID);
  g_assert_false (ak_credential_get_has_secondary (seen));
  secrets = store_secrets (fresh, seen, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secrets->primary_certificate, ==, CERT_1);
  g_assert_null (secrets->secondary_certificate);
}

static void
test_async_only (void)
{
  g_autoptr(AkCredentialStore) store = new_store ();
  g_autoptr(AkCredential) project = make_project ("Async", APP_ID);
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, NULL);
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GAsyncResult) added_result = NULL;
  g_autoptr(AkCredential) added = NULL;
  AkTestWait load_wait = { .check_async = TRUE };
  AkTestWait add_wait = { .check_async = TRUE };
  g_autoptr(GError) error = NULL;

  /* An add queued before the load has finished sees the loaded model. */
  ak_credential_store_load_async (store, NULL, ak_test_wait_callback, &load_wait);
  ak_credential_store_add_async (store, project, secrets, NULL, ak_test_wait_callback, &add_wait);
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_UNKNOWN);
  g_assert_cmpuint (store_n_items (store), ==, 0);

  loaded = ak_test_wait_result (&load_wait);
  g_assert_true (ak_credential_store_load_finish (store, loaded, &error));
  added_result = ak_test_wait_result (&add_wait);
  added = ak_credential_store_add_finish (store, added_result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (store_n_items (store), ==, 1);
}

static void
test_first_operation_loads (void)
{
  g_autoptr(AkCredentialStore) store = new_store ();
  g_autoptr(AkCredential) one = NULL;
  g_autoptr(AkCredential) again = make_project ("One", APP_ID_2);
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_2, NULL);
  g_autoptr(GError) error = NULL;

  /* No explicit load: the store loads first, so uniqueness still holds. */
  one = ak_test_store_add_project (store, "One", APP_ID, CERT_1, NULL);
  g_assert_cmpint (ak_credential_store_get_state (store), !=, AK_KEYRING_STATE_UNKNOWN);
  g_assert_null (store_add (store, again, secrets, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
}

static void
test_uniqueness (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) demo = ak_test_store_add_project (store, "Demo", APP_ID, CERT_1, NULL);
  g_autoptr(AkCredential) clash = make_project (" demo ", APP_ID_2);
  g_autoptr(AkCredential) customer = make_customer ("Demo", "c0ffee");
  g_autoptr(AkCredential) customer_added = NULL;
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_2, NULL);
  g_autoptr(AkCredentialSecrets) secret = customer_secrets (CUSTOMER_SECRET);
  g_autoptr(GError) error = NULL;

  g_assert_true (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "DEMO") == demo);
  g_assert_null (store_add (store, clash, secrets, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "A project named “demo” already exists.");
  g_clear_error (&error);
  g_assert_cmpuint (store_n_items (store), ==, 1);

  /* Labels are unique per kind only. */
  customer_added = store_add (store, customer, secret, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (store_n_items (store), ==, 2);

  g_assert_null (store_add (store, customer, secret, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "A customer credential named “Demo” already exists.");
}

static void
test_invalid_input (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) bad_id = make_project ("Bad", "xyz");
  g_autoptr(AkCredential) good = make_project ("Good", APP_ID);
  g_autoptr(AkCredential) customer = make_customer ("Billing", "c0ffee");
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, NULL);
  g_autoptr(AkCredentialSecrets) bad_secrets = ak_test_secrets_new ("short", NULL);
  g_autoptr(AkCredentialSecrets) spaced = customer_secrets ("has space");
  g_autoptr(GError) error = NULL;

  g_assert_null (store_add (store, bad_id, secrets, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_true (contains (error->message, "App ID"));
  g_clear_error (&error);

  g_assert_null (store_add (store, good, bad_secrets, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_true (contains (error->message, "App Certificate"));
  g_clear_error (&error);

  g_assert_null (store_add (store, customer, spaced, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_false (contains (error->message, "has space"));
  g_clear_error (&error);

  g_assert_cmpuint (store_n_items (store), ==, 0);
}

static void
test_update_keeps_secrets (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) project = ak_test_store_add_project (store, "Staging", APP_ID, CERT_1,
                                                               CERT_2);
  g_autoptr(AkCredential) other = ak_test_store_add_project (store, "Another", APP_ID_2, CERT_3,
                                                             NULL);
  g_autoptr(AkCredential) changes = ak_credential_copy (project);
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (ak_credential_get_id (project));
  guint label_notifies = 0;
  guint model_changes = 0;

  g_signal_connect (project, "notify::label", G_CALLBACK (ak_test_count_notify), &label_notifies);
  g_signal_connect (ak_credential_store_get_model (store), "items-changed",
                    G_CALLBACK (count_items_changed), &model_changes);

  /* Fields only: the stored certificates stay. */
  ak_credential_set_chat_org (changes, "61717166");
  ak_credential_set_chat_app (changes, "demo");
  ak_credential_set_chat_host (changes, "a41.chat.agora.io");
  ak_credential_set_notes (changes, "edited");
  g_assert_true (store_update (store, project, changes, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ak_credential_get_chat_org (project), ==, "61717166");
  g_assert_cmpstr (ak_credential_get_notes (project), ==, "edited");
  g_assert_cmpstr (ak_credential_get_id (project), ==, id);
  g_assert_true (ak_credential_get_has_secondary (project));
  /* In place: the same object, no items-changed, no label notification. */
  g_assert_cmpuint (label_notifies, ==, 0);
  g_assert_cmpuint (model_changes, ==, 0);
  g_assert_true (store_item_at (store, 1) == project);

  secrets = store_secrets (store, project, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secrets->primary_certificate, ==, CERT_1);
  g_assert_cmpstr (secrets->secondary_certificate, ==, CERT_2);
  g_clear_pointer (&secrets, ak_credential_secrets_free);

  /* A rename that moves it to the front of the list. */
  ak_credential_set_label (changes, "Alpha");
  g_assert_true (store_update (store, project, changes, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (label_notifies, ==, 1);
  g_assert_true (store_item_at (store, 0) == project);
  g_assert_true (store_item_at (store, 1) == other);
  g_assert_cmpuint (store_n_items (store), ==, 2);

  if (file_mode)
    {
      g_autoptr(AkCredentialStore) fresh = new_loaded_store ();
      AkCredential *seen;

      /* One item per credential: the edit left no old copy behind. */
      g_assert_cmpuint (store_n_items (fresh), ==, 2);
      seen = ak_credential_store_find (fresh, AK_CREDENTIAL_PROJECT, "Alpha");
      g_assert_nonnull (seen);
      g_assert_cmpstr (ak_credential_get_id (seen), ==, id);
      g_assert_cmpstr (ak_credential_get_chat_host (seen), ==, "a41.chat.agora.io");
      g_assert_null (ak_credential_store_find (fresh, AK_CREDENTIAL_PROJECT, "Staging"));
      secrets = store_secrets (fresh, seen, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (secrets->primary_certificate, ==, CERT_1);
      g_assert_cmpstr (secrets->secondary_certificate, ==, CERT_2);
    }
}

static void
test_update_new_secrets (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) project = ak_test_store_add_project (store, "Rotate", APP_ID, CERT_1,
                                                               CERT_2);
  g_autoptr(AkCredential) changes = ak_credential_copy (project);
  g_autoptr(AkCredentialSecrets) rotated = ak_test_secrets_new (CERT_3, NULL);
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(AkCredentialSecrets) bad = ak_test_secrets_new ("nope", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (store_update (store, project, changes, rotated, &error));
  g_assert_no_error (error);
  g_assert_false (ak_credential_get_has_secondary (project));
  secrets = store_secrets (store, project, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secrets->primary_certificate, ==, CERT_3);
  g_assert_null (secrets->secondary_certificate);
  g_clear_pointer (&secrets, ak_credential_secrets_free);

  g_assert_false (store_update (store, project, changes, bad, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  secrets = store_secrets (store, project, &error);
  g_assert_cmpstr (secrets->primary_certificate, ==, CERT_3);
}

static void
test_update_conflicts (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) first = ak_test_store_add_project (store, "First", APP_ID, CERT_1, NULL);
  g_autoptr(AkCredential) second = ak_test_store_add_project (store, "Second", APP_ID_2, CERT_2,
                                                              NULL);
  g_autoptr(AkCredential) changes = ak_credential_copy (second);
  g_autoptr(AkCredential) customer = make_customer ("Second", "c0ffee");
  g_autoptr(GError) error = NULL;

  ak_credential_set_label (changes, "FIRST");
  g_assert_false (store_update (store, second, changes, NULL, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "A project named “FIRST” already exists.");
  g_clear_error (&error);
  g_assert_cmpstr (ak_credential_get_label (second), ==, "Second");
  g_assert_cmpstr (ak_credential_get_label (first), ==, "First");

  /* Renaming to its own label in another case is fine. */
  ak_credential_set_label (changes, "SECOND");
  g_assert_true (store_update (store, second, changes, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ak_credential_get_label (second), ==, "SECOND");

  g_assert_false (store_update (store, second, customer, NULL, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  ak_credential_set_app_id (changes, "not hex");
  g_assert_false (store_update (store, second, changes, NULL, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_cmpstr (ak_credential_get_app_id (second), ==, APP_ID_2);
  g_assert_cmpuint (store_n_items (store), ==, 2);
}

static void
test_delete (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) doomed = ak_test_store_add_project (store, "Doomed", APP_ID, CERT_1,
                                                              NULL);
  g_autoptr(AkCredential) kept = ak_test_store_add_project (store, "Kept", APP_ID_2, CERT_2, NULL);
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (store_delete (store, doomed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (store_n_items (store), ==, 1);
  g_assert_true (store_item_at (store, 0) == kept);
  g_assert_null (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "Doomed"));

  g_assert_null (store_secrets (store, doomed, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (store_delete (store, doomed, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The label is free again. */
  g_clear_object (&doomed);
  doomed = ak_test_store_add_project (store, "Doomed", APP_ID, CERT_3, NULL);
  secrets = store_secrets (store, doomed, &error);
  g_assert_cmpstr (secrets->primary_certificate, ==, CERT_3);

  if (file_mode)
    {
      g_autoptr(AkCredentialStore) fresh = new_loaded_store ();

      g_assert_true (store_delete (store, kept, &error));
      g_clear_object (&fresh);
      fresh = new_loaded_store ();
      g_assert_cmpuint (store_n_items (fresh), ==, 1);
      g_assert_cmpstr (ak_credential_get_label (store_item_at (fresh, 0)), ==, "Doomed");
    }
}

static void
assert_no_secret_in (const char *text,
                     const char *where)
{
  static const char *secrets[] = { CERT_1, CERT_2, CUSTOMER_SECRET };

  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (contains (text, secrets[i]))
      g_error ("A secret is in %s", where);
}

static void
test_secrets_not_in_attributes (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) project = ak_test_store_add_project (store, "Secretive", APP_ID, CERT_1,
                                                               CERT_2);
  g_autoptr(AkCredential) customer = make_customer ("Billing", "c0ffee");
  g_autoptr(AkCredential) customer_added = NULL;
  g_autoptr(AkCredentialSecrets) secret = customer_secrets (CUSTOMER_SECRET);
  AkSecretBackend *backend = ak_credential_store_get_backend (store);
  g_autoptr(GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { .check_async = TRUE };

  customer_added = store_add (store, customer, secret, &error);
  g_assert_no_error (error);
  g_assert_true (ak_credential_get_has_secondary (project));

  /* What the model holds. */
  for (guint i = 0; i < store_n_items (store); i++)
    {
      g_autofree GParamSpec **specs = NULL;
      guint n_specs;

      specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (store_item_at (store, i)),
                                              &n_specs);
      for (guint j = 0; j < n_specs; j++)
        if (specs[j]->value_type == G_TYPE_STRING)
          {
            g_autofree char *value = NULL;

            g_object_get (store_item_at (store, i), specs[j]->name, &value, NULL);
            assert_no_secret_in (value, specs[j]->name);
          }
    }

  /* What the keyring holds outside the secret: attributes and item labels. */
  ak_secret_backend_search_async (backend, all, AK_SECRET_SEARCH_NONE, NULL,
                                  ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  items = ak_secret_backend_search_finish (backend, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  for (guint i = 0; i < items->len; i++)
    {
      AkSecretItem *item = g_ptr_array_index (items, i);
      GHashTableIter iter;
      gpointer value;

      g_assert_null (item->secret);
      assert_no_secret_in (item->label, "an item label");
      g_assert_true (g_str_has_prefix (item->label, "Agora "));
      g_hash_table_iter_init (&iter, item->attributes);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        assert_no_secret_in (value, "an attribute");
    }

  if (file_mode)
    {
      g_autofree char *contents = NULL;
      gsize length;

      /* The keyring file is encrypted: no certificate in clear on disk. */
      g_assert_true (g_file_get_contents (keyring_path, &contents, &length, NULL));
      g_assert_cmpuint (length, >, 0);
      g_assert_false (ak_test_bytes_contain (contents, length, CERT_1));
      g_assert_false (ak_test_bytes_contain (contents, length, CERT_2));
      g_assert_false (ak_test_bytes_contain (contents, length, CUSTOMER_SECRET));
    }
}

/* The next write fails: in the file backend the keyring file is replaced by a directory. */
static void
break_writes (AkCredentialStore *store)
{
  if (file_mode)
    {
      g_autofree char *backup = g_strconcat (keyring_path, "~", NULL);

      g_assert_cmpint (g_unlink (keyring_path), ==, 0);
      g_unlink (backup);
      g_assert_cmpint (g_mkdir (keyring_path, 0700), ==, 0);
    }
  else
    {
      g_autoptr(GError) failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                                       "Permission denied");

      ak_secret_backend_memory_set_failure (ak_credential_store_get_backend (store), failure);
    }
}

static void
test_failed_write (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) kept = ak_test_store_add_project (store, "Kept", APP_ID, CERT_1, NULL);
  g_autoptr(AkCredential) fresh = make_project ("New", APP_ID_2);
  g_autoptr(AkCredential) changes = ak_credential_copy (kept);
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_2, NULL);
  g_autoptr(GError) error = NULL;
  guint model_changes = 0;
  guint notifies = 0;

  g_signal_connect (ak_credential_store_get_model (store), "items-changed",
                    G_CALLBACK (count_items_changed), &model_changes);
  g_signal_connect (kept, "notify", G_CALLBACK (ak_test_count_notify), &notifies);
  break_writes (store);

  g_assert_null (store_add (store, fresh, secrets, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Could not save the credential in the keyring."));
  g_clear_error (&error);

  ak_credential_set_label (changes, "Renamed");
  g_assert_false (store_update (store, kept, changes, secrets, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_false (store_delete (store, kept, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Could not delete the credential from the keyring."));

  /* Nothing the user sees changed. */
  g_assert_cmpuint (model_changes, ==, 0);
  g_assert_cmpuint (notifies, ==, 0);
  g_assert_cmpuint (store_n_items (store), ==, 1);
  g_assert_cmpstr (ak_credential_get_label (kept), ==, "Kept");
  g_assert_null (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "New"));
}

static void
test_cancelled (void)
{
  g_autoptr(AkCredentialStore) store = new_loaded_store ();
  g_autoptr(AkCredential) project = make_project ("Cancelled", APP_ID);
  g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (CERT_1, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (store_add_full (store, project, secrets, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (store_n_items (store), ==, 0);
}

/* ---------------------------------------------------------------------------------------------
 * File backend only
 */

/* Where this test's keyring file is: one directory per test under a base the parent made,
 * so that the children of one test (persistence) share a file and other tests do not. */
static char *
keyring_path_for_test (void)
{
  g_autofree char *name = g_strdup (g_test_get_path ());

  g_strdelimit (name, "/", '_');
  return g_build_filename (g_getenv ("AK_TEST_KEYRING_BASE"), name, "test.keyring", NULL);
}

/* In the child, before anything has started a thread: libsecret reads these once. */
static void
use_file_keyring (void)
{
  g_autofree char *dir = NULL;

  file_mode = TRUE;
  g_free (keyring_path);
  keyring_path = keyring_path_for_test ();
  dir = g_path_get_dirname (keyring_path);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", PASSWORD, TRUE);
}

static void
run_in_subprocess (void)
{
  GTestSubprocessFlags flags = G_TEST_SUBPROCESS_INHERIT_STDERR;

  if (g_test_verbose ())
    flags |= G_TEST_SUBPROCESS_INHERIT_STDOUT;
  g_test_trap_subprocess (NULL, 100 * G_USEC_PER_SEC, flags);
  g_test_trap_assert_passed ();
}

static void
run_store_test (gconstpointer data)
{
  GTestFunc body = (GTestFunc) data;

  file_mode = g_str_has_prefix (g_test_get_path (), "/ak/store/file/");
  if (!file_mode)
    body ();
  else if (g_test_subprocess ())
    {
      use_file_keyring ();
      body ();
    }
  else
    run_in_subprocess ();
}

static void
test_file_persistence (void)
{
  g_autofree char *path = keyring_path_for_test ();

  if (g_test_subprocess ())
    {
      g_autoptr(AkCredentialStore) store = NULL;
      g_autoptr(GError) error = NULL;
      gboolean first = !g_file_test (path, G_FILE_TEST_EXISTS);

      use_file_keyring ();
      store = ak_credential_store_new (SCHEMA);
      g_assert_true (store_load (store, &error));
      if (first)
        {
          g_autoptr(AkCredential) project = ak_test_store_add_project (store, "Persisted", APP_ID,
                                                                       CERT_1,
                                                         CERT_2);
          g_assert_true (ak_credential_get_has_secondary (project));
          g_assert_cmpuint (store_n_items (store), ==, 1);
        }
      else
        {
          g_autoptr(AkCredentialSecrets) secrets = NULL;
          AkCredential *project;

          g_assert_cmpuint (store_n_items (store), ==, 1);
          project = ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "persisted");
          g_assert_nonnull (project);
          g_assert_cmpstr (ak_credential_get_app_id (project), ==, APP_ID);
          secrets = store_secrets (store, project, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (secrets->primary_certificate, ==, CERT_1);
          g_assert_cmpstr (secrets->secondary_certificate, ==, CERT_2);
        }
      return;
    }

  /* Two processes: what the first wrote, the second reads. */
  run_in_subprocess ();
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  run_in_subprocess ();
}

typedef struct
{
  gint64 filled_at;
  guint expected;
} Filled;

static void
model_filled (GListModel *model,
              guint       position,
              guint       removed,
              guint       added,
              gpointer    user_data)
{
  Filled *filled = user_data;

  if (filled->filled_at == 0 && g_list_model_get_n_items (model) == filled->expected)
    filled->filled_at = g_get_monotonic_time ();
}

#define N_MANY 1000

static void
test_file_thousand (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(AkCredentialStore) store = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      AkTestStall stall = { 0 };
      Filled filled = { 0 };
      AkTestWait wait = { .check_async = TRUE };
      gint64 started;
      g_autofree char *previous = NULL;

      use_file_keyring ();
      store = ak_credential_store_new (SCHEMA);
      filled.expected = N_MANY;
      g_signal_connect (ak_credential_store_get_model (store), "items-changed",
                        G_CALLBACK (model_filled), &filled);

      /* Settle, then measure from the load call until the last item is in the model. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      ak_test_stall_start (&stall);
      started = g_get_monotonic_time ();
      ak_credential_store_load_async (store, NULL, ak_test_wait_callback, &wait);
      result = ak_test_wait_result (&wait);
      g_assert_true (ak_credential_store_load_finish (store, result, &error));
      g_assert_no_error (error);
      /* Let what the load queued on the main loop run too, so a stall it causes counts. */
      {
        gint64 until = g_get_monotonic_time () + 20 * 1000;
        while (g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, TRUE);
      }
      ak_test_stall_stop (&stall);

      g_assert_cmpuint (store_n_items (store), ==, N_MANY);
      g_assert_cmpint (filled.filled_at, >, 0);
      /* On stderr, which the parent passes through: the child's own TAP output is not. The
       * time is a figure for build-aux/bench, not something to assert on a shared machine. */
      g_printerr ("# bench: credential store: %u credentials from the file backend in the "
                  "model in %.1f ms\n", N_MANY, (filled.filled_at - started) / 1000.0);
      ak_test_stall_check (&stall, "credential store, loading 1,000 credentials");

      for (guint i = 0; i < N_MANY; i++)
        {
          const char *label = ak_credential_get_label (store_item_at (store, i));

          if (previous != NULL)
            g_assert_cmpstr (previous, <, label);
          g_free (previous);
          previous = g_strdup (label);
        }
      return;
    }

  {
    g_autofree char *path = keyring_path_for_test ();
    g_autofree char *dir = g_path_get_dirname (path);

    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    ak_test_write_keyring_file (path, PASSWORD, SCHEMA, APP_ID, CERT_1, N_MANY);
    run_in_subprocess ();
  }
}

int
main (int    argc,
      char **argv)
{
  static const struct
  {
    const char *name;
    GTestFunc body;
  } shared[] = {
    { "add-find-list", test_add_find_list },
    { "fresh-store-reads-back", test_fresh_store_reads_back },
    { "async-only", test_async_only },
    { "first-operation-loads", test_first_operation_loads },
    { "uniqueness", test_uniqueness },
    { "invalid-input", test_invalid_input },
    { "update-keeps-secrets", test_update_keeps_secrets },
    { "update-new-secrets", test_update_new_secrets },
    { "update-conflicts", test_update_conflicts },
    { "delete", test_delete },
    { "secrets-not-in-attributes", test_secrets_not_in_attributes },
    { "failed-write", test_failed_write },
    { "cancelled", test_cancelled },
  };

  g_autofree char *base = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  if (!g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;

      /* Set before any thread exists; children inherit it. */
      base = g_dir_make_tmp ("ak-store-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv ("AK_TEST_KEYRING_BASE", base, TRUE);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (shared); i++)
    {
      g_autofree char *memory = g_strdup_printf ("/ak/store/memory/%s", shared[i].name);
      g_autofree char *file = g_strdup_printf ("/ak/store/file/%s", shared[i].name);

      g_test_add_data_func (memory, (gconstpointer) shared[i].body, run_store_test);
      g_test_add_data_func (file, (gconstpointer) shared[i].body, run_store_test);
    }

  g_test_add_func ("/ak/store/file/persistence", test_file_persistence);
  g_test_add_func ("/ak/store/file/thousand", test_file_thousand);

  status = g_test_run ();
  if (base != NULL)
    ak_test_remove_tree (base);
  return status;
}
