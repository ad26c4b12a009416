/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every official vector through the codec: exact bytes from the raw and high-level
 * builders, decoding to the vectors' `decoded` fields, verification, and the SPEC's
 * worked examples. One test case per vector and check, so a failure names the vector.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "ak-codec-private.h"
#include "ak-core.h"
#include "ak-test-util.h"

/* A valid certificate that signed none of the vectors. */
#define OTHER_CERTIFICATE "0123456789abcdef0123456789ABCDEF"

static GPtrArray *equivalent_cases;

typedef struct
{
  JsonObject *vector;
  guint index;
} EquivalentCase;

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_true (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_boolean (node);
}

static char *
build_token_text (const char *builder_name,
                  JsonObject *inputs)
{
  g_autoptr(AkBuildResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AkBuilder builder;

  g_assert_true (ak_builder_from_name (builder_name, &builder));
  g_assert_cmpstr (ak_builder_to_name (builder), ==, builder_name);

  result = ak_build_token (builder, inputs, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_nonnull (ak_build_result_get_token (result));
  return g_strdup (ak_build_result_get_token (result));
}

static void
assert_same_payload (const char *expected_text,
                     const char *actual_text)
{
  g_autoptr(AkToken) expected = ak_test_parse_token (expected_text);
  g_autoptr(AkToken) actual = ak_test_parse_token (actual_text);
  GBytes *expected_content = ak_token_get_content (expected);
  GBytes *actual_content = ak_token_get_content (actual);

  g_assert_nonnull (expected_content);
  g_assert_nonnull (actual_content);
  g_assert_cmpmem (g_bytes_get_data (actual_content, NULL), g_bytes_get_size (actual_content),
                   g_bytes_get_data (expected_content, NULL),
                   g_bytes_get_size (expected_content));
}

/* Verifies @token with the certificate (and, for 006, channel and uid) of the vector's inputs. */
static gboolean
verify_with_inputs (AkToken        *token,
                    JsonObject     *inputs,
                    AkVerification *verification,
                    GError        **error)
{
  const char *channel = NULL;
  const char *uid = NULL;

  if (ak_token_get_version (token) == AK_TOKEN_VERSION_006)
    {
      channel = member_string (inputs, "channel_name");
      uid = member_string (inputs, "uid");
    }
  return ak_token_verify (token, member_string (inputs, "app_certificate"), channel, uid,
                          verification, error);
}

static void
assert_verifies (const char *text,
                 JsonObject *inputs)
{
  g_autoptr(AkToken) token = ak_test_parse_token (text);
  g_autoptr(GError) error = NULL;
  AkVerification verification = { 0 };

  g_assert_true (verify_with_inputs (token, inputs, &verification, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verification.signature, ==, AK_SIGNATURE_VALID);
}

static void
test_vector_build (gconstpointer data)
{
  JsonObject *vector = (JsonObject *) data;
  JsonObject *inputs = json_object_get_object_member (vector, "inputs");
  const char *expected = member_string (vector, "expected");
  g_autofree char *built = build_token_text (member_string (vector, "builder"), inputs);

  if (member_true (vector, "oracle_exact_match"))
    {
      g_assert_cmpstr (built, ==, expected);
      return;
    }

  /* Made by a port with another deflate: ours must be the standard-zlib bytes, and theirs
   * must still carry the same payload and verify. */
  g_assert_cmpstr (built, ==, member_string (vector, "oracle_token"));
  assert_same_payload (expected, built);
  assert_verifies (expected, inputs);
}

static void
test_vector_equivalent (gconstpointer data)
{
  const EquivalentCase *c = data;
  JsonArray *equivalents = json_object_get_array_member (c->vector, "equivalent_builders");
  JsonObject *equivalent = json_array_get_object_element (equivalents, c->index);
  const char *expected = member_string (equivalent, "token");
  g_autofree char *built = build_token_text (member_string (equivalent, "builder"),
                                             json_object_get_object_member (equivalent, "inputs"));

  if (member_true (equivalent, "exact"))
    g_assert_cmpstr (built, ==, expected);
  else
    assert_same_payload (expected, built);
}

static void
assert_decoded_matches (JsonObject *decoded,
                        JsonNode   *actual,
                        const char *skip_also)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_assert_nonnull (actual);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (actual));

  json_object_iter_init (&iter, decoded);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autofree char *why = NULL;
      g_autofree char *path = NULL;

      if (g_str_equal (name, "ok") || g_strcmp0 (name, skip_also) == 0)
        continue;

      path = g_strdup_printf ("decoded.%s", name);
      why = ak_test_json_difference (node,
                                     json_object_get_member (json_node_get_object (actual), name),
                                     path, g_str_equal (name, "services"));
      g_assert_cmpstr (why, ==, NULL);
    }
}

