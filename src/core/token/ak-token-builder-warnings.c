/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-token-builder-private.h"

#define AK_MAX_CHANNEL_BYTES 64
#define AK_MAX_ACCOUNT_BYTES 255
#define AK_MAX_DOCUMENTED_EXPIRE 86400

/* ---------------------------------------------------------------------------------------------
 * Warnings: problems Agora documents but the official builders do not check
 */

void
ak_warning_free (gpointer data)
{
  AkWarning *warning = data;

  g_free (warning->field);
  g_free (warning->message);
  g_free (warning);
}

G_GNUC_PRINTF (4, 5)
void
ak_build_warn (BuildContext  *ctx,
               AkWarningCode  code,
               const char    *field,
               const char    *format,
               ...)
{
  AkWarning *warning = g_new0 (AkWarning, 1);
  va_list args;

  va_start (args, format);
  warning->code = code;
  warning->field = g_strdup (field);
  warning->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (ctx->warnings, warning);
}

static gboolean
is_channel_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr (" !#$%&()+-:;<=.>?@[]^_{}|~,", c) != NULL);
}

void
ak_build_check_channel (BuildContext *ctx,
                        const char   *field,
                        const char   *channel)
{
  gsize len = strlen (channel);

  if (len > AK_MAX_CHANNEL_BYTES)
    ak_build_warn (ctx, AK_WARNING_CHANNEL_TOO_LONG, field,
                   _("The channel name is %zu bytes long; Agora allows at most 64 bytes, "
                     "so joining will fail."),
                   len);

  for (const char *p = channel; *p != '\0'; p++)
    if (!is_channel_char (*p))
      {
        g_autofree char *shown = NULL;

        if (g_ascii_isprint (*p))
          shown = g_strdup_printf ("“%c”", *p);
        else
          shown = g_strdup_printf (_("byte 0x%02x"), (guchar) *p);
        ak_build_warn (ctx, AK_WARNING_CHANNEL_CHARACTERS, field,
                       _("The channel name contains %s at byte %zu, which Agora does "
                         "not allow. Channel names may use letters, digits, space and "
                         "! # $ %% & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,"),
                       shown, (gsize) (p - channel) + 1);
        break;
      }
}

/* @same_as_uid: the builder writes an integer uid in decimal too, so that digits other than
 * "0" make the same token as the integer, and only the length is worth a warning. */
void
ak_build_check_account (BuildContext *ctx,
                        const char   *field,
                        const char   *account,
                        gboolean      same_as_uid)
{
  gsize len = strlen (account);

  if (len > AK_MAX_ACCOUNT_BYTES)
    ak_build_warn (ctx, AK_WARNING_ACCOUNT_TOO_LONG, field,
                   _("The user account is %zu bytes long; Agora allows at most 255 "
                     "bytes."),
                   len);

  if (ak_is_digits (account) && !(same_as_uid && !g_str_equal (account, "0")))
    ak_build_warn (ctx, AK_WARNING_NUMERIC_ACCOUNT, field,
                   _("The user account “%s” is all digits. As a string account it makes a "
                     "different token from the integer uid %s: use an integer uid if the app joins "
                     "with one."),
                   account, account);
}

void
ak_build_check_expire (BuildContext *ctx,
                       const char   *field,
                       guint32       seconds)
{
  if (seconds > AK_MAX_DOCUMENTED_EXPIRE)
    ak_build_warn (ctx, AK_WARNING_EXPIRE_TOO_LONG, field,
                   _("“%s” is %u seconds; Agora documents 24 hours (86,400 seconds) as the longest "
                     "token lifetime."),
                   field, seconds);
}

void
ak_build_check_privilege (BuildContext *ctx,
                          const char   *field,
                          guint32       privilege,
                          guint32       token_expire)
{
  if (privilege == 0)
    ak_build_warn (ctx, AK_WARNING_PRIVILEGE_ZERO, field,
                   _("“%s” is 0, the official builders' default, which Agora's own parser shows as "
                     "already expired. Give it the token's lifetime unless that is what you want."),
                   field);
  else if (privilege > token_expire)
    ak_build_warn (ctx, AK_WARNING_PRIVILEGE_OUTLIVES_TOKEN, field,
                   _("“%s” (%u s) is longer than the token's own lifetime (%u s): the privilege "
                     "ends with the token."),
                   field, privilege, token_expire);
}

void
ak_build_check_subscriber (BuildContext *ctx,
                           const char   *field,
                           gint64        role)
{
  if (role == AK_RTC_ROLE_SUBSCRIBER)
    ak_build_warn (ctx, AK_WARNING_SUBSCRIBER_ROLE, field,
                   _("Role subscriber only stops a user from publishing when strict token "
                     "permission (co-host authentication) is enabled for the project; otherwise "
                     "this token can publish too."));
}
