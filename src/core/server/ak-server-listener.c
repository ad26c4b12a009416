/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "ak-server-listener.h"

/* After a failed accept (no descriptor left), the next try; sooner when a connection ends. */
#define ACCEPT_RETRY_MS 100
/* Accepts per wake-up, so that a flood of connections cannot starve the ones being served. */
#define ACCEPT_BATCH 32
/* A refused request's connection is drained for this long, or this much, before it is closed:
 * closing with unread data would reset it and the client could lose the answer. */
#define LINGER_MS 2000
#define LINGER_MAX_BYTES (1024 * 1024)

typedef enum
{
  CONNECTION_NEW,         /* accepted, its first request's headers not all in */
  CONNECTION_HEADERS,     /* a later request's headers coming in */
  CONNECTION_BODY,        /* a request's body coming in */
  CONNECTION_RESPONDING,  /* the answer being written */
  CONNECTION_IDLE,        /* kept alive, waiting for the next request */
  CONNECTION_LINGERING,   /* refused: answered, the rest of the request drained */
  CONNECTION_CLOSING,     /* shut down, libsoup about to let it go */
} ConnectionState;

typedef struct
{
  AkServerListener *listener;
  /* Held by libsoup, watched by a weak reference; ours alone while lingering. */
  GSocketConnection *stream;
  /* The key in the listener's table: libsoup hands it back with each message. */
  GSocketAddress *remote;
  ConnectionState state;
  /* When the connection began to wait on its client, and when that wait ends. */
  gint64 since;
  gint64 deadline;
  GSource *linger_source;
  gsize lingered;
} Connection;

struct _AkServerListener
{
  SoupServer *server;
  GSocket *socket;
  GSource *accept_source;
  guint accept_retry_id;
  guint sweep_id;
  GHashTable *connections;
  guint n_closing;
  guint max_connections;
  gint64 header_timeout_us;
  gint64 idle_timeout_us;
  gulong handlers[4];
};

static void resume_accepting  (AkServerListener *self);
static void remove_connection (AkServerListener *self,
                               Connection       *connection);

static gboolean
connection_is_waiting_on_client (Connection *connection)
{
  return connection->state != CONNECTION_RESPONDING && connection->state != CONNECTION_CLOSING;
}

static void connection_gone (gpointer data, GObject *where_the_object_was);

static void
connection_free (Connection *connection)
{
  if (connection->state == CONNECTION_CLOSING)
    connection->listener->n_closing--;
  if (connection->linger_source != NULL)
    {
      g_source_destroy (connection->linger_source);
      g_source_unref (connection->linger_source);
    }
  if (connection->stream != NULL)
    {
      if (connection->state == CONNECTION_LINGERING)
        {
          g_io_stream_close (G_IO_STREAM (connection->stream), NULL, NULL);
          g_object_unref (connection->stream);
        }
      else
        g_object_weak_unref (G_OBJECT (connection->stream), connection_gone, connection);
    }
  g_object_unref (connection->remote);
  g_free (connection);
}

static void
set_state (Connection      *connection,
           ConnectionState  state,
           gint64           timeout_us)
{
  gint64 now = g_get_monotonic_time ();

  if (connection->state == CONNECTION_CLOSING)
    return;
  if (state == CONNECTION_CLOSING)
    connection->listener->n_closing++;
  connection->state = state;
  connection->since = now;
  connection->deadline = now + timeout_us;
}

/* Ends a connection that keeps the server waiting: libsoup reads the end of the stream and
 * lets the connection go, its descriptor with it. */
static void
shut_down (Connection *connection)
{
  GSocket *socket;

  if (connection->state == CONNECTION_LINGERING)
    {
      remove_connection (connection->listener, connection);
      return;
    }
  socket = g_socket_connection_get_socket (connection->stream);
  g_socket_shutdown (socket, TRUE, TRUE, NULL);
  set_state (connection, CONNECTION_CLOSING, 0);
}

static void
remove_connection (AkServerListener *self,
                   Connection       *connection)
{
  g_hash_table_remove (self->connections, connection->remote);
  if (self->accept_source == NULL && self->socket != NULL)
    resume_accepting (self);
}

