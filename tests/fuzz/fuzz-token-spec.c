/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for `agora-keys-cli build --spec`: the JSON is read as the CLI reads it,
 * then built. A token that is built must parse back, name the spec's App ID and, for 007,
 * carry a signature that the spec's certificate verifies.
 */
#include <string.h>

#include "ak-core.h"
#include "ak-rest-private.h"
#include "fuzz-common.h"

/* As in src/cli/ak-cli-build.c. */
#define MAX_SPEC_LENGTH (1024 * 1024)

static void
check_result (JsonNode            *spec,
              const AkBuildResult *result)
{
  JsonObject *inputs = json_object_get_object_member (json_node_get_object (spec), "inputs");
  const char *app_id = json_object_get_string_member (inputs, "app_id");
  const char *certificate = json_object_get_string_member (inputs, "app_certificate");
  const char *text = ak_build_result_get_token (result);
  GPtrArray *warnings = ak_build_result_get_warnings (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = NULL;

  AK_FUZZ_CHECK (text != NULL && warnings != NULL);
  for (guint i = 0; i < warnings->len; i++)
    {
      const AkWarning *warning = g_ptr_array_index (warnings, i);

      AK_FUZZ_CHECK (warning->message != NULL && g_utf8_validate (warning->message, -1, NULL));
    }

  token = ak_token_parse (text, &error);
  AK_FUZZ_CHECK (token != NULL && error == NULL);
  AK_FUZZ_CHECK (g_str_equal (ak_token_get_app_id (token), app_id));

  if (ak_token_get_version (token) == AK_TOKEN_VERSION_007)
    AK_FUZZ_CHECK (ak_token_verify (token, certificate, NULL, NULL, NULL, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = NULL;

  if (size > MAX_SPEC_LENGTH)
    return 0;

  /* The CLI reads the file NUL-terminated and passes its length. */
  text = ak_fuzz_dup_text (data, size);
  /* json-glib 1.6 reads "{…}{…}" as its last value and leaks the first; the CLI does not
   * guard against that (a one-shot process), so neither does this harness. */
  if (!ak_rest_json_is_one_value (text, size))
    return 0;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, (gssize) size, NULL))
    return 0;
  spec = json_parser_steal_root (parser);
  if (spec == NULL || !JSON_NODE_HOLDS_OBJECT (spec))
    return 0;

  result = ak_build_token_from_spec (spec, &error);
  if (result == NULL)
    {
      AK_FUZZ_CHECK (error != NULL && error->domain == AK_ERROR);
      /* The message may quote the spec, line breaks and all: only its encoding is ours. */
      AK_FUZZ_CHECK (error->message[0] != '\0' && g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  AK_FUZZ_CHECK (error == NULL);
  check_result (spec, result);
  return 0;
}
