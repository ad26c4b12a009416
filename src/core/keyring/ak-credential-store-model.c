/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ak-credential-private.h"
#include "ak-credential-store-private.h"

/* ---------------------------------------------------------------------------------------------
 * Model
 */

GHashTable *
ak_store_string_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Only the schema's attributes: libsecret refuses (with a critical warning) any other. */
GHashTable *
ak_store_schema_attributes_copy (GHashTable *attributes)
{
  GHashTable *copy = ak_store_string_table_new ();

  for (guint i = 0; i < AK_CREDENTIAL_N_ATTRIBUTES; i++)
    {
      const char *value = g_hash_table_lookup (attributes, ak_credential_attribute_names[i]);

      if (value != NULL)
        g_hash_table_insert (copy, g_strdup (ak_credential_attribute_names[i]),
                             g_strdup (value));
    }
  return copy;
}

GHashTable *
ak_store_id_attributes (const char *id)
{
  GHashTable *attributes = ak_store_string_table_new ();

  g_hash_table_insert (attributes, g_strdup (AK_ATTR_ID), g_strdup (id));
  return attributes;
}

gboolean
ak_store_find_position (AkCredentialStore *self,
                        AkCredential      *credential,
                        guint             *position)
{
  return g_list_store_find (self->model, credential, position);
}

AkCredential *
ak_store_find_by_id (AkCredentialStore *self,
                     const char        *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (G_LIST_MODEL (self->model), i);

      if (g_str_equal (ak_credential_get_id (credential), id))
        return credential;
    }
  return NULL;
}

static gboolean
in_order_at (AkCredentialStore *self,
             guint              position)
{
  GListModel *model = G_LIST_MODEL (self->model);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(AkCredential) item = g_list_model_get_item (model, position);

  if (position > 0)
    {
      g_autoptr(AkCredential) before = g_list_model_get_item (model, position - 1);
      if (ak_credential_compare (before, item, NULL) > 0)
        return FALSE;
    }
  if (position + 1 < n)
    {
      g_autoptr(AkCredential) after = g_list_model_get_item (model, position + 1);
      if (ak_credential_compare (item, after, NULL) > 0)
        return FALSE;
    }
  return TRUE;
}

void
ak_store_keep_sorted (AkCredentialStore *self,
                      AkCredential      *credential)
{
  guint position;

  if (!ak_store_find_position (self, credential, &position) || in_order_at (self, position))
    return;

  g_object_ref (credential);
  g_list_store_remove (self->model, position);
  g_list_store_insert_sorted (self->model, credential, ak_credential_compare, NULL);
  g_object_unref (credential);
}

void
ak_store_remember_attributes (AkCredentialStore *self,
                              const char        *id,
                              GHashTable        *attributes)
{
  g_hash_table_replace (self->stored_attributes, g_strdup (id),
                        ak_store_schema_attributes_copy (attributes));
}

static gint
compare_indirect (gconstpointer a,
                  gconstpointer b)
{
  return ak_credential_compare (*(AkCredential * const *) a, *(AkCredential * const *) b, NULL);
}

gboolean
ak_store_item_is_ours (const AkSecretItem *item)
{
  AkCredentialKind kind;
  const char *id = g_hash_table_lookup (item->attributes, AK_ATTR_ID);

  return id != NULL && *id != '\0'
         && ak_credential_kind_from_string (g_hash_table_lookup (item->attributes, AK_ATTR_KIND),
                                            &kind);
}

/* Brings the model in line with @items (a full search), keeping the objects of credentials
 * that are still there so that views and their selection survive. Returns whether any item
 * is locked. */
gboolean
ak_store_merge_items (AkCredentialStore *self,
                      GPtrArray         *items)
{
  g_autoptr(GHashTable) newest = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = G_LIST_MODEL (self->model);
  gboolean any_locked = FALSE;
  GHashTableIter iter;
  gpointer value;

  /* An update that could not remove the previous copy leaves two items with one id. */
  for (guint i = 0; i < items->len; i++)
    {
      AkSecretItem *item = g_ptr_array_index (items, i);
      const char *id;
      AkSecretItem *seen;

      if (!ak_store_item_is_ours (item))
        continue;
      any_locked |= item->locked;
      id = g_hash_table_lookup (item->attributes, AK_ATTR_ID);
      seen = g_hash_table_lookup (newest, id);
      if (seen == NULL || item->modified > seen->modified)
        g_hash_table_insert (newest, (char *) id, item);
    }

  g_hash_table_remove_all (self->stored_attributes);
  g_hash_table_iter_init (&iter, newest);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      AkSecretItem *item = value;

      ak_store_remember_attributes (self, g_hash_table_lookup (item->attributes, AK_ATTR_ID),
                                    item->attributes);
      g_ptr_array_add (fresh, ak_credential_new_from_attributes (item->attributes));
    }

  if (g_list_model_get_n_items (model) == 0)
    {
      /* The first load: one sort and one items-changed for the whole list. */
      g_ptr_array_sort (fresh, compare_indirect);
      g_list_store_splice (self->model, 0, 0, fresh->pdata, fresh->len);
      return any_locked;
    }

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (model, i - 1);

      if (!g_hash_table_contains (newest, ak_credential_get_id (credential)))
        g_list_store_remove (self->model, i - 1);
    }

  for (guint i = 0; i < fresh->len; i++)
    {
      AkCredential *credential = g_ptr_array_index (fresh, i);
      AkCredential *existing = ak_store_find_by_id (self, ak_credential_get_id (credential));

      if (existing != NULL)
        {
          ak_credential_update_from (existing, credential);
          ak_store_keep_sorted (self, existing);
        }
      else
        g_list_store_insert_sorted (self->model, credential, ak_credential_compare, NULL);
    }

  return any_locked;
}
