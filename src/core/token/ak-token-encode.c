/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-token-private.h"

/* ---------------------------------------------------------------------------------------------
 * Encoding
 */

/* A 006 message is salt, ts and the privilege map, written as one string. */
#define AK_MAX_PRIVILEGES_006 ((G_MAXUINT16 - 4 - 4 - 2) / 6)

static gboolean
check_length (const char *value,
              const char *field,
              GError    **error)
{
  gsize len = value != NULL ? strlen (value) : 0;

  if (len <= G_MAXUINT16)
    return TRUE;

  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("The %s is %zu bytes long; a token field holds at most "
                 "65,535 bytes."),
               _(field), len);
  return FALSE;
}

/* Names like “read” and “messageChannels”, or the number for a type with no name. */
static char *
rtm_type_label (const char *name,
                guint16     number)
{
  return name != NULL ? g_strdup_printf ("“%s”", name) : g_strdup_printf ("%u", number);
}

static char *
rtm_resource_label (guint16 resource_type)
{
  return rtm_type_label (ak_rtm_resource_type_to_name (resource_type), resource_type);
}

static char *
rtm_permission_label (guint16 permission_type)
{
  return rtm_type_label (ak_rtm_permission_type_to_name (permission_type), permission_type);
}

static gboolean
check_permission_resources (const AkRtmPermission *p,
                            GError               **error)
{
  g_autofree char *resource_label = NULL;
  g_autofree char *permission_label = NULL;
  guint j = 0;

  if (p->resources->len <= G_MAXUINT16)
    {
      for (j = 0; j < p->resources->len; j++)
        if (strlen (g_ptr_array_index (p->resources, j)) > G_MAXUINT16)
          break;
      if (j == p->resources->len)
        return TRUE;
    }

  resource_label = rtm_resource_label (p->resource_type);
  permission_label = rtm_permission_label (p->permission_type);
  if (p->resources->len > G_MAXUINT16)
    /* Translators: e.g. "RTM permission “read” on “messageChannels” has 65,537 resources;
     * a token holds at most 65,535." */
    g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                 _("RTM permission %s on %s has %'u resources; a token holds at most %'u."),
                 permission_label, resource_label, p->resources->len, (guint) G_MAXUINT16);
  else
    g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                 _("Resource %'u of RTM permission %s on %s is %'zu bytes long; a token field "
                   "holds at most %'u bytes."),
                 j + 1, permission_label, resource_label,
                 strlen (g_ptr_array_index (p->resources, j)), (guint) G_MAXUINT16);
  return FALSE;
}

/* The counts of the permissions block: resource-type groups, permissions per group and
 * resources per permission, each a u16, and each resource a string. */
static gboolean
check_permission_limits (const AkService *service,
                         GError         **error)
{
  g_autoptr(GArray) blocks = ak_service_dup_permission_blocks (service);
  guint n_entries = service->permissions != NULL ? service->permissions->len : 0;
  guint entry = 0;

  if (blocks->len > G_MAXUINT16)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The RTM permissions have %'u resource-type groups; a token holds at most "
                     "%'u."),
                   blocks->len, (guint) G_MAXUINT16);
      return FALSE;
    }

  for (guint b = 0; b < blocks->len; b++)
    {
      const AkRtmPermissionBlock *block = &g_array_index (blocks, AkRtmPermissionBlock, b);

      if (block->n_permissions > G_MAXUINT16)
        {
          g_autofree char *resource_label = rtm_resource_label (block->resource_type);

          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("RTM resource type %s has %'u permissions; a token holds at most %'u."),
                       resource_label, block->n_permissions, (guint) G_MAXUINT16);
          return FALSE;
        }
      /* Only a caller that changed @permission_blocks by hand can get these two wrong. */
      if (block->n_permissions > n_entries - entry)
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The RTM permission groups list more permissions than the service "
                         "has."));
          return FALSE;
        }

      for (guint end = entry + block->n_permissions; entry < end; entry++)
        {
          const AkRtmPermission *p = &g_array_index (service->permissions, AkRtmPermission,
                                                     entry);

          if (p->resource_type != block->resource_type)
            {
              g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("An RTM permission is in the group of another resource type."));
              return FALSE;
            }
          if (!check_permission_resources (p, error))
            return FALSE;
        }
    }

  if (entry != n_entries)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The RTM permission groups list fewer permissions than the service has."));
      return FALSE;
    }
  return TRUE;
}

