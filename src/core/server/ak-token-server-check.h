/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ak-credential-store.h"
#include "ak-rest.h"
#include "ak-token.h"
#include "ak-token-check.h"

G_BEGIN_DECLS

/*
 * "Test my token server": asks a server that speaks agora-token-service's protocol
 * (`POST /getToken`) for a token, then decodes it, verifies it against the stored project's
 * certificates, and compares what it grants with what was asked.
 */

/* What agora-token-service gives when "expire" is 0 or missing. */
#define AK_TOKEN_SERVER_DEFAULT_EXPIRE 3600
/* Seconds a lifetime may differ from the one asked before it is a finding. */
#define AK_TOKEN_SERVER_EXPIRE_TOLERANCE 5
/* Seconds the token's issue time may differ from this computer's clock. */
#define AK_TOKEN_SERVER_CLOCK_TOLERANCE 60

/**
 * AkTokenServerTokenType:
 * @AK_TOKEN_SERVER_TOKEN_RTC: "rtc": an RTC token for a channel and a uid or account
 * @AK_TOKEN_SERVER_TOKEN_RTM: "rtm": an RTM login token for a user id (the channel, if any,
 *   is an RTM stream channel)
 * @AK_TOKEN_SERVER_TOKEN_CHAT: "chat": a Chat user token, or an app token for an empty uid
 *
 * The `tokenType` of a `/getToken` request.
 */
typedef enum
{
  AK_TOKEN_SERVER_TOKEN_RTC,
  AK_TOKEN_SERVER_TOKEN_RTM,
  AK_TOKEN_SERVER_TOKEN_CHAT,
} AkTokenServerTokenType;

const char *ak_token_server_token_type_to_name   (AkTokenServerTokenType type);  /* "rtc", … */
gboolean    ak_token_server_token_type_from_name (const char *name,
                                                  AkTokenServerTokenType *type);

/**
 * AkTokenServerRole:
 * @AK_TOKEN_SERVER_ROLE_PUBLISHER: "publisher": join and publish
 * @AK_TOKEN_SERVER_ROLE_SUBSCRIBER: "subscriber": join only
 *
 * The `role` of a `/getToken` request (RTC only; sent for every type, as the service ignores
 * it for the others).
 */
typedef enum
{
  AK_TOKEN_SERVER_ROLE_PUBLISHER,
  AK_TOKEN_SERVER_ROLE_SUBSCRIBER,
} AkTokenServerRole;

const char *ak_token_server_role_to_name (AkTokenServerRole role);  /* "publisher", … */

/**
 * AkTokenServerQuery:
 * @token_type: the kind of token to ask for
 * @channel: (nullable): RTC: the channel (required); RTM: an optional stream channel;
 *   Chat: unused
 * @uid: (nullable): the user. agora-token-service treats a uid that parses as an unsigned
 *   integer as an integer uid ("0" is the uid-0 wildcard; above 4294967295 it wraps) and
 *   anything else as a string account. Required for RTC and RTM; for Chat, empty asks for an
 *   app token
 * @role: RTC: publisher or subscriber
 * @expire: the lifetime to ask for, in seconds; 0 asks for %AK_TOKEN_SERVER_DEFAULT_EXPIRE
 *
 * What to ask the token server for. Strings are borrowed; %NULL is the same as "".
 */
typedef struct
{
  AkTokenServerTokenType token_type;
  const char *channel;
  const char *uid;
  AkTokenServerRole role;
  guint32 expire;
} AkTokenServerQuery;

/* Checks what agora-token-service requires (a channel and a uid for RTC, a uid for RTM), so
 * that a form can say what is missing before sending. ak_token_server_check_async() does not
 * call it: sending an incomplete request is a fair test of a server. */
gboolean    ak_token_server_query_validate (const AkTokenServerQuery *query,
                                            GError **error);
/* The request body: {"tokenType","channel","role","uid","expire"}, uid as a string and
 * expire as a number (0 replaced by the default). */
char       *ak_token_server_query_to_json  (const AkTokenServerQuery *query);
/* @base_url + "/getToken" (kept as it is when it already ends with /getToken), under
 * ak_rest_build_url()'s rule: https, or plain http to loopback only. */
char       *ak_token_server_build_url      (const char *base_url,
                                            GError **error);

/**
 * AkTokenServerSeverity:
 * @AK_TOKEN_SERVER_OK: as asked
 * @AK_TOKEN_SERVER_WARNING: works, but not quite as asked, or could not be checked
 * @AK_TOKEN_SERVER_ERROR: the server failed, or its token does not do what was asked
 *
 * How bad a finding is; the verdict is the worst finding.
 */
typedef enum
{
  AK_TOKEN_SERVER_OK,
  AK_TOKEN_SERVER_WARNING,
  AK_TOKEN_SERVER_ERROR,
} AkTokenServerSeverity;

