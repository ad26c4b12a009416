/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-codec-private.h"
#include "ak-error.h"
#include "ak-token-private.h"

G_DEFINE_BOXED_TYPE (AkToken, ak_token, ak_token_ref, ak_token_unref)

/* ---------------------------------------------------------------------------------------------
 * Names
 */

typedef struct
{
  guint16 type;
  const char *name;
  const char *privileges[4]; /* ids 1..4 */
} ServiceInfo;

static const ServiceInfo service_infos[] = {
  { AK_SERVICE_RTC, "rtc",
    { "joinChannel", "publishAudioStream", "publishVideoStream", "publishDataStream" } },
  { AK_SERVICE_RTM, "rtm", { "login" } },
  { AK_SERVICE_STREAMING, "streaming", { "publishMixStream", "publishRawStream" } },
  { AK_SERVICE_FPA, "fpa", { "login" } },
  { AK_SERVICE_CHAT, "chat", { "user", "app" } },
  { AK_SERVICE_FCDN, "fcdn", { "publish", "play" } },
  { AK_SERVICE_APAAS, "apaas", { "roomUser", "user", "app" } },
  { AK_SERVICE_RTM2, "rtm2", { "login" } },
  /* Conversational AI agents and Real-time STT: the type is the grant, with no privilege. */
  { AK_SERVICE_CONVOAI, "convoai", { NULL } },
  { AK_SERVICE_STT, "stt", { NULL } },
};

static const ServiceInfo *
service_info (guint16 type)
{
  if (type >= 1 && type <= G_N_ELEMENTS (service_infos))
    return &service_infos[type - 1];
  return NULL;
}

const char *
ak_service_type_to_name (guint16 type)
{
  const ServiceInfo *info = service_info (type);

  return info != NULL ? info->name : NULL;
}

gboolean
ak_service_type_from_name (const char    *name,
                           AkServiceType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (service_infos); i++)
    if (g_ascii_strcasecmp (name, service_infos[i].name) == 0)
      {
        *type = service_infos[i].type;
        return TRUE;
      }
  return FALSE;
}

const char *
ak_service_privilege_name (guint16 type,
                           guint16 privilege_id)
{
  const ServiceInfo *info = service_info (type);

  if (info == NULL || privilege_id < 1 || privilege_id > G_N_ELEMENTS (info->privileges))
    return NULL;
  return info->privileges[privilege_id - 1];
}

gboolean
ak_service_privilege_from_name (guint16     type,
                                const char *name,
                                guint16    *privilege_id)
{
  const ServiceInfo *info = service_info (type);

  if (info == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (info->privileges); i++)
    if (info->privileges[i] != NULL && g_ascii_strcasecmp (name, info->privileges[i]) == 0)
      {
        *privilege_id = (guint16) (i + 1);
        return TRUE;
      }
  return FALSE;
}

const char *
ak_privilege006_name (guint16 privilege_id)
{
  switch (privilege_id)
    {
    case AK_PRIV006_JOIN_CHANNEL: return "joinChannel";
    case AK_PRIV006_PUBLISH_AUDIO: return "publishAudioStream";
    case AK_PRIV006_PUBLISH_VIDEO: return "publishVideoStream";
    case AK_PRIV006_PUBLISH_DATA: return "publishDataStream";
    case AK_PRIV006_ADMINISTRATE_CHANNEL: return "administrateChannel";
    case AK_PRIV006_RTM_LOGIN: return "rtmLogin";
    default: return NULL;
    }
}

static const char * const rtm_resource_names[] = {
  "messageChannels", "streamChannels", "groupChannels", "serverGroups", "users",
};
static const char * const rtm_permission_names[] = { "read", "write" };

