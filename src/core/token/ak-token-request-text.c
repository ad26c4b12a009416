/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-duration.h"
#include "ak-error.h"
#include "ak-token-request.h"

#define AK_DEFAULT_EXPIRE 3600

/* ---------------------------------------------------------------------------------------------
 * Requests as typed: flags and kind specs
 */

void
ak_token_request_text_clear (AkTokenRequestText *text)
{
  char **strings[] = {
    &text->kind, &text->app_id, &text->channel, &text->uid, &text->account, &text->role,
    &text->expire, &text->privilege_expire, &text->join_expire, &text->audio_expire,
    &text->video_expire, &text->data_expire, &text->user_id, &text->rtm_user_id,
    &text->rtm_expire, &text->room_uuid, &text->user_uuid, &text->apaas_role, &text->issue_ts,
    &text->ts, &text->salt, &text->joined_permissions,
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
  g_clear_pointer (&text->permissions, g_strfreev);
  text->never_expire = FALSE;
}

/* The text fields by name: a spec's members, and the flags without "--". */
static const struct
{
  const char *name;
  gsize offset;
} text_fields[] = {
  { "kind", G_STRUCT_OFFSET (AkTokenRequestText, kind) },
  { "app-id", G_STRUCT_OFFSET (AkTokenRequestText, app_id) },
  { "channel", G_STRUCT_OFFSET (AkTokenRequestText, channel) },
  { "uid", G_STRUCT_OFFSET (AkTokenRequestText, uid) },
  { "account", G_STRUCT_OFFSET (AkTokenRequestText, account) },
  { "role", G_STRUCT_OFFSET (AkTokenRequestText, role) },
  { "expire", G_STRUCT_OFFSET (AkTokenRequestText, expire) },
  { "privilege-expire", G_STRUCT_OFFSET (AkTokenRequestText, privilege_expire) },
  { "join-expire", G_STRUCT_OFFSET (AkTokenRequestText, join_expire) },
  { "audio-expire", G_STRUCT_OFFSET (AkTokenRequestText, audio_expire) },
  { "video-expire", G_STRUCT_OFFSET (AkTokenRequestText, video_expire) },
  { "data-expire", G_STRUCT_OFFSET (AkTokenRequestText, data_expire) },
  { "user-id", G_STRUCT_OFFSET (AkTokenRequestText, user_id) },
  { "rtm-user-id", G_STRUCT_OFFSET (AkTokenRequestText, rtm_user_id) },
  { "rtm-expire", G_STRUCT_OFFSET (AkTokenRequestText, rtm_expire) },
  { "room-uuid", G_STRUCT_OFFSET (AkTokenRequestText, room_uuid) },
  { "user-uuid", G_STRUCT_OFFSET (AkTokenRequestText, user_uuid) },
  { "apaas-role", G_STRUCT_OFFSET (AkTokenRequestText, apaas_role) },
  { "issue-ts", G_STRUCT_OFFSET (AkTokenRequestText, issue_ts) },
  { "ts", G_STRUCT_OFFSET (AkTokenRequestText, ts) },
  { "salt", G_STRUCT_OFFSET (AkTokenRequestText, salt) },
};

static gboolean
wrong_member_type (const char  *name,
                   const char  *expected,
                   GError     **error)
{
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("“%s” must be %s."), name, expected);
  return FALSE;
}

