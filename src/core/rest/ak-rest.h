/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ak-credential-store.h"

G_BEGIN_DECLS

/**
 * AkAuthScheme:
 * @AK_AUTH_NONE: no Authorization header
 * @AK_AUTH_BASIC: `Authorization: Basic base64(id:secret)` from a stored customer credential
 * @AK_AUTH_AGORA_TOKEN: `Authorization: agora token=<007 RTM token>` minted for a project + user
 * @AK_AUTH_X_AGORA: `x-agora-token` + `x-agora-uid` (an RTM token minted for a project + user)
 * @AK_AUTH_BEARER: `Authorization: Bearer <token>`: a Chat app token minted for a project, or a
 *   pasted token
 * @AK_AUTH_CHAT_EXCHANGE: a Chat app token exchanged at `POST /{org}/{app}/token`, cached until
 *   it expires, then sent as Bearer
 */
typedef enum
{
  AK_AUTH_NONE,
  AK_AUTH_BASIC,
  AK_AUTH_AGORA_TOKEN,
  AK_AUTH_X_AGORA,
  AK_AUTH_BEARER,
  AK_AUTH_CHAT_EXCHANGE,
} AkAuthScheme;

const char *ak_auth_scheme_to_name   (AkAuthScheme scheme);   /* "none", "basic", "agora-token", … */
gboolean    ak_auth_scheme_from_name (const char *name, AkAuthScheme *scheme);
const char *ak_auth_scheme_get_label (AkAuthScheme scheme);   /* translated, for menus */

/**
 * AkRestAuth:
 * @scheme: the scheme
 * @credential_label: the stored customer credential (Basic) or project (the token schemes)
 * @secondary: mint with the project's secondary certificate
 * @user_id: RTM user id for the agora-token / x-agora schemes; on a Conversational AI
 *   endpoint whose body names no agent, the agent's RTC uid (or string uid) instead
 * @token: (nullable): a pasted Bearer token; a secret, wiped when freed; never in history
 * @token_expire: lifetime of minted tokens in seconds (default 3600)
 * @channel: (nullable): on a Conversational AI endpoint whose body names no agent, the
 *   agent's channel (see ak_rest_convoai_read_target())
 *
 * How a request authenticates: names and labels only. Header values are made at send time.
 */
typedef struct
{
  AkAuthScheme scheme;
  char *credential_label;
  gboolean secondary;
  char *user_id;
  char *token;
  guint32 token_expire;
  char *channel;
} AkRestAuth;

/**
 * AkRestRequest:
 * @method: "GET", "POST", …
 * @url: the full URL (see ak_rest_build_url())
 * @body: (nullable): the request body (JSON text)
 * @headers: (element-type utf8): extra headers as "Name: value" strings
 * @endpoint_id: (nullable): the catalogue entry it came from, for history
 * @timeout_seconds: 0 for the default (30 s)
 */
typedef struct
{
  char *method;
  char *url;
  char *body;
  GPtrArray *headers;
  AkRestAuth auth;
  char *endpoint_id;
  guint timeout_seconds;
} AkRestRequest;

#define AK_TYPE_REST_REQUEST (ak_rest_request_get_type ())
GType          ak_rest_request_get_type (void) G_GNUC_CONST;
AkRestRequest *ak_rest_request_new      (const char *method, const char *url);
AkRestRequest *ak_rest_request_copy     (const AkRestRequest *request);
void           ak_rest_request_free     (AkRestRequest *request);
void           ak_rest_request_add_header (AkRestRequest *request, const char *name, const char *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkRestRequest, ak_rest_request_free)

typedef struct _AkRestBodyFile AkRestBodyFile;

/* Bodies up to this size are read for an error summary and pretty-printed; json-glib needs
 * about forty times a body's size to hold its tree, so larger ones are passed on as text. */
#define AK_REST_ANALYZE_LIMIT (1024 * 1024)
/* How much of a body ak_rest_client_send_async() keeps in memory; the rest of a larger body
 * goes to a private temporary file. */
#define AK_REST_BODY_MEMORY_LIMIT (64 * 1024 * 1024)

/**
 * AkRestResponse:
 * @status: HTTP status
 * @reason: the reason phrase
 * @headers: (element-type utf8): response headers as "Name: value", in order
 * @body: the body as received
 * @content_type: (nullable)
 * @duration_ms: from sending to the last byte
 * @request_id: (nullable): X-Request-ID, when present
 * @error_summary: (nullable): a sentence from the product's error body shape
 * @success: 2xx (201 and 206 are successes)
 * @masked_body: (nullable): for `GET /dev/v1/projects`: the body with every `sign_key` masked;
 *   views show this one
 * @body_length: how many bytes the body had
 * @body_truncated: the body outgrew the memory limit of the send: @body holds only its first
 *   %AK_REST_ANALYZE_LIMIT bytes, and the whole of it went to @body_file or to the caller's
 *   stream; there is then no @error_summary and no @masked_body
 * @body_file: (nullable): the whole body, in a private temporary file (mode 0600) that is
 *   deleted when the last copy of the response is freed; see ak_rest_response_save_body_async()
 * @console_projects: (nullable) (element-type AkConsoleProject): for a successful
 *   `GET /dev/v1/projects`, the projects it lists, read off the main thread; they hold
 *   certificates (secrets, wiped when the last copy of the response is freed)
 */
typedef struct
{
  guint status;
  char *reason;
  GPtrArray *headers;
  GBytes *body;
  char *content_type;
  gint64 duration_ms;
  char *request_id;
  char *error_summary;
  gboolean success;
  char *masked_body;
  guint64 body_length;
  gboolean body_truncated;
  AkRestBodyFile *body_file;
  GPtrArray *console_projects;
} AkRestResponse;

