/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "ak-types.h"

G_BEGIN_DECLS

#define AK_APP_ID_LENGTH 32
#define AK_SIGNATURE_LENGTH 32
/* Real tokens are a few hundred bytes. These bounds are far above anything a builder can
 * make from valid inputs (two 65,535-byte strings), and far below what a zlib bomb needs. */
#define AK_MAX_PAYLOAD_LENGTH (1024 * 1024)
#define AK_MAX_TOKEN_TEXT_LENGTH (2 * 1024 * 1024)

/* 007 privilege ids, per service. */
enum
{
  AK_PRIV_RTC_JOIN_CHANNEL = 1,
  AK_PRIV_RTC_PUBLISH_AUDIO = 2,
  AK_PRIV_RTC_PUBLISH_VIDEO = 3,
  AK_PRIV_RTC_PUBLISH_DATA = 4,
  AK_PRIV_RTM_LOGIN = 1,
  AK_PRIV_STREAMING_PUBLISH_MIX = 1,
  AK_PRIV_STREAMING_PUBLISH_RAW = 2,
  AK_PRIV_FPA_LOGIN = 1,
  AK_PRIV_CHAT_USER = 1,
  AK_PRIV_CHAT_APP = 2,
  AK_PRIV_FCDN_PUBLISH = 1,
  AK_PRIV_FCDN_PLAY = 2,
  AK_PRIV_APAAS_ROOM_USER = 1,
  AK_PRIV_APAAS_USER = 2,
  AK_PRIV_APAAS_APP = 3,
  AK_PRIV_RTM2_LOGIN = 1,
};

/* 006 privilege ids. */
enum
{
  AK_PRIV006_JOIN_CHANNEL = 1,
  AK_PRIV006_PUBLISH_AUDIO = 2,
  AK_PRIV006_PUBLISH_VIDEO = 3,
  AK_PRIV006_PUBLISH_DATA = 4,
  AK_PRIV006_ADMINISTRATE_CHANNEL = 101,
  AK_PRIV006_RTM_LOGIN = 1000,
};

/**
 * AkPrivilege:
 * @id: the privilege id (see the `AK_PRIV_*` constants)
 * @value: 007: seconds after the issue time; 006: an absolute unix time (0 = never)
 */
typedef struct
{
  guint16 id;
  guint32 value;
} AkPrivilege;

/**
 * AkRtmPermission:
 * @resource_type: 0 messageChannels, 1 streamChannels, 2 groupChannels, 3 serverGroups, 4 users
 * @permission_type: 0 read, 1 write
 * @resources: (element-type utf8): resource names, in order
 *
 * One entry of the RTM2 permissions block.
 */
typedef struct
{
  guint16 resource_type;
  guint16 permission_type;
  GPtrArray *resources;
} AkRtmPermission;

/**
 * AkRtmPermissionBlock:
 * @resource_type: the resource type the block is for
 * @n_permissions: how many of the service's permission entries, in order, it holds (the
 *   wire holds at most 65,535; the encoder refuses more)
 *
 * One resource-type block of the RTM2 permissions block as written on the wire: a token may
 * repeat a resource type in two blocks, or have a block with no permission at all.
 */
typedef struct
{
  guint16 resource_type;
  guint n_permissions;
} AkRtmPermissionBlock;

/**
 * AkVerification:
 * @signature: whether the HMAC signature matches the certificate
 * @crc_channel_name: 006 only: whether the channel name matches the token's CRC
 * @crc_uid: 006 only: whether the uid matches the token's CRC
 *
 * What ak_token_verify() found; every check not made is %AK_SIGNATURE_UNCHECKED.
 */
typedef struct
{
  AkSignatureState signature;
  AkSignatureState crc_channel_name;
  AkSignatureState crc_uid;
} AkVerification;

/**
 * AkService:
 * @type: the wire service type (an #AkServiceType, or an unknown value)
 * @privileges: (element-type AkPrivilege): kept in ascending id order
 * @channel_name: RTC, Streaming and FCDN
 * @uid: RTC uid text or Streaming/FCDN account ("" means any user)
 * @user_id: RTM, Chat and RTM2 user id ("" for Chat app tokens)
 * @room_uuid: APaaS room
 * @user_uuid: APaaS user
 * @role: APaaS role (-1 when none)
 * @permissions: (element-type AkRtmPermission): RTM2 entries; ascending by resource then
 *   permission when made by a builder, in wire order when parsed
 * @permission_blocks: (element-type AkRtmPermissionBlock) (nullable): how a parsed token
 *   grouped @permissions into resource-type blocks, so that encoding it again writes the same
 *   bytes; %NULL when consecutive entries of one resource type make one block
 * @resource_strings: (nullable): private; where a parsed token's resource names live, so that
 *   a megabyte of them costs a few allocations rather than one each. Add resources to a
 *   parsed service through ak_service_add_permission() or ak_service_append_permission().
 *
 * One service of an AccessToken2. Fields that a type does not carry are %NULL; FPA, ConvoAI
 * and STT carry privileges only (the official ConvoAI and STT builders give them none).
 * A plain value owned by whoever holds it; tokens own their services.
 */
