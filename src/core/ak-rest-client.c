/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-console-projects.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-history.h"
#include "ak-rest-private.h"
#include "ak-rest-redact.h"
#include "ak-token.h"
#include "ak-token-builder.h"

#define DEFAULT_TIMEOUT_SECONDS 30
/* Bodies are read in slices of this size, so that memory follows the limit closely. */
#define READ_CHUNK (64 * 1024)
#define DEFAULT_TOKEN_EXPIRE 3600
#define MAX_REDIRECTS 5
/* An exchanged Chat token is reused until this close to its expiry. */
#define CHAT_TOKEN_MARGIN_SECONDS 60
/* The most of a Chat token exchange answer that is read: a token and its expiry. */
#define CHAT_EXCHANGE_MAX_ANSWER (64 * 1024)

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
 * A proxy resolver that never sends a request for this machine through a proxy: the system's
 * (http_proxy, GNOME settings) would carry plain HTTP and its Basic header to the proxy.
 */

#define AK_TYPE_LOOPBACK_DIRECT_RESOLVER (ak_loopback_direct_resolver_get_type ())
G_DECLARE_FINAL_TYPE (AkLoopbackDirectResolver, ak_loopback_direct_resolver, AK,
                      LOOPBACK_DIRECT_RESOLVER, GObject)

struct _AkLoopbackDirectResolver
{
  GObject parent_instance;

  GProxyResolver *inner;
};

static void ak_loopback_direct_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AkLoopbackDirectResolver, ak_loopback_direct_resolver,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      ak_loopback_direct_resolver_iface_init))

/* Loopback addresses, localhost, and the *.localhost names RFC 6761 keeps on this machine. */
static gboolean
uri_is_for_this_machine (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  if (host == NULL)
    return FALSE;
  return ak_rest_host_is_loopback (host) || g_str_has_suffix (host, ".localhost")
         || g_str_has_suffix (host, ".localhost.");
}

static char **
direct_only (void)
{
  char **direct = g_new0 (char *, 2);

  direct[0] = g_strdup ("direct://");
  return direct;
}

static gboolean
ak_loopback_direct_resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
ak_loopback_direct_resolver_lookup (GProxyResolver  *resolver,
                                    const char      *uri,
                                    GCancellable    *cancellable,
                                    GError         **error)
{
  AkLoopbackDirectResolver *self = AK_LOOPBACK_DIRECT_RESOLVER (resolver);

  if (uri_is_for_this_machine (uri))
    return direct_only ();
  return g_proxy_resolver_lookup (self->inner, uri, cancellable, error);
}

static void
inner_lookup_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char **proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);

  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
ak_loopback_direct_resolver_lookup_async (GProxyResolver      *resolver,
                                          const char          *uri,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  AkLoopbackDirectResolver *self = AK_LOOPBACK_DIRECT_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ak_loopback_direct_resolver_lookup_async);
  if (uri_is_for_this_machine (uri))
    {
      g_task_return_pointer (task, direct_only (), (GDestroyNotify) g_strfreev);
      return;
    }
  g_proxy_resolver_lookup_async (self->inner, uri, cancellable, inner_lookup_done,
                                 g_steal_pointer (&task));
}

static char **
ak_loopback_direct_resolver_lookup_finish (GProxyResolver  *resolver,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ak_loopback_direct_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = ak_loopback_direct_resolver_is_supported;
  iface->lookup = ak_loopback_direct_resolver_lookup;
  iface->lookup_async = ak_loopback_direct_resolver_lookup_async;
  iface->lookup_finish = ak_loopback_direct_resolver_lookup_finish;
}

static void
ak_loopback_direct_resolver_finalize (GObject *object)
{
  AkLoopbackDirectResolver *self = AK_LOOPBACK_DIRECT_RESOLVER (object);

  g_clear_object (&self->inner);
  G_OBJECT_CLASS (ak_loopback_direct_resolver_parent_class)->finalize (object);
}