#define AK_TYPE_REST_RESPONSE (ak_rest_response_get_type ())
GType           ak_rest_response_get_type (void) G_GNUC_CONST;
AkRestResponse *ak_rest_response_new      (void);
AkRestResponse *ak_rest_response_copy     (const AkRestResponse *response);
void            ak_rest_response_free     (AkRestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkRestResponse, ak_rest_response_free)

/* Writes the whole body to @destination (a private file): the masked body when there is one,
 * else the body as received, copied from the temporary file when it did not fit in memory. */
void            ak_rest_response_save_body_async  (const AkRestResponse *response,
                                                   GFile                *destination,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean        ak_rest_response_save_body_finish (GAsyncResult         *result,
                                                   GError              **error);

/* Reads a product's error body (message / code+reason / error+error_description / …) into one
 * sentence; NULL when @body has no error fields. */
char       *ak_rest_summarize_error     (guint status, const char *body);

/* Hosts: "api.agora.io", "api.sd-rtn.com", "api-us-west-1.agora.io", … in menu order. */
const char * const *ak_rest_get_hosts   (void);

/* Joins @host_or_base_url ("api.agora.io", or "https://…", or "http://127.0.0.1:8080") and
 * @path. Plain http is refused unless the host is loopback (AK_ERROR_INVALID_INPUT). */
char       *ak_rest_build_url           (const char *host_or_base_url,
                                         const char *path,
                                         GError **error);
/* The rule ak_rest_build_url() applies, for a URL typed whole: https, or http to loopback
 * (127.0.0.0/8, ::1, localhost); no user name or password in it; no {placeholder} left. */
gboolean    ak_rest_check_url           (const char *url,
                                         GError **error);

/* @body with the value of every "sign_key" member (a project's App Certificate, as
 * GET /dev/v1/projects returns it) replaced by "••••••••", found by parsing the JSON; the rest
 * of the text is kept as it was. NULL when @body has no such value to mask; a note in place of
 * the body when it names a "sign_key" but cannot be read as JSON (too deep, a NUL, broken). */
char       *ak_rest_mask_body           (const char *body,
                                         gssize length);

/* Whether @endpoint_id (nullable) names a Conversational AI Engine endpoint: its agora-token
 * scheme mints a ConvoAI token for the agent, and its body's "{convoai_token}" is filled. */
gboolean    ak_rest_endpoint_is_convoai (const char *endpoint_id);

/* The channel and agent a Conversational AI token is minted for: `properties.channel` and
 * `properties.agent_rtc_uid` of @body (a string uid when `properties.enable_string_uid` is
 * true, else a numeric one, written as the token writes uids: 0 as "", others in decimal);
 * when @body names neither, @channel and @uid (from AkRestAuth). AK_ERROR_INVALID_INPUT with
 * a sentence that says what to fill in. */
gboolean    ak_rest_convoai_read_target (const char  *body,
                                         const char  *channel,
                                         const char  *uid,
                                         char       **target_channel,
                                         char       **target_account,
                                         GError     **error);
/* @body with `properties.token` replaced by @token when it is AK_REST_CONVOAI_TOKEN_PLACEHOLDER;
 * NULL (and no error) when it is not; NULL with an error when the result cannot be written
 * back as JSON. The result holds a secret. */
char       *ak_rest_convoai_fill_token  (const char  *body,
                                         const char  *token,
                                         GError     **error);

#define AK_TYPE_REST_CLIENT (ak_rest_client_get_type ())
G_DECLARE_FINAL_TYPE (AkRestClient, ak_rest_client, AK, REST_CLIENT, GObject)

/* One client (one SoupSession) per process; credentials come from @store at send time. */
AkRestClient   *ak_rest_client_new         (AkCredentialStore *store);
/* For tests: trust this certificate (a self-signed test server) in addition to the system's. */
void            ak_rest_client_set_tls_database (AkRestClient *self, GTlsDatabase *database);
/* For tests: look proxies up with @resolver instead of the system's (%NULL: the system's).
 * Requests to this machine go direct whatever it says. */
void            ak_rest_client_set_proxy_resolver (AkRestClient *self, GProxyResolver *resolver);

/* Sends @request: mints the auth headers from stored credentials, never follows a redirect to
 * another host with them (nor with secret-looking custom headers), never goes through a proxy
 * to this machine, times out, and can be cancelled. Transport failures are errors
 * (AK_ERROR_HTTP with a sentence: refused, DNS, TLS, timeout); any HTTP status is a response. */
void            ak_rest_client_send_async  (AkRestClient *self,
                                            const AkRestRequest *request,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
/* As ak_rest_client_send_async(), for a caller that passes large bodies on: a body that
 * outgrows @memory_limit bytes is written to @overflow as it arrives, from its first byte, and
 * the response has @body_truncated set. Finish with ak_rest_client_send_finish(). */
void            ak_rest_client_send_to_stream_async (AkRestClient        *self,
                                                     const AkRestRequest *request,
                                                     gsize                memory_limit,
                                                     GOutputStream       *overflow,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
AkRestResponse *ak_rest_client_send_finish (AkRestClient *self,
                                            GAsyncResult *result,
                                            GError **error);

/* The Authorization-like headers @request would carry, for "Copy as cURL" with secrets
 * (after the user confirmed). Mints tokens like send does. Result: "Name: value" strings. */
void            ak_rest_client_resolve_auth_async  (AkRestClient *self,
                                                    const AkRestRequest *request,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
GPtrArray      *ak_rest_client_resolve_auth_finish (AkRestClient *self,
                                                    GAsyncResult *result,
                                                    GError **error);

G_END_DECLS