/* A string, or a whole number written as its digits. */
static char *
member_text (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

gboolean
ak_token_request_text_set_from_json (AkTokenRequestText  *text,
                                     JsonObject          *object,
                                     GError             **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (text != NULL && object != NULL, FALSE);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      gboolean known = FALSE;

      if (g_str_equal (name, "app-certificate"))
        continue;
      if (g_str_equal (name, "never-expire"))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            return wrong_member_type (name, _("true or false"), error);
          text->never_expire = json_node_get_boolean (node);
          continue;
        }
      if (g_str_equal (name, "permission") || g_str_equal (name, "permissions"))
        {
          g_autoptr(GStrvBuilder) entries = g_strv_builder_new ();

          if (JSON_NODE_HOLDS_ARRAY (node))
            {
              JsonArray *array = json_node_get_array (node);

              for (guint i = 0; i < json_array_get_length (array); i++)
                {
                  JsonNode *element = json_array_get_element (array, i);

                  if (!JSON_NODE_HOLDS_VALUE (element)
                      || json_node_get_value_type (element) != G_TYPE_STRING)
                    return wrong_member_type (name, _("a string or a list of strings"), error);
                  g_strv_builder_add (entries, json_node_get_string (element));
                }
            }
          else if (JSON_NODE_HOLDS_VALUE (node)
                   && json_node_get_value_type (node) == G_TYPE_STRING)
            g_strv_builder_add (entries, json_node_get_string (node));
          else
            return wrong_member_type (name, _("a string or a list of strings"), error);
          g_clear_pointer (&text->permissions, g_strfreev);
          text->permissions = g_strv_builder_end (entries);
          continue;
        }

      for (guint i = 0; i < G_N_ELEMENTS (text_fields) && !known; i++)
        if (g_str_equal (name, text_fields[i].name))
          {
            char **field = G_STRUCT_MEMBER_P (text, text_fields[i].offset);
            char *value = member_text (node);

            if (value == NULL)
              return wrong_member_type (name, _("a string or a whole number"), error);
            g_free (*field);
            *field = value;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("“%s” is not a field of a kind spec: use the names of the build "
                         "flags without “--”, such as “channel” or “privilege-expire”."),
                       name);
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct
{
  const char *prefix;
  const char *kind_name;
  AkTokenField fields;
  GError **error;
} ParseContext;

static gboolean
not_applicable (ParseContext *ctx,
                const char   *name)
{
  g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("%s%s does not apply to kind “%s”."), ctx->prefix, name, ctx->kind_name);
  return FALSE;
}

static gboolean
needs (ParseContext *ctx,
       const char   *name)
{
  g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("Kind “%s” needs %s%s."), ctx->kind_name, ctx->prefix, name);
  return FALSE;
}

/* A field the kind does not use is refused, not ignored: a typo in the kind would otherwise
 * build a token without what was asked for. */
static gboolean
check_applies (ParseContext *ctx,
               const char   *name,
               gboolean      given,
               AkTokenField  wanted)
{
  return !given || (ctx->fields & wanted) != 0 || not_applicable (ctx, name);
}

static gboolean
parse_u32 (ParseContext *ctx,
           const char   *name,
           const char   *text,
           guint32      *value)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &number, NULL))
    {
      *value = (guint32) number;
      return TRUE;
    }
  g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("%s%s must be a whole number from 0 to 4294967295, not “%s”."),
               ctx->prefix, name, text);
  return FALSE;
}

static gboolean
parse_duration (ParseContext *ctx,
                const char   *name,
                const char   *text,
                guint32       fallback,
                guint32      *seconds)
{
  g_autoptr(GError) local_error = NULL;

  if (text == NULL)
    {
      *seconds = fallback;
      return TRUE;
    }
  if (ak_duration_parse (text, seconds, &local_error))
    return TRUE;
  g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT, "%s%s: %s", ctx->prefix, name,
               local_error->message);
  return FALSE;
}

static gboolean
parse_identity (ParseContext       *ctx,
                AkTokenRequestText *text,
                AkTokenRequest     *request)
{
  if (ctx->fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT)
    {
      if ((text->uid == NULL) == (text->account == NULL))
        {
          g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("Kind “%s” needs exactly one of %suid (an integer user ID) and "
                         "%saccount (a string user account)."),
                       ctx->kind_name, ctx->prefix, ctx->prefix);
          return FALSE;
        }
    }
  else if ((ctx->fields & AK_TOKEN_FIELD_ACCOUNT) && text->uid != NULL)
    {
      g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Kind “%s” takes a string user account (%saccount), not %suid."),
                   ctx->kind_name, ctx->prefix, ctx->prefix);
      return FALSE;
    }
  if (!check_applies (ctx, "uid", text->uid != NULL, AK_TOKEN_FIELD_UID_OR_ACCOUNT)
      || !check_applies (ctx, "account", text->account != NULL,
                         AK_TOKEN_FIELD_UID_OR_ACCOUNT | AK_TOKEN_FIELD_ACCOUNT))
    return FALSE;

  if (text->uid != NULL && !parse_u32 (ctx, "uid", text->uid, &request->uid))
    return FALSE;
  request->use_account = text->account != NULL;
  request->account = text->account;
  return TRUE;
}

