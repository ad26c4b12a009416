/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-ui-common.h"

void
ak_ui_bind_template_children (GtkWidgetClass *widget_class,
                              const char     *first_name,
                              ...)
{
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    gtk_widget_class_bind_template_child_full (widget_class, name, FALSE,
                                               va_arg (args, gssize));
  va_end (args);
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
