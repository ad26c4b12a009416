/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ak-rest-private.h"
#include "ak-task.h"

/* ---------------------------------------------------------------------------------------------
 * A body too large for memory, in a private temporary file shared by copies of a response
 */

struct _AkRestBodyFile
{
  GFile *file;
};

static void
body_file_delete (gpointer data)
{
  AkRestBodyFile *body_file = data;

  g_file_delete (body_file->file, NULL, NULL);
  g_object_unref (body_file->file);
}

AkRestBodyFile *
ak_rest_body_file_new (GFile *file)
{
  AkRestBodyFile *body_file = g_atomic_rc_box_new0 (AkRestBodyFile);

  body_file->file = g_object_ref (file);
  return body_file;
}

AkRestBodyFile *
ak_rest_body_file_ref (AkRestBodyFile *body_file)
{
  return g_atomic_rc_box_acquire (body_file);
}

void
ak_rest_body_file_unref (AkRestBodyFile *body_file)
{
  g_atomic_rc_box_release_full (body_file, body_file_delete);
}

static void
body_saved (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean saved;

  if (g_task_get_task_data (task) != NULL)
    saved = g_file_copy_finish (G_FILE (object), result, &error);
  else
    saved = g_file_replace_contents_finish (G_FILE (object), result, NULL, &error);
  if (saved)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * ak_rest_response_save_body_async:
 * @destination: the file to write, replaced when it exists; created private (0600)
 *
 * A body kept in a temporary file is copied from it, without reading it into memory.
 */
void
ak_rest_response_save_body_async (const AkRestResponse *response,
                                  GFile                *destination,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (response != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  task = ak_task_new (NULL, cancellable, callback, user_data, ak_rest_response_save_body_async);

  if (response->body_file != NULL && response->masked_body == NULL)
    {
      /* The copy keeps the temporary file alive; its 0600 mode goes with it. */
      g_task_set_task_data (task, ak_rest_body_file_ref (response->body_file),
                            (GDestroyNotify) ak_rest_body_file_unref);
      g_file_copy_async (response->body_file->file, destination, G_FILE_COPY_OVERWRITE,
                         G_PRIORITY_DEFAULT, cancellable, NULL, NULL, body_saved, task);
    }
  else
    {
      g_autoptr(GBytes) bytes = NULL;

      if (response->masked_body != NULL)
        bytes = g_bytes_new (response->masked_body, strlen (response->masked_body));
      else if (response->body != NULL)
        bytes = g_bytes_ref (response->body);
      else
        bytes = g_bytes_new_static ("", 0);
      g_file_replace_contents_bytes_async (destination, bytes, NULL, FALSE,
                                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                           cancellable, body_saved, task);
    }
}

gboolean
ak_rest_response_save_body_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                          == ak_rest_response_save_body_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
