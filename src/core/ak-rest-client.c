/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-rest-private.h"
#include "ak-token.h"
#include "ak-token-builder.h"

#define DEFAULT_TIMEOUT_SECONDS 30
#define DEFAULT_TOKEN_EXPIRE 3600
#define MAX_REDIRECTS 5
/* An exchanged Chat token is reused until this close to its expiry. */
#define CHAT_TOKEN_MARGIN_SECONDS 60

/* ---------------------------------------------------------------------------------------------
 * A TLS database that trusts one more set of anchors than the system's (tests' servers)
 */

#define AK_TYPE_TRUST_DATABASE (ak_trust_database_get_type ())
G_DECLARE_FINAL_TYPE (AkTrustDatabase, ak_trust_database, AK, TRUST_DATABASE, GTlsDatabase)

struct _AkTrustDatabase
{
  GTlsDatabase parent_instance;

  GTlsDatabase *extra;
  GTlsDatabase *system;
};

G_DEFINE_FINAL_TYPE (AkTrustDatabase, ak_trust_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
ak_trust_database_verify_chain (GTlsDatabase             *database,
                                GTlsCertificate          *chain,
                                const char               *purpose,
                                GSocketConnectable       *identity,
                                GTlsInteraction          *interaction,
                                GTlsDatabaseVerifyFlags   flags,
                                GCancellable             *cancellable,
                                GError                  **error)
{
  AkTrustDatabase *self = AK_TRUST_DATABASE (database);
  g_autoptr(GError) system_error = NULL;
  GTlsCertificateFlags extra_result;
  GTlsCertificateFlags system_result;

  extra_result = g_tls_database_verify_chain (self->extra, chain, purpose, identity, interaction,
                                              flags, cancellable, error);
  if (extra_result == 0 || (error != NULL && *error != NULL) || self->system == NULL)
    return extra_result;

  system_result = g_tls_database_verify_chain (self->system, chain, purpose, identity,
                                               interaction, flags, cancellable, &system_error);
  if (system_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&system_error));
      return system_result;
    }
  /* Anything the extra anchors do not vouch for is judged as the system would. */
  return system_result;
}

static void
ak_trust_database_finalize (GObject *object)
{
  AkTrustDatabase *self = AK_TRUST_DATABASE (object);

  g_clear_object (&self->extra);
  g_clear_object (&self->system);
  G_OBJECT_CLASS (ak_trust_database_parent_class)->finalize (object);
}

static void
ak_trust_database_class_init (AkTrustDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ak_trust_database_finalize;
  G_TLS_DATABASE_CLASS (klass)->verify_chain = ak_trust_database_verify_chain;
}

static void
ak_trust_database_init (AkTrustDatabase *self)
{
}

static GTlsDatabase *
ak_trust_database_new (GTlsDatabase *extra)
{
  AkTrustDatabase *self = g_object_new (AK_TYPE_TRUST_DATABASE, NULL);

  self->extra = g_object_ref (extra);
  self->system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  return G_TLS_DATABASE (self);
}

/* ---------------------------------------------------------------------------------------------
 * The client
 */

typedef struct
{
  char *access_token;
  gint64 valid_until;
} ChatToken;

struct _AkRestClient
{
  GObject parent_instance;

  SoupSession *session;
  AkCredentialStore *store;
  /* Exchanged Chat tokens, in memory only: cache key → ChatToken. */
  GHashTable *chat_tokens;
};

G_DEFINE_FINAL_TYPE (AkRestClient, ak_rest_client, G_TYPE_OBJECT)

static void
chat_token_free (gpointer data)
{
  ChatToken *token = data;

  ak_secret_string_free (token->access_token);
  g_free (token);
}

static void
ak_rest_client_dispose (GObject *object)
{
  AkRestClient *self = AK_REST_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ak_rest_client_parent_class)->dispose (object);
}

static void
ak_rest_client_finalize (GObject *object)
{
  AkRestClient *self = AK_REST_CLIENT (object);

  g_clear_pointer (&self->chat_tokens, g_hash_table_unref);
  G_OBJECT_CLASS (ak_rest_client_parent_class)->finalize (object);
}

static void
ak_rest_client_class_init (AkRestClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ak_rest_client_dispose;
  object_class->finalize = ak_rest_client_finalize;
}

static void
ak_rest_client_init (AkRestClient *self)
{
  /* The default session honours the system proxy and verifies certificates. Auth headers
   * are set up front, so the auth manager (which answers challenges) has nothing to do. */
  self->session = soup_session_new ();
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
  soup_session_set_user_agent (self->session, "agora-keys/" PACKAGE_VERSION);
  self->chat_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, chat_token_free);
}

