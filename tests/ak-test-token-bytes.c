/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-token-bytes.c: tokens written byte by byte, for the malformed-token tests */
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "ak-test-util.h"
#include "ak-test-token-bytes.h"

/* ---- writing payloads by hand ---- */

void
put_u16 (GByteArray *out,
         guint16     value)
{
  guint8 bytes[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (out, bytes, sizeof bytes);
}

void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint8 bytes[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, bytes, sizeof bytes);
}

void
put_bytes_string (GByteArray   *out,
                  const guint8 *data,
                  gsize         length)
{
  g_assert_cmpuint (length, <=, G_MAXUINT16);
  put_u16 (out, (guint16) length);
  g_byte_array_append (out, data, length);
}

void
put_string (GByteArray *out,
            const char *text)
{
  put_bytes_string (out, (const guint8 *) text, strlen (text));
}

void
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
GByteArray *
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

void
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
GByteArray *
example_signing_info (void)
{
  GByteArray *info = signing_info_header (1111111, 600, 1, 1);

  put_rtc_service (info, CHANNEL, "2882341273");
  return info;
}

/* string(signature) + signing_info, signed with CERT the way 007 signs. */
GByteArray *
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

char *
token_from_zlib (const guint8 *data,
                 gsize         length)
{
  g_autofree char *base64 = g_base64_encode (data, length);

  return g_strconcat ("007", base64, NULL);
}

char *
token_from_content (const guint8 *content,
                    gsize         length,
                    int           level)
{
  uLongf compressed_length = compressBound (length);
  g_autofree guint8 *compressed = g_malloc (compressed_length);

  g_assert_cmpint (compress2 (compressed, &compressed_length, content, length, level), ==, Z_OK);
  return token_from_zlib (compressed, compressed_length);
}

char *
token_006_from_content (const char   *app_id,
                        const guint8 *content,
                        gsize         length)
{
  g_autofree char *base64 = g_base64_encode (content, length);

  return g_strconcat ("006", app_id, base64, NULL);
}

/* ---- checking outcomes ---- */

void
assert_message_mentions (const GError *error,
                         const char   *needle)
{
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("Message “%s” does not mention “%s”", error->message, needle);
}

void
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

char *
token_from_info (GByteArray *info)
{
  g_autoptr(GByteArray) content = signed_content (info);

  return token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);
}
