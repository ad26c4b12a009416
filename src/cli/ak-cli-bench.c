/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-cli.h"

#define DEFAULT_SECONDS 3.0
#define MAX_SECONDS 3600.0

static gboolean token_server;

static GOptionContext *
bench_option_context_new (double *seconds)
{
  const GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, seconds,
      N_("How long to run each measurement (default 3)"), N_("N") },
    { "token-server", 0, 0, G_OPTION_ARG_NONE, &token_server,
      N_("Also measure POST /getToken answered per second by the local token server on "
         "loopback (8 keep-alive connections, one request at a time on each)"), NULL },
    { NULL }
  };

  return ak_cli_option_context_new_with_entries ("bench", NULL,
                                                 N_("Measure, on one core, how many RTC tokens "
                                                    "per second are built (random salt, "
                                                    "current time) and how many are decoded "
                                                    "and verified, and how long the largest "
                                                    "RTM2 tokens Agora Keys accepts (1 MiB of "
                                                    "permissions) take to decode and verify."),
                                                 entries);
}

char *
ak_cli_bench_help (void)
{
  double seconds = DEFAULT_SECONDS;

  return ak_cli_option_context_free_to_help (bench_option_context_new (&seconds));
}

static void
print_figure (const char *label,
              const AkBenchFigure *figure)
{
  /* TRANSLATORS: "build rtc: 123456 tokens/s (370000 in 3.00 s)" */
  printf (_("%s: %.0f tokens/s (%llu in %.2f s)\n"),
          label, figure->per_second, (unsigned long long) figure->iterations, figure->seconds);
}

int
ak_cli_bench (int argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  AkBenchFigure build = { 0 };
  AkBenchFigure verify = { 0 };
  static const struct
  {
    AkBenchRtm2Shape shape;
    const char *label;
  } large_cases[] = {
    { AK_BENCH_RTM2_NAMES, "decode+verify rtm2 1 MiB (random names)" },
    { AK_BENCH_RTM2_EMPTY_ENTRIES, "decode+verify rtm2 1 MiB (empty entries)" },
  };
  gsize i;
  double seconds = DEFAULT_SECONDS;
  int status;

  context = bench_option_context_new (&seconds);
  if (!ak_cli_parse_options (context, "bench", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return ak_cli_usage_error ("bench", _("Unexpected argument “%s”"), argv[1]);
  if (!isfinite (seconds) || seconds <= 0 || seconds > MAX_SECONDS)
    return ak_cli_usage_error ("bench", _("--seconds expects a number above 0 and at most %.0f"),
                               MAX_SECONDS);

  ak_bench_build_rtc (seconds, &build);
  print_figure ("build rtc", &build);
  fflush (stdout);

  ak_bench_decode_verify (seconds, &verify);
  print_figure ("decode+verify", &verify);

  for (i = 0; i < G_N_ELEMENTS (large_cases); i++)
    {
      AkBenchFigure large = { 0 };
      gsize payload_length = 0;
      gsize text_length = 0;

      fflush (stdout);
      ak_bench_decode_rtm2_large (large_cases[i].shape, seconds, &large, &payload_length,
                                  &text_length);
      /* TRANSLATORS: "decode+verify rtm2 1 MiB (random names): 12.3 ms/token (244 in 3.00 s;
       * payload 1048575 bytes, token 929931 characters)" */
      printf (_("%s: %.1f ms/token (%llu in %.2f s; payload %zu bytes, token %zu characters)\n"),
              large_cases[i].label,
              large.iterations > 0 ? large.seconds * 1000 / large.iterations : 0.0,
              (unsigned long long) large.iterations, large.seconds, payload_length,
              text_length);
    }

  if (token_server)
    {
      g_autoptr(GError) error = NULL;
      AkBenchFigure served = { 0 };

      fflush (stdout);
      if (!ak_bench_token_server (seconds, &served, &error))
        {
          ak_cli_print_error ("%s", error->message);
          return AK_CLI_EXIT_INVALID;
        }
      /* TRANSLATORS: "token server: 6000 requests/s (18000 in 3.00 s)" */
      printf (_("%s: %.0f requests/s (%llu in %.2f s)\n"), "token server", served.per_second,
              (unsigned long long) served.iterations, served.seconds);
    }

  return fflush (stdout) == 0 ? AK_CLI_EXIT_OK : AK_CLI_EXIT_INVALID;
}