static gboolean
name_index (const char * const *names,
            guint               n_names,
            const char         *name,
            guint16            *index)
{
  for (guint i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      {
        *index = (guint16) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ak_rtm_resource_type_to_name (guint16 resource_type)
{
  return resource_type < G_N_ELEMENTS (rtm_resource_names) ? rtm_resource_names[resource_type]
                                                            : NULL;
}

gboolean
ak_rtm_resource_type_from_name (const char *name,
                                guint16    *resource_type)
{
  return name_index (rtm_resource_names, G_N_ELEMENTS (rtm_resource_names), name, resource_type);
}

const char *
ak_rtm_permission_type_to_name (guint16 permission_type)
{
  return permission_type < G_N_ELEMENTS (rtm_permission_names)
           ? rtm_permission_names[permission_type] : NULL;
}

gboolean
ak_rtm_permission_type_from_name (const char *name,
                                  guint16    *permission_type)
{
  return name_index (rtm_permission_names, G_N_ELEMENTS (rtm_permission_names), name,
                     permission_type);
}

/* ---------------------------------------------------------------------------------------------
 * Validation helpers
 */

/* @what is untranslated (N_()), so the hot path of a valid value never calls gettext. */
gboolean
ak_is_hex32 (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < AK_APP_ID_LENGTH; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return text[AK_APP_ID_LENGTH] == '\0';
}

static gboolean
validate_hex32 (const char *value,
                const char *what,
                GError    **error)
{
  glong n_chars;

  if (ak_is_hex32 (value))
    return TRUE;

  what = _(what);

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The %s is empty; it must be 32 hexadecimal characters (0-9, a-f)."), what);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_ascii_isxdigit (*p))
      {
        gunichar c = g_utf8_get_char_validated (p, -1);
        char buf[8] = { 0 };

        if (c == (gunichar) -1 || c == (gunichar) -2)
          c = 0xFFFD;
        g_unichar_to_utf8 (c, buf);
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The %s contains “%s” at character %ld; it must be 32 hexadecimal "
                       "characters (0-9, a-f)."),
                     what, g_unichar_isprint (c) ? buf : "?",
                     g_utf8_pointer_to_offset (value, p) + 1);
        return FALSE;
      }

  n_chars = (glong) strlen (value);
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
               _("The %s has %ld characters; it must have exactly 32 hexadecimal characters."),
               what, n_chars);
  return FALSE;
}

gboolean
ak_validate_app_id (const char *app_id,
                    GError    **error)
{
  return validate_hex32 (app_id, N_("App ID"), error);
}

gboolean
ak_validate_app_certificate (const char *app_certificate,
                             GError    **error)
{
  return validate_hex32 (app_certificate, N_("App Certificate"), error);
}

char *
ak_uid_to_string (guint32 uid)
{
  return uid == 0 ? g_strdup ("") : g_strdup_printf ("%u", uid);
}

/* ---------------------------------------------------------------------------------------------
 * AkService
 */

static void
rtm_permission_clear (gpointer data)
{
  AkRtmPermission *permission = data;

  g_clear_pointer (&permission->resources, g_ptr_array_unref);
}

AkService *
ak_service_new (AkServiceType type)
{
  AkService *service = g_new0 (AkService, 1);

  service->type = type;
  service->privileges = g_array_new (FALSE, FALSE, sizeof (AkPrivilege));
  service->role = -1;
  return service;
}

void
ak_service_free (AkService *service)
{
  if (service == NULL)
    return;
  g_array_unref (service->privileges);
  g_free (service->channel_name);
  g_free (service->uid);
  g_free (service->user_id);
  g_free (service->room_uuid);
  g_free (service->user_uuid);
  g_clear_pointer (&service->permissions, g_array_unref);
  g_clear_pointer (&service->permission_blocks, g_array_unref);
  g_clear_pointer (&service->resource_strings, g_string_chunk_free);
  g_free (service);
}

/* Binary search in the sorted map; setting ids in ascending order appends in constant time. */
static void
privileges_set (GArray  *privileges,
                guint16  id,
                guint32  value)
{
  guint low = 0;
  guint high = privileges->len;

  if (high > 0 && g_array_index (privileges, AkPrivilege, high - 1).id < id)
    low = high;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      AkPrivilege *p = &g_array_index (privileges, AkPrivilege, middle);

      if (p->id == id)
        {
          p->value = value;
          return;
        }
      if (p->id < id)
        low = middle + 1;
      else
        high = middle;
    }

  g_array_insert_val (privileges, low, ((AkPrivilege) { .id = id, .value = value }));
}

/**
 * ak_service_set_privilege:
 *
 * Sets privilege @id to @value, keeping the map in ascending id order as the wire format wants.
 */
