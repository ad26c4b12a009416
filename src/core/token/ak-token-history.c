/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-array-model.h"
#include "ak-core-enums.h"
#include "ak-credential.h"
#include "ak-token-history.h"

/* ---------------------------------------------------------------------------------------------
 * Describing a token
 */

static gboolean
looks_like_integer_uid (const char *uid)
{
  gsize len = strlen (uid);

  if (len == 0 || len > 10 || (len > 1 && uid[0] == '0'))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (uid[i]))
      return FALSE;
  return g_ascii_strtoull (uid, NULL, 10) <= G_MAXUINT32;
}

static char *
describe_user (const char *uid)
{
  if (uid[0] == '\0')
    return g_strdup (_("any user"));
  /* A decoded token cannot tell integer uid 42 from account "42"; say what it most likely is. */
  if (looks_like_integer_uid (uid))
    return g_strdup_printf (_("uid %s"), uid);
  return g_strdup (uid);
}

/* A description is one line in a list: a token's names may run to 65,535 bytes (and need not
 * be UTF-8), and a label laying that out holds the window for minutes. Each part is cut. */
#define MAX_PART_CHARS 64

static void
add_part (GPtrArray  *parts,
          const char *part)
{
  g_autofree char *valid = NULL;

  if (part == NULL || part[0] == '\0')
    return;
  valid = g_utf8_make_valid (part, -1);
  if (g_utf8_strlen (valid, -1) > MAX_PART_CHARS)
    {
      g_autofree char *start = g_utf8_substring (valid, 0, MAX_PART_CHARS - 1);

      g_free (valid);
      valid = g_strconcat (start, "…", NULL);
    }
  for (guint i = 0; i < parts->len; i++)
    if (g_str_equal (g_ptr_array_index (parts, i), valid))
      return;
  g_ptr_array_add (parts, g_steal_pointer (&valid));
}

static const char *
apaas_kind (const AkService *service)
{
  if (ak_service_get_privilege (service, AK_PRIV_APAAS_ROOM_USER, NULL))
    return _("APaaS room user");
  if (ak_service_get_privilege (service, AK_PRIV_APAAS_USER, NULL))
    return _("APaaS user");
  return _("APaaS app");
}

static const char *
service_kind (const AkService *service)
{
  switch (service->type)
    {
    case AK_SERVICE_RTC: return "RTC";
    case AK_SERVICE_RTM:
    case AK_SERVICE_RTM2: return "RTM";
    case AK_SERVICE_STREAMING: return _("Streaming");
    case AK_SERVICE_FPA: return "FPA";
    case AK_SERVICE_CHAT:
      return ak_service_get_privilege (service, AK_PRIV_CHAT_APP, NULL) ? _("Chat app")
                                                                        : _("Chat user");
    case AK_SERVICE_FCDN: return "FCDN";
    case AK_SERVICE_APAAS: return apaas_kind (service);
    case AK_SERVICE_CONVOAI: return "ConvoAI";
    case AK_SERVICE_STT: return "STT";
    default: return "?";
    }
}

static char *
describe_007 (const AkToken *token)
{
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *kind = NULL;
  const AkService *apaas = NULL;
  guint n = ak_token_get_n_services (token);

  for (guint i = 0; i < n; i++)
    if (ak_token_get_service (token, i)->type == AK_SERVICE_APAAS)
      apaas = ak_token_get_service (token, i);

  /* An APaaS room-user token also carries RTM and Chat for the same user: name it by APaaS. */
  if (apaas != NULL)
    {
      add_part (kinds, apaas_kind (apaas));
      add_part (details, apaas->room_uuid);
      add_part (details, apaas->user_uuid);
    }
  else
    {
      for (guint i = 0; i < n; i++)
        {
          const AkService *service = ak_token_get_service (token, i);

          add_part (kinds, service_kind (service));
          add_part (details, service->channel_name);
          if (service->uid != NULL)
            {
              g_autofree char *user = describe_user (service->uid);

              add_part (details, user);
            }
          add_part (details, service->user_id);
        }
    }

  g_ptr_array_add (kinds, NULL);
  kind = g_strjoinv (" + ", (char **) kinds->pdata);
  if (details->len == 0)
    return g_steal_pointer (&kind);

  g_ptr_array_insert (details, 0, g_steal_pointer (&kind));
  g_ptr_array_add (details, NULL);
  return g_strjoinv (" · ", (char **) details->pdata);
}