/**
 * ak_rest_client_new:
 * @store: (nullable): where the credentials named by requests are found
 *
 * Returns: (transfer full): a client with its own HTTP session
 */
AkRestClient *
ak_rest_client_new (AkCredentialStore *store)
{
  AkRestClient *self = g_object_new (AK_TYPE_REST_CLIENT, NULL);

  g_return_val_if_fail (store == NULL || AK_IS_CREDENTIAL_STORE (store), self);

  if (store != NULL)
    self->store = g_object_ref (store);
  return self;
}

void
ak_rest_client_set_tls_database (AkRestClient *self,
                                 GTlsDatabase *database)
{
  g_autoptr(GTlsDatabase) combined = NULL;

  g_return_if_fail (AK_IS_REST_CLIENT (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  if (database == NULL)
    {
      g_autoptr(GTlsDatabase) system = NULL;

      system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
      soup_session_set_tls_database (self->session, system);
      return;
    }
  combined = ak_trust_database_new (database);
  soup_session_set_tls_database (self->session, combined);
}

/* ---------------------------------------------------------------------------------------------
 * One send (or one auth resolution)
 */

typedef struct
{
  AkRestClient *client;
  AkRestRequest *request;
  gboolean resolve_only;

  AkCredential *credential;
  /* "Name: value" lines, minted at send time; secrets, wiped. */
  GPtrArray *auth_headers;
  /* The request's extra headers split into name, value, name, value, … */
  GPtrArray *extra_headers;
  const char *content_type;

  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong caller_handler;
  GSource *deadline;
  guint timeout_seconds;
  gboolean timed_out;

  GUri *origin;
  GUri *uri;
  char *method;
  gboolean with_body;
  gboolean send_credentials;
  guint redirects;
  gint64 started;
  GTlsCertificateFlags tls_errors;
  SoupMessage *message;
  AkRestResponse *response;
} SendOp;

static void
secret_free (gpointer data)
{
  ak_secret_string_free (data);
}

static void
send_op_clear_message (SendOp *op)
{
  if (op->message == NULL)
    return;
  g_signal_handlers_disconnect_by_data (op->message, op);
  g_clear_object (&op->message);
}

static void
send_op_free (gpointer data)
{
  SendOp *op = data;

  if (op->deadline != NULL)
    {
      g_source_destroy (op->deadline);
      g_source_unref (op->deadline);
    }
  if (op->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (op->caller_cancellable, op->caller_handler);
      g_object_unref (op->caller_cancellable);
    }
  send_op_clear_message (op);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->credential);
  g_clear_pointer (&op->auth_headers, g_ptr_array_unref);
  g_clear_pointer (&op->extra_headers, g_ptr_array_unref);
  g_clear_pointer (&op->request, ak_rest_request_free);
  g_clear_pointer (&op->origin, g_uri_unref);
  g_clear_pointer (&op->uri, g_uri_unref);
  g_clear_pointer (&op->response, ak_rest_response_free);
  g_free (op->method);
  g_clear_object (&op->client);
  g_free (op);
}

static void
cancel_internal (GCancellable *caller,
                 gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static SendOp *
send_op_new (AkRestClient        *client,
             const AkRestRequest *request,
             GCancellable        *cancellable,
             gboolean             resolve_only)
{
  SendOp *op = g_new0 (SendOp, 1);

  op->client = g_object_ref (client);
  op->request = ak_rest_request_copy (request);
  op->resolve_only = resolve_only;
  op->auth_headers = g_ptr_array_new_with_free_func (secret_free);
  op->extra_headers = g_ptr_array_new_with_free_func (secret_free);
  op->cancellable = g_cancellable_new ();
  op->timeout_seconds = request->timeout_seconds > 0 ? request->timeout_seconds
                                                     : DEFAULT_TIMEOUT_SECONDS;
  if (cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (cancellable);
      op->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_internal),
                                                  op->cancellable, NULL);
    }
  return op;
}

static char *
describe_host (GUri *uri)
{
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return g_strdup (_("the server"));
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf (strchr (host, ':') != NULL ? "[%s]:%d" : "%s:%d", host,
                            g_uri_get_port (uri));
  return g_strdup (host);
}

/* ---------------------------------------------------------------------------------------------
 * Checking the request
 */

static gboolean
method_is_valid (const char *method)
{
  return method != NULL && ak_rest_header_name_is_valid (method);
}

