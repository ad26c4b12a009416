/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <zlib.h>

#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-token.h"

/* ---------------------------------------------------------------------------------------------
 * Writer and reader
 */

void
ak_writer_init (AkWriter *writer,
                gsize     reserve)
{
  writer->bytes = g_byte_array_sized_new (reserve);
  writer->overflow = FALSE;
}

void
ak_writer_clear (AkWriter *writer)
{
  if (writer->bytes != NULL)
    {
      ak_secret_wipe (writer->bytes->data, writer->bytes->len);
      g_byte_array_unref (g_steal_pointer (&writer->bytes));
    }
}

void
ak_writer_u16 (AkWriter *writer,
               guint16   value)
{
  guint8 le[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (writer->bytes, le, sizeof le);
}

void
ak_writer_u32 (AkWriter *writer,
               guint32   value)
{
  guint8 le[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (writer->bytes, le, sizeof le);
}

void
ak_writer_bytes (AkWriter   *writer,
                 const void *data,
                 gsize       len)
{
  g_byte_array_append (writer->bytes, data, len);
}

/* A u16 count or length. Callers check their counts first (see ak_token_encode) so that the
 * error names the field; this is the backstop that keeps a missed one from wrapping. */
void
ak_writer_count (AkWriter *writer,
                 gsize     count)
{
  if (count > G_MAXUINT16)
    {
      writer->overflow = TRUE;
      count = G_MAXUINT16;
    }
  ak_writer_u16 (writer, (guint16) count);
}

void
ak_writer_string (AkWriter   *writer,
                  const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;

  ak_writer_count (writer, len);
  if (len <= G_MAXUINT16)
    ak_writer_bytes (writer, text, len);
}

void
ak_reader_init (AkReader     *reader,
                const guint8 *data,
                gsize         len,
                const char   *context)
{
  reader->data = data;
  reader->len = len;
  reader->pos = 0;
  reader->context = context;
}

gsize
ak_reader_remaining (const AkReader *reader)
{
  return reader->len - reader->pos;
}

static gboolean
ak_reader_need (AkReader   *reader,
                const char *field,
                gsize       needed,
                GError    **error)
{
  if (ak_reader_remaining (reader) >= needed)
    return TRUE;

  g_set_error (error, AK_ERROR, AK_ERROR_TRUNCATED,
               /* Translators: e.g. "The token is cut short in the field “channel_name” of
                * service 1 (rtc): it needs 32 bytes at byte 120 of 130, but only 10 are left." */
               _("The token is cut short in the field “%s”%s: it needs %zu bytes at byte %zu of %zu, but only %zu are left."),
               field, reader->context != NULL ? reader->context : "",
               needed, reader->pos, reader->len, ak_reader_remaining (reader));
  return FALSE;
}

/* The next @n bytes, now read; NULL when fewer are left. */
static const guint8 *
ak_reader_take (AkReader   *reader,
                const char *field,
                gsize       n,
                GError    **error)
{
  const guint8 *p;

  if (!ak_reader_need (reader, field, n, error))
    return NULL;
  p = reader->data + reader->pos;
  reader->pos += n;
  return p;
}

/* The next @n (2 or 4) bytes as a little-endian unsigned integer. */
static gboolean
ak_reader_le (AkReader   *reader,
              const char *field,
              gsize       n,
              guint32    *value,
              GError    **error)
{
  const guint8 *p = ak_reader_take (reader, field, n, error);

  if (p == NULL)
    return FALSE;
  *value = 0;
  for (gsize i = n; i > 0; i--)
    *value = (*value << 8) | p[i - 1];
  return TRUE;
}

gboolean
ak_reader_u16 (AkReader   *reader,
               const char *field,
               guint16    *value,
               GError    **error)
{
  guint32 v;

  if (!ak_reader_le (reader, field, 2, &v, error))
    return FALSE;
  *value = (guint16) v;
  return TRUE;
}

/* The same bytes as a u16: C lets a signed type be read through its unsigned twin. */
gboolean
ak_reader_i16 (AkReader   *reader,
               const char *field,
               gint16     *value,
               GError    **error)
{
  return ak_reader_u16 (reader, field, (guint16 *) value, error);
}

gboolean
ak_reader_u32 (AkReader   *reader,
               const char *field,
               guint32    *value,
               GError    **error)
{
  return ak_reader_le (reader, field, 4, value, error);
}

gboolean
ak_reader_string (AkReader      *reader,
                  const char    *field,
                  const guint8 **data,
                  gsize         *len,
                  GError       **error)
{
  const guint8 *p;
  guint16 n;

  if (!ak_reader_u16 (reader, field, &n, error)
      || (p = ak_reader_take (reader, field, n, error)) == NULL)
    return FALSE;
  *data = p;
  *len = n;
  return TRUE;
}

/* Text fields are shown to people and put in JSON, so invalid UTF-8 is made displayable;
 * verification always works on the raw bytes, never on these copies. */
gboolean
ak_reader_text (AkReader   *reader,
                const char *field,
                char      **text,
                GError    **error)
{
  const guint8 *data;
  gsize len;

  if (!ak_reader_string (reader, field, &data, &len, error))
    return FALSE;

  if (g_utf8_validate ((const char *) data, len, NULL) && memchr (data, 0, len) == NULL)
    *text = g_strndup ((const char *) data, len);
  else
    *text = g_utf8_make_valid ((const char *) data, len);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Per-thread state: an HMAC context, a deflate and an inflate stream, and a pool of random
 * bytes. Setting these up costs far more than using them (deflateInit alone allocates about
 * 256 KiB), so they live as long as the thread.
 */

typedef struct
{
  EVP_MAC_CTX *hmac;
  EVP_MD *md5;
  z_stream deflater;
  gboolean deflater_ready;
  z_stream inflater;
  gboolean inflater_ready;
  guint8 *inflate_buffer;
  gsize inflate_size;
  guint8 random_pool[512];
  gsize random_used;
} AkCodecState;

static EVP_MAC *hmac_algorithm;

static void
ak_codec_state_free (gpointer data)
{
  AkCodecState *state = data;

  EVP_MAC_CTX_free (state->hmac);
  EVP_MD_free (state->md5);
  if (state->deflater_ready)
    deflateEnd (&state->deflater);
  if (state->inflater_ready)
    inflateEnd (&state->inflater);
  g_free (state->inflate_buffer);
  ak_secret_wipe (state->random_pool, sizeof state->random_pool);
  g_free (state);
}

static GPrivate codec_state_key = G_PRIVATE_INIT (ak_codec_state_free);

static AkCodecState *
ak_codec_state_get (void)
{
  AkCodecState *state = g_private_get (&codec_state_key);
  OSSL_PARAM params[2];

  if G_LIKELY (state != NULL)
    return state;

  if (g_once_init_enter (&hmac_algorithm))
    {
      EVP_MAC *mac = EVP_MAC_fetch (NULL, "HMAC", NULL);

      if (mac == NULL)
        g_error ("OpenSSL does not provide HMAC");
      g_once_init_leave (&hmac_algorithm, mac);
    }

  state = g_new0 (AkCodecState, 1);
  state->hmac = EVP_MAC_CTX_new (hmac_algorithm);
  params[0] = OSSL_PARAM_construct_utf8_string (OSSL_MAC_PARAM_DIGEST, (char *) "SHA256", 0);
  params[1] = OSSL_PARAM_construct_end ();
  if (state->hmac == NULL || !EVP_MAC_CTX_set_params (state->hmac, params))
    g_error ("OpenSSL cannot set up HMAC-SHA256");
  state->random_used = sizeof state->random_pool;
  g_private_set (&codec_state_key, state);
  return state;
}

/* ---------------------------------------------------------------------------------------------
 * HMAC, random, CRC, MD5
 */

void
ak_hmac_sha256_2 (const void *key,
                  gsize       key_len,
                  const void *message1,
                  gsize       message1_len,
                  const void *message2,
                  gsize       message2_len,
                  guint8      out[AK_HMAC_LENGTH])
{
  AkCodecState *state = ak_codec_state_get ();
  size_t out_len = 0;

  if (!EVP_MAC_init (state->hmac, key, key_len, NULL)
      || !EVP_MAC_update (state->hmac, message1, message1_len)
      || (message2_len > 0 && !EVP_MAC_update (state->hmac, message2, message2_len))
      || !EVP_MAC_final (state->hmac, out, &out_len, AK_HMAC_LENGTH)
      || out_len != AK_HMAC_LENGTH)
    g_error ("HMAC-SHA256 failed inside OpenSSL");
}

void
ak_hmac_sha256 (const void *key,
                gsize       key_len,
                const void *message,
                gsize       message_len,
                guint8      out[AK_HMAC_LENGTH])
{
  ak_hmac_sha256_2 (key, key_len, message, message_len, NULL, 0, out);
}

gboolean
ak_digest_equal (const guint8 *a,
                 const guint8 *b,
                 gsize         len)
{
  return CRYPTO_memcmp (a, b, len) == 0;
}

static guint32
ak_random_u32 (void)
{
  AkCodecState *state = ak_codec_state_get ();
  guint32 value;

  if (state->random_used + sizeof value > sizeof state->random_pool)
    {
      if (RAND_bytes (state->random_pool, sizeof state->random_pool) != 1)
        g_error ("The system random number generator failed");
      state->random_used = 0;
    }

  memcpy (&value, state->random_pool + state->random_used, sizeof value);
  ak_secret_wipe (state->random_pool + state->random_used, sizeof value);
  state->random_used += sizeof value;
  return value;
}

#define AK_SALT_MAX 99999999u

/* Uniform in 1..99,999,999 like the python, Node and PHP builders: reject the top sliver
 * of the u32 range so that the modulo does not favour small values. */
guint32
ak_random_salt (void)
{
  const guint32 limit = G_MAXUINT32 - (G_MAXUINT32 % AK_SALT_MAX);
  guint32 value;

  do
    value = ak_random_u32 ();
  while (value >= limit);

  return value % AK_SALT_MAX + 1;
}

guint32
ak_crc32 (const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;

  return (guint32) crc32 (0, (const Bytef *) text, (uInt) len);
}

char *
ak_md5_hex (const char *text)
{
  AkCodecState *state = ak_codec_state_get ();
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;

  if (state->md5 == NULL)
    state->md5 = EVP_MD_fetch (NULL, "MD5", NULL);
  if (state->md5 == NULL
      || !EVP_Digest (text, strlen (text), digest, &digest_len, state->md5, NULL))
    g_error ("OpenSSL does not provide MD5");

  return ak_hex_encode (digest, digest_len);
}

/* ---------------------------------------------------------------------------------------------
 * zlib
 */

/* Level 6, window 15, memLevel 8: exactly what compress2 (…, Z_DEFAULT_COMPRESSION) does,
 * which is what makes our bytes identical to the C++, python, Java and PHP builders. */
GBytes *
ak_deflate (const guint8 *data,
            gsize         len)
{
  AkCodecState *state = ak_codec_state_get ();
  z_stream *z = &state->deflater;
  guint8 *out;
  gsize bound;
  int status;

  if (!state->deflater_ready)
    {
      if (deflateInit2 (z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, MAX_WBITS, 8,
                        Z_DEFAULT_STRATEGY) != Z_OK)
        g_error ("zlib cannot set up a deflate stream");
      state->deflater_ready = TRUE;
    }
  else
    {
      deflateReset (z);
    }

  bound = deflateBound (z, (uLong) len);
  out = g_malloc (bound);
  z->next_in = (Bytef *) data;
  z->avail_in = (uInt) len;
  z->next_out = out;
  z->avail_out = (uInt) bound;
  status = deflate (z, Z_FINISH);
  if (status != Z_STREAM_END)
    g_error ("zlib deflate failed (%d)", status);

  return g_bytes_new_take (g_realloc (out, z->total_out), z->total_out);
}

GBytes *
ak_inflate (const guint8 *data,
            gsize         len,
            GError      **error)
{
  AkCodecState *state = ak_codec_state_get ();
  z_stream *z = &state->inflater;
  int status;

  if (!state->inflater_ready)
    {
      if (inflateInit (z) != Z_OK)
        g_error ("zlib cannot set up an inflate stream");
      state->inflater_ready = TRUE;
      state->inflate_size = 4096;
      state->inflate_buffer = g_malloc (state->inflate_size);
    }
  else
    {
      inflateReset (z);
    }

  z->next_in = (Bytef *) data;
  z->avail_in = (uInt) len;
  z->next_out = state->inflate_buffer;
  z->avail_out = (uInt) state->inflate_size;

  for (;;)
    {
      status = inflate (z, Z_FINISH);

      /* Out of room: grow up to one byte past the limit, to tell "at" from "past" it. */
      if ((status == Z_BUF_ERROR || status == Z_OK) && z->avail_out == 0
          && state->inflate_size <= AK_MAX_PAYLOAD_LENGTH)
        {
          gsize used = state->inflate_size;

          state->inflate_size = MIN (state->inflate_size * 2, AK_MAX_PAYLOAD_LENGTH + 1);
          state->inflate_buffer = g_realloc (state->inflate_buffer, state->inflate_size);
          z->next_out = state->inflate_buffer + used;
          z->avail_out = (uInt) (state->inflate_size - used);
          continue;
        }
      break;
    }

  if (status == Z_STREAM_END)
    {
      if (z->avail_in > 0)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_TRAILING_BYTES,
                       _("%u bytes follow the end of the compressed data (at byte %lu of %zu)."),
                       z->avail_in, z->total_in, len);
          return NULL;
        }
      return g_bytes_new (state->inflate_buffer, z->total_out);
    }

  if (z->avail_out == 0)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_TOO_LARGE,
                   _("The compressed data expands to more than %u bytes; real tokens are a few "
                     "hundred bytes, so Agora Keys does not read further."),
                   (guint) AK_MAX_PAYLOAD_LENGTH);
      return NULL;
    }

  if (status == Z_BUF_ERROR || (status == Z_OK && z->avail_in == 0))
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_COMPRESSION,
                 _("The compressed data ends early, after %lu of its bytes: the token is "
                   "probably cut short."),
                 z->total_in);
  else
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_COMPRESSION,
                 _("The token's data is not valid zlib data (zlib says “%s” at byte %lu)."),
                 z->msg != NULL ? z->msg : "error", z->total_in);
  return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Base64: the standard alphabet with padding, strict, with errors that point at the character
 */

