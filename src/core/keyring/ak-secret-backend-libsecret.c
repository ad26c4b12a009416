/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-credential-private.h"
#include "ak-secret-backend.h"

/*
 * The system keyring through libsecret's backend-agnostic password API, so that the same
 * calls reach gnome-keyring (or KeePassXC) over D-Bus, libsecret's file backend, and the
 * Flatpak Secret portal.
 *
 * Every libsecret call runs on one worker thread with its own main context, one at a time:
 * libsecret keeps a single backend (one Secret Service session) for the process, requests
 * never arrive at the daemon in bursts, and the file backend's key derivation and
 * decryption of every item on a search never stall the caller's main loop. Only plain data
 * (attribute tables, SecretValues) crosses back, through GTask.
 */

#define AK_TYPE_SECRET_BACKEND_LIBSECRET (ak_secret_backend_libsecret_get_type ())
G_DECLARE_FINAL_TYPE (AkSecretBackendLibsecret, ak_secret_backend_libsecret,
                      AK, SECRET_BACKEND_LIBSECRET, AkSecretBackend)

struct _AkSecretBackendLibsecret
{
  AkSecretBackend parent_instance;

  /* Interned: lives as long as the process, so that work in flight never outlives it. */
  const SecretSchema *schema;
  /* Where the worker's watch tells this backend that collections changed. */
  struct _Watcher *watcher;
};

G_DEFINE_FINAL_TYPE (AkSecretBackendLibsecret, ak_secret_backend_libsecret,
                     AK_TYPE_SECRET_BACKEND)

#define SCHEMA_NAME_ATTRIBUTE "xdg:schema"
#define SECRET_SERVICE_NAME "org.freedesktop.secrets"

