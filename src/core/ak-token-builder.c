/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-clock.h"
#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-token-builder.h"
#include "ak-token.h"

struct _AkBuildResult
{
  char *token;
  GPtrArray *warnings;
};

#define AK_MAX_CHANNEL_BYTES 64
#define AK_MAX_ACCOUNT_BYTES 255
#define AK_MAX_DOCUMENTED_EXPIRE 86400
#define AK_006_DEFAULT_LIFETIME 86400
#define AK_FPA_EXPIRE 86400

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

typedef AkToken *(*BuildFunc) (BuildContext *ctx, GError **error);

typedef struct
{
  const char *name;
  const char *description;
  BuildFunc build;
  const char *inputs[16];
} BuilderInfo;

/* ---------------------------------------------------------------------------------------------
 * Reading inputs
 */

static gboolean
lookup (BuildContext *ctx,
        const char   *key,
        gboolean      required,
        JsonNode    **node,
        GError      **error)
{
  *node = json_object_get_member (ctx->inputs, key);
  if (*node != NULL && !JSON_NODE_HOLDS_NULL (*node))
    return TRUE;

  *node = NULL;
  if (required)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The %s builder needs the input “%s”."),
                   ak_builder_to_name (ctx->builder), key);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_string (BuildContext *ctx,
            const char   *key,
            gboolean      required,
            const char  **value,
            GError      **error)
{
  JsonNode *node;

  if (!lookup (ctx, key, required, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *value = "";
      return TRUE;
    }
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “%s” must be a string."), key);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

/* Whether @d is a whole number within gint64: casting anything else is undefined. */
static gboolean
double_is_gint64 (double d)
{
  return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double) (gint64) d;
}

static gboolean
get_integer (BuildContext *ctx,
             const char   *key,
             gboolean      required,
             gint64        min,
             gint64        max,
             gint64        fallback,
             gint64       *value,
             GError      **error)
{
  JsonNode *node;
  GType type;
  gint64 v;

  if (!lookup (ctx, key, required, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *value = fallback;
      return TRUE;
    }

  type = JSON_NODE_TYPE (node) == JSON_NODE_VALUE ? json_node_get_value_type (node) : G_TYPE_NONE;
  if (type == G_TYPE_INT64)
    {
      v = json_node_get_int (node);
    }
  else if (type == G_TYPE_DOUBLE && double_is_gint64 (json_node_get_double (node)))
    {
      v = (gint64) json_node_get_double (node);
    }
  else
    {
      if (type == G_TYPE_STRING && g_str_equal (key, "uid"))
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The input “uid” must be a whole number, not a string. For a string "
                       "user account, use the account builder (same digits give a different "
                       "token)."));
      else
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The input “%s” must be a whole number."), key);
      return FALSE;
    }

  if (v < min || v > max)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “%s” must be between %lld and %lld; %lld is out of range."),
                   key, (long long) min, (long long) max, (long long) v);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

