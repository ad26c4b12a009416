/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every builder, round-tripped: build with fixed issue time and salt, parse, verify, and
 * check that the services and privileges follow the official semantics.
 * Then the defaults (current time, random salt) and RTM2 permissions. Validation errors and
 * soft warnings are test-builders-validation's; what both share is ak-test-builders.h.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "ak-core.h"
#include "ak-test-util.h"
#include "ak-test-builders.h"

typedef struct
{
  const char *name;
  const char *builder;
  /* JSON object merged over the defaults; a null member removes that input. */
  const char *overrides;
  /* JSON object every member of which must equal the decoded token's; "@MD5@" stands
   * for md5_hex("dave"). Service objects may carry more members than listed. */
  const char *expected;
  /* 006 only: what to verify with. */
  const char *verify_channel;
  const char *verify_uid;
} BuilderCase;

#define RTC4(v) "{\"1\": " v ", \"2\": " v ", \"3\": " v ", \"4\": " v "}"
#define PRIV006 G_STRINGIFY (PRIVILEGE_TS_006)

/* The first case of each builder is its round trip; the others vary roles and uids. */
static const BuilderCase builder_cases[] = {
  { "raw007", "raw007", "{}",
    "{\"version\": \"007\", \"issue_ts\": 1700000000, \"expire\": 7200, \"salt\": 12345,"
    " \"service_count_field\": 8, \"services\": ["
    "{\"type\": 1, \"privileges\": {\"1\": 101, \"4\": 104}, \"channel_name\": \"demo-channel\","
    " \"uid\": \"42\"},"
    "{\"type\": 2, \"privileges\": {\"1\": 200}, \"user_id\": \"carol\"},"
    "{\"type\": 3, \"privileges\": {\"1\": 301}, \"channel_name\": \"demo-channel\","
    " \"account\": \"stream\"},"
    "{\"type\": 4, \"privileges\": {\"1\": 0}},"
    "{\"type\": 5, \"privileges\": {\"2\": 500}, \"user_id\": \"\"},"
    "{\"type\": 6, \"privileges\": {\"1\": 601, \"2\": 602}, \"channel_name\": \"demo-channel\","
    " \"account\": \"\"},"
    "{\"type\": 7, \"privileges\": {\"3\": 700}, \"room_uuid\": \"\", \"user_uuid\": \"\","
    " \"role\": -1},"
    "{\"type\": 8, \"privileges\": {\"1\": 800}, \"user_id\": \"carol\","
    " \"permissions\": {\"1\": {\"1\": [\"stream-a\"]}}}]}" },
  /* Types 9 and 10, and integer accounts written as the official ServiceStreaming and
   * ServiceFCdn write them. */
  { "raw007-agents-and-integer-accounts", "raw007",
    "{\"services\": [{\"type\": 10, \"privileges\": {}}, {\"type\": 9, \"privileges\": {}},"
    " {\"type\": 6, \"privileges\": {\"2\": 62}, \"channel_name\": \"cdn\", \"account\": 42},"
    " {\"type\": 3, \"privileges\": {\"1\": 31}, \"channel_name\": \"live\", \"account\": 0},"
    " {\"type\": 1, \"privileges\": {\"1\": 11}, \"channel_name\": \"room\","
    " \"uid\": 4294967295}]}",
    "{\"service_count_field\": 5, \"services\": ["
    "{\"type\": 1, \"uid\": \"4294967295\", \"privileges\": {\"1\": 11}},"
    "{\"type\": 3, \"channel_name\": \"live\", \"account\": \"\", \"privileges\": {\"1\": 31}},"
    "{\"type\": 6, \"channel_name\": \"cdn\", \"account\": \"42\", \"privileges\": {\"2\": 62}},"
    "{\"type\": 9, \"name\": \"convoai\", \"privileges\": {}},"
    "{\"type\": 10, \"name\": \"stt\", \"privileges\": {}}]}" },
  { "raw006", "raw006", "{\"uid\": \"2882341273\"}",
    "{\"version\": \"006\", \"ts\": 1700086400, \"salt\": 12345,"
    " \"privileges\": {\"1\": 1700090001, \"2\": 1700090002}}",
    "demo-channel", "2882341273" },

  { "rtc_uid", "rtc_uid", "{}",
    "{\"expire\": 3600, \"services\": [{\"type\": 1, \"channel_name\": \"demo-channel\","
    " \"uid\": \"2882341273\", \"privileges\": " RTC4 ("1800") "}]}" },
  { "rtc_uid-subscriber", "rtc_uid", "{\"role\": 2}",
    "{\"expire\": 3600, \"services\": [{\"type\": 1, \"uid\": \"2882341273\","
    " \"privileges\": {\"1\": 1800}}]}" },
  { "rtc_uid-uid-0", "rtc_uid", "{\"uid\": 0}",
    "{\"services\": [{\"type\": 1, \"uid\": \"\", \"privileges\": " RTC4 ("1800") "}]}" },
  { "rtc_uid-uid-max", "rtc_uid", "{\"uid\": 4294967295}",
    "{\"services\": [{\"type\": 1, \"uid\": \"4294967295\"}]}" },
  { "rtc_uid-privilege-default", "rtc_uid", "{\"privilege_expire\": null}",
    "{\"expire\": 3600, \"services\": [{\"type\": 1, \"privileges\": " RTC4 ("0") "}]}" },

  { "rtc_account", "rtc_account", "{}",
    "{\"expire\": 3600, \"services\": [{\"type\": 1, \"channel_name\": \"demo-channel\","
    " \"uid\": \"alice\", \"privileges\": " RTC4 ("1800") "}]}" },
  { "rtc_account-string-zero", "rtc_account", "{\"account\": \"0\", \"role\": 2}",
    "{\"services\": [{\"type\": 1, \"uid\": \"0\", \"privileges\": {\"1\": 1800}}]}" },

  { "rtc_uid_privilege", "rtc_uid_privilege", "{}",
    "{\"expire\": 3600, \"services\": [{\"type\": 1, \"channel_name\": \"demo-channel\","
    " \"uid\": \"2882341273\","
    " \"privileges\": {\"1\": 1000, \"2\": 2000, \"3\": 3000, \"4\": 4000}}]}" },
  { "rtc_account_privilege", "rtc_account_privilege", "{}",
    "{\"expire\": 3600, \"services\": [{\"type\": 1, \"channel_name\": \"demo-channel\","
    " \"uid\": \"alice\","
    " \"privileges\": {\"1\": 1000, \"2\": 2000, \"3\": 3000, \"4\": 4000}}]}" },

  /* RTM's login lasts as long as the token, not the RTC privileges. */
  { "rtc_rtm", "rtc_rtm", "{}",
    "{\"expire\": 3600, \"services\": ["
    "{\"type\": 1, \"channel_name\": \"demo-channel\", \"uid\": \"alice\","
    " \"privileges\": " RTC4 ("1800") "},"
    "{\"type\": 2, \"user_id\": \"alice\", \"privileges\": {\"1\": 3600}}]}" },
  { "rtc_rtm-subscriber", "rtc_rtm", "{\"role\": 2}",
    "{\"services\": [{\"type\": 1, \"privileges\": {\"1\": 1800}},"
    "{\"type\": 2, \"privileges\": {\"1\": 3600}}]}" },

  { "rtc_rtm2", "rtc_rtm2", "{}",
    "{\"expire\": 3600, \"services\": ["
    "{\"type\": 1, \"channel_name\": \"demo-channel\", \"uid\": \"bob\","
    " \"privileges\": {\"1\": 1000, \"2\": 2000, \"3\": 3000, \"4\": 4000}},"
    "{\"type\": 2, \"user_id\": \"bob-rtm\", \"privileges\": {\"1\": 5400}}]}" },
  { "rtc_rtm2-subscriber", "rtc_rtm2", "{\"rtc_role\": 2}",
    "{\"services\": [{\"type\": 1, \"uid\": \"bob\", \"privileges\": {\"1\": 1000}},"
    "{\"type\": 2, \"privileges\": {\"1\": 5400}}]}" },

  /* Agent tokens (agora-token 2.0.6): rtc_rtm2's services, then one with no privilege. */
  { "convoai", "convoai", "{}",
    "{\"expire\": 3600, \"service_count_field\": 3, \"services\": ["
    "{\"type\": 1, \"channel_name\": \"demo-channel\", \"uid\": \"bob\","
    " \"privileges\": {\"1\": 1000, \"2\": 2000, \"3\": 3000, \"4\": 4000}},"
    "{\"type\": 2, \"user_id\": \"bob-rtm\", \"privileges\": {\"1\": 5400}},"
    "{\"type\": 9, \"name\": \"convoai\", \"privileges\": {}}]}" },
  { "convoai-subscriber", "convoai", "{\"rtc_role\": 2}",
    "{\"services\": [{\"type\": 1, \"uid\": \"bob\", \"privileges\": {\"1\": 1000}},"
    "{\"type\": 2, \"privileges\": {\"1\": 5400}}, {\"type\": 9, \"privileges\": {}}]}" },
  { "convoai-uid-number", "convoai", "{\"rtc_account\": 2882341273}",
    "{\"services\": [{\"type\": 1, \"uid\": \"2882341273\"}, {\"type\": 2},"
    " {\"type\": 9}]}" },
  { "convoai-uid-0", "convoai", "{\"rtc_account\": 0}",
    "{\"services\": [{\"type\": 1, \"uid\": \"\"}, {\"type\": 2}, {\"type\": 9}]}" },
  { "convoai-account-string-zero", "convoai", "{\"rtc_account\": \"0\"}",
    "{\"services\": [{\"type\": 1, \"uid\": \"0\"}, {\"type\": 2}, {\"type\": 9}]}" },
  { "stt", "stt", "{}",
    "{\"expire\": 3600, \"service_count_field\": 3, \"services\": ["
    "{\"type\": 1, \"channel_name\": \"demo-channel\", \"uid\": \"bob\","
    " \"privileges\": {\"1\": 1000, \"2\": 2000, \"3\": 3000, \"4\": 4000}},"
    "{\"type\": 2, \"user_id\": \"bob-rtm\", \"privileges\": {\"1\": 5400}},"
    "{\"type\": 10, \"name\": \"stt\", \"privileges\": {}}]}" },
  { "stt-uid-number", "stt", "{\"rtc_account\": 42, \"rtc_role\": 2}",
    "{\"services\": [{\"type\": 1, \"uid\": \"42\", \"privileges\": {\"1\": 1000}},"
    " {\"type\": 2}, {\"type\": 10, \"privileges\": {}}]}" },

  { "rtm", "rtm", "{}",
    "{\"expire\": 7200, \"services\": [{\"type\": 2, \"user_id\": \"carol\","
    " \"privileges\": {\"1\": 7200}}]}" },
  { "rtm_permissions", "rtm_permissions", "{}",
    "{\"expire\": 7200, \"services\": [{\"type\": 8, \"user_id\": \"carol\","
    " \"privileges\": {\"1\": 7200}, \"permissions\": {\"0\": {\"0\": [\"message-a\","
    " \"message-b\"], \"1\": [\"message-w\"]}, \"4\": {\"0\": [\"user-a\"]}}}]}" },

  { "chat_user", "chat_user", "{}",
    "{\"expire\": 7200, \"services\": [{\"type\": 5, \"user_id\": \"carol\","
    " \"privileges\": {\"1\": 7200}}]}" },
  { "chat_app", "chat_app", "{}",
    "{\"expire\": 7200, \"services\": [{\"type\": 5, \"user_id\": \"\","
    " \"privileges\": {\"2\": 7200}}]}" },

  { "fpa", "fpa", "{}",
    "{\"expire\": 86400, \"services\": [{\"type\": 4, \"privileges\": {\"1\": 0}}]}" },

#define ROOM_USER_SERVICES \
  "[{\"type\": 2, \"user_id\": \"dave\", \"privileges\": {\"1\": 7200}}," \
  "{\"type\": 5, \"user_id\": \"@MD5@\", \"privileges\": {\"1\": 7200}}," \
  "{\"type\": 7, \"room_uuid\": \"room-42\", \"user_uuid\": \"dave\", \"role\": 1," \
  " \"privileges\": {\"1\": 7200}}]"
#define USER_SERVICES \
  "[{\"type\": 7, \"room_uuid\": \"\", \"user_uuid\": \"dave\", \"role\": -1," \
  " \"privileges\": {\"2\": 7200}}]"
#define APP_SERVICES \
  "[{\"type\": 7, \"room_uuid\": \"\", \"user_uuid\": \"\", \"role\": -1," \
  " \"privileges\": {\"3\": 7200}}]"

  { "apaas_room_user", "apaas_room_user", "{}",
    "{\"expire\": 7200, \"service_count_field\": 3, \"services\": " ROOM_USER_SERVICES "}" },
  { "apaas_user", "apaas_user", "{}", "{\"expire\": 7200, \"services\": " USER_SERVICES "}" },
  { "apaas_app", "apaas_app", "{}", "{\"expire\": 7200, \"services\": " APP_SERVICES "}" },
  { "education_room_user", "education_room_user", "{}",
    "{\"expire\": 7200, \"service_count_field\": 3, \"services\": " ROOM_USER_SERVICES "}" },
  { "education_user", "education_user", "{}",
    "{\"expire\": 7200, \"services\": " USER_SERVICES "}" },
  { "education_app", "education_app", "{}",
    "{\"expire\": 7200, \"services\": " APP_SERVICES "}" },

  /* 006 privileges are absolute times, copied as given. */
  { "rtc006_uid", "rtc006_uid", "{}",
    "{\"version\": \"006\", \"ts\": 1700086400, \"salt\": 12345, \"privileges\": "
    RTC4 (PRIV006) "}",
    "demo-channel", "2882341273" },
  { "rtc006_uid-subscriber", "rtc006_uid", "{\"role\": 2}",
    "{\"privileges\": {\"1\": " PRIV006 "}}", "demo-channel", "2882341273" },
  { "rtc006_uid-attendee", "rtc006_uid", "{\"role\": 0}",
    "{\"privileges\": " RTC4 (PRIV006) "}", "demo-channel", "2882341273" },
  { "rtc006_uid-admin", "rtc006_uid", "{\"role\": 101}",
    "{\"privileges\": " RTC4 (PRIV006) "}", "demo-channel", "2882341273" },
  { "rtc006_uid-uid-0", "rtc006_uid", "{\"uid\": 0}",
    "{\"crc_uid\": 0, \"privileges\": " RTC4 (PRIV006) "}", "demo-channel", "" },
  { "rtc006_account", "rtc006_account", "{}",
    "{\"version\": \"006\", \"ts\": 1700086400, \"privileges\": " RTC4 (PRIV006) "}",
    "demo-channel", "alice" },
  /* RTM 006 puts the account where the channel name goes, and no uid. */
  { "rtm006", "rtm006", "{}",
    "{\"version\": \"006\", \"ts\": 1700086400, \"crc_uid\": 0,"
    " \"privileges\": {\"1000\": " PRIV006 "}}",
    "erin", "" },
};

