/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * AkTokenSpanKind:
 * @AK_TOKEN_SPAN_VERSION: the version prefix, "007" or "006"
 * @AK_TOKEN_SPAN_APP_ID: 006: the App ID, in clear after the prefix
 * @AK_TOKEN_SPAN_SIGNATURE: 006: the base64 characters of the signature (and its length)
 * @AK_TOKEN_SPAN_CRC: 006: the characters of one CRC-32 (channel name, or uid)
 * @AK_TOKEN_SPAN_MESSAGE: 006: the characters of one part of the signed message (salt,
 *   expiry, privileges)
 * @AK_TOKEN_SPAN_BODY: 007: the compressed data, which does not map to fields character by
 *   character
 * @AK_TOKEN_SPAN_ERROR: the character a parse error names
 *
 * What a stretch of token text holds, for colour-coding it.
 */
typedef enum
{
  AK_TOKEN_SPAN_VERSION,
  AK_TOKEN_SPAN_APP_ID,
  AK_TOKEN_SPAN_SIGNATURE,
  AK_TOKEN_SPAN_CRC,
  AK_TOKEN_SPAN_MESSAGE,
  AK_TOKEN_SPAN_BODY,
  AK_TOKEN_SPAN_ERROR,
} AkTokenSpanKind;

/**
 * AkTokenSpan:
 * @start: byte offset of the first character, in the text given (before stripping)
 * @end: byte offset just past the last character
 * @kind: what the characters hold
 * @label: (not nullable): a translated name for a tooltip, "signature (HMAC-SHA256)", …;
 *   static, never freed
 */
typedef struct
{
  gsize start;
  gsize end;
  AkTokenSpanKind kind;
  const char *label;
} AkTokenSpan;

/* The spans of a token's text, in order. For a token that parses, they cover the token
 * (the text between ak_token_strip_text()'s bounds) with no gap or overlap. 006 base64
 * characters are given to the field of the first byte they encode, so a span covers whole
 * characters and the signature span decodes to the full signature. For a malformed token:
 * the version span when the prefix is known, and an ERROR span on the character the error
 * names (the first three characters for a bad prefix); none when the error names no character.
 *
 * Returns: (transfer full) (element-type AkTokenSpan): the spans */
GArray *ak_token_text_get_spans (const char *text);

/* A token sent through a URL query or a form comes back with its "+" signs decoded as
 * spaces. When @text has spaces inside the token (between ak_token_strip_text()'s bounds)
 * and parses once they are "+" again, returns the token with them put back (the stripped
 * token only); else %NULL. Wipe the result after use: it is a token.
 *
 * Returns: (transfer full) (nullable): the repaired token */
char *ak_token_text_repair_spaces (const char *text);

G_END_DECLS
