/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-credential-store.h"

G_BEGIN_DECLS

/* Shows @toast in the toast overlay of @widget's window (or of the window it is transient
 * for, for dialogs). */
void ak_ui_add_toast        (GtkWidget *widget, AdwToast *toast);
void ak_ui_show_error_toast (GtkWidget *widget, const GError *error);
/* The same, unless @error says the operation was cancelled. */
void ak_ui_show_error_toast_unless_cancelled (GtkWidget *widget, const GError *error);
/* Keeps @buffer's highlighting in the light or dark Adwaita scheme with the system style. */
void ak_ui_follow_style_scheme (GObject *source_buffer);
/* Scrolls the enclosing scrolled window to @widget once the next layout is done. */
void ak_ui_scroll_into_view (GtkWidget *widget);
/* Masks every password entry row under @widget that shows its text; returns how many. */
guint ak_ui_mask_revealed (GtkWidget *widget);
/* Gives the peek buttons of the password entry rows under @widget an accessible name, and
 * their masked text a bullet narrow enough to show a whole certificate. */
void  ak_ui_setup_password_rows (GtkWidget *widget);
/* Makes every button's AT-SPI name its visible text, without GTK 4.8's "_Undo Undo". */
void  ak_ui_fix_mnemonic_names (void);
/* Moves focus to the first field of @page (Ctrl+1/2/3 land there, not in the header). */
void  ak_ui_focus_first_field (GtkWidget *page);
/* No hyphen is ever drawn where a token, URL or path wraps. */
void  ak_ui_label_no_hyphens     (GtkLabel    *label);
void  ak_ui_text_view_no_hyphens (GtkTextView *view);
guint ak_ui_fill_project_choices (GtkStringList     *labels,
                                  GPtrArray         *projects,
                                  AkCredentialStore *store,
                                  const char        *first,
                                  const char        *last,
                                  AkCredential      *keep);
/* A measure vfunc for a widget that lays out its one child itself (popovers aside, which are
 * sized on their own): that child's size; nothing without one. */
void  ak_ui_measure_content_child (GtkWidget      *widget,
                                   GtkOrientation  orientation,
                                   int             for_size,
                                   int            *minimum,
                                   int            *natural,
                                   int            *minimum_baseline,
                                   int            *natural_baseline);

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
