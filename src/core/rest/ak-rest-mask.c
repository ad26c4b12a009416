/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-json.h"
#include "ak-rest-private.h"

#define MASK "••••••••"

/* ---------------------------------------------------------------------------------------------
 * Masking certificates in project listings
 */

static gboolean
is_sign_key_name (const char *name)
{
  return g_strcmp0 (name, "sign_key") == 0;
}

static gboolean
node_is_maskable (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return *json_node_get_string (node) != '\0';
  return TRUE;
}

static gboolean
tree_has_maskable (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (tree_has_maskable (json_array_get_element (array, i)))
          return TRUE;
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if ((is_sign_key_name (name) && node_is_maskable (member)) || tree_has_maskable (member))
          return TRUE;
    }
  return FALSE;
}

/* A walk over the raw text, so that everything but the masked values stays as the server
 * sent it (number spelling, member order, spacing). It records the byte spans of the values
 * of "sign_key" members. */
typedef struct
{
  const char *data;
  const char *p;
  const char *end;
  GArray *spans;
  guint depth;
} Scan;

typedef struct
{
  gsize start;
  gsize end;
} Span;

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
skip_space (Scan *scan)
{
  while (scan->p < scan->end && is_json_space (*scan->p))
    scan->p++;
}

static gboolean
scan_string (Scan *scan)
{
  if (scan->p >= scan->end || *scan->p != '"')
    return FALSE;
  for (scan->p++; scan->p < scan->end; scan->p++)
    {
      /* json-glib takes escapes JSON does not have ("\i" reads as "i"), so a name could say
       * sign_key to the parser and not to this walk: such text goes to the tree instead. */
      if (*scan->p == '\\')
        {
          scan->p++;
          if (scan->p >= scan->end || *scan->p == '\0'
              || strchr ("\"\\/bfnrtu", *scan->p) == NULL)
            return FALSE;
        }
      else if (*scan->p == '"')
        {
          scan->p++;
          return TRUE;
        }
    }
  return FALSE;
}

/* The member name between @start and @end (quotes included), decoded enough to compare it
 * with an ASCII name: escapes that make anything else fail the comparison. */
static char *
decode_name (const char *start,
             const char *end)
{
  g_autoptr(GString) name = g_string_new (NULL);

  for (const char *p = start + 1; p < end - 1; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (name, *p);
          continue;
        }
      p++;
      if (p < end - 1 && *p == 'u' && end - 1 - p > 4)
        {
          char hex[5] = { p[1], p[2], p[3], p[4], '\0' };
          guint64 code;

          if (!g_ascii_string_to_unsigned (hex, 16, 0, 0x7f, &code, NULL) || code == 0)
            return NULL;
          g_string_append_c (name, (char) code);
          p += 4;
        }
      else if (p < end - 1 && strchr ("\"\\/", *p) != NULL)
        g_string_append_c (name, *p);
      else
        return NULL;
    }
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static gboolean scan_value (Scan *scan, gboolean record);

/* Steps over the opening bracket; TRUE when the container closes at once with CLOSE. */
static gboolean
scan_enter (Scan *scan,
            char  close)
{
  scan->p++;
  skip_space (scan);
  if (scan->p < scan->end && *scan->p == close)
    {
      scan->p++;
      return TRUE;
    }
  return FALSE;
}

typedef enum
{
  SCAN_BAD,
  SCAN_MORE,
  SCAN_CLOSED
} ScanStep;

/* After a member or an element: a comma means another follows, CLOSE ends the container. */
static ScanStep
scan_next (Scan *scan,
           char  close)
{
  skip_space (scan);
  if (scan->p >= scan->end)
    return SCAN_BAD;
  if (*scan->p == close)
    {
      scan->p++;
      return SCAN_CLOSED;
    }
  if (*scan->p != ',')
    return SCAN_BAD;
  scan->p++;
  skip_space (scan);
  return SCAN_MORE;
}

