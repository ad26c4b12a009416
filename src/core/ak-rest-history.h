/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ak-rest.h"

G_BEGIN_DECLS

#define AK_REST_HISTORY_DEFAULT_SIZE 200
/* Request bodies longer than this (after masking) are not kept in history. */
#define AK_REST_HISTORY_MAX_BODY (64 * 1024)
/* What a masked secret value reads as, in history and in views. */
#define AK_REST_MASK "••••••••"

/* Redaction by identity. A header carries a credential when it is Authorization,
 * Proxy-Authorization, x-agora-token, or its name holds "token", "secret", "key", "password"
 * or "cookie". A JSON member or query parameter is secret when named "secret", "token",
 * "password", "sign_key", "certificate", "customer_secret", "access_token" or built on them
 * ("secretKey", "appCertificate"; not paging cursors such as "pageToken"). */
gboolean            ak_rest_header_is_secret  (const char *name);
gboolean            ak_rest_member_is_secret  (const char *name);
/* @body with every secret member's value replaced by AK_REST_MASK; non-JSON as it is; JSON
 * that cannot be read safely (too deep, a \u0000, broken) replaced whole by AK_REST_MASK. */
char               *ak_rest_redact_body       (const char *body);

/* One sent request as kept in history: method, URL, body, extra headers (those that look like
 * credentials dropped, by name), the auth as scheme + credential label only, and the outcome. */
#define AK_TYPE_REST_HISTORY_ENTRY (ak_rest_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (AkRestHistoryEntry, ak_rest_history_entry, AK, REST_HISTORY_ENTRY, GObject)

/* @response: nullable. @sent_at: Unix time in seconds; 0 for now. The URL keeps no
 * user:password and its secret-named query values are masked like body members. */
AkRestHistoryEntry *ak_rest_history_entry_new        (const AkRestRequest *request,
                                                      const AkRestResponse *response,
                                                      gint64 sent_at);
/* A request that got no response (refused, DNS, TLS, timeout): status 0, @error's message. */
AkRestHistoryEntry *ak_rest_history_entry_new_for_error (const AkRestRequest *request,
                                                         const GError *error,
                                                         gint64 sent_at);
/* A request to send again (the pasted Bearer token is not kept, so it is empty). */
AkRestRequest      *ak_rest_history_entry_to_request (AkRestHistoryEntry *self);
gint64              ak_rest_history_entry_get_sent_at (AkRestHistoryEntry *self);
const char         *ak_rest_history_entry_get_method  (AkRestHistoryEntry *self);
const char         *ak_rest_history_entry_get_url     (AkRestHistoryEntry *self);
guint               ak_rest_history_entry_get_status  (AkRestHistoryEntry *self);
gboolean            ak_rest_history_entry_matches     (AkRestHistoryEntry *self, const char *needle);
/* Read-only properties for list rows: sent-at, method, url, status, reason, duration-ms,
 * size, error, endpoint-id, credential-label. */
const char         *ak_rest_history_entry_get_reason  (AkRestHistoryEntry *self);
/* (nullable) the masked body; NULL when there was none or it was too long to keep */
const char         *ak_rest_history_entry_get_body    (AkRestHistoryEntry *self);
/* the extra headers kept, "Name: value" */
const char * const *ak_rest_history_entry_get_headers (AkRestHistoryEntry *self);
AkAuthScheme        ak_rest_history_entry_get_auth_scheme     (AkRestHistoryEntry *self);
const char         *ak_rest_history_entry_get_credential_label (AkRestHistoryEntry *self);
const char         *ak_rest_history_entry_get_user_id  (AkRestHistoryEntry *self);
const char         *ak_rest_history_entry_get_endpoint_id (AkRestHistoryEntry *self);
gint64              ak_rest_history_entry_get_duration_ms (AkRestHistoryEntry *self);
/* response body size in bytes */
guint64             ak_rest_history_entry_get_size     (AkRestHistoryEntry *self);
const char         *ak_rest_history_entry_get_request_id (AkRestHistoryEntry *self);
/* (nullable) the error summary, or the transport error */
const char         *ak_rest_history_entry_get_error    (AkRestHistoryEntry *self);
/* The entry as kept in the file: {"sent_at", "method", "url", "body", "headers", "auth":
 * {"scheme", "credential", "user_id", …}, "endpoint", "status", "reason", "duration_ms",
 * "size", "request_id", "error"}. */
JsonNode           *ak_rest_history_entry_to_json      (AkRestHistoryEntry *self);

/* A GListModel of entries, newest first, bounded, kept as JSON in @path (default:
 * $XDG_DATA_HOME/<app id>/history.json), written atomically and asynchronously. */
#define AK_TYPE_REST_HISTORY (ak_rest_history_get_type ())
G_DECLARE_FINAL_TYPE (AkRestHistory, ak_rest_history, AK, REST_HISTORY, GObject)

/* @path: NULL for ak_rest_history_get_default_path(); @max_entries: 0 for the default (200).
 * Load before adding; the first add loads by itself otherwise, so the file is never replaced
 * by a shorter list. */
AkRestHistory *ak_rest_history_new          (const char *path, guint max_entries);
char          *ak_rest_history_get_default_path (void);
const char    *ak_rest_history_get_path     (AkRestHistory *self);
/* A missing file is an empty history. An unreadable one is renamed "<path>.corrupt" and
 * reported (AK_ERROR_BAD_FIELD); the history then starts empty and works as usual. */
void           ak_rest_history_load_async   (AkRestHistory *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
gboolean       ak_rest_history_load_finish  (AkRestHistory *self, GAsyncResult *result, GError **error);
/* What the load reads a file's contents with (@data NUL-terminated after @length bytes):
 * the entries, newest first, damaged ones left out; NULL with @error when it is no history. */
GPtrArray     *ak_rest_history_parse        (const char *data, gsize length, GError **error);
void           ak_rest_history_add          (AkRestHistory *self, AkRestHistoryEntry *entry);
void           ak_rest_history_clear        (AkRestHistory *self);
/* Completes when every change so far is written (the directory 0700, the file 0600), with
 * the last write's error if it failed. For programs that exit right after adding. */
void           ak_rest_history_flush_async  (AkRestHistory *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
gboolean       ak_rest_history_flush_finish (AkRestHistory *self,
                                             GAsyncResult *result,
                                             GError **error);

/* "Copy as cURL": secrets become $AGORA_CUSTOMER_ID:$AGORA_CUSTOMER_SECRET, $AGORA_TOKEN unless
 * @auth_headers (from ak_rest_client_resolve_auth_finish) is given, after the user agreed. */
char          *ak_rest_request_to_curl      (const AkRestRequest *request,
                                             GPtrArray *auth_headers);

G_END_DECLS
