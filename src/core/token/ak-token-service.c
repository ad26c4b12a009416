/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-token-private.h"

/* ---------------------------------------------------------------------------------------------
 * AkService
 */

static void
rtm_permission_clear (gpointer data)
{
  AkRtmPermission *permission = data;

  g_clear_pointer (&permission->resources, g_ptr_array_unref);
}

AkService *
ak_service_new (AkServiceType type)
{
  AkService *service = g_new0 (AkService, 1);

  service->type = type;
  service->privileges = g_array_new (FALSE, FALSE, sizeof (AkPrivilege));
  service->role = -1;
  return service;
}

void
ak_service_free (AkService *service)
{
  if (service == NULL)
    return;
  g_array_unref (service->privileges);
  g_free (service->channel_name);
  g_free (service->uid);
  g_free (service->user_id);
  g_free (service->room_uuid);
  g_free (service->user_uuid);
  g_clear_pointer (&service->permissions, g_array_unref);
  g_clear_pointer (&service->permission_blocks, g_array_unref);
  g_clear_pointer (&service->resource_strings, g_string_chunk_free);
  g_free (service);
}

/* Binary search in the sorted map; setting ids in ascending order appends in constant time. */
void
ak_privileges_set (GArray  *privileges,
                   guint16  id,
                   guint32  value)
{
  guint low = 0;
  guint high = privileges->len;

  if (high > 0 && g_array_index (privileges, AkPrivilege, high - 1).id < id)
    low = high;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      AkPrivilege *p = &g_array_index (privileges, AkPrivilege, middle);

      if (p->id == id)
        {
          p->value = value;
          return;
        }
      if (p->id < id)
        low = middle + 1;
      else
        high = middle;
    }

  g_array_insert_val (privileges, low, ((AkPrivilege) { .id = id, .value = value }));
}

/**
 * ak_service_set_privilege:
 *
 * Sets privilege @id to @value, keeping the map in ascending id order as the wire format wants.
 */
void
ak_service_set_privilege (AkService *service,
                          guint16    id,
                          guint32    value)
{
  g_return_if_fail (service != NULL);
  ak_privileges_set (service->privileges, id, value);
}

gboolean
ak_service_get_privilege (const AkService *service,
                          guint16          id,
                          guint32         *value)
{
  g_return_val_if_fail (service != NULL, FALSE);

  for (guint i = 0; i < service->privileges->len; i++)
    {
      const AkPrivilege *p = &g_array_index (service->privileges, AkPrivilege, i);

      if (p->id == id)
        {
          if (value != NULL)
            *value = p->value;
          return TRUE;
        }
    }
  return FALSE;
}

static GArray *
permissions_array (AkService *service)
{
  if (service->permissions == NULL)
    {
      service->permissions = g_array_new (FALSE, TRUE, sizeof (AkRtmPermission));
      g_array_set_clear_func (service->permissions, rtm_permission_clear);
    }
  return service->permissions;
}

static int
permission_key_compare (const AkRtmPermission *p,
                        guint16                resource_type,
                        guint16                permission_type)
{
  if (p->resource_type != resource_type)
    return p->resource_type < resource_type ? -1 : 1;
  if (p->permission_type != permission_type)
    return p->permission_type < permission_type ? -1 : 1;
  return 0;
}

/* @free_func is %NULL for the parser's entries, whose names live in resource_strings. */
static AkRtmPermission *
insert_permission (GArray         *permissions,
                   guint           index,
                   guint16         resource_type,
                   guint16         permission_type,
                   guint           reserve,
                   GDestroyNotify  free_func)
{
  AkRtmPermission fresh = {
    .resource_type = resource_type,
    .permission_type = permission_type,
    .resources = g_ptr_array_new_full (reserve, free_func),
  };

  g_array_insert_val (permissions, index, fresh);
  return &g_array_index (permissions, AkRtmPermission, index);
}

/* Before a parsed service is changed: give each resource name an allocation of its own, so
 * that names added from now on can be freed one by one like the rest. */
static void
own_resource_strings (AkService *service)
{
  if (service->resource_strings == NULL)
    return;

  for (guint i = 0; service->permissions != NULL && i < service->permissions->len; i++)
    {
      GPtrArray *resources = g_array_index (service->permissions, AkRtmPermission, i).resources;

      for (guint j = 0; j < resources->len; j++)
        resources->pdata[j] = g_strdup (resources->pdata[j]);
      g_ptr_array_set_free_func (resources, g_free);
    }
  g_clear_pointer (&service->resource_strings, g_string_chunk_free);
}

