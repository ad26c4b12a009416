/* ak-test-ui-requests.h: the Requests page's UI tests' window, credentials and fake Agora
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For test-ui-requests.c and test-ui-requests-bodies.c: a window on the Requests page with a
 * project (“Demo”) and a customer credential (“Console”) stored, aimed at a fake Agora on
 * 127.0.0.1 in its own thread, whose handlers each program adds.
 */

#pragma once

#include "ak-core.h"
#include "ak-requests-page-private.h"
#include "ak-response-view-private.h"
#include "ak-test-ui.h"
#include "ak-window-private.h"

#define TEST_APP_ID "970CA35de60c44645bbae8a215061b33"
#define TEST_CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define CUSTOMER_ID "8d2d4f6fe5a84c0eb7b1f8a7b0f1c2d3"
#define CUSTOMER_SECRET "3f1e0c8a5b7d4e2f9a6c1b0d8e7f6a5b"

/* Never stopped: it answers until the process ends. */
static AkTestServer *fake;
static AkApplication *app;

typedef struct
{
  AkCredentialStore *store;
  AkWindow *window;
  AkRequestsPage *page;
  char *base_url;
  gboolean expect_wide;
} Fixture;

static inline gboolean
stored (gpointer data)
{
  return g_list_model_get_n_items (ak_credential_store_get_model (data)) == 2;
}

static inline void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(AkCredential) project = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredential) customer = ak_credential_new (AK_CREDENTIAL_CUSTOMER);
  g_autoptr(AkCredentialSecrets) project_secrets = ak_credential_secrets_new ();
  g_autoptr(AkCredentialSecrets) customer_secrets = ak_credential_secrets_new ();

  f->store = ak_credential_store_new_in_memory ();
  ak_credential_set_label (project, "Demo");
  ak_credential_set_app_id (project, TEST_APP_ID);
  project_secrets->primary_certificate = g_strdup (TEST_CERT);
  ak_credential_store_add_async (f->store, project, project_secrets, NULL, NULL, NULL);
  ak_credential_set_label (customer, "Console");
  ak_credential_set_customer_id (customer, CUSTOMER_ID);
  customer_secrets->customer_secret = g_strdup (CUSTOMER_SECRET);
  ak_credential_store_add_async (f->store, customer, customer_secrets, NULL, NULL, NULL);
  ak_test_wait_until (stored, f->store, "the credentials");

  f->window = ak_test_window_open (app, f->store);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "requests");
  f->page = ak_window_get_requests_page (f->window);
  f->base_url = ak_test_server_get_url (fake);
  ak_requests_page_select_endpoint (f->page, NULL);
  ak_requests_page_set_base_url (f->page, f->base_url);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

static inline void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  ak_test_window_close (app, f->window);
  g_clear_object (&f->store);
  g_free (f->base_url);
}

static inline gboolean
answered (gpointer data)
{
  Fixture *f = data;

  return !ak_requests_page_is_sending (f->page)
         && !ak_response_view_is_loading (ak_requests_page_get_response_view (f->page));
}

static inline void
send_and_wait (Fixture *f)
{
  ak_requests_page_send (f->page);
  ak_test_wait_until (answered, f, "the response");
}

/* Sends, waits for the answer, and checks that its status starts with @status. */
static inline void
send_expecting (Fixture    *f,
                const char *status)
{
  AkResponseView *view = ak_requests_page_get_response_view (f->page);

  send_and_wait (f);
  if (!g_str_has_prefix (ak_response_view_get_status (view), status))
    g_error ("The status is “%s”, not %s…", ak_response_view_get_status (view), status);
}

/* A path of the fake Agora and what answers it. */
typedef struct
{
  const char *path;
  SoupServerCallback handler;
} AkTestRoute;

static inline void
add_routes (SoupServer *server,
            gpointer    routes)
{
  for (const AkTestRoute *route = routes; route->path != NULL; route++)
    soup_server_add_handler (server, route->path, route->handler, NULL, NULL);
}

/* GTK, the fake Agora answering @routes (up to one with a NULL path), the application; the
 * request history goes to a throwaway data directory. */
static inline void
requests_ui_init (int                *argc,
                  char             ***argv,
                  const AkTestRoute  *routes)
{
  g_autofree char *data_dir = g_dir_make_tmp ("ak-ui-requests-XXXXXX", NULL);

  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  app = ak_test_ui_init (argc, argv, FALSE);
  fake = ak_test_server_new_with_setup (add_routes, (gpointer) routes);
}

/* Adds the test @func at /ak/ui/requests/@path with the fixture above. */
#define ADD_REQUESTS_TEST(path, func) \
  g_test_add ("/ak/ui/requests/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
