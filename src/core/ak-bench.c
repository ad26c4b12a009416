/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ak-bench.h"
#include "ak-credential-store.h"
#include "ak-token-server.h"
#include "ak-token-builder.h"
#include "ak-token.h"

/* A fixed, public test project: the official vectors' App ID and certificate. */
#define BENCH_APP_ID "970CA35de60c44645bbae8a215061b33"
#define BENCH_CERTIFICATE "5CFd2fd1755d40ecb72977518be15d3b"
#define BENCH_CHECK_EVERY 256

static JsonObject *
bench_rtc_inputs (void)
{
  JsonObject *inputs = json_object_new ();

  json_object_set_string_member (inputs, "app_id", BENCH_APP_ID);
  json_object_set_string_member (inputs, "app_certificate", BENCH_CERTIFICATE);
  json_object_set_string_member (inputs, "channel_name", "7d72365eb983485397e3e3f9d460bdda");
  json_object_set_int_member (inputs, "uid", 2882341273);
  json_object_set_int_member (inputs, "role", 1);
  json_object_set_int_member (inputs, "token_expire", 3600);
  json_object_set_int_member (inputs, "privilege_expire", 3600);
  return inputs;
}

static void
finish_figure (AkBenchFigure *figure,
               guint64        iterations,
               gint64         start)
{
  figure->iterations = iterations;
  figure->seconds = (gdouble) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  figure->per_second = figure->seconds > 0 ? iterations / figure->seconds : 0;
}

/**
 * ak_bench_build_rtc:
 *
 * Builds RTC tokens (random salt, current time, through the same path as the CLI and the
 * GUI) for about @seconds on the calling thread.
 */
void
ak_bench_build_rtc (gdouble        seconds,
                    AkBenchFigure *figure)
{
  g_autoptr(JsonObject) inputs = bench_rtc_inputs ();
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 n = 0;

  do
    {
      for (guint i = 0; i < BENCH_CHECK_EVERY; i++)
        {
          g_autoptr(AkBuildResult) result = ak_build_token (AK_BUILDER_RTC_UID, inputs, NULL);

          g_assert (result != NULL);
        }
      n += BENCH_CHECK_EVERY;
    }
  while (g_get_monotonic_time () < end);

  finish_figure (figure, n, start);
}

/**
 * ak_bench_decode_verify:
 *
 * Parses and verifies a rotating set of distinct RTC tokens for about @seconds.
 */
void
ak_bench_decode_verify (gdouble        seconds,
                        AkBenchFigure *figure)
{
  g_autoptr(JsonObject) inputs = bench_rtc_inputs ();
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  gint64 start;
  gint64 end;
  guint64 n = 0;

  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(AkBuildResult) result = ak_build_token (AK_BUILDER_RTC_UID, inputs, NULL);

      g_ptr_array_add (tokens, g_strdup (ak_build_result_get_token (result)));
    }

  start = g_get_monotonic_time ();
  end = start + (gint64) (seconds * G_USEC_PER_SEC);
  do
    {
      for (guint i = 0; i < BENCH_CHECK_EVERY; i++)
        {
          g_autoptr(AkToken) token = ak_token_parse (g_ptr_array_index (tokens, i % tokens->len),
                                                     NULL);
          gboolean valid;

          g_assert (token != NULL);
          valid = ak_token_verify (token, BENCH_CERTIFICATE, NULL, NULL, NULL, NULL);
          g_assert (valid);
        }
      n += BENCH_CHECK_EVERY;
    }
  while (g_get_monotonic_time () < end);

  finish_figure (figure, n, start);
}

/* Short random names, so that the token does not compress to nothing. */
static char *
random_resource_name (GRand *rand)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  char name[9];

  for (guint i = 0; i < 8; i++)
    name[i] = alphabet[g_rand_int_range (rand, 0, 64)];
  name[8] = '\0';
  return g_strdup (name);
}

/* An RTM2 token filled to just under the payload limit, written the way an attacker would:
 * resource types and permission types in descending order, types repeated, so that nothing
 * can be appended in place. The seed is fixed: every run measures the same token. */
