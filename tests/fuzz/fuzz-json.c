/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for ak_json_parse_untrusted(), the one parser of outside JSON (bodies,
 * files, standard input), as its callers hand it bytes: an exact-size buffer.
 *
 * What it lets through is one object or array, nested at most AK_JSON_MAX_DEPTH deep, with
 * valid UTF-8 strings and member names; what it refuses it refuses with a sentence. The check
 * alone agrees with the parser, and what json-glib prints of an accepted tree is accepted
 * again. A disagreement with json-glib on where a string ends would show as a tree deeper
 * than allowed (or as a crash in json-glib's recursion).
 */
#include <string.h>

#include "ak-core.h"
#include "fuzz-common.h"

/* Set when the tree holds a number that is not an integer: json-glib 1.6 prints 1e999 as
 * "inf" and 1e98 as "1e+98.0", neither of them JSON, so such a tree is not printed back. */
static gboolean saw_double;

/* The depth of the containers in @node, @node being at @level (the root at 1); a scalar adds
 * none. Stops past the limit rather than recursing on. */
static guint
depth_of (JsonNode *node,
          guint     level)
{
  guint deepest = level;

  if (!JSON_NODE_HOLDS_ARRAY (node) && !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        AK_FUZZ_CHECK (g_utf8_validate (json_node_get_string (node), -1, NULL));
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
        saw_double = TRUE;
      return level - 1;
    }
  if (level > AK_JSON_MAX_DEPTH)
    return level;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          /* Not inside MAX(), which would call it twice per level. */
          guint depth = depth_of (json_array_get_element (array, i), level + 1);

          deepest = MAX (deepest, depth);
        }
    }
  else
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          guint depth = depth_of (member, level + 1);

          AK_FUZZ_CHECK (g_utf8_validate (name, -1, NULL));
          deepest = MAX (deepest, depth);
        }
    }
  return deepest;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *bytes = ak_fuzz_dup_bytes (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *printed = NULL;
  gboolean checked;
  gsize printed_length = 0;

  checked = ak_json_check_untrusted (bytes, size, &check_error);
  root = ak_json_parse_untrusted (bytes, size, &error);

  if (root == NULL)
    {
      AK_FUZZ_CHECK (error != NULL && error->domain == AK_ERROR
                     && error->code == AK_ERROR_INVALID_INPUT);
      AK_FUZZ_CHECK (error->message[0] != '\0' && ak_fuzz_is_one_line (error->message));
      if (!checked)
        AK_FUZZ_CHECK (g_str_equal (error->message, check_error->message));
      return 0;
    }

  AK_FUZZ_CHECK (checked && check_error == NULL && error == NULL);
  AK_FUZZ_CHECK (JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root));
  saw_double = FALSE;
  AK_FUZZ_CHECK (depth_of (root, 1) <= AK_JSON_MAX_DEPTH);
  if (saw_double)
    return 0;

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  printed = json_generator_to_data (generator, &printed_length);
  again = ak_json_parse_untrusted (printed, printed_length, &error);
  AK_FUZZ_CHECK (again != NULL && error == NULL);
  return 0;
}
