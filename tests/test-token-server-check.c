/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-token-server-check.h"
#include "ak-test-util.h"

/*
 * "Test my token server" against a fake agora-token-service: a SoupServer on 127.0.0.1 in its
 * own thread and GMainContext that answers POST /getToken as the real service does (same
 * defaults, same plain-text 400s, same CORS 403), building real tokens with the codec. A path
 * prefix before /getToken makes it misbehave in one way: "/wrong-channel/getToken", ….
 * Nothing leaves loopback: no proxy resolver.
 */

#define TEST_APP_ID "970CA35de60c44645bbae8a215061b33"
#define OTHER_TEST_APP_ID "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define OTHER_CERT "11112222333344445555666677778888"
#define ALLOWED_ORIGIN "https://app.example.com"

/* ---------------------------------------------------------------------------------------------
 * The fake agora-token-service
 */

typedef struct
{
  AkTestServer *server;
  GMutex lock;
  /* Under the lock. */
  guint requests;
  char *last_body;
  char *last_origin;
  char *last_content_type;
  char *last_token;
} FakeService;

static FakeService fake;
static AkCredentialStore *store;
static AkRestClient *client;

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

/* Go's http.Error: text/plain, the message and a line break. */
static void
respond_http_error (SoupServerMessage *msg,
                    const char        *message)
{
  g_autofree char *body = g_strconcat (message, "\n", NULL);

  respond (msg, 400, "text/plain; charset=utf-8", body);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static gboolean
is_uint64 (const char *text,
           guint64    *value)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, value, NULL);
}

static JsonObject *
common_inputs (const char *mode)
{
  JsonObject *inputs = json_object_new ();

  json_object_set_string_member (inputs, "app_id",
                                 g_str_equal (mode, "other-app") ? OTHER_TEST_APP_ID : TEST_APP_ID);
  if (g_str_equal (mode, "other-cert") || g_str_equal (mode, "other-app"))
    json_object_set_string_member (inputs, "app_certificate", OTHER_CERT);
  else if (g_str_equal (mode, "secondary"))
    json_object_set_string_member (inputs, "app_certificate", CERT_2);
  else
    json_object_set_string_member (inputs, "app_certificate", CERT);
  if (g_str_equal (mode, "skewed"))
    json_object_set_int_member (inputs, "issue_ts", ak_clock_now_unix () - 900);
  return inputs;
}

static char *
build (AkBuilder   builder,
       JsonObject *inputs)
{
  g_autoptr(AkBuildResult) built = NULL;
  g_autoptr(GError) error = NULL;

  built = ak_build_token (builder, inputs, &error);
  g_assert_no_error (error);
  return g_strdup (ak_build_result_get_token (built));
}

static char *
build_rtc (const char *mode,
           const char *channel,
           const char *uid,
           const char *role,
           guint32     expire)
{
  g_autoptr(JsonObject) inputs = common_inputs (mode);
  gboolean publisher = g_str_equal (role, "publisher") || g_str_equal (mode, "always-publisher");
  g_autofree char *wrong_account = NULL;
  guint64 value;

  json_object_set_string_member (inputs, "channel_name",
                                 g_str_equal (mode, "wrong-channel") ? "lobby" : channel);
  json_object_set_int_member (inputs, "token_expire", expire);

  if (is_uint64 (uid, &value))
    {
      /* The service casts to uint32, wrapping silently. */
      json_object_set_int_member (inputs, "uid",
                                  (guint32) value + (g_str_equal (mode, "wrong-uid") ? 1 : 0));
    }
  else
    {
      wrong_account = g_strconcat (uid, "2", NULL);
      json_object_set_string_member (inputs, "account",
                                     g_str_equal (mode, "wrong-uid") ? wrong_account : uid);
    }

  if (g_str_equal (mode, "short-join"))
    {
      json_object_set_int_member (inputs, "join_channel_privilege_expire", 600);
      json_object_set_int_member (inputs, "pub_audio_privilege_expire", expire);
      json_object_set_int_member (inputs, "pub_video_privilege_expire", expire);
      json_object_set_int_member (inputs, "pub_data_stream_privilege_expire", expire);
      return build (json_object_has_member (inputs, "uid") ? AK_BUILDER_RTC_UID_PRIVILEGE
                                                           : AK_BUILDER_RTC_ACCOUNT_PRIVILEGE,
                    inputs);
    }

  json_object_set_int_member (inputs, "role",
                              publisher ? AK_RTC_ROLE_PUBLISHER : AK_RTC_ROLE_SUBSCRIBER);
  json_object_set_int_member (inputs, "privilege_expire", expire);
  return build (json_object_has_member (inputs, "uid") ? AK_BUILDER_RTC_UID
                                                       : AK_BUILDER_RTC_ACCOUNT, inputs);
}

