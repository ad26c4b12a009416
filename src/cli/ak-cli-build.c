/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-cli.h"
#include "ak-rest.h"

#define DEFAULT_EXPIRE 3600
/* The official 006 builders make the token itself valid for 24 h. */
#define TOKEN_006_LIFETIME 86400
#define MAX_SPEC_LENGTH (1024 * 1024)

#define INPUTS(...) ((const char * const[]) { __VA_ARGS__, NULL })

typedef struct
{
  char *spec;
  char *app_id;
  char *certificate_file;
  char *certificate;
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
  char *project;
  gboolean secondary;
} BuildOptions;

typedef enum
{
  IDENTITY_NONE,
  IDENTITY_UID_OR_ACCOUNT,
  IDENTITY_ACCOUNT,
} KindIdentity;

typedef struct
{
  const char *name;
  AkBuilder uid_builder;
  AkBuilder account_builder;
  KindIdentity identity;
  gboolean apaas;
  const char *summary;
} BuildKind;

static const BuildKind kinds[] = {
  { "rtc", AK_BUILDER_RTC_UID, AK_BUILDER_RTC_ACCOUNT, IDENTITY_UID_OR_ACCOUNT, FALSE,
    N_("RTC: join the channel, and publish unless --role subscriber") },
  { "rtc-privileges", AK_BUILDER_RTC_UID_PRIVILEGE, AK_BUILDER_RTC_ACCOUNT_PRIVILEGE,
    IDENTITY_UID_OR_ACCOUNT, FALSE,
    N_("RTC with one expiry per privilege (--join-expire, --audio-expire, …)") },
  { "rtc-rtm", AK_BUILDER_RTC_RTM, AK_BUILDER_RTC_RTM, IDENTITY_ACCOUNT, FALSE,
    N_("RTC and RTM in one token; the RTM login lasts --expire") },
  { "rtc-rtm2", AK_BUILDER_RTC_RTM2, AK_BUILDER_RTC_RTM2, IDENTITY_ACCOUNT, FALSE,
    N_("RTC with per-privilege expiries, and RTM for --rtm-user-id") },
  { "rtm", AK_BUILDER_RTM, AK_BUILDER_RTM, IDENTITY_NONE, FALSE,
    N_("RTM (Signaling) login for --user-id") },
  { "rtm-permissions", AK_BUILDER_RTM_PERMISSIONS, AK_BUILDER_RTM_PERMISSIONS, IDENTITY_NONE,
    FALSE, N_("RTM login with resource permissions (--permission)") },
  { "chat-user", AK_BUILDER_CHAT_USER, AK_BUILDER_CHAT_USER, IDENTITY_NONE, FALSE,
    N_("Chat user token for --user-id") },
  { "chat-app", AK_BUILDER_CHAT_APP, AK_BUILDER_CHAT_APP, IDENTITY_NONE, FALSE,
    N_("Chat app token") },
  { "fpa", AK_BUILDER_FPA, AK_BUILDER_FPA, IDENTITY_NONE, FALSE,
    N_("FPA login; the official builder fixes its expiry at 24 h") },
  { "apaas-room-user", AK_BUILDER_APAAS_ROOM_USER, AK_BUILDER_APAAS_ROOM_USER, IDENTITY_NONE,
    TRUE, N_("Flexible Classroom user in a room (--room-uuid, --user-uuid, --apaas-role)") },
  { "apaas-user", AK_BUILDER_APAAS_USER, AK_BUILDER_APAAS_USER, IDENTITY_NONE, TRUE,
    N_("Flexible Classroom user (--user-uuid)") },
  { "apaas-app", AK_BUILDER_APAAS_APP, AK_BUILDER_APAAS_APP, IDENTITY_NONE, TRUE,
    N_("Flexible Classroom app token") },
  { "education-room-user", AK_BUILDER_EDUCATION_ROOM_USER, AK_BUILDER_EDUCATION_ROOM_USER,
    IDENTITY_NONE, TRUE, N_("Same token as apaas-room-user") },
  { "education-user", AK_BUILDER_EDUCATION_USER, AK_BUILDER_EDUCATION_USER, IDENTITY_NONE,
    TRUE, N_("Same token as apaas-user") },
  { "education-app", AK_BUILDER_EDUCATION_APP, AK_BUILDER_EDUCATION_APP, IDENTITY_NONE, TRUE,
    N_("Same token as apaas-app") },
  { "rtc006", AK_BUILDER_RTC006_UID, AK_BUILDER_RTC006_ACCOUNT, IDENTITY_UID_OR_ACCOUNT, FALSE,
    N_("Legacy 006 RTC token") },
  { "rtm006", AK_BUILDER_RTM006, AK_BUILDER_RTM006, IDENTITY_NONE, FALSE,
    N_("Legacy 006 RTM token for --user-id") },
};

