/* ak-test-keyring-file.h: a libsecret file keyring with many items, written directly
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ak-credential-private.h"
#include "ak-test-store.h"

/*
 * A keyring file with many items, written directly in libsecret's file format (libsecret
 * itself rewrites the whole file on every store, which makes 1,000 stores take minutes):
 * "GnomeKeyring\n\r\0\n", version 1.0, then a GVariant (salt, PBKDF2 iterations, time,
 * usage, items); each item is its attributes' HMACs and an AES-128-CBC blob of
 * (attributes, label, created, modified, secret), followed by the IV and an HMAC of both.
 */
#define KEYRING_ITERATIONS 100000

static inline GBytes *
hmac_sha256 (const guint8 *key,
             gsize         key_length,
             const void   *data,
             gsize         length)
{
  guint8 mac[32];
  unsigned int mac_length = sizeof mac;

  g_assert_nonnull (HMAC (EVP_sha256 (), key, (int) key_length, data, length, mac,
                          &mac_length));
  g_assert_cmpuint (mac_length, ==, 32);
  return g_bytes_new (mac, sizeof mac);
}

static inline GVariant *
bytes_variant (GBytes *bytes)
{
  gsize length;
  gconstpointer data = g_bytes_get_data (bytes, &length);

  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, length, 1);
}

static inline GVariant *
encrypt_item (const guint8 *key,
              GHashTable   *attributes,
              const char   *label,
              const char   *secret)
{
  GVariantBuilder hashed;
  GVariantBuilder plain;
  g_autoptr(GVariant) item = NULL;
  g_autofree guint8 *blob = NULL;
  g_autoptr(GBytes) mac = NULL;
  GHashTableIter iter;
  gpointer name;
  gpointer value;
  guint64 now = (guint64) (g_get_real_time () / G_USEC_PER_SEC);
  guint8 iv[16];
  EVP_CIPHER_CTX *cipher;
  gsize length;
  int out = 0;
  int final = 0;

  g_variant_builder_init (&hashed, G_VARIANT_TYPE ("a{say}"));
  g_variant_builder_init (&plain, G_VARIANT_TYPE ("a{ss}"));
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      g_autoptr(GBytes) hash = hmac_sha256 (key, 16, value, strlen (value));

      g_variant_builder_add (&hashed, "{s@ay}", name, bytes_variant (hash));
      g_variant_builder_add (&plain, "{ss}", name, value);
    }

  item = g_variant_ref_sink (g_variant_new ("(@a{ss}stt@ay)", g_variant_builder_end (&plain),
                                            label, now, now,
                                            g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                       secret, strlen (secret),
                                                                       1)));
  length = g_variant_get_size (item);
  blob = g_malloc (length + 16 + 16 + 32);
  g_assert_cmpint (RAND_bytes (iv, sizeof iv), ==, 1);

  cipher = EVP_CIPHER_CTX_new ();
  g_assert_cmpint (EVP_EncryptInit_ex (cipher, EVP_aes_128_cbc (), NULL, key, iv), ==, 1);
  g_assert_cmpint (EVP_EncryptUpdate (cipher, blob, &out, g_variant_get_data (item),
                                      (int) length), ==, 1);
  g_assert_cmpint (EVP_EncryptFinal_ex (cipher, blob + out, &final), ==, 1);
  EVP_CIPHER_CTX_free (cipher);

  length = (gsize) (out + final);
  memcpy (blob + length, iv, sizeof iv);
  length += sizeof iv;
  mac = hmac_sha256 (key, 16, blob, length);
  memcpy (blob + length, g_bytes_get_data (mac, NULL), 32);
  length += 32;

  return g_variant_new ("(@a{say}@ay)", g_variant_builder_end (&hashed),
                        g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, blob, length, 1));
}

static inline void
ak_test_write_keyring_file (const char *path,
                            const char *password,
                            const char *schema,
                            const char *app_id,
                            const char *certificate,
                            guint       n_projects)
{
  static const char header[16] = "GnomeKeyring\n\r\0\n";
  guint8 salt[32];
  guint8 key[16];
  GVariantBuilder items;
  g_autoptr(GVariant) file = NULL;
  g_autoptr(GByteArray) contents = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  const guint8 version[2] = { 1, 0 };

  g_assert_cmpint (RAND_bytes (salt, sizeof salt), ==, 1);
  g_assert_cmpint (PKCS5_PBKDF2_HMAC (password, strlen (password), salt, sizeof salt,
                                      KEYRING_ITERATIONS, EVP_sha256 (), sizeof key, key),
                   ==, 1);

  g_variant_builder_init (&items, G_VARIANT_TYPE ("a(a{say}ay)"));
  for (guint i = 0; i < n_projects; i++)
    {
      g_autofree char *label = g_strdup_printf ("Project %04u", (i * 7919) % n_projects);
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(AkCredential) project = make_project (label, app_id);
      g_autoptr(AkCredentialSecrets) secrets = ak_test_secrets_new (certificate, NULL);
      g_autoptr(GHashTable) attributes = NULL;
      g_autofree char *item_label = NULL;
      const char *content_type;
      char *secret;

      ak_credential_set_id (project, id);
      attributes = ak_credential_to_attributes (project);
      g_hash_table_insert (attributes, (char *) "xdg:schema", g_strdup (schema));
      item_label = ak_credential_dup_item_label (project);
      secret = ak_credential_secrets_encode (secrets, AK_CREDENTIAL_PROJECT, &content_type);
      g_variant_builder_add_value (&items, encrypt_item (key, attributes, item_label, secret));
      ak_secret_string_free (secret);
    }

  file = g_variant_ref_sink (g_variant_new ("(u@ayutu@a(a{say}ay))",
                                            GUINT32_TO_LE (sizeof salt),
                                            g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                       salt, sizeof salt, 1),
                                            GUINT32_TO_LE (KEYRING_ITERATIONS),
                                            GUINT64_TO_LE ((guint64) time (NULL)),
                                            GUINT32_TO_LE (n_projects),
                                            g_variant_builder_end (&items)));
  g_byte_array_append (contents, (const guint8 *) header, sizeof header);
  g_byte_array_append (contents, version, sizeof version);
  g_byte_array_append (contents, g_variant_get_data (file), (guint) g_variant_get_size (file));
  g_assert_true (g_file_set_contents_full (path, (const char *) contents->data, contents->len,
                                           G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error));
  g_assert_no_error (error);
}
