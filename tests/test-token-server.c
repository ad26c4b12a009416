/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-test-token-server.h"

/*
 * The local token server, asked through a real HTTP client on loopback, against an
 * in-memory store holding one project.
 */

/* ---------------------------------------------------------------------------------------------
 * Tests
 */

static const Ask get_token_asks[] = {
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"room 1\",\"role\":\"publisher\",\"uid\":\"42\","
          "\"expire\":600}"), RTC ("token", "room 1", "42", TRUE, 600) },
  /* A number for the uid, no expire: 3600, subscriber without publish privileges. */
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"subscriber\","
          "\"uid\":4294967295}"), RTC ("token", "c", "4294967295", FALSE, 3600) },
  /* uid 0 is the wildcard uid, which the codec shows as an empty uid. */
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"0\","
          "\"expire\":0}"), RTC ("token", "c", "", TRUE, 3600) },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"alice\","
          "\"expire\":86400}"), RTC ("token", "c", "alice", TRUE, 86400) },
  { POST ("{\"tokenType\":\"rtm\",\"uid\":\"bob\",\"expire\":120}"), RTM ("token", "bob", 120),
    .n_services = 1 },
  { POST ("{\"tokenType\":\"chat\",\"uid\":\"carol\"}"),
    USER ("token", AK_SERVICE_CHAT, "carol", AK_PRIV_CHAT_USER, 3600) },
};

static void
test_get_token (Fixture       *fixture,
                gconstpointer  data)
{
  static const Ask stream = {
    POST ("{\"tokenType\":\"rtm\",\"uid\":\"bob\",\"channel\":\"stream\",\"expire\":120}"),
    RTM ("token", "bob", 120), .n_services = 2,
  };
  static const Ask app = {
    POST ("{\"tokenType\":\"chat\",\"uid\":\"\"}"),
    USER ("token", AK_SERVICE_CHAT, "", AK_PRIV_CHAT_APP, 3600),
  };
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;
  const AkService *rtc;

  ask_all (fixture, get_token_asks, G_N_ELEMENTS (get_token_asks));

  /* RTM with a stream channel: RTC join and data stream there too. */
  token = ask_token (fixture, &r, &stream);
  rtc = find_service (token, AK_SERVICE_RTC);
  g_assert_cmpstr (rtc->channel_name, ==, "stream");
  g_assert_cmpstr (rtc->uid, ==, "bob");
  g_assert_true (ak_service_get_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, NULL));
  g_assert_true (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_DATA, NULL));
  g_assert_false (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_AUDIO, NULL));
  g_clear_pointer (&token, ak_token_unref);

  token = ask_token (fixture, &r, &app);
  g_assert_false (ak_service_get_privilege (find_service (token, AK_SERVICE_CHAT),
                                            AK_PRIV_CHAT_USER, NULL));
}

static const Ask get_route_asks[] = {
  { GET ("/rtc/my%20room/publisher/uid/7/"), RTC ("rtcToken", "my room", "7", TRUE, 3600) },
  /* Without the trailing slash, with an expiry; a numeric account stays an account. */
  { GET ("/rtc/c/subscriber/userAccount/123?expiry=300"),
    RTC ("rtcToken", "c", "123", FALSE, 300) },
  { GET ("/rtm/dave/"), RTM ("rtmToken", "dave", 3600) },
  { GET ("/rte/c/publisher/uid/5/"), RTC ("rtcToken", "c", "5", TRUE, 3600), .rtm_user = "5",
    .rtm_channel = "c" },
  { GET ("/rte/c/subscriber/uid/0/erin/"), RTC ("rtcToken", "c", "", FALSE, 3600),
    .rtm_user = "erin" },
  { GET ("/chat/app/"), CHAT_APP (3600) },
  { GET ("/chat/account/frank/"), CHAT_USER ("frank", 3600) },
};

static void
test_get_routes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;

  http (fixture, &r, "GET", "/ping", NULL, NULL, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (r.json, "message"), ==, "pong");

  ask_all (fixture, get_route_asks, G_N_ELEMENTS (get_route_asks));

  /* The Chat sample's route: the token as plain text. */
  http (fixture, &r, "GET", "/chat/app/token", NULL, NULL, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (r.headers, NULL), ==, "text/plain");
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Cache-Control"), ==, "no-store");
  token = ak_token_parse (r.body, &error);
  g_assert_no_error (error);
  g_ptr_array_add (fixture->tokens, g_strdup (r.body));
  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_user (token, AK_SERVICE_CHAT, "", AK_PRIV_CHAT_APP, 3600);
}

