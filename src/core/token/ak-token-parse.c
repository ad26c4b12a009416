/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-token-private.h"

/* ---------------------------------------------------------------------------------------------
 * Parsing
 */

static gboolean
read_privileges (AkReader   *reader,
                 GArray     *privileges,
                 GError    **error)
{
  guint16 count;

  if (!ak_reader_u16 (reader, "privilege count", &count, error))
    return FALSE;

  for (guint i = 0; i < count; i++)
    {
      AkPrivilege p;

      if (!ak_reader_u16 (reader, "privilege id", &p.id, error)
          || !ak_reader_u32 (reader, "privilege value", &p.value, error))
        return FALSE;
      g_array_append_val (privileges, p);
    }
  return TRUE;
}

#define RESOURCE_STRINGS_BLOCK 4096

/* A resource name, copied into the service's string chunk: a token can hold half a million
 * of them, and one allocation each would cost more than everything else in parsing. */
static gboolean
read_resource (AkReader   *reader,
               AkService  *service,
               char      **resource,
               GError    **error)
{
  const guint8 *data;
  gsize len;

  if (!ak_reader_string (reader, "permission resource", &data, &len, error))
    return FALSE;

  if (service->resource_strings == NULL)
    service->resource_strings = g_string_chunk_new (RESOURCE_STRINGS_BLOCK);

  /* As ak_reader_text(): names are shown and put in JSON, so make them valid UTF-8. */
  if (g_utf8_validate_len ((const char *) data, len, NULL))
    {
      *resource = g_string_chunk_insert_len (service->resource_strings, (const char *) data,
                                             (gssize) len);
    }
  else
    {
      g_autofree char *valid = g_utf8_make_valid ((const char *) data, (gssize) len);

      *resource = g_string_chunk_insert (service->resource_strings, valid);
    }
  return TRUE;
}

/* Exactly as written: blocks and entries in wire order, repeats and empty ones kept, each
 * entry appended in constant time, so a megabyte of permissions parses in linear time. */
static gboolean
read_permissions (AkReader  *reader,
                  AkService *service,
                  GError   **error)
{
  guint16 n_resource_types;

  if (!ak_reader_u16 (reader, "permission resource type count", &n_resource_types, error))
    return FALSE;

  for (guint i = 0; i < n_resource_types; i++)
    {
      guint16 resource_type;
      guint16 n_permissions;

      if (!ak_reader_u16 (reader, "permission resource type", &resource_type, error)
          || !ak_reader_u16 (reader, "permission count", &n_permissions, error))
        return FALSE;

      ak_service_append_permission_block (service, resource_type);
      for (guint j = 0; j < n_permissions; j++)
        {
          AkRtmPermission *entry;
          guint16 permission_type;
          guint16 n_resources;

          if (!ak_reader_u16 (reader, "permission type", &permission_type, error)
              || !ak_reader_u16 (reader, "permission resource count", &n_resources, error))
            return FALSE;

          /* Each resource takes at least its 2-byte length: a count the bytes left cannot
           * hold fails below, without a large allocation first. */
          entry = ak_service_append_entry (service, permission_type,
                                           MIN (n_resources, ak_reader_remaining (reader) / 2),
                                           NULL);
          for (guint k = 0; k < n_resources; k++)
            {
              char *resource = NULL;

              if (!read_resource (reader, service, &resource, error))
                return FALSE;
              g_ptr_array_add (entry->resources, resource);
            }
        }
    }
  return TRUE;
}

static gboolean
read_service_fields (AkReader  *reader,
                     AkService *service,
                     GError   **error)
{
  switch (service->type)
    {
    case AK_SERVICE_RTC:
      return ak_reader_text (reader, "channel_name", &service->channel_name, error)
             && ak_reader_text (reader, "uid", &service->uid, error);
    case AK_SERVICE_STREAMING:
    case AK_SERVICE_FCDN:
      return ak_reader_text (reader, "channel_name", &service->channel_name, error)
             && ak_reader_text (reader, "account", &service->uid, error);
    case AK_SERVICE_RTM:
    case AK_SERVICE_CHAT:
      return ak_reader_text (reader, "user_id", &service->user_id, error);
    case AK_SERVICE_FPA:
    case AK_SERVICE_CONVOAI:
    case AK_SERVICE_STT:
      return TRUE;
    case AK_SERVICE_APAAS:
      return ak_reader_text (reader, "room_uuid", &service->room_uuid, error)
             && ak_reader_text (reader, "user_uuid", &service->user_uuid, error)
             && ak_reader_i16 (reader, "role", &service->role, error);
    case AK_SERVICE_RTM2:
      return ak_reader_text (reader, "user_id", &service->user_id, error)
             && read_permissions (reader, service, error);
    default:
      g_assert_not_reached ();
    }
}

/**
 * ak_token_strip_text:
 * @start_offset: (out): byte offset where the token begins in @text
 * @end_offset: (out): byte offset just past its end
 *
 * The bounds ak_token_parse() reads between: surrounding white space and one pair of
 * quotes are left out. Exposed so that offsets into the text agree with the parser's.
 */
