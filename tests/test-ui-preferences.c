/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-application.h"
#include "ak-preferences-window.h"
#include "ak-window-private.h"
#include "ak-test-ui.h"

static AkApplication *app;

static void
spin_until (GType type)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC * ak_test_time_scale ();

  while (ak_test_find_toplevel (type) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

/* Opens Preferences as the menu does: its window, once it is there. */
static GtkWindow *
open_preferences (void)
{
  GtkWindow *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  spin_until (AK_TYPE_PREFERENCES_WINDOW);
  preferences = ak_test_find_toplevel (AK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  return preferences;
}

/* A change in Preferences lands in GSettings at once, and the other way round. */
static void
test_preferences (void)
{
  GSettings *settings = ak_application_get_settings (app);
  AkWindow *window = ak_window_new (app);
  GtkWindow *preferences;
  GtkSpinButton *spin;

  gtk_window_present (GTK_WINDOW (window));
  preferences = open_preferences ();

  /* The first number is the clipboard delay. */
  spin = GTK_SPIN_BUTTON (ak_test_find_of_type (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON));
  g_assert_nonnull (spin);
  g_assert_cmpint ((int) gtk_spin_button_get_value (spin), ==,
                   g_settings_get_uint (settings, "clipboard-clear-seconds"));
  gtk_spin_button_set_value (spin, 45);
  g_assert_cmpuint (g_settings_get_uint (settings, "clipboard-clear-seconds"), ==, 45);
  g_settings_set_uint (settings, "clipboard-clear-seconds", 60);
  g_assert_cmpint ((int) gtk_spin_button_get_value (spin), ==, 60);

  gtk_window_destroy (preferences);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
saved_lifetime_is (GSettings  *settings,
                   const char *expected)
{
  g_autofree char *saved = g_settings_get_string (settings, "default-token-lifetime");

  return g_str_equal (saved, expected);
}

/* The default lifetime goes through Generate's parser: what Generate would refuse is never
 * saved, and the field says why; a good value is saved as typed. */
static void
test_default_lifetime_validated (void)
{
  GSettings *settings = ak_application_get_settings (app);
  AkWindow *window = ak_window_new (app);
  const char *refused[] = { "abc", "0", "1h x", "" };
  GtkWindow *preferences;
  AdwEntryRow *row;

  g_settings_set_string (settings, "default-token-lifetime", "1h");
  gtk_window_present (GTK_WINDOW (window));
  preferences = open_preferences ();
  /* The only text field of the window is the lifetime. */
  row = ADW_ENTRY_ROW (ak_test_find_of_type (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW));
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "1h");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (row), refused[i]);
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
      g_assert_true (saved_lifetime_is (settings, "1h"));
    }

  gtk_editable_set_text (GTK_EDITABLE (row), "30m");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_true (saved_lifetime_is (settings, "30m"));
  g_settings_set_string (settings, "default-token-lifetime", "1h");

  gtk_window_destroy (preferences);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_shortcuts_window (void)
{
  AkWindow *window = ak_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  spin_until (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (ak_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  gtk_window_destroy (ak_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Revealed secrets are masked again when the screen locks or after the idle time, the text
 * itself kept, and a toast says so when the user is back. */
static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static void
wait_for_label (GtkWidget  *widget,
                const char *text)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC * ak_test_time_scale ();

  while (ak_test_find_widget (widget, is_label_with, text, TRUE) == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("No “%s” shown", text);
      g_main_context_iteration (NULL, FALSE);
    }
}

static gboolean
text_visible (AdwPasswordEntryRow *row)
{
  return gtk_text_get_visibility (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (row))));
}

static void
reveal (AdwPasswordEntryRow *row)
{
  gtk_editable_set_text (GTK_EDITABLE (row), "0123456789abcdef0123456789abcdef");
  gtk_text_set_visibility (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (row))), TRUE);
  g_assert_true (text_visible (row));
}

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static void
test_hide_revealed (void)
{
  GSettings *settings = ak_application_get_settings (app);
  AkIdleGuard *guard = ak_application_get_idle_guard (app);
  AkWindow *window = ak_window_new (app);
  AdwPasswordEntryRow *row;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  /* Every window, dialogs included, reports activity to the guard. */
  g_assert_nonnull (g_object_get_data (G_OBJECT (window), "ak-idle-watch"));
  /* The Requests page's token row: on a page not on show, which must be masked too. */
  row = ADW_PASSWORD_ENTRY_ROW (ak_test_find_of_type (
    GTK_WIDGET (ak_window_get_requests_page (window)), ADW_TYPE_PASSWORD_ENTRY_ROW));
  g_assert_nonnull (row);

  /* The setting takes effect at once. */
  g_settings_set_uint (settings, "hide-secrets-after-idle", 2);
  g_assert_cmpuint (ak_idle_guard_get_timeout (guard), ==, 120);

  /* The screen locks: masked, text kept; back: told. */
  reveal (row);
  ak_idle_guard_set_locked (guard, TRUE);
  g_assert_false (text_visible (row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==,
                   "0123456789abcdef0123456789abcdef");
  ak_idle_guard_set_locked (guard, FALSE);
  wait_for_label (GTK_WIDGET (window), "Revealed secrets were hidden when the screen locked");

  /* Two minutes without activity, on the guard's clock. */
  fake_now = g_get_monotonic_time ();
  ak_idle_guard_set_clock_for_testing (guard, fake_clock, NULL);
  reveal (row);
  fake_now += 119 * G_USEC_PER_SEC;
  ak_idle_guard_check (guard);
  g_assert_true (text_visible (row));
  fake_now += 1 * G_USEC_PER_SEC;
  ak_idle_guard_check (guard);
  g_assert_false (text_visible (row));
  ak_idle_guard_activity (guard);
  wait_for_label (GTK_WIDGET (window),
                  "Revealed secrets were hidden after 2 minutes without activity");

  /* 0 is never. */
  g_settings_set_uint (settings, "hide-secrets-after-idle", 0);
  reveal (row);
  fake_now += (gint64) 24 * 3600 * G_USEC_PER_SEC;
  ak_idle_guard_check (guard);
  g_assert_true (text_visible (row));

  ak_idle_guard_set_clock_for_testing (guard, NULL, NULL);
  g_settings_reset (settings, "hide-secrets-after-idle");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = ak_test_ui_init (&argc, &argv, TRUE);

  g_test_add_func ("/ak/ui/preferences/bound-to-settings", test_preferences);
  g_test_add_func ("/ak/ui/preferences/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ak/ui/preferences/default-lifetime-validated",
                   test_default_lifetime_validated);
  g_test_add_func ("/ak/ui/preferences/hide-revealed", test_hide_revealed);
  return ak_test_ui_run (&app);
}