static const Ask refusal_asks[] = {
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"admin\",\"uid\":\"1\"}"),
    REFUSED (400, "role") },
  /* agora-token-service would sign these as subscribers. */
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"Publisher\",\"uid\":\"1\"}"),
    REFUSED (400, "role") },
  { POST ("{\"tokenType\":\"fpa\",\"uid\":\"1\"}"), REFUSED (400, "tokenType") },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\","
          "\"uid\":\"4294967296\"}"), REFUSED (400, "4294967295") },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":-1}"),
    REFUSED (400, "uid") },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
          "\"expire\":-1}"), REFUSED (400, "expire") },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
          "\"expire\":86401}"), REFUSED (400, "86400") },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
          "\"expire\":\"soon\"}"), REFUSED (400, "expire") },
  { POST ("{\"tokenType\":\"rtc\","), REFUSED (400, "JSON") },
  /* Two objects: json-glib would keep the second and leak the first; refused whole. */
  { POST ("{\"tokenType\":\"rtc\"}{\"tokenType\":\"rtc\",\"channel\":\"c\","
          "\"role\":\"publisher\",\"uid\":\"1\"}"), REFUSED (400, "JSON") },
  { POST ("[1,2]"), REFUSED (400, "JSON") },
  { POST ("{\"tokenType\":\"rtc\",\"role\":\"publisher\",\"uid\":\"1\"}"),
    REFUSED (400, "channel") },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\"}"),
    REFUSED (400, "uid") },
  { POST ("{\"tokenType\":\"rtm\"}"), REFUSED (400, "uid") },
  { GET ("/rtc/c/host/uid/1/"), REFUSED (400, "role") },
  { GET ("/rtc/c/publisher/number/1/"), REFUSED (400, "userAccount") },
  { GET ("/rtc/c/publisher/uid/abc/"), REFUSED (400, "uid") },
  { GET ("/rtc/c/publisher/uid/1/?expiry=90000"), REFUSED (400, "86400") },
  { GET ("/rtm/0/"), REFUSED (400, "0") },
  { GET ("/rte/c/publisher/uid/0/"), REFUSED (400, "RTM") },
  { GET ("/chat/account/"), REFUSED (404, "user ID") },
  { GET ("/rtm//"), REFUSED (400, "RTM user ID") },
  { GET ("/nothing/here"), REFUSED (404, NULL) },
  { GET ("/getToken"), REFUSED (405, "POST") },
};

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(GString) big = g_string_new ("{\"tokenType\":\"rtc\",\"channel\":\"");

  ask_all (fixture, refusal_asks, G_N_ELEMENTS (refusal_asks));

  while (big->len <= AK_TOKEN_SERVER_MAX_BODY)
    g_string_append (big, "xxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");
  http (fixture, &r, "POST", "/getToken", big->str, NULL, NULL);
  assert_refused (&r, 413, "64 KiB");
}

static void
test_api_key (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;
  g_autofree char *wrong = NULL;
  const char *key = ak_token_server_get_api_key (fixture->server);
  g_autofree char *url = ak_token_server_get_url (fixture->server);

  g_assert_true (g_str_has_prefix (url, "http://0.0.0.0:"));
  g_assert_nonnull (key);
  g_assert_cmpuint (strlen (key), ==, 32);
  g_assert_true (ak_is_hex32 (key));
  wrong = g_strdup (key);
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';

  http (fixture, &r, "GET", "/ping", NULL, NULL, NULL);
  assert_refused (&r, 401, "Authorization");
  http (fixture, &r, "POST", "/getToken", "{\"tokenType\":\"chat\"}", NULL, wrong);
  assert_refused (&r, 401, NULL);
  http (fixture, &r, "POST", "/getToken", "{\"tokenType\":\"chat\"}", NULL, key);
  token = take_token (fixture, &r, "token");
  assert_user (token, AK_SERVICE_CHAT, "", AK_PRIV_CHAT_APP, 3600);
  g_assert_null (strstr (fixture->log->str, key));
  /* The preflight carries no credentials: it is answered without the key. */
  http (fixture, &r, "OPTIONS", "/getToken", NULL, "http://localhost:3000", NULL);
  g_assert_cmpuint (r.status, ==, 204);
}

/* The key is kept in the keyring (libsecret's file backend here): a restart keeps it, so
 * clients on other machines keep working. */
static void
test_api_key_kept (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *first = g_strdup (ak_token_server_get_api_key (fixture->server));

  g_assert_true (ak_is_hex32 (first));
  ak_token_server_stop (fixture->server);
  g_assert_null (ak_token_server_get_api_key (fixture->server));
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->url, g_free);

  start_server (fixture, "0.0.0.0");
  g_assert_cmpstr (ak_token_server_get_api_key (fixture->server), ==, first);
}