static gboolean
prepare_request (SendOp  *op,
                 GError **error)
{
  AkRestRequest *request = op->request;
  gboolean minted = request->auth.scheme != AK_AUTH_NONE;

  if (!method_is_valid (request->method))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("“%s” is not an HTTP method."),
                   request->method != NULL ? request->method : "");
      return FALSE;
    }
  if (!ak_rest_check_url (request->url, error))
    return FALSE;

  for (guint i = 0; request->headers != NULL && i < request->headers->len; i++)
    {
      const char *line = g_ptr_array_index (request->headers, i);
      const char *colon = strchr (line, ':');
      g_autofree char *name = NULL;
      char *value;

      if (colon != NULL)
        name = g_strstrip (g_strndup (line, (gsize) (colon - line)));
      if (name == NULL || !ak_rest_header_name_is_valid (name))
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not a header: write it as Name: value."),
                       name != NULL ? name : line);
          return FALSE;
        }
      value = g_strstrip (g_strdup (colon + 1));
      if (!ak_rest_header_value_is_valid (value))
        {
          ak_secret_string_free (value);
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The value of the header %s contains a line break or a control "
                         "character."), name);
          return FALSE;
        }
      if (minted && (g_ascii_strcasecmp (name, "Authorization") == 0
                     || g_ascii_strncasecmp (name, "x-agora-", strlen ("x-agora-")) == 0))
        {
          ak_secret_string_free (value);
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The header %s is set by the authentication scheme: remove it, or "
                         "choose no authentication."), name);
          return FALSE;
        }
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        op->content_type = value;
      g_ptr_array_add (op->extra_headers, g_steal_pointer (&name));
      g_ptr_array_add (op->extra_headers, value);
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Transport errors, classified by domain and code
 */

static char *
describe_certificate_problem (GTlsCertificateFlags flags)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (reasons, (gpointer) _("it is not signed by a known certificate authority "
                                           "(it may be self-signed)"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (reasons, (gpointer) _("it was issued for another host name"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (reasons, (gpointer) _("it is not valid yet"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (reasons, (gpointer) _("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (reasons, (gpointer) _("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (reasons, (gpointer) _("it uses an insecure algorithm"));
  if (reasons->len == 0)
    g_ptr_array_add (reasons, (gpointer) _("it could not be verified"));
  g_ptr_array_add (reasons, NULL);
  /* Translators: joins the reasons a certificate is not trusted. */
  return g_strjoinv (_("; "), (char **) reasons->pdata);
}

static GError *
describe_transport_error (SendOp *op,
                          GError *error)
{
  g_autofree char *host = describe_host (op->uri);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !op->timed_out)
    return g_error_copy (error);

  if (op->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (AK_ERROR, AK_ERROR_HTTP, _("The server did not answer within %u s."),
                        op->timeout_seconds);

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                        _("The host name %s could not be found: check its spelling and your "
                          "network connection."), g_uri_get_host (op->uri));

  if (error->domain == G_TLS_ERROR)
    {
      g_autofree char *problem = NULL;

      switch (error->code)
        {
        case G_TLS_ERROR_BAD_CERTIFICATE:
          problem = describe_certificate_problem (op->tls_errors);
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("The certificate of %s is not trusted: %s. Nothing was sent."),
                              host, problem);
        case G_TLS_ERROR_UNAVAILABLE:
          return g_error_new_literal (AK_ERROR, AK_ERROR_HTTP,
                                      _("This system has no TLS support: install "
                                        "glib-networking."));
        case G_TLS_ERROR_NOT_TLS:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("%s does not answer in TLS (https://): check the address and "
                                "port."), host);
        default:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("The secure connection to %s failed: %s"), host,
                              error->message);
        }
    }

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CONNECTION_REFUSED:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("%s refused the connection: nothing is listening there, or a "
                                "firewall blocks it."), host);
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("%s cannot be reached: check your network connection."), host);
        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_PROXY_AUTH_FAILED:
        case G_IO_ERROR_PROXY_NEED_AUTH:
        case G_IO_ERROR_PROXY_NOT_ALLOWED:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("The proxy did not forward the request to %s: %s"), host,
                              error->message);
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_PARTIAL_INPUT:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("The connection to %s closed before the answer was "
                                "complete."), host);
        default:
          break;
        }
    }

  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (AK_ERROR, AK_ERROR_HTTP, _("The answer from %s is not valid HTTP."),
                        host);

  return g_error_new (AK_ERROR, AK_ERROR_HTTP, _("The request to %s failed: %s"), host,
                      error->message);
}

static void
return_transport_error (GTask  *task,
                        GError *error)
{
  SendOp *op = g_task_get_task_data (task);

  g_task_return_error (task, describe_transport_error (op, error));
}

/* ---------------------------------------------------------------------------------------------
 * HTTP plumbing shared by the Chat exchange and the request itself
 */

