/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Copies @text. A secret is marked for clipboard managers to skip
 * (x-kde-passwordManagerHint: secret), a toast says when it will be cleared, and after
 * @clear_seconds the clipboard is emptied if it still holds our value, focused or not. Only on
 * Wayland, whose compositors take a clipboard change from the focused client alone, does the
 * clear of an unfocused window wait until it is active again. */
void     ak_clipboard_copy             (GtkWidget *widget,
                                        const char *text,
                                        gboolean secret,
                                        guint clear_seconds);

/* On quit: clears every clipboard that still holds a secret we copied. */
void     ak_clipboard_clear_all_pending (void);

G_END_DECLS