static void
ak_loopback_direct_resolver_class_init (AkLoopbackDirectResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ak_loopback_direct_resolver_finalize;
}

static void
ak_loopback_direct_resolver_init (AkLoopbackDirectResolver *self)
{
}

/* Wraps @inner, or the system's resolver when it is %NULL. */
static GProxyResolver *
ak_loopback_direct_resolver_new (GProxyResolver *inner)
{
  AkLoopbackDirectResolver *self = g_object_new (AK_TYPE_LOOPBACK_DIRECT_RESOLVER, NULL);

  self->inner = g_object_ref (inner != NULL ? inner : g_proxy_resolver_get_default ());
  return G_PROXY_RESOLVER (self);
}

/* ---------------------------------------------------------------------------------------------
 * A body too large for memory, in a private temporary file shared by copies of a response
 */

struct _AkRestBodyFile
{
  GFile *file;
};

static void
body_file_delete (gpointer data)
{
  AkRestBodyFile *body_file = data;

  g_file_delete (body_file->file, NULL, NULL);
  g_object_unref (body_file->file);
}

static AkRestBodyFile *
ak_rest_body_file_new (GFile *file)
{
  AkRestBodyFile *body_file = g_atomic_rc_box_new0 (AkRestBodyFile);

  body_file->file = g_object_ref (file);
  return body_file;
}

AkRestBodyFile *
ak_rest_body_file_ref (AkRestBodyFile *body_file)
{
  return g_atomic_rc_box_acquire (body_file);
}

void
ak_rest_body_file_unref (AkRestBodyFile *body_file)
{
  g_atomic_rc_box_release_full (body_file, body_file_delete);
}

