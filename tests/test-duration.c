/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib.h>

#include "ak-core.h"

static const struct
{
  const char *text;
  guint32 seconds;
} valid_durations[] = {
  { "3600", 3600 },
  { "0", 0 },
  { "30m", 30 * 60 },
  { "12h", 12 * 3600 },
  { "1d", 86400 },
  { "1h30m", 5400 },
  { "45s", 45 },
  { "4294967295", G_MAXUINT32 },
};

static const char *invalid_durations[] = {
  "",
  "abc",
  "-5",
  "12x",
  "h",
  "4294967296",
  "99999999999999999999",
  "49711d", /* 4,295,030,400 s: one day past the largest u32 */
};

static void
test_parse_valid (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (valid_durations); i++)
    {
      g_autoptr(GError) error = NULL;
      guint32 seconds = 12345;

      g_test_message ("parsing “%s”", valid_durations[i].text);
      g_assert_true (ak_duration_parse (valid_durations[i].text, &seconds, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (seconds, ==, valid_durations[i].seconds);
    }
}

static void
test_parse_invalid (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (invalid_durations); i++)
    {
      g_autoptr(GError) error = NULL;
      guint32 seconds = 0;

      g_test_message ("parsing “%s”", invalid_durations[i]);
      g_assert_false (ak_duration_parse (invalid_durations[i], &seconds, &error));
      g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
      /* The message is shown to the user as it is. */
      g_assert_cmpuint (strlen (error->message), >, 0);
    }
}

static void
test_format (void)
{
  g_autofree char *hours = ak_duration_format (3 * 3600 + 12 * 60);
  g_autofree char *minutes = ak_duration_format (30 * 60);
  g_autofree char *one_hour = ak_duration_format (3600);

  g_assert_nonnull (strstr (hours, "3 h"));
  g_assert_nonnull (strstr (hours, "12 min"));
  g_assert_nonnull (strstr (minutes, "30 min"));
  g_assert_null (strstr (minutes, "h"));
  g_assert_nonnull (strstr (one_hour, "1 h"));
  g_assert_null (strstr (one_hour, "min"));
}

static void
test_format_round_trip (void)
{
  static const guint32 samples[] = { 60, 3600, 5400, 11520, 43200 };
  gsize i;

  /* What ak_duration_format prints for whole minutes and hours must not contradict the
   * parser: formatting then reading back the numbers gives the same total. */
  for (i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *text = ak_duration_format (samples[i]);
      g_autofree char *compact = NULL;
      g_autoptr(GError) error = NULL;
      guint32 seconds = 0;
      GString *s = g_string_new (NULL);
      const char *p;

      for (p = text; *p != '\0'; p++)
        if (*p != ' ')
          g_string_append_c (s, *p);
      compact = g_string_free (s, FALSE);
      /* "3h12min" -> "3h12m" */
      while (strstr (compact, "min") != NULL)
        {
          char *at = strstr (compact, "min");
          memmove (at + 1, at + 3, strlen (at + 3) + 1);
        }

      g_test_message ("“%s” read back as “%s”", text, compact);
      g_assert_true (ak_duration_parse (compact, &seconds, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (seconds, ==, samples[i]);
    }
}

static void
test_remaining (void)
{
  const gint64 now = 1700000000;
  const gint64 span = 3 * 3600 + 12 * 60;
  g_autofree char *future = ak_format_remaining (now + span, now);
  g_autofree char *past = ak_format_remaining (now - span, now);

  g_assert_nonnull (strstr (future, "3 h"));
  g_assert_nonnull (strstr (future, "12 min"));
  g_assert_nonnull (strstr (past, "3 h"));
  g_assert_nonnull (strstr (past, "12 min"));
  /* The direction must show: a user must tell "expires in" from "expired ago". */
  g_assert_cmpstr (future, !=, past);
}

static void
test_remaining_is_relative_to_now (void)
{
  g_autofree char *a = ak_format_remaining (1000 + 7200, 1000);
  g_autofree char *b = ak_format_remaining (5000000 + 7200, 5000000);
  g_autofree char *c = ak_format_remaining (1000 + 1800, 1000);

  g_assert_cmpstr (a, ==, b);
  g_assert_nonnull (strstr (a, "2 h"));
  g_assert_nonnull (strstr (c, "30 min"));
}

static void
test_local_time (void)
{
  /* tests/meson.build runs the tests with TZ=UTC. */
  g_autofree char *text = ak_format_local_time (1700000000);
  g_autofree char *epoch = ak_format_local_time (0);

  g_assert_nonnull (strstr (text, "2023"));
  g_assert_nonnull (strstr (text, "22:13"));
  g_assert_nonnull (strstr (epoch, "1970"));
}

/* What a form or the preferences accept as a token lifetime: what a person would be
 * surprised by (an expired token, a time no token can hold) is refused with a sentence. */
static void
test_parse_lifetime (void)
{
  const gint64 now = 1700000000;
  const struct
  {
    const char *text;
    gboolean valid;
    guint32 seconds;
    const char *message_part;
  } cases[] = {
    { "1h", TRUE, 3600, NULL },
    { "60", TRUE, 60, NULL },
    { "1", TRUE, 1, NULL },
    { "2d", TRUE, 2 * 86400, NULL },
    { "0", FALSE, 0, "already expired" },
    { "0h0m", FALSE, 0, "already expired" },
    { "abc", FALSE, 0, "not a duration" },
    { "", FALSE, 0, "not a duration" },
    { "4294967295", FALSE, 0, "2106" },
    { "99999999999", FALSE, 0, "too long" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint32 seconds = 7;
      gboolean ok = ak_duration_parse_lifetime (cases[i].text, now, &seconds, &error);

      g_assert_cmpint (ok, ==, cases[i].valid);
      if (cases[i].valid)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (seconds, ==, cases[i].seconds);
          continue;
        }
      g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      /* The form shows this under its own field names: no API input names. */
      g_assert_null (strstr (error->message, "_expire"));
      g_assert_null (strstr (error->message, "“expire”"));
      g_assert_cmpuint (seconds, ==, 7);
    }

  /* The last second a token can hold is allowed, the next refused. */
  {
    guint32 seconds;
    g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, G_MAXUINT32 - now);
    g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, G_MAXUINT32 - now + 1);

    g_assert_true (ak_duration_parse_lifetime (last, now, &seconds, NULL));
    g_assert_false (ak_duration_parse_lifetime (after, now, &seconds, NULL));
  }
}

int
main (int argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/duration/parse-valid", test_parse_valid);
  g_test_add_func ("/ak/duration/parse-invalid", test_parse_invalid);
  g_test_add_func ("/ak/duration/parse-lifetime", test_parse_lifetime);
  g_test_add_func ("/ak/duration/format", test_format);
  g_test_add_func ("/ak/duration/format-round-trip", test_format_round_trip);
  g_test_add_func ("/ak/duration/remaining", test_remaining);
  g_test_add_func ("/ak/duration/remaining-relative-to-now", test_remaining_is_relative_to_now);
  g_test_add_func ("/ak/duration/local-time", test_local_time);

  return g_test_run ();
}
