/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-credential-private.h"
#include "ak-error.h"
#include "ak-secret.h"
#include "ak-token.h"

/* ---------------------------------------------------------------------------------------------
 * AkCredentialSecrets
 */

G_DEFINE_BOXED_TYPE (AkCredentialSecrets, ak_credential_secrets,
                     ak_credential_secrets_copy, ak_credential_secrets_free)

AkCredentialSecrets *
ak_credential_secrets_new (void)
{
  return g_new0 (AkCredentialSecrets, 1);
}

AkCredentialSecrets *
ak_credential_secrets_copy (const AkCredentialSecrets *secrets)
{
  AkCredentialSecrets *copy;

  if (secrets == NULL)
    return NULL;

  copy = ak_credential_secrets_new ();
  copy->primary_certificate = g_strdup (secrets->primary_certificate);
  copy->secondary_certificate = g_strdup (secrets->secondary_certificate);
  copy->customer_secret = g_strdup (secrets->customer_secret);
  return copy;
}

void
ak_credential_secrets_free (AkCredentialSecrets *secrets)
{
  if (secrets == NULL)
    return;

  ak_secret_string_free (secrets->primary_certificate);
  ak_secret_string_free (secrets->secondary_certificate);
  ak_secret_string_free (secrets->customer_secret);
  ak_secret_wipe (secrets, sizeof *secrets);
  g_free (secrets);
}

gboolean
ak_credential_secrets_has_secondary (const AkCredentialSecrets *secrets)
{
  return secrets != NULL && secrets->secondary_certificate != NULL
         && *secrets->secondary_certificate != '\0';
}

gboolean
ak_credential_secrets_validate (const AkCredentialSecrets *secrets,
                                AkCredentialKind           kind,
                                GError                   **error)
{
  g_return_val_if_fail (secrets != NULL, FALSE);

  if (kind == AK_CREDENTIAL_CUSTOMER)
    return ak_credential_validate_word (secrets->customer_secret, _("Customer Secret"),
                                        _("it was shown once when the Customer ID was made in "
                                          "Agora Console, and is in the key_and_secret.txt file it "
                                          "downloaded."),
                                        error);

  if (!ak_validate_app_certificate (secrets->primary_certificate, error))
    return FALSE;
  if (ak_credential_secrets_has_secondary (secrets)
      && !ak_validate_app_certificate (secrets->secondary_certificate, error))
    {
      g_prefix_error (error, _("Secondary certificate: "));
      return FALSE;
    }
  return TRUE;
}

/* The project value is {"primary": "…", "secondary": "…"}. It is written and read here, not
 * with json-glib, so that no copy of a certificate is left in memory that is not wiped. */
static gsize
json_string_length (const char *text)
{
  gsize length = 2;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    length += (*p == '"' || *p == '\\') ? 2 : (*p < 0x20 ? 6 : 1);
  return length;
}

static char *
append_json_string (char       *out,
                    const char *text)
{
  static const char hex[] = "0123456789abcdef";

  *out++ = '"';
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          *out++ = '\\';
          *out++ = (char) *p;
        }
      else if (*p < 0x20)
        {
          memcpy (out, "\\u00", 4);
          out[4] = hex[*p >> 4];
          out[5] = hex[*p & 0xf];
          out += 6;
        }
      else
        *out++ = (char) *p;
    }
  *out++ = '"';
  return out;
}

char *
ak_credential_secrets_encode (const AkCredentialSecrets *secrets,
                              AkCredentialKind           kind,
                              const char               **content_type)
{
  static const char primary_key[] = "{\"primary\": ";
  static const char secondary_key[] = ", \"secondary\": ";
  gboolean secondary = ak_credential_secrets_has_secondary (secrets);
  gsize length;
  char *buffer;
  char *out;

  if (kind == AK_CREDENTIAL_CUSTOMER)
    {
      *content_type = "text/plain";
      return g_strdup (secrets->customer_secret != NULL ? secrets->customer_secret : "");
    }

  *content_type = "application/json";
  length = strlen (primary_key)
           + json_string_length (secrets->primary_certificate != NULL
                                   ? secrets->primary_certificate : "")
           + 1;
  if (secondary)
    length += strlen (secondary_key) + json_string_length (secrets->secondary_certificate);

  buffer = g_malloc (length + 1);
  out = buffer;
  memcpy (out, primary_key, strlen (primary_key));
  out += strlen (primary_key);
  out = append_json_string (out, secrets->primary_certificate != NULL
                                   ? secrets->primary_certificate : "");
  if (secondary)
    {
      memcpy (out, secondary_key, strlen (secondary_key));
      out += strlen (secondary_key);
      out = append_json_string (out, secrets->secondary_certificate);
    }
  *out++ = '}';
  *out = '\0';
  g_assert ((gsize) (out - buffer) == length);
  return buffer;
}