static void
test_vector_decode (gconstpointer data)
{
  JsonObject *vector = (JsonObject *) data;
  JsonObject *decoded = json_object_get_object_member (vector, "decoded");
  g_autoptr(AkToken) token = ak_test_parse_token (member_string (vector, "expected"));
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  AkVerification verification = { 0 };

  if (g_str_equal (member_string (vector, "kind"), "parse-only"))
    {
      /* Signed with a certificate nobody has: decode only, and make sure another
       * certificate is refused rather than ignored. */
      json = ak_token_to_json (token, NULL);
      assert_decoded_matches (decoded, json, "signature_valid");

      g_assert_false (ak_token_verify (token, OTHER_CERTIFICATE, NULL, NULL, &verification,
                                       &error));
      g_assert_error (error, AK_ERROR, AK_ERROR_SIGNATURE_MISMATCH);
      g_assert_cmpint (verification.signature, ==, AK_SIGNATURE_INVALID);
      return;
    }

  g_assert_true (member_true (decoded, "signature_valid"));
  g_assert_true (verify_with_inputs (token, json_object_get_object_member (vector, "inputs"),
                                     &verification, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verification.signature, ==, AK_SIGNATURE_VALID);

  json = ak_token_to_json (token, &verification);
  assert_decoded_matches (decoded, json, NULL);
}

static void
test_vector_negative (gconstpointer data)
{
  JsonObject *vector = (JsonObject *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = ak_token_parse (member_string (vector, "expected"), &error);

  g_assert_null (token);
  g_assert_nonnull (error);
  g_assert_true (ak_error_is_malformed_token (error));
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_vector_verify_006 (gconstpointer data)
{
  JsonObject *vector = (JsonObject *) data;
  JsonObject *inputs = json_object_get_object_member (vector, "inputs");
  const char *cert = member_string (inputs, "app_certificate");
  const char *channel = member_string (inputs, "channel_name");
  const char *uid = member_string (inputs, "uid");
  g_autofree char *other_channel = g_strconcat (channel, "x", NULL);
  g_autofree char *other_uid = g_strconcat (uid, "7", NULL);
  g_autoptr(AkToken) token = ak_test_parse_token (member_string (vector, "expected"));
  AkVerification verification = { 0 };
  GError *error = NULL;

  g_assert_true (ak_token_verify (token, cert, channel, uid, &verification, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verification.signature, ==, AK_SIGNATURE_VALID);
  g_assert_cmpint (verification.crc_channel_name, ==, AK_SIGNATURE_VALID);
  g_assert_cmpint (verification.crc_uid, ==, AK_SIGNATURE_VALID);

  memset (&verification, 0, sizeof verification);
  g_assert_false (ak_token_verify (token, cert, other_channel, uid, &verification, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_CRC_MISMATCH);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpint (verification.crc_channel_name, ==, AK_SIGNATURE_INVALID);
  g_assert_cmpint (verification.crc_uid, ==, AK_SIGNATURE_VALID);
  g_clear_error (&error);

  memset (&verification, 0, sizeof verification);
  g_assert_false (ak_token_verify (token, cert, channel, other_uid, &verification, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_CRC_MISMATCH);
  g_assert_cmpint (verification.crc_channel_name, ==, AK_SIGNATURE_VALID);
  g_assert_cmpint (verification.crc_uid, ==, AK_SIGNATURE_INVALID);
  g_clear_error (&error);

  memset (&verification, 0, sizeof verification);
  g_assert_false (ak_token_verify (token, OTHER_CERTIFICATE, channel, uid, &verification,
                                   &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_SIGNATURE_MISMATCH);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpint (verification.signature, ==, AK_SIGNATURE_INVALID);
  g_assert_cmpint (verification.crc_channel_name, ==, AK_SIGNATURE_VALID);
  g_assert_cmpint (verification.crc_uid, ==, AK_SIGNATURE_VALID);
  g_clear_error (&error);
}

static void
test_vector_verify_007_wrong_certificate (gconstpointer data)
{
  JsonObject *vector = (JsonObject *) data;
  g_autoptr(AkToken) token = ak_test_parse_token (member_string (vector, "expected"));
  g_autoptr(GError) error = NULL;
  AkVerification verification = { 0 };

  g_assert_false (ak_token_verify (token, OTHER_CERTIFICATE, NULL, NULL, &verification, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_SIGNATURE_MISMATCH);
  g_assert_cmpint (verification.signature, ==, AK_SIGNATURE_INVALID);
}

/* The example credentials of the official AccessToken2 builders' documentation */
#define EXAMPLE_APP_ID "970CA35de60c44645bbae8a215061b33"
#define EXAMPLE_CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define EXAMPLE_CHANNEL "7d72365eb983485397e3e3f9d460bdda"
#define EXAMPLE_007_TOKEN \
  "007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDc" \
  "wMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxgDCaiTj"
#define EXAMPLE_007_SIGNATURE "16a0b84c5a5e82cbf74fb813d09f59c54bdac9c06120580539ac97578e958b1a"

static JsonObject *
object_from_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static char *
bytes_to_hex (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GString *hex = g_string_sized_new (size * 2);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

static void
test_worked_example_007 (void)
{
  const char *signing_info_hex =
    "2000" "3937304341333564653630633434363435626261653861323135303631623333"
    "47f41000" "58020000" "01000000"
    "0100"
    "0100" "0100" "0100" "58020000"
    "2000" "3764373233363565623938333438353339376533653366396434363062646461"
    "0a00" "32383832333431323733";
  g_autoptr(JsonObject) inputs = object_from_text (
    "{\"app_id\": \"" EXAMPLE_APP_ID "\", \"app_certificate\": \"" EXAMPLE_CERT "\","
    " \"issue_ts\": 1111111, \"salt\": 1, \"expire\": 600,"
    " \"services\": [{\"type\": 1, \"privileges\": {\"1\": 600},"
    " \"channel_name\": \"" EXAMPLE_CHANNEL "\", \"uid\": \"2882341273\"}]}");
  g_autofree char *built = build_token_text ("raw007", inputs);
  g_autoptr(AkToken) token = ak_test_parse_token (built);
  g_autofree char *signature = ak_token_dup_signature_hex (token);
  GBytes *content = ak_token_get_content (token);
  g_autofree char *content_hex = bytes_to_hex (content);
  g_autofree char *expected_content = g_strconcat ("2000", EXAMPLE_007_SIGNATURE,
                                                   signing_info_hex, NULL);
  const guint8 *zlib_header = ak_token_get_zlib_header (token);

  g_assert_cmpstr (built, ==, EXAMPLE_007_TOKEN);
  g_assert_cmpstr (signature, ==, EXAMPLE_007_SIGNATURE);
  g_assert_cmpstr (content_hex, ==, expected_content);
  g_assert_cmpuint (ak_token_get_payload_length (token), ==, 138);
  g_assert_cmpuint (ak_token_get_compressed_length (token), ==, 138);
  g_assert_nonnull (zlib_header);
  g_assert_cmphex (zlib_header[0], ==, 0x78);
  g_assert_cmphex (zlib_header[1], ==, 0x9c);

  g_assert_cmpstr (ak_token_get_app_id (token), ==, EXAMPLE_APP_ID);
  g_assert_cmpuint (ak_token_get_issue_ts (token), ==, 1111111);
  g_assert_cmpuint (ak_token_get_expire (token), ==, 600);
  g_assert_cmpint (ak_token_get_expires_at (token), ==, 1111111 + 600);
  g_assert_cmpuint (ak_token_get_salt (token), ==, 1);
  g_assert_cmpuint (ak_token_get_n_services (token), ==, 1);
  g_assert_cmpuint (ak_token_get_service (token, 0)->type, ==, AK_SERVICE_RTC);
  g_assert_cmpstr (ak_token_get_service (token, 0)->channel_name, ==, EXAMPLE_CHANNEL);
  g_assert_cmpstr (ak_token_get_service (token, 0)->uid, ==, "2882341273");
}

static void
test_worked_example_007_by_hand (void)
{
  /* The same token assembled through the low-level API rather than a builder. */
  g_autoptr(AkToken) token = ak_token_new_007 (EXAMPLE_APP_ID, 1111111, 600, 1);
  AkService *rtc = ak_service_new (AK_SERVICE_RTC);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  rtc->channel_name = g_strdup (EXAMPLE_CHANNEL);
  rtc->uid = g_strdup ("2882341273");
  ak_service_set_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, 600);
  ak_token_add_service (token, rtc);

  text = ak_token_encode (token, EXAMPLE_CERT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, EXAMPLE_007_TOKEN);
}

typedef struct
{
  const char *builder;
  const char *uid_input;
  const char *token;
  guint32 crc_uid;
  const char *verify_uid;
} Example006;

#define EXAMPLE_006_PREFIX "006" EXAMPLE_APP_ID

static const Example006 examples_006[] = {
  { "rtc006_uid", "\"uid\": 2882341273",
    EXAMPLE_006_PREFIX "IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKS"
    "JyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW",
    3847331927u, "2882341273" },
  { "rtc006_uid", "\"uid\": 0",
    EXAMPLE_006_PREFIX "IACw1o7htY6ISdNRtku3p9tjTPi0jCKf9t49UHJh"
    "zCmL6bdIfRAAAAAAEAABAAAAR/QQAAEAAQCvKDdW",
    0, "" },
  { "rtc006_account", "\"account\": \"0\"",
    EXAMPLE_006_PREFIX "IABNRUO/126HmzFc+J8lQFfnkssUdUXqiePeE2WN"
    "Z7lyubdIfRAh39v0EAABAAAAR/QQAAEAAQCvKDdW",
    0xf4dbdf21u, "0" },
};

static void
test_worked_example_006 (gconstpointer data)
{
  const Example006 *example = data;
  g_autofree char *json = g_strdup_printf (
    "{\"app_id\": \"" EXAMPLE_APP_ID "\", \"app_certificate\": \"" EXAMPLE_CERT "\","
    " \"ts\": 1111111, \"salt\": 1, \"channel_name\": \"" EXAMPLE_CHANNEL "\", %s,"
    " \"role\": 2, \"privilege_expire_ts\": 1446455471}", example->uid_input);
  g_autoptr(JsonObject) inputs = object_from_text (json);
  g_autofree char *built = build_token_text (example->builder, inputs);
  g_autoptr(AkToken) token = ak_test_parse_token (built);
  g_autoptr(GError) error = NULL;
  AkVerification verification = { 0 };
  GArray *privileges;

  g_assert_cmpstr (built, ==, example->token);
  g_assert_cmpint (ak_token_get_version (token), ==, AK_TOKEN_VERSION_006);
  g_assert_cmpstr (ak_token_get_app_id (token), ==, EXAMPLE_APP_ID);
  g_assert_cmpuint (ak_token_get_crc_channel_name (token), ==, 276646071u);
  g_assert_cmpuint (ak_token_get_crc_uid (token), ==, example->crc_uid);
  g_assert_cmpuint (ak_token_get_salt (token), ==, 1);
  g_assert_cmpuint (ak_token_get_ts (token), ==, 1111111);

  privileges = ak_token_get_privileges_006 (token);
  g_assert_nonnull (privileges);
  g_assert_cmpuint (privileges->len, ==, 1);
  g_assert_cmpuint (g_array_index (privileges, AkPrivilege, 0).id, ==, AK_PRIV006_JOIN_CHANNEL);
  g_assert_cmpuint (g_array_index (privileges, AkPrivilege, 0).value, ==, 1446455471u);

  g_assert_true (ak_token_verify (token, EXAMPLE_CERT, EXAMPLE_CHANNEL, example->verify_uid,
                                  &verification, &error));
  g_assert_no_error (error);
}

/* ---- every u16 count and length the encoder writes ---- */

static AkToken *
rtm2_token_new (AkService **rtm2)
{
  AkToken *token = ak_token_new_007 (EXAMPLE_APP_ID, 1111111, 600, 1);

  *rtm2 = ak_service_new (AK_SERVICE_RTM2);
  (*rtm2)->user_id = g_strdup ("test_user");
  ak_service_set_privilege (*rtm2, AK_PRIV_RTM2_LOGIN, 600);
  ak_token_add_service (token, *rtm2);
  return token;
}

static AkToken *
too_many_resources (void)
{
  AkService *rtm2;
  AkToken *token = rtm2_token_new (&rtm2);

  for (guint i = 0; i < G_MAXUINT16 + 2; i++)
    ak_service_add_permission (rtm2, 0, 0, "");
  return token;
}

static AkToken *
too_many_permission_types (void)
{
  AkService *rtm2;
  AkToken *token = rtm2_token_new (&rtm2);

  for (guint i = 0; i <= G_MAXUINT16; i++)
    ak_service_add_permission (rtm2, 1, (guint16) i, "x");
  return token;
}

static AkToken *
too_many_blocks (void)
{
  AkService *rtm2;
  AkToken *token = rtm2_token_new (&rtm2);

  for (guint i = 0; i <= G_MAXUINT16; i++)
    ak_service_append_permission_block (rtm2, 2);
  return token;
}

static AkToken *
resource_too_long (void)
{
  AkService *rtm2;
  AkToken *token = rtm2_token_new (&rtm2);
  g_autofree char *resource = g_strnfill (G_MAXUINT16 + 1, 'u');

  ak_service_add_permission (rtm2, 4, 1, "fine");
  ak_service_add_permission (rtm2, 4, 1, resource);
  return token;
}

static AkToken *
blocks_disagree_with_entries (void)
{
  AkService *rtm2;
  AkToken *token = rtm2_token_new (&rtm2);

  ak_service_append_permission_block (rtm2, 0);
  g_ptr_array_add (ak_service_append_permission (rtm2, 0, 1)->resources, g_strdup ("a"));
  g_array_index (rtm2->permission_blocks, AkRtmPermissionBlock, 0).n_permissions = 5;
  return token;
}

static AkToken *
too_many_privileges (void)
{
  AkToken *token = ak_token_new_007 (EXAMPLE_APP_ID, 1111111, 600, 1);
  AkService *rtc = ak_service_new (AK_SERVICE_RTC);

  rtc->channel_name = g_strdup (EXAMPLE_CHANNEL);
  rtc->uid = g_strdup ("");
  for (guint i = 0; i <= G_MAXUINT16; i++)
    ak_service_set_privilege (rtc, (guint16) i, 600);
  ak_token_add_service (token, rtc);
  return token;
}

static AkToken *
too_many_services (void)
{
  AkToken *token = ak_token_new_007 (EXAMPLE_APP_ID, 1111111, 600, 1);

  for (guint i = 0; i <= G_MAXUINT16; i++)
    ak_token_add_service (token, ak_service_new (AK_SERVICE_FPA));
  return token;
}

static AkToken *
too_many_privileges_006 (void)
{
  AkToken *token = ak_token_new_006 (EXAMPLE_APP_ID, EXAMPLE_CHANNEL, "", 1, 1111111);

  /* The 006 message (salt, ts, privileges) is a string: 10 + 6 × 10,921 bytes is too long. */
  for (guint i = 1; i <= 10921; i++)
    ak_token_set_privilege_006 (token, (guint16) i, 1446455471);
  return token;
}

typedef struct
{
  const char *name;
  AkToken *(*make) (void);
  /* What the message must name: the field and its count. */
  const char *needles[3];
} EncodeLimit;

static const EncodeLimit encode_limits[] = {
  { "resources-65537", too_many_resources,
    { "RTM permission “read” on “messageChannels”", "65537 resources", "at most 65535" } },
  { "permission-types-65536", too_many_permission_types,
    { "resource type “streamChannels”", "65536 permissions", "at most 65535" } },
  { "resource-type-groups-65536", too_many_blocks, { "65536 resource-type groups", NULL } },
  { "resource-65536-bytes", resource_too_long,
    { "Resource 2 of RTM permission “write” on “users”", "65536 bytes", NULL } },
  { "blocks-disagree-with-entries", blocks_disagree_with_entries, { "more permissions", NULL } },
  { "privileges-65536", too_many_privileges, { "Service 1 (rtc)", "65536 privileges", NULL } },
  { "services-65536", too_many_services, { "65536 services", NULL } },
  { "006-privileges-10921", too_many_privileges_006, { "10921 privileges", "at most 10920" } },
};

/* Over a u16 field's limit, the encoder says which field and never writes a wrapped count:
 * no token at all rather than one its own decoder would refuse. */
static void
test_encode_limit (gconstpointer data)
{
  const EncodeLimit *c = data;
  g_autoptr(AkToken) token = c->make ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = ak_token_encode (token, EXAMPLE_CERT, &error);

  g_assert_null (text);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  for (guint i = 0; i < G_N_ELEMENTS (c->needles) && c->needles[i] != NULL; i++)
    if (strstr (error->message, c->needles[i]) == NULL)
      g_error ("“%s” does not mention “%s”", error->message, c->needles[i]);
}

/* One below each limit still builds, and decodes to what went in. */
static void
test_encode_limit_maximum (void)
{
  g_autoptr(GError) error = NULL;

  {
    AkService *rtm2;
    g_autoptr(AkToken) token = rtm2_token_new (&rtm2);
    g_autoptr(AkToken) parsed = NULL;
    g_autofree char *text = NULL;
    const AkService *service;

    for (guint i = 0; i < G_MAXUINT16; i++)
      ak_service_add_permission (rtm2, 0, 0, "");
    text = ak_token_encode (token, EXAMPLE_CERT, &error);
    g_assert_no_error (error);
    parsed = ak_test_parse_token (text);
    service = ak_token_get_service (parsed, 0);
    g_assert_cmpuint (service->permissions->len, ==, 1);
    g_assert_cmpuint (g_array_index (service->permissions, AkRtmPermission, 0).resources->len,
                      ==, G_MAXUINT16);
  }

  {
    g_autoptr(AkToken) token = ak_token_new_006 (EXAMPLE_APP_ID, EXAMPLE_CHANNEL, "", 1,
                                                 1111111);
    g_autoptr(AkToken) parsed = NULL;
    g_autofree char *text = NULL;

    for (guint i = 1; i <= 10920; i++)
      ak_token_set_privilege_006 (token, (guint16) i, 1446455471);
    text = ak_token_encode (token, EXAMPLE_CERT, &error);
    g_assert_no_error (error);
    parsed = ak_test_parse_token (text);
    g_assert_cmpuint (ak_token_get_privileges_006 (parsed)->len, ==, 10920);
    g_assert_true (ak_token_verify (parsed, EXAMPLE_CERT, EXAMPLE_CHANNEL, "", NULL, &error));
    g_assert_no_error (error);
  }
}

/* The writer's own backstop: a count past 65,535 is flagged, never written wrapped. */
static void
test_writer_overflow (void)
{
  AkWriter writer;
  g_autofree char *long_text = g_strnfill (G_MAXUINT16 + 1, 'a');

  ak_writer_init (&writer, 16);
  ak_writer_count (&writer, G_MAXUINT16);
  ak_writer_string (&writer, "ab");
  g_assert_false (writer.overflow);
  g_assert_cmpuint (writer.bytes->len, ==, 6);

  ak_writer_count (&writer, G_MAXUINT16 + 2);
  g_assert_true (writer.overflow);
  g_assert_cmphex (writer.bytes->data[6], ==, 0xff);
  g_assert_cmphex (writer.bytes->data[7], ==, 0xff);
  ak_writer_clear (&writer);

  ak_writer_init (&writer, 16);
  ak_writer_string (&writer, long_text);
  g_assert_true (writer.overflow);
  g_assert_cmpuint (writer.bytes->len, ==, 2);
  ak_writer_clear (&writer);
}

/* Builders add permissions in order; a parsed token keeps its wire layout until one is
 * added, after which the entries are written as builders group them. */
static void
test_permission_layout (void)
{
  AkService *rtm2;
  g_autoptr(AkToken) token = rtm2_token_new (&rtm2);
  g_autoptr(GArray) blocks = NULL;

  ak_service_add_permission (rtm2, 4, 0, "u");
  ak_service_add_permission (rtm2, 0, 1, "w");
  ak_service_add_permission (rtm2, 0, 0, "r1");
  ak_service_add_permission (rtm2, 0, 0, "r2");
  g_assert_null (rtm2->permission_blocks);
  g_assert_cmpuint (rtm2->permissions->len, ==, 3);
  g_assert_cmpuint (g_array_index (rtm2->permissions, AkRtmPermission, 0).permission_type, ==, 0);
  g_assert_cmpuint (g_array_index (rtm2->permissions, AkRtmPermission, 0).resources->len, ==, 2);
  g_assert_cmpuint (g_array_index (rtm2->permissions, AkRtmPermission, 1).permission_type, ==, 1);
  g_assert_cmpuint (g_array_index (rtm2->permissions, AkRtmPermission, 2).resource_type, ==, 4);

  /* Appending as written keeps the builder's grouping, then adds a block of its own. */
  ak_service_append_permission_block (rtm2, 0);
  g_assert_nonnull (rtm2->permission_blocks);
  g_assert_cmpuint (rtm2->permission_blocks->len, ==, 3);
  g_assert_cmpuint (g_array_index (rtm2->permission_blocks, AkRtmPermissionBlock, 0)
                      .n_permissions, ==, 2);
  g_assert_cmpuint (g_array_index (rtm2->permission_blocks, AkRtmPermissionBlock, 2)
                      .n_permissions, ==, 0);

  ak_service_add_permission (rtm2, 1, 1, "s");
  g_assert_null (rtm2->permission_blocks);
}

static void
register_vector_tests (void)
{
  JsonArray *vectors = ak_test_official_vectors ();
  guint n_decoded = 0;

  /* The vectors file is part of the suite: a silently shrunken file must not pass. */
  g_assert_cmpuint (json_array_get_length (vectors), ==, 142);

  for (guint i = 0; i < json_array_get_length (vectors); i++)
    {
      JsonObject *vector = json_array_get_object_element (vectors, i);
      const char *id = member_string (vector, "id");
      const char *kind = member_string (vector, "kind");
      const char *builder = member_string (vector, "builder");
      const char *format = member_string (vector, "format");
      g_autofree char *path = NULL;

      if (g_str_equal (kind, "negative"))
        {
          path = g_strdup_printf ("/ak/codec/negative/%s", id);
          g_test_add_data_func (path, vector, test_vector_negative);
          continue;
        }

      if (builder != NULL)
        {
          g_free (path);
          path = g_strdup_printf ("/ak/codec/build/%s", id);
          g_test_add_data_func (path, vector, test_vector_build);
        }

      if (json_object_has_member (vector, "equivalent_builders"))
        {
          JsonArray *equivalents = json_object_get_array_member (vector, "equivalent_builders");

          for (guint j = 0; j < json_array_get_length (equivalents); j++)
            {
              JsonObject *equivalent = json_array_get_object_element (equivalents, j);
              EquivalentCase *c = g_new0 (EquivalentCase, 1);

              c->vector = vector;
              c->index = j;
              g_ptr_array_add (equivalent_cases, c);
              g_free (path);
              path = g_strdup_printf ("/ak/codec/equivalent/%s/%u-%s", id, j,
                                      member_string (equivalent, "builder"));
              g_test_add_data_func (path, c, test_vector_equivalent);
            }
        }

      if (json_object_has_member (vector, "decoded"))
        {
          n_decoded++;
          g_free (path);
          path = g_strdup_printf ("/ak/codec/decode/%s", id);
          g_test_add_data_func (path, vector, test_vector_decode);
        }

      if (g_strcmp0 (format, "006") == 0 && builder != NULL)
        {
          g_free (path);
          path = g_strdup_printf ("/ak/codec/verify-006/%s", id);
          g_test_add_data_func (path, vector, test_vector_verify_006);
        }
      else if (g_strcmp0 (format, "007") == 0 && builder != NULL)
        {
          g_free (path);
          path = g_strdup_printf ("/ak/codec/verify-007-wrong-certificate/%s", id);
          g_test_add_data_func (path, vector, test_vector_verify_007_wrong_certificate);
        }
    }

  g_assert_cmpuint (n_decoded, ==, 140);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  equivalent_cases = g_ptr_array_new_with_free_func (g_free);
  register_vector_tests ();

  g_test_add_func ("/ak/codec/worked-example/007", test_worked_example_007);
  g_test_add_func ("/ak/codec/worked-example/007-low-level", test_worked_example_007_by_hand);
  for (guint i = 0; i < G_N_ELEMENTS (examples_006); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/codec/worked-example/006-%u", i);
      g_test_add_data_func (path, &examples_006[i], test_worked_example_006);
    }

  for (guint i = 0; i < G_N_ELEMENTS (encode_limits); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/codec/encode-limit/%s",
                                               encode_limits[i].name);
      g_test_add_data_func (path, &encode_limits[i], test_encode_limit);
    }
  g_test_add_func ("/ak/codec/encode-limit/maximum-accepted", test_encode_limit_maximum);
  g_test_add_func ("/ak/codec/writer/overflow-is-flagged", test_writer_overflow);
  g_test_add_func ("/ak/codec/permissions/layout", test_permission_layout);

  status = g_test_run ();
  g_clear_pointer (&equivalent_cases, g_ptr_array_unref);
  return status;
}
