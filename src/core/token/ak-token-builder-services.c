/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-codec-private.h"
#include "ak-token-builder-private.h"

/* ---------------------------------------------------------------------------------------------
 * One-service builders: RTM and Chat users, Chat apps, FPA and aPaaS
 */

#define AK_FPA_EXPIRE 86400

static AkToken *
build_user_token (BuildContext *ctx,
                  AkServiceType type,
                  guint16       privilege,
                  gboolean      with_user,
                  GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  const char *user_id = "";
  guint32 expire;

  if ((with_user && !ak_build_get_string (ctx, "user_id", TRUE, &user_id, error))
      || !ak_build_get_u32 (ctx, "expire", TRUE, &expire, error))
    return NULL;

  ak_build_check_expire (ctx, "expire", expire);
  token = ak_build_new_007 (ctx, expire);
  ak_token_add_service (token, ak_build_user_service (type, user_id, privilege, expire));
  return g_steal_pointer (&token);
}

AkToken *
ak_build_rtm (BuildContext *ctx, GError **error)
{
  return build_user_token (ctx, AK_SERVICE_RTM, AK_PRIV_RTM_LOGIN, TRUE, error);
}

AkToken *
ak_build_chat_user (BuildContext *ctx, GError **error)
{
  return build_user_token (ctx, AK_SERVICE_CHAT, AK_PRIV_CHAT_USER, TRUE, error);
}

AkToken *
ak_build_chat_app (BuildContext *ctx, GError **error)
{
  return build_user_token (ctx, AK_SERVICE_CHAT, AK_PRIV_CHAT_APP, FALSE, error);
}

AkToken *
ak_build_fpa (BuildContext *ctx,
              GError      **error)
{
  AkToken *token = ak_build_new_007 (ctx, AK_FPA_EXPIRE);
  AkService *fpa = ak_service_new (AK_SERVICE_FPA);

  ak_service_set_privilege (fpa, AK_PRIV_FPA_LOGIN, 0);
  ak_token_add_service (token, fpa);
  return token;
}

static AkService *
apaas_service (const char *room_uuid,
               const char *user_uuid,
               gint16      role,
               guint16     privilege,
               guint32     expire)
{
  AkService *service = ak_service_new (AK_SERVICE_APAAS);

  service->room_uuid = g_strdup (room_uuid);
  service->user_uuid = g_strdup (user_uuid);
  service->role = role;
  ak_service_set_privilege (service, privilege, expire);
  return service;
}

AkToken *
ak_build_apaas_room_user (BuildContext *ctx,
                          GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  g_autofree char *chat_user = NULL;
  const char *room_uuid;
  const char *user_uuid;
  gint64 role;
  guint32 expire;

  if (!ak_build_get_string (ctx, "room_uuid", TRUE, &room_uuid, error)
      || !ak_build_get_string (ctx, "user_uuid", TRUE, &user_uuid, error)
      || !ak_build_get_integer (ctx, "role", TRUE, G_MININT16, G_MAXINT16, -1, &role, error)
      || !ak_build_get_u32 (ctx, "expire", TRUE, &expire, error))
    return NULL;

  ak_build_check_expire (ctx, "expire", expire);
  token = ak_build_new_007 (ctx, expire);
  ak_token_add_service (token, apaas_service (room_uuid, user_uuid, (gint16) role,
                                              AK_PRIV_APAAS_ROOM_USER, expire));
  ak_token_add_service (token, ak_build_user_service (AK_SERVICE_RTM, user_uuid, AK_PRIV_RTM_LOGIN,
                                                      expire));
  /* Flexible Classroom's Chat user id is the MD5 of the user UUID. */
  chat_user = ak_md5_hex (user_uuid);
  ak_token_add_service (token, ak_build_user_service (AK_SERVICE_CHAT, chat_user, AK_PRIV_CHAT_USER,
                                                      expire));
  return g_steal_pointer (&token);
}

AkToken *
ak_build_apaas_user (BuildContext *ctx,
                     GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  const char *user_uuid;
  guint32 expire;

  if (!ak_build_get_string (ctx, "user_uuid", TRUE, &user_uuid, error)
      || !ak_build_get_u32 (ctx, "expire", TRUE, &expire, error))
    return NULL;

  ak_build_check_expire (ctx, "expire", expire);
  token = ak_build_new_007 (ctx, expire);
  ak_token_add_service (token, apaas_service ("", user_uuid, -1, AK_PRIV_APAAS_USER, expire));
  return g_steal_pointer (&token);
}

AkToken *
ak_build_apaas_app (BuildContext *ctx,
                    GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  guint32 expire;

  if (!ak_build_get_u32 (ctx, "expire", TRUE, &expire, error))
    return NULL;

  ak_build_check_expire (ctx, "expire", expire);
  token = ak_build_new_007 (ctx, expire);
  ak_token_add_service (token, apaas_service ("", "", -1, AK_PRIV_APAAS_APP, expire));
  return g_steal_pointer (&token);
}