static const char b64_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
ak_base64_encode (const char   *prefix,
                  const guint8 *data,
                  gsize         len)
{
  gsize prefix_len = strlen (prefix);
  char *out = g_malloc (prefix_len + (len + 2) / 3 * 4 + 1);
  char *p = out;
  gsize i;

  memcpy (p, prefix, prefix_len);
  p += prefix_len;

  for (i = 0; i + 2 < len; i += 3)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8) | data[i + 2];

      *p++ = b64_alphabet[v >> 18];
      *p++ = b64_alphabet[(v >> 12) & 63];
      *p++ = b64_alphabet[(v >> 6) & 63];
      *p++ = b64_alphabet[v & 63];
    }

  if (len - i == 1)
    {
      guint32 v = (guint32) data[i] << 16;

      *p++ = b64_alphabet[v >> 18];
      *p++ = b64_alphabet[(v >> 12) & 63];
      *p++ = '=';
      *p++ = '=';
    }
  else if (len - i == 2)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8);

      *p++ = b64_alphabet[v >> 18];
      *p++ = b64_alphabet[(v >> 12) & 63];
      *p++ = b64_alphabet[(v >> 6) & 63];
      *p++ = '=';
    }

  *p = '\0';
  return out;
}

static gint8 b64_values[256];

static void
b64_values_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      memset (b64_values, -1, sizeof b64_values);
      for (guint i = 0; i < 64; i++)
        b64_values[(guchar) b64_alphabet[i]] = (gint8) i;
      g_once_init_leave (&initialized, 1);
    }
}

