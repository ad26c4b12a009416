/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ak-core.h"

/*
 * The one parser of outside JSON: what it refuses (and where it says the fault is), what it
 * lets through, and that no input, however deep, reaches json-glib's recursion.
 */

/* The size of the big inputs: the real one, or a tenth under valgrind and sanitizers. */
static gsize
scaled (gsize size)
{
  const char *scale = g_getenv ("AK_TEST_TIME_SCALE");

  return scale != NULL && g_ascii_strtoull (scale, NULL, 10) > 1 ? size / 10 : size;
}

static char *
nested (guint       depth,
        const char *open,
        const char *inner,
        const char *close)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, open);
  g_string_append (text, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (text, close);
  return g_string_free (text, FALSE);
}

/* Refused, with the byte named in the message. */
static void
assert_refused_at (const char *data,
                   gsize       length,
                   gsize       offset,
                   const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = ak_json_parse_untrusted (data, length, &error);
  g_autofree char *where = g_strdup_printf ("byte %" G_GSIZE_FORMAT ":", offset);

  g_assert_null (root);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  if (offset != G_MAXSIZE)
    g_assert_nonnull (strstr (error->message, where));
  if (what != NULL)
    g_assert_nonnull (strstr (error->message, what));
}

static JsonNode *
parse_ok (const char *data,
          gsize       length)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = ak_json_parse_untrusted (data, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

static void
test_depth (void)
{
  g_autofree char *arrays_64 = nested (AK_JSON_MAX_DEPTH, "[", "1", "]");
  g_autofree char *objects_64 = nested (AK_JSON_MAX_DEPTH - 1, "{\"a\":", "[]", "}");
  g_autofree char *arrays_65 = nested (AK_JSON_MAX_DEPTH + 1, "[", "1", "]");
  g_autofree char *objects_65 = nested (AK_JSON_MAX_DEPTH, "{\"a\":", "{}", "}");
  g_autofree char *deep = nested (100000, "[", "", "]");
  g_autofree char *unclosed = g_strnfill (1000000, '{');
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) object_root = NULL;
  JsonNode *node;
  guint levels = 0;

  g_assert_cmpint (AK_JSON_MAX_DEPTH, ==, 64);

  root = parse_ok (arrays_64, strlen (arrays_64));
  for (node = root; JSON_NODE_HOLDS_ARRAY (node);
       node = json_array_get_element (json_node_get_array (node), 0))
    levels++;
  g_assert_cmpuint (levels, ==, 64);
  g_assert_cmpint (json_node_get_int (node), ==, 1);
  object_root = parse_ok (objects_64, strlen (objects_64));

  /* The 65th opening bracket is the one named. */
  assert_refused_at (arrays_65, strlen (arrays_65), 64, "nested deeper than 64 levels");
  assert_refused_at (objects_65, strlen (objects_65), 64 * strlen ("{\"a\":"),
                     "nested deeper than 64 levels");
  /* Far deeper than json-glib could recurse: refused without a crash. */
  assert_refused_at (deep, strlen (deep), 64, "nested deeper");
  assert_refused_at (unclosed, strlen (unclosed), 64, "nested deeper");
}

/* json-glib 1.6 reads strings where JSON has none: 'single quotes', comments, and the bytes it
 * swallows after a lone "\ud800" or a short "\u". Each once let nesting that the depth count
 * took for a string reach the parser (found while writing these tests: a segfault). */
static void
test_hidden_nesting (void)
{
  static const struct
  {
    const char *prefix;
    const char *suffix;
    const char *what;
  } cases[] = {
    { "[\"\\ud800\",\",", ",\"\\ud800\"\"]", "lone surrogate" },
    { "['\"',", ",'\"']", "not allow" },
    { "[/*\"*/", "/*\"*/]", "not allow" },
    { "[\"\\u12\",\",", ",\"\\u12\"\"]", "four hexadecimal digits" },
  };
  gsize depth = scaled (200000);
  g_autofree char *brackets = nested ((guint) depth, "[", "", "]");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (cases[i].prefix, brackets, cases[i].suffix, NULL);

      assert_refused_at (text, strlen (text), G_MAXSIZE, cases[i].what);
    }
}

