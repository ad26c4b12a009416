/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-json.h"

/* One pass over the text before json-glib sees it: what json-glib would accept silently
 * (a "\u0000" that cuts a string short, "{…}{…}" read as its last value) or die on
 * (nesting deep enough to exhaust the stack) is refused here, with the byte it is at.
 *
 * The pass must see strings where json-glib 1.6 sees them, or nesting hidden in what it
 * takes for a string reaches the parser uncounted. json-glib also reads 'single-quoted'
 * strings and comments, swallows the character after a lone "\ud800" and the four after
 * "\u" whatever they are: so only JSON's own tokens are let through, outside strings and
 * in escapes alike. */

static gboolean
fail_at (GError     **error,
         gsize        offset,
         const char  *what)
{
  g_autofree char *where = g_strdup_printf ("%" G_GSIZE_FORMAT, offset);

  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               /* Translators: the first %s is a byte offset, the second says what is wrong,
                * e.g. "nested deeper than 64 levels" */
               _("The JSON is not acceptable at byte %s: %s."), where, what);
  return FALSE;
}

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The code unit of the "\uXXXX" at data[i] (the backslash), or -1 when it is not one. */
static gint32
read_u_escape (const char *data,
               gsize       length,
               gsize       i)
{
  gint32 unit = 0;

  if (i > length || length - i < 6 || data[i] != '\\' || data[i + 1] != 'u')
    return -1;
  for (gsize k = i + 2; k < i + 6; k++)
    {
      int digit = g_ascii_xdigit_value (data[k]);

      if (digit < 0)
        return -1;
      unit = unit * 16 + digit;
    }
  return unit;
}

/* Checks the escape whose backslash is at data[*i] and moves *i to its last byte. */
static gboolean
check_escape (const char  *data,
              gsize        length,
              gsize       *i,
              GError     **error)
{
  gsize at = *i;
  gint32 unit;
  gint32 low;

  if (at + 1 >= length)
    return fail_at (error, length, _("the text ends inside a value"));
  if (data[at + 1] != '\0' && strchr ("\"\\/bfnrt", data[at + 1]) != NULL)
    {
      *i = at + 1;
      return TRUE;
    }
  if (data[at + 1] != 'u')
    return fail_at (error, at, _("a string holds an unknown escape"));

  unit = read_u_escape (data, length, at);
  if (unit < 0)
    return fail_at (error, at, _("a \\u escape without four hexadecimal digits"));
  if (unit == 0)
    return fail_at (error, at, _("a string holds a NUL character (\\u0000)"));
  if (unit >= 0xdc00 && unit <= 0xdfff)
    return fail_at (error, at, _("a string holds a lone surrogate"));
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      low = read_u_escape (data, length, at + 6);
      if (low < 0xdc00 || low > 0xdfff)
        return fail_at (error, at, _("a string holds a lone surrogate"));
      *i = at + 11;
      return TRUE;
    }
  *i = at + 5;
  return TRUE;
}

/* Outside strings: structure, white space, and the letters of numbers, true, false, null. */
static gboolean
is_bare_token_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '+' || c == '.' || c == ':' || c == ','
         || is_json_space (c);
}

/**
 * ak_json_check_untrusted:
 * @data: JSON text from outside (a body, a file, standard input)
 * @length: its length in bytes
 * @error: set to an %AK_ERROR_INVALID_INPUT that names the byte
 *
 * Checks what json-glib does not: the text is valid UTF-8 with no NUL byte, it is one object
 * or array with nothing after it but white space, it nests at most %AK_JSON_MAX_DEPTH
 * levels, its strings use only JSON's escapes, and none holds an escaped NUL or a lone
 * surrogate. Linear in @length; never recurses.
 *
 * Returns: %TRUE if json-glib may parse @data
 */
