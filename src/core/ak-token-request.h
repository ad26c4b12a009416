/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ak-token-builder.h"
#include "ak-types.h"

G_BEGIN_DECLS

/**
 * AkTokenKind:
 *
 * The kinds of token a person asks for, each backed by one or two official builders.
 * (The Education builders make the same bytes as the APaaS ones and are not repeated.)
 */
typedef enum
{
  AK_TOKEN_KIND_RTC,
  AK_TOKEN_KIND_RTC_RTM,
  AK_TOKEN_KIND_RTM,
  AK_TOKEN_KIND_CHAT_USER,
  AK_TOKEN_KIND_CHAT_APP,
  AK_TOKEN_KIND_RTC_PRIVILEGES,
  AK_TOKEN_KIND_RTC_RTM2,
  AK_TOKEN_KIND_RTM_PERMISSIONS,
  AK_TOKEN_KIND_FPA,
  AK_TOKEN_KIND_APAAS_ROOM_USER,
  AK_TOKEN_KIND_APAAS_USER,
  AK_TOKEN_KIND_APAAS_APP,
  AK_TOKEN_KIND_RTC006,
  AK_TOKEN_KIND_RTM006,
  AK_N_TOKEN_KINDS
} AkTokenKind;

/* The first kinds are the everyday ones; the rest are "advanced". */
#define AK_N_BASIC_TOKEN_KINDS (AK_TOKEN_KIND_CHAT_APP + 1)

/**
 * AkTokenField:
 *
 * The inputs a kind of token uses, so that a form shows only those.
 */
typedef enum
{
  AK_TOKEN_FIELD_CHANNEL = 1 << 0,
  AK_TOKEN_FIELD_UID_OR_ACCOUNT = 1 << 1,
  AK_TOKEN_FIELD_ACCOUNT = 1 << 2,
  AK_TOKEN_FIELD_ROLE = 1 << 3,
  AK_TOKEN_FIELD_PRIVILEGE_EXPIRE = 1 << 4,
  AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE = 1 << 5,
  AK_TOKEN_FIELD_USER_ID = 1 << 6,
  AK_TOKEN_FIELD_RTM_USER_ID = 1 << 7,
  AK_TOKEN_FIELD_RTM_EXPIRE = 1 << 8,
  AK_TOKEN_FIELD_PERMISSIONS = 1 << 9,
  AK_TOKEN_FIELD_ROOM_UUID = 1 << 10,
  AK_TOKEN_FIELD_USER_UUID = 1 << 11,
  AK_TOKEN_FIELD_APAAS_ROLE = 1 << 12,
  AK_TOKEN_FIELD_EXPIRE = 1 << 13,
} AkTokenField;

/**
 * AkTokenRequest:
 * @expire: the token's lifetime in seconds (006: its privileges' lifetime from now)
 * @privilege_expire: 007 privilege lifetime (the official builders' default is 0, which looks
 *   expired: forms should default it to @expire)
 * @each_privilege_expire: join, publish audio, publish video, publish data
 * @permissions: RTM permissions, "resource:permission:name" separated by commas or lines,
 *   e.g. "messageChannels:read:chan-a, users:write:bob"
 * @never_expire: 006 only: privileges stored as 0, "never"
 *
 * What a person fills in to get a token. Strings may be %NULL when unused.
 */
typedef struct
{
  AkTokenKind kind;
  const char *app_id;
  const char *app_certificate;
  const char *channel;
  gboolean use_account;
  guint32 uid;
  const char *account;
  AkRtcRole role;
  guint32 expire;
  guint32 privilege_expire;
  guint32 each_privilege_expire[4];
  const char *user_id;
  const char *rtm_user_id;
  guint32 rtm_expire;
  const char *permissions;
  const char *room_uuid;
  const char *user_uuid;
  gint16 apaas_role;
  gboolean never_expire;
} AkTokenRequest;

const char   *ak_token_kind_get_label       (AkTokenKind kind);
const char   *ak_token_kind_get_description (AkTokenKind kind);
AkTokenField  ak_token_kind_get_fields      (AkTokenKind kind);
AkBuilder     ak_token_kind_get_builder     (AkTokenKind kind, gboolean use_account);

/* Turns @request into the builder and inputs of ak_build_token(); @now is the issue time
 * (006 privilege expiries are absolute). Errors name the field in words a form can show. */
JsonObject   *ak_token_request_to_inputs    (const AkTokenRequest *request,
                                             gint64 now,
                                             AkBuilder *builder,
                                             GError **error);
JsonNode     *ak_rtm_permissions_parse      (const char *text, GError **error);

G_END_DECLS