static void
body_saved (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean saved;

  if (g_task_get_task_data (task) != NULL)
    saved = g_file_copy_finish (G_FILE (object), result, &error);
  else
    saved = g_file_replace_contents_finish (G_FILE (object), result, NULL, &error);
  if (saved)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * ak_rest_response_save_body_async:
 * @destination: the file to write, replaced when it exists; created private (0600)
 *
 * A body kept in a temporary file is copied from it, without reading it into memory.
 */
void
ak_rest_response_save_body_async (const AkRestResponse *response,
                                  GFile                *destination,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (response != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_rest_response_save_body_async);

  if (response->body_file != NULL && response->masked_body == NULL)
    {
      /* The copy keeps the temporary file alive; its 0600 mode goes with it. */
      g_task_set_task_data (task, ak_rest_body_file_ref (response->body_file),
                            (GDestroyNotify) ak_rest_body_file_unref);
      g_file_copy_async (response->body_file->file, destination, G_FILE_COPY_OVERWRITE,
                         G_PRIORITY_DEFAULT, cancellable, NULL, NULL, body_saved, task);
    }
  else
    {
      g_autoptr(GBytes) bytes = NULL;

      if (response->masked_body != NULL)
        bytes = g_bytes_new (response->masked_body, strlen (response->masked_body));
      else if (response->body != NULL)
        bytes = g_bytes_ref (response->body);
      else
        bytes = g_bytes_new_static ("", 0);
      g_file_replace_contents_bytes_async (destination, bytes, NULL, FALSE,
                                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                           cancellable, body_saved, task);
    }
}

gboolean
ak_rest_response_save_body_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                          == ak_rest_response_save_body_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
  /* The default session verifies certificates and honours the system proxy, except for this
   * machine (see AkLoopbackDirectResolver). Auth headers
   * are set up front, so the auth manager (which answers challenges) has nothing to do. */
  g_autoptr(GProxyResolver) resolver = ak_loopback_direct_resolver_new (NULL);

  self->session = soup_session_new ();
  soup_session_set_proxy_resolver (self->session, resolver);
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

void
ak_rest_client_set_proxy_resolver (AkRestClient   *self,
                                   GProxyResolver *resolver)
{
  g_autoptr(GProxyResolver) wrapped = NULL;

  g_return_if_fail (AK_IS_REST_CLIENT (self));
  g_return_if_fail (resolver == NULL || G_IS_PROXY_RESOLVER (resolver));

  wrapped = ak_loopback_direct_resolver_new (resolver);
  soup_session_set_proxy_resolver (self->session, wrapped);
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

  /* Conversational AI: the agent its token is for (channel, uid as the token holds it), and
   * the body with AK_REST_CONVOAI_TOKEN_PLACEHOLDER filled in, for the request's own origin
   * only. The token and the filled body are secrets, wiped. */
  gboolean convoai;
  gboolean convoai_fill;
  char *convoai_channel;
  char *convoai_account;
  char *convoai_token;
  char *filled_body;
  AkCredential *fill_project;

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

  /* The body: kept in memory up to memory_limit, then written to overflow (the caller's
   * stream) or to a temporary file, from its first byte. */
  gsize memory_limit;
  GOutputStream *overflow;
  GInputStream *input;
  GByteArray *buffer;
  GBytes *head;
  GBytes *writing;
  GBytes *queued;
  guint64 received;
  GFile *spill_file;
  GFileIOStream *spill_stream;
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
  g_clear_object (&op->input);
  g_clear_object (&op->overflow);
  g_clear_pointer (&op->buffer, g_byte_array_unref);
  g_clear_pointer (&op->head, g_bytes_unref);
  g_clear_pointer (&op->writing, g_bytes_unref);
  g_clear_pointer (&op->queued, g_bytes_unref);
  if (op->spill_file != NULL)
    {
      /* A body that never made it into a response. */
      g_clear_object (&op->spill_stream);
      g_file_delete (op->spill_file, NULL, NULL);
      g_clear_object (&op->spill_file);
    }
  g_clear_object (&op->cancellable);
  g_clear_object (&op->credential);
  g_clear_object (&op->fill_project);
  g_free (op->convoai_channel);
  g_free (op->convoai_account);
  ak_secret_string_free (op->convoai_token);
  ak_secret_string_free (op->filled_body);
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
  op->memory_limit = AK_REST_BODY_MEMORY_LIMIT;
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

/* GET /dev/v1/projects, under whatever base URL. */
static gboolean
is_project_listing (const AkRestRequest *request)
{
  g_autoptr(GUri) uri = g_uri_parse (request->url, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL && g_ascii_strcasecmp (request->method, "GET") == 0
         && g_str_has_suffix (g_uri_get_path (uri), "/dev/v1/projects");
}

static void
analyze_response (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SendOp *op = task_data;
  AkRestResponse *response = op->response;
  const char *data;
  gsize size = 0;

  /* Off the main thread: a 5 MB project listing takes a while to read. A parsed tree takes
   * tens of times the text's size, so only small bodies are parsed; larger ones have their
   * certificates masked by a walk over the text, and a cut one is left as it is. */
  data = g_bytes_get_data (response->body, &size);
  if (!response->body_truncated && size <= AK_REST_ANALYZE_LIMIT)
    {
      g_autoptr(JsonNode) root = ak_rest_parse_json (data, size);

      response->error_summary = ak_rest_summarize_json (response->status, root);
      response->masked_body = ak_rest_mask_json (data, size, root);
    }
  else if (!response->body_truncated)
    response->masked_body = ak_rest_mask_text (data, size);
  /* Here too: a listing of thousands of projects is megabytes to read. */
  if (response->success && !response->body_truncated && is_project_listing (op->request))
    response->console_projects = ak_console_projects_parse (response->body);
  g_task_return_pointer (task, g_steal_pointer (&op->response),
                         (GDestroyNotify) ak_rest_response_free);
}

/* Takes the reference on @task. */
static void
finish_response (GTask *task)
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
  response->body_length = op->received;
  if (op->head != NULL)
    {
      response->body = g_steal_pointer (&op->head);
      response->body_truncated = TRUE;
    }
  else
    response->body = g_byte_array_free_to_bytes (g_steal_pointer (&op->buffer));
  if (op->spill_file != NULL)
    {
      /* A local file: closing it does not wait on anything. */
      g_io_stream_close (G_IO_STREAM (op->spill_stream), NULL, NULL);
      g_clear_object (&op->spill_stream);
      response->body_file = ak_rest_body_file_new (op->spill_file);
      g_clear_object (&op->spill_file);
    }
  response->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  response->request_id = g_strdup (soup_message_headers_get_one (headers, "X-Request-ID"));
  response->duration_ms = (g_get_monotonic_time () - op->started) / 1000;
  response->success = response->status >= 200 && response->status < 300;
  op->response = response;

  /* Soup objects stay on this thread; the worker only reads the bytes. */
  send_op_clear_message (op);
  g_clear_object (&op->input);
  g_task_run_in_thread (task, analyze_response);
  g_object_unref (task);
}

/* Takes the reference on @task. */
static void
fail_body (GTask  *task,
           GError *error,
           gboolean writing)
{
  SendOp *op = g_task_get_task_data (task);

  stop_deadline (op);
  if (writing && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_new_error (task, AK_ERROR, AK_ERROR_FAILED,
                             _("The response body could not be written: %s"), error->message);
  else
    return_transport_error (task, error);
  g_object_unref (task);
}

static void read_body (GTask *task);
static void write_body (GTask *task, GBytes *bytes);

static void
body_written (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&op->writing, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      fail_body (task, error, TRUE);
      return;
    }
  if (op->queued != NULL)
    write_body (task, g_steal_pointer (&op->queued));
  else
    read_body (task);
}

static GOutputStream *
spill_target (SendOp  *op,
              GError **error)
{
  if (op->overflow != NULL)
    return op->overflow;
  if (op->spill_stream == NULL)
    {
      /* g_file_new_tmp() creates the file 0600 in the user's temporary folder. */
      op->spill_file = g_file_new_tmp ("agora-keys-body-XXXXXX", &op->spill_stream, error);
      if (op->spill_file == NULL)
        return NULL;
    }
  return g_io_stream_get_output_stream (G_IO_STREAM (op->spill_stream));
}

/* Takes the reference on @task. */
static void
write_body (GTask  *task,
            GBytes *bytes)
{
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GOutputStream *target = spill_target (op, &error);
  gsize size = 0;
  const void *data;

  if (target == NULL)
    {
      g_bytes_unref (bytes);
      fail_body (task, error, TRUE);
      return;
    }
  op->writing = bytes;
  data = g_bytes_get_data (bytes, &size);
  g_output_stream_write_all_async (target, data, size, G_PRIORITY_DEFAULT, op->cancellable,
                                   body_written, task);
}

static void
body_read (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      fail_body (task, error, FALSE);
      return;
    }
  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      finish_response (task);
      return;
    }
  op->received += size;

  if (op->head != NULL)
    {
      write_body (task, g_steal_pointer (&chunk));
      return;
    }
  if (op->buffer->len + size <= op->memory_limit)
    {
      g_byte_array_append (op->buffer, g_bytes_get_data (chunk, NULL), (guint) size);
      read_body (task);
      return;
    }

  /* Past the limit: what was kept goes out first, then this slice, and only the body's start
   * stays for the views. */
  op->head = g_bytes_new (op->buffer->data, MIN (op->buffer->len, AK_REST_ANALYZE_LIMIT));
  op->queued = g_steal_pointer (&chunk);
  write_body (task, g_byte_array_free_to_bytes (g_steal_pointer (&op->buffer)));
}

