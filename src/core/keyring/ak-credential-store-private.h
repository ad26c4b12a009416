/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-credential-kind-list.h"
#include "ak-credential-store.h"
#include "ak-secret-backend.h"

G_BEGIN_DECLS

/* For tests: a store over @backend that reports READY or LOCKED as a keyring would, even when
 * @backend is the memory one (whose failures and locking tests can then script). */
AkCredentialStore *ak_credential_store_new_with_backend (AkSecretBackend *backend);
AkSecretBackend   *ak_credential_store_get_backend      (AkCredentialStore *self);

/* Internal to the store, whose work is spread over the files named below. */

struct _AkCredentialStore
{
  GObject parent_instance;

  AkSecretBackend *backend;
  GListStore *model;
  /* id -> the attributes as last read from the keyring, to clear exactly that item */
  GHashTable *stored_attributes;

  AkKeyringState state;
  char *state_message;
  GError *unavailable_error;
  /* TRUE when items are kept in memory only: new_in_memory(), or no Secret Service. */
  gboolean session_only;
  gboolean loaded;
  gboolean load_queued;

  /* Loads queued and not yet started: a change seen now will be in what they read. */
  guint loads_waiting;

  GQueue queue;
  GTask *running;
  gulong collections_changed_id;
  gulong items_changed_id;
  /* Items changed outside: one reload once they stop coming for a moment. */
  GSource *outside_reload;

  /* The credentials of each kind, built once, for every picker to share. */
  AkCredentialKindList *kind_lists[2];
};

typedef enum
{
  OP_LOAD,
  OP_UNLOCK,
  OP_ADD,
  OP_UPDATE,
  OP_DELETE,
  OP_SECRETS,
} OpKind;

typedef struct
{
  OpKind kind;
  /* update, delete, secrets: the object in the model */
  AkCredential *target;
  /* add, update: the fields to write, with the id they are written under */
  AkCredential *credential;
  AkCredentialSecrets *secrets;
  GHashTable *attributes;
  GHashTable *old_attributes;
  SecretValue *value;
  /* load, unlock: what the search found, kept while the collection is checked */
  GPtrArray *items;
  /* unlock: whether the collection was unlocked, so the search need not prompt again */
  gboolean collection_unlocked;
  /* add: keep the credential's id and fields as they are (undoing a deletion) */
  gboolean restore;
} Op;

typedef enum
{
  PROBLEM_CANCELLED,
  PROBLEM_NO_BUS,
  PROBLEM_NO_SERVICE,
  PROBLEM_ACCESS_DENIED,
  PROBLEM_LOCKED,
  PROBLEM_NO_COLLECTION,
  PROBLEM_OTHER,
} Problem;

/* ak-credential-store.c: the object */
void          ak_store_set_state                   (AkCredentialStore *self,
                                                    AkKeyringState     state,
                                                    const char        *message);

/* ak-credential-store-errors.c: state messages and errors */
const char   *ak_store_ready_message               (void);
const char   *ak_store_locked_message              (void);
const char   *ak_store_no_collection_message       (void);
const char   *ak_store_session_only_message        (Problem problem);
Problem       ak_store_classify_error              (const GError *error);
const char   *ak_store_op_failure_sentence         (OpKind kind);
GError       *ak_store_keyring_error               (OpKind        kind,
                                                    Problem       problem,
                                                    const GError *cause);
GError       *ak_store_backend_error               (AkCredentialStore *self,
                                                    OpKind             kind,
                                                    const GError      *cause);
GError       *ak_store_locked_error                (OpKind kind);

/* ak-credential-store-queue.c: one operation at a time */
void          ak_store_op_free                     (Op *op);
void          ak_store_enqueue                     (AkCredentialStore *self,
                                                    GTask             *task);
void          ak_store_op_complete                 (AkCredentialStore *self,
                                                    GTask             *task);
void          ak_store_op_fail                     (AkCredentialStore *self,
                                                    GTask             *task,
                                                    GError            *error);
void          ak_store_op_fail_backend             (AkCredentialStore *self,
                                                    GTask             *task,
                                                    const GError      *cause);
GPtrArray    *ak_store_op_search_finish            (AkCredentialStore *self,
                                                    GTask             *task,
                                                    GObject           *backend,
                                                    GAsyncResult      *result);
GTask        *ak_store_op_task_new                 (AkCredentialStore   *self,
                                                    OpKind               kind,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data,
                                                    gpointer             source_tag);
void          ak_store_queue_load                  (AkCredentialStore *self,
                                                    GTask             *task);
void          ak_store_reload_after_outside_change (AkCredentialStore *self);
void          ak_store_cancel_outside_reload       (AkCredentialStore *self);
void          ak_store_items_changed_outside       (AkCredentialStore *self);
void          ak_store_ensure_loaded               (AkCredentialStore *self);

/* ak-credential-store-model.c: the model and the attributes behind it */
GHashTable   *ak_store_string_table_new            (void);
GHashTable   *ak_store_schema_attributes_copy      (GHashTable *attributes);
GHashTable   *ak_store_id_attributes               (const char *id);
gboolean      ak_store_find_position               (AkCredentialStore *self,
                                                    AkCredential      *credential,
                                                    guint             *position);
AkCredential *ak_store_find_by_id                  (AkCredentialStore *self,
                                                    const char        *id);
void          ak_store_keep_sorted                 (AkCredentialStore *self,
                                                    AkCredential      *credential);
void          ak_store_remember_attributes         (AkCredentialStore *self,
                                                    const char        *id,
                                                    GHashTable        *attributes);
gboolean      ak_store_item_is_ours                (const AkSecretItem *item);
gboolean      ak_store_merge_items                 (AkCredentialStore *self,
                                                    GPtrArray         *items);

/* ak-credential-store-load.c: load and unlock */
void          ak_store_start_load                  (AkCredentialStore *self,
                                                    GTask             *task,
                                                    gboolean           unlock);

/* ak-credential-store-write.c: writes, each read back */
void          ak_store_op_start                    (AkCredentialStore *self,
                                                    GTask             *task);

G_END_DECLS
