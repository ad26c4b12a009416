/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "ak-endpoint-picker.h"
#include "ak-error.h"
#include "ak-requests-page-internal.h"
#include "ak-requests-page-private.h"
#include "ak-requests-page.h"
#include "ak-rest-assembly.h"
#include "ak-rest-catalogue.h"
#include "ak-token-server-view.h"
#include "ak-ui-util.h"

/* From this width on, the request form and the response sit side by side. */
#define WIDE_LAYOUT_WIDTH 900

/* Host choices after the fixed Agora hosts. */
enum
{
  HOST_CHAT = 0, /* offsets past the fixed hosts */
  HOST_CUSTOM = 1,
};

static const AkAuthScheme auth_choices[] = {
  AK_AUTH_NONE, AK_AUTH_BASIC, AK_AUTH_AGORA_TOKEN, AK_AUTH_X_AGORA, AK_AUTH_BEARER,
  AK_AUTH_CHAT_EXCHANGE,
};

G_DEFINE_FINAL_TYPE (AkRequestsPage, ak_requests_page, ADW_TYPE_BIN)

static const char * const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };

static AkAuthScheme
selected_scheme (AkRequestsPage *self)
{
  guint i = adw_combo_row_get_selected (self->auth_row);

  return i < G_N_ELEMENTS (auth_choices) ? auth_choices[i] : AK_AUTH_NONE;
}

static AkCredential *
selected_credential (AkRequestsPage *self)
{
  guint i = adw_combo_row_get_selected (self->credential_row);

  return i < self->credentials->len ? self->credentials->pdata[i] : NULL;
}

/* The credential list follows the scheme: customer credentials for Basic, projects for the
 * token schemes. */
static void
rebuild_credentials (AkRequestsPage *self)
{
  AkAuthScheme scheme = selected_scheme (self);
  AkCredentialKind kind = scheme == AK_AUTH_BASIC ? AK_CREDENTIAL_CUSTOMER : AK_CREDENTIAL_PROJECT;
  GListModel *all = self->store != NULL ? ak_credential_store_get_kind_model (self->store, kind)
                                         : NULL;
  AkCredential *previous = selected_credential (self);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint selected = 0;

  g_ptr_array_set_size (self->credentials, 0);
  for (guint i = 0; all != NULL && i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(AkCredential) c = g_list_model_get_item (all, i);

      if (c == previous)
        selected = self->credentials->len;
      g_ptr_array_add (self->credentials, g_object_ref (c));
      g_ptr_array_add (labels, (gpointer) ak_credential_get_label (c));
    }
  g_ptr_array_add (labels, NULL);
  gtk_string_list_splice (self->credentials_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->credentials_model)),
                          (const char * const *) labels->pdata);
  if (self->credentials->len > 0)
    adw_combo_row_set_selected (self->credential_row, selected);
}

static AkCredential *
project_for_placeholders (AkRequestsPage *self)
{
  AkCredential *c = selected_credential (self);

  return c != NULL && ak_credential_get_kind (c) == AK_CREDENTIAL_PROJECT ? c : NULL;
}

static void read_form (AkRequestsPage *self, AkRestAssembly *assembly);

/* Whether the agent's channel and uid are asked for: a Conversational AI call whose body does
 * not name them (all but join), when its token is minted, or its body's token filled. */
static gboolean
asks_for_agent (AkRequestsPage *self)
{
  const AkEndpoint *endpoint = self->endpoint;

  if (endpoint == NULL || !ak_rest_endpoint_is_convoai (endpoint->id)
      || g_str_equal (endpoint->id, "convoai.join"))
    return FALSE;
  return selected_scheme (self) == AK_AUTH_AGORA_TOKEN
         || (endpoint->body != NULL
             && strstr (endpoint->body, AK_REST_CONVOAI_TOKEN_PLACEHOLDER) != NULL);
}

/* The scheme the chosen endpoint does not take is flagged before anything is sent. */
static void
update_auth_hint (AkRequestsPage *self)
{
  g_autofree char *text = NULL;

  if (self->endpoint != NULL)
    text = ak_endpoint_describe_auth_mismatch (self->endpoint, selected_scheme (self));
  gtk_label_set_text (self->auth_hint, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->auth_hint), text != NULL);
}

static const char *
selected_method (AkRequestsPage *self)
{
  return methods[MIN (adw_combo_row_get_selected (self->method_row), G_N_ELEMENTS (methods) - 1)];
}

