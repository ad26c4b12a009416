/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Makes the README's screenshots in-process: sample credentials in the session's keyring
 * (build-aux/screenshots gives it a throwaway one), each view filled as a person would, and
 * each picture rendered straight from the window. Not a test; run by build-aux/screenshots. */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ak-application.h"
#include "ak-core.h"
#include "ak-requests-page-private.h"
#include "ak-response-view-private.h"
#include "ak-serve-view-private.h"
#include "ak-token-doctor-view-private.h"
#include "ak-token-generator-private.h"
#include "ak-window-private.h"

#define SAMPLE_APP_ID "970CA35de60c44645bbae8a215061b33"
#define SAMPLE_CERT "5CFd2fd1755d40ecb72977518be15d3b"

static const char *out_dir;
static guint stand_in_port;

/* A local stand-in for Agora's project listing, so the Requests page has something to show
 * without leaving this machine. */
static void
projects_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  static const char body[] =
    "{\"projects\":[{\"id\":\"Xy7dPq\",\"name\":\"Demo app\",\"vendor_key\":\""
    SAMPLE_APP_ID "\",\"sign_key\":\"" SAMPLE_CERT "\",\"status\":1,"
    "\"created\":1700000000}],\"success\":true}";

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Request-ID",
                                "3f0e8c1a-5b7d-4e2f");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
save (GtkWidget  *window,
      const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.png", out_dir, name);
  int width;
  int height;

  gtk_test_widget_wait_for_draw (window);
  spin (300);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_save_to_png (texture, path);
  g_print ("%s\n", path);
}

static void
fetched (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  *(gboolean *) user_data = TRUE;
}

static void
add_sample (AkCredentialStore *store,
            AkCredentialKind   kind,
            const char        *label,
            const char        *id,
            const char        *secret,
            const char        *secondary)
{
  g_autoptr(AkCredential) credential = ak_credential_new (kind);
  g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();
  guint before = g_list_model_get_n_items (ak_credential_store_get_model (store));

  if (ak_credential_store_find (store, kind, label) != NULL)
    return;
  ak_credential_set_label (credential, label);
  if (kind == AK_CREDENTIAL_PROJECT)
    {
      ak_credential_set_app_id (credential, id);
      secrets->primary_certificate = g_strdup (secret);
      secrets->secondary_certificate = g_strdup (secondary);
    }
  else
    {
      ak_credential_set_customer_id (credential, id);
      secrets->customer_secret = g_strdup (secret);
    }
  ak_credential_store_add_async (store, credential, secrets, NULL, NULL, NULL);
  while (g_list_model_get_n_items (ak_credential_store_get_model (store)) == before)
    g_main_context_iteration (NULL, TRUE);
}

