/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "ak-test-token-server.h"

/*
 * The local token server as a drop-in for agora-token-service, asked through a real HTTP
 * client on loopback (ak-test-token-server.h). Its own routes and refusals, the API key and
 * CORS are test-token-server's.
 */

/* ---------------------------------------------------------------------------------------------
 * Drop-in for agora-token-service (AgoraIO-Community/agora-token-service at b1fa0fcb): what its
 * own endpoint tests expect, then each behaviour a client of it relies on.
 */

typedef struct
{
  const char *method, *path, *body;
  guint status;
  /* Where a 200 answer holds its token(s). */
  const char *key, *key_2;
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
static const Ask service_default_asks[] = {
  { GET ("/rtc/fsda/publisher/uid//?expiry=600"), RTC ("rtcToken", "fsda", "", TRUE, 600) },
  /* The same token as uid 0 spelt out. */
  { GET ("/rtc/fsda/subscriber/uid/0?expiry=600"), RTC ("rtcToken", "fsda", "", FALSE, 600) },
  /* "userAccount" with 0 is the account named "0", as in the service. */
  { GET ("/rtc/fsda/publisher/userAccount/0/"), RTC ("rtcToken", "fsda", "0", TRUE, 3600) },
  /* The service would sign that same account "0" for an empty one: no user joins with it. */
  { GET ("/rtc/fsda/publisher/userAccount//"), REFUSED (400, "account") },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"uid\":\"8\"}"),
    RTC ("token", "c", "8", FALSE, 3600) },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"\",\"uid\":\"8\",\"expire\":60}"),
    RTC ("token", "c", "8", FALSE, 60) },
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":null,\"uid\":\"bo b\"}"),
    RTC ("token", "c", "bo b", FALSE, 3600) },
  { GET ("/rtc/c//uid/9/"), RTC ("rtcToken", "c", "9", FALSE, 3600) },
  /* Unlike the uid, the body's uid stays required for RTC, as in the service. */
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"\"}"),
    REFUSED (400, "uid") },
  /* /rte/: an empty RTC uid too; and with an RTM uid in the path, even "0". */
  { GET ("/rte/c/publisher/uid//bob/"), RTC ("rtcToken", "c", "", TRUE, 3600),
    .rtm_user = "bob" },
  /* The RTM token's stream channel, for the RTM user. */
  { GET ("/rte/c/subscriber/uid/5/0/?expiry=900"), RTC ("rtcToken", "c", "5", FALSE, 900),
    .rtm_user = "0", .rtm_channel = "c", .rtm_channel_uid = "0" },
  /* Without an RTM uid the account serves for both. */
  { GET ("/rte/c/publisher/userAccount/alice"), RTC ("rtcToken", "c", "alice", TRUE, 3600),
    .rtm_user = "alice" },
  /* Uid 0 or empty, and no RTM uid: nobody to log in to RTM. */
  { GET ("/rte/c/publisher/uid///"), REFUSED (400, "RTM user ID") },
  { GET ("/rte/c/publisher/userAccount/0/"), REFUSED (400, "RTM user ID") },
  { GET ("/rte/c/publisher/uid/5//"), REFUSED (400, "RTM user ID") },
  /* The service would sign these for an empty channel name. */
  { GET ("/rtc//publisher/uid/1/"), REFUSED (400, "channel") },
  { GET ("/rte//publisher/uid/1/"), REFUSED (400, "channel") },
};

static void
test_service_defaults (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Reply) r = { 0 };

  ask_all (fixture, service_default_asks, G_N_ELEMENTS (service_default_asks));
  g_assert_nonnull (strstr (fixture->log->str, "GET /rtc/fsda/publisher/uid// → 200"));

  /* An empty chat ID must not turn into an app token, which has every privilege. */
  http (fixture, &r, "GET", "/chat/account//", NULL, NULL, NULL);
  assert_refused (&r, 400, "user ID");
  g_assert_null (json_object_get_member (r.json, "chatToken"));
}

