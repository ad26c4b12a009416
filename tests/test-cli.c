/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <zlib.h>

#include "ak-core.h"
#include "ak-test-util.h"

/* The official fixtures' identities, as in tests/data/official-vectors.json. */
#define TEST_APP_ID "970CA35de60c44645bbae8a215061b33"
#define TEST_CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define OTHER_TEST_CERT "0123456789abcdef0123456789ABCDEF"
#define TEST_CHANNEL "7d72365eb983485397e3e3f9d460bdda"


/* Runs the real binary with stdin a pipe (never a terminal, so it never prompts) and the
 * certificate, if any, in the environment rather than on the command line. */
static void
run_cliv (AkTestCliResult    *result,
          const char         *input,
          const char         *certificate,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = ak_test_cli_launcher_new ();

  if (certificate != NULL)
    g_subprocess_launcher_setenv (launcher, "AGORA_APP_CERTIFICATE", certificate, TRUE);
  ak_test_run_cliv (launcher, result, input, args);
  /* Cut: a 1 MiB token on one line does not survive the TAP log as one comment. */
  g_test_message ("stdout: %.2000s\nstderr: %.2000s", result->out, result->err);
}

#define run_cli(result, input, certificate, ...) \
  run_cliv (result, input, certificate, AK_TEST_ARGS (__VA_ARGS__))

static const char *
vector_builder_token (const char *id,
                      const char *builder)
{
  JsonObject *vector = ak_test_find_vector (id);
  JsonArray *builders = json_object_get_array_member (vector, "equivalent_builders");
  guint i;

  for (i = 0; i < json_array_get_length (builders); i++)
    {
      JsonObject *equivalent = json_array_get_object_element (builders, i);

      if (g_str_equal (json_object_get_string_member (equivalent, "builder"), builder))
        return json_object_get_string_member (equivalent, "token");
    }
  g_error ("vector %s has no %s builder", id, builder);
  return NULL;
}

