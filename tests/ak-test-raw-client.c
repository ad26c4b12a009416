/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-raw-client.c: raw sockets against a server on loopback, for the hostile tests */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ak-test-util.h"
#include "ak-test-raw-client.h"

gint64
scaled_us (gdouble seconds)
{
  return (gint64) (seconds * G_USEC_PER_SEC * ak_test_time_scale ());
}

int
connect_to (guint port)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (port),
                                 .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return -1;
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

int
remaining_ms (gint64 deadline)
{
  gint64 left = deadline - g_get_monotonic_time ();

  return left <= 0 ? 0 : (int) MIN (left / 1000 + 1, G_MAXINT);
}

/* FALSE when the server closed or stopped reading until the deadline. */
gboolean
send_all (int         fd,
          const void *data,
          gsize       length,
          gint64      timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  const char *p = data;

  while (length > 0)
    {
      struct pollfd poll_fd = { fd, POLLOUT, 0 };
      gssize n;

      if (poll (&poll_fd, 1, remaining_ms (deadline)) <= 0)
        return FALSE;
      n = send (fd, p, length, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      length -= (gsize) n;
    }
  return TRUE;
}

gboolean
send_text (int         fd,
           const char *text)
{
  return send_all (fd, text, strlen (text), scaled_us (5));
}

/* One response, whole: its status (0 when none came in time or the connection was reset),
 * and its body. */
guint
read_response (int     fd,
               gint64  timeout_us,
               char  **body)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  g_autoptr(GString) text = g_string_new (NULL);
  gsize header_end = 0;
  gsize content_length = 0;
  guint status = 0;

  if (body != NULL)
    *body = NULL;
  for (;;)
    {
      struct pollfd poll_fd = { fd, POLLIN, 0 };
      char buffer[4096];
      gssize n;

      if (header_end == 0)
        {
          const char *end = strstr (text->str, "\r\n\r\n");

          if (end != NULL)
            {
              g_autofree char *headers = NULL;
              const char *length;

              header_end = (gsize) (end - text->str) + 4;
              headers = g_ascii_strdown (text->str, (gssize) header_end);
              length = strstr (headers, "\r\ncontent-length:");
              content_length = length != NULL ? g_ascii_strtoull (length + 17, NULL, 10) : 0;
              if (sscanf (text->str, "HTTP/1.%*d %u", &status) != 1)
                status = 0;
            }
        }
      if (header_end > 0 && text->len >= header_end + content_length)
        break;
      if (poll (&poll_fd, 1, remaining_ms (deadline)) <= 0)
        return 0;
      n = recv (fd, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return header_end > 0 ? status : 0;
      g_string_append_len (text, buffer, n);
    }
  if (body != NULL)
    *body = g_strndup (text->str + header_end, content_length);
  return status;
}

/* TRUE when the server closed the connection before the deadline (what it still sent is
 * dropped). */
gboolean
wait_closed (int    fd,
             gint64 timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  for (;;)
    {
      struct pollfd poll_fd = { fd, POLLIN, 0 };
      char buffer[4096];
      gssize n;

      if (poll (&poll_fd, 1, remaining_ms (deadline)) <= 0)
        return FALSE;
      n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return TRUE;
    }
}

/* What a user would check: /ping still answers, within a second. */
void
assert_ping (guint port)
{
  g_autofree char *request = g_strdup_printf ("GET /ping HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                              "Connection: close\r\n\r\n", port);
  g_autofree char *body = NULL;
  int fd = connect_to (port);

  g_assert_cmpint (fd, >=, 0);
  g_assert_true (send_text (fd, request));
  g_assert_cmpuint (read_response (fd, scaled_us (1), &body), ==, 200);
  g_assert_nonnull (strstr (body, "pong"));
  close (fd);
}

/* How much the process may grow while under attack. Under AddressSanitizer freed memory sits
 * in quarantine (up to 256 MiB), so there it is not checked; valgrind (a time scale above 1)
 * keeps a queue of freed blocks too. */
gsize
rss_allowance (gsize normal)
{
#ifdef __SANITIZE_ADDRESS__
  return G_MAXSIZE / 2;
#else
  return ak_test_time_scale () > 1 ? 4 * normal : normal;
#endif
}

gsize
rss_bytes (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return (gsize) g_ascii_strtoull (line + 6, NULL, 10) * 1024;
}
