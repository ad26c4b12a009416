/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-idle-guard.c: when to hide revealed secrets again
 *
 * The guard knows nothing of widgets. It is told about user activity and about the session
 * locking, and asks (the "hide" signal) for revealed secrets to be masked when the session
 * locks or when nobody has touched the app for the configured time. If something was
 * masked, the first activity afterwards (or the unlock) emits "returned", once, so that the
 * window can say what happened.
 *
 * Activity is only recorded, never scheduled: the one timer runs at the earliest moment the
 * timeout could be reached, and when it fires early (there was activity since) it is set again
 * for the time left. Pointer motion therefore costs a store, not a timer. */
#include "config.h"

#include <string.h>

#include "ak-core-enums.h"
#include "ak-idle-guard.h"

struct _AkIdleGuard
{
  GObject parent_instance;

  guint timeout_seconds;
  gint64 last_activity;
  gboolean locked;
  /* Masked for idleness; activity ends that state. */
  gboolean idle_hidden;
  /* Something was masked, and the user has not been told yet. */
  gboolean notice_pending;
  AkHideReason notice_reason;
  guint timer_id;

  GDBusConnection *bus;
  guint screen_saver_ids[2];

  AkIdleGuardClock clock;
  gpointer clock_data;
};

enum
{
  SIGNAL_HIDE,
  SIGNAL_RETURNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AkIdleGuard, ak_idle_guard, G_TYPE_OBJECT)

static gint64
now (AkIdleGuard *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_monotonic_time ();
}

static void schedule (AkIdleGuard *self);

static gboolean
timer_fired (gpointer user_data)
{
  AkIdleGuard *self = user_data;

  self->timer_id = 0;
  ak_idle_guard_check (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (AkIdleGuard *self)
{
  gint64 due;
  gint64 left;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->timeout_seconds == 0 || self->locked || self->idle_hidden)
    return;

  due = self->last_activity + (gint64) self->timeout_seconds * G_USEC_PER_SEC;
  left = MAX (due - now (self), 0);
  /* Rounded up to the next millisecond, so the timer never fires just before it is due. */
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                       (guint) MIN ((left + 999) / 1000, G_MAXUINT),
                                       timer_fired, self, NULL);
  g_source_set_name_by_id (self->timer_id, "[agora-keys] idle guard");
}

static void
hide (AkIdleGuard  *self,
      AkHideReason  reason)
{
  gboolean hid_something = FALSE;

  g_signal_emit (self, signals[SIGNAL_HIDE], 0, reason, &hid_something);
  /* Nothing masked (nothing was revealed, or an earlier hide masked it): nothing to tell. */
  if (hid_something)
    {
      self->notice_pending = TRUE;
      self->notice_reason = reason;
    }
}

static void
give_notice (AkIdleGuard *self)
{
  if (!self->notice_pending)
    return;
  self->notice_pending = FALSE;
  g_signal_emit (self, signals[SIGNAL_RETURNED], 0, self->notice_reason);
}

/**
 * ak_idle_guard_check:
 *
 * Hides revealed secrets if the idle timeout has been reached, and sets the timer again if
 * not. The guard's own timer calls this; tests call it after moving their clock.
 */
void
ak_idle_guard_check (AkIdleGuard *self)
{
  g_return_if_fail (AK_IS_IDLE_GUARD (self));

  if (self->timeout_seconds == 0 || self->locked || self->idle_hidden)
    return;

  if (now (self) - self->last_activity >= (gint64) self->timeout_seconds * G_USEC_PER_SEC)
    {
      g_clear_handle_id (&self->timer_id, g_source_remove);
      self->idle_hidden = TRUE;
      hide (self, AK_HIDE_REASON_IDLE);
    }
  else
    schedule (self);
}

/**
 * ak_idle_guard_activity:
 *
 * The user did something (a key, a click, the pointer moved) in one of the app's windows.
 */
void
ak_idle_guard_activity (AkIdleGuard *self)
{
  g_return_if_fail (AK_IS_IDLE_GUARD (self));

  self->last_activity = now (self);
  if (self->locked)
    return;
  if (self->idle_hidden)
    {
      self->idle_hidden = FALSE;
      schedule (self);
    }
  else if (self->timer_id == 0)
    schedule (self);
  give_notice (self);
}

/**
 * ak_idle_guard_set_locked:
 *
 * The session's screen was locked (%TRUE) or unlocked. Locking hides revealed secrets at
 * once; unlocking counts as activity.
 */
void
ak_idle_guard_set_locked (AkIdleGuard *self,
                          gboolean     locked)
{
  g_return_if_fail (AK_IS_IDLE_GUARD (self));

  locked = !!locked;
  if (locked == self->locked)
    return;
  self->locked = locked;
  if (locked)
    {
      g_clear_handle_id (&self->timer_id, g_source_remove);
      hide (self, AK_HIDE_REASON_LOCKED);
    }
  else
    ak_idle_guard_activity (self);
}

