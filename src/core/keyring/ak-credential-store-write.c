/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-clock.h"
#include "ak-credential-private.h"
#include "ak-credential-store-private.h"
#include "ak-error.h"

/* ---------------------------------------------------------------------------------------------
 * Writes, each read back before the model changes
 */

static const AkSecretItem *
pick_read_back (GPtrArray   *items,
                GHashTable  *attributes,
                SecretValue *value)
{
  const char *expected;
  gsize expected_length;

  expected = secret_value_get (value, &expected_length);
  for (guint i = 0; i < items->len; i++)
    {
      AkSecretItem *item = g_ptr_array_index (items, i);
      const char *stored;
      gsize stored_length;

      if (item->secret == NULL || !ak_secret_attributes_include (item->attributes, attributes))
        continue;
      stored = secret_value_get (item->secret, &stored_length);
      if (ak_secret_equal (stored, stored_length, expected, expected_length))
        return item;
    }
  return NULL;
}

static GError *
read_back_error (OpKind kind)
{
  return g_error_new (AK_ERROR, AK_ERROR_FAILED, "%s %s", ak_store_op_failure_sentence (kind),
                      _("The keyring did not give back what was written, so it may not have "
                        "been kept. Try again; if it keeps failing, check the keyring in "
                        "Passwords and Keys (Seahorse)."));
}

static void
on_written_read_back (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = ak_store_op_search_finish (self, task, object, result);
  g_autoptr(AkCredential) stored = NULL;
  const AkSecretItem *item;
  const char *id;

  if (items == NULL)
    return;

  item = pick_read_back (items, op->attributes, op->value);
  if (item == NULL)
    {
      ak_store_op_fail (self, task, read_back_error (op->kind));
      return;
    }

  stored = ak_credential_new_from_attributes (item->attributes);
  id = ak_credential_get_id (stored);
  ak_store_remember_attributes (self, id, item->attributes);

  if (op->kind == OP_ADD)
    {
      g_list_store_insert_sorted (self->model, stored, ak_credential_compare, NULL);
      g_task_return_pointer (task, g_object_ref (stored), g_object_unref);
    }
  else
    {
      ak_credential_update_from (op->target, stored);
      ak_store_keep_sorted (self, op->target);
      g_task_return_boolean (task, TRUE);
    }
  ak_store_op_complete (self, task);
}

/* Searches the keyring for every item stored under @credential's id, for @task. */
static void
search_id_of (AkCredentialStore   *self,
              GTask               *task,
              AkCredential        *credential,
              AkSecretSearchFlags  flags,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback)
{
  g_autoptr(GHashTable) wanted = ak_store_id_attributes (ak_credential_get_id (credential));

  ak_secret_backend_search_async (self->backend, wanted, flags, cancellable, callback, task);
}

static void
read_back (AkCredentialStore *self,
           GTask             *task)
{
  Op *op = g_task_get_task_data (task);

  /* Not cancellable: once written, the model must learn of it even if the caller has gone. */
  search_id_of (self, task, op->credential, AK_SECRET_SEARCH_LOAD_SECRETS, NULL,
                on_written_read_back);
}

static void
on_delete_checked (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data);

/* An edit's old item or a deleted credential's items are gone: check what the keyring kept. */
static void
on_cleared (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ak_secret_backend_clear_finish (AK_SECRET_BACKEND (object), result, NULL, &error))
    ak_store_op_fail_backend (self, task, error);
  else if (op->kind == OP_DELETE)
    search_id_of (self, task, op->target, AK_SECRET_SEARCH_NONE, g_task_get_cancellable (task),
                  on_delete_checked);
  else
    read_back (self, task);
}

static gboolean
same_attributes (GHashTable *a,
                 GHashTable *b)
{
  return g_hash_table_size (a) == g_hash_table_size (b) && ak_secret_attributes_include (a, b);
}

