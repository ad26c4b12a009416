/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the builders refuse (each input out of range, missing or unknown, with the error a
 * person reads), what they accept at the edges, and the soft warnings they give without
 * changing the token. The round trips are test-builders'.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "ak-core.h"
#include "ak-test-util.h"
#include "ak-test-builders.h"

static const InputChange invalid_inputs[] = {
  { "app-id-31", "rtc_uid", "app_id", "\"970CA35de60c44645bbae8a215061b3\"" },
  { "app-id-33", "rtc_uid", "app_id", "\"970CA35de60c44645bbae8a215061b333\"" },
  { "app-id-non-hex", "rtc_uid", "app_id", "\"970CA35de60c44645bbae8a215061g33\"" },
  { "app-id-empty", "rtc_uid", "app_id", "\"\"" },
  { "certificate-31", "rtc_uid", "app_certificate", "\"5CFd2fd1755d40ecb72977518be15d3\"" },
  { "certificate-33", "rtc_uid", "app_certificate", "\"5CFd2fd1755d40ecb72977518be15d3bb\"" },
  { "certificate-non-hex", "rtc_uid", "app_certificate",
    "\"5CFd2fd1755d40ecb72977518be15dgb\"" },
  { "certificate-006", "rtc006_uid", "app_certificate", "\"5CFd2fd1755d40ecb72977518be15d3\"" },
  { "missing-channel", "rtc_uid", "channel_name", NULL },
  { "missing-app-id", "chat_app", "app_id", NULL },
  { "missing-user-id", "rtm", "user_id", NULL },
  { "unknown-key", "rtc_uid", "colour", "\"blue\"" },
  { "channel-65536-bytes", "rtc_uid", "channel_name", NULL, 65536 },
  { "account-65536-bytes", "rtc_account", "account", NULL, 65536 },
  { "user-id-65536-bytes", "rtm", "user_id", NULL, 65536 },
  { "uid-negative", "rtc_uid", "uid", "-1" },
  { "uid-too-large", "rtc_uid", "uid", "4294967296" },
  { "uid-006-too-large", "rtc006_uid", "uid", "4294967296" },
  { "uid-fraction", "rtc_uid", "uid", "42.5" },
  /* Found by fuzz-token-spec: doubles past gint64 were cast (undefined behaviour). */
  { "uid-double-past-int64", "rtc_uid", "uid", "5.5e37" },
  { "expire-double-below-int64", "rtc_uid", "token_expire", "-1e300" },
  { "raw007-no-services", "raw007", "services", "[]" },
  { "raw007-type-0", "raw007", "services", "[{\"type\": 0, \"privileges\": {}}]" },
  { "raw007-type-11", "raw007", "services", "[{\"type\": 11, \"privileges\": {}}]" },
  { "raw007-uid-negative", "raw007", "services",
    "[{\"type\": 1, \"privileges\": {}, \"uid\": -1}]" },
  { "raw007-uid-too-large", "raw007", "services",
    "[{\"type\": 1, \"privileges\": {}, \"uid\": 4294967296}]" },
  { "raw007-uid-fraction", "raw007", "services",
    "[{\"type\": 1, \"privileges\": {}, \"uid\": 4.5}]" },
  { "raw007-uid-boolean", "raw007", "services",
    "[{\"type\": 1, \"privileges\": {}, \"uid\": true}]" },
  { "convoai-account-negative", "convoai", "rtc_account", "-1" },
  { "convoai-account-too-large", "convoai", "rtc_account", "4294967296" },
  { "convoai-account-fraction", "convoai", "rtc_account", "42.5" },
  { "convoai-account-list", "convoai", "rtc_account", "[\"bob\"]" },
  { "convoai-missing-rtm-user", "convoai", "rtm_user_id", NULL },
  { "stt-missing-account", "stt", "rtc_account", NULL },
  { "stt-role-0", "stt", "rtc_role", "0" },
  { "stt-unknown-key", "stt", "uid", "42" },
  { "rtm-permissions-empty-list-not-array", "rtm_permissions", "permissions",
    "{\"messageChannels\": {\"read\": null}}" },
};

