/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-requests-page-internal.h"
#include "ak-requests-page-private.h"
#include "ak-rest-curl.h"
#include "ak-ui-util.h"

/* The Requests page copies the request as a cURL command, with or without its secrets. */

/* ---------------------------------------------------------------------------------------------
 * Copy as cURL
 */

char *
ak_requests_page_dup_curl (AkRequestsPage *self)
{
  g_autoptr(AkRestRequest) request = ak_requests_page_build_request (self, NULL);

  return request != NULL ? ak_rest_request_to_curl (request, NULL) : NULL;
}

void
ak_requests_page_copy_curl_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  AkRequestsPage *self = AK_REQUESTS_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkRestRequest) request = ak_requests_page_build_request (self, &error);
  g_autofree char *curl = NULL;

  if (request == NULL)
    {
      ak_ui_show_error_toast (widget, error);
      return;
    }
  curl = ak_rest_request_to_curl (request, NULL);
  ak_clipboard_copy (widget, curl, FALSE, 0);
}

static void
curl_auth_resolved (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SendData *data = user_data;
  g_autoptr(GPtrArray) headers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *curl = NULL;

  headers = ak_rest_client_resolve_auth_finish (AK_REST_CLIENT (object), result, &error);
  if (headers == NULL)
    ak_ui_show_error_toast (GTK_WIDGET (data->page), error);
  else
    {
      curl = ak_rest_request_to_curl (data->request, headers);
      /* It holds secrets now: copied as a secret, and cleared later. */
      ak_clipboard_copy (GTK_WIDGET (data->page), curl,  TRUE,
                         g_settings_get_uint (data->page->settings, "clipboard-clear-seconds"));
      memset (curl, 0, strlen (curl));
    }
  ak_rest_request_free (data->request);
  g_object_unref (data->page);
  g_free (data);
}

static void
curl_secrets_confirmed (AdwMessageDialog *dialog,
                        const char       *response,
                        AkRequestsPage   *self)
{
  g_autoptr(GError) error = NULL;
  SendData *data;
  AkRestRequest *request;

  if (!g_str_equal (response, "include"))
    return;
  request = ak_requests_page_build_request (self, &error);
  if (request == NULL)
    {
      ak_ui_show_error_toast (GTK_WIDGET (self), error);
      return;
    }
  data = g_new0 (SendData, 1);
  data->page = g_object_ref (self);
  data->request = request;
  ak_rest_client_resolve_auth_async (self->client, request, NULL, curl_auth_resolved, data);
}

void
ak_requests_page_copy_curl_secrets_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                              _("Include Secrets?"),
                                              _("The command will hold a working token or your "
                                                "Customer Secret in clear text. Anyone who sees "
                                                "it can call Agora as you until it expires."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "include", _("_Include Secrets"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "include",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (curl_secrets_confirmed), widget, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