static void
connection_gone (gpointer  data,
                 GObject  *where_the_object_was)
{
  Connection *connection = data;

  connection->stream = NULL;
  remove_connection (connection->listener, connection);
}

static gboolean
sweep (gpointer data)
{
  AkServerListener *self = data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) closed = g_ptr_array_new ();
  g_autoptr(GPtrArray) late = g_ptr_array_new ();
  GHashTableIter iter;
  Connection *connection;

  /* Collected first: shutting down or removing changes the table. */
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connection))
    {
      if (connection->state != CONNECTION_LINGERING
          && g_io_stream_is_closed (G_IO_STREAM (connection->stream)))
        g_ptr_array_add (closed, connection);
      else if (connection->state != CONNECTION_CLOSING && now >= connection->deadline)
        g_ptr_array_add (late, connection);
    }
  for (guint i = 0; i < late->len; i++)
    shut_down (g_ptr_array_index (late, i));
  for (guint i = 0; i < closed->len; i++)
    remove_connection (self, g_ptr_array_index (closed, i));
  return G_SOURCE_CONTINUE;
}

/* Closes the connection that has waited on its client the longest, to make room. */
static gboolean
evict_one (AkServerListener *self)
{
  Connection *oldest = NULL;
  GHashTableIter iter;
  Connection *connection;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connection))
    if (connection_is_waiting_on_client (connection)
        && (oldest == NULL || connection->since < oldest->since))
      oldest = connection;
  if (oldest == NULL)
    return FALSE;
  g_debug ("Token server: %u connections open, closing the one idle the longest",
           g_hash_table_size (self->connections));
  shut_down (oldest);
  return TRUE;
}

static void
send_busy (GSocket *socket)
{
  static const char busy[] =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    "Content-Length: 46\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n"
    "{\"error\":\"Too many connections: try again.\"}\n";

  g_socket_send_with_blocking (socket, busy, sizeof busy - 1, FALSE, NULL, NULL);
  g_socket_close (socket, NULL);
}

static void
adopt (AkServerListener *self,
       GSocket          *socket)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GSocketConnection) stream = NULL;
  Connection *connection;

  if (local == NULL || remote == NULL)
    {
      /* Gone before it was accepted. */
      g_socket_close (socket, NULL);
      return;
    }
  if (g_hash_table_size (self->connections) - self->n_closing >= self->max_connections
      && !evict_one (self))
    {
      send_busy (socket);
      return;
    }

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  stream = g_socket_connection_factory_create_connection (socket);
  connection = g_new0 (Connection, 1);
  connection->listener = self;
  connection->stream = stream;
  connection->remote = g_object_ref (remote);
  connection->state = CONNECTION_NEW;
  connection->since = g_get_monotonic_time ();
  connection->deadline = connection->since + self->header_timeout_us;
  g_object_weak_ref (G_OBJECT (stream), connection_gone, connection);
  g_hash_table_insert (self->connections, connection->remote, connection);
  soup_server_accept_iostream (self->server, G_IO_STREAM (stream), local, remote, NULL);
}

static gboolean
retry_accepting (gpointer data)
{
  AkServerListener *self = data;

  self->accept_retry_id = 0;
  resume_accepting (self);
  return G_SOURCE_REMOVE;
}