/* Inputs a builder cannot do without, and the flag that fills each. */
static const struct
{
  const char *input;
  const char *flag;
} required_inputs[] = {
  { "channel_name", "--channel" },
  { "rtc_account", "--account" },
  { "user_id", "--user-id" },
  { "user_account", "--user-id" },
  { "rtm_user_id", "--rtm-user-id" },
  { "room_uuid", "--room-uuid" },
  { "user_uuid", "--user-uuid" },
  { "permissions", "--permission" },
};

typedef struct
{
  const BuildKind *kind;
  AkBuilder builder;
  const char * const *names;
  JsonObject *inputs;
} BuildContext;

static void
build_options_clear (BuildOptions *options)
{
  ak_cli_wipe_string (options->certificate);
  g_clear_pointer (&options->spec, g_free);
  g_clear_pointer (&options->app_id, g_free);
  g_clear_pointer (&options->certificate_file, g_free);
  g_clear_pointer (&options->certificate, g_free);
  g_clear_pointer (&options->channel, g_free);
  g_clear_pointer (&options->uid, g_free);
  g_clear_pointer (&options->account, g_free);
  g_clear_pointer (&options->role, g_free);
  g_clear_pointer (&options->expire, g_free);
  g_clear_pointer (&options->privilege_expire, g_free);
  g_clear_pointer (&options->join_expire, g_free);
  g_clear_pointer (&options->audio_expire, g_free);
  g_clear_pointer (&options->video_expire, g_free);
  g_clear_pointer (&options->data_expire, g_free);
  g_clear_pointer (&options->user_id, g_free);
  g_clear_pointer (&options->rtm_user_id, g_free);
  g_clear_pointer (&options->rtm_expire, g_free);
  g_clear_pointer (&options->room_uuid, g_free);
  g_clear_pointer (&options->user_uuid, g_free);
  g_clear_pointer (&options->apaas_role, g_free);
  g_clear_pointer (&options->permissions, g_strfreev);
  g_clear_pointer (&options->issue_ts, g_free);
  g_clear_pointer (&options->ts, g_free);
  g_clear_pointer (&options->salt, g_free);
  g_clear_pointer (&options->project, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BuildOptions, build_options_clear)

static char *
describe_kinds (void)
{
  GString *text = g_string_new (NULL);
  gsize i;
  int builder;

  g_string_append_printf (text, "%s\n", _("Kinds:"));
  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_string_append_printf (text, "  %-20s %s\n", kinds[i].name, _(kinds[i].summary));

  g_string_append_printf (text, "\n%s\n  ", _("Builder names for --spec:"));
  for (builder = 0; builder < AK_N_BUILDERS; builder++)
    g_string_append_printf (text, "%s%s", builder > 0 ? ", " : "",
                            ak_builder_to_name ((AkBuilder) builder));
  g_string_append (text, "\n\n");

  g_string_append_printf (text, "%s\n\n",
    _("Every kind needs --app-id and the app certificate. The certificate is read from "
      "--app-certificate-file FILE, else from the AGORA_APP_CERTIFICATE environment "
      "variable, else asked for without echo when standard input is a terminal."));
  g_string_append_printf (text, "%s\n\n",
    _("--expire defaults to 3600 seconds (1 h). Privilege expiries default to the token "
      "expiry: the official builders default them to 0, which decoders show as already "
      "expired. Durations are seconds or a number with s, m, h or d, like 30m, 12h, 1d or "
      "1h30m. --uid and --account are never guessed from each other: uid 0 (any user) and "
      "account \"0\" make different tokens."));
  g_string_append_printf (text, "%s\n",
    _("A spec names a builder and its inputs, as in the official Python API, for example:"));
  g_string_append (text,
    "  {\"builder\": \"rtc_uid\", \"inputs\": {\"app_id\": \"…\", \"channel_name\": \"demo\",\n"
    "   \"uid\": 42, \"role\": 1, \"token_expire\": 3600, \"privilege_expire\": 3600}}\n");
  g_string_append_printf (text, "%s\n\n",
    _("When the inputs have no app_certificate, it is read as above; "
      "--app-certificate-file and --app-certificate take precedence over the spec."));
  g_string_append_printf (text, "%s\n",
    _("The token is printed on standard output; warnings (e.g. a channel name over 64 bytes) "
      "go to standard error and do not stop the build."));

  return g_string_free (text, FALSE);
}

static GOptionContext *
build_option_context_new (BuildOptions *o)
{
  const GOptionEntry entries[] = {
    { "spec", 0, 0, G_OPTION_ARG_FILENAME, &o->spec,
      N_("Build from a JSON spec {\"builder\": NAME, \"inputs\": {…}}; "
         "“-” reads standard input"),
      N_("FILE") },
    { "app-id", 0, 0, G_OPTION_ARG_STRING, &o->app_id,
      N_("The App ID (32 hexadecimal characters)"), N_("ID") },
    { "app-certificate-file", 0, 0, G_OPTION_ARG_FILENAME, &o->certificate_file,
      N_("Read the app certificate from the first line of FILE"), N_("FILE") },
    { "app-certificate", 0, 0, G_OPTION_ARG_STRING, &o->certificate,
      N_("The app certificate itself. Avoid it: command lines are visible to other users of "
         "this machine (ps); prefer --app-certificate-file or AGORA_APP_CERTIFICATE"),
      N_("CERT") },
    { "project", 0, 0, G_OPTION_ARG_STRING, &o->project,
      N_("Take the App ID and the primary certificate of this project from the keyring "
         "(see “credential add”)"), N_("LABEL") },
    { "secondary", 0, 0, G_OPTION_ARG_NONE, &o->secondary,
      N_("With --project: use its secondary certificate"), NULL },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &o->channel, N_("Channel name"), N_("NAME") },
    { "uid", 0, 0, G_OPTION_ARG_STRING, &o->uid,
      N_("Integer user ID, 0 to 4294967295 (0 lets any user join)"), N_("N") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &o->account,
      N_("String user account, used as given"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o->role,
      N_("publisher (default) or subscriber; a subscriber is kept from publishing only when "
         "the project enables strict token permission"), "publisher|subscriber" },
    { "expire", 0, 0, G_OPTION_ARG_STRING, &o->expire,
      N_("Token lifetime (default 3600). For 006 kinds: the privileges expire this long "
         "after the issue time"), N_("DURATION") },
    { "privilege-expire", 0, 0, G_OPTION_ARG_STRING, &o->privilege_expire,
      N_("Privilege lifetime (default: the token lifetime, not the official 0 that looks "
         "expired)"), N_("DURATION") },
    { "join-expire", 0, 0, G_OPTION_ARG_STRING, &o->join_expire,
      N_("Join-channel privilege lifetime (default: --privilege-expire)"), N_("DURATION") },
    { "audio-expire", 0, 0, G_OPTION_ARG_STRING, &o->audio_expire,
      N_("Publish-audio privilege lifetime (default: --privilege-expire)"), N_("DURATION") },
    { "video-expire", 0, 0, G_OPTION_ARG_STRING, &o->video_expire,
      N_("Publish-video privilege lifetime (default: --privilege-expire)"), N_("DURATION") },
    { "data-expire", 0, 0, G_OPTION_ARG_STRING, &o->data_expire,
      N_("Publish-data-stream privilege lifetime (default: --privilege-expire)"),
      N_("DURATION") },
    { "user-id", 0, 0, G_OPTION_ARG_STRING, &o->user_id,
      N_("User ID of RTM, Chat and rtm006 tokens"), N_("ID") },
    { "rtm-user-id", 0, 0, G_OPTION_ARG_STRING, &o->rtm_user_id,
      N_("RTM user ID of an rtc-rtm2 token"), N_("ID") },
    { "rtm-expire", 0, 0, G_OPTION_ARG_STRING, &o->rtm_expire,
      N_("RTM login lifetime of an rtc-rtm2 token (default: --expire)"), N_("DURATION") },
    { "room-uuid", 0, 0, G_OPTION_ARG_STRING, &o->room_uuid,
      N_("Flexible Classroom room UUID"), N_("UUID") },
    { "user-uuid", 0, 0, G_OPTION_ARG_STRING, &o->user_uuid,
      N_("Flexible Classroom user UUID"), N_("UUID") },
    { "apaas-role", 0, 0, G_OPTION_ARG_STRING, &o->apaas_role,
      N_("Flexible Classroom role number"), N_("N") },
    { "permission", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->permissions,
      N_("RTM permission, repeatable: RESOURCE:PERMISSION:NAME, e.g. "
         "messageChannels:read:chan-a or 0:0:chan-a"), N_("R:P:NAME") },
    { "never-expire", 0, 0, G_OPTION_ARG_NONE, &o->never_expire,
      N_("006 kinds: the privileges never expire (stored as 0)"), NULL },
    { "issue-ts", 0, 0, G_OPTION_ARG_STRING, &o->issue_ts,
      N_("Issue time (unix seconds) instead of now, for reproducible builds"), N_("SECONDS") },
    { "ts", 0, 0, G_OPTION_ARG_STRING, &o->ts,
      N_("006 kinds: the token's ts field (default: 24 h after the issue time)"),
      N_("SECONDS") },
    { "salt", 0, 0, G_OPTION_ARG_STRING, &o->salt,
      N_("Salt instead of a random one, for reproducible builds"), N_("N") },
    { NULL }
  };
  g_autofree char *description = describe_kinds ();
  GOptionContext *context;

  context = ak_cli_option_context_new ("build", N_("KIND | --spec FILE"),
                                       N_("Build an Agora access token and print it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context, description);
  return context;
}

char *
ak_cli_build_help (void)
{
  BuildOptions options = { 0 };
  GOptionContext *context = build_option_context_new (&options);
  char *help = g_option_context_get_help (context, TRUE, NULL);

  g_option_context_free (context);
  return help;
}

static const BuildKind *
find_kind (const char *name)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, name))
      return &kinds[i];
  return NULL;
}

