/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib.h>

#include "ak-core.h"
#include "ak-key-secret-import.h"

/* Values that would stand out anywhere they leaked to. */
#define ID "7f3c2a1b9e8d4c6f"
#define SECRET "Zq9SecretXy42Kw7"

typedef struct
{
  const char *name;
  const char *contents;
  gssize length; /* -1: NUL-terminated */
  const char *id;
  const char *secret;
  const char *message; /* substring of the summary or of the error */
} ImportCase;

static const ImportCase cases[] = {
  { "console format", "Customer ID: " ID "\nCustomer Secret: " SECRET "\n", -1, ID, SECRET,
    "Found the Customer ID and the Customer Secret." },
  { "crlf and bom", "\xEF\xBB\xBF" "Customer ID: " ID "\r\nCustomer Secret: " SECRET "\r\n", -1,
    ID, SECRET, "Found the Customer ID and the Customer Secret." },
  { "snake case", "customer_id=" ID "\ncustomer_secret=" SECRET, -1, ID, SECRET, "Found" },
  { "upper case, spaces", "CUSTOMER ID = " ID "\nCUSTOMER SECRET = " SECRET, -1, ID, SECRET,
    "Found" },
  { "key and secret", "Key: " ID "\nSecret: " SECRET "\n", -1, ID, SECRET, "Found" },
  { "quoted values", "customer_id = \"" ID "\"\nsecret = '" SECRET "'\n", -1, ID, SECRET,
    "Found" },
  { "shell exports", "export CUSTOMER_ID=\"" ID "\"\nexport CUSTOMER_SECRET=\"" SECRET "\"\n",
    -1, ID, SECRET, "Found" },
  { "tabs", "Customer ID\t" ID "\nCustomer Secret\t\t" SECRET "\n", -1, ID, SECRET, "Found" },
  { "json-ish lines", "{\n  \"customer_id\": \"" ID "\",\n  \"customer_secret\": \"" SECRET
    "\"\n}\n", -1, ID, SECRET, "Found" },
  { "blank lines and comments", "\n# downloaded from Agora Console\n\nCustomer ID: " ID
    "\n\n\nCustomer Secret: " SECRET "\n\n", -1, ID, SECRET, "Found" },
  { "bare two lines", ID "\n" SECRET "\n", -1, ID, SECRET, "Found" },
  { "bare pair", ID ":" SECRET "\n", -1, ID, SECRET, "Found" },
  { "csv", "Customer ID,Customer Secret\n" ID "," SECRET "\n", -1, ID, SECRET, "Found" },
  { "csv quoted, reversed", "\"customer_secret\",\"customer_id\"\r\n\"" SECRET "\",\"" ID
    "\"\r\n", -1, ID, SECRET, "Found" },
  { "secret only", "Customer Secret: " SECRET "\n", -1, NULL, NULL,
    "Found a Customer Secret but no Customer ID" },
  { "id only", "Customer ID: " ID "\n", -1, NULL, NULL,
    "Found a Customer ID but no Customer Secret" },
  { "empty secret value", "Customer ID: " ID "\nCustomer Secret:   \n", -1, NULL, NULL,
    "Found a Customer ID but no Customer Secret" },
  { "empty file", "", -1, NULL, NULL, "Found neither a Customer ID nor a Customer Secret" },
  { "prose", "This is a shopping list\nwith " SECRET " words in it\nand more\n", -1, NULL,
    NULL, "Found neither" },
  { "space inside the secret", "Customer ID: " ID "\nCustomer Secret: Zq9Secret Xy42Kw7\n", -1,
    NULL, NULL, "Customer Secret in the file has a space" },
  { "binary", "Customer ID: " ID "\0Customer Secret: " SECRET,
    sizeof ("Customer ID: " ID "\0Customer Secret: " SECRET) - 1, NULL, NULL,
    "not UTF-8 text" },
  { "latin-1", "Customer ID: \xe9" ID "\nCustomer Secret: " SECRET, -1, NULL, NULL,
    "not UTF-8 text" },
};

static void
test_variants (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ImportCase *c = &cases[i];
      g_autoptr(AkKeySecretImport) import = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = c->length < 0 ? strlen (c->contents) : (gsize) c->length;
      const char *text;

      g_test_message ("%s", c->name);
      import = ak_key_secret_import_parse (c->contents, length, &error);
      if (c->id != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (import->customer_id, ==, c->id);
          g_assert_cmpstr (import->customer_secret, ==, c->secret);
          text = import->summary;
        }
      else
        {
          g_assert_null (import);
          g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
          text = error->message;
        }

      if (strstr (text, c->message) == NULL)
        g_error ("%s: “%s” does not contain “%s”", c->name, text, c->message);
      /* Never the secret, whole or in part. */
      g_assert_null (strstr (text, SECRET));
      g_assert_null (strstr (text, "Zq9Secret"));
      g_assert_null (strstr (text, "Xy42Kw7"));
    }
}

static void
test_nul_terminated_length (void)
{
  g_autoptr(AkKeySecretImport) import = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = "Customer ID: " ID "\nCustomer Secret: " SECRET;

  import = ak_key_secret_import_parse (text, (gsize) -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (import->customer_secret, ==, SECRET);
}

/* What the API allows for an empty file; fuzz-key-secret-import found NULL + 0 there. */
static void
test_null_empty (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (ak_key_secret_import_parse (NULL, 0, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Found neither"));
}

static void
test_too_large (void)
{
  g_autoptr(GError) error = NULL;
  gsize length = 65 * 1024;
  g_autofree char *big = g_malloc (length);

  memset (big, 'a', length);
  g_assert_null (ak_key_secret_import_parse (big, length, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "larger than"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/import/variants", test_variants);
  g_test_add_func ("/ak/import/nul-terminated-length", test_nul_terminated_length);
  g_test_add_func ("/ak/import/null-empty", test_null_empty);
  g_test_add_func ("/ak/import/too-large", test_too_large);

  return g_test_run ();
}