static gboolean
get_u32 (BuildContext *ctx,
         const char   *key,
         gboolean      required,
         guint32      *value,
         GError      **error)
{
  gint64 v;

  if (!get_integer (ctx, key, required, 0, G_MAXUINT32, 0, &v, error))
    return FALSE;
  *value = (guint32) v;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Warnings: problems Agora documents but the official builders do not check
 */

static void
ak_warning_free (gpointer data)
{
  AkWarning *warning = data;

  g_free (warning->field);
  g_free (warning->message);
  g_free (warning);
}

G_GNUC_PRINTF (4, 5)
static void
warn (BuildContext  *ctx,
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

static void
check_channel (BuildContext *ctx,
               const char   *field,
               const char   *channel)
{
  gsize len = strlen (channel);

  if (len > AK_MAX_CHANNEL_BYTES)
    warn (ctx, AK_WARNING_CHANNEL_TOO_LONG, field,
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
        warn (ctx, AK_WARNING_CHANNEL_CHARACTERS, field,
              _("The channel name contains %s at byte %zu, which Agora does "
                "not allow. Channel names may use letters, digits, space and "
                "! # $ %% & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,"),
              shown, (gsize) (p - channel) + 1);
        break;
      }
}

static gboolean
looks_numeric (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* @same_as_uid: the builder writes an integer uid in decimal too, so that digits other than
 * "0" make the same token as the integer, and only the length is worth a warning. */
static void
check_account (BuildContext *ctx,
               const char   *field,
               const char   *account,
               gboolean      same_as_uid)
{
  gsize len = strlen (account);

  if (len > AK_MAX_ACCOUNT_BYTES)
    warn (ctx, AK_WARNING_ACCOUNT_TOO_LONG, field,
          _("The user account is %zu bytes long; Agora allows at most 255 "
            "bytes."),
          len);

  if (looks_numeric (account) && !(same_as_uid && !g_str_equal (account, "0")))
    warn (ctx, AK_WARNING_NUMERIC_ACCOUNT, field,
          _("The user account “%s” is all digits. As a string account it makes a different "
            "token from the integer uid %s: use an integer uid if the app joins with one."),
          account, account);
}

static void
check_expire (BuildContext *ctx,
              const char   *field,
              guint32       seconds)
{
  if (seconds > AK_MAX_DOCUMENTED_EXPIRE)
    warn (ctx, AK_WARNING_EXPIRE_TOO_LONG, field,
          _("“%s” is %u seconds; Agora documents 24 hours (86,400 seconds) as the longest "
            "token lifetime."),
          field, seconds);
}

static void
check_privilege (BuildContext *ctx,
                 const char   *field,
                 guint32       privilege,
                 guint32       token_expire)
{
  if (privilege == 0)
    warn (ctx, AK_WARNING_PRIVILEGE_ZERO, field,
          _("“%s” is 0, the official builders' default, which Agora's own parser shows as "
            "already expired. Give it the token's lifetime unless that is what you want."),
          field);
  else if (privilege > token_expire)
    warn (ctx, AK_WARNING_PRIVILEGE_OUTLIVES_TOKEN, field,
          _("“%s” (%u s) is longer than the token's own lifetime (%u s): the privilege ends "
            "with the token."),
          field, privilege, token_expire);
}

static void
check_subscriber (BuildContext *ctx,
                  const char   *field,
                  gint64        role)
{
  if (role == AK_RTC_ROLE_SUBSCRIBER)
    warn (ctx, AK_WARNING_SUBSCRIBER_ROLE, field,
          _("Role subscriber only stops a user from publishing when strict token permission "
            "(co-host authentication) is enabled for the project; otherwise this token can "
            "publish too."));
}

/* ---------------------------------------------------------------------------------------------
 * Builders
 */

static gboolean
get_rtc_role (BuildContext *ctx,
              const char   *key,
              gint64       *role,
              GError      **error)
{
  if (!get_integer (ctx, key, TRUE, G_MININT64, G_MAXINT64, 0, role, error))
    return FALSE;
  if (*role != AK_RTC_ROLE_PUBLISHER && *role != AK_RTC_ROLE_SUBSCRIBER)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “%s” must be 1 (publisher) or 2 (subscriber)."), key);
      return FALSE;
    }
  check_subscriber (ctx, key, *role);
  return TRUE;
}

static AkToken *
new_007 (BuildContext *ctx,
         guint32       expire)
{
  return ak_token_new_007 (ctx->app_id, ctx->issue_ts, expire, ctx->salt);
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

static AkService *
user_service (AkServiceType type,
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
static AkToken *
build_rtc_role (BuildContext *ctx,
                gboolean      with_uid,
                gboolean      with_rtm,
                GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  g_autofree char *uid_text = NULL;
  const char *channel;
  const char *account = NULL;
  guint32 uid = 0;
  guint32 token_expire;
  guint32 privilege_expire;
  gint64 role;
  AkService *rtc;

  if (!get_string (ctx, "channel_name", TRUE, &channel, error)
      || (with_uid ? !get_u32 (ctx, "uid", TRUE, &uid, error)
                   : !get_string (ctx, "account", TRUE, &account, error))
      || !get_rtc_role (ctx, "role", &role, error)
      || !get_u32 (ctx, "token_expire", TRUE, &token_expire, error)
      || !get_u32 (ctx, "privilege_expire", FALSE, &privilege_expire, error))
    return NULL;

  check_channel (ctx, "channel_name", channel);
  if (!with_uid)
    check_account (ctx, "account", account, FALSE);
  check_expire (ctx, "token_expire", token_expire);
  check_privilege (ctx, "privilege_expire", privilege_expire, token_expire);

  uid_text = with_uid ? ak_uid_to_string (uid) : g_strdup (account);
  token = new_007 (ctx, token_expire);
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
    ak_token_add_service (token, user_service (AK_SERVICE_RTM, account, AK_PRIV_RTM_LOGIN,
                                               token_expire));
  return g_steal_pointer (&token);
}

static AkToken *
build_rtc_uid (BuildContext *ctx, GError **error)
{
  return build_rtc_role (ctx, TRUE, FALSE, error);
}

static AkToken *
build_rtc_account (BuildContext *ctx, GError **error)
{
  return build_rtc_role (ctx, FALSE, FALSE, error);
}

static AkToken *
build_rtc_rtm (BuildContext *ctx, GError **error)
{
  return build_rtc_role (ctx, FALSE, TRUE, error);
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
      if (!get_u32 (ctx, rtc_privilege_inputs[i], TRUE, &values[i], error))
        return FALSE;
      check_privilege (ctx, rtc_privilege_inputs[i], values[i], token_expire);
    }
  return TRUE;
}

static AkToken *
build_rtc_privileges (BuildContext *ctx,
                      gboolean      with_uid,
                      GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  g_autofree char *uid_text = NULL;
  const char *channel;
  const char *account = NULL;
  guint32 uid = 0;
  guint32 token_expire;
  guint32 values[4];
  AkService *rtc;

  if (!get_string (ctx, "channel_name", TRUE, &channel, error)
      || (with_uid ? !get_u32 (ctx, "uid", TRUE, &uid, error)
                   : !get_string (ctx, "account", TRUE, &account, error))
      || !get_u32 (ctx, "token_expire", TRUE, &token_expire, error)
      || !get_rtc_privileges (ctx, token_expire, values, error))
    return NULL;

  check_channel (ctx, "channel_name", channel);
  if (!with_uid)
    check_account (ctx, "account", account, FALSE);
  check_expire (ctx, "token_expire", token_expire);

  uid_text = with_uid ? ak_uid_to_string (uid) : g_strdup (account);
  token = new_007 (ctx, token_expire);
  rtc = rtc_service (channel, uid_text);
  for (guint i = 0; i < 4; i++)
    ak_service_set_privilege (rtc, (guint16) (AK_PRIV_RTC_JOIN_CHANNEL + i), values[i]);
  ak_token_add_service (token, rtc);
  return g_steal_pointer (&token);
}

static AkToken *
build_rtc_uid_privilege (BuildContext *ctx, GError **error)
{
  return build_rtc_privileges (ctx, TRUE, error);
}

static AkToken *
build_rtc_account_privilege (BuildContext *ctx, GError **error)
{
  return build_rtc_privileges (ctx, FALSE, error);
}

/* An RTC uid or account as the official ServiceRtc(channel, uid) writes it: a string as it
 * is, an integer in decimal, and the integer 0 (any user) as "". */
static gboolean
uid_or_account_text (JsonNode    *node,
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
 * rtc_account (@integer_uid). */
static AkToken *
build_rtc_and_rtm (BuildContext *ctx,
                   gboolean      integer_uid,
                   GError      **error)
{
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

  if (!get_string (ctx, "channel_name", TRUE, &channel, error))
    return NULL;
  if (integer_uid)
    {
      if (!lookup (ctx, "rtc_account", TRUE, &account_node, error)
          || !uid_or_account_text (account_node, "rtc_account", &account, &account_is_uid,
                                   error))
        return NULL;
    }
  else
    {
      const char *text;

      if (!get_string (ctx, "rtc_account", TRUE, &text, error))
        return NULL;
      account = g_strdup (text);
    }
  if (!get_rtc_role (ctx, "rtc_role", &role, error)
      || !get_u32 (ctx, "rtc_token_expire", TRUE, &rtc_expire, error)
      || !get_rtc_privileges (ctx, rtc_expire, values, error)
      || !get_string (ctx, "rtm_user_id", TRUE, &rtm_user_id, error)
      || !get_u32 (ctx, "rtm_token_expire", TRUE, &rtm_expire, error))
    return NULL;

  check_channel (ctx, "channel_name", channel);
  if (!account_is_uid)
    check_account (ctx, "rtc_account", account, integer_uid);
  check_expire (ctx, "rtc_token_expire", rtc_expire);
  check_expire (ctx, "rtm_token_expire", rtm_expire);

  token = new_007 (ctx, rtc_expire);
  rtc = rtc_service (channel, account);
  ak_service_set_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, values[0]);
  /* The official builder drops the publish expiries of subscribers. */
  if (role == AK_RTC_ROLE_PUBLISHER)
    for (guint i = 1; i < 4; i++)
      ak_service_set_privilege (rtc, (guint16) (AK_PRIV_RTC_JOIN_CHANNEL + i), values[i]);
  ak_token_add_service (token, rtc);
  ak_token_add_service (token, user_service (AK_SERVICE_RTM, rtm_user_id, AK_PRIV_RTM_LOGIN,
                                             rtm_expire));
  return g_steal_pointer (&token);
}

static AkToken *
build_rtc_rtm2 (BuildContext *ctx,
                GError      **error)
{
  return build_rtc_and_rtm (ctx, FALSE, error);
}

/* ConvoAI and STT (agora-token 2.0.6 on npm): rtc_rtm2's two services, then one that holds
 * no privilege at all; its type alone lets the agent in. */
static AkToken *
build_agent (BuildContext  *ctx,
             AkServiceType  type,
             GError       **error)
{
  AkToken *token = build_rtc_and_rtm (ctx, TRUE, error);

  if (token != NULL)
    ak_token_add_service (token, ak_service_new (type));
  return token;
}

static AkToken *
build_convoai (BuildContext *ctx, GError **error)
{
  return build_agent (ctx, AK_SERVICE_CONVOAI, error);
}

static AkToken *
build_stt (BuildContext *ctx, GError **error)
{
  return build_agent (ctx, AK_SERVICE_STT, error);
}

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

  if ((with_user && !get_string (ctx, "user_id", TRUE, &user_id, error))
      || !get_u32 (ctx, "expire", TRUE, &expire, error))
    return NULL;

  check_expire (ctx, "expire", expire);
  token = new_007 (ctx, expire);
  ak_token_add_service (token, user_service (type, user_id, privilege, expire));
  return g_steal_pointer (&token);
}

static AkToken *
build_rtm (BuildContext *ctx, GError **error)
{
  return build_user_token (ctx, AK_SERVICE_RTM, AK_PRIV_RTM_LOGIN, TRUE, error);
}

static AkToken *
build_chat_user (BuildContext *ctx, GError **error)
{
  return build_user_token (ctx, AK_SERVICE_CHAT, AK_PRIV_CHAT_USER, TRUE, error);
}

static AkToken *
build_chat_app (BuildContext *ctx, GError **error)
{
  return build_user_token (ctx, AK_SERVICE_CHAT, AK_PRIV_CHAT_APP, FALSE, error);
}

static gboolean
parse_type_key (const char  *key,
                gboolean     resource,
                guint16     *value,
                GError     **error)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (key, 10, 0, G_MAXUINT16, &number, NULL))
    {
      *value = (guint16) number;
      return TRUE;
    }
  if (resource ? ak_rtm_resource_type_from_name (key, value)
               : ak_rtm_permission_type_from_name (key, value))
    return TRUE;

  if (resource)
    g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                 _("“%s” is not an RTM resource type: use messageChannels, streamChannels, "
                   "groupChannels, serverGroups, users, or a number."),
                 key);
  else
    g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                 _("“%s” is not an RTM permission type: use read, write, or a number."), key);
  return FALSE;
}