struct _AkService
{
  guint16 type;
  GArray *privileges;
  char *channel_name;
  char *uid;
  char *user_id;
  char *room_uuid;
  char *user_uuid;
  gint16 role;
  GArray *permissions;
  GArray *permission_blocks;
  GStringChunk *resource_strings;
};

AkService   *ak_service_new                (AkServiceType type);
void         ak_service_free               (AkService *service);
void         ak_service_set_privilege      (AkService *service, guint16 id, guint32 value);
gboolean     ak_service_get_privilege      (const AkService *service, guint16 id, guint32 *value);
void         ak_service_add_permission     (AkService *service,
                                            guint16 resource_type,
                                            guint16 permission_type,
                                            const char *resource);
void         ak_service_append_permission_block (AkService *service, guint16 resource_type);
AkRtmPermission *ak_service_append_permission (AkService *service,
                                            guint16 permission_type,
                                            guint reserve);
const char  *ak_service_type_to_name       (guint16 type);
const char  *ak_service_privilege_name     (guint16 type, guint16 privilege_id);
const char  *ak_privilege006_name          (guint16 privilege_id);
const char  *ak_rtm_resource_type_to_name  (guint16 resource_type);
gboolean     ak_rtm_resource_type_from_name (const char *name, guint16 *resource_type);
const char  *ak_rtm_permission_type_to_name (guint16 permission_type);
gboolean     ak_rtm_permission_type_from_name (const char *name, guint16 *permission_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkService, ak_service_free)

#define AK_TYPE_TOKEN (ak_token_get_type ())
GType        ak_token_get_type             (void) G_GNUC_CONST;

/* Construction (builders) */
AkToken     *ak_token_new_007              (const char *app_id,
                                            guint32 issue_ts,
                                            guint32 expire,
                                            guint32 salt);
void         ak_token_add_service          (AkToken *token, AkService *service);
AkToken     *ak_token_new_006              (const char *app_id,
                                            const char *channel_name,
                                            const char *uid,
                                            guint32 salt,
                                            guint32 ts);
void         ak_token_set_privilege_006    (AkToken *token, guint16 id, guint32 value);
char        *ak_token_encode               (AkToken *token,
                                            const char *app_certificate,
                                            GError **error);

/* Parsing and verification */
AkToken     *ak_token_parse                (const char *text, GError **error);
AkToken     *ak_token_parse_full           (const char *text,
                                            gssize *error_offset,
                                            GError **error);
void         ak_token_strip_text           (const char *text,
                                            gsize *start_offset,
                                            gsize *end_offset);
gboolean     ak_token_verify               (const AkToken *token,
                                            const char *app_certificate,
                                            const char *channel_name,
                                            const char *uid,
                                            AkVerification *verification,
                                            GError **error);

AkToken     *ak_token_ref                  (AkToken *token);
void         ak_token_unref                (AkToken *token);

/* Fields */
AkTokenVersion ak_token_get_version        (const AkToken *token);
const char  *ak_token_get_app_id           (const AkToken *token);
const guint8 *ak_token_get_signature       (const AkToken *token);
char        *ak_token_dup_signature_hex    (const AkToken *token);
guint32      ak_token_get_salt             (const AkToken *token);
guint32      ak_token_get_issue_ts         (const AkToken *token);
guint32      ak_token_get_expire           (const AkToken *token);
gint64       ak_token_get_expires_at       (const AkToken *token);
guint        ak_token_get_n_services       (const AkToken *token);
const AkService *ak_token_get_service      (const AkToken *token, guint index);
guint16      ak_token_get_service_count_field (const AkToken *token);
gboolean     ak_token_get_unknown_service_type (const AkToken *token, guint16 *type);
gsize        ak_token_get_compressed_length (const AkToken *token);
gsize        ak_token_get_payload_length   (const AkToken *token);
const guint8 *ak_token_get_zlib_header     (const AkToken *token);
guint32      ak_token_get_ts               (const AkToken *token);
guint32      ak_token_get_crc_channel_name (const AkToken *token);
guint32      ak_token_get_crc_uid          (const AkToken *token);
GArray      *ak_token_get_privileges_006   (const AkToken *token);
GBytes      *ak_token_get_content          (const AkToken *token);

JsonNode    *ak_token_to_json              (const AkToken *token,
                                            const AkVerification *verification);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkToken, ak_token_unref)

/* Helpers shared by builders, parsers and the credential store */
gboolean     ak_is_hex32                   (const char *text);
gboolean     ak_validate_app_id            (const char *app_id, GError **error);
gboolean     ak_validate_app_certificate   (const char *app_certificate, GError **error);
char        *ak_uid_to_string              (guint32 uid);
gboolean     ak_is_digits                  (const char *text);

G_END_DECLS
