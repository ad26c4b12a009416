/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-application.h"
#include "ak-preferences-window.h"
#include "ak-window-private.h"

static AkApplication *app;

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static GtkSpinButton *
find_spin (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkSpinButton *spin = GTK_IS_SPIN_BUTTON (child) ? GTK_SPIN_BUTTON (child) : find_spin (child);

      if (spin != NULL)
        return spin;
    }
  return NULL;
}

static void
spin_until (GType type)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (find_toplevel (type) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
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
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  spin_until (AK_TYPE_PREFERENCES_WINDOW);
  preferences = find_toplevel (AK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);

  /* The first number is the clipboard delay. */
  spin = find_spin (GTK_WIDGET (preferences));
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

static void
test_shortcuts_window (void)
{
  AkWindow *window = ak_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  spin_until (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  gtk_window_destroy (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AkCredentialStore) store = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = ak_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    g_error ("Could not register the application");
  store = ak_credential_store_new_in_memory ();
  ak_application_set_store (app, store);

  g_test_add_func ("/ak/ui/preferences/bound-to-settings", test_preferences);
  g_test_add_func ("/ak/ui/preferences/shortcuts-window", test_shortcuts_window);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