/* The request line Send sends ("GET https://api.agora.io/dev/v1/projects"), above the button,
 * so that neither the host nor the method is a surprise. */
static void
update_url_label (AkRequestsPage *self)
{
  AkRestAssembly assembly;
  const char *base;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) missing = NULL;

  read_form (self, &assembly);
  base = ak_rest_assembly_choose_host (&assembly, NULL);
  path = ak_rest_fill_path (assembly.target, assembly.project, NULL, &missing);
  line = ak_rest_format_request_line (selected_method (self), base, path);
  gtk_label_set_text (self->url_label, line != NULL ? line : "");
  gtk_widget_set_visible (GTK_WIDGET (self->url_label), line != NULL);
}

static void
update_form (AkRequestsPage *self)
{
  AkAuthScheme scheme = selected_scheme (self);
  guint host = adw_combo_row_get_selected (self->host_row);
  gboolean agent = asks_for_agent (self);
  g_auto(GStrv) missing = NULL;
  g_autofree char *filled = NULL;
  g_autofree char *provenance = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->credential_row), scheme != AK_AUTH_NONE
                          && !(scheme == AK_AUTH_BEARER && self->credentials->len == 0));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->credential_row),
                                 scheme == AK_AUTH_BASIC ? _("Customer credential")
                                                         : _("Project"));
  gtk_widget_set_visible (GTK_WIDGET (self->user_row),
                          agent || (scheme == AK_AUTH_X_AGORA)
                          || (scheme == AK_AUTH_AGORA_TOKEN
                              && !(self->endpoint != NULL
                                   && ak_rest_endpoint_is_convoai (self->endpoint->id))));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->user_row),
                                 agent ? _("Agent’s uid") : _("RTM user ID"));
  gtk_widget_set_visible (GTK_WIDGET (self->channel_row), agent);
  update_auth_hint (self);
  gtk_widget_set_visible (GTK_WIDGET (self->token_row), scheme == AK_AUTH_BEARER);
  gtk_widget_set_visible (GTK_WIDGET (self->base_url_row), host == self->n_hosts + HOST_CUSTOM);

  /* Placeholders left in the path are flagged before anything is sent, with where their
   * values come from. */
  filled = ak_rest_fill_path (gtk_editable_get_text (GTK_EDITABLE (self->path_row)),
                              project_for_placeholders (self), NULL, &missing);
  provenance = ak_rest_describe_missing_placeholders ((const char * const *) missing,
                                                      project_for_placeholders (self));
  gtk_label_set_text (self->path_hint, provenance != NULL ? provenance : "");
  gtk_widget_set_visible (GTK_WIDGET (self->path_hint), provenance != NULL);
  update_url_label (self);
}

static void
scheme_changed (AkRequestsPage *self)
{
  rebuild_credentials (self);
  update_form (self);
}

void
ak_requests_page_set_body_text (AkRequestsPage *self,
                                const char     *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view)),
                            text != NULL ? text : "", -1);
}

static void
select_scheme (AkRequestsPage *self,
               AkAuthScheme    scheme)
{
  for (guint i = 0; i < G_N_ELEMENTS (auth_choices); i++)
    if (auth_choices[i] == scheme)
      adw_combo_row_set_selected (self->auth_row, i);
}

void
ak_requests_page_set_method (AkRequestsPage *self,
                             const char     *method)
{
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (g_ascii_strcasecmp (methods[i], method) == 0)
      adw_combo_row_set_selected (self->method_row, i);
}

/* Choosing an endpoint fills the method, path (placeholders filled from the project), host,
 * auth and body skeleton; everything stays editable. */
