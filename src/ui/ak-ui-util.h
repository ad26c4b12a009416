/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows @toast in the toast overlay of @widget's window (or of the window it is transient
 * for, for dialogs). */
void ak_ui_add_toast        (GtkWidget *widget, AdwToast *toast);
void ak_ui_show_error_toast (GtkWidget *widget, const GError *error);

G_END_DECLS
