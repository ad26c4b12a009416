/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The GListModel interface of an object whose items are the objects of a GPtrArray in its
 * instance struct: defines type_name##_list_model_init () for G_IMPLEMENT_INTERFACE ().
 * TypeName is the instance struct, type_name its function prefix, ITEM_TYPE the items' GType
 * and array the GPtrArray member. Use it after the struct, and declare
 * type_name##_list_model_init before G_DEFINE_TYPE_WITH_CODE (). */
#define AK_DEFINE_ARRAY_LIST_MODEL(TypeName, type_name, ITEM_TYPE, array) \
  static GType \
  type_name##_get_item_type (GListModel *model) \
  { \
    return ITEM_TYPE; \
  } \
 \
  static guint \
  type_name##_get_n_items (GListModel *model) \
  { \
    return ((TypeName *) model)->array->len; \
  } \
 \
  static gpointer \
  type_name##_get_item (GListModel *model, \
                        guint       position) \
  { \
    GPtrArray *items = ((TypeName *) model)->array; \
 \
    return position < items->len ? g_object_ref (g_ptr_array_index (items, position)) : NULL; \
  } \
 \
  static void \
  type_name##_list_model_init (GListModelInterface *iface) \
  { \
    iface->get_item_type = type_name##_get_item_type; \
    iface->get_n_items = type_name##_get_n_items; \
    iface->get_item = type_name##_get_item; \
  }

G_END_DECLS