static void
endpoint_chosen (AkRequestsPage *self)
{
  g_autofree char *path = NULL;
  g_auto(GStrv) missing = NULL;

  self->endpoint = ak_endpoint_picker_get_endpoint (self->endpoint_picker);
  self->edited_from = NULL;
  if (self->endpoint == NULL)
    {
      update_form (self);
      return;
    }

  self->filling = TRUE;
  ak_requests_page_set_method (self, self->endpoint->method);
  select_scheme (self, self->endpoint->auth);
  rebuild_credentials (self);
  path = ak_rest_fill_path (self->endpoint->path, project_for_placeholders (self), NULL, &missing);
  gtk_editable_set_text (GTK_EDITABLE (self->path_row), path);
  ak_requests_page_set_body_text (self, self->endpoint->body);
  /* Chat endpoints live on the project's Chat host; a custom base URL (a test server, a
   * proxy) is kept for everything else. */
  if (g_strcmp0 (self->endpoint->host, "chat") == 0)
    adw_combo_row_set_selected (self->host_row, self->n_hosts + HOST_CHAT);
  else if (self->endpoint->host != NULL
           && adw_combo_row_get_selected (self->host_row) != self->n_hosts + HOST_CUSTOM)
    {
      /* The host the product's documentation names (Cloud Transcoding: api.sd-rtn.com). */
      const char * const *hosts = ak_rest_get_hosts ();
      gboolean listed = FALSE;

      for (guint i = 0; hosts[i] != NULL; i++)
        if (g_str_equal (hosts[i], self->endpoint->host))
          {
            adw_combo_row_set_selected (self->host_row, i);
            listed = TRUE;
          }
      if (!listed)
        {
          g_autofree char *base = g_strconcat ("https://", self->endpoint->host, NULL);

          ak_requests_page_set_base_url (self, base);
        }
    }
  else if (adw_combo_row_get_selected (self->host_row) == self->n_hosts + HOST_CHAT)
    adw_combo_row_set_selected (self->host_row, 0);
  self->filling = FALSE;
  update_form (self);
}

/* A method or a path that no longer calls the chosen endpoint makes the request a custom one,
 * and the picker says so: the confirmation, the scheme check and the history name follow.
 * Filling in a placeholder keeps the endpoint, and so does passing through a custom request
 * on the way (deleting a placeholder before typing its value). */
void
ak_requests_page_request_edited (AkRequestsPage *self)
{
  const AkEndpoint *from = self->endpoint != NULL ? self->endpoint : self->edited_from;
  gboolean matches;

  if (self->filling)
    return;
  matches = from != NULL
            && ak_endpoint_matches_request (from, selected_method (self),
                                            gtk_editable_get_text (GTK_EDITABLE (self->path_row)));
  if (self->endpoint != NULL && !matches)
    {
      self->edited_from = self->endpoint;
      self->endpoint = NULL;
      ak_endpoint_picker_set_custom (self->endpoint_picker, self->edited_from);
    }
  else if (self->endpoint == NULL && matches)
    {
      self->endpoint = self->edited_from;
      ak_endpoint_picker_set_endpoint (self->endpoint_picker, self->endpoint);
    }
  update_form (self);
}

/* ---------------------------------------------------------------------------------------------
 * Building the request (sending it is in ak-requests-page-send.c)
 */

/* What the form says, borrowed from its widgets until they change. */
static void
read_form (AkRequestsPage *self,
           AkRestAssembly *assembly)
{
  guint host = adw_combo_row_get_selected (self->host_row);
  AkCredential *credential = selected_credential (self);
  AkAuthScheme scheme = selected_scheme (self);

  *assembly = (AkRestAssembly) {
    .method = selected_method (self),
    .target = gtk_editable_get_text (GTK_EDITABLE (self->path_row)),
    .endpoint = self->endpoint,
    .chat_host = host == self->n_hosts + HOST_CHAT,
    .project = project_for_placeholders (self),
    .customer = scheme == AK_AUTH_BASIC && credential != NULL
                  ? ak_credential_get_label (credential) : NULL,
    .skip_partial_headers = TRUE,
    .scheme = scheme,
    .user = gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
    .channel = asks_for_agent (self)
                 ? gtk_editable_get_text (GTK_EDITABLE (self->channel_row)) : NULL,
    .token = gtk_editable_get_text (GTK_EDITABLE (self->token_row)),
    .timeout_seconds = self->settings != NULL
                         ? g_settings_get_uint (self->settings, "request-timeout-seconds")
                         : 30,
  };
  /* The host row says where the path goes; the endpoint's own host was chosen in it. */
  if (host < self->n_hosts)
    assembly->host = ak_rest_get_hosts ()[host];
  else if (host == self->n_hosts + HOST_CUSTOM)
    assembly->base_url = gtk_editable_get_text (GTK_EDITABLE (self->base_url_row));
}