static const char *
pick_input (const BuildContext *ctx,
            const char * const *candidates)
{
  for (; *candidates != NULL; candidates++)
    if (g_strv_contains (ctx->names, *candidates))
      return *candidates;
  return NULL;
}

static gboolean
has_input (const BuildContext *ctx,
           const char *name)
{
  return g_strv_contains (ctx->names, name);
}

static gboolean
not_applicable (const BuildContext *ctx,
                const char *flag,
                GError **error)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s does not apply to “build %s”"), flag, ctx->kind->name);
  return FALSE;
}

/* A flag that fills no input of the chosen builder is reported, not ignored: a typo in
 * the kind would otherwise build a token without what the user asked for. */
static gboolean
apply_string (BuildContext *ctx,
              const char *flag,
              const char *value,
              const char * const *candidates,
              GError **error)
{
  const char *key;

  if (value == NULL)
    return TRUE;

  key = pick_input (ctx, candidates);
  if (key == NULL)
    return not_applicable (ctx, flag, error);

  json_object_set_string_member (ctx->inputs, key, value);
  return TRUE;
}

static gboolean
apply_number (BuildContext *ctx,
              const char *flag,
              gboolean given,
              gint64 value,
              const char * const *candidates,
              GError **error)
{
  const char *key = pick_input (ctx, candidates);

  if (key == NULL)
    return given ? not_applicable (ctx, flag, error) : TRUE;

  json_object_set_int_member (ctx->inputs, key, value);
  return TRUE;
}

