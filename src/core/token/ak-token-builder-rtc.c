/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-token-builder-private.h"

/* ---------------------------------------------------------------------------------------------
 * RTC builders: one RTC service, RTC with RTM, and the agents
 */

static gboolean
get_rtc_role (BuildContext *ctx,
              const char   *key,
              gint64       *role,
              GError      **error)
{
  if (!ak_build_get_integer (ctx, key, TRUE, G_MININT64, G_MAXINT64, 0, role, error))
    return FALSE;
  if (*role != AK_RTC_ROLE_PUBLISHER && *role != AK_RTC_ROLE_SUBSCRIBER)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “%s” must be 1 (publisher) or 2 (subscriber)."), key);
      return FALSE;
    }
  ak_build_check_subscriber (ctx, key, *role);
  return TRUE;
}

AkToken *
ak_build_new_007 (BuildContext *ctx,
                  guint32       expire)
{
  return ak_token_new_007 (ctx->app_id, ctx->issue_ts, expire, ctx->salt);
}

/* channel_name, then the integer uid (@with_uid) or the string account: the user of the RTC
 * builders that take one or the other, as @uid_text. */
gboolean
ak_build_get_rtc_user (BuildContext  *ctx,
                       gboolean       with_uid,
                       const char   **channel,
                       char         **uid_text,
                       GError       **error)
{
  const char *account;
  guint32 uid;

  if (!ak_build_get_string (ctx, "channel_name", TRUE, channel, error))
    return FALSE;
  if (with_uid)
    {
      if (!ak_build_get_u32 (ctx, "uid", TRUE, &uid, error))
        return FALSE;
      *uid_text = ak_uid_to_string (uid);
      return TRUE;
    }
  if (!ak_build_get_string (ctx, "account", TRUE, &account, error))
    return FALSE;
  *uid_text = g_strdup (account);
  return TRUE;
}

/* The warnings about what ak_build_get_rtc_user() read. */
void
ak_build_check_rtc_user (BuildContext *ctx,
                         gboolean      with_uid,
                         const char   *channel,
                         const char   *uid_text)
{
  ak_build_check_channel (ctx, "channel_name", channel);
  if (!with_uid)
    ak_build_check_account (ctx, "account", uid_text, FALSE);
}

static AkService *
rtc_service (const char *channel,
             const char *uid)
{
  AkService *service = ak_service_new (AK_SERVICE_RTC);

  service->channel_name = g_strdup (channel);
  service->uid = g_strdup (uid);
  return service;
}

AkService *
ak_build_user_service (AkServiceType type,
                       const char   *user_id,
                       guint16       privilege,
                       guint32       value)
{
  AkService *service = ak_service_new (type);

  service->user_id = g_strdup (user_id);
  ak_service_set_privilege (service, privilege, value);
  return service;
}

/* rtc_uid, rtc_account, rtc_rtm: join, plus the publish privileges for publishers. */
AkToken *
ak_build_rtc_role (BuildContext *ctx,
                   GError      **error)
{
  gboolean with_uid = ctx->builder == AK_BUILDER_RTC_UID;
  gboolean with_rtm = ctx->builder == AK_BUILDER_RTC_RTM;
  g_autoptr(AkToken) token = NULL;
  g_autofree char *uid_text = NULL;
  const char *channel;
  guint32 token_expire;
  guint32 privilege_expire;
  gint64 role;
  AkService *rtc;

  if (!ak_build_get_rtc_user (ctx, with_uid, &channel, &uid_text, error)
      || !get_rtc_role (ctx, "role", &role, error)
      || !ak_build_get_u32 (ctx, "token_expire", TRUE, &token_expire, error)
      || !ak_build_get_u32 (ctx, "privilege_expire", FALSE, &privilege_expire, error))
    return NULL;

  ak_build_check_rtc_user (ctx, with_uid, channel, uid_text);
  ak_build_check_expire (ctx, "token_expire", token_expire);
  ak_build_check_privilege (ctx, "privilege_expire", privilege_expire, token_expire);

  token = ak_build_new_007 (ctx, token_expire);
  rtc = rtc_service (channel, uid_text);
  ak_service_set_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, privilege_expire);
  if (role == AK_RTC_ROLE_PUBLISHER)
    {
      ak_service_set_privilege (rtc, AK_PRIV_RTC_PUBLISH_AUDIO, privilege_expire);
      ak_service_set_privilege (rtc, AK_PRIV_RTC_PUBLISH_VIDEO, privilege_expire);
      ak_service_set_privilege (rtc, AK_PRIV_RTC_PUBLISH_DATA, privilege_expire);
    }
  ak_token_add_service (token, rtc);

  /* The RTM login of build_token_with_rtm lasts the token's lifetime, not the privilege's. */
  if (with_rtm)
    ak_token_add_service (token, ak_build_user_service (AK_SERVICE_RTM, uid_text,
                                                        AK_PRIV_RTM_LOGIN, token_expire));
  return g_steal_pointer (&token);
}

static const char * const rtc_privilege_inputs[] = {
  "join_channel_privilege_expire",
  "pub_audio_privilege_expire",
  "pub_video_privilege_expire",
  "pub_data_stream_privilege_expire",
};

static gboolean
get_rtc_privileges (BuildContext *ctx,
                    guint32       token_expire,
                    guint32       values[4],
                    GError      **error)
{
  for (guint i = 0; i < 4; i++)
    {
      if (!ak_build_get_u32 (ctx, rtc_privilege_inputs[i], TRUE, &values[i], error))
        return FALSE;
      ak_build_check_privilege (ctx, rtc_privilege_inputs[i], values[i], token_expire);
    }
  return TRUE;
}

