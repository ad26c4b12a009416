/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <string.h>

#include "ak-core.h"
#include "ak-test-util.h"

/*
 * Colour-coding a token's text: spans that cover it exactly, 006 spans that decode to the
 * fields they name, and the place of a parse error.
 */

static const char *
vector_token (const char *id)
{
  return json_object_get_string_member (ak_test_find_vector (id), "expected");
}

/* Asserts the spans run from the parser's start to its end with no gap and no overlap. */
static void
assert_spans_cover (const char *text,
                    GArray     *spans)
{
  gsize start;
  gsize end;
  gsize at;

  ak_token_strip_text (text, &start, &end);
  g_assert_cmpuint (spans->len, >, 0);
  at = start;
  for (guint i = 0; i < spans->len; i++)
    {
      const AkTokenSpan *span = &g_array_index (spans, AkTokenSpan, i);

      g_assert_cmpuint (span->start, ==, at);
      g_assert_cmpuint (span->end, >, span->start);
      g_assert_nonnull (span->label);
      g_assert_cmpint (span->kind, !=, AK_TOKEN_SPAN_ERROR);
      at = span->end;
    }
  g_assert_cmpuint (at, ==, end);
}

static guint32
read_u32_le (const guint8 *data)
{
  guint32 value;

  memcpy (&value, data, sizeof value);
  return GUINT32_FROM_LE (value);
}

/* Decodes base64 characters without padding: floor(6n / 8) bytes. */
static GByteArray *
decode_base64_prefix (const char *chars,
                      gsize       n_chars)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  GByteArray *bytes = g_byte_array_new ();
  guint32 acc = 0;
  guint bits = 0;

  for (gsize i = 0; i < n_chars && chars[i] != '='; i++)
    {
      const char *found = strchr (alphabet, chars[i]);

      g_assert_nonnull (found);
      acc = (acc << 6) | (guint32) (found - alphabet);
      bits += 6;
      if (bits >= 8)
        {
          guint8 byte = (guint8) (acc >> (bits - 8));

          g_byte_array_append (bytes, &byte, 1);
          bits -= 8;
          acc &= (1u << bits) - 1;
        }
    }
  return bytes;
}

static void
test_spans_007 (void)
{
  const char *token = vector_token ("official-001");
  /* As pasted from JSON, with its quotes and a newline. */
  g_autofree char *text = g_strdup_printf ("  \"%s\"\n", token);
  g_autoptr(GArray) spans = ak_token_text_get_spans (text);
  const AkTokenSpan *version;
  const AkTokenSpan *body;

  assert_spans_cover (text, spans);
  g_assert_cmpuint (spans->len, ==, 2);
  version = &g_array_index (spans, AkTokenSpan, 0);
  body = &g_array_index (spans, AkTokenSpan, 1);
  g_assert_cmpint (version->kind, ==, AK_TOKEN_SPAN_VERSION);
  g_assert_cmpuint (version->start, ==, 3);
  g_assert_cmpuint (version->end, ==, 6);
  g_assert_cmpint (body->kind, ==, AK_TOKEN_SPAN_BODY);
  g_assert_cmpuint (body->end, ==, 3 + strlen (token));
  g_assert_true (strncmp (text + version->start, "007", 3) == 0);
}

