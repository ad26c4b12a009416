/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>

#include "ak-core-enums.h"
#include "ak-credential-private.h"
#include "ak-error.h"
#include "ak-token.h"

#define MAX_LABEL_CHARS 200

struct _AkCredential
{
  GObject parent_instance;

  AkCredentialKind kind;
  char *id;
  char *label;
  char *app_id;
  char *customer_id;
  char *chat_org;
  char *chat_app;
  char *chat_host;
  char *token_server_url;
  char *notes;
  gboolean has_secondary;
  gint64 secondary_removed_at;
  /* Derived from the label: for lookups by label, and for the model's order. */
  char *folded_label;
  char *sort_key;
};

G_DEFINE_FINAL_TYPE (AkCredential, ak_credential, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_KIND,
  PROP_ID,
  PROP_LABEL,
  PROP_APP_ID,
  PROP_CUSTOMER_ID,
  PROP_CHAT_ORG,
  PROP_CHAT_APP,
  PROP_CHAT_HOST,
  PROP_TOKEN_SERVER_URL,
  PROP_NOTES,
  PROP_HAS_SECONDARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char * const ak_credential_attribute_names[AK_CREDENTIAL_N_ATTRIBUTES] = {
  AK_ATTR_ID, AK_ATTR_KIND, AK_ATTR_LABEL, AK_ATTR_APP_ID, AK_ATTR_CUSTOMER_ID,
  AK_ATTR_CHAT_ORG, AK_ATTR_CHAT_APP, AK_ATTR_CHAT_HOST, AK_ATTR_TOKEN_SERVER_URL,
  AK_ATTR_NOTES, AK_ATTR_HAS_SECONDARY, AK_ATTR_SECONDARY_REMOVED,
};

/* ---------------------------------------------------------------------------------------------
 * Secret memory
 */

/* Length-independent only in the contents, which is what matters for a read-back check. */
gboolean
ak_secret_equal (const char *a,
                 gsize       a_length,
                 const char *b,
                 gsize       b_length)
{
  if (a_length != b_length)
    return FALSE;
  if (a_length == 0)
    return TRUE;
  return CRYPTO_memcmp (a, b, a_length) == 0;
}

/* ---------------------------------------------------------------------------------------------
 * AkCredential
 */

const char *
ak_credential_kind_to_string (AkCredentialKind kind)
{
  return kind == AK_CREDENTIAL_CUSTOMER ? "customer" : "project";
}

gboolean
ak_credential_kind_from_string (const char       *text,
                                AkCredentialKind *kind)
{
  if (g_strcmp0 (text, "project") == 0)
    *kind = AK_CREDENTIAL_PROJECT;
  else if (g_strcmp0 (text, "customer") == 0)
    *kind = AK_CREDENTIAL_CUSTOMER;
  else
    return FALSE;
  return TRUE;
}

char *
ak_credential_fold_label (const char *label)
{
  g_autofree char *stripped = g_strstrip (g_strdup (label != NULL ? label : ""));
  g_autofree char *normalized = g_utf8_normalize (stripped, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  if (normalized == NULL)
    return g_steal_pointer (&stripped);
  return g_utf8_casefold (normalized, -1);
}

gboolean
ak_credential_labels_equal (const char *a,
                            const char *b)
{
  g_autofree char *fa = ak_credential_fold_label (a);
  g_autofree char *fb = ak_credential_fold_label (b);

  return g_str_equal (fa, fb);
}

static void
update_sort_key (AkCredential *self)
{
  g_autofree char *key = NULL;

  g_free (self->folded_label);
  self->folded_label = ak_credential_fold_label (self->label);
  key = g_utf8_collate_key (self->folded_label, -1);
  g_free (self->sort_key);
  self->sort_key = g_strconcat (self->kind == AK_CREDENTIAL_PROJECT ? "0" : "1", key, NULL);
}

static char **
string_field (AkCredential *self,
              guint         prop_id)
{
  switch (prop_id)
    {
    case PROP_ID: return &self->id;
    case PROP_LABEL: return &self->label;
    case PROP_APP_ID: return &self->app_id;
    case PROP_CUSTOMER_ID: return &self->customer_id;
    case PROP_CHAT_ORG: return &self->chat_org;
    case PROP_CHAT_APP: return &self->chat_app;
    case PROP_CHAT_HOST: return &self->chat_host;
    case PROP_TOKEN_SERVER_URL: return &self->token_server_url;
    case PROP_NOTES: return &self->notes;
    default: return NULL;
    }
}

static void
set_string (AkCredential *self,
            guint         prop_id,
            const char   *value)
{
  char **field = string_field (self, prop_id);

  g_assert (field != NULL);
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  if (prop_id == PROP_LABEL)
    update_sort_key (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
ak_credential_finalize (GObject *object)
{
  AkCredential *self = AK_CREDENTIAL (object);

  for (guint prop_id = PROP_ID; prop_id <= PROP_NOTES; prop_id++)
    g_free (*string_field (self, prop_id));
  g_free (self->folded_label);
  g_free (self->sort_key);

  G_OBJECT_CLASS (ak_credential_parent_class)->finalize (object);
}

static void
ak_credential_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AkCredential *self = AK_CREDENTIAL (object);
  char **field = string_field (self, prop_id);

  if (field != NULL)
    {
      g_value_set_string (value, *field);
      return;
    }
  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_HAS_SECONDARY:
      g_value_set_boolean (value, self->has_secondary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_credential_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AkCredential *self = AK_CREDENTIAL (object);

  /* The string fields (the id is read-only, so GObject never sets it here), then the kind. */
  if (string_field (self, prop_id) != NULL)
    set_string (self, prop_id, g_value_get_string (value));
  else if (prop_id == PROP_KIND)
    {
      self->kind = g_value_get_enum (value);
      update_sort_key (self);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ak_credential_class_init (AkCredentialClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ak_credential_finalize;
  object_class->get_property = ak_credential_get_property;
  object_class->set_property = ak_credential_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, AK_TYPE_CREDENTIAL_KIND, AK_CREDENTIAL_PROJECT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, "", ro);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, "", rw);
  properties[PROP_APP_ID] = g_param_spec_string ("app-id", NULL, NULL, "", rw);
  properties[PROP_CUSTOMER_ID] = g_param_spec_string ("customer-id", NULL, NULL, "", rw);
  properties[PROP_CHAT_ORG] = g_param_spec_string ("chat-org", NULL, NULL, "", rw);
  properties[PROP_CHAT_APP] = g_param_spec_string ("chat-app", NULL, NULL, "", rw);
  properties[PROP_CHAT_HOST] = g_param_spec_string ("chat-host", NULL, NULL, "", rw);
  properties[PROP_TOKEN_SERVER_URL] =
    g_param_spec_string ("token-server-url", NULL, NULL, "", rw);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, "", rw);
  properties[PROP_HAS_SECONDARY] =
    g_param_spec_boolean ("has-secondary", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ak_credential_init (AkCredential *self)
{
  for (guint prop_id = PROP_ID; prop_id <= PROP_NOTES; prop_id++)
    *string_field (self, prop_id) = g_strdup ("");
  update_sort_key (self);
}

AkCredential *
ak_credential_new (AkCredentialKind kind)
{
  return g_object_new (AK_TYPE_CREDENTIAL, "kind", kind, NULL);
}

AkCredential *
ak_credential_copy (AkCredential *self)
{
  AkCredential *copy;

  g_return_val_if_fail (AK_IS_CREDENTIAL (self), NULL);

  copy = ak_credential_new (self->kind);
  ak_credential_set_id (copy, self->id);
  ak_credential_update_from (copy, self);
  return copy;
}

void
ak_credential_update_from (AkCredential *self,
                           AkCredential *other)
{
  g_return_if_fail (AK_IS_CREDENTIAL (self));
  g_return_if_fail (AK_IS_CREDENTIAL (other));

  g_object_freeze_notify (G_OBJECT (self));
  for (guint prop_id = PROP_LABEL; prop_id <= PROP_NOTES; prop_id++)
    set_string (self, prop_id, *string_field (other, prop_id));
  ak_credential_set_has_secondary (self, other->has_secondary);
  self->secondary_removed_at = other->secondary_removed_at;
  g_object_thaw_notify (G_OBJECT (self));
}

AkCredentialKind
ak_credential_get_kind (AkCredential *self)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL (self), AK_CREDENTIAL_PROJECT);
  return self->kind;
}

const char *
ak_credential_get_id (AkCredential *self)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL (self), NULL);
  return self->id;
}

void
ak_credential_set_id (AkCredential *self,
                      const char   *id)
{
  g_return_if_fail (AK_IS_CREDENTIAL (self));
  set_string (self, PROP_ID, id);
}

gboolean
ak_credential_get_has_secondary (AkCredential *self)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL (self), FALSE);
  return self->has_secondary;
}