static gboolean
parse_duration (const char *flag,
                const char *text,
                guint32 fallback,
                guint32 *seconds,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (text == NULL)
    {
      *seconds = fallback;
      return TRUE;
    }

  if (!ak_duration_parse (text, seconds, &local_error))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: %s", flag, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_duration (BuildContext *ctx,
                const char *flag,
                const char *text,
                guint32 fallback,
                guint32 *seconds,
                const char * const *candidates,
                GError **error)
{
  guint32 value;

  if (!parse_duration (flag, text, fallback, &value, error))
    return FALSE;
  if (seconds != NULL)
    *seconds = value;
  return apply_number (ctx, flag, text != NULL, value, candidates, error);
}

static gboolean
parse_permission_part (const char *text,
                       gboolean is_resource,
                       guint16 *value)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT16, &number, NULL))
    {
      *value = (guint16) number;
      return TRUE;
    }
  if (is_resource)
    return ak_rtm_resource_type_from_name (text, value);
  return ak_rtm_permission_type_from_name (text, value);
}

/* Builds {"<resource type>": {"<permission type>": ["name", …]}}, with numeric keys so that
 * "0" and "messageChannels" given on two flags end up in one list. */
static JsonNode *
permissions_to_json (char **specs,
                     GError **error)
{
  g_autoptr(JsonObject) by_resource = json_object_new ();
  char **spec;

  for (spec = specs; *spec != NULL; spec++)
    {
      g_auto(GStrv) parts = g_strsplit (*spec, ":", 3);
      g_autofree char *resource_key = NULL;
      g_autofree char *permission_key = NULL;
      JsonObject *by_permission;
      JsonArray *names;
      guint16 resource;
      guint16 permission;

      if (g_strv_length (parts) != 3 || parts[2][0] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--permission expects RESOURCE:PERMISSION:NAME, for example "
                         "messageChannels:read:chan-a, not “%s”"), *spec);
          return NULL;
        }
      if (!parse_permission_part (parts[0], TRUE, &resource))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Unknown RTM resource type “%s”: use messageChannels, "
                         "streamChannels, groupChannels, serverGroups, users or a number"),
                       parts[0]);
          return NULL;
        }
      if (!parse_permission_part (parts[1], FALSE, &permission))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Unknown RTM permission “%s”: use read, write or a number"),
                       parts[1]);
          return NULL;
        }

      resource_key = g_strdup_printf ("%u", resource);
      permission_key = g_strdup_printf ("%u", permission);
      if (!json_object_has_member (by_resource, resource_key))
        json_object_set_object_member (by_resource, resource_key, json_object_new ());
      by_permission = json_object_get_object_member (by_resource, resource_key);
      if (!json_object_has_member (by_permission, permission_key))
        json_object_set_array_member (by_permission, permission_key, json_array_new ());
      names = json_object_get_array_member (by_permission, permission_key);
      json_array_add_string_element (names, parts[2]);
    }

  return json_node_init_object (json_node_alloc (), by_resource);
}

