/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the parser does with text that is not a good token: a table of malformed inputs
 * with their error codes, payloads written byte by byte from the AccessToken2 layout (cut short,
 * with trailing bytes, inflating to megabytes, with an unknown service), RTM2 permissions in
 * every order and with counts that lie, and tamper tests that flip every byte of real
 * tokens. Nothing may crash, and nothing tampered may verify.
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "ak-core.h"
#include "ak-test-util.h"

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define CHANNEL "7d72365eb983485397e3e3f9d460bdda"
#define EXAMPLE_007_TOKEN \
  "007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDc" \
  "wMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxgDCaiTj"
#define EXAMPLE_006_TOKEN \
  "006" APP_ID "IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW"

/* ---- writing payloads by hand ---- */

static void
put_u16 (GByteArray *out,
         guint16     value)
{
  guint8 bytes[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
put_bytes_string (GByteArray   *out,
                  const guint8 *data,
                  gsize         length)
{
  g_assert_cmpuint (length, <=, G_MAXUINT16);
  put_u16 (out, (guint16) length);
  g_byte_array_append (out, data, length);
}

static void
put_string (GByteArray *out,
            const char *text)
{
  put_bytes_string (out, (const guint8 *) text, strlen (text));
}

static void
hmac_sha256 (const void *key,
             gsize       key_length,
             const void *message,
             gsize       message_length,
             guint8      out[32])
{
  size_t out_length = 0;

  g_assert_nonnull (EVP_Q_mac (NULL, "HMAC", NULL, "SHA256", NULL, key, key_length,
                               message, message_length, out, 32, &out_length));
  g_assert_cmpuint (out_length, ==, 32);
}

/* The start of a 007 signing_info, up to and including the service count. */
static GByteArray *
signing_info_header (guint32 issue_ts,
                     guint32 expire,
                     guint32 salt,
                     guint16 service_count)
{
  GByteArray *info = g_byte_array_new ();

  put_string (info, APP_ID);
  put_u32 (info, issue_ts);
  put_u32 (info, expire);
  put_u32 (info, salt);
  put_u16 (info, service_count);
  return info;
}

static void
put_rtc_service (GByteArray *info,
                 const char *channel,
                 const char *uid)
{
  put_u16 (info, AK_SERVICE_RTC);
  put_u16 (info, 1);
  put_u16 (info, AK_PRIV_RTC_JOIN_CHANNEL);
  put_u32 (info, 600);
  put_string (info, channel);
  put_string (info, uid);
}

/* The SPEC's worked example: issue_ts 1111111, expire 600, salt 1, one RTC service. */
static GByteArray *
example_signing_info (void)
{
  GByteArray *info = signing_info_header (1111111, 600, 1, 1);

  put_rtc_service (info, CHANNEL, "2882341273");
  return info;
}

/* string(signature) + signing_info, signed with CERT the way 007 signs. */
static GByteArray *
signed_content (GByteArray *info)
{
  const guint8 *p = info->data + 2 + 32;
  guint32 issue_ts = p[0] | p[1] << 8 | p[2] << 16 | (guint32) p[3] << 24;
  guint32 salt = p[8] | p[9] << 8 | p[10] << 16 | (guint32) p[11] << 24;
  guint8 ts_key[4] = { issue_ts & 0xff, (issue_ts >> 8) & 0xff, (issue_ts >> 16) & 0xff,
                       issue_ts >> 24 };
  guint8 salt_key[4] = { salt & 0xff, (salt >> 8) & 0xff, (salt >> 16) & 0xff, salt >> 24 };
  guint8 k1[32], k2[32], signature[32];
  GByteArray *content = g_byte_array_new ();

  hmac_sha256 (ts_key, sizeof ts_key, CERT, strlen (CERT), k1);
  hmac_sha256 (salt_key, sizeof salt_key, k1, sizeof k1, k2);
  hmac_sha256 (k2, sizeof k2, info->data, info->len, signature);

  put_bytes_string (content, signature, sizeof signature);
  g_byte_array_append (content, info->data, info->len);
  return content;
}

static char *
token_from_zlib (const guint8 *data,
                 gsize         length)
{
  g_autofree char *base64 = g_base64_encode (data, length);

  return g_strconcat ("007", base64, NULL);
}

static char *
token_from_content (const guint8 *content,
                    gsize         length,
                    int           level)
{
  uLongf compressed_length = compressBound (length);
  g_autofree guint8 *compressed = g_malloc (compressed_length);

  g_assert_cmpint (compress2 (compressed, &compressed_length, content, length, level), ==, Z_OK);
  return token_from_zlib (compressed, compressed_length);
}

static char *
token_006_from_content (const char   *app_id,
                        const guint8 *content,
                        gsize         length)
{
  g_autofree char *base64 = g_base64_encode (content, length);

  return g_strconcat ("006", app_id, base64, NULL);
}

/* ---- checking outcomes ---- */

static void
assert_message_mentions (const GError *error,
                         const char   *needle)
{
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("Message “%s” does not mention “%s”", error->message, needle);
}

static void
assert_parse_fails (const char *text,
                    AkError     code,
                    const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = ak_token_parse (text, &error);

  g_assert_null (token);
  g_assert_error (error, AK_ERROR, (gint) code);
  g_assert_true (ak_error_is_malformed_token (error));
  assert_message_mentions (error, needle);
}

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
      g_autoptr(GByteArray) content = NULL;
      g_autofree char *text = NULL;
      gsize length;

      put_rtc_service (info, CHANNEL, uids[i]);
      content = signed_content (info);
      text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);
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

static void
test_zlib_bad_checksum (void)
{
  g_autoptr(GByteArray) info = example_signing_info ();
  g_autoptr(GByteArray) content = signed_content (info);
  uLongf length = compressBound (content->len);
  g_autofree guint8 *compressed = g_malloc (length);
  g_autofree char *text = NULL;

  g_assert_cmpint (compress2 (compressed, &length, content->data, content->len,
                              Z_DEFAULT_COMPRESSION), ==, Z_OK);
  compressed[length - 1] ^= 0x01;
  text = token_from_zlib (compressed, length);
  assert_parse_fails (text, AK_ERROR_BAD_COMPRESSION, "zlib");
}

/* Bytes after the end of the zlib stream are not part of any token. */
static void
test_zlib_trailing_bytes (void)
{
  g_autoptr(GByteArray) info = example_signing_info ();
  g_autoptr(GByteArray) content = signed_content (info);
  uLongf length = compressBound (content->len) + 2;
  g_autofree guint8 *compressed = g_malloc (length);
  g_autofree char *text = NULL;

  g_assert_cmpint (compress2 (compressed, &length, content->data, content->len,
                              Z_DEFAULT_COMPRESSION), ==, Z_OK);
  compressed[length++] = 0x00;
  compressed[length++] = 0x2a;
  text = token_from_zlib (compressed, length);
  assert_parse_fails (text, AK_ERROR_TRAILING_BYTES, "2 bytes");
}

static void
test_zlib_cut_short (void)
{
  g_autoptr(GByteArray) info = example_signing_info ();
  g_autoptr(GByteArray) content = signed_content (info);
  uLongf length = compressBound (content->len);
  g_autofree guint8 *compressed = g_malloc (length);

  g_assert_cmpint (compress2 (compressed, &length, content->data, content->len,
                              Z_DEFAULT_COMPRESSION), ==, Z_OK);
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
  g_autoptr(GByteArray) content = NULL;
  g_autofree char *text = NULL;

  g_byte_array_append (info, extra, sizeof extra);
  content = signed_content (info);
  text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);
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
  g_autoptr(GByteArray) content = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  AkVerification verification = { 0 };

  put_rtc_service (info, channel, "1");
  content = signed_content (info);
  text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);
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
  g_autoptr(GByteArray) content = NULL;
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
  content = signed_content (info);
  text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);

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