static const SecretSchema schema_template = {
  .name = NULL,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = AK_ATTR_ID, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_KIND, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_LABEL, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_APP_ID, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_CUSTOMER_ID, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_CHAT_ORG, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_CHAT_APP, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_CHAT_HOST, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_TOKEN_SERVER_URL, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_NOTES, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_HAS_SECONDARY, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = AK_ATTR_SECONDARY_REMOVED, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

G_LOCK_DEFINE_STATIC (schemas);
static GHashTable *schemas;

static const SecretSchema *
intern_schema (const char *name)
{
  SecretSchema *schema;

  G_LOCK (schemas);
  if (schemas == NULL)
    schemas = g_hash_table_new (g_str_hash, g_str_equal);
  schema = g_hash_table_lookup (schemas, name);
  if (schema == NULL)
    {
      schema = g_new (SecretSchema, 1);
      *schema = schema_template;
      schema->name = g_strdup (name);
      g_hash_table_insert (schemas, (char *) schema->name, schema);
    }
  G_UNLOCK (schemas);

  return schema;
}

/* ---------------------------------------------------------------------------------------------
 * Backends to tell when the Secret Service's collections change
 */

typedef struct _Watcher
{
  GWeakRef backend;
  GMainContext *context;
} Watcher;

G_LOCK_DEFINE_STATIC (watchers);
static GList *watchers;

static Watcher *
watcher_add (AkSecretBackend *backend)
{
  Watcher *watcher = g_new0 (Watcher, 1);

  g_weak_ref_init (&watcher->backend, backend);
  watcher->context = g_main_context_ref_thread_default ();
  G_LOCK (watchers);
  watchers = g_list_prepend (watchers, watcher);
  G_UNLOCK (watchers);
  return watcher;
}

static void
watcher_remove (Watcher *watcher)
{
  G_LOCK (watchers);
  watchers = g_list_remove (watchers, watcher);
  G_UNLOCK (watchers);
  g_weak_ref_clear (&watcher->backend);
  g_main_context_unref (watcher->context);
  g_free (watcher);
}

static gboolean
emit_collections_changed (gpointer user_data)
{
  ak_secret_backend_emit_collections_changed (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
emit_items_changed (gpointer user_data)
{
  ak_secret_backend_emit_items_changed (user_data);
  return G_SOURCE_REMOVE;
}

/* On the worker thread: each backend hears of it on the thread that created it. */
static void
tell_watchers (GSourceFunc emit)
{
  G_LOCK (watchers);
  for (GList *l = watchers; l != NULL; l = l->next)
    {
      Watcher *watcher = l->data;
      AkSecretBackend *backend = g_weak_ref_get (&watcher->backend);
      GSource *source;

      if (backend == NULL)
        continue;
      source = g_idle_source_new ();
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, emit, backend, g_object_unref);
      g_source_set_static_name (source, "[ak-keyring] keyring changed");
      g_source_attach (source, watcher->context);
      g_source_unref (source);
    }
  G_UNLOCK (watchers);
}

/* The service's Collection* signals and a new owner of its name: collections changed.
 * ItemCreated, ItemDeleted and ItemChanged, from any collection: items added or removed by
 * the command line, secret-tool or Seahorse. Which item it was does not matter (the store
 * reads the whole list again, debounced), and its attributes cannot be read here anyway
 * without a round trip per item. */
static void
on_secret_service_signal (GDBusConnection *connection,
                          const char      *sender_name,
                          const char      *object_path,
                          const char      *interface_name,
                          const char      *signal_name,
                          GVariant        *parameters,
                          gpointer         user_data)
{
  if (g_str_has_prefix (signal_name, "Collection")
      || g_str_equal (signal_name, "NameOwnerChanged"))
    tell_watchers (emit_collections_changed);
  else if (g_str_has_prefix (signal_name, "Item"))
    tell_watchers (emit_items_changed);
}

/* ---------------------------------------------------------------------------------------------
 * The worker thread
 */

typedef enum
{
  WORK_SEARCH,
  WORK_STORE,
  WORK_CLEAR,
  WORK_COLLECTION_STATE,
  WORK_UNLOCK,
} WorkKind;

typedef struct
{
  WorkKind kind;
  const SecretSchema *schema;
  GHashTable *attributes;
  AkSecretSearchFlags flags;
  char *label;
  SecretValue *value;
  GTask *task;

  /* Searches that load secrets: the items found, and which one is being read. */
  GList *found;
  GPtrArray *items;
  guint next;

  /* Collection state and unlock: the Secret Service, when that is libsecret's backend. */
  SecretService *service;
} Work;

/* Touched only on the worker thread. */
static GMainContext *worker_context;
static GQueue worker_queue = G_QUEUE_INIT;
static Work *worker_current;
static GDBusConnection *worker_bus;

static void work_run_next (void);

static void
work_free (Work *work)
{
  g_clear_pointer (&work->attributes, g_hash_table_unref);
  g_clear_pointer (&work->label, g_free);
  g_clear_pointer (&work->value, secret_value_unref);
  g_list_free_full (work->found, g_object_unref);
  g_clear_pointer (&work->items, g_ptr_array_unref);
  g_clear_object (&work->service);
  g_clear_object (&work->task);
  g_free (work);
}

static GCancellable *
work_cancellable (Work *work)
{
  return g_task_get_cancellable (work->task);
}

/* The task has been given its result: free the work and start the next. */
static void
work_done (Work *work)
{
  g_assert (work == worker_current);

  work_free (work);
  worker_current = NULL;
  work_run_next ();
}

static void
work_fail (Work   *work,
           GError *error)
{
  g_task_return_error (work->task, error);
  work_done (work);
}

/* After a libsecret call: fails @work when it set @error. */
static gboolean
work_failed (Work   *work,
             GError *error)
{
  if (error == NULL)
    return FALSE;
  work_fail (work, error);
  return TRUE;
}

static void
work_return_boolean (Work     *work,
                     gboolean  value)
{
  g_task_return_boolean (work->task, value);
  work_done (work);
}

static void
work_return_int (Work   *work,
                 gssize  value)
{
  g_task_return_int (work->task, value);
  work_done (work);
}

static void
work_return_items (Work *work)
{
  g_task_return_pointer (work->task, g_steal_pointer (&work->items),
                         (GDestroyNotify) g_ptr_array_unref);
  work_done (work);
}

static void
on_retrieved (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data);

static void
work_retrieve_next (Work *work)
{
  while (work->next < work->items->len)
    {
      AkSecretItem *item = g_ptr_array_index (work->items, work->next);
      GObject *retrievable = g_list_nth_data (work->found, work->next);

      if (item->locked)
        {
          work->next++;
          continue;
        }
      secret_retrievable_retrieve_secret (SECRET_RETRIEVABLE (retrievable),
                                          work_cancellable (work), on_retrieved, work);
      return;
    }
  work_return_items (work);
}

static void
on_retrieved (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Work *work = user_data;
  AkSecretItem *item = g_ptr_array_index (work->items, work->next);
  g_autoptr(GError) error = NULL;

  item->secret = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (object),
                                                            result, &error);
  /* No secret and no error: nothing to read, which the store treats like a missing item. */
  if (item->secret == NULL && error != NULL)
    {
      if (!g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
        {
          work_fail (work, g_steal_pointer (&error));
          return;
        }
      item->locked = TRUE;
    }

  work->next++;
  work_retrieve_next (work);
}

static void
on_searched (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Work *work = user_data;
  GError *error = NULL;
  GList *found = secret_password_search_finish (result, &error);

  if (work_failed (work, error))
    return;

  work->found = found;
  work->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_secret_item_free);
  for (GList *l = found; l != NULL; l = l->next)
    {
      SecretRetrievable *retrievable = l->data;
      AkSecretItem *item = g_new0 (AkSecretItem, 1);

      item->attributes = secret_retrievable_get_attributes (retrievable);
      if (item->attributes == NULL)
        item->attributes = g_hash_table_new (g_str_hash, g_str_equal);
      item->label = secret_retrievable_get_label (retrievable);
      item->modified = secret_retrievable_get_modified (retrievable);
      item->locked = SECRET_IS_ITEM (retrievable)
                     && secret_item_get_locked (SECRET_ITEM (retrievable));
      g_ptr_array_add (work->items, item);
    }

  if (work->flags & AK_SECRET_SEARCH_LOAD_SECRETS)
    work_retrieve_next (work);
  else
    work_return_items (work);
}

static void
on_stored (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Work *work = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      /* libsecret 0.20.5 can fail without saying why (a prompt that could not start). */
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                     "The keyring refused to store the item");
      work_fail (work, error);
      return;
    }
  work_return_boolean (work, TRUE);
}