static void
on_stored (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ak_secret_backend_store_finish (AK_SECRET_BACKEND (object), result, &error))
    {
      ak_store_op_fail_backend (self, task, error);
      return;
    }

  /* Items are matched by all their attributes, so an edit stored a second item next to
   * the old one: remove the old one, and only it, now that the new one is safe. */
  if (op->old_attributes != NULL && !same_attributes (op->old_attributes, op->attributes))
    {
      ak_secret_backend_clear_async (self->backend, op->old_attributes, NULL, on_cleared,
                                     task);
      return;
    }
  read_back (self, task);
}

static void
store_credential (AkCredentialStore *self,
                  GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  g_autofree char *item_label = ak_credential_dup_item_label (op->credential);

  g_clear_pointer (&op->attributes, g_hash_table_unref);
  op->attributes = ak_credential_to_attributes (op->credential);
  ak_secret_backend_store_async (self->backend, op->attributes, item_label, op->value,
                                 g_task_get_cancellable (task), on_stored, task);
}

static gboolean
check_writable (AkCredentialStore  *self,
                OpKind              kind,
                GError            **error)
{
  /* A locked keyring would answer a write with a prompt or a failure: say so up front. */
  if (self->state == AK_KEYRING_STATE_LOCKED)
    {
      g_propagate_error (error, ak_store_locked_error (kind));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_label_free (AkCredentialStore  *self,
                  AkCredential       *credential,
                  AkCredential       *except,
                  GError            **error)
{
  AkCredentialKind kind = ak_credential_get_kind (credential);
  AkCredential *other = ak_credential_store_find (self, kind, ak_credential_get_label (credential));
  g_autofree char *label = NULL;

  if (other == NULL || other == except)
    return TRUE;

  label = g_strstrip (g_strdup (ak_credential_get_label (credential)));
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               kind == AK_CREDENTIAL_PROJECT ? _("A project named “%s” already exists.")
                                             : _("A customer credential named “%s” already "
                                                 "exists."),
               label);
  return FALSE;
}

static GError *
gone_error (AkCredential *credential)
{
  g_autofree char *label = g_strstrip (g_strdup (ak_credential_get_label (credential)));

  return g_error_new (AK_ERROR, AK_ERROR_NOT_FOUND,
                      _("“%s” is no longer in the keyring; it may have been deleted by another "
                        "program."), label);
}

/* Fails @task, and says so, when its target has left the model since it was queued. */
static gboolean
fail_if_target_gone (AkCredentialStore *self,
                     GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  guint position;

  if (ak_store_find_position (self, op->target, &position))
    return FALSE;
  ak_store_op_fail (self, task, gone_error (op->target));
  return TRUE;
}

/* Encodes the secrets into a SecretValue (libsecret keeps it in memory it wipes) and wipes
 * every other copy. */
static void
take_secrets (Op *op)
{
  AkCredentialKind kind = ak_credential_get_kind (op->credential);
  const char *content_type;
  char *encoded;

  /* Dropping a secondary certificate is remembered (not the certificate): tokens signed with
   * it stop working at once, and the token doctor can say why. */
  if (op->target != NULL)
    {
      gint64 removed = ak_credential_get_secondary_removed_at (op->target);

      if (kind == AK_CREDENTIAL_PROJECT && ak_credential_get_has_secondary (op->target)
          && !ak_credential_secrets_has_secondary (op->secrets))
        removed = ak_clock_now_unix ();
      ak_credential_set_secondary_removed_at (op->credential, removed);
    }
  ak_credential_set_has_secondary (op->credential,
                                   kind == AK_CREDENTIAL_PROJECT
                                   && ak_credential_secrets_has_secondary (op->secrets));
  encoded = ak_credential_secrets_encode (op->secrets, kind, &content_type);
  op->value = secret_value_new (encoded, -1, content_type);
  ak_secret_string_free (encoded);
  g_clear_pointer (&op->secrets, ak_credential_secrets_free);
}

/* The item of @id that the model describes, or else the newest readable one. */
static const AkSecretItem *
pick_stored (AkCredentialStore *self,
             GPtrArray         *items,
             const char        *id,
             gboolean          *locked)
{
  GHashTable *known = g_hash_table_lookup (self->stored_attributes, id);
  const AkSecretItem *best = NULL;

  *locked = FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const AkSecretItem *item = g_ptr_array_index (items, i);

      if (!ak_store_item_is_ours (item))
        continue;
      *locked |= item->locked;
      if (item->secret == NULL)
        continue;
      if (known != NULL && ak_secret_attributes_include (item->attributes, known))
        return item;
      if (best == NULL || item->modified > best->modified)
        best = item;
    }
  return best;
}

