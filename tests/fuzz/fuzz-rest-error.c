/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for what the REST client reads from a response body: the error summary
 * shown above the response, and the project listing with its certificates masked. The first
 * two bytes pick the HTTP status, the rest is the body, handled as the client handles it
 * (an exact-size buffer, not NUL-terminated).
 *
 * A summary is one line of valid UTF-8; a masked body holds no certificate.
 */
#include <string.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-rest-history.h"
#include "ak-rest-private.h"
#include "ak-rest-redact.h"
#include "fuzz-common.h"

/* What the client answers most: successes (a 200 may still carry an error code), the
 * errors, 429 with its own advice, and whatever else a proxy may send. */
static const guint statuses[] = { 200, 201, 206, 400, 401, 403, 404, 409, 429, 500, 502, 504 };

static guint
pick_status (guint8 a,
             guint8 b)
{
  if (a < G_N_ELEMENTS (statuses))
    return statuses[a];
  return 100 + ((guint) a << 8 | b) % 500;
}

/* No non-empty sign_key value may be left as it was. */
static gboolean
all_masked (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!all_masked (json_array_get_element (array, i)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          if (g_str_equal (name, "sign_key"))
            {
              if (JSON_NODE_HOLDS_NULL (member))
                continue;
              if (!JSON_NODE_HOLDS_VALUE (member)
                  || json_node_get_value_type (member) != G_TYPE_STRING)
                return FALSE;
              if (*json_node_get_string (member) != '\0'
                  && !g_str_equal (json_node_get_string (member), AK_REST_MASK))
                return FALSE;
            }
          else if (!all_masked (member))
            return FALSE;
        }
    }
  return TRUE;
}

/* A masked body (or the note shown in its place) must hold no certificate. It is read as the
 * app reads JSON; a note is not JSON and holds no body text at all. */
static void
check_masked (const char *masked)
{
  g_autoptr(JsonNode) root = ak_json_parse_untrusted (masked, strlen (masked), NULL);

  if (root != NULL)
    AK_FUZZ_CHECK (all_masked (root));
}

static gboolean
looks_like_json (const char *data,
                 size_t      size)
{
  size_t i = 0;

  while (i < size && strchr (" \t\r\n", data[i]) != NULL && data[i] != '\0')
    i++;
  return i < size && (data[i] == '{' || data[i] == '[');
}

static gboolean
mentions_sign_key (const char *data,
                   size_t      size)
{
  for (size_t i = 0; i + strlen ("sign_key") <= size; i++)
    if (memcmp (data + i, "sign_key", strlen ("sign_key")) == 0)
      return TRUE;
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *summary_of_text = NULL;
  g_autofree char *masked = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status;

  if (size < 2)
    return 0;
  status = pick_status (data[0], data[1]);
  data += 2;
  size -= 2;

  /* As analyze_response() in the client does it. */
  body = ak_fuzz_dup_bytes (data, size);
  root = ak_rest_parse_json (body, size);
  summary = ak_rest_summarize_json (status, root);
  masked = ak_rest_mask_json (body, size, root);

  if (summary != NULL)
    AK_FUZZ_CHECK (summary[0] != '\0' && ak_fuzz_is_one_line (summary));
  if (masked != NULL)
    check_masked (masked);
  else if (root != NULL)
    /* Nothing masked: the body is shown as it came, so it has no certificate. */
    AK_FUZZ_CHECK (all_masked (root));
  else
    /* Not read (too deep, a NUL, broken): shown as it came only if it names no certificate. */
    AK_FUZZ_CHECK (!looks_like_json (body, size) || !mentions_sign_key (body, size));

  /* The walk over the text alone (for bodies too big to parse) shows no more than that. */
  {
    g_autofree char *by_text = ak_rest_mask_text (body, size);

    if (by_text != NULL)
      check_masked (by_text);
    else if (root != NULL)
      AK_FUZZ_CHECK (all_masked (root));
  }

  /* The public entry point for a NUL-terminated body must agree when there is no NUL. */
  text = ak_fuzz_dup_text (data, size);
  summary_of_text = ak_rest_summarize_error (status, text);
  if (memchr (data, '\0', size) == NULL)
    AK_FUZZ_CHECK (g_strcmp0 (summary, summary_of_text) == 0);
  return 0;
}