static gboolean
accept_ready (GSocket      *socket,
              GIOCondition  condition,
              gpointer      data)
{
  AkServerListener *self = data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (self->socket, NULL, &error);

      if (client != NULL)
        {
          adopt (self, client);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;

      /* Out of descriptors (or a connection reset before it was accepted): the waiting
       * connections stay queued, and accepting resumes shortly or when one ends. */
      g_debug ("Token server: accept failed (%s); retrying", error->message);
      g_clear_pointer (&self->accept_source, g_source_unref);
      self->accept_retry_id = g_timeout_add (ACCEPT_RETRY_MS, retry_accepting, self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
resume_accepting (AkServerListener *self)
{
  if (self->accept_source != NULL)
    return;
  g_clear_handle_id (&self->accept_retry_id, g_source_remove);
  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, (GSourceFunc) (void (*) (void)) accept_ready,
                         self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
}

static Connection *
find_connection (AkServerListener  *self,
                 SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_hash_table_lookup (self->connections, remote) : NULL;
}

static void
on_got_headers (SoupServerMessage *msg,
                AkServerListener  *self)
{
  Connection *connection = find_connection (self, msg);

  if (connection != NULL && connection->state != CONNECTION_LINGERING)
    set_state (connection, CONNECTION_BODY, self->header_timeout_us);
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    AkServerListener  *self)
{
  Connection *connection = find_connection (self, msg);

  /* The first request starts with the connection; a later one with its first byte. */
  if (connection != NULL && connection->state == CONNECTION_IDLE)
    set_state (connection, CONNECTION_HEADERS, self->header_timeout_us);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), self);
}

static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 AkServerListener  *self)
{
  Connection *connection = find_connection (self, msg);

  if (connection != NULL && connection->state != CONNECTION_LINGERING)
    set_state (connection, CONNECTION_RESPONDING, self->idle_timeout_us);
}

static void
on_request_done (SoupServer        *server,
                 SoupServerMessage *msg,
                 AkServerListener  *self)
{
  Connection *connection = find_connection (self, msg);

  if (connection != NULL && connection->state != CONNECTION_LINGERING)
    set_state (connection, CONNECTION_IDLE, self->idle_timeout_us);
}

static gboolean
linger_ready (GSocket      *socket,
              GIOCondition  condition,
              gpointer      data)
{
  Connection *connection = data;
  char buffer[16 * 1024];

  /* Read and dropped: what a refused client still sends never piles up here. */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL,
                                                 &error);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (n <= 0)
        break;
      connection->lingered += n;
      if (connection->lingered > LINGER_MAX_BYTES)
        break;
      if (i == 7)
        return G_SOURCE_CONTINUE;
    }
  g_clear_pointer (&connection->linger_source, g_source_unref);
  remove_connection (connection->listener, connection);
  return G_SOURCE_REMOVE;
}

static char *
format_response (SoupServerMessage *msg,
                 guint              status,
                 const char        *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  GString *text = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  /* libsoup 3.2's table has no phrase for 421. */
  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", status,
                          status == SOUP_STATUS_MISDIRECTED_REQUEST
                            ? "Misdirected Request" : soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Content-Length") != 0
        && g_ascii_strcasecmp (name, "Content-Type") != 0
        && g_ascii_strcasecmp (name, "Connection") != 0
        && g_ascii_strcasecmp (name, "Transfer-Encoding") != 0)
      g_string_append_printf (text, "%s: %s\r\n", name, value);
  g_string_append_printf (text, "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                          "Connection: close\r\n\r\n%s", strlen (body), body);
  return g_string_free (text, FALSE);
}

void
ak_server_listener_refuse (AkServerListener  *self,
                           SoupServerMessage *msg,
                           guint              status,
                           const char        *body)
{
  Connection *connection = find_connection (self, msg);
  g_autofree char *response = format_response (msg, status, body);
  g_autoptr(GIOStream) stolen = NULL;
  GSocket *socket;

  g_return_if_fail (connection != NULL && connection->stream != NULL);
  if (connection->state == CONNECTION_LINGERING)
    return;

  /* Ours from now on: libsoup reads no more of this request. */
  g_object_weak_unref (G_OBJECT (connection->stream), connection_gone, connection);
  g_object_ref (connection->stream);
  if (connection->state == CONNECTION_CLOSING)
    self->n_closing--;
  connection->state = CONNECTION_LINGERING;
  connection->since = g_get_monotonic_time ();
  connection->deadline = connection->since + MIN (LINGER_MS * 1000, self->header_timeout_us);
  stolen = soup_server_message_steal_connection (msg);

  /* A short answer on a fresh connection fits the socket's buffer; if it does not, the
   * client was not reading anyway. */
  socket = g_socket_connection_get_socket (connection->stream);
  g_socket_send_with_blocking (socket, response, strlen (response), FALSE, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  connection->linger_source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                                      NULL);
  g_source_set_callback (connection->linger_source,
                         (GSourceFunc) (void (*) (void)) linger_ready, connection, NULL);
  g_source_attach (connection->linger_source, g_main_context_get_thread_default ());
}

