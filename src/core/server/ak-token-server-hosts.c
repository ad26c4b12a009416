/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-token-server-private.h"

/* Which names a request's Host header may give: the allowed-hosts setting
 * and the loopback check every request goes through. */

/* "name", "name:port", "[v6]" or "[v6]:port": the name in lower case, brackets kept, or
 * %NULL when @value is none of these. */
char *
ak_token_server_host_without_port (const char *value)
{
  const char *rest;
  gsize name_len;

  if (value == NULL)
    return NULL;
  if (value[0] == '[')
    {
      const char *close = strchr (value, ']');

      if (close == NULL)
        return NULL;
      name_len = (gsize) (close + 1 - value);
    }
  else
    name_len = strcspn (value, ":");
  if (name_len == 0 || name_len > 255)
    return NULL;

  rest = value + name_len;
  if (*rest == ':')
    {
      gsize digits = strspn (rest + 1, "0123456789");

      if (digits == 0 || digits > 5 || rest[1 + digits] != '\0')
        return NULL;
    }
  else if (*rest != '\0')
    return NULL;
  return g_ascii_strdown (value, (gssize) name_len);
}

static GInetAddress *
host_to_inet (const char *name)
{
  if (name[0] == '[')
    {
      g_autofree char *inner = g_strndup (name + 1, strlen (name) - 2);
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (inner);

      if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
        return NULL;
      return g_steal_pointer (&inet);
    }
  return g_inet_address_new_from_string (name);
}

/* IPv6's loopback, 127.0.0.0/8, and 127.0.0.0/8 mapped into IPv6 (::ffff:127.0.0.1). */
gboolean
ak_token_server_inet_is_loopback (GInetAddress *inet)
{
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

  if (g_inet_address_get_is_loopback (inet))
    return TRUE;
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8 *bytes = g_inet_address_to_bytes (inet);

      return memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0 && bytes[12] == 127;
    }
  return FALSE;
}

/* A name only this computer answers to: "localhost" and its subdomains (RFC 6761: never
 * looked up in DNS), or a loopback address. */
gboolean
ak_token_server_host_is_this_computer (const char *name)
{
  g_autoptr(GInetAddress) inet = NULL;

  if (g_str_equal (name, "localhost")
      || (g_str_has_suffix (name, ".localhost") && strlen (name) > strlen (".localhost")))
    return TRUE;
  inet = host_to_inet (name);
  return inet != NULL && ak_token_server_inet_is_loopback (inet);
}

static gboolean
host_name_is_valid (const char *name)
{
  g_autoptr(GInetAddress) inet = NULL;

  if (name[0] == '[')
    return (inet = host_to_inet (name)) != NULL;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return *name != '\0' && *name != '.' && *name != '-';
}

/* The allow-list form of one name: lower case, no port; %NULL when it is not a host name. */
char *
ak_token_server_normalize_allowed_host (const char *text)
{
  g_autofree char *name = ak_token_server_host_without_port (text);

  if (name == NULL || !host_name_is_valid (name))
    return NULL;
  return g_steal_pointer (&name);
}

/**
 * ak_token_server_parse_allowed_hosts:
 * @text: host names separated by commas or spaces, such as "myapp.test, 192.168.1.20"
 * @error: return location for an %AK_ERROR_INVALID_INPUT naming the first word that is not
 *   a host name
 *
 * Returns: (transfer full): the names for ak_token_server_set_allowed_hosts(), lower case and
 *   without ports (maybe empty), or %NULL with @error set
 */
GStrv
ak_token_server_parse_allowed_hosts (const char  *text,
                                     GError     **error)
{
  g_auto(GStrv) words = g_strsplit_set (text != NULL ? text : "", ", \t\n", -1);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *name = NULL;

      if (words[i][0] == '\0')
        continue;
      name = ak_token_server_normalize_allowed_host (words[i]);
      if (name == NULL || !g_utf8_validate (words[i], -1, NULL))
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not a host name such as myapp.test or 192.168.1.20."),
                       g_utf8_validate (words[i], -1, NULL) ? words[i] : "?");
          return NULL;
        }
      g_strv_builder_add (names, name);
    }
  return g_strv_builder_end (names);
}