/* One list of the input; @resources is %NULL for a resource type given with no permission. */
typedef struct
{
  guint16 resource_type;
  guint16 permission_type;
  guint order;
  JsonArray *resources;
} PermissionInput;

static gint
permission_input_compare (gconstpointer a,
                          gconstpointer b)
{
  const PermissionInput *x = a;
  const PermissionInput *y = b;

  if (x->resource_type != y->resource_type)
    return x->resource_type < y->resource_type ? -1 : 1;
  if (x->permission_type != y->permission_type)
    return x->permission_type < y->permission_type ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Writes the sorted lists as the official builders do: a block per resource type and an
 * entry per permission type, both ascending, each appended in constant time. Empty lists
 * and empty resource types stay, as in the C++, Python, Go and Node builders: dropping them
 * would change the bytes and the signature. */
static void
add_permission_inputs (AkService    *service,
                       const GArray *inputs)
{
  AkRtmPermission *entry = NULL;

  for (guint i = 0; i < inputs->len; i++)
    {
      const PermissionInput *input = &g_array_index (inputs, PermissionInput, i);
      const PermissionInput *previous = i > 0 ? input - 1 : NULL;
      guint n_resources;

      if (previous == NULL || previous->resource_type != input->resource_type)
        {
          ak_service_append_permission_block (service, input->resource_type);
          entry = NULL;
        }
      if (input->resources == NULL)
        continue;

      /* A name and its number ("read" and "0") add to one entry, in the order given. */
      n_resources = json_array_get_length (input->resources);
      if (entry == NULL || entry->permission_type != input->permission_type)
        entry = ak_service_append_permission (service, input->permission_type, n_resources);
      for (guint j = 0; j < n_resources; j++)
        g_ptr_array_add (entry->resources,
                         g_strdup (json_array_get_string_element (input->resources, j)));
    }
}

/* permissions = {"<resource type>": {"<permission type>": ["resource", ...]}} with numbers or
 * names as keys, the same shape the decoder prints. The lists are sorted once, then added in
 * order, so that any key order costs linear time after the sort. */
static gboolean
read_permissions_input (JsonNode   *node,
                        AkService  *service,
                        GError    **error)
{
  g_autoptr(GArray) inputs = g_array_new (FALSE, FALSE, sizeof (PermissionInput));
  JsonObjectIter outer;
  const char *resource_key;
  JsonNode *permission_node;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad_shape;

  json_object_iter_init_ordered (&outer, json_node_get_object (node));
  while (json_object_iter_next_ordered (&outer, &resource_key, &permission_node))
    {
      JsonObjectIter inner;
      const char *permission_key;
      JsonNode *list;
      guint16 resource_type;
      PermissionInput block = { .order = inputs->len };

      if (!parse_type_key (resource_key, TRUE, &resource_type, error))
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (permission_node))
        goto bad_shape;

      block.resource_type = resource_type;
      if (json_object_get_size (json_node_get_object (permission_node)) == 0)
        g_array_append_val (inputs, block);

      json_object_iter_init_ordered (&inner, json_node_get_object (permission_node));
      while (json_object_iter_next_ordered (&inner, &permission_key, &list))
        {
          PermissionInput input = { .resource_type = resource_type, .order = inputs->len };
          JsonArray *array;

          if (!parse_type_key (permission_key, FALSE, &input.permission_type, error))
            return FALSE;
          if (!JSON_NODE_HOLDS_ARRAY (list))
            goto bad_shape;

          array = json_node_get_array (list);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
                goto bad_shape;
            }
          input.resources = array;
          g_array_append_val (inputs, input);
        }
    }

  g_array_sort (inputs, permission_input_compare);
  add_permission_inputs (service, inputs);
  return TRUE;

