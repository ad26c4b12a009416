/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-test-rest-fake.h"

/*
 * The REST client's transport against a fake Agora (ak-test-rest-fake.h): big bodies kept in
 * memory or spilled to a file, timeouts and cancelling, refused connections, DNS and TLS
 * failures, redirects and proxies. Nothing leaves loopback: no proxy resolver, and a resolver
 * that fails every lookup for the DNS test.
 */

static gint64
thread_cpu_time_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static void
test_big_body (void)
{
  g_autoptr(AkRestRequest) request = get_request ("/big");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  gint64 longest = 0;
  gint64 longest_wall = 0;

  ak_rest_client_send_async (client, request, NULL, ak_test_wait_callback, &wait);
  /* How long one turn of the main loop works while 5 MB arrive and are read. CPU time of this
   * thread, so that a busy machine's scheduling does not count as our stall. */
  while (wait.result == NULL)
    {
      gint64 cpu = thread_cpu_time_us ();
      gint64 wall = g_get_monotonic_time ();

      g_main_context_iteration (NULL, FALSE);
      longest = MAX (longest, thread_cpu_time_us () - cpu);
      longest_wall = MAX (longest_wall, g_get_monotonic_time () - wall);
      g_usleep (1000);
    }
  result = g_steal_pointer (&wait.result);
  response = ak_rest_client_send_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (response->body), >=, BIG_BODY_SIZE);
  g_assert_null (response->error_summary);
  /* Read whole: every certificate masked, the rest kept byte for byte. */
  g_assert_nonnull (response->masked_body);
  g_assert_null (strstr (response->masked_body, CERT));
  g_assert_true (g_str_has_suffix (response->masked_body, "\"sign_key\":\"••••••••\","
                                                          "\"status\":1}]}"));
  g_test_message ("longest main loop turn while receiving 5 MB: %" G_GINT64_FORMAT " ms of CPU, "
                  "%" G_GINT64_FORMAT " ms of wall time", longest / 1000, longest_wall / 1000);
  g_assert_cmpint (longest / 1000, <, 50 * ak_test_time_scale ());
}

/* ---------------------------------------------------------------------------------------------
 * Transport failures
 */

static void
test_timeout (void)
{
  g_autoptr(AkRestRequest) request = get_request ("/slow");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  request->timeout_seconds = 1;
  response = send (request, &error);
  elapsed = (g_get_monotonic_time () - start) / 1000;
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==, "The server did not answer within 1 s.");
  g_assert_cmpint (elapsed, >=, 900);
  g_assert_cmpint (elapsed, <, 2500 * ak_test_time_scale ());
}

static gboolean
cancel_when_slow_request_arrives (gpointer data)
{
  GCancellable *cancellable = data;
  guint seen;

  seen = ak_test_locked_count (&fake.lock, &fake.slow_requests);
  if (seen == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "before")))
    return G_SOURCE_CONTINUE;
  g_object_set_data (G_OBJECT (cancellable), "cancelled-at",
                     GSIZE_TO_POINTER ((gsize) (g_get_monotonic_time () / 1000)));
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(AkRestRequest) request = get_request ("/slow");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 cancelled_at;
  gint64 returned_at;
  guint before;

  before = ak_test_locked_count (&fake.lock, &fake.slow_requests);
  g_object_set_data (G_OBJECT (cancellable), "before", GUINT_TO_POINTER (before));
  g_timeout_add (5, cancel_when_slow_request_arrives, cancellable);

  /* The default 30 s timeout is far away: only the cancel can end this. */
  response = send_with (client, request, cancellable, &error);
  returned_at = g_get_monotonic_time () / 1000;
  cancelled_at = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (cancellable),
                                                               "cancelled-at"));
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cancelled_at, >, 0);
  g_assert_cmpint (returned_at - cancelled_at, <, 1000 * ak_test_time_scale ());
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(AkRestRequest) request = NULL;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *host = NULL;
  guint16 port;

  /* A port that was free a moment ago and that nothing listens on. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, &error);
  g_assert_no_error (error);

  url = g_strdup_printf ("http://127.0.0.1:%u/dev/v1/projects", port);
  request = ak_rest_request_new ("GET", url);
  response = send (request, &error);
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  host = g_strdup_printf ("127.0.0.1:%u refused the connection", port);
  g_assert_nonnull (strstr (error->message, host));
}

/* A resolver that fails every lookup, so the DNS test asks no real server. */
#define TEST_TYPE_FAILING_RESOLVER (test_failing_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestFailingResolver, test_failing_resolver, TEST, FAILING_RESOLVER,
                      GResolver)

struct _TestFailingResolver
{
  GResolver parent_instance;
  guint lookups;
};

G_DEFINE_FINAL_TYPE (TestFailingResolver, test_failing_resolver, G_TYPE_RESOLVER)

