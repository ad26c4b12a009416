/* ak-test-cli.h: running agora-keys-cli as a user would, for test-cli.c and test-cli-decode.c
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <unistd.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ak-test-util.h"

/* The official fixtures' identities, as in tests/data/official-vectors.json. */
#define TEST_APP_ID "970CA35de60c44645bbae8a215061b33"
#define TEST_CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define OTHER_TEST_CERT "0123456789abcdef0123456789ABCDEF"
#define TEST_CHANNEL "7d72365eb983485397e3e3f9d460bdda"

/* Runs the real binary with stdin a pipe (never a terminal, so it never prompts) and the
 * certificate, if any, in the environment rather than on the command line. */
static inline void
run_cliv (AkTestCliResult    *result,
          const char         *input,
          const char         *certificate,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = ak_test_cli_launcher_new ();

  if (certificate != NULL)
    g_subprocess_launcher_setenv (launcher, "AGORA_APP_CERTIFICATE", certificate, TRUE);
  ak_test_run_cliv (launcher, result, input, args);
  /* Cut: a 1 MiB token on one line does not survive the TAP log as one comment. */
  g_test_message ("stdout: %.2000s\nstderr: %.2000s", result->out, result->err);
}

#define run_cli(result, input, certificate, ...) \
  run_cliv (result, input, certificate, AK_TEST_ARGS (__VA_ARGS__))

static inline char *
to_json_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static inline char *
write_temp_file (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("ak-test-cli-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* The token of @id's equivalent builder @builder, in tests/data/official-vectors.json. */
static inline const char *
vector_builder_token (const char *id,
                      const char *builder)
{
  JsonObject *vector = ak_test_find_vector (id);
  JsonArray *builders = json_object_get_array_member (vector, "equivalent_builders");
  guint i;

  for (i = 0; i < json_array_get_length (builders); i++)
    {
      JsonObject *equivalent = json_array_get_object_element (builders, i);

      if (g_str_equal (json_object_get_string_member (equivalent, "builder"), builder))
        return json_object_get_string_member (equivalent, "token");
    }
  g_error ("vector %s has no %s builder", id, builder);
  return NULL;
}

/* {"builder": @builder, "inputs": @inputs} */
static inline char *
spec_text (const char *builder,
           JsonObject *inputs)
{
  g_autoptr(JsonObject) spec = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (spec, "builder", builder);
  json_object_set_object_member (spec, "inputs", json_object_ref (inputs));
  json_node_set_object (node, spec);
  return to_json_text (node);
}

static inline char *
expected_line (const char *token)
{
  return g_strconcat (token, "\n", NULL);
}

/* decode --json of @token_line (a token as build prints it) with TEST_CERT, and @extra
 * (NULL-terminated, or NULL) before the token: the output, parsed; what it said on stderr in
 * @err unless NULL. */
static inline JsonNode *
decode_json (const char         *token_line,
             const char * const *extra,
             char              **err)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_auto(AkTestCliResult) decoded = { 0 };

  g_ptr_array_add (args, g_strdup ("decode"));
  g_ptr_array_add (args, g_strdup ("--json"));
  for (; extra != NULL && *extra != NULL; extra++)
    g_ptr_array_add (args, g_strdup (*extra));
  g_ptr_array_add (args, g_strstrip (g_strdup (token_line)));
  g_ptr_array_add (args, NULL);
  run_cliv (&decoded, NULL, TEST_CERT, (const char * const *) args->pdata);
  g_assert_cmpint (decoded.status, ==, 0);
  if (err != NULL)
    *err = g_steal_pointer (&decoded.err);
  return ak_test_parse_json (decoded.out, -1);
}

/* The official vectors (tests/data/official-vectors.json) that have @member: borrowed
 * JsonObjects, in the file's order. */
static inline GPtrArray *
official_vectors_with (const char *member)
{
  JsonArray *array = ak_test_official_vectors ();
  GPtrArray *vectors = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *vector = json_array_get_object_element (array, i);

      if (json_object_has_member (vector, member))
        g_ptr_array_add (vectors, vector);
    }
  return vectors;
}

/* The vector @id of npm agora-token 2.0.6 (tests/data/agora-token-2.0.6.json), loaded into
 * *@root the first time; fails the test when there is none. */
static inline JsonObject *
npm_vector (JsonNode   **root,
            const char  *id)
{
  JsonArray *array;

  if (*root == NULL)
    *root = ak_test_load_json ("agora-token-2.0.6.json");
  array = json_object_get_array_member (json_node_get_object (*root), "vectors");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *vector = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (vector, "id"), id))
        return vector;
    }
  g_error ("No vector %s in agora-token-2.0.6.json", id);
  return NULL;
}