static gboolean
parse_roles (ParseContext       *ctx,
             AkTokenRequestText *text,
             AkTokenRequest     *request)
{
  gint64 number;

  request->role = AK_RTC_ROLE_PUBLISHER;
  if ((request->kind == AK_TOKEN_KIND_APAAS_ROOM_USER || request->kind == AK_TOKEN_KIND_APAAS_USER
       || request->kind == AK_TOKEN_KIND_APAAS_APP)
      && text->role != NULL)
    {
      g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("%srole does not apply to kind “%s”; use %sapaas-role N."),
                   ctx->prefix, ctx->kind_name, ctx->prefix);
      return FALSE;
    }
  if (!check_applies (ctx, "role", text->role != NULL, AK_TOKEN_FIELD_ROLE)
      || !check_applies (ctx, "apaas-role", text->apaas_role != NULL,
                         AK_TOKEN_FIELD_APAAS_ROLE))
    return FALSE;

  if (text->role != NULL)
    {
      if (g_ascii_strcasecmp (text->role, "subscriber") == 0)
        request->role = AK_RTC_ROLE_SUBSCRIBER;
      else if (g_ascii_strcasecmp (text->role, "publisher") != 0)
        {
          g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("%srole must be publisher or subscriber, not “%s”."), ctx->prefix,
                       text->role);
          return FALSE;
        }
    }

  if (!(ctx->fields & AK_TOKEN_FIELD_APAAS_ROLE))
    return TRUE;
  if (text->apaas_role == NULL)
    return needs (ctx, "apaas-role");
  if (!g_ascii_string_to_signed (text->apaas_role, 10, G_MININT16, G_MAXINT16, &number, NULL))
    {
      g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("%sapaas-role must be a whole number from -32768 to 32767, not “%s”."),
                   ctx->prefix, text->apaas_role);
      return FALSE;
    }
  request->apaas_role = (gint16) number;
  return TRUE;
}

/* 007 lifetimes count from the issue time. Privileges default to the token's lifetime, not
 * the official 0 that decoders show as already expired; per-privilege ones default to
 * privilege-expire, and the RTM login to expire. */
static gboolean
parse_times_007 (ParseContext       *ctx,
                 AkTokenRequestText *text,
                 AkTokenRequest     *request)
{
  const char *each_names[4] = { "join-expire", "audio-expire", "video-expire", "data-expire" };
  const char *each[4] = { text->join_expire, text->audio_expire, text->video_expire,
                          text->data_expire };

  if (text->never_expire)
    return not_applicable (ctx, "never-expire");
  if (text->ts != NULL)
    return not_applicable (ctx, "ts");

  if (!check_applies (ctx, "expire", text->expire != NULL, AK_TOKEN_FIELD_EXPIRE)
      || !check_applies (ctx, "privilege-expire", text->privilege_expire != NULL,
                         AK_TOKEN_FIELD_PRIVILEGE_EXPIRE | AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE)
      || !check_applies (ctx, "rtm-expire", text->rtm_expire != NULL, AK_TOKEN_FIELD_RTM_EXPIRE)
      || !parse_duration (ctx, "expire", text->expire, AK_DEFAULT_EXPIRE, &request->expire)
      || !parse_duration (ctx, "privilege-expire", text->privilege_expire, request->expire,
                          &request->privilege_expire))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (each); i++)
    if (!check_applies (ctx, each_names[i], each[i] != NULL,
                        AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE)
        || !parse_duration (ctx, each_names[i], each[i], request->privilege_expire,
                            &request->each_privilege_expire[i]))
      return FALSE;

  return parse_duration (ctx, "rtm-expire", text->rtm_expire, request->expire,
                         &request->rtm_expire);
}

/* 006 stores absolute times: the privileges expire "expire" after the issue time. */
static gboolean
parse_times_006 (ParseContext       *ctx,
                 AkTokenRequestText *text,
                 AkTokenRequest     *request)
{
  const struct
  {
    const char *name;
    const char *value;
  } only_007[] = {
    { "privilege-expire", text->privilege_expire },
    { "join-expire", text->join_expire },
    { "audio-expire", text->audio_expire },
    { "video-expire", text->video_expire },
    { "data-expire", text->data_expire },
    { "rtm-expire", text->rtm_expire },
  };

  for (guint i = 0; i < G_N_ELEMENTS (only_007); i++)
    if (only_007[i].value != NULL)
      return not_applicable (ctx, only_007[i].name);

  if (text->never_expire && text->expire != NULL)
    {
      g_set_error (ctx->error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Give either %sexpire or %snever-expire, not both."), ctx->prefix,
                   ctx->prefix);
      return FALSE;
    }
  request->never_expire = text->never_expire;
  if (text->ts != NULL && !parse_u32 (ctx, "ts", text->ts, &request->ts))
    return FALSE;
  return parse_duration (ctx, "expire", text->expire, AK_DEFAULT_EXPIRE, &request->expire);
}

