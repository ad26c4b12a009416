/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-token-server-check.h"
#include "ak-test-util.h"
#include "ak-test-token-service.h"

/*
 * "Test my token server" against a fake agora-token-service (ak-test-token-service.h): a
 * SoupServer on 127.0.0.1 in its own thread and GMainContext that answers POST /getToken as the
 * real service does (same defaults, same plain-text 400s, same CORS 403), building real tokens
 * with the codec. A path prefix before /getToken makes it misbehave in one way:
 * "/wrong-channel/getToken", ….
 * Nothing leaves loopback: no proxy resolver.
 */

static AkCredentialStore *store;
static AkRestClient *client;

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

/* ---------------------------------------------------------------------------------------------
 * Tokens not as asked
 */

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
 * Checks as a table: what the fake answers in a mode, and what the check must find
 */

typedef struct
{
  AkTokenServerAspect aspect;
  AkTokenServerSeverity severity;
  const char *text;
} Expected;

typedef struct _CheckCase CheckCase;

struct _CheckCase
{
  const char *name;
  /* The fake's mode, the query and the project named (NULL: found by App ID). */
  const char *mode;
  AkTokenServerQuery query;
  const char *project;
  /* The token the server sent was received and checked; or no usable token came. */
  gboolean received, no_token;
  /* No warning nor error; else the verdict (OK: not checked). */
  gboolean all_ok;
  AkTokenServerSeverity verdict;
  /* The HTTP status (0: not checked), the project found (NULL: not checked), how many errors
   * (0: not checked) and the summary (NULL: not checked). */
  guint status;
  const char *found;
  guint n_errors;
  const char *summary;
  /* Findings there must be. */
  Expected findings[6];
  /* What else the case checks. */
  void (*extra) (const CheckCase     *check_case,
                 AkTokenServerResult *result);
};

