/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <libsecret/secret.h>

#include "ak-error.h"
#include "ak-json.h"
#include "ak-secret.h"
#include "ak-server-listener.h"
#include "ak-token.h"
#include "ak-token-builder.h"
#include "ak-token-request.h"
#include "ak-token-server-private.h"

/* ---------------------------------------------------------------------------------------------
 * Log entries
 */

G_DEFINE_BOXED_TYPE (AkTokenServerEntry, ak_token_server_entry,
                     ak_token_server_entry_copy, ak_token_server_entry_free)

AkTokenServerEntry *
ak_token_server_entry_copy (const AkTokenServerEntry *entry)
{
  AkTokenServerEntry *copy = g_new0 (AkTokenServerEntry, 1);

  *copy = *entry;
  copy->origin = g_strdup (entry->origin);
  copy->method = g_strdup (entry->method);
  copy->route = g_strdup (entry->route);
  copy->token_type = g_strdup (entry->token_type);
  copy->channel = g_strdup (entry->channel);
  copy->uid = g_strdup (entry->uid);
  return copy;
}

void
ak_token_server_entry_free (AkTokenServerEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->origin);
  g_free (entry->method);
  g_free (entry->route);
  g_free (entry->token_type);
  g_free (entry->channel);
  g_free (entry->uid);
  g_free (entry);
}

char *
ak_token_server_entry_format (const AkTokenServerEntry *entry)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (entry->time / G_USEC_PER_SEC);
  g_autofree char *stamp = time != NULL ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("?");
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "%s %s %s %s → %u", stamp,
                          entry->origin != NULL ? entry->origin : "-",
                          entry->method, entry->route, entry->status);
  if (entry->token_type != NULL)
    g_string_append_printf (line, " %s", entry->token_type);
  if (entry->channel != NULL)
    g_string_append_printf (line, _(" channel “%s”"), entry->channel);
  if (entry->uid != NULL)
    g_string_append_printf (line, _(" uid “%s”"), entry->uid);
  g_string_append_printf (line, " %.1f ms", entry->duration_us / 1000.0);
  return g_string_free (line, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * The server
 */

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **target,
         const char  *value)
{
  if (g_strcmp0 (*target, value) == 0)
    return FALSE;
  g_free (*target);
  *target = g_strdup (value);
  return TRUE;
}

struct _AkTokenServer
{
  GObject parent_instance;

  AkCredentialStore *store;
  char *project_label;
  gboolean secondary;
  guint port;
  char *bind_address;
  GStrv allowed_origins;
  GStrv allowed_hosts;
  char *api_key;
  /* Whether api_key was generated at start (and so is dropped at stop). */
  gboolean api_key_generated;

  AkServerLimits limits;

  /* For tests: a fixed issue time and salt, so that a token can be compared byte for byte
   * with the command line's and the window's. */
  guint32 fixed_issue_ts;
  gboolean fixed_salt;
  guint32 salt;

  /* While running only. */
  SoupServer *server;
  AkServerListener *listener;
  char *app_id;
  char *certificate;
  guint bound_port;
};

G_DEFINE_FINAL_TYPE (AkTokenServer, ak_token_server, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PROJECT_LABEL,
  PROP_SECONDARY,
  PROP_PORT,
  PROP_BIND_ADDRESS,
  PROP_ALLOWED_ORIGINS,
  PROP_ALLOWED_HOSTS,
  PROP_API_KEY,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_REQUEST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const default_origins[] = {
  "http://localhost:*",
  "http://127.0.0.1:*",
  NULL,
};

static void
ak_token_server_dispose (GObject *object)
{
  AkTokenServer *self = AK_TOKEN_SERVER (object);

  ak_token_server_stop (self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ak_token_server_parent_class)->dispose (object);
}

static void
ak_token_server_finalize (GObject *object)
{
  AkTokenServer *self = AK_TOKEN_SERVER (object);

  g_free (self->project_label);
  g_free (self->bind_address);
  g_strfreev (self->allowed_origins);
  g_strfreev (self->allowed_hosts);
  g_clear_pointer (&self->api_key, ak_secret_string_free);
  G_OBJECT_CLASS (ak_token_server_parent_class)->finalize (object);
}

static void
ak_token_server_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AkTokenServer *self = AK_TOKEN_SERVER (object);

  switch (prop_id)
    {
    case PROP_PROJECT_LABEL:
      g_value_set_string (value, self->project_label);
      break;
    case PROP_SECONDARY:
      g_value_set_boolean (value, self->secondary);
      break;
    case PROP_PORT:
      g_value_set_uint (value, ak_token_server_get_port (self));
      break;
    case PROP_BIND_ADDRESS:
      g_value_set_string (value, self->bind_address);
      break;
    case PROP_ALLOWED_ORIGINS:
      g_value_set_boxed (value, self->allowed_origins);
      break;
    case PROP_ALLOWED_HOSTS:
      g_value_set_boxed (value, self->allowed_hosts);
      break;
    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->server != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_token_server_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AkTokenServer *self = AK_TOKEN_SERVER (object);

  switch (prop_id)
    {
    case PROP_PROJECT_LABEL:
      ak_token_server_set_project_label (self, g_value_get_string (value));
      break;
    case PROP_SECONDARY:
      ak_token_server_set_secondary (self, g_value_get_boolean (value));
      break;
    case PROP_PORT:
      ak_token_server_set_port (self, g_value_get_uint (value));
      break;
    case PROP_BIND_ADDRESS:
      ak_token_server_set_bind_address (self, g_value_get_string (value));
      break;
    case PROP_ALLOWED_ORIGINS:
      ak_token_server_set_allowed_origins (self, g_value_get_boxed (value));
      break;
    case PROP_ALLOWED_HOSTS:
      ak_token_server_set_allowed_hosts (self, g_value_get_boxed (value));
      break;
    case PROP_API_KEY:
      ak_token_server_set_api_key (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_token_server_class_init (AkTokenServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ak_token_server_dispose;
  object_class->finalize = ak_token_server_finalize;
  object_class->get_property = ak_token_server_get_property;
  object_class->set_property = ak_token_server_set_property;

  properties[PROP_PROJECT_LABEL] = g_param_spec_string ("project-label", NULL, NULL, NULL, rw);
  properties[PROP_SECONDARY] = g_param_spec_boolean ("secondary", NULL, NULL, FALSE, rw);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, rw);
  properties[PROP_BIND_ADDRESS] = g_param_spec_string ("bind-address", NULL, NULL,
                                                       AK_TOKEN_SERVER_DEFAULT_BIND, rw);
  properties[PROP_ALLOWED_ORIGINS] = g_param_spec_boxed ("allowed-origins", NULL, NULL,
                                                         G_TYPE_STRV, rw);
  /**
   * AkTokenServer:allowed-hosts:
   *
   * Names besides this computer's own (localhost, *.localhost, 127.0.0.1, [::1]) that
   * requests to a server on loopback may give in their Host header. Any other name is
   * refused with 421: a web page whose name was rebound to 127.0.0.1 (DNS rebinding) must
   * not get tokens.
   */
  properties[PROP_ALLOWED_HOSTS] = g_param_spec_boxed ("allowed-hosts", NULL, NULL,
                                                       G_TYPE_STRV, rw);
  properties[PROP_API_KEY] = g_param_spec_string ("api-key", NULL, NULL, NULL, rw);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AkTokenServer::request:
   * @entry: the log entry (never a token or a secret)
   *
   * Emitted after each request is answered.
   */
  signals[SIGNAL_REQUEST] = g_signal_new ("request", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1,
                                          AK_TYPE_TOKEN_SERVER_ENTRY
                                            | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ak_token_server_init (AkTokenServer *self)
{
  self->bind_address = g_strdup (AK_TOKEN_SERVER_DEFAULT_BIND);
  self->allowed_origins = g_strdupv ((char **) default_origins);
  self->allowed_hosts = g_new0 (char *, 1);
}

AkTokenServer *
ak_token_server_new (AkCredentialStore *store)
{
  AkTokenServer *self;

  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (store), NULL);

  self = g_object_new (AK_TYPE_TOKEN_SERVER, NULL);
  self->store = g_object_ref (store);
  return self;
}

const char *
ak_token_server_get_project_label (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), NULL);
  return self->project_label;
}

void
ak_token_server_set_project_label (AkTokenServer *self,
                                   const char    *label)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));
  if (set_str (&self->project_label, label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_LABEL]);
}

