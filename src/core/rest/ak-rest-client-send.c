/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-console-projects.h"
#include "ak-error.h"
#include "ak-rest-client-private.h"
#include "ak-rest-redact.h"
#include "ak-secret.h"

/* ---------------------------------------------------------------------------------------------
 * The request, its redirects and the response
 */

static void send_hop (GTask *task);

static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0
         && effective_port (a) == effective_port (b);
}

/* GET /dev/v1/projects, under whatever base URL. */
static gboolean
is_project_listing (const AkRestRequest *request)
{
  g_autoptr(GUri) uri = g_uri_parse (request->url, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL && g_ascii_strcasecmp (request->method, "GET") == 0
         && g_str_has_suffix (g_uri_get_path (uri), "/dev/v1/projects");
}

static void
analyze_response (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SendOp *op = task_data;
  AkRestResponse *response = op->response;
  const char *data;
  gsize size = 0;

  /* Off the main thread: a 5 MB project listing takes a while to read. A parsed tree takes
   * tens of times the text's size, so only small bodies are parsed; larger ones have their
   * certificates masked by a walk over the text, and a cut one is left as it is. */
  data = g_bytes_get_data (response->body, &size);
  if (!response->body_truncated && size <= AK_REST_ANALYZE_LIMIT)
    {
      g_autoptr(JsonNode) root = ak_rest_parse_json (data, size);

      response->error_summary = ak_rest_summarize_json (response->status, root);
      response->masked_body = ak_rest_mask_json (data, size, root);
    }
  else if (!response->body_truncated)
    response->masked_body = ak_rest_mask_text (data, size);
  /* Here too: a listing of thousands of projects is megabytes to read. */
  if (response->success && !response->body_truncated && is_project_listing (op->request))
    response->console_projects = ak_console_projects_parse (response->body);
  g_task_return_pointer (task, g_steal_pointer (&op->response),
                         (GDestroyNotify) ak_rest_response_free);
}

/* Takes the reference on @task. */
static void
finish_response (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (op->message);
  AkRestResponse *response = ak_rest_response_new ();
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  ak_rest_send_op_stop_deadline (op);
  response->status = soup_message_get_status (op->message);
  response->reason = g_strdup (soup_message_get_reason_phrase (op->message));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_ptr_array_add (response->headers, g_strdup_printf ("%s: %s", name, value));
  response->body_length = op->received;
  if (op->head != NULL)
    {
      response->body = g_steal_pointer (&op->head);
      response->body_truncated = TRUE;
    }
  else
    response->body = g_byte_array_free_to_bytes (g_steal_pointer (&op->buffer));
  if (op->spill_file != NULL)
    {
      /* A local file: closing it does not wait on anything. */
      g_io_stream_close (G_IO_STREAM (op->spill_stream), NULL, NULL);
      g_clear_object (&op->spill_stream);
      response->body_file = ak_rest_body_file_new (op->spill_file);
      g_clear_object (&op->spill_file);
    }
  response->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  response->request_id = g_strdup (soup_message_headers_get_one (headers, "X-Request-ID"));
  response->duration_ms = (g_get_monotonic_time () - op->started) / 1000;
  response->success = response->status >= 200 && response->status < 300;
  op->response = response;

  /* Soup objects stay on this thread; the worker only reads the bytes. */
  ak_rest_send_op_clear_message (op);
  g_clear_object (&op->input);
  g_task_run_in_thread (task, analyze_response);
  g_object_unref (task);
}

/* Takes the reference on @task. */
static void
fail_body (GTask  *task,
           GError *error,
           gboolean writing)
{
  SendOp *op = g_task_get_task_data (task);

  ak_rest_send_op_stop_deadline (op);
  if (writing && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_new_error (task, AK_ERROR, AK_ERROR_FAILED,
                             _("The response body could not be written: %s"), error->message);
  else
    ak_rest_return_transport_error (task, error);
  g_object_unref (task);
}

static void read_body (GTask *task);
static void write_body (GTask *task, GBytes *bytes);

static void
body_written (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&op->writing, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      fail_body (task, error, TRUE);
      return;
    }
  if (op->queued != NULL)
    write_body (task, g_steal_pointer (&op->queued));
  else
    read_body (task);
}

static GOutputStream *
spill_target (SendOp  *op,
              GError **error)
{
  if (op->overflow != NULL)
    return op->overflow;
  if (op->spill_stream == NULL)
    {
      /* g_file_new_tmp() creates the file 0600 in the user's temporary folder. */
      op->spill_file = g_file_new_tmp ("agora-keys-body-XXXXXX", &op->spill_stream, error);
      if (op->spill_file == NULL)
        return NULL;
    }
  return g_io_stream_get_output_stream (G_IO_STREAM (op->spill_stream));
}

/* Takes the reference on @task. */
static void
write_body (GTask  *task,
            GBytes *bytes)
{
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GOutputStream *target = spill_target (op, &error);
  gsize size = 0;
  const void *data;

  if (target == NULL)
    {
      g_bytes_unref (bytes);
      fail_body (task, error, TRUE);
      return;
    }
  op->writing = bytes;
  data = g_bytes_get_data (bytes, &size);
  g_output_stream_write_all_async (target, data, size, G_PRIORITY_DEFAULT, op->cancellable,
                                   body_written, task);
}

static void
body_read (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      fail_body (task, error, FALSE);
      return;
    }
  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      finish_response (task);
      return;
    }
  op->received += size;

  if (op->head != NULL)
    {
      write_body (task, g_steal_pointer (&chunk));
      return;
    }
  if (op->buffer->len + size <= op->memory_limit)
    {
      g_byte_array_append (op->buffer, g_bytes_get_data (chunk, NULL), (guint) size);
      read_body (task);
      return;
    }

  /* Past the limit: what was kept goes out first, then this slice, and only the body's start
   * stays for the views. */
  op->head = g_bytes_new (op->buffer->data, MIN (op->buffer->len, AK_REST_ANALYZE_LIMIT));
  op->queued = g_steal_pointer (&chunk);
  write_body (task, g_byte_array_free_to_bytes (g_steal_pointer (&op->buffer)));
}