#define RTC_QUERY(channel, uid, role, expire) \
  { AK_TOKEN_SERVER_TOKEN_RTC, (channel), (uid), AK_TOKEN_SERVER_ROLE_##role, (expire) }
#define ROOM_7_PUBLISHER RTC_QUERY ("room-7", "42", PUBLISHER, 0)
#define OK(aspect, text) { AK_TOKEN_SERVER_ASPECT_##aspect, AK_TOKEN_SERVER_OK, (text) }
#define WARNING(aspect, text) { AK_TOKEN_SERVER_ASPECT_##aspect, AK_TOKEN_SERVER_WARNING, (text) }
#define ERROR(aspect, text) { AK_TOKEN_SERVER_ASPECT_##aspect, AK_TOKEN_SERVER_ERROR, (text) }

static void
rtc_uid_extra (const CheckCase     *check_case,
               AkTokenServerResult *result)
{
  g_assert_cmpint (ak_token_check_get_status (ak_token_server_result_get_check (result)), ==,
                   AK_TOKEN_CHECK_VALID);
}

static void
secondary_extra (const CheckCase     *check_case,
                 AkTokenServerResult *result)
{
  g_assert_cmpint (ak_token_check_get_certificate (ak_token_server_result_get_check (result)),
                   ==, AK_CERTIFICATE_SECONDARY);
}

static void
rtm_stream_extra (const CheckCase     *check_case,
                  AkTokenServerResult *result)
{
  g_autoptr(AkTokenServerResult) wrong = check ("wrong-channel", &check_case->query, "Demo");

  g_assert_cmpint (ak_token_server_result_get_verdict (wrong), ==, AK_TOKEN_SERVER_ERROR);
  assert_finding (wrong, AK_TOKEN_SERVER_ASPECT_CHANNEL, AK_TOKEN_SERVER_ERROR,
                  "The token's stream channel is “lobby”, not “stream-1”.");
}

static void
other_certificate_extra (const CheckCase     *check_case,
                         AkTokenServerResult *result)
{
  g_assert_cmpint (ak_token_check_get_status (ak_token_server_result_get_check (result)), ==,
                   AK_TOKEN_CHECK_SIGNATURE_MISMATCH);
}

static void
missing_channel_extra (const CheckCase     *check_case,
                       AkTokenServerResult *result)
{
  g_autoptr(GError) error = NULL;

  /* The form would refuse it; sent anyway, the server's plain-text 400 is a finding. */
  g_assert_false (ak_token_server_query_validate (&check_case->query, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
}

static void
malformed_extra (const CheckCase     *check_case,
                 AkTokenServerResult *result)
{
  g_assert_nonnull (ak_token_server_result_get_token_text (result));
  g_assert_null (ak_token_server_result_get_token (result));
}

/* Not the protocol, but the token is still read and checked; its text is never quoted. */
static void
bare_extra (const CheckCase     *check_case,
            AkTokenServerResult *result)
{
  g_autofree char *sent = last_token ();

  g_assert_cmpstr (ak_token_server_result_get_token_text (result), ==, sent);
  for (guint i = 0; i < ak_token_server_result_get_n_findings (result); i++)
    g_assert_null (strstr (ak_token_server_result_get_finding (result, i)->message, sent));
}

static const CheckCase check_cases[] = {
  /* Tokens as asked */
  { "rtc-uid", "", ROOM_7_PUBLISHER, "Demo", .received = TRUE, .all_ok = TRUE, .found = "Demo",
    .findings = {
      OK (SIGNATURE, "Signed with the primary certificate of “Demo”."),
      OK (APP_ID, "Issued for App ID " TEST_APP_ID " of “Demo”."),
      OK (CHANNEL, "For channel “room-7”."),
      OK (USER, "For uid 42."),
      OK (ROLE, "publishing audio, video and data streams"),
      OK (EXPIRY, "It lasts 3600 s (1 h), as asked."),
    }, .extra = rtc_uid_extra },
  /* Found by App ID when no project is named. */
  { "rtc-uid-zero", "", RTC_QUERY ("room-7", "0", PUBLISHER, 0), NULL, .received = TRUE,
    .all_ok = TRUE, .found = "Demo", .findings = { OK (USER, "For any user (uid 0).") } },
  { "rtc-account", "", RTC_QUERY ("room-7", "alice", SUBSCRIBER, 600), "Demo", .received = TRUE,
    .all_ok = TRUE, .findings = {
      OK (USER, "For user account “alice”."),
      OK (ROLE, "joining only"),
      OK (EXPIRY, "It lasts 600 s (10 min), as asked."),
    } },
  { "secondary-certificate", "secondary", ROOM_7_PUBLISHER, "Demo", .all_ok = TRUE,
    .findings = { OK (SIGNATURE, "Signed with the secondary certificate of “Demo”.") },
    .extra = secondary_extra },
  { "rtm", "", { AK_TOKEN_SERVER_TOKEN_RTM, NULL, "bob", AK_TOKEN_SERVER_ROLE_PUBLISHER, 0 },
    "Demo", .received = TRUE, .all_ok = TRUE, .findings = {
      OK (SERVICE, "A token for RTM, as asked."),
      OK (USER, "For RTM user “bob”."),
    } },
  { "rtm-stream-channel", "",
    { AK_TOKEN_SERVER_TOKEN_RTM, "stream-1", "bob", AK_TOKEN_SERVER_ROLE_PUBLISHER, 0 }, "Demo",
    .all_ok = TRUE,
    .findings = { OK (CHANNEL, "It also grants joining stream channel “stream-1”.") },
    .extra = rtm_stream_extra },
  { "chat-app", "", { AK_TOKEN_SERVER_TOKEN_CHAT, NULL, "", AK_TOKEN_SERVER_ROLE_PUBLISHER, 7200 },
    "Demo", .received = TRUE, .all_ok = TRUE, .findings = {
      OK (USER, "A Chat app token, as an empty uid asks."),
      OK (EXPIRY, "7200 s (2 h)"),
    } },
  { "chat-user", "",
    { AK_TOKEN_SERVER_TOKEN_CHAT, NULL, "carol", AK_TOKEN_SERVER_ROLE_PUBLISHER, 0 }, "Demo",
    .received = TRUE, .all_ok = TRUE,
    .findings = { OK (USER, "A Chat user token for “carol”.") } },

  /* Tokens not as asked. Everything else is as asked: the signature is the one problem. */
  { "other-certificate", "other-cert", ROOM_7_PUBLISHER, "Demo", .received = TRUE,
    .verdict = AK_TOKEN_SERVER_ERROR, .n_errors = 1,
    .summary = "The server's token does not do what was asked: 1 problem.",
    .findings = {
      ERROR (SIGNATURE, "matches neither the primary nor the secondary certificate of “Demo”"),
    }, .extra = other_certificate_extra },
  /* A correctly signed token for the wrong channel: the signature is still fine. */
  { "wrong-channel", "wrong-channel", ROOM_7_PUBLISHER, "Demo", .verdict = AK_TOKEN_SERVER_ERROR,
    .findings = {
      ERROR (CHANNEL, "The token is for channel “lobby”, not “room-7”."),
      OK (SIGNATURE, "primary"),
    } },
  /* 2^32 + 42: agora-token-service casts it to uint32. */
  { "uid-wraps", "", RTC_QUERY ("room-7", "4294967338", PUBLISHER, 0), "Demo",
    .verdict = AK_TOKEN_SERVER_WARNING, .findings = {
      WARNING (USER, "The uid 4294967338 is above 4294967295: the server wrapped it to 32 bits, "
                     "as agora-token-service does, so the token is for uid 42."),
    } },
  { "publisher-for-subscriber", "always-publisher", RTC_QUERY ("room-7", "42", SUBSCRIBER, 0),
    "Demo", .verdict = AK_TOKEN_SERVER_WARNING,
    .summary = "The server's token does what was asked, with 1 warning.", .findings = {
      WARNING (ROLE, "It grants publishing although subscriber was asked: strict token "
                     "permission is needed for that to matter."),
    } },
  /* The privileges last as long as the token itself: no finding of their own. */
  { "longer-expiry", "double-expire", RTC_QUERY ("room-7", "42", PUBLISHER, 50000), "Demo",
    .verdict = AK_TOKEN_SERVER_WARNING, .findings = {
      WARNING (EXPIRY, "It lasts 100000 s (1 d 3 h), longer than the 50000 s (13 h 53 min) "
                       "asked"),
      WARNING (EXPIRY, "more than 24 hours"),
      OK (PRIVILEGES, "Every privilege lasts as long as the token."),
    } },
  { "short-privilege", "short-join", ROOM_7_PUBLISHER, "Demo", .verdict = AK_TOKEN_SERVER_ERROR,
    .n_errors = 1, .findings = {
      ERROR (PRIVILEGES, "The privilege “joinChannel” ends after 600 s (10 min), before the "
                         "token"),
    } },
  { "skewed-clock", "skewed", ROOM_7_PUBLISHER, "Demo", .verdict = AK_TOKEN_SERVER_WARNING,
    .findings = { WARNING (CLOCK, "issued 900 s (15 min) ago") } },

  /* Answers that are not tokens */
  { "missing-channel", "", RTC_QUERY ("", "42", PUBLISHER, 0), "Demo", .no_token = TRUE,
    .status = 400, .findings = {
      ERROR (RESPONSE, "The server answered 400 Bad Request: “invalid: missing channel name”"),
    }, .extra = missing_channel_extra },
  { "json-error", "json-400", ROOM_7_PUBLISHER, "Demo", .no_token = TRUE, .status = 400,
    .findings = {
      ERROR (RESPONSE, "The server answered 400 Bad Request. The server says: Unsupported "
                       "tokenType"),
    } },
  { "not-json", "not-json", ROOM_7_PUBLISHER, "Demo", .no_token = TRUE, .status = 200,
    .findings = {
      ERROR (RESPONSE, "The server answered 200 OK, but not with JSON: “<!DOCTYPE html> "
                       "<html><body>Welcome to nginx!</body></html>”"),
    } },
  { "legacy-shape", "legacy", ROOM_7_PUBLISHER, "Demo", .no_token = TRUE,
    .findings = { ERROR (RESPONSE, "The answer has “rtcToken” but no “token”") } },
  { "malformed-token", "malformed", ROOM_7_PUBLISHER, "Demo", .verdict = AK_TOKEN_SERVER_ERROR,
    .findings = { ERROR (TOKEN, "The server's token is malformed: ") },
    .extra = malformed_extra },
  { "bare-token", "bare", ROOM_7_PUBLISHER, "Demo", .verdict = AK_TOKEN_SERVER_ERROR,
    .findings = {
      ERROR (RESPONSE, "The server sent a bare token"),
      OK (SIGNATURE, "primary"),
    }, .extra = bare_extra },
};

static void
test_check (gconstpointer data)
{
  const CheckCase *check_case = data;
  g_autoptr(AkTokenServerResult) result = check (check_case->mode, &check_case->query,
                                                 check_case->project);

  if (check_case->received)
    assert_token_received (result);
  if (check_case->no_token)
    assert_no_token (result);
  if (check_case->all_ok)
    assert_all_ok (result);
  if (check_case->verdict != AK_TOKEN_SERVER_OK)
    g_assert_cmpint (ak_token_server_result_get_verdict (result), ==, check_case->verdict);
  if (check_case->status != 0)
    g_assert_cmpuint (ak_token_server_result_get_status (result), ==, check_case->status);
  if (check_case->found != NULL)
    g_assert_cmpstr (ak_credential_get_label (ak_token_server_result_get_project (result)), ==,
                     check_case->found);
  if (check_case->n_errors != 0)
    g_assert_cmpuint (count_severity (result, AK_TOKEN_SERVER_ERROR), ==, check_case->n_errors);
  if (check_case->summary != NULL)
    g_assert_cmpstr (ak_token_server_result_get_summary (result), ==, check_case->summary);
  for (guint i = 0; i < G_N_ELEMENTS (check_case->findings); i++)
    if (check_case->findings[i].text != NULL)
      assert_finding (result, check_case->findings[i].aspect, check_case->findings[i].severity,
                      check_case->findings[i].text);
  if (check_case->extra != NULL)
    check_case->extra (check_case, result);
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
  int status;

  /* Nothing may leave loopback (no proxy from the environment or from settings), and nothing
   * touches the session's keyring. */
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTPS_PROXY");
  store = ak_test_init_with_demo (&argc, &argv, TEST_APP_ID, CERT, CERT_2);
  client = ak_rest_client_new (store);
  fake_service_start ();

  g_test_add_func ("/ak/token-server-check/request-body", test_request_body);
  AK_TEST_ADD_CASES ("/ak/token-server-check", check_cases, test_check);
  g_test_add_func ("/ak/token-server-check/other-app", test_other_app);
  g_test_add_func ("/ak/token-server-check/wrong-uid", test_wrong_uid);
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
  return ak_test_finish_with_demo (&store, status);
}
