/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <string.h>

#include <glib-object.h>

#include "ak-core.h"
#include "ak-credential.h"
#include "ak-credential-private.h"

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "0123456789abcdef0123456789ABCDEF"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *counts = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (char *) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
notified (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_properties (void)
{
  g_autoptr(AkCredential) credential = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *label = NULL;
  AkCredentialKind kind;

  g_signal_connect (credential, "notify", G_CALLBACK (count_notify), counts);

  /* Unset fields read as "", never NULL, so views can bind them directly. */
  g_assert_cmpstr (ak_credential_get_id (credential), ==, "");
  g_assert_cmpstr (ak_credential_get_label (credential), ==, "");
  g_assert_cmpstr (ak_credential_get_app_id (credential), ==, "");
  g_assert_cmpstr (ak_credential_get_chat_host (credential), ==, "");
  g_assert_false (ak_credential_get_has_secondary (credential));
  g_assert_cmpint (ak_credential_get_kind (credential), ==, AK_CREDENTIAL_PROJECT);

  ak_credential_set_label (credential, "Production");
  ak_credential_set_label (credential, "Production");
  g_assert_cmpuint (notified (counts, "label"), ==, 1);

  g_object_set (credential, "label", "Staging", "app-id", APP_ID, NULL);
  g_assert_cmpuint (notified (counts, "label"), ==, 2);
  g_assert_cmpuint (notified (counts, "app-id"), ==, 1);
  g_object_get (credential, "label", &label, "kind", &kind, NULL);
  g_assert_cmpstr (label, ==, "Staging");
  g_assert_cmpint (kind, ==, AK_CREDENTIAL_PROJECT);

  ak_credential_set_notes (credential, NULL);
  g_assert_cmpuint (notified (counts, "notes"), ==, 0);
  ak_credential_set_notes (credential, "line one\nline two");
  ak_credential_set_notes (credential, NULL);
  g_assert_cmpstr (ak_credential_get_notes (credential), ==, "");
  g_assert_cmpuint (notified (counts, "notes"), ==, 2);

  ak_credential_set_chat_org (credential, "61717166");
  ak_credential_set_chat_app (credential, "demo");
  ak_credential_set_chat_host (credential, "a41.chat.agora.io");
  ak_credential_set_token_server_url (credential, "https://tokens.example.com");
  ak_credential_set_customer_id (credential, "");
  g_assert_cmpuint (notified (counts, "chat-org"), ==, 1);
  g_assert_cmpuint (notified (counts, "chat-app"), ==, 1);
  g_assert_cmpuint (notified (counts, "chat-host"), ==, 1);
  g_assert_cmpuint (notified (counts, "token-server-url"), ==, 1);
  g_assert_cmpuint (notified (counts, "customer-id"), ==, 0);

  /* The store sets these; views only read them. */
  ak_credential_set_id (credential, "abc");
  ak_credential_set_has_secondary (credential, TRUE);
  ak_credential_set_has_secondary (credential, TRUE);
  g_assert_cmpuint (notified (counts, "id"), ==, 1);
  g_assert_cmpuint (notified (counts, "has-secondary"), ==, 1);
}

static void
test_copy (void)
{
  g_autoptr(AkCredential) original = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredential) copy = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

  ak_credential_set_id (original, "id-1");
  ak_credential_set_label (original, "Demo");
  ak_credential_set_app_id (original, APP_ID);
  ak_credential_set_chat_org (original, "org");
  ak_credential_set_notes (original, "notes");
  ak_credential_set_has_secondary (original, TRUE);

  copy = ak_credential_copy (original);
  g_assert_true (copy != original);
  g_assert_cmpstr (ak_credential_get_id (copy), ==, "id-1");
  g_assert_cmpstr (ak_credential_get_label (copy), ==, "Demo");
  g_assert_cmpstr (ak_credential_get_app_id (copy), ==, APP_ID);
  g_assert_cmpstr (ak_credential_get_chat_org (copy), ==, "org");
  g_assert_cmpstr (ak_credential_get_notes (copy), ==, "notes");
  g_assert_true (ak_credential_get_has_secondary (copy));

  /* update_from notifies only what changed, and never touches the id. */
  g_signal_connect (original, "notify", G_CALLBACK (count_notify), counts);
  ak_credential_set_label (copy, "Demo 2");
  ak_credential_set_id (copy, "id-2");
  ak_credential_update_from (original, copy);
  g_assert_cmpstr (ak_credential_get_label (original), ==, "Demo 2");
  g_assert_cmpstr (ak_credential_get_id (original), ==, "id-1");
  g_assert_cmpuint (notified (counts, "label"), ==, 1);
  g_assert_cmpuint (notified (counts, "app-id"), ==, 0);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 1);
}