static char *
to_json_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static char *
spec_text (const char *builder,
           JsonObject *inputs)
{
  g_autoptr(JsonObject) spec = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (spec, "builder", builder);
  json_object_set_object_member (spec, "inputs", json_object_ref (inputs));
  json_node_set_object (node, spec);
  return to_json_text (node);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static char *
expected_line (const char *token)
{
  return g_strconcat (token, "\n", NULL);
}

static char *
write_temp_file (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("ak-test-cli-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Every equivalent builder of every vector, through `build --spec`, alternating between
 * standard input and a file, gives the vector's exact token. */
static void
test_build_spec_vectors (void)
{
  JsonArray *array;
  guint i;
  guint checked = 0;

  if (!ak_test_require_cli ())
    return;

  array = ak_test_official_vectors ();
  for (i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *vector = json_array_get_object_element (array, i);
      JsonArray *builders;
      guint j;

      if (!json_object_has_member (vector, "equivalent_builders"))
        continue;
      builders = json_object_get_array_member (vector, "equivalent_builders");
      for (j = 0; j < json_array_get_length (builders); j++)
        {
          JsonObject *equivalent = json_array_get_object_element (builders, j);
          const char *builder = json_object_get_string_member (equivalent, "builder");
          const char *token = json_object_get_string_member (equivalent, "token");
          g_autofree char *spec = NULL;
          g_autofree char *expected = expected_line (token);
          g_auto(AkTestCliResult) result = { 0 };

          if (!json_object_get_boolean_member_with_default (equivalent, "exact", FALSE))
            continue;

          spec = spec_text (builder, json_object_get_object_member (equivalent, "inputs"));
          if (checked % 2 == 0)
            run_cli (&result, spec, NULL, "build", "--spec", "-", NULL);
          else
            {
              g_autofree char *path = write_temp_file (spec);

              run_cli (&result, NULL, NULL, "build", "--spec", path, NULL);
              g_unlink (path);
            }
          g_assert_cmpint (result.status, ==, 0);
          g_assert_cmpstr (result.out, ==, expected);
          checked++;
        }
    }

  g_assert_cmpuint (checked, >=, 50);
}

/* A spec without app_certificate takes it from the environment; a spec with one keeps it
 * over the environment; --app-certificate-file beats both. */
static void
test_build_spec_certificate_sources (void)
{
  const char *token = vector_builder_token ("official-001", "rtc_uid");
  g_autofree char *expected = expected_line (token);
  g_autoptr(JsonObject) inputs = NULL;
  g_autofree char *with_cert = NULL;
  g_autofree char *without_cert = NULL;
  g_autofree char *wrong_file = NULL;
  g_auto(AkTestCliResult) result = { 0 };
  JsonArray *builders;

  if (!ak_test_require_cli ())
    return;

  builders = json_object_get_array_member (ak_test_find_vector ("official-001"),
                                           "equivalent_builders");
  inputs = json_object_ref (json_object_get_object_member (
    json_array_get_object_element (builders, 0), "inputs"));
  with_cert = spec_text ("rtc_uid", inputs);
  json_object_remove_member (inputs, "app_certificate");
  without_cert = spec_text ("rtc_uid", inputs);

  run_cli (&result, without_cert, TEST_CERT, "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);

  run_cli (&result, with_cert, OTHER_TEST_CERT, "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);

  /* Two specs one after the other: refused, not the last one built. */
  {
    g_autofree char *twice = g_strconcat (with_cert, with_cert, NULL);

    run_cli (&result, twice, NULL, "build", "--spec", "-", NULL);
    g_assert_cmpint (result.status, ==, 1);
    g_assert_cmpstr (result.out, ==, "");
    g_assert_nonnull (strstr (result.err, "more than one value"));
  }

  wrong_file = write_temp_file (OTHER_TEST_CERT "\n");
  run_cli (&result, with_cert, NULL, "build", "--spec", "-",
           "--app-certificate-file", wrong_file, NULL);
  g_unlink (wrong_file);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "007"));
  g_assert_cmpstr (result.out, !=, expected);

  /* No certificate anywhere, and standard input is no terminal to ask on. */
  run_cli (&result, without_cert, NULL, "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "AGORA_APP_CERTIFICATE"));
}

#define SPEC_RTC_START \
  "{\"builder\": \"rtc_uid\", \"inputs\": {\"app_id\": \"" TEST_APP_ID "\"," \
  " \"uid\": 1, \"role\": 1, \"token_expire\": 600, \"privilege_expire\": 600,"
#define SPEC_RAW007_START \
  "{\"builder\": \"raw007\", \"inputs\": {\"app_id\": \"" TEST_APP_ID "\"," \
  " \"issue_ts\": 1111111, \"salt\": 1, \"expire\": 600, \"services\": [{\"type\": 1," \
  " \"privileges\": {\"1\": 600}, \"uid\": \"\","

typedef struct
{
  const char *name;
  /* The spec, or NULL for @depth opening brackets. */
  const char *spec;
  guint depth;
  /* What the message must say, besides naming the spec. */
  const char *needle;
} HostileSpec;

static const HostileSpec hostile_specs[] = {
  /* json-glib recursed once per level and crashed on these. */
  { "depth-100000", NULL, 100000, "nested deeper" },
  { "depth-100000-inside-inputs", SPEC_RTC_START " \"channel_name\": ", 100000, "nested deeper" },
  /* json-glib read the channel name as "ab". */
  { "nul-escape-in-channel", SPEC_RTC_START " \"channel_name\": \"ab\\u0000cd\"}}", 0, "NUL" },
  { "invalid-utf8-in-channel", SPEC_RTC_START " \"channel_name\": \"ab\xff\xfe" "cd\"}}", 0,
    "UTF-8" },
  { "lone-surrogate-in-channel", SPEC_RTC_START " \"channel_name\": \"ab\\ud800cd\"}}", 0,
    "surrogate" },
  /* raw007's services are part of the same spec and go through the same checks. */
  { "raw007-nul-escape-in-service", SPEC_RAW007_START " \"channel_name\": \"a\\u0000b\"}]}}", 0,
    "NUL" },
  { "raw007-lone-surrogate-in-service",
    SPEC_RAW007_START " \"channel_name\": \"a\\udfffb\"}]}}", 0, "surrogate" },
  { "second-value", SPEC_RTC_START " \"channel_name\": \"c\"}} {}", 0, "more than one value" },
};

/* build --spec refuses what json-glib alone would crash on or read wrongly, with exit 1, a
 * message and no token. */
static void
test_build_spec_hostile (gconstpointer data)
{
  const HostileSpec *c = data;
  g_autofree char *spec = NULL;
  g_auto(AkTestCliResult) result = { 0 };

  if (!ak_test_require_cli ())
    return;

  if (c->depth > 0)
    {
      g_autofree char *brackets = g_strnfill (c->depth, '[');

      spec = g_strconcat (c->spec != NULL ? c->spec : "", brackets, NULL);
    }
  else
    spec = g_strdup (c->spec);

  run_cli (&result, spec, TEST_CERT, "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_true (g_str_has_prefix (result.err, "agora-keys-cli: The spec in standard input "));
  if (strstr (result.err, c->needle) == NULL)
    g_error ("“%s” does not mention “%s”", result.err, c->needle);
}

/* The control for the cases above: the same spec with a plain channel name builds. */
static void
test_build_spec_plain_channel (void)
{
  g_auto(AkTestCliResult) result = { 0 };

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, SPEC_RTC_START " \"channel_name\": \"abcd\"}}", TEST_CERT,
           "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "007"));
}

/* 65,537 resources used to wrap to 1 in a signed token its own decoder refused; the spec is
 * now refused with the field named, and 65,535 build into a token that decodes whole. */
static void
test_build_spec_permission_limit (void)
{
  const guint counts[] = { G_MAXUINT16 + 2, G_MAXUINT16 };
  g_auto(AkTestCliResult) result = { 0 };

  if (!ak_test_require_cli ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      GString *spec = g_string_new ("{\"builder\": \"rtm_permissions\", \"inputs\": {"
                                    "\"app_id\": \"" TEST_APP_ID "\", \"user_id\": \"u\","
                                    " \"expire\": 600,"
                                    " \"permissions\": {\"messageChannels\": {\"read\": [");
      g_autofree char *text = NULL;

      for (guint j = 0; j < counts[i]; j++)
        g_string_append_printf (spec, "%s\"c%u\"", j > 0 ? "," : "", j);
      g_string_append (spec, "]}}}}");
      text = g_string_free (spec, FALSE);

      run_cli (&result, text, TEST_CERT, "build", "--spec", "-", NULL);
      if (counts[i] > G_MAXUINT16)
        {
          g_assert_cmpint (result.status, ==, 1);
          g_assert_cmpstr (result.out, ==, "");
          g_assert_nonnull (strstr (result.err, "RTM permission “read” on “messageChannels” "
                                                "has 65537 resources"));
        }
      else
        {
          g_autofree char *token = g_strstrip (g_strdup (result.out));
          g_autoptr(GError) error = NULL;
          g_autoptr(AkToken) parsed = NULL;
          const AkRtmPermission *permission;

          g_assert_cmpint (result.status, ==, 0);
          parsed = ak_token_parse (token, &error);
          g_assert_no_error (error);
          permission = &g_array_index (ak_token_get_service (parsed, 0)->permissions,
                                       AkRtmPermission, 0);
          g_assert_cmpuint (permission->resources->len, ==, G_MAXUINT16);
        }
    }
}

typedef struct
{
  const char *name;
  const char *builder;
  const char *inputs;          /* without app_id, app_certificate and salt */
  const char *vector_id;       /* when a vector has this exact token */
  const char *vector_builder;
  const char *args[32];
} KindCase;

/* The 007 cases get --issue-ts 1111111 and issue_ts 1111111 added; all get --app-id,
 * app_id, --salt 1 and salt 1. */
static const KindCase kind_cases[] = {
  { "rtc-uid", "rtc_uid",
    "{\"channel_name\": \"" TEST_CHANNEL "\", \"uid\": 2882341273, \"role\": 2,"
    " \"token_expire\": 600, \"privilege_expire\": 600}",
    "official-001", "rtc_uid",
    { "rtc", "--channel", TEST_CHANNEL, "--uid", "2882341273", "--role", "subscriber",
      "--expire", "600", "--privilege-expire", "600" } },
  { "rtc-account", "rtc_account",
    "{\"channel_name\": \"" TEST_CHANNEL "\", \"account\": \"2882341273\", \"role\": 2,"
    " \"token_expire\": 600, \"privilege_expire\": 600}",
    "official-001", "rtc_account",
    { "rtc", "--channel", TEST_CHANNEL, "--account", "2882341273", "--role", "subscriber",
      "--expire", "10m", "--privilege-expire", "600" } },
  { "rtc-defaults", "rtc_uid",
    "{\"channel_name\": \"demo\", \"uid\": 0, \"role\": 1,"
    " \"token_expire\": 3600, \"privilege_expire\": 3600}",
    NULL, NULL,
    { "rtc", "--channel", "demo", "--uid", "0" } },
  { "rtc-privilege-default-follows-expire", "rtc_account",
    "{\"channel_name\": \"demo\", \"account\": \"alice\", \"role\": 1,"
    " \"token_expire\": 43200, \"privilege_expire\": 43200}",
    NULL, NULL,
    { "rtc", "--channel", "demo", "--account", "alice", "--expire", "12h" } },
  { "rtc-privileges", "rtc_uid_privilege",
    "{\"channel_name\": \"demo\", \"uid\": 42, \"token_expire\": 3600,"
    " \"join_channel_privilege_expire\": 600, \"pub_audio_privilege_expire\": 0,"
    " \"pub_video_privilege_expire\": 1800, \"pub_data_stream_privilege_expire\": 3600}",
    NULL, NULL,
    { "rtc-privileges", "--channel", "demo", "--uid", "42", "--expire", "1h",
      "--join-expire", "600", "--audio-expire", "0", "--video-expire", "30m" } },
  { "rtc-privileges-account", "rtc_account_privilege",
    "{\"channel_name\": \"demo\", \"account\": \"bob\", \"token_expire\": 600,"
    " \"join_channel_privilege_expire\": 300, \"pub_audio_privilege_expire\": 300,"
    " \"pub_video_privilege_expire\": 300, \"pub_data_stream_privilege_expire\": 60}",
    NULL, NULL,
    { "rtc-privileges", "--channel", "demo", "--account", "bob", "--expire", "600",
      "--privilege-expire", "5m", "--data-expire", "60" } },
  { "rtc-rtm", "rtc_rtm",
    "{\"channel_name\": \"demo\", \"account\": \"alice\", \"role\": 1,"
    " \"token_expire\": 600, \"privilege_expire\": 300}",
    NULL, NULL,
    { "rtc-rtm", "--channel", "demo", "--account", "alice", "--role", "publisher",
      "--expire", "600", "--privilege-expire", "300" } },
  { "rtc-rtm2", "rtc_rtm2",
    "{\"channel_name\": \"" TEST_CHANNEL "\", \"rtc_account\": \"2882341273\", \"rtc_role\": 1,"
    " \"rtc_token_expire\": 600, \"join_channel_privilege_expire\": 600,"
    " \"pub_audio_privilege_expire\": 600, \"pub_video_privilege_expire\": 600,"
    " \"pub_data_stream_privilege_expire\": 600, \"rtm_user_id\": \"test_user\","
    " \"rtm_token_expire\": 600}",
    "official-026", "rtc_rtm2",
    { "rtc-rtm2", "--channel", TEST_CHANNEL, "--account", "2882341273", "--expire", "600",
      "--rtm-user-id", "test_user" } },
  /* The agent kinds: --uid is written as the official ServiceRtc writes an integer. */
  { "convoai-uid", "convoai",
    "{\"channel_name\": \"" TEST_CHANNEL "\", \"rtc_account\": 2882341273, \"rtc_role\": 1,"
    " \"rtc_token_expire\": 600, \"join_channel_privilege_expire\": 600,"
    " \"pub_audio_privilege_expire\": 600, \"pub_video_privilege_expire\": 600,"
    " \"pub_data_stream_privilege_expire\": 600, \"rtm_user_id\": \"2882341273\","
    " \"rtm_token_expire\": 600}",
    NULL, NULL,
    { "convoai", "--channel", TEST_CHANNEL, "--uid", "2882341273", "--expire", "600",
      "--rtm-user-id", "2882341273" } },
  { "convoai-account-expiries", "convoai",
    "{\"channel_name\": \"agent-room\", \"rtc_account\": \"agent-007\", \"rtc_role\": 1,"
    " \"rtc_token_expire\": 86400, \"join_channel_privilege_expire\": 86400,"
    " \"pub_audio_privilege_expire\": 7200, \"pub_video_privilege_expire\": 3600,"
    " \"pub_data_stream_privilege_expire\": 60, \"rtm_user_id\": \"bot\","
    " \"rtm_token_expire\": 1800}",
    NULL, NULL,
    { "convoai", "--channel", "agent-room", "--account", "agent-007", "--expire", "1d",
      "--audio-expire", "2h", "--video-expire", "1h", "--data-expire", "60",
      "--rtm-user-id", "bot", "--rtm-expire", "30m" } },
  { "stt-subscriber", "stt",
    "{\"channel_name\": \"agent-room\", \"rtc_account\": 0, \"rtc_role\": 2,"
    " \"rtc_token_expire\": 3600, \"join_channel_privilege_expire\": 3600,"
    " \"pub_audio_privilege_expire\": 3600, \"pub_video_privilege_expire\": 3600,"
    " \"pub_data_stream_privilege_expire\": 3600, \"rtm_user_id\": \"stt-bot\","
    " \"rtm_token_expire\": 3600}",
    NULL, NULL,
    { "stt", "--channel", "agent-room", "--uid", "0", "--role", "subscriber",
      "--rtm-user-id", "stt-bot" } },
  { "rtm", "rtm",
    "{\"user_id\": \"2882341273\", \"expire\": 600}",
    "official-003", "rtm",
    { "rtm", "--user-id", "2882341273", "--expire", "600" } },
  { "rtm-permissions", "rtm_permissions",
    "{\"user_id\": \"u1\", \"expire\": 600,"
    " \"permissions\": {\"0\": {\"0\": [\"chan-a\", \"chan-b\"]}, \"4\": {\"1\": [\"bob\"]}}}",
    NULL, NULL,
    { "rtm-permissions", "--user-id", "u1", "--expire", "600",
      "--permission", "messageChannels:read:chan-a", "--permission", "0:0:chan-b",
      "--permission", "users:write:bob" } },
  { "chat-user", "chat_user",
    "{\"user_id\": \"2882341273\", \"expire\": 600}",
    "official-004", "chat_user",
    { "chat-user", "--user-id", "2882341273", "--expire", "600" } },
  { "chat-app", "chat_app",
    "{\"expire\": 600}",
    "official-005", "chat_app",
    { "chat-app", "--expire", "600" } },
  { "fpa", "fpa", "{}", NULL, NULL, { "fpa" } },
  { "apaas-room-user", "apaas_room_user",
    "{\"room_uuid\": \"123\", \"user_uuid\": \"2882341273\", \"role\": 1, \"expire\": 600}",
    "official-006", "apaas_room_user",
    { "apaas-room-user", "--room-uuid", "123", "--user-uuid", "2882341273",
      "--apaas-role", "1", "--expire", "600" } },
  { "apaas-user", "apaas_user",
    "{\"user_uuid\": \"2882341273\", \"expire\": 600}",
    "official-007", "apaas_user",
    { "apaas-user", "--user-uuid", "2882341273", "--expire", "600" } },
  { "apaas-app", "apaas_app",
    "{\"expire\": 600}",
    "official-008", "apaas_app",
    { "apaas-app", "--expire", "600" } },
  { "education-room-user", "education_room_user",
    "{\"room_uuid\": \"123\", \"user_uuid\": \"2882341273\", \"role\": 1, \"expire\": 600}",
    "official-006", "apaas_room_user",
    { "education-room-user", "--room-uuid", "123", "--user-uuid", "2882341273",
      "--apaas-role", "1", "--expire", "600" } },
  { "education-user", "education_user",
    "{\"user_uuid\": \"2882341273\", \"expire\": 600}",
    "official-007", "apaas_user",
    { "education-user", "--user-uuid", "2882341273", "--expire", "600" } },
  { "education-app", "education_app",
    "{\"expire\": 600}",
    "official-008", "apaas_app",
    { "education-app", "--expire", "600" } },
  { "rtc006-uid", "rtc006_uid",
    "{\"channel_name\": \"" TEST_CHANNEL "\", \"uid\": 2882341273, \"role\": 2,"
    " \"privilege_expire_ts\": 1446455471, \"ts\": 1111111}",
    "official-017", "rtc006_uid",
    { "rtc006", "--channel", TEST_CHANNEL, "--uid", "2882341273", "--role", "subscriber",
      "--issue-ts", "1111111", "--ts", "1111111", "--expire", "1445344360" } },
  { "rtc006-account", "rtc006_account",
    "{\"channel_name\": \"" TEST_CHANNEL "\", \"account\": \"2882341273\", \"role\": 2,"
    " \"privilege_expire_ts\": 1446455471, \"ts\": 1111111}",
    "official-017", "rtc006_account",
    { "rtc006", "--channel", TEST_CHANNEL, "--account", "2882341273", "--role", "subscriber",
      "--issue-ts", "1111111", "--ts", "1111111", "--expire", "1445344360" } },
  { "rtc006-never-expire", "rtc006_uid",
    "{\"channel_name\": \"demo\", \"uid\": 0, \"role\": 1,"
    " \"privilege_expire_ts\": 0, \"ts\": 1111111}",
    NULL, NULL,
    { "rtc006", "--channel", "demo", "--uid", "0", "--never-expire", "--ts", "1111111" } },
  { "rtc006-issue-time", "rtc006_uid",
    "{\"channel_name\": \"demo\", \"uid\": 7, \"role\": 1,"
    " \"privilege_expire_ts\": 1700003600, \"ts\": 1700086400}",
    NULL, NULL,
    { "rtc006", "--channel", "demo", "--uid", "7", "--issue-ts", "1700000000",
      "--expire", "1h" } },
  { "rtm006", "rtm006",
    "{\"user_account\": \"test_user\", \"role\": 1,"
    " \"privilege_expire_ts\": 1446455471, \"ts\": 1111111}",
    "official-139", "rtm006",
    { "rtm006", "--user-id", "test_user", "--issue-ts", "1111111", "--ts", "1111111",
      "--expire", "1445344360" } },
};

static gboolean
kind_case_is_006 (const KindCase *kind_case)
{
  return strstr (kind_case->builder, "006") != NULL;
}

static void
test_build_kind_matches_spec (gconstpointer data)
{
  const KindCase *kind_case = data;
  g_autoptr(JsonNode) inputs_node = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *spec = NULL;
  g_auto(AkTestCliResult) by_spec = { 0 };
  g_auto(AkTestCliResult) by_kind = { 0 };
  JsonObject *inputs;
  gsize i;

  if (!ak_test_require_cli ())
    return;

  inputs_node = parse_json (kind_case->inputs);
  inputs = json_node_get_object (inputs_node);
  json_object_set_string_member (inputs, "app_id", TEST_APP_ID);
  json_object_set_int_member (inputs, "salt", 1);

  g_ptr_array_add (args, (gpointer) "build");
  for (i = 0; kind_case->args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) kind_case->args[i]);
  g_ptr_array_add (args, (gpointer) "--app-id");
  g_ptr_array_add (args, (gpointer) TEST_APP_ID);
  g_ptr_array_add (args, (gpointer) "--salt");
  g_ptr_array_add (args, (gpointer) "1");
  if (!kind_case_is_006 (kind_case))
    {
      json_object_set_int_member (inputs, "issue_ts", 1111111);
      g_ptr_array_add (args, (gpointer) "--issue-ts");
      g_ptr_array_add (args, (gpointer) "1111111");
    }
  g_ptr_array_add (args, NULL);

  spec = spec_text (kind_case->builder, inputs);
  run_cli (&by_spec, spec, TEST_CERT, "build", "--spec", "-", NULL);
  g_assert_cmpint (by_spec.status, ==, 0);
  g_assert_true (g_str_has_prefix (by_spec.out, kind_case_is_006 (kind_case) ? "006" : "007"));

  run_cliv (&by_kind, NULL, TEST_CERT, (const char * const *) args->pdata);
  g_assert_cmpint (by_kind.status, ==, 0);
  g_assert_cmpstr (by_kind.out, ==, by_spec.out);

  if (kind_case->vector_id != NULL)
    {
      g_autofree char *expected =
        expected_line (vector_builder_token (kind_case->vector_id, kind_case->vector_builder));

      g_assert_cmpstr (by_kind.out, ==, expected);
    }
}

/* Without --issue-ts and --salt: a fresh salt each time, issued now, 3600 s by default,
 * and privileges as long as the token rather than the official 0. */
static void
test_build_kind_defaults (void)
{
  g_auto(AkTestCliResult) first = { 0 };
  g_auto(AkTestCliResult) second = { 0 };
  g_auto(AkTestCliResult) decoded = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  JsonObject *object;
  JsonObject *service;
  JsonObject *privileges;
  gint64 before;
  gint64 after;

  if (!ak_test_require_cli ())
    return;

  before = g_get_real_time () / G_USEC_PER_SEC;
  run_cli (&first, NULL, TEST_CERT, "build", "rtc", "--app-id", TEST_APP_ID, "--channel", "demo",
           "--uid", "7", NULL);
  run_cli (&second, NULL, TEST_CERT, "build", "rtc", "--app-id", TEST_APP_ID, "--channel", "demo",
           "--uid", "7", NULL);
  after = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_cmpstr (first.out, !=, second.out);

  token = g_strstrip (g_strdup (first.out));
  run_cli (&decoded, NULL, TEST_CERT, "decode", "--json", token, NULL);
  g_assert_cmpint (decoded.status, ==, 0);
  root = parse_json (decoded.out);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "issue_ts"), >=, before);
  g_assert_cmpint (json_object_get_int_member (object, "issue_ts"), <=, after);
  g_assert_cmpint (json_object_get_int_member (object, "expire"), ==, 3600);
  g_assert_true (json_object_get_boolean_member (object, "signature_valid"));

  service = json_array_get_object_element (json_object_get_array_member (object, "services"), 0);
  g_assert_cmpstr (json_object_get_string_member (service, "uid"), ==, "7");
  g_assert_cmpstr (json_object_get_string_member (service, "channel_name"), ==, "demo");
  privileges = json_object_get_object_member (service, "privileges");
  g_assert_cmpuint (json_object_get_size (privileges), ==, 4);
  g_assert_cmpint (json_object_get_int_member (privileges, "1"), ==, 3600);
  g_assert_cmpint (json_object_get_int_member (privileges, "4"), ==, 3600);
}

static void
test_build_006_default_expiry (void)
{
  g_auto(AkTestCliResult) built = { 0 };
  g_auto(AkTestCliResult) decoded = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  JsonObject *privileges;
  gint64 before;
  gint64 after;

  if (!ak_test_require_cli ())
    return;

  before = g_get_real_time () / G_USEC_PER_SEC;
  run_cli (&built, NULL, TEST_CERT, "build", "rtc006", "--app-id", TEST_APP_ID, "--channel", "demo",
           "--uid", "7", "--role", "subscriber", "--expire", "2h", NULL);
  after = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpint (built.status, ==, 0);
  g_assert_true (g_str_has_prefix (built.out, "006" TEST_APP_ID));

  token = g_strstrip (g_strdup (built.out));
  run_cli (&decoded, NULL, TEST_CERT, "decode", "--json", "--channel", "demo", "--uid", "7",
           token, NULL);
  g_assert_cmpint (decoded.status, ==, 0);
  root = parse_json (decoded.out);
  privileges = json_object_get_object_member (json_node_get_object (root), "privileges");
  /* 006 privilege values are absolute: now + 2 h; a subscriber gets join only. */
  g_assert_cmpuint (json_object_get_size (privileges), ==, 1);
  g_assert_cmpint (json_object_get_int_member (privileges, "1"), >=, before + 7200);
  g_assert_cmpint (json_object_get_int_member (privileges, "1"), <=, after + 7200);
}

#define RTC_C "build", "rtc", "--app-id", TEST_APP_ID, "--channel", "c"

static const char * const usage_errors[][16] = {
  { NULL },
  { "frobnicate", NULL },
  { "--frobnicate", NULL },
  { "help", "frobnicate", NULL },
  { "build", NULL },
  { "build", "rtc", "--no-such-flag", NULL },
  { "build", "nosuchkind", "--app-id", TEST_APP_ID, NULL },
  { RTC_C, NULL },
  { RTC_C, "--uid", "1", "--account", "a", NULL },
  { RTC_C, "--uid", "abc", NULL },
  { RTC_C, "--uid", "4294967296", NULL },
  { RTC_C, "--uid", "-1", NULL },
  { RTC_C, "--uid", "1", "--expire", "abc", NULL },
  { RTC_C, "--uid", "1", "--expire", "-5", NULL },
  { RTC_C, "--uid", "1", "--role", "admin", NULL },
  { RTC_C, "--uid", "1", "--room-uuid", "r", NULL },
  { "build", "rtc", "--app-id", TEST_APP_ID, "--uid", "1", NULL },
  { "build", "rtc", "--channel", "c", "--uid", "1", NULL },
  { "build", "rtc-rtm", "--app-id", TEST_APP_ID, "--channel", "c", "--uid", "1", NULL },
  { "build", "rtm", "--app-id", TEST_APP_ID, NULL },
  { "build", "rtm", "--app-id", TEST_APP_ID, "--user-id", "u", "--never-expire", NULL },
  { "build", "fpa", "--app-id", TEST_APP_ID, "--expire", "600", NULL },
  { "build", "rtm-permissions", "--app-id", TEST_APP_ID, "--user-id", "u",
    "--permission", "bogus", NULL },
  { "build", "rtm-permissions", "--app-id", TEST_APP_ID, "--user-id", "u",
    "--permission", "nochannels:read:x", NULL },
  { "build", "rtc006", "--app-id", TEST_APP_ID, "--channel", "c", "--uid", "1",
    "--never-expire", "--expire", "1h", NULL },
  { "build", "rtc", "--spec", "-", NULL },
  { "build", "--spec", "-", "--channel", "c", NULL },
  { "decode", NULL },
  { "decode", "a", "b", NULL },
  { "decode", "--channel", "c", "007x", NULL },
  { "bench", "--seconds", "-1", NULL },
  { "bench", "--seconds", "x", NULL },
};

static void
test_usage_errors (void)
{
  gsize i;

  if (!ak_test_require_cli ())
    return;

  for (i = 0; i < G_N_ELEMENTS (usage_errors); i++)
    {
      g_auto(AkTestCliResult) result = { 0 };

      run_cliv (&result, "", TEST_CERT, usage_errors[i]);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_true (g_str_has_prefix (result.err, "agora-keys-cli: "));
    }
}

static void
test_build_without_certificate (void)
{
  g_auto(AkTestCliResult) result = { 0 };

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, NULL, NULL, "build", "rtc", "--app-id", TEST_APP_ID, "--channel", "c",
           "--uid", "1", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_true (g_str_has_prefix (result.err, "agora-keys-cli: "));
  g_assert_nonnull (strstr (result.err, "--app-certificate-file"));
  g_assert_nonnull (strstr (result.err, "AGORA_APP_CERTIFICATE"));
}

static void
test_build_invalid_input (void)
{
  static const char * const invalid_app_id[] = {
    "build", "rtc", "--app-id", "not-an-app-id", "--channel", "c", "--uid", "1", NULL
  };
  static const char * const valid[] = {
    "build", "rtc", "--app-id", TEST_APP_ID, "--channel", "c", "--uid", "1", NULL
  };
  static const char * const too_late[] = {
    "build", "rtc006", "--app-id", TEST_APP_ID, "--channel", "c", "--uid", "1",
    "--issue-ts", "4294960000", "--expire", "1d", NULL
  };
  g_auto(AkTestCliResult) result = { 0 };

  if (!ak_test_require_cli ())
    return;

  run_cliv (&result, NULL, TEST_CERT, invalid_app_id);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_true (g_str_has_prefix (result.err, "agora-keys-cli: "));

  run_cliv (&result, NULL, "not-a-certificate", valid);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");

  run_cliv (&result, NULL, TEST_CERT, too_late);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");

  run_cli (&result, "{\"builder\": ", TEST_CERT, "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");

  run_cli (&result, "[1, 2]", TEST_CERT, "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 1);

  run_cli (&result, "{\"builder\": \"no_such_builder\", \"inputs\": {}}", TEST_CERT,
           "build", "--spec", "-", NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_true (g_str_has_prefix (result.err, "agora-keys-cli: "));

  run_cli (&result, NULL, TEST_CERT, "build", "--spec", "/nonexistent/spec.json", NULL);
  g_assert_cmpint (result.status, ==, 1);
}

static void
test_build_certificate_file (void)
{
  g_autofree char *expected = expected_line (vector_builder_token ("official-003", "rtm"));
  g_autofree char *good = write_temp_file ("  " TEST_CERT "  \r\nsecond line is ignored\n");
  g_autofree char *empty = write_temp_file ("\n" TEST_CERT "\n");
  g_auto(AkTestCliResult) result = { 0 };

  if (!ak_test_require_cli ())
    return;

  /* The file wins over a wrong certificate in the environment. */
  run_cli (&result, NULL, OTHER_TEST_CERT, "build", "rtm", "--app-id", TEST_APP_ID, "--user-id",
           "2882341273", "--expire", "600", "--issue-ts", "1111111", "--salt", "1",
           "--app-certificate-file", good, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);

  run_cli (&result, NULL, NULL, "build", "rtm", "--app-id", TEST_APP_ID, "--user-id",
           "2882341273", "--expire", "600", "--issue-ts", "1111111", "--salt", "1",
           "--app-certificate-file", empty, NULL);
  g_assert_cmpint (result.status, !=, 0);
  g_assert_cmpstr (result.out, ==, "");

  run_cli (&result, NULL, NULL, "build", "rtm", "--app-id", TEST_APP_ID, "--user-id", "u",
           "--app-certificate-file", "/nonexistent/certificate", NULL);
  g_assert_cmpint (result.status, !=, 0);
  g_assert_cmpstr (result.out, ==, "");

  run_cli (&result, NULL, NULL, "build", "rtm", "--app-id", TEST_APP_ID, "--user-id", "u",
           "--app-certificate-file", good, "--app-certificate", TEST_CERT, NULL);
  g_assert_cmpint (result.status, ==, 2);

  g_unlink (good);
  g_unlink (empty);
}

/* The one test that passes the certificate on the command line, to show it still works. */
static void
test_build_certificate_argument (void)
{
  g_autofree char *expected = expected_line (vector_builder_token ("official-004", "chat_user"));
  g_auto(AkTestCliResult) result = { 0 };
  g_auto(AkTestCliResult) help = { 0 };

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, NULL, NULL, "build", "chat-user", "--app-id", TEST_APP_ID, "--user-id",
           "2882341273", "--expire", "600", "--issue-ts", "1111111", "--salt", "1",
           "--app-certificate", TEST_CERT, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);

  run_cli (&help, NULL, NULL, "help", "build", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--app-certificate"));
  g_assert_nonnull (strstr (help.out, "visible to other users"));
}

static void
test_build_warnings (void)
{
  g_autofree char *long_channel = g_strnfill (70, 'a');
  g_auto(AkTestCliResult) result = { 0 };
  g_auto(AkTestCliResult) decoded = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  JsonObject *service;

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, NULL, TEST_CERT, "build", "rtc", "--app-id", TEST_APP_ID, "--channel",
           long_channel, "--uid", "1", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "007"));
  g_assert_nonnull (strstr (result.err, "warning: "));
  g_assert_nonnull (strstr (result.err, "64"));

  /* The warning does not change the token: the channel is kept as given. */
  token = g_strstrip (g_strdup (result.out));
  run_cli (&decoded, token, TEST_CERT, "decode", "--json", "-", NULL);
  g_assert_cmpint (decoded.status, ==, 0);
  root = parse_json (decoded.out);
  service = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "services"), 0);
  g_assert_cmpstr (json_object_get_string_member (service, "channel_name"), ==, long_channel);

  /* The same through a spec. */
  {
    g_autofree char *spec = g_strdup_printf (
      "{\"builder\": \"rtc_uid\", \"inputs\": {\"app_id\": \"%s\", \"channel_name\": \"%s\","
      " \"uid\": 1, \"role\": 1, \"token_expire\": 600, \"privilege_expire\": 600}}",
      TEST_APP_ID, long_channel);
    g_auto(AkTestCliResult) by_spec = { 0 };

    run_cli (&by_spec, spec, TEST_CERT, "build", "--spec", "-", NULL);
    g_assert_cmpint (by_spec.status, ==, 0);
    g_assert_true (g_str_has_prefix (by_spec.out, "007"));
    g_assert_nonnull (strstr (by_spec.err, "warning: "));
  }
}

