/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 iterations;
  gdouble seconds;
  gdouble per_second;
} AkBenchFigure;

void ak_bench_build_rtc     (gdouble seconds, AkBenchFigure *figure);
void ak_bench_decode_verify (gdouble seconds, AkBenchFigure *figure);
/* POST /getToken on loopback against the local token server, with keep-alive and 16
 * requests in flight, client and server on this thread. */
gboolean ak_bench_token_server (gdouble seconds, AkBenchFigure *figure, GError **error);

G_END_DECLS