/* With a channel, the stream channel goes into an RTC service beside the RTM one. */
static char *
build_rtm (const char *mode,
           const char *channel,
           const char *uid,
           guint32     expire)
{
  g_autoptr(JsonObject) inputs = common_inputs (mode);
  g_autofree char *spec = NULL;
  g_autoptr(JsonNode) services = NULL;

  if (*channel == '\0')
    {
      json_object_set_string_member (inputs, "user_id", uid);
      json_object_set_int_member (inputs, "expire", expire);
      return build (AK_BUILDER_RTM, inputs);
    }

  spec = g_strdup_printf ("[{\"type\":2,\"user_id\":\"%s\",\"privileges\":{\"1\":%u}},"
                          "{\"type\":1,\"channel_name\":\"%s\",\"uid\":\"%s\","
                          "\"privileges\":{\"1\":%u,\"4\":%u}}]",
                          uid, expire, g_str_equal (mode, "wrong-channel") ? "lobby" : channel,
                          uid, expire, expire);
  services = json_from_string (spec, NULL);
  g_assert_nonnull (services);
  json_object_set_member (inputs, "services", g_steal_pointer (&services));
  json_object_set_int_member (inputs, "expire", expire);
  return build (AK_BUILDER_RAW007, inputs);
}

static char *
build_chat (const char *mode,
            const char *uid,
            guint32     expire)
{
  g_autoptr(JsonObject) inputs = common_inputs (mode);

  g_autofree char *wrong_user = g_strconcat (*uid != '\0' ? uid : "someone", "2", NULL);

  json_object_set_int_member (inputs, "expire", expire);
  if (g_str_equal (mode, "wrong-uid"))
    uid = wrong_user;
  if (*uid == '\0')
    return build (AK_BUILDER_CHAT_APP, inputs);
  json_object_set_string_member (inputs, "user_id", uid);
  return build (AK_BUILDER_CHAT_USER, inputs);
}

static void
record_request (SoupServerMessage *msg,
                const char        *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_mutex_lock (&fake.lock);
  fake.requests++;
  g_free (fake.last_body);
  fake.last_body = g_strdup (body);
  g_free (fake.last_origin);
  fake.last_origin = g_strdup (soup_message_headers_get_one (headers, "Origin"));
  g_free (fake.last_content_type);
  fake.last_content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  g_mutex_unlock (&fake.lock);
}

static void
answer_with_token (SoupServerMessage *msg,
                   const char        *mode,
                   const char        *token)
{
  g_autofree char *json = NULL;

  g_mutex_lock (&fake.lock);
  g_free (fake.last_token);
  fake.last_token = g_strdup (token);
  g_mutex_unlock (&fake.lock);

  if (g_str_equal (mode, "bare"))
    {
      respond (msg, 200, "text/plain", token);
      return;
    }
  json = g_strdup_printf (g_str_equal (mode, "legacy") ? "{\"rtcToken\":\"%s\"}"
                                                       : "{\"token\":\"%s\"}", token);
  respond (msg, 200, "application/json; charset=utf-8", json);
}

static void
handle_get_token (SoupServerMessage *msg,
                  const char        *mode)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  const char *origin = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Origin");
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  JsonObject *object;
  const char *type;
  const char *channel;
  const char *uid;
  gint64 expire;

  record_request (msg, text);

  if (g_str_equal (mode, "cors") && g_strcmp0 (origin, ALLOWED_ORIGIN) != 0)
    {
      respond (msg, 403, "application/json; charset=utf-8", "{\"error\":\"Origin not allowed\"}");
      return;
    }
  if (g_str_equal (mode, "json-400"))
    {
      respond (msg, 400, "application/json; charset=utf-8",
               "{\"error\":\"Unsupported tokenType\"}");
      return;
    }
  if (g_str_equal (mode, "not-json"))
    {
      respond (msg, 200, "text/html",
               "<!DOCTYPE html>\n<html><body>Welcome to nginx!</body></html>\n");
      return;
    }
  if (g_str_equal (mode, "malformed"))
    {
      respond (msg, 200, "application/json", "{\"token\":\"007eJxTYGBg!!not-base64\"}");
      return;
    }

  root = json_from_string (text, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      respond_http_error (msg, "invalid character 'x' looking for beginning of value");
      return;
    }
  object = json_node_get_object (root);
  type = string_member (object, "tokenType");
  channel = string_member (object, "channel");
  uid = string_member (object, "uid");
  expire = json_object_has_member (object, "expire")
             ? json_object_get_int_member (object, "expire") : 0;
  if (expire == 0)
    expire = 3600;
  if (g_str_equal (mode, "double-expire"))
    expire *= 2;

  if (g_str_equal (type, "rtc"))
    {
      if (*channel == '\0')
        {
          respond_http_error (msg, "invalid: missing channel name");
          return;
        }
      if (*uid == '\0')
        {
          respond_http_error (msg, "invalid: missing user ID or account");
          return;
        }
      token = build_rtc (mode, channel, uid, string_member (object, "role"), (guint32) expire);
    }
  else if (g_str_equal (type, "rtm"))
    {
      if (*uid == '\0')
        {
          respond_http_error (msg, "invalid: missing user ID or account");
          return;
        }
      token = build_rtm (mode, channel, uid, (guint32) expire);
    }
  else if (g_str_equal (type, "chat"))
    token = build_chat (mode, uid, (guint32) expire);
  else
    {
      respond_http_error (msg, "Unsupported tokenType");
      return;
    }
  answer_with_token (msg, mode, token);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer          user_data)
{
  g_autofree char *mode = NULL;

  if (!g_str_has_suffix (path, "/getToken")
      || !g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      respond (msg, 404, "text/plain", "404 page not found");
      return;
    }
  mode = g_strndup (path + 1, MAX (strlen (path), strlen ("/getToken") + 1)
                              - strlen ("/getToken") - 1);
  handle_get_token (msg, mode);
}