static const char *
uid_flag_for_text (const char *uid_text)
{
  guint64 number;

  if (uid_text[0] == '\0'
      || (g_ascii_string_to_unsigned (uid_text, 10, 1, G_MAXUINT32, &number, NULL)
          && uid_text[0] != '0'))
    return "--uid";
  return "--account";
}

static void
assert_members_equal (JsonObject *actual,
                      JsonObject *expected,
                      const char * const *names)
{
  for (; *names != NULL; names++)
    {
      JsonNode *want = json_object_get_member (expected, *names);
      JsonNode *got;

      if (want == NULL)
        continue;
      got = json_object_get_member (actual, *names);
      if (got == NULL || !json_node_equal (got, want))
        {
          g_autofree char *got_text = got != NULL ? to_json_text (got) : g_strdup ("(missing)");
          g_autofree char *want_text = to_json_text (want);

          g_error ("member %s: got %s, expected %s", *names, got_text, want_text);
        }
    }
}

/* decode --json agrees with every vector's `decoded` fields, checked with the vector's
 * certificate (and, for 006, its channel and uid). */
static void
test_decode_json_vectors (void)
{
  static const char * const fields_007[] = {
    "version", "app_id", "issue_ts", "expire", "salt", "signature_hex", "signature_valid", NULL
  };
  static const char * const fields_006[] = {
    "version", "app_id", "signature_hex", "crc_channel_name", "crc_uid", "salt", "ts",
    "privileges", "signature_valid", NULL
  };
  static const char * const service_fields[] = {
    "type", "name", "privileges", "channel_name", "uid", "account", "user_id", "room_uuid",
    "user_uuid", "role", "permissions", NULL
  };
  JsonArray *array;
  guint i;
  guint checked = 0;

  if (!ak_test_require_cli ())
    return;

  array = ak_test_official_vectors ();
  for (i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *vector = json_array_get_object_element (array, i);
      JsonObject *decoded = NULL;
      JsonObject *inputs = NULL;
      const char *token = json_object_get_string_member (vector, "expected");
      const char *certificate = NULL;
      gboolean is_006;
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(JsonNode) expected_valid = NULL;
      g_auto(AkTestCliResult) result = { 0 };
      JsonObject *actual;

      if (!json_object_has_member (vector, "decoded"))
        continue;
      decoded = json_object_get_object_member (vector, "decoded");
      is_006 = g_str_equal (json_object_get_string_member (decoded, "version"), "006");
      if (json_object_get_member (vector, "inputs") != NULL
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (vector, "inputs")))
        {
          inputs = json_object_get_object_member (vector, "inputs");
          certificate = json_object_get_string_member (inputs, "app_certificate");
        }

      g_ptr_array_add (args, (gpointer) "decode");
      g_ptr_array_add (args, (gpointer) "--json");
      if (is_006 && inputs != NULL)
        {
          const char *uid = json_object_get_string_member (inputs, "uid");

          g_ptr_array_add (args, (gpointer) "--channel");
          g_ptr_array_add (args, (gpointer) json_object_get_string_member (inputs,
                                                                           "channel_name"));
          g_ptr_array_add (args, (gpointer) uid_flag_for_text (uid));
          g_ptr_array_add (args, (gpointer) (uid[0] == '\0' ? "0" : uid));
        }
      g_ptr_array_add (args, (gpointer) (i % 2 == 0 ? token : "-"));
      g_ptr_array_add (args, NULL);

      run_cliv (&result, i % 2 == 0 ? NULL : token, certificate,
                (const char * const *) args->pdata);

      if (certificate != NULL)
        expected_valid = json_node_copy (json_object_get_member (decoded, "signature_valid"));
      else
        expected_valid = json_node_init_null (json_node_alloc ());

      g_assert_cmpint (result.status, ==,
                       certificate == NULL || json_node_get_boolean (expected_valid) ? 0 : 3);

      /* Nothing but one JSON object on standard output. */
      root = parse_json (result.out);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
      actual = json_node_get_object (root);

      json_object_set_member (decoded, "signature_valid", json_node_copy (expected_valid));
      assert_members_equal (actual, decoded, is_006 ? fields_006 : fields_007);

      if (!is_006)
        {
          JsonArray *want = json_object_get_array_member (decoded, "services");
          JsonArray *got = json_object_get_array_member (actual, "services");
          guint j;

          g_assert_cmpint (json_object_get_int_member (actual, "expires_at"), ==,
                           json_object_get_int_member (decoded, "issue_ts")
                           + json_object_get_int_member (decoded, "expire"));
          g_assert_nonnull (got);
          g_assert_cmpuint (json_array_get_length (got), ==, json_array_get_length (want));
          for (j = 0; j < json_array_get_length (want); j++)
            assert_members_equal (json_array_get_object_element (got, j),
                                  json_array_get_object_element (want, j), service_fields);
        }
      checked++;
    }

  g_assert_cmpuint (checked, >=, 100);
}

