/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ak-credential.h"

G_BEGIN_DECLS

/**
 * AkKeyringState:
 * @AK_KEYRING_STATE_UNKNOWN: not loaded yet
 * @AK_KEYRING_STATE_READY: credentials are kept in the system keyring
 * @AK_KEYRING_STATE_LOCKED: the keyring is locked; ak_credential_store_unlock_async() asks
 *   the system to prompt for the password
 * @AK_KEYRING_STATE_SESSION_ONLY: no Secret Service: credentials live in memory and are lost
 *   when the program ends (never written anywhere else)
 * @AK_KEYRING_STATE_NO_COLLECTION: the Secret Service has no default collection (the login
 *   keyring was never set up, or the "default" alias points nowhere): what other collections
 *   hold is listed, and a new credential makes the system ask to create one
 *
 * LOCKED is also the state of a keyring locked since it was read from disk (after a
 * reboot, before the user logs in), whose searches find nothing: it is never reported as
 * an empty READY keyring.
 */
typedef enum
{
  AK_KEYRING_STATE_UNKNOWN,
  AK_KEYRING_STATE_READY,
  AK_KEYRING_STATE_LOCKED,
  AK_KEYRING_STATE_SESSION_ONLY,
  AK_KEYRING_STATE_NO_COLLECTION,
} AkKeyringState;

#define AK_TYPE_CREDENTIAL_STORE (ak_credential_store_get_type ())
G_DECLARE_FINAL_TYPE (AkCredentialStore, ak_credential_store, AK, CREDENTIAL_STORE, GObject)

/* @schema_name: the libsecret schema name, i.e. the application ID. */
AkCredentialStore *ak_credential_store_new               (const char *schema_name);
/* A store that never touches the keyring: the SESSION_ONLY fallback, and a test double. */
AkCredentialStore *ak_credential_store_new_in_memory     (void);

AkKeyringState     ak_credential_store_get_state         (AkCredentialStore *self);
/* A sentence for the banner: why the state is what it is and what to install or start. */
const char        *ak_credential_store_get_state_message (AkCredentialStore *self);
/* When the keyring could not be reached (SESSION_ONLY after a load), why: an
 * AK_ERROR_KEYRING_UNAVAILABLE error naming the Secret Service and what to install or start,
 * for programs that must not carry on without it (the command line). NULL otherwise. */
const GError      *ak_credential_store_get_unavailable_error (AkCredentialStore *self);

/* A GListModel of AkCredential sorted by kind then label; updated in place by the
 * operations below (items-changed), never replaced. Changes made by other programs (items
 * created, changed or deleted in the keyring) are read again a moment after they happen. */
GListModel        *ak_credential_store_get_model         (AkCredentialStore *self);
/* The credentials of one kind (an AkCredentialKindList over the model), built once and
 * shared: what project pickers show. Transfer none. */
GListModel        *ak_credential_store_get_kind_model    (AkCredentialStore *self,
                                                          AkCredentialKind kind);
GListModel        *ak_credential_store_get_projects      (AkCredentialStore *self);
AkCredential      *ak_credential_store_find              (AkCredentialStore *self,
                                                          AkCredentialKind kind,
                                                          const char *label);
AkCredential      *ak_credential_store_find_by_id        (AkCredentialStore *self,
                                                          const char *id);
AkCredential      *ak_credential_store_find_by_app_id    (AkCredentialStore *self,
                                                          const char *app_id);

void     ak_credential_store_load_async          (AkCredentialStore *self,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
gboolean ak_credential_store_load_finish         (AkCredentialStore *self,
                                                  GAsyncResult *result,
                                                  GError **error);
/* For operations that need the stored credentials: runs @then with @task (whose reference
 * it takes over) once the store has been loaded, at once when it already was; a failed load
 * returns its error from @task instead. */
void     ak_credential_store_load_then           (AkCredentialStore *self,
                                                  GTask *task,
                                                  void (*then) (GTask *task));

/* Unlocks the default collection (the system prompts for its password), then reloads. The
 * store also reloads by itself when the keyring is unlocked or locked from outside. */
void     ak_credential_store_unlock_async        (AkCredentialStore *self,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
gboolean ak_credential_store_unlock_finish       (AkCredentialStore *self,
                                                  GAsyncResult *result,
                                                  GError **error);

/* Stores a new credential with its secrets, reads it back, then adds it to the model.
 * Fails (AK_ERROR_INVALID_INPUT) if the label is taken for that kind. */
void     ak_credential_store_add_async           (AkCredentialStore *self,
                                                  AkCredential *credential,
                                                  const AkCredentialSecrets *secrets,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
AkCredential *ak_credential_store_add_finish     (AkCredentialStore *self,
                                                  GAsyncResult *result,
                                                  GError **error);

/* Undo of a deletion: stores @credential again with its id and fields as they were (a new
 * id only if another credential took it meanwhile). Finish with add_finish(). */
void     ak_credential_store_restore_async       (AkCredentialStore *self,
                                                  AkCredential *credential,
                                                  const AkCredentialSecrets *secrets,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);

/* Replaces the stored fields of @existing with those of @changes (same kind; its id is
 * ignored); @secrets NULL keeps the stored secrets. @existing is updated in place. */
void     ak_credential_store_update_async        (AkCredentialStore *self,
                                                  AkCredential *existing,
                                                  AkCredential *changes,
                                                  const AkCredentialSecrets *secrets,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
gboolean ak_credential_store_update_finish       (AkCredentialStore *self,
                                                  GAsyncResult *result,
                                                  GError **error);

void     ak_credential_store_delete_async        (AkCredentialStore *self,
                                                  AkCredential *credential,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
gboolean ak_credential_store_delete_finish       (AkCredentialStore *self,
                                                  GAsyncResult *result,
                                                  GError **error);

void     ak_credential_store_load_secrets_async  (AkCredentialStore *self,
                                                  AkCredential *credential,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
AkCredentialSecrets *ak_credential_store_load_secrets_finish (AkCredentialStore *self,
                                                              GAsyncResult *result,
                                                              GError **error);

G_END_DECLS
