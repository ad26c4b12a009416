/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tokens made by Agora's official Node.js builders (npm agora-token 2.0.6), from
 * tests/data/agora-token-2.0.6.json: ConvoAI and STT agent tokens, raw007 RTC services with an
 * integer or string uid, and RTM permissions with empty resource lists.
 *
 * "exact" vectors pin the issue time and salt: the codec must make the same token, character
 * for character. Their "expected" text is the builder's output compressed as stock zlib does
 * (as the C++, Python and Go builders and the codec do); "node_zlib_token" is the same build
 * compressed by Node 20's bundled zlib (Chromium's fork), which picks other matches for longer
 * tokens: it must hold exactly the same bytes (signature included).
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <zlib.h>

#include "ak-core.h"
#include "ak-test-util.h"

#define CERTIFICATE "5CFd2fd1755d40ecb72977518be15d3b"
#define OTHER_CERTIFICATE "0123456789abcdef0123456789ABCDEF"

static JsonNode *vectors_root;

static JsonArray *
vectors (void)
{
  return json_object_get_array_member (json_node_get_object (vectors_root), "vectors");
}

/* What stock zlib (compress2 at the default level) makes of @token's payload. */
static char *
recompress_with_stock_zlib (const AkToken *token)
{
  gsize len;
  const guint8 *payload = g_bytes_get_data (ak_token_get_content (token), &len);
  uLongf compressed_len = compressBound (len);
  g_autofree guint8 *compressed = g_malloc (compressed_len);
  g_autofree char *base64 = NULL;

  g_assert_cmpint (compress2 (compressed, &compressed_len, payload, len, Z_DEFAULT_COMPRESSION),
                   ==, Z_OK);
  base64 = g_base64_encode (compressed, compressed_len);
  return g_strconcat ("007", base64, NULL);
}

static void
assert_same_payload (const AkToken *ours,
                     const AkToken *official)
{
  g_assert_true (g_bytes_equal (ak_token_get_content (ours), ak_token_get_content (official)));
  g_assert_cmpmem (ak_token_get_signature (ours), 32, ak_token_get_signature (official), 32);
}

static AkBuildResult *
build_vector (JsonObject *vector,
              JsonObject *inputs)
{
  g_autoptr(JsonObject) spec = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GError) error = NULL;
  AkBuildResult *result;

  json_object_set_string_member (spec, "builder", json_object_get_string_member (vector,
                                                                                  "builder"));
  json_object_set_object_member (spec, "inputs", json_object_ref (inputs));
  json_node_set_object (node, spec);
  result = ak_build_token_from_spec (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* An exact vector through the build --spec semantics: the official token, character for
 * character, and the same bytes as the one Node's own zlib compressed. */
static void
test_exact (gconstpointer data)
{
  JsonObject *vector = (JsonObject *) data;
  const char *expected = json_object_get_string_member (vector, "expected");
  const char *node_text = json_object_get_string_member (vector, "node_zlib_token");
  g_autoptr(AkBuildResult) result = build_vector (vector,
                                                  json_object_get_object_member (vector,
                                                                                 "inputs"));
  const char *text = ak_build_result_get_token (result);
  g_autoptr(AkToken) ours = ak_test_parse_token (text);
  g_autoptr(AkToken) from_node = ak_test_parse_token (node_text);
  g_autofree char *stock = recompress_with_stock_zlib (from_node);

  g_assert_cmpstr (text, ==, expected);
  assert_same_payload (ours, from_node);
  g_assert_cmpstr (stock, ==, expected);
  g_assert_true (ak_token_verify (ours, CERTIFICATE, NULL, NULL, NULL, NULL));
}

/* Short tokens come out of both zlibs the same. */
static void
test_exact_text_where_zlibs_agree (void)
{
  static const char * const ids[] = {
    "agora-token-2.0.6-raw007-rtc-uid-number-0",
    "agora-token-2.0.6-raw007-rtc-uid-number-2882341273",
    "agora-token-2.0.6-raw007-rtc-uid-string-2882341273",
    "agora-token-2.0.6-raw007-rtc-uid-string-alice",
  };
  JsonArray *array = vectors ();
  guint found = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *vector = json_array_get_object_element (array, i);

      if (!g_strv_contains (ids, json_object_get_string_member (vector, "id")))
        continue;
      g_assert_cmpstr (json_object_get_string_member (vector, "node_zlib_token"), ==,
                       json_object_get_string_member (vector, "expected"));
      found++;
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (ids));
}

static guint32
input_u32 (JsonObject *inputs,
           const char *name)
{
  return (guint32) json_object_get_int_member (inputs, name);
}

static void
assert_privilege (const AkService *service,
                  guint16          id,
                  gboolean         present,
                  guint32          expected)
{
  guint32 value = 0;

  g_assert_cmpint (ak_service_get_privilege (service, id, &value), ==, present);
  if (present)
    g_assert_cmpuint (value, ==, expected);
}