static void
test_matches (void)
{
  static const struct
  {
    const char *needle;
    gboolean project;
    gboolean customer;
  } cases[] = {
    { NULL, TRUE, TRUE },
    { "", TRUE, TRUE },
    { "  ", TRUE, TRUE },
    { "prod", TRUE, FALSE },
    { "PRODUCTION", TRUE, FALSE },
    { "970ca35", TRUE, FALSE },
    { "chat-org-x", TRUE, FALSE },
    { "myapp", TRUE, FALSE },
    { "billing", FALSE, TRUE },
    { "c0ffee", FALSE, TRUE },
    { " c0FFee ", FALSE, TRUE },
    { "nothing", FALSE, FALSE },
    /* Notes and hosts are not searched: they would make every row match "agora". */
    { "agora.io", FALSE, FALSE },
  };
  g_autoptr(AkCredential) project = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredential) customer = ak_credential_new (AK_CREDENTIAL_CUSTOMER);

  ak_credential_set_label (project, "Production");
  ak_credential_set_app_id (project, APP_ID);
  ak_credential_set_chat_org (project, "chat-org-X");
  ak_credential_set_chat_app (project, "MyApp");
  ak_credential_set_chat_host (project, "a41.chat.agora.io");
  ak_credential_set_label (customer, "Billing account");
  ak_credential_set_customer_id (customer, "C0FFEE12");
  ak_credential_set_notes (customer, "agora.io");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("needle “%s”", cases[i].needle ? cases[i].needle : "(null)");
      g_assert_cmpint (ak_credential_matches (project, cases[i].needle), ==, cases[i].project);
      g_assert_cmpint (ak_credential_matches (customer, cases[i].needle), ==,
                       cases[i].customer);
    }
}

typedef struct
{
  AkCredentialKind kind;
  const char *label, *app_id, *customer_id;
  const char *chat_org, *chat_host, *url;
  const char *message; /* substring; NULL when valid */
} ValidateCase;

static void
test_validate (void)
{
  static const ValidateCase cases[] = {
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, NULL, NULL, NULL, NULL },
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, "61717166", "a41.chat.agora.io",
      "https://tokens.example.com/rtc", NULL },
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, NULL, "https://a41.chat.agora.io/", NULL,
      NULL },
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, NULL, "localhost:8443", NULL, NULL },
    { AK_CREDENTIAL_PROJECT, "", APP_ID, NULL, NULL, NULL, NULL, "The label is empty" },
    { AK_CREDENTIAL_PROJECT, "   ", APP_ID, NULL, NULL, NULL, NULL, "The label is empty" },
    { AK_CREDENTIAL_PROJECT, "two\nlines", APP_ID, NULL, NULL, NULL, NULL, "line break" },
    { AK_CREDENTIAL_PROJECT, "Prod", "", NULL, NULL, NULL, NULL, "The App ID is empty" },
    { AK_CREDENTIAL_PROJECT, "Prod", "970CA35de60c44645bbae8a215061b3", NULL, NULL, NULL, NULL,
      "has 31 characters" },
    { AK_CREDENTIAL_PROJECT, "Prod", "970CA35de60c44645bbae8a215061b3g", NULL, NULL, NULL, NULL,
      "contains “g” at character 32" },
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, "org name", NULL, NULL,
      "cannot contain spaces" },
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, NULL, "a41 chat.agora.io", NULL,
      "Chat REST host" },
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, NULL, "https://a41.chat.agora.io/org/app",
      NULL, "Chat REST host" },
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, NULL, "-bad.example.com", NULL,
      "Chat REST host" },
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, NULL, NULL, "ftp://example.com",
      "token server URL" },
    { AK_CREDENTIAL_PROJECT, "Prod", APP_ID, NULL, NULL, NULL, "tokens.example.com",
      "token server URL" },
    { AK_CREDENTIAL_CUSTOMER, "Billing", NULL, "abc123", NULL, NULL, NULL, NULL },
    { AK_CREDENTIAL_CUSTOMER, "Billing", NULL, "", NULL, NULL, NULL, "The Customer ID is empty" },
    { AK_CREDENTIAL_CUSTOMER, "Billing", NULL, "abc 123", NULL, NULL, NULL,
      "white space at character 4" },
    { AK_CREDENTIAL_CUSTOMER, "Billing", NULL, "abc\x01", NULL, NULL, NULL,
      "invisible or control character at character 4" },
    /* A customer's App ID is not its business. */
    { AK_CREDENTIAL_CUSTOMER, "Billing", "nonsense", "abc", NULL, NULL, NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ValidateCase *c = &cases[i];
      g_autoptr(AkCredential) credential = ak_credential_new (c->kind);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      ak_credential_set_label (credential, c->label);
      ak_credential_set_app_id (credential, c->app_id);
      ak_credential_set_customer_id (credential, c->customer_id);
      ak_credential_set_chat_org (credential, c->chat_org);
      ak_credential_set_chat_host (credential, c->chat_host);
      ak_credential_set_token_server_url (credential, c->url);

      ok = ak_credential_validate (credential, &error);
      if (c->message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
          if (strstr (error->message, c->message) == NULL)
            g_error ("“%s” does not contain “%s”", error->message, c->message);
        }
    }
}