static void
test_loopback_has_no_key (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *url = ak_token_server_get_url (fixture->server);

  g_assert_null (ak_token_server_get_api_key (fixture->server));
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (ak_token_server_address_is_loopback ("127.0.0.1"));
  g_assert_true (ak_token_server_address_is_loopback ("::1"));
  g_assert_true (ak_token_server_address_is_loopback ("::ffff:127.0.0.1"));
  g_assert_false (ak_token_server_address_is_loopback ("::ffff:10.0.0.1"));
  g_assert_false (ak_token_server_address_is_loopback ("0.0.0.0"));
  g_assert_false (ak_token_server_address_is_loopback ("192.168.1.2"));
  g_assert_false (ak_token_server_address_is_loopback ("localhost"));
}

static void
test_cors (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;
  const char * const origins[] = { "https://app.example", "http://dev.test:*", NULL };

  http (fixture, &r, "GET", "/rtm/u/", NULL, "http://localhost:5173", NULL);
  token = take_token (fixture, &r, "rtmToken");
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Access-Control-Allow-Origin"), ==,
                   "http://localhost:5173");
  http (fixture, &r, "GET", "/ping", NULL, "http://127.0.0.1:8080", NULL);
  g_assert_cmpuint (r.status, ==, 200);

  http (fixture, &r, "GET", "/rtm/u/", NULL, "http://evil.example", NULL);
  assert_refused (&r, 403, "Origin not allowed");
  g_assert_null (soup_message_headers_get_one (r.headers, "Access-Control-Allow-Origin"));
  http (fixture, &r, "GET", "/ping", NULL, "http://localhost.evil.example:80", NULL);
  assert_refused (&r, 403, NULL);
  http (fixture, &r, "GET", "/ping", NULL, "https://localhost:443", NULL);
  assert_refused (&r, 403, NULL);

  http (fixture, &r, "OPTIONS", "/getToken", NULL, "http://localhost:5173", NULL);
  g_assert_cmpuint (r.status, ==, 204);
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Access-Control-Allow-Origin"), ==,
                   "http://localhost:5173");
  g_assert_nonnull (strstr (soup_message_headers_get_one (r.headers,
                                                          "Access-Control-Allow-Methods"),
                            "POST"));
  g_assert_nonnull (strstr (soup_message_headers_get_one (r.headers,
                                                          "Access-Control-Allow-Headers"),
                            "Content-Type"));
  http (fixture, &r, "OPTIONS", "/getToken", NULL, "http://evil.example", NULL);
  assert_refused (&r, 403, NULL);

  /* A new allow-list takes effect at the next start. */
  ak_token_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->url, g_free);
  start_server (fixture, NULL);
  ak_token_server_stop (fixture->server);
  ak_token_server_set_allowed_origins (fixture->server, origins);
  g_assert_true (ak_test_token_server_start (fixture->server, NULL));
  g_free (fixture->url);
  fixture->url = ak_token_server_get_url (fixture->server);
  http (fixture, &r, "GET", "/ping", NULL, "https://app.example", NULL);
  g_assert_cmpuint (r.status, ==, 200);
  http (fixture, &r, "GET", "/ping", NULL, "http://dev.test:9000", NULL);
  g_assert_cmpuint (r.status, ==, 200);
  http (fixture, &r, "GET", "/ping", NULL, "http://localhost:5173", NULL);
  assert_refused (&r, 403, NULL);
  http (fixture, &r, "GET", "/ping", NULL, NULL, NULL);
  g_assert_cmpuint (r.status, ==, 200);
}

/* The crowd of clients runs in its own thread and main context, so that the main loop
 * measured holds the server alone. */
typedef struct
{
  char *url;
  GPtrArray *bodies;
  guint statuses_ok;
  gint done;
} Crowd;

typedef struct
{
  Crowd *crowd;
  guint index;
  guint pending;
} CrowdState;

static void
crowd_answered (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CrowdState *state = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), "index"));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes != NULL && soup_message_get_status (msg) == 200)
    {
      state->crowd->statuses_ok++;
      g_ptr_array_index (state->crowd->bodies, index) =
        g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  else if (error != NULL)
    g_printerr ("# request %u: %s\n", index, error->message);
  state->pending--;
  g_object_unref (msg);
}

