/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-token-builder-private.h"

/* ---------------------------------------------------------------------------------------------
 * RTM2 permissions: the "permissions" input and the rtm_permissions builder
 */

static gboolean
parse_type_key (const char  *key,
                gboolean     resource,
                guint16     *value,
                GError     **error)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (key, 10, 0, G_MAXUINT16, &number, NULL))
    {
      *value = (guint16) number;
      return TRUE;
    }
  if (resource ? ak_rtm_resource_type_from_name (key, value)
               : ak_rtm_permission_type_from_name (key, value))
    return TRUE;

  if (resource)
    g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                 _("“%s” is not an RTM resource type: use messageChannels, streamChannels, "
                   "groupChannels, serverGroups, users, or a number."),
                 key);
  else
    g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                 _("“%s” is not an RTM permission type: use read, write, or a number."), key);
  return FALSE;
}

/* One list of the input; @resources is %NULL for a resource type given with no permission. */
typedef struct
{
  guint16 resource_type;
  guint16 permission_type;
  guint order;
  JsonArray *resources;
} PermissionInput;

static gint
permission_input_compare (gconstpointer a,
                          gconstpointer b)
{
  const PermissionInput *x = a;
  const PermissionInput *y = b;

  if (x->resource_type != y->resource_type)
    return x->resource_type < y->resource_type ? -1 : 1;
  if (x->permission_type != y->permission_type)
    return x->permission_type < y->permission_type ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Writes the sorted lists as the official builders do: a block per resource type and an
 * entry per permission type, both ascending, each appended in constant time. Empty lists
 * and empty resource types stay, as in the C++, Python, Go and Node builders: dropping them
 * would change the bytes and the signature. */
static void
add_permission_inputs (AkService    *service,
                       const GArray *inputs)
{
  AkRtmPermission *entry = NULL;

  for (guint i = 0; i < inputs->len; i++)
    {
      const PermissionInput *input = &g_array_index (inputs, PermissionInput, i);
      const PermissionInput *previous = i > 0 ? input - 1 : NULL;
      guint n_resources;

      if (previous == NULL || previous->resource_type != input->resource_type)
        {
          ak_service_append_permission_block (service, input->resource_type);
          entry = NULL;
        }
      if (input->resources == NULL)
        continue;

      /* A name and its number ("read" and "0") add to one entry, in the order given. */
      n_resources = json_array_get_length (input->resources);
      if (entry == NULL || entry->permission_type != input->permission_type)
        entry = ak_service_append_permission (service, input->permission_type, n_resources);
      for (guint j = 0; j < n_resources; j++)
        g_ptr_array_add (entry->resources,
                         g_strdup (json_array_get_string_element (input->resources, j)));
    }
}

/* permissions = {"<resource type>": {"<permission type>": ["resource", ...]}} with numbers or
 * names as keys, the same shape the decoder prints. The lists are sorted once, then added in
 * order, so that any key order costs linear time after the sort. */
gboolean
ak_build_read_permissions_input (JsonNode   *node,
                                 AkService  *service,
                                 GError    **error)
{
  g_autoptr(GArray) inputs = g_array_new (FALSE, FALSE, sizeof (PermissionInput));
  JsonObjectIter outer;
  const char *resource_key;
  JsonNode *permission_node;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad_shape;

  json_object_iter_init_ordered (&outer, json_node_get_object (node));
  while (json_object_iter_next_ordered (&outer, &resource_key, &permission_node))
    {
      JsonObjectIter inner;
      const char *permission_key;
      JsonNode *list;
      guint16 resource_type;
      PermissionInput block = { .order = inputs->len };

      if (!parse_type_key (resource_key, TRUE, &resource_type, error))
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (permission_node))
        goto bad_shape;

      block.resource_type = resource_type;
      if (json_object_get_size (json_node_get_object (permission_node)) == 0)
        g_array_append_val (inputs, block);

      json_object_iter_init_ordered (&inner, json_node_get_object (permission_node));
      while (json_object_iter_next_ordered (&inner, &permission_key, &list))
        {
          PermissionInput input = { .resource_type = resource_type, .order = inputs->len };
          JsonArray *array;

          if (!parse_type_key (permission_key, FALSE, &input.permission_type, error))
            return FALSE;
          if (!JSON_NODE_HOLDS_ARRAY (list))
            goto bad_shape;

          array = json_node_get_array (list);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
                goto bad_shape;
            }
          input.resources = array;
          g_array_append_val (inputs, input);
        }
    }

  g_array_sort (inputs, permission_input_compare);
  add_permission_inputs (service, inputs);
  return TRUE;

bad_shape:
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("The input “permissions” must look like "
                 "{\"messageChannels\": {\"read\": [\"channel-a\"]}}."));
  return FALSE;
}

AkToken *
ak_build_rtm_permissions (BuildContext *ctx,
                          GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  g_autoptr(AkService) service = NULL;
  const char *user_id;
  JsonNode *permissions;
  guint32 expire;

  if (!ak_build_get_string (ctx, "user_id", TRUE, &user_id, error)
      || !ak_build_lookup (ctx, "permissions", TRUE, &permissions, error)
      || !ak_build_get_u32 (ctx, "expire", FALSE, &expire, error))
    return NULL;

  service = ak_build_user_service (AK_SERVICE_RTM2, user_id, AK_PRIV_RTM2_LOGIN, expire);
  if (!ak_build_read_permissions_input (permissions, service, error))
    return NULL;

  ak_build_check_expire (ctx, "expire", expire);
  token = ak_build_new_007 (ctx, expire);
  ak_token_add_service (token, g_steal_pointer (&service));
  return g_steal_pointer (&token);
}