void
ak_service_set_privilege (AkService *service,
                          guint16    id,
                          guint32    value)
{
  g_return_if_fail (service != NULL);
  privileges_set (service->privileges, id, value);
}

gboolean
ak_service_get_privilege (const AkService *service,
                          guint16          id,
                          guint32         *value)
{
  g_return_val_if_fail (service != NULL, FALSE);

  for (guint i = 0; i < service->privileges->len; i++)
    {
      const AkPrivilege *p = &g_array_index (service->privileges, AkPrivilege, i);

      if (p->id == id)
        {
          if (value != NULL)
            *value = p->value;
          return TRUE;
        }
    }
  return FALSE;
}

static GArray *
permissions_array (AkService *service)
{
  if (service->permissions == NULL)
    {
      service->permissions = g_array_new (FALSE, TRUE, sizeof (AkRtmPermission));
      g_array_set_clear_func (service->permissions, rtm_permission_clear);
    }
  return service->permissions;
}

static int
permission_key_compare (const AkRtmPermission *p,
                        guint16                resource_type,
                        guint16                permission_type)
{
  if (p->resource_type != resource_type)
    return p->resource_type < resource_type ? -1 : 1;
  if (p->permission_type != permission_type)
    return p->permission_type < permission_type ? -1 : 1;
  return 0;
}

/* @free_func is %NULL for the parser's entries, whose names live in resource_strings. */
static AkRtmPermission *
insert_permission (GArray         *permissions,
                   guint           index,
                   guint16         resource_type,
                   guint16         permission_type,
                   guint           reserve,
                   GDestroyNotify  free_func)
{
  AkRtmPermission fresh = {
    .resource_type = resource_type,
    .permission_type = permission_type,
    .resources = g_ptr_array_new_full (reserve, free_func),
  };

  g_array_insert_val (permissions, index, fresh);
  return &g_array_index (permissions, AkRtmPermission, index);
}

/* Before a parsed service is changed: give each resource name an allocation of its own, so
 * that names added from now on can be freed one by one like the rest. */
static void
own_resource_strings (AkService *service)
{
  if (service->resource_strings == NULL)
    return;

  for (guint i = 0; service->permissions != NULL && i < service->permissions->len; i++)
    {
      GPtrArray *resources = g_array_index (service->permissions, AkRtmPermission, i).resources;

      for (guint j = 0; j < resources->len; j++)
        resources->pdata[j] = g_strdup (resources->pdata[j]);
      g_ptr_array_set_free_func (resources, g_free);
    }
  g_clear_pointer (&service->resource_strings, g_string_chunk_free);
}

/**
 * ak_service_add_permission:
 *
 * Adds @resource to the RTM2 permission (@resource_type, @permission_type), creating the
 * entry in sorted position when it is new, as the official builders write them. Resources
 * keep the order they were added in. Adding in ascending order costs constant time.
 * A wire layout taken from a parsed token (@permission_blocks) no longer applies and is
 * dropped.
 */
void
ak_service_add_permission (AkService  *service,
                           guint16     resource_type,
                           guint16     permission_type,
                           const char *resource)
{
  GArray *permissions;
  AkRtmPermission *entry = NULL;
  guint low = 0;
  guint high;

  g_return_if_fail (service != NULL);
  g_return_if_fail (resource != NULL);

  g_clear_pointer (&service->permission_blocks, g_array_unref);
  own_resource_strings (service);
  permissions = permissions_array (service);
  high = permissions->len;

  /* Builders add in order: try the last entry before searching. */
  if (high > 0)
    {
      AkRtmPermission *last = &g_array_index (permissions, AkRtmPermission, high - 1);
      int order = permission_key_compare (last, resource_type, permission_type);

      if (order == 0)
        entry = last;
      else if (order < 0)
        low = high;
    }

  while (entry == NULL && low < high)
    {
      guint middle = low + (high - low) / 2;
      AkRtmPermission *p = &g_array_index (permissions, AkRtmPermission, middle);
      int order = permission_key_compare (p, resource_type, permission_type);

      if (order == 0)
        entry = p;
      else if (order < 0)
        low = middle + 1;
      else
        high = middle;
    }

  if (entry == NULL)
    entry = insert_permission (permissions, low, resource_type, permission_type, 1, g_free);

  g_ptr_array_add (entry->resources, g_strdup (resource));
}

