/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-application.h"
#include "ak-preferences-window.h"
#include "ak-window.h"

struct _AkApplication
{
  AdwApplication parent_instance;

  /* owned */
  AkCredentialStore *store;
  GSettings *settings;
  AkRestClient *rest_client;
  AkRestHistory *rest_history;
};

G_DEFINE_FINAL_TYPE (AkApplication, ak_application, ADW_TYPE_APPLICATION)

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

static void
ak_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ak_window_new (AK_APPLICATION (app)));
  gtk_window_present (window);
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
}

static void
ak_application_dispose (GObject *object)
{
  AkApplication *self = AK_APPLICATION (object);

  g_clear_object (&self->rest_client);
  g_clear_object (&self->rest_history);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
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
}

static void
ak_application_init (AkApplication *self)
{
}
