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

static void op_start (AkCredentialStore *self, GTask *task);

static void
op_free (Op *op)
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

/* ---------------------------------------------------------------------------------------------
 * State and errors
 */

static void
set_state (AkCredentialStore *self,
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

static const char *
ready_message (void)
{
  return _("Credentials are kept in the system keyring.");
}

static const char *
locked_message (void)
{
  return _("The keyring is locked. Unlock it to use or change your credentials; nothing is "
           "lost while it stays locked.");
}

static const char *
no_collection_message (void)
{
  return _("The keyring has no default collection to keep credentials in: the login keyring "
           "was never set up, or the default keyring was removed. Create a default keyring in "
           "Passwords and Keys (Seahorse), or log in once with a password.");
}

static const char *
session_only_message (Problem problem)
{
  switch (problem)
    {
    case PROBLEM_NO_BUS:
      return _("Credentials will not be kept after Agora Keys closes: there is no D-Bus "
               "session bus, so no Secret Service can be reached. To keep them, run Agora Keys "
               "in a desktop session with gnome-keyring (or another Secret Service such as "
               "KeePassXC) running.");
    case PROBLEM_ACCESS_DENIED:
      return _("Credentials will not be kept after Agora Keys closes: access to the Secret "
               "Service was refused. To keep them, allow Agora Keys to talk to "
               "org.freedesktop.secrets, or run it outside the sandbox.");
    case PROBLEM_NO_SERVICE:
      return _("Credentials will not be kept after Agora Keys closes: no Secret Service is "
               "running. To keep them, install gnome-keyring (or another Secret Service such "
               "as KeePassXC) and log in again.");
    case PROBLEM_CANCELLED:
    case PROBLEM_LOCKED:
    case PROBLEM_NO_COLLECTION:
    case PROBLEM_OTHER:
    default:
      return _("Credentials are kept in memory only and will not be kept after Agora Keys "
               "closes.");
    }
}

static gboolean
remote_error_is (const char *remote,
                 const char *name)
{
  return remote != NULL && g_str_equal (remote, name);
}

/* By domain, code and D-Bus error name only: messages are translated and change. */
static Problem
classify_error (const GError *error)
{
  g_autofree char *remote = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return PROBLEM_CANCELLED;
  if (g_error_matches (error, AK_SECRET_BACKEND_ERROR, AK_SECRET_BACKEND_ERROR_NO_BUS))
    return PROBLEM_NO_BUS;
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return PROBLEM_LOCKED;
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    return PROBLEM_NO_COLLECTION;

  if (error->domain == G_DBUS_ERROR)
    switch ((GDBusError) error->code)
      {
      case G_DBUS_ERROR_SERVICE_UNKNOWN:
      case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
      case G_DBUS_ERROR_NO_SERVER:
      case G_DBUS_ERROR_DISCONNECTED:
      case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
      case G_DBUS_ERROR_SPAWN_FORK_FAILED:
      case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
      case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
      case G_DBUS_ERROR_SPAWN_FAILED:
      case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
      case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
      case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
      case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
      case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
      case G_DBUS_ERROR_SPAWN_FILE_INVALID:
      case G_DBUS_ERROR_SPAWN_NO_MEMORY:
        return PROBLEM_NO_SERVICE;
      case G_DBUS_ERROR_ACCESS_DENIED:
      case G_DBUS_ERROR_AUTH_FAILED:
        return PROBLEM_ACCESS_DENIED;
      case G_DBUS_ERROR_UNKNOWN_METHOD:
      case G_DBUS_ERROR_UNKNOWN_OBJECT:
        return PROBLEM_NO_COLLECTION;
      default:
        break;
      }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    return PROBLEM_NO_SERVICE;

  remote = g_dbus_error_get_remote_error (error);
  if (remote_error_is (remote, "org.freedesktop.DBus.Error.ServiceUnknown")
      || remote_error_is (remote, "org.freedesktop.DBus.Error.NameHasNoOwner"))
    return PROBLEM_NO_SERVICE;
  if (remote_error_is (remote, "org.freedesktop.DBus.Error.AccessDenied"))
    return PROBLEM_ACCESS_DENIED;
  if (remote_error_is (remote, "org.freedesktop.Secret.Error.IsLocked"))
    return PROBLEM_LOCKED;
  if (remote_error_is (remote, "org.freedesktop.Secret.Error.NoSuchObject")
      || remote_error_is (remote, "org.freedesktop.DBus.Error.UnknownMethod")
      || remote_error_is (remote, "org.freedesktop.DBus.Error.UnknownObject"))
    return PROBLEM_NO_COLLECTION;

  return PROBLEM_OTHER;
}

static const char *
op_failure_sentence (OpKind kind)
{
  switch (kind)
    {
    case OP_LOAD:
      return _("Could not read your credentials from the keyring.");
    case OP_UNLOCK:
      return _("Could not unlock the keyring.");
    case OP_ADD:
    case OP_UPDATE:
      return _("Could not save the credential in the keyring.");
    case OP_DELETE:
      return _("Could not delete the credential from the keyring.");
    case OP_SECRETS:
    default:
      return _("Could not read the credential’s secrets from the keyring.");
    }
}

/* A sentence that says what happened and what to do, with the library's own words kept at
 * the end as context. Cancellation is returned as it is, since callers stay silent on it. */
static GError *
keyring_error (OpKind        kind,
               Problem       problem,
               const GError *cause)
{
  const char *advice;
  AkError code;

  if (problem == PROBLEM_CANCELLED)
    return g_error_copy (cause);

  switch (problem)
    {
    case PROBLEM_NO_BUS:
      code = AK_ERROR_KEYRING_UNAVAILABLE;
      advice = _("There is no D-Bus session bus, so no Secret Service can be reached. Run "
                 "Agora Keys in a desktop session with gnome-keyring (or another Secret "
                 "Service such as KeePassXC).");
      break;
    case PROBLEM_NO_SERVICE:
      code = AK_ERROR_KEYRING_UNAVAILABLE;
      advice = _("No Secret Service is running. Install gnome-keyring (or another Secret "
                 "Service such as KeePassXC) and log in again.");
      break;
    case PROBLEM_ACCESS_DENIED:
      code = AK_ERROR_KEYRING_UNAVAILABLE;
      advice = _("Access to the Secret Service was refused. Allow Agora Keys to talk to "
                 "org.freedesktop.secrets.");
      break;
    case PROBLEM_LOCKED:
      code = AK_ERROR_KEYRING_LOCKED;
      advice = _("The keyring is locked. Unlock it, then try again; nothing was changed.");
      break;
    case PROBLEM_NO_COLLECTION:
      code = AK_ERROR_KEYRING_UNAVAILABLE;
      advice = _("The keyring has no default collection: the login keyring was never set "
                 "up. Log in once with a password, or create a default keyring in Passwords "
                 "and Keys (Seahorse).");
      break;
    case PROBLEM_CANCELLED:
    case PROBLEM_OTHER:
    default:
      code = AK_ERROR_FAILED;
      advice = NULL;
      break;
    }

  if (advice == NULL)
    return g_error_new (AK_ERROR, code, "%s (%s)", op_failure_sentence (kind), cause->message);
  return g_error_new (AK_ERROR, code, "%s %s (%s)", op_failure_sentence (kind), advice,
                      cause->message);
}

/* Maps a backend failure and lets the state follow what it revealed. */
static GError *
backend_error (AkCredentialStore *self,
               OpKind             kind,
               const GError      *cause)
{
  Problem problem = classify_error (cause);

  if (problem == PROBLEM_LOCKED && !self->session_only)
    set_state (self, AK_KEYRING_STATE_LOCKED, locked_message ());
  return keyring_error (kind, problem, cause);
}

static GError *
locked_error (OpKind kind)
{
  return g_error_new (AK_ERROR, AK_ERROR_KEYRING_LOCKED, "%s %s", op_failure_sentence (kind),
                      _("The keyring is locked. Unlock it, then try again; nothing was "
                        "changed."));
}

/* ---------------------------------------------------------------------------------------------
 * The queue
 */

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
      op_start (self, task);
    }
}

