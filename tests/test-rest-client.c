/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-rest-catalogue.h"
#include "ak-test-rest-fake.h"

/*
 * The REST client against a fake Agora (ak-test-rest-fake.h): every auth scheme, the Chat
 * token exchange, Conversational AI's agents, headers, and each product's error shapes. What
 * happens on the wire (failures, redirects, proxies, big bodies) is test-rest-client-transport's.
 */

/* ---------------------------------------------------------------------------------------------
 * Auth schemes
 */

typedef struct
{
  const char *name;
  /* The path asked for; or, when peer is set, that user's peer_messages path. */
  const char *path, *peer;
  /* Asked of the Chat host over https, through the client that trusts its certificate. */
  gboolean chat_host;
  const char *method;
  AkAuthScheme scheme;
  const char *label, *user_id;
  gboolean secondary;
  const char *token, *body;
  /* What comes back: the status, the summary (NULL: none) or a part of it, and what the fake
   * read from the request ("scheme", "certificate", "bearer" in its answer; NULL: not asked). */
  guint status;
  const char *summary, *summary_part;
  const char *seen_scheme, *seen_certificate, *seen_bearer;
  /* Also check the whole answer as sent: reason, body, type and duration. */
  gboolean check_plain;
} AuthCase;

static const AuthCase auth_cases[] = {
  { .name = "basic", .path = "/basic", .method = "GET", .scheme = AK_AUTH_BASIC,
    .label = "Main account", .status = 200, .check_plain = TRUE },
  { .name = "basic-wrong-secret", .path = "/basic", .method = "GET", .scheme = AK_AUTH_BASIC,
    .label = "Wrong secret", .status = 401,
    .summary_part = "Invalid authentication credentials" },
  { .name = "no-auth", .path = "/basic", .method = "GET", .scheme = AK_AUTH_NONE,
    .status = 401, .summary = "The server says: Unauthorized" },
  { .name = "agora-token", .peer = "alice", .method = "POST", .scheme = AK_AUTH_AGORA_TOKEN,
    .label = "Demo", .user_id = "alice",
    .body = "{\"destination\":\"bob\",\"payload\":\"Hello\"}", .status = 200,
    .seen_scheme = "agora-token", .seen_certificate = "primary" },
  { .name = "agora-token-secondary", .peer = "alice", .method = "POST",
    .scheme = AK_AUTH_AGORA_TOKEN, .label = "Demo", .user_id = "alice", .secondary = TRUE,
    .body = "{}", .status = 200, .seen_certificate = "secondary" },
  /* A token for alice cannot send as bob: the fake checks the user like Agora does. */
  { .name = "agora-token-other-user", .peer = "bob", .method = "POST",
    .scheme = AK_AUTH_AGORA_TOKEN, .label = "Demo", .user_id = "alice", .body = "{}",
    .status = 401, .summary = "The server says: invalid token" },
  { .name = "x-agora", .peer = "carol", .method = "POST", .scheme = AK_AUTH_X_AGORA,
    .label = "Demo", .user_id = "carol", .body = "{}", .status = 200,
    .seen_scheme = "x-agora", .seen_certificate = "primary" },
  { .name = "bearer-minted", .path = "/" CHAT_ORG "/" CHAT_APP "/users", .chat_host = TRUE,
    .method = "GET", .scheme = AK_AUTH_BEARER, .label = "Demo", .status = 200,
    .seen_bearer = "app-token" },
  /* Not a token the fake issued: Chat's error shape comes back, summarized. */
  { .name = "bearer-pasted", .path = "/" CHAT_ORG "/" CHAT_APP "/users", .chat_host = TRUE,
    .method = "GET", .scheme = AK_AUTH_BEARER, .token = "YWMt-pasted-by-hand", .status = 401,
    .summary = "Unable to authenticate due to corrupt access token (auth_bad_access_token)." },
};

/* Sends @auth_case's request through @with_client (NULL: the one its host needs) and checks
 * the answer; returns it. */