bad_shape:
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("The input “permissions” must look like "
                 "{\"messageChannels\": {\"read\": [\"channel-a\"]}}."));
  return FALSE;
}

static AkToken *
build_rtm_permissions (BuildContext *ctx,
                       GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  g_autoptr(AkService) service = NULL;
  const char *user_id;
  JsonNode *permissions;
  guint32 expire;

  if (!get_string (ctx, "user_id", TRUE, &user_id, error)
      || !lookup (ctx, "permissions", TRUE, &permissions, error)
      || !get_u32 (ctx, "expire", FALSE, &expire, error))
    return NULL;

  service = user_service (AK_SERVICE_RTM2, user_id, AK_PRIV_RTM2_LOGIN, expire);
  if (!read_permissions_input (permissions, service, error))
    return NULL;

  check_expire (ctx, "expire", expire);
  token = new_007 (ctx, expire);
  ak_token_add_service (token, g_steal_pointer (&service));
  return g_steal_pointer (&token);
}

static AkToken *
build_fpa (BuildContext *ctx,
           GError      **error)
{
  AkToken *token = new_007 (ctx, AK_FPA_EXPIRE);
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

static AkToken *
build_apaas_room_user (BuildContext *ctx,
                       GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  g_autofree char *chat_user = NULL;
  const char *room_uuid;
  const char *user_uuid;
  gint64 role;
  guint32 expire;

  if (!get_string (ctx, "room_uuid", TRUE, &room_uuid, error)
      || !get_string (ctx, "user_uuid", TRUE, &user_uuid, error)
      || !get_integer (ctx, "role", TRUE, G_MININT16, G_MAXINT16, -1, &role, error)
      || !get_u32 (ctx, "expire", TRUE, &expire, error))
    return NULL;

  check_expire (ctx, "expire", expire);
  token = new_007 (ctx, expire);
  ak_token_add_service (token, apaas_service (room_uuid, user_uuid, (gint16) role,
                                              AK_PRIV_APAAS_ROOM_USER, expire));
  ak_token_add_service (token, user_service (AK_SERVICE_RTM, user_uuid, AK_PRIV_RTM_LOGIN,
                                             expire));
  /* Flexible Classroom's Chat user id is the MD5 of the user UUID. */
  chat_user = ak_md5_hex (user_uuid);
  ak_token_add_service (token, user_service (AK_SERVICE_CHAT, chat_user, AK_PRIV_CHAT_USER,
                                             expire));
  return g_steal_pointer (&token);
}

static AkToken *
build_apaas_user (BuildContext *ctx,
                  GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  const char *user_uuid;
  guint32 expire;

  if (!get_string (ctx, "user_uuid", TRUE, &user_uuid, error)
      || !get_u32 (ctx, "expire", TRUE, &expire, error))
    return NULL;

  check_expire (ctx, "expire", expire);
  token = new_007 (ctx, expire);
  ak_token_add_service (token, apaas_service ("", user_uuid, -1, AK_PRIV_APAAS_USER, expire));
  return g_steal_pointer (&token);
}

static AkToken *
build_apaas_app (BuildContext *ctx,
                 GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  guint32 expire;

  if (!get_u32 (ctx, "expire", TRUE, &expire, error))
    return NULL;

  check_expire (ctx, "expire", expire);
  token = new_007 (ctx, expire);
  ak_token_add_service (token, apaas_service ("", "", -1, AK_PRIV_APAAS_APP, expire));
  return g_steal_pointer (&token);
}

/* raw007: the full service list, as in the vectors file. */
static const char * const raw_service_keys[] = {
  "type", "privileges", "channel_name", "uid", "account", "user_id", "room_uuid", "user_uuid",
  "role", "permissions", NULL,
};

static gboolean
check_known_keys (JsonObject         *object,
                  const char * const *allowed,
                  const char         *where,
                  GError            **error)
{
  JsonObjectIter iter;
  const char *key;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, NULL))
    if (!g_strv_contains (allowed, key))
      {
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("“%s” is not an input of %s."), key, where);
        return FALSE;
      }
  return TRUE;
}