static void
set_bad_character_error (GError **error,
                         char     c,
                         gsize    position)
{
  /* Positions are 1-based and count the whole token, prefix included. */
  if (c == ' ')
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_BASE64,
                 _("Character %zu is a space. Tokens contain no spaces: a “+” "
                   "was probably turned into a space when the token passed through a URL."),
                 position);
  else if (c == '%')
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_BASE64,
                 _("Character %zu is “%%”: the token looks URL-encoded. Decode "
                   "it first (“%%2B” is “+”, “%%2F” is “/”, “%%3D” is “=”)."),
                 position);
  else if (c == '-' || c == '_')
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_BASE64,
                 _("Character %zu is “%c”, which belongs to URL-safe base64; "
                   "Agora tokens use the standard alphabet with “+” and “/”."),
                 position, c);
  else if (g_ascii_isprint (c))
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_BASE64,
                 _("Character %zu (“%c”) is not allowed in a token's base64 text."),
                 position, c);
  else
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_BASE64,
                 _("Character %zu (byte 0x%02x) is not allowed in a token's "
                   "base64 text."),
                 position, (guchar) c);
}

/* @offset is how many characters of the token come before @text, for error positions.
 * @error_position, when the error names a character, gets its 0-based position in the token. */
GBytes *
ak_base64_decode (const char *text,
                  gsize       offset,
                  gssize     *error_position,
                  GError    **error)
{
  gsize len = strlen (text);
  gsize padding = 0;
  guint8 *out;
  gsize n = 0;
  guint32 acc = 0;
  gsize i;

  b64_values_init ();

  for (i = 0; i < len; i++)
    {
      if (text[i] == '=')
        {
          gsize j;

          for (j = i; j < len && text[j] == '='; j++)
            ;
          if (j < len)
            {
              g_set_error (error, AK_ERROR, AK_ERROR_BAD_BASE64,
                           _("Character %zu is “=” padding, but more text "
                             "follows it."),
                           offset + i + 1);
              if (error_position != NULL)
                *error_position = (gssize) (offset + i);
              return NULL;
            }
          padding = len - i;
          break;
        }
      if (b64_values[(guchar) text[i]] < 0)
        {
          set_bad_character_error (error, text[i], offset + i + 1);
          if (error_position != NULL)
            *error_position = (gssize) (offset + i);
          return NULL;
        }
    }

  if (len == 0)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_TRUNCATED,
                   _("The token ends right after its prefix: there is no data to decode."));
      return NULL;
    }

  if (len % 4 != 0 || padding > 2)
    {
      if (padding == 0)
        g_set_error (error, AK_ERROR, AK_ERROR_BAD_BASE64,
                     _("The base64 text after the prefix has %zu characters, "
                       "which is not a multiple of 4, and no “=” padding: the token was "
                       "probably cut short or lost its padding."),
                     len);
      else
        g_set_error (error, AK_ERROR, AK_ERROR_BAD_BASE64,
                     _("The base64 text after the prefix has %zu characters "
                       "with %zu “=” at the end, which is not valid padding: "
                       "the token was probably cut short."),
                     len, padding);
      return NULL;
    }

  out = g_malloc (len / 4 * 3);
  for (i = 0; i < len - padding; i++)
    {
      acc = (acc << 6) | (guint32) b64_values[(guchar) text[i]];
      if (i % 4 == 3)
        {
          out[n++] = (acc >> 16) & 0xff;
          out[n++] = (acc >> 8) & 0xff;
          out[n++] = acc & 0xff;
          acc = 0;
        }
    }
  if (padding == 1)
    {
      acc <<= 6;
      out[n++] = (acc >> 16) & 0xff;
      out[n++] = (acc >> 8) & 0xff;
    }
  else if (padding == 2)
    {
      acc <<= 12;
      out[n++] = (acc >> 16) & 0xff;
    }

  return g_bytes_new_take (out, n);
}

/* ---------------------------------------------------------------------------------------------
 * Small helpers
 */

char *
ak_hex_encode (const guint8 *data,
               gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 15];
    }
  out[len * 2] = '\0';
  return out;
}
