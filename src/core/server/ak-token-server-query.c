/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-core-enums.h"
#include "ak-enum-nick.h"
#include "ak-error.h"
#include "ak-token-server-check-private.h"

/* ---------------------------------------------------------------------------------------------
 * Queries
 */

/* The names are the enums' nicks ("rtc", "publisher"); a query's tokenType is read in any case. */

const char *
ak_token_server_token_type_to_name (AkTokenServerTokenType type)
{
  return ak_enum_to_nick (AK_TYPE_TOKEN_SERVER_TOKEN_TYPE, type);
}

gboolean
ak_token_server_token_type_from_name (const char             *name,
                                      AkTokenServerTokenType *type)
{
  int value;

  if (!ak_enum_from_nick (AK_TYPE_TOKEN_SERVER_TOKEN_TYPE, name, &value))
    return FALSE;
  if (type != NULL)
    *type = (AkTokenServerTokenType) value;
  return TRUE;
}

const char *
ak_token_server_role_to_name (AkTokenServerRole role)
{
  return ak_enum_to_nick (AK_TYPE_TOKEN_SERVER_ROLE, role);
}

const char *
ak_token_server_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

guint32
ak_token_server_requested_expire (const AkTokenServerQuery *query)
{
  return query->expire != 0 ? query->expire : AK_TOKEN_SERVER_DEFAULT_EXPIRE;
}

/**
 * ak_token_server_query_validate:
 *
 * Returns: %TRUE when agora-token-service would accept @query; otherwise %FALSE with an
 *   %AK_ERROR_INVALID_INPUT sentence naming what is missing
 */
gboolean
ak_token_server_query_validate (const AkTokenServerQuery  *query,
                                GError                   **error)
{
  g_return_val_if_fail (query != NULL, FALSE);

  if (query->token_type == AK_TOKEN_SERVER_TOKEN_RTC
      && *ak_token_server_or_empty (query->channel) == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("Enter a channel name: an RTC token is made for one channel."));
      return FALSE;
    }
  if (query->token_type != AK_TOKEN_SERVER_TOKEN_CHAT
      && *ak_token_server_or_empty (query->uid) == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           query->token_type == AK_TOKEN_SERVER_TOKEN_RTC
                             ? _("Enter a uid (0 for any user) or a user account.")
                             : _("Enter the RTM user ID."));
      return FALSE;
    }
  return TRUE;
}

/**
 * ak_token_server_query_to_json:
 *
 * Returns: (transfer full): the `/getToken` body for @query
 */
char *
ak_token_server_query_to_json (const AkTokenServerQuery *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (query != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tokenType");
  json_builder_add_string_value (builder, ak_token_server_token_type_to_name (query->token_type));
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder, ak_token_server_or_empty (query->channel));
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, ak_token_server_role_to_name (query->role));
  /* The service declares uid as a string and parses numbers out of it itself. */
  json_builder_set_member_name (builder, "uid");
  json_builder_add_string_value (builder, ak_token_server_or_empty (query->uid));
  json_builder_set_member_name (builder, "expire");
  json_builder_add_int_value (builder, ak_token_server_requested_expire (query));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * ak_token_server_build_url:
 *
 * Returns: (transfer full): the `/getToken` URL, or %NULL with %AK_ERROR_INVALID_INPUT
 */
char *
ak_token_server_build_url (const char  *base_url,
                           GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (ak_token_server_or_empty (base_url)));
  gsize length = strlen (trimmed);
  const char *scheme_end = strstr (trimmed, "://");
  gsize host_start = scheme_end != NULL ? (gsize) (scheme_end - trimmed) + 3 : 0;

  while (length > 0 && trimmed[length - 1] == '/')
    trimmed[--length] = '\0';

  /* A deployed server's address is often noted with its route already on it; in
   * "https://getToken" the name is a host, not the route. */
  if (g_str_has_suffix (trimmed, "/getToken") && length - strlen ("/getToken") > host_start)
    trimmed[length - strlen ("/getToken")] = '\0';
  return ak_rest_build_url (trimmed, "getToken", error);
}