static gint
privilege_compare (gconstpointer a,
                   gconstpointer b)
{
  const AkPrivilege *x = a;
  const AkPrivilege *y = b;

  return (x->id > y->id) - (x->id < y->id);
}

static gboolean
read_privilege_map (JsonNode   *node,
                    GArray     *privileges,
                    GError    **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("“privileges” must be an object like {\"1\": 3600}."));
      return FALSE;
    }

  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      guint64 id;
      gint64 v;
      AkPrivilege p;

      if (!g_ascii_string_to_unsigned (key, 10, 0, G_MAXUINT16, &id, NULL)
          || !JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64
          || (v = json_node_get_int (value)) < 0 || v > G_MAXUINT32)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The privilege “%s” must map a number from 0 to 65535 to a whole "
                         "number from 0 to 4294967295."),
                       key);
          return FALSE;
        }

      p.id = (guint16) id;
      p.value = (guint32) v;
      g_array_append_val (privileges, p);
    }

  /* Once, not an insertion per key, whatever order the keys come in; the sort is stable,
   * so an id given twice (as "1" and "01") keeps the order of the input. */
  g_array_sort (privileges, privilege_compare);
  return TRUE;
}

static gboolean
service_string (JsonObject  *object,
                const char  *key,
                char       **out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    {
      *out = g_strdup ("");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The service field “%s” must be a string."), key);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* As the official ServiceRtc, ServiceStreaming and ServiceFCdn take it: an integer uid or
 * a string account; absent is "". */
static gboolean
service_uid (JsonObject  *object,
             const char  *key,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  gboolean is_integer;

  if (node == NULL)
    {
      *out = g_strdup ("");
      return TRUE;
    }
  return uid_or_account_text (node, key, out, &is_integer, error);
}

static AkService *
read_raw_service (JsonNode  *node,
                  guint      index,
                  GError   **error)
{
  g_autoptr(AkService) service = NULL;
  JsonObject *object;
  JsonNode *type_node;
  gint64 type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Service %u must be an object."), index + 1);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!check_known_keys (object, raw_service_keys, _("a service"), error))
    return NULL;

  type_node = json_object_get_member (object, "type");
  if (type_node == NULL || !JSON_NODE_HOLDS_VALUE (type_node)
      || json_node_get_value_type (type_node) != G_TYPE_INT64
      || (type = json_node_get_int (type_node)) < AK_SERVICE_RTC || type > AK_SERVICE_STT)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Service %u needs a “type” from 1 to 10."), index + 1);
      return NULL;
    }

  service = ak_service_new ((AkServiceType) type);
  if (!read_privilege_map (json_object_get_member (object, "privileges"), service->privileges,
                           error))
    return NULL;

  switch (type)
    {
    case AK_SERVICE_RTC:
      if (!service_string (object, "channel_name", &service->channel_name, error)
          || !service_uid (object, "uid", &service->uid, error))
        return NULL;
      break;
    case AK_SERVICE_STREAMING:
    case AK_SERVICE_FCDN:
      if (!service_string (object, "channel_name", &service->channel_name, error)
          || !service_uid (object, "account", &service->uid, error))
        return NULL;
      break;
    case AK_SERVICE_RTM:
    case AK_SERVICE_CHAT:
      if (!service_string (object, "user_id", &service->user_id, error))
        return NULL;
      break;
    case AK_SERVICE_APAAS:
      {
        JsonNode *role = json_object_get_member (object, "role");

        if (!service_string (object, "room_uuid", &service->room_uuid, error)
            || !service_string (object, "user_uuid", &service->user_uuid, error))
          return NULL;
        if (role != NULL)
          {
            gint64 r = JSON_NODE_HOLDS_VALUE (role)
                       && json_node_get_value_type (role) == G_TYPE_INT64
                         ? json_node_get_int (role) : G_MAXINT64;

            if (r < G_MININT16 || r > G_MAXINT16)
              {
                g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                             _("The APaaS role must be a whole number from -32768 to 32767."));
                return NULL;
              }
            service->role = (gint16) r;
          }
      }
      break;
    case AK_SERVICE_RTM2:
      {
        JsonNode *permissions = json_object_get_member (object, "permissions");

        if (!service_string (object, "user_id", &service->user_id, error))
          return NULL;
        if (permissions != NULL && !read_permissions_input (permissions, service, error))
          return NULL;
      }
      break;
    default:
      break;
    }

  return g_steal_pointer (&service);
}

static AkToken *
build_raw007 (BuildContext *ctx,
              GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  JsonNode *services;
  JsonArray *array;
  guint32 expire;

  if (!get_u32 (ctx, "expire", TRUE, &expire, error)
      || !lookup (ctx, "services", TRUE, &services, error))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (services))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “services” must be a list of service objects."));
      return NULL;
    }

  check_expire (ctx, "expire", expire);
  token = new_007 (ctx, expire);
  array = json_node_get_array (services);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      AkService *service = read_raw_service (json_array_get_element (array, i), i, error);

      if (service == NULL)
        return NULL;
      ak_token_add_service (token, service);
    }
  return g_steal_pointer (&token);
}