char *
ak_token_describe (const AkToken *token)
{
  GArray *privileges;

  g_return_val_if_fail (token != NULL, NULL);

  if (ak_token_get_version (token) == AK_TOKEN_VERSION_007)
    return describe_007 (token);

  /* A 006 token keeps only checksums of its channel and uid. */
  privileges = ak_token_get_privileges_006 (token);
  for (guint i = 0; privileges != NULL && i < privileges->len; i++)
    if (g_array_index (privileges, AkPrivilege, i).id == AK_PRIV006_RTM_LOGIN)
      return g_strdup ("006 RTM");
  return g_strdup ("006 RTC");
}

/* ---------------------------------------------------------------------------------------------
 * AkTokenEntry
 */

struct _AkTokenEntry
{
  GObject parent_instance;

  char *token;
  char *description;
  char *app_id;
  char *project_label;
  AkTokenVersion version;
  gint64 issued_at;
  gint64 expires_at;
  AkTokenOrigin origin;
};

G_DEFINE_FINAL_TYPE (AkTokenEntry, ak_token_entry, G_TYPE_OBJECT)

enum
{
  ENTRY_PROP_0,
  ENTRY_PROP_TOKEN,
  ENTRY_PROP_DESCRIPTION,
  ENTRY_PROP_APP_ID,
  ENTRY_PROP_PROJECT_LABEL,
  ENTRY_PROP_VERSION,
  ENTRY_PROP_ISSUED_AT,
  ENTRY_PROP_EXPIRES_AT,
  ENTRY_PROP_ORIGIN,
  ENTRY_N_PROPS
};

static GParamSpec *entry_properties[ENTRY_N_PROPS];

static void
ak_token_entry_finalize (GObject *object)
{
  AkTokenEntry *self = AK_TOKEN_ENTRY (object);

  ak_secret_string_free (self->token);
  g_free (self->description);
  g_free (self->app_id);
  g_free (self->project_label);

  G_OBJECT_CLASS (ak_token_entry_parent_class)->finalize (object);
}