AkRestRequest *
ak_requests_page_build_request (AkRequestsPage *self,
                                GError        **error)
{
  g_autofree char *body = NULL;
  g_auto(GStrv) headers = NULL;
  AkRestRequest *request;
  AkRestAssembly assembly;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view));
  GtkTextIter start;
  GtkTextIter end;

  read_form (self, &assembly);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (*g_strstrip (body) != '\0')
    assembly.body = body;
  headers = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->headers_row)), ";", -1);
  assembly.headers = (const char * const *) headers;

  request = ak_rest_assembly_build (&assembly, NULL, error);
  /* Without auth, the project (a hidden row) only filled the placeholders. */
  if (request != NULL && assembly.scheme == AK_AUTH_NONE)
    g_clear_pointer (&request->auth.credential_label, g_free);
  return request;
}

/* ---------------------------------------------------------------------------------------------
 * Setup and tests
 */

void
ak_requests_page_set_context (AkRequestsPage *self,
                              AkContext      *context)
{
  AkCredentialStore *store = ak_context_get_store (context);
  g_autoptr(GtkFilterListModel) filtered = NULL;

  self->store = store;
  self->client = g_object_ref (ak_context_get_rest_client (context));
  self->history = g_object_ref (ak_context_get_rest_history (context));
  self->settings = g_object_ref (ak_context_get_settings (context));
  {
    g_autofree char *host = g_settings_get_string (self->settings, "default-host");
    const char * const *hosts = ak_rest_get_hosts ();

    for (guint i = 0; hosts[i] != NULL; i++)
      if (g_str_equal (hosts[i], host))
        adw_combo_row_set_selected (self->host_row, i);
  }
  g_signal_connect_object (ak_credential_store_get_projects (store), "items-changed",
                           G_CALLBACK (scheme_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ak_credential_store_get_kind_model (store, AK_CREDENTIAL_CUSTOMER),
                           "items-changed", G_CALLBACK (scheme_changed), self,
                           G_CONNECT_SWAPPED);
  rebuild_credentials (self);
  ak_token_server_view_set_context (self->token_server_view, context);

  self->history_filter = gtk_custom_filter_new (ak_requests_page_history_filter, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->history)),
                                        GTK_FILTER (g_object_ref (self->history_filter)));
  gtk_list_box_bind_model (self->history_list, G_LIST_MODEL (filtered),
                           ak_requests_page_create_history_row, self, NULL);
  update_form (self);
}

void
ak_requests_page_select_endpoint (AkRequestsPage *self,
                                  const char     *endpoint_id)
{
  guint n;
  const AkEndpoint *all = ak_rest_catalogue_get (&n);

  if (endpoint_id == NULL)
    {
      ak_endpoint_picker_set_endpoint (self->endpoint_picker, NULL);
      self->endpoint = NULL;
      self->edited_from = NULL;
      update_form (self);
      return;
    }
  for (guint i = 0; i < n; i++)
    if (g_str_equal (all[i].id, endpoint_id))
      {
        ak_endpoint_picker_set_endpoint (self->endpoint_picker, &all[i]);
        endpoint_chosen (self);
      }
}

void
ak_requests_page_set_base_url (AkRequestsPage *self,
                               const char     *base_url)
{
  adw_combo_row_set_selected (self->host_row, self->n_hosts + HOST_CUSTOM);
  gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), base_url);
}

void
ak_requests_page_set_auth (AkRequestsPage *self,
                           AkAuthScheme    scheme,
                           const char     *credential_label,
                           const char     *user_id)
{
  select_scheme (self, scheme);
  rebuild_credentials (self);
  for (guint i = 0; credential_label != NULL && i < self->credentials->len; i++)
    if (g_str_equal (ak_credential_get_label (self->credentials->pdata[i]), credential_label))
      adw_combo_row_set_selected (self->credential_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user_id != NULL ? user_id : "");
  update_form (self);
}

GtkEditable *
ak_requests_page_get_path (AkRequestsPage *self)
{
  return GTK_EDITABLE (self->path_row);
}

void
ak_requests_page_set_body (AkRequestsPage *self,
                           const char     *body)
{
  ak_requests_page_set_body_text (self, body);
}

gboolean
ak_requests_page_is_sending (AkRequestsPage *self)
{
  return self->send_cancellable != NULL;
}

AkTokenServerView *
ak_requests_page_get_token_server_view (AkRequestsPage *self)
{
  return self->token_server_view;
}

AkResponseView *
ak_requests_page_get_response_view (AkRequestsPage *self)
{
  return self->response_view;
}

