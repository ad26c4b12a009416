/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-application-private.h"
#include "ak-application.h"
#include "ak-clipboard.h"
#include "ak-idle-guard.h"
#include "ak-preferences-window.h"
#include "ak-ui-util.h"
#include "ak-window.h"

struct _AkApplication
{
  AdwApplication parent_instance;

  /* owned */
  AkCredentialStore *store;
  GSettings *settings;
  AkRestClient *rest_client;
  AkRestHistory *rest_history;
  AkIdleGuard *idle_guard;
  /* unowned (weak): the last "secrets were hidden" toast, replaced rather than queued */
  AdwToast *hidden_toast;
};

G_DEFINE_FINAL_TYPE (AkApplication, ak_application, ADW_TYPE_APPLICATION)

static void start_idle_guard (AkApplication *self);

AkApplication *
ak_application_new (void)
{
  return g_object_new (AK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * ak_application_get_store:
 *
 * Returns: (transfer none): the one credential store of the process, created on first use
 *   with the app ID as its keyring schema
 */
AkCredentialStore *
ak_application_get_store (AkApplication *self)
{
  g_return_val_if_fail (AK_IS_APPLICATION (self), NULL);

  if (self->store == NULL)
    self->store = ak_credential_store_new (APP_ID);
  return self->store;
}

void
ak_application_set_store (AkApplication     *self,
                          AkCredentialStore *store)
{
  g_return_if_fail (AK_IS_APPLICATION (self));
  g_set_object (&self->store, store);
}

GSettings *
ak_application_get_settings (AkApplication *self)
{
  g_return_val_if_fail (AK_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  return self->settings;
}

/**
 * ak_application_get_rest_client:
 *
 * Returns: (transfer none): the process's one REST client (one HTTP session)
 */
AkRestClient *
ak_application_get_rest_client (AkApplication *self)
{
  g_return_val_if_fail (AK_IS_APPLICATION (self), NULL);

  if (self->rest_client == NULL)
    self->rest_client = ak_rest_client_new (ak_application_get_store (self));
  return self->rest_client;
}

/**
 * ak_application_get_rest_history:
 *
 * Returns: (transfer none): the request history, loaded on first use
 */
AkRestHistory *
ak_application_get_rest_history (AkApplication *self)
{
  g_return_val_if_fail (AK_IS_APPLICATION (self), NULL);

  if (self->rest_history == NULL)
    {
      self->rest_history = ak_rest_history_new (NULL, g_settings_get_uint (
                                                ak_application_get_settings (self),
                                                "history-size"));
      ak_rest_history_load_async (self->rest_history, NULL, NULL, NULL);
    }
  return self->rest_history;
}

/* AK_REPORT_FIRST_FRAME=1, for build-aux/bench: "first-frame <g_get_monotonic_time ()>" on
 * stderr once the first window's first frame is drawn. Nothing else changes. */
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
first_frame_rendered (GSignalInvocationHint *hint,
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
report_first_frame (GtkWindow *window)
{
  static gboolean reported;

  if (reported)
    return;
  reported = TRUE;
  /* Presenting realized the window: its surface exists but is not drawn yet. */
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0,
                              first_frame_rendered,
                              gtk_native_get_surface (GTK_NATIVE (window)), NULL);
}

static void
ak_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ak_window_new (AK_APPLICATION (app)));
  gtk_window_present (window);
  if (g_getenv ("AK_REPORT_FIRST_FRAME") != NULL)
    report_first_frame (window);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close windows first so they save their size and cancel their work. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (app);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("Agora Keys developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Agora Keys"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("Agora Keys developers"),
                         "developers", developers,
                         "comments", _("Keep Agora credentials in the keyring, make and check "
                                       "access tokens, and call Agora's REST APIs."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "issue-url", "https://github.com/agorakeys/agora-keys/issues",
                         "website", "https://github.com/agorakeys/agora-keys",
                         NULL);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  AkApplication *self = user_data;
  GtkWidget *window = ak_preferences_window_new (
    gtk_application_get_active_window (GTK_APPLICATION (self)),
    ak_application_get_settings (self));

  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "preferences", .activate = preferences_activated },
  { .name = "about", .activate = about_activated },
};

static void
ak_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (ak_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
  ak_window_set_accels (GTK_APPLICATION (app));
  start_idle_guard (AK_APPLICATION (app));
}

/* Hiding revealed secrets again: the guard (src/core/ak-idle-guard.c) decides when; here are
 * its inputs (activity in any of the process's windows, dialogs included; the screen lock;
 * the setting) and its outputs (masking, and a toast on return). */

/**
 * ak_application_get_idle_guard:
 *
 * Returns: (transfer none): what hides revealed secrets when the screen locks or the user
 *   has been away
 */
AkIdleGuard *
ak_application_get_idle_guard (AkApplication *self)
{
  g_return_val_if_fail (AK_IS_APPLICATION (self), NULL);
  return self->idle_guard;
}

static gboolean
toplevel_event (GtkEventControllerLegacy *controller,
                GdkEvent                 *event,
                AkIdleGuard              *guard)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_MOTION_NOTIFY:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
      ak_idle_guard_activity (guard);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
toplevels_changed (GListModel    *toplevels,
                   guint          position,
                   guint          removed,
                   guint          added,
                   AkApplication *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GtkEventController *controller;

      if (g_object_get_data (G_OBJECT (window), "ak-idle-watch") != NULL)
        continue;
      controller = gtk_event_controller_legacy_new ();
      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect_object (controller, "event", G_CALLBACK (toplevel_event),
                               self->idle_guard, 0);
      gtk_widget_add_controller (window, controller);
      g_object_set_data (G_OBJECT (window), "ak-idle-watch", controller);
    }
}