/* The answer to a search for @task's target (an update or a secrets load): its item, kept
 * alive by @items, or NULL once @task has failed because the search failed, the item is
 * gone, or (when @locked_matters) the keyring holding it is locked. */
static const AkSecretItem *
finish_target_search (AkCredentialStore  *self,
                      GTask              *task,
                      GObject            *backend,
                      GAsyncResult       *result,
                      gboolean            locked_matters,
                      GPtrArray         **items)
{
  Op *op = g_task_get_task_data (task);
  const AkSecretItem *item;
  gboolean locked;

  *items = ak_store_op_search_finish (self, task, backend, result);
  if (*items == NULL)
    return NULL;

  item = pick_stored (self, *items, ak_credential_get_id (op->target), &locked);
  if (item == NULL && locked && locked_matters)
    {
      ak_store_set_state (self, AK_KEYRING_STATE_LOCKED, ak_store_locked_message ());
      ak_store_op_fail (self, task, ak_store_locked_error (op->kind));
    }
  else if (item == NULL)
    ak_store_op_fail (self, task, gone_error (op->target));
  return item;
}

static void
start_add (AkCredentialStore *self,
           GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  g_autofree char *id = NULL;
  GError *error = NULL;

  if (!ak_credential_validate (op->credential, &error)
      || !ak_credential_secrets_validate (op->secrets, ak_credential_get_kind (op->credential),
                                          &error)
      || !check_label_free (self, op->credential, NULL, &error)
      || !check_writable (self, OP_ADD, &error))
    {
      ak_store_op_fail (self, task, error);
      return;
    }

  /* Undo puts a deleted credential back under its id, so that what referred to it (the
   * last project chosen, history) finds it again; a fresh id only if another took it. */
  if (op->restore && *ak_credential_get_id (op->credential) != '\0'
      && ak_store_find_by_id (self, ak_credential_get_id (op->credential)) == NULL)
    id = g_strdup (ak_credential_get_id (op->credential));
  else
    id = g_uuid_string_random ();
  ak_credential_set_id (op->credential, id);
  take_secrets (op);
  store_credential (self, task);
}

static void
on_update_secret_loaded (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  const AkSecretItem *item;

  item = finish_target_search (self, task, object, result, TRUE, &items);
  if (item == NULL)
    return;

  op->value = secret_value_ref (item->secret);
  store_credential (self, task);
}

