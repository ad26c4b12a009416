/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  ak_duration_parse          (const char *text, guint32 *seconds, GError **error);
/* A lifetime a person gives a token: a duration of at least a second whose end, counted from
 * @now, a token can still store (before 2106). Errors speak of "the lifetime", for a form to
 * show on the field, and never name an API input. */
gboolean  ak_duration_parse_lifetime (const char *text,
                                      gint64 now,
                                      guint32 *seconds,
                                      GError **error);
char     *ak_duration_format         (guint64 seconds);
char     *ak_format_remaining        (gint64 expires_at, gint64 now);
char     *ak_format_local_time       (gint64 unix_time);

G_END_DECLS