static GList *
failing_lookup (GResolver     *resolver,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  g_atomic_int_inc (&TEST_FAILING_RESOLVER (resolver)->lookups);
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "Error resolving “%s”: Name or service not known", hostname);
  return NULL;
}

static GList *
failing_lookup_with_flags (GResolver                *resolver,
                           const char               *hostname,
                           GResolverNameLookupFlags  flags,
                           GCancellable             *cancellable,
                           GError                  **error)
{
  return failing_lookup (resolver, hostname, cancellable, error);
}

static void
failing_lookup_async (GResolver           *resolver,
                      const char          *hostname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;

  failing_lookup (resolver, hostname, cancellable, &error);
  g_task_return_error (task, error);
}

static void
failing_lookup_with_flags_async (GResolver                *resolver,
                                 const char               *hostname,
                                 GResolverNameLookupFlags  flags,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  failing_lookup_async (resolver, hostname, cancellable, callback, user_data);
}

static GList *
failing_lookup_finish (GResolver     *resolver,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_failing_resolver_class_init (TestFailingResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = failing_lookup;
  resolver_class->lookup_by_name_async = failing_lookup_async;
  resolver_class->lookup_by_name_finish = failing_lookup_finish;
  resolver_class->lookup_by_name_with_flags = failing_lookup_with_flags;
  resolver_class->lookup_by_name_with_flags_async = failing_lookup_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = failing_lookup_finish;
}

static void
test_failing_resolver_init (TestFailingResolver *self)
{
}

static void
test_dns_failure (void)
{
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(TestFailingResolver) resolver = g_object_new (TEST_TYPE_FAILING_RESOLVER, NULL);
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET",
                                                          "https://agora-keys-test.invalid/x");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  g_resolver_set_default (G_RESOLVER (resolver));
  response = send (request, &error);
  g_resolver_set_default (previous);

  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message,
                            "The host name agora-keys-test.invalid could not be found"));
  g_assert_cmpuint (g_atomic_int_get (&resolver->lookups), >, 0);
}