/* Takes the reference on @task. */
static void
read_body (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (op->input, READ_CHUNK, G_PRIORITY_DEFAULT, op->cancellable,
                                   body_read, task);
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
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (input == NULL)
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
      /* The redirect's own body is not wanted: closing skips it without waiting here. */
      g_input_stream_close_async (input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      send_hop (g_steal_pointer (&task));
      return;
    }

  op->input = g_steal_pointer (&input);
  op->buffer = g_byte_array_new ();
  op->received = 0;
  read_body (g_steal_pointer (&task));
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

      if (!op->send_credentials && ak_rest_header_is_secret (name))
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
      /* The filled-in agent token goes only where the credentials go. */
      const char *text = op->send_credentials && op->filled_body != NULL ? op->filled_body
                                                                         : op->request->body;
      char *copy = g_strdup (text);
      g_autoptr(GBytes) body = g_bytes_new_with_free_func (copy, strlen (copy), secret_free, copy);

      soup_message_set_request_body_from_bytes (op->message,
                                                op->content_type != NULL ? op->content_type
                                                                         : "application/json",
                                                body);
    }

  g_debug ("Sending %s to %s://%s", op->method, g_uri_get_scheme (op->uri),
           g_uri_get_host (op->uri));
  soup_session_send_async (op->client->session, op->message, G_PRIORITY_DEFAULT, op->cancellable,
                           hop_done, task);
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

