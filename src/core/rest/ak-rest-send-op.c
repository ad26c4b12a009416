/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-rest-client-private.h"
#include "ak-secret.h"

/* ---------------------------------------------------------------------------------------------
 * One send (or one auth resolution)
 */

void
ak_rest_secret_free (gpointer data)
{
  ak_secret_string_free (data);
}

void
ak_rest_send_op_clear_message (SendOp *op)
{
  if (op->message == NULL)
    return;
  g_signal_handlers_disconnect_by_data (op->message, op);
  g_clear_object (&op->message);
}

void
ak_rest_send_op_free (gpointer data)
{
  SendOp *op = data;

  if (op->deadline != NULL)
    {
      g_source_destroy (op->deadline);
      g_source_unref (op->deadline);
    }
  if (op->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (op->caller_cancellable, op->caller_handler);
      g_object_unref (op->caller_cancellable);
    }
  ak_rest_send_op_clear_message (op);
  g_clear_object (&op->input);
  g_clear_object (&op->overflow);
  g_clear_pointer (&op->buffer, g_byte_array_unref);
  g_clear_pointer (&op->head, g_bytes_unref);
  g_clear_pointer (&op->writing, g_bytes_unref);
  g_clear_pointer (&op->queued, g_bytes_unref);
  if (op->spill_file != NULL)
    {
      /* A body that never made it into a response. */
      g_clear_object (&op->spill_stream);
      g_file_delete (op->spill_file, NULL, NULL);
      g_clear_object (&op->spill_file);
    }
  g_clear_object (&op->cancellable);
  g_clear_object (&op->credential);
  g_clear_object (&op->fill_project);
  g_free (op->convoai_channel);
  g_free (op->convoai_account);
  ak_secret_string_free (op->convoai_token);
  ak_secret_string_free (op->filled_body);
  g_clear_pointer (&op->auth_headers, g_ptr_array_unref);
  g_clear_pointer (&op->extra_headers, g_ptr_array_unref);
  g_clear_pointer (&op->request, ak_rest_request_free);
  g_clear_pointer (&op->origin, g_uri_unref);
  g_clear_pointer (&op->uri, g_uri_unref);
  g_clear_pointer (&op->response, ak_rest_response_free);
  g_free (op->method);
  g_clear_object (&op->client);
  g_free (op);
}

static void
cancel_internal (GCancellable *caller,
                 gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

SendOp *
ak_rest_send_op_new (AkRestClient        *client,
                     const AkRestRequest *request,
                     GCancellable        *cancellable,
                     gboolean             resolve_only)
{
  SendOp *op = g_new0 (SendOp, 1);

  op->client = g_object_ref (client);
  op->request = ak_rest_request_copy (request);
  op->resolve_only = resolve_only;
  op->auth_headers = g_ptr_array_new_with_free_func (ak_rest_secret_free);
  op->extra_headers = g_ptr_array_new_with_free_func (ak_rest_secret_free);
  op->cancellable = g_cancellable_new ();
  op->timeout_seconds = request->timeout_seconds > 0 ? request->timeout_seconds
                                                     : DEFAULT_TIMEOUT_SECONDS;
  op->memory_limit = AK_REST_BODY_MEMORY_LIMIT;
  if (cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (cancellable);
      op->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_internal),
                                                  op->cancellable, NULL);
    }
  return op;
}

char *
ak_rest_describe_host (GUri *uri)
{
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return g_strdup (_("the server"));
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf (strchr (host, ':') != NULL ? "[%s]:%d" : "%s:%d", host,
                            g_uri_get_port (uri));
  return g_strdup (host);
}

/* ---------------------------------------------------------------------------------------------
 * Checking the request
 */

static gboolean
method_is_valid (const char *method)
{
  return method != NULL && ak_rest_header_name_is_valid (method);
}

gboolean
ak_rest_send_op_prepare (SendOp  *op,
                         GError **error)
{
  AkRestRequest *request = op->request;
  gboolean minted = request->auth.scheme != AK_AUTH_NONE;

  if (!method_is_valid (request->method))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("“%s” is not an HTTP method."),
                   request->method != NULL ? request->method : "");
      return FALSE;
    }
  if (!ak_rest_check_url (request->url, error))
    return FALSE;

  for (guint i = 0; request->headers != NULL && i < request->headers->len; i++)
    {
      const char *line = g_ptr_array_index (request->headers, i);
      const char *rest = NULL;
      g_autofree char *name = ak_rest_header_line_name (line, &rest);
      char *value;

      if (name == NULL || !ak_rest_header_name_is_valid (name))
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not a header: write it as Name: value."),
                       name != NULL ? name : line);
          return FALSE;
        }
      value = g_strstrip (g_strdup (rest));
      if (!ak_rest_header_value_is_valid (value))
        {
          ak_secret_string_free (value);
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The value of the header %s contains a line break or a control "
                         "character."), name);
          return FALSE;
        }
      if (minted && (g_ascii_strcasecmp (name, "Authorization") == 0
                     || g_ascii_strncasecmp (name, "x-agora-", strlen ("x-agora-")) == 0))
        {
          ak_secret_string_free (value);
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The header %s is set by the authentication scheme: remove it, or "
                         "choose no authentication."), name);
          return FALSE;
        }
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        op->content_type = value;
      g_ptr_array_add (op->extra_headers, g_steal_pointer (&name));
      g_ptr_array_add (op->extra_headers, value);
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * HTTP plumbing shared by the Chat exchange and the request itself
 */

static gboolean
deadline_reached (gpointer user_data)
{
  SendOp *op = user_data;

  op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

/* One deadline covers the Chat exchange, the request and its redirects, but not the keyring,
 * which may be waiting for the user to type a password. */
void
ak_rest_send_op_start_deadline (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);

  if (op->deadline != NULL)
    return;
  op->deadline = g_timeout_source_new ((guint) MIN ((guint64) op->timeout_seconds * 1000,
                                                    G_MAXUINT));
  g_source_set_callback (op->deadline, deadline_reached, op, NULL);
  g_source_set_static_name (op->deadline, "[ak] REST request deadline");
  g_source_attach (op->deadline, g_task_get_context (task));
}

void
ak_rest_send_op_stop_deadline (SendOp *op)
{
  if (op->deadline == NULL)
    return;
  g_source_destroy (op->deadline);
  g_clear_pointer (&op->deadline, g_source_unref);
}

static gboolean
record_certificate_errors (SoupMessage          *message,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  SendOp *op = user_data;

  op->tls_errors = errors;
  return FALSE;
}

SoupMessage *
ak_rest_send_op_new_message (SendOp     *op,
                             const char *method,
                             GUri       *uri)
{
  SoupMessage *message = soup_message_new_from_uri (method, uri);

  soup_message_set_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (message, "accept-certificate", G_CALLBACK (record_certificate_errors), op);
  op->tls_errors = 0;
  return message;
}

void
ak_rest_add_header_line (SoupMessageHeaders *headers,
                         const char         *line)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = g_strndup (line, (gsize) (colon - line));

  soup_message_headers_replace (headers, name, colon + 2);
}

/* Takes the reference on @task. */
void
ak_rest_send_op_fail (GTask  *task,
                      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}
