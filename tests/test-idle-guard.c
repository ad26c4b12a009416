/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The idle guard: when revealed secrets are hidden again, and when the user is told. */
#include "ak-core.h"
#include "ak-test-util.h"

typedef struct
{
  AkIdleGuard *guard;
  gint64 now;
  /* What the "hide" handler answers: whether there was something revealed to mask. */
  gboolean revealed;
  guint hides;
  AkHideReason hide_reason;
  guint returns;
  AkHideReason return_reason;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->now;
}

static gboolean
on_hide (AkIdleGuard  *guard,
         AkHideReason  reason,
         Fixture      *f)
{
  gboolean masked = f->revealed;

  f->hides++;
  f->hide_reason = reason;
  f->revealed = FALSE;
  return masked;
}

static void
on_returned (AkIdleGuard  *guard,
             AkHideReason  reason,
             Fixture      *f)
{
  f->returns++;
  f->return_reason = reason;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->now = 1000 * G_USEC_PER_SEC;
  f->guard = ak_idle_guard_new ();
  ak_idle_guard_set_clock_for_testing (f->guard, fake_clock, f);
  g_signal_connect (f->guard, "hide", G_CALLBACK (on_hide), f);
  g_signal_connect (f->guard, "returned", G_CALLBACK (on_returned), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->guard);
}

static void
advance (Fixture *f,
         gint64   seconds)
{
  f->now += seconds * G_USEC_PER_SEC;
  ak_idle_guard_check (f->guard);
}

static void
test_idle_timeout (Fixture       *f,
                   gconstpointer  data)
{
  ak_idle_guard_set_timeout (f->guard, 300);
  f->revealed = TRUE;

  advance (f, 299);
  g_assert_cmpuint (f->hides, ==, 0);
  advance (f, 1);
  g_assert_cmpuint (f->hides, ==, 1);
  g_assert_cmpint (f->hide_reason, ==, AK_HIDE_REASON_IDLE);
  g_assert_cmpuint (f->returns, ==, 0);

  /* Still idle: no second hide. */
  advance (f, 600);
  g_assert_cmpuint (f->hides, ==, 1);

  /* Back: told once. */
  ak_idle_guard_activity (f->guard);
  g_assert_cmpuint (f->returns, ==, 1);
  g_assert_cmpint (f->return_reason, ==, AK_HIDE_REASON_IDLE);
  ak_idle_guard_activity (f->guard);
  g_assert_cmpuint (f->returns, ==, 1);
}

static void
test_activity_restarts (Fixture       *f,
                        gconstpointer  data)
{
  ak_idle_guard_set_timeout (f->guard, 60);
  f->revealed = TRUE;

  for (guint i = 0; i < 10; i++)
    {
      advance (f, 59);
      ak_idle_guard_activity (f->guard);
    }
  g_assert_cmpuint (f->hides, ==, 0);
  advance (f, 60);
  g_assert_cmpuint (f->hides, ==, 1);

  /* After coming back, the countdown starts again from the new activity. */
  ak_idle_guard_activity (f->guard);
  f->revealed = TRUE;
  advance (f, 59);
  g_assert_cmpuint (f->hides, ==, 1);
  advance (f, 1);
  g_assert_cmpuint (f->hides, ==, 2);
}

static void
test_nothing_revealed_no_notice (Fixture       *f,
                                 gconstpointer  data)
{
  ak_idle_guard_set_timeout (f->guard, 10);
  f->revealed = FALSE;
  advance (f, 10);
  g_assert_cmpuint (f->hides, ==, 1);
  ak_idle_guard_activity (f->guard);
  g_assert_cmpuint (f->returns, ==, 0);
}

static void
test_never (Fixture       *f,
            gconstpointer  data)
{
  ak_idle_guard_set_timeout (f->guard, 0);
  f->revealed = TRUE;
  advance (f, 365 * 24 * 3600);
  g_assert_cmpuint (f->hides, ==, 0);

  /* Changing the setting counts from the last activity, not from the change. */
  ak_idle_guard_activity (f->guard);
  advance (f, 100);
  ak_idle_guard_set_timeout (f->guard, 60);
  ak_idle_guard_check (f->guard);
  g_assert_cmpuint (f->hides, ==, 1);
}

static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  /* Locking hides at once, whatever the idle setting, even "never". */
  ak_idle_guard_set_timeout (f->guard, 0);
  f->revealed = TRUE;
  ak_idle_guard_set_locked (f->guard, TRUE);
  g_assert_true (ak_idle_guard_get_locked (f->guard));
  g_assert_cmpuint (f->hides, ==, 1);
  g_assert_cmpint (f->hide_reason, ==, AK_HIDE_REASON_LOCKED);

  /* Activity while locked (none should come, but) does not give the notice early. */
  ak_idle_guard_activity (f->guard);
  g_assert_cmpuint (f->returns, ==, 0);
  ak_idle_guard_set_locked (f->guard, TRUE);
  g_assert_cmpuint (f->hides, ==, 1);

  ak_idle_guard_set_locked (f->guard, FALSE);
  g_assert_cmpuint (f->returns, ==, 1);
  g_assert_cmpint (f->return_reason, ==, AK_HIDE_REASON_LOCKED);
}