static void auth_done (GTask *task);

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
  ak_secret_wipe_string ((char *) copy);

  return result != NULL ? g_strdup (ak_build_result_get_token (result)) : NULL;
}

/* A ConvoAI token (RTC publisher + RTM + ConvoAI) for the agent: what Agora's REST reference
 * asks for in both the Authorization header and the join body's properties.token. */
static char *
mint_convoai_token (const char  *app_id,
                    const char  *certificate,
                    const char  *channel,
                    const char  *account,
                    guint32      expire,
                    GError     **error)
{
  static const char * const privileges[] = { "join_channel_privilege_expire",
                                             "pub_audio_privilege_expire",
                                             "pub_video_privilege_expire",
                                             "pub_data_stream_privilege_expire" };
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(AkBuildResult) result = NULL;
  const char *copy;

  json_object_set_string_member (inputs, "app_id", app_id);
  json_object_set_string_member (inputs, "app_certificate", certificate);
  json_object_set_string_member (inputs, "channel_name", channel);
  json_object_set_string_member (inputs, "rtc_account", account);
  json_object_set_int_member (inputs, "rtc_role", AK_RTC_ROLE_PUBLISHER);
  json_object_set_int_member (inputs, "rtc_token_expire", expire);
  for (guint i = 0; i < G_N_ELEMENTS (privileges); i++)
    json_object_set_int_member (inputs, privileges[i], expire);
  json_object_set_string_member (inputs, "rtm_user_id", account);
  json_object_set_int_member (inputs, "rtm_token_expire", expire);

  result = ak_build_token (AK_BUILDER_CONVOAI, inputs, error);

  copy = json_object_get_string_member (inputs, "app_certificate");
  ak_secret_wipe_string ((char *) copy);

  return result != NULL ? g_strdup (ak_build_result_get_token (result)) : NULL;
}

/* The {appid} of a Conversational AI URL: the segment after ".../projects/". */
static char *
convoai_app_id_from_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_auto(GStrv) segments = NULL;

  if (uri == NULL)
    return NULL;
  segments = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 0; segments[i] != NULL && segments[i + 1] != NULL; i++)
    if (g_str_equal (segments[i], "projects"))
      return g_uri_unescape_string (segments[i + 1], NULL);
  return NULL;
}

/* Where the Chat token exchange goes: beside the request it serves, `…/{org}/{app}/token` on
 * the request's own origin and path prefix, so that a stand-in at a custom base URL gets it
 * as the real Chat host would. The request's URL passed ak_rest_check_url(): https, or plain
 * http to this machine only. */
