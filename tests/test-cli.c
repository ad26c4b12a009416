/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <zlib.h>

#include "ak-core.h"
#include "ak-test-cli.h"

/*
 * agora-keys-cli build, run as a user would: by spec and by kind against the official and
 * npm agora-token vectors, hostile input, warnings, usage
 * errors, version and help. Decoding is test-cli-decode.c; where the certificate comes from,
 * test-cli-certificate.c.
 */

/* Every equivalent builder of every vector, through `build --spec`, alternating between
 * standard input and a file, gives the vector's exact token. */
static void
test_build_spec_vectors (void)
{
  g_autoptr(GPtrArray) vectors = NULL;
  guint checked = 0;

  if (!ak_test_require_cli ())
    return;

  vectors = official_vectors_with ("equivalent_builders");
  for (guint i = 0; i < vectors->len; i++)
    {
      JsonObject *vector = vectors->pdata[i];
      JsonArray *builders;
      guint j;

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

/* The education kinds are the aPaaS ones under their older names: the same flags and inputs
 * give the same tokens. Filled from kind_cases[] by add_education_cases(). */
static const char * const education_aliases[][2] = {
  { "apaas-room-user", "education-room-user" },
  { "apaas-user", "education-user" },
  { "apaas-app", "education-app" },
};
static KindCase education_cases[G_N_ELEMENTS (education_aliases)];

static void test_build_kind_matches_spec (gconstpointer data);

static void
add_education_cases (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (education_aliases); i++)
    {
      KindCase *alias = &education_cases[i];
      g_autofree char *path = NULL;
      char *builder;

      for (gsize j = 0; j < G_N_ELEMENTS (kind_cases) && alias->name == NULL; j++)
        if (g_str_equal (kind_cases[j].name, education_aliases[i][0]))
          *alias = kind_cases[j];
      g_assert_nonnull (alias->name);
      alias->name = alias->args[0] = education_aliases[i][1];
      /* Kept for the whole run, as the table's strings are. */
      builder = g_strdelimit (g_strdup (alias->name), "-", '_');
      alias->builder = builder;
      path = g_strdup_printf ("/ak/cli/build-kind/%s", alias->name);
      g_test_add_data_func (path, alias, test_build_kind_matches_spec);
    }
}

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

  inputs_node = ak_test_parse_json (kind_case->inputs, -1);
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

/* Runs @args with TEST_CERT, which must succeed; @before and @after (unless NULL) bound the
 * time it ran, in seconds. */
static void
build_timed (AkTestCliResult    *result,
             gint64             *before,
             gint64             *after,
             const char * const *args)
{
  if (before != NULL)
    *before = g_get_real_time () / G_USEC_PER_SEC;
  run_cliv (result, NULL, TEST_CERT, args);
  if (after != NULL)
    *after = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpint (result->status, ==, 0);
}

#define RTC_DEMO_7 \
  AK_TEST_ARGS ("build", "rtc", "--app-id", TEST_APP_ID, "--channel", "demo", "--uid", "7")

/* Without --issue-ts and --salt: a fresh salt each time, issued now, 3600 s by default,
 * and privileges as long as the token rather than the official 0. */
static void
test_build_kind_defaults (void)
{
  g_auto(AkTestCliResult) first = { 0 };
  g_auto(AkTestCliResult) second = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonObject *service;
  JsonObject *privileges;
  gint64 before;
  gint64 after;

  if (!ak_test_require_cli ())
    return;

  build_timed (&first, &before, &after, RTC_DEMO_7);
  build_timed (&second, NULL, NULL, RTC_DEMO_7);
  g_assert_cmpstr (first.out, !=, second.out);

  root = decode_json (first.out, NULL, NULL);
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
  g_autoptr(JsonNode) root = NULL;
  JsonObject *privileges;
  gint64 before;
  gint64 after;

  if (!ak_test_require_cli ())
    return;

  build_timed (&built, &before, &after,
               AK_TEST_ARGS ("build", "rtc006", "--app-id", TEST_APP_ID, "--channel", "demo",
                             "--uid", "7", "--role", "subscriber", "--expire", "2h"));
  g_assert_true (g_str_has_prefix (built.out, "006" TEST_APP_ID));

  root = decode_json (built.out, AK_TEST_ARGS ("--channel", "demo", "--uid", "7"), NULL);
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
  root = ak_test_parse_json (decoded.out, -1);
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

  if (!ak_test_require_cli ())
    return;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *expected = json_object_get_string_member (npm_vector (&root, cases[c].id),
                                                            "expected");
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autofree char *token = NULL;
      g_autoptr(GBytes) ours = NULL;
      g_autoptr(GBytes) official = NULL;
      g_auto(AkTestCliResult) result = { 0 };

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

  ak_test_init_cli_tests (&argc, &argv);

  g_test_add_func ("/ak/cli/build-spec/vectors", test_build_spec_vectors);
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
  add_education_cases ();
  g_test_add_func ("/ak/cli/build-kind/defaults", test_build_kind_defaults);
  g_test_add_func ("/ak/cli/build-kind/006-default-expiry", test_build_006_default_expiry);
  g_test_add_func ("/ak/cli/build/invalid-input", test_build_invalid_input);
  g_test_add_func ("/ak/cli/build/warnings", test_build_warnings);
  g_test_add_func ("/ak/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/ak/cli/build-spec/agora-token-2.0.6", test_build_spec_agora_token_vectors);
  g_test_add_func ("/ak/cli/build-kind/agora-token-2.0.6", test_build_kind_agora_token_vectors);
  g_test_add_func ("/ak/cli/bench", test_bench);
  g_test_add_func ("/ak/cli/version-and-help", test_version_and_help);

  return g_test_run ();
}