static gboolean
scan_object (Scan *scan)
{
  if (scan_enter (scan, '}'))
    return TRUE;

  while (scan->p < scan->end)
    {
      const char *name_start = scan->p;
      g_autofree char *name = NULL;
      ScanStep step;

      if (!scan_string (scan))
        return FALSE;
      name = decode_name (name_start, scan->p);
      skip_space (scan);
      if (scan->p >= scan->end || *scan->p != ':')
        return FALSE;
      scan->p++;
      skip_space (scan);
      if (!scan_value (scan, is_sign_key_name (name)))
        return FALSE;
      step = scan_next (scan, '}');
      if (step != SCAN_MORE)
        return step == SCAN_CLOSED;
    }
  return FALSE;
}

static gboolean
scan_array (Scan *scan)
{
  if (scan_enter (scan, ']'))
    return TRUE;

  while (scan->p < scan->end)
    {
      ScanStep step;

      if (!scan_value (scan, FALSE))
        return FALSE;
      step = scan_next (scan, ']');
      if (step != SCAN_MORE)
        return step == SCAN_CLOSED;
    }
  return FALSE;
}

static gboolean
scan_value (Scan     *scan,
            gboolean  record)
{
  const char *start = scan->p;
  guint spans_before = scan->spans->len;
  gboolean ok;

  if (scan->p >= scan->end)
    return FALSE;

  if (*scan->p == '{' || *scan->p == '[')
    {
      if (++scan->depth > AK_JSON_MAX_DEPTH)
        return FALSE;
      ok = *scan->p == '{' ? scan_object (scan) : scan_array (scan);
      scan->depth--;
    }
  else if (*scan->p == '"')
    ok = scan_string (scan);
  else
    {
      while (scan->p < scan->end
             && (g_ascii_isalnum (*scan->p) || *scan->p == '+' || *scan->p == '-'
                 || *scan->p == '.'))
        scan->p++;
      ok = scan->p > start;
    }

  if (ok && record)
    {
      gsize length = (gsize) (scan->p - start);
      gboolean empty = (length == 2 && start[0] == '"')
                       || (length == 4 && memcmp (start, "null", 4) == 0);

      if (!empty)
        {
          Span span = { (gsize) (start - scan->data), (gsize) (scan->p - scan->data) };

          /* A "sign_key" inside this value goes with it: overlapping spans would copy from
           * before the last one (found by fuzz-rest-error as a read past the body). */
          g_array_set_size (scan->spans, spans_before);
          g_array_append_val (scan->spans, span);
        }
    }
  return ok;
}

/* @data with each span replaced by the mask. */
static char *
splice_masks (const char *data,
              gsize       length,
              GArray     *spans)
{
  GString *masked = g_string_sized_new (length);
  gsize copied = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      g_string_append_len (masked, data + copied, (gssize) (span->start - copied));
      g_string_append (masked, "\"" MASK "\"");
      copied = span->end;
    }
  g_string_append_len (masked, data + copied, (gssize) (length - copied));
  return g_string_free (masked, FALSE);
}

static void
mask_tree (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        mask_tree (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *member = json_object_get_member (object, name);

          /* The member is replaced, not re-initialized: json_node_init_string() on a parsed
           * node leaks, and corrupts GSlice memory, with json-glib 1.6. Replacing frees @name,
           * which is not read again. */
          if (is_sign_key_name (name) && node_is_maskable (member))
            json_object_set_string_member (object, name, MASK);
          else
            mask_tree (member);
        }
    }
}

/* What is shown instead of a body that names a "sign_key" but cannot be read as JSON (too
 * deep, a NUL, broken): its values cannot be found by their member, so none of it is shown.
 * The name is looked for as text only to choose between hiding the whole body and showing one
 * with no certificate in it; a server that escapes the name in a body it breaks on purpose
 * knows the certificate already. */
/* Whether @data may name a "sign_key" in some reading: literally, or through an escape (json-glib
 * reads "s\ign_key" and "sign\u005fkey" as the name) or a NUL byte that a reader may skip. */