static AkRestResponse *
send_auth_case (const AuthCase *auth_case,
                AkRestClient   *with_client)
{
  g_autofree char *peer_path = auth_case->peer != NULL ? peer_message_path (auth_case->peer)
                                                       : NULL;
  const char *path = peer_path != NULL ? peer_path : auth_case->path;
  g_autofree char *url = auth_case->chat_host ? https_url_for (path) : url_for (path);
  g_autoptr(AkRestRequest) request = request_with_auth (auth_case->method, url,
                                                        auth_case->scheme, auth_case->label);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  request->auth.user_id = g_strdup (auth_case->user_id);
  request->auth.secondary = auth_case->secondary;
  request->auth.token = g_strdup (auth_case->token);
  request->body = g_strdup (auth_case->body);
  if (with_client == NULL)
    with_client = auth_case->chat_host ? trusting_client : client;
  response = send_with (with_client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, auth_case->status);
  g_assert_cmpint (response->success, ==, auth_case->status == 200);
  if (auth_case->summary_part != NULL)
    g_assert_nonnull (strstr (response->error_summary, auth_case->summary_part));
  else
    g_assert_cmpstr (response->error_summary, ==, auth_case->summary);
  if (auth_case->status != 200)
    return g_steal_pointer (&response);

  body = body_object (response);
  if (auth_case->seen_scheme != NULL)
    g_assert_cmpstr (json_object_get_string_member (body, "scheme"), ==, auth_case->seen_scheme);
  if (auth_case->seen_certificate != NULL)
    g_assert_cmpstr (json_object_get_string_member (body, "certificate"), ==,
                     auth_case->seen_certificate);
  if (auth_case->seen_bearer != NULL)
    g_assert_cmpstr (json_object_get_string_member (body, "bearer"), ==, auth_case->seen_bearer);
  return g_steal_pointer (&response);
}

static void
test_auth (gconstpointer data)
{
  g_autoptr(AkRestResponse) response = send_auth_case (data, NULL);

  if (((const AuthCase *) data)->check_plain)
    {
      g_assert_cmpstr (response->reason, ==, "OK");
      g_assert_cmpmem (g_bytes_get_data (response->body, NULL),
                       g_bytes_get_size (response->body), "{\"ok\":true}", 11);
      g_assert_cmpstr (response->content_type, ==, "application/json");
      g_assert_cmpint (response->duration_ms, >=, 0);
      g_assert_cmpint (response->duration_ms, <, 10000);
    }
}

static guint
exchanges_so_far (void)
{
  return ak_test_locked_count (&fake.lock, &fake.exchanges);
}

static void
set_exchange_lifetime (gint64 ms)
{
  g_mutex_lock (&fake.lock);
  fake.exchange_lifetime_ms = ms;
  g_mutex_unlock (&fake.lock);
}

static const AuthCase chat_users_case = {
  .name = "chat-users", .path = "/" CHAT_ORG "/" CHAT_APP "/users", .chat_host = TRUE,
  .method = "GET", .scheme = AK_AUTH_CHAT_EXCHANGE, .label = "Demo", .status = 200,
  .seen_bearer = "exchanged",
};

static void
send_chat_users (AkRestClient *with_client)
{
  g_autoptr(AkRestResponse) response = send_auth_case (&chat_users_case, with_client);
}

static void
test_chat_exchange_cached (void)
{
  guint before = exchanges_so_far ();

  set_exchange_lifetime (3600 * 1000);
  send_chat_users (trusting_client);
  g_assert_cmpuint (exchanges_so_far (), ==, before + 1);
  /* The exchanged token is kept until shortly before it expires. */
  send_chat_users (trusting_client);
  send_chat_users (trusting_client);
  g_assert_cmpuint (exchanges_so_far (), ==, before + 1);
}

static void
test_chat_exchange_near_expiry (void)
{
  g_autoptr(AkRestClient) fresh = ak_rest_client_new (store);
  guint before;

  /* A client of its own starts with an empty cache. A token that expires within the safety
   * margin is not reused. */
  ak_rest_client_set_tls_database (fresh, trust_database);
  set_exchange_lifetime (20 * 1000);
  before = exchanges_so_far ();
  send_chat_users (fresh);
  send_chat_users (fresh);
  g_assert_cmpuint (exchanges_so_far (), ==, before + 2);
  set_exchange_lifetime (3600 * 1000);
}

static void
test_chat_exchange_missing_settings (void)
{
  g_autofree char *url = https_url_for ("/" CHAT_ORG "/" CHAT_APP "/users");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, AK_AUTH_CHAT_EXCHANGE,
                                                        "No chat");

  assert_send_fails (trusting_client, request, AK_ERROR_INVALID_INPUT, "Chat organization name");
}

