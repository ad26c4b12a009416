/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for the token parser. Verification is left out on purpose: the fuzzer
 * cannot forge an HMAC, so checking it would only stop every input at the same place.
 */
#include <stdint.h>
#include <string.h>

#include "ak-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = NULL;

  memcpy (text, data, size);
  text[size] = '\0';

  token = ak_token_parse (text, &error);
  if (token == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }

  g_assert (error == NULL);
  {
    g_autoptr(JsonNode) json = ak_token_to_json (token, NULL);
    g_autofree char *serialized = json_to_string (json, FALSE);

    g_assert (serialized != NULL);
  }
  return 0;
}
