/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-test-util.h"

/*
 * The local token server, asked through a real HTTP client on loopback, against an
 * in-memory store holding one project.
 */

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"

static AkCredentialStore *store;
static SoupSession *session;

typedef struct
{
  AkTokenServer *server;
  char *url;
  GString *log;
  /* Every token answered, to check that none reached the log. */
  GPtrArray *tokens;
} Fixture;

static void
start_server (Fixture    *fixture,
              const char *bind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  AkTestWait wait = { 0 };

  fixture->server = ak_token_server_new (store);
  ak_token_server_set_project_label (fixture->server, "Demo");
  ak_token_server_set_port (fixture->server, 0);
  if (bind != NULL)
    ak_token_server_set_bind_address (fixture->server, bind);
  ak_test_token_server_log_to (fixture->server, fixture->log);
  ak_token_server_start_async (fixture->server, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  g_assert_true (ak_token_server_start_finish (fixture->server, result, &error));
  g_assert_no_error (error);
  g_assert_true (ak_token_server_get_running (fixture->server));
  g_assert_cmpuint (ak_token_server_get_port (fixture->server), >, 0);
  /* Clients always connect over loopback, even when the server listens on 0.0.0.0. */
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u",
                                  ak_token_server_get_port (fixture->server));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->log = g_string_new (NULL);
  fixture->tokens = g_ptr_array_new_with_free_func (g_free);
  start_server (fixture, data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ak_token_server_stop (fixture->server);
  g_assert_false (ak_token_server_get_running (fixture->server));
  g_assert_null (ak_token_server_get_url (fixture->server));

  for (guint i = 0; i < fixture->tokens->len; i++)
    g_assert_null (strstr (fixture->log->str, g_ptr_array_index (fixture->tokens, i)));
  g_assert_null (strstr (fixture->log->str, CERT));
  g_assert_null (strstr (fixture->log->str, CERT_2));
  g_assert_null (strstr (fixture->log->str, "007eJ"));

  g_clear_object (&fixture->server);
  g_free (fixture->url);
  g_string_free (fixture->log, TRUE);
  g_ptr_array_unref (fixture->tokens);
}

typedef struct
{
  guint status;
  char *body;
  SoupMessageHeaders *headers;
  JsonObject *json;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_free);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static SoupMessage *
make_message (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *body,
              const char *origin,
              const char *bearer)
{
  g_autofree char *uri = g_strconcat (fixture->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  if (origin != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Origin", origin);
  if (bearer != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  return msg;
}

static void
finish_reply (SoupMessage *msg,
              GBytes      *bytes,
              Reply       *reply)
{
  const char *type;

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  type = soup_message_headers_get_content_type (reply->headers, NULL);
  if (g_strcmp0 (type, "application/json") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (json_parser_load_from_data (parser, reply->body, -1, &error));
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      reply->json = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
}

static void
http (Fixture    *fixture,
      Reply      *reply,
      const char *method,
      const char *path,
      const char *body,
      const char *origin,
      const char *bearer)
{
  g_autoptr(SoupMessage) msg = make_message (fixture, method, path, body, origin, bearer);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { 0 };

  reply_clear (reply);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  bytes = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  finish_reply (msg, bytes, reply);
}

/* The token under @key, checked to be signed with the project's certificate. */
static AkToken *
take_token (Fixture    *fixture,
            Reply      *reply,
            const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = NULL;
  AkVerification verification = { 0 };
  const char *text;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Cache-Control"), ==,
                   "no-store");
  g_assert_nonnull (reply->json);
  text = json_object_get_string_member_with_default (reply->json, key, NULL);
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "007"));
  g_ptr_array_add (fixture->tokens, g_strdup (text));

  token = ak_token_parse (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ak_token_get_app_id (token), ==, APP_ID);
  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, &verification, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verification.signature, ==, AK_SIGNATURE_VALID);
  g_assert_false (ak_token_verify (token, CERT_2, NULL, NULL, &verification, NULL));
  return g_steal_pointer (&token);
}

static const AkService *
find_service (AkToken *token,
              guint16  type)
{
  for (guint i = 0; i < ak_token_get_n_services (token); i++)
    if (ak_token_get_service (token, i)->type == type)
      return ak_token_get_service (token, i);
  g_error ("The token has no service of type %u", type);
  return NULL;
}

static void
assert_rtc (AkToken    *token,
            const char *channel,
            const char *uid,
            gboolean    publisher,
            guint32     expire)
{
  const AkService *rtc = find_service (token, AK_SERVICE_RTC);
  guint32 value = 0;

  g_assert_cmpuint (ak_token_get_expire (token), ==, expire);
  g_assert_cmpstr (rtc->channel_name, ==, channel);
  g_assert_cmpstr (rtc->uid, ==, uid);
  g_assert_true (ak_service_get_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, &value));
  g_assert_cmpuint (value, ==, expire);
  g_assert_cmpint (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_AUDIO, NULL), ==,
                   publisher);
  g_assert_cmpint (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_VIDEO, NULL), ==,
                   publisher);
  g_assert_cmpint (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_DATA, NULL), ==,
                   publisher);
}