/* ---------------------------------------------------------------------------------------------
 * Layout: the form and the response side by side when wide, stacked when narrow
 */

/* The stack's pages, in the order of the drop-down that stands in for the switcher. */
static const char * const views[] = { "request", "token-server", "history" };

static void
view_dropdown_changed (AkRequestsPage *self)
{
  guint i = gtk_drop_down_get_selected (self->view_dropdown);

  if (i < G_N_ELEMENTS (views))
    gtk_stack_set_visible_child_name (self->stack, views[i]);
}

static void
view_changed (AkRequestsPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (g_strcmp0 (name, views[i]) == 0 && gtk_drop_down_get_selected (self->view_dropdown) != i)
      gtk_drop_down_set_selected (self->view_dropdown, i);
}

/* Send, the request line and the response go beside the form, or under it. */
static void
set_wide (AkRequestsPage *self,
          gboolean        wide)
{
  g_autoptr(GtkWidget) area = g_object_ref (self->send_area);

  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (area)), area);
  gtk_box_append (wide ? self->wide_slot : self->form_column, area);
  gtk_widget_set_visible (self->wide_pane, wide);
  gtk_box_set_homogeneous (self->panes, wide);
  /* Two panes side by side need twice a column's width: were that the window's minimum, it
   * could not be made narrow again. Wide, the panes may be narrower than their content (they
   * never are, past the threshold); narrow, the one column keeps its content's width. */
  gtk_scrolled_window_set_policy (self->form_scroller,
                                  wide ? GTK_POLICY_EXTERNAL : GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_policy (self->wide_scroller,
                                  wide ? GTK_POLICY_EXTERNAL : GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  /* Beside the form, the response takes the whole height. */
  gtk_widget_set_vexpand (self->response_frame, wide);
  self->wide = wide;
}

static gboolean
apply_layout (gpointer user_data)
{
  AkRequestsPage *self = user_data;
  gboolean wide = gtk_widget_get_width (GTK_WIDGET (self)) >= WIDE_LAYOUT_WIDTH;

  self->layout_idle = 0;
  if (wide != self->wide)
    set_wide (self, wide);
  return G_SOURCE_REMOVE;
}

/* The page lays out its one child itself (AdwBin's layout manager would not tell it its
 * width): libadwaita 1.2 has no breakpoints. */
static GtkSizeRequestMode
ak_requests_page_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

/* Both layouts are narrower than the threshold at their minimum, so switching never makes the
 * window grow, nor flip back. */
static void
ak_requests_page_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  AkRequestsPage *self = AK_REQUESTS_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  /* The widget tree cannot change during an allocation: the move waits for the main loop. */
  if ((width >= WIDE_LAYOUT_WIDTH) != self->wide && self->layout_idle == 0)
    self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_layout, self, NULL);
  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
ak_requests_page_dispose (GObject *object)
{
  AkRequestsPage *self = AK_REQUESTS_PAGE (object);

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  g_clear_handle_id (&self->layout_idle, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AK_TYPE_REQUESTS_PAGE);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);
  g_clear_object (&self->history_filter);
  G_OBJECT_CLASS (ak_requests_page_parent_class)->dispose (object);
}

static void
ak_requests_page_finalize (GObject *object)
{
  AkRequestsPage *self = AK_REQUESTS_PAGE (object);

  g_clear_object (&self->send_cancellable);
  g_clear_pointer (&self->console_projects, g_ptr_array_unref);
  g_clear_pointer (&self->credentials, g_ptr_array_unref);
  g_clear_object (&self->hosts_model);
  g_clear_object (&self->auth_model);
  g_clear_object (&self->credentials_model);
  G_OBJECT_CLASS (ak_requests_page_parent_class)->finalize (object);
}

