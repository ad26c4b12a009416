/* ak-test-secrets.h: every form a secret could take, looked for in texts and files
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the secrets audit (test-secrets-audit.c): the test adds every secret it made or saw
 * and every text a secret must not reach (log lines, outputs, titles…), then searches them
 * and the files under a directory for each secret as text, percent-encoded, JSON-escaped, in
 * base64 at every alignment, and for a hex secret also as raw bytes and their encodings.
 */

#pragma once

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

/* A secret (a name and its value), a text to search (where it is, and the text), or a form
 * of a secret (its description and bytes). */
typedef struct
{
  char *name;
  GBytes *bytes;
  gboolean ignore_case;  /* hex: the same secret in either case */
} AkTestSecretsItem;

typedef struct
{
  GPtrArray *secrets;  /* AkTestSecretsItem: the secrets the test made or saw */
  GPtrArray *texts;    /* AkTestSecretsItem: what to search besides files */
  guint n_findings;
  guint n_files;
} AkTestSecrets;

static inline AkTestSecretsItem *
ak_test_secrets_item_new (const char *name,
                          const void *data,
                          gsize       length,
                          gboolean    ignore_case)
{
  AkTestSecretsItem *item = g_new0 (AkTestSecretsItem, 1);

  item->name = g_strdup (name);
  /* With a NUL after it, so that a secret's value is a string. */
  item->bytes = g_bytes_new_take (g_strndup (data, length), length);
  item->ignore_case = ignore_case;
  return item;
}

static inline void
ak_test_secrets_item_free (gpointer data)
{
  AkTestSecretsItem *item = data;

  g_free (item->name);
  g_bytes_unref (item->bytes);
  g_free (item);
}

static inline void
ak_test_secrets_init (AkTestSecrets *secrets)
{
  secrets->secrets = g_ptr_array_new_with_free_func (ak_test_secrets_item_free);
  secrets->texts = g_ptr_array_new_with_free_func (ak_test_secrets_item_free);
}

/* @text (@length bytes, or up to its NUL when negative), found @where. */
static inline void
ak_test_secrets_add_text (AkTestSecrets *secrets,
                          const char    *where,
                          const char    *text,
                          gssize         length)
{
  g_ptr_array_add (secrets->texts,
                   ak_test_secrets_item_new (where, text,
                                             length < 0 ? strlen (text) : (gsize) length,
                                             FALSE));
}

/* A secret to look for: long enough that a find is no accident. */
static inline void
ak_test_secrets_add_secret (AkTestSecrets *secrets,
                            const char    *name,
                            const char    *value)
{
  g_assert_nonnull (value);
  g_assert_cmpuint (strlen (value), >=, 16);
  g_ptr_array_add (secrets->secrets, ak_test_secrets_item_new (name, value, strlen (value),
                                                               FALSE));
}

static inline void
add_form (GPtrArray  *forms,
          const char *secret_name,
          const char *form_name,
          const void *data,
          gsize       length,
          gboolean    ignore_case)
{
  g_autofree char *description = g_strdup_printf ("%s, %s", secret_name, form_name);
  g_autofree char *lower = ignore_case ? g_ascii_strdown (data, length) : NULL;

  g_ptr_array_add (forms, ak_test_secrets_item_new (description, ignore_case ? lower : data,
                                                    length, ignore_case));
}

/* base64 of @data, and its URL-safe form, as it would appear inside a longer encoded text:
 * for each of the three alignments, the characters that depend on @data alone. */
static inline void
add_base64_forms (GPtrArray    *forms,
                  const char   *secret_name,
                  const char   *what,
                  const guchar *data,
                  gsize         length)
{
  for (gsize offset = 0; offset < 3; offset++)
    {
      gsize n = ((length - offset) / 3) * 3;
      g_autofree char *encoded = NULL;
      g_autofree char *name = NULL;

      if (length < offset + 12)
        continue;
      encoded = g_base64_encode (data + offset, n);
      name = offset == 0 ? g_strdup_printf ("base64 of %s", what)
                         : g_strdup_printf ("base64 of %s from byte %" G_GSIZE_FORMAT, what,
                                            offset);
      add_form (forms, secret_name, name, encoded, strlen (encoded), FALSE);
      if (strpbrk (encoded, "+/") == NULL)
        continue;
      g_strdelimit (encoded, "+", '-');
      g_strdelimit (encoded, "/", '_');
      g_free (name);
      name = offset == 0 ? g_strdup_printf ("URL-safe base64 of %s", what)
                         : g_strdup_printf ("URL-safe base64 of %s from byte %" G_GSIZE_FORMAT,
                                            what, offset);
      add_form (forms, secret_name, name, encoded, strlen (encoded), FALSE);
    }
}

