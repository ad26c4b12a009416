/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/*
 * Where AkCredentialStore keeps items: the system keyring through libsecret's password API
 * (Secret Service, its file backend, or the Flatpak portal), or process memory. Both take
 * and return string attributes and SecretValues, and always complete asynchronously.
 */

#define AK_SECRET_BACKEND_ERROR (ak_secret_backend_error_quark ())

/* Failures found before libsecret is asked anything. Other errors pass through as they are. */
typedef enum
{
  AK_SECRET_BACKEND_ERROR_NO_BUS,
} AkSecretBackendError;

GQuark ak_secret_backend_error_quark (void);

typedef enum
{
  AK_SECRET_SEARCH_NONE = 0,
  AK_SECRET_SEARCH_LOAD_SECRETS = 1 << 0,
  AK_SECRET_SEARCH_UNLOCK = 1 << 1,
} AkSecretSearchFlags;

/**
 * AkSecretItem:
 * @attributes: string -> string
 * @label: the item label
 * @modified: last change, seconds since the epoch (0 when unknown)
 * @locked: whether the item's secret cannot be read until the keyring is unlocked
 * @secret: (nullable): with %AK_SECRET_SEARCH_LOAD_SECRETS, the secret of an unlocked item
 */
typedef struct
{
  GHashTable *attributes;
  char *label;
  guint64 modified;
  gboolean locked;
  SecretValue *secret;
} AkSecretItem;

void          ak_secret_item_free                     (AkSecretItem *item);
GHashTable   *ak_secret_attributes_copy               (GHashTable *attributes);
gboolean      ak_secret_attributes_include            (GHashTable *attributes,
                                                       GHashTable *wanted);

/**
 * AkSecretCollectionState:
 * @AK_SECRET_COLLECTION_NONE: the backend has no collections (process memory, libsecret's
 *   file backend and the Flatpak portal): a search says all there is
 * @AK_SECRET_COLLECTION_UNLOCKED: the default collection is there and unlocked
 * @AK_SECRET_COLLECTION_LOCKED: the default collection is locked; when it has been locked
 *   since it was read from disk, gnome-keyring's searches find none of its items
 * @AK_SECRET_COLLECTION_MISSING: no collection answers to the "default" alias
 *
 * The state of the collection new items are written to, which a search alone cannot tell:
 * an empty result may be an empty keyring or a locked one.
 */
typedef enum
{
  AK_SECRET_COLLECTION_NONE,
  AK_SECRET_COLLECTION_UNLOCKED,
  AK_SECRET_COLLECTION_LOCKED,
  AK_SECRET_COLLECTION_MISSING,
} AkSecretCollectionState;

#define AK_TYPE_SECRET_BACKEND (ak_secret_backend_get_type ())
G_DECLARE_DERIVABLE_TYPE (AkSecretBackend, ak_secret_backend, AK, SECRET_BACKEND, GObject)

struct _AkSecretBackendClass
{
  GObjectClass parent_class;

  /* FALSE when items are lost with the process. */
  gboolean persistent;

  /* Each completes @task: search with a GPtrArray of AkSecretItem, store with a boolean,
   * clear with an int (the number of items removed, at least 1 if any), collection_state
   * with an int (an AkSecretCollectionState), unlock with a boolean (FALSE when the
   * collection is still locked, e.g. a dismissed prompt). */
  void (*search) (AkSecretBackend *self,
                  GHashTable *attributes,
                  AkSecretSearchFlags flags,
                  GTask *task);
  void (*store)  (AkSecretBackend *self,
                  GHashTable *attributes,
                  const char *label,
                  SecretValue *value,
                  GTask *task);
  void (*clear)  (AkSecretBackend *self,
                  GHashTable *attributes,
                  GTask *task);
  void (*collection_state) (AkSecretBackend *self,
                            GTask *task);
  void (*unlock) (AkSecretBackend *self,
                  GTask *task);
};

AkSecretBackend *ak_secret_backend_new_libsecret       (const char *schema_name);
AkSecretBackend *ak_secret_backend_new_memory          (void);
gboolean         ak_secret_backend_is_persistent       (AkSecretBackend *self);

/* @attributes: those to match; the schema's own name is added by the backend. */
void             ak_secret_backend_search_async        (AkSecretBackend *self,
                                                        GHashTable *attributes,
                                                        AkSecretSearchFlags flags,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
GPtrArray       *ak_secret_backend_search_finish       (AkSecretBackend *self,
                                                        GAsyncResult *result,
                                                        GError **error);
/* Replaces an item with exactly the same attributes, else adds one. */
void             ak_secret_backend_store_async         (AkSecretBackend *self,
                                                        GHashTable *attributes,
                                                        const char *label,
                                                        SecretValue *value,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
gboolean         ak_secret_backend_store_finish        (AkSecretBackend *self,
                                                        GAsyncResult *result,
                                                        GError **error);
/* Removes every item whose attributes include @attributes. */
void             ak_secret_backend_clear_async         (AkSecretBackend *self,
                                                        GHashTable *attributes,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
gboolean         ak_secret_backend_clear_finish        (AkSecretBackend *self,
                                                        GAsyncResult *result,
                                                        gboolean *removed,
                                                        GError **error);

/* The default collection: whether it is there and locked. */
void             ak_secret_backend_get_collection_state_async  (AkSecretBackend *self,
                                                                GCancellable *cancellable,
                                                                GAsyncReadyCallback callback,
                                                                gpointer user_data);
AkSecretCollectionState
                 ak_secret_backend_get_collection_state_finish (AkSecretBackend *self,
                                                                GAsyncResult *result,
                                                                GError **error);
/* Unlocks the default collection, asking the system to prompt for its password. Returns
 * FALSE without an error when it stays locked (the prompt was dismissed or could not be
 * shown), and TRUE for a backend without collections. */
void             ak_secret_backend_unlock_async        (AkSecretBackend *self,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
gboolean         ak_secret_backend_unlock_finish       (AkSecretBackend *self,
                                                        GAsyncResult *result,
                                                        GError **error);

/* Emits AkSecretBackend::collections-changed, which says that a collection was created,
 * deleted, locked or unlocked by someone else (or the keyring daemon was replaced). Called
 * by backends on the thread that created them, and by tests scripting the memory backend. */
void             ak_secret_backend_emit_collections_changed (AkSecretBackend *self);
/* Emits AkSecretBackend::items-changed: an item of any collection was created, changed or
 * deleted. Same threading as above. */
void             ak_secret_backend_emit_items_changed       (AkSecretBackend *self);

/* Memory backend, for tests: while @error is set, every operation fails with a copy of it;
 * @locked makes searches report items as locked (and unlocking clears it). */
void             ak_secret_backend_memory_set_failure  (AkSecretBackend *self,
                                                        const GError *error);
void             ak_secret_backend_memory_set_locked   (AkSecretBackend *self,
                                                        gboolean locked,
                                                        gboolean unlockable);
/* Like gnome-keyring after a reboot: while locked, searches find nothing at all. */
void             ak_secret_backend_memory_set_locked_on_disk (AkSecretBackend *self,
                                                              gboolean locked,
                                                              gboolean unlockable);
/* No collection answers to the "default" alias. */
void             ak_secret_backend_memory_set_no_default_collection (AkSecretBackend *self,
                                                                     gboolean missing);

G_END_DECLS
