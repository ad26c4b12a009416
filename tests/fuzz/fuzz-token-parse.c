/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for the token parser (006 and 007 text) and for what the decoder and the
 * "Recent" list make of a token: its JSON and its description (ak_token_entry_new()).
 * Verification is left out on purpose: the fuzzer cannot forge an HMAC, so checking it would
 * only stop every input at the same place.
 */
#include <string.h>

#include "ak-core.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = ak_fuzz_dup_text (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *serialized = NULL;
  g_autoptr(AkTokenEntry) entry = NULL;

  token = ak_token_parse (text, &error);
  if (token == NULL)
    {
      AK_FUZZ_CHECK (error != NULL && error->message != NULL);
      return 0;
    }

  AK_FUZZ_CHECK (error == NULL);
  json = ak_token_to_json (token, NULL);
  serialized = json_to_string (json, FALSE);
  AK_FUZZ_CHECK (serialized != NULL);

  entry = ak_token_entry_new (text, AK_TOKEN_ORIGIN_DECODED, NULL, NULL, &error);
  AK_FUZZ_CHECK (entry != NULL && error == NULL);
  AK_FUZZ_CHECK (g_utf8_validate (ak_token_entry_get_description (entry), -1, NULL));
  AK_FUZZ_CHECK (ak_token_entry_get_version (entry) == ak_token_get_version (token));
  AK_FUZZ_CHECK (g_str_equal (ak_token_entry_get_app_id (entry), ak_token_get_app_id (token)));
  return 0;
}
