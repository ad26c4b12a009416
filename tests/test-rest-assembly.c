/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak_rest_assembly_build(): the one place the Requests page and `agora-keys-cli request` make
 * an AkRestRequest from what they read. */
#include "config.h"

#include <string.h>

#include "ak-rest-assembly.h"
#include "ak-test-util.h"

static AkCredential *
project_new (const char *chat_host)
{
  AkCredential *project = ak_credential_new (AK_CREDENTIAL_PROJECT);

  ak_credential_set_label (project, "Demo");
  ak_credential_set_app_id (project, "0123456789abcdef0123456789abcdef");
  ak_credential_set_chat_org (project, "org1");
  ak_credential_set_chat_app (project, "app1");
  if (chat_host != NULL)
    ak_credential_set_chat_host (project, chat_host);
  return project;
}

/* Builds @assembly and fails the test unless it is refused with @failure. */
static void
assert_refused (const AkRestAssembly  *assembly,
                AkRestAssemblyFailure  failure,
                AkRestAssemblyResult  *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkRestRequest) request = ak_rest_assembly_build (assembly, result, &error);

  g_assert_null (request);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_cmpint (result->failure, ==, failure);
}

/* Builds @assembly and fails the test unless it succeeds. */
static AkRestRequest *
build_ok (const AkRestAssembly *assembly)
{
  g_auto(AkRestAssemblyResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  AkRestRequest *request = ak_rest_assembly_build (assembly, &result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_cmpint (result.failure, ==, AK_REST_ASSEMBLY_OK);
  g_assert_null (result.missing);
  return request;
}

static void
test_placeholders (void)
{
  g_autoptr(AkCredential) project = project_new (NULL);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(AkRestAssemblyResult) result = { 0 };
  g_autoptr(AkRestRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  AkRestAssembly assembly = {
    .method = "GET",
    .target = "/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}/sid/{sid}",
  };

  /* Without a project or values, every name is missing, in order, and the sentence the page
   * shows names them as the path does. */
  request = ak_rest_assembly_build (&assembly, &result, &error);
  g_assert_null (request);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_cmpint (result.failure, ==, AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS);
  g_assert_cmpuint (g_strv_length (result.missing), ==, 3);
  g_assert_cmpstr (result.missing[0], ==, "appid");
  g_assert_cmpstr (result.missing[1], ==, "resourceid");
  g_assert_cmpstr (result.missing[2], ==, "sid");
  ak_test_assert_contains (error->message, "{appid}, {resourceid}, {sid}");
  g_clear_error (&error);

  /* The project fills {appid}; the values the rest (percent-encoded). */
  assembly.project = project;
  g_hash_table_insert (values, "resourceid", "r/1");
  assembly.values = values;
  assert_refused (&assembly, AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS, &result);
  g_assert_cmpuint (g_strv_length (result.missing), ==, 1);
  g_assert_cmpstr (result.missing[0], ==, "sid");

  g_hash_table_insert (values, "sid", "s1");
  request = build_ok (&assembly);
  g_assert_cmpstr (request->url, ==,
                   "https://api.agora.io/v1/apps/0123456789abcdef0123456789abcdef"
                   "/cloud_recording/resourceid/r%2F1/sid/s1");

  /* A second build clears what the first left in the result. */
  g_clear_pointer (&request, ak_rest_request_free);
  assembly.values = NULL;
  assert_refused (&assembly, AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS, &result);
  assembly.values = values;
  request = ak_rest_assembly_build (&assembly, &result, NULL);
  g_assert_nonnull (request);
  g_assert_cmpint (result.failure, ==, AK_REST_ASSEMBLY_OK);
  g_assert_null (result.missing);
}

static void
test_host_order (void)
{
  g_autoptr(AkCredential) project = project_new ("a41.chat.agora.io");
  g_autoptr(AkCredential) no_chat = project_new (NULL);
  const AkEndpoint *chat = ak_rest_catalogue_find ("chat.user-register");
  const AkEndpoint *transcoding = ak_rest_catalogue_find ("transcoding.builder-token");
  const AkEndpoint *console = ak_rest_catalogue_find ("console.projects-list");
  g_auto(AkRestAssemblyResult) result = { 0 };
  AkRestAssembly assembly = { .method = "GET", .target = "/dev/v1/projects" };

  g_assert_nonnull (chat);
  g_assert_nonnull (transcoding);
  g_assert_nonnull (console);

  /* Nothing named: the default host; an endpoint without a host of its own changes nothing. */
  g_assert_cmpstr (ak_rest_assembly_choose_host (&assembly, NULL), ==, AK_REST_DEFAULT_HOST);
  assembly.endpoint = console;
  g_assert_cmpstr (ak_rest_assembly_choose_host (&assembly, NULL), ==, AK_REST_DEFAULT_HOST);

  /* The host the endpoint's documentation names. */
  assembly.endpoint = transcoding;
  g_assert_cmpstr (ak_rest_assembly_choose_host (&assembly, NULL), ==, "api.sd-rtn.com");

  /* A Chat endpoint: the project's Chat host, and a refusal without one. */
  assembly.endpoint = chat;
  assembly.project = project;
  g_assert_cmpstr (ak_rest_assembly_choose_host (&assembly, NULL), ==, "a41.chat.agora.io");
  assembly.project = no_chat;
  assert_refused (&assembly, AK_REST_ASSEMBLY_NO_CHAT_HOST, &result);
  assembly.project = NULL;
  assert_refused (&assembly, AK_REST_ASSEMBLY_NO_CHAT_HOST, &result);

  /* The Chat host asked for without a Chat endpoint (the page's host row). */
  assembly.endpoint = NULL;
  assembly.chat_host = TRUE;
  assert_refused (&assembly, AK_REST_ASSEMBLY_NO_CHAT_HOST, &result);
  assembly.project = project;
  g_assert_cmpstr (ak_rest_assembly_choose_host (&assembly, NULL), ==, "a41.chat.agora.io");

  /* An explicit host wins over the Chat host; a base URL over both. */
  assembly.endpoint = chat;
  assembly.host = "api-us-west-1.agora.io";
  g_assert_cmpstr (ak_rest_assembly_choose_host (&assembly, NULL), ==, "api-us-west-1.agora.io");
  assembly.base_url = "http://127.0.0.1:8080/base";
  g_assert_cmpstr (ak_rest_assembly_choose_host (&assembly, NULL), ==,
                   "http://127.0.0.1:8080/base");

  /* An empty base URL is still the choice, and ak_rest_build_url() refuses it. */
  assembly.base_url = "";
  assert_refused (&assembly, AK_REST_ASSEMBLY_BAD_URL, &result);
}

static void
test_urls (void)
{
  g_auto(AkRestAssemblyResult) result = { 0 };
  g_autoptr(AkRestRequest) request = NULL;
  AkRestAssembly assembly = {
    .method = "GET",
    .target = "https://example.com/v1/x?a=1",
    .host = "api.agora.io",
  };

  /* A full URL goes where it says. */
  request = build_ok (&assembly);
  g_assert_cmpstr (request->url, ==, "https://example.com/v1/x?a=1");
  g_clear_pointer (&request, ak_rest_request_free);

  /* A path under a base URL, with or without slashes between them. */
  assembly.target = "/v1/x";
  assembly.host = NULL;
  assembly.base_url = "http://127.0.0.1:8080/";
  request = build_ok (&assembly);
  g_assert_cmpstr (request->url, ==, "http://127.0.0.1:8080/v1/x");
  g_clear_pointer (&request, ak_rest_request_free);

  /* Plain http is for this machine only; a full URL's placeholders are still missing. */
  assembly.base_url = "http://example.com";
  assert_refused (&assembly, AK_REST_ASSEMBLY_BAD_URL, &result);
  assembly.target = "http://example.com/v1/x";
  assembly.base_url = NULL;
  assert_refused (&assembly, AK_REST_ASSEMBLY_BAD_URL, &result);
  assembly.target = "https://example.com/{appid}";
  assert_refused (&assembly, AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS, &result);
  g_assert_cmpstr (result.missing[0], ==, "appid");
}

/* What the client says when it is asked to send @request (to a port nothing listens on: the
 * check comes before any connection). */
static char *
send_error (AkRestRequest *request)
{
  g_autoptr(AkCredentialStore) store = ak_credential_store_new_in_memory ();
  g_autoptr(AkRestClient) client = ak_rest_client_new (store);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { NULL };

  ak_rest_client_send_async (client, request, NULL, ak_test_wait_callback, &wait);
  response = ak_rest_client_send_finish (client, ak_test_wait_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_null (response);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

static void
test_headers (void)
{
  const char *headers[] = {
    "  X-One  :   spaced   ",
    "X-Two:",
    "X-Three:a:b",
    "X-Four: tail\r\n",
    NULL
  };
  const char *expected[] = { "X-One: spaced", "X-Two: ", "X-Three: a:b", "X-Four: tail" };
  g_auto(AkRestAssemblyResult) result = { 0 };
  g_autoptr(AkRestRequest) request = NULL;
  g_autofree char *message = NULL;
  AkRestAssembly assembly = {
    .method = "GET",
    .target = "/dev/v1/projects",
    .headers = headers,
  };

  /* Spaces around the name and the value go; the value keeps its own colons; a trailing line
   * break is trimmed away. */
  request = build_ok (&assembly);
  g_assert_cmpuint (request->headers->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (request->headers, i), ==, expected[i]);
  g_clear_pointer (&request, ak_rest_request_free);

  /* Refused, by their index: no colon, an empty name, a name with a space or a line break. */
  {
    const char *bad[] = { "NoColon", ": value", "X Y: z", "X-\r\nInjected: yes", "", NULL };

    for (guint i = 0; bad[i] != NULL; i++)
      {
        const char *lines[] = { "X-Fine: 1", bad[i], NULL };

        assembly.headers = lines;
        assert_refused (&assembly, AK_REST_ASSEMBLY_BAD_HEADER, &result);
        g_assert_cmpuint (result.bad_header, ==, 1);
      }
  }

  /* A form's entries: one without a colon (an entry being typed, an empty one) is left out,
   * the rest are kept for the client to check. */
  {
    const char *lines[] = { "", "Half", "X-A: 1", " X B : 2 ", NULL };

    assembly.headers = lines;
    assembly.skip_partial_headers = TRUE;
    assembly.target = "http://127.0.0.1:9/";
    request = build_ok (&assembly);
    g_assert_cmpuint (request->headers->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (request->headers, 0), ==, "X-A: 1");
    g_assert_cmpstr (g_ptr_array_index (request->headers, 1), ==, "X B: 2");
    message = send_error (request);
    ak_test_assert_contains (message, "X B");
    g_clear_pointer (&message, g_free);
    g_clear_pointer (&request, ak_rest_request_free);
  }

  /* A line break inside a value is left for the client, which refuses to send it: a header
   * cannot be injected either way. */
  {
    const char *lines[] = { "X-Split: a\r\nInjected: yes", NULL };

    assembly.headers = lines;
    assembly.skip_partial_headers = FALSE;
    assembly.target = "http://127.0.0.1:9/";
    request = build_ok (&assembly);
    message = send_error (request);
    ak_test_assert_contains (message, "line break");
  }
}

static void
test_parse_header (void)
{
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  g_assert_true (ak_rest_assembly_parse_header ("Content-Type : text/plain ", &name, &value));
  g_assert_cmpstr (name, ==, "Content-Type");
  g_assert_cmpstr (value, ==, "text/plain");
  g_assert_false (ak_rest_assembly_parse_header ("Content-Type", &name, &value));
  g_assert_false (ak_rest_assembly_parse_header ("Bad\tName: x", &name, &value));
  /* Nothing is set on a refusal. */
  g_assert_cmpstr (name, ==, "Content-Type");

  g_assert_true (ak_rest_is_http_token ("PATCH"));
  g_assert_true (ak_rest_is_http_token ("x-custom_1.~"));
  g_assert_false (ak_rest_is_http_token (""));
  g_assert_false (ak_rest_is_http_token ("GET /"));
  g_assert_false (ak_rest_is_http_token ("X\n"));
}

static void
test_auth (void)
{
  g_autoptr(AkCredential) project = project_new (NULL);
  g_autoptr(AkRestRequest) request = NULL;
  AkRestAssembly assembly = {
    .method = "POST",
    .target = "/dev/v1/projects",
    .endpoint = ak_rest_catalogue_find ("console.projects-list"),
    .project = project,
    .customer = "Team",
    .scheme = AK_AUTH_BASIC,
    .body = "{\"a\":1}\n",
    .user = "u1",
    .channel = "c1",
    .token = "pasted",
    .secondary = TRUE,
    .timeout_seconds = 7,
  };

  /* Basic: the customer; the body exactly as given; the rest copied. */
  request = build_ok (&assembly);
  g_assert_cmpint (request->auth.scheme, ==, AK_AUTH_BASIC);
  g_assert_cmpstr (request->auth.credential_label, ==, "Team");
  g_assert_null (request->auth.token);
  g_assert_cmpstr (request->body, ==, "{\"a\":1}\n");
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->endpoint_id, ==, "console.projects-list");
  g_assert_cmpstr (request->auth.user_id, ==, "u1");
  g_assert_cmpstr (request->auth.channel, ==, "c1");
  g_assert_true (request->auth.secondary);
  g_assert_cmpuint (request->timeout_seconds, ==, 7);
  g_assert_cmpuint (request->auth.token_expire, ==, 3600);
  g_clear_pointer (&request, ak_rest_request_free);

  /* Every other scheme: the project; a pasted token only for Bearer. */
  for (AkAuthScheme scheme = AK_AUTH_AGORA_TOKEN; scheme <= AK_AUTH_CHAT_EXCHANGE; scheme++)
    {
      assembly.scheme = scheme;
      request = build_ok (&assembly);
      g_assert_cmpstr (request->auth.credential_label, ==, "Demo");
      if (scheme == AK_AUTH_BEARER)
        g_assert_cmpstr (request->auth.token, ==, "pasted");
      else
        g_assert_null (request->auth.token);
      g_clear_pointer (&request, ak_rest_request_free);
    }

  /* An empty pasted token is no token (a project mints one); no project, no label. */
  assembly.scheme = AK_AUTH_BEARER;
  assembly.token = "";
  assembly.project = NULL;
  assembly.endpoint = NULL;
  request = build_ok (&assembly);
  g_assert_null (request->auth.token);
  g_assert_null (request->auth.credential_label);
  g_assert_null (request->endpoint_id);
  g_clear_pointer (&request, ak_rest_request_free);

  /* Basic without a customer: no label (the CLI finds the only one before it builds). */
  assembly.scheme = AK_AUTH_BASIC;
  assembly.customer = NULL;
  assembly.project = project;
  request = build_ok (&assembly);
  g_assert_null (request->auth.credential_label);
}

static void
test_hostile (void)
{
  const char *scale = g_getenv ("AK_TEST_TIME_SCALE");
  /* Smaller under the sanitizers and valgrind, which run slower. */
  guint n = scale != NULL && g_ascii_strtod (scale, NULL) > 1 ? 2000 : 20000;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(AkRestRequest) request = NULL;
  g_auto(AkRestAssemblyResult) result = { 0 };
  g_autofree char *long_value = NULL;
  AkRestAssembly assembly = { .method = "GET", .target = "/x" };

  /* Many headers: all kept, in order; one bad one among them is found by its index. */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (lines, g_strdup_printf ("X-H%u: %u", i, i));
  g_ptr_array_add (lines, NULL);
  assembly.headers = (const char * const *) lines->pdata;
  request = build_ok (&assembly);
  g_assert_cmpuint (request->headers->len, ==, n);
  g_assert_cmpstr (g_ptr_array_index (request->headers, n - 1), ==,
                   g_ptr_array_index (lines, n - 1));
  g_clear_pointer (&request, ak_rest_request_free);
  g_free (lines->pdata[n / 2]);
  lines->pdata[n / 2] = g_strdup ("no colon here");
  assert_refused (&assembly, AK_REST_ASSEMBLY_BAD_HEADER, &result);
  g_assert_cmpuint (result.bad_header, ==, n / 2);
  assembly.headers = NULL;

  /* A very long path, full of placeholders: each is named once. */
  for (guint i = 0; i < n; i++)
    g_string_append_printf (path, "/{p%u}/{p%u}", i % 100, i % 100);
  assembly.target = path->str;
  assert_refused (&assembly, AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS, &result);
  g_assert_cmpuint (g_strv_length (result.missing), ==, 100);

  /* A long value fills a placeholder whole. */
  long_value = g_strnfill (n * 10, 'v');
  g_hash_table_insert (values, "id", long_value);
  assembly.target = "/a/{id}/b";
  assembly.values = values;
  request = build_ok (&assembly);
  g_assert_true (g_str_has_suffix (request->url, "/b"));
  g_assert_cmpuint (strlen (request->url), ==, strlen ("https://api.agora.io/a//b") + n * 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/rest-assembly/placeholders", test_placeholders);
  g_test_add_func ("/ak/rest-assembly/host-order", test_host_order);
  g_test_add_func ("/ak/rest-assembly/urls", test_urls);
  g_test_add_func ("/ak/rest-assembly/headers", test_headers);
  g_test_add_func ("/ak/rest-assembly/parse-header", test_parse_header);
  g_test_add_func ("/ak/rest-assembly/auth", test_auth);
  g_test_add_func ("/ak/rest-assembly/hostile", test_hostile);
  return g_test_run ();
}