/* The blocks of a service whose entries were added by ak_service_add_permission(). */
static GArray *
permission_blocks_from_entries (const GArray *permissions)
{
  GArray *blocks = g_array_new (FALSE, FALSE, sizeof (AkRtmPermissionBlock));

  for (guint i = 0; permissions != NULL && i < permissions->len; i++)
    {
      const AkRtmPermission *p = &g_array_index (permissions, AkRtmPermission, i);
      AkRtmPermissionBlock *last = blocks->len > 0
                                     ? &g_array_index (blocks, AkRtmPermissionBlock,
                                                       blocks->len - 1)
                                     : NULL;

      if (last != NULL && last->resource_type == p->resource_type)
        last->n_permissions++;
      else
        g_array_append_val (blocks, ((AkRtmPermissionBlock) { p->resource_type, 1 }));
    }
  return blocks;
}

/**
 * ak_service_append_permission_block:
 *
 * Starts a new resource-type block at the end of the RTM2 permissions, as a token may hold
 * them on the wire: in any order, with a type repeated, or with no entry at all. Entries are
 * added to it with ak_service_append_permission().
 */
void
ak_service_append_permission_block (AkService *service,
                                    guint16    resource_type)
{
  g_return_if_fail (service != NULL);

  permissions_array (service);
  if (service->permission_blocks == NULL)
    service->permission_blocks = permission_blocks_from_entries (service->permissions);
  g_array_append_val (service->permission_blocks,
                      ((AkRtmPermissionBlock) { .resource_type = resource_type }));
}

static AkRtmPermission *
append_permission (AkService      *service,
                   guint16         permission_type,
                   guint           reserve,
                   GDestroyNotify  free_func)
{
  AkRtmPermissionBlock *block = &g_array_index (service->permission_blocks,
                                                AkRtmPermissionBlock,
                                                service->permission_blocks->len - 1);

  block->n_permissions++;
  return insert_permission (service->permissions, service->permissions->len,
                            block->resource_type, permission_type, reserve, free_func);
}

/**
 * ak_service_append_permission:
 * @reserve: how many resources the caller expects to add (0 if unknown)
 *
 * Appends an entry for @permission_type to the last block started with
 * ak_service_append_permission_block(), keeping wire order. Constant time.
 *
 * Returns: (transfer none): the new entry; add resource names to its @resources, each one
 *   allocated with g_malloc() (the array frees them)
 */
AkRtmPermission *
ak_service_append_permission (AkService *service,
                              guint16    permission_type,
                              guint      reserve)
{
  g_return_val_if_fail (service != NULL, NULL);
  g_return_val_if_fail (service->permission_blocks != NULL
                        && service->permission_blocks->len > 0, NULL);

  own_resource_strings (service);
  return append_permission (service, permission_type, reserve, g_free);
}

/* The resource-type blocks of @service in wire order: as parsed, or as a builder's entries
 * group. The block counts always add up to the number of entries. */
GArray *
ak_service_dup_permission_blocks (const AkService *service)
{
  if (service->permission_blocks != NULL)
    return g_array_ref (service->permission_blocks);
  return permission_blocks_from_entries (service->permissions);
}

/* ---------------------------------------------------------------------------------------------
 * AkToken lifetime and fields
 */

static AkToken *
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
  privileges_set (token->privileges, id, value);
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

GBytes *
ak_token_get_message (const AkToken *token)
{
  return token->message;
}

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

