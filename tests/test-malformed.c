/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the parser does with text that is not a good token: a table of malformed inputs
 * with their error codes, payloads written byte by byte from the AccessToken2 layout
 * (ak-test-token-bytes.h: cut short, with trailing bytes, inflating to megabytes, with an
 * unknown service), and tamper tests that flip every byte of real tokens. Nothing may crash,
 * and nothing tampered may verify. RTM2 permissions are test-malformed-rtm2's.
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "ak-core.h"
#include "ak-test-util.h"
#include "ak-test-token-bytes.h"

/* ---- the tests ---- */

/* The hand-written encoder must agree with the SPEC, or every test below proves nothing. */
static void
test_encoder_self_check (void)
{
  g_autoptr(GByteArray) info = example_signing_info ();
  g_autoptr(GByteArray) content = signed_content (info);
  g_autofree char *text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);

  g_assert_cmpstr (text, ==, EXAMPLE_007_TOKEN);
}

typedef struct
{
  const char *name;
  const char *text;
  AkError code;
  /* Text the message must contain (a position, a field), or NULL. */
  const char *needle;
} MalformedText;

static const MalformedText malformed_texts[] = {
  { "empty", "", AK_ERROR_BAD_VERSION, "empty" },
  { "version-only-007", "007", AK_ERROR_TRUNCATED, "no data" },
  { "version-only-006", "006", AK_ERROR_TRUNCATED, "App ID" },
  { "version-008", "008abc", AK_ERROR_BAD_VERSION, "“008”" },
  { "no-version", "abc", AK_ERROR_BAD_VERSION, "“abc”" },
  { "letter-o-for-zero", "O07eJxTYBBbsMMnKq7p9Hf", AK_ERROR_BAD_VERSION, "“O07”" },
  { "version-cut-off", "eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UU", AK_ERROR_BAD_VERSION,
    "“007”" },
  { "006-short-app-id", "006970CA35de60c44645bbae8a215061b3", AK_ERROR_TRUNCATED,
    "34 characters" },
  { "006-app-id-only", "006" APP_ID, AK_ERROR_TRUNCATED, "no data" },
  { "006-app-id-not-hex", "006970CA35de60c44645bbae8a2150g1b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwV"
    "LnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW", AK_ERROR_BAD_FIELD, "Character 31 " },
  { "padding-in-the-middle", "007eJxTYBBb=MMnKq7p9Hf/", AK_ERROR_BAD_BASE64, "Character 12" },
  { "url-encoded", "007eJxTYBBbsMMnKq7p9Hf%2FHcIX5kce9b518kCiQg", AK_ERROR_BAD_BASE64,
    "Character 23" },
  { "not-zlib", "007aGVsbG8sIHRoaXMgaXMgbm90IHpsaWI=", AK_ERROR_BAD_COMPRESSION, "zlib" },
};

static void
test_malformed_text (gconstpointer data)
{
  const MalformedText *c = data;

  assert_parse_fails (c->text, c->code, c->needle);
}

/* Returns a copy of @text with the character at @index replaced by @replacement. */
static char *
with_char (const char *text,
           gsize       index,
           char        replacement)
{
  char *copy = g_strdup (text);

  g_assert_cmpuint (index, <, strlen (copy));
  copy[index] = replacement;
  return copy;
}

/* The message must point at the character, counting from 1 over the whole token. */
static void
assert_bad_base64_at (const char *text,
                      gsize       index)
{
  g_autofree char *needle = g_strdup_printf ("Character %" G_GSIZE_FORMAT " ", index + 1);

  assert_parse_fails (text, AK_ERROR_BAD_BASE64, needle);
}

static void
test_base64_invalid_character (void)
{
  static const gsize indexes[] = { 3, 20, 100, sizeof EXAMPLE_007_TOKEN - 2 };

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      g_autofree char *text = with_char (EXAMPLE_007_TOKEN, indexes[i], '*');
      assert_bad_base64_at (text, indexes[i]);
    }
}