/* An exchange that answers a megabyte is cut off at a few KiB, and fails. */
static void
test_chat_exchange_huge_answer (void)
{
  g_autofree char *url = https_url_for ("/" CHAT_ORG "/huge/users");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, AK_AUTH_CHAT_EXCHANGE,
                                                        "Huge chat");

  assert_send_fails (trusting_client, request, AK_ERROR_HTTP, "64 KiB");
}

/* ---------------------------------------------------------------------------------------------
 * Conversational AI
 */

#define CONVOAI_BASE "/api/conversational-ai-agent/v2/projects/" TEST_APP_ID

static AkRestRequest *
convoai_request (const char   *endpoint_id,
                 const char   *path,
                 AkAuthScheme  scheme,
                 const char   *label,
                 const char   *body)
{
  g_autofree char *url = url_for (path);
  AkRestRequest *request = request_with_auth ("POST", url, scheme, label);

  request->endpoint_id = g_strdup (endpoint_id);
  request->body = g_strdup (body);
  return request;
}

static guint
convoai_count (guint *counter)
{
  return ak_test_locked_count (&fake.convoai.lock, counter);
}

typedef struct
{
  const char *name;
  /* The auth scheme, and the credential. */
  AkAuthScheme scheme;
  const char *label;
  /* The agent's uid as the body gives it (JSON), whether as a string, and as the token has it. */
  const char *uid_json;
  gboolean string_uid;
  const char *expected_uid;
} ConvoaiCase;

static const ConvoaiCase convoai_cases[] = {
  { "agora-token-numeric", AK_AUTH_AGORA_TOKEN, "Demo", "\"1001\"", FALSE, "1001" },
  { "agora-token-number", AK_AUTH_AGORA_TOKEN, "Demo", "4294967295", FALSE, "4294967295" },
  { "agora-token-zero", AK_AUTH_AGORA_TOKEN, "Demo", "0", FALSE, "" },
  { "agora-token-string", AK_AUTH_AGORA_TOKEN, "Demo", "\"0\"", TRUE, "0" },
  { "basic", AK_AUTH_BASIC, "Main account", "\"77\"", FALSE, "77" },
};

/* Start and stop an agent: the stand-in verifies the header's token and the one filled into
 * properties.token against the certificate, the body's channel and the agent's uid. */