/**
 * ak_service_add_permission:
 *
 * Adds @resource to the RTM2 permission (@resource_type, @permission_type), creating the
 * entry in sorted position when it is new, as the official builders write them. Resources
 * keep the order they were added in. Adding in ascending order costs constant time.
 * A wire layout taken from a parsed token (@permission_blocks) no longer applies and is
 * dropped.
 */
void
ak_service_add_permission (AkService  *service,
                           guint16     resource_type,
                           guint16     permission_type,
                           const char *resource)
{
  GArray *permissions;
  AkRtmPermission *entry = NULL;
  guint low = 0;
  guint high;

  g_return_if_fail (service != NULL);
  g_return_if_fail (resource != NULL);

  g_clear_pointer (&service->permission_blocks, g_array_unref);
  own_resource_strings (service);
  permissions = permissions_array (service);
  high = permissions->len;

  /* Builders add in order: try the last entry before searching. */
  if (high > 0)
    {
      AkRtmPermission *last = &g_array_index (permissions, AkRtmPermission, high - 1);
      int order = permission_key_compare (last, resource_type, permission_type);

      if (order == 0)
        entry = last;
      else if (order < 0)
        low = high;
    }

  while (entry == NULL && low < high)
    {
      guint middle = low + (high - low) / 2;
      AkRtmPermission *p = &g_array_index (permissions, AkRtmPermission, middle);
      int order = permission_key_compare (p, resource_type, permission_type);

      if (order == 0)
        entry = p;
      else if (order < 0)
        low = middle + 1;
      else
        high = middle;
    }

  if (entry == NULL)
    entry = insert_permission (permissions, low, resource_type, permission_type, 1, g_free);

  g_ptr_array_add (entry->resources, g_strdup (resource));
}

/* The blocks of a service whose entries were added by ak_service_add_permission(). */
static GArray *
permission_blocks_from_entries (const GArray *permissions)
{
  GArray *blocks = g_array_new (FALSE, FALSE, sizeof (AkRtmPermissionBlock));

  for (guint i = 0; permissions != NULL && i < permissions->len; i++)
    {
      const AkRtmPermission *p = &g_array_index (permissions, AkRtmPermission, i);
      AkRtmPermissionBlock *last = blocks->len > 0
                                     ? &g_array_index (blocks, AkRtmPermissionBlock,
                                                       blocks->len - 1)
                                     : NULL;

      if (last != NULL && last->resource_type == p->resource_type)
        last->n_permissions++;
      else
        g_array_append_val (blocks, ((AkRtmPermissionBlock) { p->resource_type, 1 }));
    }
  return blocks;
}

/**
 * ak_service_append_permission_block:
 *
 * Starts a new resource-type block at the end of the RTM2 permissions, as a token may hold
 * them on the wire: in any order, with a type repeated, or with no entry at all. Entries are
 * added to it with ak_service_append_permission().
 */
void
ak_service_append_permission_block (AkService *service,
                                    guint16    resource_type)
{
  g_return_if_fail (service != NULL);

  permissions_array (service);
  if (service->permission_blocks == NULL)
    service->permission_blocks = permission_blocks_from_entries (service->permissions);
  g_array_append_val (service->permission_blocks,
                      ((AkRtmPermissionBlock) { .resource_type = resource_type }));
}

AkRtmPermission *
ak_service_append_entry (AkService      *service,
                         guint16         permission_type,
                         guint           reserve,
                         GDestroyNotify  free_func)
{
  AkRtmPermissionBlock *block = &g_array_index (service->permission_blocks,
                                                AkRtmPermissionBlock,
                                                service->permission_blocks->len - 1);

  block->n_permissions++;
  return insert_permission (service->permissions, service->permissions->len,
                            block->resource_type, permission_type, reserve, free_func);
}

/**
 * ak_service_append_permission:
 * @reserve: how many resources the caller expects to add (0 if unknown)
 *
 * Appends an entry for @permission_type to the last block started with
 * ak_service_append_permission_block(), keeping wire order. Constant time.
 *
 * Returns: (transfer none): the new entry; add resource names to its @resources, each one
 *   allocated with g_malloc() (the array frees them)
 */
AkRtmPermission *
ak_service_append_permission (AkService *service,
                              guint16    permission_type,
                              guint      reserve)
{
  g_return_val_if_fail (service != NULL, NULL);
  g_return_val_if_fail (service->permission_blocks != NULL
                        && service->permission_blocks->len > 0, NULL);

  own_resource_strings (service);
  return ak_service_append_entry (service, permission_type, reserve, g_free);
}

/* The resource-type blocks of @service in wire order: as parsed, or as a builder's entries
 * group. The block counts always add up to the number of entries. */
GArray *
ak_service_dup_permission_blocks (const AkService *service)
{
  if (service->permission_blocks != NULL)
    return g_array_ref (service->permission_blocks);
  return permission_blocks_from_entries (service->permissions);
}