static void
test_invalid_input (gconstpointer data)
{
  const InputChange *change = data;
  g_autoptr(JsonObject) inputs = inputs_with_change (change);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = ak_build_token (builder_from_name (change->builder), inputs,
                                                    &error);

  assert_refused (result, error, NULL);
}

/* Found by fuzz-token-spec: json-glib lets other bytes through, and the error quoted them. */
static void
test_spec_not_utf8 (void)
{
  g_autoptr(JsonNode) spec = node_from_text (
    "{\"builder\": \"rtm\", \"inputs\": {\"app_id\": \"" APP_ID "\"}}");
  JsonObject *inputs = json_object_get_object_member (json_node_get_object (spec), "inputs");
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = NULL;

  json_object_set_string_member (inputs, "user\xd1id", "alice");
  result = ak_build_token_from_spec (spec, &error);
  assert_refused (result, error, NULL);
}

static void
test_unknown_builder (void)
{
  g_autoptr(JsonNode) spec = node_from_text (
    "{\"builder\": \"rtc_uuid\", \"inputs\": {\"app_id\": \"" APP_ID "\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = NULL;
  AkBuilder builder;

  g_assert_false (ak_builder_from_name ("rtc_uuid", &builder));
  g_assert_false (ak_builder_from_name ("", &builder));

  result = ak_build_token_from_spec (spec, &error);
  assert_refused (result, error, "rtc_uuid");
}

/* A token the app hands out must be one it can read back: the longest string a field can
 * hold is either refused up front or gives a token that parses. */
static void
test_longest_string_round_trips (void)
{
  static const InputChange longest = { "channel-65535-bytes", "rtc_uid", "channel_name", NULL,
                                       65535 };
  g_autoptr(JsonObject) inputs = inputs_with_change (&longest);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = ak_build_token (builder_from_name ("rtc_uid"), inputs,
                                                    &error);
  g_autoptr(AkToken) token = NULL;

  if (result == NULL)
    {
      g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, !=, "");
      return;
    }

  token = ak_test_parse_token (ak_build_result_get_token (result));
  g_assert_cmpuint (strlen (ak_token_get_service (token, 0)->channel_name), ==, 65535);
  assert_verifies (token, NULL, NULL);
}

