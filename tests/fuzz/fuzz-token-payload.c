/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for the binary payload parser. Mutating token text rarely gets past
 * zlib's checksum, so this one wraps the fuzzer's bytes into a well-formed token: the first
 * byte picks the format (even: 007, deflated; odd: 006), the rest is the payload.
 */
#include <stdint.h>
#include <string.h>

#include <zlib.h>

#include "ak-core.h"
#include "fuzz-common.h"

#define FUZZ_APP_ID "970CA35de60c44645bbae8a215061b33"

static char *
wrap_007 (const uint8_t *payload,
          size_t         size)
{
  uLongf compressed_size = compressBound (size);
  g_autofree Bytef *compressed = g_malloc (compressed_size);
  g_autofree char *base64 = NULL;

  if (compress2 (compressed, &compressed_size, payload, size, Z_BEST_SPEED) != Z_OK)
    return NULL;
  base64 = g_base64_encode (compressed, compressed_size);
  return g_strconcat ("007", base64, NULL);
}

static char *
wrap_006 (const uint8_t *payload,
          size_t         size)
{
  g_autofree char *base64 = g_base64_encode (payload, size);

  return g_strconcat ("006", FUZZ_APP_ID, base64, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = NULL;

  /* Larger than any payload the parser accepts: nothing new to find there. */
  if (size < 1 || size > AK_MAX_PAYLOAD_LENGTH + 2)
    return 0;

  text = (data[0] & 1) == 0 ? wrap_007 (data + 1, size - 1) : wrap_006 (data + 1, size - 1);
  if (text == NULL)
    return 0;

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