static char *
chat_exchange_url (const char    *request_url,
                   AkCredential  *project,
                   GError       **error)
{
  g_autoptr(GUri) uri = g_uri_parse (request_url, G_URI_FLAGS_ENCODED, error);
  g_autofree char *org = g_uri_escape_string (ak_credential_get_chat_org (project), NULL, FALSE);
  g_autofree char *app = g_uri_escape_string (ak_credential_get_chat_app (project), NULL, FALSE);
  g_autoptr(GString) prefix = g_string_new (NULL);
  g_autoptr(GUri) exchange = NULL;
  g_auto(GStrv) segments = NULL;
  g_autofree char *path = NULL;
  char *url;

  if (uri == NULL)
    return NULL;
  segments = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 1; segments[i] != NULL; i++)
    {
      g_autofree char *segment = g_uri_unescape_string (segments[i], NULL);
      g_autofree char *next = segments[i + 1] != NULL ? g_uri_unescape_string (segments[i + 1],
                                                                               NULL)
                                                      : NULL;

      if (g_strcmp0 (segment, ak_credential_get_chat_org (project)) == 0
          && g_strcmp0 (next, ak_credential_get_chat_app (project)) == 0)
        break;
      g_string_append_printf (prefix, "/%s", segments[i]);
      if (segments[i + 1] == NULL)
        /* The path does not name the app: the exchange goes to the origin's root. */
        g_string_truncate (prefix, 0);
    }

  path = g_strdup_printf ("%s/%s/%s/token", prefix->str, org, app);
  exchange = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                          g_uri_get_port (uri), path, NULL, NULL);
  url = g_uri_to_string (exchange);
  if (!ak_rest_check_url (url, error))
    g_clear_pointer (&url, g_free);
  return url;
}

/* Exchanged tokens are kept per project, certificate and exchange URL: a stand-in's token is
 * never offered to the real host. */
static char *
chat_cache_key (AkCredential *project,
                const char   *certificate,
                const char   *exchange_url)
{
  g_autofree char *certificate_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                                     certificate, -1);

  return g_strjoin ("\n", ak_credential_get_id (project), ak_credential_get_app_id (project),
                    exchange_url, certificate_hash, NULL);
}

typedef struct
{
  GTask *task;
  char *cache_key;
  GInputStream *input;
  /* The answer, up to CHAT_EXCHANGE_MAX_ANSWER bytes; it holds the token: wiped. */
  GByteArray *answer;
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  g_free (exchange->cache_key);
  g_clear_object (&exchange->input);
  if (exchange->answer != NULL)
    {
      ak_secret_wipe (exchange->answer->data, exchange->answer->len);
      g_byte_array_unref (exchange->answer);
    }
  g_free (exchange);
}

static void
exchange_fail (Exchange *exchange,
               GError   *error)
{
  GTask *task = exchange->task;
  SendOp *op = g_task_get_task_data (task);

  stop_deadline (op);
  if (exchange->input != NULL)
    g_input_stream_close_async (exchange->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  exchange_free (exchange);
  fail (task, error);
}

static void exchange_answered (Exchange *exchange, GBytes *body);

static void
exchange_chunk_read (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Exchange *exchange = user_data;
  SendOp *op = g_task_get_task_data (exchange->task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const guint8 *data;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      exchange_fail (exchange, describe_transport_error (op, error));
      return;
    }
  data = g_bytes_get_data (chunk, &size);
  if (size == 0)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (exchange->answer->data, exchange->answer->len);

      g_input_stream_close_async (exchange->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&exchange->input);
      exchange_answered (exchange, body);
      return;
    }
  if (exchange->answer->len + size > CHAT_EXCHANGE_MAX_ANSWER)
    {
      g_autofree char *host = describe_host (op->uri);

      ak_secret_wipe ((gpointer) data, size);
      exchange_fail (exchange, g_error_new (AK_ERROR, AK_ERROR_HTTP,
                                            _("The Chat token exchange at %s answered with "
                                              "more than %u KiB, far more than a token: it is "
                                              "not a Chat server."), host,
                                            CHAT_EXCHANGE_MAX_ANSWER / 1024));
      return;
    }
  g_byte_array_append (exchange->answer, data, size);
  ak_secret_wipe ((gpointer) data, size);
  g_input_stream_read_bytes_async (exchange->input, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   op->cancellable, exchange_chunk_read, exchange);
}