static void
fake_service_start (void)
{
  fake.server = ak_test_server_new (handle_request, NULL);
}

static void
fake_service_stop (void)
{
  g_clear_pointer (&fake.server, ak_test_server_free);
  g_free (fake.last_body);
  g_free (fake.last_origin);
  g_free (fake.last_content_type);
  g_free (fake.last_token);
}

static guint
requests_so_far (void)
{
  guint n;

  g_mutex_lock (&fake.lock);
  n = fake.requests;
  g_mutex_unlock (&fake.lock);
  return n;
}

static char *
last_token (void)
{
  char *token;

  g_mutex_lock (&fake.lock);
  token = g_strdup (fake.last_token);
  g_mutex_unlock (&fake.lock);
  return token;
}

static char *
base_url (const char *mode)
{
  if (mode == NULL || *mode == '\0')
    return ak_test_server_get_url (fake.server);
  return g_strdup_printf ("http://127.0.0.1:%u/%s", ak_test_server_get_port (fake.server), mode);
}

/* ---------------------------------------------------------------------------------------------
 * Waiting, and reading results
 */

static AkTokenServerResult *
check_full (const char                *url,
            const char                *origin,
            const AkTokenServerQuery  *query,
            const char                *project_label,
            GCancellable              *cancellable,
            GError                   **error)
{
  AkTestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  ak_token_server_check_async (client, store, url, origin, query, project_label, cancellable,
                               ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  return ak_token_server_check_finish (client, result, error);
}

/* Asks the fake in @mode and returns the result, which must come. */
static AkTokenServerResult *
check (const char               *mode,
       const AkTokenServerQuery *query,
       const char               *project_label)
{
  g_autofree char *url = base_url (mode);
  g_autoptr(GError) error = NULL;
  AkTokenServerResult *result;

  result = check_full (url, NULL, query, project_label, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  for (guint i = 0; i < ak_token_server_result_get_n_findings (result); i++)
    {
      const AkTokenServerFinding *finding = ak_token_server_result_get_finding (result, i);

      g_test_message ("[%d/%d] %s", finding->severity, finding->aspect, finding->message);
    }
  return result;
}

/* The finding about @aspect with @severity whose message contains @text; fails if none. */
static const AkTokenServerFinding *
assert_finding (AkTokenServerResult   *result,
                AkTokenServerAspect    aspect,
                AkTokenServerSeverity  severity,
                const char            *text)
{
  for (guint i = 0; i < ak_token_server_result_get_n_findings (result); i++)
    {
      const AkTokenServerFinding *finding = ak_token_server_result_get_finding (result, i);

      if (finding->aspect == aspect && finding->severity == severity
          && strstr (finding->message, text) != NULL)
        return finding;
    }
  g_error ("No finding (aspect %d, severity %d) says “%s”", aspect, severity, text);
  return NULL;
}

static guint
count_severity (AkTokenServerResult   *result,
                AkTokenServerSeverity  severity)
{
  guint n = 0;

  for (guint i = 0; i < ak_token_server_result_get_n_findings (result); i++)
    if (ak_token_server_result_get_finding (result, i)->severity == severity)
      n++;
  return n;
}

static void
assert_all_ok (AkTokenServerResult *result)
{
  g_assert_cmpuint (count_severity (result, AK_TOKEN_SERVER_WARNING), ==, 0);
  g_assert_cmpuint (count_severity (result, AK_TOKEN_SERVER_ERROR), ==, 0);
  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_OK);
  g_assert_cmpstr (ak_token_server_result_get_summary (result), ==,
                   "The server's token does what was asked and is signed with the stored "
                   "certificate.");
}

/* The token the result holds is the one the server sent, and it was checked. */
static void
assert_token_received (AkTokenServerResult *result)
{
  g_autofree char *sent = last_token ();

  g_assert_cmpuint (ak_token_server_result_get_status (result), ==, 200);
  g_assert_cmpstr (ak_token_server_result_get_token_text (result), ==, sent);
  g_assert_nonnull (ak_token_server_result_get_token (result));
  g_assert_nonnull (ak_token_server_result_get_check (result));
}

static AkTokenServerQuery
rtc_query (const char *channel,
           const char *uid,
           AkTokenServerRole role)
{
  AkTokenServerQuery query = { AK_TOKEN_SERVER_TOKEN_RTC, channel, uid, role, 0 };

  return query;
}

/* ---------------------------------------------------------------------------------------------
 * Tokens as asked
 */

static void
test_request_body (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("", &query, "Demo");
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  JsonObject *body;

  g_mutex_lock (&fake.lock);
  root = json_from_string (fake.last_body, NULL);
  g_assert_null (fake.last_origin);
  g_assert_cmpstr (fake.last_content_type, ==, "application/json");
  g_mutex_unlock (&fake.lock);

  /* agora-token-service's field names and types: uid a string, expire a number. */
  g_assert_nonnull (root);
  body = json_node_get_object (root);
  g_assert_cmpuint (json_object_get_size (body), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (body, "tokenType"), ==, "rtc");
  g_assert_cmpstr (json_object_get_string_member (body, "channel"), ==, "room-7");
  g_assert_cmpstr (json_object_get_string_member (body, "role"), ==, "publisher");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (body, "uid")), ==,
                   G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (body, "uid"), ==, "42");
  g_assert_cmpint (json_object_get_int_member (body, "expire"), ==, 3600);

  url = g_strdup_printf ("http://127.0.0.1:%u/getToken", ak_test_server_get_port (fake.server));
  g_assert_cmpstr (ak_token_server_result_get_url (result), ==, url);
  g_assert_cmpstr (ak_token_server_result_get_request_body (result), ==,
                   "{\"tokenType\":\"rtc\",\"channel\":\"room-7\",\"role\":\"publisher\","
                   "\"uid\":\"42\",\"expire\":3600}");
}