/**
 * ak_credential_get_secondary_removed_at:
 *
 * Returns: when this project's secondary certificate was last removed, in unix seconds, or 0
 *   if it never was (as far as the keyring item remembers)
 */
gint64
ak_credential_get_secondary_removed_at (AkCredential *self)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL (self), 0);
  return self->secondary_removed_at;
}

void
ak_credential_set_secondary_removed_at (AkCredential *self,
                                        gint64        when)
{
  g_return_if_fail (AK_IS_CREDENTIAL (self));
  self->secondary_removed_at = MAX (when, 0);
}

void
ak_credential_set_has_secondary (AkCredential *self,
                                 gboolean      has_secondary)
{
  g_return_if_fail (AK_IS_CREDENTIAL (self));

  has_secondary = !!has_secondary;
  if (self->has_secondary == has_secondary)
    return;
  self->has_secondary = has_secondary;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SECONDARY]);
}

const char *
ak_credential_get_folded_label (AkCredential *self)
{
  return self->folded_label;
}

int
ak_credential_compare (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  AkCredential *ca = AK_CREDENTIAL ((gpointer) a);
  AkCredential *cb = AK_CREDENTIAL ((gpointer) b);
  int cmp = strcmp (ca->sort_key, cb->sort_key);

  if (cmp != 0)
    return cmp;
  cmp = strcmp (ca->label, cb->label);
  if (cmp != 0)
    return cmp;
  return strcmp (ca->id, cb->id);
}

