/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-clock.h"
#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-token-builder-private.h"

struct _AkBuildResult
{
  char *token;
  GPtrArray *warnings;
};

#define AK_006_DEFAULT_LIFETIME 86400

typedef AkToken *(*BuildFunc) (BuildContext *ctx, GError **error);

typedef struct
{
  const char *name;
  const char *description;
  BuildFunc build;
  const char *inputs[16];
} BuilderInfo;

#define COMMON_007 "app_id", "app_certificate", "issue_ts", "salt"
#define COMMON_006 "app_id", "app_certificate", "ts", "salt"
#define RTC_PRIVILEGES "join_channel_privilege_expire", "pub_audio_privilege_expire", \
  "pub_video_privilege_expire", "pub_data_stream_privilege_expire"
/* rtc_rtm2 and the agents built on it */
#define RTC_AND_RTM COMMON_007, "channel_name", "rtc_account", "rtc_role", "rtc_token_expire", \
  RTC_PRIVILEGES, "rtm_user_id", "rtm_token_expire"

static const BuilderInfo builders[AK_N_BUILDERS] = {
  [AK_BUILDER_RAW007] = { "raw007", N_("AccessToken2 with an explicit list of services"),
                          ak_build_raw007, { COMMON_007, "expire", "services" } },
  [AK_BUILDER_RAW006] = { "raw006", N_("Legacy 006 token with explicit privileges"),
                          ak_build_raw006, { COMMON_006, "channel_name", "uid", "privileges" } },
  [AK_BUILDER_RTC_UID] = { "rtc_uid", N_("RTC token for an integer uid"), ak_build_rtc_role,
                           { COMMON_007, "channel_name", "uid", "role", "token_expire",
                             "privilege_expire" } },
  [AK_BUILDER_RTC_ACCOUNT] = { "rtc_account", N_("RTC token for a string user account"),
                               ak_build_rtc_role,
                               { COMMON_007, "channel_name", "account", "role", "token_expire",
                                 "privilege_expire" } },
  [AK_BUILDER_RTC_UID_PRIVILEGE] = { "rtc_uid_privilege",
                                     N_("RTC token for an integer uid with an expiry per "
                                        "privilege"),
                                     ak_build_rtc_privileges,
                                     { COMMON_007, "channel_name", "uid", "token_expire",
                                       RTC_PRIVILEGES } },
  [AK_BUILDER_RTC_ACCOUNT_PRIVILEGE] = { "rtc_account_privilege",
                                         N_("RTC token for a user account with an expiry per "
                                            "privilege"),
                                         ak_build_rtc_privileges,
                                         { COMMON_007, "channel_name", "account", "token_expire",
                                           RTC_PRIVILEGES } },
  [AK_BUILDER_RTC_RTM] = { "rtc_rtm", N_("RTC and RTM in one token for a user account"),
                           ak_build_rtc_role,
                           { COMMON_007, "channel_name", "account", "role", "token_expire",
                             "privilege_expire" } },
  [AK_BUILDER_RTC_RTM2] = { "rtc_rtm2",
                            N_("RTC for a user account and RTM for a user ID, each with its own "
                               "expiry"),
                            ak_build_rtc_and_rtm, { RTC_AND_RTM } },
  [AK_BUILDER_CONVOAI] = { "convoai",
                           N_("Conversational AI agent: RTC for an account or uid, RTM, and "
                              "ConvoAI"),
                           ak_build_agent, { RTC_AND_RTM } },
  [AK_BUILDER_STT] = { "stt",
                       N_("Real-time STT agent: RTC for an account or uid, RTM, and STT"),
                       ak_build_agent, { RTC_AND_RTM } },
  [AK_BUILDER_RTM] = { "rtm", N_("RTM (Signaling) login token"), ak_build_rtm,
                       { COMMON_007, "user_id", "expire" } },
  [AK_BUILDER_RTM_PERMISSIONS] = { "rtm_permissions", N_("RTM token with channel permissions"),
                                   ak_build_rtm_permissions,
                                   { COMMON_007, "user_id", "permissions", "expire" } },
  [AK_BUILDER_CHAT_USER] = { "chat_user", N_("Chat user token"), ak_build_chat_user,
                             { COMMON_007, "user_id", "expire" } },
  [AK_BUILDER_CHAT_APP] = { "chat_app", N_("Chat app token (for the Chat REST API)"),
                            ak_build_chat_app, { COMMON_007, "expire" } },
  [AK_BUILDER_FPA] = { "fpa", N_("FPA (Fusion Protocol Acceleration) token"), ak_build_fpa,
                       { COMMON_007 } },
  [AK_BUILDER_APAAS_ROOM_USER] = { "apaas_room_user",
                                   N_("Flexible Classroom room user token"),
                                   ak_build_apaas_room_user,
                                   { COMMON_007, "room_uuid", "user_uuid", "role", "expire" } },
  [AK_BUILDER_APAAS_USER] = { "apaas_user", N_("Flexible Classroom user token"),
                              ak_build_apaas_user, { COMMON_007, "user_uuid", "expire" } },
  [AK_BUILDER_APAAS_APP] = { "apaas_app", N_("Flexible Classroom app token"), ak_build_apaas_app,
                             { COMMON_007, "expire" } },
  [AK_BUILDER_EDUCATION_ROOM_USER] = { "education_room_user",
                                       N_("Education room user token (same as APaaS)"),
                                       ak_build_apaas_room_user,
                                       { COMMON_007, "room_uuid", "user_uuid", "role",
                                         "expire" } },
  [AK_BUILDER_EDUCATION_USER] = { "education_user", N_("Education user token (same as APaaS)"),
                                  ak_build_apaas_user, { COMMON_007, "user_uuid", "expire" } },
  [AK_BUILDER_EDUCATION_APP] = { "education_app", N_("Education app token (same as APaaS)"),
                                 ak_build_apaas_app, { COMMON_007, "expire" } },
  [AK_BUILDER_RTC006_UID] = { "rtc006_uid", N_("Legacy 006 RTC token for an integer uid"),
                              ak_build_rtc006,
                              { COMMON_006, "channel_name", "uid", "role",
                                "privilege_expire_ts" } },
  [AK_BUILDER_RTC006_ACCOUNT] = { "rtc006_account",
                                  N_("Legacy 006 RTC token for a user account"),
                                  ak_build_rtc006,
                                  { COMMON_006, "channel_name", "account", "role",
                                    "privilege_expire_ts" } },
  [AK_BUILDER_RTM006] = { "rtm006", N_("Legacy 006 RTM token"), ak_build_rtm006,
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

  if (!ak_build_get_string (ctx, "app_id", TRUE, &ctx->app_id, error)
      || !ak_build_get_string (ctx, "app_certificate", TRUE, &ctx->app_certificate, error)
      || !ak_validate_app_id (ctx->app_id, error)
      || !ak_validate_app_certificate (ctx->app_certificate, error))
    return FALSE;

  /* 007 counts from the issue time; 006 stores the absolute expiry (now + 24 h by default). */
  if (is_006)
    {
      if (!json_object_has_member (ctx->inputs, "ts"))
        ctx->issue_ts = (guint32) MIN (now + AK_006_DEFAULT_LIFETIME, G_MAXUINT32);
      else if (!ak_build_get_u32 (ctx, "ts", TRUE, &ctx->issue_ts, error))
        return FALSE;
    }
  else
    {
      if (!ak_build_get_u32 (ctx, "issue_ts", FALSE, &ctx->issue_ts, error))
        return FALSE;
      if (ctx->issue_ts == 0)
        ctx->issue_ts = (guint32) now;
    }

  salt_node = json_object_get_member (ctx->inputs, "salt");
  if (salt_node == NULL || JSON_NODE_HOLDS_NULL (salt_node))
    ctx->salt = ak_random_salt ();
  else if (!ak_build_get_u32 (ctx, "salt", TRUE, &ctx->salt, error))
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

  if (!ak_build_check_known_keys (inputs, builders[builder].inputs, builders[builder].name, error)
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
  if (!ak_build_check_known_keys (object, spec_keys, _("a build spec"), error))
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