static gboolean
apply_identity (BuildContext *ctx,
                const BuildOptions *o,
                GError **error)
{
  const char *kind = ctx->kind->name;

  switch (ctx->kind->identity)
    {
    case IDENTITY_UID_OR_ACCOUNT:
      if ((o->uid == NULL) == (o->account == NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“build %s” needs exactly one of --uid (an integer user ID) and "
                         "--account (a string user account)"), kind);
          return FALSE;
        }
      break;
    case IDENTITY_ACCOUNT:
      if (o->uid != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“build %s” takes a string user account (--account), not --uid"),
                       kind);
          return FALSE;
        }
      break;
    case IDENTITY_NONE:
    default:
      break;
    }

  if (o->uid != NULL)
    {
      guint32 uid;

      if (!ak_cli_parse_u32 ("--uid", o->uid, &uid, error)
          || !apply_number (ctx, "--uid", TRUE, uid, INPUTS ("uid"), error))
        return FALSE;
    }

  return apply_string (ctx, "--account", o->account, INPUTS ("account", "rtc_account"), error);
}

static gboolean
apply_roles (BuildContext *ctx,
             const BuildOptions *o,
             GError **error)
{
  if (ctx->kind->apaas)
    {
      gint64 role;

      if (o->role != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--role does not apply to “build %s”; use --apaas-role N"),
                       ctx->kind->name);
          return FALSE;
        }
      if (o->apaas_role == NULL)
        {
          if (has_input (ctx, "role"))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("“build %s” needs %s"), ctx->kind->name, "--apaas-role");
              return FALSE;
            }
          return TRUE;
        }
      if (!g_ascii_string_to_signed (o->apaas_role, 10, G_MININT16, G_MAXINT16, &role, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--apaas-role expects a whole number from -32768 to 32767, not “%s”"),
                       o->apaas_role);
          return FALSE;
        }
      return apply_number (ctx, "--apaas-role", TRUE, role, INPUTS ("role"), error);
    }
  else
    {
      gint64 role = AK_RTC_ROLE_PUBLISHER;

      if (o->apaas_role != NULL)
        return not_applicable (ctx, "--apaas-role", error);

      if (o->role != NULL)
        {
          if (g_ascii_strcasecmp (o->role, "publisher") == 0)
            role = AK_RTC_ROLE_PUBLISHER;
          else if (g_ascii_strcasecmp (o->role, "subscriber") == 0)
            role = AK_RTC_ROLE_SUBSCRIBER;
          else
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--role expects publisher or subscriber, not “%s”"), o->role);
              return FALSE;
            }
        }
      return apply_number (ctx, "--role", o->role != NULL, role, INPUTS ("role", "rtc_role"),
                           error);
    }
}

