/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  AK_HIDE_REASON_IDLE,
  AK_HIDE_REASON_LOCKED,
} AkHideReason;

#define AK_TYPE_IDLE_GUARD (ak_idle_guard_get_type ())
G_DECLARE_FINAL_TYPE (AkIdleGuard, ak_idle_guard, AK, IDLE_GUARD, GObject)

/* Returns the monotonic time in microseconds, like g_get_monotonic_time(). */
typedef gint64 (*AkIdleGuardClock) (gpointer user_data);

AkIdleGuard *ak_idle_guard_new                (void);
void         ak_idle_guard_set_timeout        (AkIdleGuard *self,
                                               guint        seconds);
guint        ak_idle_guard_get_timeout        (AkIdleGuard *self);
void         ak_idle_guard_activity           (AkIdleGuard *self);
void         ak_idle_guard_set_locked         (AkIdleGuard *self,
                                               gboolean     locked);
gboolean     ak_idle_guard_get_locked         (AkIdleGuard *self);
void         ak_idle_guard_watch_screen_saver (AkIdleGuard     *self,
                                               GDBusConnection *bus);

/* For tests: read time from @clock instead of g_get_monotonic_time(), and run the check the
 * guard's timer would run, now. */
void         ak_idle_guard_set_clock_for_testing (AkIdleGuard      *self,
                                                  AkIdleGuardClock  clock,
                                                  gpointer          user_data);
void         ak_idle_guard_check              (AkIdleGuard *self);

G_END_DECLS
