/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-token-bytes.h: tokens written byte by byte from the AccessToken2 layout, and how a
 * parse must fail, for test-malformed and test-malformed-rtm2 (which link ak-test-token-bytes.c)
 */
#pragma once

#include <glib.h>

#include "ak-core.h"

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define CHANNEL "7d72365eb983485397e3e3f9d460bdda"
#define EXAMPLE_007_TOKEN \
  "007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDc" \
  "wMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxgDCaiTj"
#define EXAMPLE_006_TOKEN \
  "006" APP_ID "IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW"

void put_u16 (GByteArray *out,
              guint16     value);

void put_u32 (GByteArray *out,
              guint32     value);

void put_bytes_string (GByteArray   *out,
                       const guint8 *data,
                       gsize         length);

void put_string (GByteArray *out,
                 const char *text);

void hmac_sha256 (const void *key,
                  gsize       key_length,
                  const void *message,
                  gsize       message_length,
                  guint8      out[32]);

/* The start of a 007 signing_info, up to and including the service count. */
GByteArray *signing_info_header (guint32 issue_ts,
                                 guint32 expire,
                                 guint32 salt,
                                 guint16 service_count);

void put_rtc_service (GByteArray *info,
                      const char *channel,
                      const char *uid);

/* The SPEC's worked example: issue_ts 1111111, expire 600, salt 1, one RTC service. */
GByteArray *example_signing_info (void);

/* string(signature) + signing_info, signed with CERT the way 007 signs. */
GByteArray *signed_content (GByteArray *info);

char *token_from_zlib (const guint8 *data,
                       gsize         length);

char *token_from_content (const guint8 *content,
                          gsize         length,
                          int           level);

char *token_006_from_content (const char   *app_id,
                              const guint8 *content,
                              gsize         length);

void assert_message_mentions (const GError *error,
                              const char   *needle);

void assert_parse_fails (const char *text,
                         AkError     code,
                         const char *needle);

/* The 007 token of @info, signed with CERT and compressed as the official builders do. */
char *token_from_info (GByteArray *info);
