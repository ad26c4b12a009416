/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-token-builder-private.h"

/* ---------------------------------------------------------------------------------------------
 * Legacy 006 builders
 */

/* rtc006_uid, rtc006_account */
AkToken *
ak_build_rtc006 (BuildContext *ctx,
                 GError      **error)
{
  gboolean with_uid = ctx->builder == AK_BUILDER_RTC006_UID;
  g_autoptr(AkToken) token = NULL;
  g_autofree char *uid_text = NULL;
  const char *channel;
  guint32 privilege_ts;
  gint64 role;

  if (!ak_build_get_rtc_user (ctx, with_uid, &channel, &uid_text, error)
      || !ak_build_get_integer (ctx, "role", TRUE, G_MININT64, G_MAXINT64, 0, &role, error)
      || !ak_build_get_u32 (ctx, "privilege_expire_ts", TRUE, &privilege_ts, error))
    return NULL;

  if (role != AK_RTC_ROLE_ATTENDEE_006 && role != AK_RTC_ROLE_PUBLISHER
      && role != AK_RTC_ROLE_SUBSCRIBER && role != AK_RTC_ROLE_ADMIN_006)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “role” must be 0 (attendee), 1 (publisher), 2 (subscriber) "
                     "or 101 (admin)."));
      return NULL;
    }

  ak_build_check_rtc_user (ctx, with_uid, channel, uid_text);
  ak_build_check_subscriber (ctx, "role", role);
  if (privilege_ts != 0 && privilege_ts > ctx->issue_ts)
    ak_build_warn (ctx, AK_WARNING_PRIVILEGE_OUTLIVES_TOKEN, "privilege_expire_ts",
                   _("The privileges expire after the token itself (ts): they end with the "
                     "token."));

  token = ak_token_new_006 (ctx->app_id, channel, uid_text, ctx->salt, ctx->issue_ts);
  ak_token_set_privilege_006 (token, AK_PRIV006_JOIN_CHANNEL, privilege_ts);
  if (role != AK_RTC_ROLE_SUBSCRIBER)
    {
      ak_token_set_privilege_006 (token, AK_PRIV006_PUBLISH_AUDIO, privilege_ts);
      ak_token_set_privilege_006 (token, AK_PRIV006_PUBLISH_VIDEO, privilege_ts);
      ak_token_set_privilege_006 (token, AK_PRIV006_PUBLISH_DATA, privilege_ts);
    }
  return g_steal_pointer (&token);
}

AkToken *
ak_build_rtm006 (BuildContext *ctx,
                 GError      **error)
{
  AkToken *token;
  const char *account;
  guint32 privilege_ts;
  gint64 role;

  /* role is part of the official signature but changes nothing in the token. */
  if (!ak_build_get_string (ctx, "user_account", TRUE, &account, error)
      || !ak_build_get_integer (ctx, "role", FALSE, G_MININT64, G_MAXINT64, 1, &role, error)
      || !ak_build_get_u32 (ctx, "privilege_expire_ts", TRUE, &privilege_ts, error))
    return NULL;

  /* The RTM 006 token keeps the account in the channel-name slot and an empty uid. */
  token = ak_token_new_006 (ctx->app_id, account, "", ctx->salt, ctx->issue_ts);
  ak_token_set_privilege_006 (token, AK_PRIV006_RTM_LOGIN, privilege_ts);
  return token;
}