#define DEFINE_STRING_ACCESSORS(name, PROP)                          \
  const char *                                                        \
  ak_credential_get_##name (AkCredential *self)                       \
  {                                                                   \
    g_return_val_if_fail (AK_IS_CREDENTIAL (self), NULL);             \
    return self->name;                                                \
  }                                                                   \
                                                                      \
  void                                                                \
  ak_credential_set_##name (AkCredential *self,                       \
                            const char   *value)                      \
  {                                                                   \
    g_return_if_fail (AK_IS_CREDENTIAL (self));                       \
    set_string (self, PROP, value);                                   \
  }

DEFINE_STRING_ACCESSORS (label, PROP_LABEL)
DEFINE_STRING_ACCESSORS (app_id, PROP_APP_ID)
DEFINE_STRING_ACCESSORS (customer_id, PROP_CUSTOMER_ID)
DEFINE_STRING_ACCESSORS (chat_org, PROP_CHAT_ORG)
DEFINE_STRING_ACCESSORS (chat_app, PROP_CHAT_APP)
DEFINE_STRING_ACCESSORS (chat_host, PROP_CHAT_HOST)
DEFINE_STRING_ACCESSORS (token_server_url, PROP_TOKEN_SERVER_URL)
DEFINE_STRING_ACCESSORS (notes, PROP_NOTES)

static gboolean
contains_folded (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL || *haystack == '\0')
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, folded_needle) != NULL;
}

gboolean
ak_credential_matches (AkCredential *self,
                       const char   *needle)
{
  g_autofree char *stripped = NULL;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (AK_IS_CREDENTIAL (self), FALSE);

  if (needle == NULL)
    return TRUE;
  stripped = g_strstrip (g_strdup (needle));
  if (*stripped == '\0')
    return TRUE;
  folded = g_utf8_casefold (stripped, -1);

  return contains_folded (self->label, folded)
         || contains_folded (self->app_id, folded)
         || contains_folded (self->customer_id, folded)
         || contains_folded (self->chat_org, folded)
         || contains_folded (self->chat_app, folded);
}

/* ---------------------------------------------------------------------------------------------
 * Validation
 */

typedef enum
{
  TEXT_OK,
  TEXT_EMPTY,
  TEXT_NOT_UTF8,
  TEXT_SPACE,
  TEXT_UNPRINTABLE,
} TextProblem;