static void
enqueue (AkCredentialStore *self,
         GTask             *task)
{
  g_queue_push_tail (&self->queue, task);
  run_next (self);
}

/* Called once the task has its result. */
static void
op_complete (AkCredentialStore *self,
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

static void
op_fail (AkCredentialStore *self,
         GTask             *task,
         GError            *error)
{
  g_task_return_error (task, error);
  op_complete (self, task);
}

static GTask *
op_task_new (AkCredentialStore   *self,
             OpKind               kind,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return task;
}

static void
queue_load (AkCredentialStore *self,
            GTask             *task)
{
  self->load_queued = TRUE;
  self->loads_waiting++;
  enqueue (self, task);
}

/* The keyring was unlocked at login or in Seahorse, locked, or given a default collection:
 * read it again, once, so that the list and the state follow without a click. A store
 * that was never loaded stays unread. */
static void
reload_after_outside_change (AkCredentialStore *self)
{
  if (!self->loaded || self->loads_waiting > 0 || self->session_only)
    return;
  queue_load (self, op_task_new (self, OP_LOAD, NULL, NULL, NULL,
                                 reload_after_outside_change));
}

/* The same reload for items added, changed or deleted by another program (the command line,
 * secret-tool, Seahorse), once the signals stop for a moment: a batch of items (or an edit,
 * which stores one item and removes another) makes one search, not one per item. Our own
 * writes are heard too; the search then finds what the model already shows, and changes
 * nothing. */
#define OUTSIDE_CHANGE_DELAY_MS 250

static void
cancel_outside_reload (AkCredentialStore *self)
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
  reload_after_outside_change (self);
  return G_SOURCE_REMOVE;
}

