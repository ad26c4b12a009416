/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ak-rest-catalogue.h"
#include "ak-rest-curl.h"
#include "ak-rest-history.h"
#include "ak-rest-redact.h"
#include "ak-test-rest-secrets.h"
#include "ak-test-util.h"

/* Copy as cURL: what the shell hands to curl, placeholders and quoting, and never a secret
 * unless asked for. */

/* Runs @command in /bin/sh with curl replaced by a function printing its arguments, one per
 * line: what the shell would really hand to curl. */
static char **
shell_arguments (const char *command,
                 const char *variables[])
{
  g_autofree char *script = g_strconcat ("curl () { for a in \"$@\"; do printf '%s\\n' \"$a\"; "
                                         "done; }; ", command, NULL);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  for (guint i = 0; variables != NULL && variables[i] != NULL; i += 2)
    env = g_environ_setenv (env, variables[i], variables[i + 1], TRUE);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  if (g_str_has_suffix (out, "\n"))
    out[strlen (out) - 1] = '\0';
  return g_strsplit (out, "\n", -1);
}

/* @request's cURL command with @scheme holds @needle, and no secret. */
static void
assert_curl_auth (AkRestRequest *request,
                  AkAuthScheme   scheme,
                  const char    *needle)
{
  g_autofree char *curl = NULL;

  request->auth.scheme = scheme;
  curl = ak_rest_request_to_curl (request, NULL);
  ak_test_assert_contains (curl, needle);
  assert_no_secrets (curl);
}

static void
test_curl_placeholders (void)
{
  g_autoptr(AkRestRequest) request =
    ak_rest_request_new ("GET", "https://api.agora.io/dev/v1/projects");
  g_autofree char *curl = NULL;

  curl = ak_rest_request_to_curl (request, NULL);
  g_assert_cmpstr (curl, ==,
                   "curl -X GET 'https://api.agora.io/dev/v1/projects' "
                   "-H 'Accept: application/json'");
  g_free (curl);

  request->auth.scheme = AK_AUTH_BASIC;
  request->auth.credential_label = g_strdup ("Billing");
  curl = ak_rest_request_to_curl (request, NULL);
  g_assert_cmpstr (curl, ==,
                   "curl -X GET 'https://api.agora.io/dev/v1/projects' "
                   "-H 'Accept: application/json' "
                   "-u \"$AGORA_CUSTOMER_ID:$AGORA_CUSTOMER_SECRET\"");
  g_clear_pointer (&curl, g_free);

  request->auth.user_id = g_strdup ("alice");
  assert_curl_auth (request, AK_AUTH_AGORA_TOKEN,
                    " -H \"Authorization: agora token=$AGORA_TOKEN\"");
  assert_curl_auth (request, AK_AUTH_X_AGORA,
                    " -H \"x-agora-token: $AGORA_TOKEN\" -H 'x-agora-uid: alice'");
  request->auth.token = g_strdup (PASTED_TOKEN);
  assert_curl_auth (request, AK_AUTH_BEARER, " -H \"Authorization: Bearer $AGORA_TOKEN\"");
  assert_curl_auth (request, AK_AUTH_CHAT_EXCHANGE,
                    " -H \"Authorization: Bearer $AGORA_TOKEN\"");
}

static void
test_curl_keeps_no_secret (void)
{
  g_autoptr(AkRestRequest) request = secret_laden_request ();
  g_autofree char *curl = ak_rest_request_to_curl (request, NULL);
  const char *variables[] = { "AGORA_PASSWORD", "from-env-pw", "AGORA_TOKEN", "from-env-tok",
                              NULL };
  g_auto(GStrv) args = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  guint i;

  g_test_message ("%s", curl);
  assert_no_secrets (curl);
  ak_test_assert_contains (curl, "-H \"Authorization: Bearer $AGORA_TOKEN\"");
  ak_test_assert_contains (curl, "-H \"X-Api-Key: $AGORA_X_API_KEY\"");
  ak_test_assert_contains (curl, "-H \"X-Agora-Token: $AGORA_TOKEN\"");
  ak_test_assert_contains (curl, "-H \"Cookie: $AGORA_COOKIE\"");
  ak_test_assert_contains (curl, "-H 'X-Trace: keep-me'");
  ak_test_assert_contains (curl, "-H 'Content-Type: application/json'");

  /* Through a real shell, the body is JSON with the secrets taken from the environment. */
  args = shell_arguments (curl, variables);
  g_assert_cmpstr (args[0], ==, "-X");
  g_assert_cmpstr (args[1], ==, "POST");
  g_assert_cmpstr (args[2], ==, "https://a41.chat.agora.io/61717166/demo/users"
                   "?token=from-env-tok&pageToken=p2&limit=10");
  for (i = 0; args[i] != NULL && !g_str_equal (args[i], "--data-raw"); i++)
    ;
  g_assert_nonnull (args[i]);
  g_assert_true (json_parser_load_from_data (parser, args[i + 1], -1, &error));
  g_assert_no_error (error);
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "password"), ==, "from-env-pw");
  g_assert_cmpstr (json_object_get_string_member (body, "token"), ==, "from-env-tok");
  g_assert_cmpstr (json_object_get_string_member (body, "note"), ==,
                   "the word token in a value stays");
}