gboolean
ak_token_server_get_secondary (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), FALSE);
  return self->secondary;
}

void
ak_token_server_set_secondary (AkTokenServer *self,
                               gboolean       secondary)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));
  secondary = !!secondary;
  if (self->secondary == secondary)
    return;
  self->secondary = secondary;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDARY]);
}

guint
ak_token_server_get_port (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), 0);
  return self->server != NULL ? self->bound_port : self->port;
}

void
ak_token_server_set_port (AkTokenServer *self,
                          guint          port)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));
  g_return_if_fail (port <= 65535);
  if (self->port == port)
    return;
  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

const char *
ak_token_server_get_bind_address (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), NULL);
  return self->bind_address;
}

void
ak_token_server_set_bind_address (AkTokenServer *self,
                                  const char    *address)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));
  if (address == NULL || *address == '\0')
    address = AK_TOKEN_SERVER_DEFAULT_BIND;
  if (set_str (&self->bind_address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BIND_ADDRESS]);
}

const char * const *
ak_token_server_get_allowed_origins (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), NULL);
  return (const char * const *) self->allowed_origins;
}

void
ak_token_server_set_allowed_origins (AkTokenServer      *self,
                                     const char * const *origins)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));
  g_strfreev (self->allowed_origins);
  self->allowed_origins = g_strdupv ((char **) (origins != NULL ? origins : default_origins));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOWED_ORIGINS]);
}

/* "name", "name:port", "[v6]" or "[v6]:port": the name in lower case, brackets kept, or
 * %NULL when @value is none of these. */
static char *
host_without_port (const char *value)
{
  const char *rest;
  gsize name_len;

  if (value == NULL)
    return NULL;
  if (value[0] == '[')
    {
      const char *close = strchr (value, ']');

      if (close == NULL)
        return NULL;
      name_len = (gsize) (close + 1 - value);
    }
  else
    name_len = strcspn (value, ":");
  if (name_len == 0 || name_len > 255)
    return NULL;

  rest = value + name_len;
  if (*rest == ':')
    {
      gsize digits = strspn (rest + 1, "0123456789");

      if (digits == 0 || digits > 5 || rest[1 + digits] != '\0')
        return NULL;
    }
  else if (*rest != '\0')
    return NULL;
  return g_ascii_strdown (value, (gssize) name_len);
}

static GInetAddress *
host_to_inet (const char *name)
{
  if (name[0] == '[')
    {
      g_autofree char *inner = g_strndup (name + 1, strlen (name) - 2);
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (inner);

      if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
        return NULL;
      return g_steal_pointer (&inet);
    }
  return g_inet_address_new_from_string (name);
}

/* IPv6's loopback, 127.0.0.0/8, and 127.0.0.0/8 mapped into IPv6 (::ffff:127.0.0.1). */
static gboolean
inet_is_loopback (GInetAddress *inet)
{
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

  if (g_inet_address_get_is_loopback (inet))
    return TRUE;
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8 *bytes = g_inet_address_to_bytes (inet);

      return memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0 && bytes[12] == 127;
    }
  return FALSE;
}

/* A name only this computer answers to: "localhost" and its subdomains (RFC 6761: never
 * looked up in DNS), or a loopback address. */
static gboolean
host_is_this_computer (const char *name)
{
  g_autoptr(GInetAddress) inet = NULL;

  if (g_str_equal (name, "localhost")
      || (g_str_has_suffix (name, ".localhost") && strlen (name) > strlen (".localhost")))
    return TRUE;
  inet = host_to_inet (name);
  return inet != NULL && inet_is_loopback (inet);
}

static gboolean
host_name_is_valid (const char *name)
{
  g_autoptr(GInetAddress) inet = NULL;

  if (name[0] == '[')
    return (inet = host_to_inet (name)) != NULL;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return *name != '\0' && *name != '.' && *name != '-';
}

/* The allow-list form of one name: lower case, no port; %NULL when it is not a host name. */
static char *
normalize_allowed_host (const char *text)
{
  g_autofree char *name = host_without_port (text);

  if (name == NULL || !host_name_is_valid (name))
    return NULL;
  return g_steal_pointer (&name);
}

/**
 * ak_token_server_parse_allowed_hosts:
 * @text: host names separated by commas or spaces, such as "myapp.test, 192.168.1.20"
 * @error: return location for an %AK_ERROR_INVALID_INPUT naming the first word that is not
 *   a host name
 *
 * Returns: (transfer full): the names for ak_token_server_set_allowed_hosts(), lower case and
 *   without ports (maybe empty), or %NULL with @error set
 */
GStrv
ak_token_server_parse_allowed_hosts (const char  *text,
                                     GError     **error)
{
  g_auto(GStrv) words = g_strsplit_set (text != NULL ? text : "", ", \t\n", -1);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *name = NULL;

      if (words[i][0] == '\0')
        continue;
      name = normalize_allowed_host (words[i]);
      if (name == NULL || !g_utf8_validate (words[i], -1, NULL))
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not a host name such as myapp.test or 192.168.1.20."),
                       g_utf8_validate (words[i], -1, NULL) ? words[i] : "?");
          return NULL;
        }
      g_strv_builder_add (names, name);
    }
  return g_strv_builder_end (names);
}