static void
items_changed_outside (AkCredentialStore *self)
{
  /* On the context the signal came on, which is the store's (not always the default). */
  cancel_outside_reload (self);
  self->outside_reload = g_timeout_source_new (OUTSIDE_CHANGE_DELAY_MS);
  g_source_set_callback (self->outside_reload, outside_change_settled, self, NULL);
  g_source_set_static_name (self->outside_reload, "[ak-store] outside change");
  g_source_attach (self->outside_reload, g_main_context_get_thread_default ());
}

/* Writes need the model (label uniqueness) and the state (locked): load first. */
static void
ensure_loaded (AkCredentialStore *self)
{
  if (self->loaded || self->load_queued)
    return;
  queue_load (self, op_task_new (self, OP_LOAD, NULL, NULL, NULL, ensure_loaded));
}

/* ---------------------------------------------------------------------------------------------
 * Model
 */

static GHashTable *
string_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Only the schema's attributes: libsecret refuses (with a critical warning) any other. */
static GHashTable *
schema_attributes_copy (GHashTable *attributes)
{
  GHashTable *copy = string_table_new ();

  for (guint i = 0; i < AK_CREDENTIAL_N_ATTRIBUTES; i++)
    {
      const char *value = g_hash_table_lookup (attributes, ak_credential_attribute_names[i]);

      if (value != NULL)
        g_hash_table_insert (copy, g_strdup (ak_credential_attribute_names[i]),
                             g_strdup (value));
    }
  return copy;
}

static GHashTable *
id_attributes (const char *id)
{
  GHashTable *attributes = string_table_new ();

  g_hash_table_insert (attributes, g_strdup (AK_ATTR_ID), g_strdup (id));
  return attributes;
}

static gboolean
attributes_include (GHashTable *attributes,
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

static gboolean
find_position (AkCredentialStore *self,
               AkCredential      *credential,
               guint             *position)
{
  return g_list_store_find (self->model, credential, position);
}

static AkCredential *
find_by_id (AkCredentialStore *self,
            const char        *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (G_LIST_MODEL (self->model), i);

      if (g_str_equal (ak_credential_get_id (credential), id))
        return credential;
    }
  return NULL;
}

static gboolean
in_order_at (AkCredentialStore *self,
             guint              position)
{
  GListModel *model = G_LIST_MODEL (self->model);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(AkCredential) item = g_list_model_get_item (model, position);

  if (position > 0)
    {
      g_autoptr(AkCredential) before = g_list_model_get_item (model, position - 1);
      if (ak_credential_compare (before, item, NULL) > 0)
        return FALSE;
    }
  if (position + 1 < n)
    {
      g_autoptr(AkCredential) after = g_list_model_get_item (model, position + 1);
      if (ak_credential_compare (item, after, NULL) > 0)
        return FALSE;
    }
  return TRUE;
}

static void
keep_sorted (AkCredentialStore *self,
             AkCredential      *credential)
{
  guint position;

  if (!find_position (self, credential, &position) || in_order_at (self, position))
    return;

  g_object_ref (credential);
  g_list_store_remove (self->model, position);
  g_list_store_insert_sorted (self->model, credential, ak_credential_compare, NULL);
  g_object_unref (credential);
}

static void
remember_attributes (AkCredentialStore *self,
                     const char        *id,
                     GHashTable        *attributes)
{
  g_hash_table_replace (self->stored_attributes, g_strdup (id),
                        schema_attributes_copy (attributes));
}

