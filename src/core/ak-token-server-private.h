/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

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

G_END_DECLS