static gboolean
deadline_reached (gpointer user_data)
{
  SendOp *op = user_data;

  op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

/* One deadline covers the Chat exchange, the request and its redirects, but not the keyring,
 * which may be waiting for the user to type a password. */
static void
start_deadline (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);

  if (op->deadline != NULL)
    return;
  op->deadline = g_timeout_source_new ((guint) MIN ((guint64) op->timeout_seconds * 1000,
                                                    G_MAXUINT));
  g_source_set_callback (op->deadline, deadline_reached, op, NULL);
  g_source_set_static_name (op->deadline, "[ak] REST request deadline");
  g_source_attach (op->deadline, g_task_get_context (task));
}

static void
stop_deadline (SendOp *op)
{
  if (op->deadline == NULL)
    return;
  g_source_destroy (op->deadline);
  g_clear_pointer (&op->deadline, g_source_unref);
}

static gboolean
record_certificate_errors (SoupMessage          *message,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  SendOp *op = user_data;

  op->tls_errors = errors;
  return FALSE;
}

static SoupMessage *
new_message (SendOp     *op,
             const char *method,
             GUri       *uri)
{
  SoupMessage *message = soup_message_new_from_uri (method, uri);

  soup_message_set_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (message, "accept-certificate", G_CALLBACK (record_certificate_errors), op);
  op->tls_errors = 0;
  return message;
}

static void
add_header_line (SoupMessageHeaders *headers,
                 const char         *line)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = g_strndup (line, (gsize) (colon - line));

  soup_message_headers_replace (headers, name, colon + 2);
}

/* ---------------------------------------------------------------------------------------------
 * The request, its redirects and the response
 */

static void send_hop (GTask *task);

static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0
         && effective_port (a) == effective_port (b);
}

static void
analyze_response (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SendOp *op = task_data;
  AkRestResponse *response = op->response;
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  gsize size = 0;

  /* Off the main thread: a 5 MB project listing takes a while to parse. */
  data = g_bytes_get_data (response->body, &size);
  root = ak_rest_parse_json (data, size);
  response->error_summary = ak_rest_summarize_json (response->status, root);
  response->masked_body = ak_rest_mask_json (data, size, root);
  g_task_return_pointer (task, g_steal_pointer (&op->response),
                         (GDestroyNotify) ak_rest_response_free);
}

static void
finish_response (GTask  *task,
                 GBytes *body)
{
  SendOp *op = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (op->message);
  AkRestResponse *response = ak_rest_response_new ();
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  stop_deadline (op);
  response->status = soup_message_get_status (op->message);
  response->reason = g_strdup (soup_message_get_reason_phrase (op->message));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_ptr_array_add (response->headers, g_strdup_printf ("%s: %s", name, value));
  response->body = g_bytes_ref (body);
  response->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  response->request_id = g_strdup (soup_message_headers_get_one (headers, "X-Request-ID"));
  response->duration_ms = (g_get_monotonic_time () - op->started) / 1000;
  response->success = response->status >= 200 && response->status < 300;
  op->response = response;

  /* Soup objects stay on this thread; the worker only reads the bytes. */
  send_op_clear_message (op);
  g_task_run_in_thread (task, analyze_response);
}

static gboolean
follow_redirect (GTask       *task,
                 const char  *location,
                 GError     **error)
{
  SendOp *op = g_task_get_task_data (task);
  guint status = soup_message_get_status (op->message);
  g_autoptr(GUri) next = NULL;
  g_autofree char *next_text = NULL;
  g_autoptr(GError) local_error = NULL;

  if (++op->redirects > MAX_REDIRECTS)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_HTTP,
                   _("The server redirected more than %d times; the redirects were not "
                     "followed further."), MAX_REDIRECTS);
      return FALSE;
    }

  next = g_uri_parse_relative (op->uri, location, G_URI_FLAGS_ENCODED, NULL);
  if (next == NULL)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_HTTP,
                           _("The server redirected to an address that is not a URL."));
      return FALSE;
    }
  next_text = g_uri_to_string_partial (next, G_URI_HIDE_FRAGMENT);

  if (g_ascii_strcasecmp (g_uri_get_scheme (op->uri), "https") == 0
      && g_ascii_strcasecmp (g_uri_get_scheme (next), "https") != 0)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_HTTP,
                   _("The server redirected from https:// to the insecure %s; the redirect "
                     "was not followed."), next_text);
      return FALSE;
    }
  if (!ak_rest_check_url (next_text, &local_error))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_HTTP,
                   _("The server redirected to %s, which was not followed: %s"), next_text,
                   local_error->message);
      return FALSE;
    }

  /* Credentials are for the origin the user chose; once they are withheld they stay so. */
  if (!same_origin (op->origin, next))
    op->send_credentials = FALSE;

  if ((status == 303 && g_strcmp0 (op->method, "HEAD") != 0)
      || ((status == 301 || status == 302) && g_strcmp0 (op->method, "POST") == 0))
    {
      g_free (op->method);
      op->method = g_strdup ("GET");
      op->with_body = FALSE;
    }

  g_clear_pointer (&op->uri, g_uri_unref);
  op->uri = g_uri_parse (next_text, G_URI_FLAGS_ENCODED, NULL);
  return TRUE;
}