/* ---- RTM2 permissions: any order, hostile counts, the largest sizes ---- */

/* A permissions block in a short notation: blocks separated by ';', each "RESOURCE_TYPE:"
 * then entries separated by ' ', each "PERMISSION_TYPE=" then resources separated by ','.
 * "2:0=g;1:1=s" is a groupChannels block with read [g], then streamChannels with write [s]. */
static void
put_permissions (GByteArray *info,
                 const char *description)
{
  g_auto(GStrv) blocks = *description != '\0' ? g_strsplit (description, ";", -1)
                                              : g_new0 (char *, 1);

  put_u16 (info, (guint16) g_strv_length (blocks));
  for (guint b = 0; blocks[b] != NULL; b++)
    {
      const char *colon = strchr (blocks[b], ':');
      g_auto(GStrv) entries = NULL;

      g_assert_nonnull (colon);
      entries = colon[1] != '\0' ? g_strsplit (colon + 1, " ", -1) : g_new0 (char *, 1);
      put_u16 (info, (guint16) g_ascii_strtoull (blocks[b], NULL, 10));
      put_u16 (info, (guint16) g_strv_length (entries));
      for (guint e = 0; entries[e] != NULL; e++)
        {
          const char *equals = strchr (entries[e], '=');
          g_auto(GStrv) resources = NULL;

          g_assert_nonnull (equals);
          resources = equals[1] != '\0' ? g_strsplit (equals + 1, ",", -1) : g_new0 (char *, 1);
          put_u16 (info, (guint16) g_ascii_strtoull (entries[e], NULL, 10));
          put_u16 (info, (guint16) g_strv_length (resources));
          for (guint r = 0; resources[r] != NULL; r++)
            put_string (info, resources[r]);
        }
    }
}

