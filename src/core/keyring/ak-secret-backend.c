/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-secret-backend.h"
#include "ak-task.h"

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

/**
 * ak_secret_attributes_copy:
 *
 * Returns: (transfer full): a string -> string table with the same pairs as @attributes
 */
GHashTable *
ak_secret_attributes_copy (GHashTable *attributes)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  return copy;
}

/* Whether @attributes has every pair of @wanted, as a keyring search matches items. */
gboolean
ak_secret_attributes_include (GHashTable *attributes,
                              GHashTable *wanted)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (g_hash_table_lookup (attributes, key), value) != 0)
      return FALSE;
  return TRUE;
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

/* A clear returns how many items it removed, a collection check the state: FALSE with
 * @error when the call failed instead. */
static gboolean
propagate_int (GAsyncResult  *result,
               gssize        *value,
               GError       **error)
{
  GError *local_error = NULL;

  *value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, local_error);
  return FALSE;
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
  g_return_if_fail (AK_IS_SECRET_BACKEND (self));
  g_return_if_fail (attributes != NULL);

  AK_SECRET_BACKEND_GET_CLASS (self)->search (self, attributes, flags,
                                              ak_task_new (self, cancellable, callback,
                                                           user_data,
                                                           ak_secret_backend_search_async));
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
  g_return_if_fail (AK_IS_SECRET_BACKEND (self));
  g_return_if_fail (attributes != NULL);
  g_return_if_fail (label != NULL);
  g_return_if_fail (value != NULL);

  AK_SECRET_BACKEND_GET_CLASS (self)->store (self, attributes, label, value,
                                             ak_task_new (self, cancellable, callback,
                                                          user_data,
                                                          ak_secret_backend_store_async));
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
  g_return_if_fail (AK_IS_SECRET_BACKEND (self));
  g_return_if_fail (attributes != NULL && g_hash_table_size (attributes) > 0);

  AK_SECRET_BACKEND_GET_CLASS (self)->clear (self, attributes,
                                             ak_task_new (self, cancellable, callback,
                                                          user_data,
                                                          ak_secret_backend_clear_async));
}

gboolean
ak_secret_backend_clear_finish (AkSecretBackend  *self,
                                GAsyncResult     *result,
                                gboolean         *removed,
                                GError          **error)
{
  gssize count;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!propagate_int (result, &count, error))
    return FALSE;
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
  g_return_if_fail (AK_IS_SECRET_BACKEND (self));

  AK_SECRET_BACKEND_GET_CLASS (self)->collection_state (
    self, ak_task_new (self, cancellable, callback, user_data,
                       ak_secret_backend_get_collection_state_async));
}

AkSecretCollectionState
ak_secret_backend_get_collection_state_finish (AkSecretBackend  *self,
                                               GAsyncResult     *result,
                                               GError          **error)
{
  gssize state;

  g_return_val_if_fail (g_task_is_valid (result, self), AK_SECRET_COLLECTION_NONE);

  if (!propagate_int (result, &state, error))
    return AK_SECRET_COLLECTION_NONE;
  return (AkSecretCollectionState) state;
}

void
ak_secret_backend_unlock_async (AkSecretBackend     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (AK_IS_SECRET_BACKEND (self));

  AK_SECRET_BACKEND_GET_CLASS (self)->unlock (
    self, ak_task_new (self, cancellable, callback, user_data,
                       ak_secret_backend_unlock_async));
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
