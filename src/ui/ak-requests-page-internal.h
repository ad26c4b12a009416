/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtksourceview/gtksource.h>

#include "ak-endpoint-picker.h"
#include "ak-requests-page.h"
#include "ak-rest-catalogue.h"

G_BEGIN_DECLS

/* Internals of the Requests page, shared by its files and by nothing else:
 * ak-requests-page.c (the widget, the request form and its layout), ak-requests-page-send.c
 * (sending, with the confirmation), ak-requests-page-import.c (saving the projects of a Console
 * listing), ak-requests-page-curl.c (Copy as cURL) and ak-requests-page-history.c (the history
 * list). */

struct _AkRequestsPage
{
  AdwBin parent_instance;

  /* template widgets */
  GtkStack *stack;
  GtkDropDown *view_dropdown;
  GtkBox *panes;
  GtkWidget *form;
  GtkBox *form_column;
  GtkWidget *send_area;
  GtkWidget *response_frame;
  GtkWidget *wide_pane;
  GtkScrolledWindow *form_scroller;
  GtkScrolledWindow *wide_scroller;
  GtkBox *wide_slot;
  AkEndpointPicker *endpoint_picker;
  AdwComboRow *method_row;
  AdwComboRow *host_row;
  AdwEntryRow *base_url_row;
  AdwEntryRow *path_row;
  GtkLabel *path_hint;
  AdwComboRow *auth_row;
  GtkLabel *auth_hint;
  AdwComboRow *credential_row;
  AdwEntryRow *user_row;
  AdwEntryRow *channel_row;
  AdwEntryRow *token_row;
  GtkSourceView *body_view;
  AdwEntryRow *headers_row;
  GtkLabel *url_label;
  AkResponseView *response_view;
  GtkButton *import_button;
  AkTokenServerView *token_server_view;
  GtkSearchEntry *history_search;
  GtkListBox *history_list;

  /* owned */
  GtkStringList *hosts_model;
  GtkStringList *auth_model;
  GtkStringList *credentials_model;
  GPtrArray *credentials;
  GCancellable *send_cancellable;
  AkRestClient *client;
  AkRestHistory *history;
  GSettings *settings;
  GtkCustomFilter *history_filter;
  /* Projects (with certificates) of the last Console listing, until saved or replaced. */
  GPtrArray *console_projects;
  guint import_pending;
  guint import_saved;
  guint import_skipped;
  guint layout_idle;
  gboolean wide;
  /* Set while an endpoint or a history entry fills the form, whose intermediate states would
   * otherwise read as the user's edits. */
  gboolean filling;

  /* borrowed */
  AkCredentialStore *store;
  const AkEndpoint *endpoint;
  /* The endpoint the custom request was edited from; it comes back if the edit is undone. */
  const AkEndpoint *edited_from;
  guint n_hosts;
};

/* A request on its way, for the callback that gets its answer. */
typedef struct
{
  AkRequestsPage *page;
  AkRestRequest *request;
  gint64 sent_at;
} SendData;

/* ak-requests-page.c */
G_GNUC_INTERNAL
void           ak_requests_page_set_body_text  (AkRequestsPage *self,
                                                const char     *text);
G_GNUC_INTERNAL
void           ak_requests_page_request_edited (AkRequestsPage *self);
G_GNUC_INTERNAL
AkRestRequest *ak_requests_page_build_request  (AkRequestsPage *self,
                                                GError        **error);

/* The page's actions (gtk_widget_class_install_action()): each a GtkWidgetActionActivateFunc,
 * declared by this one signature. */
#define AK_REQUESTS_PAGE_ACTION(name) \
  G_GNUC_INTERNAL void name (GtkWidget  *widget, \
                             const char *action_name, \
                             GVariant   *parameter)

/* ak-requests-page-send.c */
G_GNUC_INTERNAL
void ak_requests_page_set_sending  (AkRequestsPage *self,
                                    gboolean        sending);
AK_REQUESTS_PAGE_ACTION (ak_requests_page_send_action);
AK_REQUESTS_PAGE_ACTION (ak_requests_page_cancel_action);

/* ak-requests-page-import.c */
AK_REQUESTS_PAGE_ACTION (ak_requests_page_import_projects_action);

/* ak-requests-page-curl.c */
AK_REQUESTS_PAGE_ACTION (ak_requests_page_copy_curl_action);
AK_REQUESTS_PAGE_ACTION (ak_requests_page_copy_curl_secrets_action);

/* ak-requests-page-history.c */
G_GNUC_INTERNAL
GtkWidget *ak_requests_page_create_history_row     (gpointer item,
                                                    gpointer user_data);
G_GNUC_INTERNAL
void       ak_requests_page_history_activated      (GtkListBox     *list,
                                                    GtkListBoxRow  *row,
                                                    AkRequestsPage *self);
G_GNUC_INTERNAL
gboolean   ak_requests_page_history_filter         (gpointer item,
                                                    gpointer user_data);
G_GNUC_INTERNAL
void       ak_requests_page_history_search_changed (AkRequestsPage *self);

G_END_DECLS