const char * const *
ak_token_server_get_allowed_hosts (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), NULL);
  return (const char * const *) self->allowed_hosts;
}

void
ak_token_server_set_allowed_hosts (AkTokenServer      *self,
                                   const char * const *hosts)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_if_fail (AK_IS_TOKEN_SERVER (self));

  for (guint i = 0; hosts != NULL && hosts[i] != NULL; i++)
    {
      g_autofree char *name = normalize_allowed_host (hosts[i]);

      if (name != NULL)
        g_strv_builder_add (names, name);
    }
  g_strfreev (self->allowed_hosts);
  self->allowed_hosts = g_strv_builder_end (names);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOWED_HOSTS]);
}

void
ak_token_server_set_connection_limits (AkTokenServer *self,
                                       guint          max_connections,
                                       guint          header_timeout_ms,
                                       guint          idle_timeout_ms)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));
  self->limits.max_connections = max_connections;
  self->limits.header_timeout_ms = header_timeout_ms;
  self->limits.idle_timeout_ms = idle_timeout_ms;
}

void
ak_token_server_set_fixed_issue_for_testing (AkTokenServer *self,
                                             guint32        issue_ts,
                                             gboolean       fixed_salt,
                                             guint32        salt)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));

  self->fixed_issue_ts = issue_ts;
  self->fixed_salt = fixed_salt;
  self->salt = salt;
}

guint
ak_token_server_get_n_connections (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), 0);
  return self->listener != NULL ? ak_server_listener_get_n_connections (self->listener) : 0;
}

guint
ak_token_server_get_max_connections (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), 0);
  return self->listener != NULL ? ak_server_listener_get_max_connections (self->listener) : 0;
}

const char *
ak_token_server_get_api_key (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), NULL);
  return self->api_key;
}

void
ak_token_server_set_api_key (AkTokenServer *self,
                             const char    *api_key)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));
  g_clear_pointer (&self->api_key, ak_secret_string_free);
  if (api_key != NULL && *api_key != '\0')
    self->api_key = g_strdup (api_key);
  self->api_key_generated = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
}

gboolean
ak_token_server_address_is_loopback (const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;

  if (address == NULL)
    return FALSE;
  inet = g_inet_address_new_from_string (address);
  return inet != NULL && inet_is_loopback (inet);
}

gboolean
ak_token_server_get_running (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), FALSE);
  return self->server != NULL;
}

char *
ak_token_server_get_url (AkTokenServer *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_SERVER (self), NULL);
  if (self->server == NULL)
    return NULL;
  if (strchr (self->bind_address, ':') != NULL)
    return g_strdup_printf ("http://[%s]:%u", self->bind_address, self->bound_port);
  return g_strdup_printf ("http://%s:%u", self->bind_address, self->bound_port);
}

void
ak_token_server_stop (AkTokenServer *self)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));

  if (self->server != NULL)
    {
      /* Connections first: the listener keeps track of them until they are gone. */
      soup_server_disconnect (self->server);
      g_clear_pointer (&self->listener, ak_server_listener_free);
      g_clear_object (&self->server);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  g_clear_pointer (&self->certificate, ak_secret_string_free);
  g_clear_pointer (&self->app_id, g_free);
  if (self->api_key_generated)
    {
      g_clear_pointer (&self->api_key, ak_secret_string_free);
      self->api_key_generated = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Requests
 */

typedef struct
{
  AkTokenServer *self;
  SoupServerMessage *msg;
  AkTokenServerEntry entry;
} Request;

/* The agora-token-service shape of an error: what to fix, in a sentence. */
static char *
error_body (const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
respond_error (Request    *request,
               guint       status,
               const char *message)
{
  g_autofree char *body = error_body (message);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* @pairs: key, value, …, NULL. Values are wiped after use: they may be tokens. */
static void
respond_json (Request    *request,
              const char *first_key,
              ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *body;
  const char *key;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_key);
  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

static void
respond_text (Request    *request,
              const char *text)
{
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_COPY, text, strlen (text));
}

static gboolean
origin_matches (const char *pattern,
                const char *origin)
{
  gsize len = strlen (pattern);

  if (g_strcmp0 (pattern, "*") == 0 || g_strcmp0 (pattern, origin) == 0)
    return TRUE;

  /* "scheme://host:*": that host on any port, or on its default port. */
  if (len >= 2 && g_str_has_suffix (pattern, ":*"))
    {
      gsize prefix = len - 2;
      const char *rest;

      if (strncmp (pattern, origin, prefix) != 0)
        return FALSE;
      rest = origin + prefix;
      if (*rest == '\0')
        return TRUE;
      if (*rest != ':' || rest[1] == '\0')
        return FALSE;
      for (rest++; *rest != '\0'; rest++)
        if (!g_ascii_isdigit (*rest))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

static gboolean
origin_allowed (AkTokenServer *self,
                const char    *origin)
{
  for (guint i = 0; self->allowed_origins != NULL && self->allowed_origins[i] != NULL; i++)
    if (origin_matches (self->allowed_origins[i], origin))
      return TRUE;
  return FALSE;
}

static gboolean
api_key_accepted (AkTokenServer *self,
                  SoupServerMessage *msg)
{
  const char *header;
  const char *given;
  gsize key_len;

  if (self->api_key == NULL)
    return TRUE;
  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  given = header + 7;
  while (*given == ' ')
    given++;
  key_len = strlen (self->api_key);
  return strlen (given) == key_len && CRYPTO_memcmp (given, self->api_key, key_len) == 0;
}

/* Expiry: 0 or missing gives agora-token-service's default; negative or over 24 h is refused. */
static gboolean
check_expire (Request    *request,
              const char *name,
              gint64      expire,
              guint32    *out)
{
  if (expire < 0 || expire > AK_TOKEN_SERVER_MAX_EXPIRE)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” must be a number of seconds from 0 to 86400 (24 hours); "
                           "0 or none gives 3600."), name);

      respond_error (request, SOUP_STATUS_BAD_REQUEST, message);
      return FALSE;
    }
  *out = expire == 0 ? AK_TOKEN_SERVER_DEFAULT_EXPIRE : (guint32) expire;
  return TRUE;
}

/* No role means subscriber, as in agora-token-service; but where it makes any other word a
 * subscriber too ("Publisher", "host"), a misspelt role is refused instead. */
static gboolean
parse_role (Request    *request,
            const char *role,
            gint64     *out)
{
  if (g_strcmp0 (role, "publisher") == 0)
    *out = AK_RTC_ROLE_PUBLISHER;
  else if (role == NULL || *role == '\0' || g_str_equal (role, "subscriber"))
    *out = AK_RTC_ROLE_SUBSCRIBER;
  else
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST,
                     _("“role” must be “publisher” or “subscriber” (none means subscriber)."));
      return FALSE;
    }
  return TRUE;
}