gboolean
ak_json_check_untrusted (const char  *data,
                         gsize        length,
                         GError     **error)
{
  const char *invalid = NULL;
  gboolean in_string = FALSE;
  guint depth = 0;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length > 0 && !g_utf8_validate_len (data, length, &invalid))
    return fail_at (error, (gsize) (invalid - data),
                    *invalid == '\0' ? _("a NUL byte") : _("invalid UTF-8"));

  while (i < length && is_json_space (data[i]))
    i++;
  if (i == length)
    return fail_at (error, i, _("there is no JSON value"));
  if (data[i] != '{' && data[i] != '[')
    return fail_at (error, i, _("expected an object or an array"));

  for (; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            {
              if (!check_escape (data, length, &i, error))
                return FALSE;
            }
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > AK_JSON_MAX_DEPTH)
            {
              g_autofree char *what =
                g_strdup_printf (_("nested deeper than %d levels"), AK_JSON_MAX_DEPTH);
              return fail_at (error, i, what);
            }
        }
      else if (c == '}' || c == ']')
        {
          if (--depth == 0)
            break;
        }
      else if (!is_bare_token_char (c))
        return fail_at (error, i, _("a character JSON does not allow here"));
    }

  if (i >= length)
    return fail_at (error, length, _("the text ends inside a value"));
  for (i++; i < length; i++)
    if (!is_json_space (data[i]))
      return fail_at (error, i, _("more than one value"));
  return TRUE;
}

static gboolean
string_is_valid (const char *text)
{
  return text != NULL && g_utf8_validate (text, -1, NULL);
}

static gboolean
node_strings_are_valid (JsonNode *node,
                        guint     depth)
{
  /* Depth is bounded by the check above; this guard only keeps a caller's own tree safe. */
  if (node == NULL || depth > AK_JSON_MAX_DEPTH)
    return node == NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!string_is_valid (name) || !node_strings_are_valid (member, depth + 1))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          if (!node_strings_are_valid (json_array_get_element (array, i), depth + 1))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return string_is_valid (json_node_get_string (node));
      return TRUE;
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/**
 * ak_json_strings_are_valid:
 * @root: a parsed tree
 * @error: set when a string or member name is not valid UTF-8
 *
 * json-glib 1.6 turns an escaped lone surrogate ("\ud800x") into bytes that are not UTF-8
 * (and drops the character after it). ak_json_check_untrusted() refuses such escapes before
 * parsing; this second look catches whatever else makes a string invalid.
 *
 * Returns: %TRUE if every string and member name in @root is valid UTF-8
 */
gboolean
ak_json_strings_are_valid (JsonNode  *root,
                           GError   **error)
{
  if (node_strings_are_valid (root, 0))
    return TRUE;
  g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The JSON is not acceptable: a string is not valid UTF-8 "
                         "(an escaped lone surrogate such as \\ud800)."));
  return FALSE;
}

/* json-glib's message quotes the text it stopped at, decoded: a "\n" or "\u001b" in it
 * would reach a terminal or a label as a line break or an escape sequence (found by
 * fuzz-json). Control characters are written as escapes again. */
static char *
printable_message (const char *message)
{
  g_autofree char *valid = g_utf8_make_valid (message, -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static JsonNode *
parse_untrusted (const char  *data,
                 gsize        length,
                 gboolean     immutable,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (!ak_json_check_untrusted (data, length, error))
    return NULL;

  parser = immutable ? json_parser_new_immutable () : json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &parse_error))
    {
      g_autofree char *reason = printable_message (parse_error->message);

      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("The JSON is not valid: %s."),
                   reason);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("The JSON is empty."));
      return NULL;
    }
  if (!ak_json_strings_are_valid (root, error))
    return NULL;
  return g_steal_pointer (&root);
}

/**
 * ak_json_parse_untrusted:
 * @data: JSON text from outside
 * @length: its length in bytes
 * @error: set to an %AK_ERROR_INVALID_INPUT that says what is wrong and where
 *
 * The one way outside JSON is parsed: ak_json_check_untrusted(), json-glib, then
 * ak_json_strings_are_valid().
 *
 * Returns: (transfer full) (nullable): the root object or array (immutable), or %NULL with
 *   @error set
 */
JsonNode *
ak_json_parse_untrusted (const char  *data,
                         gsize        length,
                         GError     **error)
{
  return parse_untrusted (data, length, TRUE, error);
}

/**
 * ak_json_parse_untrusted_mutable:
 * @data: JSON text from outside
 * @length: its length in bytes
 * @error: set like ak_json_parse_untrusted() sets it
 *
 * ak_json_parse_untrusted() for a tree the caller changes (masking values in it).
 *
 * Returns: (transfer full) (nullable): the root object or array, or %NULL with @error set
 */
JsonNode *
ak_json_parse_untrusted_mutable (const char  *data,
                                 gsize        length,
                                 GError     **error)
{
  return parse_untrusted (data, length, FALSE, error);
}
