/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-task.h"

/**
 * ak_task_new:
 * @source_object: (nullable): the object the call runs on
 * @cancellable: (nullable): cancels the call
 * @callback: called when the task returns
 * @user_data: for @callback
 * @source_tag: the _async function that made the task
 *
 * Returns: (transfer full): a new task with its source tag set
 */
GTask *
ak_task_new (gpointer             source_object,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}