typedef enum
{
  UID_ACCOUNT,
  UID_NUMBER,
} UidKind;

/* agora-token-service's rule: a uid that is all digits is an integer uid. Unlike it, a
 * value that does not fit 32 bits is refused instead of wrapped. */
static gboolean
classify_uid (Request    *request,
              const char *uid,
              UidKind    *kind,
              guint32    *number)
{
  guint64 value;
  gboolean digits = *uid != '\0';
  const char *p = uid;

  /* agora-token-service signs "-1" as a user account; but a client sending it most likely
   * means a uid above 2147483647 seen through a signed 32-bit int (Java, Kotlin), and would
   * join with a number the token does not name. */
  if (*p == '-' && g_ascii_isdigit (p[1]))
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST,
                     _("“uid” must be a whole number from 0 to 4294967295 (a negative number "
                       "is a signed 32-bit uid: add 4294967296), or a user account; for an "
                       "account such as “-1” use GET /rtc/CHANNEL/ROLE/userAccount/-1/."));
      return FALSE;
    }
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      digits = FALSE;
  if (!digits)
    {
      *kind = UID_ACCOUNT;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (uid, 10, 0, G_MAXUINT32, &value, NULL))
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST,
                     _("“uid” must be a whole number from 0 to 4294967295; "
                       "agora-token-service would silently wrap larger values."));
      return FALSE;
    }
  *kind = UID_NUMBER;
  *number = (guint32) value;
  return TRUE;
}

/* Routes and bodies only decide what is asked for (with agora-token-service's rules); the
 * kinds, their builders and inputs are AkTokenRequest's, as for the window and the CLI. */
static AkTokenRequest
base_request (AkTokenServer *self,
              AkTokenKind    kind,
              guint32        expire)
{
  return (AkTokenRequest) {
    .kind = kind,
    .app_id = self->app_id,
    .app_certificate = self->certificate,
    .expire = expire,
    .issue_ts = self->fixed_issue_ts,
    .fixed_salt = self->fixed_salt,
    .salt = self->salt,
  };
}

/* The token, or an error already answered. */
static char *
build (Request              *request,
       const AkTokenRequest *token_request)
{
  g_autoptr(AkBuildResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = ak_token_request_build (token_request, &error);
  if (result == NULL)
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST, error->message);
      return NULL;
    }
  return g_strdup (ak_build_result_get_token (result));
}

static char *
build_rtc (Request    *request,
           const char *channel,
           const char *role_name,
           const char *uid,
           gboolean    force_account,
           guint32     expire)
{
  AkTokenRequest token_request;
  UidKind kind = UID_ACCOUNT;
  guint32 number = 0;
  gint64 role;

  if (channel == NULL || *channel == '\0')
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST,
                     _("“channel” is missing: an RTC token is for one channel."));
      return NULL;
    }
  if (uid == NULL || *uid == '\0')
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST,
                     _("“uid” is missing: give an integer uid (0 for any) or a user account."));
      return NULL;
    }
  if (!parse_role (request, role_name, &role))
    return NULL;
  if (!force_account && !classify_uid (request, uid, &kind, &number))
    return NULL;

  token_request = base_request (request->self, AK_TOKEN_KIND_RTC, expire);
  token_request.channel = channel;
  token_request.use_account = kind != UID_NUMBER;
  token_request.uid = number;
  token_request.account = uid;
  token_request.role = (AkRtcRole) role;
  token_request.privilege_expire = expire;
  return build (request, &token_request);
}

/* RTM login; with a stream channel, also RTC join and data stream in that channel for the
 * same user, as agora-token-service's RTM tokens do. */
static char *
build_rtm (Request    *request,
           const char *user_id,
           const char *channel,
           guint32     expire)
{
  gboolean stream = channel != NULL && *channel != '\0';
  AkTokenRequest token_request;

  if (user_id == NULL || *user_id == '\0')
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST,
                     _("“uid” is missing: an RTM token is for one user ID."));
      return NULL;
    }

  token_request = base_request (request->self,
                                stream ? AK_TOKEN_KIND_RTM_STREAM : AK_TOKEN_KIND_RTM, expire);
  token_request.user_id = user_id;
  token_request.channel = channel;
  return build (request, &token_request);
}

static char *
build_chat (Request    *request,
            const char *user_id,
            guint32     expire)
{
  gboolean app = user_id == NULL || *user_id == '\0';
  AkTokenRequest token_request;

  token_request = base_request (request->self,
                                app ? AK_TOKEN_KIND_CHAT_APP : AK_TOKEN_KIND_CHAT_USER, expire);
  token_request.user_id = user_id;
  return build (request, &token_request);
}

static void
note (Request    *request,
      const char *token_type,
      const char *channel,
      const char *uid)
{
  set_str (&request->entry.token_type, token_type);
  if (channel != NULL && *channel != '\0')
    set_str (&request->entry.channel, channel);
  if (uid != NULL && *uid != '\0')
    set_str (&request->entry.uid, uid);
}

static void
wipe_token (char *token)
{
  if (token != NULL)
    ak_secret_string_free (token);
}

/* A token on its way out: wiped once answered. */
typedef char AkTokenServerTokenText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkTokenServerTokenText, wipe_token)

/* The member named @key in any case: agora-token-service decodes with Go's encoding/json, which
 * takes "TokenType" or "UID" for "tokenType" and "uid". Two spellings of one name are refused,
 * as which one counts would depend on their order. */
static gboolean
find_member (Request     *request,
             JsonObject  *object,
             const char  *key,
             JsonNode   **out)
{
  g_autoptr(GList) names = json_object_get_members (object);
  const char *found = NULL;

  *out = NULL;
  for (GList *l = names; l != NULL; l = l->next)
    {
      if (g_ascii_strcasecmp (l->data, key) != 0)
        continue;
      if (found != NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("The body gives “%s” twice, as “%s” and as “%s”: keep one."),
                             key, found, (const char *) l->data);

          respond_error (request, SOUP_STATUS_BAD_REQUEST, message);
          return FALSE;
        }
      found = l->data;
    }
  if (found != NULL)
    *out = json_object_get_member (object, found);
  return TRUE;
}

/* A string member, a number given for a string (uids), or absent. */
static gboolean
member_string (Request     *request,
               JsonObject  *object,
               const char  *key,
               char       **out)
{
  JsonNode *node;

  *out = NULL;
  if (!find_member (request, object, key, &node))
    return FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out = g_strdup (json_node_get_string (node));
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }
  {
    g_autofree char *message = g_strdup_printf (_("“%s” must be a string."), key);

    respond_error (request, SOUP_STATUS_BAD_REQUEST, message);
  }
  return FALSE;
}

