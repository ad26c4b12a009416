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
 * @user_id: RTM user id for the agora-token / x-agora schemes
 * @token: (nullable): a pasted Bearer token; a secret, wiped when freed; never in history
 * @token_expire: lifetime of minted tokens in seconds (default 3600)
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

/**
 * AkRestResponse:
 * @status: HTTP status
 * @reason: the reason phrase
 * @headers: (element-type utf8): response headers as "Name: value", in order
 * @body: the body as received
 * @content_type: (nullable)
 * @duration_ms: from sending to the last byte
 * @request_id: (nullable): X-Request-ID, when present
 * @error_summary: (nullable): a sentence from the product's error body shape (AGORA-REST.md 0)
 * @success: 2xx (201 and 206 are successes)
 * @masked_body: (nullable): for `GET /dev/v1/projects`: the body with every `sign_key` masked;
 *   views show this one
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
} AkRestResponse;

#define AK_TYPE_REST_RESPONSE (ak_rest_response_get_type ())
GType           ak_rest_response_get_type (void) G_GNUC_CONST;
AkRestResponse *ak_rest_response_new      (void);
AkRestResponse *ak_rest_response_copy     (const AkRestResponse *response);
void            ak_rest_response_free     (AkRestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkRestResponse, ak_rest_response_free)

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
 * of the text is kept as it was. NULL when @body is not JSON or has no such value to mask. */
char       *ak_rest_mask_body           (const char *body,
                                         gssize length);

#define AK_TYPE_REST_CLIENT (ak_rest_client_get_type ())
G_DECLARE_FINAL_TYPE (AkRestClient, ak_rest_client, AK, REST_CLIENT, GObject)

/* One client (one SoupSession) per process; credentials come from @store at send time. */
AkRestClient   *ak_rest_client_new         (AkCredentialStore *store);
/* For tests: trust this certificate (a self-signed test server) in addition to the system's. */
void            ak_rest_client_set_tls_database (AkRestClient *self, GTlsDatabase *database);

/* Sends @request: mints the auth headers from stored credentials, never follows a redirect to
 * another host with them, times out, and can be cancelled. Transport failures are errors
 * (AK_ERROR_HTTP with a sentence: refused, DNS, TLS, timeout); any HTTP status is a response. */
void            ak_rest_client_send_async  (AkRestClient *self,
                                            const AkRestRequest *request,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
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

/* Whether @data is one JSON object or array with nothing after it but white space. Check
 * before json_parser_load_from_data() on outside input: json-glib 1.6 reads "{…}{…}" as its
 * last value and leaks the others. */
gboolean  ak_rest_json_is_one_value  (const char *data, gsize length);

G_END_DECLS
