/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-clock.h"
#include "ak-core-enums.h"
#include "ak-credential-kind-list.h"
#include "ak-credential-private.h"
#include "ak-credential-store-private.h"
#include "ak-error.h"

/*
 * Operations run one at a time, in the order they were asked for: a write is stored, then
 * read back (attributes and secret) before the model changes, and the next operation sees
 * the model that results. Secrets stay in SecretValues and AkCredentialSecrets, both wiped
 * when freed; only attributes reach the model.
 */

G_DEFINE_FINAL_TYPE (AkCredentialStore, ak_credential_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_STATE_MESSAGE,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------------
 * State (its messages and the errors are in ak-credential-store-errors.c)
 */

void
ak_store_set_state (AkCredentialStore *self,
                    AkKeyringState     state,
                    const char        *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->state_message, message) != 0)
    {
      g_free (self->state_message);
      self->state_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* ---------------------------------------------------------------------------------------------
 * GObject
 */

static void
ak_credential_store_finalize (GObject *object)
{
  AkCredentialStore *self = AK_CREDENTIAL_STORE (object);

  g_assert (self->running == NULL && g_queue_is_empty (&self->queue));

  g_clear_signal_handler (&self->collections_changed_id, self->backend);
  g_clear_signal_handler (&self->items_changed_id, self->backend);
  ak_store_cancel_outside_reload (self);
  g_clear_object (&self->kind_lists[AK_CREDENTIAL_PROJECT]);
  g_clear_object (&self->kind_lists[AK_CREDENTIAL_CUSTOMER]);
  g_clear_object (&self->backend);
  g_clear_object (&self->model);
  g_clear_pointer (&self->stored_attributes, g_hash_table_unref);
  g_clear_pointer (&self->state_message, g_free);
  g_clear_error (&self->unavailable_error);

  G_OBJECT_CLASS (ak_credential_store_parent_class)->finalize (object);
}

static void
ak_credential_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AkCredentialStore *self = AK_CREDENTIAL_STORE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATE_MESSAGE:
      g_value_set_string (value, self->state_message);
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_credential_store_class_init (AkCredentialStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ak_credential_store_finalize;
  object_class->get_property = ak_credential_store_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, AK_TYPE_KEYRING_STATE, AK_KEYRING_STATE_UNKNOWN,
                       flags);
  properties[PROP_STATE_MESSAGE] = g_param_spec_string ("state-message", NULL, NULL, "", flags);
  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ak_credential_store_init (AkCredentialStore *self)
{
  self->model = g_list_store_new (AK_TYPE_CREDENTIAL);
  self->stored_attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                   (GDestroyNotify) g_hash_table_unref);
  self->state = AK_KEYRING_STATE_UNKNOWN;
  self->state_message = g_strdup ("");
  g_queue_init (&self->queue);
}

/**
 * ak_credential_store_new:
 * @schema_name: the libsecret schema name, i.e. the application ID
 *
 * Returns: (transfer full): a store over the system keyring; nothing is read until
 *   ak_credential_store_load_async() (or the first operation) runs.
 */
AkCredentialStore *
ak_credential_store_new (const char *schema_name)
{
  g_autoptr(AkSecretBackend) backend = NULL;

  g_return_val_if_fail (schema_name != NULL && *schema_name != '\0', NULL);

  backend = ak_secret_backend_new_libsecret (schema_name);
  return ak_credential_store_new_with_backend (backend);
}

AkCredentialStore *
ak_credential_store_new_in_memory (void)
{
  AkCredentialStore *self = g_object_new (AK_TYPE_CREDENTIAL_STORE, NULL);

  self->backend = ak_secret_backend_new_memory ();
  self->session_only = TRUE;
  /* The message is set now, the state only once loaded, as with a real keyring. */
  g_free (self->state_message);
  self->state_message = g_strdup (ak_store_session_only_message (PROBLEM_OTHER));
  return self;
}

AkCredentialStore *
ak_credential_store_new_with_backend (AkSecretBackend *backend)
{
  AkCredentialStore *self;

  g_return_val_if_fail (AK_IS_SECRET_BACKEND (backend), NULL);

  self = g_object_new (AK_TYPE_CREDENTIAL_STORE, NULL);
  self->backend = g_object_ref (backend);
  self->collections_changed_id =
    g_signal_connect_swapped (backend, "collections-changed",
                              G_CALLBACK (ak_store_reload_after_outside_change), self);
  self->items_changed_id =
    g_signal_connect_swapped (backend, "items-changed", G_CALLBACK (ak_store_items_changed_outside),
                              self);
  return self;
}

