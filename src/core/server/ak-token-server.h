/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ak-credential-store.h"
#include "ak-token-server-check.h"

G_BEGIN_DECLS

/*
 * A local token server speaking agora-token-service's protocol, for one project whose
 * certificate comes from the credential store. It runs on the caller's main context.
 */

/* The largest request body read; larger ones get 413. */
#define AK_TOKEN_SERVER_MAX_BODY (64 * 1024)
/* The longest lifetime a request may ask for, in seconds (24 h). */
#define AK_TOKEN_SERVER_MAX_EXPIRE 86400
#define AK_TOKEN_SERVER_DEFAULT_BIND "127.0.0.1"

/**
 * AkTokenServerEntry:
 * @time: when the request arrived (UTC, microseconds since the epoch)
 * @origin: the Origin header, or %NULL
 * @method: the HTTP method
 * @route: the request path (no query)
 * @token_type: "rtc", "rtm", "chat", "rte", or %NULL when no token was asked
 * @channel: the channel asked for, or %NULL
 * @uid: the uid, account or user id asked for, or %NULL
 * @status: the HTTP status answered
 * @duration_us: time spent answering, in microseconds
 *
 * One line of the request log. It never holds a token, a certificate or an API key.
 */
typedef struct
{
  gint64 time;
  char *origin;
  char *method;
  char *route;
  char *token_type;
  char *channel;
  char *uid;
  guint status;
  gint64 duration_us;
} AkTokenServerEntry;

#define AK_TYPE_TOKEN_SERVER_ENTRY (ak_token_server_entry_get_type ())
GType               ak_token_server_entry_get_type (void) G_GNUC_CONST;
AkTokenServerEntry *ak_token_server_entry_copy     (const AkTokenServerEntry *entry);
void                ak_token_server_entry_free     (AkTokenServerEntry *entry);
/* One line for a log: "TIME ORIGIN METHOD ROUTE -> STATUS (type, channel, uid) N ms". */
char               *ak_token_server_entry_format   (const AkTokenServerEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkTokenServerEntry, ak_token_server_entry_free)

#define AK_TYPE_TOKEN_SERVER (ak_token_server_get_type ())
G_DECLARE_FINAL_TYPE (AkTokenServer, ak_token_server, AK, TOKEN_SERVER, GObject)

AkTokenServer *ak_token_server_new                 (AkCredentialStore *store);

/* Settings take effect at the next start. */
void           ak_token_server_set_project_label   (AkTokenServer *self, const char *label);
void           ak_token_server_set_secondary       (AkTokenServer *self, gboolean secondary);
/* 0 picks a free port; after start, get_port gives the port in use. */
guint          ak_token_server_get_port            (AkTokenServer *self);
void           ak_token_server_set_port            (AkTokenServer *self, guint port);
const char    *ak_token_server_get_bind_address    (AkTokenServer *self);
void           ak_token_server_set_bind_address    (AkTokenServer *self, const char *address);
/* Exact origins, or "scheme://host:*" for any port of that host. */
void           ak_token_server_set_allowed_origins (AkTokenServer *self,
                                                    const char * const *origins);
/* Names besides localhost, *.localhost, 127.0.0.1 and [::1] that a request to a server on
 * loopback may give as its Host (any port); others get 421. Lower case, no port. */
void           ak_token_server_set_allowed_hosts   (AkTokenServer *self,
                                                    const char * const *hosts);
GStrv          ak_token_server_parse_allowed_hosts (const char *text,
                                                    GError **error);
/* The key clients must send as "Authorization: Bearer KEY", or %NULL when none is
 * required. Binding beyond loopback generates one at start unless one was set. */
const char    *ak_token_server_get_api_key         (AkTokenServer *self);
void           ak_token_server_set_api_key         (AkTokenServer *self, const char *api_key);
/* TRUE when @address is an IP address of this machine's loopback interface. */
gboolean       ak_token_server_address_is_loopback (const char *address);

void           ak_token_server_start_async         (AkTokenServer *self,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
gboolean       ak_token_server_start_finish        (AkTokenServer *self,
                                                    GAsyncResult *result,
                                                    GError **error);
void           ak_token_server_stop                (AkTokenServer *self);
gboolean       ak_token_server_get_running         (AkTokenServer *self);
/* "http://HOST:PORT" while running, else %NULL. */
char          *ak_token_server_get_url             (AkTokenServer *self);

G_END_DECLS
