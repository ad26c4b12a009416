/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ak-core.h"
#include "ak-test-util.h"
#include "ak-test-raw-client.h"
#include "ak-token-server-private.h"

/*
 * The local token server against hostile clients: raw sockets on loopback that dribble their
 * headers, stay idle, flood it with connections, announce huge bodies, never end a chunked
 * body, name another site in Host (DNS rebinding) or hide NULs in strings. The server runs
 * in this process on the main thread; each client runs on a thread of its own with blocking
 * sockets and bounded waits. After each attack /ping must still answer.
 */

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define MIB (1024 * 1024)

static AkCredentialStore *store;

typedef struct
{
  AkTokenServer *server;
  guint port;
  GString *log;
} Fixture;

typedef struct
{
  const char *bind;
  guint max_connections;
  /* Lowered timeouts, in seconds before scaling; 0 keeps the server's defaults. */
  gdouble header_timeout;
  gdouble idle_timeout;
} Setup;

typedef void (*ClientFunc) (Fixture *fixture, gconstpointer data);

/* One attack: the server's setup, the client that attacks it, and what the server must show
 * after (NULL: nothing more). */
typedef struct
{
  const char *name;
  const Setup *setup;
  ClientFunc client;
  /* A line of the request log, such as "→ 413". */
  const char *logged;
  /* Checks of the server before and after. */
  void (*before) (Fixture *fixture);
  void (*after) (Fixture *fixture);
} Attack;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Setup *setup = ((const Attack *) data)->setup;
  const char * const hosts[] = { "myapp.test", NULL };
  g_autoptr(GError) error = NULL;

  fixture->log = g_string_new (NULL);
  fixture->server = ak_token_server_new (store);
  ak_token_server_set_project_label (fixture->server, "Demo");
  ak_token_server_set_port (fixture->server, 0);
  ak_token_server_set_allowed_hosts (fixture->server, hosts);
  if (setup->bind != NULL)
    ak_token_server_set_bind_address (fixture->server, setup->bind);
  ak_token_server_set_connection_limits (fixture->server, setup->max_connections,
                                         (guint) (scaled_us (setup->header_timeout) / 1000),
                                         (guint) (scaled_us (setup->idle_timeout) / 1000));
  ak_test_token_server_log_to (fixture->server, fixture->log);
  g_assert_true (ak_test_token_server_start (fixture->server, &error));
  g_assert_no_error (error);
  fixture->port = ak_token_server_get_port (fixture->server);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ak_token_server_stop (fixture->server);
  g_assert_null (strstr (fixture->log->str, CERT));
  g_assert_null (strstr (fixture->log->str, "007eJ"));
  g_clear_object (&fixture->server);
  g_string_free (fixture->log, TRUE);
}

/* ---------------------------------------------------------------------------------------------
 * Clients: blocking sockets on a thread, every wait bounded
 */

typedef struct
{
  ClientFunc func;
  Fixture *fixture;
  gconstpointer data;
  gint done;
} Job;

