/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The yardstick for build-aux/bench: the smallest libadwaita application there is, one
 * AdwApplicationWindow with a header bar, at Agora Keys' default size. Like Agora Keys under
 * AK_REPORT_FIRST_FRAME=1, it prints "first-frame <g_get_monotonic_time ()>" on stderr once its
 * window's first frame is rendered, then idles until it is killed.
 *
 * Built by build-aux/bench itself: cc bench-bare-window.c $(pkg-config --cflags --libs
 * libadwaita-1). Not part of the meson build: nothing installs it and no test runs it.
 */
#include <adwaita.h>

static void
print_first_frame (GdkFrameClock *clock,
                   gpointer       user_data)
{
  g_printerr ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, print_first_frame, user_data);
}

/* An emission hook sees every "render", even though GTK's own handler stops the emission;
 * the frame it belongs to is drawn by the time the frame clock says "after-paint". */
static gboolean
surface_rendered (GSignalInvocationHint *hint,
                  guint                  n_values,
                  const GValue          *values,
                  gpointer               user_data)
{
  GdkSurface *surface = g_value_get_object (&values[0]);

  if (surface != user_data)
    return TRUE;
  g_signal_connect (gdk_surface_get_frame_clock (surface), "after-paint",
                    G_CALLBACK (print_first_frame), NULL);
  return FALSE;
}

static void
activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Bare window");
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 680);
  gtk_window_present (GTK_WINDOW (window));

  /* Presenting realizes the window, so its surface exists but has not been drawn yet. */
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0, surface_rendered,
                              gtk_native_get_surface (GTK_NATIVE (window)), NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  /* Unique, like the app, so that both own a name on the session bus. */
  app = adw_application_new ("io.github.agorakeys.BenchBareWindow", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
