/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Internal to ak-core: the REST client's proxy resolver. */
#define AK_TYPE_LOOPBACK_DIRECT_RESOLVER (ak_loopback_direct_resolver_get_type ())
G_DECLARE_FINAL_TYPE (AkLoopbackDirectResolver, ak_loopback_direct_resolver, AK,
                      LOOPBACK_DIRECT_RESOLVER, GObject)

/* Wraps @inner, or the system's resolver when it is %NULL. */
GProxyResolver *ak_loopback_direct_resolver_new (GProxyResolver *inner);

G_END_DECLS