static void
ak_token_entry_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AkTokenEntry *self = AK_TOKEN_ENTRY (object);

  switch (prop_id)
    {
    case ENTRY_PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case ENTRY_PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case ENTRY_PROP_APP_ID:
      g_value_set_string (value, self->app_id);
      break;
    case ENTRY_PROP_PROJECT_LABEL:
      g_value_set_string (value, self->project_label);
      break;
    case ENTRY_PROP_VERSION:
      g_value_set_uint (value, self->version);
      break;
    case ENTRY_PROP_ISSUED_AT:
      g_value_set_int64 (value, self->issued_at);
      break;
    case ENTRY_PROP_EXPIRES_AT:
      g_value_set_int64 (value, self->expires_at);
      break;
    case ENTRY_PROP_ORIGIN:
      g_value_set_enum (value, self->origin);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_token_entry_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AkTokenEntry *self = AK_TOKEN_ENTRY (object);

  switch (prop_id)
    {
    case ENTRY_PROP_DESCRIPTION:
      self->description = g_value_dup_string (value);
      break;
    case ENTRY_PROP_APP_ID:
      self->app_id = g_value_dup_string (value);
      break;
    case ENTRY_PROP_PROJECT_LABEL:
      self->project_label = g_value_dup_string (value);
      break;
    case ENTRY_PROP_VERSION:
      self->version = g_value_get_uint (value);
      break;
    case ENTRY_PROP_ISSUED_AT:
      self->issued_at = g_value_get_int64 (value);
      break;
    case ENTRY_PROP_EXPIRES_AT:
      self->expires_at = g_value_get_int64 (value);
      break;
    case ENTRY_PROP_ORIGIN:
      self->origin = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_token_entry_class_init (AkTokenEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS
                      | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ak_token_entry_finalize;
  object_class->get_property = ak_token_entry_get_property;
  object_class->set_property = ak_token_entry_set_property;

  /* Read-only: set by ak_token_entry_new() without passing through a GValue. */
  entry_properties[ENTRY_PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  entry_properties[ENTRY_PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, "", flags);
  entry_properties[ENTRY_PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL, "", flags);
  entry_properties[ENTRY_PROP_PROJECT_LABEL] =
    g_param_spec_string ("project-label", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_VERSION] =
    g_param_spec_uint ("version", NULL, NULL, AK_TOKEN_VERSION_006, AK_TOKEN_VERSION_007,
                       AK_TOKEN_VERSION_007, flags);
  entry_properties[ENTRY_PROP_ISSUED_AT] =
    g_param_spec_int64 ("issued-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  entry_properties[ENTRY_PROP_EXPIRES_AT] =
    g_param_spec_int64 ("expires-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  entry_properties[ENTRY_PROP_ORIGIN] =
    g_param_spec_enum ("origin", NULL, NULL, AK_TYPE_TOKEN_ORIGIN, AK_TOKEN_ORIGIN_GENERATED,
                       flags);

  g_object_class_install_properties (object_class, ENTRY_N_PROPS, entry_properties);
}

static void
ak_token_entry_init (AkTokenEntry *self)
{
  self->version = AK_TOKEN_VERSION_007;
}

/**
 * ak_token_entry_new:
 * @text: the token; surrounding white space and quotes are left out, as the parser does
 * @description: (nullable): what the token is for; %NULL for ak_token_describe()
 * @project_label: (nullable): the stored project it was made with or matched
 *
 * Returns: (transfer full) (nullable): the entry, or %NULL with the codec's error
 */
AkTokenEntry *
ak_token_entry_new (const char     *text,
                    AkTokenOrigin   origin,
                    const char     *description,
                    const char     *project_label,
                    GError        **error)
{
  g_autoptr(AkToken) token = NULL;
  g_autofree char *described = NULL;
  AkTokenEntry *self;
  gsize start;
  gsize end;
  gboolean is_006;

  g_return_val_if_fail (text != NULL, NULL);

  token = ak_token_parse (text, error);
  if (token == NULL)
    return NULL;

  if (description == NULL)
    description = described = ak_token_describe (token);

  is_006 = ak_token_get_version (token) == AK_TOKEN_VERSION_006;
  self = g_object_new (AK_TYPE_TOKEN_ENTRY,
                       "description", description,
                       "app-id", ak_token_get_app_id (token),
                       "project-label", project_label,
                       "version", (guint) ak_token_get_version (token),
                       "issued-at", is_006 ? (gint64) 0 : (gint64) ak_token_get_issue_ts (token),
                       "expires-at", is_006 ? (gint64) ak_token_get_ts (token)
                                            : ak_token_get_expires_at (token),
                       "origin", origin,
                       NULL);

  /* Set directly: a GValue would leave an unwiped copy behind. */
  ak_token_strip_text (text, &start, &end);
  self->token = g_strndup (text + start, end - start);
  return self;
}

const char *
ak_token_entry_get_token (AkTokenEntry *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_ENTRY (self), NULL);
  return self->token;
}

const char *
ak_token_entry_get_description (AkTokenEntry *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_ENTRY (self), NULL);
  return self->description;
}

const char *
ak_token_entry_get_app_id (AkTokenEntry *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_ENTRY (self), NULL);
  return self->app_id;
}

const char *
ak_token_entry_get_project_label (AkTokenEntry *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_ENTRY (self), NULL);
  return self->project_label;
}

AkTokenVersion
ak_token_entry_get_version (AkTokenEntry *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_ENTRY (self), AK_TOKEN_VERSION_007);
  return self->version;
}

gint64
ak_token_entry_get_issued_at (AkTokenEntry *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_ENTRY (self), 0);
  return self->issued_at;
}

gint64
ak_token_entry_get_expires_at (AkTokenEntry *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_ENTRY (self), 0);
  return self->expires_at;
}

AkTokenOrigin
ak_token_entry_get_origin (AkTokenEntry *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_ENTRY (self), AK_TOKEN_ORIGIN_GENERATED);
  return self->origin;
}

/* ---------------------------------------------------------------------------------------------
 * AkTokenHistory
 */

struct _AkTokenHistory
{
  GObject parent_instance;

  GPtrArray *entries;
  guint max_size;
};

static void ak_token_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AkTokenHistory, ak_token_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ak_token_history_list_model_init))

enum
{
  HISTORY_PROP_0,
  HISTORY_PROP_MAX_SIZE,
  HISTORY_PROP_N_ITEMS,
  HISTORY_N_PROPS
};