/* Every u16 count and length the encoder will write, checked up front so that the error
 * names the field; the writer would otherwise have to wrap or truncate it. Nothing is
 * formatted or translated unless a check fails: this runs for every token built. */
static gboolean
check_service_limits (const AkService *service,
                      guint            index,
                      GError         **error)
{
  if (!check_length (service->channel_name, N_("channel name"), error)
      || !check_length (service->uid, N_("uid or account"), error)
      || !check_length (service->user_id, N_("user ID"), error)
      || !check_length (service->room_uuid, N_("room UUID"), error)
      || !check_length (service->user_uuid, N_("user UUID"), error))
    return FALSE;

  if (service->privileges->len > G_MAXUINT16)
    {
      const char *name = ak_service_type_to_name (service->type);

      /* Translators: e.g. "Service 1 (rtc) has 65,536 privileges; a token holds at most
       * 65,535." */
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Service %u (%s) has %'u privileges; a token holds at most %'u."),
                   index + 1, name != NULL ? name : "?", service->privileges->len,
                   (guint) G_MAXUINT16);
      return FALSE;
    }

  if (service->type == AK_SERVICE_RTM2 && !check_permission_limits (service, error))
    return FALSE;

  return TRUE;
}

static void
write_privileges (AkWriter     *writer,
                  const GArray *privileges)
{
  ak_writer_count (writer, privileges->len);
  for (guint i = 0; i < privileges->len; i++)
    {
      const AkPrivilege *p = &g_array_index (privileges, AkPrivilege, i);

      ak_writer_u16 (writer, p->id);
      ak_writer_u32 (writer, p->value);
    }
}

/* Block by block, as parsed or as the builder grouped them (check_permission_limits has
 * made sure the blocks and entries agree). */
static void
write_permissions (AkWriter        *writer,
                   const AkService *service)
{
  g_autoptr(GArray) blocks = ak_service_dup_permission_blocks (service);
  guint entry = 0;

  ak_writer_count (writer, blocks->len);
  for (guint b = 0; b < blocks->len; b++)
    {
      const AkRtmPermissionBlock *block = &g_array_index (blocks, AkRtmPermissionBlock, b);

      ak_writer_u16 (writer, block->resource_type);
      ak_writer_count (writer, block->n_permissions);
      for (guint end = entry + block->n_permissions; entry < end; entry++)
        {
          const AkRtmPermission *p = &g_array_index (service->permissions, AkRtmPermission,
                                                     entry);

          ak_writer_u16 (writer, p->permission_type);
          ak_writer_count (writer, p->resources->len);
          for (guint j = 0; j < p->resources->len; j++)
            ak_writer_string (writer, g_ptr_array_index (p->resources, j));
        }
    }
}

static gboolean
write_service (AkWriter        *writer,
               const AkService *service,
               GError         **error)
{
  ak_writer_u16 (writer, service->type);
  write_privileges (writer, service->privileges);

  switch (service->type)
    {
    case AK_SERVICE_RTC:
    case AK_SERVICE_STREAMING:
    case AK_SERVICE_FCDN:
      ak_writer_string (writer, service->channel_name);
      ak_writer_string (writer, service->uid);
      break;
    case AK_SERVICE_RTM:
    case AK_SERVICE_CHAT:
      ak_writer_string (writer, service->user_id);
      break;
    case AK_SERVICE_FPA:
    case AK_SERVICE_CONVOAI:
    case AK_SERVICE_STT:
      break;
    case AK_SERVICE_APAAS:
      ak_writer_string (writer, service->room_uuid);
      ak_writer_string (writer, service->user_uuid);
      ak_writer_u16 (writer, (guint16) service->role);
      break;
    case AK_SERVICE_RTM2:
      ak_writer_string (writer, service->user_id);
      write_permissions (writer, service);
      break;
    default:
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Service type %u is not one Agora Keys can build (known types are 1-10)."),
                   service->type);
      return FALSE;
    }
  return TRUE;
}