static gpointer
job_thread (gpointer user_data)
{
  Job *job = user_data;

  job->func (job->fixture, job->data);
  g_atomic_int_set (&job->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Runs @func on a client thread while this thread serves. */
static void
run_client (Fixture       *fixture,
            ClientFunc     func,
            gconstpointer  data)
{
  Job job = { func, fixture, data, 0 };
  gint64 deadline = g_get_monotonic_time () + scaled_us (90);
  GThread *thread = g_thread_new ("hostile-client", job_thread, &job);

  while (!g_atomic_int_get (&job.done))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_thread_join (thread);
}

/* ---------------------------------------------------------------------------------------------
 * Host names (DNS rebinding)
 */

typedef struct
{
  const char *request_line;
  /* NULL: no Host header at all; "%u" stands for the port. */
  const char *host;
  guint status;
  const char *extra_header;
} HostCase;

static const HostCase host_cases[] = {
  { "GET /ping HTTP/1.1", "evil.example", 421 },
  { "GET /ping HTTP/1.1", "evil.example:%u", 421 },
  { "GET /ping HTTP/1.1", "127.0.0.1.evil.example:%u", 421 },
  { "GET /ping HTTP/1.1", "localhost.evil", 421 },
  { "GET /ping HTTP/1.1", "localhost.evil.example:%u", 421 },
  { "GET /ping HTTP/1.1", "evil.localhost.example", 421 },
  { "GET /ping HTTP/1.1", "127.0.0.1:%u@evil.example", 421 },
  { "GET /ping HTTP/1.1", "192.168.1.20:%u", 421 },
  { "GET /ping HTTP/1.1", "", 421 },
  { "GET /ping HTTP/1.1", "localhost:%u", 421, "Host: evil.example\r\n" },
  { "GET /ping HTTP/1.1", "evil.example", 421, "Origin: http://localhost:3000\r\n" },
  { "GET /rtc/c/publisher/uid/1/ HTTP/1.1", "rebound.example:%u", 421 },
  { "POST /getToken HTTP/1.1", "rebound.example:%u", 421, "Content-Length: 1000\r\n" },
  { "GET http://evil.example/ping HTTP/1.1", "localhost:%u", 421 },
  { "GET /ping HTTP/1.0", NULL, 421 },
  /* Hosts libsoup cannot parse are refused by libsoup itself. */
  { "GET /ping HTTP/1.1", "[::1].evil.example", 400 },
  { "GET /ping HTTP/1.1", NULL, 400 },
  { "GET /ping HTTP/1.1", "localhost:%u", 200 },
  { "GET /ping HTTP/1.1", "localhost", 200 },
  { "GET /ping HTTP/1.1", "LocalHost:%u", 200 },
  { "GET /ping HTTP/1.1", "foo.localhost:%u", 200 },
  { "GET /ping HTTP/1.1", "127.0.0.1", 200 },
  { "GET /ping HTTP/1.1", "127.0.0.1:%u", 200 },
  { "GET /ping HTTP/1.1", "[::1]:%u", 200 },
  { "GET /ping HTTP/1.1", "[::ffff:127.0.0.1]:%u", 200 },
  { "GET /ping HTTP/1.1", "myapp.test", 200 },
  { "GET /ping HTTP/1.1", "MyApp.test:3000", 200 },
  { "GET /rtc/c/publisher/uid/1/ HTTP/1.1", "localhost:%u", 200 },
};

static void
client_hosts (Fixture       *fixture,
              gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (host_cases); i++)
    {
      const HostCase *c = &host_cases[i];
      g_autoptr(GString) request = g_string_new (c->request_line);
      g_autofree char *body = NULL;
      guint status;
      int fd = connect_to (fixture->port);

      g_assert_cmpint (fd, >=, 0);
      g_string_append (request, "\r\n");
      if (c->host != NULL)
        {
          g_autoptr(GString) host = g_string_new (c->host);
          g_autofree char *port = g_strdup_printf ("%u", fixture->port);

          g_string_replace (host, "%u", port, 0);
          g_string_append_printf (request, "Host: %s\r\n", host->str);
        }
      if (c->extra_header != NULL)
        g_string_append (request, c->extra_header);
      g_string_append (request, "Connection: close\r\n\r\n");
      g_assert_true (send_text (fd, request->str));
      status = read_response (fd, scaled_us (2), &body);
      if (status != c->status)
        g_error ("%s with Host %s: %u, expected %u", c->request_line,
                 c->host != NULL ? c->host : "(none)", status, c->status);
      if (c->status != 200)
        {
          g_assert_nonnull (body);
          g_assert_null (strstr (body, "Token"));
          g_assert_null (strstr (body, "007"));
          g_assert_true (wait_closed (fd, scaled_us (2)));
        }
      if (c->status == 421)
        g_assert_nonnull (strstr (body, "\"error\""));
      close (fd);
    }
  assert_ping (fixture->port);
}

static void
test_allowed_hosts_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) hosts = ak_token_server_parse_allowed_hosts (" MyApp.test, 192.168.1.20:8080 "
                                                             "[fe80::1]\tdev-box", &error);
  g_auto(GStrv) empty = ak_token_server_parse_allowed_hosts (" , ", &error);
  const char * const expected[] = { "myapp.test", "192.168.1.20", "[fe80::1]", "dev-box", NULL };
  const char * const bad[] = { "http://x.test", "a/b", "x.test:port", "[nope]", "-x", "é.test" };

  g_assert_no_error (error);
  g_assert_cmpstrv (hosts, expected);
  g_assert_cmpuint (g_strv_length (empty), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(GStrv) none = ak_token_server_parse_allowed_hosts (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Bodies
 */

static void
client_announced_body (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char headers[] =
    "POST /getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    "Content-Length: 314572800\r\n\r\n";
  g_autofree char *chunk = g_malloc0 (64 * 1024);
  g_autofree char *body = NULL;
  gsize before = rss_bytes ();
  gsize sent = 0;
  int fd;

  /* Headers alone: the 413 comes without the body, and the connection ends. */
  fd = connect_to (fixture->port);
  g_assert_true (send_text (fd, headers));
  g_assert_cmpuint (read_response (fd, scaled_us (1), &body), ==, 413);
  g_assert_nonnull (strstr (body, "64 KiB"));
  g_assert_true (wait_closed (fd, scaled_us (3)));
  close (fd);

  /* Headers and then the body as fast as it goes: cut off long before its end. */
  fd = connect_to (fixture->port);
  g_assert_true (send_text (fd, headers));
  while (sent < 64 * MIB && send_all (fd, chunk, 64 * 1024, scaled_us (3)))
    sent += 64 * 1024;
  g_test_message ("announced 300 MB body: %zu bytes taken before the cut", sent);
  g_assert_cmpuint (sent, <, 16 * MIB);
  close (fd);

  g_assert_cmpuint (rss_bytes (), <, before + rss_allowance (16 * MIB));
  assert_ping (fixture->port);
}

/* Lengths libsoup reads wrong or not at all: 2^63 wraps to a negative length that it would
 * take as an empty body, and the "body" (here a second request) as the next request. */
static void
client_odd_lengths (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const lengths[] = {
    "9223372036854775808", "18446744073709551615", "18446744073709551616", "-1", "+10",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autofree char *request = g_strdup_printf (
        "POST /getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %s\r\n\r\n"
        "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", lengths[i]);
      g_autofree char *body = NULL;
      g_autofree char *second = NULL;
      guint status;
      int fd = connect_to (fixture->port);

      g_assert_true (send_text (fd, request));
      status = read_response (fd, scaled_us (2), &body);
      g_test_message ("Content-Length: %s -> %u", lengths[i], status);
      g_assert_true (status == 400 || status == 413);
      /* No second answer: the smuggled request was never read as one. */
      g_assert_true (wait_closed (fd, scaled_us (3)));
      close (fd);
    }
  assert_ping (fixture->port);
}

static void
client_chunked_body (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char headers[] =
    "POST /getToken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    "Transfer-Encoding: chunked\r\n\r\n";
  g_autoptr(GString) chunk = g_string_new ("1000\r\n");
  g_autofree char *body = NULL;
  gsize before = rss_bytes ();
  gsize sent = 0;
  int fd;

  g_string_append (chunk, "[\"");
  while (chunk->len < 6 + 0x1000)
    g_string_append_c (chunk, 'x');
  g_string_append (chunk, "\r\n");

  /* 256 KiB of a body that never ends, then a pause: 413 once it passed 64 KiB. */
  fd = connect_to (fixture->port);
  g_assert_true (send_text (fd, headers));
  for (guint i = 0; i < 64 && send_all (fd, chunk->str, chunk->len, scaled_us (3)); i++)
    ;
  g_assert_cmpuint (read_response (fd, scaled_us (2), &body), ==, 413);
  g_assert_nonnull (strstr (body, "64 KiB"));
  g_assert_true (wait_closed (fd, scaled_us (5)));
  close (fd);

  /* The same at full speed: the server stops taking it. */
  fd = connect_to (fixture->port);
  g_assert_true (send_text (fd, headers));
  while (sent < 64 * MIB && send_all (fd, chunk->str, chunk->len, scaled_us (3)))
    sent += chunk->len;
  g_test_message ("endless chunked body: %zu bytes taken before the cut", sent);
  g_assert_cmpuint (sent, <, 16 * MIB);
  close (fd);

  g_assert_cmpuint (rss_bytes (), <, before + rss_allowance (16 * MIB));
  assert_ping (fixture->port);
}

/* Off loopback the key is checked before any of the body is read. */
static void
client_key_before_body (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *body = NULL;
  int fd = connect_to (fixture->port);

  g_assert_true (send_text (fd, "POST /getToken HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n"));
  g_assert_cmpuint (read_response (fd, scaled_us (1), &body), ==, 401);
  g_assert_nonnull (strstr (body, "API key"));
  g_assert_true (wait_closed (fd, scaled_us (3)));
  close (fd);
}

/* ---------------------------------------------------------------------------------------------
 * Strings
 */

/* A POST of @length bytes of @body (which may hold NUL bytes); its length in @request_length. */
static char *
post (const char *body,
      gsize       length,
      gsize      *request_length)
{
  g_autoptr(GString) request = g_string_new (NULL);

  g_string_append_printf (request, "POST /getToken HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/json\r\nConnection: close\r\n"
                          "Content-Length: %zu\r\n\r\n", length);
  g_string_append_len (request, body, (gssize) length);
  *request_length = request->len;
  return g_string_free (g_steal_pointer (&request), FALSE);
}

static void
expect_refused (Fixture    *fixture,
                const char *request,
                gsize       length,
                const char *mention)
{
  g_autofree char *body = NULL;
  int fd = connect_to (fixture->port);
  guint status;

  g_assert_true (send_all (fd, request, length, scaled_us (5)));
  status = read_response (fd, scaled_us (2), &body);
  if (status != 400 || strstr (body, "\"error\"") == NULL || strstr (body, mention) == NULL)
    g_error ("%.60s…: %u %s (expected 400 mentioning “%s”)", request, status,
             body != NULL ? body : "", mention);
  g_assert_null (strstr (body, "007"));
  close (fd);
}

static void
client_strings (Fixture       *fixture,
                gconstpointer  data)
{
  static const char escaped_nul[] =
    "{\"tokenType\":\"rtc\",\"channel\":\"ab\\u0000cd\",\"role\":\"publisher\",\"uid\":\"1\"}";
  static const char raw_nul[] =
    "{\"tokenType\":\"rtc\",\"channel\":\"ab\0cd\",\"role\":\"publisher\",\"uid\":\"1\"}";
  static const char bad_utf8[] =
    "{\"tokenType\":\"rtc\",\"channel\":\"ab\xff" "cd\",\"role\":\"publisher\",\"uid\":\"1\"}";
  static const char nul_uid[] =
    "{\"tokenType\":\"rtm\",\"uid\":\"bob\\u0000admin\"}";
  static const char * const paths[] = {
    "/rtc/ab%00cd/publisher/uid/1/",
    "/rtc/ab%ffcd/publisher/uid/1/",
    "/rtc/c/publisher/userAccount/al%00ice/",
    "/rtm/%C3%28/",
    "/chat/account/x%00y/",
    "/rtc/c/publisher/uid/1/?expiry=%00",
    "/rtc/c/publisher/uid/1/?expiry=60&x=%fe",
    "/rtc/c/publisher/uid/1/?%00=1",
  };
  const struct { const char *body; gsize length; const char *mention; } bodies[] = {
    { escaped_nul, sizeof escaped_nul - 1, "NUL" },
    { raw_nul, sizeof raw_nul - 1, "NUL" },
    { bad_utf8, sizeof bad_utf8 - 1, "UTF-8" },
    { nul_uid, sizeof nul_uid - 1, "NUL" },
  };
  g_autofree char *request = NULL;
  gsize length;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      request = post (bodies[i].body, bodies[i].length, &length);
      expect_refused (fixture, request, length, bodies[i].mention);
      g_clear_pointer (&request, g_free);
    }

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: localhost\r\n"
                                 "Connection: close\r\n\r\n", paths[i]);
      expect_refused (fixture, request, strlen (request), "UTF-8");
      g_clear_pointer (&request, g_free);
    }
  assert_ping (fixture->port);
}