/* 006: ctx->issue_ts holds the envelope ts (absolute expiry of the token itself). */
static AkToken *
build_raw006 (BuildContext *ctx,
              GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  const char *channel;
  const char *uid;
  JsonNode *privileges;

  if (!get_string (ctx, "channel_name", FALSE, &channel, error)
      || !get_string (ctx, "uid", FALSE, &uid, error)
      || !lookup (ctx, "privileges", TRUE, &privileges, error))
    return NULL;

  token = ak_token_new_006 (ctx->app_id, channel, uid, ctx->salt, ctx->issue_ts);
  if (!read_privilege_map (privileges, ak_token_get_privileges_006 (token), error))
    return NULL;
  return g_steal_pointer (&token);
}

static AkToken *
build_rtc006 (BuildContext *ctx,
              gboolean      with_uid,
              GError      **error)
{
  g_autoptr(AkToken) token = NULL;
  g_autofree char *uid_text = NULL;
  const char *channel;
  const char *account = NULL;
  guint32 uid = 0;
  guint32 privilege_ts;
  gint64 role;

  if (!get_string (ctx, "channel_name", TRUE, &channel, error)
      || (with_uid ? !get_u32 (ctx, "uid", TRUE, &uid, error)
                   : !get_string (ctx, "account", TRUE, &account, error))
      || !get_integer (ctx, "role", TRUE, G_MININT64, G_MAXINT64, 0, &role, error)
      || !get_u32 (ctx, "privilege_expire_ts", TRUE, &privilege_ts, error))
    return NULL;

  if (role != AK_RTC_ROLE_ATTENDEE_006 && role != AK_RTC_ROLE_PUBLISHER
      && role != AK_RTC_ROLE_SUBSCRIBER && role != AK_RTC_ROLE_ADMIN_006)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “role” must be 0 (attendee), 1 (publisher), 2 (subscriber) "
                     "or 101 (admin)."));
      return NULL;
    }

  check_channel (ctx, "channel_name", channel);
  if (!with_uid)
    check_account (ctx, "account", account, FALSE);
  check_subscriber (ctx, "role", role);
  if (privilege_ts != 0 && privilege_ts > ctx->issue_ts)
    warn (ctx, AK_WARNING_PRIVILEGE_OUTLIVES_TOKEN, "privilege_expire_ts",
          _("The privileges expire after the token itself (ts): they end with the token."));

  uid_text = with_uid ? ak_uid_to_string (uid) : g_strdup (account);
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

static AkToken *
build_rtc006_uid (BuildContext *ctx, GError **error)
{
  return build_rtc006 (ctx, TRUE, error);
}

static AkToken *
build_rtc006_account (BuildContext *ctx, GError **error)
{
  return build_rtc006 (ctx, FALSE, error);
}

static AkToken *
build_rtm006 (BuildContext *ctx,
              GError      **error)
{
  AkToken *token;
  const char *account;
  guint32 privilege_ts;
  gint64 role;

  /* role is part of the official signature but changes nothing in the token. */
  if (!get_string (ctx, "user_account", TRUE, &account, error)
      || !get_integer (ctx, "role", FALSE, G_MININT64, G_MAXINT64, 1, &role, error)
      || !get_u32 (ctx, "privilege_expire_ts", TRUE, &privilege_ts, error))
    return NULL;

  /* The RTM 006 token keeps the account in the channel-name slot and an empty uid. */
  token = ak_token_new_006 (ctx->app_id, account, "", ctx->salt, ctx->issue_ts);
  ak_token_set_privilege_006 (token, AK_PRIV006_RTM_LOGIN, privilege_ts);
  return token;
}

#define COMMON_007 "app_id", "app_certificate", "issue_ts", "salt"
#define COMMON_006 "app_id", "app_certificate", "ts", "salt"