static gboolean
apply_times_007 (BuildContext *ctx,
                 const BuildOptions *o,
                 GError **error)
{
  guint32 expire;
  guint32 privilege;
  guint32 value;

  if (o->never_expire)
    return not_applicable (ctx, "--never-expire", error);
  if (o->ts != NULL)
    return not_applicable (ctx, "--ts", error);

  if (o->issue_ts != NULL)
    {
      if (!ak_cli_parse_u32 ("--issue-ts", o->issue_ts, &value, error)
          || !apply_number (ctx, "--issue-ts", TRUE, value, INPUTS ("issue_ts"), error))
        return FALSE;
    }

  if (!apply_duration (ctx, "--expire", o->expire, DEFAULT_EXPIRE, &expire,
                       INPUTS ("token_expire", "rtc_token_expire", "expire"), error))
    return FALSE;

  /* With per-privilege expiries, --privilege-expire is only their common default. */
  if (!parse_duration ("--privilege-expire", o->privilege_expire, expire, &privilege, error)
      || !apply_number (ctx, "--privilege-expire",
                        o->privilege_expire != NULL
                        && !has_input (ctx, "join_channel_privilege_expire"),
                        privilege, INPUTS ("privilege_expire"), error))
    return FALSE;

  return apply_duration (ctx, "--join-expire", o->join_expire, privilege, NULL,
                         INPUTS ("join_channel_privilege_expire"), error)
      && apply_duration (ctx, "--audio-expire", o->audio_expire, privilege, NULL,
                         INPUTS ("pub_audio_privilege_expire"), error)
      && apply_duration (ctx, "--video-expire", o->video_expire, privilege, NULL,
                         INPUTS ("pub_video_privilege_expire"), error)
      && apply_duration (ctx, "--data-expire", o->data_expire, privilege, NULL,
                         INPUTS ("pub_data_stream_privilege_expire"), error)
      && apply_duration (ctx, "--rtm-expire", o->rtm_expire, expire, NULL,
                         INPUTS ("rtm_token_expire"), error);
}

/* 006 stores absolute times: the privilege expiry is "now" plus --expire, and "now" is
 * --issue-ts when given so that a build can be repeated byte for byte. */
static gboolean
apply_times_006 (BuildContext *ctx,
                 const BuildOptions *o,
                 GError **error)
{
  const struct
  {
    const char *flag;
    const char *value;
  } only_007[] = {
    { "--privilege-expire", o->privilege_expire },
    { "--join-expire", o->join_expire },
    { "--audio-expire", o->audio_expire },
    { "--video-expire", o->video_expire },
    { "--data-expire", o->data_expire },
    { "--rtm-expire", o->rtm_expire },
  };
  guint64 now;
  guint64 privilege_expire_ts = 0;
  guint32 value;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (only_007); i++)
    if (only_007[i].value != NULL)
      return not_applicable (ctx, only_007[i].flag, error);

  if (o->never_expire && o->expire != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give either --expire or --never-expire, not both"));
      return FALSE;
    }

  if (o->issue_ts != NULL)
    {
      if (!ak_cli_parse_u32 ("--issue-ts", o->issue_ts, &value, error))
        return FALSE;
      now = value;
    }
  else
    now = (guint64) (g_get_real_time () / G_USEC_PER_SEC);

  if (!o->never_expire)
    {
      if (!parse_duration ("--expire", o->expire, DEFAULT_EXPIRE, &value, error))
        return FALSE;
      privilege_expire_ts = now + value;
      if (privilege_expire_ts > G_MAXUINT32)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The privileges would expire after the year 2106, "
                         "which a 006 token cannot store; choose a shorter --expire"));
          return FALSE;
        }
    }
  if (!apply_number (ctx, "--expire", o->expire != NULL || o->never_expire,
                     (gint64) privilege_expire_ts, INPUTS ("privilege_expire_ts"), error))
    return FALSE;

  if (o->ts != NULL)
    {
      if (!ak_cli_parse_u32 ("--ts", o->ts, &value, error))
        return FALSE;
      return apply_number (ctx, "--ts", TRUE, value, INPUTS ("ts"), error);
    }
  if (o->issue_ts != NULL)
    {
      guint64 ts = now + TOKEN_006_LIFETIME;

      return apply_number (ctx, "--issue-ts", FALSE, (gint64) MIN (ts, G_MAXUINT32),
                           INPUTS ("ts"), error);
    }
  return TRUE;
}

static gboolean
fill_inputs (BuildContext *ctx,
             const BuildOptions *o,
             GError **error)
{
  gsize i;

  if (o->app_id == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“build %s” needs %s"), ctx->kind->name, "--app-id");
      return FALSE;
    }
  json_object_set_string_member (ctx->inputs, "app_id", o->app_id);

  if (!apply_identity (ctx, o, error)
      || !apply_string (ctx, "--channel", o->channel, INPUTS ("channel_name"), error)
      || !apply_string (ctx, "--user-id", o->user_id, INPUTS ("user_id", "user_account"), error)
      || !apply_string (ctx, "--rtm-user-id", o->rtm_user_id, INPUTS ("rtm_user_id"), error)
      || !apply_string (ctx, "--room-uuid", o->room_uuid, INPUTS ("room_uuid"), error)
      || !apply_string (ctx, "--user-uuid", o->user_uuid, INPUTS ("user_uuid"), error)
      || !apply_roles (ctx, o, error))
    return FALSE;

  if (o->permissions != NULL)
    {
      JsonNode *permissions;

      if (!has_input (ctx, "permissions"))
        return not_applicable (ctx, "--permission", error);
      permissions = permissions_to_json (o->permissions, error);
      if (permissions == NULL)
        return FALSE;
      json_object_set_member (ctx->inputs, "permissions", permissions);
    }

  if (o->salt != NULL)
    {
      guint32 salt;

      if (!ak_cli_parse_u32 ("--salt", o->salt, &salt, error)
          || !apply_number (ctx, "--salt", TRUE, salt, INPUTS ("salt"), error))
        return FALSE;
    }

  if (ak_builder_is_006 (ctx->builder))
    {
      if (!apply_times_006 (ctx, o, error))
        return FALSE;
    }
  else if (!apply_times_007 (ctx, o, error))
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (required_inputs); i++)
    if (has_input (ctx, required_inputs[i].input)
        && !json_object_has_member (ctx->inputs, required_inputs[i].input))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("“build %s” needs %s"), ctx->kind->name, required_inputs[i].flag);
        return FALSE;
      }

  return TRUE;
}