/* A token pasted from a URL: '+' became a space. */
static void
test_base64_space (void)
{
  const char *plus = strchr (&EXAMPLE_006_TOKEN[35], '+');
  g_autofree char *text = NULL;

  g_assert_nonnull (plus);
  text = with_char (EXAMPLE_006_TOKEN, plus - EXAMPLE_006_TOKEN, ' ');
  assert_bad_base64_at (text, plus - EXAMPLE_006_TOKEN);
}

static void
test_base64_url_safe (void)
{
  g_autofree char *text = g_strdup (EXAMPLE_006_TOKEN);

  g_strdelimit (text + 35, "+", '-');
  g_strdelimit (text + 35, "/", '_');
  g_assert_cmpstr (text, !=, EXAMPLE_006_TOKEN);
  assert_parse_fails (text, AK_ERROR_BAD_BASE64, "URL-safe");
}

static void
test_base64_missing_padding (void)
{
  static const char * const uids[] = { "1", "12", "123" };
  gboolean tested = FALSE;

  /* Find a payload whose base64 needs padding, then drop the padding. */
  for (guint i = 0; i < G_N_ELEMENTS (uids); i++)
    {
      g_autoptr(GByteArray) info = signing_info_header (1111111, 600, 1, 1);
      g_autofree char *text = NULL;
      gsize length;

      put_rtc_service (info, CHANNEL, uids[i]);
      text = token_from_info (info);
      length = strlen (text);
      if (text[length - 1] != '=')
        continue;

      while (text[length - 1] == '=')
        text[--length] = '\0';
      assert_parse_fails (text, AK_ERROR_BAD_BASE64, "padding");
      tested = TRUE;
    }
  g_assert_true (tested);
}

/* The example token's content, compressed, in a buffer with @spare bytes after its @length. */
static guint8 *
example_compressed (gsize   spare,
                    uLongf *length)
{
  g_autoptr(GByteArray) info = example_signing_info ();
  g_autoptr(GByteArray) content = signed_content (info);
  guint8 *compressed;

  *length = compressBound (content->len);
  compressed = g_malloc (*length + spare);
  g_assert_cmpint (compress2 (compressed, length, content->data, content->len,
                              Z_DEFAULT_COMPRESSION), ==, Z_OK);
  return compressed;
}

/* The token of the zlib stream in @compressed, which the parser must refuse with @code and a
 * message that mentions @needle. */
static void
assert_zlib_refused (const guint8 *compressed,
                     gsize         length,
                     AkError       code,
                     const char   *needle)
{
  g_autofree char *text = token_from_zlib (compressed, length);

  assert_parse_fails (text, code, needle);
}

static void
test_zlib_bad_checksum (void)
{
  uLongf length = 0;
  g_autofree guint8 *compressed = example_compressed (0, &length);

  compressed[length - 1] ^= 0x01;
  assert_zlib_refused (compressed, length, AK_ERROR_BAD_COMPRESSION, "zlib");
}

/* Bytes after the end of the zlib stream are not part of any token. */
static void
test_zlib_trailing_bytes (void)
{
  uLongf length = 0;
  g_autofree guint8 *compressed = example_compressed (2, &length);

  compressed[length++] = 0x00;
  compressed[length++] = 0x2a;
  assert_zlib_refused (compressed, length, AK_ERROR_TRAILING_BYTES, "2 bytes");
}

