/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-builders.c: what the builder tests share */
#include <string.h>

#include "ak-test-util.h"
#include "ak-test-builders.h"

/* The value each builder input gets unless a case overrides it. */
static const struct
{
  const char *name;
  const char *json;
} default_inputs[] = {
  { "app_id", "\"" APP_ID "\"" },
  { "app_certificate", "\"" CERT "\"" },
  { "issue_ts", G_STRINGIFY (ISSUE_TS) },
  { "ts", G_STRINGIFY (TS_006) },
  { "salt", G_STRINGIFY (SALT) },
  { "channel_name", "\"demo-channel\"" },
  { "uid", "2882341273" },
  { "account", "\"alice\"" },
  { "role", "1" },
  { "token_expire", "3600" },
  { "privilege_expire", "1800" },
  { "expire", "7200" },
  { "join_channel_privilege_expire", "1000" },
  { "pub_audio_privilege_expire", "2000" },
  { "pub_video_privilege_expire", "3000" },
  { "pub_data_stream_privilege_expire", "4000" },
  { "rtc_account", "\"bob\"" },
  { "rtc_role", "1" },
  { "rtc_token_expire", "3600" },
  { "rtm_user_id", "\"bob-rtm\"" },
  { "rtm_token_expire", "5400" },
  { "user_id", "\"carol\"" },
  { "room_uuid", "\"room-42\"" },
  { "user_uuid", "\"dave\"" },
  { "privilege_expire_ts", G_STRINGIFY (PRIVILEGE_TS_006) },
  { "user_account", "\"erin\"" },
  { "permissions", "{\"0\": {\"0\": [\"message-a\", \"message-b\"], \"1\": [\"message-w\"]},"
                   " \"4\": {\"0\": [\"user-a\"]}}" },
  /* Given out of type order: the token must list them sorted. */
  { "services", "["
                "{\"type\": 8, \"privileges\": {\"1\": 800}, \"user_id\": \"carol\","
                " \"permissions\": {\"1\": {\"1\": [\"stream-a\"]}}},"
                "{\"type\": 7, \"privileges\": {\"3\": 700}, \"room_uuid\": \"\","
                " \"user_uuid\": \"\", \"role\": -1},"
                "{\"type\": 6, \"privileges\": {\"2\": 602, \"1\": 601},"
                " \"channel_name\": \"demo-channel\", \"account\": \"\"},"
                "{\"type\": 5, \"privileges\": {\"2\": 500}, \"user_id\": \"\"},"
                "{\"type\": 4, \"privileges\": {\"1\": 0}},"
                "{\"type\": 3, \"privileges\": {\"1\": 301}, \"channel_name\": \"demo-channel\","
                " \"account\": \"stream\"},"
                "{\"type\": 2, \"privileges\": {\"1\": 200}, \"user_id\": \"carol\"},"
                "{\"type\": 1, \"privileges\": {\"4\": 104, \"1\": 101},"
                " \"channel_name\": \"demo-channel\", \"uid\": \"42\"}"
                "]" },
  { "privileges", "{\"2\": 1700090002, \"1\": 1700090001}" },
};

JsonNode *
node_from_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static const char *
default_input (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (default_inputs); i++)
    if (g_str_equal (default_inputs[i].name, name))
      return default_inputs[i].json;
  return NULL;
}

static void
apply_overrides (JsonObject *inputs,
                 const char *overrides)
{
  g_autoptr(JsonNode) node = node_from_text (overrides);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (inputs, name);
      else
        json_object_set_member (inputs, name, json_node_copy (value));
    }
}

/* The inputs the builder declares, each with its default value, plus a fixed issue time
 * and salt so that the bytes are reproducible. */
JsonObject *
inputs_for_builder (AkBuilder   builder,
                    const char *overrides)
{
  const char * const *names = ak_builder_get_input_names (builder);
  JsonObject *inputs = json_object_new ();
  gboolean is_006 = ak_builder_is_006 (builder);

  g_assert_nonnull (names);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *value = default_input (names[i]);

      if (value == NULL)
        g_error ("The test has no value for input “%s” of builder %s", names[i],
                 ak_builder_to_name (builder));
      json_object_set_member (inputs, names[i], node_from_text (value));
    }

  json_object_set_int_member (inputs, is_006 ? "ts" : "issue_ts", is_006 ? TS_006 : ISSUE_TS);
  json_object_set_int_member (inputs, "salt", SALT);
  if (overrides != NULL)
    apply_overrides (inputs, overrides);
  return inputs;
}

AkBuilder
builder_from_name (const char *name)
{
  AkBuilder builder = AK_N_BUILDERS;

  g_assert_true (ak_builder_from_name (name, &builder));
  g_assert_cmpint (builder, <, AK_N_BUILDERS);
  return builder;
}

AkBuildResult *
build_ok (AkBuilder   builder,
          JsonObject *inputs)
{
  g_autoptr(GError) error = NULL;
  AkBuildResult *result = ak_build_token (builder, inputs, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_nonnull (ak_build_result_get_token (result));
  return result;
}

/* The token of the builder named @builder_name with @overrides, which must build. */
AkBuildResult *
build_with (const char *builder_name,
            const char *overrides)
{
  AkBuilder builder = builder_from_name (builder_name);
  g_autoptr(JsonObject) inputs = inputs_for_builder (builder, overrides);

  return build_ok (builder, inputs);
}

AkVerification
assert_verifies (AkToken    *token,
                 const char *channel,
                 const char *uid)
{
  g_autoptr(GError) error = NULL;
  AkVerification verification = { 0 };

  g_assert_true (ak_token_verify (token, CERT, channel, uid, &verification, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verification.signature, ==, AK_SIGNATURE_VALID);
  if (ak_token_get_version (token) == AK_TOKEN_VERSION_006)
    {
      g_assert_cmpint (verification.crc_channel_name, ==, AK_SIGNATURE_VALID);
      g_assert_cmpint (verification.crc_uid, ==, AK_SIGNATURE_VALID);
    }
  return verification;
}

JsonObject *
inputs_with_change (const InputChange *change)
{
  JsonObject *inputs = inputs_for_builder (builder_from_name (change->builder), NULL);

  if (change->repeat > 0)
    {
      g_autofree char *text = g_strnfill (change->repeat, 'a');
      json_object_set_string_member (inputs, change->key, text);
    }
  else if (change->json == NULL)
    {
      g_assert_true (json_object_has_member (inputs, change->key));
      json_object_remove_member (inputs, change->key);
    }
  else
    json_object_set_member (inputs, change->key, node_from_text (change->json));
  return inputs;
}

/* A build refused as invalid input, with a message (in UTF-8) that mentions @mention (NULL:
 * any). */
void
assert_refused (AkBuildResult *result,
                const GError  *error,
                const char    *mention)
{
  g_assert_null (result);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (mention != NULL)
    g_assert_nonnull (strstr (error->message, mention));
}