static void
test_spans_006 (void)
{
  const char *text = vector_token ("official-017");
  g_autoptr(GArray) spans = ak_token_text_get_spans (text);
  g_autoptr(AkToken) token = ak_token_parse (text, NULL);
  static const AkTokenSpanKind kinds[] = {
    AK_TOKEN_SPAN_VERSION, AK_TOKEN_SPAN_APP_ID, AK_TOKEN_SPAN_SIGNATURE, AK_TOKEN_SPAN_CRC,
    AK_TOKEN_SPAN_CRC, AK_TOKEN_SPAN_MESSAGE, AK_TOKEN_SPAN_MESSAGE, AK_TOKEN_SPAN_MESSAGE,
  };
  const AkTokenSpan *signature;
  const AkTokenSpan *crc_channel;
  const AkTokenSpan *crc_uid;
  g_autoptr(GByteArray) bytes = NULL;
  gsize base64_start = 3 + 32;

  g_assert_nonnull (token);
  assert_spans_cover (text, spans);
  g_assert_cmpuint (spans->len, ==, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < spans->len; i++)
    g_assert_cmpint (g_array_index (spans, AkTokenSpan, i).kind, ==, kinds[i]);

  g_assert_cmpuint (g_array_index (spans, AkTokenSpan, 1).start, ==, 3);
  g_assert_cmpuint (g_array_index (spans, AkTokenSpan, 1).end, ==, base64_start);

  /* The signature's characters decode to its 2-byte length and all 32 bytes. */
  signature = &g_array_index (spans, AkTokenSpan, 2);
  g_assert_cmpuint (signature->start, ==, base64_start);
  bytes = decode_base64_prefix (text + signature->start, signature->end - signature->start);
  g_assert_cmpuint (bytes->len, >=, 34);
  g_assert_cmpuint (bytes->data[0], ==, 32);
  g_assert_cmpuint (bytes->data[1], ==, 0);
  g_assert_cmpmem (bytes->data + 2, 32, ak_token_get_signature (token), 32);
  /* … and not much more: the next field starts at most one character later. */
  g_assert_cmpuint (bytes->len, <=, 35);
  g_clear_pointer (&bytes, g_byte_array_unref);

  /* Up to the end of each CRC span, the decoded bytes hold that CRC (little-endian). */
  crc_channel = &g_array_index (spans, AkTokenSpan, 3);
  bytes = decode_base64_prefix (text + base64_start, crc_channel->end - base64_start);
  g_assert_cmpuint (bytes->len, >=, 38);
  g_assert_cmpuint (read_u32_le (bytes->data + 34), ==,
                    ak_token_get_crc_channel_name (token));
  g_clear_pointer (&bytes, g_byte_array_unref);

  crc_uid = &g_array_index (spans, AkTokenSpan, 4);
  bytes = decode_base64_prefix (text + base64_start, crc_uid->end - base64_start);
  g_assert_cmpuint (bytes->len, >=, 42);
  g_assert_cmpuint (read_u32_le (bytes->data + 38), ==,
                    ak_token_get_crc_uid (token));
}

/* Every token among the vectors that parses gets spans that cover it. */
static void
test_spans_every_vector (void)
{
  JsonArray *array = ak_test_official_vectors ();
  guint n_checked = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *text;
      g_autoptr(AkToken) token = NULL;
      g_autoptr(GArray) spans = NULL;

      if (!json_object_has_member (object, "expected")
          || !JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "expected")))
        continue;
      text = json_object_get_string_member (object, "expected");
      token = ak_token_parse (text, NULL);
      if (token == NULL)
        continue;

      g_test_message ("%s", json_object_get_string_member (object, "id"));
      spans = ak_token_text_get_spans (text);
      assert_spans_cover (text, spans);
      n_checked++;
    }
  g_assert_cmpuint (n_checked, >, 100);
}

typedef struct
{
  const char *name;
  const char *vector;
  gsize position;          /* where the damage goes, in the token */
  const char *replacement; /* replaces one character there */
  gssize error_offset;     /* expected, in the text with two leading spaces */
  gsize error_length;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "asterisk in a 007 token", "official-001", 20, "*", 22, 1 },
  { "plus turned into a space", "official-001", 40, " ", 42, 1 },
  { "URL-safe character", "official-001", 3, "-", 5, 1 },
  { "padding in the middle", "official-001", 50, "=", 52, 1 },
  { "two-byte character", "official-001", 60, "é", 62, 2 },
  { "damaged 006 App ID", "official-017", 10, "x", 12, 1 },
  { "bad character in 006 content", "official-017", 70, "!", 72, 1 },
  { "unknown version", "official-001", 0, "5", 2, 3 },
};

static void
test_error_position (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      const char *token = vector_token (c->vector);
      g_autoptr(GString) text = g_string_new ("  ");
      g_autoptr(GError) error = NULL;
      g_autoptr(AkToken) parsed = NULL;
      g_autoptr(GArray) spans = NULL;
      const AkTokenSpan *last;
      gssize offset = 0;

      g_test_message ("%s", c->name);
      g_string_append_len (text, token, (gssize) c->position);
      g_string_append (text, c->replacement);
      g_string_append (text, token + c->position + 1);
      g_string_append (text, "\n");

      parsed = ak_token_parse_full (text->str, &offset, &error);
      g_assert_null (parsed);
      g_assert_nonnull (error);
      g_assert_cmpint (offset, ==, c->error_offset);

      /* The input is kept as it was; the span marks the whole character. */
      spans = ak_token_text_get_spans (text->str);
      g_assert_cmpuint (spans->len, >=, 1);
      last = &g_array_index (spans, AkTokenSpan, spans->len - 1);
      g_assert_cmpint (last->kind, ==, AK_TOKEN_SPAN_ERROR);
      g_assert_cmpuint (last->start, ==, (gsize) c->error_offset);
      g_assert_cmpuint (last->end - last->start, ==, c->error_length);
      if (c->position >= 3)
        {
          g_assert_cmpuint (spans->len, ==, 2);
          g_assert_cmpint (g_array_index (spans, AkTokenSpan, 0).kind, ==,
                           AK_TOKEN_SPAN_VERSION);
          g_assert_cmpuint (g_array_index (spans, AkTokenSpan, 0).start, ==, 2);
        }
    }
}