/* For IDs and secrets: one printable word. Reports where, never what (it may be secret). */
static TextProblem
check_word (const char *text,
            glong      *position)
{
  glong index = 0;

  *position = 0;
  if (text == NULL || *text == '\0')
    return TEXT_EMPTY;
  if (!g_utf8_validate (text, -1, NULL))
    return TEXT_NOT_UTF8;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), index++)
    {
      gunichar c = g_utf8_get_char (p);

      *position = index + 1;
      if (g_unichar_isspace (c))
        return TEXT_SPACE;
      if (!g_unichar_isgraph (c))
        return TEXT_UNPRINTABLE;
    }
  return TEXT_OK;
}

gboolean
ak_credential_validate_word (const char *text,
                             const char *what,
                             const char *where_to_find,
                             GError    **error)
{
  glong position;

  switch (check_word (text, &position))
    {
    case TEXT_OK:
      return TRUE;
    case TEXT_EMPTY:
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The %s is empty; %s"), what, where_to_find);
      return FALSE;
    case TEXT_NOT_UTF8:
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The %s is not valid text; copy it again from Agora Console."), what);
      return FALSE;
    case TEXT_SPACE:
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The %s has white space at character %ld; it is a single word with no "
                     "spaces."), what, position);
      return FALSE;
    case TEXT_UNPRINTABLE:
    default:
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The %s has an invisible or control character at character %ld; copy it "
                     "again from Agora Console."), what, position);
      return FALSE;
    }
}

static gboolean
validate_label (const char *label,
                GError    **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (label));

  if (*stripped == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The label is empty; give the credential a name, such as "
                             "“Production”."));
      return FALSE;
    }
  if (!g_utf8_validate (stripped, -1, NULL))
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The label is not valid UTF-8 text."));
      return FALSE;
    }
  for (const char *p = stripped; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                             _("The label has a line break or another control character; "
                               "keep it to one line."));
        return FALSE;
      }
  if (g_utf8_strlen (stripped, -1) > MAX_LABEL_CHARS)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The label is longer than %d characters."), MAX_LABEL_CHARS);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_host_name (const char *host)
{
  gsize length = strlen (host);
  const char *label_start = host;

  if (length == 0 || length > 253)
    return FALSE;

  for (const char *p = host;; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          gsize label_length = (gsize) (p - label_start);

          if (label_length == 0 || label_length > 63
              || *label_start == '-' || p[-1] == '-')
            return FALSE;
          if (*p == '\0')
            return TRUE;
          label_start = p + 1;
        }
      else if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }
}

/* Console shows the Chat REST host as "a41.chat.agora.io"; people also paste it as a URL. */
static gboolean
validate_chat_host (const char *chat_host,
                    GError    **error)
{
  g_autofree char *host = NULL;
  char *colon;
  gsize length;

  if (chat_host == NULL || *chat_host == '\0')
    return TRUE;

  host = g_strdup (g_str_has_prefix (chat_host, "https://") ? chat_host + strlen ("https://")
                                                             : chat_host);
  length = strlen (host);
  if (length > 0 && host[length - 1] == '/')
    host[length - 1] = '\0';

  colon = strchr (host, ':');
  if (colon != NULL)
    {
      guint64 port;

      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
        goto bad;
      *colon = '\0';
    }

  if (is_host_name (host))
    return TRUE;

bad:
  g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("The Chat REST host should be a host name such as "
                         "a41.chat.agora.io, as shown on the Chat page of Agora Console."));
  return FALSE;
}

static gboolean
validate_chat_name (const char *name,
                    const char *what,
                    GError    **error)
{
  if (name == NULL || *name == '\0')
    return TRUE;

  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("/#?%", *p) != NULL)
      {
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The Chat %s cannot contain spaces or any of / # ? %%; copy it from "
                       "the Chat page of Agora Console."), what);
        return FALSE;
      }
  return TRUE;
}

static gboolean
validate_token_server_url (const char *url,
                           GError    **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme = NULL;

  if (url == NULL || *url == '\0')
    return TRUE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    scheme = g_uri_get_scheme (uri);
  if (uri == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The token server URL should start with https:// or http://, "
                             "like https://tokens.example.com/rtc."));
      return FALSE;
    }
  return TRUE;
}

gboolean
ak_credential_validate (AkCredential *self,
                        GError      **error)
{
  g_return_val_if_fail (AK_IS_CREDENTIAL (self), FALSE);

  if (!validate_label (self->label, error))
    return FALSE;

  if (self->kind == AK_CREDENTIAL_CUSTOMER)
    return ak_credential_validate_word (self->customer_id, _("Customer ID"),
                                        _("copy it from Agora Console, under Developer Toolkit → "
                                          "RESTful API."),
                                        error);

  return ak_validate_app_id (self->app_id, error)
         && validate_chat_name (self->chat_org, _("organization name"), error)
         && validate_chat_name (self->chat_app, _("app name"), error)
         && validate_chat_host (self->chat_host, error)
         && validate_token_server_url (self->token_server_url, error);
}

