/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-cli.h"
#include "ak-token-request.h"

#define MAX_SPEC_LENGTH (1024 * 1024)

/* The kind flags fill an AkTokenRequestText, which core reads with the same rules as a spec
 * that names a kind: this file only parses arguments and prints. */
typedef struct
{
  char *spec;
  char *certificate_file;
  char *certificate;
  char *project;
  gboolean secondary;
  AkTokenRequestText text;
} BuildOptions;

/* The help's order and words, which name the flags; what each kind builds is core's. */
static const struct
{
  AkTokenKind kind;
  const char *summary;
} kind_help[] = {
  { AK_TOKEN_KIND_RTC, N_("RTC: join the channel, and publish unless --role subscriber") },
  { AK_TOKEN_KIND_RTC_PRIVILEGES,
    N_("RTC with one expiry per privilege (--join-expire, --audio-expire, …)") },
  { AK_TOKEN_KIND_RTC_RTM, N_("RTC and RTM in one token; the RTM login lasts --expire") },
  { AK_TOKEN_KIND_RTC_RTM2, N_("RTC with per-privilege expiries, and RTM for --rtm-user-id") },
  { AK_TOKEN_KIND_CONVOAI,
    N_("Conversational AI agent: RTC for --uid or --account, RTM for --rtm-user-id, and "
       "the ConvoAI service") },
  { AK_TOKEN_KIND_STT,
    N_("Real-time STT agent: RTC for --uid or --account, RTM for --rtm-user-id, and the "
       "STT service") },
  { AK_TOKEN_KIND_RTM, N_("RTM (Signaling) login for --user-id") },
  { AK_TOKEN_KIND_RTM_PERMISSIONS, N_("RTM login with resource permissions (--permission)") },
  { AK_TOKEN_KIND_RTM_STREAM,
    N_("RTM login for --user-id, and joining --channel to send data streams there (the "
       "token server's RTM token with a channel)") },
  { AK_TOKEN_KIND_CHAT_USER, N_("Chat user token for --user-id") },
  { AK_TOKEN_KIND_CHAT_APP, N_("Chat app token") },
  { AK_TOKEN_KIND_FPA, N_("FPA login; the official builder fixes its expiry at 24 h") },
  { AK_TOKEN_KIND_APAAS_ROOM_USER,
    N_("Flexible Classroom user in a room (--room-uuid, --user-uuid, --apaas-role)") },
  { AK_TOKEN_KIND_APAAS_USER, N_("Flexible Classroom user (--user-uuid)") },
  { AK_TOKEN_KIND_APAAS_APP, N_("Flexible Classroom app token") },
  { AK_TOKEN_KIND_RTC006, N_("Legacy 006 RTC token") },
  { AK_TOKEN_KIND_RTM006, N_("Legacy 006 RTM token for --user-id") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_help) == AK_N_TOKEN_KINDS);

static void
build_options_clear (BuildOptions *options)
{
  ak_secret_wipe_string (options->certificate);
  g_clear_pointer (&options->spec, g_free);
  g_clear_pointer (&options->certificate_file, g_free);
  g_clear_pointer (&options->certificate, g_free);
  g_clear_pointer (&options->project, g_free);
  ak_token_request_text_clear (&options->text);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BuildOptions, build_options_clear)

static char *
describe_kinds (void)
{
  GString *text = g_string_new (NULL);
  gsize i;
  int builder;

  g_string_append_printf (text, "%s\n", _("Kinds:"));
  for (i = 0; i < G_N_ELEMENTS (kind_help); i++)
    g_string_append_printf (text, "  %-20s %s\n", ak_token_kind_get_name (kind_help[i].kind),
                            _(kind_help[i].summary));
  for (i = 0; i < G_N_ELEMENTS (kind_help); i++)
    {
      const char * const *aliases = ak_token_kind_get_aliases (kind_help[i].kind);

      for (; *aliases != NULL; aliases++)
        {
          g_autofree char *same =
            /* Translators: %s is a kind name such as apaas-app */
            g_strdup_printf (_("Same token as %s"), ak_token_kind_get_name (kind_help[i].kind));

          g_string_append_printf (text, "  %-20s %s\n", *aliases, same);
        }
    }

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
      "expired. Durations are seconds or a number with s, m, h, d or w, like 30m, 12h, 1d or "
      "1h30m. --uid and --account are never guessed from each other: uid 0 (any user) and "
      "account \"0\" make different tokens. Kinds, defaults and errors are the same as in "
      "the window's Generate form and behind the token server."));
  g_string_append_printf (text, "%s\n",
    _("A spec names a builder and its inputs, as in the official Python API, for example:"));
  g_string_append (text,
    "  {\"builder\": \"rtc_uid\", \"inputs\": {\"app_id\": \"…\", \"channel_name\": \"demo\",\n"
    "   \"uid\": 42, \"role\": 1, \"token_expire\": 3600, \"privilege_expire\": 3600}}\n");
  g_string_append_printf (text, "%s\n\n",
    _("When the inputs have no app_certificate, it is read as above; "
      "--app-certificate-file and --app-certificate take precedence over the spec."));
  g_string_append_printf (text, "%s\n",
    _("Or a spec names a kind, with the flags' names without “--” as members and the same "
      "rules as the flags, for example:"));
  g_string_append (text,
    "  {\"kind\": \"rtc\", \"app-id\": \"…\", \"channel\": \"demo\", \"uid\": 42,\n"
    "   \"role\": \"subscriber\", \"expire\": \"12h\", \"permission\": [\"…\"]}\n\n");
  g_string_append_printf (text, "%s\n",
    _("The token is printed on standard output; warnings (e.g. a channel name over 64 bytes) "
      "go to standard error and do not stop the build."));

  return g_string_free (text, FALSE);
}

