/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for the key_and_secret.txt import. The parser gets an exact-size copy of
 * the bytes, as it gets a file's contents. What it finds must be one printable word each,
 * and must come back unchanged from the plainest file that holds it.
 */
#include <string.h>

#include "ak-core.h"
#include "ak-key-secret-import.h"
#include "fuzz-common.h"

static gboolean
is_printable_word (const char *text)
{
  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || !g_unichar_isgraph (c))
        return FALSE;
    }
  return TRUE;
}

/* The values written back as Agora Console writes them, quoted so that a value that itself
 * starts and ends with a quote keeps its quotes. */
static void
check_round_trip (const AkKeySecretImport *import)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkKeySecretImport) again = NULL;
  g_autofree char *file = NULL;

  /* A "," or ";" can make the two lines read as a table's header and row instead. */
  if (strpbrk (import->customer_id, ",;") != NULL
      || strpbrk (import->customer_secret, ",;") != NULL)
    return;

  file = g_strdup_printf ("Customer ID: \"%s\"\nCustomer Secret: \"%s\"\n",
                          import->customer_id, import->customer_secret);
  again = ak_key_secret_import_parse (file, strlen (file), &error);
  AK_FUZZ_CHECK (again != NULL && error == NULL);
  AK_FUZZ_CHECK (g_str_equal (again->customer_id, import->customer_id));
  AK_FUZZ_CHECK (g_str_equal (again->customer_secret, import->customer_secret));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *contents = ak_fuzz_dup_bytes (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkKeySecretImport) import = NULL;

  import = ak_key_secret_import_parse (contents, size, &error);
  if (import == NULL)
    {
      AK_FUZZ_CHECK (error != NULL && error->domain == AK_ERROR);
      AK_FUZZ_CHECK (error->message[0] != '\0' && ak_fuzz_is_one_line (error->message));
      return 0;
    }

  AK_FUZZ_CHECK (error == NULL);
  AK_FUZZ_CHECK (is_printable_word (import->customer_id));
  AK_FUZZ_CHECK (is_printable_word (import->customer_secret));
  AK_FUZZ_CHECK (import->summary != NULL && ak_fuzz_is_one_line (import->summary));
  check_round_trip (import);
  return 0;
}
