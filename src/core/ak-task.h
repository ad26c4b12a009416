/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A GTask already tagged with @source_tag (the public _async function), so that every
 * _finish can check the result came from its own call. */
GTask   *ak_task_new                (gpointer             source_object,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data,
                                     gpointer             source_tag);

G_END_DECLS
