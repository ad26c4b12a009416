/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AK_TYPE_PREFERENCES_WINDOW (ak_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AkPreferencesWindow, ak_preferences_window, AK, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Preferences bound to GSettings: a change takes effect at once. */
GtkWidget *ak_preferences_window_new (GtkWindow *parent, GSettings *settings);

G_END_DECLS
