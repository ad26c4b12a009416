/* ak-test-store.h: the credential store's async calls run to their end, for tests
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each call is cancelled after a deadline (scaled by AK_TEST_TIME_SCALE): a keyring prompt
 * nobody can answer must fail the test, not hang it. The callback must come from the main
 * loop, never from inside the call. Also here: the waits and assertions the store tests of
 * a scripted backend (test-credential-store*.c) and of a real gnome-keyring
 * (test-keyring-integration.c) share.
 */

#pragma once

#include "ak-core.h"
#include "ak-test-util.h"

/* How long a store call may take before it is cancelled, in seconds; unlocking is shorter,
 * since only a prompt makes it wait. */
#define AK_TEST_STORE_SECONDS 20
#define AK_TEST_STORE_UNLOCK_SECONDS 10

typedef struct
{
  AkTestWait wait;
  GCancellable *cancellable;
  guint timeout;
} AkTestStoreCall;

static inline gboolean
ak_test_store_call_cancel (gpointer data)
{
  AkTestStoreCall *call = data;

  call->timeout = 0;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

static inline void
ak_test_store_call_clear (AkTestStoreCall *call)
{
  if (call->timeout != 0)
    g_source_remove (call->timeout);
  g_clear_object (&call->cancellable);
  g_clear_object (&call->wait.result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AkTestStoreCall, ak_test_store_call_clear)

/* Starts a call: the cancellable to pass (@cancellable, or one of its own when NULL), cancelled
 * after @seconds. */
static inline GCancellable *
ak_test_store_call_start (AkTestStoreCall *call,
                          GCancellable    *cancellable,
                          guint            seconds)
{
  *call = (AkTestStoreCall) { .wait = { .check_async = TRUE } };
  call->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  call->timeout = g_timeout_add_seconds ((guint) (seconds * ak_test_time_scale ()),
                                         ak_test_store_call_cancel, call);
  return call->cancellable;
}

/* Waits for the call's result (kept by @call until it is cleared). */
static inline GAsyncResult *
ak_test_store_call_result (AkTestStoreCall *call)
{
  return ak_test_wait_result (&call->wait);
}

#define STORE_CALL(call) ak_test_store_call_start ((call), NULL, AK_TEST_STORE_SECONDS)

static inline gboolean
store_load (AkCredentialStore *store,
            GError           **error)
{
  g_auto(AkTestStoreCall) call = { 0 };

  ak_credential_store_load_async (store, STORE_CALL (&call), ak_test_wait_callback, &call.wait);
  return ak_credential_store_load_finish (store, ak_test_store_call_result (&call), error);
}

static inline gboolean
store_unlock (AkCredentialStore *store,
              GError           **error)
{
  g_auto(AkTestStoreCall) call = { 0 };

  ak_credential_store_unlock_async (store,
                                    ak_test_store_call_start (&call, NULL,
                                                              AK_TEST_STORE_UNLOCK_SECONDS),
                                    ak_test_wait_callback, &call.wait);
  return ak_credential_store_unlock_finish (store, ak_test_store_call_result (&call), error);
}

static inline AkCredential *
store_add_full (AkCredentialStore         *store,
                AkCredential              *credential,
                const AkCredentialSecrets *secrets,
                GCancellable              *cancellable,
                GError                   **error)
{
  g_auto(AkTestStoreCall) call = { 0 };

  ak_credential_store_add_async (store, credential, secrets,
                                 ak_test_store_call_start (&call, cancellable,
                                                           AK_TEST_STORE_SECONDS),
                                 ak_test_wait_callback, &call.wait);
  return ak_credential_store_add_finish (store, ak_test_store_call_result (&call), error);
}

static inline AkCredential *
store_add (AkCredentialStore         *store,
           AkCredential              *credential,
           const AkCredentialSecrets *secrets,
           GError                   **error)
{
  return store_add_full (store, credential, secrets, NULL, error);
}

static inline gboolean
store_update (AkCredentialStore         *store,
              AkCredential              *existing,
              AkCredential              *changes,
              const AkCredentialSecrets *secrets,
              GError                   **error)
{
  g_auto(AkTestStoreCall) call = { 0 };

  ak_credential_store_update_async (store, existing, changes, secrets, STORE_CALL (&call),
                                    ak_test_wait_callback, &call.wait);
  return ak_credential_store_update_finish (store, ak_test_store_call_result (&call), error);
}

static inline gboolean
store_delete (AkCredentialStore *store,
              AkCredential      *credential,
              GError           **error)
{
  g_auto(AkTestStoreCall) call = { 0 };

  ak_credential_store_delete_async (store, credential, STORE_CALL (&call), ak_test_wait_callback,
                                    &call.wait);
  return ak_credential_store_delete_finish (store, ak_test_store_call_result (&call), error);
}

static inline AkCredentialSecrets *
store_secrets (AkCredentialStore *store,
               AkCredential      *credential,
               GError           **error)
{
  g_auto(AkTestStoreCall) call = { 0 };

  ak_credential_store_load_secrets_async (store, credential, STORE_CALL (&call),
                                          ak_test_wait_callback, &call.wait);
  return ak_credential_store_load_secrets_finish (store, ak_test_store_call_result (&call),
                                                  error);
}

/* A "notify" handler counting into the guint at @user_data. */
static inline void
ak_test_count_notify (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  guint *count = user_data;
  (*count)++;
}

/* A new credential of @kind: a project with the App ID @id, a customer with the Customer ID
 * @id. */
static inline AkCredential *
make_credential (AkCredentialKind  kind,
                 const char       *label,
                 const char       *id)
{
  AkCredential *credential = ak_credential_new (kind);

  ak_credential_set_label (credential, label);
  if (kind == AK_CREDENTIAL_CUSTOMER)
    ak_credential_set_customer_id (credential, id);
  else
    ak_credential_set_app_id (credential, id);
  return credential;
}

static inline AkCredential *
make_project (const char *label,
              const char *app_id)
{
  return make_credential (AK_CREDENTIAL_PROJECT, label, app_id);
}

static inline guint
store_n_items (AkCredentialStore *store)
{
  return g_list_model_get_n_items (ak_credential_store_get_model (store));
}

/* The item at @position in the store's model (the model keeps it). */
static inline AkCredential *
store_item_at (AkCredentialStore *store,
               guint              position)
{
  AkCredential *item = g_list_model_get_item (ak_credential_store_get_model (store), position);

  g_object_unref (item);
  return item;
}

/* Loads @store, which must then be in @state. */
static inline void
store_load_expect (AkCredentialStore *store,
                   AkKeyringState     state)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ak_credential_store_get_state (store), ==, state);
}

