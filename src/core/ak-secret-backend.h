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

#define AK_TYPE_SECRET_BACKEND (ak_secret_backend_get_type ())
G_DECLARE_DERIVABLE_TYPE (AkSecretBackend, ak_secret_backend, AK, SECRET_BACKEND, GObject)

struct _AkSecretBackendClass
{
  GObjectClass parent_class;

  /* FALSE when items are lost with the process. */
  gboolean persistent;

  /* Each completes @task: search with a GPtrArray of AkSecretItem, store with a boolean,
   * clear with an int (the number of items removed, at least 1 if any). */
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

/* Memory backend, for tests: while @error is set, every operation fails with a copy of it;
 * @locked makes searches report items as locked (and unlocking clears it). */
void             ak_secret_backend_memory_set_failure  (AkSecretBackend *self,
                                                        const GError *error);
void             ak_secret_backend_memory_set_locked   (AkSecretBackend *self,
                                                        gboolean locked,
                                                        gboolean unlockable);

G_END_DECLS
