/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ak-array-model.h"
#include "ak-error.h"
#include "ak-json.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-history.h"
#include "ak-rest-history-private.h"
#include "ak-rest-private.h"
#include "ak-task.h"

#define HISTORY_FORMAT_VERSION 1
/* A history file larger than this was not written by us. */
#define MAX_HISTORY_FILE (64 * 1024 * 1024)

/* ---------------------------------------------------------------------------------------------
 * AkRestHistory
 */

struct _AkRestHistory
{
  GObject parent_instance;

  GPtrArray *entries;
  guint max_entries;
  char *path;
  GFile *file;

  /* Loading: writes wait for it, so the file is never replaced by a partial list. */
  gboolean loaded;
  gboolean loading;
  gboolean cleared_while_loading;
  GPtrArray *load_waiters;

  /* Writing: one write at a time; changes made meanwhile are written right after. */
  gboolean writing;
  gboolean dirty;
  GError *write_error;
  GPtrArray *flush_waiters;
};

static void ak_rest_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AkRestHistory, ak_rest_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ak_rest_history_list_model_init))

enum
{
  HISTORY_PROP_0,
  HISTORY_PROP_N_ITEMS,
  HISTORY_N_PROPS
};

static GParamSpec *history_properties[HISTORY_N_PROPS];

AK_DEFINE_ARRAY_LIST_MODEL (AkRestHistory, ak_rest_history, AK_TYPE_REST_HISTORY_ENTRY, entries)

static void
ak_rest_history_finalize (GObject *object)
{
  AkRestHistory *self = AK_REST_HISTORY (object);

  /* Pending tasks hold a reference, so nothing can be waiting here. */
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->load_waiters);
  g_ptr_array_unref (self->flush_waiters);
  g_clear_error (&self->write_error);
  g_clear_object (&self->file);
  g_free (self->path);

  G_OBJECT_CLASS (ak_rest_history_parent_class)->finalize (object);
}

static void
ak_rest_history_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AkRestHistory *self = AK_REST_HISTORY (object);

  switch (prop_id)
    {
    case HISTORY_PROP_N_ITEMS:
      g_value_set_uint (value, self->entries->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_rest_history_class_init (AkRestHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ak_rest_history_finalize;
  object_class->get_property = ak_rest_history_get_property;

  history_properties[HISTORY_PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, HISTORY_N_PROPS, history_properties);
}

static void
ak_rest_history_init (AkRestHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->load_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->flush_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_entries = AK_REST_HISTORY_DEFAULT_SIZE;
}

/**
 * ak_rest_history_get_default_path:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/<app id>/history.json
 */
char *
ak_rest_history_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "history.json", NULL);
}

/**
 * ak_rest_history_new:
 * @path: (nullable): the JSON file; %NULL for ak_rest_history_get_default_path()
 * @max_entries: how many entries to keep; 0 for %AK_REST_HISTORY_DEFAULT_SIZE
 *
 * Call ak_rest_history_load_async() before adding: entries added earlier are kept, and the
 * first add starts the load itself, so the file is never replaced by a shorter list.
 */
AkRestHistory *
ak_rest_history_new (const char *path,
                     guint       max_entries)
{
  AkRestHistory *self = g_object_new (AK_TYPE_REST_HISTORY, NULL);

  self->path = path != NULL ? g_strdup (path) : ak_rest_history_get_default_path ();
  self->file = g_file_new_for_path (self->path);
  if (max_entries > 0)
    self->max_entries = max_entries;
  return self;
}

const char *
ak_rest_history_get_path (AkRestHistory *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY (self), NULL);
  return self->path;
}

static void
items_changed (AkRestHistory *self,
               guint          position,
               guint          removed,
               guint          added)
{
  if (removed == 0 && added == 0)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), history_properties[HISTORY_PROP_N_ITEMS]);
}

static void
trim (AkRestHistory *self)
{
  guint dropped;

  if (self->entries->len <= self->max_entries)
    return;
  dropped = self->entries->len - self->max_entries;
  g_ptr_array_set_size (self->entries, self->max_entries);
  items_changed (self, self->max_entries, dropped, 0);
}