static void
test_convoai_agent (gconstpointer data)
{
  const ConvoaiCase *c = data;
  g_autofree char *body = g_strdup_printf ("{\"name\":\"a\",\"properties\":{\"channel\":"
                                           "\"room-%s\",\"token\":\"%s\","
                                           "\"agent_rtc_uid\":%s,\"enable_string_uid\":%s}}",
                                           c->name, AK_REST_CONVOAI_TOKEN_PLACEHOLDER,
                                           c->uid_json, c->string_uid ? "true" : "false");
  g_autofree char *channel = g_strdup_printf ("room-%s", c->name);
  g_autoptr(AkRestRequest) join = convoai_request ("convoai.join", CONVOAI_BASE "/join",
                                                   c->scheme, c->label, body);
  g_autoptr(AkRestRequest) leave = NULL;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint started = convoai_count (&fake.convoai.n_started);
  guint stopped = convoai_count (&fake.convoai.n_stopped);

  response = send (join, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (convoai_count (&fake.convoai.n_started), ==, started + 1);
  g_mutex_lock (&fake.convoai.lock);
  g_assert_cmpstr (fake.convoai.channel, ==, channel);
  g_assert_cmpstr (fake.convoai.uid, ==, c->expected_uid);
  g_mutex_unlock (&fake.convoai.lock);
  /* The caller's request still holds the placeholder: what history and cURL see. */
  g_assert_cmpstr (join->body, ==, body);
  g_clear_pointer (&response, ak_rest_response_free);

  leave = convoai_request ("convoai.leave", CONVOAI_BASE "/agents/" AK_TEST_CONVOAI_AGENT_ID
                           "/leave", c->scheme, c->label, NULL);
  leave->auth.channel = g_strdup (channel);
  leave->auth.user_id = g_strdup (c->expected_uid[0] != '\0' ? c->expected_uid : "0");
  if (c->expected_uid[0] == '\0' && c->scheme == AK_AUTH_AGORA_TOKEN)
    {
      /* uid 0 in a body is "any user"; typed as "0" it is the string uid "0". */
      response = send (leave, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (response->status, ==, 401);
      g_clear_pointer (&response, ak_rest_response_free);
      g_free (leave->auth.user_id);
      leave->auth.user_id = NULL;
      response = send (leave, &error);
      g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "channel and agent uid"));
      g_assert_null (response);
      return;
    }
  response = send (leave, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (convoai_count (&fake.convoai.n_stopped), ==, stopped + 1);
}

/* What is refused before anything is sent. */
static void
test_convoai_refused (void)
{
  static const struct
  {
    const char *endpoint_id;
    AkAuthScheme scheme;
    const char *body;
    const char *in_message;
  } cases[] = {
    { "convoai.join", AK_AUTH_AGORA_TOKEN,
      "{\"properties\":{\"agent_rtc_uid\":\"1\",\"token\":\"\"}}", "properties.channel" },
    { "convoai.join", AK_AUTH_AGORA_TOKEN,
      "{\"properties\":{\"channel\":\"c\",\"agent_rtc_uid\":\"bot\"}}", "4294967295" },
    { "convoai.join", AK_AUTH_AGORA_TOKEN,
      "{\"properties\":{\"channel\":\"c\",\"agent_rtc_uid\":7,\"enable_string_uid\":true}}",
      "string" },
    { "convoai.join", AK_AUTH_AGORA_TOKEN, "{\"properties\":", "JSON" },
    { "convoai.leave", AK_AUTH_AGORA_TOKEN, NULL, "channel and agent uid" },
    /* The placeholder needs the agent too, whatever the scheme. */
    { "convoai.update", AK_AUTH_BASIC,
      "{\"properties\":{\"token\":\"" AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\"}}",
      "channel and agent uid" },
  };
  guint before = convoai_count (&fake.convoai.n_started) + convoai_count (&fake.convoai.n_refused);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AkRestRequest) request = NULL;
      g_autoptr(AkRestResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      request = convoai_request (cases[i].endpoint_id, CONVOAI_BASE "/join", cases[i].scheme,
                                 cases[i].scheme == AK_AUTH_BASIC ? "Main account" : "Demo",
                                 cases[i].body);
      response = send (request, &error);
      g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
      if (strstr (error->message, cases[i].in_message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].in_message);
      g_assert_null (response);
    }
  g_assert_cmpuint (convoai_count (&fake.convoai.n_started)
                    + convoai_count (&fake.convoai.n_refused), ==, before);
}

/* The placeholder with Basic needs a stored project with the URL's App ID. */
static void
test_convoai_fill_needs_project (void)
{
  g_autoptr(AkRestRequest) request = NULL;
  g_autofree char *url = url_for ("/api/conversational-ai-agent/v2/projects/"
                                  "ffffffffffffffffffffffffffffffff/join");

  request = request_with_auth ("POST", url, AK_AUTH_BASIC, "Main account");
  request->endpoint_id = g_strdup ("convoai.join");
  request->body = g_strdup ("{\"properties\":{\"channel\":\"c\",\"agent_rtc_uid\":\"5\","
                            "\"token\":\"" AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\"}}");
  assert_send_fails (client, request, AK_ERROR_INVALID_INPUT, "ffffffffffffffffffffffffffffffff");
}

/* The token filled into a body goes only where the credentials go: a 307 to another origin
 * gets the body as the user wrote it. */
static void
test_convoai_fill_not_redirected (void)
{
  const char *body = "{\"properties\":{\"channel\":\"c\",\"agent_rtc_uid\":\"5\","
                     "\"token\":\"" AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\"}}";
  g_autoptr(AkRestRequest) request = convoai_request ("convoai.join", "/redirect/other-307",
                                                      AK_AUTH_AGORA_TOKEN, "Demo", body);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(JsonObject) echoed = NULL;
  g_autoptr(GError) error = NULL;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  echoed = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (echoed, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (echoed, "body"), ==, body);
}