static void
test_rtc_uid (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("", &query, "Demo");

  assert_token_received (result);
  assert_all_ok (result);
  g_assert_cmpstr (ak_credential_get_label (ak_token_server_result_get_project (result)), ==,
                   "Demo");
  g_assert_cmpint (ak_token_check_get_status (ak_token_server_result_get_check (result)), ==,
                   AK_TOKEN_CHECK_VALID);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_SIGNATURE, AK_TOKEN_SERVER_OK,
                  "Signed with the primary certificate of “Demo”.");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_APP_ID, AK_TOKEN_SERVER_OK,
                  "Issued for App ID " TEST_APP_ID " of “Demo”.");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_CHANNEL, AK_TOKEN_SERVER_OK,
                  "For channel “room-7”.");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_OK, "For uid 42.");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_ROLE, AK_TOKEN_SERVER_OK,
                  "publishing audio, video and data streams");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_EXPIRY, AK_TOKEN_SERVER_OK,
                  "It lasts 3600 s (1 h), as asked.");
}

static void
test_rtc_uid_zero (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "0", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("", &query, NULL);

  assert_token_received (result);
  assert_all_ok (result);
  /* Found by App ID when no project is named. */
  g_assert_cmpstr (ak_credential_get_label (ak_token_server_result_get_project (result)), ==,
                   "Demo");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_OK,
                  "For any user (uid 0).");
}

static void
test_rtc_account (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "alice", AK_TOKEN_SERVER_ROLE_SUBSCRIBER);
  g_autoptr(AkTokenServerResult) result = NULL;

  query.expire = 600;
  result = check ("", &query, "Demo");
  assert_token_received (result);
  assert_all_ok (result);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_OK,
                  "For user account “alice”.");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_ROLE, AK_TOKEN_SERVER_OK, "joining only");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_EXPIRY, AK_TOKEN_SERVER_OK,
                  "It lasts 600 s (10 min), as asked.");
}

static void
test_secondary_certificate (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("secondary", &query, "Demo");

  assert_all_ok (result);
  g_assert_cmpint (ak_token_check_get_certificate (ak_token_server_result_get_check (result)),
                   ==, AK_CERTIFICATE_SECONDARY);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_SIGNATURE, AK_TOKEN_SERVER_OK,
                  "Signed with the secondary certificate of “Demo”.");
}

static void
test_rtm (void)
{
  AkTokenServerQuery query = { AK_TOKEN_SERVER_TOKEN_RTM, NULL, "bob",
                               AK_TOKEN_SERVER_ROLE_PUBLISHER, 0 };
  g_autoptr(AkTokenServerResult) result = check ("", &query, "Demo");

  assert_token_received (result);
  assert_all_ok (result);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_SERVICE, AK_TOKEN_SERVER_OK,
                  "A token for RTM, as asked.");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_OK,
                  "For RTM user “bob”.");
}