static void
test_zlib_cut_short (void)
{
  uLongf length = 0;
  g_autofree guint8 *compressed = example_compressed (0, &length);

  for (uLongf cut = 1; cut < length; cut += 7)
    {
      g_autofree char *text = token_from_zlib (compressed, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(AkToken) token = ak_token_parse (text, &error);

      g_assert_null (token);
      g_assert_nonnull (error);
      g_assert_true (ak_error_is_malformed_token (error));
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* Where each read of a payload starts and ends, and the field it reads. */
typedef struct
{
  guint start;
  guint end;
  const char *field;
} FieldExtent;

/* The SPEC 2.1 example payload (138 bytes); strings are read as length, then bytes. */
static const FieldExtent example_007_fields[] = {
  { 0, 2, "signature" }, { 2, 34, "signature" },
  { 34, 36, "app_id" }, { 36, 68, "app_id" },
  { 68, 72, "issue_ts" }, { 72, 76, "expire" }, { 76, 80, "salt" },
  { 80, 82, "service count" }, { 82, 84, "service type" },
  { 84, 86, "privilege count" }, { 86, 88, "privilege id" }, { 88, 92, "privilege value" },
  { 92, 94, "channel_name" }, { 94, 126, "channel_name" },
  { 126, 128, "uid" }, { 128, 138, "uid" },
};

static const FieldExtent example_006_fields[] = {
  { 0, 2, "signature" }, { 2, 34, "signature" },
  { 34, 38, "crc_channel_name" }, { 38, 42, "crc_uid" },
  { 42, 44, "message" }, { 44, 60, "message" },
};

/* A payload cut at @cut must fail in the first read that runs past the cut, and the message
 * must name that field and the byte where the read started. */
static void
assert_truncated_at (const char        *text,
                     guint              cut,
                     const FieldExtent *fields,
                     guint              n_fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = ak_token_parse (text, &error);
  g_autofree char *field = NULL;
  g_autofree char *position = NULL;
  guint i;

  for (i = 0; i < n_fields && fields[i].end <= cut; i++)
    ;
  g_assert_cmpuint (i, <, n_fields);

  field = g_strdup_printf ("“%s”", fields[i].field);
  position = g_strdup_printf ("at byte %u of %u", fields[i].start, cut);
  g_assert_null (token);
  g_assert_error (error, AK_ERROR, AK_ERROR_TRUNCATED);
  if (strstr (error->message, field) == NULL || strstr (error->message, position) == NULL)
    g_error ("Cut at %u: “%s” should name %s %s", cut, error->message, field, position);
}

static void
test_truncated_payload_007 (void)
{
  g_autoptr(GByteArray) info = example_signing_info ();
  g_autoptr(GByteArray) content = signed_content (info);

  g_assert_cmpuint (content->len, ==,
                    example_007_fields[G_N_ELEMENTS (example_007_fields) - 1].end);
  /* Any cut before the end leaves a field (or the promised service) missing. */
  for (guint cut = 0; cut < content->len; cut++)
    {
      g_autofree char *text = token_from_content (content->data, cut, Z_DEFAULT_COMPRESSION);
      assert_truncated_at (text, cut, example_007_fields, G_N_ELEMENTS (example_007_fields));
    }
}

static void
test_truncated_payload_006 (void)
{
  g_autoptr(AkToken) original = ak_test_parse_token (EXAMPLE_006_TOKEN);
  GBytes *content = ak_token_get_content (original);
  gsize length;
  const guint8 *data = g_bytes_get_data (content, &length);

  g_assert_cmpuint (length, ==, example_006_fields[G_N_ELEMENTS (example_006_fields) - 1].end);
  for (guint cut = 1; cut < length; cut++)
    {
      g_autofree char *text = token_006_from_content (APP_ID, data, cut);
      assert_truncated_at (text, cut, example_006_fields, G_N_ELEMENTS (example_006_fields));
    }
}

/* The signature field must hold exactly an HMAC-SHA256. */
static void
test_signature_wrong_length (void)
{
  g_autoptr(GByteArray) info = example_signing_info ();
  g_autoptr(GByteArray) content = g_byte_array_new ();
  guint8 short_signature[31] = { 0 };
  g_autofree char *text = NULL;

  put_bytes_string (content, short_signature, sizeof short_signature);
  g_byte_array_append (content, info->data, info->len);
  text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);
  assert_parse_fails (text, AK_ERROR_BAD_FIELD, "31 bytes");
}

static void
test_trailing_bytes_007 (void)
{
  static const guint8 extra[] = { 0x00, 0x01, 0x02 };
  g_autoptr(GByteArray) info = example_signing_info ();
  g_autofree char *text = NULL;

  g_byte_array_append (info, extra, sizeof extra);
  text = token_from_info (info);
  assert_parse_fails (text, AK_ERROR_TRAILING_BYTES, "3 bytes are left over");
}

static void
test_trailing_bytes_006 (void)
{
  g_autoptr(AkToken) original = ak_test_parse_token (EXAMPLE_006_TOKEN);
  GBytes *content = ak_token_get_content (original);
  g_autoptr(GByteArray) longer = g_byte_array_new ();
  g_autofree char *text = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (content, &length);

  g_byte_array_append (longer, data, length);
  g_byte_array_append (longer, (const guint8 *) "xy", 2);
  text = token_006_from_content (APP_ID, longer->data, longer->len);
  assert_parse_fails (text, AK_ERROR_TRAILING_BYTES, "2 bytes are left over");
}

/* 16 MiB of zeros deflate to about 16 KiB: the parser must stop inflating at its limit. */
static void
test_zlib_bomb (void)
{
  gsize size = 16 * 1024 * 1024;
  g_autofree guint8 *zeros = g_malloc0 (size);
  g_autofree char *text = token_from_content (zeros, size, Z_BEST_COMPRESSION);
  g_autofree char *limit = g_strdup_printf ("%u", (guint) AK_MAX_PAYLOAD_LENGTH);

  g_assert_cmpuint (strlen (text), <, 64 * 1024);
  assert_parse_fails (text, AK_ERROR_TOO_LARGE, limit);
}

static void
test_text_too_long (void)
{
  g_autofree char *text = g_strnfill (AK_MAX_TOKEN_TEXT_LENGTH + 16, 'A');

  memcpy (text, "007", 3);
  assert_parse_fails (text, AK_ERROR_TOO_LARGE, NULL);
}

/* A real token can hold a long string: the size limit must not refuse it. */
static void
test_large_but_legal (void)
{
  g_autofree char *channel = g_strnfill (60000, 'c');
  g_autoptr(GByteArray) info = signing_info_header (1111111, 600, 1, 1);
  g_autofree char *text = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  AkVerification verification = { 0 };

  put_rtc_service (info, channel, "1");
  text = token_from_info (info);
  token = ak_test_parse_token (text);
  g_assert_cmpstr (ak_token_get_service (token, 0)->channel_name, ==, channel);
  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, &verification, &error));
  g_assert_no_error (error);
}