static gboolean
contains_either (const char *haystack,
                 const char *a,
                 const char *b)
{
  return strstr (haystack, a) != NULL || strstr (haystack, b) != NULL;
}

static void
test_decode_human_007 (void)
{
  const char *token = json_object_get_string_member (ak_test_find_vector ("official-001"),
                                                     "expected");
  g_autofree char *privilege_time = ak_format_local_time (1111111 + 600);
  g_autofree char *remaining_before = NULL;
  g_autofree char *remaining_after = NULL;
  g_auto(AkTestCliResult) result = { 0 };
  g_auto(AkTestCliResult) unchecked = { 0 };
  g_auto(AkTestCliResult) wrong = { 0 };

  if (!ak_test_require_cli ())
    return;

  remaining_before = ak_format_remaining (1111111 + 600, g_get_real_time () / G_USEC_PER_SEC);
  run_cli (&result, NULL, TEST_CERT, "decode", token, NULL);
  remaining_after = ak_format_remaining (1111111 + 600, g_get_real_time () / G_USEC_PER_SEC);

  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "007"));
  g_assert_nonnull (strstr (result.out, TEST_APP_ID));
  g_assert_nonnull (strstr (result.out, "1111111"));
  g_assert_nonnull (strstr (result.out, TEST_CHANNEL));
  g_assert_nonnull (strstr (result.out, "2882341273"));
  g_assert_nonnull (strstr (result.out,
                            ak_service_privilege_name (AK_SERVICE_RTC,
                                                       AK_PRIV_RTC_JOIN_CHANNEL)));
  g_assert_nonnull (strstr (result.out,
                            "16a0b84c5a5e82cbf74fb813d09f59c54bdac9c06120580539ac97578e958b1a"));
  g_assert_nonnull (strstr (result.out, privilege_time));
  g_assert_true (contains_either (result.out, remaining_before, remaining_after));
  g_assert_nonnull (strstr (result.out, "valid"));
  g_assert_null (strstr (result.out, "not checked"));

  run_cli (&unchecked, NULL, NULL, "decode", token, NULL);
  g_assert_cmpint (unchecked.status, ==, 0);
  g_assert_nonnull (strstr (unchecked.out, "not checked"));
  g_assert_nonnull (strstr (unchecked.out, TEST_CHANNEL));

  run_cli (&wrong, NULL, OTHER_TEST_CERT, "decode", token, NULL);
  g_assert_cmpint (wrong.status, ==, 3);
  g_assert_nonnull (strstr (wrong.out, "does not match"));
  g_assert_nonnull (strstr (wrong.out, TEST_CHANNEL));
  g_assert_true (g_str_has_prefix (wrong.err, "agora-keys-cli: "));
}

