/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every harness shares: criticals and warnings are findings, not noise. */
#include <stdlib.h>
#include <string.h>

#include "ak-clock.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  (void) argc;
  (void) argv;

  /* A g_return_if_fail() or a g_warning() reached from outside input is a bug too. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* The same inputs, the same runs (build-aux/fuzz --ci depends on it): GLib's random numbers
   * (the cURL export's secret markers) reach libFuzzer's tables of compared strings, and the
   * clock decides which expiry warnings a built token gets; either made each run differ. */
  g_random_set_seed (1);
  ak_clock_set_for_testing (1767225600); /* 2026-01-01 00:00 UTC */
  return 0;
}

void
ak_fuzz_fail (const char *location,
              const char *expression)
{
  g_printerr ("%s: fuzz check failed: %s\n", location, expression);
  abort ();
}

char *
ak_fuzz_dup_text (const uint8_t *data,
                  size_t         size)
{
  char *text = g_malloc (size + 1);

  if (size > 0)
    memcpy (text, data, size);
  text[size] = '\0';
  return text;
}

char *
ak_fuzz_dup_bytes (const uint8_t *data,
                   size_t         size)
{
  return size > 0 ? g_memdup2 (data, size) : NULL;
}

gboolean
ak_fuzz_is_one_line (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}