static void
test_rtm_stream_channel (void)
{
  AkTokenServerQuery query = { AK_TOKEN_SERVER_TOKEN_RTM, "stream-1", "bob",
                               AK_TOKEN_SERVER_ROLE_PUBLISHER, 0 };
  g_autoptr(AkTokenServerResult) result = check ("", &query, "Demo");
  g_autoptr(AkTokenServerResult) wrong = NULL;

  assert_all_ok (result);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_CHANNEL, AK_TOKEN_SERVER_OK,
                  "It also grants joining stream channel “stream-1”.");

  wrong = check ("wrong-channel", &query, "Demo");
  g_assert_cmpint (ak_token_server_result_get_verdict (wrong), ==, AK_TOKEN_SERVER_ERROR);
  assert_finding (wrong, AK_TOKEN_SERVER_ASPECT_CHANNEL, AK_TOKEN_SERVER_ERROR,
                  "The token's stream channel is “lobby”, not “stream-1”.");
}

static void
test_chat_app (void)
{
  AkTokenServerQuery query = { AK_TOKEN_SERVER_TOKEN_CHAT, NULL, "",
                               AK_TOKEN_SERVER_ROLE_PUBLISHER, 7200 };
  g_autoptr(AkTokenServerResult) result = check ("", &query, "Demo");

  assert_token_received (result);
  assert_all_ok (result);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_OK,
                  "A Chat app token, as an empty uid asks.");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_EXPIRY, AK_TOKEN_SERVER_OK, "7200 s (2 h)");
}

static void
test_chat_user (void)
{
  AkTokenServerQuery query = { AK_TOKEN_SERVER_TOKEN_CHAT, NULL, "carol",
                               AK_TOKEN_SERVER_ROLE_PUBLISHER, 0 };
  g_autoptr(AkTokenServerResult) result = check ("", &query, "Demo");

  assert_token_received (result);
  assert_all_ok (result);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_OK,
                  "A Chat user token for “carol”.");
}

/* ---------------------------------------------------------------------------------------------
 * Tokens not as asked
 */

static void
test_other_certificate (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("other-cert", &query, "Demo");

  assert_token_received (result);
  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_ERROR);
  g_assert_cmpint (ak_token_check_get_status (ak_token_server_result_get_check (result)), ==,
                   AK_TOKEN_CHECK_SIGNATURE_MISMATCH);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_SIGNATURE, AK_TOKEN_SERVER_ERROR,
                  "matches neither the primary nor the secondary certificate of “Demo”");
  /* Everything else is as asked: the signature is the one problem. */
  g_assert_cmpuint (count_severity (result, AK_TOKEN_SERVER_ERROR), ==, 1);
  g_assert_cmpstr (ak_token_server_result_get_summary (result), ==,
                   "The server's token does not do what was asked: 1 problem.");
}

static void
test_other_app (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) named = check ("other-app", &query, "Demo");
  g_autoptr(AkTokenServerResult) unnamed = check ("other-app", &query, NULL);

  /* Compared with the project named: the server is set up for another one. */
  g_assert_cmpint (ak_token_server_result_get_verdict (named), ==, AK_TOKEN_SERVER_ERROR);
  assert_finding (named, AK_TOKEN_SERVER_ASPECT_APP_ID, AK_TOKEN_SERVER_ERROR,
                  "The token is for App ID " OTHER_TEST_APP_ID ", not " TEST_APP_ID " of “Demo”");

  /* With no project named and none stored for that App ID, nothing could be verified. */
  g_assert_null (ak_token_server_result_get_project (unnamed));
  g_assert_cmpint (ak_token_check_get_status (ak_token_server_result_get_check (unnamed)), ==,
                   AK_TOKEN_CHECK_NO_PROJECT);
  g_assert_cmpint (ak_token_server_result_get_verdict (unnamed), ==, AK_TOKEN_SERVER_WARNING);
  assert_finding (unnamed, AK_TOKEN_SERVER_ASPECT_SIGNATURE, AK_TOKEN_SERVER_WARNING,
                  "No stored project has App ID " OTHER_TEST_APP_ID ", so the signature was not "
                  "checked.");
}

static void
test_wrong_channel (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("wrong-channel", &query, "Demo");

  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_ERROR);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_CHANNEL, AK_TOKEN_SERVER_ERROR,
                  "The token is for channel “lobby”, not “room-7”.");
  /* A correctly signed token for the wrong channel: the signature is still fine. */
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_SIGNATURE, AK_TOKEN_SERVER_OK, "primary");
}