static const BuilderInfo builders[AK_N_BUILDERS] = {
  [AK_BUILDER_RAW007] = { "raw007", N_("AccessToken2 with an explicit list of services"),
                          build_raw007, { COMMON_007, "expire", "services" } },
  [AK_BUILDER_RAW006] = { "raw006", N_("Legacy 006 token with explicit privileges"),
                          build_raw006, { COMMON_006, "channel_name", "uid", "privileges" } },
  [AK_BUILDER_RTC_UID] = { "rtc_uid", N_("RTC token for an integer uid"), build_rtc_uid,
                           { COMMON_007, "channel_name", "uid", "role", "token_expire",
                             "privilege_expire" } },
  [AK_BUILDER_RTC_ACCOUNT] = { "rtc_account", N_("RTC token for a string user account"),
                               build_rtc_account,
                               { COMMON_007, "channel_name", "account", "role", "token_expire",
                                 "privilege_expire" } },
  [AK_BUILDER_RTC_UID_PRIVILEGE] = { "rtc_uid_privilege",
                                     N_("RTC token for an integer uid with an expiry per "
                                        "privilege"),
                                     build_rtc_uid_privilege,
                                     { COMMON_007, "channel_name", "uid", "token_expire",
                                       "join_channel_privilege_expire",
                                       "pub_audio_privilege_expire",
                                       "pub_video_privilege_expire",
                                       "pub_data_stream_privilege_expire" } },
  [AK_BUILDER_RTC_ACCOUNT_PRIVILEGE] = { "rtc_account_privilege",
                                         N_("RTC token for a user account with an expiry per "
                                            "privilege"),
                                         build_rtc_account_privilege,
                                         { COMMON_007, "channel_name", "account", "token_expire",
                                           "join_channel_privilege_expire",
                                           "pub_audio_privilege_expire",
                                           "pub_video_privilege_expire",
                                           "pub_data_stream_privilege_expire" } },
  [AK_BUILDER_RTC_RTM] = { "rtc_rtm", N_("RTC and RTM in one token for a user account"),
                           build_rtc_rtm,
                           { COMMON_007, "channel_name", "account", "role", "token_expire",
                             "privilege_expire" } },
  [AK_BUILDER_RTC_RTM2] = { "rtc_rtm2",
                            N_("RTC for a user account and RTM for a user ID, each with its own "
                               "expiry"),
                            build_rtc_rtm2,
                            { COMMON_007, "channel_name", "rtc_account", "rtc_role",
                              "rtc_token_expire", "join_channel_privilege_expire",
                              "pub_audio_privilege_expire", "pub_video_privilege_expire",
                              "pub_data_stream_privilege_expire", "rtm_user_id",
                              "rtm_token_expire" } },
  [AK_BUILDER_CONVOAI] = { "convoai",
                           N_("Conversational AI agent: RTC for an account or uid, RTM, and "
                              "ConvoAI"),
                           build_convoai,
                           { COMMON_007, "channel_name", "rtc_account", "rtc_role",
                             "rtc_token_expire", "join_channel_privilege_expire",
                             "pub_audio_privilege_expire", "pub_video_privilege_expire",
                             "pub_data_stream_privilege_expire", "rtm_user_id",
                             "rtm_token_expire" } },
  [AK_BUILDER_STT] = { "stt",
                       N_("Real-time STT agent: RTC for an account or uid, RTM, and STT"),
                       build_stt,
                       { COMMON_007, "channel_name", "rtc_account", "rtc_role",
                         "rtc_token_expire", "join_channel_privilege_expire",
                         "pub_audio_privilege_expire", "pub_video_privilege_expire",
                         "pub_data_stream_privilege_expire", "rtm_user_id",
                         "rtm_token_expire" } },
  [AK_BUILDER_RTM] = { "rtm", N_("RTM (Signaling) login token"), build_rtm,
                       { COMMON_007, "user_id", "expire" } },
  [AK_BUILDER_RTM_PERMISSIONS] = { "rtm_permissions", N_("RTM token with channel permissions"),
                                   build_rtm_permissions,
                                   { COMMON_007, "user_id", "permissions", "expire" } },
  [AK_BUILDER_CHAT_USER] = { "chat_user", N_("Chat user token"), build_chat_user,
                             { COMMON_007, "user_id", "expire" } },
  [AK_BUILDER_CHAT_APP] = { "chat_app", N_("Chat app token (for the Chat REST API)"),
                            build_chat_app, { COMMON_007, "expire" } },
  [AK_BUILDER_FPA] = { "fpa", N_("FPA (Fusion Protocol Acceleration) token"), build_fpa,
                       { COMMON_007 } },
  [AK_BUILDER_APAAS_ROOM_USER] = { "apaas_room_user",
                                   N_("Flexible Classroom room user token"),
                                   build_apaas_room_user,
                                   { COMMON_007, "room_uuid", "user_uuid", "role", "expire" } },
  [AK_BUILDER_APAAS_USER] = { "apaas_user", N_("Flexible Classroom user token"),
                              build_apaas_user, { COMMON_007, "user_uuid", "expire" } },
  [AK_BUILDER_APAAS_APP] = { "apaas_app", N_("Flexible Classroom app token"), build_apaas_app,
                             { COMMON_007, "expire" } },
  [AK_BUILDER_EDUCATION_ROOM_USER] = { "education_room_user",
                                       N_("Education room user token (same as APaaS)"),
                                       build_apaas_room_user,
                                       { COMMON_007, "room_uuid", "user_uuid", "role",
                                         "expire" } },
  [AK_BUILDER_EDUCATION_USER] = { "education_user", N_("Education user token (same as APaaS)"),
                                  build_apaas_user, { COMMON_007, "user_uuid", "expire" } },
  [AK_BUILDER_EDUCATION_APP] = { "education_app", N_("Education app token (same as APaaS)"),
                                 build_apaas_app, { COMMON_007, "expire" } },
  [AK_BUILDER_RTC006_UID] = { "rtc006_uid", N_("Legacy 006 RTC token for an integer uid"),
                              build_rtc006_uid,
                              { COMMON_006, "channel_name", "uid", "role",
                                "privilege_expire_ts" } },
  [AK_BUILDER_RTC006_ACCOUNT] = { "rtc006_account",
                                  N_("Legacy 006 RTC token for a user account"),
                                  build_rtc006_account,
                                  { COMMON_006, "channel_name", "account", "role",
                                    "privilege_expire_ts" } },
  [AK_BUILDER_RTM006] = { "rtm006", N_("Legacy 006 RTM token"), build_rtm006,
                          { COMMON_006, "user_account", "role", "privilege_expire_ts" } },
};

/* ---------------------------------------------------------------------------------------------
 * Public API
 */

const char *
ak_builder_to_name (AkBuilder builder)
{
  g_return_val_if_fail (builder < AK_N_BUILDERS, NULL);
  return builders[builder].name;
}