/* Loads @store, which must then be locked, and say so. */
static inline void
store_load_locked (AkCredentialStore *store)
{
  store_load_expect (store, AK_KEYRING_STATE_LOCKED);
  ak_test_assert_contains (ak_credential_store_get_state_message (store), "locked");
}

/* A write to a store in @state is refused with @code. */
static inline void
store_assert_add_refused (AkCredentialStore         *store,
                          AkCredential              *credential,
                          const AkCredentialSecrets *secrets,
                          int                        code)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (store_add (store, credential, secrets, &error));
  g_assert_error (error, AK_ERROR, code);
}

/* Unlocking when the prompt is dismissed (or, with @may_time_out, never answered, when the
 * call's own deadline cancels it): still locked, said so. */
static inline void
store_assert_unlock_dismissed (AkCredentialStore *store,
                               gboolean           may_time_out)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (store_unlock (store, &error));
  if (!may_time_out || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_assert_error (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED);
      ak_test_assert_contains (error->message, "still locked");
    }
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_LOCKED);
}

/* Spins the loop until the store has reached @state by itself (and, unless @n_items is
 * G_MAXUINT, holds @n_items), within @seconds (scaled). */
static inline void
store_wait_for (AkCredentialStore *store,
                AkKeyringState     state,
                guint              n_items,
                guint              seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC * ak_test_time_scale ();

  while (ak_credential_store_get_state (store) != state
         || (n_items != G_MAXUINT && store_n_items (store) != n_items))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The store did not reach state %d with %u items (it has state %d, %u items)",
                 state, n_items, ak_credential_store_get_state (store), store_n_items (store));
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}