/* The signing_info of a token with one RTM2 service, up to and including its user_id. */
static GByteArray *
rtm2_signing_info_start (void)
{
  GByteArray *info = signing_info_header (1111111, 600, 1, 1);

  put_u16 (info, AK_SERVICE_RTM2);
  put_u16 (info, 1);
  put_u16 (info, AK_PRIV_RTM2_LOGIN);
  put_u32 (info, 600);
  put_string (info, "test_user");
  return info;
}

static char *
rtm2_token (const char *description)
{
  g_autoptr(GByteArray) info = rtm2_signing_info_start ();
  g_autoptr(GByteArray) content = NULL;

  put_permissions (info, description);
  content = signed_content (info);
  return token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);
}

/* The decoder's "permission_blocks", written back in the notation of put_permissions(). */
static char *
describe_permission_blocks (JsonNode *json)
{
  JsonObject *service = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json), "services"), 0);
  JsonArray *blocks = NULL;
  GString *text = g_string_new (NULL);

  /* In the official builders' order the "permissions" object alone says it all. */
  if (!json_object_has_member (service, "permission_blocks"))
    {
      JsonObject *by_resource = json_object_get_object_member (service, "permissions");
      JsonObjectIter outer;
      const char *resource;
      JsonNode *node;
      guint b = 0;

      json_object_iter_init_ordered (&outer, by_resource);
      while (json_object_iter_next_ordered (&outer, &resource, &node))
        {
          JsonObjectIter inner;
          const char *permission;
          JsonNode *list;
          guint e = 0;

          g_string_append_printf (text, "%s%s:", b++ > 0 ? ";" : "", resource);
          json_object_iter_init_ordered (&inner, json_node_get_object (node));
          while (json_object_iter_next_ordered (&inner, &permission, &list))
            {
              JsonArray *resources = json_node_get_array (list);

              g_string_append_printf (text, "%s%s=", e++ > 0 ? " " : "", permission);
              for (guint r = 0; r < json_array_get_length (resources); r++)
                g_string_append_printf (text, "%s%s", r > 0 ? "," : "",
                                        json_array_get_string_element (resources, r));
            }
        }
      return g_string_free (text, FALSE);
    }

  blocks = json_object_get_array_member (service, "permission_blocks");

  for (guint b = 0; b < json_array_get_length (blocks); b++)
    {
      JsonObject *block = json_array_get_object_element (blocks, b);
      JsonArray *entries = json_object_get_array_member (block, "permissions");

      g_string_append_printf (text, "%s%" G_GINT64_FORMAT ":", b > 0 ? ";" : "",
                              json_object_get_int_member (block, "resource_type"));
      for (guint e = 0; e < json_array_get_length (entries); e++)
        {
          JsonObject *entry = json_array_get_object_element (entries, e);
          JsonArray *resources = json_object_get_array_member (entry, "resources");

          g_string_append_printf (text, "%s%" G_GINT64_FORMAT "=", e > 0 ? " " : "",
                                  json_object_get_int_member (entry, "permission_type"));
          for (guint r = 0; r < json_array_get_length (resources); r++)
            g_string_append_printf (text, "%s%s", r > 0 ? "," : "",
                                    json_array_get_string_element (resources, r));
        }
    }
  return g_string_free (text, FALSE);
}