static gboolean
text_may_name_sign_key (const char *data,
                        gsize       length)
{
  static const char name[] = "sign_key";

  /* Not strstr(): a NUL byte (one reason to be unreadable) must not end the search. */
  for (gsize i = 0; i < length; i++)
    if (data[i] == '\\' || data[i] == '\0'
        || (i + sizeof name - 1 <= length && memcmp (data + i, name, sizeof name - 1) == 0))
      return TRUE;
  return FALSE;
}

/* What is shown instead of a body that may name a "sign_key" but cannot be read as JSON (too
 * deep, a NUL, an escape JSON does not have, broken): its values cannot be found by their
 * member, so none of it is shown. A broken body with no such name (a cut-off error message)
 * is still shown as it came. */
static char *
hide_unreadable_body (const char *data,
                      gsize       length)
{
  g_autoptr(GError) error = NULL;
  gsize i = 0;

  if (data == NULL)
    return NULL;
  while (i < length && is_json_space (data[i]))
    i++;
  if (i == length || (data[i] != '{' && data[i] != '[')
      || !text_may_name_sign_key (data, length))
    return NULL;

  /* The reason without building a tree: this also serves bodies too large to parse. */
  if (ak_json_check_untrusted (data, length, &error))
    g_set_error_literal (&error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("It is not valid JSON."));
  /* Translators: %s says why the JSON could not be read */
  return g_strdup_printf (_("The body is not shown: it may hold a certificate (sign_key), but "
                            "it could not be read to mask it. %s"), error->message);
}

/* The spans to mask in the JSON value at the start of @data; %NULL when the walk fails (too
 * deep, broken) or, with @to_end, stops before the end. */
static GArray *
scan_mask_spans (const char *data,
                 gsize       length,
                 gboolean    to_end)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  Scan scan = { data, data, data + length, spans, 0 };

  skip_space (&scan);
  if (!scan_value (&scan, FALSE))
    return NULL;
  skip_space (&scan);
  if (to_end && scan.p != scan.end)
    return NULL;
  return g_steal_pointer (&spans);
}

char *
ak_rest_mask_json (const char *data,
                   gsize       length,
                   JsonNode   *root)
{
  g_autoptr(GArray) spans = NULL;

  /* Before anything points into @data: an empty body may come as NULL (g_bytes_get_data()),
   * and even NULL + 0 is undefined behaviour. */
  if (root == NULL)
    return hide_unreadable_body (data, length);
  if (!tree_has_maskable (root))
    return NULL;

  spans = scan_mask_spans (data, length, FALSE);
  if (spans == NULL || spans->len == 0)
    {
      /* The text walk disagrees with the parser: mask a mutable tree and print that. */
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) tree = ak_json_parse_untrusted_mutable (data, length, NULL);

      if (tree == NULL)
        return hide_unreadable_body (data, length);
      mask_tree (tree);
      json_generator_set_root (generator, tree);
      json_generator_set_pretty (generator, TRUE);
      return json_generator_to_data (generator, NULL);
    }

  return splice_masks (data, length, spans);
}

char *
ak_rest_mask_text (const char *data,
                   gsize       length)
{
  g_autoptr(GArray) spans = NULL;

  if (data == NULL)
    return NULL;
  /* A walk that fails (too deep, broken) or stops before the end has not seen every value. */
  spans = scan_mask_spans (data, length, TRUE);
  if (spans == NULL)
    return hide_unreadable_body (data, length);
  if (spans->len == 0)
    return NULL;
  return splice_masks (data, length, spans);
}

char *
ak_rest_mask_body (const char *body,
                   gssize      length)
{
  g_autoptr(JsonNode) root = NULL;
  gsize size;

  if (body == NULL)
    return NULL;
  size = length < 0 ? strlen (body) : (gsize) length;
  root = ak_rest_parse_json (body, size);
  return ak_rest_mask_json (body, size, root);
}