static void
test_decode_human_006 (void)
{
  const char *token = json_object_get_string_member (ak_test_find_vector ("official-017"),
                                                     "expected");
  g_autofree char *privilege_time = ak_format_local_time (1446455471);
  g_auto(AkTestCliResult) result = { 0 };
  g_auto(AkTestCliResult) unchecked = { 0 };
  g_auto(AkTestCliResult) never = { 0 };
  g_auto(AkTestCliResult) never_decoded = { 0 };
  g_autofree char *never_token = NULL;

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, NULL, TEST_CERT, "decode", "--channel", TEST_CHANNEL, "--uid", "2882341273",
           token, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "006"));
  g_assert_nonnull (strstr (result.out, TEST_APP_ID));
  g_assert_nonnull (strstr (result.out, "276646071"));
  g_assert_nonnull (strstr (result.out, "3847331927"));
  g_assert_nonnull (strstr (result.out, "1446455471"));
  g_assert_nonnull (strstr (result.out, privilege_time));
  g_assert_nonnull (strstr (result.out, ak_privilege006_name (AK_PRIV006_JOIN_CHANNEL)));
  g_assert_nonnull (strstr (result.out, "valid"));
  g_assert_null (strstr (result.out, "not checked"));

  /* A certificate alone cannot check a 006 token: channel and uid are not in it. */
  run_cli (&unchecked, NULL, TEST_CERT, "decode", token, NULL);
  g_assert_cmpint (unchecked.status, ==, 0);
  g_assert_nonnull (strstr (unchecked.out, "not checked"));
  g_assert_nonnull (strstr (unchecked.out, "--channel"));

  run_cli (&never, NULL, TEST_CERT, "build", "rtc006", "--app-id", TEST_APP_ID, "--channel", "demo",
           "--uid", "0", "--never-expire", NULL);
  g_assert_cmpint (never.status, ==, 0);
  never_token = g_strstrip (g_strdup (never.out));
  run_cli (&never_decoded, NULL, TEST_CERT, "decode", "--channel", "demo", "--uid", "0",
           never_token, NULL);
  g_assert_cmpint (never_decoded.status, ==, 0);
  g_assert_nonnull (strstr (never_decoded.out, "never"));

  /* Integer uid 0 is written as "", which is not the string account "0". */
  run_cli (&never_decoded, NULL, TEST_CERT, "decode", "--channel", "demo", "--account", "0",
           never_token, NULL);
  g_assert_cmpint (never_decoded.status, ==, 3);
}