static GBytes *
serialize (AkRestHistory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, HISTORY_FORMAT_VERSION);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    ak_rest_history_entry_build_json (g_ptr_array_index (self->entries, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

static void start_write (AkRestHistory *self);
static void start_load (AkRestHistory *self);

static void
complete_flush_waiters (AkRestHistory *self)
{
  g_autoptr(GPtrArray) waiters = NULL;

  if (self->loading || self->writing || self->dirty || self->flush_waiters->len == 0)
    return;

  waiters = g_steal_pointer (&self->flush_waiters);
  self->flush_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (self->write_error != NULL)
        g_task_return_error (task, g_error_copy (self->write_error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AkRestHistory) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_clear_error (&self->write_error);
      g_set_error (&self->write_error, AK_ERROR, AK_ERROR_FAILED,
                   _("The request history could not be saved in %s: %s"),
                   self->path, error->message);
      g_debug ("%s", self->write_error->message);
    }

  if (self->dirty)
    start_write (self);
  else
    complete_flush_waiters (self);
}

static void
start_write (AkRestHistory *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;

  self->dirty = FALSE;
  self->writing = TRUE;
  g_clear_error (&self->write_error);

  /* The history says which projects and endpoints were used: keep it to the user. */
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&self->write_error, AK_ERROR, AK_ERROR_FAILED,
                   _("The request history could not be saved in %s: %s"),
                   self->path, g_strerror (saved_errno));
      self->writing = FALSE;
      complete_flush_waiters (self);
      return;
    }

  bytes = serialize (self);
  g_file_replace_contents_bytes_async (self->file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE
                                       | G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, write_done, g_object_ref (self));
}

static void
schedule_write (AkRestHistory *self)
{
  self->dirty = TRUE;
  if (!self->loaded && !self->loading)
    start_load (self);
  if (self->loading || self->writing)
    return;
  start_write (self);
}

/**
 * ak_rest_history_add:
 * @entry: the entry; a reference is taken
 *
 * Puts @entry at the top, drops the oldest past the limit, and saves.
 */
void
ak_rest_history_add (AkRestHistory      *self,
                     AkRestHistoryEntry *entry)
{
  g_return_if_fail (AK_IS_REST_HISTORY (self));
  g_return_if_fail (AK_IS_REST_HISTORY_ENTRY (entry));

  g_ptr_array_insert (self->entries, 0, g_object_ref (entry));
  items_changed (self, 0, 0, 1);
  trim (self);
  schedule_write (self);
}

void
ak_rest_history_clear (AkRestHistory *self)
{
  guint n;

  g_return_if_fail (AK_IS_REST_HISTORY (self));

  n = self->entries->len;
  g_ptr_array_set_size (self->entries, 0);
  items_changed (self, 0, n, 0);
  /* What the file holds is cleared too, whether it is being read or not read yet. */
  if (!self->loaded)
    self->cleared_while_loading = TRUE;
  schedule_write (self);
}

/* Loading runs in a thread: the file may hold a couple of hundred request bodies. */

typedef struct
{
  GPtrArray *entries;
  GError *error;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->entries, g_ptr_array_unref);
  g_clear_error (&result->error);
  g_free (result);
}

/**
 * ak_rest_history_parse:
 * @data: a history file's contents, with a NUL after the last byte (as from
 *   g_file_get_contents())
 * @length: the length of @data, the NUL left out
 *
 * Returns: (transfer full) (element-type AkRestHistoryEntry): the entries, newest first,
 *   damaged ones left out; %NULL with @error set when @data is not a history file
 */
GPtrArray *
ak_rest_history_parse (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) root = NULL;
  JsonNode *list;
  JsonArray *array;

  g_return_val_if_fail (data != NULL, NULL);

  /* Written by us, but read as outside JSON: the file may have been edited or damaged. */
  root = ak_json_parse_untrusted (data, length, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (list = json_object_get_member (json_node_get_object (root), "entries")) == NULL
      || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_BAD_FIELD,
                           _("It does not hold a list of requests."));
      return NULL;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      AkRestHistoryEntry *entry = ak_rest_history_entry_new_from_json (json_array_get_element (array, i));

      /* One damaged entry does not cost the others. */
      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }
  return g_steal_pointer (&entries);
}

/* Like g_file_get_contents(), but only for a regular file and never past the size limit: a
 * history replaced by a FIFO, a device or a directory must neither hang the loader nor fill
 * the memory. One byte more than the limit is read, to tell "too large" apart. */