/* Official parsers stop at a service type they do not know and still succeed. */
static void
test_unknown_service_type (void)
{
  g_autoptr(GByteArray) info = signing_info_header (1111111, 600, 1, 2);
  g_autofree char *text = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  AkVerification verification = { 0 };
  guint16 unknown = 0;

  put_rtc_service (info, CHANNEL, "2882341273");
  put_u16 (info, 99);
  /* Whatever a future service carries: must not count as trailing bytes. */
  put_u16 (info, 1);
  put_u16 (info, 1);
  put_u32 (info, 600);
  put_string (info, "future-field");
  text = token_from_info (info);

  token = ak_test_parse_token (text);
  g_assert_cmpuint (ak_token_get_n_services (token), ==, 1);
  g_assert_cmpuint (ak_token_get_service_count_field (token), ==, 2);
  g_assert_cmpuint (ak_token_get_service (token, 0)->type, ==, AK_SERVICE_RTC);
  g_assert_true (ak_token_get_unknown_service_type (token, &unknown));
  g_assert_cmpuint (unknown, ==, 99);

  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, &verification, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verification.signature, ==, AK_SIGNATURE_VALID);

  json = ak_token_to_json (token, &verification);
  g_assert_nonnull (json);
}

static void
test_known_services_only (void)
{
  g_autoptr(AkToken) token = ak_test_parse_token (EXAMPLE_007_TOKEN);
  guint16 unknown = 0;

  g_assert_false (ak_token_get_unknown_service_type (token, &unknown));
}

/* ---- tamper tests ---- */

typedef struct
{
  const char *id;
  const char *text;
  /* 006 only */
  const char *channel;
  const char *uid;
} TamperSource;

static GPtrArray *tamper_sources;