/* The official builders' real output: it decodes, verifies, names its services, and carries
 * exactly its inputs; rebuilt with its issue time and salt, it gives the same payload. */
static void
test_wild (gconstpointer data)
{
  JsonObject *vector = (JsonObject *) data;
  JsonObject *inputs = json_object_get_object_member (vector, "inputs");
  JsonArray *types = json_object_get_array_member (vector, "services");
  gboolean convoai = g_str_equal (json_object_get_string_member (vector, "builder"), "convoai");
  gboolean publisher = json_object_get_int_member (inputs, "rtc_role") == AK_RTC_ROLE_PUBLISHER;
  g_autoptr(AkToken) token = ak_test_parse_token (json_object_get_string_member (vector, "token"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonObject) pinned = NULL;
  g_autoptr(AkBuildResult) rebuilt = NULL;
  g_autoptr(AkToken) rebuilt_token = NULL;
  JsonArray *json_services;
  const AkService *rtc;
  const AkService *rtm;
  const AkService *agent;

  g_assert_true (ak_token_verify (token, CERTIFICATE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (ak_token_verify (token, OTHER_CERTIFICATE, NULL, NULL, NULL, NULL));
  g_assert_false (ak_token_get_unknown_service_type (token, NULL));
  g_assert_cmpuint (ak_token_get_issue_ts (token), ==, json_object_get_int_member (vector,
                                                                                  "issue_ts"));
  g_assert_cmpuint (ak_token_get_salt (token), ==, json_object_get_int_member (vector, "salt"));
  g_assert_cmpuint (ak_token_get_expire (token), ==, input_u32 (inputs, "rtc_token_expire"));

  g_assert_cmpuint (ak_token_get_n_services (token), ==, json_array_get_length (types));
  for (guint i = 0; i < json_array_get_length (types); i++)
    g_assert_cmpuint (ak_token_get_service (token, i)->type, ==,
                      json_array_get_int_element (types, i));
  g_assert_cmpuint (ak_token_get_n_services (token), ==, 3);

  rtc = ak_token_get_service (token, 0);
  g_assert_cmpstr (ak_service_type_to_name (rtc->type), ==, "rtc");
  g_assert_cmpstr (rtc->channel_name, ==, json_object_get_string_member (inputs,
                                                                         "channel_name"));
  g_assert_cmpstr (rtc->uid, ==, json_object_get_string_member (inputs, "rtc_account"));
  assert_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL, TRUE,
                    input_u32 (inputs, "join_channel_privilege_expire"));
  assert_privilege (rtc, AK_PRIV_RTC_PUBLISH_AUDIO, publisher,
                    input_u32 (inputs, "pub_audio_privilege_expire"));
  assert_privilege (rtc, AK_PRIV_RTC_PUBLISH_VIDEO, publisher,
                    input_u32 (inputs, "pub_video_privilege_expire"));
  assert_privilege (rtc, AK_PRIV_RTC_PUBLISH_DATA, publisher,
                    input_u32 (inputs, "pub_data_stream_privilege_expire"));

  rtm = ak_token_get_service (token, 1);
  g_assert_cmpstr (ak_service_type_to_name (rtm->type), ==, "rtm");
  g_assert_cmpstr (rtm->user_id, ==, json_object_get_string_member (inputs, "rtm_user_id"));
  assert_privilege (rtm, AK_PRIV_RTM_LOGIN, TRUE, input_u32 (inputs, "rtm_token_expire"));

  agent = ak_token_get_service (token, 2);
  g_assert_cmpuint (agent->type, ==, convoai ? AK_SERVICE_CONVOAI : AK_SERVICE_STT);
  g_assert_cmpstr (ak_service_type_to_name (agent->type), ==, convoai ? "convoai" : "stt");
  g_assert_cmpuint (agent->privileges->len, ==, 0);

  /* The decoder's JSON names it too. */
  json = ak_token_to_json (token, NULL);
  json_services = json_object_get_array_member (json_node_get_object (json), "services");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_services,
                                                                                 2), "name"),
                   ==, convoai ? "convoai" : "stt");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_services, 2),
                                               "type"),
                   ==, convoai ? 9 : 10);

  pinned = json_object_new ();
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *member;

    json_object_iter_init (&iter, inputs);
    while (json_object_iter_next (&iter, &name, &member))
      json_object_set_member (pinned, name, json_node_copy (member));
  }
  json_object_set_int_member (pinned, "issue_ts", json_object_get_int_member (vector,
                                                                              "issue_ts"));
  json_object_set_int_member (pinned, "salt", json_object_get_int_member (vector, "salt"));
  rebuilt = build_vector (vector, pinned);
  rebuilt_token = ak_test_parse_token (ak_build_result_get_token (rebuilt));
  assert_same_payload (rebuilt_token, token);
}

/* An RTC uid given as a number is the official ServiceRtc's: 0 is "" (any user), any other
 * number its decimal digits, so 2882341273 and "2882341273" make one token. */