AkSecretBackend *
ak_credential_store_get_backend (AkCredentialStore *self)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (self), NULL);
  return self->backend;
}

AkKeyringState
ak_credential_store_get_state (AkCredentialStore *self)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (self), AK_KEYRING_STATE_UNKNOWN);
  return self->state;
}

const char *
ak_credential_store_get_state_message (AkCredentialStore *self)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (self), NULL);
  return self->state_message;
}

const GError *
ak_credential_store_get_unavailable_error (AkCredentialStore *self)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (self), NULL);
  return self->unavailable_error;
}

GListModel *
ak_credential_store_get_model (AkCredentialStore *self)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (self), NULL);
  return G_LIST_MODEL (self->model);
}

/**
 * ak_credential_store_get_kind_model:
 * @kind: projects or customer credentials
 *
 * Returns: (transfer none): a GListModel of the store's credentials of @kind, sorted by
 *   label and kept up to date like the store's model; the same object on every call, so
 *   that every picker shares it.
 */
GListModel *
ak_credential_store_get_kind_model (AkCredentialStore *self,
                                    AkCredentialKind   kind)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (self), NULL);
  g_return_val_if_fail (kind == AK_CREDENTIAL_PROJECT || kind == AK_CREDENTIAL_CUSTOMER, NULL);

  if (self->kind_lists[kind] == NULL)
    self->kind_lists[kind] = ak_credential_kind_list_new (G_LIST_MODEL (self->model), kind);
  return G_LIST_MODEL (self->kind_lists[kind]);
}

GListModel *
ak_credential_store_get_projects (AkCredentialStore *self)
{
  return ak_credential_store_get_kind_model (self, AK_CREDENTIAL_PROJECT);
}

/* Labels are compared ignoring case and surrounding white space: “Demo” and “demo ” are the
 * same project to a person. */
AkCredential *
ak_credential_store_find (AkCredentialStore *self,
                          AkCredentialKind   kind,
                          const char        *label)
{
  g_autofree char *folded = NULL;
  GListModel *model;
  guint n;

  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (self), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  folded = ak_credential_fold_label (label);
  model = G_LIST_MODEL (self->model);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (model, i);

      if (ak_credential_get_kind (credential) == kind
          && g_str_equal (ak_credential_get_folded_label (credential), folded))
        return credential;
    }
  return NULL;
}

/* The credential with this id (as the command line and window actions name them), or NULL. */
AkCredential *
ak_credential_store_find_by_id (AkCredentialStore *self,
                                const char        *id)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return ak_store_find_by_id (self, id);
}

AkCredential *
ak_credential_store_find_by_app_id (AkCredentialStore *self,
                                    const char        *app_id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (self), NULL);
  g_return_val_if_fail (app_id != NULL, NULL);

  model = G_LIST_MODEL (self->model);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (model, i);

      if (ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT
          && g_ascii_strcasecmp (ak_credential_get_app_id (credential), app_id) == 0)
        return credential;
    }
  return NULL;
}

/* Load, unlock, update and delete all finish the same way: with a boolean. */
static gboolean
finish_boolean (AkCredentialStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GTask *task;
  void (*then) (GTask *task);
} LoadThen;

static void
on_loaded_then (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LoadThen load_then = *(LoadThen *) user_data;
  GError *error = NULL;

  g_free (user_data);
  if (!ak_credential_store_load_finish (AK_CREDENTIAL_STORE (object), result, &error))
    {
      g_task_return_error (load_then.task, error);
      g_object_unref (load_then.task);
      return;
    }
  load_then.then (load_then.task);
}

void
ak_credential_store_load_then (AkCredentialStore *self,
                               GTask             *task,
                               void             (*then) (GTask *task))
{
  LoadThen *load_then;

  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (then != NULL);

  if (self->state != AK_KEYRING_STATE_UNKNOWN)
    {
      then (task);
      return;
    }
  load_then = g_new (LoadThen, 1);
  load_then->task = task;
  load_then->then = then;
  ak_credential_store_load_async (self, g_task_get_cancellable (task), on_loaded_then, load_then);
}

void
ak_credential_store_load_async (AkCredentialStore   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ak_store_queue_load (self, ak_store_op_task_new (self, OP_LOAD, cancellable, callback, user_data,
                                                   ak_credential_store_load_async));
}

gboolean
ak_credential_store_load_finish (AkCredentialStore  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  return finish_boolean (self, result, error);
}

/* Every queued operation but the load: @target is the stored credential it acts on (delete,
 * load-secrets, update), @credential and @secrets what it writes (add, restore, update). */