static gint
compare_indirect (gconstpointer a,
                  gconstpointer b)
{
  return ak_credential_compare (*(AkCredential * const *) a, *(AkCredential * const *) b, NULL);
}

static gboolean
item_is_ours (const AkSecretItem *item)
{
  AkCredentialKind kind;
  const char *id = g_hash_table_lookup (item->attributes, AK_ATTR_ID);

  return id != NULL && *id != '\0'
         && ak_credential_kind_from_string (g_hash_table_lookup (item->attributes, AK_ATTR_KIND),
                                            &kind);
}

/* Brings the model in line with @items (a full search), keeping the objects of credentials
 * that are still there so that views and their selection survive. Returns whether any item
 * is locked. */
static gboolean
merge_items (AkCredentialStore *self,
             GPtrArray         *items)
{
  g_autoptr(GHashTable) newest = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = G_LIST_MODEL (self->model);
  gboolean any_locked = FALSE;
  GHashTableIter iter;
  gpointer value;

  /* An update that could not remove the previous copy leaves two items with one id. */
  for (guint i = 0; i < items->len; i++)
    {
      AkSecretItem *item = g_ptr_array_index (items, i);
      const char *id;
      AkSecretItem *seen;

      if (!item_is_ours (item))
        continue;
      any_locked |= item->locked;
      id = g_hash_table_lookup (item->attributes, AK_ATTR_ID);
      seen = g_hash_table_lookup (newest, id);
      if (seen == NULL || item->modified > seen->modified)
        g_hash_table_insert (newest, (char *) id, item);
    }

  g_hash_table_remove_all (self->stored_attributes);
  g_hash_table_iter_init (&iter, newest);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      AkSecretItem *item = value;

      remember_attributes (self, g_hash_table_lookup (item->attributes, AK_ATTR_ID),
                           item->attributes);
      g_ptr_array_add (fresh, ak_credential_new_from_attributes (item->attributes));
    }

  if (g_list_model_get_n_items (model) == 0)
    {
      /* The first load: one sort and one items-changed for the whole list. */
      g_ptr_array_sort (fresh, compare_indirect);
      g_list_store_splice (self->model, 0, 0, fresh->pdata, fresh->len);
      return any_locked;
    }

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (model, i - 1);

      if (!g_hash_table_contains (newest, ak_credential_get_id (credential)))
        g_list_store_remove (self->model, i - 1);
    }

  for (guint i = 0; i < fresh->len; i++)
    {
      AkCredential *credential = g_ptr_array_index (fresh, i);
      AkCredential *existing = find_by_id (self, ak_credential_get_id (credential));

      if (existing != NULL)
        {
          ak_credential_update_from (existing, credential);
          keep_sorted (self, existing);
        }
      else
        g_list_store_insert_sorted (self->model, credential, ak_credential_compare, NULL);
    }

  return any_locked;
}

/* ---------------------------------------------------------------------------------------------
 * Load and unlock
 */

static void
switch_to_session_only (AkCredentialStore *self,
                        Problem            problem,
                        const GError      *cause)
{
  g_clear_error (&self->unavailable_error);
  self->unavailable_error = keyring_error (OP_LOAD, problem, cause);
  g_clear_signal_handler (&self->collections_changed_id, self->backend);
  g_clear_signal_handler (&self->items_changed_id, self->backend);
  cancel_outside_reload (self);
  g_clear_object (&self->backend);
  self->backend = ak_secret_backend_new_memory ();
  self->session_only = TRUE;
  set_state (self, AK_KEYRING_STATE_SESSION_ONLY, session_only_message (problem));
}

/* @collection: the default collection's state, which tells an empty keyring from one
 * locked since it was read from disk (gnome-keyring's searches then find nothing). */
static void
apply_search (AkCredentialStore       *self,
              GPtrArray               *items,
              AkSecretCollectionState  collection)
{
  gboolean locked = merge_items (self, items);

  if (self->session_only)
    set_state (self, AK_KEYRING_STATE_SESSION_ONLY, self->state_message);
  else if (locked || collection == AK_SECRET_COLLECTION_LOCKED)
    set_state (self, AK_KEYRING_STATE_LOCKED, locked_message ());
  else if (collection == AK_SECRET_COLLECTION_MISSING)
    set_state (self, AK_KEYRING_STATE_NO_COLLECTION, no_collection_message ());
  else
    set_state (self, AK_KEYRING_STATE_READY, ready_message ());
}

static void
on_unlock_checked (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data);

static void
on_load_checked (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data);

