/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-token-request.h"
#include "ak-token.h"

/* ---------------------------------------------------------------------------------------------
 * RTM2 permissions as typed: "stream:read=room1,room2;channel:write=*"
 */

static gboolean
parse_permission_part (const char *text,
                       gboolean    is_resource,
                       guint16    *value)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT16, &number, NULL))
    {
      *value = (guint16) number;
      return TRUE;
    }
  if (is_resource)
    return ak_rtm_resource_type_from_name (text, value);
  return ak_rtm_permission_type_from_name (text, value);
}

/**
 * ak_rtm_permissions_parse:
 * @text: "resource:permission:name" entries separated by commas, semicolons or new lines;
 *   resources and permissions by name (messageChannels, read, …) or number
 *
 * Returns: (transfer full): the `permissions` input of the rtm_permissions builder, keyed by
 *   number so that "messageChannels" and "0" end up in one list
 */
JsonNode *
ak_rtm_permissions_parse (const char  *text,
                          GError     **error)
{
  g_autoptr(JsonObject) by_resource = json_object_new ();
  g_auto(GStrv) entries = g_regex_split_simple ("[,;\\n]", text != NULL ? text : "", 0, 0);
  guint n = 0;

  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autofree char *entry = g_strstrip (g_strdup (entries[i]));
      g_auto(GStrv) parts = NULL;
      g_autofree char *resource_key = NULL;
      g_autofree char *permission_key = NULL;
      JsonObject *by_permission;
      JsonArray *names;
      guint16 resource;
      guint16 permission;

      if (*entry == '\0')
        continue;
      parts = g_strsplit (entry, ":", 3);
      if (g_strv_length (parts) != 3 || *g_strstrip (parts[2]) == '\0')
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not a permission: write resource:permission:name, for example "
                         "messageChannels:read:chan-a."),
                       entry);
          return NULL;
        }
      g_strstrip (parts[0]);
      g_strstrip (parts[1]);
      if (!parse_permission_part (parts[0], TRUE, &resource))
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not an RTM resource type: use messageChannels, "
                         "streamChannels, groupChannels, serverGroups, users or a number."),
                       parts[0]);
          return NULL;
        }
      if (!parse_permission_part (parts[1], FALSE, &permission))
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not an RTM permission: use read, write or a number."),
                       parts[1]);
          return NULL;
        }

      resource_key = g_strdup_printf ("%u", resource);
      permission_key = g_strdup_printf ("%u", permission);
      if (!json_object_has_member (by_resource, resource_key))
        json_object_set_object_member (by_resource, resource_key, json_object_new ());
      by_permission = json_object_get_object_member (by_resource, resource_key);
      if (!json_object_has_member (by_permission, permission_key))
        json_object_set_array_member (by_permission, permission_key, json_array_new ());
      names = json_object_get_array_member (by_permission, permission_key);
      json_array_add_string_element (names, parts[2]);
      n++;
    }

  if (n == 0)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("Add at least one permission, for example "
                             "messageChannels:read:chan-a."));
      return NULL;
    }
  return json_node_init_object (json_node_alloc (), by_resource);
}
