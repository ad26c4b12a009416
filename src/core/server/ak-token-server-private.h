/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ak-server-listener.h"
#include "ak-token-server.h"

G_BEGIN_DECLS

/*
 * For tests and benchmarks: the connection limits (0 keeps the default: under half the
 * descriptor limit, 10 s for headers and for a body, 15 s for an idle kept-alive connection),
 * taking effect at the next start, and how many connections are open.
 */
void  ak_token_server_set_connection_limits (AkTokenServer *self,
                                             guint          max_connections,
                                             guint          header_timeout_ms,
                                             guint          idle_timeout_ms);
guint ak_token_server_get_n_connections     (AkTokenServer *self);
guint ak_token_server_get_max_connections   (AkTokenServer *self);

/* For tests only: every token is issued at @issue_ts (0: now), with @salt when @fixed_salt,
 * so that the server's tokens can be compared byte for byte with the other faces'. */
void  ak_token_server_set_fixed_issue_for_testing (AkTokenServer *self,
                                                   guint32        issue_ts,
                                                   gboolean       fixed_salt,
                                                   guint32        salt);

/* ---------------------------------------------------------------------------------------------
 * Internals shared by ak-token-server*.c
 */

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

/* One request being answered. */
typedef struct
{
  AkTokenServer *self;
  SoupServerMessage *msg;
  AkTokenServerEntry entry;
} Request;

typedef enum
{
  UID_ACCOUNT,
  UID_NUMBER,
} UidKind;

/* A token on its way out: wiped once answered. */
void ak_token_server_wipe_token (char *token);
typedef char AkTokenServerTokenText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkTokenServerTokenText, ak_token_server_wipe_token)

/* ak-token-server.c */
gboolean  ak_token_server_set_str              (char              **target,
                                                const char         *value);
/* Emits AkTokenServer::request. */
void      ak_token_server_emit_request         (AkTokenServer      *self,
                                                AkTokenServerEntry *entry);
void      ak_token_server_notify_started       (AkTokenServer      *self);

/* ak-token-server-hosts.c */
char     *ak_token_server_host_without_port    (const char         *value);
gboolean  ak_token_server_inet_is_loopback     (GInetAddress       *inet);
gboolean  ak_token_server_host_is_this_computer (const char        *name);
char     *ak_token_server_normalize_allowed_host (const char       *text);

/* ak-token-server-http.c */
void      ak_token_server_respond_error        (Request            *request,
                                                guint               status,
                                                const char         *message);
void      ak_token_server_respond_json         (Request            *request,
                                                const char         *first_key,
                                                ...);
void      ak_token_server_respond_text         (Request            *request,
                                                const char         *text);
void      ak_token_server_handle_request       (SoupServer         *server,
                                                SoupServerMessage  *msg,
                                                const char         *path,
                                                GHashTable         *query,
                                                gpointer            user_data);
void      ak_token_server_on_request_started   (SoupServer         *server,
                                                SoupServerMessage  *msg,
                                                gpointer            user_data);
char    **ak_token_server_split_path           (const char         *path,
                                                guint              *n_parts);

/* ak-token-server-issue.c */
gboolean  ak_token_server_check_expire         (Request            *request,
                                                const char         *name,
                                                gint64              expire,
                                                guint32            *out);
gboolean  ak_token_server_classify_uid         (Request            *request,
                                                const char         *uid,
                                                UidKind            *kind,
                                                guint32            *number);
char     *ak_token_server_build_rtc            (Request            *request,
                                                const char         *channel,
                                                const char         *role_name,
                                                const char         *uid,
                                                gboolean            force_account,
                                                guint32             expire);
char     *ak_token_server_build_rtm            (Request            *request,
                                                const char         *user_id,
                                                const char         *channel,
                                                guint32             expire);
char     *ak_token_server_build_chat           (Request            *request,
                                                const char         *user_id,
                                                guint32             expire);
void      ak_token_server_note                 (Request            *request,
                                                const char         *token_type,
                                                const char         *channel,
                                                const char         *uid);

/* ak-token-server-json.c and ak-token-server-route.c */
void      ak_token_server_handle_get_token     (Request            *request);
void      ak_token_server_handle_get_route     (Request            *request,
                                                char              **parts,
                                                guint               n_parts,
                                                GHashTable         *query);

G_END_DECLS