static void
test_decode_mismatch (void)
{
  const char *token_007 = json_object_get_string_member (ak_test_find_vector ("official-001"),
                                                         "expected");
  const char *token_006 = json_object_get_string_member (ak_test_find_vector ("official-017"),
                                                         "expected");
  g_auto(AkTestCliResult) result = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *file = write_temp_file (OTHER_TEST_CERT "\n");

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, NULL, NULL, "decode", "--json", "--app-certificate-file", file,
           token_007, NULL);
  g_assert_cmpint (result.status, ==, 3);
  root = parse_json (result.out);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (root),
                                                  "signature_valid"));
  g_assert_true (g_str_has_prefix (result.err, "agora-keys-cli: "));

  /* The right certificate with the wrong channel, then the wrong uid: a CRC mismatch. */
  run_cli (&result, NULL, TEST_CERT, "decode", "--channel", "other", "--uid", "2882341273",
           token_006, NULL);
  g_assert_cmpint (result.status, ==, 3);
  run_cli (&result, NULL, TEST_CERT, "decode", "--channel", TEST_CHANNEL,
           "--uid", "2882341274", token_006, NULL);
  g_assert_cmpint (result.status, ==, 3);
  run_cli (&result, NULL, OTHER_TEST_CERT, "decode", "--channel", TEST_CHANNEL,
           "--uid", "2882341273", token_006, NULL);
  g_assert_cmpint (result.status, ==, 3);

  g_unlink (file);
}

static void
test_decode_malformed (void)
{
  const char *malformed[] = {
    "",
    "hello",
    "007",
    "007abc",
    "007!!!!",
    "008eJxTYBBbsMMnKq7p9Hf",
    "006short",
    json_object_get_string_member (ak_test_find_vector ("official-070"), "expected"),
    /* A vector token cut short. */
    "007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5I",
  };
  gsize i;

  if (!ak_test_require_cli ())
    return;

  for (i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_auto(AkTestCliResult) result = { 0 };
      g_auto(AkTestCliResult) json = { 0 };

      run_cli (&result, malformed[i], TEST_CERT, "decode", "-", NULL);
      g_assert_cmpint (result.status, ==, 1);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_true (g_str_has_prefix (result.err, "agora-keys-cli: "));

      run_cli (&json, NULL, NULL, "decode", "--json", malformed[i], NULL);
      g_assert_cmpint (json.status, ==, 1);
      g_assert_cmpstr (json.out, ==, "");
    }
}