/* "Copy as cURL" with secrets gets the agent's token in the header. */
static void
test_convoai_resolve_auth (void)
{
  g_autoptr(AkRestRequest) request = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { 0 };
  const char *line;

  request = convoai_request ("convoai.query", CONVOAI_BASE "/agents/a1", AK_AUTH_AGORA_TOKEN,
                             "Demo", NULL);
  request->auth.channel = g_strdup ("lobby");
  request->auth.user_id = g_strdup ("bot-9");
  ak_rest_client_resolve_auth_async (client, request, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  headers = ak_rest_client_resolve_auth_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 1);
  line = g_ptr_array_index (headers, 0);
  g_assert_true (g_str_has_prefix (line, "Authorization: agora token="));
  g_assert_null (ak_test_convoai_token_problem (&fake.convoai,
                                                line + strlen ("Authorization: agora token="),
                                                "lobby", "bot-9"));
}

/* The project listing is read off the main thread, into the response. */
static void
test_console_projects_read (void)
{
  g_autofree char *url = url_for ("/dev/v1/projects");
  g_autofree char *other_url = url_for ("/basic");
  g_autoptr(AkRestRequest) request = basic_get (url);
  g_autoptr(AkRestRequest) other = basic_get (other_url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(AkRestResponse) copy = NULL;
  g_autoptr(GError) error = NULL;
  AkConsoleProject *first;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response->console_projects);
  g_assert_cmpuint (response->console_projects->len, ==, 2);
  first = g_ptr_array_index (response->console_projects, 0);
  g_assert_cmpstr (first->name, ==, "Demo");
  g_assert_cmpstr (first->app_id, ==, TEST_APP_ID);
  g_assert_cmpstr (first->certificate, ==, CERT);
  copy = ak_rest_response_copy (response);
  g_assert_true (copy->console_projects == response->console_projects);
  g_clear_pointer (&response, ak_rest_response_free);

  response = send (other, &error);
  g_assert_no_error (error);
  g_assert_null (response->console_projects);
}

typedef struct
{
  const char *name;
  /* What the request asks for, and a part of the refusal's message. */
  AkAuthScheme scheme;
  const char *label, *user_id;
  gboolean secondary;
  const char *in_message;
} BadAuthCase;

static const BadAuthCase bad_auth_cases[] = {
  { "basic-no-label", AK_AUTH_BASIC, NULL, NULL, FALSE, "customer credential" },
  { "basic-unknown-label", AK_AUTH_BASIC, "Nobody", NULL, FALSE, "“Nobody”" },
  { "basic-project-label", AK_AUTH_BASIC, "Demo", NULL, FALSE, "“Demo”" },
  { "agora-token-no-project", AK_AUTH_AGORA_TOKEN, NULL, "alice", FALSE, "project" },
  { "agora-token-no-user", AK_AUTH_AGORA_TOKEN, "Demo", NULL, FALSE, "user ID" },
  { "x-agora-no-user", AK_AUTH_X_AGORA, "Demo", "", FALSE, "user ID" },
  { "x-agora-user-line-break", AK_AUTH_X_AGORA, "Demo", "alice\r\nX-Evil: 1", FALSE,
    "line breaks" },
  { "no-secondary", AK_AUTH_AGORA_TOKEN, "No chat", "alice", TRUE, "secondary" },
  { "bearer-nothing", AK_AUTH_BEARER, NULL, NULL, FALSE, "paste" },
};

static void
test_bad_auth (gconstpointer data)
{
  const BadAuthCase *c = data;
  g_autofree char *url = url_for ("/basic");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, c->scheme, c->label);

  request->auth.user_id = g_strdup (c->user_id);
  request->auth.secondary = c->secondary;
  assert_send_fails (client, request, AK_ERROR_INVALID_INPUT, c->in_message);
}

