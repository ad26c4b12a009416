/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ak-rest-history-entry.h"

G_BEGIN_DECLS

#define AK_REST_HISTORY_DEFAULT_SIZE 200

/* A GListModel of entries, newest first, bounded, kept as JSON in @path (default:
 * $XDG_DATA_HOME/<app id>/history.json), written atomically and asynchronously. */
#define AK_TYPE_REST_HISTORY (ak_rest_history_get_type ())
G_DECLARE_FINAL_TYPE (AkRestHistory, ak_rest_history, AK, REST_HISTORY, GObject)

/* @path: NULL for ak_rest_history_get_default_path(); @max_entries: 0 for the default (200).
 * Load before adding; the first add loads by itself otherwise, so the file is never replaced
 * by a shorter list. */
AkRestHistory *ak_rest_history_new          (const char *path, guint max_entries);
char          *ak_rest_history_get_default_path (void);
const char    *ak_rest_history_get_path     (AkRestHistory *self);
/* A missing file is an empty history. An unreadable one is renamed "<path>.corrupt" and
 * reported (AK_ERROR_BAD_FIELD); the history then starts empty and works as usual. */
void           ak_rest_history_load_async   (AkRestHistory *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
gboolean       ak_rest_history_load_finish  (AkRestHistory *self, GAsyncResult *result, GError **error);
/* What the load reads a file's contents with (@data NUL-terminated after @length bytes):
 * the entries, newest first, damaged ones left out; NULL with @error when it is no history. */
GPtrArray     *ak_rest_history_parse        (const char *data, gsize length, GError **error);
void           ak_rest_history_add          (AkRestHistory *self, AkRestHistoryEntry *entry);
void           ak_rest_history_clear        (AkRestHistory *self);
/* Completes when every change so far is written (the directory 0700, the file 0600), with
 * the last write's error if it failed. For programs that exit right after adding. */
void           ak_rest_history_flush_async  (AkRestHistory *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
gboolean       ak_rest_history_flush_finish (AkRestHistory *self,
                                             GAsyncResult *result,
                                             GError **error);

G_END_DECLS