static void
screen_saver_changed (GDBusConnection *bus,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  gboolean active;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &active);
  ak_idle_guard_set_locked (AK_IDLE_GUARD (user_data), active);
}

/**
 * ak_idle_guard_watch_screen_saver:
 * @bus: the session bus
 *
 * Follows the screen lock through the ActiveChanged signal of org.gnome.ScreenSaver (GNOME)
 * and org.freedesktop.ScreenSaver (KDE and others). Call once.
 */
void
ak_idle_guard_watch_screen_saver (AkIdleGuard     *self,
                                  GDBusConnection *bus)
{
  static const char * const interfaces[] = { "org.gnome.ScreenSaver",
                                             "org.freedesktop.ScreenSaver" };

  g_return_if_fail (AK_IS_IDLE_GUARD (self));
  g_return_if_fail (G_IS_DBUS_CONNECTION (bus));
  g_return_if_fail (self->bus == NULL);

  self->bus = g_object_ref (bus);
  for (guint i = 0; i < G_N_ELEMENTS (interfaces); i++)
    self->screen_saver_ids[i] =
      g_dbus_connection_signal_subscribe (bus, NULL, interfaces[i], "ActiveChanged", NULL, NULL,
                                          G_DBUS_SIGNAL_FLAGS_NONE, screen_saver_changed, self,
                                          NULL);
}

gboolean
ak_idle_guard_get_locked (AkIdleGuard *self)
{
  g_return_val_if_fail (AK_IS_IDLE_GUARD (self), FALSE);
  return self->locked;
}

/**
 * ak_idle_guard_set_timeout:
 * @seconds: how long without activity before secrets are hidden; 0 never hides for idleness
 *
 * Counts from the last activity, not from this call.
 */
void
ak_idle_guard_set_timeout (AkIdleGuard *self,
                           guint        seconds)
{
  g_return_if_fail (AK_IS_IDLE_GUARD (self));

  self->timeout_seconds = seconds;
  if (!self->idle_hidden)
    schedule (self);
}

guint
ak_idle_guard_get_timeout (AkIdleGuard *self)
{
  g_return_val_if_fail (AK_IS_IDLE_GUARD (self), 0);
  return self->timeout_seconds;
}

void
ak_idle_guard_set_clock_for_testing (AkIdleGuard      *self,
                                     AkIdleGuardClock  clock,
                                     gpointer          user_data)
{
  g_return_if_fail (AK_IS_IDLE_GUARD (self));

  self->clock = clock;
  self->clock_data = user_data;
  self->last_activity = now (self);
  schedule (self);
}

AkIdleGuard *
ak_idle_guard_new (void)
{
  return g_object_new (AK_TYPE_IDLE_GUARD, NULL);
}

/* Every handler runs; the result says whether any of them hid something. */
static gboolean
any_hid_something (GSignalInvocationHint *hint,
                   GValue                *accumulated,
                   const GValue          *handler_return,
                   gpointer               user_data)
{
  if (g_value_get_boolean (handler_return))
    g_value_set_boolean (accumulated, TRUE);
  return TRUE;
}

static void
ak_idle_guard_dispose (GObject *object)
{
  AkIdleGuard *self = AK_IDLE_GUARD (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->bus != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (self->screen_saver_ids); i++)
      if (self->screen_saver_ids[i] != 0)
        g_dbus_connection_signal_unsubscribe (self->bus, self->screen_saver_ids[i]);
  memset (self->screen_saver_ids, 0, sizeof self->screen_saver_ids);
  g_clear_object (&self->bus);
  G_OBJECT_CLASS (ak_idle_guard_parent_class)->dispose (object);
}

static void
ak_idle_guard_class_init (AkIdleGuardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ak_idle_guard_dispose;

  /**
   * AkIdleGuard::hide:
   * @reason: why
   *
   * Mask every revealed secret. Returns %TRUE if a handler masked something.
   */
  signals[SIGNAL_HIDE] = g_signal_new ("hide", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, any_hid_something, NULL, NULL, G_TYPE_BOOLEAN, 1,
                                       AK_TYPE_HIDE_REASON);
  /**
   * AkIdleGuard::returned:
   * @reason: why secrets were hidden
   *
   * The user is back after a "hide" that masked something: time to say so.
   */
  signals[SIGNAL_RETURNED] = g_signal_new ("returned", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, AK_TYPE_HIDE_REASON);
}

static void
ak_idle_guard_init (AkIdleGuard *self)
{
  self->last_activity = g_get_monotonic_time ();
}
