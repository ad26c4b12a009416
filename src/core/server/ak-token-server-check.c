/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-rest-private.h"
#include "ak-task.h"
#include "ak-token-server-check-private.h"

/* Short, printable words for what the server sent. */

/* A short, printable piece of a body that is not what was expected. */
static char *
body_excerpt (GBytes *body)
{
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  const char *valid_end = NULL;
  gsize length = MIN (size, 160);
  GString *excerpt;

  if (data == NULL || size == 0)
    return g_strdup ("");

  g_utf8_validate (data, (gssize) length, &valid_end);
  excerpt = g_string_new (NULL);
  for (const char *p = data; p < valid_end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          if (excerpt->len > 0 && excerpt->str[excerpt->len - 1] != ' ')
            g_string_append_c (excerpt, ' ');
        }
      else
        g_string_append_unichar (excerpt, c);
    }
  while (excerpt->len > 0 && excerpt->str[excerpt->len - 1] == ' ')
    g_string_truncate (excerpt, excerpt->len - 1);
  if (valid_end < data + size)
    g_string_append (excerpt, "…");
  return g_string_free (excerpt, FALSE);
}

static char *
status_line (AkRestResponse *response)
{
  if (response->reason != NULL && *response->reason != '\0')
    return g_strdup_printf ("%u %s", response->status, response->reason);
  return g_strdup_printf ("%u", response->status);
}

/* ---------------------------------------------------------------------------------------------
 * The answer
 */

static void
add_http_error_findings (AkTokenServerResult *result,
                         AkRestResponse      *response,
                         const char          *origin)
{
  g_autofree char *status = status_line (response);
  g_autofree char *excerpt = body_excerpt (response->body);
  const char *explained = response->error_summary != NULL ? response->error_summary : excerpt;

  if (response->error_summary != NULL)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                        AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                        /* Translators: the HTTP status, then the server's error in
                                         * a sentence */
                                        _("The server answered %s. %s"), status,
                                        response->error_summary);
  else if (*excerpt != '\0')
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                        AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                        /* Translators: the HTTP status, then the body the server
                                         * sent */
                                        _("The server answered %s: “%s”"), status, excerpt);
  else
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                        AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                        _("The server answered %s, with no explanation."), status);

  /* agora-token-service's CORS check: {"error":"Origin not allowed"} with 403. */
  if (response->status == 403 && strstr (explained, "Origin") != NULL)
    {
      if (origin != NULL)
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                            _("The server does not allow the origin “%s”: use one "
                                              "of the origins in its CORS_ALLOW_ORIGIN "
                                              "setting."), origin);
      else
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                            _("The server allows only listed origins: enter one of "
                                              "those in its CORS_ALLOW_ORIGIN setting as the "
                                              "Origin."));
    }
  else if (response->status == 404 || response->status == 405)
    ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                        AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                        _("There is no POST /getToken at this address: check the "
                                          "base URL."));
}

static void
add_parse_error_finding (AkTokenServerResult *result,
                         const GError        *error)
{
  ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_TOKEN,
                                      _("The server's token is malformed: %s"), error->message);
}

/* Finds the token in a 2xx answer and parses it; adds what went wrong as findings. */
static void
read_token (AkTokenServerResult *result,
            AkRestResponse      *response)
{
  static const char * const legacy_members[] = { "rtcToken", "rtmToken", "chatToken" };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = status_line (response);
  g_autofree char *excerpt = NULL;
  JsonObject *object;
  JsonNode *member;
  gsize size = 0;
  const char *data = response->body != NULL ? g_bytes_get_data (response->body, &size) : "";

  root = ak_rest_parse_json (data, size);
  if (root == NULL)
    {
      g_autofree char *text = g_strstrip (g_strndup (data, size));
      g_autoptr(AkToken) bare = NULL;

      /* A token sent as the whole body: say so, without quoting the secret, and still
       * check it. */
      if (g_str_has_prefix (text, "00") && (bare = ak_token_parse (text, NULL)) != NULL)
        {
          ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                              AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                              _("The server sent a bare token, not the JSON "
                                                "{\"token\": …} that agora-token-service clients "
                                                "expect."));
          result->token_text = g_steal_pointer (&text);
          result->token = g_steal_pointer (&bare);
          return;
        }
      excerpt = body_excerpt (response->body);
      if (*excerpt == '\0')
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                            _("The server answered %s with an empty body, not "
                                              "{\"token\": …}."),
                                            status);
      else
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                            _("The server answered %s, but not with JSON: “%s”"),
                                            status, excerpt);
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  member = object != NULL ? json_object_get_member (object, "token") : NULL;
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_STRING
      || *json_node_get_string (member) == '\0')
    {
      const char *legacy = NULL;

      for (guint i = 0; object != NULL && i < G_N_ELEMENTS (legacy_members); i++)
        if (json_object_has_member (object, legacy_members[i]))
          legacy = legacy_members[i];

      if (legacy != NULL)
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                            _("The answer has “%s” but no “token”: that is the "
                                              "shape of agora-token-service's old GET routes, not "
                                              "of POST /getToken."),
                                            legacy);
      else if (member != NULL)
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                            _("The answer's “token” is empty or not a string."));
      else if (response->error_summary != NULL)
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                            _("The answer has no “token”. %s"),
                                            response->error_summary);
      else
        ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_ERROR,
                                            AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                            _("The answer has no “token” member."));
      return;
    }

  result->token_text = g_strdup (json_node_get_string (member));
  result->token = ak_token_parse (result->token_text, &error);
  if (result->token == NULL)
    add_parse_error_finding (result, error);
}

/* ---------------------------------------------------------------------------------------------
 * The operation: load the store, send, read, check, compare
 */