/* The largest values the format can hold must still build. */
static void
test_boundaries_accepted (void)
{
  static const InputChange accepted[] = {
    { "uid-max", "rtc_uid", "uid", "4294967295" },
    { "app-id-lower-case", "rtc_uid", "app_id", "\"970ca35de60c44645bbae8a215061b33\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(JsonObject) inputs = inputs_with_change (&accepted[i]);
      g_autoptr(AkBuildResult) result = build_ok (builder_from_name (accepted[i].builder), inputs);
      g_autoptr(AkToken) token = ak_test_parse_token (ak_build_result_get_token (result));

      g_test_message ("%s", accepted[i].name);
      assert_verifies (token, NULL, NULL);
    }
}

/* Starts with its change, and so with its name (as ak_test_add_cases() needs). */
typedef struct
{
  InputChange change;
  AkWarningCode code;
  const char *field;
} WarningCase;

static const WarningCase warning_cases[] = {
  { { "channel-65-bytes", "rtc_uid", "channel_name", NULL, 65 },
    AK_WARNING_CHANNEL_TOO_LONG, "channel_name" },
  { { "channel-slash", "rtc_uid", "channel_name", "\"lobby/one\"" },
    AK_WARNING_CHANNEL_CHARACTERS, "channel_name" },
  { { "channel-non-ascii", "rtc_uid", "channel_name", "\"caf\\u00e9\"" },
    AK_WARNING_CHANNEL_CHARACTERS, "channel_name" },
  { { "account-256-bytes", "rtc_account", "account", NULL, 256 },
    AK_WARNING_ACCOUNT_TOO_LONG, "account" },
  { { "expire-86401", "rtc_uid", "token_expire", "86401" },
    AK_WARNING_EXPIRE_TOO_LONG, "token_expire" },
  { { "privilege-outlives-token", "rtc_uid", "privilege_expire", "7200" },
    AK_WARNING_PRIVILEGE_OUTLIVES_TOKEN, "privilege_expire" },
  { { "numeric-account", "rtc_account", "account", "\"12345\"" },
    AK_WARNING_NUMERIC_ACCOUNT, "account" },
  { { "subscriber-role", "rtc_uid", "role", "2" },
    AK_WARNING_SUBSCRIBER_ROLE, "role" },
};

static void
assert_rtc_token_carries_inputs (AkToken    *token,
                                 JsonObject *inputs)
{
  const AkService *rtc;
  guint32 value;
  g_autofree char *uid = NULL;

  if (json_object_has_member (inputs, "uid"))
    uid = ak_uid_to_string ((guint32) json_object_get_int_member (inputs, "uid"));
  else
    uid = g_strdup (json_object_get_string_member (inputs, "account"));

  g_assert_cmpuint (ak_token_get_expire (token), ==,
                    json_object_get_int_member (inputs, "token_expire"));
  g_assert_cmpuint (ak_token_get_n_services (token), ==, 1);
  rtc = ak_token_get_service (token, 0);
  g_assert_cmpuint (rtc->type, ==, AK_SERVICE_RTC);
  g_assert_cmpstr (rtc->channel_name, ==, json_object_get_string_member (inputs, "channel_name"));
  g_assert_cmpstr (rtc->uid, ==, uid);
  g_assert_true (ak_service_get_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, &value));
  g_assert_cmpuint (value, ==, json_object_get_int_member (inputs, "privilege_expire"));
}

static void
test_warning (gconstpointer data)
{
  const WarningCase *c = data;
  g_autoptr(JsonObject) inputs = inputs_with_change (&c->change);
  g_autoptr(AkBuildResult) result = build_ok (builder_from_name (c->change.builder), inputs);
  g_autoptr(AkToken) token = ak_test_parse_token (ak_build_result_get_token (result));
  GPtrArray *warnings = ak_build_result_get_warnings (result);
  const AkWarning *warning;

  g_assert_nonnull (warnings);
  g_assert_cmpuint (warnings->len, ==, 1);
  warning = g_ptr_array_index (warnings, 0);
  g_assert_cmpint (warning->code, ==, c->code);
  g_assert_cmpstr (warning->field, ==, c->field);
  g_assert_nonnull (warning->message);
  g_assert_cmpstr (warning->message, !=, "");

  /* A warning never changes what goes into the token. */
  assert_verifies (token, NULL, NULL);
  assert_rtc_token_carries_inputs (token, inputs);
}

static void
test_no_warnings (void)
{
  static const char * const clean_builders[] = { "rtc_uid", "rtc_account", "rtc_rtm" };

  for (guint i = 0; i < G_N_ELEMENTS (clean_builders); i++)
    {
      g_autoptr(AkBuildResult) result = build_with (clean_builders[i], NULL);
      GPtrArray *warnings = ak_build_result_get_warnings (result);

      g_test_message ("%s", clean_builders[i]);
      g_assert_true (warnings == NULL || warnings->len == 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/builders/spec/unknown-builder", test_unknown_builder);
  g_test_add_func ("/ak/builders/spec/not-utf8", test_spec_not_utf8);
  g_test_add_func ("/ak/builders/validation/boundaries-accepted", test_boundaries_accepted);
  g_test_add_func ("/ak/builders/validation/longest-string-round-trips",
                   test_longest_string_round_trips);
  AK_TEST_ADD_CASES ("/ak/builders/validation", invalid_inputs, test_invalid_input);
  g_test_add_func ("/ak/builders/warnings/none-for-clean-input", test_no_warnings);
  AK_TEST_ADD_CASES ("/ak/builders/warnings", warning_cases, test_warning);

  return g_test_run ();
}
