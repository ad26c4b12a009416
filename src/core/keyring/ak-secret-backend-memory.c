/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-secret-backend.h"

/* Items live in this process only: the session store when there is no Secret Service, and
 * a test double. Results are returned through GTask, so callers always get them from an
 * idle callback, as with the keyring. */

#define AK_TYPE_SECRET_BACKEND_MEMORY (ak_secret_backend_memory_get_type ())
G_DECLARE_FINAL_TYPE (AkSecretBackendMemory, ak_secret_backend_memory,
                      AK, SECRET_BACKEND_MEMORY, AkSecretBackend)

struct _AkSecretBackendMemory
{
  AkSecretBackend parent_instance;

  GPtrArray *items;
  GError *failure;
  gboolean locked;
  gboolean unlockable;
  /* While locked, searches find nothing (a collection locked since it was read from disk). */
  gboolean locked_on_disk;
  gboolean no_default_collection;
};

G_DEFINE_FINAL_TYPE (AkSecretBackendMemory, ak_secret_backend_memory, AK_TYPE_SECRET_BACKEND)

static gboolean
check_writable (AkSecretBackendMemory *self,
                GTask                 *task)
{
  if (self->failure != NULL)
    {
      g_task_return_error (task, g_error_copy (self->failure));
      return FALSE;
    }
  if (self->locked)
    {
      g_task_return_new_error (task, SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                               "Cannot create an item in a locked collection");
      return FALSE;
    }
  return TRUE;
}

static void
ak_secret_backend_memory_search (AkSecretBackend     *backend,
                                 GHashTable          *attributes,
                                 AkSecretSearchFlags  flags,
                                 GTask               *task)
{
  AkSecretBackendMemory *self = AK_SECRET_BACKEND_MEMORY (backend);
  GPtrArray *found;

  if (self->failure != NULL)
    {
      g_task_return_error (task, g_error_copy (self->failure));
      g_object_unref (task);
      return;
    }

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_secret_item_free);
  /* As with gnome-keyring, unlocking items needs items to be found first. */
  if ((flags & AK_SECRET_SEARCH_UNLOCK) && self->unlockable && !self->locked_on_disk)
    self->locked = FALSE;

  for (guint i = 0; i < self->items->len && !(self->locked && self->locked_on_disk); i++)
    {
      AkSecretItem *item = g_ptr_array_index (self->items, i);
      AkSecretItem *copy;

      if (!ak_secret_attributes_include (item->attributes, attributes))
        continue;

      copy = g_new0 (AkSecretItem, 1);
      copy->attributes = ak_secret_attributes_copy (item->attributes);
      copy->label = g_strdup (item->label);
      copy->modified = item->modified;
      copy->locked = self->locked;
      if ((flags & AK_SECRET_SEARCH_LOAD_SECRETS) && !self->locked)
        copy->secret = secret_value_ref (item->secret);
      g_ptr_array_add (found, copy);
    }

  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
