/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-token-service.c: a fake agora-token-service for test-token-server-check */
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-test-token-service.h"

/* ---------------------------------------------------------------------------------------------
 * The fake agora-token-service
 */

FakeService fake;

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

void
fake_service_start (void)
{
  fake.server = ak_test_server_new (handle_request, NULL);
}

void
fake_service_stop (void)
{
  g_clear_pointer (&fake.server, ak_test_server_free);
  g_free (fake.last_body);
  g_free (fake.last_origin);
  g_free (fake.last_content_type);
  g_free (fake.last_token);
}

guint
requests_so_far (void)
{
  return ak_test_locked_count (&fake.lock, &fake.requests);
}

char *
last_token (void)
{
  char *token;

  g_mutex_lock (&fake.lock);
  token = g_strdup (fake.last_token);
  g_mutex_unlock (&fake.lock);
  return token;
}

char *
base_url (const char *mode)
{
  if (mode == NULL || *mode == '\0')
    return ak_test_server_get_url (fake.server);
  return g_strdup_printf ("http://127.0.0.1:%u/%s", ak_test_server_get_port (fake.server), mode);
}

