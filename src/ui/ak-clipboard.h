/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Copies @text. A secret is marked for clipboard managers to skip
 * (x-kde-passwordManagerHint: secret), a toast says when it will be cleared, and after
 * @clear_seconds the clipboard is emptied if it still holds our value; when the window is
 * not active then (Wayland does not let it change the clipboard), clearing waits until it
 * is active again. */
void     ak_clipboard_copy             (GtkWidget *widget,
                                        const char *text,
                                        gboolean secret,
                                        guint clear_seconds);

/* For tests: whether a clear is pending, and run it now. */
gboolean ak_clipboard_has_pending_clear (GdkClipboard *clipboard);
void     ak_clipboard_clear_now         (GdkClipboard *clipboard);

G_END_DECLS
