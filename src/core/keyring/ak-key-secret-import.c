/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-credential-private.h"
#include "ak-error.h"
#include "ak-key-secret-import.h"

/* The real file is a few lines; anything far larger is not it. */
#define MAX_IMPORT_LENGTH (64 * 1024)
#define MAX_NAME_LENGTH 48

typedef enum
{
  FIELD_NONE,
  FIELD_ID,
  FIELD_SECRET,
} Field;

/* Names compared with case, spaces and punctuation removed: "Customer ID", "customer_id"
 * and "CUSTOMER-ID" are all "customerid". */
static const char * const id_names[] = {
  "customerid", "customerkey", "id", "key", "apikey", "restfulapikey", "restapikey",
  "clientid", "username", "agoracustomerid", "agoracustomerkey",
};
static const char * const secret_names[] = {
  "customersecret", "secret", "apisecret", "restfulapisecret", "restapisecret",
  "clientsecret", "password", "customercertificate", "agoracustomersecret",
};

typedef struct
{
  /* Views into the caller's working copy, not NUL-terminated. */
  const char *start;
  gsize length;
} Span;

typedef struct
{
  Span id;
  Span secret;
  gboolean id_found;
  gboolean secret_found;
} Found;

static Span
span_trim (Span s)
{
  while (s.length > 0 && (g_ascii_isspace (*s.start)))
    {
      s.start++;
      s.length--;
    }
  while (s.length > 0 && g_ascii_isspace (s.start[s.length - 1]))
    s.length--;
  return s;
}

/* Trailing separators, then one pair of matching quotes, as in "x", 'x' or `x`. */
static Span
span_unquote (Span s)
{
  s = span_trim (s);
  while (s.length > 0 && (s.start[s.length - 1] == ',' || s.start[s.length - 1] == ';'))
    s = span_trim ((Span) { s.start, s.length - 1 });
  if (s.length >= 2 && strchr ("\"'`", s.start[0]) != NULL
      && s.start[s.length - 1] == s.start[0])
    s = span_trim ((Span) { s.start + 1, s.length - 2 });
  return s;
}

static gboolean
span_is_word (Span s)
{
  if (s.length == 0)
    return FALSE;
  for (gsize i = 0; i < s.length; i++)
    if (g_ascii_isspace (s.start[i]))
      return FALSE;
  return TRUE;
}

static Field
field_for_name (Span name)
{
  char folded[MAX_NAME_LENGTH + 1];
  gsize used = 0;

  name = span_unquote (name);
  if (name.length > 7 && g_ascii_strncasecmp (name.start, "export ", 7) == 0)
    name = span_trim ((Span) { name.start + 7, name.length - 7 });

  for (gsize i = 0; i < name.length; i++)
    {
      char c = name.start[i];

      if (!g_ascii_isalnum (c))
        continue;
      if (used == MAX_NAME_LENGTH)
        return FIELD_NONE;
      folded[used++] = g_ascii_tolower (c);
    }
  folded[used] = '\0';

  for (gsize i = 0; i < G_N_ELEMENTS (id_names); i++)
    if (g_str_equal (folded, id_names[i]))
      return FIELD_ID;
  for (gsize i = 0; i < G_N_ELEMENTS (secret_names); i++)
    if (g_str_equal (folded, secret_names[i]))
      return FIELD_SECRET;
  return FIELD_NONE;
}

static void
take_field (Found *found,
            Field  field,
            Span   value)
{
  value = span_unquote (value);
  if (value.length == 0)
    return;

  /* The first occurrence wins: a later "Key" is more likely a note than the ID. */
  if (field == FIELD_ID && !found->id_found)
    {
      found->id = value;
      found->id_found = TRUE;
    }
  else if (field == FIELD_SECRET && !found->secret_found)
    {
      found->secret = value;
      found->secret_found = TRUE;
    }
}

