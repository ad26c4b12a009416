/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-serve-view-private.h"
#include "ak-serve-view.h"
#include "ak-ui-util.h"

#define MAX_LOG_ROWS 200

struct _AkServeView
{
  AdwBin parent_instance;

  /* template widgets */
  GtkWidget *settings_group;
  GtkSwitch *running_switch;
  AdwComboRow *project_row;
  AdwComboRow *certificate_row;
  AdwEntryRow *port_row;
  AdwComboRow *bind_row;
  AdwEntryRow *origins_row;
  AdwEntryRow *hosts_row;
  GtkLabel *error_label;
  GtkWidget *running_group;
  AdwActionRow *url_row;
  AdwActionRow *key_row;
  GtkLabel *curl_label;
  GtkLabel *fetch_label;
  GtkListBox *log_list;

  /* owned */
  AkTokenServer *server;
  GtkStringList *projects_model;
  GPtrArray *projects;
  GCancellable *cancellable;
  GSettings *settings;
  guint n_log_entries;
  gboolean updating;

  /* borrowed */
  AkCredentialStore *store;
};

G_DEFINE_FINAL_TYPE (AkServeView, ak_serve_view, ADW_TYPE_BIN)

static void
rebuild_projects (AkServeView *self)
{
  guint chosen = adw_combo_row_get_selected (self->project_row);
  AkCredential *previous = chosen < self->projects->len ? self->projects->pdata[chosen] : NULL;
  guint position;

  position = ak_ui_fill_project_choices (self->projects_model, self->projects, self->store, NULL,
                                         NULL, previous);
  adw_combo_row_set_selected (self->project_row, position != G_MAXUINT ? position : 0);
}

static void
show_error (AkServeView *self,
            const char  *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_running (AkServeView *self)
{
  gboolean running = ak_token_server_get_running (self->server);

  self->updating = TRUE;
  gtk_switch_set_active (self->running_switch, running);
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->settings_group, !running);
  gtk_widget_set_visible (self->running_group, running);

  if (running)
    {
      g_autofree char *url = ak_token_server_get_url (self->server);
      g_autofree char *curl = NULL;
      g_autofree char *fetch = NULL;
      const char *key = ak_token_server_get_api_key (self->server);
      gboolean with_key = key != NULL && *key != '\0';

      adw_action_row_set_subtitle (self->url_row, url);
      gtk_widget_set_visible (GTK_WIDGET (self->key_row), with_key);
      /* One argument per line, so that a narrow window wraps between them, not inside. */
      curl = g_strdup_printf ("curl -X POST \\\n"
                              "  %s/getToken \\\n"
                              "%s"
                              "  -H 'Content-Type: application/json' \\\n"
                              "  -d '{\"tokenType\": \"rtc\",\n"
                              "       \"channel\": \"test\",\n"
                              "       \"role\": \"publisher\",\n"
                              "       \"uid\": \"0\",\n"
                              "       \"expire\": 3600}'",
                              url,
                              with_key
                                ? "  -H \"Authorization: Bearer $AGORA_KEYS_API_KEY\" \\\n" : "");
      fetch = g_strdup_printf ("const response = await fetch(\n"
                               "  \"%s/getToken\", {\n"
                               "    method: \"POST\",\n"
                               "    headers: {\n"
                               "%s"
                               "      \"Content-Type\": \"application/json\",\n"
                               "    },\n"
                               "    body: JSON.stringify({\n"
                               "      tokenType: \"rtc\",\n"
                               "      channel: \"test\",\n"
                               "      role: \"publisher\",\n"
                               "      uid: \"0\",\n"
                               "    }),\n"
                               "  });\n"
                               "const { token } = await response.json();",
                               url,
                               with_key ? "      Authorization: `Bearer ${AGORA_KEYS_API_KEY}`,\n"
                                        : "");
      gtk_label_set_text (self->curl_label, curl);
      gtk_label_set_text (self->fetch_label, fetch);
    }
}

