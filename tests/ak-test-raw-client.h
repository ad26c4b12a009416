/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-raw-client.h: a client of raw blocking sockets on loopback, every wait bounded, for
 * test-token-server-hostile (which links ak-test-raw-client.c)
 */
#pragma once

#include <glib.h>

/* @seconds in microseconds, times AK_TEST_TIME_SCALE. */
gint64 scaled_us (gdouble seconds);

/* A blocking socket connected to 127.0.0.1:@port, or -1. */
int connect_to (guint port);

/* Milliseconds until @deadline (monotonic), at least 0: for poll(). */
int remaining_ms (gint64 deadline);

/* FALSE when the server closed or stopped reading until the deadline. */
gboolean send_all (int         fd,
                   const void *data,
                   gsize       length,
                   gint64      timeout_us);

/* send_all() of @text, within 5 s (scaled). */
gboolean send_text (int         fd,
                    const char *text);

/* One response, whole: its status (0 when none came in time or the connection was reset),
 * and its body. */
guint read_response (int     fd,
                     gint64  timeout_us,
                     char  **body);

/* TRUE when the server closed the connection before the deadline (what it still sent is
 * dropped). */
gboolean wait_closed (int    fd,
                      gint64 timeout_us);

/* What a user would check: /ping still answers, within a second. */
void assert_ping (guint port);

/* How much the process may grow while under attack. Under AddressSanitizer freed memory sits
 * in quarantine (up to 256 MiB), so there it is not checked; valgrind (a time scale above 1)
 * keeps a queue of freed blocks too. */
gsize rss_allowance (gsize normal);

/* This process's resident memory, in bytes. */
gsize rss_bytes (void);