/**
 * AkTokenServerAspect:
 * @AK_TOKEN_SERVER_ASPECT_RESPONSE: the HTTP answer (status, body shape)
 * @AK_TOKEN_SERVER_ASPECT_TOKEN: whether the token parses, and its version
 * @AK_TOKEN_SERVER_ASPECT_SIGNATURE: which stored certificate signed it
 * @AK_TOKEN_SERVER_ASPECT_APP_ID: its App ID against the project's
 * @AK_TOKEN_SERVER_ASPECT_SERVICE: the services it carries against the type asked
 * @AK_TOKEN_SERVER_ASPECT_CHANNEL: the channel (or RTM stream channel)
 * @AK_TOKEN_SERVER_ASPECT_USER: the uid, account or user id
 * @AK_TOKEN_SERVER_ASPECT_ROLE: the privileges against the role asked
 * @AK_TOKEN_SERVER_ASPECT_EXPIRY: the token's lifetime against the one asked
 * @AK_TOKEN_SERVER_ASPECT_PRIVILEGES: each privilege's lifetime against the token's
 * @AK_TOKEN_SERVER_ASPECT_CLOCK: the issue time against this computer's clock
 *
 * What a finding is about, for icons and for grouping.
 */
typedef enum
{
  AK_TOKEN_SERVER_ASPECT_RESPONSE,
  AK_TOKEN_SERVER_ASPECT_TOKEN,
  AK_TOKEN_SERVER_ASPECT_SIGNATURE,
  AK_TOKEN_SERVER_ASPECT_APP_ID,
  AK_TOKEN_SERVER_ASPECT_SERVICE,
  AK_TOKEN_SERVER_ASPECT_CHANNEL,
  AK_TOKEN_SERVER_ASPECT_USER,
  AK_TOKEN_SERVER_ASPECT_ROLE,
  AK_TOKEN_SERVER_ASPECT_EXPIRY,
  AK_TOKEN_SERVER_ASPECT_PRIVILEGES,
  AK_TOKEN_SERVER_ASPECT_CLOCK,
} AkTokenServerAspect;

/**
 * AkTokenServerFinding:
 * @severity: how bad it is
 * @aspect: what it is about
 * @message: one translated sentence, e.g. "The token is for channel “a”, not “b”."
 *
 * One thing the check found. Owned by its result.
 */
typedef struct
{
  AkTokenServerSeverity severity;
  AkTokenServerAspect aspect;
  char *message;
} AkTokenServerFinding;

typedef struct _AkTokenServerResult AkTokenServerResult;

#define AK_TYPE_TOKEN_SERVER_RESULT (ak_token_server_result_get_type ())
GType                 ak_token_server_result_get_type         (void) G_GNUC_CONST;
AkTokenServerResult  *ak_token_server_result_ref              (AkTokenServerResult *result);
void                  ak_token_server_result_unref            (AkTokenServerResult *result);

/* The URL and body that were sent (no secret in either). */
const char           *ak_token_server_result_get_url          (const AkTokenServerResult *result);
const char           *ak_token_server_result_get_request_body (const AkTokenServerResult *result);
/* The HTTP status of the answer. */
guint                 ak_token_server_result_get_status       (const AkTokenServerResult *result);
/* The token as the server sent it, or NULL when none came; a secret, wiped with the result. */
const char           *ak_token_server_result_get_token_text   (const AkTokenServerResult *result);
/* The parsed token, or NULL when none came or it is malformed. */
AkToken              *ak_token_server_result_get_token        (const AkTokenServerResult *result);
/* The signature check against the stored projects with the token's App ID, or NULL when there
 * was no token to check or the keyring could not be used (a finding says why). */
AkTokenCheck         *ak_token_server_result_get_check        (const AkTokenServerResult *result);
/* The project the token was compared with: the one named, else the one the check found;
 * NULL when neither. */
AkCredential         *ak_token_server_result_get_project      (const AkTokenServerResult *result);
guint                 ak_token_server_result_get_n_findings   (const AkTokenServerResult *result);
const AkTokenServerFinding *ak_token_server_result_get_finding (const AkTokenServerResult *result,
                                                                guint index);
/* The worst severity among the findings. */
AkTokenServerSeverity ak_token_server_result_get_verdict      (const AkTokenServerResult *result);
/* One sentence for a heading: whether the server gave a token that does what was asked. */
const char           *ak_token_server_result_get_summary      (const AkTokenServerResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkTokenServerResult, ak_token_server_result_unref)

/**
 * ak_token_server_check_async:
 * @client: the REST client (the request goes without credentials: %AK_AUTH_NONE)
 * @store: where the project and its certificates are; loaded first if it has not been
 * @base_url: the server, e.g. "https://tokens.example.com" or "http://127.0.0.1:8080"
 * @origin: (nullable): an `Origin` header, for servers that allow only listed origins
 * @query: what to ask for; copied
 * @project_label: (nullable): the stored project the token should belong to; %NULL compares
 *   with the stored project that has the token's App ID, if any
 *
 * Sends `POST {base_url}/getToken`, reads `{"token": "…"}` and checks the token. Every answer
 * of the server, including HTTP errors, bodies that are not JSON and malformed tokens, is a
 * result with findings.
 */
void                 ak_token_server_check_async  (AkRestClient *client,
                                                   AkCredentialStore *store,
                                                   const char *base_url,
                                                   const char *origin,
                                                   const AkTokenServerQuery *query,
                                                   const char *project_label,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
/* Fails only when nothing could be asked or nothing came back: a bad URL or Origin
 * (%AK_ERROR_INVALID_INPUT), an unknown @project_label (%AK_ERROR_NOT_FOUND), a keyring
 * that cannot be loaded, a transport error from the client (%AK_ERROR_HTTP), or
 * %G_IO_ERROR_CANCELLED. */
AkTokenServerResult *ak_token_server_check_finish (AkRestClient *client,
                                                   GAsyncResult *result,
                                                   GError **error);

G_END_DECLS