/* Stable order by type, so duplicates keep the order they were added in. */
static void
sort_services_stable (const AkService **sorted,
                      guint             n)
{
  for (guint i = 1; i < n; i++)
    {
      const AkService *s = sorted[i];
      guint j = i;

      while (j > 0 && sorted[j - 1]->type > s->type)
        {
          sorted[j] = sorted[j - 1];
          j--;
        }
      sorted[j] = s;
    }
}

void
ak_token_sign_007 (const char   *app_certificate,
                   guint32       issue_ts,
                   guint32       salt,
                   const guint8 *signing_info,
                   gsize         signing_info_len,
                   guint8        signature[AK_SIGNATURE_LENGTH])
{
  guint8 ts_key[4] = { issue_ts & 0xff, (issue_ts >> 8) & 0xff, (issue_ts >> 16) & 0xff,
                       issue_ts >> 24 };
  guint8 salt_key[4] = { salt & 0xff, (salt >> 8) & 0xff, (salt >> 16) & 0xff, salt >> 24 };
  guint8 k1[AK_HMAC_LENGTH];
  guint8 k2[AK_HMAC_LENGTH];

  /* The time and salt are the HMAC keys and the certificate the message: the reverse of
   * what one would guess, and the most common mistake in unofficial ports. */
  ak_hmac_sha256 (ts_key, sizeof ts_key, app_certificate, strlen (app_certificate), k1);
  ak_hmac_sha256 (salt_key, sizeof salt_key, k1, sizeof k1, k2);
  ak_hmac_sha256 (k2, sizeof k2, signing_info, signing_info_len, signature);
  ak_secret_wipe (k1, sizeof k1);
  ak_secret_wipe (k2, sizeof k2);
}

static char *
encode_007 (AkToken    *token,
            const char *app_certificate,
            GError    **error)
{
  g_autofree const AkService **sorted = NULL;
  g_autoptr(GBytes) compressed = NULL;
  AkWriter writer;
  guint n = token->services->len;
  gsize header_len = 2 + AK_SIGNATURE_LENGTH;

  if (n == 0)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("A token needs at least one service."));
      return NULL;
    }
  if (n > G_MAXUINT16)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The token has %'u services; a token holds at most %'u."),
                   n, (guint) G_MAXUINT16);
      return NULL;
    }

  sorted = g_new (const AkService *, n);
  for (guint i = 0; i < n; i++)
    {
      sorted[i] = g_ptr_array_index (token->services, i);
      if (!check_service_limits (sorted[i], i, error))
        return NULL;
    }
  sort_services_stable (sorted, n);

  /* content = string(signature) + signing_info; the signature slot is filled in last. */
  ak_writer_init (&writer, 256);
  ak_writer_u16 (&writer, AK_SIGNATURE_LENGTH);
  g_byte_array_set_size (writer.bytes, header_len);
  ak_writer_string (&writer, token->app_id);
  ak_writer_u32 (&writer, token->issue_ts);
  ak_writer_u32 (&writer, token->expire);
  ak_writer_u32 (&writer, token->salt);
  ak_writer_count (&writer, n);
  for (guint i = 0; i < n; i++)
    if (!write_service (&writer, sorted[i], error))
      {
        ak_writer_clear (&writer);
        return NULL;
      }

  if (writer.overflow)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("A count or length in the token does not fit its 16-bit field (at most "
                     "65,535)."));
      ak_writer_clear (&writer);
      return NULL;
    }

  if (writer.bytes->len > AK_MAX_PAYLOAD_LENGTH)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The token would hold %u bytes of data; Agora Keys makes tokens of at most "
                     "%u bytes."),
                   writer.bytes->len, (guint) AK_MAX_PAYLOAD_LENGTH);
      ak_writer_clear (&writer);
      return NULL;
    }

  ak_token_sign_007 (app_certificate, token->issue_ts, token->salt,
                     writer.bytes->data + header_len, writer.bytes->len - header_len,
                     token->signature);
  memcpy (writer.bytes->data + 2, token->signature, AK_SIGNATURE_LENGTH);

  compressed = ak_deflate (writer.bytes->data, writer.bytes->len);
  g_clear_pointer (&token->content, g_bytes_unref);
  token->content = g_byte_array_free_to_bytes (g_steal_pointer (&writer.bytes));
  token->service_count_field = (guint16) n;
  token->compressed_len = g_bytes_get_size (compressed);
  memcpy (token->zlib_header, g_bytes_get_data (compressed, NULL), 2);

  return ak_base64_encode ("007", g_bytes_get_data (compressed, NULL), token->compressed_len);
}

