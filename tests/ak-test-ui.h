/* ak-test-ui.h: what the UI tests share on top of ak-test-util.h
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built once into a static library that every UI test links (tests/meson.build).
 */

#pragma once

#include <adwaita.h>

#include "ak-application.h"
#include "ak-window.h"
#include "ak-test-util.h"

G_BEGIN_DECLS

/* The application the tests' windows belong to: not unique, so that it runs beside another
 * test's, and registered (the test fails if it cannot be). With @store, that store is the
 * application's. */
AkApplication *ak_test_application_new (AkCredentialStore *store);

/* A window of @app, presented, with @store as the application's store. */
AkWindow *ak_test_window_open (AkApplication     *app,
                               AkCredentialStore *store);

/* Destroys @window, and leaves @app with no store. */
void ak_test_window_close (AkApplication *app,
                           AkWindow      *window);

G_END_DECLS