static void
test_curl_with_secrets (void)
{
  g_autoptr(AkRestRequest) request = secret_laden_request ();
  g_autoptr(GPtrArray) auth = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *curl = NULL;
  g_auto(GStrv) args = NULL;
  guint i;

  g_ptr_array_add (auth, g_strdup ("Authorization: Bearer " PASTED_TOKEN));
  curl = ak_rest_request_to_curl (request, auth);

  /* The user asked for them: real values, exactly as they will be sent. */
  ak_test_assert_contains (curl, "-H 'Authorization: Bearer " PASTED_TOKEN "'");
  ak_test_assert_contains (curl, "-H 'X-Api-Key: " HEADER_SECRET "'");
  args = shell_arguments (curl, NULL);
  for (i = 0; args[i] != NULL && !g_str_equal (args[i], "--data-raw"); i++)
    ;
  g_assert_nonnull (args[i]);
  g_assert_cmpstr (args[i + 1], ==, request->body);
  g_assert_cmpstr (args[2], ==, request->url);
}

/* @command as GLib's shell parser reads it: its last word must be @last. */
static void
assert_last_word (const char *command,
                  const char *last)
{
  g_auto(GStrv) parsed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_shell_parse_argv (command, NULL, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (parsed[g_strv_length (parsed) - 1], ==, last);
}

/* Found by fuzz-history: json-glib 1.6 reads "1{…}" as its last value and leaks the rest.
 * Not one JSON value: the body is kept as written, and parsed by nobody. */
static void
test_curl_body_two_values (void)
{
  g_autoptr(AkRestRequest) request =
    ak_rest_request_new ("POST", "https://api.agora.io/v1/apps/x/cloud_recording/acquire");
  g_autofree char *curl = NULL;
  const char *body = "1{\"cname\":\"demo\",\"clientRequest\":{}}";

  request->body = g_strdup (body);
  curl = ak_rest_request_to_curl (request, NULL);
  assert_last_word (curl, body);
}

static void
test_curl_quoting (void)
{
  g_autoptr(AkRestRequest) request =
    ak_rest_request_new ("PUT", "https://api.agora.io/dev/v1/kicking-rule?note=it's");
  g_autofree char *curl = NULL;
  g_auto(GStrv) args = NULL;
  const char *body = "{\"msg\":\"it's a 'test' with \\\"quotes\\\", $HOME and `ls`\"}";

  request->body = g_strdup (body);
  ak_rest_request_add_header (request, "X-Note", "Bob's \"header\"");
  curl = ak_rest_request_to_curl (request, NULL);
  g_test_message ("%s", curl);
  ak_test_assert_contains (curl, "--data-raw '{\"msg\":\"it'\\''s a '\\''test'\\'' with");

  /* GLib's shell parser and a real shell both give back the exact text. */
  assert_last_word (curl, body);

  args = shell_arguments (curl, NULL);
  g_assert_cmpstr (args[2], ==, "https://api.agora.io/dev/v1/kicking-rule?note=it's");
  g_assert_cmpstr (args[g_strv_length (args) - 1], ==, body);
  g_assert_cmpstr (args[g_strv_length (args) - 3], ==, "X-Note: Bob's \"header\"");
}

/* A ConvoAI body: the placeholder is kept (it is no secret, and sending the entry again fills
 * it anew); a real agent token in properties.token is masked, in history and in cURL. */
static void
test_convoai_token (void)
{
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("POST", "https://api.agora.io/api/"
                                                          "conversational-ai-agent/v2/projects/"
                                                          "abc/join");
  g_autoptr(AkRestResponse) response = ak_rest_response_new ();
  g_autoptr(AkRestHistoryEntry) entry = NULL;
  g_autoptr(AkRestHistoryEntry) pasted_entry = NULL;
  g_autofree char *curl = NULL;
  g_autofree char *pasted_curl = NULL;
  const char *placeholder_body = "{\"properties\":{\"channel\":\"c\",\"token\":\""
                                 AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\",\"agent_rtc_uid\":\"1\"}}";

  request->endpoint_id = g_strdup ("convoai.join");
  request->body = g_strdup (placeholder_body);
  response->status = 200;
  /* A body cut at the memory limit: the history records its whole length. */
  response->body = g_bytes_new_static ("{}", 2);
  response->body_length = 200 * 1024 * 1024;
  response->body_truncated = TRUE;
  entry = ak_rest_history_entry_new (request, response, 1700000000);
  g_assert_cmpstr (ak_rest_history_entry_get_body (entry), ==, placeholder_body);
  g_assert_cmpuint (ak_rest_history_entry_get_size (entry), ==, 200 * 1024 * 1024);
  curl = ak_rest_request_to_curl (request, NULL);
  g_assert_nonnull (strstr (curl, AK_REST_CONVOAI_TOKEN_PLACEHOLDER));

  g_free (request->body);
  request->body = g_strdup ("{\"properties\":{\"channel\":\"c\",\"token\":"
                            "\"007eJxPastedAgentToken\",\"agent_rtc_uid\":\"1\"}}");
  pasted_entry = ak_rest_history_entry_new (request, response, 1700000000);
  g_assert_null (strstr (ak_rest_history_entry_get_body (pasted_entry), "PastedAgentToken"));
  pasted_curl = ak_rest_request_to_curl (request, NULL);
  g_assert_null (strstr (pasted_curl, "PastedAgentToken"));
}


int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/rest-history/curl-placeholders", test_curl_placeholders);
  g_test_add_func ("/ak/rest-history/curl-keeps-no-secret", test_curl_keeps_no_secret);
  g_test_add_func ("/ak/rest-history/curl-with-secrets", test_curl_with_secrets);
  g_test_add_func ("/ak/rest-history/curl-quoting", test_curl_quoting);
  g_test_add_func ("/ak/rest-history/curl-body-two-values", test_curl_body_two_values);
  g_test_add_func ("/ak/rest-history/convoai-token", test_convoai_token);

  return g_test_run ();
}