static void
handle_get_token (Request *request)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *role = NULL;
  g_autofree char *uid = NULL;
  g_autoptr(AkTokenServerTokenText) token = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (request->msg);
  JsonObject *object;
  JsonNode *expire_node;
  gint64 expire_value = 0;
  guint32 expire;

  body = soup_message_body_flatten (request_body);
  if (g_bytes_get_size (body) > AK_TOKEN_SERVER_MAX_BODY)
    {
      respond_error (request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                     _("The request body is larger than 64 KiB."));
      return;
    }
  /* Refuses NUL bytes, escaped NULs and invalid UTF-8 anywhere: a channel "ab\u0000cd" would
   * otherwise be signed as "ab". */
  root = ak_json_parse_untrusted (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      const char *example = _("The body must be a JSON object like {\"tokenType\": \"rtc\", "
                              "\"channel\": \"test\", \"role\": \"publisher\", "
                              "\"uid\": \"0\", \"expire\": 3600}.");
      g_autofree char *message = error != NULL ? g_strdup_printf ("%s %s", error->message,
                                                                  example)
                                               : g_strdup (example);

      respond_error (request, SOUP_STATUS_BAD_REQUEST, message);
      return;
    }
  object = json_node_get_object (root);

  if (!member_string (request, object, "tokenType", &type)
      || !member_string (request, object, "channel", &channel)
      || !member_string (request, object, "role", &role)
      || !member_string (request, object, "uid", &uid))
    return;

  /* agora-token-service ignores "expiry" in a body and gives 3600 s: a client that works here
   * would silently get other tokens there. */
  if (!find_member (request, object, "expiry", &expire_node))
    return;
  if (expire_node != NULL)
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST,
                     _("In a body the lifetime is “expire”: agora-token-service ignores "
                       "“expiry” there (that is the GET routes' query parameter)."));
      return;
    }
  if (!find_member (request, object, "expire", &expire_node))
    return;
  if (expire_node != NULL && !JSON_NODE_HOLDS_NULL (expire_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (expire_node)
          || json_node_get_value_type (expire_node) != G_TYPE_INT64)
        {
          respond_error (request, SOUP_STATUS_BAD_REQUEST,
                         _("“expire” must be a whole number of seconds from 0 to 86400."));
          return;
        }
      expire_value = json_node_get_int (expire_node);
    }

  note (request, type, channel, uid);
  if (!check_expire (request, "expire", expire_value, &expire))
    return;

  if (g_strcmp0 (type, "rtc") == 0)
    token = build_rtc (request, channel, role, uid, FALSE, expire);
  else if (g_strcmp0 (type, "rtm") == 0)
    token = build_rtm (request, uid, channel, expire);
  else if (g_strcmp0 (type, "chat") == 0)
    token = build_chat (request, uid, expire);
  else
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST,
                     _("“tokenType” must be “rtc”, “rtm” or “chat”."));
      return;
    }

  if (token != NULL)
    respond_json (request, "token", token, NULL);
}

/* The GET routes' "expiry" query parameter. */
static gboolean
query_expire (Request    *request,
              GHashTable *query,
              guint32    *expire)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, "expiry") : NULL;
  GHashTableIter iter;
  const char *name;
  gint64 value = 0;

  /* agora-token-service reads "expiry" only, and silently gives 3600 s for "expire" or
   * "Expiry": a client that works here would get other tokens there. */
  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
        if (g_ascii_strcasecmp (name, "expire") == 0
            || (g_ascii_strcasecmp (name, "expiry") == 0 && !g_str_equal (name, "expiry")))
          {
            respond_error (request, SOUP_STATUS_BAD_REQUEST,
                           _("The GET routes take the lifetime as “?expiry=SECONDS”, in "
                             "lower case; agora-token-service ignores other spellings."));
            return FALSE;
          }
    }
  /* An empty "?expiry=" is no number: agora-token-service refuses it too. */
  if (text != NULL
      && !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    {
      respond_error (request, SOUP_STATUS_BAD_REQUEST,
                     _("“expiry” must be a whole number of seconds from 0 to 86400."));
      return FALSE;
    }
  return check_expire (request, "expiry", value, expire);
}

/* The path's uid for @type; an empty one is uid 0 (any user), as in agora-token-service. */
static gboolean
parse_uid_type (Request     *request,
                const char  *type,
                const char **uid,
                gboolean    *force_account)
{
  if (g_strcmp0 (type, "userAccount") == 0)
    {
      /* agora-token-service signs the account "0" here, which names one user, not any. */
      if (**uid == '\0')
        {
          respond_error (request, SOUP_STATUS_BAD_REQUEST,
                         _("The user account is empty: give one, or use token type “uid” with "
                           "uid 0 (or an empty uid) for any user."));
          return FALSE;
        }
      *force_account = TRUE;
      return TRUE;
    }
  if (g_strcmp0 (type, "uid") == 0)
    {
      UidKind kind;
      guint32 number;

      *force_account = FALSE;
      if (**uid == '\0')
        *uid = "0";
      if (!classify_uid (request, *uid, &kind, &number))
        return FALSE;
      if (kind != UID_NUMBER)
        {
          respond_error (request, SOUP_STATUS_BAD_REQUEST,
                         _("With token type “uid” the uid must be a whole number from 0 to "
                           "4294967295; use “userAccount” for a string account."));
          return FALSE;
        }
      return TRUE;
    }
  respond_error (request, SOUP_STATUS_BAD_REQUEST,
                 _("The token type must be “uid” or “userAccount”."));
  return FALSE;
}

