/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-clock.h"
#include "ak-requests-page-internal.h"
#include "ak-requests-page-private.h"
#include "ak-ui-util.h"

/* The Requests page sends: the confirmation for calls that change something, the call, and
 * its answer to the response view and the history. */

/* ---------------------------------------------------------------------------------------------
 * Sending the request
 */

void
ak_requests_page_set_sending (AkRequestsPage *self,
                              gboolean        sending)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.send", !sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.cancel", sending);
  gtk_widget_set_sensitive (self->form, !sending);
}

static void
sent (GObject      *object,
      GAsyncResult *result,
      gpointer      user_data)
{
  SendData *data = user_data;
  AkRequestsPage *self = data->page;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = ak_rest_client_send_finish (AK_REST_CLIENT (object), result, &error);
  g_clear_object (&self->send_cancellable);
  ak_requests_page_set_sending (self, FALSE);

  if (response == NULL)
    ak_response_view_show_error (self->response_view, error);
  else
    ak_response_view_show_response (self->response_view, response);

  /* Core read the projects of a Console listing off the main thread. */
  g_clear_pointer (&self->console_projects, g_ptr_array_unref);
  if (response != NULL && response->console_projects != NULL)
    self->console_projects = g_ptr_array_ref (response->console_projects);
  gtk_widget_set_visible (GTK_WIDGET (self->import_button),
                          self->console_projects != NULL && self->console_projects->len > 0);
  ak_ui_scroll_into_view (GTK_WIDGET (self->response_view));

  /* Requests that got no answer are kept too, as errors; cancelled ones are not. */
  if (self->history != NULL
      && (response != NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      g_autoptr(AkRestHistoryEntry) entry = NULL;

      entry = response != NULL
                ? ak_rest_history_entry_new (data->request, response, data->sent_at)
                : ak_rest_history_entry_new_for_error (data->request, error, data->sent_at);
      ak_rest_history_add (self->history, entry);
    }

  ak_rest_request_free (data->request);
  g_object_unref (data->page);
  g_free (data);
}

static void
really_send (AkRequestsPage *self,
             AkRestRequest  *request)
{
  SendData *data = g_new0 (SendData, 1);

  data->page = g_object_ref (self);
  data->request = request;
  data->sent_at = ak_clock_now_unix ();
  self->send_cancellable = g_cancellable_new ();
  ak_requests_page_set_sending (self, TRUE);
  ak_response_view_show_sending (self->response_view);
  ak_rest_client_send_async (self->client, request, self->send_cancellable, sent, data);
}

typedef struct
{
  AkRequestsPage *page;
  AkRestRequest *request;
} ConfirmData;

static void
confirmed (AdwMessageDialog *dialog,
           const char       *response,
           ConfirmData      *data)
{
  /* Answered once: a second "send" finds the request gone. */
  if (g_str_equal (response, "send") && data->request != NULL)
    really_send (data->page, g_steal_pointer (&data->request));
}

/* With the dialog, however it goes: answered, or destroyed with its window unanswered. */
static void
confirm_data_free (gpointer  user_data,
                   GClosure *closure)
{
  ConfirmData *data = user_data;

  g_clear_pointer (&data->request, ak_rest_request_free);
  g_clear_object (&data->page);
  g_free (data);
}

void
ak_requests_page_send (AkRequestsPage *self)
{
  g_autoptr(GError) error = NULL;
  AkRestRequest *request;

  g_return_if_fail (AK_IS_REQUESTS_PAGE (self));

  if (self->send_cancellable != NULL)
    return;

  request = ak_requests_page_build_request (self, &error);
  if (request == NULL)
    {
      ak_response_view_show_error (self->response_view, error);
      return;
    }

  /* Calls that change, cost or delete something, and the reads that delete what they
   * return, are confirmed first. */
  if (self->endpoint != NULL && self->endpoint->effect != AK_ENDPOINT_READ
      && g_strcmp0 (request->endpoint_id, self->endpoint->id) == 0)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                  _("Send This Request?"),
                                                  self->endpoint->confirm != NULL
                                                    ? _(self->endpoint->confirm) : NULL);
      ConfirmData *data = g_new0 (ConfirmData, 1);

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                        "send", _("_Send"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                                  self->endpoint->effect == AK_ENDPOINT_DESTRUCTIVE
                                                    ? ADW_RESPONSE_DESTRUCTIVE
                                                    : ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      data->page = g_object_ref (self);
      data->request = request;
      g_signal_connect_data (dialog, "response", G_CALLBACK (confirmed), data,
                             confirm_data_free, 0);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  really_send (self, request);
}

void
ak_requests_page_cancel (AkRequestsPage *self)
{
  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
}

void
ak_requests_page_send_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  ak_requests_page_send (AK_REQUESTS_PAGE (widget));
}

void
ak_requests_page_cancel_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ak_requests_page_cancel (AK_REQUESTS_PAGE (widget));
}