static GPtrArray *
resolve (AkRestRequest  *request,
         GError        **error)
{
  AkTestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  ak_rest_client_resolve_auth_async (client, request, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  return ak_rest_client_resolve_auth_finish (client, result, error);
}

static void
test_resolve_auth (void)
{
  g_autoptr(AkRestRequest) basic = request_with_auth ("GET", "https://api.agora.io/dev/v1/projects",
                                                      AK_AUTH_BASIC, "Main account");
  g_autoptr(AkRestRequest) x_agora = request_with_auth ("GET", "https://api.agora.io/x",
                                                        AK_AUTH_X_AGORA, "Demo");
  g_autoptr(AkRestRequest) none = ak_rest_request_new ("GET", "https://api.agora.io/x");
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *encoded = g_base64_encode ((const guchar *) CUSTOMER_ID ":" CUSTOMER_SECRET,
                                              strlen (CUSTOMER_ID ":" CUSTOMER_SECRET));
  const char *token_line;

  lines = resolve (basic, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 1);
  expected = g_strconcat ("Authorization: Basic ", encoded, NULL);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, expected);
  g_clear_pointer (&lines, g_ptr_array_unref);

  x_agora->auth.user_id = g_strdup ("dave");
  lines = resolve (x_agora, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  token_line = g_ptr_array_index (lines, 0);
  g_assert_true (g_str_has_prefix (token_line, "x-agora-token: 007"));
  g_assert_nonnull (verify_token (token_line + strlen ("x-agora-token: "), AK_SERVICE_RTM,
                                  AK_PRIV_RTM_LOGIN, "dave"));
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "x-agora-uid: dave");
  g_clear_pointer (&lines, g_ptr_array_unref);

  lines = resolve (none, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 0);
}

/* ---------------------------------------------------------------------------------------------
 * Headers, bodies, responses
 */

static void
test_headers (void)
{
  g_autofree char *url = url_for ("/echo");
  g_autoptr(AkRestRequest) post = ak_rest_request_new ("POST", url);
  g_autoptr(AkRestRequest) get = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestRequest) custom_type = ak_rest_request_new ("PUT", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  post->body = g_strdup ("{\"cname\":\"demo\"}");
  ak_rest_request_add_header (post, "X-Custom", "kept");
  response = send (post, &error);
  g_assert_no_error (error);
  body = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (body, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (body, "body"), ==, "{\"cname\":\"demo\"}");
  g_assert_cmpstr (json_object_get_string_member (body, "Content-Type"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (body, "Accept"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (body, "X-Custom"), ==, "kept");
  g_clear_pointer (&response, ak_rest_response_free);
  g_clear_pointer (&body, json_object_unref);

  response = send (get, &error);
  g_assert_no_error (error);
  body = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (body, "method"), ==, "GET");
  g_assert_false (json_object_has_member (body, "Content-Type"));
  g_assert_cmpstr (json_object_get_string_member (body, "Accept"), ==, "application/json");
  g_clear_pointer (&response, ak_rest_response_free);
  g_clear_pointer (&body, json_object_unref);

  custom_type->body = g_strdup ("a=1");
  ak_rest_request_add_header (custom_type, "Content-Type", "application/x-www-form-urlencoded");
  response = send (custom_type, &error);
  g_assert_no_error (error);
  body = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (body, "Content-Type"), ==,
                   "application/x-www-form-urlencoded");
}

static void
test_bad_headers (void)
{
  static const struct
  {
    const char *name;
    const char *value;
    AkAuthScheme scheme;
    const char *in_message;
  } cases[] = {
    { "Bad Name", "x", AK_AUTH_NONE, "not a header" },
    { "X-Split", "a\r\nInjected: yes", AK_AUTH_NONE, "line break" },
    { "Authorization", "Basic Zm9vOmJhcg==", AK_AUTH_BASIC, "authentication scheme" },
    { "x-agora-uid", "someone", AK_AUTH_X_AGORA, "authentication scheme" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = url_for ("/echo");
      g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, cases[i].scheme, "Demo");

      request->auth.user_id = g_strdup ("alice");
      ak_rest_request_add_header (request, cases[i].name, cases[i].value);
      assert_send_fails (client, request, AK_ERROR_INVALID_INPUT, cases[i].in_message);
    }
}

static void
test_refuses_plain_http (void)
{
  g_autoptr(AkRestRequest) request = request_with_auth ("GET",
                                                        "http://api.agora.io/dev/v1/projects",
                                                        AK_AUTH_BASIC, "Main account");

  assert_send_fails (client, request, AK_ERROR_INVALID_INPUT, "https://api.agora.io");
}

