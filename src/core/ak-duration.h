/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  ak_duration_parse          (const char *text, guint32 *seconds, GError **error);
char     *ak_duration_format         (guint64 seconds);
char     *ak_format_remaining        (gint64 expires_at, gint64 now);
char     *ak_format_local_time       (gint64 unix_time);

G_END_DECLS
