/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-codec-private.h"
#include "ak-core-enums.h"
#include "ak-error.h"
#include "ak-json.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-private.h"
#include "ak-token.h"

/* ---------------------------------------------------------------------------------------------
 * Auth schemes
 */

static const struct
{
  const char *name;
  const char *label;
} schemes[] = {
  [AK_AUTH_NONE] = { "none", N_("No authentication") },
  [AK_AUTH_BASIC] = { "basic", N_("Basic (Customer ID and Secret)") },
  [AK_AUTH_AGORA_TOKEN] = { "agora-token", N_("Agora token (RTM)") },
  [AK_AUTH_X_AGORA] = { "x-agora", N_("x-agora-token headers (legacy)") },
  [AK_AUTH_BEARER] = { "bearer", N_("Bearer (Chat app token)") },
  [AK_AUTH_CHAT_EXCHANGE] = { "chat-exchange", N_("Chat token exchange") },
};

const char *
ak_auth_scheme_to_name (AkAuthScheme scheme)
{
  g_return_val_if_fail (scheme < G_N_ELEMENTS (schemes), NULL);
  return schemes[scheme].name;
}

gboolean
ak_auth_scheme_from_name (const char   *name,
                          AkAuthScheme *scheme)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_str_equal (name, schemes[i].name))
      {
        if (scheme != NULL)
          *scheme = (AkAuthScheme) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ak_auth_scheme_get_label (AkAuthScheme scheme)
{
  g_return_val_if_fail (scheme < G_N_ELEMENTS (schemes), NULL);
  return _(schemes[scheme].label);
}

/* ---------------------------------------------------------------------------------------------
 * Requests and responses
 */

static void
secret_free (gpointer data)
{
  ak_secret_string_free (data);
}

/* Custom headers and bodies can hold secrets the user typed: they are wiped like the rest. */
static GPtrArray *
header_array_new (void)
{
  return g_ptr_array_new_with_free_func (secret_free);
}

/**
 * ak_rest_request_new:
 * @method: "GET", "POST", …
 * @url: the full URL
 *
 * Returns: (transfer full): a request without body, extra headers or authentication
 */
AkRestRequest *
ak_rest_request_new (const char *method,
                     const char *url)
{
  AkRestRequest *request = g_new0 (AkRestRequest, 1);

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->headers = header_array_new ();
  request->auth.scheme = AK_AUTH_NONE;
  request->auth.token_expire = 3600;
  return request;
}

AkRestRequest *
ak_rest_request_copy (const AkRestRequest *request)
{
  AkRestRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_new0 (AkRestRequest, 1);
  copy->method = g_strdup (request->method);
  copy->url = g_strdup (request->url);
  copy->body = g_strdup (request->body);
  copy->headers = header_array_new ();
  for (guint i = 0; request->headers != NULL && i < request->headers->len; i++)
    g_ptr_array_add (copy->headers, g_strdup (g_ptr_array_index (request->headers, i)));
  copy->auth.scheme = request->auth.scheme;
  copy->auth.credential_label = g_strdup (request->auth.credential_label);
  copy->auth.secondary = request->auth.secondary;
  copy->auth.user_id = g_strdup (request->auth.user_id);
  copy->auth.token = g_strdup (request->auth.token);
  copy->auth.token_expire = request->auth.token_expire;
  copy->auth.channel = g_strdup (request->auth.channel);
  copy->endpoint_id = g_strdup (request->endpoint_id);
  copy->timeout_seconds = request->timeout_seconds;
  return copy;
}

void
ak_rest_request_free (AkRestRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->method);
  g_free (request->url);
  ak_secret_string_free (request->body);
  g_clear_pointer (&request->headers, g_ptr_array_unref);
  g_free (request->auth.credential_label);
  g_free (request->auth.user_id);
  ak_secret_string_free (request->auth.token);
  g_free (request->auth.channel);
  g_free (request->endpoint_id);
  g_free (request);
}

/**
 * ak_rest_request_add_header:
 *
 * Appends "@name: @value" to the extra headers. Checked when the request is sent.
 */
void
ak_rest_request_add_header (AkRestRequest *request,
                            const char    *name,
                            const char    *value)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL);

  if (request->headers == NULL)
    request->headers = header_array_new ();
  g_ptr_array_add (request->headers, g_strdup_printf ("%s: %s", name, value != NULL ? value : ""));
}

G_DEFINE_BOXED_TYPE (AkRestRequest, ak_rest_request, ak_rest_request_copy, ak_rest_request_free)

/**
 * ak_rest_response_new:
 *
 * Returns: (transfer full): an empty response (no headers, no body), to fill in
 */
AkRestResponse *
ak_rest_response_new (void)
{
  AkRestResponse *response = g_new0 (AkRestResponse, 1);

  response->headers = g_ptr_array_new_with_free_func (g_free);
  return response;
}

AkRestResponse *
ak_rest_response_copy (const AkRestResponse *response)
{
  AkRestResponse *copy;

  g_return_val_if_fail (response != NULL, NULL);

  copy = ak_rest_response_new ();
  copy->status = response->status;
  copy->reason = g_strdup (response->reason);
  for (guint i = 0; response->headers != NULL && i < response->headers->len; i++)
    g_ptr_array_add (copy->headers, g_strdup (g_ptr_array_index (response->headers, i)));
  copy->body = response->body != NULL ? g_bytes_ref (response->body) : NULL;
  copy->content_type = g_strdup (response->content_type);
  copy->duration_ms = response->duration_ms;
  copy->request_id = g_strdup (response->request_id);
  copy->error_summary = g_strdup (response->error_summary);
  copy->success = response->success;
  copy->masked_body = g_strdup (response->masked_body);
  copy->body_length = response->body_length;
  copy->body_truncated = response->body_truncated;
  copy->body_file = response->body_file != NULL ? ak_rest_body_file_ref (response->body_file)
                                                : NULL;
  copy->console_projects = response->console_projects != NULL
                             ? g_ptr_array_ref (response->console_projects) : NULL;
  return copy;
}

void
ak_rest_response_free (AkRestResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->reason);
  g_clear_pointer (&response->headers, g_ptr_array_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->content_type);
  g_free (response->request_id);
  g_free (response->error_summary);
  g_free (response->masked_body);
  g_clear_pointer (&response->body_file, ak_rest_body_file_unref);
  g_clear_pointer (&response->console_projects, g_ptr_array_unref);
  g_free (response);
}

G_DEFINE_BOXED_TYPE (AkRestResponse, ak_rest_response, ak_rest_response_copy,
                     ak_rest_response_free)

/* ---------------------------------------------------------------------------------------------
 * Headers
 */

/* The name of a "Name: value" line, trimmed, with @value (if not %NULL) pointed just after
 * the colon; %NULL when the line has no colon. */
char *
ak_rest_header_line_name (const char  *line,
                          const char **value)
{
  const char *colon = strchr (line, ':');

  if (colon == NULL)
    return NULL;
  if (value != NULL)
    *value = colon + 1;
  return g_strstrip (g_strndup (line, (gsize) (colon - line)));
}

/* RFC 9110 token characters. */
gboolean
ak_rest_header_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
ak_rest_header_value_is_valid (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if (*p == '\r' || *p == '\n' || (*p != '\t' && g_ascii_iscntrl (*p)))
      return FALSE;
  return TRUE;
}