/* Takes the reference on @task. */
static void
read_body (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (op->input, READ_CHUNK, G_PRIORITY_DEFAULT, op->cancellable,
                                   body_read, task);
}

static gboolean
follow_redirect (GTask       *task,
                 const char  *location,
                 GError     **error)
{
  SendOp *op = g_task_get_task_data (task);
  guint status = soup_message_get_status (op->message);
  g_autoptr(GUri) next = NULL;
  g_autofree char *next_text = NULL;
  g_autoptr(GError) local_error = NULL;

  if (++op->redirects > MAX_REDIRECTS)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_HTTP,
                   _("The server redirected more than %d times; the redirects were not "
                     "followed further."), MAX_REDIRECTS);
      return FALSE;
    }

  next = g_uri_parse_relative (op->uri, location, G_URI_FLAGS_ENCODED, NULL);
  if (next == NULL)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_HTTP,
                           _("The server redirected to an address that is not a URL."));
      return FALSE;
    }
  next_text = g_uri_to_string_partial (next, G_URI_HIDE_FRAGMENT);

  if (g_ascii_strcasecmp (g_uri_get_scheme (op->uri), "https") == 0
      && g_ascii_strcasecmp (g_uri_get_scheme (next), "https") != 0)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_HTTP,
                   _("The server redirected from https:// to the insecure %s; the redirect "
                     "was not followed."), next_text);
      return FALSE;
    }
  if (!ak_rest_check_url (next_text, &local_error))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_HTTP,
                   _("The server redirected to %s, which was not followed: %s"), next_text,
                   local_error->message);
      return FALSE;
    }

  /* Credentials are for the origin the user chose; once they are withheld they stay so. */
  if (!same_origin (op->origin, next))
    op->send_credentials = FALSE;

  if ((status == 303 && g_strcmp0 (op->method, "HEAD") != 0)
      || ((status == 301 || status == 302) && g_strcmp0 (op->method, "POST") == 0))
    {
      g_free (op->method);
      op->method = g_strdup ("GET");
      op->with_body = FALSE;
    }

  g_clear_pointer (&op->uri, g_uri_unref);
  op->uri = g_uri_parse (next_text, G_URI_FLAGS_ENCODED, NULL);
  return TRUE;
}