static void
hop_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      stop_deadline (op);
      return_transport_error (task, error);
      return;
    }

  location = soup_message_headers_get_one (soup_message_get_response_headers (op->message),
                                           "Location");
  if (is_redirect (soup_message_get_status (op->message)) && location != NULL)
    {
      if (!follow_redirect (task, location, &error))
        {
          stop_deadline (op);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      send_hop (g_steal_pointer (&task));
      return;
    }

  finish_response (task, body);
}

static void
send_hop (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  send_op_clear_message (op);
  op->message = new_message (op, op->method, op->uri);
  headers = soup_message_get_request_headers (op->message);

  soup_message_headers_replace (headers, "Accept", "application/json");
  for (guint i = 0; i + 1 < op->extra_headers->len; i += 2)
    {
      const char *name = g_ptr_array_index (op->extra_headers, i);
      const char *value = g_ptr_array_index (op->extra_headers, i + 1);

      if (!op->send_credentials && ak_rest_header_is_credential (name))
        continue;
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        continue;
      if (g_ascii_strcasecmp (name, "Accept") == 0 || g_ascii_strcasecmp (name, "User-Agent") == 0)
        soup_message_headers_replace (headers, name, value);
      else
        soup_message_headers_append (headers, name, value);
    }
  if (op->send_credentials)
    for (guint i = 0; i < op->auth_headers->len; i++)
      add_header_line (headers, g_ptr_array_index (op->auth_headers, i));

  if (op->with_body)
    {
      g_autoptr(GBytes) body = g_bytes_new (op->request->body, strlen (op->request->body));

      soup_message_set_request_body_from_bytes (op->message,
                                                op->content_type != NULL ? op->content_type
                                                                         : "application/json",
                                                body);
    }

  g_debug ("Sending %s to %s://%s", op->method, g_uri_get_scheme (op->uri),
           g_uri_get_host (op->uri));
  soup_session_send_and_read_async (op->client->session, op->message, G_PRIORITY_DEFAULT,
                                    op->cancellable, hop_done, task);
}

