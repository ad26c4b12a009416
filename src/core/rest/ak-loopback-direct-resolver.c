/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-loopback-direct-resolver.h"

#include "ak-rest-private.h"
#include "ak-task.h"

/* ---------------------------------------------------------------------------------------------
 * A proxy resolver that never sends a request for this machine through a proxy: the system's
 * (http_proxy, GNOME settings) would carry plain HTTP and its Basic header to the proxy.
 */

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
  g_autoptr(GTask) task = ak_task_new (self, cancellable, callback, user_data,
                                      ak_loopback_direct_resolver_lookup_async);

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
GProxyResolver *
ak_loopback_direct_resolver_new (GProxyResolver *inner)
{
  AkLoopbackDirectResolver *self = g_object_new (AK_TYPE_LOOPBACK_DIRECT_RESOLVER, NULL);

  self->inner = g_object_ref (inner != NULL ? inner : g_proxy_resolver_get_default ());
  return G_PROXY_RESOLVER (self);
}