static void
shoot_all (AkApplication *app,
           const char    *suffix,
           int            width)
{
  AkWindow *window = ak_window_new (app);
  AkTokensPage *page;
  AkTokenGenerator *generator;
  g_autofree char *name = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), width, 900);
  gtk_window_present (GTK_WINDOW (window));
  while (ak_credential_store_get_state (ak_application_get_store (app)) == AK_KEYRING_STATE_UNKNOWN)
    g_main_context_iteration (NULL, TRUE);

  name = g_strdup_printf ("credentials-%s", suffix);
  save (GTK_WIDGET (window), name);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-token", NULL);
  page = ak_window_get_tokens_page (window);
  generator = ak_tokens_page_get_generator (page);
  ak_token_generator_select (generator, "project",
                             ak_token_generator_find_project (generator, "Demo app"));
  gtk_editable_set_text (ak_token_generator_get_field (generator, "channel"), "demo");
  gtk_editable_set_text (ak_token_generator_get_field (generator, "uid"), "42");
  gtk_widget_activate_action (GTK_WIDGET (generator), "generator.generate", NULL);
  while (ak_token_generator_get_token (generator) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_free (name);
  name = g_strdup_printf ("tokens-generate-%s", suffix);
  save (GTK_WIDGET (window), name);

  ak_tokens_page_decode (page, ak_token_generator_get_token (generator));
  spin (500);
  g_free (name);
  name = g_strdup_printf ("tokens-decode-%s", suffix);
  save (GTK_WIDGET (window), name);

  {
    AkTokenDoctorView *doctor = ak_tokens_page_get_doctor_view (page);
    const AkDoctorInput input = {
      .token = ak_token_generator_get_token (generator),
      .app_id = SAMPLE_APP_ID,
      .product = AK_DOCTOR_PRODUCT_RTC,
      .channel = "Demo",
      .has_uid = TRUE,
      .uid = 42,
      .role = AK_DOCTOR_ROLE_PUBLISHER,
      .error_code = "110",
    };

    ak_tokens_page_show (page, "diagnose");
    ak_token_doctor_view_fill (doctor, &input);
    gtk_widget_activate_action (GTK_WIDGET (doctor), "doctor.diagnose", NULL);
    while (ak_token_doctor_view_is_busy (doctor))
      g_main_context_iteration (NULL, TRUE);
    g_free (name);
    name = g_strdup_printf ("tokens-diagnose-%s", suffix);
    save (GTK_WIDGET (window), name);
  }

  ak_tokens_page_show (page, "recent");
  g_free (name);
  name = g_strdup_printf ("tokens-recent-%s", suffix);
  save (GTK_WIDGET (window), name);

  {
    AkServeView *serve = ak_tokens_page_get_serve_view (page);
    AkTokenServer *server = ak_serve_view_get_server (serve);
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *base = NULL;
    g_autofree char *url = NULL;

    ak_tokens_page_show (page, "serve");
    gtk_editable_set_text (ak_serve_view_get_field (serve, "port"), "0");
    ak_serve_view_set_running (serve, TRUE);
    while (!ak_token_server_get_running (server) && ak_serve_view_get_error (serve) == NULL)
      g_main_context_iteration (NULL, TRUE);
    base = ak_token_server_get_url (server);
    url = g_strdup_printf ("%s/rtc/demo/publisher/uid/42/", base);
    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
        gboolean done = FALSE;

        soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL,
                                          fetched, &done);
        while (!done)
          g_main_context_iteration (NULL, TRUE);
      }
    g_free (name);
    name = g_strdup_printf ("tokens-serve-%s", suffix);
    save (GTK_WIDGET (window), name);
    ak_serve_view_set_running (serve, FALSE);
  }

  {
    AkRequestsPage *requests;
    g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", stand_in_port);

    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "requests");
    requests = ak_window_get_requests_page (window);
    ak_requests_page_set_base_url (requests, base);
    ak_requests_page_set_method (requests, "GET");
    gtk_editable_set_text (ak_requests_page_get_path (requests), "/dev/v1/projects");
    ak_requests_page_set_auth (requests, AK_AUTH_BASIC, "Console account", NULL);
    ak_requests_page_send (requests);
    while (ak_requests_page_is_sending (requests)
           || ak_response_view_is_loading (ak_requests_page_get_response_view (requests)))
      g_main_context_iteration (NULL, TRUE);
    g_free (name);
    name = g_strdup_printf ("requests-%s", suffix);
    save (GTK_WIDGET (window), name);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AkApplication) app = NULL;
  AkCredentialStore *store;

  gtk_init ();
  adw_init ();
  out_dir = argc > 1 ? argv[1] : ".";

  {
    SoupServer *server = soup_server_new (NULL, NULL);
    GSList *uris;

    soup_server_add_handler (server, "/dev/v1/projects", projects_handler, NULL, NULL);
    if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL))
      g_error ("Cannot listen on loopback");
    uris = soup_server_get_uris (server);
    stand_in_port = g_uri_get_port (uris->data);
    g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  }

  app = ak_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  store = ak_application_get_store (app);
  ak_credential_store_load_async (store, NULL, NULL, NULL);
  while (ak_credential_store_get_state (store) == AK_KEYRING_STATE_UNKNOWN)
    g_main_context_iteration (NULL, TRUE);

  add_sample (store, AK_CREDENTIAL_PROJECT, "Demo app", SAMPLE_APP_ID, SAMPLE_CERT, NULL);
  add_sample (store, AK_CREDENTIAL_PROJECT, "Live classroom (staging)",
              "0123456789abcdef0123456789ABCDEF", "0123456789abcdef0123456789abcdef",
              "fedcba9876543210fedcba9876543210");
  add_sample (store, AK_CREDENTIAL_CUSTOMER, "Console account",
              "8d2d4f6fe5a84c0eb7b1f8a7b0f1c2d3", "3f1e0c8a5b7d4e2f9a6c1b0d8e7f6a5b", NULL);

  shoot_all (app, "light", 960);
  shoot_all (app, "narrow", 360);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  shoot_all (app, "dark", 960);
  shoot_all (app, "narrow-dark", 360);
  return 0;
}