static void
assert_user (AkToken    *token,
             guint16     type,
             const char *user_id,
             guint16     privilege,
             guint32     expire)
{
  const AkService *service = find_service (token, type);
  guint32 value = 0;

  g_assert_cmpuint (ak_token_get_expire (token), ==, expire);
  g_assert_cmpstr (service->user_id, ==, user_id);
  g_assert_true (ak_service_get_privilege (service, privilege, &value));
  g_assert_cmpuint (value, ==, expire);
}

static void
assert_refused (Reply      *reply,
                guint       status,
                const char *mention)
{
  const char *message;

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_nonnull (reply->json);
  message = json_object_get_string_member_with_default (reply->json, "error", NULL);
  g_assert_nonnull (message);
  if (mention != NULL && strstr (message, mention) == NULL)
    g_error ("“%s” does not mention “%s”", message, mention);
}

/* ---------------------------------------------------------------------------------------------
 * Tests
 */

static void
test_get_token (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;

  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"room 1\",\"role\":\"publisher\",\"uid\":\"42\","
        "\"expire\":600}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "room 1", "42", TRUE, 600);
  g_clear_pointer (&token, ak_token_unref);

  /* A number for the uid, no expire: 3600, subscriber without publish privileges. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"subscriber\",\"uid\":4294967295}",
        NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "c", "4294967295", FALSE, 3600);
  g_clear_pointer (&token, ak_token_unref);

  /* uid 0 is the wildcard uid, which the codec shows as an empty uid. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"0\","
        "\"expire\":0}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "c", "", TRUE, 3600);
  g_clear_pointer (&token, ak_token_unref);

  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"alice\","
        "\"expire\":86400}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "c", "alice", TRUE, 86400);
  g_clear_pointer (&token, ak_token_unref);

  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtm\",\"uid\":\"bob\",\"expire\":120}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  g_assert_cmpuint (ak_token_get_n_services (token), ==, 1);
  assert_user (token, AK_SERVICE_RTM, "bob", AK_PRIV_RTM_LOGIN, 120);
  g_clear_pointer (&token, ak_token_unref);

  /* RTM with a stream channel: RTC join and data stream there too. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtm\",\"uid\":\"bob\",\"channel\":\"stream\",\"expire\":120}",
        NULL, NULL);
  token = take_token (fixture, &r, "token");
  g_assert_cmpuint (ak_token_get_n_services (token), ==, 2);
  assert_user (token, AK_SERVICE_RTM, "bob", AK_PRIV_RTM_LOGIN, 120);
  {
    const AkService *rtc = find_service (token, AK_SERVICE_RTC);

    g_assert_cmpstr (rtc->channel_name, ==, "stream");
    g_assert_cmpstr (rtc->uid, ==, "bob");
    g_assert_true (ak_service_get_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, NULL));
    g_assert_true (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_DATA, NULL));
    g_assert_false (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_AUDIO, NULL));
  }
  g_clear_pointer (&token, ak_token_unref);

  http (fixture, &r, "POST", "/getToken", "{\"tokenType\":\"chat\",\"uid\":\"\"}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_user (token, AK_SERVICE_CHAT, "", AK_PRIV_CHAT_APP, 3600);
  g_assert_false (ak_service_get_privilege (find_service (token, AK_SERVICE_CHAT),
                                            AK_PRIV_CHAT_USER, NULL));
  g_clear_pointer (&token, ak_token_unref);

  http (fixture, &r, "POST", "/getToken", "{\"tokenType\":\"chat\",\"uid\":\"carol\"}",
        NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_user (token, AK_SERVICE_CHAT, "carol", AK_PRIV_CHAT_USER, 3600);
  g_clear_pointer (&token, ak_token_unref);
}

static void
test_get_routes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;
  g_autoptr(AkToken) token_2 = NULL;
  g_autoptr(GError) error = NULL;

  http (fixture, &r, "GET", "/ping", NULL, NULL, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (r.json, "message"), ==, "pong");

  http (fixture, &r, "GET", "/rtc/my%20room/publisher/uid/7/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  assert_rtc (token, "my room", "7", TRUE, 3600);
  g_clear_pointer (&token, ak_token_unref);

  /* Without the trailing slash, with an expiry; a numeric account stays an account. */
  http (fixture, &r, "GET", "/rtc/c/subscriber/userAccount/123?expiry=300", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  assert_rtc (token, "c", "123", FALSE, 300);
  g_clear_pointer (&token, ak_token_unref);

  http (fixture, &r, "GET", "/rtm/dave/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtmToken");
  assert_user (token, AK_SERVICE_RTM, "dave", AK_PRIV_RTM_LOGIN, 3600);
  g_clear_pointer (&token, ak_token_unref);

  http (fixture, &r, "GET", "/rte/c/publisher/uid/5/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  token_2 = take_token (fixture, &r, "rtmToken");
  assert_rtc (token, "c", "5", TRUE, 3600);
  assert_user (token_2, AK_SERVICE_RTM, "5", AK_PRIV_RTM_LOGIN, 3600);
  g_assert_cmpstr (find_service (token_2, AK_SERVICE_RTC)->channel_name, ==, "c");
  g_clear_pointer (&token, ak_token_unref);
  g_clear_pointer (&token_2, ak_token_unref);

  http (fixture, &r, "GET", "/rte/c/subscriber/uid/0/erin/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  token_2 = take_token (fixture, &r, "rtmToken");
  assert_rtc (token, "c", "", FALSE, 3600);
  assert_user (token_2, AK_SERVICE_RTM, "erin", AK_PRIV_RTM_LOGIN, 3600);
  g_clear_pointer (&token, ak_token_unref);
  g_clear_pointer (&token_2, ak_token_unref);

  http (fixture, &r, "GET", "/chat/app/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "chatToken");
  assert_user (token, AK_SERVICE_CHAT, "", AK_PRIV_CHAT_APP, 3600);
  g_clear_pointer (&token, ak_token_unref);

  http (fixture, &r, "GET", "/chat/account/frank/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "chatToken");
  assert_user (token, AK_SERVICE_CHAT, "frank", AK_PRIV_CHAT_USER, 3600);
  g_clear_pointer (&token, ak_token_unref);

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

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(GString) big = g_string_new ("{\"tokenType\":\"rtc\",\"channel\":\"");

  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"admin\",\"uid\":\"1\"}", NULL, NULL);
  assert_refused (&r, 400, "role");
  /* agora-token-service would sign these as subscribers. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"Publisher\",\"uid\":\"1\"}",
        NULL, NULL);
  assert_refused (&r, 400, "role");
  http (fixture, &r, "POST", "/getToken", "{\"tokenType\":\"fpa\",\"uid\":\"1\"}", NULL, NULL);
  assert_refused (&r, 400, "tokenType");
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"4294967296\"}",
        NULL, NULL);
  assert_refused (&r, 400, "4294967295");
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":-1}",
        NULL, NULL);
  assert_refused (&r, 400, "uid");
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
        "\"expire\":-1}", NULL, NULL);
  assert_refused (&r, 400, "expire");
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
        "\"expire\":86401}", NULL, NULL);
  assert_refused (&r, 400, "86400");
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
        "\"expire\":\"soon\"}", NULL, NULL);
  assert_refused (&r, 400, "expire");
  http (fixture, &r, "POST", "/getToken", "{\"tokenType\":\"rtc\",", NULL, NULL);
  assert_refused (&r, 400, "JSON");
  /* Two objects: json-glib would keep the second and leak the first; refused whole. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\"}{\"tokenType\":\"rtc\",\"channel\":\"c\","
        "\"role\":\"publisher\",\"uid\":\"1\"}", NULL, NULL);
  assert_refused (&r, 400, "JSON");
  http (fixture, &r, "POST", "/getToken", "[1,2]", NULL, NULL);
  assert_refused (&r, 400, "JSON");
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"role\":\"publisher\",\"uid\":\"1\"}", NULL, NULL);
  assert_refused (&r, 400, "channel");
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\"}", NULL, NULL);
  assert_refused (&r, 400, "uid");
  http (fixture, &r, "POST", "/getToken", "{\"tokenType\":\"rtm\"}", NULL, NULL);
  assert_refused (&r, 400, "uid");

  while (big->len <= AK_TOKEN_SERVER_MAX_BODY)
    g_string_append (big, "xxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");
  http (fixture, &r, "POST", "/getToken", big->str, NULL, NULL);
  assert_refused (&r, 413, "64 KiB");

  http (fixture, &r, "GET", "/rtc/c/host/uid/1/", NULL, NULL, NULL);
  assert_refused (&r, 400, "role");
  http (fixture, &r, "GET", "/rtc/c/publisher/number/1/", NULL, NULL, NULL);
  assert_refused (&r, 400, "userAccount");
  http (fixture, &r, "GET", "/rtc/c/publisher/uid/abc/", NULL, NULL, NULL);
  assert_refused (&r, 400, "uid");
  http (fixture, &r, "GET", "/rtc/c/publisher/uid/1/?expiry=90000", NULL, NULL, NULL);
  assert_refused (&r, 400, "86400");
  http (fixture, &r, "GET", "/rtm/0/", NULL, NULL, NULL);
  assert_refused (&r, 400, "0");
  http (fixture, &r, "GET", "/rte/c/publisher/uid/0/", NULL, NULL, NULL);
  assert_refused (&r, 400, "RTM");
  http (fixture, &r, "GET", "/chat/account/", NULL, NULL, NULL);
  assert_refused (&r, 404, "user ID");
  http (fixture, &r, "GET", "/rtm//", NULL, NULL, NULL);
  assert_refused (&r, 400, "RTM user ID");

  http (fixture, &r, "GET", "/nothing/here", NULL, NULL, NULL);
  assert_refused (&r, 404, NULL);
  http (fixture, &r, "GET", "/getToken", NULL, NULL, NULL);
  assert_refused (&r, 405, "POST");
}

/* ---------------------------------------------------------------------------------------------
 * Drop-in for agora-token-service (AgoraIO-Community/agora-token-service at b1fa0fcb): what its
 * own endpoint tests expect, then each behaviour a client of it relies on.
 */

typedef struct
{
  const char *method;
  const char *path;
  const char *body;
  guint status;
  /* Where a 200 answer holds its token(s). */
  const char *key;
  const char *key_2;
} Exchange;

static const Exchange service_exchanges[] = {
  { "POST", "/getToken", "{\"tokenType\": \"rtc\", \"channel\": \"channel123\", "
    "\"role\": \"publisher\", \"uid\": \"user123\", \"expire\": 3600}", 200, "token", NULL },
  { "POST", "/getToken", "{\"tokenType\": \"rtm\", \"uid\": \"user456\", \"expire\": 1800}",
    200, "token", NULL },
  { "POST", "/getToken", "{\"tokenType\": \"rtm\", \"uid\": \"user456\", \"expire\": 1800, "
    "\"channel\": \"test\"}", 200, "token", NULL },
  { "POST", "/getToken", "{\"tokenType\": \"chat\", \"uid\": \"user789\", \"expire\": 900}",
    200, "token", NULL },
  { "POST", "/getToken", "{\"tokenType\": \"chat\"}", 200, "token", NULL },
  { "POST", "/getToken", "{\"tokenType\": \"chat\", \"uid\": \"user123\"}", 200, "token", NULL },
  { "POST", "/getToken", "{\"channel\": \"channel456\", \"role\": \"subscriber\", "
    "\"expire\": 1800}", 400, NULL, NULL },
  { "POST", "/getToken", "{\"tokenType\": \"invalid_type\", \"channel\": \"channel789\", "
    "\"role\": \"publisher\", \"uid\": \"user123\", \"expire\": 3600}", 400, NULL, NULL },
  { "POST", "/getToken", "{\"tokenType\": \"rtc\", \"role\": \"publisher\", "
    "\"uid\": \"user123\", \"expire\": 3600}", 400, NULL, NULL },
  { "POST", "/getToken", "{\"tokenType\": \"rtm\", \"expire\": 1800}", 400, NULL, NULL },
  { "POST", "/getToken", "", 400, NULL, NULL },
  { "GET", "/rtc/fsda/publisher/uid/0/?expiry=600", NULL, 200, "rtcToken", NULL },
  { "GET", "/rtc/fsda/publisher/uid//?expiry=600", NULL, 200, "rtcToken", NULL },
  { "GET", "/rtc/fsda/publisher/uid/test/?expiry=600", NULL, 400, NULL, NULL },
  { "GET", "/rtc/fsda/publisher/uid/0/?expiry=failing", NULL, 400, NULL, NULL },
  { "GET", "/rtc/fsda/publisher/uid/0/", NULL, 200, "rtcToken", NULL },
  { "GET", "/rtc/fsda/publisher/userAccount/0/", NULL, 200, "rtcToken", NULL },
  { "GET", "/rtc/fsda/publisher/nonsense/0/", NULL, 400, NULL, NULL },
  { "GET", "/rtm/username/?expiry=600", NULL, 200, "rtmToken", NULL },
  { "GET", "/rtm/0/?expiry=600", NULL, 400, NULL, NULL },
  { "GET", "/chat/app/", NULL, 200, "chatToken", NULL },
  { "GET", "/chat/account/username/", NULL, 200, "chatToken", NULL },
  { "GET", "/chat/account/", NULL, 404, NULL, NULL },
  { "GET", "/chat/invalid/", NULL, 404, NULL, NULL },
  { "GET", "/chat/account/username/?expiry=600", NULL, 200, "chatToken", NULL },
  { "GET", "/chat/account/username/?expiry=fail", NULL, 400, NULL, NULL },
  { "GET", "/rte/channelName/publisher/uid/0/rtmid/?expiry=600", NULL, 200, "rtcToken",
    "rtmToken" },
  { "GET", "/rte/channelName/publisher/uid/2345/?expiry=600", NULL, 200, "rtcToken",
    "rtmToken" },
  { "GET", "/rte/channelName/subscriber/uid/0/rtmid/?expiry=600", NULL, 200, "rtcToken",
    "rtmToken" },
  { "GET", "/rte/channelName/subscriber/uid/2345/?expiry=600", NULL, 200, "rtcToken",
    "rtmToken" },
  { "GET", "/rte/channelName/publisher/uid/0/?expiry=600", NULL, 400, NULL, NULL },
  { "GET", "/rte/channelName/publisher/uid/2345/?expiry=failing", NULL, 400, NULL, NULL },
};

static void
test_service_table (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Reply) r = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (service_exchanges); i++)
    {
      const Exchange *exchange = &service_exchanges[i];
      const char *keys[] = { exchange->key, exchange->key_2 };

      g_test_message ("%s %s %s", exchange->method, exchange->path,
                      exchange->body != NULL ? exchange->body : "");
      http (fixture, &r, exchange->method, exchange->path, exchange->body, NULL, NULL);
      if (exchange->status != 200)
        {
          assert_refused (&r, exchange->status, NULL);
          continue;
        }
      g_assert_cmpuint (json_object_get_size (r.json), ==, exchange->key_2 != NULL ? 2 : 1);
      for (guint k = 0; k < G_N_ELEMENTS (keys) && keys[k] != NULL; k++)
        {
          g_autoptr(AkToken) token = take_token (fixture, &r, keys[k]);
          guint32 expire = strstr (exchange->path, "expiry=600") != NULL ? 600 : 3600;

          if (exchange->body != NULL)
            {
              JsonNode *node = json_from_string (exchange->body, NULL);

              expire = json_object_get_int_member_with_default (json_node_get_object (node),
                                                                "expire", 3600);
              json_node_unref (node);
            }
          g_assert_cmpuint (ak_token_get_expire (token), ==, expire);
        }
    }

  http (fixture, &r, "GET", "/ping", NULL, NULL, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (r.json, "message"), ==, "pong");
}

/* An empty uid in the path is uid 0, any user; a missing role is a subscriber. */
static void
test_service_defaults (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;
  g_autoptr(AkToken) token_2 = NULL;

  http (fixture, &r, "GET", "/rtc/fsda/publisher/uid//?expiry=600", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  assert_rtc (token, "fsda", "", TRUE, 600);
  g_clear_pointer (&token, ak_token_unref);
  g_assert_nonnull (strstr (fixture->log->str, "GET /rtc/fsda/publisher/uid// → 200"));

  /* The same token as uid 0 spelt out. */
  http (fixture, &r, "GET", "/rtc/fsda/subscriber/uid/0?expiry=600", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  assert_rtc (token, "fsda", "", FALSE, 600);
  g_clear_pointer (&token, ak_token_unref);

  /* "userAccount" with 0 is the account named "0", as in the service. */
  http (fixture, &r, "GET", "/rtc/fsda/publisher/userAccount/0/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  assert_rtc (token, "fsda", "0", TRUE, 3600);
  g_clear_pointer (&token, ak_token_unref);
  /* The service would sign that same account "0" for an empty one: no user joins with it. */
  http (fixture, &r, "GET", "/rtc/fsda/publisher/userAccount//", NULL, NULL, NULL);
  assert_refused (&r, 400, "account");

  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"uid\":\"8\"}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "c", "8", FALSE, 3600);
  g_clear_pointer (&token, ak_token_unref);
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"\",\"uid\":\"8\",\"expire\":60}",
        NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "c", "8", FALSE, 60);
  g_clear_pointer (&token, ak_token_unref);
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":null,\"uid\":\"bo b\"}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "c", "bo b", FALSE, 3600);
  g_clear_pointer (&token, ak_token_unref);
  http (fixture, &r, "GET", "/rtc/c//uid/9/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  assert_rtc (token, "c", "9", FALSE, 3600);
  g_clear_pointer (&token, ak_token_unref);

  /* Unlike the uid, the body's uid stays required for RTC, as in the service. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"\"}",
        NULL, NULL);
  assert_refused (&r, 400, "uid");

  /* /rte/: an empty RTC uid too; and with an RTM uid in the path, even "0". */
  http (fixture, &r, "GET", "/rte/c/publisher/uid//bob/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  token_2 = take_token (fixture, &r, "rtmToken");
  assert_rtc (token, "c", "", TRUE, 3600);
  assert_user (token_2, AK_SERVICE_RTM, "bob", AK_PRIV_RTM_LOGIN, 3600);
  g_clear_pointer (&token, ak_token_unref);
  g_clear_pointer (&token_2, ak_token_unref);

  http (fixture, &r, "GET", "/rte/c/subscriber/uid/5/0/?expiry=900", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  token_2 = take_token (fixture, &r, "rtmToken");
  assert_rtc (token, "c", "5", FALSE, 900);
  assert_user (token_2, AK_SERVICE_RTM, "0", AK_PRIV_RTM_LOGIN, 900);
  /* The RTM token's stream channel, for the RTM user. */
  g_assert_cmpstr (find_service (token_2, AK_SERVICE_RTC)->channel_name, ==, "c");
  g_assert_cmpstr (find_service (token_2, AK_SERVICE_RTC)->uid, ==, "0");
  g_clear_pointer (&token, ak_token_unref);
  g_clear_pointer (&token_2, ak_token_unref);

  /* Without an RTM uid the account serves for both. */
  http (fixture, &r, "GET", "/rte/c/publisher/userAccount/alice", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  token_2 = take_token (fixture, &r, "rtmToken");
  assert_rtc (token, "c", "alice", TRUE, 3600);
  assert_user (token_2, AK_SERVICE_RTM, "alice", AK_PRIV_RTM_LOGIN, 3600);
  g_clear_pointer (&token, ak_token_unref);
  g_clear_pointer (&token_2, ak_token_unref);

  /* Uid 0 or empty, and no RTM uid: nobody to log in to RTM. */
  http (fixture, &r, "GET", "/rte/c/publisher/uid///", NULL, NULL, NULL);
  assert_refused (&r, 400, "RTM user ID");
  http (fixture, &r, "GET", "/rte/c/publisher/userAccount/0/", NULL, NULL, NULL);
  assert_refused (&r, 400, "RTM user ID");
  http (fixture, &r, "GET", "/rte/c/publisher/uid/5//", NULL, NULL, NULL);
  assert_refused (&r, 400, "RTM user ID");

  /* The service would sign these for an empty channel name. */
  http (fixture, &r, "GET", "/rtc//publisher/uid/1/", NULL, NULL, NULL);
  assert_refused (&r, 400, "channel");
  http (fixture, &r, "GET", "/rte//publisher/uid/1/", NULL, NULL, NULL);
  assert_refused (&r, 400, "channel");

  /* An empty chat ID must not turn into an app token, which has every privilege. */
  http (fixture, &r, "GET", "/chat/account//", NULL, NULL, NULL);
  assert_refused (&r, 400, "user ID");
  g_assert_null (json_object_get_member (r.json, "chatToken"));
}

/* Go's decoder matches member names in any case, and numbers for strings are a convenience. */
static void
test_service_members (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;

  http (fixture, &r, "POST", "/getToken",
        "{\"TokenType\":\"rtc\",\"Channel\":\"c\",\"ROLE\":\"publisher\",\"UID\":\"42\","
        "\"Expire\":600}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "c", "42", TRUE, 600);
  g_clear_pointer (&token, ak_token_unref);

  http (fixture, &r, "POST", "/getToken", "{\"tokentype\":\"rtm\",\"Uid\":7,\"EXPIRE\":60}",
        NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_user (token, AK_SERVICE_RTM, "7", AK_PRIV_RTM_LOGIN, 60);
  g_clear_pointer (&token, ak_token_unref);

  /* uid 42 and "42" are the same uid. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":42}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "c", "42", TRUE, 3600);
  g_clear_pointer (&token, ak_token_unref);

  /* The service signs RTM for user "0" from a body (unlike GET /rtm/0/). */
  http (fixture, &r, "POST", "/getToken", "{\"tokenType\":\"rtm\",\"uid\":\"0\"}", NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_user (token, AK_SERVICE_RTM, "0", AK_PRIV_RTM_LOGIN, 3600);
  g_clear_pointer (&token, ak_token_unref);

  /* Which of two spellings would count depends on their order: refused. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
        "\"UID\":\"2\"}", NULL, NULL);
  assert_refused (&r, 400, "twice");
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"TOKENTYPE\":\"chat\"}", NULL, NULL);
  assert_refused (&r, 400, "tokenType");

  /* The service would ignore "expiry" in a body and sign for 3600 s. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
        "\"expiry\":600}", NULL, NULL);
  assert_refused (&r, 400, "expire");
  http (fixture, &r, "POST", "/getToken", "{\"tokenType\":\"chat\",\"Expiry\":600}", NULL, NULL);
  assert_refused (&r, 400, "expire");

  /* The service signs "-1" as an account, but a Java client means uid 4294967295 by it. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"-1\"}",
        NULL, NULL);
  assert_refused (&r, 400, "userAccount");
  http (fixture, &r, "GET", "/rtc/c/publisher/userAccount/-1/", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  assert_rtc (token, "c", "-1", TRUE, 3600);
  g_clear_pointer (&token, ak_token_unref);
  /* Other strings that are not digits alone stay accounts, as there. */
  http (fixture, &r, "POST", "/getToken",
        "{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"+7\"}",
        NULL, NULL);
  token = take_token (fixture, &r, "token");
  assert_rtc (token, "c", "+7", TRUE, 3600);
  g_clear_pointer (&token, ak_token_unref);
}

/* "?expiry=" on the GET routes: 0 is the default, as "expire": 0 in a body. */
static void
test_service_expiry (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;

  http (fixture, &r, "GET", "/rtc/c/publisher/uid/1/?expiry=0", NULL, NULL, NULL);
  token = take_token (fixture, &r, "rtcToken");
  assert_rtc (token, "c", "1", TRUE, 3600);
  g_clear_pointer (&token, ak_token_unref);
  http (fixture, &r, "GET", "/chat/account/u/?expiry=86400&cachebust=1", NULL, NULL, NULL);
  token = take_token (fixture, &r, "chatToken");
  assert_user (token, AK_SERVICE_CHAT, "u", AK_PRIV_CHAT_USER, 86400);
  g_clear_pointer (&token, ak_token_unref);

  http (fixture, &r, "GET", "/rtm/u/?expiry=", NULL, NULL, NULL);
  assert_refused (&r, 400, "expiry");
  /* The service ignores these spellings and signs for 3600 s. */
  http (fixture, &r, "GET", "/rtm/u/?expire=600", NULL, NULL, NULL);
  assert_refused (&r, 400, "?expiry=");
  http (fixture, &r, "GET", "/rte/c/publisher/uid/1/?Expiry=600", NULL, NULL, NULL);
  assert_refused (&r, 400, "?expiry=");
  http (fixture, &r, "GET", "/chat/app/?expiry=-1", NULL, NULL, NULL);
  assert_refused (&r, 400, "expiry");
  /* The service would wrap this to 1 second. */
  http (fixture, &r, "GET", "/chat/app/?expiry=4294967297", NULL, NULL, NULL);
  assert_refused (&r, 400, "86400");
}

/* The service answers the preflight on any path, and every GET route checks the Origin. */
static void
test_service_cors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Reply) r = { 0 };
  g_autoptr(AkToken) token = NULL;

  http (fixture, &r, "OPTIONS", "/rtc/c/publisher/uid/1/", NULL, "http://localhost:3000", NULL);
  g_assert_cmpuint (r.status, ==, 204);
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Access-Control-Allow-Origin"), ==,
                   "http://localhost:3000");
  g_assert_nonnull (strstr (soup_message_headers_get_one (r.headers,
                                                          "Access-Control-Allow-Methods"),
                            "GET"));
  http (fixture, &r, "GET", "/rte/c/publisher/uid/1/", NULL, "http://localhost:3000", NULL);
  token = take_token (fixture, &r, "rtcToken");
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Access-Control-Allow-Origin"), ==,
                   "http://localhost:3000");
  http (fixture, &r, "GET", "/chat/app/", NULL, "http://evil.example", NULL);
  assert_refused (&r, 403, "Origin not allowed");
  g_assert_null (json_object_get_member (r.json, "chatToken"));
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
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    AkTestWait wait = { 0 };

    ak_token_server_start_async (fixture->server, NULL, ak_test_wait_callback, &wait);
    result = ak_test_wait_result (&wait);
    g_assert_true (ak_token_server_start_finish (fixture->server, result, &error));
    g_free (fixture->url);
    fixture->url = ak_token_server_get_url (fixture->server);
  }
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
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { 0 };

  ak_token_server_set_project_label (second, "Demo");
  ak_token_server_set_port (second, ak_token_server_get_port (fixture->server));
  ak_token_server_start_async (second, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  g_assert_false (ak_token_server_start_finish (second, result, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "already in use"));
  g_assert_false (ak_token_server_get_running (second));
}

static void
test_start_errors (void)
{
  g_autoptr(AkTokenServer) server = ak_token_server_new (store);
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { 0 };

  ak_token_server_set_project_label (server, "Nope");
  ak_token_server_start_async (server, NULL, ak_test_wait_callback, &wait);
  g_assert_false (ak_token_server_start_finish (server, ak_test_wait_result (&wait), &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_NOT_FOUND);
  g_clear_object (&wait.result);
  g_clear_error (&error);

  ak_token_server_set_project_label (server, "Demo");
  ak_token_server_set_bind_address (server, "localhost");
  ak_token_server_start_async (server, NULL, ak_test_wait_callback, &wait);
  g_assert_false (ak_token_server_start_finish (server, ak_test_wait_result (&wait), &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_clear_object (&wait.result);
}

static void
test_secondary (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(AkTokenServer) server = ak_token_server_new (store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = NULL;
  g_auto(Reply) r = { 0 };
  AkTestWait wait = { 0 };

  ak_token_server_set_project_label (server, "Demo");
  ak_token_server_set_secondary (server, TRUE);
  ak_token_server_start_async (server, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  g_assert_true (ak_token_server_start_finish (server, result, &error));
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

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = NULL;
  int status;

  /* Loopback only, and a throwaway keyring file rather than the session's keyring. */
  keyring_dir = ak_test_setenv_isolated ();
  g_test_init (&argc, &argv, NULL);

  store = ak_test_store_new_with_project ("Demo", APP_ID, CERT, CERT_2);
  session = ak_test_session_new ();

#define ADD(path, func) \
  g_test_add ("/ak/token-server/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("get-token", test_get_token);
  ADD ("get-routes", test_get_routes);
  ADD ("refusals", test_refusals);
  ADD ("service-table", test_service_table);
  ADD ("service-defaults", test_service_defaults);
  ADD ("service-members", test_service_members);
  ADD ("service-expiry", test_service_expiry);
  ADD ("service-cors", test_service_cors);
  g_test_add ("/ak/token-server/api-key-kept", Fixture, "0.0.0.0", fixture_set_up,
              test_api_key_kept, fixture_tear_down);
  g_test_add ("/ak/token-server/api-key", Fixture, "0.0.0.0", fixture_set_up, test_api_key,
              fixture_tear_down);
  ADD ("loopback-no-key", test_loopback_has_no_key);
  ADD ("cors", test_cors);
  ADD ("concurrent", test_concurrent);
  ADD ("port-in-use", test_port_in_use);
  ADD ("secondary", test_secondary);
#undef ADD
  g_test_add_func ("/ak/token-server/start-errors", test_start_errors);

  status = g_test_run ();
  g_clear_object (&session);
  g_clear_object (&store);
  ak_test_remove_tree (keyring_dir);
  return status;
}