static inline gboolean
is_hex (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* Every form of every secret added so far. */
static inline GPtrArray *
ak_test_secrets_make_forms (AkTestSecrets *secrets)
{
  GPtrArray *forms = g_ptr_array_new_with_free_func (ak_test_secrets_item_free);

  for (guint i = 0; i < secrets->secrets->len; i++)
    {
      AkTestSecretsItem *secret = secrets->secrets->pdata[i];
      const char *name = secret->name;
      const char *value = g_bytes_get_data (secret->bytes, NULL);
      gsize length = strlen (value);
      g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

      add_form (forms, name, "as text", value, length, is_hex (value));
      if (!g_str_equal (escaped, value))
        add_form (forms, name, "percent-encoded", escaped, strlen (escaped), FALSE);
      if (strchr (value, '/') != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (value, "/", -1);
          g_autofree char *json = g_strjoinv ("\\/", parts);

          add_form (forms, name, "JSON-escaped", json, strlen (json), FALSE);
        }
      add_base64_forms (forms, name, "the text", (const guchar *) value, length);

      /* A hex secret is also 16 raw bytes, which could be written, encoded, or dumped. */
      if (is_hex (value) && length % 2 == 0)
        {
          g_autofree guchar *raw = g_malloc (length / 2);
          g_autoptr(GString) hex_of_text = g_string_new (NULL);

          for (gsize j = 0; j < length / 2; j++)
            raw[j] = g_ascii_xdigit_value (value[2 * j]) * 16
                     + g_ascii_xdigit_value (value[2 * j + 1]);
          add_form (forms, name, "raw bytes", raw, length / 2, FALSE);
          add_base64_forms (forms, name, "the raw bytes", raw, length / 2);
          for (gsize j = 0; j < length; j++)
            g_string_append_printf (hex_of_text, "%02x", (guchar) value[j]);
          add_form (forms, name, "hex of the text", hex_of_text->str, hex_of_text->len, TRUE);
        }
    }
  return forms;
}

static inline const void *
find_bytes (const char *haystack,
            gsize       haystack_length,
            GBytes     *needle)
{
  gsize length;
  const char *data = g_bytes_get_data (needle, &length);
  const char *end = haystack + haystack_length;

  for (const char *p = haystack; length > 0 && (gsize) (end - p) >= length; p++)
    {
      p = memchr (p, data[0], end - p - length + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p, data, length) == 0)
        return p;
    }
  return NULL;
}

/* Looks for every one of @forms in @text; reports each find with the start of the form only,
 * never the whole secret. */
static inline void
ak_test_secrets_search (AkTestSecrets *secrets,
                        const char    *where,
                        const char    *text,
                        gsize          length,
                        GPtrArray     *forms)
{
  g_autofree char *lower = g_ascii_strdown (text, length);

  for (guint i = 0; i < forms->len; i++)
    {
      AkTestSecretsItem *form = forms->pdata[i];
      const char *found = find_bytes (form->ignore_case ? lower : text, length, form->bytes);

      if (found != NULL)
        {
          gsize n;
          const guchar *data = g_bytes_get_data (form->bytes, &n);
          g_autofree char *start = g_strndup ((const char *) data, MIN (n, 6));
          g_autofree char *prefix = g_strescape (start, NULL);

          secrets->n_findings++;
          g_test_message ("LEAK: %s (starts \"%s\") found in %s at byte %" G_GSIZE_FORMAT,
                          form->name, prefix, where,
                          (gsize) (found - (form->ignore_case ? lower : text)));
        }
    }
}

/* Looks for @forms in every file under @path, but the keyrings' own (in "keyrings"). */
static inline void
ak_test_secrets_search_tree (AkTestSecrets *secrets,
                             const char    *path,
                             GPtrArray     *forms)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;
      GStatBuf st;

      if (g_lstat (child, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          /* The keyring's own files: encrypted by gnome-keyring, or the file backend's. */
          if (g_str_equal (name, "keyrings"))
            continue;
          ak_test_secrets_search_tree (secrets, child, forms);
        }
      else if (S_ISREG (st.st_mode))
        {
          if (!g_file_get_contents (child, &contents, &length, &error))
            g_error ("Cannot read %s: %s", child, error->message);
          secrets->n_files++;
          g_test_message ("Searching %s (%" G_GSIZE_FORMAT " bytes)", child, length);
          ak_test_secrets_search (secrets, child, contents, length, forms);
        }
    }
}

/* Looks for @forms in every text added. */
static inline void
ak_test_secrets_search_texts (AkTestSecrets *secrets,
                              GPtrArray     *forms)
{
  for (guint i = 0; i < secrets->texts->len; i++)
    {
      AkTestSecretsItem *text = secrets->texts->pdata[i];
      gsize length;
      const char *data = g_bytes_get_data (text->bytes, &length);

      ak_test_secrets_search (secrets, text->name, data, length, forms);
    }
}
