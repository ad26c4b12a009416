/* ak-test-ui.c: what the UI tests share on top of ak-test-util.c
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ak-application-private.h"
#include "ak-test-ui.h"

AkApplication *
ak_test_application_new (AkCredentialStore *store)
{
  AkApplication *app = ak_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    g_error ("Could not register the application");
  if (store != NULL)
    ak_application_set_store (app, store);
  return app;
}

AkWindow *
ak_test_window_open (AkApplication     *app,
                     AkCredentialStore *store)
{
  AkWindow *window;

  ak_application_set_store (app, store);
  window = ak_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
ak_test_window_close (AkApplication *app,
                      AkWindow      *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  ak_application_set_store (app, NULL);
}
