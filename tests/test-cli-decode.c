/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <zlib.h>

#include "ak-core.h"
#include "ak-test-cli.h"

/*
 * agora-keys-cli decode, run as a user would: every official vector, in JSON and as text,
 * a certificate that does not match, malformed tokens, unknown and agent services. Building
 * tokens is test-cli.c.
 */

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
  g_autoptr(GPtrArray) vectors = NULL;
  guint checked = 0;

  if (!ak_test_require_cli ())
    return;

  vectors = official_vectors_with ("decoded");
  for (guint i = 0; i < vectors->len; i++)
    {
      JsonObject *vector = vectors->pdata[i];
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
      root = ak_test_parse_json (result.out, -1);
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
  root = ak_test_parse_json (result.out, -1);
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
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (!ak_test_require_cli ())
    return;

  run_cli (&result, NULL, TEST_CERT, "decode", token, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "stopped at unknown service type 99"));
  g_assert_nonnull (strstr (result.out, "demo"));
  g_assert_nonnull (strstr (result.out, "valid"));

  root = decode_json (token, NULL, &err);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root),
                                                 "signature_valid"));
  g_assert_nonnull (strstr (err, "99"));
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

  if (!ak_test_require_cli ())
    return;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      JsonObject *vector = npm_vector (&root, cases[c].id);
      const char *token = json_object_has_member (vector, "token")
                            ? json_object_get_string_member (vector, "token")
                            : json_object_get_string_member (vector, "expected");
      g_auto(AkTestCliResult) text = { 0 };
      g_autoptr(JsonNode) decoded = NULL;
      JsonArray *services;
      JsonObject *last;

      g_assert_nonnull (token);

      run_cli (&text, NULL, TEST_CERT, "decode", token, NULL);
      g_assert_cmpint (text.status, ==, 0);
      g_assert_nonnull (strstr (text.out, cases[c].text));
      g_assert_null (strstr (text.out, "unknown"));

      decoded = decode_json (token, NULL, NULL);
      g_assert_true (json_object_get_boolean_member (json_node_get_object (decoded),
                                                     "signature_valid"));
      g_assert_false (json_object_has_member (json_node_get_object (decoded),
                                              "stopped_at_unknown_service_type"));
      services = json_object_get_array_member (json_node_get_object (decoded), "services");
      last = json_array_get_object_element (services, json_array_get_length (services) - 1);
      g_assert_cmpstr (json_object_get_string_member (last, "name"), ==, cases[c].name);
    }
}

int
main (int argc,
      char *argv[])
{
  ak_test_init_cli_tests (&argc, &argv);

  g_test_add_func ("/ak/cli/decode/json-vectors", test_decode_json_vectors);
  g_test_add_func ("/ak/cli/decode/human-007", test_decode_human_007);
  g_test_add_func ("/ak/cli/decode/human-006", test_decode_human_006);
  g_test_add_func ("/ak/cli/decode/mismatch", test_decode_mismatch);
  g_test_add_func ("/ak/cli/decode/malformed", test_decode_malformed);
  g_test_add_func ("/ak/cli/decode/unknown-service", test_decode_unknown_service);
  g_test_add_func ("/ak/cli/decode/agent-services", test_decode_agent_services);

  return g_test_run ();
}