ak_secret_backend_memory_store (AkSecretBackend *backend,
                                GHashTable      *attributes,
                                const char      *label,
                                SecretValue     *value,
                                GTask           *task)
{
  AkSecretBackendMemory *self = AK_SECRET_BACKEND_MEMORY (backend);
  AkSecretItem *item = NULL;

  if (!check_writable (self, task))
    {
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < self->items->len && item == NULL; i++)
    {
      AkSecretItem *candidate = g_ptr_array_index (self->items, i);

      if (g_hash_table_size (candidate->attributes) == g_hash_table_size (attributes)
          && ak_secret_attributes_include (candidate->attributes, attributes))
        item = candidate;
    }

  if (item == NULL)
    {
      item = g_new0 (AkSecretItem, 1);
      item->attributes = ak_secret_attributes_copy (attributes);
      g_ptr_array_add (self->items, item);
    }

  g_free (item->label);
  item->label = g_strdup (label);
  g_clear_pointer (&item->secret, secret_value_unref);
  item->secret = secret_value_ref (value);
  item->modified = (guint64) (g_get_real_time () / G_USEC_PER_SEC);

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
ak_secret_backend_memory_clear (AkSecretBackend *backend,
                                GHashTable      *attributes,
                                GTask           *task)
{
  AkSecretBackendMemory *self = AK_SECRET_BACKEND_MEMORY (backend);
  gssize removed = 0;

  if (!check_writable (self, task))
    {
      g_object_unref (task);
      return;
    }

  for (guint i = self->items->len; i > 0; i--)
    {
      AkSecretItem *item = g_ptr_array_index (self->items, i - 1);

      if (ak_secret_attributes_include (item->attributes, attributes))
        {
          g_ptr_array_remove_index (self->items, i - 1);
          removed++;
        }
    }

  g_task_return_int (task, removed);
  g_object_unref (task);
}

static void
ak_secret_backend_memory_collection_state (AkSecretBackend *backend,
                                           GTask           *task)
{
  AkSecretBackendMemory *self = AK_SECRET_BACKEND_MEMORY (backend);

  if (self->failure != NULL)
    g_task_return_error (task, g_error_copy (self->failure));
  else if (self->no_default_collection)
    g_task_return_int (task, AK_SECRET_COLLECTION_MISSING);
  else
    g_task_return_int (task, self->locked ? AK_SECRET_COLLECTION_LOCKED
                                          : AK_SECRET_COLLECTION_UNLOCKED);
  g_object_unref (task);
}

static void
ak_secret_backend_memory_unlock (AkSecretBackend *backend,
                                 GTask           *task)
{
  AkSecretBackendMemory *self = AK_SECRET_BACKEND_MEMORY (backend);

  if (self->failure != NULL)
    {
      g_task_return_error (task, g_error_copy (self->failure));
      g_object_unref (task);
      return;
    }
  if (self->locked && self->unlockable)
    self->locked = FALSE;
  g_task_return_boolean (task, !self->locked);
  g_object_unref (task);
}

static void
ak_secret_backend_memory_finalize (GObject *object)
{
  AkSecretBackendMemory *self = AK_SECRET_BACKEND_MEMORY (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (ak_secret_backend_memory_parent_class)->finalize (object);
}

static void
ak_secret_backend_memory_class_init (AkSecretBackendMemoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AkSecretBackendClass *backend_class = AK_SECRET_BACKEND_CLASS (klass);

  object_class->finalize = ak_secret_backend_memory_finalize;
  backend_class->persistent = FALSE;
  backend_class->search = ak_secret_backend_memory_search;
  backend_class->store = ak_secret_backend_memory_store;
  backend_class->clear = ak_secret_backend_memory_clear;
  backend_class->collection_state = ak_secret_backend_memory_collection_state;
  backend_class->unlock = ak_secret_backend_memory_unlock;
}

static void
ak_secret_backend_memory_init (AkSecretBackendMemory *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_secret_item_free);
}

AkSecretBackend *
ak_secret_backend_new_memory (void)
{
  return g_object_new (AK_TYPE_SECRET_BACKEND_MEMORY, NULL);
}

void
ak_secret_backend_memory_set_failure (AkSecretBackend *backend,
                                      const GError    *error)
{
  AkSecretBackendMemory *self;

  g_return_if_fail (AK_IS_SECRET_BACKEND_MEMORY (backend));
  self = AK_SECRET_BACKEND_MEMORY (backend);

  g_clear_error (&self->failure);
  if (error != NULL)
    self->failure = g_error_copy (error);
}

static void
set_lock (AkSecretBackend *backend,
          gboolean         locked,
          gboolean         unlockable,
          gboolean         on_disk)
{
  AkSecretBackendMemory *self;

  g_return_if_fail (AK_IS_SECRET_BACKEND_MEMORY (backend));
  self = AK_SECRET_BACKEND_MEMORY (backend);

  self->locked = locked;
  self->unlockable = unlockable;
  self->locked_on_disk = locked && on_disk;
}

void
ak_secret_backend_memory_set_locked (AkSecretBackend *backend,
                                     gboolean         locked,
                                     gboolean         unlockable)
{
  set_lock (backend, locked, unlockable, FALSE);
}

void
ak_secret_backend_memory_set_locked_on_disk (AkSecretBackend *backend,
                                             gboolean         locked,
                                             gboolean         unlockable)
{
  set_lock (backend, locked, unlockable, TRUE);
}

void
ak_secret_backend_memory_set_no_default_collection (AkSecretBackend *backend,
                                                    gboolean         missing)
{
  g_return_if_fail (AK_IS_SECRET_BACKEND_MEMORY (backend));
  AK_SECRET_BACKEND_MEMORY (backend)->no_default_collection = missing;
}