static void
hop_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (input == NULL)
    {
      ak_rest_send_op_stop_deadline (op);
      ak_rest_return_transport_error (task, error);
      return;
    }

  location = soup_message_headers_get_one (soup_message_get_response_headers (op->message),
                                           "Location");
  if (is_redirect (soup_message_get_status (op->message)) && location != NULL)
    {
      if (!follow_redirect (task, location, &error))
        {
          ak_rest_send_op_stop_deadline (op);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* The redirect's own body is not wanted: closing skips it without waiting here. */
      g_input_stream_close_async (input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      send_hop (g_steal_pointer (&task));
      return;
    }

  op->input = g_steal_pointer (&input);
  op->buffer = g_byte_array_new ();
  op->received = 0;
  read_body (g_steal_pointer (&task));
}

static void
send_hop (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  ak_rest_send_op_clear_message (op);
  op->message = ak_rest_send_op_new_message (op, op->method, op->uri);
  headers = soup_message_get_request_headers (op->message);

  soup_message_headers_replace (headers, "Accept", "application/json");
  for (guint i = 0; i + 1 < op->extra_headers->len; i += 2)
    {
      const char *name = g_ptr_array_index (op->extra_headers, i);
      const char *value = g_ptr_array_index (op->extra_headers, i + 1);

      if (!op->send_credentials && ak_rest_header_is_secret (name))
        continue;
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        continue;
      if (g_ascii_strcasecmp (name, "Accept") == 0 || g_ascii_strcasecmp (name, "User-Agent") == 0)
        soup_message_headers_replace (headers, name, value);
      else
        soup_message_headers_append (headers, name, value);
    }
  if (op->send_credentials)
    for (guint i = 0; i < op->auth_headers->len; i++)
      ak_rest_add_header_line (headers, g_ptr_array_index (op->auth_headers, i));

  if (op->with_body)
    {
      /* The filled-in agent token goes only where the credentials go. */
      const char *text = op->send_credentials && op->filled_body != NULL ? op->filled_body
                                                                         : op->request->body;
      char *copy = g_strdup (text);
      g_autoptr(GBytes) body = g_bytes_new_with_free_func (copy, strlen (copy), ak_rest_secret_free,
                                                           copy);

      soup_message_set_request_body_from_bytes (op->message,
                                                op->content_type != NULL ? op->content_type
                                                                         : "application/json",
                                                body);
    }

  g_debug ("Sending %s to %s://%s", op->method, g_uri_get_scheme (op->uri),
           g_uri_get_host (op->uri));
  soup_session_send_async (op->client->session, op->message, G_PRIORITY_DEFAULT, op->cancellable,
                           hop_done, task);
}

void
ak_rest_send_op_auth_ready (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);

  if (op->resolve_only)
    {
      GPtrArray *lines = g_ptr_array_new_with_free_func (ak_rest_secret_free);

      for (guint i = 0; i < op->auth_headers->len; i++)
        g_ptr_array_add (lines, g_strdup (g_ptr_array_index (op->auth_headers, i)));
      ak_rest_send_op_stop_deadline (op);
      g_task_return_pointer (task, lines, (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  op->origin = g_uri_parse (op->request->url, G_URI_FLAGS_ENCODED, NULL);
  g_clear_pointer (&op->uri, g_uri_unref);
  op->uri = g_uri_ref (op->origin);
  op->method = g_strdup (op->request->method);
  op->with_body = op->request->body != NULL;
  op->send_credentials = TRUE;
  op->started = g_get_monotonic_time ();
  ak_rest_send_op_start_deadline (task);
  send_hop (task);
}
