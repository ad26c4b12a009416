/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-clock.h"

/* GLib has no 64-bit atomics; a lock keeps the fixed time whole on every architecture. */
G_LOCK_DEFINE_STATIC (fixed_now);
static gint64 fixed_now;

/**
 * ak_clock_now_unix:
 *
 * Returns: the current unix time in seconds, or the time fixed by ak_clock_set_for_testing()
 */
gint64
ak_clock_now_unix (void)
{
  gint64 now;

  G_LOCK (fixed_now);
  now = fixed_now;
  G_UNLOCK (fixed_now);

  if (now != 0)
    return now;
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * ak_clock_set_for_testing:
 * @unix_time: the time ak_clock_now_unix() returns from now on, or 0 for the real clock
 */
void
ak_clock_set_for_testing (gint64 unix_time)
{
  G_LOCK (fixed_now);
  fixed_now = unix_time;
  G_UNLOCK (fixed_now);
}
