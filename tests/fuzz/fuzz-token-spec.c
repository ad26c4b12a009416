/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for `agora-keys-cli build --spec`: the JSON is read as the CLI reads it,
 * then built. A token that is built must parse back, name the spec's App ID and, for 007,
 * carry a signature that the spec's certificate verifies.
 */
#include <string.h>

#include "ak-core.h"
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
  g_autoptr(JsonNode) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = NULL;

  if (size > MAX_SPEC_LENGTH)
    return 0;

  /* The CLI reads the file NUL-terminated and passes its length; a spec is outside JSON. */
  text = ak_fuzz_dup_text (data, size);
  spec = ak_json_parse_untrusted_mutable (text, size, &error);
  if (spec == NULL)
    {
      AK_FUZZ_CHECK (error != NULL && error->domain == AK_ERROR);
      return 0;
    }
  g_clear_error (&error);
  if (!JSON_NODE_HOLDS_OBJECT (spec))
    return 0;
  /* A spec without a salt gets a random one (a CSPRNG no harness can seed), which would make
   * each run build other bytes: build-aux/fuzz --ci must give the same runs every time. */
  {
    JsonNode *inputs = json_object_get_member (json_node_get_object (spec), "inputs");

    if (inputs != NULL && JSON_NODE_HOLDS_OBJECT (inputs)
        && !json_object_has_member (json_node_get_object (inputs), "salt"))
      json_object_set_int_member (json_node_get_object (inputs), "salt", 1);
  }

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
