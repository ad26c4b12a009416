/* ak-test-stall.h: watch the main loop for stalls while a test does something big
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A timeout fires every 5 ms and notes the longest time between two of its
 * runs: that is the longest the main loop went without running, the time a
 * window would have been frozen.
 *
 * The issues' targets (no gap over 50 ms) are performance figures, and are
 * measured by build-aux/bench, which runs these same tests one at a time with
 * AK_STALL_LIMIT_MS=50. The test suite runs many tests at once on small CI
 * machines, where the scheduler alone can cost tens of milliseconds, so there
 * the limit is 250 ms: enough to tell a busy machine from work done on the
 * main thread, which is what the tests are there to catch.
 *
 * Also here: AK_TEST_TIME_SCALE, which build-aux/test sets for its
 * instrumented runs (ASan, valgrind), several times slower than a plain build.
 * Every wall-clock bound in the tests is multiplied by it, the stall limit
 * included.
 */

#pragma once

#include <glib.h>
#include <stdlib.h>

#define AK_TEST_STALL_DEFAULT_LIMIT_MS 250

typedef struct
{
  gint64 last;
  gint64 largest;
  guint source_id;
} AkTestStall;

static gboolean
ak_test_stall_tick (gpointer data)
{
  AkTestStall *stall = data;
  gint64 now = g_get_monotonic_time ();

  stall->largest = MAX (stall->largest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

static inline void
ak_test_stall_start (AkTestStall *stall)
{
  stall->largest = 0;
  stall->last = g_get_monotonic_time ();
  stall->source_id = g_timeout_add (5, ak_test_stall_tick, stall);
}

/* Counts the time since the last tick too, so a stall right at the end is not missed. */
static inline void
ak_test_stall_stop (AkTestStall *stall)
{
  ak_test_stall_tick (stall);
  g_clear_handle_id (&stall->source_id, g_source_remove);
}

/* 1 unless AK_TEST_TIME_SCALE says how many times slower this run is. */
static inline gint64
ak_test_time_scale (void)
{
  const char *text = g_getenv ("AK_TEST_TIME_SCALE");
  guint64 scale = 1;

  if (text != NULL && *text != '\0')
    scale = g_ascii_strtoull (text, NULL, 10);
  g_assert_cmpuint (scale, >, 0);
  return (gint64) scale;
}

static inline gint64
ak_test_stall_limit_us (void)
{
  const char *text = g_getenv ("AK_STALL_LIMIT_MS");
  guint64 ms = AK_TEST_STALL_DEFAULT_LIMIT_MS;

  if (text != NULL && *text != '\0')
    ms = g_ascii_strtoull (text, NULL, 10);
  g_assert_cmpuint (ms, >, 0);
  return (gint64) ms * 1000 * ak_test_time_scale ();
}

/* Reports the largest gap on a line build-aux/bench picks up ("# bench: ..."), on stderr so
 * that it also gets out of g_test_trap_subprocess() children, and fails over the limit. */
static inline void
ak_test_stall_check (AkTestStall *stall,
                     const char  *what)
{
  gint64 limit = ak_test_stall_limit_us ();

  g_printerr ("# bench: %s: largest main-loop gap %.1f ms (limit %.0f ms)\n",
              what, stall->largest / 1000.0, limit / 1000.0);
  g_assert_cmpint (stall->largest, <, limit);
}