/* The service's flat entries in the notation "RESOURCE/PERMISSION=resources", space separated:
 * what the CLI and the window list, in order. */
static char *
describe_entries (const AkService *service)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; service->permissions != NULL && i < service->permissions->len; i++)
    {
      const AkRtmPermission *p = &g_array_index (service->permissions, AkRtmPermission, i);

      g_string_append_printf (text, "%s%u/%u=", i > 0 ? " " : "", p->resource_type,
                              p->permission_type);
      for (guint r = 0; r < p->resources->len; r++)
        g_string_append_printf (text, "%s%s", r > 0 ? "," : "",
                                (const char *) g_ptr_array_index (p->resources, r));
    }
  return g_string_free (text, FALSE);
}

typedef struct
{
  const char *name;
  /* As written on the wire, in the notation of put_permissions() ... */
  const char *wire;
  /* ... and the entries the decoder must list, in the notation of describe_entries(). */
  const char *entries;
  /* Whether this is the official builders' order, which the JSON shows without
   * "permission_blocks". */
  gboolean as_built;
} PermissionOrder;

static const PermissionOrder permission_orders[] = {
  { "canonical", "0:0=message-a,message-b;1:1=stream-a;4:0=user-a",
    "0/0=message-a,message-b 1/1=stream-a 4/0=user-a", TRUE },
  { "canonical-read-and-write", "0:0=r 1=w;2:0= 1=g", "0/0=r 0/1=w 2/0= 2/1=g", TRUE },
  { "resource-type-2-before-1", "2:0=group-a;1:1=stream-a", "2/0=group-a 1/1=stream-a" },
  { "write-before-read", "0:1=write-a 0=read-a,read-b", "0/1=write-a 0/0=read-a,read-b" },
  { "descending-everything", "4:1=e 0=d;3:1=c;2:0=b;1:1=a;0:1=z 0=y",
    "4/1=e 4/0=d 3/1=c 2/0=b 1/1=a 0/1=z 0/0=y" },
  { "resource-type-repeated", "1:0=a;0:0=b;1:1=c;1:0=d", "1/0=a 0/0=b 1/1=c 1/0=d" },
  { "permission-repeated", "3:0=a 0=b,c 0=d", "3/0=a 3/0=b,c 3/0=d" },
  /* The old decoder emptied the last entry in sort order instead of this one. */
  { "empty-entry-first", "4:1= 0=user-a", "4/1= 4/0=user-a" },
  { "empty-entry-between", "0:0=a 1= 0=b;0:1=c", "0/0=a 0/1= 0/0=b 0/1=c" },
  { "empty-block", "2:;0:0=m;2:", "0/0=m" },
  { "unknown-types", "9:7=x;0:65535=y", "9/7=x 0/65535=y" },
  { "no-blocks", "", "", TRUE },
};

/* Decoded exactly as written, listed in wire order, and written back to the same bytes. */
static void
test_permission_order (gconstpointer data)
{
  const PermissionOrder *c = data;
  g_autofree char *text = rtm2_token (c->wire);
  g_autoptr(AkToken) token = ak_test_parse_token (text);
  g_autoptr(GBytes) content = g_bytes_ref (ak_token_get_content (token));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *entries = NULL;
  g_autofree char *blocks = NULL;
  g_autofree char *encoded = NULL;
  AkVerification verification = { 0 };

  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, &verification, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ak_token_get_n_services (token), ==, 1);

  entries = describe_entries (ak_token_get_service (token, 0));
  g_assert_cmpstr (entries, ==, c->entries);

  json = ak_token_to_json (token, &verification);
  blocks = describe_permission_blocks (json);
  g_assert_cmpstr (blocks, ==, c->wire);
  g_assert_cmpint (json_object_has_member (
                     json_array_get_object_element (
                       json_object_get_array_member (json_node_get_object (json), "services"), 0),
                     "permission_blocks"), ==, !c->as_built);

  encoded = ak_token_encode (token, CERT, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (ak_token_get_content (token), content));
  g_assert_cmpstr (encoded, ==, text);
}

