/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ak-secret.h"

G_BEGIN_DECLS

/* Little-endian writer for the token wire format. Counts and lengths go in u16 fields:
 * callers check them first and name the field in their error, and a count that still does
 * not fit sets @overflow instead of being written wrapped, so the bytes are never used. */
typedef struct
{
  GByteArray *bytes;
  gboolean overflow;
} AkWriter;

void     ak_writer_init       (AkWriter *writer, gsize reserve);
void     ak_writer_clear      (AkWriter *writer);
void     ak_writer_u16        (AkWriter *writer, guint16 value);
void     ak_writer_u32        (AkWriter *writer, guint32 value);
void     ak_writer_count      (AkWriter *writer, gsize count);
void     ak_writer_bytes      (AkWriter *writer, const void *data, gsize len);
void     ak_writer_string     (AkWriter *writer, const char *text);

/* Bounds-checked reader; every failure names the field and the byte offset. */
typedef struct
{
  const guint8 *data;
  gsize len;
  gsize pos;
  const char *context;
} AkReader;

void     ak_reader_init       (AkReader *reader, const guint8 *data, gsize len, const char *context);
gboolean ak_reader_u16        (AkReader *reader, const char *field, guint16 *value, GError **error);
gboolean ak_reader_i16        (AkReader *reader, const char *field, gint16 *value, GError **error);
gboolean ak_reader_u32        (AkReader *reader, const char *field, guint32 *value, GError **error);
gboolean ak_reader_string     (AkReader *reader,
                               const char *field,
                               const guint8 **data,
                               gsize *len,
                               GError **error);
gboolean ak_reader_text       (AkReader *reader, const char *field, char **text, GError **error);
gsize    ak_reader_remaining  (const AkReader *reader);

/* Crypto and compression, with per-thread state reused between calls. */
#define AK_HMAC_LENGTH 32

void     ak_hmac_sha256       (const void *key,
                               gsize key_len,
                               const void *message,
                               gsize message_len,
                               guint8 out[AK_HMAC_LENGTH]);
void     ak_hmac_sha256_2     (const void *key,
                               gsize key_len,
                               const void *message1,
                               gsize message1_len,
                               const void *message2,
                               gsize message2_len,
                               guint8 out[AK_HMAC_LENGTH]);
gboolean ak_digest_equal      (const guint8 *a, const guint8 *b, gsize len);
guint32  ak_random_salt       (void);
guint32  ak_crc32             (const char *text);
char    *ak_md5_hex           (const char *text);

GBytes  *ak_deflate           (const guint8 *data, gsize len);
GBytes  *ak_inflate           (const guint8 *data, gsize len, GError **error);

char    *ak_base64_encode     (const char *prefix, const guint8 *data, gsize len);
GBytes  *ak_base64_decode     (const char *text,
                               gsize offset,
                               gssize *error_position,
                               GError **error);

char    *ak_hex_encode        (const guint8 *data, gsize len);

G_END_DECLS