static void
test_builder_case (gconstpointer data)
{
  const BuilderCase *c = data;
  AkBuilder builder = builder_from_name (c->builder);
  g_autoptr(JsonObject) inputs = inputs_for_builder (builder, c->overrides);
  g_autoptr(AkBuildResult) result = build_ok (builder, inputs);
  g_autoptr(AkToken) token = ak_test_parse_token (ak_build_result_get_token (result));
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, "dave", -1);
  g_autoptr(GString) expected_text = g_string_new (c->expected);
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) actual = NULL;
  g_autofree char *why = NULL;
  AkVerification verification;

  g_assert_cmpint (ak_token_get_version (token), ==,
                   ak_builder_is_006 (builder) ? AK_TOKEN_VERSION_006 : AK_TOKEN_VERSION_007);
  g_assert_cmpstr (ak_token_get_app_id (token), ==, APP_ID);
  g_assert_cmpuint (ak_token_get_salt (token), ==, SALT);
  if (!ak_builder_is_006 (builder))
    g_assert_cmpuint (ak_token_get_issue_ts (token), ==, ISSUE_TS);

  verification = assert_verifies (token, c->verify_channel, c->verify_uid);

  g_string_replace (expected_text, "@MD5@", md5, 0);
  expected = node_from_text (expected_text->str);
  actual = ak_token_to_json (token, &verification);
  why = ak_test_json_difference (expected, actual, c->name, TRUE);
  g_assert_cmpstr (why, ==, NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (actual),
                                                 "signature_valid"));
}

