/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-token-private.h"

/* ---------------------------------------------------------------------------------------------
 * Validation helpers
 */

/* @what is untranslated (N_()), so the hot path of a valid value never calls gettext. */
gboolean
ak_is_hex32 (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < AK_APP_ID_LENGTH; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return text[AK_APP_ID_LENGTH] == '\0';
}

static gboolean
validate_hex32 (const char *value,
                const char *what,
                GError    **error)
{
  glong n_chars;

  if (ak_is_hex32 (value))
    return TRUE;

  what = _(what);

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The %s is empty; it must be 32 hexadecimal characters (0-9, a-f)."), what);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_ascii_isxdigit (*p))
      {
        gunichar c = g_utf8_get_char_validated (p, -1);
        char buf[8] = { 0 };

        if (c == (gunichar) -1 || c == (gunichar) -2)
          c = 0xFFFD;
        g_unichar_to_utf8 (c, buf);
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The %s contains “%s” at character %ld; it must be 32 hexadecimal "
                       "characters (0-9, a-f)."),
                     what, g_unichar_isprint (c) ? buf : "?",
                     g_utf8_pointer_to_offset (value, p) + 1);
        return FALSE;
      }

  n_chars = (glong) strlen (value);
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("The %s has %ld characters; it must have exactly 32 hexadecimal characters."),
               what, n_chars);
  return FALSE;
}

gboolean
ak_validate_app_id (const char *app_id,
                    GError    **error)
{
  return validate_hex32 (app_id, N_("App ID"), error);
}

gboolean
ak_validate_app_certificate (const char *app_certificate,
                             GError    **error)
{
  return validate_hex32 (app_certificate, N_("App Certificate"), error);
}

char *
ak_uid_to_string (guint32 uid)
{
  return uid == 0 ? g_strdup ("") : g_strdup_printf ("%u", uid);
}

/* Whether @text is one or more ASCII digits: the test that tells a uid written as text from
 * a user account. */
gboolean
ak_is_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}