static void
append_u16 (GByteArray *bytes,
            guint16 value)
{
  guint8 le[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (bytes, le, 2);
}

static void
append_u32 (GByteArray *bytes,
            guint32 value)
{
  guint8 le[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (bytes, le, 4);
}

static void
append_string (GByteArray *bytes,
               const char *text)
{
  append_u16 (bytes, (guint16) strlen (text));
  g_byte_array_append (bytes, (const guint8 *) text, (guint) strlen (text));
}

static void
hmac_sha256 (const guint8 *key,
             gsize key_length,
             const guint8 *data,
             gsize data_length,
             guint8 digest[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_length);
  gsize length = 32;

  g_hmac_update (hmac, data, (gssize) data_length);
  g_hmac_get_digest (hmac, digest, &length);
  g_assert_cmpuint (length, ==, 32);
}

/* A correctly signed 007 token whose second service has a type no parser knows. */
static char *
make_token_with_unknown_service (void)
{
  g_autoptr(GByteArray) info = g_byte_array_new ();
  g_autoptr(GByteArray) content = g_byte_array_new ();
  guint8 ts_key[4] = { 0x47, 0xf4, 0x10, 0x00 };   /* 1111111 */
  guint8 salt_key[4] = { 1, 0, 0, 0 };
  guint8 k1[32];
  guint8 k2[32];
  guint8 signature[32];
  guint8 compressed[1024];
  uLongf compressed_length = sizeof compressed;
  g_autofree char *base64 = NULL;

  append_string (info, TEST_APP_ID);
  append_u32 (info, 1111111);
  append_u32 (info, 600);
  append_u32 (info, 1);
  append_u16 (info, 2);
  append_u16 (info, AK_SERVICE_RTC);
  append_u16 (info, 1);
  append_u16 (info, AK_PRIV_RTC_JOIN_CHANNEL);
  append_u32 (info, 600);
  append_string (info, "demo");
  append_string (info, "42");
  append_u16 (info, 99);
  append_u16 (info, 0);

  hmac_sha256 (ts_key, 4, (const guint8 *) TEST_CERT, strlen (TEST_CERT), k1);
  hmac_sha256 (salt_key, 4, k1, 32, k2);
  hmac_sha256 (k2, 32, info->data, info->len, signature);

  append_u16 (content, 32);
  g_byte_array_append (content, signature, 32);
  g_byte_array_append (content, info->data, info->len);

  g_assert_cmpint (compress2 (compressed, &compressed_length, content->data, content->len,
                              Z_DEFAULT_COMPRESSION), ==, Z_OK);
  base64 = g_base64_encode (compressed, compressed_length);
  return g_strconcat ("007", base64, NULL);
}

static void
test_decode_unknown_service (void)
{
  g_autofree char *token = make_token_with_unknown_service ();
  g_auto(AkTestCliResult) result = { 0 };
  g_auto(AkTestCliResult) json = { 0 };
  g_autoptr(JsonNode) root = NULL;

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, NULL, TEST_CERT, "decode", token, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "stopped at unknown service type 99"));
  g_assert_nonnull (strstr (result.out, "demo"));
  g_assert_nonnull (strstr (result.out, "valid"));

  run_cli (&json, NULL, TEST_CERT, "decode", "--json", token, NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse_json (json.out);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root),
                                                 "signature_valid"));
  g_assert_nonnull (strstr (json.err, "99"));
}

/* The signed bytes inside a 007 token: what must match an official token exactly (Node's
 * bundled zlib may compress them differently from stock zlib). */
static GBytes *
token_payload (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = ak_token_parse (text, &error);

  g_assert_no_error (error);
  return g_bytes_ref (ak_token_get_content (token));
}

/* npm agora-token 2.0.6's exact vectors (ConvoAI, STT, raw007 uids, empty RTM permission
                  * lists) through `build --spec`, with the certificate in the spec. */
static void
test_build_spec_agora_token_vectors (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  guint checked = 0;

  if (!ak_test_require_cli ())
    return;

  root = ak_test_load_json ("agora-token-2.0.6.json");
  array = json_object_get_array_member (json_node_get_object (root), "vectors");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *vector = json_array_get_object_element (array, i);
      g_autofree char *spec = NULL;
      g_autofree char *token = NULL;
      g_autoptr(GBytes) ours = NULL;
      g_autoptr(GBytes) official = NULL;
      g_auto(AkTestCliResult) result = { 0 };

      if (!g_str_equal (json_object_get_string_member (vector, "kind"), "exact"))
        continue;
      spec = spec_text (json_object_get_string_member (vector, "builder"),
                        json_object_get_object_member (vector, "inputs"));
      run_cli (&result, spec, NULL, "build", "--spec", "-", NULL);
      g_assert_cmpint (result.status, ==, 0);
      token = g_strchomp (g_strdup (result.out));
      ours = token_payload (token);
      official = token_payload (json_object_get_string_member (vector, "expected"));
      g_assert_true (g_bytes_equal (ours, official));
      g_assert_cmpstr (token, ==, json_object_get_string_member (vector, "expected"));
      checked++;
    }
  g_assert_cmpuint (checked, >=, 11);
}

/* `build convoai` and `build stt` make the official tokens of the 2.0.6 vectors. */
static void
test_build_kind_agora_token_vectors (void)
{
  static const struct
  {
    const char *id;
    const char *args[24];
  } cases[] = {
    { "agora-token-2.0.6-convoai-exact-1",
      { "build", "convoai", "--channel", TEST_CHANNEL, "--uid", "2882341273",
        "--rtm-user-id", "2882341273", "--expire", "600", "--issue-ts", "1111111",
        "--salt", "1", NULL } },
    { "agora-token-2.0.6-stt-exact-8",
      { "build", "stt", "--channel", "agent-room", "--account", "agent-007",
        "--role", "subscriber", "--expire", "1h", "--rtm-user-id", "agent-007",
        "--rtm-expire", "1800", "--issue-ts", "1111111", "--salt", "8", NULL } },
    { "agora-token-2.0.6-stt-exact-9",
      { "build", "stt", "--channel", "support", "--account", "0", "--expire", "86400",
        "--audio-expire", "7200", "--video-expire", "3600", "--data-expire", "60",
        "--rtm-user-id", "bot", "--issue-ts", "1111111", "--salt", "9", NULL } },
  };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (!ak_test_require_cli ())
    return;

  root = ak_test_load_json ("agora-token-2.0.6.json");
  array = json_object_get_array_member (json_node_get_object (root), "vectors");
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *expected = NULL;
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autofree char *token = NULL;
      g_autoptr(GBytes) ours = NULL;
      g_autoptr(GBytes) official = NULL;
      g_auto(AkTestCliResult) result = { 0 };

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *vector = json_array_get_object_element (array, i);

          if (g_str_equal (json_object_get_string_member (vector, "id"), cases[c].id))
            expected = json_object_get_string_member (vector, "expected");
        }
      g_assert_nonnull (expected);

      for (guint i = 0; cases[c].args[i] != NULL; i++)
        g_ptr_array_add (args, (gpointer) cases[c].args[i]);
      g_ptr_array_add (args, (gpointer) "--app-id");
      g_ptr_array_add (args, (gpointer) TEST_APP_ID);
      g_ptr_array_add (args, NULL);
      run_cliv (&result, NULL, TEST_CERT, (const char * const *) args->pdata);
      g_assert_cmpint (result.status, ==, 0);
      token = g_strchomp (g_strdup (result.out));
      ours = token_payload (token);
      official = token_payload (expected);
      g_assert_true (g_bytes_equal (ours, official));
      g_assert_cmpstr (token, ==, expected);
    }
}

/* The decoder names services 9 and 10, in text and JSON, and says an empty resource list is
 * there rather than printing nothing. */