static void
test_wrong_uid (void)
{
  AkTokenServerQuery uid_query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  AkTokenServerQuery account_query = rtc_query ("room-7", "alice",
                                                AK_TOKEN_SERVER_ROLE_PUBLISHER);
  AkTokenServerQuery chat_query = { AK_TOKEN_SERVER_TOKEN_CHAT, NULL, "carol",
                                    AK_TOKEN_SERVER_ROLE_PUBLISHER, 0 };
  g_autoptr(AkTokenServerResult) uid = check ("wrong-uid", &uid_query, "Demo");
  g_autoptr(AkTokenServerResult) account = check ("wrong-uid", &account_query, "Demo");
  g_autoptr(AkTokenServerResult) chat_user = check ("wrong-uid", &chat_query, "Demo");
  g_autoptr(AkTokenServerResult) chat_app = NULL;

  g_assert_cmpint (ak_token_server_result_get_verdict (uid), ==, AK_TOKEN_SERVER_ERROR);
  assert_finding (uid, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_ERROR,
                  "The token is for uid 43, not uid 42.");
  assert_finding (account, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_ERROR,
                  "The token is for user account “alice2”, not user account “alice”.");

  assert_finding (chat_user, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_ERROR,
                  "The token is for Chat user “carol2”, not “carol”.");

  /* An app token asked for (empty uid), a user token given. */
  chat_query.uid = "";
  chat_app = check ("wrong-uid", &chat_query, "Demo");
  assert_finding (chat_app, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_ERROR,
                  "A Chat user token for “someone2”, although an empty uid asks for an app "
                  "token.");
}

static void
test_uid_wraps (void)
{
  /* 2^32 + 42: agora-token-service casts it to uint32. */
  AkTokenServerQuery query = rtc_query ("room-7", "4294967338", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("", &query, "Demo");

  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_WARNING);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_USER, AK_TOKEN_SERVER_WARNING,
                  "The uid 4294967338 is above 4294967295: the server wrapped it to 32 bits, "
                  "as agora-token-service does, so the token is for uid 42.");
}

static void
test_publisher_for_subscriber (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_SUBSCRIBER);
  g_autoptr(AkTokenServerResult) result = check ("always-publisher", &query, "Demo");

  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_WARNING);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_ROLE, AK_TOKEN_SERVER_WARNING,
                  "It grants publishing although subscriber was asked: strict token "
                  "permission is needed for that to matter.");
  g_assert_cmpstr (ak_token_server_result_get_summary (result), ==,
                   "The server's token does what was asked, with 1 warning.");
}

static void
test_longer_expiry (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = NULL;

  query.expire = 50000;
  result = check ("double-expire", &query, "Demo");
  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_WARNING);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_EXPIRY, AK_TOKEN_SERVER_WARNING,
                  "It lasts 100000 s (1 d 3 h), longer than the 50000 s (13 h 53 min) asked");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_EXPIRY, AK_TOKEN_SERVER_WARNING,
                  "more than 24 hours");
  /* The privileges last as long as the token itself: no finding of their own. */
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_PRIVILEGES, AK_TOKEN_SERVER_OK,
                  "Every privilege lasts as long as the token.");
}

static void
test_short_privilege (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("short-join", &query, "Demo");

  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_ERROR);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_PRIVILEGES, AK_TOKEN_SERVER_ERROR,
                  "The privilege “joinChannel” ends after 600 s (10 min), before the token");
  g_assert_cmpuint (count_severity (result, AK_TOKEN_SERVER_ERROR), ==, 1);
}

static void
test_skewed_clock (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("skewed", &query, "Demo");

  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_WARNING);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_CLOCK, AK_TOKEN_SERVER_WARNING,
                  "issued 900 s (15 min) ago");
}

/* ---------------------------------------------------------------------------------------------
 * Answers that are not tokens
 */

static void
assert_no_token (AkTokenServerResult *result)
{
  g_assert_null (ak_token_server_result_get_token_text (result));
  g_assert_null (ak_token_server_result_get_token (result));
  g_assert_null (ak_token_server_result_get_check (result));
  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_ERROR);
  g_assert_cmpstr (ak_token_server_result_get_summary (result), ==,
                   "The server gave no usable token.");
}

static void
test_missing_channel (void)
{
  AkTokenServerQuery query = rtc_query ("", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* The form would refuse it; sent anyway, the server's plain-text 400 is a finding. */
  g_assert_false (ak_token_server_query_validate (&query, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);

  result = check ("", &query, "Demo");
  g_assert_cmpuint (ak_token_server_result_get_status (result), ==, 400);
  assert_no_token (result);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_RESPONSE, AK_TOKEN_SERVER_ERROR,
                  "The server answered 400 Bad Request: “invalid: missing channel name”");
}

static void
test_json_error (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("json-400", &query, "Demo");

  g_assert_cmpuint (ak_token_server_result_get_status (result), ==, 400);
  assert_no_token (result);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_RESPONSE, AK_TOKEN_SERVER_ERROR,
                  "The server answered 400 Bad Request. The server says: Unsupported tokenType");
}