static void
sign_007 (const char   *app_certificate,
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

  sign_007 (app_certificate, token->issue_ts, token->salt,
            writer.bytes->data + header_len, writer.bytes->len - header_len, token->signature);
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
          entry = append_permission (service, permission_type,
                                     MIN (n_resources, ak_reader_remaining (reader) / 2), NULL);
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
      if (service_info (type) == NULL)
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

/* ---------------------------------------------------------------------------------------------
 * Verification
 */

static gboolean
verify_006 (const AkToken  *token,
            const char     *app_certificate,
            const char     *channel_name,
            const char     *uid,
            AkVerification *result,
            GError        **error)
{
  g_autofree char *prefix_text = NULL;
  guint8 expected[AK_SIGNATURE_LENGTH];
  gsize message_len;
  const guint8 *message;

  if (channel_name == NULL || uid == NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("A 006 token holds only checksums of its channel name and uid, so checking "
                     "it needs the channel name and uid it was made for."));
      return FALSE;
    }

  result->crc_channel_name = ak_crc32 (channel_name) == token->crc_channel_name
                               ? AK_SIGNATURE_VALID : AK_SIGNATURE_INVALID;
  result->crc_uid = ak_crc32 (uid) == token->crc_uid ? AK_SIGNATURE_VALID : AK_SIGNATURE_INVALID;

  if (result->crc_channel_name == AK_SIGNATURE_INVALID || result->crc_uid == AK_SIGNATURE_INVALID)
    {
      const char *which;

      if (result->crc_channel_name == AK_SIGNATURE_INVALID && result->crc_uid == AK_SIGNATURE_INVALID)
        which = _("Neither the channel name nor the uid matches what this token was made for.");
      else if (result->crc_channel_name == AK_SIGNATURE_INVALID)
        which = _("The channel name does not match the one this token was made for.");
      else
        which = _("The uid does not match the one this token was made for (integer uid 0 is "
                  "the empty string; the string “0” is a different uid).");
      g_set_error_literal (error, AK_ERROR, AK_ERROR_CRC_MISMATCH, which);
      return FALSE;
    }

  message = g_bytes_get_data (token->message, &message_len);
  prefix_text = g_strconcat (token->app_id, channel_name, uid, NULL);
  ak_hmac_sha256_2 (app_certificate, strlen (app_certificate), prefix_text, strlen (prefix_text),
                    message, message_len, expected);
  result->signature = ak_digest_equal (expected, token->signature, AK_SIGNATURE_LENGTH)
                        ? AK_SIGNATURE_VALID : AK_SIGNATURE_INVALID;
  return TRUE;
}

/**
 * ak_token_verify:
 * @app_certificate: the certificate to check against
 * @channel_name: (nullable): 006 only: the channel the token was made for
 * @uid: (nullable): 006 only: the uid text ("" for integer uid 0)
 * @verification: (out caller-allocates) (optional): what was checked and found
 *
 * Checks the signature of a parsed token, in constant time.
 *
 * Returns: %TRUE if the token was signed with @app_certificate (and, for 006, made for
 *   @channel_name and @uid); otherwise %FALSE with %AK_ERROR_SIGNATURE_MISMATCH,
 *   %AK_ERROR_CRC_MISMATCH or %AK_ERROR_INVALID_INPUT.
 */
gboolean
ak_token_verify (const AkToken  *token,
                 const char     *app_certificate,
                 const char     *channel_name,
                 const char     *uid,
                 AkVerification *verification,
                 GError        **error)
{
  AkVerification result = { 0 };
  gboolean checked;

  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (token->content != NULL, FALSE);

  if (verification != NULL)
    *verification = result;

  if (!ak_validate_app_certificate (app_certificate, error))
    return FALSE;

  if (token->version == AK_TOKEN_VERSION_006)
    {
      checked = verify_006 (token, app_certificate, channel_name, uid, &result, error);
    }
  else
    {
      const guint8 *content;
      gsize content_len;
      guint8 expected[AK_SIGNATURE_LENGTH];

      content = g_bytes_get_data (token->content, &content_len);
      sign_007 (app_certificate, token->issue_ts, token->salt,
                content + 2 + AK_SIGNATURE_LENGTH, content_len - 2 - AK_SIGNATURE_LENGTH,
                expected);
      result.signature = ak_digest_equal (expected, token->signature, AK_SIGNATURE_LENGTH)
                           ? AK_SIGNATURE_VALID : AK_SIGNATURE_INVALID;
      checked = TRUE;
    }

  if (verification != NULL)
    *verification = result;

  if (!checked)
    return FALSE;

  if (result.signature != AK_SIGNATURE_VALID)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_SIGNATURE_MISMATCH,
                   _("The signature does not match this App Certificate: the token was signed "
                     "with another certificate (primary or secondary?), or it was changed "
                     "after it was made."));
      return FALSE;
    }
  return TRUE;
}