static void
test_validate_same_as_codec (void)
{
  static const char *app_ids[] = { "", "xyz", "970CA35de60c44645bbae8a215061b33ff" };

  for (gsize i = 0; i < G_N_ELEMENTS (app_ids); i++)
    {
      g_autoptr(AkCredential) credential = ak_credential_new (AK_CREDENTIAL_PROJECT);
      g_autoptr(GError) codec_error = NULL;
      g_autoptr(GError) error = NULL;

      ak_credential_set_label (credential, "Demo");
      ak_credential_set_app_id (credential, app_ids[i]);
      g_assert_false (ak_validate_app_id (app_ids[i], &codec_error));
      g_assert_false (ak_credential_validate (credential, &error));
      g_assert_cmpstr (error->message, ==, codec_error->message);
    }
}

static void
test_secrets_validate (void)
{
  g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();
  g_autoptr(GError) codec_error = NULL;
  GError *error = NULL;

  secrets->primary_certificate = g_strdup (CERT_1);
  g_assert_true (ak_credential_secrets_validate (secrets, AK_CREDENTIAL_PROJECT, &error));
  g_assert_no_error (error);

  /* An empty secondary is no secondary. */
  secrets->secondary_certificate = g_strdup ("");
  g_assert_true (ak_credential_secrets_validate (secrets, AK_CREDENTIAL_PROJECT, &error));
  g_assert_false (ak_credential_secrets_has_secondary (secrets));

  g_free (secrets->secondary_certificate);
  secrets->secondary_certificate = g_strdup ("0123");
  g_assert_false (ak_credential_secrets_validate (secrets, AK_CREDENTIAL_PROJECT, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "Secondary certificate: "));
  g_clear_error (&error);

  g_free (secrets->primary_certificate);
  secrets->primary_certificate = g_strdup ("short");
  g_assert_false (ak_validate_app_certificate ("short", &codec_error));
  g_assert_false (ak_credential_secrets_validate (secrets, AK_CREDENTIAL_PROJECT, &error));
  g_assert_cmpstr (error->message, ==, codec_error->message);
  g_clear_error (&error);

  /* Customer secrets: what is wrong and where, never the secret itself. */
  secrets->customer_secret = g_strdup ("s3cr3t-value with-space");
  g_assert_false (ak_credential_secrets_validate (secrets, AK_CREDENTIAL_CUSTOMER, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "character 13"));
  g_assert_null (strstr (error->message, "s3cr3t"));
  g_clear_error (&error);

  g_free (secrets->customer_secret);
  secrets->customer_secret = NULL;
  g_assert_false (ak_credential_secrets_validate (secrets, AK_CREDENTIAL_CUSTOMER, &error));
  g_assert_nonnull (strstr (error->message, "Customer Secret is empty"));
  g_clear_error (&error);

  secrets->customer_secret = g_strdup ("s3cr3t");
  g_assert_true (ak_credential_secrets_validate (secrets, AK_CREDENTIAL_CUSTOMER, &error));
  g_assert_no_error (error);
}