static void
test_one_value (void)
{
  static const struct
  {
    const char *text;
    gsize offset;
    const char *what;
  } cases[] = {
    { "{\"a\":1}{\"b\":2}", 7, "more than one value" },
    { "[1] [2]", 4, "more than one value" },
    { "[1] x", 4, "more than one value" },
    { "", 0, "no JSON value" },
    { " \t\r\n ", 5, "no JSON value" },
    { "\"text\"", 0, "object or an array" },
    { "42", 0, "object or an array" },
    { "true", 0, "object or an array" },
    { "null", 0, "object or an array" },
    { "  [1, 2", 7, "ends inside" },
    { "{\"a\":\"b}", 8, "ends inside" },
    { "[1] \f", 4, "more than one value" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused_at (cases[i].text, strlen (cases[i].text), cases[i].offset, cases[i].what);

  /* White space around one value is fine. */
  {
    g_autoptr(JsonNode) root = parse_ok ("\n\t [ 1 ,2 ]\r\n ", strlen ("\n\t [ 1 ,2 ]\r\n "));

    g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 2);
  }
  /* NULL with no length is empty input, not a crash. */
  assert_refused_at (NULL, 0, 0, "no JSON value");
}

static void
test_nul_and_utf8 (void)
{
  static const char raw_nul[] = "{\"a\":\"x\0y\"}";
  static const char *const escaped_nul = "{\"a\":\"x\\u0000y\"}";
  static const char *const name_nul = "{\"a\\u0000b\":1}";
  static const char *const latin1 = "{\"name\":\"Op\xe9ration\"}";
  static const char *const overlong = "[\"\xc0\xaf\"]";
  static const char *const encoded_surrogate = "[\"\xed\xa0\x80\"]";

  assert_refused_at (raw_nul, sizeof raw_nul - 1, 7, "NUL byte");
  assert_refused_at (escaped_nul, strlen (escaped_nul), 7, "NUL character");
  assert_refused_at (name_nul, strlen (name_nul), 3, "NUL character");
  assert_refused_at (latin1, strlen (latin1), 11, "invalid UTF-8");
  assert_refused_at (overlong, strlen (overlong), 2, "invalid UTF-8");
  assert_refused_at (encoded_surrogate, strlen (encoded_surrogate), 2, "invalid UTF-8");

  /* Escapes of characters that are not NUL stay. */
  {
    const char *text = "{\"a\\u0001\":\"\\u00e9\\ud83d\\ude00\"}";
    g_autoptr(JsonNode) root = parse_ok (text, strlen (text));
    JsonObject *object = json_node_get_object (root);

    g_assert_cmpstr (json_object_get_string_member (object, "a\001"), ==, "é😀");
  }
}

/* json-glib 1.6 turns "\ud800x" into bytes that are not UTF-8 and drops the "x"; "\ud800"
 * just before the closing quote takes the quote with it. Both are refused before parsing. */
static void
test_surrogates (void)
{
  static const struct
  {
    const char *text;
    gsize offset;
  } lone[] = {
    { "[\"\\ud800\"]", 2 },
    { "[\"\\ud800x\"]", 2 },
    { "[\"ab\\uDBFF\\u0041\"]", 4 },
    { "[\"\\udc00\"]", 2 },
    { "[\"\\ud800\\ud800\"]", 2 },
    { "{\"\\ud800x\":1}", 2 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (lone); i++)
    assert_refused_at (lone[i].text, strlen (lone[i].text), lone[i].offset, "lone surrogate");

  {
    g_autoptr(JsonNode) root = parse_ok ("[\"\\uD83D\\uDE00\"]", strlen ("[\"\\uD83D\\uDE00\"]"));

    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (root), 0), ==, "😀");
  }
}