/* rtc_uid_privilege, rtc_account_privilege: an expiry per privilege. */
AkToken *
ak_build_rtc_privileges (BuildContext *ctx,
                         GError      **error)
{
  gboolean with_uid = ctx->builder == AK_BUILDER_RTC_UID_PRIVILEGE;
  g_autoptr(AkToken) token = NULL;
  g_autofree char *uid_text = NULL;
  const char *channel;
  guint32 token_expire;
  guint32 values[4];
  AkService *rtc;

  if (!ak_build_get_rtc_user (ctx, with_uid, &channel, &uid_text, error)
      || !ak_build_get_u32 (ctx, "token_expire", TRUE, &token_expire, error)
      || !get_rtc_privileges (ctx, token_expire, values, error))
    return NULL;

  ak_build_check_rtc_user (ctx, with_uid, channel, uid_text);
  ak_build_check_expire (ctx, "token_expire", token_expire);

  token = ak_build_new_007 (ctx, token_expire);
  rtc = rtc_service (channel, uid_text);
  for (guint i = 0; i < 4; i++)
    ak_service_set_privilege (rtc, (guint16) (AK_PRIV_RTC_JOIN_CHANNEL + i), values[i]);
  ak_token_add_service (token, rtc);
  return g_steal_pointer (&token);
}

/* An RTC uid or account as the official ServiceRtc(channel, uid) writes it: a string as it
 * is, an integer in decimal, and the integer 0 (any user) as "". */
gboolean
ak_build_uid_or_account_text (JsonNode    *node,
                              const char  *key,
                              char       **text,
                              gboolean    *is_integer,
                              GError     **error)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_NONE;

  if (type == G_TYPE_STRING)
    {
      *text = g_strdup (json_node_get_string (node));
      *is_integer = FALSE;
      return TRUE;
    }
  if (type == G_TYPE_INT64 && json_node_get_int (node) >= 0
      && json_node_get_int (node) <= G_MAXUINT32)
    {
      *text = ak_uid_to_string ((guint32) json_node_get_int (node));
      *is_integer = TRUE;
      return TRUE;
    }
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("“%s” must be a string user account or an integer uid from 0 to 4294967295."),
               key);
  return FALSE;
}

/* rtc_rtm2, and the RTC and RTM half of the agent builders, which also take an integer
 * rtc_account. */
AkToken *
ak_build_rtc_and_rtm (BuildContext *ctx,
                      GError      **error)
{
  gboolean integer_uid = ctx->builder != AK_BUILDER_RTC_RTM2;
  g_autoptr(AkToken) token = NULL;
  g_autofree char *account = NULL;
  const char *channel;
  const char *rtm_user_id;
  gboolean account_is_uid = FALSE;
  JsonNode *account_node;
  gint64 role;
  guint32 rtc_expire;
  guint32 rtm_expire;
  guint32 values[4];
  AkService *rtc;

  if (!ak_build_get_string (ctx, "channel_name", TRUE, &channel, error))
    return NULL;
  if (integer_uid)
    {
      if (!ak_build_lookup (ctx, "rtc_account", TRUE, &account_node, error)
          || !ak_build_uid_or_account_text (account_node, "rtc_account", &account, &account_is_uid,
                                            error))
        return NULL;
    }
  else
    {
      const char *text;

      if (!ak_build_get_string (ctx, "rtc_account", TRUE, &text, error))
        return NULL;
      account = g_strdup (text);
    }
  if (!get_rtc_role (ctx, "rtc_role", &role, error)
      || !ak_build_get_u32 (ctx, "rtc_token_expire", TRUE, &rtc_expire, error)
      || !get_rtc_privileges (ctx, rtc_expire, values, error)
      || !ak_build_get_string (ctx, "rtm_user_id", TRUE, &rtm_user_id, error)
      || !ak_build_get_u32 (ctx, "rtm_token_expire", TRUE, &rtm_expire, error))
    return NULL;

  ak_build_check_channel (ctx, "channel_name", channel);
  if (!account_is_uid)
    ak_build_check_account (ctx, "rtc_account", account, integer_uid);
  ak_build_check_expire (ctx, "rtc_token_expire", rtc_expire);
  ak_build_check_expire (ctx, "rtm_token_expire", rtm_expire);

  token = ak_build_new_007 (ctx, rtc_expire);
  rtc = rtc_service (channel, account);
  ak_service_set_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, values[0]);
  /* The official builder drops the publish expiries of subscribers. */
  if (role == AK_RTC_ROLE_PUBLISHER)
    for (guint i = 1; i < 4; i++)
      ak_service_set_privilege (rtc, (guint16) (AK_PRIV_RTC_JOIN_CHANNEL + i), values[i]);
  ak_token_add_service (token, rtc);
  ak_token_add_service (token, ak_build_user_service (AK_SERVICE_RTM, rtm_user_id,
                                                      AK_PRIV_RTM_LOGIN, rtm_expire));
  return g_steal_pointer (&token);
}

/* ConvoAI and STT (agora-token 2.0.6 on npm): rtc_rtm2's two services, then one that holds
 * no privilege at all; its type alone lets the agent in. */
AkToken *
ak_build_agent (BuildContext *ctx,
                GError      **error)
{
  AkServiceType type = ctx->builder == AK_BUILDER_CONVOAI ? AK_SERVICE_CONVOAI : AK_SERVICE_STT;
  AkToken *token = ak_build_rtc_and_rtm (ctx, error);

  if (token != NULL)
    ak_token_add_service (token, ak_service_new (type));
  return token;
}