static char *
encode_006 (AkToken    *token,
            const char *app_certificate,
            GError    **error)
{
  g_autofree char *prefix = NULL;
  AkWriter message;
  AkWriter content;
  char *text;

  if (!check_length (token->channel_name, N_("channel name"), error)
      || !check_length (token->uid, N_("uid or account"), error))
    return NULL;

  /* The message (salt, ts, privileges) is itself a string: 10 + 6 bytes per privilege. */
  if (token->privileges->len > AK_MAX_PRIVILEGES_006)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The 006 token has %'u privileges; its message field holds at most %'u."),
                   token->privileges->len, (guint) AK_MAX_PRIVILEGES_006);
      return NULL;
    }

  ak_writer_init (&message, 64);
  ak_writer_u32 (&message, token->salt);
  ak_writer_u32 (&message, token->ts);
  write_privileges (&message, token->privileges);
  g_assert (!message.overflow && message.bytes->len <= G_MAXUINT16);

  /* HMAC(certificate, app_id + channel + uid + m), fed in pieces to avoid a copy. */
  {
    g_autofree char *prefix_text = g_strconcat (token->app_id, token->channel_name,
                                                token->uid, NULL);

    ak_hmac_sha256_2 (app_certificate, strlen (app_certificate),
                      prefix_text, strlen (prefix_text),
                      message.bytes->data, message.bytes->len, token->signature);
  }

  token->crc_channel_name = ak_crc32 (token->channel_name);
  token->crc_uid = ak_crc32 (token->uid);

  ak_writer_init (&content, 128);
  ak_writer_u16 (&content, AK_SIGNATURE_LENGTH);
  ak_writer_bytes (&content, token->signature, AK_SIGNATURE_LENGTH);
  ak_writer_u32 (&content, token->crc_channel_name);
  ak_writer_u32 (&content, token->crc_uid);
  ak_writer_count (&content, message.bytes->len);
  ak_writer_bytes (&content, message.bytes->data, message.bytes->len);

  prefix = g_strconcat ("006", token->app_id, NULL);
  text = ak_base64_encode (prefix, content.bytes->data, content.bytes->len);

  g_clear_pointer (&token->message, g_bytes_unref);
  g_clear_pointer (&token->content, g_bytes_unref);
  token->message = g_byte_array_free_to_bytes (g_steal_pointer (&message.bytes));
  token->content = g_byte_array_free_to_bytes (g_steal_pointer (&content.bytes));
  return text;
}

/**
 * ak_token_encode:
 * @app_certificate: 32 hexadecimal characters, used as ASCII
 *
 * Signs @token and returns its text form ("007…" or "006…"), byte-identical to the
 * official C++/python builders for the same inputs.
 *
 * Returns: (transfer full): the token, or %NULL with @error set (%AK_ERROR_INVALID_INPUT)
 */
char *
ak_token_encode (AkToken    *token,
                 const char *app_certificate,
                 GError    **error)
{
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ak_validate_app_id (token->app_id, error)
      || !ak_validate_app_certificate (app_certificate, error))
    return NULL;

  if (token->version == AK_TOKEN_VERSION_006)
    return encode_006 (token, app_certificate, error);
  return encode_007 (token, app_certificate, error);
}
