/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-secret-backend.h"

G_DEFINE_QUARK (ak-secret-backend-error-quark, ak_secret_backend_error)

G_DEFINE_ABSTRACT_TYPE (AkSecretBackend, ak_secret_backend, G_TYPE_OBJECT)

enum
{
  COLLECTIONS_CHANGED,
  ITEMS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
ak_secret_item_free (AkSecretItem *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->attributes, g_hash_table_unref);
  g_clear_pointer (&item->label, g_free);
  g_clear_pointer (&item->secret, secret_value_unref);
  g_free (item);
}

static void
ak_secret_backend_class_init (AkSecretBackendClass *klass)
{
  /**
   * AkSecretBackend::collections-changed:
   *
   * A collection was created, deleted, locked or unlocked from outside, or the keyring
   * daemon was replaced: what a search finds may have changed.
   */
  signals[COLLECTIONS_CHANGED] =
    g_signal_new ("collections-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * AkSecretBackend::items-changed:
   *
   * An item was created, changed or deleted, by this process or another one (the command
   * line, secret-tool, Seahorse): what a search finds may have changed. Emitted once per
   * item, so listeners should debounce.
   */
  signals[ITEMS_CHANGED] =
    g_signal_new ("items-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ak_secret_backend_init (AkSecretBackend *self)
{
}

gboolean
ak_secret_backend_is_persistent (AkSecretBackend *self)
{
  g_return_val_if_fail (AK_IS_SECRET_BACKEND (self), FALSE);

  return AK_SECRET_BACKEND_GET_CLASS (self)->persistent;
}

void
ak_secret_backend_search_async (AkSecretBackend     *self,
                                GHashTable          *attributes,
                                AkSecretSearchFlags  flags,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AK_IS_SECRET_BACKEND (self));
  g_return_if_fail (attributes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_secret_backend_search_async);
  AK_SECRET_BACKEND_GET_CLASS (self)->search (self, attributes, flags, g_steal_pointer (&task));
}

GPtrArray *
ak_secret_backend_search_finish (AkSecretBackend  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ak_secret_backend_store_async (AkSecretBackend     *self,
                               GHashTable          *attributes,
                               const char          *label,
                               SecretValue         *value,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AK_IS_SECRET_BACKEND (self));
  g_return_if_fail (attributes != NULL);
  g_return_if_fail (label != NULL);
  g_return_if_fail (value != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_secret_backend_store_async);
  AK_SECRET_BACKEND_GET_CLASS (self)->store (self, attributes, label, value,
                                             g_steal_pointer (&task));
}

gboolean
ak_secret_backend_store_finish (AkSecretBackend  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ak_secret_backend_clear_async (AkSecretBackend     *self,
                               GHashTable          *attributes,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AK_IS_SECRET_BACKEND (self));
  g_return_if_fail (attributes != NULL && g_hash_table_size (attributes) > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_secret_backend_clear_async);
  AK_SECRET_BACKEND_GET_CLASS (self)->clear (self, attributes, g_steal_pointer (&task));
}

gboolean
ak_secret_backend_clear_finish (AkSecretBackend  *self,
                                GAsyncResult     *result,
                                gboolean         *removed,
                                GError          **error)
{
  GError *local_error = NULL;
  gssize count;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  count = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (removed != NULL)
    *removed = count > 0;
  return TRUE;
}

void
ak_secret_backend_get_collection_state_async (AkSecretBackend     *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AK_IS_SECRET_BACKEND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_secret_backend_get_collection_state_async);
  AK_SECRET_BACKEND_GET_CLASS (self)->collection_state (self, g_steal_pointer (&task));
}

AkSecretCollectionState
ak_secret_backend_get_collection_state_finish (AkSecretBackend  *self,
                                               GAsyncResult     *result,
                                               GError          **error)
{
  GError *local_error = NULL;
  gssize state;

  g_return_val_if_fail (g_task_is_valid (result, self), AK_SECRET_COLLECTION_NONE);

  state = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return AK_SECRET_COLLECTION_NONE;
    }
  return (AkSecretCollectionState) state;
}

void
ak_secret_backend_unlock_async (AkSecretBackend     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AK_IS_SECRET_BACKEND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_secret_backend_unlock_async);
  AK_SECRET_BACKEND_GET_CLASS (self)->unlock (self, g_steal_pointer (&task));
}

gboolean
ak_secret_backend_unlock_finish (AkSecretBackend  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ak_secret_backend_emit_collections_changed (AkSecretBackend *self)
{
  g_return_if_fail (AK_IS_SECRET_BACKEND (self));
  g_signal_emit (self, signals[COLLECTIONS_CHANGED], 0);
}

void
ak_secret_backend_emit_items_changed (AkSecretBackend *self)
{
  g_return_if_fail (AK_IS_SECRET_BACKEND (self));
  g_signal_emit (self, signals[ITEMS_CHANGED], 0);
}
