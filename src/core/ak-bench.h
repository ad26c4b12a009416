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
/* The largest RTM2 tokens the decoder accepts (payloads just under AK_MAX_PAYLOAD_LENGTH),
 * their permissions in reverse wire order with types repeated: full of random 8-character
 * names (a token of about 1 MB of text), or of entries with no resource (the most entries a
 * payload can hold). @payload_length and @text_length describe the token. */
typedef enum
{
  AK_BENCH_RTM2_NAMES,
  AK_BENCH_RTM2_EMPTY_ENTRIES,
} AkBenchRtm2Shape;

void ak_bench_decode_rtm2_large (AkBenchRtm2Shape  shape,
                                 gdouble           seconds,
                                 AkBenchFigure    *figure,
                                 gsize            *payload_length,
                                 gsize            *text_length);
/* POST /getToken on loopback against the local token server: 8 client threads, each with
 * one keep-alive connection and one request at a time; the server runs on this thread. */
gboolean ak_bench_token_server (gdouble seconds, AkBenchFigure *figure, GError **error);

G_END_DECLS