static void
test_secrets_copy_free (void)
{
  g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();
  AkCredentialSecrets *copy;
  AkCredentialSecrets *boxed;
  char buffer[] = "not a secret any more";

  secrets->primary_certificate = g_strdup (CERT_1);
  secrets->secondary_certificate = g_strdup (CERT_2);

  copy = ak_credential_secrets_copy (secrets);
  g_assert_true (copy->primary_certificate != secrets->primary_certificate);
  g_assert_cmpstr (copy->primary_certificate, ==, CERT_1);
  g_assert_cmpstr (copy->secondary_certificate, ==, CERT_2);
  g_assert_null (copy->customer_secret);
  ak_credential_secrets_free (copy);
  /* Freeing a copy leaves the original whole. */
  g_assert_cmpstr (secrets->primary_certificate, ==, CERT_1);

  boxed = g_boxed_copy (AK_TYPE_CREDENTIAL_SECRETS, secrets);
  g_assert_cmpstr (boxed->secondary_certificate, ==, CERT_2);
  g_boxed_free (AK_TYPE_CREDENTIAL_SECRETS, boxed);

  g_assert_null (ak_credential_secrets_copy (NULL));
  ak_credential_secrets_free (NULL);
  ak_secret_string_free (NULL);

  /* The wipe the free functions use. */
  ak_secret_wipe (buffer, sizeof buffer);
  for (gsize i = 0; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 0);
}

static void
test_secrets_encoding (void)
{
  static const struct
  {
    AkCredentialKind kind;
    const char *primary;
    const char *secondary;
    const char *customer;
    const char *expected;
    const char *content_type;
  } cases[] = {
    { AK_CREDENTIAL_PROJECT, CERT_1, NULL, NULL, "{\"primary\": \"" CERT_1 "\"}",
      "application/json" },
    { AK_CREDENTIAL_PROJECT, CERT_1, CERT_2, NULL,
      "{\"primary\": \"" CERT_1 "\", \"secondary\": \"" CERT_2 "\"}", "application/json" },
    { AK_CREDENTIAL_PROJECT, "q\"b\\s\n", NULL, NULL, "{\"primary\": \"q\\\"b\\\\s\\u000a\"}",
      "application/json" },
    { AK_CREDENTIAL_CUSTOMER, NULL, NULL, "s3cr3t", "s3cr3t", "text/plain" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();
      g_autoptr(AkCredentialSecrets) decoded = NULL;
      g_autoptr(GError) error = NULL;
      const char *content_type = NULL;
      char *encoded;

      secrets->primary_certificate = g_strdup (cases[i].primary);
      secrets->secondary_certificate = g_strdup (cases[i].secondary);
      secrets->customer_secret = g_strdup (cases[i].customer);

      encoded = ak_credential_secrets_encode (secrets, cases[i].kind, &content_type);
      g_assert_cmpstr (encoded, ==, cases[i].expected);
      g_assert_cmpstr (content_type, ==, cases[i].content_type);

      decoded = ak_credential_secrets_decode (encoded, strlen (encoded), cases[i].kind, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (decoded->primary_certificate, ==, cases[i].primary);
      g_assert_cmpstr (decoded->secondary_certificate, ==, cases[i].secondary);
      g_assert_cmpstr (decoded->customer_secret, ==, cases[i].customer);
      ak_secret_string_free (encoded);
    }
}

static void
test_secrets_decode_tolerant (void)
{
  static const struct
  {
    const char *stored;
    const char *primary;
    const char *secondary;
  } good[] = {
    { " { \"secondary\" : \"" CERT_2 "\" ,\n \"primary\":\"" CERT_1 "\", \"other\": \"x\" } ",
      CERT_1, CERT_2 },
    { "{\"primary\": \"" CERT_1 "\", \"secondary\": \"\"}", CERT_1, NULL },
    /* A bare certificate, as another tool may have stored it. */
    { CERT_1 "\n", CERT_1, NULL },
  };
  static const char *bad[] = {
    "{\"secondary\": \"" CERT_2 "\"}",
    "{\"primary\": \"" CERT_1 "\"",
    "{\"primary\" \"" CERT_1 "\"}",
    "{\"primary\": \"\\u00e9\"}",
    "{\"primary\": 42}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(AkCredentialSecrets) secrets = NULL;
      g_autoptr(GError) error = NULL;

      secrets = ak_credential_secrets_decode (good[i].stored, strlen (good[i].stored),
                                              AK_CREDENTIAL_PROJECT, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (secrets->primary_certificate, ==, good[i].primary);
      g_assert_cmpstr (secrets->secondary_certificate, ==, good[i].secondary);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("bad value %" G_GSIZE_FORMAT, i);
      g_assert_null (ak_credential_secrets_decode (bad[i], strlen (bad[i]),
                                                   AK_CREDENTIAL_PROJECT, &error));
      g_assert_error (error, AK_ERROR, AK_ERROR_FAILED);
      g_assert_null (strstr (error->message, CERT_2));
    }
}

static void
test_attributes (void)
{
  g_autoptr(AkCredential) project = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredential) customer = ak_credential_new (AK_CREDENTIAL_CUSTOMER);
  g_autoptr(AkCredential) back = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *item_label = NULL;

  ak_credential_set_id (project, "0d3f");
  ak_credential_set_label (project, "  Demo ");
  ak_credential_set_app_id (project, APP_ID);
  ak_credential_set_customer_id (project, "leftover");
  ak_credential_set_chat_host (project, "a41.chat.agora.io");
  ak_credential_set_has_secondary (project, TRUE);

  attributes = ak_credential_to_attributes (project);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, AK_CREDENTIAL_N_ATTRIBUTES);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, "project");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "label"), ==, "Demo");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "customer-id"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "has-secondary"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "chat-host"), ==, "a41.chat.agora.io");

  back = ak_credential_new_from_attributes (attributes);
  g_assert_cmpint (ak_credential_get_kind (back), ==, AK_CREDENTIAL_PROJECT);
  g_assert_cmpstr (ak_credential_get_id (back), ==, "0d3f");
  g_assert_cmpstr (ak_credential_get_label (back), ==, "Demo");
  g_assert_cmpstr (ak_credential_get_app_id (back), ==, APP_ID);
  g_assert_true (ak_credential_get_has_secondary (back));

  item_label = ak_credential_dup_item_label (project);
  g_assert_cmpstr (item_label, ==, "Agora project “Demo”");
  g_clear_pointer (&item_label, g_free);

  ak_credential_set_label (customer, "Billing");
  item_label = ak_credential_dup_item_label (customer);
  g_assert_cmpstr (item_label, ==, "Agora customer credential “Billing”");

  /* Items of other programs, or damaged ones, are not credentials. */
  g_hash_table_insert (attributes, (char *) "kind", g_strdup ("password"));
  g_assert_null (ak_credential_new_from_attributes (attributes));
  g_hash_table_insert (attributes, (char *) "kind", g_strdup ("customer"));
  g_hash_table_insert (attributes, (char *) "id", g_strdup (""));
  g_assert_null (ak_credential_new_from_attributes (attributes));
}

