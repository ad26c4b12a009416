/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-credential-kind-list.h"

struct _AkCredentialKindList
{
  GObject parent_instance;

  GListModel *source;
  AkCredentialKind kind;
  /* The matching items of the source, in its order, each with a notify::label handler. */
  GPtrArray *items;
};

static void ak_credential_kind_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AkCredentialKindList, ak_credential_kind_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ak_credential_kind_list_model_init))

static GType
ak_credential_kind_list_get_item_type (GListModel *model)
{
  return AK_TYPE_CREDENTIAL;
}

static guint
ak_credential_kind_list_get_n_items (GListModel *model)
{
  return AK_CREDENTIAL_KIND_LIST (model)->items->len;
}

static gpointer
ak_credential_kind_list_get_item (GListModel *model,
                                  guint       position)
{
  AkCredentialKindList *self = AK_CREDENTIAL_KIND_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
ak_credential_kind_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ak_credential_kind_list_get_item_type;
  iface->get_n_items = ak_credential_kind_list_get_n_items;
  iface->get_item = ak_credential_kind_list_get_item;
}

/* Views that show the label (a combo row's expression) read it only when an item is
 * added: a rename is announced as the item replaced by itself. */
static void
label_changed (AkCredential         *credential,
               GParamSpec           *pspec,
               AkCredentialKindList *self)
{
  guint position;

  if (g_ptr_array_find (self->items, credential, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

static void
watch (AkCredentialKindList *self,
       AkCredential         *credential)
{
  g_signal_connect_object (credential, "notify::label", G_CALLBACK (label_changed), self, 0);
}

static void
unwatch (AkCredentialKindList *self,
         AkCredential         *credential)
{
  g_signal_handlers_disconnect_by_func (credential, label_changed, self);
}

static GPtrArray *
collect (AkCredentialKindList *self)
{
  GPtrArray *wanted = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (self->source);

  for (guint i = 0; i < n; i++)
    {
      AkCredential *credential = g_list_model_get_item (self->source, i);

      if (ak_credential_get_kind (credential) == self->kind)
        g_ptr_array_add (wanted, credential);
      else
        g_object_unref (credential);
    }
  return wanted;
}

/* The source emits a change of any size (a whole reload, a move when a label changes): the
 * lists are compared, and only what differs between the common head and tail is announced,
 * so that an unchanged selection stays where it is. */
static void
source_changed (AkCredentialKindList *self)
{
  GPtrArray *fresh = collect (self);
  GPtrArray *old = self->items;
  guint head = 0;
  guint tail = 0;

  while (head < old->len && head < fresh->len && old->pdata[head] == fresh->pdata[head])
    head++;
  while (tail < old->len - head && tail < fresh->len - head
         && old->pdata[old->len - 1 - tail] == fresh->pdata[fresh->len - 1 - tail])
    tail++;

  if (head == old->len && head == fresh->len)
    {
      g_ptr_array_unref (fresh);
      return;
    }

  for (guint i = head; i < old->len - tail; i++)
    unwatch (self, old->pdata[i]);
  for (guint i = head; i < fresh->len - tail; i++)
    watch (self, fresh->pdata[i]);

  self->items = fresh;
  g_list_model_items_changed (G_LIST_MODEL (self), head, old->len - head - tail,
                              fresh->len - head - tail);
  g_ptr_array_unref (old);
}

static void
ak_credential_kind_list_dispose (GObject *object)
{
  AkCredentialKindList *self = AK_CREDENTIAL_KIND_LIST (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, source_changed, self);
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    unwatch (self, self->items->pdata[i]);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (ak_credential_kind_list_parent_class)->dispose (object);
}

static void
ak_credential_kind_list_class_init (AkCredentialKindListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ak_credential_kind_list_dispose;
}

static void
ak_credential_kind_list_init (AkCredentialKindList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * ak_credential_kind_list_new:
 * @credentials: a GListModel of AkCredential, such as ak_credential_store_get_model()
 * @kind: the kind to keep
 *
 * Returns: (transfer full): a live view of the credentials of @kind in @credentials
 */
AkCredentialKindList *
ak_credential_kind_list_new (GListModel       *credentials,
                             AkCredentialKind  kind)
{
  AkCredentialKindList *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (credentials), NULL);

  self = g_object_new (AK_TYPE_CREDENTIAL_KIND_LIST, NULL);
  self->source = g_object_ref (credentials);
  self->kind = kind;
  g_signal_connect_swapped (credentials, "items-changed", G_CALLBACK (source_changed), self);
  g_ptr_array_unref (self->items);
  self->items = collect (self);
  for (guint i = 0; i < self->items->len; i++)
    watch (self, self->items->pdata[i]);
  return self;
}