static void
handle_get_route (Request     *request,
                  char       **parts,
                  guint        n_parts,
                  GHashTable  *query)
{
  g_autoptr(AkTokenServerTokenText) token = NULL;
  g_autoptr(AkTokenServerTokenText) token_2 = NULL;
  guint32 expire;
  gboolean force_account = FALSE;

  if (n_parts == 1 && g_str_equal (parts[0], "ping"))
    {
      respond_json (request, "message", "pong", NULL);
      return;
    }

  if (n_parts == 5 && g_str_equal (parts[0], "rtc"))
    {
      const char *uid = parts[4];

      note (request, "rtc", parts[1], uid);
      if (query_expire (request, query, &expire)
          && parse_uid_type (request, parts[3], &uid, &force_account))
        token = build_rtc (request, parts[1], parts[2], uid, force_account, expire);
      if (token != NULL)
        respond_json (request, "rtcToken", token, NULL);
      return;
    }

  if (n_parts == 2 && g_str_equal (parts[0], "rtm"))
    {
      note (request, "rtm", NULL, parts[1]);
      if (*parts[1] == '\0' || g_str_equal (parts[1], "0"))
        {
          respond_error (request, SOUP_STATUS_BAD_REQUEST,
                         _("The RTM user ID must not be empty or “0”."));
          return;
        }
      if (query_expire (request, query, &expire))
        token = build_rtm (request, parts[1], NULL, expire);
      if (token != NULL)
        respond_json (request, "rtmToken", token, NULL);
      return;
    }

  if ((n_parts == 5 || n_parts == 6) && g_str_equal (parts[0], "rte"))
    {
      const char *uid = parts[4];
      const char *rtm_uid;

      note (request, "rte", parts[1], uid);
      if (!query_expire (request, query, &expire)
          || !parse_uid_type (request, parts[3], &uid, &force_account))
        return;
      /* As in agora-token-service: the RTC uid is also the RTM user ID unless the path gives
       * one (which may be "0"); uid 0, any user, is no RTM user. */
      rtm_uid = n_parts == 6 ? parts[5] : g_str_equal (uid, "0") ? "" : uid;
      if (*rtm_uid == '\0')
        {
          respond_error (request, SOUP_STATUS_BAD_REQUEST,
                         _("The RTM user ID is missing: when the RTC uid is 0 or empty, add "
                           "the RTM user ID to the path, /rte/CHANNEL/ROLE/TYPE/UID/RTMUID/."));
          return;
        }
      token = build_rtc (request, parts[1], parts[2], uid, force_account, expire);
      if (token != NULL)
        token_2 = build_rtm (request, rtm_uid, parts[1], expire);
      if (token_2 != NULL)
        respond_json (request, "rtcToken", token, "rtmToken", token_2, NULL);
      return;
    }

  if (n_parts >= 2 && g_str_equal (parts[0], "chat"))
    {
      if (n_parts == 2 && g_str_equal (parts[1], "app"))
        {
          note (request, "chat", NULL, NULL);
          if (query_expire (request, query, &expire))
            token = build_chat (request, NULL, expire);
          if (token != NULL)
            respond_json (request, "chatToken", token, NULL);
          return;
        }
      if (n_parts == 3 && g_str_equal (parts[1], "app") && g_str_equal (parts[2], "token"))
        {
          note (request, "chat", NULL, NULL);
          if (query_expire (request, query, &expire))
            token = build_chat (request, NULL, expire);
          if (token != NULL)
            respond_text (request, token);
          return;
        }
      if (n_parts == 3 && g_str_equal (parts[1], "account"))
        {
          note (request, "chat", NULL, parts[2]);
          /* build_chat() would make an empty user ID an app token, with every privilege. */
          if (*parts[2] == '\0')
            {
              respond_error (request, SOUP_STATUS_BAD_REQUEST,
                             _("The chat user ID is missing: use /chat/account/USER/."));
              return;
            }
          if (query_expire (request, query, &expire))
            token = build_chat (request, parts[2], expire);
          if (token != NULL)
            respond_json (request, "chatToken", token, NULL);
          return;
        }
      /* No such route in agora-token-service either: 404, but saying what is missing. */
      if (n_parts == 2 && g_str_equal (parts[1], "account"))
        {
          respond_error (request, SOUP_STATUS_NOT_FOUND,
                         _("The chat user ID is missing: use /chat/account/USER/."));
          return;
        }
    }

  respond_error (request, SOUP_STATUS_NOT_FOUND,
                 _("No such route. Use POST /getToken, or GET /rtc/…, /rtm/…, /rte/…, "
                   "/chat/app/, /chat/account/…, /chat/app/token or /ping."));
}

/* The path's segments, unescaped, without empty ones from a trailing slash. */
static char **
split_path (const char *path,
            guint      *n_parts)
{
  g_auto(GStrv) raw = g_strsplit (path, "/", -1);
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  guint count = g_strv_length (raw);

  for (guint i = 0; i < count; i++)
    {
      char *part;

      /* Skip the leading "" and one trailing "" (Gin's routes end in "/"). */
      if ((i == 0 || i == count - 1) && raw[i][0] == '\0')
        continue;
      /* NUL (%00), a broken escape or bytes that are not UTF-8: no name has them. */
      part = g_uri_unescape_string (raw[i], NULL);
      if (part == NULL || !g_utf8_validate (part, -1, NULL))
        {
          g_free (part);
          g_ptr_array_free (parts, TRUE);
          return NULL;
        }
      g_ptr_array_add (parts, part);
    }
  *n_parts = parts->len;
  g_ptr_array_add (parts, NULL);
  return (char **) g_ptr_array_free (parts, FALSE);
}

/* The raw query's names and values, each unescaped, hold no NUL and are UTF-8. */
static gboolean
query_is_clean (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return TRUE;
  pairs = g_strsplit_set (query, "&;=", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_autofree char *text = g_uri_unescape_string (pairs[i], NULL);

      if (text == NULL || !g_utf8_validate (text, -1, NULL))
        return FALSE;
    }
  return TRUE;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  AkTokenServer *self = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *origin = soup_message_headers_get_one (request_headers, "Origin");
  gint64 start = g_get_monotonic_time ();
  Request request = { self, msg, { 0 } };
  g_auto(GStrv) parts = NULL;
  guint n_parts = 0;

  request.entry.time = g_get_real_time ();
  request.entry.origin = g_strdup (origin);
  request.entry.method = g_strdup (method);
  request.entry.route = g_strdup (path);

  /* Every answer may carry a token or a refusal about one: none may be cached. */
  soup_message_headers_replace (response_headers, "Cache-Control", "no-store");
  soup_message_headers_replace (response_headers, "Pragma", "no-cache");

  if (origin != NULL)
    {
      soup_message_headers_append (response_headers, "Vary", "Origin");
      if (!origin_allowed (self, origin))
        {
          respond_error (&request, SOUP_STATUS_FORBIDDEN, _("Origin not allowed"));
          goto out;
        }
      soup_message_headers_replace (response_headers, "Access-Control-Allow-Origin", origin);
    }

  if (g_str_equal (method, "OPTIONS"))
    {
      soup_message_headers_replace (response_headers, "Access-Control-Allow-Methods",
                                    "GET, POST, OPTIONS");
      soup_message_headers_replace (response_headers, "Access-Control-Allow-Headers",
                                    "Origin, Content-Type, Authorization");
      soup_message_headers_replace (response_headers, "Access-Control-Max-Age", "600");
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      goto out;
    }

  if (!api_key_accepted (self, msg))
    {
      soup_message_headers_replace (response_headers, "WWW-Authenticate", "Bearer");
      respond_error (&request, SOUP_STATUS_UNAUTHORIZED,
                     _("This server needs its API key: send “Authorization: Bearer KEY”."));
      goto out;
    }

  if (g_str_equal (path, "/getToken") || g_str_equal (path, "/getToken/"))
    {
      if (!g_str_equal (method, "POST"))
        {
          soup_message_headers_replace (response_headers, "Allow", "POST, OPTIONS");
          respond_error (&request, SOUP_STATUS_METHOD_NOT_ALLOWED,
                         _("Use POST for /getToken."));
        }
      else
        handle_get_token (&request);
      goto out;
    }

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (response_headers, "Allow", "GET, OPTIONS");
      respond_error (&request, SOUP_STATUS_METHOD_NOT_ALLOWED,
                     _("Only POST /getToken takes a body; the other routes use GET."));
      goto out;
    }

  parts = split_path (path, &n_parts);
  if (parts == NULL || !query_is_clean (msg))
    respond_error (&request, SOUP_STATUS_BAD_REQUEST,
                   _("The path or the query holds a NUL (%00), a broken escape or text that is "
                     "not UTF-8."));
  else
    handle_get_route (&request, parts, n_parts, query);

