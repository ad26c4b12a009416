/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-token-server.c: what test-token-server and test-token-server-service share */
#include <string.h>

#include "ak-test-token-server.h"

AkCredentialStore *store;
SoupSession *session;


void
start_server (Fixture    *fixture,
              const char *bind)
{
  g_autoptr(GError) error = NULL;

  fixture->server = ak_token_server_new (store);
  ak_token_server_set_project_label (fixture->server, "Demo");
  ak_token_server_set_port (fixture->server, 0);
  if (bind != NULL)
    ak_token_server_set_bind_address (fixture->server, bind);
  ak_test_token_server_log_to (fixture->server, fixture->log);
  g_assert_true (ak_test_token_server_start (fixture->server, &error));
  g_assert_no_error (error);
  g_assert_true (ak_token_server_get_running (fixture->server));
  g_assert_cmpuint (ak_token_server_get_port (fixture->server), >, 0);
  /* Clients always connect over loopback, even when the server listens on 0.0.0.0. */
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u",
                                  ak_token_server_get_port (fixture->server));
}

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->log = g_string_new (NULL);
  fixture->tokens = g_ptr_array_new_with_free_func (g_free);
  start_server (fixture, data);
}

void
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


void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_free);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_object_unref);
}


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

void
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
AkToken *
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

const AkService *
find_service (AkToken *token,
              guint16  type)
{
  for (guint i = 0; i < ak_token_get_n_services (token); i++)
    if (ak_token_get_service (token, i)->type == type)
      return ak_token_get_service (token, i);
  g_error ("The token has no service of type %u", type);
  return NULL;
}

/* @token's service of @type, whose @privilege lasts as long as the token: @expire. */
static const AkService *
service_lasting (AkToken *token,
                 guint16  type,
                 guint16  privilege,
                 guint32  expire)
{
  const AkService *service = find_service (token, type);
  guint32 value = 0;

  g_assert_cmpuint (ak_token_get_expire (token), ==, expire);
  g_assert_true (ak_service_get_privilege (service, privilege, &value));
  g_assert_cmpuint (value, ==, expire);
  return service;
}

void
assert_rtc (AkToken    *token,
            const char *channel,
            const char *uid,
            gboolean    publisher,
            guint32     expire)
{
  const AkService *rtc = service_lasting (token, AK_SERVICE_RTC, AK_PRIV_RTC_JOIN_CHANNEL,
                                          expire);

  g_assert_cmpstr (rtc->channel_name, ==, channel);
  g_assert_cmpstr (rtc->uid, ==, uid);
  g_assert_cmpint (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_AUDIO, NULL), ==,
                   publisher);
  g_assert_cmpint (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_VIDEO, NULL), ==,
                   publisher);
  g_assert_cmpint (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_DATA, NULL), ==,
                   publisher);
}

void
assert_user (AkToken    *token,
             guint16     type,
             const char *user_id,
             guint16     privilege,
             guint32     expire)
{
  const AkService *service = service_lasting (token, type, privilege, expire);

  g_assert_cmpstr (service->user_id, ==, user_id);
}

void
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



/* Asks @ask of the server and checks the answer; returns the token, if any. */
AkToken *
ask_token (Fixture   *fixture,
           Reply     *reply,
           const Ask *ask)
{
  g_autoptr(AkToken) token = NULL;

  g_test_message ("%s %s %s", ask->method, ask->path, ask->body != NULL ? ask->body : "");
  http (fixture, reply, ask->method, ask->path, ask->body, NULL, NULL);
  if (ask->refused != 0)
    {
      assert_refused (reply, ask->refused, ask->mention);
      return NULL;
    }
  token = take_token (fixture, reply, ask->key);
  if (ask->channel != NULL)
    assert_rtc (token, ask->channel, ask->uid, ask->publisher, ask->expire);
  else
    assert_user (token, ask->service, ask->uid, ask->privilege, ask->expire);
  if (ask->n_services != 0)
    g_assert_cmpuint (ak_token_get_n_services (token), ==, ask->n_services);
  if (ask->rtm_user != NULL)
    {
      g_autoptr(AkToken) rtm = take_token (fixture, reply, "rtmToken");

      assert_user (rtm, AK_SERVICE_RTM, ask->rtm_user, AK_PRIV_RTM_LOGIN, ask->expire);
      if (ask->rtm_channel != NULL)
        g_assert_cmpstr (find_service (rtm, AK_SERVICE_RTC)->channel_name, ==,
                         ask->rtm_channel);
      if (ask->rtm_channel_uid != NULL)
        g_assert_cmpstr (find_service (rtm, AK_SERVICE_RTC)->uid, ==, ask->rtm_channel_uid);
    }
  return g_steal_pointer (&token);
}

/* Asks each of @n_asks in turn. */
void
ask_all (Fixture   *fixture,
         const Ask *asks,
         gsize      n_asks)
{
  g_auto(Reply) r = { 0 };

  for (gsize i = 0; i < n_asks; i++)
    {
      g_autoptr(AkToken) token = ask_token (fixture, &r, &asks[i]);
    }
}

int
token_server_test_main (int               argc,
                        char            **argv,
                        const ServerTest *tests,
                        gsize             n_tests)
{
  int status;

  store = ak_test_init_with_demo (&argc, &argv, APP_ID, CERT, CERT_2);
  session = ak_test_session_new ();
  for (gsize i = 0; i < n_tests; i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/token-server/%s", tests[i].name);

      if (tests[i].plain != NULL)
        g_test_add_func (path, tests[i].plain);
      else
        g_test_add (path, Fixture, tests[i].bind, fixture_set_up, tests[i].func,
                    fixture_tear_down);
    }

  status = g_test_run ();
  g_clear_object (&session);
  return ak_test_finish_with_demo (&store, status);
}