/* An exchange answer is a few hundred bytes: it is read up to a small limit, so that a
 * hostile server cannot make the client hold an endless body. */
static void
exchange_sent (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Exchange *exchange = user_data;
  SendOp *op = g_task_get_task_data (exchange->task);
  g_autoptr(GError) error = NULL;

  exchange->input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (exchange->input == NULL)
    {
      exchange_fail (exchange, describe_transport_error (op, error));
      return;
    }
  exchange->answer = g_byte_array_new ();
  g_input_stream_read_bytes_async (exchange->input, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   op->cancellable, exchange_chunk_read, exchange);
}

static void
exchange_answered (Exchange *exchange,
                   GBytes   *body)
{
  GTask *task = exchange->task;
  SendOp *op = g_task_get_task_data (task);
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

  status = soup_message_get_status (op->message);
  data = g_bytes_get_data (body, &size);
  if (size <= AK_REST_ANALYZE_LIMIT)
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
  ak_secret_wipe_string ((char *) access_token);
  ak_secret_wipe ((char *) data, size);

  send_op_clear_message (op);
  exchange_free (exchange);
  auth_done (task);
}

static void
start_chat_exchange (GTask      *task,
                     const char *app_token,
                     char       *cache_key)
{
  SendOp *op = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"grant_type\":\"agora\"}",
                                               strlen ("{\"grant_type\":\"agora\"}"));
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  Exchange *exchange;

  url = chat_exchange_url (op->request->url, op->credential, &error);
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
  ak_secret_wipe_string (authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (op->message, "application/json", body);

  exchange = g_new0 (Exchange, 1);
  exchange->task = task;
  exchange->cache_key = cache_key;
  start_deadline (task);
  soup_session_send_async (op->client->session, op->message, G_PRIORITY_DEFAULT,
                           op->cancellable, exchange_sent, exchange);
}

/* The last step of the auth: a Conversational AI body whose properties.token is the
 * placeholder gets the agent's token, minted with the project's certificate. */
static gboolean
fill_convoai_body (SendOp      *op,
                   const char  *token,
                   GError     **error)
{
  op->filled_body = ak_rest_convoai_fill_token (op->request->body, token, error);
  return op->filled_body != NULL;
}

static void
fill_project_secrets_loaded (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  AkRestAuth *auth = &op->request->auth;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  guint32 expire = auth->token_expire > 0 ? auth->token_expire : DEFAULT_TOKEN_EXPIRE;
  const char *certificate;
  char *token;

  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result, &error);
  if (secrets == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  certificate = secrets->primary_certificate;
  if (certificate == NULL || *certificate == '\0')
    {
      fail (task, g_error_new (AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("The project “%s” has no certificate to mint the agent’s token "
                                 "with: paste a token in properties.token."),
                               ak_credential_get_label (op->fill_project)));
      return;
    }
  token = mint_convoai_token (ak_credential_get_app_id (op->fill_project), certificate,
                              op->convoai_channel, op->convoai_account, expire, &error);
  if (token == NULL || !fill_convoai_body (op, token, &error))
    {
      ak_secret_string_free (token);
      fail (task, g_steal_pointer (&error));
      return;
    }
  ak_secret_string_free (token);
  auth_ready (task);
}