typedef struct
{
  const char *p;
  const char *end;
} Scanner;

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && g_ascii_isspace (*s->p))
    s->p++;
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

/* Reads a JSON string into a new buffer (wiped by the caller); ASCII \u escapes only. */
static char *
scan_string (Scanner *s)
{
  const char *start;
  char *out;
  char *q;

  skip_space (s);
  if (s->p >= s->end || *s->p != '"')
    return NULL;
  start = ++s->p;
  while (s->p < s->end && *s->p != '"')
    s->p += (*s->p == '\\' && s->p + 1 < s->end) ? 2 : 1;
  if (s->p >= s->end)
    return NULL;

  out = g_malloc ((gsize) (s->p - start) + 1);
  q = out;
  for (const char *p = start; p < s->p; p++)
    {
      if (*p != '\\')
        {
          *q++ = *p;
          continue;
        }
      p++;
      switch (*p)
        {
        case '"': case '\\': case '/': *q++ = *p; break;
        case 'n': *q++ = '\n'; break;
        case 't': *q++ = '\t'; break;
        case 'r': *q++ = '\r'; break;
        case 'b': *q++ = '\b'; break;
        case 'f': *q++ = '\f'; break;
        case 'u':
          {
            int value = 0;

            if (s->p - p < 5)
              goto bad;
            for (int i = 1; i <= 4; i++)
              {
                int digit = hex_value (p[i]);
                if (digit < 0)
                  goto bad;
                value = value * 16 + digit;
              }
            if (value == 0 || value > 0x7f)
              goto bad;
            *q++ = (char) value;
            p += 4;
          }
          break;
        default:
          goto bad;
        }
    }
  *q = '\0';
  s->p++;
  return out;

bad:
  ak_secret_wipe (out, (gsize) (s->p - start) + 1);
  g_free (out);
  return NULL;
}

static gboolean
decode_project (const char          *data,
                gsize                length,
                AkCredentialSecrets *secrets)
{
  Scanner s = { data, data + length };

  skip_space (&s);
  if (s.p >= s.end || *s.p != '{')
    {
      /* A bare certificate, as another tool might store it. */
      secrets->primary_certificate = g_strndup (data, length);
      g_strstrip (secrets->primary_certificate);
      return TRUE;
    }
  s.p++;

  for (;;)
    {
      g_autofree char *key = NULL;
      char *value;

      skip_space (&s);
      if (s.p < s.end && *s.p == '}')
        break;
      key = scan_string (&s);
      skip_space (&s);
      if (key == NULL || s.p >= s.end || *s.p != ':')
        return FALSE;
      s.p++;
      value = scan_string (&s);
      if (value == NULL)
        return FALSE;

      if (g_str_equal (key, "primary"))
        {
          ak_secret_string_free (secrets->primary_certificate);
          secrets->primary_certificate = value;
        }
      else if (g_str_equal (key, "secondary"))
        {
          ak_secret_string_free (secrets->secondary_certificate);
          secrets->secondary_certificate = value;
        }
      else
        ak_secret_string_free (value);

      skip_space (&s);
      if (s.p < s.end && *s.p == ',')
        s.p++;
      else if (s.p >= s.end || *s.p != '}')
        return FALSE;
    }

  return secrets->primary_certificate != NULL;
}

AkCredentialSecrets *
ak_credential_secrets_decode (const char       *data,
                              gsize             length,
                              AkCredentialKind  kind,
                              GError          **error)
{
  g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();

  if (data == NULL || memchr (data, '\0', length) != NULL)
    goto bad;

  if (kind == AK_CREDENTIAL_CUSTOMER)
    {
      secrets->customer_secret = g_strndup (data, length);
      return g_steal_pointer (&secrets);
    }

  if (decode_project (data, length, secrets))
    {
      if (secrets->secondary_certificate != NULL && *secrets->secondary_certificate == '\0')
        g_clear_pointer (&secrets->secondary_certificate, ak_secret_string_free);
      return g_steal_pointer (&secrets);
    }

bad:
  g_set_error_literal (error, AK_ERROR, AK_ERROR_FAILED,
                       _("The certificates stored in the keyring for this project cannot be "
                         "read; the keyring item may have been changed by another program. "
                         "Edit the project and enter its certificates again."));
  return NULL;
}