static void
test_error_without_position (void)
{
  const char *token = vector_token ("official-001");
  /* Cut short: the length is wrong, but no one character is. */
  g_autofree char *text = g_strndup (token, strlen (token) - 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) parsed = NULL;
  g_autoptr(GArray) spans = NULL;
  gssize offset = 0;

  parsed = ak_token_parse_full (text, &offset, &error);
  g_assert_null (parsed);
  g_assert_error (error, AK_ERROR, AK_ERROR_BAD_BASE64);
  g_assert_cmpint (offset, ==, -1);

  spans = ak_token_text_get_spans (text);
  g_assert_cmpuint (spans->len, ==, 1);
  g_assert_cmpint (g_array_index (spans, AkTokenSpan, 0).kind, ==, AK_TOKEN_SPAN_VERSION);

  g_clear_pointer (&spans, g_array_unref);
  spans = ak_token_text_get_spans ("   ");
  g_assert_cmpuint (spans->len, ==, 0);
}

static void
test_parse_full_success (void)
{
  g_autoptr(GError) error = NULL;
  gssize offset = 0;
  g_autoptr(AkToken) token = ak_token_parse_full (vector_token ("official-017"), &offset,
                                                  &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpint (offset, ==, -1);
}

/* What a URL query does to a token: every "+" decoded as a space. */
static char *
plus_to_space (const char *token)
{
  char *text = g_strdup (token);

  g_strdelimit (text, "+", ' ');
  return text;
}

static void
test_repair_spaces_every_vector (void)
{
  JsonArray *array = ak_test_official_vectors ();
  guint repaired = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *token = json_object_get_string_member (object, "expected");
      g_autofree char *damaged = plus_to_space (token);
      g_autofree char *quoted = g_strdup_printf ("  \"%s\"\n", damaged);
      g_autofree char *repair = ak_token_text_repair_spaces (damaged);
      g_autofree char *repair_quoted = ak_token_text_repair_spaces (quoted);
      g_autoptr(AkToken) parsed = ak_token_parse (token, NULL);

      /* Some vectors are damaged on purpose: only a real token can be repaired into one. */
      if (parsed == NULL)
        {
          g_assert_null (repair);
          continue;
        }
      if (strchr (token, '+') == NULL)
        {
          /* Nothing was damaged, so nothing is offered. */
          g_assert_null (repair);
          continue;
        }
      g_test_message ("%s", json_object_get_string_member (object, "id"));
      g_assert_null (ak_token_parse (damaged, NULL));
      g_assert_cmpstr (repair, ==, token);
      /* Quotes and white space around it are left out, as the parser leaves them out. */
      g_assert_cmpstr (repair_quoted, ==, token);
      repaired++;
    }
  /* Both versions are among the vectors with a "+". */
  g_assert_cmpuint (repaired, >, 50);
}

static void
test_repair_spaces_refused (void)
{
  const char *token = vector_token ("official-002");
  g_autofree char *damaged = plus_to_space (token);
  g_autofree char *cut = g_strndup (damaged, strlen (damaged) - 5);
  g_autofree char *extra = g_strdup_printf ("%.10s %s", token, token + 10);
  const char *texts[] = {
    token,                  /* not damaged */
    cut,                    /* spaces, but cut short: "+" does not make it a token */
    extra,                  /* a space where no "+" was */
    "hello world",
    "007 ",                 /* the space is outside the token */
    "",
  };

  g_assert_nonnull (strchr (token, '+'));
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *repair = ak_token_text_repair_spaces (texts[i]);

      g_assert_null (repair);
    }
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/token-text/spans-007", test_spans_007);
  g_test_add_func ("/ak/token-text/spans-006", test_spans_006);
  g_test_add_func ("/ak/token-text/spans-every-vector", test_spans_every_vector);
  g_test_add_func ("/ak/token-text/error-position", test_error_position);
  g_test_add_func ("/ak/token-text/error-without-position", test_error_without_position);
  g_test_add_func ("/ak/token-text/parse-full-success", test_parse_full_success);
  g_test_add_func ("/ak/token-text/repair-spaces-every-vector", test_repair_spaces_every_vector);
  g_test_add_func ("/ak/token-text/repair-spaces-refused", test_repair_spaces_refused);

  return g_test_run ();
}