static void
auth_ready (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);

  if (op->resolve_only)
    {
      GPtrArray *lines = g_ptr_array_new_with_free_func (secret_free);

      for (guint i = 0; i < op->auth_headers->len; i++)
        g_ptr_array_add (lines, g_strdup (g_ptr_array_index (op->auth_headers, i)));
      stop_deadline (op);
      g_task_return_pointer (task, lines, (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  op->origin = g_uri_parse (op->request->url, G_URI_FLAGS_ENCODED, NULL);
  g_clear_pointer (&op->uri, g_uri_unref);
  op->uri = g_uri_ref (op->origin);
  op->method = g_strdup (op->request->method);
  op->with_body = op->request->body != NULL;
  op->send_credentials = TRUE;
  op->started = g_get_monotonic_time ();
  start_deadline (task);
  send_hop (task);
}

/* ---------------------------------------------------------------------------------------------
 * Minting the auth headers
 */

static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* A token from the official builder; the copy of the certificate in the inputs is wiped. */
static char *
mint_token (AkBuilder    builder,
            const char  *app_id,
            const char  *certificate,
            const char  *user_id,
            guint32      expire,
            GError     **error)
{
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(AkBuildResult) result = NULL;
  const char *copy;

  json_object_set_string_member (inputs, "app_id", app_id);
  json_object_set_string_member (inputs, "app_certificate", certificate);
  if (user_id != NULL)
    json_object_set_string_member (inputs, "user_id", user_id);
  json_object_set_int_member (inputs, "expire", expire);

  result = ak_build_token (builder, inputs, error);

  copy = json_object_get_string_member (inputs, "app_certificate");
  ak_secure_wipe ((char *) copy, strlen (copy));

  return result != NULL ? g_strdup (ak_build_result_get_token (result)) : NULL;
}

static char *
chat_cache_key (AkCredential *project,
                const char   *certificate)
{
  g_autofree char *certificate_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                                     certificate, -1);

  return g_strjoin ("\n", ak_credential_get_id (project), ak_credential_get_app_id (project),
                    ak_credential_get_chat_host (project), ak_credential_get_chat_org (project),
                    ak_credential_get_chat_app (project), certificate_hash, NULL);
}

typedef struct
{
  GTask *task;
  char *cache_key;
  SoupMessage *message;
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  g_free (exchange->cache_key);
  g_free (exchange);
}

static void
exchange_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Exchange *exchange = user_data;
  GTask *task = exchange->task;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *host = describe_host (op->uri);
  JsonObject *object_root;
  const char *access_token;
  ChatToken *cached;
  gint64 now = g_get_real_time ();
  gint64 expires_at;
  guint status;
  const char *data;
  gsize size = 0;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      stop_deadline (op);
      g_task_return_error (task, describe_transport_error (op, error));
      g_object_unref (task);
      exchange_free (exchange);
      return;
    }

  status = soup_message_get_status (op->message);
  data = g_bytes_get_data (body, &size);
  root = ak_rest_parse_json (data, size);
  if (status < 200 || status >= 300)
    {
      g_autofree char *summary = ak_rest_summarize_json (status, root);

      stop_deadline (op);
      if (summary != NULL)
        error = g_error_new (AK_ERROR, AK_ERROR_HTTP,
                             _("The Chat token exchange at %s failed (HTTP %u): %s"), host,
                             status, summary);
      else
        error = g_error_new (AK_ERROR, AK_ERROR_HTTP,
                             _("The Chat token exchange at %s failed (HTTP %u)."), host, status);
      fail (task, g_steal_pointer (&error));
      exchange_free (exchange);
      return;
    }

  object_root = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  access_token = object_root != NULL ? json_object_get_string_member_with_default (object_root,
                                                                                    "access_token",
                                                                                    NULL)
                                     : NULL;
  if (access_token == NULL || *access_token == '\0'
      || !ak_rest_header_value_is_valid (access_token))
    {
      stop_deadline (op);
      fail (task, g_error_new (AK_ERROR, AK_ERROR_HTTP,
                               _("The Chat token exchange at %s answered without an access "
                                 "token."), host));
      exchange_free (exchange);
      return;
    }

  /* expire_timestamp is in milliseconds; without it, the minted token's lifetime applies. */
  expires_at = json_object_get_int_member_with_default (object_root, "expire_timestamp", 0) * 1000;
  if (expires_at <= 0)
    expires_at = now + (gint64) op->request->auth.token_expire * G_USEC_PER_SEC;

  g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: Bearer ", access_token, NULL));
  if (expires_at - CHAT_TOKEN_MARGIN_SECONDS * G_USEC_PER_SEC > now)
    {
      cached = g_new0 (ChatToken, 1);
      cached->access_token = g_strdup (access_token);
      cached->valid_until = expires_at - CHAT_TOKEN_MARGIN_SECONDS * G_USEC_PER_SEC;
      g_hash_table_replace (op->client->chat_tokens, g_steal_pointer (&exchange->cache_key),
                            cached);
    }

  /* The body and the parsed copy hold the token too. */
  ak_secure_wipe ((char *) access_token, strlen (access_token));
  ak_secure_wipe ((char *) data, size);

  send_op_clear_message (op);
  exchange_free (exchange);
  auth_ready (task);
}