static void
started (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AkServeView) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);
  if (!ak_token_server_start_finish (AK_TOKEN_SERVER (object), result, &error))
    {
      /* Only dispose cancels, and by then the template's widgets are gone. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_error (self, error->message);
    }
  update_running (self);
}

static gboolean
configure (AkServeView *self)
{
  guint project = adw_combo_row_get_selected (self->project_row);
  guint64 port = 0;
  g_auto(GStrv) origins = NULL;
  g_autoptr(GPtrArray) cleaned = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) hosts = NULL;
  g_autoptr(GError) error = NULL;

  if (project >= self->projects->len)
    {
      /* A locked keyring lists no projects: say so rather than "add one". */
      if (ak_credential_store_get_state (self->store) == AK_KEYRING_STATE_LOCKED)
        show_error (self, _("The keyring is locked: unlock it to serve tokens signed with a "
                            "stored project."));
      else
        show_error (self, _("Add a project on the Credentials page first: the server signs "
                            "with its certificate."));
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (gtk_editable_get_text (GTK_EDITABLE (self->port_row)), 10, 0,
                                   65535, &port, NULL))
    {
      show_error (self, _("The port must be a number from 0 to 65535 (0 picks a free one)."));
      return FALSE;
    }

  hosts = ak_token_server_parse_allowed_hosts (
    gtk_editable_get_text (GTK_EDITABLE (self->hosts_row)), &error);
  if (hosts == NULL)
    {
      show_error (self, error->message);
      return FALSE;
    }

  origins = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->origins_row)), ",", -1);
  for (guint i = 0; origins[i] != NULL; i++)
    if (*g_strstrip (origins[i]) != '\0')
      g_ptr_array_add (cleaned, g_strdup (origins[i]));
  g_ptr_array_add (cleaned, NULL);

  ak_token_server_set_project_label (self->server,
                                     ak_credential_get_label (self->projects->pdata[project]));
  ak_token_server_set_secondary (self->server,
                                 adw_combo_row_get_selected (self->certificate_row) == 1);
  ak_token_server_set_port (self->server, (guint) port);
  ak_token_server_set_bind_address (self->server,
                                    adw_combo_row_get_selected (self->bind_row) == 1
                                      ? "0.0.0.0" : "127.0.0.1");
  ak_token_server_set_allowed_origins (self->server, (const char * const *) cleaned->pdata);
  ak_token_server_set_allowed_hosts (self->server, (const char * const *) hosts);
  return TRUE;
}

void
ak_serve_view_set_running (AkServeView *self,
                           gboolean     running)
{
  if (running == ak_token_server_get_running (self->server) || self->cancellable != NULL)
    return;

  show_error (self, NULL);
  if (!running)
    {
      ak_token_server_stop (self->server);
      update_running (self);
      return;
    }
  if (!configure (self))
    {
      update_running (self);
      return;
    }
  self->cancellable = g_cancellable_new ();
  ak_token_server_start_async (self->server, self->cancellable, started, g_object_ref (self));
}

static void
switch_toggled (AkServeView *self)
{
  if (!self->updating)
    ak_serve_view_set_running (self, gtk_switch_get_active (self->running_switch));
}

/* The log lists what came in, newest first: never a token or a certificate. */
static void
request_logged (AkTokenServer            *server,
                const AkTokenServerEntry *entry,
                AkServeView              *self)
{
  g_autofree char *line = ak_token_server_entry_format (entry);
  GtkWidget *label = gtk_label_new (line);
  GtkWidget *last;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, entry->status < 400 ? "dim-label" : "error");
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_prepend (self->log_list, label);
  self->n_log_entries++;
  if (self->n_log_entries > MAX_LOG_ROWS
      && (last = gtk_widget_get_last_child (GTK_WIDGET (self->log_list))) != NULL)
    {
      gtk_list_box_remove (self->log_list, last);
      self->n_log_entries--;
    }
}

