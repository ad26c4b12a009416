/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

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
/* @url without user:password@ and with secret-named query values replaced by AK_REST_MASK.
 * Done by hand rather than with GUri, so that a URL GUri refuses is still redacted. */
char               *ak_rest_redact_url        (const char *url);

G_END_DECLS
