/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-codec-private.h"
#include "ak-token-private.h"

G_DEFINE_BOXED_TYPE (AkToken, ak_token, ak_token_ref, ak_token_unref)

/* ---------------------------------------------------------------------------------------------
 * AkToken lifetime and fields
 */

AkToken *
ak_token_alloc (AkTokenVersion version)
{
  AkToken *token = g_new0 (AkToken, 1);

  g_atomic_ref_count_init (&token->ref_count);
  token->version = version;
  return token;
}

/**
 * ak_token_new_007:
 * @app_id: the App ID, used as its ASCII characters
 * @issue_ts: unix time of issue
 * @expire: token lifetime in seconds after @issue_ts
 * @salt: the salt (any u32)
 *
 * Creates an AccessToken2 with no services, to be filled with ak_token_add_service() and
 * turned into text by ak_token_encode().
 */
AkToken *
ak_token_new_007 (const char *app_id,
                  guint32     issue_ts,
                  guint32     expire,
                  guint32     salt)
{
  AkToken *token = ak_token_alloc (AK_TOKEN_VERSION_007);

  token->app_id = g_strdup (app_id);
  token->issue_ts = issue_ts;
  token->expire = expire;
  token->salt = salt;
  token->services = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_service_free);
  return token;
}

/**
 * ak_token_add_service:
 * @service: (transfer full): the service
 *
 * Services are written sorted by type when encoding; services of the same type keep the
 * order they were added in.
 */
void
ak_token_add_service (AkToken   *token,
                      AkService *service)
{
  g_return_if_fail (token != NULL && token->version == AK_TOKEN_VERSION_007);
  g_return_if_fail (service != NULL);
  g_ptr_array_add (token->services, service);
}

/**
 * ak_token_new_006:
 * @uid: the uid text ("" for integer uid 0)
 * @ts: absolute unix time at which the token expires
 *
 * Creates a legacy AccessToken. Add privileges with ak_token_set_privilege_006().
 */
AkToken *
ak_token_new_006 (const char *app_id,
                  const char *channel_name,
                  const char *uid,
                  guint32     salt,
                  guint32     ts)
{
  AkToken *token = ak_token_alloc (AK_TOKEN_VERSION_006);

  token->app_id = g_strdup (app_id);
  token->channel_name = g_strdup (channel_name != NULL ? channel_name : "");
  token->uid = g_strdup (uid != NULL ? uid : "");
  token->salt = salt;
  token->ts = ts;
  token->privileges = g_array_new (FALSE, FALSE, sizeof (AkPrivilege));
  return token;
}

void
ak_token_set_privilege_006 (AkToken *token,
                            guint16  id,
                            guint32  value)
{
  g_return_if_fail (token != NULL && token->version == AK_TOKEN_VERSION_006);
  ak_privileges_set (token->privileges, id, value);
}

AkToken *
ak_token_ref (AkToken *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  g_atomic_ref_count_inc (&token->ref_count);
  return token;
}

void
ak_token_unref (AkToken *token)
{
  g_return_if_fail (token != NULL);

  if (!g_atomic_ref_count_dec (&token->ref_count))
    return;

  g_free (token->app_id);
  g_clear_pointer (&token->services, g_ptr_array_unref);
  g_clear_pointer (&token->content, g_bytes_unref);
  g_free (token->channel_name);
  g_free (token->uid);
  g_clear_pointer (&token->privileges, g_array_unref);
  g_clear_pointer (&token->message, g_bytes_unref);
  g_free (token);
}

AkTokenVersion
ak_token_get_version (const AkToken *token)
{
  return token->version;
}

const char *
ak_token_get_app_id (const AkToken *token)
{
  return token->app_id;
}

const guint8 *
ak_token_get_signature (const AkToken *token)
{
  return token->signature;
}

char *
ak_token_dup_signature_hex (const AkToken *token)
{
  return ak_hex_encode (token->signature, sizeof token->signature);
}

guint32
ak_token_get_salt (const AkToken *token)
{
  return token->salt;
}

guint32
ak_token_get_issue_ts (const AkToken *token)
{
  return token->issue_ts;
}

guint32
ak_token_get_expire (const AkToken *token)
{
  return token->expire;
}

/**
 * ak_token_get_expires_at:
 *
 * Returns: the unix time at which the token stops being valid: issue time + expire for
 *   007, the envelope ts for 006.
 */
gint64
ak_token_get_expires_at (const AkToken *token)
{
  if (token->version == AK_TOKEN_VERSION_006)
    return token->ts;
  return (gint64) token->issue_ts + token->expire;
}

guint
ak_token_get_n_services (const AkToken *token)
{
  return token->services != NULL ? token->services->len : 0;
}

const AkService *
ak_token_get_service (const AkToken *token,
                      guint          index)
{
  g_return_val_if_fail (index < ak_token_get_n_services (token), NULL);
  return g_ptr_array_index (token->services, index);
}

guint16
ak_token_get_service_count_field (const AkToken *token)
{
  return token->service_count_field;
}

/**
 * ak_token_get_unknown_service_type:
 *
 * Returns: %TRUE if parsing stopped at a service type this version does not know (as the
 *   official parsers do), with that type in @type.
 */
gboolean
ak_token_get_unknown_service_type (const AkToken *token,
                                   guint16       *type)
{
  if (token->stopped_at_unknown && type != NULL)
    *type = token->unknown_service_type;
  return token->stopped_at_unknown;
}

gsize
ak_token_get_compressed_length (const AkToken *token)
{
  return token->compressed_len;
}

gsize
ak_token_get_payload_length (const AkToken *token)
{
  return token->content != NULL ? g_bytes_get_size (token->content) : 0;
}

const guint8 *
ak_token_get_zlib_header (const AkToken *token)
{
  return token->zlib_header;
}

guint32
ak_token_get_ts (const AkToken *token)
{
  return token->ts;
}

guint32
ak_token_get_crc_channel_name (const AkToken *token)
{
  return token->crc_channel_name;
}

guint32
ak_token_get_crc_uid (const AkToken *token)
{
  return token->crc_uid;
}

GArray *
ak_token_get_privileges_006 (const AkToken *token)
{
  return token->privileges;
}

/**
 * ak_token_get_content:
 *
 * Returns: (nullable): the decoded binary content (for 007, after inflating); set once the
 *   token has been encoded or parsed.
 */
GBytes *
ak_token_get_content (const AkToken *token)
{
  return token->content;
}