static void
copy_url (AkServeView *self)
{
  g_autofree char *url = ak_token_server_get_url (self->server);

  if (url != NULL)
    ak_clipboard_copy (GTK_WIDGET (self), url, FALSE, 0);
}

static void
copy_key (AkServeView *self)
{
  const char *key = ak_token_server_get_api_key (self->server);

  if (key != NULL)
    ak_clipboard_copy (GTK_WIDGET (self), key, TRUE,
                       g_settings_get_uint (self->settings, "clipboard-clear-seconds"));
}

static void
copy_curl (AkServeView *self)
{
  ak_clipboard_copy (GTK_WIDGET (self), gtk_label_get_text (self->curl_label), FALSE, 0);
}

static void
copy_fetch (AkServeView *self)
{
  ak_clipboard_copy (GTK_WIDGET (self), gtk_label_get_text (self->fetch_label), FALSE, 0);
}

void
ak_serve_view_set_context (AkServeView *self,
                           AkContext   *context)
{
  AkCredentialStore *store = ak_context_get_store (context);

  self->store = store;
  self->settings = g_object_ref (ak_context_get_settings (context));
  self->server = ak_token_server_new (store);
  g_signal_connect_object (self->server, "request", G_CALLBACK (request_logged), self, 0);
  g_signal_connect_object (ak_credential_store_get_projects (store), "items-changed",
                           G_CALLBACK (rebuild_projects), self, G_CONNECT_SWAPPED);
  rebuild_projects (self);
  update_running (self);
}

GtkEditable *
ak_serve_view_get_field (AkServeView *self,
                         const char  *name)
{
  if (g_str_equal (name, "port"))
    return GTK_EDITABLE (self->port_row);
  if (g_str_equal (name, "hosts"))
    return GTK_EDITABLE (self->hosts_row);
  return GTK_EDITABLE (self->origins_row);
}

AkTokenServer *
ak_serve_view_get_server (AkServeView *self)
{
  return self->server;
}

const char *
ak_serve_view_get_error (AkServeView *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_text (self->error_label) : NULL;
}

guint
ak_serve_view_get_n_log_entries (AkServeView *self)
{
  return self->n_log_entries;
}

static void
ak_serve_view_dispose (GObject *object)
{
  AkServeView *self = AK_SERVE_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* Closing the window stops the server: nothing keeps serving unseen. */
  if (self->server != NULL)
    ak_token_server_stop (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (object), AK_TYPE_SERVE_VIEW);
  G_OBJECT_CLASS (ak_serve_view_parent_class)->dispose (object);
}

static void
ak_serve_view_finalize (GObject *object)
{
  AkServeView *self = AK_SERVE_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  g_clear_object (&self->projects_model);
  G_OBJECT_CLASS (ak_serve_view_parent_class)->finalize (object);
}

static void
ak_serve_view_class_init (AkServeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_serve_view_dispose;
  object_class->finalize = ak_serve_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-serve-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AkServeView, settings_group);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, running_switch);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, project_row);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, port_row);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, bind_row);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, origins_row);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, hosts_row);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, error_label);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, running_group);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, url_row);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, key_row);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, curl_label);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, fetch_label);
  gtk_widget_class_bind_template_child (widget_class, AkServeView, log_list);
  gtk_widget_class_bind_template_callback (widget_class, switch_toggled);
  gtk_widget_class_bind_template_callback (widget_class, copy_url);
  gtk_widget_class_bind_template_callback (widget_class, copy_key);
  gtk_widget_class_bind_template_callback (widget_class, copy_curl);
  gtk_widget_class_bind_template_callback (widget_class, copy_fetch);
}

static void
ak_serve_view_init (AkServeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The projects come from the keyring, so the list is filled at run time. */
  self->projects = g_ptr_array_new_with_free_func (g_object_unref);
  self->projects_model = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->project_row, G_LIST_MODEL (self->projects_model));
}
