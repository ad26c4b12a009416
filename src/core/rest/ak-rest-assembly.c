/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-rest-assembly.h"
#include "ak-rest-private.h"

/* One request from what a face read: the Requests page's form and `agora-keys-cli request`'s
 * options go through the same placeholders, host, headers and credential rules. */

void
ak_rest_assembly_result_clear (AkRestAssemblyResult *result)
{
  g_clear_pointer (&result->missing, g_strfreev);
  result->failure = AK_REST_ASSEMBLY_OK;
  result->bad_header = 0;
}

gboolean
ak_rest_is_http_token (const char *text)
{
  return ak_rest_header_name_is_valid (text);
}

char *
ak_rest_format_placeholders (const char * const *names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_string_append_printf (text, "%s{%s}", i > 0 ? ", " : "", names[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "Name: value" cut at its first colon, both sides trimmed; FALSE without a colon. */
static gboolean
split_header (const char  *line,
              char       **name,
              char       **value)
{
  const char *colon = strchr (line, ':');

  if (colon == NULL)
    return FALSE;
  *name = g_strstrip (g_strndup (line, colon - line));
  *value = g_strstrip (g_strdup (colon + 1));
  return TRUE;
}

gboolean
ak_rest_assembly_parse_header (const char  *line,
                               char       **name,
                               char       **value)
{
  g_autofree char *n = NULL;
  g_autofree char *v = NULL;

  g_return_val_if_fail (line != NULL, FALSE);

  if (!split_header (line, &n, &v) || !ak_rest_is_http_token (n))
    return FALSE;
  *name = g_steal_pointer (&n);
  *value = g_steal_pointer (&v);
  return TRUE;
}

const char *
ak_rest_assembly_choose_host (const AkRestAssembly  *assembly,
                              GError               **error)
{
  const AkEndpoint *endpoint = assembly->endpoint;

  if (assembly->base_url != NULL)
    return assembly->base_url;
  if (assembly->host != NULL)
    return assembly->host;
  if (assembly->chat_host || (endpoint != NULL && g_strcmp0 (endpoint->host, "chat") == 0))
    {
      const char *chat = assembly->project != NULL
                           ? ak_credential_get_chat_host (assembly->project) : NULL;

      if (chat == NULL || chat[0] == '\0')
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("Choose a project whose Chat REST host is set (Credentials "
                                 "page), or another host."));
          return NULL;
        }
      return chat;
    }
  /* The host the product's documentation names (Cloud Transcoding: api.sd-rtn.com). */
  if (endpoint != NULL && endpoint->host != NULL)
    return endpoint->host;
  return AK_REST_DEFAULT_HOST;
}

static gboolean
add_headers (AkRestRequest         *request,
             const AkRestAssembly  *assembly,
             AkRestAssemblyResult  *result,
             GError               **error)
{
  for (guint i = 0; assembly->headers != NULL && assembly->headers[i] != NULL; i++)
    {
      const char *line = assembly->headers[i];
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      gboolean split = split_header (line, &name, &value);

      if (assembly->skip_partial_headers)
        {
          /* The client checks the name when it sends. */
          if (split)
            ak_rest_request_add_header (request, name, value);
          continue;
        }
      if (!split || !ak_rest_is_http_token (name))
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not a header: write it as Name: value."), line);
          if (result != NULL)
            {
              result->failure = AK_REST_ASSEMBLY_BAD_HEADER;
              result->bad_header = i;
            }
          return FALSE;
        }
      ak_rest_request_add_header (request, name, value);
    }
  return TRUE;
}

static void
set_auth (AkRestRequest        *request,
          const AkRestAssembly *assembly)
{
  AkRestAuth *auth = &request->auth;

  auth->scheme = assembly->scheme;
  auth->secondary = assembly->secondary;
  auth->user_id = g_strdup (assembly->user);
  auth->channel = g_strdup (assembly->channel);
  if (assembly->scheme == AK_AUTH_BASIC)
    auth->credential_label = g_strdup (assembly->customer);
  else if (assembly->project != NULL)
    auth->credential_label = g_strdup (ak_credential_get_label (assembly->project));
  if (assembly->scheme == AK_AUTH_BEARER && assembly->token != NULL
      && assembly->token[0] != '\0')
    auth->token = g_strdup (assembly->token);
}

AkRestRequest *
ak_rest_assembly_build (const AkRestAssembly  *assembly,
                        AkRestAssemblyResult  *result,
                        GError               **error)
{
  g_autoptr(AkRestRequest) request = NULL;
  g_auto(GStrv) missing = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  const char *host;

  g_return_val_if_fail (assembly != NULL, NULL);
  g_return_val_if_fail (assembly->method != NULL, NULL);
  g_return_val_if_fail (assembly->target != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (result != NULL)
    ak_rest_assembly_result_clear (result);

  path = ak_rest_fill_path (assembly->target, assembly->project, assembly->values, &missing);
  if (missing != NULL && missing[0] != NULL)
    {
      g_autofree char *list = ak_rest_format_placeholders ((const char * const *) missing);

      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The path still has %s: fill it in before sending."), list);
      if (result != NULL)
        {
          result->failure = AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS;
          result->missing = g_steal_pointer (&missing);
        }
      return NULL;
    }

  host = ak_rest_assembly_choose_host (assembly, error);
  if (host == NULL)
    {
      if (result != NULL)
        result->failure = AK_REST_ASSEMBLY_NO_CHAT_HOST;
      return NULL;
    }
  url = ak_rest_build_url (host, path, error);
  if (url == NULL)
    {
      if (result != NULL)
        result->failure = AK_REST_ASSEMBLY_BAD_URL;
      return NULL;
    }

  request = ak_rest_request_new (assembly->method, url);
  if (!add_headers (request, assembly, result, error))
    return NULL;
  request->body = g_strdup (assembly->body);
  set_auth (request, assembly);
  request->endpoint_id = g_strdup (assembly->endpoint != NULL ? assembly->endpoint->id : NULL);
  request->timeout_seconds = assembly->timeout_seconds;
  return g_steal_pointer (&request);
}