static void
on_cleared (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Work *work = user_data;
  GError *error = NULL;
  gboolean removed = secret_password_clear_finish (result, &error);

  if (!work_failed (work, error))
    work_return_int (work, removed ? 1 : 0);
}

static void
on_collection_unlocked (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Work *work = user_data;
  GError *error = NULL;
  int unlocked = secret_service_unlock_finish (SECRET_SERVICE (object), result, NULL, &error);

  /* Zero: the prompt was dismissed, or no prompter could show it. */
  if (!work_failed (work, error))
    work_return_boolean (work, unlocked > 0);
}

static void
on_default_collection (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Work *work = user_data;
  g_autoptr(SecretCollection) collection = NULL;
  GError *error = NULL;
  GList collections = { NULL, NULL, NULL };

  collection = secret_collection_for_alias_finish (result, &error);
  if (work_failed (work, error))
    return;

  if (work->kind == WORK_COLLECTION_STATE)
    {
      if (collection == NULL)
        work_return_int (work, AK_SECRET_COLLECTION_MISSING);
      else
        work_return_int (work, secret_collection_get_locked (collection)
                                 ? AK_SECRET_COLLECTION_LOCKED
                                 : AK_SECRET_COLLECTION_UNLOCKED);
      return;
    }

  if (collection == NULL || !secret_collection_get_locked (collection))
    {
      work_return_boolean (work, TRUE);
      return;
    }
  collections.data = collection;
  secret_service_unlock (work->service, &collections, work_cancellable (work),
                         on_collection_unlocked, work);
}

/* libsecret 0.20.5 picks its backend this way and keeps the choice to itself
 * (secret_backend_get() is not in its public headers): the file backend when asked for, or
 * in a Flatpak sandbox (keyed by the Secret portal), else the Secret Service. */
