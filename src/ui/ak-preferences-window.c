/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-preferences-window.h"
#include "ak-rest.h"

struct _AkPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* owned */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (AkPreferencesWindow, ak_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static GtkWidget *
number_row (AkPreferencesWindow *self,
            const char          *key,
            const char          *title,
            const char          *subtitle,
            double               min,
            double               max,
            double               step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_settings_bind (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  return row;
}

static GtkWidget *
text_row (AkPreferencesWindow *self,
          const char          *key,
          const char          *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_settings_bind (self->settings, key, row, "text", G_SETTINGS_BIND_DEFAULT);
  return row;
}

static void
host_selected (AdwComboRow *row,
               GParamSpec  *pspec,
               gpointer     user_data)
{
  GSettings *settings = g_object_get_data (G_OBJECT (row), "settings");
  const char * const *hosts = ak_rest_get_hosts ();
  guint i = adw_combo_row_get_selected (row);

  if (i < g_strv_length ((char **) hosts))
    g_settings_set_string (settings, "default-host", hosts[i]);
}

GtkWidget *
ak_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  AkPreferencesWindow *self = g_object_new (AK_TYPE_PREFERENCES_WINDOW,
                                            "transient-for", parent,
                                            "modal", TRUE,
                                            "search-enabled", FALSE,
                                            NULL);
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *secrets = adw_preferences_group_new ();
  GtkWidget *tokens = adw_preferences_group_new ();
  GtkWidget *requests = adw_preferences_group_new ();
  GtkWidget *host_row = adw_combo_row_new ();
  g_autoptr(GtkStringList) hosts = gtk_string_list_new ((const char * const *) ak_rest_get_hosts ());

  self->settings = g_object_ref (settings);
  /* Shown only when there is more than one page, but always the name of its switcher button. */
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("General"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "preferences-system-symbolic");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (secrets), _("Secrets"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (secrets),
                             number_row (self, "clipboard-clear-seconds",
                                         _("Clear copied secrets after"),
                                         _("Seconds; only if the clipboard still holds the "
                                           "copied value"),
                                         5, 600, 5));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (secrets),
                             number_row (self, "hide-secrets-after-idle",
                                         _("Hide revealed secrets after"),
                                         _("Minutes without activity; 0 never. Locking the "
                                           "screen always hides them"),
                                         0, 240, 1));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (tokens), _("Tokens"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (tokens),
                             text_row (self, "default-token-lifetime",
                                       _("Default token lifetime (3600, 30m, 12h, 1d)")));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (requests), _("Requests"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (host_row), _("Default host"));
  adw_combo_row_set_model (ADW_COMBO_ROW (host_row), G_LIST_MODEL (hosts));
  {
    g_autofree char *current = g_settings_get_string (settings, "default-host");
    const char * const *all = ak_rest_get_hosts ();

    for (guint i = 0; all[i] != NULL; i++)
      if (g_str_equal (all[i], current))
        adw_combo_row_set_selected (ADW_COMBO_ROW (host_row), i);
  }
  g_object_set_data (G_OBJECT (host_row), "settings", self->settings);
  g_signal_connect (host_row, "notify::selected", G_CALLBACK (host_selected), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (requests), host_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (requests),
                             number_row (self, "request-timeout-seconds", _("Timeout"),
                                         _("Seconds before a request is given up"), 1, 600, 1));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (requests),
                             number_row (self, "history-size", _("History size"),
                                         _("Sent requests kept, newest first"), 10, 5000, 10));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (secrets));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (tokens));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (requests));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
  return GTK_WIDGET (self);
}

static void
ak_preferences_window_dispose (GObject *object)
{
  AkPreferencesWindow *self = AK_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ak_preferences_window_parent_class)->dispose (object);
}

static void
ak_preferences_window_class_init (AkPreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ak_preferences_window_dispose;
}

static void
ak_preferences_window_init (AkPreferencesWindow *self)
{
}