out:
  request.entry.status = soup_server_message_get_status (msg);
  request.entry.duration_us = g_get_monotonic_time () - start;
  g_signal_emit (self, signals[SIGNAL_REQUEST], 0, &request.entry);
  g_free (request.entry.origin);
  g_free (request.entry.method);
  g_free (request.entry.route);
  g_free (request.entry.token_type);
  g_free (request.entry.channel);
  g_free (request.entry.uid);
}

/* A refusal decided from the headers alone: answered at once, and the connection closed
 * without reading the body, whatever its size. */
static void
refuse_early (AkTokenServer     *self,
              SoupServerMessage *msg,
              guint              status,
              const char        *message)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *body = error_body (message);
  const char *origin = soup_message_headers_get_one (request_headers, "Origin");
  AkTokenServerEntry entry = { 0 };

  entry.time = g_get_real_time ();
  entry.origin = origin != NULL && g_utf8_validate (origin, -1, NULL) ? g_strdup (origin) : NULL;
  entry.method = g_strdup (soup_server_message_get_method (msg));
  entry.route = g_strdup (uri != NULL ? g_uri_get_path (uri) : "?");
  entry.status = status;

  soup_message_headers_replace (response_headers, "Cache-Control", "no-store");
  soup_message_headers_replace (response_headers, "Pragma", "no-cache");
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (response_headers, "WWW-Authenticate", "Bearer");
  ak_server_listener_refuse (self->listener, msg, status, body);

  g_signal_emit (self, signals[SIGNAL_REQUEST], 0, &entry);
  g_free (entry.origin);
  g_free (entry.method);
  g_free (entry.route);
}

/* The Host header, and an absolute request URI's host, must name this computer or an allowed
 * name: a page whose name was rebound to 127.0.0.1 calls with its own name as the Host. */
static gboolean
request_host_allowed (AkTokenServer     *self,
                      SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_list (headers, "Host");
  GUri *uri = soup_server_message_get_uri (msg);
  const char *names[2] = { NULL, NULL };
  g_autofree char *header_name = NULL;
  g_autofree char *uri_name = NULL;

  /* No Host (HTTP/1.0) or several: refused, as nothing shows which site asked. */
  if (value == NULL || strchr (value, ',') != NULL || uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  header_name = host_without_port (value);
  if (strchr (g_uri_get_host (uri), ':') != NULL && g_uri_get_host (uri)[0] != '[')
    uri_name = g_strdup_printf ("[%s]", g_uri_get_host (uri));
  else
    uri_name = g_ascii_strdown (g_uri_get_host (uri), -1);
  names[0] = header_name;
  names[1] = uri_name;

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      gboolean allowed;

      if (names[n] == NULL)
        return FALSE;
      allowed = host_is_this_computer (names[n])
                || g_strv_contains ((const char * const *) self->allowed_hosts, names[n]);
      if (!allowed)
        return FALSE;
    }
  return TRUE;
}

/* libsoup 3.2 reads Content-Length into a signed 64-bit value: 2^63 and more wrap to a
 * negative length, which it then treats as an empty body, and the body's bytes as the next
 * request. Read the header's text as well, and take only plain digits within the limit. */
static gboolean
content_length_acceptable (SoupMessageHeaders *headers)
{
  const char *text = soup_message_headers_get_one (headers, "Content-Length");
  goffset length = soup_message_headers_get_content_length (headers);
  guint64 value;

  if (length < 0 || length > AK_TOKEN_SERVER_MAX_BODY || text == NULL)
    return FALSE;
  while (*text == ' ' || *text == '\t')
    text++;
  return g_ascii_string_to_unsigned (text, 10, 0, AK_TOKEN_SERVER_MAX_BODY, &value, NULL)
         && (goffset) value == length;
}

static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  AkTokenServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* libsoup refused it already (say, a bad URI): its body is not read either. */
  if (soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    {
      refuse_early (self, msg, soup_server_message_get_status (msg),
                    _("The request is not valid HTTP."));
      return;
    }
  if (ak_token_server_address_is_loopback (self->bind_address)
      && !request_host_allowed (self, msg))
    {
      refuse_early (self, msg, SOUP_STATUS_MISDIRECTED_REQUEST,
                    _("This server answers only requests addressed to this computer "
                      "(localhost, 127.0.0.1 or [::1]) or to a name allowed with "
                      "--allow-host: the Host header names another site."));
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && !content_length_acceptable (headers))
    {
      refuse_early (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                    _("The request body is larger than 64 KiB."));
      return;
    }
  /* The preflight carries no credentials; everything else shows the key before its body. */
  if (!g_str_equal (soup_server_message_get_method (msg), "OPTIONS")
      && !api_key_accepted (self, msg))
    refuse_early (self, msg, SOUP_STATUS_UNAUTHORIZED,
                  _("This server needs its API key: send “Authorization: Bearer KEY”."));
}

/* A chunked body announces no length: it is cut off once it passes the limit. */
static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  AkTokenServer *self = user_data;

  if (soup_server_message_get_request_body (msg)->length > AK_TOKEN_SERVER_MAX_BODY)
    refuse_early (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                  _("The request body is larger than 64 KiB."));
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), user_data);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), user_data);
}

/* ---------------------------------------------------------------------------------------------
 * Start
 */

static char *
generate_api_key (GError **error)
{
  guint8 bytes[16];
  char *key;

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_FAILED,
                   _("Could not generate an API key: no secure random numbers."));
      return NULL;
    }
  key = g_malloc (sizeof bytes * 2 + 1);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_snprintf (key + 2 * i, 3, "%02x", bytes[i]);
  ak_secret_wipe (bytes, sizeof bytes);
  return key;
}

/* The API key is kept in the keyring, so that clients on other machines keep working across
 * restarts; when the keyring cannot answer in time, a key for this run only is used. */
static const SecretSchema api_key_schema = {
  .name = APP_ID ".TokenServerKey",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = "purpose", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};