/* After a search: the collection's own state, then the model and the state. */
static void
check_collection (AkCredentialStore *self,
                  GTask             *task,
                  GPtrArray         *items)
{
  Op *op = g_task_get_task_data (task);

  op->items = g_ptr_array_ref (items);
  ak_secret_backend_get_collection_state_async (self->backend, g_task_get_cancellable (task),
                                                op->kind == OP_UNLOCK ? on_unlock_checked
                                                                      : on_load_checked,
                                                task);
}

/* Cancellation stops the load; another failure leaves the search to speak for itself, as
 * it did before collections were checked. */
static gboolean
finish_collection_check (AkCredentialStore        *self,
                         GTask                    *task,
                         GAsyncResult             *result,
                         AkSecretCollectionState  *collection)
{
  g_autoptr(GError) error = NULL;

  *collection = ak_secret_backend_get_collection_state_finish (self->backend, result, &error);
  if (error == NULL)
    return TRUE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      op_fail (self, task, g_steal_pointer (&error));
      return FALSE;
    }
  g_debug ("Could not check the default collection: %s", error->message);
  *collection = AK_SECRET_COLLECTION_NONE;
  return TRUE;
}

static void
on_load_checked (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  AkSecretCollectionState collection;

  if (!finish_collection_check (self, task, result, &collection))
    return;
  apply_search (self, op->items, collection);
  self->loaded = TRUE;
  g_task_return_boolean (task, TRUE);
  op_complete (self, task);
}

static void
on_load_searched (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = ak_secret_backend_search_finish (AK_SECRET_BACKEND (object), result, &error);
  self->load_queued = FALSE;

  if (items == NULL)
    {
      Problem problem = classify_error (error);

      switch (problem)
        {
        case PROBLEM_NO_BUS:
        case PROBLEM_NO_SERVICE:
        case PROBLEM_ACCESS_DENIED:
          /* Never a plaintext fallback: memory, and a state that says so. */
          if (!self->session_only)
            switch_to_session_only (self, problem, error);
          self->loaded = TRUE;
          g_task_return_boolean (task, TRUE);
          break;
        case PROBLEM_LOCKED:
          set_state (self, AK_KEYRING_STATE_LOCKED, locked_message ());
          self->loaded = TRUE;
          g_task_return_boolean (task, TRUE);
          break;
        case PROBLEM_CANCELLED:
        case PROBLEM_NO_COLLECTION:
        case PROBLEM_OTHER:
        default:
          g_task_return_error (task, keyring_error (OP_LOAD, problem, error));
          break;
        }
      op_complete (self, task);
      return;
    }

  if (self->session_only)
    {
      apply_search (self, items, AK_SECRET_COLLECTION_NONE);
      self->loaded = TRUE;
      g_task_return_boolean (task, TRUE);
      op_complete (self, task);
      return;
    }
  check_collection (self, task, items);
}

static void
on_unlock_searched (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = ak_secret_backend_search_finish (AK_SECRET_BACKEND (object), result, &error);
  if (items == NULL)
    {
      op_fail (self, task, backend_error (self, OP_UNLOCK, error));
      return;
    }
  check_collection (self, task, items);
}

static void
on_unlock_checked (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  AkSecretCollectionState collection;

  if (!finish_collection_check (self, task, result, &collection))
    return;
  apply_search (self, op->items, collection);
  self->loaded = TRUE;

  /* A dismissed or failed prompt is not an error to libsecret: the items just stay locked. */
  if (self->state == AK_KEYRING_STATE_LOCKED)
    {
      op_fail (self, task,
               g_error_new_literal (AK_ERROR, AK_ERROR_KEYRING_LOCKED,
                                    _("The keyring is still locked: the password prompt was "
                                      "cancelled or could not be shown. Nothing was changed; "
                                      "use Unlock to try again.")));
      return;
    }

  g_task_return_boolean (task, TRUE);
  op_complete (self, task);
}

static void
search_all (AkCredentialStore *self,
            GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) all = string_table_new ();
  AkSecretSearchFlags flags = AK_SECRET_SEARCH_NONE;

  /* Items locked elsewhere are unlocked by the search, unless the user has just dismissed
   * the collection's prompt: one prompt per click. */
  if (op->kind == OP_UNLOCK && op->collection_unlocked)
    flags = AK_SECRET_SEARCH_UNLOCK;
  ak_secret_backend_search_async (self->backend, all, flags, g_task_get_cancellable (task),
                                  op->kind == OP_UNLOCK ? on_unlock_searched : on_load_searched,
                                  task);
}