/* Parses @text and, if it parses, requires that verification fails: a changed token must
 * never pass as genuine. The one exception is a change that does not reach the signed
 * bytes (unused base64 bits, or another deflate spelling of the same 007 content): that is
 * the same token, and counts in *@same_token. Returns whether @text parsed. */
static gboolean
assert_not_genuine (const char         *text,
                    const TamperSource *source,
                    AkToken            *original,
                    guint              *same_token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = ak_token_parse (text, &error);
  g_autoptr(JsonNode) json = NULL;
  AkVerification verification = { 0 };

  if (token == NULL)
    {
      g_assert_nonnull (error);
      if (!ak_error_is_malformed_token (error))
        g_error ("%s: parse failed with a non-parse error %d: %s", text, error->code,
                 error->message);
      g_assert_cmpstr (error->message, !=, "");
      return FALSE;
    }

  json = ak_token_to_json (token, NULL);
  g_assert_nonnull (json);

  if (ak_token_verify (token, CERT, source->channel, source->uid, &verification, &error))
    {
      if (!g_bytes_equal (ak_token_get_content (token), ak_token_get_content (original))
          || g_strcmp0 (ak_token_get_app_id (token), ak_token_get_app_id (original)) != 0)
        g_error ("Tampered token verifies: %s (from %s)", text, source->id);
      (*same_token)++;
      return TRUE;
    }

  g_assert_nonnull (error);
  if (!g_error_matches (error, AK_ERROR, AK_ERROR_SIGNATURE_MISMATCH)
      && !g_error_matches (error, AK_ERROR, AK_ERROR_CRC_MISMATCH))
    g_error ("%s: verification failed with unexpected error %d: %s", text, error->code,
             error->message);
  return TRUE;
}

static void
test_tamper_content (gconstpointer data)
{
  const TamperSource *source = data;
  g_autoptr(AkToken) original = ak_test_parse_token (source->text);
  GBytes *content = ak_token_get_content (original);
  gsize length;
  const guint8 *bytes = g_bytes_get_data (content, &length);
  g_autofree guint8 *copy = g_memdup2 (bytes, length);
  static const guint8 masks[] = { 0x01, 0x80, 0xff };
  gboolean is_006 = ak_token_get_version (original) == AK_TOKEN_VERSION_006;
  guint parsed = 0;
  guint same_token = 0;

  for (gsize i = 0; i < length; i++)
    for (guint m = 0; m < G_N_ELEMENTS (masks); m++)
      {
        g_autofree char *text = NULL;

        copy[i] ^= masks[m];
        text = is_006 ? token_006_from_content (APP_ID, copy, length)
                      : token_from_content (copy, length, Z_DEFAULT_COMPRESSION);
        if (assert_not_genuine (text, source, original, &same_token))
          parsed++;
        copy[i] = bytes[i];
      }

  /* Every variant changed the signed bytes. */
  g_assert_cmpuint (same_token, ==, 0);

  /* Most flips land in the signature or a value: those must parse and then fail to verify. */
  g_assert_cmpuint (parsed, >, length);
}

static void
test_tamper_text (gconstpointer data)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const TamperSource *source = data;
  g_autoptr(AkToken) original = ak_test_parse_token (source->text);
  gsize length = strlen (source->text);
  guint variants = 0;
  guint same_token = 0;

  for (gsize i = 0; i < length; i++)
    {
      const char *found = strchr (alphabet, source->text[i]);
      char replacements[3] = { 'A', '9', 0 };

      if (found != NULL)
        {
          gsize index = found - alphabet;
          replacements[0] = alphabet[(index + 1) % 64];
          replacements[1] = alphabet[(index + 32) % 64];
          replacements[2] = '=';
        }

      for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
        {
      g_autofree char *text = NULL;

          if (replacements[r] == 0 || replacements[r] == source->text[i])
            continue;
          text = with_char (source->text, i, replacements[r]);
          assert_not_genuine (text, source, original, &same_token);
          variants++;
        }
    }

  /* Respellings of the same bytes are rare; most changes must be caught. */
  g_test_message ("%u variants, %u spell the same token", variants, same_token);
  g_assert_cmpuint (same_token, <, variants / 10);
}

