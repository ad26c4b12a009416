/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-credential-store-private.h"
#include "ak-task.h"

/* ---------------------------------------------------------------------------------------------
 * The queue
 */

void
ak_store_op_free (Op *op)
{
  g_clear_object (&op->target);
  g_clear_object (&op->credential);
  g_clear_pointer (&op->secrets, ak_credential_secrets_free);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_clear_pointer (&op->old_attributes, g_hash_table_unref);
  g_clear_pointer (&op->value, secret_value_unref);
  g_clear_pointer (&op->items, g_ptr_array_unref);
  g_free (op);
}

static void
run_next (AkCredentialStore *self)
{
  while (self->running == NULL && !g_queue_is_empty (&self->queue))
    {
      GTask *task = g_queue_pop_head (&self->queue);

      Op *op = g_task_get_task_data (task);

      self->running = task;
      if (op->kind == OP_LOAD)
        self->loads_waiting--;
      if (g_task_return_error_if_cancelled (task))
        {
          if (op->kind == OP_LOAD)
            self->load_queued = FALSE;
          self->running = NULL;
          g_object_unref (task);
          continue;
        }
      ak_store_op_start (self, task);
    }
}

void
ak_store_enqueue (AkCredentialStore *self,
                  GTask             *task)
{
  g_queue_push_tail (&self->queue, task);
  run_next (self);
}

/* Called once the task has its result. */
void
ak_store_op_complete (AkCredentialStore *self,
                      GTask             *task)
{
  /* The task may hold the last reference to the store. */
  g_object_ref (self);
  g_assert (self->running == task);
  self->running = NULL;
  g_object_unref (task);
  run_next (self);
  g_object_unref (self);
}

void
ak_store_op_fail (AkCredentialStore *self,
                  GTask             *task,
                  GError            *error)
{
  g_task_return_error (task, error);
  ak_store_op_complete (self, task);
}

/* Fails @task with what the keyring backend said (@cause), worded for its operation. */
void
ak_store_op_fail_backend (AkCredentialStore *self,
                          GTask             *task,
                          const GError      *cause)
{
  Op *op = g_task_get_task_data (task);

  ak_store_op_fail (self, task, ak_store_backend_error (self, op->kind, cause));
}

/* The items a search for @task found, or NULL once @task has failed with the search. */
GPtrArray *
ak_store_op_search_finish (AkCredentialStore *self,
                           GTask             *task,
                           GObject           *backend,
                           GAsyncResult      *result)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  items = ak_secret_backend_search_finish (AK_SECRET_BACKEND (backend), result, &error);
  if (items == NULL)
    ak_store_op_fail_backend (self, task, error);
  return items;
}

GTask *
ak_store_op_task_new (AkCredentialStore   *self,
                      OpKind               kind,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             source_tag)
{
  GTask *task = ak_task_new (self, cancellable, callback, user_data, source_tag);
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  g_task_set_task_data (task, op, (GDestroyNotify) ak_store_op_free);
  return task;
}

void
ak_store_queue_load (AkCredentialStore *self,
                     GTask             *task)
{
  self->load_queued = TRUE;
  self->loads_waiting++;
  ak_store_enqueue (self, task);
}

/* The keyring was unlocked at login or in Seahorse, locked, or given a default collection:
 * read it again, once, so that the list and the state follow without a click. A store
 * that was never loaded stays unread. */
void
ak_store_reload_after_outside_change (AkCredentialStore *self)
{
  if (!self->loaded || self->loads_waiting > 0 || self->session_only)
    return;
  ak_store_queue_load (self, ak_store_op_task_new (self, OP_LOAD, NULL, NULL, NULL,
                                                   ak_store_reload_after_outside_change));
}

/* The same reload for items added, changed or deleted by another program (the command line,
 * secret-tool, Seahorse), once the signals stop for a moment: a batch of items (or an edit,
 * which stores one item and removes another) makes one search, not one per item. Our own
 * writes are heard too; the search then finds what the model already shows, and changes
 * nothing. */
#define OUTSIDE_CHANGE_DELAY_MS 250

void
ak_store_cancel_outside_reload (AkCredentialStore *self)
{
  if (self->outside_reload == NULL)
    return;
  g_source_destroy (self->outside_reload);
  g_clear_pointer (&self->outside_reload, g_source_unref);
}

static gboolean
outside_change_settled (gpointer user_data)
{
  AkCredentialStore *self = user_data;

  g_clear_pointer (&self->outside_reload, g_source_unref);
  ak_store_reload_after_outside_change (self);
  return G_SOURCE_REMOVE;
}

void
ak_store_items_changed_outside (AkCredentialStore *self)
{
  /* On the context the signal came on, which is the store's (not always the default). */
  ak_store_cancel_outside_reload (self);
  self->outside_reload = g_timeout_source_new (OUTSIDE_CHANGE_DELAY_MS);
  g_source_set_callback (self->outside_reload, outside_change_settled, self, NULL);
  g_source_set_static_name (self->outside_reload, "[ak-store] outside change");
  g_source_attach (self->outside_reload, g_main_context_get_thread_default ());
}

/* Writes need the model (label uniqueness) and the state (locked): load first. */
void
ak_store_ensure_loaded (AkCredentialStore *self)
{
  if (self->loaded || self->load_queued)
    return;
  ak_store_queue_load (self, ak_store_op_task_new (self, OP_LOAD, NULL, NULL, NULL,
                                                   ak_store_ensure_loaded));
}