/* Go's decoder matches member names in any case, and numbers for strings are a convenience. */
static const Ask service_member_asks[] = {
  { POST ("{\"TokenType\":\"rtc\",\"Channel\":\"c\",\"ROLE\":\"publisher\",\"UID\":\"42\","
          "\"Expire\":600}"), RTC ("token", "c", "42", TRUE, 600) },
  { POST ("{\"tokentype\":\"rtm\",\"Uid\":7,\"EXPIRE\":60}"), RTM ("token", "7", 60) },
  /* uid 42 and "42" are the same uid. */
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":42}"),
    RTC ("token", "c", "42", TRUE, 3600) },
  /* The service signs RTM for user "0" from a body (unlike GET /rtm/0/). */
  { POST ("{\"tokenType\":\"rtm\",\"uid\":\"0\"}"), RTM ("token", "0", 3600) },
  /* Which of two spellings would count depends on their order: refused. */
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
          "\"UID\":\"2\"}"), REFUSED (400, "twice") },
  { POST ("{\"tokenType\":\"rtc\",\"TOKENTYPE\":\"chat\"}"), REFUSED (400, "tokenType") },
  /* The service would ignore "expiry" in a body and sign for 3600 s. */
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"1\","
          "\"expiry\":600}"), REFUSED (400, "expire") },
  { POST ("{\"tokenType\":\"chat\",\"Expiry\":600}"), REFUSED (400, "expire") },
  /* The service signs "-1" as an account, but a Java client means uid 4294967295 by it. */
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"-1\"}"),
    REFUSED (400, "userAccount") },
  { GET ("/rtc/c/publisher/userAccount/-1/"), RTC ("rtcToken", "c", "-1", TRUE, 3600) },
  /* Other strings that are not digits alone stay accounts, as there. */
  { POST ("{\"tokenType\":\"rtc\",\"channel\":\"c\",\"role\":\"publisher\",\"uid\":\"+7\"}"),
    RTC ("token", "c", "+7", TRUE, 3600) },
};

static void
test_service_members (Fixture       *fixture,
                      gconstpointer  data)
{
  ask_all (fixture, service_member_asks, G_N_ELEMENTS (service_member_asks));
}

/* "?expiry=" on the GET routes: 0 is the default, as "expire": 0 in a body. */
static const Ask service_expiry_asks[] = {
  { GET ("/rtc/c/publisher/uid/1/?expiry=0"), RTC ("rtcToken", "c", "1", TRUE, 3600) },
  { GET ("/chat/account/u/?expiry=86400&cachebust=1"), CHAT_USER ("u", 86400) },
  { GET ("/rtm/u/?expiry="), REFUSED (400, "expiry") },
  /* The service ignores these spellings and signs for 3600 s. */
  { GET ("/rtm/u/?expire=600"), REFUSED (400, "?expiry=") },
  { GET ("/rte/c/publisher/uid/1/?Expiry=600"), REFUSED (400, "?expiry=") },
  { GET ("/chat/app/?expiry=-1"), REFUSED (400, "expiry") },
  /* The service would wrap this to 1 second. */
  { GET ("/chat/app/?expiry=4294967297"), REFUSED (400, "86400") },
};

static void
test_service_expiry (Fixture       *fixture,
                     gconstpointer  data)
{
  ask_all (fixture, service_expiry_asks, G_N_ELEMENTS (service_expiry_asks));
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

static const ServerTest tests[] = {
  { "service-table", NULL, test_service_table },
  { "service-defaults", NULL, test_service_defaults },
  { "service-members", NULL, test_service_members },
  { "service-expiry", NULL, test_service_expiry },
  { "service-cors", NULL, test_service_cors },
};

int
main (int   argc,
      char *argv[])
{
  return token_server_test_main (argc, argv, tests, G_N_ELEMENTS (tests));
}