static void
test_error_shape (gconstpointer data)
{
  static const struct
  {
    const char *name;
    gboolean success;
    const char *summary;
  } expected[] = {
    { "recording-400", FALSE, "Error 2: invalid parameter" },
    { "recording-201", TRUE, "Error 7: already started" },
    { "recording-206", TRUE, "Error 65: request not completed" },
    { "rate-limit", FALSE, "API rate limit exceeded" },
    { "rtm-failed", TRUE, "The request failed." },
    { "rtm2", FALSE, "Error 403: history is not enabled" },
    { "analytics-quota", TRUE, "qpd limit error" },
    { "chat-404", FALSE, "(organization_application_not_found)" },
    { "not-json", FALSE, NULL },
  };
  guint index = (const ErrorShape *) data - error_shapes;
  g_autofree char *path = g_strdup_printf ("/errors/%s", error_shapes[index].name);
  g_autoptr(AkRestRequest) request = get_request (path);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (expected[index].name, ==, error_shapes[index].name);
  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, error_shapes[index].status);
  g_assert_cmpint (response->success, ==, expected[index].success);
  g_assert_cmpstr (response->request_id, ==, "req-0123456789");
  g_assert_cmpmem (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body),
                   error_shapes[index].body, strlen (error_shapes[index].body));
  if (expected[index].summary == NULL)
    g_assert_null (response->error_summary);
  else
    g_assert_nonnull (strstr (response->error_summary, expected[index].summary));

  /* The headers come in order, as "Name: value". */
  g_assert_true (g_ptr_array_find_with_equal_func (response->headers,
                                                   "X-Request-ID: req-0123456789",
                                                   g_str_equal, NULL));
}

static void
test_masks_certificates (void)
{
  g_autofree char *url = url_for ("/dev/v1/projects");
  g_autoptr(AkRestRequest) request = basic_get (url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 201);
  g_assert_true (response->success);
  raw = g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
  g_assert_nonnull (strstr (raw, CERT));
  g_assert_nonnull (response->masked_body);
  g_assert_null (strstr (response->masked_body, CERT));
  g_assert_nonnull (strstr (response->masked_body, "\"sign_key\":\"••••••••\""));
  /* The project without a certificate keeps its empty value; the App IDs stay. */
  g_assert_nonnull (strstr (response->masked_body, "\"sign_key\":\"\""));
  g_assert_nonnull (strstr (response->masked_body, TEST_APP_ID));
}

int
main (int   argc,
      char *argv[])
{
  char *tmp_dir = fake_agora_init (&argc, &argv);
  int status;

  AK_TEST_ADD_CASES ("/ak/rest-client", auth_cases, test_auth);
  g_test_add_func ("/ak/rest-client/chat-exchange/cached", test_chat_exchange_cached);
  g_test_add_func ("/ak/rest-client/chat-exchange/near-expiry", test_chat_exchange_near_expiry);
  g_test_add_func ("/ak/rest-client/chat-exchange/missing-settings",
                   test_chat_exchange_missing_settings);
  g_test_add_func ("/ak/rest-client/chat-exchange/huge-answer", test_chat_exchange_huge_answer);
  AK_TEST_ADD_CASES ("/ak/rest-client/convoai/agent", convoai_cases, test_convoai_agent);
  g_test_add_func ("/ak/rest-client/convoai/refused", test_convoai_refused);
  g_test_add_func ("/ak/rest-client/convoai/fill-needs-project", test_convoai_fill_needs_project);
  g_test_add_func ("/ak/rest-client/convoai/resolve-auth", test_convoai_resolve_auth);
  g_test_add_func ("/ak/rest-client/convoai/fill-not-redirected",
                   test_convoai_fill_not_redirected);
  g_test_add_func ("/ak/rest-client/console-projects", test_console_projects_read);
  AK_TEST_ADD_CASES ("/ak/rest-client/bad-auth", bad_auth_cases, test_bad_auth);
  g_test_add_func ("/ak/rest-client/resolve-auth", test_resolve_auth);
  g_test_add_func ("/ak/rest-client/headers", test_headers);
  g_test_add_func ("/ak/rest-client/bad-headers", test_bad_headers);
  g_test_add_func ("/ak/rest-client/refuses-plain-http", test_refuses_plain_http);
  AK_TEST_ADD_CASES ("/ak/rest-client/error-shape", error_shapes, test_error_shape);
  g_test_add_func ("/ak/rest-client/masks-certificates", test_masks_certificates);

  status = g_test_run ();
  fake_agora_finish (tmp_dir);
  return status;
}