static void
auth_done (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;

  if (!op->convoai_fill)
    {
      auth_ready (task);
      return;
    }

  /* The agora-token scheme minted it already, for the same agent. */
  if (op->convoai_token != NULL)
    {
      if (!fill_convoai_body (op, op->convoai_token, &error))
        {
          fail (task, g_steal_pointer (&error));
          return;
        }
      auth_ready (task);
      return;
    }

  /* Other schemes name no project: the one whose App ID is in the URL mints it. */
  app_id = convoai_app_id_from_url (op->request->url);
  if (app_id != NULL && op->client->store != NULL)
    op->fill_project = ak_credential_store_find_by_app_id (op->client->store, app_id);
  if (op->fill_project == NULL)
    {
      fail (task, g_error_new (AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("The body’s properties.token is %s, filled in with a token "
                                 "minted for the agent, but no stored project has the App ID "
                                 "“%s”: add it on the Credentials page, or paste a token."),
                               AK_REST_CONVOAI_TOKEN_PLACEHOLDER, app_id != NULL ? app_id : ""));
      return;
    }
  g_object_ref (op->fill_project);
  ak_credential_store_load_secrets_async (op->client->store, op->fill_project, op->cancellable,
                                          fill_project_secrets_loaded, task);
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
      auth_done (task);
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
      g_autofree char *exchange_url = chat_exchange_url (op->request->url, op->credential,
                                                         &error);
      char *key;
      ChatToken *cached;

      if (exchange_url == NULL)
        {
          fail (task, g_steal_pointer (&error));
          return;
        }
      key = chat_cache_key (op->credential, certificate, exchange_url);
      cached = g_hash_table_lookup (op->client->chat_tokens, key);

      if (cached != NULL && cached->valid_until > g_get_real_time ())
        {
          g_ptr_array_add (op->auth_headers,
                           g_strconcat ("Authorization: Bearer ", cached->access_token, NULL));
          g_free (key);
          auth_done (task);
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
  else if (auth->scheme == AK_AUTH_AGORA_TOKEN && op->convoai)
    {
      token = mint_convoai_token (app_id, certificate, op->convoai_channel, op->convoai_account,
                                  expire, &error);
      op->convoai_token = g_strdup (token);
    }
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
  auth_done (task);
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

  /* A ConvoAI token names the agent, read before (see start_auth()). */
  if ((auth->scheme == AK_AUTH_AGORA_TOKEN && !op->convoai) || auth->scheme == AK_AUTH_X_AGORA)
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

  /* A Conversational AI agent's token is for its channel and uid: both are known, or the
   * request is refused, before the keyring is asked for anything. */
  op->convoai = ak_rest_endpoint_is_convoai (op->request->endpoint_id);
  op->convoai_fill = op->convoai && !op->resolve_only
                     && ak_rest_convoai_body_has_placeholder (op->request->body);
  if ((op->convoai && auth->scheme == AK_AUTH_AGORA_TOKEN) || op->convoai_fill)
    {
      if (!ak_rest_convoai_read_target (op->request->body, auth->channel, auth->user_id,
                                        &op->convoai_channel, &op->convoai_account, &error))
        {
          fail (task, error);
          return;
        }
    }

  if (auth->scheme == AK_AUTH_NONE)
    {
      auth_done (task);
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
      auth_done (task);
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
                      gsize                memory_limit,
                      GOutputStream       *overflow,
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
  op->memory_limit = memory_limit;
  if (overflow != NULL)
    op->overflow = g_object_ref (overflow);

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

  ak_rest_client_start (self, request, FALSE, AK_REST_BODY_MEMORY_LIMIT, NULL, cancellable,
                        callback, user_data, ak_rest_client_send_async);
}

/**
 * ak_rest_client_send_to_stream_async:
 * @memory_limit: the most of the body to keep in memory
 * @overflow: where a larger body goes, as it arrives; not closed
 */
void
ak_rest_client_send_to_stream_async (AkRestClient        *self,
                                     const AkRestRequest *request,
                                     gsize                memory_limit,
                                     GOutputStream       *overflow,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (AK_IS_REST_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (G_IS_OUTPUT_STREAM (overflow));

  ak_rest_client_start (self, request, FALSE, memory_limit, overflow, cancellable, callback,
                        user_data, ak_rest_client_send_async);
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

  ak_rest_client_start (self, request, TRUE, AK_REST_BODY_MEMORY_LIMIT, NULL, cancellable,
                        callback, user_data, ak_rest_client_resolve_auth_async);
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