static void
start_chat_exchange (GTask      *task,
                     const char *app_token,
                     char       *cache_key)
{
  SendOp *op = g_task_get_task_data (task);
  AkCredential *project = op->credential;
  g_autofree char *org = g_uri_escape_string (ak_credential_get_chat_org (project), NULL, FALSE);
  g_autofree char *app = g_uri_escape_string (ak_credential_get_chat_app (project), NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/%s/%s/token", org, app);
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"grant_type\":\"agora\"}",
                                               strlen ("{\"grant_type\":\"agora\"}"));
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  Exchange *exchange;

  url = ak_rest_build_url (ak_credential_get_chat_host (project), path, &error);
  if (url == NULL)
    {
      g_free (cache_key);
      fail (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&op->uri, g_uri_unref);
  op->uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  send_op_clear_message (op);
  op->message = new_message (op, "POST", op->uri);
  headers = soup_message_get_request_headers (op->message);
  authorization = g_strconcat ("Bearer ", app_token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  ak_secure_wipe (authorization, strlen (authorization));
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (op->message, "application/json", body);

  exchange = g_new0 (Exchange, 1);
  exchange->task = task;
  exchange->cache_key = cache_key;
  start_deadline (task);
  soup_session_send_and_read_async (op->client->session, op->message, G_PRIORITY_DEFAULT,
                                    op->cancellable, exchange_done, exchange);
}

static void
secrets_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  AkRestAuth *auth = &op->request->auth;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  const char *certificate;
  const char *app_id = ak_credential_get_app_id (op->credential);
  guint32 expire = auth->token_expire > 0 ? auth->token_expire : DEFAULT_TOKEN_EXPIRE;
  char *token = NULL;

  /* Keyring errors (locked, unavailable) pass through as they are. */
  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result, &error);
  if (secrets == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  if (auth->scheme == AK_AUTH_BASIC)
    {
      char *pair = g_strconcat (ak_credential_get_customer_id (op->credential), ":",
                                secrets->customer_secret != NULL ? secrets->customer_secret : "",
                                NULL);
      char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: Basic ", encoded, NULL));
      ak_secret_string_free (pair);
      ak_secret_string_free (encoded);
      auth_ready (task);
      return;
    }

  certificate = auth->secondary ? secrets->secondary_certificate : secrets->primary_certificate;
  if (certificate == NULL || *certificate == '\0')
    {
      fail (task, g_error_new (AK_ERROR, AK_ERROR_INVALID_INPUT,
                               auth->secondary
                                 ? _("The project “%s” has no secondary certificate.")
                                 : _("The project “%s” has no certificate."),
                               ak_credential_get_label (op->credential)));
      return;
    }

  if (auth->scheme == AK_AUTH_CHAT_EXCHANGE)
    {
      char *key = chat_cache_key (op->credential, certificate);
      ChatToken *cached = g_hash_table_lookup (op->client->chat_tokens, key);

      if (cached != NULL && cached->valid_until > g_get_real_time ())
        {
          g_ptr_array_add (op->auth_headers,
                           g_strconcat ("Authorization: Bearer ", cached->access_token, NULL));
          g_free (key);
          auth_ready (task);
          return;
        }
      g_hash_table_remove (op->client->chat_tokens, key);

      token = mint_token (AK_BUILDER_CHAT_APP, app_id, certificate, NULL, expire, &error);
      if (token == NULL)
        {
          g_free (key);
          fail (task, g_steal_pointer (&error));
          return;
        }
      start_chat_exchange (task, token, key);
      ak_secret_string_free (token);
      return;
    }

  if (auth->scheme == AK_AUTH_BEARER)
    token = mint_token (AK_BUILDER_CHAT_APP, app_id, certificate, NULL, expire, &error);
  else
    token = mint_token (AK_BUILDER_RTM, app_id, certificate, auth->user_id, expire, &error);
  if (token == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  switch (auth->scheme)
    {
    case AK_AUTH_AGORA_TOKEN:
      g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: agora token=", token, NULL));
      break;
    case AK_AUTH_X_AGORA:
      g_ptr_array_add (op->auth_headers, g_strconcat ("x-agora-token: ", token, NULL));
      g_ptr_array_add (op->auth_headers, g_strconcat ("x-agora-uid: ", auth->user_id, NULL));
      break;
    case AK_AUTH_BEARER:
      g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: Bearer ", token, NULL));
      break;
    case AK_AUTH_NONE:
    case AK_AUTH_BASIC:
    case AK_AUTH_CHAT_EXCHANGE:
    default:
      g_assert_not_reached ();
    }
  ak_secret_string_free (token);
  auth_ready (task);
}

/* Finds the credential the scheme needs and checks what the scheme needs of it, before the
 * keyring is asked for anything. */
static AkCredential *
find_credential (SendOp  *op,
                 GError **error)
{
  AkRestAuth *auth = &op->request->auth;
  gboolean customer = auth->scheme == AK_AUTH_BASIC;
  AkCredentialKind kind = customer ? AK_CREDENTIAL_CUSTOMER : AK_CREDENTIAL_PROJECT;
  const char *label = auth->credential_label;
  AkCredential *credential = NULL;

  if (label == NULL || *label == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           customer ? _("Choose the customer credential (Customer ID and "
                                        "Secret) to sign the request with.")
                           : auth->scheme == AK_AUTH_BEARER
                             ? _("Choose a project to mint a Chat app token with, or paste a "
                                 "token.")
                             : _("Choose the project whose certificate signs the token."));
      return NULL;
    }

  if (op->client->store != NULL)
    credential = ak_credential_store_find (op->client->store, kind, label);
  if (credential == NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   customer ? _("No customer credential is named “%s”: add it on the "
                                "Credentials page, or choose another.")
                            : _("No project is named “%s”: add it on the Credentials page, or "
                                "choose another."),
                   label);
      return NULL;
    }

  if (auth->scheme == AK_AUTH_AGORA_TOKEN || auth->scheme == AK_AUTH_X_AGORA)
    {
      if (auth->user_id == NULL || *auth->user_id == '\0')
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("Enter the RTM user ID the token is for: the one in the "
                                 "request path."));
          return NULL;
        }
      if (!ak_rest_header_value_is_valid (auth->user_id))
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("The RTM user ID cannot contain line breaks or control "
                                 "characters."));
          return NULL;
        }
    }

  if (auth->scheme == AK_AUTH_CHAT_EXCHANGE)
    {
      if (*ak_credential_get_chat_org (credential) == '\0')
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The project “%s” has no Chat organization name: add it on the "
                       "Credentials page (Agora Console shows it on the Chat page)."), label);
      else if (*ak_credential_get_chat_app (credential) == '\0')
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The project “%s” has no Chat app name: add it on the Credentials page "
                       "(Agora Console shows it on the Chat page)."), label);
      else if (*ak_credential_get_chat_host (credential) == '\0')
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The project “%s” has no Chat REST host: add it on the Credentials page "
                       "(Agora Console shows it on the Chat page)."), label);
      if (error != NULL && *error != NULL)
        return NULL;
    }

  if (auth->secondary && !customer && !ak_credential_get_has_secondary (credential))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The project “%s” has no secondary certificate."), label);
      return NULL;
    }

  return g_object_ref (credential);
}