static const BuilderCase *
first_case_for (const char *builder_name)
{
  for (guint i = 0; i < G_N_ELEMENTS (builder_cases); i++)
    if (g_str_equal (builder_cases[i].builder, builder_name))
      return &builder_cases[i];
  return NULL;
}

/* Every builder the library has must have a round trip here, and names must round-trip. */
static void
test_every_builder_covered (void)
{
  for (int b = 0; b < AK_N_BUILDERS; b++)
    {
      const char *name = ak_builder_to_name ((AkBuilder) b);
      const char *description = ak_builder_get_description ((AkBuilder) b);

      g_assert_nonnull (name);
      g_assert_nonnull (description);
      g_assert_cmpstr (description, !=, "");
      g_assert_cmpint (builder_from_name (name), ==, b);
      if (first_case_for (name) == NULL)
        g_error ("No round-trip case for builder %s", name);
    }
}

/* A token of @builder built without its @time_input and salt, between the times (in seconds)
 * this returns in @before and @after; its salt is one the official builders could draw. */
static AkToken *
build_with_defaults (AkBuilder   builder,
                     const char *time_input,
                     gint64     *before,
                     gint64     *after)
{
  g_autoptr(JsonObject) inputs = inputs_for_builder (builder, NULL);
  g_autoptr(AkBuildResult) result = NULL;
  AkToken *token;

  json_object_remove_member (inputs, time_input);
  json_object_remove_member (inputs, "salt");
  *before = g_get_real_time () / G_USEC_PER_SEC;
  result = build_ok (builder, inputs);
  *after = g_get_real_time () / G_USEC_PER_SEC;
  token = ak_test_parse_token (ak_build_result_get_token (result));
  g_assert_cmpuint (ak_token_get_salt (token), >=, 1);
  g_assert_cmpuint (ak_token_get_salt (token), <=, 99999999);
  return token;
}