/* A tree built elsewhere with a string that is not UTF-8 is caught by the second look. */
static void
test_strings_are_valid (void)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GError) error = NULL;

  json_array_add_string_element (array, "fine");
  json_object_set_array_member (object, "list", g_steal_pointer (&array));
  json_node_set_object (root, object);
  g_assert_true (ak_json_strings_are_valid (root, &error));
  g_assert_no_error (error);

  json_array_add_string_element (json_object_get_array_member (object, "list"), "\xe9t\xe9");
  g_assert_false (ak_json_strings_are_valid (root, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
}

/* Escapes and brackets inside strings do not count as structure. */
static void
test_strings (void)
{
  static const struct
  {
    const char *text;
    const char *first;
  } fine[] = {
    { "[\"a\\\\\"]", "a\\" },
    { "[\"a\\\\\", \"]]]\"]", "a\\" },
    { "[\"\\\"[\"]", "\"[" },
    { "[\"[[[[{{{{\"]", "[[[[{{{{" },
    { "[\"}]}]\"]", "}]}]" },
    { "[\"\\/\\b\\f\\n\\r\\t\"]", "/\b\f\n\r\t" },
    { "[\"'/*#\"]", "'/*#" },
  };
  static const struct
  {
    const char *text;
    gsize offset;
    const char *what;
  } refused[] = {
    { "[\"\\x41\"]", 2, "unknown escape" },
    { "[\"\\351\"]", 2, "unknown escape" },
    { "[\"\\uZZZZ\"]", 2, "four hexadecimal digits" },
    { "[\"\\u12\"]", 2, "four hexadecimal digits" },
    { "['a']", 1, "not allow" },
    { "[1 /* c */]", 3, "not allow" },
    { "[1 # c\n]", 3, "not allow" },
    { "[\"a\\", 4, "ends inside" },
  };
  g_autofree char *bracket_string = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      g_autoptr(JsonNode) root = parse_ok (fine[i].text, strlen (fine[i].text));

      g_assert_cmpstr (json_array_get_string_element (json_node_get_array (root), 0), ==,
                       fine[i].first);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_refused_at (refused[i].text, strlen (refused[i].text), refused[i].offset,
                       refused[i].what);

  /* A thousand brackets in a string are one level. */
  {
    g_autofree char *inner = g_strnfill (1000, '[');
    g_autoptr(JsonNode) root = NULL;

    bracket_string = g_strdup_printf ("{\"a\":\"%s\"}", inner);
    root = parse_ok (bracket_string, strlen (bracket_string));
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "a"), ==, inner);
  }
}

/* json-glib's message quotes the text it stopped at: a line break or a terminal escape in it
 * is written as an escape, so the sentence stays one printable line (found by fuzz-json). */
static void
test_error_is_one_line (void)
{
  const char *text = "[\"\\u001b[31mred\\nline\" 1]";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = ak_json_parse_untrusted (text, strlen (text), &error);

  g_assert_null (root);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
  g_assert_nonnull (strstr (error->message, "\\u001B[31mred\\u000Aline"));
}

/* A big flat array is parsed: the check is linear, not a limit on size. */
static void
test_big_flat (void)
{
  gsize count = scaled (1000000);
  GString *text = g_string_sized_new (count * 2 + 2);
  g_autofree char *data = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length;

  g_string_append_c (text, '[');
  for (gsize i = 0; i < count; i++)
    g_string_append (text, i > 0 ? ",7" : "7");
  g_string_append_c (text, ']');
  length = text->len;
  data = g_string_free (text, FALSE);

  g_assert_true (ak_json_check_untrusted (data, length, NULL));
  root = parse_ok (data, length);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, count);
}

/* The check alone (for callers that parse themselves) agrees with the parser. */
static void
test_check_only (void)
{
  const char *fine = "{\"a\":[1,true,null,-2.5e3]}";
  const char *two = "{\"a\":1}{}";
  g_autoptr(GError) error = NULL;

  g_assert_true (ak_json_check_untrusted (fine, strlen (fine), &error));
  g_assert_no_error (error);
  g_assert_false (ak_json_check_untrusted (two, strlen (two), &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
}

/* The mutable tree can be changed; the default one is sealed. */
static void
test_mutable (void)
{
  const char *text = "{\"sign_key\":\"x\"}";
  g_autoptr(JsonNode) sealed = parse_ok (text, strlen (text));
  g_autoptr(JsonNode) mutable = ak_json_parse_untrusted_mutable (text, strlen (text), NULL);
  g_autofree char *deep = nested (AK_JSON_MAX_DEPTH + 1, "[", "", "]");
  g_autoptr(GError) error = NULL;

  g_assert_true (json_node_is_immutable (sealed));
  g_assert_nonnull (mutable);
  g_assert_false (json_node_is_immutable (mutable));
  json_object_set_string_member (json_node_get_object (mutable), "sign_key", "masked");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (mutable), "sign_key"),
                   ==, "masked");
  g_assert_null (ak_json_parse_untrusted_mutable (deep, strlen (deep), &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/json/depth", test_depth);
  g_test_add_func ("/ak/json/hidden-nesting", test_hidden_nesting);
  g_test_add_func ("/ak/json/one-value", test_one_value);
  g_test_add_func ("/ak/json/nul-and-utf8", test_nul_and_utf8);
  g_test_add_func ("/ak/json/surrogates", test_surrogates);
  g_test_add_func ("/ak/json/strings-are-valid", test_strings_are_valid);
  g_test_add_func ("/ak/json/strings", test_strings);
  g_test_add_func ("/ak/json/error-is-one-line", test_error_is_one_line);
  g_test_add_func ("/ak/json/big-flat", test_big_flat);
  g_test_add_func ("/ak/json/check-only", test_check_only);
  g_test_add_func ("/ak/json/mutable", test_mutable);

  return g_test_run ();
}