void
ak_token_strip_text (const char *text,
                     gsize      *start_offset,
                     gsize      *end_offset)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  /* Tokens copied out of JSON or code often keep their quotes. */
  if (end - start >= 2 && ((*start == '"' && end[-1] == '"') || (*start == '\'' && end[-1] == '\'')))
    {
      start++;
      end--;
    }
  *start_offset = (gsize) (start - text);
  *end_offset = (gsize) (end - text);
}

static gboolean
check_signature_field (const guint8 *data,
                       gsize         len,
                       guint8        signature[AK_SIGNATURE_LENGTH],
                       GError      **error)
{
  if (len != AK_SIGNATURE_LENGTH)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_BAD_FIELD,
                   _("The signature field at byte 0 is %zu bytes long; an "
                     "HMAC-SHA256 signature is 32 bytes."),
                   len);
      return FALSE;
    }
  memcpy (signature, data, AK_SIGNATURE_LENGTH);
  return TRUE;
}

static gboolean
parse_007 (AkToken    *token,
           const char *body,
           gssize     *error_position,
           GError    **error)
{
  g_autoptr(GBytes) compressed = NULL;
  const guint8 *data;
  gsize len;
  AkReader reader;
  const guint8 *signature;
  gsize signature_len;
  guint16 count;

  compressed = ak_base64_decode (body, 3, error_position, error);
  if (compressed == NULL)
    return FALSE;

  data = g_bytes_get_data (compressed, &len);
  token->compressed_len = len;
  memcpy (token->zlib_header, data, MIN (len, 2));

  token->content = ak_inflate (data, len, error);
  if (token->content == NULL)
    return FALSE;

  data = g_bytes_get_data (token->content, &len);
  ak_reader_init (&reader, data, len, NULL);

  if (!ak_reader_string (&reader, "signature", &signature, &signature_len, error)
      || !check_signature_field (signature, signature_len, token->signature, error))
    return FALSE;

  if (!ak_reader_text (&reader, "app_id", &token->app_id, error)
      || !ak_reader_u32 (&reader, "issue_ts", &token->issue_ts, error)
      || !ak_reader_u32 (&reader, "expire", &token->expire, error)
      || !ak_reader_u32 (&reader, "salt", &token->salt, error)
      || !ak_reader_u16 (&reader, "service count", &count, error))
    return FALSE;

  token->service_count_field = count;
  token->services = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_service_free);

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(AkService) service = NULL;
      g_autofree char *context = NULL;
      guint16 type;

      context = g_strdup_printf (_(" of service %u"), i + 1);
      reader.context = context;
      if (!ak_reader_u16 (&reader, "service type", &type, error))
        return FALSE;

      /* Like the official parsers: an unknown type ends parsing, successfully. */
      if (ak_service_info (type) == NULL)
        {
          token->stopped_at_unknown = TRUE;
          token->unknown_service_type = type;
          return TRUE;
        }

      g_free (context);
      context = g_strdup_printf (_(" of service %u (%s)"), i + 1, ak_service_type_to_name (type));
      reader.context = context;

      service = ak_service_new (type);
      if (!read_privileges (&reader, service->privileges, error)
          || !read_service_fields (&reader, service, error))
        return FALSE;
      g_ptr_array_add (token->services, g_steal_pointer (&service));
      reader.context = NULL;
    }

  if (ak_reader_remaining (&reader) > 0)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_TRAILING_BYTES,
                   _("%zu bytes are left over after the last service (from "
                     "byte %zu of %zu)."),
                   ak_reader_remaining (&reader), reader.pos, reader.len);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_006 (AkToken    *token,
           const char *text,
           gsize       len,
           gssize     *error_position,
           GError    **error)
{
  g_autofree char *body = NULL;
  const guint8 *data;
  gsize data_len;
  const guint8 *signature;
  gsize signature_len;
  const guint8 *message;
  gsize message_len;
  AkReader reader;
  AkReader message_reader;

  if (len < 3 + AK_APP_ID_LENGTH)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_TRUNCATED,
                   _("A 006 token has the 32-character App ID after “006”, but this one has "
                     "only %zu characters in all."),
                   len);
      return FALSE;
    }

  token->app_id = g_strndup (text + 3, AK_APP_ID_LENGTH);
  for (guint i = 0; i < AK_APP_ID_LENGTH; i++)
    if (!g_ascii_isxdigit (token->app_id[i]))
      {
        g_set_error (error, AK_ERROR, AK_ERROR_BAD_FIELD,
                     _("Character %u is inside the App ID of a 006 token but is not a "
                       "hexadecimal digit: the App ID part is damaged."),
                     i + 4);
        *error_position = (gssize) i + 3;
        return FALSE;
      }

  body = g_strndup (text + 3 + AK_APP_ID_LENGTH, len - 3 - AK_APP_ID_LENGTH);
  token->content = ak_base64_decode (body, 3 + AK_APP_ID_LENGTH, error_position, error);
  if (token->content == NULL)
    return FALSE;

  data = g_bytes_get_data (token->content, &data_len);
  ak_reader_init (&reader, data, data_len, NULL);
  if (!ak_reader_string (&reader, "signature", &signature, &signature_len, error)
      || !check_signature_field (signature, signature_len, token->signature, error)
      || !ak_reader_u32 (&reader, "crc_channel_name", &token->crc_channel_name, error)
      || !ak_reader_u32 (&reader, "crc_uid", &token->crc_uid, error)
      || !ak_reader_string (&reader, "message", &message, &message_len, error))
    return FALSE;

  if (ak_reader_remaining (&reader) > 0)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_TRAILING_BYTES,
                   _("%zu bytes are left over after the message (from byte %zu of %zu)."),
                   ak_reader_remaining (&reader), reader.pos, reader.len);
      return FALSE;
    }

  token->message = g_bytes_new (message, message_len);
  token->privileges = g_array_new (FALSE, FALSE, sizeof (AkPrivilege));
  ak_reader_init (&message_reader, message, message_len, _(" of the message"));
  if (!ak_reader_u32 (&message_reader, "salt", &token->salt, error)
      || !ak_reader_u32 (&message_reader, "ts", &token->ts, error)
      || !read_privileges (&message_reader, token->privileges, error))
    return FALSE;

  if (ak_reader_remaining (&message_reader) > 0)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_TRAILING_BYTES,
                   _("%zu bytes are left over at the end of the message."),
                   ak_reader_remaining (&message_reader));
      return FALSE;
    }

  return TRUE;
}