static void
test_decode_agent_services (void)
{
  static const struct
  {
    const char *id;
    const char *name;
    const char *text;
  } cases[] = {
    { "agora-token-2.0.6-convoai-wild-4", "convoai", "Service 3: convoai (type 9)" },
    { "agora-token-2.0.6-stt-wild-10", "stt", "Service 3: stt (type 10)" },
    { "agora-token-2.0.6-rtm2-empty-resources", "rtm2", "(no resources)" },
  };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (!ak_test_require_cli ())
    return;

  root = ak_test_load_json ("agora-token-2.0.6.json");
  array = json_object_get_array_member (json_node_get_object (root), "vectors");
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *token = NULL;
      g_auto(AkTestCliResult) text = { 0 };
      g_auto(AkTestCliResult) json = { 0 };
      g_autoptr(JsonNode) decoded = NULL;
      JsonArray *services;
      JsonObject *last;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *vector = json_array_get_object_element (array, i);

          if (g_str_equal (json_object_get_string_member (vector, "id"), cases[c].id))
            token = json_object_has_member (vector, "token")
                      ? json_object_get_string_member (vector, "token")
                      : json_object_get_string_member (vector, "expected");
        }
      g_assert_nonnull (token);

      run_cli (&text, NULL, TEST_CERT, "decode", token, NULL);
      g_assert_cmpint (text.status, ==, 0);
      g_assert_nonnull (strstr (text.out, cases[c].text));
      g_assert_null (strstr (text.out, "unknown"));

      run_cli (&json, NULL, TEST_CERT, "decode", "--json", token, NULL);
      g_assert_cmpint (json.status, ==, 0);
      decoded = parse_json (json.out);
      g_assert_true (json_object_get_boolean_member (json_node_get_object (decoded),
                                                     "signature_valid"));
      g_assert_false (json_object_has_member (json_node_get_object (decoded),
                                              "stopped_at_unknown_service_type"));
      services = json_object_get_array_member (json_node_get_object (decoded), "services");
      last = json_array_get_object_element (services, json_array_get_length (services) - 1);
      g_assert_cmpstr (json_object_get_string_member (last, "name"), ==, cases[c].name);
    }
}

static void
test_bench (void)
{
  static const char * const large_shapes[] = { "random names", "empty entries" };
  g_autoptr(GRegex) build_line = NULL;
  g_autoptr(GRegex) verify_line = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_auto(AkTestCliResult) result = { 0 };

  if (!ak_test_require_cli ())
    return;

  build_line = g_regex_new ("^build rtc: ([0-9]+) tokens/s \\(([0-9]+) in [0-9.]+ s\\)$",
                            G_REGEX_MULTILINE, 0, NULL);
  verify_line = g_regex_new ("^decode\\+verify: ([0-9]+) tokens/s \\(([0-9]+) in [0-9.]+ s\\)$",
                             G_REGEX_MULTILINE, 0, NULL);

  run_cli (&result, NULL, NULL, "bench", "--seconds", "0.2", NULL);
  g_assert_cmpint (result.status, ==, 0);

  g_assert_true (g_regex_match (build_line, result.out, 0, &match));
  {
    g_autofree char *count = g_match_info_fetch (match, 2);
    g_assert_cmpuint (g_ascii_strtoull (count, NULL, 10), >, 0);
  }
  g_clear_pointer (&match, g_match_info_unref);
  g_assert_true (g_regex_match (verify_line, result.out, 0, &match));
  {
    g_autofree char *count = g_match_info_fetch (match, 2);
    g_assert_cmpuint (g_ascii_strtoull (count, NULL, 10), >, 0);
  }
  g_clear_pointer (&match, g_match_info_unref);

  /* The largest RTM2 tokens the decoder accepts, one line per shape. */
  for (guint i = 0; i < G_N_ELEMENTS (large_shapes); i++)
    {
      g_autofree char *pattern = g_strdup_printf (
        "^decode\\+verify rtm2 1 MiB \\(%s\\): [0-9]+\\.[0-9] ms/token \\(([0-9]+) in "
        "[0-9.]+ s; payload ([0-9]+) bytes, token [0-9]+ characters\\)$", large_shapes[i]);
      g_autoptr(GRegex) large_line = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
      g_autofree char *count = NULL;
      g_autofree char *payload = NULL;

      g_assert_true (g_regex_match (large_line, result.out, 0, &match));
      count = g_match_info_fetch (match, 1);
      payload = g_match_info_fetch (match, 2);
      g_assert_cmpuint (g_ascii_strtoull (count, NULL, 10), >, 0);
      g_assert_cmpuint (g_ascii_strtoull (payload, NULL, 10), <=, AK_MAX_PAYLOAD_LENGTH);
      g_assert_cmpuint (g_ascii_strtoull (payload, NULL, 10), >, AK_MAX_PAYLOAD_LENGTH - 64);
      g_clear_pointer (&match, g_match_info_unref);
    }
}

static void
test_version_and_help (void)
{
  g_autofree char *version = g_strdup_printf ("agora-keys-cli %s\n", PACKAGE_VERSION);
  g_auto(AkTestCliResult) result = { 0 };
  g_auto(AkTestCliResult) build_help = { 0 };

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, NULL, NULL, "--version", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, version);

  run_cli (&result, NULL, NULL, "--help", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "build"));
  g_assert_nonnull (strstr (result.out, "decode"));
  g_assert_nonnull (strstr (result.out, "bench"));

  run_cli (&result, NULL, NULL, "help", "build", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--app-certificate-file"));
  g_assert_nonnull (strstr (result.out, "AGORA_APP_CERTIFICATE"));
  g_assert_nonnull (strstr (result.out, "3600"));
  g_assert_nonnull (strstr (result.out, "rtc-rtm2"));
  g_assert_nonnull (strstr (result.out, "rtm006"));

  run_cli (&build_help, NULL, NULL, "build", "--help", NULL);
  g_assert_cmpint (build_help.status, ==, 0);
  g_assert_cmpstr (build_help.out, ==, result.out);

  run_cli (&result, NULL, NULL, "help", "decode", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--json"));
  g_assert_nonnull (strstr (result.out, "--channel"));

  run_cli (&result, NULL, NULL, "help", "bench", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--seconds"));
}

int
main (int argc,
      char **argv)
{
  gsize i;

  g_test_init (&argc, &argv, NULL);
  /* A child that exits before reading all its input must not kill the test. */
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/ak/cli/build-spec/vectors", test_build_spec_vectors);
  g_test_add_func ("/ak/cli/build-spec/certificate-sources", test_build_spec_certificate_sources);
  for (i = 0; i < G_N_ELEMENTS (hostile_specs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/cli/build-spec/hostile/%s",
                                               hostile_specs[i].name);

      g_test_add_data_func (path, &hostile_specs[i], test_build_spec_hostile);
    }
  g_test_add_func ("/ak/cli/build-spec/plain-channel", test_build_spec_plain_channel);
  g_test_add_func ("/ak/cli/build-spec/permission-limit", test_build_spec_permission_limit);
  for (i = 0; i < G_N_ELEMENTS (kind_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/cli/build-kind/%s", kind_cases[i].name);

      g_test_add_data_func (path, &kind_cases[i], test_build_kind_matches_spec);
    }
  g_test_add_func ("/ak/cli/build-kind/defaults", test_build_kind_defaults);
  g_test_add_func ("/ak/cli/build-kind/006-default-expiry", test_build_006_default_expiry);
  g_test_add_func ("/ak/cli/build/without-certificate", test_build_without_certificate);
  g_test_add_func ("/ak/cli/build/invalid-input", test_build_invalid_input);
  g_test_add_func ("/ak/cli/build/certificate-file", test_build_certificate_file);
  g_test_add_func ("/ak/cli/build/certificate-argument", test_build_certificate_argument);
  g_test_add_func ("/ak/cli/build/warnings", test_build_warnings);
  g_test_add_func ("/ak/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/ak/cli/decode/json-vectors", test_decode_json_vectors);
  g_test_add_func ("/ak/cli/decode/human-007", test_decode_human_007);
  g_test_add_func ("/ak/cli/decode/human-006", test_decode_human_006);
  g_test_add_func ("/ak/cli/decode/mismatch", test_decode_mismatch);
  g_test_add_func ("/ak/cli/decode/malformed", test_decode_malformed);
  g_test_add_func ("/ak/cli/decode/unknown-service", test_decode_unknown_service);
  g_test_add_func ("/ak/cli/decode/agent-services", test_decode_agent_services);
  g_test_add_func ("/ak/cli/build-spec/agora-token-2.0.6", test_build_spec_agora_token_vectors);
  g_test_add_func ("/ak/cli/build-kind/agora-token-2.0.6", test_build_kind_agora_token_vectors);
  g_test_add_func ("/ak/cli/bench", test_bench);
  g_test_add_func ("/ak/cli/version-and-help", test_version_and_help);

  return g_test_run ();
}