/* ---------------------------------------------------------------------------------------------
 * Slow and idle clients
 */

static void
client_slow_headers (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char line[] = "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  gboolean closed = FALSE;
  int fd = connect_to (fixture->port);

  /* One byte every tenth of a second, for four times the lowered header timeout. */
  g_assert_true (send_text (fd, line));
  for (guint i = 0; i < 40 && !closed; i++)
    {
      struct pollfd poll_fd = { fd, POLLIN, 0 };

      if (poll (&poll_fd, 1, remaining_ms (g_get_monotonic_time () + scaled_us (0.1))) > 0)
        closed = wait_closed (fd, scaled_us (1));
      else
        closed = send (fd, "x", 1, MSG_NOSIGNAL) != 1;
    }
  g_assert_true (closed);
  close (fd);

  /* A connection that never says anything goes the same way. */
  fd = connect_to (fixture->port);
  g_assert_true (wait_closed (fd, scaled_us (4)));
  close (fd);

  assert_ping (fixture->port);
}

static void
client_idle (Fixture       *fixture,
             gconstpointer  data)
{
  static const char ping[] = "GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n";
  int fd = connect_to (fixture->port);

  /* Kept alive: two requests on one connection, then silence. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (send_text (fd, ping));
      g_assert_cmpuint (read_response (fd, scaled_us (1), NULL), ==, 200);
    }
  g_assert_true (wait_closed (fd, scaled_us (4)));
  close (fd);
  assert_ping (fixture->port);
}

/* ---------------------------------------------------------------------------------------------
 * Floods
 */

#define CAP_CONNECTIONS 8
#define CAP_FLOOD 24

static void
client_over_cap (Fixture       *fixture,
                 gconstpointer  data)
{
  int fds[CAP_FLOOD];

  for (guint i = 0; i < CAP_FLOOD; i++)
    {
      fds[i] = connect_to (fixture->port);
      g_assert_cmpint (fds[i], >=, 0);
      g_usleep (10000);
    }
  /* Room was made by closing the connections that waited the longest: the first ones. */
  g_assert_true (wait_closed (fds[0], scaled_us (2)));
  assert_ping (fixture->port);
  for (guint i = 0; i < CAP_FLOOD; i++)
    close (fds[i]);
}

#define FD_LIMIT 128

static void
client_descriptor_flood (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  int fd;

  /* More connections than the process has descriptors: until this side runs out too. */
  while (fds->len < 3 * FD_LIMIT && (fd = connect_to (fixture->port)) >= 0)
    g_array_append_val (fds, fd);
  g_assert_cmpuint (fds->len, <, 3 * FD_LIMIT);
  g_test_message ("%u connections open when the descriptors ran out", fds->len);
  g_usleep (scaled_us (0.3));
  for (guint i = 0; i < fds->len; i++)
    close (g_array_index (fds, int, i));

  assert_ping (fixture->port);
}

/* Valgrind keeps descriptors of its own at the top of the range and refuses any change to
 * the hard RLIMIT_NOFILE, so the flood cannot be staged under it (the other runs stage it). */
static gboolean
running_under_valgrind (void)
{
  const char *preload = g_getenv ("LD_PRELOAD");

  return preload != NULL && strstr (preload, "vgpreload") != NULL;
}

static void
test_descriptor_flood (void)
{
  if (running_under_valgrind ())
    {
      g_test_skip ("valgrind does not let a process lower its hard descriptor limit");
      return;
    }
  if (g_test_subprocess ())
    {
      struct rlimit limit = { FD_LIMIT, FD_LIMIT };
      Setup setup = { NULL, 0, 0.4, 0.6 };
      Attack attack = { "descriptor-flood", &setup, client_descriptor_flood };
      Fixture fixture = { 0 };

      /* Soft and hard: the server raises the soft limit to the hard one. */
      g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
      fixture_set_up (&fixture, &attack);
      g_assert_cmpuint (ak_token_server_get_max_connections (fixture.server), <=, FD_LIMIT / 2);
      run_client (&fixture, attack.client, NULL);
      fixture_tear_down (&fixture, &attack);
      return;
    }
  g_test_trap_subprocess (NULL, (guint64) scaled_us (100), G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* ---------------------------------------------------------------------------------------------
 * Figures for build-aux/bench: /ping under a flood of idle connections while refused huge
 * bodies keep coming, and the memory it takes.
 */

typedef struct
{
  Fixture *fixture;
  gint stop;
  guint refused;
} Attacker;

static gpointer
announce_bodies (gpointer data)
{
  Attacker *attacker = data;
  Fixture *fixture = attacker->fixture;
  g_autofree char *chunk = g_malloc0 (64 * 1024);

  while (!g_atomic_int_get (&attacker->stop))
    {
      int fd = connect_to (fixture->port);

      if (fd < 0)
        break;
      /* One at a time: its 413 comes first, then it sends a MiB of the body anyway. */
      if (send_text (fd, "POST /getToken HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Length: 314572800\r\n\r\n")
          && read_response (fd, scaled_us (5), NULL) == 413)
        for (guint i = 0; i < 16 && send_all (fd, chunk, 64 * 1024, scaled_us (1)); i++)
          ;
      close (fd);
      attacker->refused++;
    }
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

#define BENCH_PINGS 50

typedef struct
{
  GArray *fds;
  guint flood;
  gsize before;
} Flood;

static void
client_open_flood (Fixture       *fixture,
                   gconstpointer  data)
{
  Flood *flood = (Flood *) data;

  flood->before = rss_bytes ();
  for (guint i = 0; i < flood->flood; i++)
    {
      int fd = connect_to (fixture->port);

      g_assert_cmpint (fd, >=, 0);
      g_array_append_val (flood->fds, fd);
    }
}

static void
client_bench (Fixture       *fixture,
              gconstpointer  data)
{
  const Flood *flood = data;
  Attacker attacker = { fixture, 0, 0 };
  gint64 times[BENCH_PINGS];
  gsize during;
  GThread *thread;

  thread = g_thread_new ("bodies", announce_bodies, &attacker);
  for (guint i = 0; i < BENCH_PINGS; i++)
    {
      gint64 start = g_get_monotonic_time ();

      assert_ping (fixture->port);
      times[i] = g_get_monotonic_time () - start;
    }
  during = rss_bytes ();
  g_atomic_int_set (&attacker.stop, 1);
  g_thread_join (thread);
  for (guint i = 0; i < flood->fds->len; i++)
    close (g_array_index (flood->fds, int, i));

  qsort (times, BENCH_PINGS, sizeof times[0], compare_gint64);
  g_print ("# bench: token server under attack (%u idle connections, %u refused 300 MB "
           "bodies): /ping median %.2f ms, slowest %.2f ms; memory %.1f MiB, %.1f MiB before\n",
           flood->flood, attacker.refused, times[BENCH_PINGS / 2] / 1000.0,
           times[BENCH_PINGS - 1] / 1000.0, during / (double) MIB,
           flood->before / (double) MIB);
  g_assert_cmpuint (during, <, flood->before + rss_allowance (32 * MIB));
}

static void
test_bench (Fixture       *fixture,
            gconstpointer  data)
{
  Flood flood = { g_array_new (FALSE, FALSE, sizeof (int)), 0, 0 };
  gint64 deadline;

  flood.flood = MIN (256, ak_token_server_get_max_connections (fixture->server) / 2);
  run_client (fixture, client_open_flood, &flood);
  /* The flood is held open, all of it accepted, before /ping is timed. */
  deadline = g_get_monotonic_time () + scaled_us (30);
  while (ak_token_server_get_n_connections (fixture->server) < flood.flood)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  run_client (fixture, client_bench, &flood);
  g_array_unref (flood.fds);
}

/* ---------------------------------------------------------------------------------------------
 * The attacks, each a test
 */

/* The only /ping served is assert_ping()'s own, at the end. */
static void
one_ping_served (Fixture *fixture)
{
  const char *first = strstr (fixture->log->str, "GET /ping");

  g_assert_nonnull (first);
  g_assert_null (strstr (first + 1, "GET /ping"));
}

static void
has_api_key (Fixture *fixture)
{
  g_assert_nonnull (ak_token_server_get_api_key (fixture->server));
}

static void
no_connection_left (Fixture *fixture)
{
  g_assert_cmpuint (ak_token_server_get_n_connections (fixture->server), ==, 0);
}

static void
capped_before (Fixture *fixture)
{
  g_assert_cmpuint (ak_token_server_get_max_connections (fixture->server), ==, CAP_CONNECTIONS);
}

static void
capped_after (Fixture *fixture)
{
  g_assert_cmpuint (ak_token_server_get_n_connections (fixture->server), <=, CAP_CONNECTIONS);
}

/* Lowered timeouts (seconds, scaled by AK_TEST_TIME_SCALE) so that the slow clients are seen
 * off within the test's time. */
static const Setup loopback = { NULL, 0, 0.4, 0.6 };
static const Setup capped = { NULL, CAP_CONNECTIONS, 5, 5 };
static const Setup everywhere = { "0.0.0.0", 0, 0.4, 0.6 };
static const Setup defaults = { NULL, 0, 0, 0 };

static const Attack attacks[] = {
  { "hosts", &loopback, client_hosts, "→ 421" },
  { "announced-body", &loopback, client_announced_body, "→ 413" },
  { "odd-lengths", &loopback, client_odd_lengths, .after = one_ping_served },
  { "chunked-body", &loopback, client_chunked_body },
  { "key-before-body", &everywhere, client_key_before_body, .before = has_api_key },
  { "strings", &loopback, client_strings },
  { "slow-headers", &loopback, client_slow_headers },
  { "idle", &loopback, client_idle, .after = no_connection_left },
  { "over-cap", &capped, client_over_cap, .before = capped_before, .after = capped_after },
};

static const Attack bench = { "bench", &defaults };

static void
test_attack (Fixture       *fixture,
             gconstpointer  data)
{
  const Attack *attack = data;

  if (attack->before != NULL)
    attack->before (fixture);
  run_client (fixture, attack->client, NULL);
  if (attack->logged != NULL)
    g_assert_nonnull (strstr (fixture->log->str, attack->logged));
  if (attack->after != NULL)
    attack->after (fixture);
}

int
main (int   argc,
      char *argv[])
{
  store = ak_test_init_with_demo (&argc, &argv, APP_ID, CERT, NULL);

  g_test_add_func ("/ak/token-server-hostile/allowed-hosts", test_allowed_hosts_parse);
  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/token-server-hostile/%s", attacks[i].name);

      g_test_add (path, Fixture, &attacks[i], fixture_set_up, test_attack, fixture_tear_down);
    }
  g_test_add_func ("/ak/token-server-hostile/descriptor-flood", test_descriptor_flood);
  g_test_add ("/ak/token-server-hostile/bench", Fixture, &bench, fixture_set_up, test_bench,
              fixture_tear_down);

  return ak_test_finish_with_demo (&store, g_test_run ());
}