static void
test_idle_then_lock (Fixture       *f,
                     gconstpointer  data)
{
  ak_idle_guard_set_timeout (f->guard, 30);
  f->revealed = TRUE;
  advance (f, 30);
  g_assert_cmpuint (f->hides, ==, 1);
  /* Already masked: the lock masks nothing more, and the notice stays the idle one. */
  ak_idle_guard_set_locked (f->guard, TRUE);
  g_assert_cmpuint (f->hides, ==, 2);
  ak_idle_guard_set_locked (f->guard, FALSE);
  g_assert_cmpuint (f->returns, ==, 1);
  g_assert_cmpint (f->return_reason, ==, AK_HIDE_REASON_IDLE);
  /* And idle hiding works again after the unlock. */
  f->revealed = TRUE;
  advance (f, 30);
  g_assert_cmpuint (f->hides, ==, 3);
  g_assert_cmpint (f->hide_reason, ==, AK_HIDE_REASON_IDLE);
}

/* The guard's own timer, on the real clock and a real main loop. */
static gboolean
hidden_for_real (gpointer data)
{
  return ((Fixture *) data)->hides > 0;
}

static void
test_real_timer (void)
{
  Fixture f = { 0 };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC * ak_test_time_scale ();

  f.guard = ak_idle_guard_new ();
  g_signal_connect (f.guard, "hide", G_CALLBACK (on_hide), &f);
  f.revealed = TRUE;
  ak_idle_guard_set_timeout (f.guard, 1);
  while (!hidden_for_real (&f))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (f.hide_reason, ==, AK_HIDE_REASON_IDLE);
  g_clear_object (&f.guard);
}

/* The screen lock, as GNOME and KDE announce it on the session bus. A private bus; the
 * test's second connection plays the screen saver. */
static gboolean
lock_is (gpointer data)
{
  Fixture *f = data;

  return ak_idle_guard_get_locked (f->guard) == f->revealed;
}

static void
emit_active (GDBusConnection *bus,
             const char      *interface,
             gboolean         active)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdelimit (g_strconcat ("/", interface, NULL), ".", '/');

  g_dbus_connection_emit_signal (bus, NULL, path, interface, "ActiveChanged",
                                 g_variant_new ("(b)", active), &error);
  g_assert_no_error (error);
}

static void
wait_for_lock (Fixture  *f,
               gboolean  locked)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC * ak_test_time_scale ();

  /* lock_is() compares with f->revealed, reused here as "expected". */
  f->revealed = locked;
  while (!lock_is (f))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_screen_saver (void)
{
  g_autoptr(GTestDBus) test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) app_bus = NULL;
  g_autoptr(GDBusConnection) shell_bus = NULL;
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };

  g_test_dbus_up (test_bus);
  app_bus = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (test_bus),
                                                    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                    | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  shell_bus = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (test_bus),
                                                      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                      | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                      NULL, NULL, &error);
  g_assert_no_error (error);

  f.guard = ak_idle_guard_new ();
  g_signal_connect (f.guard, "returned", G_CALLBACK (on_returned), &f);
  ak_idle_guard_watch_screen_saver (f.guard, app_bus);
  /* The subscription reaches the bus before anything the test emits next. */
  g_dbus_connection_flush_sync (app_bus, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) reply =
      g_dbus_connection_call_sync (app_bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                   "org.freedesktop.DBus", "GetId", NULL, NULL,
                                   G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    g_assert_no_error (error);
  }

  emit_active (shell_bus, "org.gnome.ScreenSaver", TRUE);
  wait_for_lock (&f, TRUE);
  emit_active (shell_bus, "org.gnome.ScreenSaver", FALSE);
  wait_for_lock (&f, FALSE);
  emit_active (shell_bus, "org.freedesktop.ScreenSaver", TRUE);
  wait_for_lock (&f, TRUE);
  emit_active (shell_bus, "org.freedesktop.ScreenSaver", FALSE);
  wait_for_lock (&f, FALSE);

  g_clear_object (&f.guard);
  g_dbus_connection_close_sync (app_bus, NULL, NULL);
  g_dbus_connection_close_sync (shell_bus, NULL, NULL);
  g_test_dbus_down (test_bus);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/ak/idle-guard/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("idle-timeout", test_idle_timeout);
  ADD ("activity-restarts", test_activity_restarts);
  ADD ("nothing-revealed", test_nothing_revealed_no_notice);
  ADD ("never", test_never);
  ADD ("lock", test_lock);
  ADD ("idle-then-lock", test_idle_then_lock);
#undef ADD
  g_test_add_func ("/ak/idle-guard/real-timer", test_real_timer);
  g_test_add_func ("/ak/idle-guard/screen-saver", test_screen_saver);

  return g_test_run ();
}