static gboolean
read_history_file (const char  *path,
                   char       **contents,
                   gsize       *length,
                   GError     **error)
{
  g_autofree char *data = NULL;
  struct stat info;
  gsize have = 0;
  gsize size;
  int saved_errno;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      close (fd);
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           _("it is not a regular file"));
      return FALSE;
    }

  size = MIN ((gsize) info.st_size, (gsize) MAX_HISTORY_FILE) + 1;
  data = g_malloc (size + 1);
  while (have < size)
    {
      gssize n = read (fd, data + have, size - have);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      have += (gsize) n;
    }
  close (fd);
  data[have] = '\0';
  *length = have;
  *contents = g_steal_pointer (&data);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  LoadResult *result = g_new0 (LoadResult, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *corrupt = NULL;
  gsize length = 0;

  if (!read_history_file (path, &data, &length, &error))
    {
      /* Nothing to load either way: a missing file is a new history, an unreadable one is
       * reported and left where it is. */
      result->entries = g_ptr_array_new_with_free_func (g_object_unref);
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (&result->error, AK_ERROR, AK_ERROR_FAILED,
                     _("The request history in %s could not be read: %s"), path,
                     error->message);
      g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
      return;
    }

  if (length > MAX_HISTORY_FILE)
    g_set_error (&parse_error, AK_ERROR, AK_ERROR_TOO_LARGE,
                 _("It is larger than %d MiB."), MAX_HISTORY_FILE / (1024 * 1024));
  else
    result->entries = ak_rest_history_parse (data, length, &parse_error);

  if (result->entries == NULL)
    {
      /* Kept for the user to look at or delete; the next save starts a new file. */
      corrupt = g_strconcat (path, ".corrupt", NULL);
      if (g_rename (path, corrupt) == 0)
        g_set_error (&result->error, AK_ERROR, AK_ERROR_BAD_FIELD,
                     _("The request history in %s could not be read (%s). It was kept as "
                       "%s and a new history was started."),
                     path, parse_error->message, corrupt);
      else
        g_set_error (&result->error, AK_ERROR, AK_ERROR_BAD_FIELD,
                     _("The request history in %s could not be read (%s), nor renamed: %s"),
                     path, parse_error->message, g_strerror (errno));
      result->entries = g_ptr_array_new_with_free_func (g_object_unref);
    }

  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void
load_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  AkRestHistory *self = AK_REST_HISTORY (source);
  LoadResult *result = g_task_propagate_pointer (G_TASK (res), NULL);
  g_autoptr(GPtrArray) waiters = NULL;
  guint before = self->entries->len;
  guint added = 0;

  self->loading = FALSE;
  self->loaded = TRUE;

  /* Entries added while loading are newer than anything in the file. */
  if (result != NULL && !self->cleared_while_loading)
    for (guint i = 0; i < result->entries->len && self->entries->len < self->max_entries; i++)
      {
        g_ptr_array_add (self->entries, g_object_ref (g_ptr_array_index (result->entries, i)));
        added++;
      }
  self->cleared_while_loading = FALSE;
  items_changed (self, before, 0, added);

  if (result != NULL && result->error != NULL)
    g_debug ("%s", result->error->message);

  waiters = g_steal_pointer (&self->load_waiters);
  self->load_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (result != NULL && result->error != NULL)
        g_task_return_error (task, g_error_copy (result->error));
      else
        g_task_return_boolean (task, TRUE);
    }

  if (result != NULL)
    load_result_free (result);

  if (self->dirty && !self->writing)
    start_write (self);
  else
    complete_flush_waiters (self);
}

static void
start_load (AkRestHistory *self)
{
  g_autoptr(GTask) task = NULL;

  self->loading = TRUE;
  task = ak_task_new (self, NULL, load_done, NULL, start_load);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

static gboolean
history_task_finish (AkRestHistory  *self,
                     GAsyncResult   *result,
                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ak_rest_history_load_async:
 *
 * Reads the file into the model, after any entries already added. A missing file is an empty
 * history. A file that cannot be parsed is renamed to "<path>.corrupt" and reported as an
 * error (%AK_ERROR_BAD_FIELD); the history then starts empty and works as usual.
 * Loading twice does not read the file twice.
 */
void
ak_rest_history_load_async (AkRestHistory       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AK_IS_REST_HISTORY (self));

  task = ak_task_new (self, cancellable, callback, user_data, ak_rest_history_load_async);

  if (self->loaded)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_ptr_array_add (self->load_waiters, g_steal_pointer (&task));
  if (!self->loading)
    start_load (self);
}

gboolean
ak_rest_history_load_finish (AkRestHistory  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return history_task_finish (self, result, error);
}

/**
 * ak_rest_history_flush_async:
 *
 * Completes once every change made so far is on disk (or failed to get there). For programs
 * that exit right after adding, such as the command line.
 */
void
ak_rest_history_flush_async (AkRestHistory       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (AK_IS_REST_HISTORY (self));

  g_ptr_array_add (self->flush_waiters,
                   ak_task_new (self, cancellable, callback, user_data,
                                     ak_rest_history_flush_async));
  complete_flush_waiters (self);
}

gboolean
ak_rest_history_flush_finish (AkRestHistory  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return history_task_finish (self, result, error);
}

