/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ak-types.h"

G_BEGIN_DECLS

/**
 * AkExpiryState:
 * @AK_EXPIRY_NEVER: never expires (a 006 privilege with value 0)
 * @AK_EXPIRY_FRESH: more than %AK_EXPIRY_WARNING_SECONDS and more than a tenth of the
 *   lifetime remain
 * @AK_EXPIRY_WARNING: still valid, but under %AK_EXPIRY_WARNING_SECONDS or under a tenth of
 *   the lifetime remain
 * @AK_EXPIRY_EXPIRED: the expiry time has come (remaining time 0 or less)
 *
 * How close an expiry is, for colours and icons.
 */
typedef enum
{
  AK_EXPIRY_NEVER,
  AK_EXPIRY_FRESH,
  AK_EXPIRY_WARNING,
  AK_EXPIRY_EXPIRED,
} AkExpiryState;

#define AK_EXPIRY_WARNING_SECONDS 600

/*
 * Plain functions over times. @issued_at is 0 when unknown (006 tokens store no issue time):
 * then only the 10-minute rule gives a warning. @now comes from ak_clock_now_unix() in
 * callers, so that tests fix it.
 */
AkExpiryState ak_expiry_state_for_times   (gint64 issued_at, gint64 expires_at, gint64 now);
/* "2:59:59", "0:04:05", "1 d 02:59:59", or "expired" once @expires_at has come. */
char         *ak_format_countdown         (gint64 expires_at, gint64 now);

typedef struct _AkExpiry AkExpiry;

/**
 * AkExpiry:
 * @label: what expires: "Token", "rtc · joinChannel", "rtm · login", …
 * @issued_at: the issue time (unix seconds), 0 when the token does not store one (006)
 * @expires_at: the expiry time (unix seconds); meaningless when @never is set
 * @never: %TRUE when this never expires (a 006 privilege with value 0)
 *
 * One expiry of a token, as a row shows it: a plain boxed value, copied when shared.
 * The texts below give it three ways: absolute local time, relative time, countdown.
 */
struct _AkExpiry
{
  char *label;
  gint64 issued_at;
  gint64 expires_at;
  gboolean never;
};

#define AK_TYPE_EXPIRY (ak_expiry_get_type ())
GType          ak_expiry_get_type           (void) G_GNUC_CONST;
AkExpiry      *ak_expiry_new                (const char *label,
                                             gint64 issued_at,
                                             gint64 expires_at);
AkExpiry      *ak_expiry_new_never          (const char *label,
                                             gint64 issued_at);
AkExpiry      *ak_expiry_copy               (const AkExpiry *expiry);
void           ak_expiry_free               (AkExpiry *expiry);

AkExpiryState  ak_expiry_get_state          (const AkExpiry *expiry, gint64 now);
/* "2026-11-23 14:05:09 CET", or "Never" */
char          *ak_expiry_format_absolute    (const AkExpiry *expiry);
/* "in 3 h 12 min", "expired 5 min ago", "expires now", or "never expires" */
char          *ak_expiry_format_relative    (const AkExpiry *expiry, gint64 now);
/* as ak_format_countdown(), or "never" */
char          *ak_expiry_format_countdown   (const AkExpiry *expiry, gint64 now);

/* Every expiry of a parsed (or encoded) token, in the order a decoder shows them: first the
 * token's own ("Token"), then each privilege of each service ("rtc · joinChannel"; a second
 * service of the same type is "rtc 2 · joinChannel"). 007 privilege values count from the
 * issue time, verbatim: a value of 0 expires at the issue time, as the official parser
 * shows it. 006: the token expires at ts; privileges are absolute times, 0 = never. */
GPtrArray     *ak_token_list_expiries       (const AkToken *token);
/* Of @expiries (AkExpiry, as listed above: the token's own first), the privilege that ends
 * first; %NULL when the token has no privilege with an end. */
const AkExpiry *ak_expiries_find_first_privilege (GPtrArray *expiries);
/* The countdown to whichever of @token and @privileges ends first, naming both:
 * "Privileges expire in 0:09:59 · token in 0:59:59", "Token expires in 0:59:59 · privileges
 * in 1:59:59", or "Token and privileges expire in 0:59:59". @privileges may be %NULL. */
char          *ak_expiry_format_earliest    (const AkExpiry *token,
                                             const AkExpiry *privileges,
                                             gint64 now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkExpiry, ak_expiry_free)

G_END_DECLS