static void
set_bad_version_error (const char *text,
                       gsize       len,
                       GError    **error)
{
  g_autofree char *start = g_strndup (text, MIN (len, 3));

  if (len == 0)
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_VERSION, _("The token is empty."));
  else if (g_str_has_prefix (text, "eJ"))
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_VERSION,
                 _("The token has no version prefix: it starts with “eJ”, where the data of a "
                   "007 token begins. Was “007” cut off the front?"));
  else if (g_str_has_prefix (text, "eyJ"))
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_VERSION,
                 _("This looks like a JSON Web Token (it starts with “eyJ”), not an Agora "
                   "access token; Agora tokens start with “007” or “006”."));
  else if (len >= 3 && text[0] == '0' && text[1] == '0' && text[2] >= '1' && text[2] <= '5')
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_VERSION,
                 _("This is a version %s dynamic key, which is older than what Agora Keys reads; "
                   "only 006 and 007 tokens are supported."),
                 start);
  else if (len < 3)
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_VERSION,
                 _("The text is too short to be a token: tokens start with “007” or “006”."));
  else
    g_set_error (error, AK_ERROR, AK_ERROR_BAD_VERSION,
                 _("Tokens start with “007” or “006”, but this one starts with “%s”."),
                 g_utf8_validate (start, -1, NULL) ? start : "?");
}

/**
 * ak_token_parse:
 * @text: a token; surrounding white space and quotes are ignored
 *
 * Takes a 006 or 007 token apart without checking its signature (see ak_token_verify()).
 * Never reads out of bounds; inflated data is capped at %AK_MAX_PAYLOAD_LENGTH bytes.
 *
 * Returns: (transfer full): the token, or %NULL with @error saying what is wrong and where
 */
AkToken *
ak_token_parse (const char *text,
                GError    **error)
{
  return ak_token_parse_full (text, NULL, error);
}

/**
 * ak_token_parse_full:
 * @error_offset: (out) (optional): on failure, the byte offset in @text of the character
 *   the error names (0 for a bad version prefix), or -1 when it names none
 *
 * As ak_token_parse(), for callers that mark the place of an error in the text.
 */
AkToken *
ak_token_parse_full (const char *text,
                     gssize     *error_offset,
                     GError    **error)
{
  g_autoptr(AkToken) token = NULL;
  const char *start;
  gsize start_offset;
  gsize end_offset;
  gsize len;
  gssize position = -1;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (error_offset != NULL)
    *error_offset = -1;

  ak_token_strip_text (text, &start_offset, &end_offset);
  start = text + start_offset;
  len = end_offset - start_offset;

  if (len > AK_MAX_TOKEN_TEXT_LENGTH)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_TOO_LARGE,
                   _("The text is %zu characters long; real tokens are a few "
                     "hundred, so this is not a token."),
                   len);
      return NULL;
    }

  if (len >= 3 && strncmp (start, "007", 3) == 0)
    {
      g_autofree char *body = g_strndup (start + 3, len - 3);

      token = ak_token_alloc (AK_TOKEN_VERSION_007);
      if (!parse_007 (token, body, &position, error))
        goto failed;
    }
  else if (len >= 3 && strncmp (start, "006", 3) == 0)
    {
      token = ak_token_alloc (AK_TOKEN_VERSION_006);
      if (!parse_006 (token, start, len, &position, error))
        goto failed;
    }
  else
    {
      set_bad_version_error (start, len, error);
      if (len > 0)
        position = 0;
      goto failed;
    }

  return g_steal_pointer (&token);

failed:
  /* Positions count from the stripped start; callers index the text they gave. */
  if (error_offset != NULL && position >= 0)
    *error_offset = (gssize) start_offset + position;
  return NULL;
}