/* json-glib hands out its own copy of the string; wiping it in place is the only way to
 * clear the certificate from the inputs object before it is freed. */
static void
wipe_certificate_input (JsonObject *inputs)
{
  JsonNode *node;

  if (inputs == NULL)
    return;
  node = json_object_get_member (inputs, "app_certificate");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    ak_cli_wipe_string ((char *) json_node_get_string (node));
}

static int
print_result (const AkBuildResult *result)
{
  GPtrArray *warnings = ak_build_result_get_warnings (result);
  guint i;

  for (i = 0; warnings != NULL && i < warnings->len; i++)
    {
      const AkWarning *warning = g_ptr_array_index (warnings, i);

      fprintf (stderr, _("warning: %s\n"), warning->message);
    }

  printf ("%s\n", ak_build_result_get_token (result));
  return fflush (stdout) == 0 ? AK_CLI_EXIT_OK : AK_CLI_EXIT_INVALID;
}

static int
build_from_kind (const BuildOptions *o,
                 const char *kind_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(AkCliSecret) certificate = NULL;
  g_autoptr(AkBuildResult) result = NULL;
  BuildContext ctx = { 0 };

  ctx.kind = find_kind (kind_name);
  if (ctx.kind == NULL)
    return ak_cli_usage_error ("build", _("Unknown kind “%s”"), kind_name);

  ctx.builder = ctx.kind->identity == IDENTITY_UID_OR_ACCOUNT && o->account != NULL
                ? ctx.kind->account_builder : ctx.kind->uid_builder;
  ctx.names = ak_builder_get_input_names (ctx.builder);
  ctx.inputs = inputs;

  if (!fill_inputs (&ctx, o, &error))
    {
      if (error->domain == G_OPTION_ERROR)
        return ak_cli_usage_error ("build", "%s", error->message);
      return ak_cli_report_error ("build", error);
    }

  /* Asked for last, so that nobody types a certificate only to learn of a typo. */
  certificate = ak_cli_secret_obtain (o->certificate_file, o->certificate,
                                      AK_CLI_SECRET_REQUIRED, &error);
  if (certificate == NULL)
    return ak_cli_report_error ("build", error);

  json_object_set_string_member (inputs, "app_certificate", certificate);
  result = ak_build_token (ctx.builder, inputs, &error);
  wipe_certificate_input (inputs);
  if (result == NULL)
    return ak_cli_report_error ("build", error);

  return print_result (result);
}

static const char *
first_flag_besides_spec (const BuildOptions *o)
{
  const struct
  {
    const char *flag;
    gboolean given;
  } flags[] = {
    { "--app-id", o->app_id != NULL },
    { "--channel", o->channel != NULL },
    { "--uid", o->uid != NULL },
    { "--account", o->account != NULL },
    { "--role", o->role != NULL },
    { "--expire", o->expire != NULL },
    { "--privilege-expire", o->privilege_expire != NULL },
    { "--join-expire", o->join_expire != NULL },
    { "--audio-expire", o->audio_expire != NULL },
    { "--video-expire", o->video_expire != NULL },
    { "--data-expire", o->data_expire != NULL },
    { "--user-id", o->user_id != NULL },
    { "--rtm-user-id", o->rtm_user_id != NULL },
    { "--rtm-expire", o->rtm_expire != NULL },
    { "--room-uuid", o->room_uuid != NULL },
    { "--user-uuid", o->user_uuid != NULL },
    { "--apaas-role", o->apaas_role != NULL },
    { "--permission", o->permissions != NULL },
    { "--never-expire", o->never_expire },
    { "--issue-ts", o->issue_ts != NULL },
    { "--ts", o->ts != NULL },
    { "--salt", o->salt != NULL },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (flags); i++)
    if (flags[i].given)
      return flags[i].flag;
  return NULL;
}

