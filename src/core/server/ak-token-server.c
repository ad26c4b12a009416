/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>

#include "ak-token-server-private.h"

/* ---------------------------------------------------------------------------------------------
 * The server
 */

/* g_set_str() is GLib 2.76. */
gboolean
ak_token_server_set_str (char       **target,
                         const char  *value)
{
  if (g_strcmp0 (*target, value) == 0)
    return FALSE;
  g_free (*target);
  *target = g_strdup (value);
  return TRUE;
}

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

/* For ak-token-server-http.c, which answers the requests. */
void
ak_token_server_emit_request (AkTokenServer      *self,
                              AkTokenServerEntry *entry)
{
  g_signal_emit (self, signals[SIGNAL_REQUEST], 0, entry);
}

/* For ak-token-server-start.c: the server is up, on its port, maybe with a new API key. */
void
ak_token_server_notify_started (AkTokenServer *self)
{
  if (self->api_key_generated)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
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

void
ak_token_server_set_project_label (AkTokenServer *self,
                                   const char    *label)
{
  g_return_if_fail (AK_IS_TOKEN_SERVER (self));
  if (ak_token_server_set_str (&self->project_label, label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_LABEL]);
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
  if (ak_token_server_set_str (&self->bind_address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BIND_ADDRESS]);
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

void
ak_token_server_set_allowed_hosts (AkTokenServer      *self,
                                   const char * const *hosts)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_if_fail (AK_IS_TOKEN_SERVER (self));

  for (guint i = 0; hosts != NULL && hosts[i] != NULL; i++)
    {
      g_autofree char *name = ak_token_server_normalize_allowed_host (hosts[i]);

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
  return inet != NULL && ak_token_server_inet_is_loopback (inet);
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