/**
 * ak_token_request_parse:
 * @prefix: what goes before a field's name in errors: "--" for flags, "" for a spec
 *
 * Returns: %TRUE with @request filled, or %FALSE with @error set
 */
gboolean
ak_token_request_parse (AkTokenRequestText  *text,
                        const char          *prefix,
                        AkTokenRequest      *request,
                        GError             **error)
{
  ParseContext ctx = { .prefix = prefix, .kind_name = text->kind, .error = error };
  const struct
  {
    const char *name;
    const char *value;
    AkTokenField field;
  } strings[] = {
    { "channel", text->channel, AK_TOKEN_FIELD_CHANNEL },
    { "user-id", text->user_id, AK_TOKEN_FIELD_USER_ID },
    { "rtm-user-id", text->rtm_user_id, AK_TOKEN_FIELD_RTM_USER_ID },
    { "room-uuid", text->room_uuid, AK_TOKEN_FIELD_ROOM_UUID },
    { "user-uuid", text->user_uuid, AK_TOKEN_FIELD_USER_UUID },
    { "permission", text->permissions != NULL ? "" : NULL, AK_TOKEN_FIELD_PERMISSIONS },
  };

  g_return_val_if_fail (text != NULL && prefix != NULL && request != NULL, FALSE);

  *request = (AkTokenRequest) { 0 };
  if (text->kind == NULL)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("Say which kind of token to build, such as “rtc”."));
      return FALSE;
    }
  if (!ak_token_kind_from_name (text->kind, &request->kind))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("Unknown kind “%s”."),
                   text->kind);
      return FALSE;
    }
  ctx.fields = ak_token_kind_get_fields (request->kind);

  if (text->app_id == NULL)
    return needs (&ctx, "app-id");
  request->app_id = text->app_id;

  if (!parse_identity (&ctx, text, request))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (!check_applies (&ctx, strings[i].name, strings[i].value != NULL, strings[i].field))
      return FALSE;
  request->channel = text->channel;
  request->user_id = text->user_id;
  request->rtm_user_id = text->rtm_user_id;
  request->room_uuid = text->room_uuid;
  request->user_uuid = text->user_uuid;
  if (!parse_roles (&ctx, text, request))
    return FALSE;

  /* One syntax for every face: each given entry may hold several, as in the window. */
  if (text->permissions != NULL)
    {
      g_autoptr(JsonNode) checked = NULL;
      g_autoptr(GError) local_error = NULL;

      g_free (text->joined_permissions);
      text->joined_permissions = g_strjoinv ("\n", text->permissions);
      checked = ak_rtm_permissions_parse (text->joined_permissions, &local_error);
      if (checked == NULL)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, "%spermission: %s", prefix,
                       local_error->message);
          return FALSE;
        }
      request->permissions = text->joined_permissions;
    }

  if (text->salt != NULL)
    {
      if (!parse_u32 (&ctx, "salt", text->salt, &request->salt))
        return FALSE;
      request->fixed_salt = TRUE;
    }
  if (text->issue_ts != NULL && !parse_u32 (&ctx, "issue-ts", text->issue_ts,
                                            &request->issue_ts))
    return FALSE;

  if (ak_builder_is_006 (ak_token_kind_get_builder (request->kind, FALSE)))
    {
      if (!parse_times_006 (&ctx, text, request))
        return FALSE;
    }
  else if (!parse_times_007 (&ctx, text, request))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if ((ctx.fields & strings[i].field) && strings[i].value == NULL)
      return needs (&ctx, strings[i].name);
  if ((ctx.fields & AK_TOKEN_FIELD_ACCOUNT) && text->account == NULL)
    return needs (&ctx, "account");

  return TRUE;
}