static void
test_tls_untrusted (void)
{
  g_autofree char *url = https_url_for ("/basic");
  g_autoptr(AkRestRequest) request = basic_get (url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send (request, &error);
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The certificate of 127.0.0.1:"));
  g_assert_nonnull (strstr (error->message, "is not trusted"));
  g_assert_nonnull (strstr (error->message, "not signed by a known certificate authority"));
  g_clear_error (&error);

  response = send_with (trusting_client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
}

/* ---------------------------------------------------------------------------------------------
 * Redirects
 */

static JsonObject *
landing_after (const char   *path,
               const char   *method,
               AkRestClient *with_client,
               gboolean      https)
{
  g_autofree char *url = https ? https_url_for (path) : url_for (path);
  g_autoptr(AkRestRequest) request = request_with_auth (method, url, AK_AUTH_BASIC,
                                                        "Main account");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (method, "POST"))
    request->body = g_strdup ("{}");
  response = send_with (with_client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  return body_object (response);
}

static void
test_redirect_other_host (void)
{
  g_autoptr(JsonObject) landing = landing_after ("/redirect/other", "GET", client, FALSE);

  g_test_message ("redirected from 127.0.0.1:%u to %s:%u", fake.http_port, fake.other_host,
                  fake.other_port);

  g_assert_cmpstr (json_object_get_string_member (landing, "address"), ==, fake.other_host);
  g_assert_cmpint (json_object_get_int_member (landing, "port"), ==, fake.other_port);
  g_assert_false (json_object_get_boolean_member (landing, "credentials"));
}

static void
test_redirect_same_origin (void)
{
  g_autoptr(JsonObject) landing = landing_after ("/redirect/same", "GET", client, FALSE);

  g_assert_cmpint (json_object_get_int_member (landing, "port"), ==, fake.http_port);
  g_assert_true (json_object_get_boolean_member (landing, "credentials"));
}

static void
test_redirect_back_home (void)
{
  /* Once withheld for another origin, credentials are not sent again on that chain. */
  g_autoptr(JsonObject) landing = landing_after ("/redirect/back", "GET", client, FALSE);

  g_assert_cmpint (json_object_get_int_member (landing, "port"), ==, fake.http_port);
  g_assert_false (json_object_get_boolean_member (landing, "credentials"));
}

static void
test_redirect_see_other (void)
{
  g_autoptr(JsonObject) landing = landing_after ("/redirect/see-other", "POST", client, FALSE);

  g_assert_cmpstr (json_object_get_string_member (landing, "method"), ==, "GET");
}

static void
test_redirect_loop (void)
{
  g_autoptr(AkRestRequest) request = get_request ("/redirect/loop");

  assert_send_fails (client, request, AK_ERROR_HTTP, "more than 5 times");
}

static void
test_redirect_downgrade (void)
{
  g_autofree char *url = https_url_for ("/redirect/downgrade");
  g_autoptr(AkRestRequest) request = basic_get (url);

  assert_send_fails (trusting_client, request, AK_ERROR_HTTP,
                     "from https:// to the insecure http://127.0.0.1");
}

/* Custom headers whose names look secret stay with the origin the user chose, like the
 * Authorization header; other custom headers follow the redirect. */
static JsonObject *
landing_with_api_key (const char *path)
{
  g_autoptr(AkRestRequest) request = get_request (path);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  ak_rest_request_add_header (request, "X-Api-Key", "k-7f3c2a1b9e8d4c6f");
  ak_rest_request_add_header (request, "X-Custom", "kept");
  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  return body_object (response);
}

static void
test_redirect_secret_headers (void)
{
  g_autoptr(JsonObject) other = landing_with_api_key ("/redirect/other");
  g_autoptr(JsonObject) same = landing_with_api_key ("/redirect/same");

  g_assert_cmpint (json_object_get_int_member (other, "port"), ==, fake.other_port);
  g_assert_false (json_object_get_boolean_member (other, "api_key"));
  g_assert_true (json_object_get_boolean_member (other, "custom"));

  g_assert_cmpint (json_object_get_int_member (same, "port"), ==, fake.http_port);
  g_assert_true (json_object_get_boolean_member (same, "api_key"));
  g_assert_true (json_object_get_boolean_member (same, "custom"));
}

/* ---------------------------------------------------------------------------------------------
 * Proxies
 */

/* A proxy that records connections: a listening socket nobody accepts on, whose queue of
 * connections is counted afterwards. */
static GSocket *
recording_proxy (guint16 *port)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_set_blocking (socket, FALSE);
  return socket;
}

static guint
connections_seen (GSocket *proxy)
{
  GSocket *accepted;
  guint n = 0;

  while ((accepted = g_socket_accept (proxy, NULL, NULL)) != NULL)
    {
      n++;
      g_object_unref (accepted);
    }
  return n;
}

static void
test_proxy_bypassed_for_loopback (void)
{
  guint16 port = 0;
  g_autoptr(GSocket) proxy = recording_proxy (&port);
  g_autofree char *proxy_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (proxy_url, NULL);
  g_autoptr(AkRestClient) proxied = ak_rest_client_new (store);
  const char *paths[] = { "/basic", "/redirect/same" };

  ak_rest_client_set_proxy_resolver (proxied, resolver);
  ak_rest_client_set_tls_database (proxied, trust_database);

  /* To this machine, over http and https: direct, the Basic header with it. */
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    for (guint https = 0; https < 2; https++)
      {
        g_autofree char *url = https ? https_url_for (paths[i]) : url_for (paths[i]);
        g_autoptr(AkRestRequest) request = basic_get (url);
        g_autoptr(AkRestResponse) response = NULL;
        g_autoptr(GError) error = NULL;

        response = send_with (proxied, request, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (response->status, ==, 200);
      }
  g_assert_cmpuint (connections_seen (proxy), ==, 0);

  /* Anywhere else the resolver's proxy is used: the check above could fail. */
  {
    g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET",
                                                            "https://ak-test.invalid/x");
    g_autoptr(AkRestResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    request->timeout_seconds = 1;
    response = send_with (proxied, request, NULL, &error);
    g_assert_null (response);
    g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
    g_assert_cmpuint (connections_seen (proxy), ==, 1);
  }
}

static guint
spilled_files (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "agora-keys-body-"))
      {
        g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
        GStatBuf st;

        g_assert_cmpint (g_stat (path, &st), ==, 0);
        g_assert_cmpint (st.st_mode & 0777, ==, 0600);
        n++;
      }
  return n;
}

