/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ak-test-ui-requests.h"

/*
 * The Requests page with responses that are hard to show: one that never comes (cancelled,
 * the window live meanwhile), 5 MB of JSON, JSON nested 100,000 deep, and a body too large
 * to keep. The rest of the page is test-ui-requests.c.
 */

static gboolean
finish_slow (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  ak_test_reply_json (msg, 200, "{\"late\":true}");
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
slow_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  GSource *source = g_timeout_source_new_seconds (20);

  soup_server_message_pause (msg);
  g_source_set_callback (source, finish_slow, g_object_ref (msg), NULL);
  g_source_attach (source, ak_test_server_get_context (fake));
  g_source_unref (source);
}

/* 5 MB of JSON, for the render-without-stalling check. Instrumented runs (ASan with slow
 * unwinding, AK_TEST_TIME_SCALE=10) take a tenth: still far past the 96 kB preview, while
 * 5 MB there can take longer than the whole suite may. */
static void
big_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  gsize size = (gsize) (5 * 1024 * 1024 / ak_test_time_scale ());
  GString *body = g_string_sized_new (size + 100);

  g_string_append (body, "{\"items\":[");
  for (guint i = 0; body->len < size; i++)
    g_string_append_printf (body, "%s{\"id\":%u,\"name\":\"item-%u\",\"ok\":true}",
                            i > 0 ? "," : "", i, i);
  g_string_append (body, "]}");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body->str,
                                    body->len);
  g_string_free (body, FALSE);
}

/* 100,000 '[': json-glib recursed once per level and crashed the formatter. */
static void
nested_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  /* Far deeper than json-glib survives; instrumented runs take a tenth, still far past 64
   * levels, because laying out one unbroken line of brackets is what costs there. */
  gsize size = (gsize) (100000 / ak_test_time_scale ());
  char *body = g_malloc (size);

  memset (body, '[', size);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, size);
}

/* A GET of @path without auth, as the method, path and auth rows would be set. */
static void
set_get (Fixture    *f,
         const char *path)
{
  ak_requests_page_set_method (f->page, "GET");
  gtk_editable_set_text (ak_requests_page_get_path (f->page), path);
  ak_requests_page_set_auth (f->page, AK_AUTH_NONE, NULL, NULL);
}

static void
test_cancel_slow (Fixture       *f,
                  gconstpointer  user_data)
{
  AkResponseView *view = ak_requests_page_get_response_view (f->page);
  AkTestStall stall = { 0 };
  gint64 until;

  set_get (f, "/slow");
  ak_test_stall_start (&stall);
  ak_requests_page_send (f->page);
  g_assert_true (ak_requests_page_is_sending (f->page));
  /* The window keeps running while it waits: a second of it, watched. */
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  ak_test_stall_stop (&stall);
  g_assert_true (ak_requests_page_is_sending (f->page));
  ak_test_stall_check (&stall, "requests page, waiting 1 s on a slow server");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "requests.cancel", NULL);
  ak_test_wait_until (answered, f, "the cancellation");
  g_assert_cmpstr (ak_response_view_get_status (view), ==, "Cancelled");
}

static void
test_big_body (Fixture       *f,
               gconstpointer  user_data)
{
  AkResponseView *view = ak_requests_page_get_response_view (f->page);
  AkTestStall stall = { 0 };
  g_autofree char *body = NULL;

  set_get (f, "/big");
  ak_test_stall_start (&stall);
  send_and_wait (f);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  ak_test_stall_stop (&stall);

  body = ak_response_view_get_body (view);
  /* The views hold a preview; the status says the whole size, and the body can be saved. */
  g_assert_cmpuint (strlen (body), >, 64 * 1024);
  g_assert_nonnull (ak_response_view_get_preview_note (view));
  g_assert_nonnull (strstr (ak_response_view_get_status (view), "200"));
  ak_test_stall_check (&stall, "requests page, a 5 MB response");
}

static void
test_deeply_nested_body (Fixture       *f,
                         gconstpointer  user_data)
{
  AkResponseView *view = ak_requests_page_get_response_view (f->page);
  g_autofree char *body = NULL;
  const char *note;

  set_get (f, "/nested");
  send_and_wait (f);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));

  /* Shown as it came, with the reason, and the window lives on. */
  g_assert_nonnull (strstr (ak_response_view_get_status (view), "200"));
  note = ak_response_view_get_preview_note (view);
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "Shown as raw text"));
  g_assert_nonnull (strstr (note, "nested deeper than 64 levels"));
  body = ak_response_view_get_body (view);
  g_assert_true (g_str_has_prefix (body, "[[[[[[[["));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
}

/* A body too large for memory: the views show its start and say how to get all of it. */
static void
test_cut_body (Fixture       *f,
               gconstpointer  user_data)
{
  AkResponseView *view = ak_requests_page_get_response_view (f->page);
  g_autoptr(AkRestResponse) response = ak_rest_response_new ();
  g_autofree char *head = g_strnfill (AK_REST_ANALYZE_LIMIT, 'a');
  g_autofree char *body = NULL;

  /* In lines, as a log or CSV body comes: one unbroken line costs minutes to lay out under
   * ASan, and deeply-nested-body already shows a long line. */
  for (gsize i = 79; i < AK_REST_ANALYZE_LIMIT; i += 80)
    head[i] = '\n';
  response->status = 200;
  response->reason = g_strdup ("OK");
  response->success = TRUE;
  response->body = g_bytes_new (head, AK_REST_ANALYZE_LIMIT);
  response->body_length = 100 * 1000 * 1000;
  response->body_truncated = TRUE;
  ak_response_view_show_response (view, response);
  ak_test_wait_until (answered, f, "the body");

  g_assert_cmpstr (ak_response_view_get_preview_note (view), ==,
                   /* g_format_size() joins number and unit with a no-break space */
                   "The body is 100.0\u00a0MB: the first 98.3\u00a0kB are shown; Save Body "
                   "writes all of it.");
  body = ak_response_view_get_body (view);
  g_assert_cmpuint (strlen (body), <=, 96 * 1024);
}

static const AkTestRoute routes[] = {
  { "/slow", slow_handler },
  { "/big", big_handler },
  { "/nested", nested_handler },
  { NULL, NULL },
};

int
main (int   argc,
      char *argv[])
{
  requests_ui_init (&argc, &argv, routes);

#define ADD ADD_REQUESTS_TEST
  ADD ("cancel-slow", test_cancel_slow);
  ADD ("big-body", test_big_body);
  ADD ("deeply-nested-body", test_deeply_nested_body);
  ADD ("cut-body", test_cut_body);
#undef ADD

  return ak_test_ui_run (&app);
}