static void
enqueue_op (AkCredentialStore         *self,
            OpKind                     kind,
            AkCredential              *target,
            AkCredential              *credential,
            const AkCredentialSecrets *secrets,
            gboolean                   restore,
            GCancellable              *cancellable,
            GAsyncReadyCallback        callback,
            gpointer                   user_data,
            gpointer                   source_tag)
{
  GTask *task;
  Op *op;

  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = ak_store_op_task_new (self, kind, cancellable, callback, user_data, source_tag);
  op = g_task_get_task_data (task);
  op->target = target != NULL ? g_object_ref (target) : NULL;
  op->credential = credential != NULL ? ak_credential_copy (credential) : NULL;
  op->secrets = ak_credential_secrets_copy (secrets);
  op->restore = restore;
  ak_store_ensure_loaded (self);
  ak_store_enqueue (self, task);
}

void
ak_credential_store_unlock_async (AkCredentialStore   *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  enqueue_op (self, OP_UNLOCK, NULL, NULL, NULL, FALSE, cancellable, callback, user_data,
              ak_credential_store_unlock_async);
}

gboolean
ak_credential_store_unlock_finish (AkCredentialStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  return finish_boolean (self, result, error);
}

/* Both add and Undo's restore finish with ak_credential_store_add_finish(). */
void
ak_credential_store_add_async (AkCredentialStore         *self,
                               AkCredential              *credential,
                               const AkCredentialSecrets *secrets,
                               GCancellable              *cancellable,
                               GAsyncReadyCallback        callback,
                               gpointer                   user_data)
{
  g_return_if_fail (AK_IS_CREDENTIAL (credential));
  g_return_if_fail (secrets != NULL);

  enqueue_op (self, OP_ADD, NULL, credential, secrets, FALSE, cancellable, callback, user_data,
              ak_credential_store_add_async);
}

/**
 * ak_credential_store_add_finish:
 *
 * Returns: (transfer full): the credential as it is now in the model, with its id
 */
AkCredential *
ak_credential_store_add_finish (AkCredentialStore  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ak_credential_store_update_async (AkCredentialStore         *self,
                                  AkCredential              *existing,
                                  AkCredential              *changes,
                                  const AkCredentialSecrets *secrets,
                                  GCancellable              *cancellable,
                                  GAsyncReadyCallback        callback,
                                  gpointer                   user_data)
{
  g_return_if_fail (AK_IS_CREDENTIAL (existing));
  g_return_if_fail (AK_IS_CREDENTIAL (changes));

  enqueue_op (self, OP_UPDATE, existing, changes, secrets, FALSE, cancellable, callback,
              user_data, ak_credential_store_update_async);
}

/**
 * ak_credential_store_restore_async:
 *
 * Puts back a credential deleted a moment ago (Undo) exactly as it was: its id (unless
 * another credential took it since), every field including when a secondary certificate
 * was removed, and @secrets. Finish with ak_credential_store_add_finish().
 */
void
ak_credential_store_restore_async (AkCredentialStore         *self,
                                   AkCredential              *credential,
                                   const AkCredentialSecrets *secrets,
                                   GCancellable              *cancellable,
                                   GAsyncReadyCallback        callback,
                                   gpointer                   user_data)
{
  g_return_if_fail (AK_IS_CREDENTIAL (credential));
  g_return_if_fail (secrets != NULL);

  /* The same task as an add (its source tag too), so ak_credential_store_add_finish() takes it. */
  enqueue_op (self, OP_ADD, NULL, credential, secrets, TRUE, cancellable, callback, user_data,
              ak_credential_store_add_async);
}

gboolean
ak_credential_store_update_finish (AkCredentialStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  return finish_boolean (self, result, error);
}

void
ak_credential_store_delete_async (AkCredentialStore   *self,
                                  AkCredential        *credential,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (AK_IS_CREDENTIAL (credential));

  enqueue_op (self, OP_DELETE, credential, NULL, NULL, FALSE, cancellable, callback, user_data,
              ak_credential_store_delete_async);
}

gboolean
ak_credential_store_delete_finish (AkCredentialStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  return finish_boolean (self, result, error);
}

void
ak_credential_store_load_secrets_async (AkCredentialStore   *self,
                                        AkCredential        *credential,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (AK_IS_CREDENTIAL (credential));

  enqueue_op (self, OP_SECRETS, credential, NULL, NULL, FALSE, cancellable, callback, user_data,
              ak_credential_store_load_secrets_async);
}

/**
 * ak_credential_store_load_secrets_finish:
 *
 * Returns: (transfer full): the secrets; free them with ak_credential_secrets_free() as soon
 *   as they have been used
 */
AkCredentialSecrets *
ak_credential_store_load_secrets_finish (AkCredentialStore  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