static int
build_from_spec (const BuildOptions *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) spec = NULL;
  g_autoptr(AkBuildResult) result = NULL;
  const char *source = g_str_equal (o->spec, "-") ? _("standard input") : o->spec;
  const char *stray_flag = first_flag_besides_spec (o);
  JsonObject *inputs = NULL;
  char *text;
  gsize length = 0;
  gboolean parsed;

  if (stray_flag != NULL)
    return ak_cli_usage_error ("build", _("%s cannot be combined with --spec; put it in the "
                                          "spec’s inputs"), stray_flag);

  text = ak_cli_read_input (o->spec, MAX_SPEC_LENGTH, &length, &error);
  if (text == NULL)
    return ak_cli_report_error ("build", error);

  if (!ak_rest_json_is_one_value (text, length))
    {
      ak_cli_wipe (text, length);
      g_free (text);
      ak_cli_print_error (_("The spec in %s must be one JSON object, and nothing after it."),
                          source);
      return AK_CLI_EXIT_INVALID;
    }
  parsed = json_parser_load_from_data (parser, text, (gssize) length, &error);
  ak_cli_wipe (text, length);
  g_free (text);
  if (!parsed)
    {
      ak_cli_print_error (_("The spec in %s is not valid JSON: %s"), source, error->message);
      return AK_CLI_EXIT_INVALID;
    }

  spec = json_parser_steal_root (parser);
  if (spec == NULL || !JSON_NODE_HOLDS_OBJECT (spec))
    {
      ak_cli_print_error (_("The spec in %s must be a JSON object "
                            "{\"builder\": NAME, \"inputs\": {…}}"), source);
      return AK_CLI_EXIT_INVALID;
    }

  {
    JsonObject *root = json_node_get_object (spec);
    JsonNode *inputs_node = json_object_get_member (root, "inputs");

    if (inputs_node != NULL && JSON_NODE_HOLDS_OBJECT (inputs_node))
      inputs = json_node_get_object (inputs_node);
  }

  /* Flags beat the spec, and the spec beats the environment. */
  if (inputs != NULL
      && (o->certificate_file != NULL || o->certificate != NULL
          || !json_object_has_member (inputs, "app_certificate")))
    {
      g_autoptr(AkCliSecret) certificate = NULL;

      wipe_certificate_input (inputs);
      certificate = ak_cli_secret_obtain (o->certificate_file, o->certificate,
                                          AK_CLI_SECRET_REQUIRED, &error);
      if (certificate == NULL)
        return ak_cli_report_error ("build", error);
      json_object_set_string_member (inputs, "app_certificate", certificate);
    }

  result = ak_build_token_from_spec (spec, &error);
  wipe_certificate_input (inputs);
  if (result == NULL)
    return ak_cli_report_error ("build", error);

  return print_result (result);
}

int
ak_cli_build (int argc,
              char **argv)
{
  g_auto(BuildOptions) options = { 0 };
  g_autoptr(GOptionContext) context = build_option_context_new (&options);
  g_autofree char **snapshot = ak_cli_argv_snapshot (argc, argv);
  int status;

  if (!ak_cli_parse_options (context, "build", &argc, &argv, &status))
    {
      ak_cli_scrub_secret_argv (snapshot);
      return status;
    }
  ak_cli_scrub_secret_argv (snapshot);

  if (options.secondary && options.project == NULL)
    return ak_cli_usage_error ("build", _("--secondary goes with --project LABEL"));
  if (options.project != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (options.spec != NULL || options.app_id != NULL || options.certificate_file != NULL
          || options.certificate != NULL)
        return ak_cli_usage_error ("build", _("--project takes the App ID and certificate from "
                                              "the keyring: give neither --spec, --app-id nor "
                                              "a certificate with it"));
      /* Into the --app-certificate slot, which is wiped when the options are cleared. */
      if (!ak_cli_credential_fetch_project (options.project, options.secondary,
                                            &options.app_id, &options.certificate, &error))
        return ak_cli_report_error ("build", error);
    }

  if (options.spec != NULL)
    {
      if (argc > 1)
        return ak_cli_usage_error ("build", _("Give either a KIND or --spec, not both"));
      return build_from_spec (&options);
    }

  if (argc < 2)
    return ak_cli_usage_error ("build", _("Say what to build: a KIND or --spec FILE"));
  if (argc > 2)
    return ak_cli_usage_error ("build", _("Unexpected argument “%s”"), argv[2]);

  return build_from_kind (&options, argv[1]);
}
