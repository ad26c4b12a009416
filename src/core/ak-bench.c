/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-bench.h"
#include "ak-token-builder.h"
#include "ak-token.h"

/* A fixed, public test project: the official vectors' App ID and certificate. */
#define BENCH_APP_ID "970CA35de60c44645bbae8a215061b33"
#define BENCH_CERTIFICATE "5CFd2fd1755d40ecb72977518be15d3b"
#define BENCH_CHECK_EVERY 256

static JsonObject *
bench_rtc_inputs (void)
{
  JsonObject *inputs = json_object_new ();

  json_object_set_string_member (inputs, "app_id", BENCH_APP_ID);
  json_object_set_string_member (inputs, "app_certificate", BENCH_CERTIFICATE);
  json_object_set_string_member (inputs, "channel_name", "7d72365eb983485397e3e3f9d460bdda");
  json_object_set_int_member (inputs, "uid", 2882341273);
  json_object_set_int_member (inputs, "role", 1);
  json_object_set_int_member (inputs, "token_expire", 3600);
  json_object_set_int_member (inputs, "privilege_expire", 3600);
  return inputs;
}

static void
finish_figure (AkBenchFigure *figure,
               guint64        iterations,
               gint64         start)
{
  figure->iterations = iterations;
  figure->seconds = (gdouble) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  figure->per_second = figure->seconds > 0 ? iterations / figure->seconds : 0;
}

/**
 * ak_bench_build_rtc:
 *
 * Builds RTC tokens (random salt, current time, through the same path as the CLI and the
 * GUI) for about @seconds on the calling thread.
 */
void
ak_bench_build_rtc (gdouble        seconds,
                    AkBenchFigure *figure)
{
  g_autoptr(JsonObject) inputs = bench_rtc_inputs ();
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 n = 0;

  do
    {
      for (guint i = 0; i < BENCH_CHECK_EVERY; i++)
        {
          g_autoptr(AkBuildResult) result = ak_build_token (AK_BUILDER_RTC_UID, inputs, NULL);

          g_assert (result != NULL);
        }
      n += BENCH_CHECK_EVERY;
    }
  while (g_get_monotonic_time () < end);

  finish_figure (figure, n, start);
}

/**
 * ak_bench_decode_verify:
 *
 * Parses and verifies a rotating set of distinct RTC tokens for about @seconds.
 */
void
ak_bench_decode_verify (gdouble        seconds,
                        AkBenchFigure *figure)
{
  g_autoptr(JsonObject) inputs = bench_rtc_inputs ();
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  gint64 start;
  gint64 end;
  guint64 n = 0;

  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(AkBuildResult) result = ak_build_token (AK_BUILDER_RTC_UID, inputs, NULL);

      g_ptr_array_add (tokens, g_strdup (ak_build_result_get_token (result)));
    }

  start = g_get_monotonic_time ();
  end = start + (gint64) (seconds * G_USEC_PER_SEC);
  do
    {
      for (guint i = 0; i < BENCH_CHECK_EVERY; i++)
        {
          g_autoptr(AkToken) token = ak_token_parse (g_ptr_array_index (tokens, i % tokens->len),
                                                     NULL);
          gboolean valid;

          g_assert (token != NULL);
          valid = ak_token_verify (token, BENCH_CERTIFICATE, NULL, NULL, NULL, NULL);
          g_assert (valid);
        }
      n += BENCH_CHECK_EVERY;
    }
  while (g_get_monotonic_time () < end);

  finish_figure (figure, n, start);
}