static char *
large_rtm2_token (AkBenchRtm2Shape  shape,
                  gsize            *payload_length)
{
  const gsize resource_size = 2 + 8;
  const gsize entry_size = 2 + 2;
  const gsize block_size = 2 + 2;
  const guint entries_per_block = shape == AK_BENCH_RTM2_NAMES ? 1000 : G_MAXUINT16;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260726);
  g_autoptr(AkToken) token = ak_token_new_007 (BENCH_APP_ID, 1111111, 3600, 1);
  AkService *rtm2 = ak_service_new (AK_SERVICE_RTM2);
  g_autoptr(GError) error = NULL;
  /* string(signature), string(app_id), issue_ts, expire, salt, service count, then the RTM2
   * service: type, one privilege, string(user_id), block count. */
  gsize size = 34 + 34 + 12 + 2 + 2 + 2 + 6 + 2 + 5 + 2;
  gboolean full = FALSE;
  char *text;

  rtm2->user_id = g_strdup ("bench");
  ak_service_set_privilege (rtm2, AK_PRIV_RTM2_LOGIN, 3600);
  for (guint block = 0; !full && size + block_size + entry_size <= AK_MAX_PAYLOAD_LENGTH;
       block++)
    {
      ak_service_append_permission_block (rtm2, 4 - block % 5);
      size += block_size;
      for (guint entry = 0; entry < entries_per_block; entry++)
        {
          guint n_resources = shape == AK_BENCH_RTM2_NAMES ? 1 + entry % 3 : 0;
          AkRtmPermission *permission;

          if (size + entry_size + n_resources * resource_size > AK_MAX_PAYLOAD_LENGTH)
            {
              full = TRUE;
              break;
            }
          permission = ak_service_append_permission (rtm2, G_MAXUINT16 - entry, n_resources);
          size += entry_size + n_resources * resource_size;
          for (guint k = 0; k < n_resources; k++)
            g_ptr_array_add (permission->resources, random_resource_name (rand));
        }
    }
  ak_token_add_service (token, rtm2);

  text = ak_token_encode (token, BENCH_CERTIFICATE, &error);
  if (text == NULL)
    g_error ("Cannot build the large RTM2 token: %s", error->message);
  *payload_length = ak_token_get_payload_length (token);
  g_assert (*payload_length == size);
  return text;
}

/**
 * ak_bench_decode_rtm2_large:
 *
 * Parses and verifies one of the largest RTM2 tokens the decoder accepts, again and again,
 * for about @seconds: how long a hostile token can hold up a decoder.
 */
void
ak_bench_decode_rtm2_large (AkBenchRtm2Shape  shape,
                            gdouble           seconds,
                            AkBenchFigure    *figure,
                            gsize            *payload_length,
                            gsize            *text_length)
{
  g_autofree char *text = large_rtm2_token (shape, payload_length);
  gint64 start;
  gint64 end;
  guint64 n = 0;

  *text_length = strlen (text);
  start = g_get_monotonic_time ();
  end = start + (gint64) (seconds * G_USEC_PER_SEC);
  do
    {
      g_autoptr(AkToken) token = ak_token_parse (text, NULL);
      gboolean valid;

      g_assert (token != NULL);
      valid = ak_token_verify (token, BENCH_CERTIFICATE, NULL, NULL, NULL, NULL);
      g_assert (valid);
      n++;
    }
  while (g_get_monotonic_time () < end);

  finish_figure (figure, n, start);
}

#define BENCH_CLIENTS 8

/* A deliberately thin HTTP/1.1 client (keep-alive, one request at a time per connection), so
 * that the figure is the server's, not a client library's. */
typedef struct
{
  guint port;
  gint64 end;
  guint64 completed;
  guint64 failed;
} ServerBench;

static gboolean
read_response (int    fd,
               char  *buffer,
               gsize  size)
{
  gsize have = 0;
  gsize header_end = 0;
  gsize content_length = 0;

  for (;;)
    {
      ssize_t n = recv (fd, buffer + have, size - have - 1, 0);
      char *end;

      if (n <= 0)
        return FALSE;
      have += (gsize) n;
      buffer[have] = '\0';
      if (header_end == 0 && (end = strstr (buffer, "\r\n\r\n")) != NULL)
        {
          char *length = g_strstr_len (buffer, end - buffer, "Content-Length:");

          header_end = (gsize) (end - buffer) + 4;
          content_length = length != NULL ? g_ascii_strtoull (length + 15, NULL, 10) : 0;
          if (strncmp (buffer, "HTTP/1.1 200", 12) != 0)
            return FALSE;
        }
      if (header_end > 0 && have >= header_end + content_length)
        return TRUE;
      if (have + 1 >= size)
        return FALSE;
    }
}