static void
test_not_json (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("not-json", &query, "Demo");

  g_assert_cmpuint (ak_token_server_result_get_status (result), ==, 200);
  assert_no_token (result);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_RESPONSE, AK_TOKEN_SERVER_ERROR,
                  "The server answered 200 OK, but not with JSON: “<!DOCTYPE html> <html><body>"
                  "Welcome to nginx!</body></html>”");
}

static void
test_legacy_shape (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("legacy", &query, "Demo");

  assert_no_token (result);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_RESPONSE, AK_TOKEN_SERVER_ERROR,
                  "The answer has “rtcToken” but no “token”");
}

static void
test_malformed_token (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("malformed", &query, "Demo");

  g_assert_nonnull (ak_token_server_result_get_token_text (result));
  g_assert_null (ak_token_server_result_get_token (result));
  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_ERROR);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_TOKEN, AK_TOKEN_SERVER_ERROR,
                  "The server's token is malformed: ");
}

static void
test_bare_token (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = check ("bare", &query, "Demo");
  g_autofree char *sent = last_token ();

  /* Not the protocol, but the token is still read and checked; its text is never quoted. */
  g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, AK_TOKEN_SERVER_ERROR);
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_RESPONSE, AK_TOKEN_SERVER_ERROR,
                  "The server sent a bare token");
  assert_finding (result, AK_TOKEN_SERVER_ASPECT_SIGNATURE, AK_TOKEN_SERVER_OK, "primary");
  g_assert_cmpstr (ak_token_server_result_get_token_text (result), ==, sent);
  for (guint i = 0; i < ak_token_server_result_get_n_findings (result); i++)
    g_assert_null (strstr (ak_token_server_result_get_finding (result, i)->message, sent));
}

static void
test_origin (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) refused = check ("cors", &query, "Demo");
  g_autoptr(AkTokenServerResult) allowed = NULL;
  g_autofree char *url = base_url ("cors");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (ak_token_server_result_get_status (refused), ==, 403);
  assert_no_token (refused);
  assert_finding (refused, AK_TOKEN_SERVER_ASPECT_RESPONSE, AK_TOKEN_SERVER_ERROR,
                  "The server says: Origin not allowed");
  assert_finding (refused, AK_TOKEN_SERVER_ASPECT_RESPONSE, AK_TOKEN_SERVER_ERROR,
                  "enter one of those in its CORS_ALLOW_ORIGIN setting as the Origin");

  allowed = check_full (url, ALLOWED_ORIGIN, &query, "Demo", NULL, &error);
  g_assert_no_error (error);
  assert_all_ok (allowed);
  g_mutex_lock (&fake.lock);
  g_assert_cmpstr (fake.last_origin, ==, ALLOWED_ORIGIN);
  g_mutex_unlock (&fake.lock);
}

/* ---------------------------------------------------------------------------------------------
 * Failures before or instead of an answer
 */