/* ---------------------------------------------------------------------------------------------
 * Keyring attributes
 */

GHashTable *
ak_credential_to_attributes (AkCredential *self)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  gboolean project = self->kind == AK_CREDENTIAL_PROJECT;

  /* Fields of the other kind are left empty so that what is stored is what is shown. */
  g_hash_table_insert (attributes, (char *) AK_ATTR_ID, g_strdup (self->id));
  g_hash_table_insert (attributes, (char *) AK_ATTR_KIND,
                       g_strdup (ak_credential_kind_to_string (self->kind)));
  g_hash_table_insert (attributes, (char *) AK_ATTR_LABEL,
                       g_strstrip (g_strdup (self->label)));
  g_hash_table_insert (attributes, (char *) AK_ATTR_APP_ID,
                       g_strdup (project ? self->app_id : ""));
  g_hash_table_insert (attributes, (char *) AK_ATTR_CUSTOMER_ID,
                       g_strdup (project ? "" : self->customer_id));
  g_hash_table_insert (attributes, (char *) AK_ATTR_CHAT_ORG,
                       g_strdup (project ? self->chat_org : ""));
  g_hash_table_insert (attributes, (char *) AK_ATTR_CHAT_APP,
                       g_strdup (project ? self->chat_app : ""));
  g_hash_table_insert (attributes, (char *) AK_ATTR_CHAT_HOST,
                       g_strdup (project ? self->chat_host : ""));
  g_hash_table_insert (attributes, (char *) AK_ATTR_TOKEN_SERVER_URL,
                       g_strdup (project ? self->token_server_url : ""));
  g_hash_table_insert (attributes, (char *) AK_ATTR_NOTES, g_strdup (self->notes));
  g_hash_table_insert (attributes, (char *) AK_ATTR_HAS_SECONDARY,
                       g_strdup (project && self->has_secondary ? "true" : "false"));
  g_hash_table_insert (attributes, (char *) AK_ATTR_SECONDARY_REMOVED,
                       project && self->secondary_removed_at > 0
                         ? g_strdup_printf ("%" G_GINT64_FORMAT, self->secondary_removed_at)
                         : g_strdup (""));
  return attributes;
}

AkCredential *
ak_credential_new_from_attributes (GHashTable *attributes)
{
  const char *id = g_hash_table_lookup (attributes, AK_ATTR_ID);
  const char *removed;
  guint64 removed_at;
  AkCredentialKind kind;
  AkCredential *self;

  if (id == NULL || *id == '\0'
      || !ak_credential_kind_from_string (g_hash_table_lookup (attributes, AK_ATTR_KIND), &kind))
    return NULL;

  self = ak_credential_new (kind);
  /* A fresh object has no listeners: set the fields without notifications. */
  for (guint prop_id = PROP_ID; prop_id <= PROP_NOTES; prop_id++)
    {
      const char *value = g_hash_table_lookup (attributes, properties[prop_id]->name);
      char **field = string_field (self, prop_id);

      g_free (*field);
      *field = g_strdup (value != NULL ? value : "");
    }
  self->has_secondary = g_strcmp0 (g_hash_table_lookup (attributes, AK_ATTR_HAS_SECONDARY),
                                   "true") == 0;
  /* Items stored before this attribute existed have none: never removed, as far as known. */
  removed = g_hash_table_lookup (attributes, AK_ATTR_SECONDARY_REMOVED);
  if (removed == NULL
      || !g_ascii_string_to_unsigned (removed, 10, 1, G_MAXINT64, &removed_at, NULL))
    removed_at = 0;
  self->secondary_removed_at = (gint64) removed_at;
  update_sort_key (self);
  return self;
}

char *
ak_credential_dup_item_label (AkCredential *self)
{
  g_autofree char *label = g_strstrip (g_strdup (self->label));

  if (self->kind == AK_CREDENTIAL_CUSTOMER)
    return g_strdup_printf (_("Agora customer credential “%s”"), label);
  return g_strdup_printf (_("Agora project “%s”"), label);
}
