/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ak-token-builder.h"
#include "ak-token.h"

G_BEGIN_DECLS

/* Everything one build needs: the inputs, the resolved envelope values, and the warnings. */
typedef struct
{
  AkBuilder builder;
  JsonObject *inputs;
  const char *app_id;
  const char *app_certificate;
  guint32 issue_ts;
  guint32 salt;
  GPtrArray *warnings;
} BuildContext;

/* The builders, each one flavour of the official token builders, and what they share. */

/* ak-token-builder-inputs.c */
gboolean   ak_build_lookup (BuildContext *ctx,
                            const char *key,
                            gboolean required,
                            JsonNode **node,
                            GError **error);
gboolean   ak_build_get_string (BuildContext *ctx,
                                const char *key,
                                gboolean required,
                                const char **value,
                                GError **error);
gboolean   ak_build_get_integer (BuildContext *ctx,
                                 const char *key,
                                 gboolean required,
                                 gint64 min,
                                 gint64 max,
                                 gint64 fallback,
                                 gint64 *value,
                                 GError **error);
gboolean   ak_build_get_u32 (BuildContext *ctx,
                             const char *key,
                             gboolean required,
                             guint32 *value,
                             GError **error);

/* ak-token-builder-warnings.c */
void       ak_warning_free (gpointer data);
void       ak_build_warn (BuildContext *ctx,
                          AkWarningCode code,
                          const char *field,
                          const char *format,
                          ...) G_GNUC_PRINTF (4, 5);
void       ak_build_check_channel (BuildContext *ctx, const char *field, const char *channel);
void       ak_build_check_account (BuildContext *ctx,
                                   const char *field,
                                   const char *account,
                                   gboolean same_as_uid);
void       ak_build_check_expire (BuildContext *ctx, const char *field, guint32 seconds);
void       ak_build_check_privilege (BuildContext *ctx,
                                     const char *field,
                                     guint32 privilege,
                                     guint32 token_expire);
void       ak_build_check_subscriber (BuildContext *ctx, const char *field, gint64 role);

/* ak-token-builder-rtc.c */
AkToken   *ak_build_new_007 (BuildContext *ctx, guint32 expire);
gboolean   ak_build_get_rtc_user (BuildContext *ctx,
                                  gboolean with_uid,
                                  const char **channel,
                                  char **uid_text,
                                  GError **error);
void       ak_build_check_rtc_user (BuildContext *ctx,
                                    gboolean with_uid,
                                    const char *channel,
                                    const char *uid_text);
AkService *ak_build_user_service (AkServiceType type,
                                  const char *user_id,
                                  guint16 privilege,
                                  guint32 value);
AkToken   *ak_build_rtc_role (BuildContext *ctx, GError **error);
AkToken   *ak_build_rtc_privileges (BuildContext *ctx, GError **error);
gboolean   ak_build_uid_or_account_text (JsonNode *node,
                                         const char *key,
                                         char **text,
                                         gboolean *is_integer,
                                         GError **error);
AkToken   *ak_build_rtc_and_rtm (BuildContext *ctx, GError **error);
AkToken   *ak_build_agent (BuildContext *ctx, GError **error);

/* ak-token-builder-services.c */
AkToken   *ak_build_rtm (BuildContext *ctx, GError **error);
AkToken   *ak_build_chat_user (BuildContext *ctx, GError **error);
AkToken   *ak_build_chat_app (BuildContext *ctx, GError **error);
AkToken   *ak_build_fpa (BuildContext *ctx, GError **error);
AkToken   *ak_build_apaas_room_user (BuildContext *ctx, GError **error);
AkToken   *ak_build_apaas_user (BuildContext *ctx, GError **error);
AkToken   *ak_build_apaas_app (BuildContext *ctx, GError **error);

/* ak-token-builder-permissions.c */
gboolean   ak_build_read_permissions_input (JsonNode *node, AkService *service, GError **error);
AkToken   *ak_build_rtm_permissions (BuildContext *ctx, GError **error);

/* ak-token-builder-raw.c */
gboolean   ak_build_check_known_keys (JsonObject *object,
                                      const char * const *allowed,
                                      const char *where,
                                      GError **error);
AkToken   *ak_build_raw007 (BuildContext *ctx, GError **error);
AkToken   *ak_build_raw006 (BuildContext *ctx, GError **error);

/* ak-token-builder-006.c */
AkToken   *ak_build_rtc006 (BuildContext *ctx, GError **error);
AkToken   *ak_build_rtm006 (BuildContext *ctx, GError **error);

G_END_DECLS