static void
test_unknown_project (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autofree char *url = base_url ("");
  g_autoptr(AkTokenServerResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint before = requests_so_far ();

  result = check_full (url, NULL, &query, "No such project", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, AK_ERROR, AK_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No stored project is named “No such project”.");
  g_assert_cmpuint (requests_so_far (), ==, before);
}

static void
test_urls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *with_route = NULL;
  g_autofree char *with_prefix = NULL;
  g_autofree char *host_only = NULL;
  g_autofree char *refused = NULL;

  plain = ak_token_server_build_url ("https://tokens.example.com/", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain, ==, "https://tokens.example.com/getToken");
  with_route = ak_token_server_build_url ("https://tokens.example.com/getToken", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (with_route, ==, "https://tokens.example.com/getToken");
  with_prefix = ak_token_server_build_url ("https://example.com/api/", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (with_prefix, ==, "https://example.com/api/getToken");
  host_only = ak_token_server_build_url ("https://getToken", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (host_only, ==, "https://getToken/getToken");

  /* A token server is reached over HTTPS unless it runs on this computer. */
  refused = ak_token_server_build_url ("http://tokens.example.com", &error);
  g_assert_null (refused);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
}

static void
test_refuses_plain_http (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(AkTokenServerResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = check_full ("http://tokens.example.com", NULL, &query, "Demo", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
}

static void
test_connection_refused (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(AkTokenServerResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago and that nothing listens on. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, &error);
  g_assert_no_error (error);

  result = check_full (url, NULL, &query, "Demo", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_test_message ("%s", error->message);
}

static void
test_cancelled (void)
{
  AkTokenServerQuery query = rtc_query ("room-7", "42", AK_TOKEN_SERVER_ROLE_PUBLISHER);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *url = base_url ("");
  g_autoptr(AkTokenServerResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  result = check_full (url, NULL, &query, "Demo", cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_query_helpers (void)
{
  AkTokenServerQuery rtm = { AK_TOKEN_SERVER_TOKEN_RTM, NULL, NULL,
                             AK_TOKEN_SERVER_ROLE_SUBSCRIBER, 0 };
  AkTokenServerQuery chat = { AK_TOKEN_SERVER_TOKEN_CHAT, NULL, NULL,
                              AK_TOKEN_SERVER_ROLE_SUBSCRIBER, 0 };
  AkTokenServerTokenType type;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (ak_token_server_query_validate (&rtm, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (ak_token_server_query_validate (&chat, &error));
  g_assert_no_error (error);

  json = ak_token_server_query_to_json (&chat);
  g_assert_cmpstr (json, ==, "{\"tokenType\":\"chat\",\"channel\":\"\",\"role\":\"subscriber\","
                             "\"uid\":\"\",\"expire\":3600}");

  g_assert_true (ak_token_server_token_type_from_name ("RTM", &type));
  g_assert_cmpint (type, ==, AK_TOKEN_SERVER_TOKEN_RTM);
  g_assert_false (ak_token_server_token_type_from_name ("rte", &type));
  g_assert_cmpstr (ak_token_server_token_type_to_name (AK_TOKEN_SERVER_TOKEN_CHAT), ==, "chat");
}

/* ---------------------------------------------------------------------------------------------
 * Setup
 */

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = NULL;
  int status;

  /* Nothing may leave loopback (no proxy from the environment or from settings), and nothing
   * touches the session's keyring. */
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTPS_PROXY");
  keyring_dir = ak_test_setenv_isolated ();

  g_test_init (&argc, &argv, NULL);

  store = ak_test_store_new_with_project ("Demo", TEST_APP_ID, CERT, CERT_2);
  client = ak_rest_client_new (store);
  fake_service_start ();

  g_test_add_func ("/ak/token-server-check/request-body", test_request_body);
  g_test_add_func ("/ak/token-server-check/rtc-uid", test_rtc_uid);
  g_test_add_func ("/ak/token-server-check/rtc-uid-zero", test_rtc_uid_zero);
  g_test_add_func ("/ak/token-server-check/rtc-account", test_rtc_account);
  g_test_add_func ("/ak/token-server-check/secondary-certificate", test_secondary_certificate);
  g_test_add_func ("/ak/token-server-check/rtm", test_rtm);
  g_test_add_func ("/ak/token-server-check/rtm-stream-channel", test_rtm_stream_channel);
  g_test_add_func ("/ak/token-server-check/chat-app", test_chat_app);
  g_test_add_func ("/ak/token-server-check/chat-user", test_chat_user);
  g_test_add_func ("/ak/token-server-check/other-certificate", test_other_certificate);
  g_test_add_func ("/ak/token-server-check/other-app", test_other_app);
  g_test_add_func ("/ak/token-server-check/wrong-channel", test_wrong_channel);
  g_test_add_func ("/ak/token-server-check/wrong-uid", test_wrong_uid);
  g_test_add_func ("/ak/token-server-check/uid-wraps", test_uid_wraps);
  g_test_add_func ("/ak/token-server-check/publisher-for-subscriber",
                   test_publisher_for_subscriber);
  g_test_add_func ("/ak/token-server-check/longer-expiry", test_longer_expiry);
  g_test_add_func ("/ak/token-server-check/short-privilege", test_short_privilege);
  g_test_add_func ("/ak/token-server-check/skewed-clock", test_skewed_clock);
  g_test_add_func ("/ak/token-server-check/missing-channel", test_missing_channel);
  g_test_add_func ("/ak/token-server-check/json-error", test_json_error);
  g_test_add_func ("/ak/token-server-check/not-json", test_not_json);
  g_test_add_func ("/ak/token-server-check/legacy-shape", test_legacy_shape);
  g_test_add_func ("/ak/token-server-check/malformed-token", test_malformed_token);
  g_test_add_func ("/ak/token-server-check/bare-token", test_bare_token);
  g_test_add_func ("/ak/token-server-check/origin", test_origin);
  g_test_add_func ("/ak/token-server-check/unknown-project", test_unknown_project);
  g_test_add_func ("/ak/token-server-check/urls", test_urls);
  g_test_add_func ("/ak/token-server-check/refuses-plain-http", test_refuses_plain_http);
  g_test_add_func ("/ak/token-server-check/connection-refused", test_connection_refused);
  g_test_add_func ("/ak/token-server-check/cancelled", test_cancelled);
  g_test_add_func ("/ak/token-server-check/query-helpers", test_query_helpers);

  status = g_test_run ();

  g_clear_object (&client);
  fake_service_stop ();
  ak_test_remove_tree (keyring_dir);
  g_clear_object (&store);
  return status;
}
