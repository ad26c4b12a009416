/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ak-rest.h"

G_BEGIN_DECLS

/* Request bodies longer than this (after masking) are not kept in history. */
#define AK_REST_HISTORY_MAX_BODY (64 * 1024)

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

G_END_DECLS