/* The vectors' "permissions" object keeps its shape; repeats merge there in wire order. */
static void
test_permission_merged_view (void)
{
  static const struct
  {
    const char *wire;
    const char *merged;
  } cases[] = {
    { "2:0=group-a;1:1=stream-a", "{\"2\":{\"0\":[\"group-a\"]},\"1\":{\"1\":[\"stream-a\"]}}" },
    { "3:0=a 1=b 0=c;3:0=d", "{\"3\":{\"0\":[\"a\",\"c\",\"d\"],\"1\":[\"b\"]}}" },
    { "4:1= 0=user-a", "{\"4\":{\"1\":[],\"0\":[\"user-a\"]}}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = rtm2_token (cases[i].wire);
      g_autoptr(AkToken) token = ak_test_parse_token (text);
      g_autoptr(JsonNode) json = ak_token_to_json (token, NULL);
      JsonObject *service = json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (json), "services"), 0);
      g_autofree char *merged = json_to_string (json_object_get_member (service, "permissions"),
                                                FALSE);

      g_assert_cmpstr (merged, ==, cases[i].merged);
    }
}

/* Names are shown and put in JSON: bytes that are not UTF-8, or a NUL, become U+FFFD in the
 * decoded name, while the signature still covers the bytes as sent. */
static void
test_permission_resource_not_utf8 (void)
{
  static const guint8 name[] = { 'a', 0xff, 'b', 0x00, 'c' };
  g_autoptr(GByteArray) info = rtm2_signing_info_start ();
  g_autoptr(GByteArray) content = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  const AkRtmPermission *permission;

  put_u16 (info, 1);
  put_u16 (info, 0);
  put_u16 (info, 1);
  put_u16 (info, 0);
  put_u16 (info, 2);
  put_bytes_string (info, name, sizeof name);
  put_string (info, "plain");
  content = signed_content (info);
  text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);

  token = ak_test_parse_token (text);
  permission = &g_array_index (ak_token_get_service (token, 0)->permissions, AkRtmPermission, 0);
  g_assert_cmpuint (permission->resources->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (permission->resources, 0), ==, "a\xef\xbf\xbd" "b"
                                                                     "\xef\xbf\xbd" "c");
  g_assert_cmpstr (g_ptr_array_index (permission->resources, 1), ==, "plain");
  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A parsed service changed through the API: the wire layout gives way to the builders'
 * grouping, and the parsed names live on next to the new ones. */