/* Without issue_ts and salt: now, and a fresh random salt each time. */
static void
test_defaults_007 (void)
{
  AkBuilder builder = builder_from_name ("rtc_uid");
  guint32 first_salt = 0;
  gboolean salts_differ = FALSE;

  for (guint i = 0; i < 50; i++)
    {
      gint64 before, after;
      g_autoptr(AkToken) token = build_with_defaults (builder, "issue_ts", &before, &after);

      g_assert_cmpint (ak_token_get_issue_ts (token), >=, before - 2);
      g_assert_cmpint (ak_token_get_issue_ts (token), <=, after + 2);
      g_assert_cmpint (ak_token_get_expires_at (token), ==,
                       (gint64) ak_token_get_issue_ts (token) + 3600);
      if (i == 0)
        first_salt = ak_token_get_salt (token);
      else if (ak_token_get_salt (token) != first_salt)
        salts_differ = TRUE;
      assert_verifies (token, NULL, NULL);
    }
  g_assert_true (salts_differ);
}

/* 006 builders default to a token that lasts a day, like the official ones. */
static void
test_defaults_006 (void)
{
  gint64 before, after;
  g_autoptr(AkToken) token = build_with_defaults (builder_from_name ("rtc006_uid"), "ts",
                                                  &before, &after);

  g_assert_cmpint (ak_token_get_ts (token), >=, before + 86400 - 2);
  g_assert_cmpint (ak_token_get_ts (token), <=, after + 86400 + 2);
  assert_verifies (token, "demo-channel", "2882341273");
}