/* These take over the caller's reference to @task. */
static void
return_error (GTask  *task,
              GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
return_result (GTask *task)
{
  CheckOp *op = g_task_get_task_data (task);

  ak_token_server_result_summarize (op->result);
  g_task_return_pointer (task, g_steal_pointer (&op->result),
                         (GDestroyNotify) ak_token_server_result_unref);
  g_object_unref (task);
}

static void
token_checked (GObject      *object,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  GTask *task = user_data;
  CheckOp *op = g_task_get_task_data (task);
  AkTokenServerResult *result = op->result;
  g_autoptr(GError) error = NULL;

  result->check = ak_token_check_with_store_finish (AK_CREDENTIAL_STORE (object), async_result,
                                                    &error);
  if (result->check == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  if (result->project == NULL && result->check != NULL
      && ak_token_check_get_project (result->check) != NULL)
    result->project = g_object_ref (ak_token_check_get_project (result->check));

  ak_token_server_compare_app_id (op);
  ak_token_server_add_signature_finding (op, error);
  ak_token_server_compare_grants (op);
  return_result (task);
}

static char *
expected_uid_text (CheckOp *op)
{
  guint64 value;

  if (ak_token_server_parse_integer_uid (op->uid, &value))
    return ak_uid_to_string ((guint32) value);
  return g_strdup (op->uid);
}

static void
response_received (GObject      *object,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  CheckOp *op = g_task_get_task_data (task);
  AkTokenServerResult *result = op->result;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uid_text = NULL;

  response = ak_rest_client_send_finish (AK_REST_CLIENT (object), async_result, &error);
  if (response == NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  result->status = response->status;
  result->reason = g_strdup (response->reason);
  result->duration_ms = response->duration_ms;

  if (response->status / 100 != 2)
    add_http_error_findings (result, response, op->origin);
  else
    read_token (result, response);

  if (result->token == NULL)
    {
      return_result (task);
      return;
    }

  if (result->findings->len == 0)
    {
      g_autofree char *status = status_line (response);

      ak_token_server_result_add_finding (result, AK_TOKEN_SERVER_OK,
                                          AK_TOKEN_SERVER_ASPECT_RESPONSE,
                                          _("The server answered %s with a token."), status);
    }

  /* Only 006 uses them: its signature covers the channel and uid. */
  uid_text = expected_uid_text (op);
  ak_token_check_with_store_async (op->store, result->token, op->channel, uid_text,
                                   g_task_get_cancellable (task), token_checked, task);
}

static void
send_request (GTask *task)
{
  CheckOp *op = g_task_get_task_data (task);
  AkRestClient *client = g_task_get_source_object (task);

  ak_rest_client_send_async (client, op->request, g_task_get_cancellable (task),
                             response_received, task);
}

static void
find_project_and_send (GTask *task)
{
  CheckOp *op = g_task_get_task_data (task);
  AkCredential *project;

  if (op->project_label == NULL)
    {
      send_request (task);
      return;
    }

  project = ak_credential_store_find (op->store, AK_CREDENTIAL_PROJECT, op->project_label);
  if (project == NULL)
    {
      return_error (task, g_error_new (AK_ERROR, AK_ERROR_NOT_FOUND,
                                       _("No stored project is named “%s”."),
                                       op->project_label));
      return;
    }
  op->result->project = g_object_ref (project);
  send_request (task);
}

/**
 * ak_token_server_check_async:
 *
 * See the header.
 */
void
ak_token_server_check_async (AkRestClient             *client,
                             AkCredentialStore        *store,
                             const char               *base_url,
                             const char               *origin,
                             const AkTokenServerQuery *query,
                             const char               *project_label,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
  GTask *task;
  CheckOp *op;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (AK_IS_REST_CLIENT (client));
  g_return_if_fail (AK_IS_CREDENTIAL_STORE (store));
  g_return_if_fail (query != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = ak_task_new (client, cancellable, callback, user_data, ak_token_server_check_async);

  op = g_new0 (CheckOp, 1);
  op->query = *query;
  op->channel = g_strdup (ak_token_server_or_empty (query->channel));
  op->uid = g_strdup (ak_token_server_or_empty (query->uid));
  op->query.channel = op->channel;
  op->query.uid = op->uid;
  op->origin = g_strstrip (g_strdup (ak_token_server_or_empty (origin)));
  if (*op->origin == '\0')
    g_clear_pointer (&op->origin, g_free);
  op->project_label = project_label != NULL && *project_label != '\0' ? g_strdup (project_label)
                                                                      : NULL;
  op->store = g_object_ref (store);
  op->result = ak_token_server_result_new ();
  op->result->request_body = ak_token_server_query_to_json (&op->query);
  g_task_set_task_data (task, op, (GDestroyNotify) ak_token_server_check_op_free);

  url = ak_token_server_build_url (base_url, &error);
  if (url == NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }
  op->result->url = g_strdup (url);

  /* No credentials: the service has no authentication of its own. */
  op->request = ak_rest_request_new ("POST", url);
  op->request->auth.scheme = AK_AUTH_NONE;
  op->request->body = g_strdup (op->result->request_body);
  if (op->origin != NULL)
    ak_rest_request_add_header (op->request, "Origin", op->origin);

  /* Only a named project needs the store loaded first. */
  if (op->project_label != NULL)
    ak_credential_store_load_then (store, task, find_project_and_send);
  else
    find_project_and_send (task);
}

/**
 * ak_token_server_check_finish:
 *
 * Returns: (transfer full): what the server answered and what the check found, or %NULL with
 *   @error (see the header)
 */
AkTokenServerResult *
ak_token_server_check_finish (AkRestClient  *client,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ak_token_server_check_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