static void
test_permission_parsed_then_changed (void)
{
  g_autofree char *text = rtm2_token ("2:0=group-a;1:1=stream-a");
  g_autoptr(AkToken) token = ak_test_parse_token (text);
  AkService *service = (AkService *) ak_token_get_service (token, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded = NULL;
  g_autoptr(AkToken) reparsed = NULL;
  g_autofree char *entries = NULL;
  AkRtmPermission *appended;

  ak_service_add_permission (service, 0, 0, "message-a");
  g_assert_null (service->permission_blocks);
  entries = describe_entries (service);
  g_assert_cmpstr (entries, ==, "0/0=message-a 2/0=group-a 1/1=stream-a");

  ak_service_append_permission_block (service, 3);
  appended = ak_service_append_permission (service, 1, 1);
  g_ptr_array_add (appended->resources, g_strdup ("server-group"));

  encoded = ak_token_encode (token, CERT, &error);
  g_assert_no_error (error);
  reparsed = ak_test_parse_token (encoded);
  g_clear_pointer (&entries, g_free);
  entries = describe_entries (ak_token_get_service (reparsed, 0));
  g_assert_cmpstr (entries, ==, "0/0=message-a 2/0=group-a 1/1=stream-a 3/1=server-group");
}

typedef struct
{
  const char *name;
  /* The permissions block in hex (spaces ignored), right after the user_id. */
  const char *hex;
  AkError code;
  const char *needle;
} HostilePermissions;

static const HostilePermissions hostile_permissions[] = {
  /* Counts that promise more than the bytes left. */
  { "block-count-past-end", "ffff 0000 0000", AK_ERROR_TRUNCATED,
    "“permission resource type” of service 1 (rtm2)" },
  { "permission-count-past-end", "0100 0000 ffff 0000 0000", AK_ERROR_TRUNCATED,
    "“permission type”" },
  { "resource-count-past-end", "0100 0000 0100 0000 ffff 0100 61 0100 62 0100 63",
    AK_ERROR_TRUNCATED, "“permission resource”" },
  /* A resource whose length runs past the end. */
  { "resource-length-past-end", "0100 0000 0100 0000 0100 e803 61616161616161616161",
    AK_ERROR_TRUNCATED, "needs 1000 bytes" },
  { "resource-length-one-past-end", "0100 0000 0100 0000 0100 0300 6161", AK_ERROR_TRUNCATED,
    "needs 3 bytes" },
  { "cut-inside-entry-header", "0100 0000 0100 0000", AK_ERROR_TRUNCATED,
    "“permission resource count”" },
  { "no-block-count", "", AK_ERROR_TRUNCATED, "“permission resource type count”" },
  { "bytes-after-permissions", "0000 00", AK_ERROR_TRAILING_BYTES, "1 bytes are left over" },
};

static void
test_permission_hostile (gconstpointer data)
{
  const HostilePermissions *c = data;
  g_autoptr(GByteArray) info = rtm2_signing_info_start ();
  g_autoptr(GByteArray) content = NULL;
  g_autofree char *text = NULL;

  for (const char *p = c->hex; *p != '\0'; p++)
    if (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]))
      {
        guint8 byte = (guint8) (g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]));

        g_byte_array_append (info, &byte, 1);
        p++;
      }
  content = signed_content (info);
  text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);
  assert_parse_fails (text, c->code, c->needle);
}

/* The most a u16 count can say is accepted: 65,535 resources in one entry, 65,535 entries in
 * one block, and both come back to the same bytes. */
static void
test_permission_u16_maximum (void)
{
  for (guint shape = 0; shape < 2; shape++)
    {
      g_autoptr(GByteArray) info = rtm2_signing_info_start ();
      g_autoptr(GByteArray) content = NULL;
      g_autofree char *text = NULL;
      g_autofree char *encoded = NULL;
      g_autoptr(AkToken) token = NULL;
      g_autoptr(GError) error = NULL;
      const AkService *service;

      /* One block; then one entry of 65,535 resources, or 65,535 entries of none, their
       * permission types descending. */
      put_u16 (info, 1);
      put_u16 (info, shape == 0 ? 0 : 1);
      put_u16 (info, shape == 0 ? 1 : G_MAXUINT16);
      if (shape == 0)
        {
          put_u16 (info, 0);
          put_u16 (info, G_MAXUINT16);
        }
      for (guint i = 0; i < G_MAXUINT16; i++)
        if (shape == 0)
          {
            char name[8];

            g_snprintf (name, sizeof name, "r%u", i);
            put_string (info, name);
          }
        else
          {
            put_u16 (info, (guint16) (G_MAXUINT16 - 1 - i));
            put_u16 (info, 0);
          }
      content = signed_content (info);
      text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);

      token = ak_test_parse_token (text);
      service = ak_token_get_service (token, 0);
      if (shape == 0)
        {
          const AkRtmPermission *p = &g_array_index (service->permissions, AkRtmPermission, 0);

          g_assert_cmpuint (service->permissions->len, ==, 1);
          g_assert_cmpuint (p->resources->len, ==, G_MAXUINT16);
          g_assert_cmpstr (g_ptr_array_index (p->resources, 0), ==, "r0");
          g_assert_cmpstr (g_ptr_array_index (p->resources, G_MAXUINT16 - 1), ==, "r65534");
        }
      else
        {
          g_assert_cmpuint (service->permissions->len, ==, G_MAXUINT16);
          g_assert_cmpuint (g_array_index (service->permissions, AkRtmPermission, 0)
                              .permission_type, ==, G_MAXUINT16 - 1);
          g_assert_cmpuint (g_array_index (service->permissions, AkRtmPermission,
                                           G_MAXUINT16 - 1).permission_type, ==, 0);
        }
      g_assert_true (ak_token_verify (token, CERT, NULL, NULL, NULL, &error));
      g_assert_no_error (error);

      encoded = ak_token_encode (token, CERT, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (encoded, ==, text);
    }
}