/* The spec form must give the same bytes as calling the builder directly. */
static void
test_build_from_spec (void)
{
  AkBuilder builder = builder_from_name ("rtc_uid");
  g_autoptr(JsonObject) inputs = inputs_for_builder (builder, NULL);
  g_autoptr(AkBuildResult) direct = build_ok (builder, inputs);
  g_autoptr(JsonObject) spec_object = json_object_new ();
  g_autoptr(JsonNode) spec = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(AkBuildResult) from_spec = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (spec_object, "builder", "rtc_uid");
  json_object_set_object_member (spec_object, "inputs", json_object_ref (inputs));
  json_node_set_object (spec, spec_object);

  from_spec = ak_build_token_from_spec (spec, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ak_build_result_get_token (from_spec), ==, ak_build_result_get_token (direct));
}

static AkBuildResult *
build_rtm_permissions (const char  *permissions_json,
                       GError     **error)
{
  AkBuilder builder = builder_from_name ("rtm_permissions");
  g_autoptr(JsonObject) inputs = inputs_for_builder (builder, NULL);

  json_object_set_member (inputs, "permissions", node_from_text (permissions_json));
  return ak_build_token (builder, inputs, error);
}

/* The official builders write permissions sorted by resource type, then permission type,
 * whatever order the input lists them in, and by name or by number. */