gboolean
ak_builder_from_name (const char *name,
                      AkBuilder  *builder)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < AK_N_BUILDERS; i++)
    if (g_str_equal (name, builders[i].name))
      {
        if (builder != NULL)
          *builder = (AkBuilder) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * ak_builder_get_input_names:
 *
 * Returns: (transfer none): the %NULL-terminated input names @builder accepts, in the
 *   official python3 argument order, starting with app_id and app_certificate.
 */
const char * const *
ak_builder_get_input_names (AkBuilder builder)
{
  g_return_val_if_fail (builder < AK_N_BUILDERS, NULL);
  return builders[builder].inputs;
}

const char *
ak_builder_get_description (AkBuilder builder)
{
  g_return_val_if_fail (builder < AK_N_BUILDERS, NULL);
  return _(builders[builder].description);
}

gboolean
ak_builder_is_006 (AkBuilder builder)
{
  return builder == AK_BUILDER_RAW006 || builder == AK_BUILDER_RTC006_UID
         || builder == AK_BUILDER_RTC006_ACCOUNT || builder == AK_BUILDER_RTM006;
}

static gboolean
resolve_envelope (BuildContext *ctx,
                  GError      **error)
{
  gboolean is_006 = ak_builder_is_006 (ctx->builder);
  gint64 now = ak_clock_now_unix ();
  JsonNode *salt_node;

  if (!get_string (ctx, "app_id", TRUE, &ctx->app_id, error)
      || !get_string (ctx, "app_certificate", TRUE, &ctx->app_certificate, error)
      || !ak_validate_app_id (ctx->app_id, error)
      || !ak_validate_app_certificate (ctx->app_certificate, error))
    return FALSE;

  /* 007 counts from the issue time; 006 stores the absolute expiry (now + 24 h by default). */
  if (is_006)
    {
      if (!json_object_has_member (ctx->inputs, "ts"))
        ctx->issue_ts = (guint32) MIN (now + AK_006_DEFAULT_LIFETIME, G_MAXUINT32);
      else if (!get_u32 (ctx, "ts", TRUE, &ctx->issue_ts, error))
        return FALSE;
    }
  else
    {
      if (!get_u32 (ctx, "issue_ts", FALSE, &ctx->issue_ts, error))
        return FALSE;
      if (ctx->issue_ts == 0)
        ctx->issue_ts = (guint32) now;
    }

  salt_node = json_object_get_member (ctx->inputs, "salt");
  if (salt_node == NULL || JSON_NODE_HOLDS_NULL (salt_node))
    ctx->salt = ak_random_salt ();
  else if (!get_u32 (ctx, "salt", TRUE, &ctx->salt, error))
    return FALSE;

  return TRUE;
}

/**
 * ak_build_token:
 * @builder: which official builder
 * @inputs: the inputs, named as in the official python3 API and the vectors file;
 *   `issue_ts` (006: `ts`) and `salt` are optional: now and a CSPRNG salt by default
 * @error: return location for an %AK_ERROR_INVALID_INPUT error
 *
 * Builds a token exactly as the official builder does. Soft problems (see #AkWarningCode)
 * do not stop the build; they come back in the result.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
AkBuildResult *
ak_build_token (AkBuilder    builder,
                JsonObject  *inputs,
                GError     **error)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (ak_warning_free);
  g_autoptr(AkToken) token = NULL;
  BuildContext ctx = { .builder = builder, .inputs = inputs, .warnings = warnings };
  AkBuildResult *result;
  char *text;

  g_return_val_if_fail (builder < AK_N_BUILDERS, NULL);
  g_return_val_if_fail (inputs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_known_keys (inputs, builders[builder].inputs, builders[builder].name, error)
      || !resolve_envelope (&ctx, error))
    return NULL;

  token = builders[builder].build (&ctx, error);
  if (token == NULL)
    return NULL;

  text = ak_token_encode (token, ctx.app_certificate, error);
  if (text == NULL)
    return NULL;

  result = g_new0 (AkBuildResult, 1);
  result->token = text;
  result->warnings = g_steal_pointer (&warnings);
  return result;
}

/* JSON is UTF-8 text (RFC 8259), but json-glib 1.6 passes other bytes through: refused, so
 * that no message quotes them. */
static gboolean
node_is_utf8 (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_utf8_validate (name, -1, NULL) || !node_is_utf8 (member))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!node_is_utf8 (json_array_get_element (array, i)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_utf8_validate (json_node_get_string (node), -1, NULL);
  return TRUE;
}

/**
 * ak_build_token_from_spec:
 * @spec: `{"builder": NAME, "inputs": {...}}`
 *
 * Returns: (transfer full): as ak_build_token()
 */
AkBuildResult *
ak_build_token_from_spec (JsonNode  *spec,
                          GError   **error)
{
  static const char * const spec_keys[] = { "builder", "inputs", NULL };
  JsonObject *object;
  JsonNode *name;
  JsonNode *inputs;
  AkBuilder builder;

  if (spec == NULL || !JSON_NODE_HOLDS_OBJECT (spec))
    goto bad_spec;

  object = json_node_get_object (spec);
  name = json_object_get_member (object, "builder");
  inputs = json_object_get_member (object, "inputs");
  if (name == NULL || !JSON_NODE_HOLDS_VALUE (name)
      || json_node_get_value_type (name) != G_TYPE_STRING
      || inputs == NULL || !JSON_NODE_HOLDS_OBJECT (inputs))
    goto bad_spec;

  if (!node_is_utf8 (spec))
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The build spec is not UTF-8 text: save it as UTF-8."));
      return NULL;
    }
  if (!check_known_keys (object, spec_keys, _("a build spec"), error))
    return NULL;

  if (!ak_builder_from_name (json_node_get_string (name), &builder))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < AK_N_BUILDERS; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", builders[i].name);
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("“%s” is not a builder. Builders: %s."),
                   json_node_get_string (name), names->str);
      return NULL;
    }

  return ak_build_token (builder, json_node_get_object (inputs), error);

bad_spec:
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("A build spec is a JSON object like {\"builder\": \"rtc_uid\", \"inputs\": "
                 "{…}}."));
  return NULL;
}

const char *
ak_build_result_get_token (const AkBuildResult *result)
{
  return result->token;
}

/**
 * ak_build_result_get_warnings:
 *
 * Returns: (transfer none) (element-type AkWarning): the warnings, possibly none
 */
GPtrArray *
ak_build_result_get_warnings (const AkBuildResult *result)
{
  return result->warnings;
}

void
ak_build_result_free (AkBuildResult *result)
{
  if (result == NULL)
    return;
  /* A token is a credential: do not leave it behind in freed memory. */
  ak_secret_wipe_string (result->token);
  g_free (result->token);
  g_ptr_array_unref (result->warnings);
  g_free (result);
}
