/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-loopback-direct-resolver.h"
#include "ak-rest-client-private.h"
#include "ak-secret.h"
#include "ak-trust-database.h"

/* ---------------------------------------------------------------------------------------------
 * The client
 */

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

/* send_hop() and ak_rest_send_op_auth_ready() keep the task alive through the HTTP calls: the
 * reference taken here is given up when a result is returned. */
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
  SendOp *op = ak_rest_send_op_new (self, request, cancellable, resolve_only);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, ak_rest_send_op_free);
  op->memory_limit = memory_limit;
  if (overflow != NULL)
    op->overflow = g_object_ref (overflow);

  if (!resolve_only && !ak_rest_send_op_prepare (op, &error))
    {
      ak_rest_send_op_fail (task, error);
      return;
    }
  if (request->auth.scheme > AK_AUTH_CHAT_EXCHANGE)
    {
      ak_rest_send_op_fail (task, g_error_new_literal (AK_ERROR, AK_ERROR_INVALID_INPUT,
                                                       _("Unknown authentication scheme.")));
      return;
    }
  ak_rest_send_op_start_auth (task);
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