/* "Name: value", "name = value", or "Name<tab or spaces>value". */
static void
parse_pair (Found *found,
            Span   line)
{
  gsize i;

  for (i = 0; i < line.length; i++)
    if (line.start[i] == ':' || line.start[i] == '=')
      {
        Field field = field_for_name ((Span) { line.start, i });

        if (field != FIELD_NONE)
          {
            take_field (found, field, (Span) { line.start + i + 1, line.length - i - 1 });
            return;
          }
        break;
      }

  /* White space: the name may itself have spaces ("Customer Secret  abc"), so split
   * before the last word. */
  for (i = line.length; i > 0; i--)
    if (g_ascii_isspace (line.start[i - 1]))
      {
        Field field = field_for_name ((Span) { line.start, i - 1 });

        if (field != FIELD_NONE)
          take_field (found, field, (Span) { line.start + i, line.length - i });
        return;
      }
}

static gsize
split_cells (Span  line,
             char  delimiter,
             Span *cells,
             gsize max_cells)
{
  gsize n = 0;
  gsize start = 0;

  for (gsize i = 0; i <= line.length && n < max_cells; i++)
    if (i == line.length || line.start[i] == delimiter)
      {
        cells[n++] = (Span) { line.start + start, i - start };
        start = i + 1;
      }
  return n;
}

/* A header row naming the columns, then a row of values. */
static gboolean
parse_table (Found      *found,
             const Span *lines,
             gsize       n_lines)
{
  static const char delimiters[] = ",;\t";
  Span header[16];
  Span row[16];

  if (n_lines < 2)
    return FALSE;

  for (gsize d = 0; d < strlen (delimiters); d++)
    {
      gsize n_header = split_cells (lines[0], delimiters[d], header, G_N_ELEMENTS (header));
      gsize n_row;
      gboolean names_id = FALSE;
      gboolean names_secret = FALSE;

      /* Both columns must be named, or "Customer ID<tab>value" would pass for a header. */
      if (n_header < 2)
        continue;
      for (gsize i = 0; i < n_header; i++)
        {
          Field field = field_for_name (header[i]);
          names_id |= field == FIELD_ID;
          names_secret |= field == FIELD_SECRET;
        }
      if (!names_id || !names_secret)
        continue;

      n_row = split_cells (lines[1], delimiters[d], row, G_N_ELEMENTS (row));
      for (gsize i = 0; i < n_header && i < n_row; i++)
        take_field (found, field_for_name (header[i]), row[i]);
      return found->id_found || found->secret_found;
    }
  return FALSE;
}

/* No names at all: the ID then the secret, on two lines or as "id:secret". */
static void
parse_bare (Found      *found,
            const Span *lines,
            gsize       n_lines)
{
  if (n_lines == 2 && span_is_word (span_unquote (lines[0]))
      && span_is_word (span_unquote (lines[1])))
    {
      take_field (found, FIELD_ID, lines[0]);
      take_field (found, FIELD_SECRET, lines[1]);
    }
  else if (n_lines == 1 && span_is_word (lines[0]))
    {
      const char *start = lines[0].start;
      const char *end = start + lines[0].length;
      const char *colon = memchr (start, ':', lines[0].length);

      if (colon != NULL && colon > start && colon < end - 1
          && memchr (colon + 1, ':', (gsize) (end - colon - 1)) == NULL)
        {
          take_field (found, FIELD_ID, (Span) { start, (gsize) (colon - start) });
          take_field (found, FIELD_SECRET, (Span) { colon + 1, (gsize) (end - colon - 1) });
        }
    }
}

static gboolean
value_is_printable (Span value)
{
  g_autofree char *text = g_strndup (value.start, value.length);
  gboolean ok = g_utf8_validate (text, -1, NULL);

  for (const char *p = text; ok && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      ok = !g_unichar_isspace (c) && g_unichar_isgraph (c);
    }
  ak_secret_wipe (text, value.length);
  return ok;
}

