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
  AK_TOKEN_KIND_CONVOAI,
  AK_TOKEN_KIND_STT,
  AK_TOKEN_KIND_RTC_PRIVILEGES,
  AK_TOKEN_KIND_RTC_RTM2,
  AK_TOKEN_KIND_RTM_PERMISSIONS,
  AK_TOKEN_KIND_FPA,
  AK_TOKEN_KIND_APAAS_ROOM_USER,
  AK_TOKEN_KIND_APAAS_USER,
  AK_TOKEN_KIND_APAAS_APP,
  AK_TOKEN_KIND_RTC006,
  AK_TOKEN_KIND_RTM006,
  AK_TOKEN_KIND_RTM_STREAM,
  AK_N_TOKEN_KINDS
} AkTokenKind;

/* The first kinds are the everyday ones; the rest are "advanced". A form lists kinds in
 * this order, so a new everyday kind goes before AK_TOKEN_KIND_RTC_PRIVILEGES. */
#define AK_N_BASIC_TOKEN_KINDS (AK_TOKEN_KIND_STT + 1)

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
 * @issue_ts: the issue time (006: "now" for @expire); 0 means the clock's now
 * @ts: 006 only: the token's own expiry; 0 means 24 h after the issue time
 * @fixed_salt: use @salt instead of a random one (reproducible builds)
 *
 * What a person fills in to get a token, whether through the window's form, the command
 * line or the token server: every one of them builds through this, so that kinds, defaults
 * and errors are the same everywhere. Strings may be %NULL when unused.
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
  guint32 issue_ts;
  guint32 ts;
  gboolean fixed_salt;
  guint32 salt;
} AkTokenRequest;

/**
 * AkTokenRequestText:
 * @kind: a kind's name (ak_token_kind_get_name()) or an alias such as "education-app"
 * @permissions: "resource:permission:name" entries, each string one or more of them
 *   separated by commas or lines
 *
 * A request as typed, one string per field, before any of it is read: the command line's
 * flags and a `--spec` that names a kind fill this, and ak_token_request_parse() reads it
 * with the same rules, defaults and errors for both. The member names of a spec are the
 * flags' names without "--" (see ak_token_request_text_set_from_json()). Owns its strings.
 */
typedef struct
{
  char *kind;
  char *app_id;
  char *channel;
  char *uid;
  char *account;
  char *role;
  char *expire;
  char *privilege_expire;
  char *join_expire;
  char *audio_expire;
  char *video_expire;
  char *data_expire;
  char *user_id;
  char *rtm_user_id;
  char *rtm_expire;
  char *room_uuid;
  char *user_uuid;
  char *apaas_role;
  char **permissions;
  gboolean never_expire;
  char *issue_ts;
  char *ts;
  char *salt;
  /*< private >*/
  char *joined_permissions;
} AkTokenRequestText;

const char   *ak_token_kind_get_label       (AkTokenKind kind);
const char   *ak_token_kind_get_description (AkTokenKind kind);
AkTokenField  ak_token_kind_get_fields      (AkTokenKind kind);
AkBuilder     ak_token_kind_get_builder     (AkTokenKind kind, gboolean use_account);
/* The kind's name on the command line and in a spec, e.g. "rtc", "rtm-permissions". */
const char   *ak_token_kind_get_name        (AkTokenKind kind);
/* Also takes the aliases (education-* for the apaas-* kinds, whose tokens are the same). */
gboolean      ak_token_kind_from_name       (const char *name, AkTokenKind *kind);
/* The names an alias may stand for @kind, %NULL-terminated (for help texts). */
const char * const *ak_token_kind_get_aliases (AkTokenKind kind);

/* Turns @request into the builder and inputs of ak_build_token(); @now is the issue time
 * (006 privilege expiries are absolute). Errors name the field in words a form can show. */
JsonObject   *ak_token_request_to_inputs    (const AkTokenRequest *request,
                                             gint64 now,
                                             AkBuilder *builder,
                                             GError **error);
JsonNode     *ak_rtm_permissions_parse      (const char *text, GError **error);
/* Builds @request: issued at @request->issue_ts or now (ak_clock_now_unix()), with its salt or
 * a random one. The certificate's copy in the builder's inputs is wiped before returning. */
AkBuildResult *ak_token_request_build       (const AkTokenRequest *request, GError **error);

void          ak_token_request_text_clear   (AkTokenRequestText *text);
/* Reads the members of a kind spec ({"kind": "rtc", "channel": "demo", "uid": 42, …}) into
 * @text; "app-certificate" is left for the caller, which decides where certificates come
 * from. Unknown members and values of the wrong type are errors. */
gboolean      ak_token_request_text_set_from_json (AkTokenRequestText *text,
                                                   JsonObject *object,
                                                   GError **error);
/* Reads @text into @request, whose strings then point into @text. Errors
 * (%AK_ERROR_INVALID_INPUT) name the field as @prefix and its name: "--expire" for flags. */
gboolean      ak_token_request_parse        (AkTokenRequestText *text,
                                             const char *prefix,
                                             AkTokenRequest *request,
                                             GError **error);

/* For tests only: every request without a fixed salt takes @salt while @fixed is %TRUE. */
void          ak_token_request_set_salt_for_testing (gboolean fixed, guint32 salt);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AkTokenRequestText, ak_token_request_text_clear)

G_END_DECLS