static void
test_sort_and_labels (void)
{
  g_autoptr(AkCredential) a = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredential) b = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredential) c = ak_credential_new (AK_CREDENTIAL_CUSTOMER);

  ak_credential_set_label (a, "alpha");
  ak_credential_set_label (b, "Beta");
  ak_credential_set_label (c, "Aardvark");
  /* Projects first, then case-insensitive label order. */
  g_assert_cmpint (ak_credential_compare (a, b, NULL), <, 0);
  g_assert_cmpint (ak_credential_compare (b, c, NULL), <, 0);
  g_assert_cmpint (ak_credential_compare (c, a, NULL), >, 0);

  g_assert_true (ak_credential_labels_equal ("Demo", " demo "));
  g_assert_true (ak_credential_labels_equal ("ÉTÉ", "été"));
  g_assert_false (ak_credential_labels_equal ("Demo", "Demo 2"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/credential/properties", test_properties);
  g_test_add_func ("/ak/credential/copy", test_copy);
  g_test_add_func ("/ak/credential/matches", test_matches);
  g_test_add_func ("/ak/credential/validate", test_validate);
  g_test_add_func ("/ak/credential/validate-same-as-codec", test_validate_same_as_codec);
  g_test_add_func ("/ak/credential/secrets-validate", test_secrets_validate);
  g_test_add_func ("/ak/credential/secrets-copy-free", test_secrets_copy_free);
  g_test_add_func ("/ak/credential/secrets-encoding", test_secrets_encoding);
  g_test_add_func ("/ak/credential/secrets-decode-tolerant", test_secrets_decode_tolerant);
  g_test_add_func ("/ak/credential/attributes", test_attributes);
  g_test_add_func ("/ak/credential/sort-and-labels", test_sort_and_labels);

  return g_test_run ();
}
