/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One (name, offset) pair for ak_ui_set_template(): the template child @member of the
 * instance struct @Type. */
#define AK_UI_CHILD(Type, member) #member, (gssize) G_STRUCT_OFFSET (Type, member)

/* Sets the class's template from @resource and binds each template child of a NULL-terminated
 * list of AK_UI_CHILD() pairs. */
void ak_ui_set_template (GtkWidgetClass *widget_class,
                         const char     *resource,
                         const char     *first_child,
                         ...) G_GNUC_NULL_TERMINATED;

/* Installs each action of a NULL-terminated list of names, all without a parameter and all
 * run by @activate, which tells them apart by their name. */
void ak_ui_install_actions (GtkWidgetClass              *widget_class,
                            GtkWidgetActionActivateFunc  activate,
                            const char                  *first_name,
                            ...) G_GNUC_NULL_TERMINATED;

/* A run-last signal of @klass's type with one string argument, such as a view's
 * "decode-requested". */
guint ak_ui_new_string_signal (gpointer    klass,
                               const char *name);

/* Removes the tick callback *@id of @widget, if any, and zeroes *@id. */
void ak_ui_clear_tick_callback (gpointer  widget,
                                guint    *id);

/* Gives @item a new start-aligned label as its child, for a list factory's "setup"; returns
 * it, owned by @item. */
GtkLabel *ak_ui_list_item_set_start_label (GtkListItem *item);

G_END_DECLS