static GOptionContext *
build_option_context_new (BuildOptions *o)
{
  AkTokenRequestText *t = &o->text;
  const GOptionEntry entries[] = {
    { "spec", 0, 0, G_OPTION_ARG_FILENAME, &o->spec,
      N_("Build from a JSON spec {\"builder\": NAME, \"inputs\": {…}} or {\"kind\": KIND, …}; "
         "“-” reads standard input"),
      N_("FILE") },
    { "app-id", 0, 0, G_OPTION_ARG_STRING, &t->app_id,
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
    { "channel", 0, 0, G_OPTION_ARG_STRING, &t->channel, N_("Channel name"), N_("NAME") },
    { "uid", 0, 0, G_OPTION_ARG_STRING, &t->uid,
      N_("Integer user ID, 0 to 4294967295 (0 lets any user join)"), N_("N") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &t->account,
      N_("String user account, used as given"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &t->role,
      N_("publisher (default) or subscriber; a subscriber is kept from publishing only when "
         "the project enables strict token permission"), "publisher|subscriber" },
    { "expire", 0, 0, G_OPTION_ARG_STRING, &t->expire,
      N_("Token lifetime (default 3600). For 006 kinds: the privileges expire this long "
         "after the issue time"), N_("DURATION") },
    { "privilege-expire", 0, 0, G_OPTION_ARG_STRING, &t->privilege_expire,
      N_("Privilege lifetime (default: the token lifetime, not the official 0 that looks "
         "expired)"), N_("DURATION") },
    { "join-expire", 0, 0, G_OPTION_ARG_STRING, &t->join_expire,
      N_("Join-channel privilege lifetime (default: --privilege-expire)"), N_("DURATION") },
    { "audio-expire", 0, 0, G_OPTION_ARG_STRING, &t->audio_expire,
      N_("Publish-audio privilege lifetime (default: --privilege-expire)"), N_("DURATION") },
    { "video-expire", 0, 0, G_OPTION_ARG_STRING, &t->video_expire,
      N_("Publish-video privilege lifetime (default: --privilege-expire)"), N_("DURATION") },
    { "data-expire", 0, 0, G_OPTION_ARG_STRING, &t->data_expire,
      N_("Publish-data-stream privilege lifetime (default: --privilege-expire)"),
      N_("DURATION") },
    { "user-id", 0, 0, G_OPTION_ARG_STRING, &t->user_id,
      N_("User ID of RTM, Chat and rtm006 tokens"), N_("ID") },
    { "rtm-user-id", 0, 0, G_OPTION_ARG_STRING, &t->rtm_user_id,
      N_("RTM user ID of rtc-rtm2, convoai and stt tokens"), N_("ID") },
    { "rtm-expire", 0, 0, G_OPTION_ARG_STRING, &t->rtm_expire,
      N_("RTM login lifetime of rtc-rtm2, convoai and stt tokens (default: --expire)"),
      N_("DURATION") },
    { "room-uuid", 0, 0, G_OPTION_ARG_STRING, &t->room_uuid,
      N_("Flexible Classroom room UUID"), N_("UUID") },
    { "user-uuid", 0, 0, G_OPTION_ARG_STRING, &t->user_uuid,
      N_("Flexible Classroom user UUID"), N_("UUID") },
    { "apaas-role", 0, 0, G_OPTION_ARG_STRING, &t->apaas_role,
      N_("Flexible Classroom role number"), N_("N") },
    { "permission", 0, 0, G_OPTION_ARG_STRING_ARRAY, &t->permissions,
      N_("RTM permissions, repeatable: RESOURCE:PERMISSION:NAME, several separated by commas, "
         "e.g. messageChannels:read:chan-a or 0:0:chan-a"), N_("R:P:NAME") },
    { "never-expire", 0, 0, G_OPTION_ARG_NONE, &t->never_expire,
      N_("006 kinds: the privileges never expire (stored as 0)"), NULL },
    { "issue-ts", 0, 0, G_OPTION_ARG_STRING, &t->issue_ts,
      N_("Issue time (unix seconds) instead of now, for reproducible builds"), N_("SECONDS") },
    { "ts", 0, 0, G_OPTION_ARG_STRING, &t->ts,
      N_("006 kinds: the token's ts field (default: 24 h after the issue time)"),
      N_("SECONDS") },
    { "salt", 0, 0, G_OPTION_ARG_STRING, &t->salt,
      N_("Salt instead of a random one, for reproducible builds"), N_("N") },
    { NULL }
  };
  g_autofree char *description = describe_kinds ();
  GOptionContext *context;

  context = ak_cli_option_context_new_with_entries ("build", N_("KIND | --spec FILE"),
                                                    N_("Build an Agora access token and print "
                                                       "it."),
                                                    entries);
  g_option_context_set_description (context, description);
  return context;
}

char *
ak_cli_build_help (void)
{
  g_auto(BuildOptions) options = { 0 };

  return ak_cli_option_context_free_to_help (build_option_context_new (&options));
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
    ak_secret_wipe_string ((char *) json_node_get_string (node));
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

/* Builds @request with the certificate from the flags, the environment or the terminal,
 * asked for last so that nobody types a certificate only to learn of a typo. */
static int
build_request (const BuildOptions *o,
               AkTokenRequest     *request,
               const char         *spec_certificate)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkCliSecret) certificate = NULL;
  g_autoptr(AkBuildResult) result = NULL;

  if (spec_certificate == NULL || o->certificate_file != NULL || o->certificate != NULL)
    {
      certificate = ak_cli_secret_obtain (o->certificate_file, o->certificate,
                                          AK_CLI_SECRET_REQUIRED, &error);
      if (certificate == NULL)
        return ak_cli_report_error ("build", error);
    }
  request->app_certificate = certificate != NULL ? certificate : spec_certificate;
  result = ak_token_request_build (request, &error);
  if (result == NULL)
    return ak_cli_report_error ("build", error);

  return print_result (result);
}

static int
build_from_kind (BuildOptions *o,
                 const char   *kind_name)
{
  g_autoptr(GError) error = NULL;
  AkTokenRequest request;

  g_free (o->text.kind);
  o->text.kind = g_strdup (kind_name);
  if (!ak_token_request_parse (&o->text, "--", &request, &error))
    return ak_cli_usage_error ("build", "%s", error->message);
  return build_request (o, &request, NULL);
}

static const char *
first_flag_besides_spec (const BuildOptions *o)
{
  const struct
  {
    const char *flag;
    gboolean given;
  } flags[] = {
    { "--app-id", o->text.app_id != NULL },
    { "--channel", o->text.channel != NULL },
    { "--uid", o->text.uid != NULL },
    { "--account", o->text.account != NULL },
    { "--role", o->text.role != NULL },
    { "--expire", o->text.expire != NULL },
    { "--privilege-expire", o->text.privilege_expire != NULL },
    { "--join-expire", o->text.join_expire != NULL },
    { "--audio-expire", o->text.audio_expire != NULL },
    { "--video-expire", o->text.video_expire != NULL },
    { "--data-expire", o->text.data_expire != NULL },
    { "--user-id", o->text.user_id != NULL },
    { "--rtm-user-id", o->text.rtm_user_id != NULL },
    { "--rtm-expire", o->text.rtm_expire != NULL },
    { "--room-uuid", o->text.room_uuid != NULL },
    { "--user-uuid", o->text.user_uuid != NULL },
    { "--apaas-role", o->text.apaas_role != NULL },
    { "--permission", o->text.permissions != NULL },
    { "--never-expire", o->text.never_expire },
    { "--issue-ts", o->text.issue_ts != NULL },
    { "--ts", o->text.ts != NULL },
    { "--salt", o->text.salt != NULL },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (flags); i++)
    if (flags[i].given)
      return flags[i].flag;
  return NULL;
}

/* A copy of @object's members, by reference: the parsed tree is sealed, and the certificate
 * from the flags or the environment goes into the spec's inputs. */
static JsonObject *
object_copy_shallow (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (copy, name, json_node_ref (member));
  return copy;
}

static JsonNode *
spec_with_own_inputs (JsonNode    *parsed,
                      JsonObject **inputs)
{
  JsonObject *root = object_copy_shallow (json_node_get_object (parsed));
  JsonNode *inputs_node = json_object_get_member (root, "inputs");
  JsonNode *spec = json_node_new (JSON_NODE_OBJECT);

  *inputs = NULL;
  if (inputs_node != NULL && JSON_NODE_HOLDS_OBJECT (inputs_node))
    {
      *inputs = object_copy_shallow (json_node_get_object (inputs_node));
      json_object_set_object_member (root, "inputs", *inputs);
    }
  json_node_take_object (spec, root);
  return spec;
}

/* A spec that names a kind is read by the same rules as the flags; its members are the
 * flags' names. Errors are in the spec, so they exit 1 like a builder spec's. */
static int
build_from_kind_spec (const BuildOptions *o,
                      const char         *source,
                      JsonObject         *root)
{
  g_autoptr(GError) error = NULL;
  g_auto(AkTokenRequestText) text = { 0 };
  JsonNode *certificate = json_object_get_member (root, "app-certificate");
  AkTokenRequest request;
  int status;

  if (json_object_has_member (root, "builder"))
    {
      ak_cli_print_error (_("The spec in %s names both a kind and a builder: keep one."),
                          source);
      return AK_CLI_EXIT_INVALID;
    }
  if (certificate != NULL
      && (!JSON_NODE_HOLDS_VALUE (certificate)
          || json_node_get_value_type (certificate) != G_TYPE_STRING))
    {
      ak_cli_print_error (_("The spec in %s cannot be used: “%s” must be a string."), source,
                          "app-certificate");
      return AK_CLI_EXIT_INVALID;
    }
  if (!ak_token_request_text_set_from_json (&text, root, &error)
      || !ak_token_request_parse (&text, "", &request, &error))
    {
      ak_cli_print_error (_("The spec in %s cannot be used: %s"), source, error->message);
      return AK_CLI_EXIT_INVALID;
    }

  /* Flags beat the spec, and the spec beats the environment. */
  status = build_request (o, &request,
                          certificate != NULL ? json_node_get_string (certificate) : NULL);
  if (certificate != NULL)
    ak_secret_wipe_string ((char *) json_node_get_string (certificate));
  return status;
}

static int
build_from_spec (const BuildOptions *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) spec = NULL;
  g_autoptr(AkBuildResult) result = NULL;
  const char *source = g_str_equal (o->spec, "-") ? _("standard input") : o->spec;
  const char *stray_flag = first_flag_besides_spec (o);
  JsonObject *inputs = NULL;
  char *text;
  gsize length = 0;

  if (stray_flag != NULL)
    return ak_cli_usage_error ("build", _("%s cannot be combined with --spec; put it in the "
                                          "spec’s inputs"), stray_flag);

  text = ak_cli_read_input (o->spec, MAX_SPEC_LENGTH, &length, &error);
  if (text == NULL)
    return ak_cli_report_error ("build", error);

  /* Outside JSON: deep nesting, NUL bytes or "\u0000" escapes, invalid UTF-8, lone
   * surrogates and a second value are refused here, not cut short or crashed on. */
  parsed = ak_json_parse_untrusted (text, length, &error);
  ak_secret_wipe (text, length);
  g_free (text);
  if (parsed == NULL)
    {
      ak_cli_print_error (_("The spec in %s cannot be used: %s"), source, error->message);
      return AK_CLI_EXIT_INVALID;
    }

  if (!JSON_NODE_HOLDS_OBJECT (parsed))
    {
      ak_cli_print_error (_("The spec in %s must be a JSON object "
                            "{\"builder\": NAME, \"inputs\": {…}}"), source);
      return AK_CLI_EXIT_INVALID;
    }
  if (json_object_has_member (json_node_get_object (parsed), "kind"))
    return build_from_kind_spec (o, source, json_node_get_object (parsed));
  spec = spec_with_own_inputs (parsed, &inputs);

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

      if (options.spec != NULL || options.text.app_id != NULL || options.certificate_file != NULL
          || options.certificate != NULL)
        return ak_cli_usage_error ("build", _("--project takes the App ID and certificate from "
                                              "the keyring: give neither --spec, --app-id nor "
                                              "a certificate with it"));
      /* Into the --app-certificate slot, which is wiped when the options are cleared. */
      if (!ak_cli_credential_fetch_project (options.project, options.secondary,
                                            &options.text.app_id, &options.certificate, &error))
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
