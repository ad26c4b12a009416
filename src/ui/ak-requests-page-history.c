/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-duration.h"
#include "ak-requests-page-internal.h"
#include "ak-requests-page-private.h"
#include "ak-rest-catalogue.h"

/* The Requests page's history: its rows, their filter, and re-opening one in the form. */

/* ---------------------------------------------------------------------------------------------
 * History
 */

/* The status in the colour of its outcome: success for 2xx, error for 4xx, 5xx and requests
 * that got no answer. */
static GtkWidget *
history_status_label (AkRestHistoryEntry *entry)
{
  guint status = ak_rest_history_entry_get_status (entry);
  g_autofree char *code = g_strdup_printf ("%u", status);
  GtkWidget *label = gtk_label_new (status > 0 ? code : _("Error"));
  g_autofree char *spoken = status > 0
                              ? g_strdup_printf (_("Status %u"), status)
                              : g_strdup (_("No response"));

  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  if (status >= 200 && status < 300)
    gtk_widget_add_css_class (label, "success");
  else if (status == 0 || status >= 400)
    gtk_widget_add_css_class (label, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
  return label;
}

GtkWidget *
ak_requests_page_create_history_row (gpointer item,
                                     gpointer user_data)
{
  AkRestHistoryEntry *entry = item;
  GtkWidget *row = adw_action_row_new ();
  const char *endpoint_id = ak_rest_history_entry_get_endpoint_id (entry);
  const AkEndpoint *endpoint = endpoint_id != NULL ? ak_rest_catalogue_find (endpoint_id) : NULL;
  g_autofree char *title = endpoint != NULL
                             ? g_strdup_printf ("%s · %s", _(endpoint->product), _(endpoint->name))
                             : g_strdup (_("Custom request"));
  g_autofree char *when = ak_format_local_time (ak_rest_history_entry_get_sent_at (entry));
  const char *error = ak_rest_history_entry_get_error (entry);
  const char *reason = ak_rest_history_entry_get_reason (entry);
  const char *outcome = ak_rest_history_entry_get_status (entry) == 0 && error != NULL
                          ? error : reason;
  AkAuthScheme scheme = ak_rest_history_entry_get_auth_scheme (entry);
  g_autofree char *subtitle = NULL;

  /* TRANSLATORS: a history row: request line, then the scheme, the reason phrase or error,
   * and the time it was sent */
  subtitle = g_strdup_printf (_("%s %s\n%s · %s%s%s"), ak_rest_history_entry_get_method (entry),
                              ak_rest_history_entry_get_url (entry),
                              ak_auth_scheme_get_label (scheme),
                              outcome != NULL && *outcome != '\0' ? outcome : "",
                              outcome != NULL && *outcome != '\0' ? " · " : "", when);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), history_status_label (entry));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "entry", g_object_ref (entry), g_object_unref);
  return row;
}

/* Re-opening fills the form; the auth comes back as scheme and label, never a secret. */
void
ak_requests_page_history_activated (GtkListBox     *list,
                                    GtkListBoxRow  *row,
                                    AkRequestsPage *self)
{
  AkRestHistoryEntry *entry = g_object_get_data (G_OBJECT (row), "entry");
  g_autoptr(AkRestRequest) request = ak_rest_history_entry_to_request (entry);
  g_autoptr(GUri) uri = g_uri_parse (request->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *base = NULL;

  self->filling = TRUE;
  self->endpoint = request->endpoint_id != NULL ? ak_rest_catalogue_find (request->endpoint_id)
                                                : NULL;
  self->edited_from = NULL;
  ak_endpoint_picker_set_endpoint (self->endpoint_picker, self->endpoint);
  ak_requests_page_set_method (self, request->method);
  if (uri != NULL)
    {
      if (g_uri_get_port (uri) > 0)
        base = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                                g_uri_get_port (uri));
      else
        base = g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), g_uri_get_host (uri));
      ak_requests_page_set_base_url (self, base);
      gtk_editable_set_text (GTK_EDITABLE (self->path_row), g_uri_get_path (uri));
    }
  ak_requests_page_set_body_text (self, request->body);
  self->filling = FALSE;
  ak_requests_page_set_auth (self, request->auth.scheme, request->auth.credential_label,
                             request->auth.user_id);
  ak_requests_page_request_edited (self);
  gtk_stack_set_visible_child_name (self->stack, "request");
}

gboolean
ak_requests_page_history_filter (gpointer item,
                                 gpointer user_data)
{
  AkRequestsPage *self = user_data;

  return ak_rest_history_entry_matches (item, gtk_editable_get_text (GTK_EDITABLE (self->history_search)));
}

void
ak_requests_page_history_search_changed (AkRequestsPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->history_filter), GTK_FILTER_CHANGE_DIFFERENT);
}