/* Takes the reference on @task. */
static void
start_auth (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);
  AkRestAuth *auth = &op->request->auth;
  GError *error = NULL;

  if (auth->scheme == AK_AUTH_NONE)
    {
      auth_ready (task);
      return;
    }

  if (auth->scheme == AK_AUTH_BEARER && auth->token != NULL && *auth->token != '\0')
    {
      if (!ak_rest_header_value_is_valid (auth->token))
        {
          fail (task, g_error_new_literal (AK_ERROR, AK_ERROR_INVALID_INPUT,
                                           _("The pasted token contains a line break or a "
                                             "control character.")));
          return;
        }
      g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: Bearer ", auth->token, NULL));
      auth_ready (task);
      return;
    }

  op->credential = find_credential (op, &error);
  if (op->credential == NULL)
    {
      fail (task, error);
      return;
    }
  ak_credential_store_load_secrets_async (op->client->store, op->credential, op->cancellable,
                                          secrets_loaded, task);
}

/* send_hop() and auth_ready() keep the task alive through the HTTP calls: the reference
 * taken here is given up when a result is returned. */
static void
ak_rest_client_start (AkRestClient        *self,
                      const AkRestRequest *request,
                      gboolean             resolve_only,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SendOp *op = send_op_new (self, request, cancellable, resolve_only);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, send_op_free);

  if (!resolve_only && !prepare_request (op, &error))
    {
      fail (task, error);
      return;
    }
  if (request->auth.scheme > AK_AUTH_CHAT_EXCHANGE)
    {
      fail (task, g_error_new_literal (AK_ERROR, AK_ERROR_INVALID_INPUT,
                                       _("Unknown authentication scheme.")));
      return;
    }
  start_auth (task);
}

/**
 * ak_rest_client_send_async:
 * @request: what to send; copied
 *
 * Mints @request's auth headers from the stored credentials, sends it, and follows up to five
 * redirects itself (credentials only to the request's own origin, never from https to http).
 * The whole exchange is bounded by the request's timeout.
 */
void
ak_rest_client_send_async (AkRestClient        *self,
                           const AkRestRequest *request,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (AK_IS_REST_CLIENT (self));
  g_return_if_fail (request != NULL);

  ak_rest_client_start (self, request, FALSE, cancellable, callback, user_data,
                        ak_rest_client_send_async);
}

/**
 * ak_rest_client_send_finish:
 *
 * Returns: (transfer full): the response, whatever its HTTP status; %NULL with
 *   %AK_ERROR_INVALID_INPUT (the request or its auth cannot be made), a keyring error,
 *   %AK_ERROR_HTTP (nothing usable came back: refused, DNS, TLS, timeout, redirects) or
 *   %G_IO_ERROR_CANCELLED
 */
AkRestResponse *
ak_rest_client_send_finish (AkRestClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ak_rest_client_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ak_rest_client_resolve_auth_async (AkRestClient        *self,
                                   const AkRestRequest *request,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (AK_IS_REST_CLIENT (self));
  g_return_if_fail (request != NULL);

  ak_rest_client_start (self, request, TRUE, cancellable, callback, user_data,
                        ak_rest_client_resolve_auth_async);
}

/**
 * ak_rest_client_resolve_auth_finish:
 *
 * Returns: (transfer full) (element-type utf8): "Name: value" lines, wiped when the array is
 *   freed; %NULL with an error as for ak_rest_client_send_finish()
 */
GPtrArray *
ak_rest_client_resolve_auth_finish (AkRestClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                          == ak_rest_client_resolve_auth_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