static void
load_tamper_sources (void)
{
  /* One of each shape: RTC, several services, RTM2 permissions, APaaS, and 006 RTC/RTM. */
  static const char * const ids[] = {
    "official-001", "official-012", "official-083", "official-139", "official-017",
  };
  JsonArray *vectors = ak_test_official_vectors ();

  tamper_sources = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (vectors); i++)
    {
      JsonObject *vector = json_array_get_object_element (vectors, i);
      const char *id = json_object_get_string_member (vector, "id");
      JsonObject *inputs;
      TamperSource *source;

      if (!g_strv_contains (ids, id))
        continue;

      inputs = json_object_get_object_member (vector, "inputs");
      source = g_new0 (TamperSource, 1);
      source->id = id;
      source->text = json_object_get_string_member (vector, "expected");
      if (g_str_equal (json_object_get_string_member (vector, "format"), "006"))
        {
          source->channel = json_object_get_string_member (inputs, "channel_name");
          source->uid = json_object_get_string_member (inputs, "uid");
        }
      g_assert_cmpstr (json_object_get_string_member (inputs, "app_certificate"), ==, CERT);
      if (source->channel != NULL)
        g_assert_true (g_str_has_prefix (source->text, "006" APP_ID));
      g_ptr_array_add (tamper_sources, source);
    }
  g_assert_cmpuint (tamper_sources->len, ==, G_N_ELEMENTS (ids));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_tamper_sources ();

  g_test_add_func ("/ak/malformed/encoder-self-check", test_encoder_self_check);
  AK_TEST_ADD_CASES ("/ak/malformed/text", malformed_texts, test_malformed_text);
  g_test_add_func ("/ak/malformed/base64/invalid-character", test_base64_invalid_character);
  g_test_add_func ("/ak/malformed/base64/space", test_base64_space);
  g_test_add_func ("/ak/malformed/base64/url-safe", test_base64_url_safe);
  g_test_add_func ("/ak/malformed/base64/missing-padding", test_base64_missing_padding);
  g_test_add_func ("/ak/malformed/zlib/bad-checksum", test_zlib_bad_checksum);
  g_test_add_func ("/ak/malformed/zlib/cut-short", test_zlib_cut_short);
  g_test_add_func ("/ak/malformed/zlib/trailing-bytes", test_zlib_trailing_bytes);
  g_test_add_func ("/ak/malformed/zlib/bomb", test_zlib_bomb);
  g_test_add_func ("/ak/malformed/size/text-too-long", test_text_too_long);
  g_test_add_func ("/ak/malformed/size/large-but-legal", test_large_but_legal);
  g_test_add_func ("/ak/malformed/payload/truncated-007", test_truncated_payload_007);
  g_test_add_func ("/ak/malformed/payload/truncated-006", test_truncated_payload_006);
  g_test_add_func ("/ak/malformed/payload/signature-wrong-length", test_signature_wrong_length);
  g_test_add_func ("/ak/malformed/payload/trailing-bytes-007", test_trailing_bytes_007);
  g_test_add_func ("/ak/malformed/payload/trailing-bytes-006", test_trailing_bytes_006);
  g_test_add_func ("/ak/malformed/payload/unknown-service-type", test_unknown_service_type);
  g_test_add_func ("/ak/malformed/payload/known-services-only", test_known_services_only);

  for (guint i = 0; i < tamper_sources->len; i++)
    {
      const TamperSource *source = g_ptr_array_index (tamper_sources, i);
      g_autofree char *content_path = g_strdup_printf ("/ak/malformed/tamper/content/%s",
                                                       source->id);
      g_autofree char *text_path = g_strdup_printf ("/ak/malformed/tamper/text/%s", source->id);

      g_test_add_data_func (content_path, source, test_tamper_content);
      g_test_add_data_func (text_path, source, test_tamper_text);
    }

  status = g_test_run ();
  g_clear_pointer (&tamper_sources, g_ptr_array_unref);
  return status;
}
