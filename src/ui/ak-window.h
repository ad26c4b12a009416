/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-application.h"

G_BEGIN_DECLS

#define AK_TYPE_WINDOW (ak_window_get_type ())
G_DECLARE_FINAL_TYPE (AkWindow, ak_window, AK, WINDOW, AdwApplicationWindow)

AkWindow *ak_window_new          (AkApplication *application);
void      ak_window_add_toast    (AkWindow *self, AdwToast *toast);
void      ak_window_set_accels   (GtkApplication *application);

G_END_DECLS
