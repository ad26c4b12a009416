/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-clock.h"
#include "ak-duration.h"
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

#define LIFETIME_HINT N_("Seconds, or amounts such as 30m, 12h, 1d.")

/* Saved only when Generate would accept it, with the same parser; otherwise the field says
 * why, and the setting keeps its last good value. */
static void
lifetime_edited (GtkEditable         *row,
                 AkPreferencesWindow *self)
{
  GtkLabel *hint = g_object_get_data (G_OBJECT (row), "hint");
  g_autoptr(GError) error = NULL;
  guint32 seconds;
  const char *text = gtk_editable_get_text (row);

  if (ak_duration_parse_lifetime (text, ak_clock_now_unix (), &seconds, &error))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      g_settings_set_string (self->settings, "default-token-lifetime", stripped);
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (hint), "error");
      gtk_widget_add_css_class (GTK_WIDGET (hint), "dim-label");
      gtk_label_set_text (hint, _(LIFETIME_HINT));
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (hint), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (hint), "error");
      gtk_label_set_text (hint, error->message);
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                               error != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                             : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* The row, and under it a line that is the format hint or the error: always there, so that
 * nothing moves when an error comes or goes. */
static void
add_lifetime_row (AkPreferencesWindow *self,
                  AdwPreferencesGroup *group)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *hint = gtk_label_new (_(LIFETIME_HINT));
  g_autofree char *current = g_settings_get_string (self->settings, "default-token-lifetime");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Default token lifetime"));
  gtk_editable_set_text (GTK_EDITABLE (row), current);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_set_margin_top (hint, 6);
  gtk_widget_add_css_class (hint, "caption");
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  hint, NULL, -1);
  g_object_set_data (G_OBJECT (row), "hint", hint);
  g_signal_connect (row, "changed", G_CALLBACK (lifetime_edited), self);
  adw_preferences_group_add (group, row);
  adw_preferences_group_add (group, hint);
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
  add_lifetime_row (self, ADW_PREFERENCES_GROUP (tokens));

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