static void
on_collection_unlocked (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->collection_unlocked = ak_secret_backend_unlock_finish (AK_SECRET_BACKEND (object), result,
                                                             &error);
  if (error != NULL)
    {
      op_fail (self, task, backend_error (self, OP_UNLOCK, error));
      return;
    }
  search_all (self, task);
}

static void
start_load (AkCredentialStore *self,
            GTask             *task,
            gboolean           unlock)
{
  if (unlock && self->session_only)
    {
      op_fail (self, task, g_error_new (AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE, "%s %s",
                                        op_failure_sentence (OP_UNLOCK),
                                        self->state_message));
      return;
    }

  /* The collection first: a collection locked since it was read from disk has no items
   * a search could find, and so none to unlock. */
  if (unlock)
    ak_secret_backend_unlock_async (self->backend, g_task_get_cancellable (task),
                                    on_collection_unlocked, task);
  else
    search_all (self, task);
}

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

      if (item->secret == NULL || !attributes_include (item->attributes, attributes))
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
  return g_error_new (AK_ERROR, AK_ERROR_FAILED, "%s %s", op_failure_sentence (kind),
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
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkCredential) stored = NULL;
  const AkSecretItem *item;
  const char *id;

  items = ak_secret_backend_search_finish (AK_SECRET_BACKEND (object), result, &error);
  if (items == NULL)
    {
      op_fail (self, task, backend_error (self, op->kind, error));
      return;
    }

  item = pick_read_back (items, op->attributes, op->value);
  if (item == NULL)
    {
      op_fail (self, task, read_back_error (op->kind));
      return;
    }

  stored = ak_credential_new_from_attributes (item->attributes);
  id = ak_credential_get_id (stored);
  remember_attributes (self, id, item->attributes);

  if (op->kind == OP_ADD)
    {
      g_list_store_insert_sorted (self->model, stored, ak_credential_compare, NULL);
      g_task_return_pointer (task, g_object_ref (stored), g_object_unref);
    }
  else
    {
      ak_credential_update_from (op->target, stored);
      keep_sorted (self, op->target);
      g_task_return_boolean (task, TRUE);
    }
  op_complete (self, task);
}

static void
read_back (AkCredentialStore *self,
           GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) wanted = id_attributes (ak_credential_get_id (op->credential));

  /* Not cancellable: once written, the model must learn of it even if the caller has gone. */
  ak_secret_backend_search_async (self->backend, wanted, AK_SECRET_SEARCH_LOAD_SECRETS,
                                  NULL, on_written_read_back, task);
}

static void
on_old_cleared (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ak_secret_backend_clear_finish (AK_SECRET_BACKEND (object), result, NULL, &error))
    {
      op_fail (self, task, backend_error (self, op->kind, error));
      return;
    }
  read_back (self, task);
}