/* A listener libsoup knows of but nobody can reach: libsoup keeps connections alive only
 * while it has one. A Unix socket whose name is removed at once. */
static gboolean
add_unreachable_listener (SoupServer  *server,
                          GError     **error)
{
  g_autofree char *dir = g_dir_make_tmp ("ak-token-server-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  gboolean ok;

  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, "s", NULL);
  address = g_unix_socket_address_new (path);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         error);
  ok = socket != NULL
       && g_socket_bind (socket, address, FALSE, error)
       && g_socket_listen (socket, error)
       && soup_server_listen_socket (server, socket, 0, error);
  g_unlink (path);
  g_rmdir (dir);
  return ok;
}

/* The soft descriptor limit, first raised to the hard one: the default soft limit (1024)
 * is meant for programs that still use select(), which nothing here does. */
static guint
descriptor_limit (void)
{
  struct rlimit rl = { 0 };

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return 1024;
  if (rl.rlim_cur < rl.rlim_max)
    {
      rlim_t soft = rl.rlim_cur;

      rl.rlim_cur = rl.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
        rl.rlim_cur = soft;
    }
  return rl.rlim_cur == RLIM_INFINITY ? G_MAXUINT : (guint) MIN (rl.rlim_cur, G_MAXUINT);
}

AkServerListener *
ak_server_listener_new (SoupServer            *server,
                        GSocket               *socket,
                        const AkServerLimits  *limits,
                        GError               **error)
{
  g_autoptr(AkServerListener) self = g_new0 (AkServerListener, 1);
  guint fd_limit = descriptor_limit ();

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);

  self->server = g_object_ref (server);
  self->socket = g_object_ref (socket);
  self->connections = g_hash_table_new_full (NULL, NULL, NULL,
                                             (GDestroyNotify) connection_free);
  /* Half the descriptors for connections leaves the rest of the process room to work. */
  self->max_connections = MAX (MIN (AK_SERVER_MAX_CONNECTIONS, fd_limit / 2), 1);
  if (limits != NULL && limits->max_connections > 0)
    self->max_connections = limits->max_connections;
  self->header_timeout_us = (gint64) (limits != NULL && limits->header_timeout_ms > 0
                                        ? limits->header_timeout_ms
                                        : AK_SERVER_HEADER_TIMEOUT_MS) * 1000;
  self->idle_timeout_us = (gint64) (limits != NULL && limits->idle_timeout_ms > 0
                                      ? limits->idle_timeout_ms
                                      : AK_SERVER_IDLE_TIMEOUT_MS) * 1000;

  if (!add_unreachable_listener (server, error))
    return NULL;
  g_socket_set_blocking (socket, FALSE);

  self->handlers[0] = g_signal_connect (server, "request-started",
                                        G_CALLBACK (on_request_started), self);
  self->handlers[1] = g_signal_connect (server, "request-read",
                                        G_CALLBACK (on_request_read), self);
  self->handlers[2] = g_signal_connect (server, "request-finished",
                                        G_CALLBACK (on_request_done), self);
  self->handlers[3] = g_signal_connect (server, "request-aborted",
                                        G_CALLBACK (on_request_done), self);
  /* A tenth of the shorter timeout, so that a deadline is kept to within 10 %. */
  self->sweep_id = g_timeout_add (CLAMP (MIN (self->header_timeout_us,
                                              self->idle_timeout_us) / 10000, 10, 1000),
                                  sweep, self);
  resume_accepting (self);
  return g_steal_pointer (&self);
}

void
ak_server_listener_free (AkServerListener *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->accept_retry_id, g_source_remove);
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->server != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
      g_clear_signal_handler (&self->handlers[i], self->server);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->server);
  g_free (self);
}

guint
ak_server_listener_get_n_connections (AkServerListener *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return g_hash_table_size (self->connections) - self->n_closing;
}

guint
ak_server_listener_get_max_connections (AkServerListener *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->max_connections;
}
