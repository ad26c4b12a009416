/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * Accepts the connections of a SoupServer on a listening socket of its own, so that it can
 * cap how many are open, close those that keep it waiting, and keep accepting after the
 * process ran out of descriptors: libsoup 3.2's own listener stops for good at its first
 * failed accept.
 */

/* A request's headers, then its body, must each arrive within this. */
#define AK_SERVER_HEADER_TIMEOUT_MS 10000
/* A kept-alive connection may wait this long for its next request. */
#define AK_SERVER_IDLE_TIMEOUT_MS 15000
/* The most connections open at once, whatever the descriptor limit allows. */
#define AK_SERVER_MAX_CONNECTIONS 1024

typedef struct
{
  /* 0 for the defaults above (the cap also stays under half the descriptor limit). */
  guint max_connections;
  guint header_timeout_ms;
  guint idle_timeout_ms;
} AkServerLimits;

typedef struct _AkServerListener AkServerListener;

AkServerListener *ak_server_listener_new           (SoupServer           *server,
                                                    GSocket              *socket,
                                                    const AkServerLimits *limits,
                                                    GError              **error);
void              ak_server_listener_free          (AkServerListener     *self);
guint             ak_server_listener_get_n_connections   (AkServerListener *self);
guint             ak_server_listener_get_max_connections (AkServerListener *self);
/* Answers @msg at once with @status and a JSON @body, then closes its connection without
 * reading the rest of the request. */
void              ak_server_listener_refuse        (AkServerListener     *self,
                                                    SoupServerMessage    *msg,
                                                    guint                 status,
                                                    const char           *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkServerListener, ak_server_listener_free)

G_END_DECLS
