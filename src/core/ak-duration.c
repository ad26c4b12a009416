/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-duration.h"
#include "ak-error.h"

static guint64
unit_seconds (char unit)
{
  switch (g_ascii_tolower (unit))
    {
    case 's': return 1;
    case 'm': return 60;
    case 'h': return 3600;
    case 'd': return 86400;
    case 'w': return 7 * 86400;
    default: return 0;
    }
}

/**
 * ak_duration_parse:
 * @text: seconds ("3600") or amounts with units s, m, h, d, w ("30m", "12h", "1d", "1h30m")
 * @seconds: (out): the duration in seconds
 *
 * Returns: %TRUE on success; %FALSE with %AK_ERROR_INVALID_INPUT otherwise
 */
gboolean
ak_duration_parse (const char *text,
                   guint32    *seconds,
                   GError    **error)
{
  const char *p = text;
  guint64 total = 0;
  gboolean any = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);

  while (*p != '\0')
    {
      guint64 amount = 0;
      guint64 unit;
      const char *digits = p;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      digits = p;
      while (g_ascii_isdigit (*p))
        {
          amount = amount * 10 + (guint64) (*p - '0');
          if (amount > G_MAXUINT32)
            goto too_long;
          p++;
        }
      if (p == digits)
        goto bad;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        unit = any ? 0 : 1;
      else
        unit = unit_seconds (*p++);
      if (unit == 0)
        goto bad;

      total += amount * unit;
      if (total > G_MAXUINT32)
        goto too_long;
      any = TRUE;
    }

  if (!any)
    goto bad;

  *seconds = (guint32) total;
  return TRUE;

bad:
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("“%s” is not a duration: give seconds (3600) or amounts with units, such as "
                 "30m, 12h, 1d or 1h30m."),
               text);
  return FALSE;

too_long:
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("“%s” is too long: a token time holds at most 4294967295 seconds."), text);
  return FALSE;
}

/**
 * ak_duration_parse_lifetime:
 * @text: as for ak_duration_parse()
 * @now: the issue time the lifetime counts from (unix seconds)
 * @seconds: (out): the lifetime in seconds
 *
 * A lifetime of 0 makes a token that is expired when made, and one ending after 2106 cannot
 * be stored in a token's 32-bit times: both are refused here, so that a form reports them on
 * the field instead of building something useless.
 *
 * Returns: %TRUE on success; %FALSE with %AK_ERROR_INVALID_INPUT otherwise
 */
gboolean
ak_duration_parse_lifetime (const char *text,
                            gint64      now,
                            guint32    *seconds,
                            GError    **error)
{
  guint32 value;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!ak_duration_parse (text, &value, error))
    return FALSE;
  if (value == 0)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("A lifetime of 0 makes a token that has already expired: give at "
                             "least 1 second, such as 60 or 1h."));
      return FALSE;
    }
  if (now + (gint64) value > (gint64) G_MAXUINT32)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("“%s” is too long: the token would end after the year 2106, which no "
                     "token can store. Agora documents 24 h as the longest lifetime."),
                   text);
      return FALSE;
    }
  *seconds = value;
  return TRUE;
}

/**
 * ak_duration_format:
 *
 * Returns: (transfer full): @seconds in words with its two largest units, e.g. "3 h 12 min"
 */
char *
ak_duration_format (guint64 seconds)
{
  guint64 days = seconds / 86400;
  guint hours = (guint) (seconds % 86400 / 3600);
  guint minutes = (guint) (seconds % 3600 / 60);
  guint secs = (guint) (seconds % 60);

  /* Translators: abbreviated units; keep the numbers first. */
  if (days > 0)
    return hours > 0 ? g_strdup_printf (_("%llu d %u h"), (unsigned long long) days, hours)
                     : g_strdup_printf (_("%llu d"), (unsigned long long) days);
  if (hours > 0)
    return minutes > 0 ? g_strdup_printf (_("%u h %u min"), hours, minutes)
                       : g_strdup_printf (_("%u h"), hours);
  if (minutes > 0)
    return secs > 0 ? g_strdup_printf (_("%u min %u s"), minutes, secs)
                    : g_strdup_printf (_("%u min"), minutes);
  return g_strdup_printf (_("%u s"), secs);
}

/**
 * ak_format_remaining:
 * @expires_at: unix time of expiry
 * @now: the current unix time (injected, so that callers and tests control the clock)
 *
 * Returns: (transfer full): "in 3 h 12 min", "expired 5 min ago" or "expires now"
 */
char *
ak_format_remaining (gint64 expires_at,
                     gint64 now)
{
  g_autofree char *amount = NULL;

  if (expires_at == now)
    return g_strdup (_("expires now"));

  if (expires_at > now)
    {
      amount = ak_duration_format ((guint64) (expires_at - now));
      /* Translators: %s is a duration such as "3 h 12 min" */
      return g_strdup_printf (_("in %s"), amount);
    }

  amount = ak_duration_format ((guint64) (now - expires_at));
  /* Translators: %s is a duration such as "5 min" */
  return g_strdup_printf (_("expired %s ago"), amount);
}

/**
 * ak_format_local_time:
 *
 * Returns: (transfer full): @unix_time as local date and time, e.g. "2026-11-23 14:05:09 CET"
 */
char *
ak_format_local_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, unix_time);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z");
}