#define API_KEY_PURPOSE "token-server-api-key"
#define API_KEY_LOOKUP_SECONDS 5

static gboolean
listen_now (AkTokenServer  *self,
            GError        **error);

static void
finish_start (GTask      *task,
              const char *certificate)
{
  AkTokenServer *self = g_task_get_source_object (task);
  AkCredential *project = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!listen_now (self, &error))
    {
      if (self->api_key_generated)
        {
          g_clear_pointer (&self->api_key, ak_secret_string_free);
          self->api_key_generated = FALSE;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->certificate = g_strdup (certificate);
  self->app_id = g_strdup (ak_credential_get_app_id (project));
  if (self->api_key_generated)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  GTask *task;
  char *certificate;
  GCancellable *cancellable;
  guint timeout_id;
} KeyLookup;

static void
key_lookup_free (KeyLookup *lookup)
{
  g_clear_handle_id (&lookup->timeout_id, g_source_remove);
  g_clear_object (&lookup->cancellable);
  ak_secret_string_free (lookup->certificate);
  g_clear_object (&lookup->task);
  g_free (lookup);
}

static gboolean
key_lookup_timed_out (gpointer data)
{
  KeyLookup *lookup = data;

  lookup->timeout_id = 0;
  g_cancellable_cancel (lookup->cancellable);
  return G_SOURCE_REMOVE;
}

static void
key_looked_up (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  KeyLookup *lookup = user_data;
  AkTokenServer *self = g_task_get_source_object (lookup->task);
  g_autoptr(GError) error = NULL;
  char *stored = secret_password_lookup_finish (result, &error);

  if (stored != NULL && ak_is_hex32 (stored))
    {
      self->api_key = g_strdup (stored);
    }
  else
    {
      self->api_key = generate_api_key (&error);
      if (self->api_key == NULL)
        {
          g_task_return_error (lookup->task, g_steal_pointer (&error));
          secret_password_free (stored);
          key_lookup_free (lookup);
          return;
        }
      /* Kept for the next start; if the keyring refuses, this run still has its key. */
      if (!g_cancellable_is_cancelled (lookup->cancellable))
        secret_password_store (&api_key_schema, SECRET_COLLECTION_DEFAULT,
                               _("Agora Keys token server API key"), self->api_key, NULL, NULL,
                               NULL, "purpose", API_KEY_PURPOSE, NULL);
    }
  secret_password_free (stored);
  self->api_key_generated = TRUE;
  finish_start (lookup->task, lookup->certificate);
  key_lookup_free (lookup);
}

static gboolean
listen_now (AkTokenServer  *self,
            GError        **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->bind_address);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GSocket) socket = NULL;

  /* Raw paths: each segment is unescaped once, by split_path(), which refuses %00. */
  server = soup_server_new ("server-header", "agora-keys ", "raw-paths", TRUE, NULL);
  address = g_inet_socket_address_new (inet, self->port);
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &local_error);
  if (socket != NULL)
    {
      /* GSocket's default backlog of 10 resets connections from a burst of clients. */
      g_socket_set_listen_backlog (socket, 1024);
      if (!g_socket_bind (socket, address, TRUE, &local_error)
          || !g_socket_listen (socket, &local_error))
        g_clear_object (&socket);
    }
  if (socket == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, AK_ERROR, AK_ERROR_FAILED,
                     _("Port %u on %s is already in use. Choose another port, or 0 for a "
                       "free one."), self->port, self->bind_address);
      else
        g_set_error (error, AK_ERROR, AK_ERROR_FAILED,
                     _("Could not listen on %s port %u: %s"), self->bind_address, self->port,
                     local_error->message);
      return FALSE;
    }

  self->bound_port = self->port;
  {
    g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);

    if (local != NULL && G_IS_INET_SOCKET_ADDRESS (local))
      self->bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  }

  self->listener = ak_server_listener_new (server, socket, &self->limits, &local_error);
  if (self->listener == NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_FAILED, _("Could not listen on %s port %u: %s"),
                   self->bind_address, self->port, local_error->message);
      return FALSE;
    }
  soup_server_add_handler (server, NULL, handle_request, self, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started), self);
  self->server = g_steal_pointer (&server);
  return TRUE;
}

static void
secrets_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AkTokenServer *self = g_task_get_source_object (task);
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  char *certificate;

  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (source), result,
                                                     &error);
  if (secrets == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->server != NULL)
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_FAILED,
                               _("The token server is already running."));
      return;
    }

  certificate = self->secondary ? secrets->secondary_certificate
                                : secrets->primary_certificate;
  if (certificate == NULL || !ak_validate_app_certificate (certificate, NULL))
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               self->secondary
                                 ? _("The project has no usable secondary certificate.")
                                 : _("The project has no usable primary certificate."));
      return;
    }

  if (!ak_token_server_address_is_loopback (self->bind_address) && self->api_key == NULL)
    {
      KeyLookup *lookup = g_new0 (KeyLookup, 1);

      lookup->task = g_object_ref (task);
      lookup->certificate = g_strdup (certificate);
      lookup->cancellable = g_cancellable_new ();
      lookup->timeout_id = g_timeout_add_seconds (API_KEY_LOOKUP_SECONDS, key_lookup_timed_out,
                                                  lookup);
      secret_password_lookup (&api_key_schema, lookup->cancellable, key_looked_up, lookup,
                              "purpose", API_KEY_PURPOSE, NULL);
      return;
    }

  finish_start (task, certificate);
}

void
ak_token_server_start_async (AkTokenServer       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  AkCredential *project;

  g_return_if_fail (AK_IS_TOKEN_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_token_server_start_async);

  if (self->server != NULL)
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_FAILED,
                               _("The token server is already running."));
      return;
    }
  if (self->project_label == NULL || *self->project_label == '\0')
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("Choose the project whose certificate signs the tokens."));
      return;
    }
  inet = g_inet_address_new_from_string (self->bind_address);
  if (inet == NULL)
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("“%s” is not an IP address to listen on, such as 127.0.0.1."),
                               self->bind_address);
      return;
    }

  project = ak_credential_store_find (self->store, AK_CREDENTIAL_PROJECT, self->project_label);
  if (project == NULL)
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_NOT_FOUND,
                               _("No project in the keyring is named “%s”."),
                               self->project_label);
      return;
    }
  if (self->secondary && !ak_credential_get_has_secondary (project))
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("The project “%s” has no secondary certificate."),
                               self->project_label);
      return;
    }

  g_task_set_task_data (task, g_object_ref (project), g_object_unref);
  ak_credential_store_load_secrets_async (self->store, project, cancellable, secrets_loaded,
                                          g_steal_pointer (&task));
}

gboolean
ak_token_server_start_finish (AkTokenServer  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
