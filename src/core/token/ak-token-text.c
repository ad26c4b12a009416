/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-token-text.h"
#include "ak-token.h"

/* The fields of 006 content, as byte ranges; each length prefix goes with what it measures. */
typedef struct
{
  gsize first_byte;
  AkTokenSpanKind kind;
  const char *label;
} ContentField;

static void
add_span (GArray          *spans,
          gsize            start,
          gsize            end,
          AkTokenSpanKind  kind,
          const char      *label)
{
  AkTokenSpan span = { start, end, kind, label };

  if (end > start)
    g_array_append_val (spans, span);
}

static gboolean
has_known_prefix (const char *text,
                  gsize       start,
                  gsize       end)
{
  return end - start >= 3
         && (strncmp (text + start, "007", 3) == 0 || strncmp (text + start, "006", 3) == 0);
}

/* The error's own message says what is wrong; the span only says where. */
static const char *
error_label (void)
{
  return _("the token is damaged here");
}

static void
add_error_spans (GArray       *spans,
                 const char   *text,
                 gsize         start,
                 gsize         end,
                 gssize        error_offset,
                 const GError *error)
{
  gsize error_end;

  if (has_known_prefix (text, start, end)
      && (error_offset < 0 || (gsize) error_offset >= start + 3))
    add_span (spans, start, start + 3, AK_TOKEN_SPAN_VERSION, _("version"));

  if (error_offset < 0)
    return;

  if (g_error_matches (error, AK_ERROR, AK_ERROR_BAD_VERSION))
    {
      add_span (spans, start, MIN (start + 3, end), AK_TOKEN_SPAN_ERROR, error_label ());
      return;
    }

  /* Whole characters, so that a stray "é" is marked and not half of it. */
  error_end = (gsize) error_offset + 1;
  if (g_utf8_get_char_validated (text + error_offset, end - (gsize) error_offset) < 0x110000)
    error_end = (gsize) error_offset + (gsize) g_utf8_skip[(guchar) text[error_offset]];
  add_span (spans, (gsize) error_offset, MIN (error_end, end), AK_TOKEN_SPAN_ERROR,
            error_label ());
}

/* A base64 character holds 6 bits: give it to the field of the first byte it encodes, so that
 * each field's span covers whole characters and decodes to all of that field's bytes. */
static void
add_006_content_spans (GArray     *spans,
                       const char *text,
                       gsize       start,
                       gsize       end,
                       gsize       content_length)
{
  const ContentField fields[] = {
    { 0, AK_TOKEN_SPAN_SIGNATURE, _("signature (HMAC-SHA256)") },
    { 2 + 32, AK_TOKEN_SPAN_CRC, _("CRC-32 of the channel name") },
    { 2 + 32 + 4, AK_TOKEN_SPAN_CRC, _("CRC-32 of the uid") },
    { 2 + 32 + 8, AK_TOKEN_SPAN_MESSAGE, _("salt") },
    { 2 + 32 + 8 + 2 + 4, AK_TOKEN_SPAN_MESSAGE, _("token expiry (ts)") },
    { 2 + 32 + 8 + 2 + 8, AK_TOKEN_SPAN_MESSAGE, _("privileges") },
  };
  gsize run_start = start;
  guint run_field = 0;

  for (gsize i = start; i < end; i++)
    {
      gsize byte = (i - start) * 6 / 8;
      guint field = run_field;

      /* Padding belongs to the last field. */
      if (text[i] != '=')
        while (field + 1 < G_N_ELEMENTS (fields) && byte >= fields[field + 1].first_byte
               && fields[field + 1].first_byte < content_length)
          field++;

      if (field != run_field)
        {
          add_span (spans, run_start, i, fields[run_field].kind, fields[run_field].label);
          run_start = i;
          run_field = field;
        }
    }
  add_span (spans, run_start, end, fields[run_field].kind, fields[run_field].label);
}

GArray *
ak_token_text_get_spans (const char *text)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (AkTokenSpan));
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  gssize error_offset = -1;
  gsize start;
  gsize end;

  g_return_val_if_fail (text != NULL, spans);

  ak_token_strip_text (text, &start, &end);
  token = ak_token_parse_full (text, &error_offset, &error);
  if (token == NULL)
    {
      add_error_spans (spans, text, start, end, error_offset, error);
      return spans;
    }

  add_span (spans, start, start + 3, AK_TOKEN_SPAN_VERSION, _("version"));
  if (ak_token_get_version (token) == AK_TOKEN_VERSION_007)
    {
      add_span (spans, start + 3, end, AK_TOKEN_SPAN_BODY,
                _("compressed data: signature, App ID, times, salt and services"));
    }
  else
    {
      add_span (spans, start + 3, start + 3 + AK_APP_ID_LENGTH, AK_TOKEN_SPAN_APP_ID,
                _("App ID"));
      add_006_content_spans (spans, text, start + 3 + AK_APP_ID_LENGTH, end,
                             ak_token_get_payload_length (token));
    }
  return spans;
}

char *
ak_token_text_repair_spaces (const char *text)
{
  g_autoptr(AkToken) token = NULL;
  char *repaired;
  gboolean had_space = FALSE;
  gsize start;
  gsize end;

  g_return_val_if_fail (text != NULL, NULL);

  ak_token_strip_text (text, &start, &end);
  repaired = g_strndup (text + start, end - start);
  for (char *p = repaired; *p != '\0'; p++)
    if (*p == ' ')
      {
        *p = '+';
        had_space = TRUE;
      }

  /* Only a repair that yields a token is offered: other text with spaces is not one. */
  if (had_space)
    token = ak_token_parse (repaired, NULL);
  if (token == NULL)
    {
      memset (repaired, 0, strlen (repaired));
      g_free (repaired);
      return NULL;
    }
  return repaired;
}
