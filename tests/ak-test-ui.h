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
#include "ak-tokens-page.h"
#include "ak-token-decoder.h"
#include "ak-token-doctor-view.h"
#include "ak-token-generator.h"
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

/* GTK in test mode, libadwaita, and the application the tests' windows belong to (see
 * ak_test_application_new()); with @memory_store, that application keeps a store of its own
 * in memory, else it has none until a test gives it one. */
AkApplication *ak_test_ui_init (int       *argc,
                                char    ***argv,
                                gboolean   memory_store);

/* Runs the tests, then lets go of *@app: the exit status. */
int ak_test_ui_run (AkApplication **app);

/* ---------------------------------------------------------------------------------------------
 * The Tokens page's tests: an in-memory store holding the project “Demo” (the official
 * vectors' App ID and primary certificate), and a window of the application on the Tokens
 * page, drawn
 */

#define AK_TEST_DEMO_APP_ID "970CA35de60c44645bbae8a215061b33"
#define AK_TEST_DEMO_CERT "5CFd2fd1755d40ecb72977518be15d3b"

typedef struct
{
  AkApplication *app;
  AkCredentialStore *store;
  AkWindow *window;
  AkTokensPage *page;
  AkTokenGenerator *generator;
  AkTokenDecoder *decoder;
  AkTokenDoctorView *view;
} AkTestTokensFixture;

/* @app: the AkApplication the window belongs to. */
void ak_test_tokens_fixture_set_up (AkTestTokensFixture *f,
                                    gconstpointer        app);

/* Closes the window, lets go of the store, and puts the clock back. */
void ak_test_tokens_fixture_tear_down (AkTestTokensFixture *f,
                                       gconstpointer        app);

/* Adds the test @func at @path with that fixture, for the windows of @app. */
#define AK_TEST_ADD_TOKENS(path, app, func) \
  g_test_add ((path), AkTestTokensFixture, (app), ak_test_tokens_fixture_set_up, (func), \
              ak_test_tokens_fixture_tear_down)

/* ---------------------------------------------------------------------------------------------
 * Finding widgets as a user does: by what a screen reader calls them
 */

typedef gboolean (*AkTestWidgetMatch) (GtkWidget     *widget,
                                       gconstpointer  data);

/* Depth first from @root (itself included, and popovers, which are children of the widget they
 * point at): the first widget @match accepts; only widgets on show (mapped) unless
 * @hidden_too. */
GtkWidget *ak_test_find_widget (GtkWidget         *root,
                                AkTestWidgetMatch  match,
                                gconstpointer      data,
                                gboolean           hidden_too);

/* The first widget of @type under @root, on show or not. */
GtkWidget *ak_test_find_of_type (GtkWidget *root,
                                 GType      type);

/* Whether a screen reader calls @widget @name: its accessible label (GTK 4.8 names a widget by
 * its label property), a row's title, a label's text, or a button's label (with or without
 * its mnemonic underscore). */
gboolean ak_test_is_named (GtkWidget  *widget,
                           const char *name);

/* The first widget of @type named @name under @root; only those on show unless @hidden_too. */
GtkWidget *ak_test_find_named (GtkWidget  *root,
                               const char *name,
                               GType       type,
                               gboolean    hidden_too);

/* The first widget on show under @root named @name, of any type. */
GtkWidget *ak_test_find_shown (GtkWidget  *root,
                               const char *name);

/* The widget of @type named @name on show under @root; fails the test when there is none. */
GtkWidget *ak_test_require_named (GtkWidget  *root,
                                  const char *name,
                                  GType       type);

/* The subtitle of the action row on show under @root whose title (or a label in it) is
 * @title, or NULL. */
const char *ak_test_row_subtitle (GtkWidget  *root,
                                  const char *title);

/* The first visible toplevel window of @type, or NULL. Borrowed: the list of toplevels keeps
 * each window alive. */
GtkWindow *ak_test_find_toplevel (GType type);

G_END_DECLS