static gboolean
same_attributes (GHashTable *a,
                 GHashTable *b)
{
  return g_hash_table_size (a) == g_hash_table_size (b) && attributes_include (a, b);
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
      op_fail (self, task, backend_error (self, op->kind, error));
      return;
    }

  /* Items are matched by all their attributes, so an edit stored a second item next to
   * the old one: remove the old one, and only it, now that the new one is safe. */
  if (op->old_attributes != NULL && !same_attributes (op->old_attributes, op->attributes))
    {
      ak_secret_backend_clear_async (self->backend, op->old_attributes, NULL, on_old_cleared,
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
      g_propagate_error (error, locked_error (kind));
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

      if (!item_is_ours (item))
        continue;
      *locked |= item->locked;
      if (item->secret == NULL)
        continue;
      if (known != NULL && attributes_include (item->attributes, known))
        return item;
      if (best == NULL || item->modified > best->modified)
        best = item;
    }
  return best;
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
      op_fail (self, task, error);
      return;
    }

  /* Undo puts a deleted credential back under its id, so that what referred to it (the
   * last project chosen, history) finds it again; a fresh id only if another took it. */
  if (op->restore && *ak_credential_get_id (op->credential) != '\0'
      && find_by_id (self, ak_credential_get_id (op->credential)) == NULL)
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
  g_autoptr(GError) error = NULL;
  const AkSecretItem *item;
  gboolean locked;

  items = ak_secret_backend_search_finish (AK_SECRET_BACKEND (object), result, &error);
  if (items == NULL)
    {
      op_fail (self, task, backend_error (self, OP_UPDATE, error));
      return;
    }

  item = pick_stored (self, items, ak_credential_get_id (op->target), &locked);
  if (item == NULL)
    {
      if (locked)
        {
          set_state (self, AK_KEYRING_STATE_LOCKED, locked_message ());
          op_fail (self, task, locked_error (OP_UPDATE));
        }
      else
        op_fail (self, task, gone_error (op->target));
      return;
    }

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
  guint position;

  if (!find_position (self, op->target, &position))
    {
      op_fail (self, task, gone_error (op->target));
      return;
    }
  if (ak_credential_get_kind (op->credential) != kind)
    {
      op_fail (self, task, g_error_new_literal (AK_ERROR, AK_ERROR_INVALID_INPUT,
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
      op_fail (self, task, error);
      return;
    }

  known = g_hash_table_lookup (self->stored_attributes, id);
  op->old_attributes = known != NULL ? schema_attributes_copy (known)
                                     : ak_credential_to_attributes (op->target);

  if (op->secrets != NULL)
    {
      take_secrets (op);
      store_credential (self, task);
    }
  else
    {
      g_autoptr(GHashTable) wanted = id_attributes (id);

      ak_credential_set_has_secondary (op->credential,
                                       ak_credential_get_has_secondary (op->target));
      ak_credential_set_secondary_removed_at (op->credential,
                                              ak_credential_get_secondary_removed_at (op->target));
      ak_secret_backend_search_async (self->backend, wanted, AK_SECRET_SEARCH_LOAD_SECRETS,
                                      g_task_get_cancellable (task), on_update_secret_loaded,
                                      task);
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
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  items = ak_secret_backend_search_finish (AK_SECRET_BACKEND (object), result, &error);
  if (items == NULL)
    {
      op_fail (self, task, backend_error (self, OP_DELETE, error));
      return;
    }
  for (guint i = 0; i < items->len; i++)
    if (item_is_ours (g_ptr_array_index (items, i)))
      {
        op_fail (self, task, read_back_error (OP_DELETE));
        return;
      }

  g_hash_table_remove (self->stored_attributes, ak_credential_get_id (op->target));
  if (find_position (self, op->target, &position))
    g_list_store_remove (self->model, position);
  g_task_return_boolean (task, TRUE);
  op_complete (self, task);
}

static void
on_deleted (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  AkCredentialStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) wanted = id_attributes (ak_credential_get_id (op->target));
  g_autoptr(GError) error = NULL;

  if (!ak_secret_backend_clear_finish (AK_SECRET_BACKEND (object), result, NULL, &error))
    {
      op_fail (self, task, backend_error (self, OP_DELETE, error));
      return;
    }
  ak_secret_backend_search_async (self->backend, wanted, AK_SECRET_SEARCH_NONE,
                                  g_task_get_cancellable (task), on_delete_checked, task);
}

static void
start_delete (AkCredentialStore *self,
              GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) wanted = id_attributes (ak_credential_get_id (op->target));
  GError *error = NULL;
  guint position;

  if (!find_position (self, op->target, &position))
    {
      op_fail (self, task, gone_error (op->target));
      return;
    }
  if (!check_writable (self, OP_DELETE, &error))
    {
      op_fail (self, task, error);
      return;
    }

  /* Every item with this id, including a copy an interrupted edit may have left. */
  ak_secret_backend_clear_async (self->backend, wanted, g_task_get_cancellable (task),
                                 on_deleted, task);
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
  gboolean locked;

  items = ak_secret_backend_search_finish (AK_SECRET_BACKEND (object), result, &error);
  if (items == NULL)
    {
      op_fail (self, task, backend_error (self, OP_SECRETS, error));
      return;
    }

  item = pick_stored (self, items, ak_credential_get_id (op->target), &locked);
  if (item == NULL)
    {
      if (locked && !self->session_only)
        {
          set_state (self, AK_KEYRING_STATE_LOCKED, locked_message ());
          op_fail (self, task, locked_error (OP_SECRETS));
        }
      else
        op_fail (self, task, gone_error (op->target));
      return;
    }

  data = secret_value_get (item->secret, &length);
  secrets = ak_credential_secrets_decode (data, length, ak_credential_get_kind (op->target),
                                          &error);
  if (secrets == NULL)
    {
      op_fail (self, task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, secrets, (GDestroyNotify) ak_credential_secrets_free);
  op_complete (self, task);
}

static void
start_secrets (AkCredentialStore *self,
               GTask             *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) wanted = id_attributes (ak_credential_get_id (op->target));
  guint position;

  if (!find_position (self, op->target, &position))
    {
      op_fail (self, task, gone_error (op->target));
      return;
    }
  ak_secret_backend_search_async (self->backend, wanted, AK_SECRET_SEARCH_LOAD_SECRETS,
                                  g_task_get_cancellable (task), on_secrets_loaded, task);
}

