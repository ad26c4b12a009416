/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "ak-rest-private.h"

G_BEGIN_DECLS

/* Internal to the REST client, whose work is spread over ak-rest-client.c (the object),
 * ak-rest-send-op.c (one send's state), ak-rest-client-auth.c (minting the auth headers),
 * ak-rest-chat-exchange.c (Chat tokens), ak-rest-client-send.c (the request, its redirects
 * and the response) and ak-rest-transport-error.c (what went wrong, for people). */

#define DEFAULT_TIMEOUT_SECONDS 30
/* Bodies are read in slices of this size, so that memory follows the limit closely. */
#define READ_CHUNK (64 * 1024)
#define DEFAULT_TOKEN_EXPIRE 3600
#define MAX_REDIRECTS 5
/* An exchanged Chat token is reused until this close to its expiry. */
#define CHAT_TOKEN_MARGIN_SECONDS 60
/* The most of a Chat token exchange answer that is read: a token and its expiry. */
#define CHAT_EXCHANGE_MAX_ANSWER (64 * 1024)

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

/* ak-rest-send-op.c */
void         ak_rest_secret_free             (gpointer data);
SendOp      *ak_rest_send_op_new             (AkRestClient        *client,
                                              const AkRestRequest *request,
                                              GCancellable        *cancellable,
                                              gboolean             resolve_only);
void         ak_rest_send_op_free            (gpointer data);
void         ak_rest_send_op_clear_message   (SendOp *op);
char        *ak_rest_describe_host           (GUri *uri);
gboolean     ak_rest_send_op_prepare         (SendOp  *op,
                                              GError **error);
void         ak_rest_send_op_start_deadline  (GTask *task);
void         ak_rest_send_op_stop_deadline   (SendOp *op);
SoupMessage *ak_rest_send_op_new_message     (SendOp     *op,
                                              const char *method,
                                              GUri       *uri);
void         ak_rest_add_header_line         (SoupMessageHeaders *headers,
                                              const char         *line);
/* Returns @error on @task and gives up the reference on it. */
void         ak_rest_send_op_fail            (GTask  *task,
                                              GError *error);

/* ak-rest-transport-error.c */
GError      *ak_rest_describe_transport_error (SendOp *op,
                                               GError *error);
void         ak_rest_return_transport_error   (GTask  *task,
                                               GError *error);

/* ak-rest-client-send.c: sends the request once its auth headers are minted. */
void         ak_rest_send_op_auth_ready      (GTask *task);

/* ak-rest-client-auth.c: each takes the reference on @task. */
void         ak_rest_send_op_start_auth      (GTask *task);
void         ak_rest_send_op_auth_done       (GTask *task);

/* ak-rest-chat-exchange.c */
char        *ak_rest_chat_exchange_url       (const char    *request_url,
                                              AkCredential  *project,
                                              GError       **error);
char        *ak_rest_chat_cache_key          (AkCredential *project,
                                              const char   *certificate,
                                              const char   *exchange_url);
/* Trades @app_token for a user token, then goes on to ak_rest_send_op_auth_done(); takes
 * @cache_key. */
void         ak_rest_chat_exchange_start     (GTask      *task,
                                              const char *app_token,
                                              char       *cache_key);

G_END_DECLS