static gpointer
crowd_thread (gpointer data)
{
  Crowd *crowd = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) crowd_session = NULL;
  CrowdState state = { crowd, 0, 200 };
  g_autofree char *uri = g_strconcat (crowd->url, "/getToken", NULL);

  g_main_context_push_thread_default (context);
  crowd_session = soup_session_new_with_options ("max-conns", 250, "max-conns-per-host", 250,
                                                 NULL);
  soup_session_set_proxy_resolver (crowd_session, NULL);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"tokenType\":\"rtc\",\"channel\":\"crowd\","
                                               "\"role\":\"publisher\",\"uid\":\"%u\"}", i + 1);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      SoupMessage *msg = soup_message_new ("POST", uri);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      g_object_set_data (G_OBJECT (msg), "index", GUINT_TO_POINTER (i));
      soup_session_send_and_read_async (crowd_session, msg, G_PRIORITY_DEFAULT, NULL,
                                        crowd_answered, &state);
    }
  while (state.pending > 0)
    g_main_context_iteration (context, TRUE);
  g_clear_object (&crowd_session);
  g_main_context_pop_thread_default (context);
  g_atomic_int_set (&crowd->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  Crowd crowd = { fixture->url, g_ptr_array_new_full (200, g_free), 0, 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC * ak_test_time_scale ();
  AkTestStall stall = { 0 };
  GThread *thread;

  g_ptr_array_set_size (crowd.bodies, 200);
  ak_test_stall_start (&stall);
  thread = g_thread_new ("crowd", crowd_thread, &crowd);
  while (!g_atomic_int_get (&crowd.done))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_thread_join (thread);
  ak_test_stall_stop (&stall);

  g_assert_cmpuint (crowd.statuses_ok, ==, 200);
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(AkToken) token = NULL;
      g_autofree char *uid = g_strdup_printf ("%u", i + 1);
      const char *text;

      g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (crowd.bodies, i),
                                                 -1, &error));
      text = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                            "token");
      g_ptr_array_add (fixture->tokens, g_strdup (text));
      token = ak_token_parse (text, &error);
      g_assert_no_error (error);
      g_assert_true (ak_token_verify (token, CERT, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      assert_rtc (token, "crowd", uid, TRUE, 3600);
    }
  ak_test_stall_check (&stall, "token server, 200 concurrent requests");
  g_ptr_array_unref (crowd.bodies);
}

static void
test_port_in_use (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(AkTokenServer) second = ak_token_server_new (store);
  g_autoptr(GError) error = NULL;

  ak_token_server_set_project_label (second, "Demo");
  ak_token_server_set_port (second, ak_token_server_get_port (fixture->server));
  g_assert_false (ak_test_token_server_start (second, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "already in use"));
  g_assert_false (ak_token_server_get_running (second));
}

static void
test_start_errors (void)
{
  g_autoptr(AkTokenServer) server = ak_token_server_new (store);
  g_autoptr(GError) error = NULL;

  ak_token_server_set_project_label (server, "Nope");
  g_assert_false (ak_test_token_server_start (server, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  ak_token_server_set_project_label (server, "Demo");
  ak_token_server_set_bind_address (server, "localhost");
  g_assert_false (ak_test_token_server_start (server, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
}

static void
test_secondary (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(AkTokenServer) server = ak_token_server_new (store);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = NULL;
  g_auto(Reply) r = { 0 };

  ak_token_server_set_project_label (server, "Demo");
  ak_token_server_set_secondary (server, TRUE);
  g_assert_true (ak_test_token_server_start (server, &error));
  g_free (fixture->url);
  fixture->url = ak_token_server_get_url (server);
  http (fixture, &r, "GET", "/chat/app/", NULL, NULL, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  token = ak_token_parse (json_object_get_string_member (r.json, "chatToken"), &error);
  g_assert_no_error (error);
  g_assert_true (ak_token_verify (token, CERT_2, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (ak_token_verify (token, CERT, NULL, NULL, NULL, NULL));
  ak_token_server_stop (server);
}

static const ServerTest tests[] = {
  { "get-token", NULL, test_get_token },
  { "get-routes", NULL, test_get_routes },
  { "refusals", NULL, test_refusals },
  { "api-key-kept", "0.0.0.0", test_api_key_kept },
  { "api-key", "0.0.0.0", test_api_key },
  { "loopback-no-key", NULL, test_loopback_has_no_key },
  { "cors", NULL, test_cors },
  { "concurrent", NULL, test_concurrent },
  { "port-in-use", NULL, test_port_in_use },
  { "secondary", NULL, test_secondary },
  { "start-errors", .plain = test_start_errors },
};

int
main (int   argc,
      char *argv[])
{
  return token_server_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