static void
start_update (AkCredentialStore *self,
              GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  AkCredentialKind kind = ak_credential_get_kind (op->target);
  const char *id = ak_credential_get_id (op->target);
  GHashTable *known;
  GError *error = NULL;

  if (fail_if_target_gone (self, task))
    return;
  if (ak_credential_get_kind (op->credential) != kind)
    {
      ak_store_op_fail (self, task, g_error_new_literal (AK_ERROR, AK_ERROR_INVALID_INPUT,
                                                         _("A project cannot become a customer "
                                                           "credential, nor the reverse; add a new "
                                                           "one instead.")));
      return;
    }

  ak_credential_set_id (op->credential, id);
  if (!ak_credential_validate (op->credential, &error)
      || (op->secrets != NULL && !ak_credential_secrets_validate (op->secrets, kind, &error))
      || !check_label_free (self, op->credential, op->target, &error)
      || !check_writable (self, OP_UPDATE, &error))
    {
      ak_store_op_fail (self, task, error);
      return;
    }

  known = g_hash_table_lookup (self->stored_attributes, id);
  op->old_attributes = known != NULL ? ak_store_schema_attributes_copy (known)
                                     : ak_credential_to_attributes (op->target);

  if (op->secrets != NULL)
    {
      take_secrets (op);
      store_credential (self, task);
    }
  else
    {
      ak_credential_set_has_secondary (op->credential,
                                       ak_credential_get_has_secondary (op->target));
      ak_credential_set_secondary_removed_at (op->credential,
                                              ak_credential_get_secondary_removed_at (op->target));
      search_id_of (self, task, op->target, AK_SECRET_SEARCH_LOAD_SECRETS,
                    g_task_get_cancellable (task), on_update_secret_loaded);
    }
}

static void
on_delete_checked (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = ak_store_op_search_finish (self, task, object, result);
  guint position;

  if (items == NULL)
    return;
  for (guint i = 0; i < items->len; i++)
    if (ak_store_item_is_ours (g_ptr_array_index (items, i)))
      {
        ak_store_op_fail (self, task, read_back_error (OP_DELETE));
        return;
      }

  g_hash_table_remove (self->stored_attributes, ak_credential_get_id (op->target));
  if (ak_store_find_position (self, op->target, &position))
    g_list_store_remove (self->model, position);
  g_task_return_boolean (task, TRUE);
  ak_store_op_complete (self, task);
}

static void
start_delete (AkCredentialStore *self,
              GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) wanted = ak_store_id_attributes (ak_credential_get_id (op->target));
  GError *error = NULL;

  if (fail_if_target_gone (self, task))
    return;
  if (!check_writable (self, OP_DELETE, &error))
    {
      ak_store_op_fail (self, task, error);
      return;
    }

  /* Every item with this id, including a copy an interrupted edit may have left. */
  ak_secret_backend_clear_async (self->backend, wanted, g_task_get_cancellable (task),
                                 on_cleared, task);
}

static void
on_secrets_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  AkCredentialSecrets *secrets;
  const AkSecretItem *item;
  const char *data;
  gsize length;

  /* A session-only store has nothing on disk to unlock: a locked item there is gone. */
  item = finish_target_search (self, task, object, result, !self->session_only, &items);
  if (item == NULL)
    return;

  data = secret_value_get (item->secret, &length);
  secrets = ak_credential_secrets_decode (data, length, ak_credential_get_kind (op->target),
                                          &error);
  if (secrets == NULL)
    {
      ak_store_op_fail (self, task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, secrets, (GDestroyNotify) ak_credential_secrets_free);
  ak_store_op_complete (self, task);
}

static void
start_secrets (AkCredentialStore *self,
               GTask             *task)
{
  Op *op = g_task_get_task_data (task);

  if (fail_if_target_gone (self, task))
    return;
  search_id_of (self, task, op->target, AK_SECRET_SEARCH_LOAD_SECRETS,
                g_task_get_cancellable (task), on_secrets_loaded);
}

void
ak_store_op_start (AkCredentialStore *self,
                   GTask             *task)
{
  Op *op = g_task_get_task_data (task);

  switch (op->kind)
    {
    case OP_LOAD:
      ak_store_start_load (self, task, FALSE);
      break;
    case OP_UNLOCK:
      ak_store_start_load (self, task, TRUE);
      break;
    case OP_ADD:
      start_add (self, task);
      break;
    case OP_UPDATE:
      start_update (self, task);
      break;
    case OP_DELETE:
      start_delete (self, task);
      break;
    case OP_SECRETS:
      start_secrets (self, task);
      break;
    default:
      g_assert_not_reached ();
    }
}