static void
ak_requests_page_class_init (AkRequestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_requests_page_dispose;
  object_class->finalize = ak_requests_page_finalize;
  widget_class->get_request_mode = ak_requests_page_get_request_mode;
  widget_class->measure = ak_ui_measure_content_child;
  widget_class->size_allocate = ak_requests_page_size_allocate;

  g_type_ensure (AK_TYPE_ENDPOINT_PICKER);
  g_type_ensure (AK_TYPE_RESPONSE_VIEW);
  g_type_ensure (AK_TYPE_TOKEN_SERVER_VIEW);
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ak-requests-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AkRequestsPage, name)
  BIND (stack);
  BIND (view_dropdown);
  BIND (panes);
  BIND (form);
  BIND (form_column);
  BIND (send_area);
  BIND (response_frame);
  BIND (wide_pane);
  BIND (form_scroller);
  BIND (wide_scroller);
  BIND (wide_slot);
  BIND (endpoint_picker);
  BIND (method_row);
  BIND (host_row);
  BIND (base_url_row);
  BIND (path_row);
  BIND (path_hint);
  BIND (auth_row);
  BIND (auth_hint);
  BIND (credential_row);
  BIND (user_row);
  BIND (channel_row);
  BIND (token_row);
  BIND (body_view);
  BIND (headers_row);
  BIND (url_label);
  BIND (response_view);
  BIND (import_button);
  BIND (token_server_view);
  BIND (history_search);
  BIND (history_list);
#undef BIND

  gtk_widget_class_install_action (widget_class, "requests.send", NULL,
                                   ak_requests_page_send_action);
  gtk_widget_class_install_action (widget_class, "requests.cancel", NULL,
                                   ak_requests_page_cancel_action);
  gtk_widget_class_install_action (widget_class, "requests.copy-curl", NULL,
                                   ak_requests_page_copy_curl_action);
  gtk_widget_class_install_action (widget_class, "requests.import-projects", NULL,
                                   ak_requests_page_import_projects_action);
  gtk_widget_class_install_action (widget_class, "requests.copy-curl-secrets", NULL,
                                   ak_requests_page_copy_curl_secrets_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "requests.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "requests.cancel", NULL);
}

static void
fill_choices (AkRequestsPage *self)
{
  const char * const *hosts = ak_rest_get_hosts ();

  self->hosts_model = gtk_string_list_new (NULL);
  for (self->n_hosts = 0; hosts[self->n_hosts] != NULL; self->n_hosts++)
    gtk_string_list_append (self->hosts_model, hosts[self->n_hosts]);
  gtk_string_list_append (self->hosts_model, _("The project’s Chat REST host"));
  gtk_string_list_append (self->hosts_model, _("Custom base URL"));
  adw_combo_row_set_model (self->host_row, G_LIST_MODEL (self->hosts_model));

  self->auth_model = gtk_string_list_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (auth_choices); i++)
    gtk_string_list_append (self->auth_model, ak_auth_scheme_get_label (auth_choices[i]));
  adw_combo_row_set_model (self->auth_row, G_LIST_MODEL (self->auth_model));

  self->credentials_model = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->credential_row, G_LIST_MODEL (self->credentials_model));
}

static void
ak_requests_page_init (AkRequestsPage *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  ak_ui_label_no_hyphens (self->url_label);
  ak_ui_setup_password_rows (GTK_WIDGET (self));
  self->credentials = g_ptr_array_new_with_free_func (g_object_unref);
  fill_choices (self);

  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view)));
  gtk_source_buffer_set_language (buffer,
                                  gtk_source_language_manager_get_language (languages, "json"));
  ak_ui_follow_style_scheme (G_OBJECT (buffer));

  g_signal_connect_swapped (self->endpoint_picker, "chosen", G_CALLBACK (endpoint_chosen), self);
  g_signal_connect_swapped (self->method_row, "notify::selected",
                            G_CALLBACK (ak_requests_page_request_edited), self);
  g_signal_connect_swapped (self->view_dropdown, "notify::selected",
                            G_CALLBACK (view_dropdown_changed), self);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name",
                            G_CALLBACK (view_changed), self);
  g_signal_connect_swapped (self->auth_row, "notify::selected", G_CALLBACK (scheme_changed), self);
  g_signal_connect_swapped (self->credential_row, "notify::selected", G_CALLBACK (update_form),
                            self);
  g_signal_connect_swapped (self->host_row, "notify::selected", G_CALLBACK (update_form), self);
  g_signal_connect_swapped (self->path_row, "changed",
                            G_CALLBACK (ak_requests_page_request_edited), self);
  g_signal_connect_swapped (self->base_url_row, "changed", G_CALLBACK (update_url_label), self);
  g_signal_connect_swapped (self->history_search, "search-changed",
                            G_CALLBACK (ak_requests_page_history_search_changed), self);
  g_signal_connect (self->history_list, "row-activated",
                    G_CALLBACK (ak_requests_page_history_activated), self);
  ak_requests_page_set_sending (self, FALSE);
}