static AkKeySecretImport *
parse_text (char    *text,
            gsize    length,
            GError **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (Span));
  Found found = { 0 };
  AkKeySecretImport *import;
  gsize start = 0;

  for (gsize i = 0; i <= length; i++)
    if (i == length || text[i] == '\n' || text[i] == '\r')
      {
        Span line = span_trim ((Span) { text + start, i - start });

        if (line.length > 0 && line.start[0] != '#')
          g_array_append_val (lines, line);
        start = i + 1;
      }

  if (!parse_table (&found, (Span *) lines->data, lines->len))
    for (guint i = 0; i < lines->len; i++)
      parse_pair (&found, g_array_index (lines, Span, i));
  if (!found.id_found && !found.secret_found)
    parse_bare (&found, (Span *) lines->data, lines->len);

  if (!found.id_found || !found.secret_found)
    {
      if (found.id_found)
        g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                             _("Found a Customer ID but no Customer Secret: the file should "
                               "also have a line such as “Customer Secret: …”. Agora Console "
                               "shows a secret only once; if it is lost, add a new one there."));
      else if (found.secret_found)
        g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                             _("Found a Customer Secret but no Customer ID: the file should "
                               "also have a line such as “Customer ID: …”."));
      else
        g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                             _("Found neither a Customer ID nor a Customer Secret: the file "
                               "should have lines such as “Customer ID: …” and “Customer "
                               "Secret: …”, like the key_and_secret.txt file that Agora "
                               "Console downloads."));
      return NULL;
    }

  if (!value_is_printable (found.id))
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The Customer ID in the file has a space or an invisible "
                             "character in it; check that the file is the one Agora Console "
                             "downloaded."));
      return NULL;
    }
  if (!value_is_printable (found.secret))
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The Customer Secret in the file has a space or an invisible "
                             "character in it; check that the file is the one Agora Console "
                             "downloaded."));
      return NULL;
    }

  import = g_new0 (AkKeySecretImport, 1);
  import->customer_id = g_strndup (found.id.start, found.id.length);
  import->customer_secret = g_strndup (found.secret.start, found.secret.length);
  import->summary = g_strdup (_("Found the Customer ID and the Customer Secret."));
  return import;
}

/**
 * ak_key_secret_import_parse:
 * @contents: the file's bytes
 * @length: their length, or -1 (as a gsize) when NUL-terminated
 *
 * Returns: (transfer full): what was found, or %NULL with a sentence saying what was
 *   missing; neither ever quotes the file, which holds a secret.
 */
AkKeySecretImport *
ak_key_secret_import_parse (const char  *contents,
                            gsize        length,
                            GError     **error)
{
  AkKeySecretImport *import;
  char *text;
  gsize offset = 0;

  g_return_val_if_fail (contents != NULL || length == 0, NULL);

  /* An empty file may come as NULL, and even NULL + 0 is undefined behaviour. */
  if (contents == NULL)
    contents = "";
  if (length == (gsize) -1)
    length = strlen (contents);

  if (length > MAX_IMPORT_LENGTH)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The file is larger than %d KiB; a key_and_secret.txt file is a few "
                     "lines."), MAX_IMPORT_LENGTH / 1024);
      return NULL;
    }
  if (length >= 3 && memcmp (contents, "\xEF\xBB\xBF", 3) == 0)
    offset = 3;
  if (memchr (contents + offset, '\0', length - offset) != NULL
      || !g_utf8_validate_len (contents + offset, length - offset, NULL))
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The file is not UTF-8 text; open it in a text editor and save "
                             "it as UTF-8, or type the Customer ID and Secret instead."));
      return NULL;
    }

  /* One working copy, wiped afterwards, rather than a copy per line. */
  text = g_malloc (length - offset + 1);
  memcpy (text, contents + offset, length - offset);
  text[length - offset] = '\0';
  import = parse_text (text, length - offset, error);
  ak_secret_wipe (text, length - offset + 1);
  g_free (text);
  return import;
}

void
ak_key_secret_import_free (AkKeySecretImport *import)
{
  if (import == NULL)
    return;
  g_free (import->customer_id);
  ak_secret_string_free (import->customer_secret);
  g_free (import->summary);
  g_free (import);
}