static gboolean
uses_secret_service (void)
{
  const char *backend = g_getenv ("SECRET_BACKEND");

  if (backend != NULL)
    return g_str_equal (backend, "service");
  return !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static void
on_secret_service (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Work *work = user_data;
  GError *error = NULL;

  work->service = secret_service_get_finish (result, &error);
  if (work->service == NULL)
    {
      work_fail (work, error);
      return;
    }

  /* A fresh proxy each time (no collections are loaded): its Locked is read now. */
  secret_collection_for_alias (work->service, SECRET_COLLECTION_DEFAULT,
                               SECRET_COLLECTION_NONE, work_cancellable (work),
                               on_default_collection, work);
}

static void
work_start (Work *work)
{
  SecretSearchFlags flags = SECRET_SEARCH_ALL;

  switch (work->kind)
    {
    case WORK_SEARCH:
      if (work->flags & AK_SECRET_SEARCH_UNLOCK)
        flags |= SECRET_SEARCH_UNLOCK;
      secret_password_searchv (work->schema, work->attributes, flags, work_cancellable (work),
                               on_searched, work);
      break;
    case WORK_STORE:
      secret_password_storev_binary (work->schema, work->attributes, NULL, work->label,
                                     work->value, work_cancellable (work), on_stored, work);
      break;
    case WORK_CLEAR:
      secret_password_clearv (work->schema, work->attributes, work_cancellable (work),
                              on_cleared, work);
      break;
    case WORK_COLLECTION_STATE:
    case WORK_UNLOCK:
      /* The file backend and the portal keep one keyring file: no collections. */
      if (!uses_secret_service ())
        {
          if (work->kind == WORK_COLLECTION_STATE)
            work_return_int (work, AK_SECRET_COLLECTION_NONE);
          else
            work_return_boolean (work, TRUE);
          break;
        }
      /* The process's one Secret Service, the one the password calls use. */
      secret_service_get (SECRET_SERVICE_NONE, work_cancellable (work), on_secret_service,
                          work);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* libsecret's file backend needs no bus; everything else (the Secret Service, the portal)
 * does. Asking for the bus first tells "no session bus at all" apart from the rest. */
static gboolean
needs_session_bus (void)
{
  return g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") != 0;
}

static void
on_bus (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Work *work = user_data;
  g_autoptr(GError) error = NULL;

  worker_bus = g_bus_get_finish (result, &error);
  if (worker_bus == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        work_fail (work, g_steal_pointer (&error));
      else
        work_fail (work, g_error_new_literal (AK_SECRET_BACKEND_ERROR,
                                              AK_SECRET_BACKEND_ERROR_NO_BUS, error->message));
      return;
    }

  /* A keyring unlocked at login or in Seahorse, a default keyring created, or a daemon
   * replaced: the Secret Service says so with these, and the store reloads. For the life
   * of the process, like the worker. */
  g_dbus_connection_signal_subscribe (worker_bus, SECRET_SERVICE_NAME,
                                      "org.freedesktop.Secret.Service", NULL,
                                      "/org/freedesktop/secrets", NULL,
                                      G_DBUS_SIGNAL_FLAGS_NONE, on_secret_service_signal,
                                      NULL, NULL);
  g_dbus_connection_signal_subscribe (worker_bus, "org.freedesktop.DBus",
                                      "org.freedesktop.DBus", "NameOwnerChanged",
                                      "/org/freedesktop/DBus", SECRET_SERVICE_NAME,
                                      G_DBUS_SIGNAL_FLAGS_NONE, on_secret_service_signal,
                                      NULL, NULL);
  g_dbus_connection_signal_subscribe (worker_bus, SECRET_SERVICE_NAME,
                                      "org.freedesktop.Secret.Collection", NULL, NULL, NULL,
                                      G_DBUS_SIGNAL_FLAGS_NONE, on_secret_service_signal,
                                      NULL, NULL);
  work_start (work);
}

static void
work_run_next (void)
{
  while (worker_current == NULL)
    {
      Work *work = g_queue_pop_head (&worker_queue);

      if (work == NULL)
        return;
      worker_current = work;

      if (g_task_return_error_if_cancelled (work->task))
        {
          work_free (work);
          worker_current = NULL;
          continue;
        }

      if (worker_bus == NULL && needs_session_bus ())
        g_bus_get (G_BUS_TYPE_SESSION, work_cancellable (work), on_bus, work);
      else
        work_start (work);
    }
}

static gboolean
work_enqueue_on_worker (gpointer user_data)
{
  g_queue_push_tail (&worker_queue, user_data);
  work_run_next ();
  return G_SOURCE_REMOVE;
}

static gpointer
worker_main (gpointer data)
{
  GMainContext *context = data;
  GMainLoop *loop = g_main_loop_new (context, FALSE);

  g_main_context_push_thread_default (context);
  /* For the life of the process, like GDBus's own worker. */
  g_main_loop_run (loop);
  return NULL;
}

static void
work_submit (Work *work)
{
  static gsize started = 0;
  GSource *source;

  if (g_once_init_enter (&started))
    {
      worker_context = g_main_context_new ();
      g_thread_unref (g_thread_new ("ak-keyring", worker_main, worker_context));
      g_once_init_leave (&started, 1);
    }

  /* Not g_main_context_invoke(): before the worker owns its context, that would run the
   * work on this thread. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, work_enqueue_on_worker, work, NULL);
  g_source_set_static_name (source, "[ak-keyring] submit");
  g_source_attach (source, worker_context);
  g_source_unref (source);
}

static Work *
work_new (AkSecretBackendLibsecret *self,
          WorkKind                  kind,
          GHashTable               *attributes,
          GTask                    *task)
{
  Work *work = g_new0 (Work, 1);

  work->kind = kind;
  work->schema = self->schema;
  work->task = task;
  work->attributes = ak_secret_attributes_copy (attributes);
  /* The Secret Service adds it itself; the file backend only matches what it is given. */
  g_hash_table_insert (work->attributes, g_strdup (SCHEMA_NAME_ATTRIBUTE),
                       g_strdup (self->schema->name));
  return work;
}

/* ---------------------------------------------------------------------------------------------
 * AkSecretBackendLibsecret
 */

static void
ak_secret_backend_libsecret_search (AkSecretBackend     *backend,
                                    GHashTable          *attributes,
                                    AkSecretSearchFlags  flags,
                                    GTask               *task)
{
  Work *work = work_new (AK_SECRET_BACKEND_LIBSECRET (backend), WORK_SEARCH, attributes, task);

  work->flags = flags;
  work_submit (work);
}

static void
ak_secret_backend_libsecret_store (AkSecretBackend *backend,
                                   GHashTable      *attributes,
                                   const char      *label,
                                   SecretValue     *value,
                                   GTask           *task)
{
  Work *work = work_new (AK_SECRET_BACKEND_LIBSECRET (backend), WORK_STORE, attributes, task);

  work->label = g_strdup (label);
  work->value = secret_value_ref (value);
  work_submit (work);
}

static void
ak_secret_backend_libsecret_clear (AkSecretBackend *backend,
                                   GHashTable      *attributes,
                                   GTask           *task)
{
  work_submit (work_new (AK_SECRET_BACKEND_LIBSECRET (backend), WORK_CLEAR, attributes, task));
}

/* Work on the default collection itself, which needs no schema nor attributes. */
static void
submit_collection_work (WorkKind  kind,
                        GTask    *task)
{
  Work *work = g_new0 (Work, 1);

  work->kind = kind;
  work->task = task;
  work_submit (work);
}

static void
ak_secret_backend_libsecret_collection_state (AkSecretBackend *backend,
                                              GTask           *task)
{
  submit_collection_work (WORK_COLLECTION_STATE, task);
}

static void
ak_secret_backend_libsecret_unlock (AkSecretBackend *backend,
                                    GTask           *task)
{
  submit_collection_work (WORK_UNLOCK, task);
}

static void
ak_secret_backend_libsecret_finalize (GObject *object)
{
  AkSecretBackendLibsecret *self = AK_SECRET_BACKEND_LIBSECRET (object);

  g_clear_pointer (&self->watcher, watcher_remove);

  G_OBJECT_CLASS (ak_secret_backend_libsecret_parent_class)->finalize (object);
}

static void
ak_secret_backend_libsecret_class_init (AkSecretBackendLibsecretClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AkSecretBackendClass *backend_class = AK_SECRET_BACKEND_CLASS (klass);

  object_class->finalize = ak_secret_backend_libsecret_finalize;
  backend_class->persistent = TRUE;
  backend_class->search = ak_secret_backend_libsecret_search;
  backend_class->store = ak_secret_backend_libsecret_store;
  backend_class->clear = ak_secret_backend_libsecret_clear;
  backend_class->collection_state = ak_secret_backend_libsecret_collection_state;
  backend_class->unlock = ak_secret_backend_libsecret_unlock;
}

static void
ak_secret_backend_libsecret_init (AkSecretBackendLibsecret *self)
{
  self->watcher = watcher_add (AK_SECRET_BACKEND (self));
}

AkSecretBackend *
ak_secret_backend_new_libsecret (const char *schema_name)
{
  AkSecretBackendLibsecret *self;

  g_return_val_if_fail (schema_name != NULL && *schema_name != '\0', NULL);

  self = g_object_new (AK_TYPE_SECRET_BACKEND_LIBSECRET, NULL);
  self->schema = intern_schema (schema_name);
  return AK_SECRET_BACKEND (self);
}
