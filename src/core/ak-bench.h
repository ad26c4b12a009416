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

G_END_DECLS
