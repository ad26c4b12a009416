/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-ui-common.h"

void
ak_ui_set_template (GtkWidgetClass *widget_class,
                    const char     *resource,
                    const char     *first_child,
                    ...)
{
  va_list args;

  gtk_widget_class_set_template_from_resource (widget_class, resource);
  va_start (args, first_child);
  for (const char *name = first_child; name != NULL; name = va_arg (args, const char *))
    gtk_widget_class_bind_template_child_full (widget_class, name, FALSE,
                                               va_arg (args, gssize));
  va_end (args);
}

void
ak_ui_clear_tick_callback (gpointer  widget,
                           guint    *id)
{
  if (*id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (widget), *id);
  *id = 0;
}

guint
ak_ui_new_string_signal (gpointer    klass,
                         const char *name)
{
  return g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                       G_TYPE_NONE, 1, G_TYPE_STRING);
}

GtkLabel *
ak_ui_list_item_set_start_label (GtkListItem *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
  return GTK_LABEL (label);
}

void
ak_ui_install_actions (GtkWidgetClass              *widget_class,
                       GtkWidgetActionActivateFunc  activate,
                       const char                  *first_name,
                       ...)
{
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    gtk_widget_class_install_action (widget_class, name, NULL, activate);
  va_end (args);
}
