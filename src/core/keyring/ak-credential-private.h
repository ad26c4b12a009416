/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-credential.h"

G_BEGIN_DECLS

/* Attribute names of the keyring schema; AK_CREDENTIAL_N_ATTRIBUTES of them. */
#define AK_ATTR_ID "id"
#define AK_ATTR_KIND "kind"
#define AK_ATTR_LABEL "label"
#define AK_ATTR_APP_ID "app-id"
#define AK_ATTR_CUSTOMER_ID "customer-id"
#define AK_ATTR_CHAT_ORG "chat-org"
#define AK_ATTR_CHAT_APP "chat-app"
#define AK_ATTR_CHAT_HOST "chat-host"
#define AK_ATTR_TOKEN_SERVER_URL "token-server-url"
#define AK_ATTR_NOTES "notes"
#define AK_ATTR_HAS_SECONDARY "has-secondary"
/* When a secondary certificate was last removed (unix seconds), "" if never: tokens signed
 * with it stop working at once, and the token doctor says so. Not a secret. */
#define AK_ATTR_SECONDARY_REMOVED "secondary-removed"
#define AK_CREDENTIAL_N_ATTRIBUTES 12

extern const char * const ak_credential_attribute_names[AK_CREDENTIAL_N_ATTRIBUTES];

gboolean      ak_secret_equal                     (const char *a,
                                                   gsize a_length,
                                                   const char *b,
                                                   gsize b_length);

const char   *ak_credential_kind_to_string        (AkCredentialKind kind);
gboolean      ak_credential_kind_from_string      (const char *text,
                                                   AkCredentialKind *kind);

void          ak_credential_set_id                (AkCredential *self,
                                                   const char *id);
void          ak_credential_set_has_secondary     (AkCredential *self,
                                                   gboolean has_secondary);
/* A key that sorts the model: kind first, then the label in the locale's collation. */
int           ak_credential_compare               (gconstpointer a,
                                                   gconstpointer b,
                                                   gpointer user_data);
/* Copies every field but the id and the kind, notifying only what changed. */
void          ak_credential_update_from           (AkCredential *self,
                                                   AkCredential *other);
/* TRUE if @a and @b name the same label, ignoring case and surrounding white space. */
gboolean      ak_credential_labels_equal          (const char *a,
                                                   const char *b);
/* The label trimmed, normalized and case-folded: equal for labels that are the same. */
char         *ak_credential_fold_label            (const char *label);
const char   *ak_credential_get_folded_label      (AkCredential *self);

/* string -> string, every attribute of the schema, label trimmed. */
GHashTable   *ak_credential_to_attributes         (AkCredential *self);
/* NULL when the attributes are not those of a credential of ours. */
AkCredential *ak_credential_new_from_attributes   (GHashTable *attributes);
/* The item label shown by keyring managers such as Seahorse. */
char         *ak_credential_dup_item_label        (AkCredential *self);

/* For IDs and secrets: one printable word. The errors say where the problem is, never what
 * the text is (it may be secret); @where_to_find ends the sentence for an empty one. */
gboolean      ak_credential_validate_word         (const char *text,
                                                   const char *what,
                                                   const char *where_to_find,
                                                   GError **error);

gboolean      ak_credential_secrets_has_secondary (const AkCredentialSecrets *secrets);
/* The stored secret value: the Customer Secret as text, or a JSON object of certificates.
 * The returned buffer is to be freed with ak_secret_string_free(). */
char         *ak_credential_secrets_encode        (const AkCredentialSecrets *secrets,
                                                   AkCredentialKind kind,
                                                   const char **content_type);
AkCredentialSecrets *ak_credential_secrets_decode (const char *data,
                                                   gsize length,
                                                   AkCredentialKind kind,
                                                   GError **error);

G_END_DECLS
