/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The wall clock that everything in core reads for "now" (expiry states, countdowns, the
 * default issue time of new tokens), so that tests can fix it. */
gint64   ak_clock_now_unix          (void);
/* Fixes "now" at @unix_time; 0 goes back to the real clock. For tests only. */
void     ak_clock_set_for_testing   (gint64 unix_time);

G_END_DECLS