static void
test_permissions_any_key_order (void)
{
  static const char * const spellings[] = {
    "{\"4\": {\"0\": [\"u\"]}, \"0\": {\"1\": [\"w\"], \"0\": [\"a\", \"b\"]}}",
    "{\"users\": {\"read\": [\"u\"]},"
    " \"messageChannels\": {\"write\": [\"w\"], \"read\": [\"a\"], \"0\": [\"b\"]}}",
    "{\"0\": {\"1\": [\"w\"]}, \"4\": {\"read\": [\"u\"]}, \"messageChannels\": {\"0\": [\"a\","
    " \"b\"]}}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) sorted = build_rtm_permissions (
    "{\"0\": {\"0\": [\"a\", \"b\"], \"1\": [\"w\"]}, \"4\": {\"0\": [\"u\"]}}", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(AkBuildResult) result = build_rtm_permissions (spellings[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (ak_build_result_get_token (result), ==,
                       ak_build_result_get_token (sorted));
    }
}

static char *
permissions_with_resources (guint n)
{
  GString *json = g_string_new ("{\"messageChannels\": {\"read\": [");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s\"c%u\"", i > 0 ? ", " : "", i);
  g_string_append (json, "]}}");
  return g_string_free (json, FALSE);
}

/* 65,535 resources fit a permission's u16 count and come back whole; 65,537 are refused
 * with the field named, where the count used to wrap to 1 in a token that would not decode. */
static void
test_permissions_resource_limit (void)
{
  g_autofree char *most = permissions_with_resources (G_MAXUINT16);
  g_autofree char *too_many = permissions_with_resources (G_MAXUINT16 + 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = build_rtm_permissions (most, &error);
  g_autoptr(AkToken) token = NULL;
  const AkRtmPermission *permission;

  g_assert_no_error (error);
  token = ak_test_parse_token (ak_build_result_get_token (result));
  assert_verifies (token, NULL, NULL);
  permission = &g_array_index (ak_token_get_service (token, 0)->permissions, AkRtmPermission, 0);
  g_assert_cmpuint (permission->resources->len, ==, G_MAXUINT16);
  g_assert_cmpstr (g_ptr_array_index (permission->resources, G_MAXUINT16 - 1), ==, "c65534");

  g_clear_pointer (&result, ak_build_result_free);
  result = build_rtm_permissions (too_many, &error);
  assert_refused (result, error, "RTM permission “read” on “messageChannels” has "
                                 "65537 resources");
}

/* 65,536 permission types under one resource type, listed in reverse: refused by name, and
 * quickly (sorting them one insertion at a time took quadratic time). */
static void
test_permissions_type_limit (void)
{
  GString *json = g_string_new ("{\"streamChannels\": {");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = NULL;

  for (guint i = 0; i <= G_MAXUINT16; i++)
    g_string_append_printf (json, "%s\"%u\": [\"s\"]", i > 0 ? ", " : "", G_MAXUINT16 - i);
  g_string_append (json, "}}");
  text = g_string_free (json, FALSE);

  result = build_rtm_permissions (text, &error);
  assert_refused (result, error, "“streamChannels” has 65536 permissions");
}

static JsonObject *
decoded_service (const char *text,
                 guint       index)
{
  g_autoptr(AkToken) token = ak_test_parse_token (text);
  g_autoptr(JsonNode) json = ak_token_to_json (token, NULL);
  JsonArray *services = json_object_get_array_member (json_node_get_object (json), "services");

  return json_object_ref (json_array_get_object_element (services, index));
}

/* An empty resource list, and a resource type with no permission, are kept as the official
 * builders keep them: they are signed bytes, so dropping them makes another token. */
static void
test_permissions_empty_lists (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) with_empty = build_rtm_permissions (
    "{\"users\": {}, \"messageChannels\": {\"write\": [], \"read\": [\"a\"]}}", &error);
  g_autoptr(AkBuildResult) same = NULL;
  g_autoptr(AkBuildResult) without = NULL;
  g_autoptr(JsonObject) service = NULL;
  g_autoptr(JsonNode) expected = NULL;

  g_assert_no_error (error);
  service = decoded_service (ak_build_result_get_token (with_empty), 0);
  expected = node_from_text ("{\"0\": {\"0\": [\"a\"], \"1\": []}, \"4\": {}}");
  ak_test_assert_json_equal (expected, json_object_get_member (service, "permissions"));

  /* The same lists by number, in another order, with the empty type also named: one token. */
  same = build_rtm_permissions (
    "{\"0\": {\"0\": [\"a\"], \"write\": []}, \"4\": {}, \"USERS\": {}}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ak_build_result_get_token (same), ==, ak_build_result_get_token (with_empty));

  without = build_rtm_permissions ("{\"0\": {\"0\": [\"a\"]}}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ak_build_result_get_token (without), !=,
                   ak_build_result_get_token (with_empty));
}

static guint
count_warnings (const AkBuildResult *result,
                AkWarningCode        code)
{
  GPtrArray *warnings = ak_build_result_get_warnings (result);
  guint n = 0;

  for (guint i = 0; i < warnings->len; i++)
    if (((AkWarning *) warnings->pdata[i])->code == code)
      n++;
  return n;
}

/* The agent builders write an integer rtc_account in decimal, as the official ServiceRtc
 * does: other digits make the same token as the integer, so only "0" is worth a warning. */
static void
test_agent_numeric_account (void)
{
  g_autoptr(AkBuildResult) string_result = build_with ("convoai",
                                                       "{\"rtc_account\": \"2882341273\"}");
  g_autoptr(AkBuildResult) number_result = build_with ("convoai",
                                                       "{\"rtc_account\": 2882341273}");
  g_autoptr(AkBuildResult) zero_string_result = build_with ("convoai",
                                                            "{\"rtc_account\": \"0\"}");
  g_autoptr(AkBuildResult) zero_number_result = build_with ("convoai", "{\"rtc_account\": 0}");
  /* rtc_rtm2 takes strings only, and keeps its warning for any digits. */
  g_autoptr(AkBuildResult) rtm2_result = build_with ("rtc_rtm2",
                                                     "{\"rtc_account\": \"2882341273\"}");

  g_assert_cmpstr (ak_build_result_get_token (string_result), ==,
                   ak_build_result_get_token (number_result));
  g_assert_cmpuint (count_warnings (string_result, AK_WARNING_NUMERIC_ACCOUNT), ==, 0);
  g_assert_cmpuint (count_warnings (number_result, AK_WARNING_NUMERIC_ACCOUNT), ==, 0);

  g_assert_cmpstr (ak_build_result_get_token (zero_string_result), !=,
                   ak_build_result_get_token (zero_number_result));
  g_assert_cmpuint (count_warnings (zero_string_result, AK_WARNING_NUMERIC_ACCOUNT), ==, 1);
  g_assert_cmpuint (count_warnings (zero_number_result, AK_WARNING_NUMERIC_ACCOUNT), ==, 0);

  g_assert_cmpuint (count_warnings (rtm2_result, AK_WARNING_NUMERIC_ACCOUNT), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/builders/every-builder-covered", test_every_builder_covered);
  AK_TEST_ADD_CASES ("/ak/builders/round-trip", builder_cases, test_builder_case);

  g_test_add_func ("/ak/builders/defaults/007-now-and-random-salt", test_defaults_007);
  g_test_add_func ("/ak/builders/defaults/006-one-day", test_defaults_006);
  g_test_add_func ("/ak/builders/spec/same-as-direct", test_build_from_spec);
  g_test_add_func ("/ak/builders/permissions/any-key-order", test_permissions_any_key_order);
  g_test_add_func ("/ak/builders/permissions/resource-limit", test_permissions_resource_limit);
  g_test_add_func ("/ak/builders/permissions/type-limit", test_permissions_type_limit);
  g_test_add_func ("/ak/builders/permissions/empty-lists-kept", test_permissions_empty_lists);
  g_test_add_func ("/ak/builders/agents/numeric-account", test_agent_numeric_account);

  return g_test_run ();
}