/* The largest token the decoder takes (a payload just under AK_MAX_PAYLOAD_LENGTH), full of
 * small permissions in reverse order with types repeated: it decodes, whole. How fast is
 * the benchmark's business (agora-keys-cli bench). */
static void
test_permission_largest_token (void)
{
  g_autoptr(GByteArray) info = rtm2_signing_info_start ();
  g_autoptr(GByteArray) content = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  const AkService *service;
  const gsize limit = AK_MAX_PAYLOAD_LENGTH - 2 - 32;
  guint n_blocks = 0;
  guint n_entries = 0;
  guint n_resources = 0;
  guint block_count_at = info->len;
  gboolean full = FALSE;

  put_u16 (info, 0);
  while (!full)
    {
      guint entry_count_at;
      guint entries_in_block = 0;

      if (info->len + 4 + 4 + 10 > limit)
        break;
      put_u16 (info, (guint16) (4 - n_blocks % 5));
      entry_count_at = info->len;
      put_u16 (info, 0);
      for (guint e = 0; e < 1000; e++)
        {
          guint k = 1 + e % 3;

          if (info->len + 4 + k * 10 > limit)
            {
              full = TRUE;
              break;
            }
          put_u16 (info, (guint16) (G_MAXUINT16 - e));
          put_u16 (info, (guint16) k);
          for (guint r = 0; r < k; r++)
            {
              char name[9];

              g_snprintf (name, sizeof name, "r%07u", n_resources++ % 10000000);
              put_string (info, name);
            }
          entries_in_block++;
        }
      info->data[entry_count_at] = entries_in_block & 0xff;
      info->data[entry_count_at + 1] = entries_in_block >> 8;
      n_entries += entries_in_block;
      n_blocks++;
    }
  info->data[block_count_at] = n_blocks & 0xff;
  info->data[block_count_at + 1] = n_blocks >> 8;

  content = signed_content (info);
  g_assert_cmpuint (content->len, <=, AK_MAX_PAYLOAD_LENGTH);
  g_assert_cmpuint (content->len, >, AK_MAX_PAYLOAD_LENGTH - 64);
  text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);

  token = ak_test_parse_token (text);
  service = ak_token_get_service (token, 0);
  g_assert_cmpuint (service->permissions->len, ==, n_entries);
  g_assert_nonnull (service->permission_blocks);
  g_assert_cmpuint (service->permission_blocks->len, ==, n_blocks);
  g_assert_cmpuint (g_array_index (service->permissions, AkRtmPermission, 0).resource_type, ==, 4);
  g_assert_cmpuint (g_array_index (service->permissions, AkRtmPermission, 0).permission_type, ==,
                    G_MAXUINT16);
  g_assert_cmpstr (g_ptr_array_index (g_array_index (service->permissions, AkRtmPermission,
                                                     n_entries - 1).resources, 0), !=, NULL);
  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
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
  for (guint i = 0; i < G_N_ELEMENTS (malformed_texts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/malformed/text/%s", malformed_texts[i].name);
      g_test_add_data_func (path, &malformed_texts[i], test_malformed_text);
    }
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

  for (guint i = 0; i < G_N_ELEMENTS (permission_orders); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/malformed/rtm2/order/%s",
                                               permission_orders[i].name);
      g_test_add_data_func (path, &permission_orders[i], test_permission_order);
    }
  g_test_add_func ("/ak/malformed/rtm2/merged-view", test_permission_merged_view);
  g_test_add_func ("/ak/malformed/rtm2/resource-not-utf8", test_permission_resource_not_utf8);
  g_test_add_func ("/ak/malformed/rtm2/parsed-then-changed", test_permission_parsed_then_changed);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_permissions); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/malformed/rtm2/hostile/%s",
                                               hostile_permissions[i].name);
      g_test_add_data_func (path, &hostile_permissions[i], test_permission_hostile);
    }
  g_test_add_func ("/ak/malformed/rtm2/u16-maximum", test_permission_u16_maximum);
  g_test_add_func ("/ak/malformed/rtm2/largest-token", test_permission_largest_token);

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
