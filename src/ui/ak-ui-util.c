/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-ui-util.h"
#include "ak-window.h"

void
ak_ui_add_toast (GtkWidget *widget,
                 AdwToast  *toast)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));

  while (root != NULL && !AK_IS_WINDOW (root) && GTK_IS_WINDOW (root))
    root = GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (root)));

  if (root != NULL && AK_IS_WINDOW (root))
    ak_window_add_toast (AK_WINDOW (root), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* Errors from core are already sentences a person can act on. */
void
ak_ui_show_error_toast (GtkWidget    *widget,
                        const GError *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  ak_ui_add_toast (widget, toast);
}
