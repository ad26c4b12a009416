/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-private.h"

/* ---------------------------------------------------------------------------------------------
 * Hosts and URLs
 */

const char * const *
ak_rest_get_hosts (void)
{
  static const char * const hosts[] = {
    "api.agora.io",
    "api.sd-rtn.com",
    "api-us-west-1.agora.io",
    "api-us-east-1.agora.io",
    "api-ap-southeast-1.agora.io",
    "api-ap-northeast-1.agora.io",
    "api-eu-west-1.agora.io",
    "api-eu-central-1.agora.io",
    "api-cn-east-1.agora.io",
    "api-cn-north-1.agora.io",
    "api-us-west-1.sd-rtn.com",
    "api-us-east-1.sd-rtn.com",
    "api-ap-southeast-1.sd-rtn.com",
    "api-ap-northeast-1.sd-rtn.com",
    "api-eu-west-1.sd-rtn.com",
    "api-eu-central-1.sd-rtn.com",
    "api-cn-east-1.sd-rtn.com",
    "api-cn-north-1.sd-rtn.com",
    NULL
  };

  return hosts;
}

gboolean
ak_rest_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize length;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  length = strlen (host);
  if (length > 2 && host[0] == '[' && host[length - 1] == ']')
    bare = g_strndup (host + 1, length - 2);
  else
    bare = g_strdup (host);
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* "{appid}" and the like, copied from a template and never filled. */
static char *
find_placeholder (const char *text)
{
  for (const char *open = strchr (text, '{'); open != NULL; open = strchr (open + 1, '{'))
    {
      const char *p = open + 1;

      if (!g_ascii_isalpha (*p) && *p != '_')
        continue;
      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      if (*p == '}')
        return g_strndup (open, (gsize) (p - open + 1));
    }
  return NULL;
}

static gboolean
has_scheme (const char *text)
{
  const char *colon = strstr (text, "://");

  if (colon == NULL || colon == text)
    return FALSE;
  for (const char *p = text; p < colon; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/* Percent-encodes what may not appear in a URL (spaces, quotes, braces, non-ASCII), leaving
 * reserved characters and existing %XX escapes alone. */
static char *
escape_url (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-._~:/?#[]@!$&'()*+,;=", *p) != NULL
          || (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])))
        g_string_append_c (escaped, (char) *p);
      else
        g_string_append_printf (escaped, "%%%02X", *p);
    }
  return g_string_free (escaped, FALSE);
}

/**
 * ak_rest_check_url:
 * @url: a full URL
 *
 * Returns: %TRUE if @url may be sent: https, or plain http to this computer only, with a host,
 *   without credentials or unfilled placeholders; otherwise %FALSE with an
 *   %AK_ERROR_INVALID_INPUT sentence
 */
gboolean
ak_rest_check_url (const char  *url,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *placeholder = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("Enter a URL."));
      return FALSE;
    }

  placeholder = find_placeholder (url);
  if (placeholder != NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The URL still has the placeholder %s: fill it in before sending."),
                   placeholder);
      return FALSE;
    }

  for (const guchar *p = (const guchar *) url; *p != '\0'; p++)
    if (*p <= ' ' || *p >= 0x7f)
      {
        g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                             _("The URL contains spaces or other characters that must be "
                               "percent-encoded."));
        return FALSE;
      }

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || !has_scheme (url))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("“%s” is not a URL: write it like https://api.agora.io/dev/v1/projects."),
                   url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("“%s” has no host name."), url);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("Do not put a user name or password in the URL: keep the "
                             "credential in Credentials and choose an authentication scheme."));
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (ak_rest_host_is_loopback (host))
        return TRUE;
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Plain http:// is only allowed to this computer (localhost, 127.0.0.1, "
                     "::1): use https://%s instead."),
                   host);
      return FALSE;
    }

  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("“%s” URLs cannot be sent: use https://."), scheme);
  return FALSE;
}

/**
 * ak_rest_build_url:
 * @host_or_base_url: a host ("api.agora.io", "a41.chat.agora.io:443"), which means https, or a
 *   base URL ("https://tokens.example.com/v2", "http://127.0.0.1:8080")
 * @path: (nullable): the path, with or without its leading "/", and any query string; a full
 *   http(s) URL here replaces the host
 *
 * Characters a URL cannot hold are percent-encoded; the result is checked with
 * ak_rest_check_url().
 *
 * Returns: (transfer full): the URL, or %NULL with an %AK_ERROR_INVALID_INPUT error
 */
char *
ak_rest_build_url (const char  *host_or_base_url,
                   const char  *path,
                   GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *trimmed_path = g_strstrip (g_strdup (path != NULL ? path : ""));
  g_autofree char *joined = NULL;
  g_autofree char *placeholder = NULL;
  g_autofree char *url = NULL;
  const char *relative;

  if (has_scheme (trimmed_path))
    joined = g_steal_pointer (&trimmed_path);
  else
    {
      gsize length;

      base = g_strstrip (g_strdup (host_or_base_url != NULL ? host_or_base_url : ""));
      if (*base == '\0')
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("Choose a host or enter a base URL."));
          return NULL;
        }
      if (!has_scheme (base))
        {
          char *with_scheme = g_strconcat ("https://", base, NULL);

          g_free (base);
          base = with_scheme;
        }
      length = strlen (base);
      while (length > (gsize) (strstr (base, "://") - base) + 3 && base[length - 1] == '/')
        base[--length] = '\0';

      relative = trimmed_path;
      while (*relative == '/')
        relative++;
      joined = g_strconcat (base, "/", relative, NULL);
    }

  /* Before escaping, which would hide the braces. */
  placeholder = find_placeholder (joined);
  if (placeholder != NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The path still has the placeholder %s: fill it in before sending."),
                   placeholder);
      return NULL;
    }

  url = escape_url (joined);
  if (!ak_rest_check_url (url, error))
    return NULL;
  return g_steal_pointer (&url);
}