static gpointer
run_client (gpointer data)
{
  ServerBench *bench = data;
  static const char body[] =
    "{\"tokenType\":\"rtc\",\"channel\":\"bench\",\"role\":\"publisher\","
    "\"uid\":\"42\",\"expire\":3600}";
  g_autofree char *request = g_strdup_printf ("POST /getToken HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %zu\r\n\r\n%s",
                                              strlen (body), body);
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (bench->port),
                                 .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  char buffer[8192];
  guint64 completed = 0;
  guint64 failed = 0;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      if (fd >= 0)
        close (fd);
      g_atomic_pointer_add (&bench->failed, 1);
      return NULL;
    }
  while (g_get_monotonic_time () < bench->end)
    {
      if (send (fd, request, strlen (request), MSG_NOSIGNAL) < 0
          || !read_response (fd, buffer, sizeof buffer))
        {
          failed++;
          break;
        }
      completed++;
    }
  close (fd);
  g_atomic_pointer_add (&bench->completed, completed);
  g_atomic_pointer_add (&bench->failed, failed);
  return NULL;
}

typedef struct
{
  ServerBench *bench;
  GThread *threads[BENCH_CLIENTS];
  gint running;
} ClientGroup;

static gpointer
run_clients (gpointer data)
{
  ClientGroup *group = data;

  for (guint i = 0; i < BENCH_CLIENTS; i++)
    group->threads[i] = g_thread_new ("bench-client", run_client, group->bench);
  for (guint i = 0; i < BENCH_CLIENTS; i++)
    g_thread_join (group->threads[i]);
  g_atomic_int_set (&group->running, 0);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
server_started (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;

  ak_token_server_start_finish (AK_TOKEN_SERVER (object), result, error);
}

/**
 * ak_bench_token_server:
 *
 * Measures POST /getToken answered per second by the local token server on loopback.
 *
 * Returns: %FALSE with @error set when the server could not start
 */
gboolean
ak_bench_token_server (gdouble         seconds,
                       AkBenchFigure  *figure,
                       GError        **error)
{
  g_autoptr(AkCredentialStore) store = ak_credential_store_new_in_memory ();
  g_autoptr(AkCredential) project = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();
  g_autoptr(AkTokenServer) server = NULL;
  ClientGroup group = { 0 };
  GError *start_error = NULL;
  gboolean started = FALSE;
  GThread *client;
  ServerBench bench = { 0 };
  gint64 start;

  ak_credential_set_label (project, "bench");
  ak_credential_set_app_id (project, BENCH_APP_ID);
  secrets->primary_certificate = g_strdup (BENCH_CERTIFICATE);
  ak_credential_store_add_async (store, project, secrets, NULL, NULL, NULL);
  while (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "bench") == NULL)
    g_main_context_iteration (NULL, TRUE);

  server = ak_token_server_new (store);
  ak_token_server_set_project_label (server, "bench");
  ak_token_server_set_port (server, 0);
  ak_token_server_start_async (server, NULL, server_started, &start_error);
  while (!(started = ak_token_server_get_running (server)) && start_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (start_error != NULL)
    {
      g_propagate_error (error, start_error);
      return FALSE;
    }

  bench.port = ak_token_server_get_port (server);
  start = g_get_monotonic_time ();
  bench.end = start + (gint64) (seconds * G_USEC_PER_SEC);

  /* The clients run on threads of their own, as separate apps would; the server keeps this
   * thread's main loop. */
  group.bench = &bench;
  group.running = 1;
  client = g_thread_new ("bench-clients", run_clients, &group);
  while (g_atomic_int_get (&group.running))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (client);

  finish_figure (figure, bench.completed, start);
  ak_token_server_stop (server);
  return started;
}