static gboolean
hide_revealed (AkIdleGuard   *guard,
               AkHideReason   reason,
               AkApplication *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint masked = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      masked += ak_ui_mask_revealed (window);
    }
  g_debug ("Masked %u revealed field(s): %s", masked,
           reason == AK_HIDE_REASON_LOCKED ? "screen locked" : "idle");
  return masked > 0;
}

static void
secrets_were_hidden (AkIdleGuard   *guard,
                     AkHideReason   reason,
                     AkApplication *self)
{
  guint minutes = ak_idle_guard_get_timeout (guard) / 60;
  g_autofree char *text = NULL;
  AdwToast *toast;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (AK_IS_WINDOW (l->data))
      {
        if (reason == AK_HIDE_REASON_LOCKED)
          text = g_strdup (_("Revealed secrets were hidden when the screen locked"));
        else
          text = g_strdup_printf (ngettext ("Revealed secrets were hidden after %u minute "
                                            "without activity",
                                            "Revealed secrets were hidden after %u minutes "
                                            "without activity", minutes),
                                  minutes);
        if (self->hidden_toast != NULL)
          adw_toast_dismiss (self->hidden_toast);
        toast = adw_toast_new (text);
        adw_toast_set_timeout (toast, 8);
        g_set_weak_pointer (&self->hidden_toast, toast);
        ak_window_add_toast (AK_WINDOW (l->data), toast);
        return;
      }
}

static void
idle_setting_changed (AkApplication *self)
{
  guint minutes = g_settings_get_uint (ak_application_get_settings (self),
                                       "hide-secrets-after-idle");

  ak_idle_guard_set_timeout (self->idle_guard, minutes * 60);
}

static void
screensaver_active_changed (AkApplication *self)
{
  gboolean active = FALSE;

  g_object_get (self, "screensaver-active", &active, NULL);
  ak_idle_guard_set_locked (self->idle_guard, active);
}

static void
start_idle_guard (AkApplication *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_signal_connect_object (self->idle_guard, "hide", G_CALLBACK (hide_revealed), self, 0);
  g_signal_connect_object (self->idle_guard, "returned", G_CALLBACK (secrets_were_hidden), self,
                           0);
  g_signal_connect_object (ak_application_get_settings (self), "changed::hide-secrets-after-idle",
                           G_CALLBACK (idle_setting_changed), self, G_CONNECT_SWAPPED);
  idle_setting_changed (self);
  /* GTK follows the lock only when it registered with a session manager; the guard listens
   * to the screen saver itself as well. Either one is enough. */
  g_signal_connect (self, "notify::screensaver-active", G_CALLBACK (screensaver_active_changed),
                    NULL);
  if (bus != NULL)
    ak_idle_guard_watch_screen_saver (self->idle_guard, bus);
  g_signal_connect_object (toplevels, "items-changed", G_CALLBACK (toplevels_changed), self, 0);
  toplevels_changed (toplevels, 0, 0, g_list_model_get_n_items (toplevels), self);
}

static void
ak_application_shutdown (GApplication *app)
{
  /* A copied secret whose time is not up yet does not outlive the app: cleared while the
   * display is still open, before a clipboard manager could be handed it. */
  ak_clipboard_clear_all_pending ();
  G_APPLICATION_CLASS (ak_application_parent_class)->shutdown (app);
}

static void
ak_application_dispose (GObject *object)
{
  AkApplication *self = AK_APPLICATION (object);

  g_clear_object (&self->rest_client);
  g_clear_object (&self->rest_history);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->idle_guard);
  g_clear_weak_pointer (&self->hidden_toast);
  G_OBJECT_CLASS (ak_application_parent_class)->dispose (object);
}

static void
ak_application_class_init (AkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ak_application_dispose;
  app_class->activate = ak_application_activate;
  app_class->startup = ak_application_startup;
  app_class->shutdown = ak_application_shutdown;
}

static void
ak_application_init (AkApplication *self)
{
  self->idle_guard = ak_idle_guard_new ();
}
