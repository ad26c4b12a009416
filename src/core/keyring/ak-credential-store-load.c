/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-credential-store-private.h"
#include "ak-error.h"

/* ---------------------------------------------------------------------------------------------
 * Load and unlock
 */

static void
switch_to_session_only (AkCredentialStore *self,
                        Problem            problem,
                        const GError      *cause)
{
  g_clear_error (&self->unavailable_error);
  self->unavailable_error = ak_store_keyring_error (OP_LOAD, problem, cause);
  g_clear_signal_handler (&self->collections_changed_id, self->backend);
  g_clear_signal_handler (&self->items_changed_id, self->backend);
  ak_store_cancel_outside_reload (self);
  g_clear_object (&self->backend);
  self->backend = ak_secret_backend_new_memory ();
  self->session_only = TRUE;
  ak_store_set_state (self, AK_KEYRING_STATE_SESSION_ONLY, ak_store_session_only_message (problem));
}

/* @collection: the default collection's state, which tells an empty keyring from one
 * locked since it was read from disk (gnome-keyring's searches then find nothing). */
static void
apply_search (AkCredentialStore       *self,
              GPtrArray               *items,
              AkSecretCollectionState  collection)
{
  gboolean locked = ak_store_merge_items (self, items);

  if (self->session_only)
    ak_store_set_state (self, AK_KEYRING_STATE_SESSION_ONLY, self->state_message);
  else if (locked || collection == AK_SECRET_COLLECTION_LOCKED)
    ak_store_set_state (self, AK_KEYRING_STATE_LOCKED, ak_store_locked_message ());
  else if (collection == AK_SECRET_COLLECTION_MISSING)
    ak_store_set_state (self, AK_KEYRING_STATE_NO_COLLECTION, ak_store_no_collection_message ());
  else
    ak_store_set_state (self, AK_KEYRING_STATE_READY, ak_store_ready_message ());
}

static void
on_collection_checked (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data);

/* After a search: the collection's own state, then the model and the state. */
static void
check_collection (AkCredentialStore *self,
                  GTask             *task,
                  GPtrArray         *items)
{
  Op *op = g_task_get_task_data (task);

  op->items = g_ptr_array_ref (items);
  ak_secret_backend_get_collection_state_async (self->backend, g_task_get_cancellable (task),
                                                on_collection_checked, task);
}

/* Cancellation stops the load; another failure leaves the search to speak for itself, as
 * it did before collections were checked. */
static gboolean
finish_collection_check (AkCredentialStore        *self,
                         GTask                    *task,
                         GAsyncResult             *result,
                         AkSecretCollectionState  *collection)
{
  g_autoptr(GError) error = NULL;

  *collection = ak_secret_backend_get_collection_state_finish (self->backend, result, &error);
  if (error == NULL)
    return TRUE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ak_store_op_fail (self, task, g_steal_pointer (&error));
      return FALSE;
    }
  g_debug ("Could not check the default collection: %s", error->message);
  *collection = AK_SECRET_COLLECTION_NONE;
  return TRUE;
}

/* A load or unlock that has read what there is, or found there is no keyring to read. */
static void
load_done (AkCredentialStore *self,
           GTask             *task)
{
  self->loaded = TRUE;
  g_task_return_boolean (task, TRUE);
  ak_store_op_complete (self, task);
}

static void
on_load_searched (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  Problem problem;

  items = ak_secret_backend_search_finish (AK_SECRET_BACKEND (object), result, &error);
  self->load_queued = FALSE;

  if (items != NULL && self->session_only)
    {
      apply_search (self, items, AK_SECRET_COLLECTION_NONE);
      load_done (self, task);
      return;
    }
  if (items != NULL)
    {
      check_collection (self, task, items);
      return;
    }

  problem = ak_store_classify_error (error);
  switch (problem)
    {
    case PROBLEM_NO_BUS:
    case PROBLEM_NO_SERVICE:
    case PROBLEM_ACCESS_DENIED:
      /* Never a plaintext fallback: memory, and a state that says so. */
      if (!self->session_only)
        switch_to_session_only (self, problem, error);
      load_done (self, task);
      break;
    case PROBLEM_LOCKED:
      ak_store_set_state (self, AK_KEYRING_STATE_LOCKED, ak_store_locked_message ());
      load_done (self, task);
      break;
    case PROBLEM_CANCELLED:
    case PROBLEM_NO_COLLECTION:
    case PROBLEM_OTHER:
    default:
      ak_store_op_fail (self, task, ak_store_keyring_error (OP_LOAD, problem, error));
      break;
    }
}

static void
on_unlock_searched (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) items = ak_store_op_search_finish (self, task, object, result);

  if (items != NULL)
    check_collection (self, task, items);
}

/* The end of a load or an unlock: the model and the state from what the search found. */
static void
on_collection_checked (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  AkSecretCollectionState collection;

  if (!finish_collection_check (self, task, result, &collection))
    return;
  apply_search (self, op->items, collection);

  /* A dismissed or failed prompt is not an error to libsecret: the items just stay locked. */
  if (op->kind == OP_UNLOCK && self->state == AK_KEYRING_STATE_LOCKED)
    {
      self->loaded = TRUE;
      ak_store_op_fail (self, task,
                        g_error_new_literal (AK_ERROR, AK_ERROR_KEYRING_LOCKED,
                                             _("The keyring is still locked: the password prompt "
                                               "was cancelled or could not be shown. Nothing was "
                                               "changed; use Unlock to try again.")));
    }
  else
    load_done (self, task);
}

static void
search_all (AkCredentialStore *self,
            GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) all = ak_store_string_table_new ();
  AkSecretSearchFlags flags = AK_SECRET_SEARCH_NONE;

  /* Items locked elsewhere are unlocked by the search, unless the user has just dismissed
   * the collection's prompt: one prompt per click. */
  if (op->kind == OP_UNLOCK && op->collection_unlocked)
    flags = AK_SECRET_SEARCH_UNLOCK;
  ak_secret_backend_search_async (self->backend, all, flags, g_task_get_cancellable (task),
                                  op->kind == OP_UNLOCK ? on_unlock_searched : on_load_searched,
                                  task);
}

static void
on_collection_unlocked (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->collection_unlocked = ak_secret_backend_unlock_finish (AK_SECRET_BACKEND (object), result,
                                                             &error);
  if (error != NULL)
    {
      ak_store_op_fail_backend (self, task, error);
      return;
    }
  search_all (self, task);
}

void
ak_store_start_load (AkCredentialStore *self,
                     GTask             *task,
                     gboolean           unlock)
{
  if (unlock && self->session_only)
    {
      ak_store_op_fail (self, task, g_error_new (AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE, "%s %s",
                                                 ak_store_op_failure_sentence (OP_UNLOCK),
                                                 self->state_message));
      return;
    }

  /* The collection first: a collection locked since it was read from disk has no items
   * a search could find, and so none to unlock. */
  if (unlock)
    ak_secret_backend_unlock_async (self->backend, g_task_get_cancellable (task),
                                    on_collection_unlocked, task);
  else
    search_all (self, task);
}