static GParamSpec *history_properties[HISTORY_N_PROPS];

AK_DEFINE_ARRAY_LIST_MODEL (AkTokenHistory, ak_token_history, AK_TYPE_TOKEN_ENTRY, entries)

static void
ak_token_history_finalize (GObject *object)
{
  AkTokenHistory *self = AK_TOKEN_HISTORY (object);

  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (ak_token_history_parent_class)->finalize (object);
}

static void
ak_token_history_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AkTokenHistory *self = AK_TOKEN_HISTORY (object);

  switch (prop_id)
    {
    case HISTORY_PROP_MAX_SIZE:
      g_value_set_uint (value, self->max_size);
      break;
    case HISTORY_PROP_N_ITEMS:
      g_value_set_uint (value, self->entries->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_token_history_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AkTokenHistory *self = AK_TOKEN_HISTORY (object);

  switch (prop_id)
    {
    case HISTORY_PROP_MAX_SIZE:
      self->max_size = g_value_get_uint (value);
      if (self->max_size == 0)
        self->max_size = AK_TOKEN_HISTORY_DEFAULT_SIZE;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_token_history_class_init (AkTokenHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ak_token_history_finalize;
  object_class->get_property = ak_token_history_get_property;
  object_class->set_property = ak_token_history_set_property;

  history_properties[HISTORY_PROP_MAX_SIZE] =
    g_param_spec_uint ("max-size", NULL, NULL, 0, G_MAXUINT, AK_TOKEN_HISTORY_DEFAULT_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS
                       | G_PARAM_EXPLICIT_NOTIFY);
  history_properties[HISTORY_PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, HISTORY_N_PROPS, history_properties);
}

static void
ak_token_history_init (AkTokenHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_size = AK_TOKEN_HISTORY_DEFAULT_SIZE;
}

AkTokenHistory *
ak_token_history_new (guint max_size)
{
  return g_object_new (AK_TYPE_TOKEN_HISTORY, "max-size", max_size, NULL);
}

guint
ak_token_history_get_max_size (AkTokenHistory *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_HISTORY (self), 0);
  return self->max_size;
}

static void
items_changed (AkTokenHistory *self,
               guint           position,
               guint           removed,
               guint           added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), history_properties[HISTORY_PROP_N_ITEMS]);
}

/**
 * ak_token_history_add:
 * @entry: the entry; a reference is taken
 *
 * Puts @entry at the top. An entry with the same token text leaves its old place, so a token
 * is listed once; past the size limit the oldest entry is dropped.
 */
void
ak_token_history_add (AkTokenHistory *self,
                      AkTokenEntry   *entry)
{
  g_return_if_fail (AK_IS_TOKEN_HISTORY (self));
  g_return_if_fail (AK_IS_TOKEN_ENTRY (entry));

  for (guint i = 0; i < self->entries->len; i++)
    {
      AkTokenEntry *listed = g_ptr_array_index (self->entries, i);

      if (listed == entry || g_strcmp0 (listed->token, entry->token) == 0)
        {
          g_object_ref (entry);
          g_ptr_array_remove_index (self->entries, i);
          g_ptr_array_insert (self->entries, 0, entry);
          /* Positions 0..i hold new items; one signal keeps views from seeing a gap. */
          items_changed (self, 0, i + 1, i + 1);
          return;
        }
    }

  g_ptr_array_insert (self->entries, 0, g_object_ref (entry));
  items_changed (self, 0, 0, 1);
  if (self->entries->len > self->max_size)
    {
      guint dropped = self->entries->len - self->max_size;

      g_ptr_array_set_size (self->entries, self->max_size);
      items_changed (self, self->max_size, dropped, 0);
    }
}

void
ak_token_history_remove (AkTokenHistory *self,
                         guint           position)
{
  g_return_if_fail (AK_IS_TOKEN_HISTORY (self));
  g_return_if_fail (position < self->entries->len);

  g_ptr_array_remove_index (self->entries, position);
  items_changed (self, position, 1, 0);
}

void
ak_token_history_clear (AkTokenHistory *self)
{
  guint n;

  g_return_if_fail (AK_IS_TOKEN_HISTORY (self));

  n = self->entries->len;
  if (n == 0)
    return;
  g_ptr_array_set_size (self->entries, 0);
  items_changed (self, 0, n, 0);
}