static void
op_start (AkCredentialStore *self,
          GTask             *task)
{
  Op *op = g_task_get_task_data (task);

  switch (op->kind)
    {
    case OP_LOAD:
      start_load (self, task, FALSE);
      break;
    case OP_UNLOCK:
      start_load (self, task, TRUE);
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
  cancel_outside_reload (self);
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
  self->state_message = g_strdup (session_only_message (PROBLEM_OTHER));
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
                              G_CALLBACK (reload_after_outside_change), self);
  self->items_changed_id =
    g_signal_connect_swapped (backend, "items-changed", G_CALLBACK (items_changed_outside),
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
  return find_by_id (self, id);
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

void
ak_credential_store_load_async (AkCredentialStore   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  queue_load (self, op_task_new (self, OP_LOAD, cancellable, callback, user_data,
                                 ak_credential_store_load_async));
}

gboolean
ak_credential_store_load_finish (AkCredentialStore  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ak_credential_store_unlock_async (AkCredentialStore   *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ensure_loaded (self);
  enqueue (self, op_task_new (self, OP_UNLOCK, cancellable, callback, user_data,
                              ak_credential_store_unlock_async));
}

gboolean
ak_credential_store_unlock_finish (AkCredentialStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Both add and Undo's restore: one operation, finished with ak_credential_store_add_finish(). */
static void
enqueue_add (AkCredentialStore         *self,
             AkCredential              *credential,
             const AkCredentialSecrets *secrets,
             gboolean                   restore,
             GCancellable              *cancellable,
             GAsyncReadyCallback        callback,
             gpointer                   user_data)
{
  GTask *task = op_task_new (self, OP_ADD, cancellable, callback, user_data,
                             ak_credential_store_add_async);
  Op *op = g_task_get_task_data (task);

  op->credential = ak_credential_copy (credential);
  op->secrets = ak_credential_secrets_copy (secrets);
  op->restore = restore;
  ensure_loaded (self);
  enqueue (self, task);
}

void
ak_credential_store_add_async (AkCredentialStore         *self,
                               AkCredential              *credential,
                               const AkCredentialSecrets *secrets,
                               GCancellable              *cancellable,
                               GAsyncReadyCallback        callback,
                               gpointer                   user_data)
{
  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (AK_IS_CREDENTIAL (credential));
  g_return_if_fail (secrets != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  enqueue_add (self, credential, secrets, FALSE, cancellable, callback, user_data);
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
  GTask *task;
  Op *op;

  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (AK_IS_CREDENTIAL (existing));
  g_return_if_fail (AK_IS_CREDENTIAL (changes));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, OP_UPDATE, cancellable, callback, user_data,
                      ak_credential_store_update_async);
  op = g_task_get_task_data (task);
  op->target = g_object_ref (existing);
  op->credential = ak_credential_copy (changes);
  op->secrets = ak_credential_secrets_copy (secrets);

  ensure_loaded (self);
  enqueue (self, task);
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
  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (AK_IS_CREDENTIAL (credential));
  g_return_if_fail (secrets != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  enqueue_add (self, credential, secrets, TRUE, cancellable, callback, user_data);
}

gboolean
ak_credential_store_update_finish (AkCredentialStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ak_credential_store_delete_async (AkCredentialStore   *self,
                                  AkCredential        *credential,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (AK_IS_CREDENTIAL (credential));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, OP_DELETE, cancellable, callback, user_data,
                      ak_credential_store_delete_async);
  op = g_task_get_task_data (task);
  op->target = g_object_ref (credential);

  ensure_loaded (self);
  enqueue (self, task);
}

gboolean
ak_credential_store_delete_finish (AkCredentialStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ak_credential_store_load_secrets_async (AkCredentialStore   *self,
                                        AkCredential        *credential,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (AK_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (AK_IS_CREDENTIAL (credential));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, OP_SECRETS, cancellable, callback, user_data,
                      ak_credential_store_load_secrets_async);
  op = g_task_get_task_data (task);
  op->target = g_object_ref (credential);

  ensure_loaded (self);
  enqueue (self, task);
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