static void
test_raw007_uid_forms (void)
{
  JsonArray *array = vectors ();
  const char *by_number = NULL;
  const char *by_string = NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *vector = json_array_get_object_element (array, i);
      const char *id = json_object_get_string_member (vector, "id");
      g_autoptr(AkBuildResult) result = NULL;
      g_autoptr(AkToken) token = NULL;
      JsonObject *service;
      JsonNode *uid;

      if (!g_str_has_prefix (id, "agora-token-2.0.6-raw007-rtc-uid-"))
        continue;
      result = build_vector (vector, json_object_get_object_member (vector, "inputs"));
      token = ak_test_parse_token (ak_build_result_get_token (result));
      service = json_array_get_object_element (
        json_object_get_array_member (json_object_get_object_member (vector, "inputs"),
                                      "services"), 0);
      uid = json_object_get_member (service, "uid");
      if (json_node_get_value_type (uid) == G_TYPE_STRING)
        g_assert_cmpstr (ak_token_get_service (token, 0)->uid, ==, json_node_get_string (uid));
      else if (json_node_get_int (uid) == 0)
        g_assert_cmpstr (ak_token_get_service (token, 0)->uid, ==, "");
      else
        g_assert_cmpstr (ak_token_get_service (token, 0)->uid, ==, "2882341273");

      if (g_str_has_suffix (id, "number-2882341273"))
        by_number = json_object_get_string_member (vector, "expected");
      if (g_str_has_suffix (id, "string-2882341273"))
        by_string = json_object_get_string_member (vector, "expected");
    }
  g_assert_nonnull (by_number);
  g_assert_cmpstr (by_number, ==, by_string);
}

/* Empty resource lists are kept, as the official builders keep them: dropping them would
 * change the bytes and the signature. */
static void
test_rtm2_empty_resources (void)
{
  JsonArray *array = vectors ();
  JsonObject *vector = NULL;
  g_autoptr(AkBuildResult) result = NULL;
  g_autoptr(AkToken) token = NULL;
  const AkService *rtm2;
  const AkRtmPermission *p;

  for (guint i = 0; i < json_array_get_length (array) && vector == NULL; i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (array, i),
                                                    "id"),
                     "agora-token-2.0.6-rtm2-empty-resources"))
      vector = json_array_get_object_element (array, i);
  g_assert_nonnull (vector);

  result = build_vector (vector, json_object_get_object_member (vector, "inputs"));
  token = ak_test_parse_token (ak_build_result_get_token (result));
  rtm2 = ak_token_get_service (token, 0);
  g_assert_cmpuint (rtm2->permissions->len, ==, 3);
  p = &g_array_index (rtm2->permissions, AkRtmPermission, 0);
  g_assert_cmpuint (p->resource_type, ==, 0);
  g_assert_cmpuint (p->permission_type, ==, 0);
  g_assert_cmpuint (p->resources->len, ==, 2);
  p = &g_array_index (rtm2->permissions, AkRtmPermission, 1);
  g_assert_cmpuint (p->resource_type, ==, 0);
  g_assert_cmpuint (p->permission_type, ==, 1);
  g_assert_cmpuint (p->resources->len, ==, 0);
  p = &g_array_index (rtm2->permissions, AkRtmPermission, 2);
  g_assert_cmpuint (p->resource_type, ==, 4);
  g_assert_cmpuint (p->permission_type, ==, 0);
  g_assert_cmpuint (p->resources->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  JsonArray *array;
  guint n_exact = 0;
  guint n_wild = 0;

  g_test_init (&argc, &argv, NULL);
  vectors_root = ak_test_load_json ("agora-token-2.0.6.json");

  array = vectors ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *vector = json_array_get_object_element (array, i);
      const char *kind = json_object_get_string_member (vector, "kind");
      g_autofree char *path = NULL;

      path = g_strdup_printf ("/ak/agora-token-vectors/%s/%s", kind,
                              json_object_get_string_member (vector, "id"));
      if (g_str_equal (kind, "exact"))
        {
          g_test_add_data_func (path, vector, test_exact);
          n_exact++;
        }
      else if (g_str_equal (kind, "wild"))
        {
          g_test_add_data_func (path, vector, test_wild);
          n_wild++;
        }
      else
        g_error ("Vector %u has an unknown kind “%s”", i, kind);
    }
  /* A file cut short must not pass by testing less. */
  if (n_exact < 11 || n_wild < 6)
    g_error ("Expected at least 11 exact and 6 wild vectors, found %u and %u", n_exact, n_wild);

  g_test_add_func ("/ak/agora-token-vectors/exact-text-where-zlibs-agree",
                   test_exact_text_where_zlibs_agree);
  g_test_add_func ("/ak/agora-token-vectors/raw007-uid-forms", test_raw007_uid_forms);
  g_test_add_func ("/ak/agora-token-vectors/rtm2-empty-resources", test_rtm2_empty_resources);

  return g_test_run ();
}