static void
test_body_spilled_to_file (void)
{
  /* Past the 64 MiB the window keeps in memory. */
  const guint64 size = 70 * 1000 * 1000;
  g_autofree char *path = g_strdup_printf ("/stream/%" G_GUINT64_FORMAT, size);
  g_autoptr(AkRestRequest) request = get_request (path);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ak-save-XXXXXX", NULL);
  g_autofree char *saved_path = g_build_filename (dir, "body.txt", NULL);
  g_autoptr(GFile) saved = g_file_new_for_path (saved_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *expected = ak_test_stream_checksum (size, FALSE);
  g_autofree char *actual = NULL;
  guint64 saved_size = 0;
  AkTestWait wait = { 0 };
  GStatBuf st;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_true (response->body_truncated);
  g_assert_cmpuint (response->body_length, ==, size);
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, AK_REST_ANALYZE_LIMIT);
  g_assert_nonnull (response->body_file);
  g_assert_null (response->error_summary);
  g_assert_cmpuint (spilled_files (), ==, 1);

  /* Save Body copies the whole of it, privately. */
  ak_rest_response_save_body_async (response, saved, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  g_assert_true (ak_rest_response_save_body_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  actual = ak_test_file_checksum (saved_path, &saved_size);
  g_assert_cmpuint (saved_size, ==, size);
  g_assert_cmpstr (actual, ==, expected);
  g_assert_cmpint (g_stat (saved_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The temporary file goes with the last copy of the response. */
  {
    AkRestResponse *copy = ak_rest_response_copy (response);

    g_clear_pointer (&response, ak_rest_response_free);
    g_assert_cmpuint (spilled_files (), ==, 1);
    ak_rest_response_free (copy);
  }
  g_assert_cmpuint (spilled_files (), ==, 0);
  g_unlink (saved_path);
  g_rmdir (dir);
}

static void
test_body_to_stream (void)
{
  const guint64 size = 3 * 1000 * 1000 + 1;
  g_autofree char *path = g_strdup_printf ("/stream/%" G_GUINT64_FORMAT, size);
  g_autofree char *url = url_for (path);
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestRequest) small_request = NULL;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *expected = ak_test_stream_checksum (size, FALSE);
  AkTestWait wait = { 0 };
  gsize written;
  gsize head_size;
  const guchar *data;

  ak_rest_client_send_to_stream_async (client, request, 1024 * 1024, out, NULL,
                                       ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  response = ak_rest_client_send_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_true (response->body_truncated);
  g_assert_cmpuint (response->body_length, ==, size);
  g_assert_null (response->body_file);

  /* Every byte went to the stream, from the first; the response keeps the start. */
  written = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpuint (written, ==, size);
  g_checksum_update (checksum, data, written);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, expected);
  head_size = g_bytes_get_size (response->body);
  g_assert_cmpuint (head_size, >, 0);
  g_assert_cmpuint (head_size, <=, 1024 * 1024);
  g_assert_true (memcmp (g_bytes_get_data (response->body, NULL), data, head_size) == 0);

  /* A body within the limit is kept whole, and nothing is written. */
  g_clear_pointer (&response, ak_rest_response_free);
  g_clear_object (&result);
  g_clear_object (&out);
  out = g_memory_output_stream_new_resizable ();
  g_free (url);
  url = url_for ("/stream/500000");
  small_request = ak_rest_request_new ("GET", url);
  wait.result = NULL;
  ak_rest_client_send_to_stream_async (client, small_request, 1024 * 1024, out, NULL,
                                       ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  response = ak_rest_client_send_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_false (response->body_truncated);
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, 500000);
  g_assert_cmpuint (response->body_length, ==, 500000);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
}

/* Error summaries come from bodies up to 1 MiB: a tree of a larger one takes too much memory. */
static void
test_big_error_body (void)
{
  g_autoptr(AkRestRequest) request = get_request ("/big-error");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 400);
  g_assert_false (response->body_truncated);
  g_assert_cmpuint (g_bytes_get_size (response->body), >, AK_REST_ANALYZE_LIMIT);
  g_assert_null (response->error_summary);
}

int
main (int   argc,
      char *argv[])
{
  char *tmp_dir = fake_agora_init (&argc, &argv);
  int status;

  g_test_add_func ("/ak/rest-client/big-body", test_big_body);
  g_test_add_func ("/ak/rest-client/timeout", test_timeout);
  g_test_add_func ("/ak/rest-client/cancel", test_cancel);
  g_test_add_func ("/ak/rest-client/connection-refused", test_connection_refused);
  g_test_add_func ("/ak/rest-client/dns-failure", test_dns_failure);
  g_test_add_func ("/ak/rest-client/tls/untrusted-then-trusted", test_tls_untrusted);
  g_test_add_func ("/ak/rest-client/redirect/other-host", test_redirect_other_host);
  g_test_add_func ("/ak/rest-client/redirect/same-origin", test_redirect_same_origin);
  g_test_add_func ("/ak/rest-client/redirect/back-home", test_redirect_back_home);
  g_test_add_func ("/ak/rest-client/redirect/see-other", test_redirect_see_other);
  g_test_add_func ("/ak/rest-client/redirect/loop", test_redirect_loop);
  g_test_add_func ("/ak/rest-client/redirect/downgrade", test_redirect_downgrade);
  g_test_add_func ("/ak/rest-client/redirect/secret-headers", test_redirect_secret_headers);
  g_test_add_func ("/ak/rest-client/proxy/bypassed-for-loopback",
                   test_proxy_bypassed_for_loopback);
  g_test_add_func ("/ak/rest-client/body/spilled-to-file", test_body_spilled_to_file);
  g_test_add_func ("/ak/rest-client/body/to-stream", test_body_to_stream);
  g_test_add_func ("/ak/rest-client/body/big-error", test_big_error_body);

  status = g_test_run ();
  fake_agora_finish (tmp_dir);
  return status;
}
