/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ak-secret.h"

G_BEGIN_DECLS

/**
 * AkCredentialKind:
 * @AK_CREDENTIAL_PROJECT: an Agora project: App ID, certificates, Chat settings
 * @AK_CREDENTIAL_CUSTOMER: an account-level Customer ID / Customer Secret pair (REST Basic auth)
 */
typedef enum
{
  AK_CREDENTIAL_PROJECT,
  AK_CREDENTIAL_CUSTOMER,
} AkCredentialKind;

#define AK_TYPE_CREDENTIAL (ak_credential_get_type ())
G_DECLARE_FINAL_TYPE (AkCredential, ak_credential, AK, CREDENTIAL, GObject)

/*
 * The non-secret side of a stored credential, as shown in lists. Secrets are never held
 * here: they are fetched on demand with ak_credential_store_load_secrets_async() into an
 * AkCredentialSecrets that wipes itself when freed.
 *
 * Properties (all strings, "" when unset): id (stable, set by the store), label, app-id,
 * chat-org, chat-app, chat-host, token-server-url, notes (projects); customer-id (customers);
 * plus kind (AkCredentialKind) and has-secondary (boolean, projects).
 */
AkCredential     *ak_credential_new                  (AkCredentialKind kind);
AkCredential     *ak_credential_copy                 (AkCredential *self);

AkCredentialKind  ak_credential_get_kind             (AkCredential *self);
const char       *ak_credential_get_id               (AkCredential *self);
const char       *ak_credential_get_label            (AkCredential *self);
void              ak_credential_set_label            (AkCredential *self, const char *label);
const char       *ak_credential_get_app_id           (AkCredential *self);
void              ak_credential_set_app_id           (AkCredential *self, const char *app_id);
const char       *ak_credential_get_customer_id      (AkCredential *self);
void              ak_credential_set_customer_id      (AkCredential *self, const char *customer_id);
const char       *ak_credential_get_chat_org         (AkCredential *self);
void              ak_credential_set_chat_org         (AkCredential *self, const char *chat_org);
const char       *ak_credential_get_chat_app         (AkCredential *self);
void              ak_credential_set_chat_app         (AkCredential *self, const char *chat_app);
const char       *ak_credential_get_chat_host        (AkCredential *self);
void              ak_credential_set_chat_host        (AkCredential *self, const char *chat_host);
const char       *ak_credential_get_token_server_url (AkCredential *self);
void              ak_credential_set_token_server_url (AkCredential *self, const char *url);
const char       *ak_credential_get_notes            (AkCredential *self);
void              ak_credential_set_notes            (AkCredential *self, const char *notes);
gboolean          ak_credential_get_has_secondary    (AkCredential *self);
gint64            ak_credential_get_secondary_removed_at (AkCredential *self);
void              ak_credential_set_secondary_removed_at (AkCredential *self, gint64 when);

/* TRUE if @needle (case-insensitive) is in the label, App ID, Customer ID or Chat names. */
gboolean          ak_credential_matches              (AkCredential *self, const char *needle);

/* Checks label (non-empty), App ID / Customer ID format and Chat host; same messages as
 * the codec. Does not check label uniqueness (the store does). */
gboolean          ak_credential_validate             (AkCredential *self, GError **error);

/**
 * AkCredentialSecrets:
 * @primary_certificate: projects: the primary App Certificate
 * @secondary_certificate: (nullable): projects: the secondary App Certificate
 * @customer_secret: customers: the Customer Secret
 *
 * Secret values of one credential, in memory only while used: ak_credential_secrets_free()
 * overwrites them before freeing.
 */
typedef struct
{
  char *primary_certificate;
  char *secondary_certificate;
  char *customer_secret;
} AkCredentialSecrets;

#define AK_TYPE_CREDENTIAL_SECRETS (ak_credential_secrets_get_type ())
GType                ak_credential_secrets_get_type (void) G_GNUC_CONST;
AkCredentialSecrets *ak_credential_secrets_new      (void);
AkCredentialSecrets *ak_credential_secrets_copy     (const AkCredentialSecrets *secrets);
void                 ak_credential_secrets_free     (AkCredentialSecrets *secrets);
gboolean             ak_credential_secrets_validate (const AkCredentialSecrets *secrets,
                                                     AkCredentialKind kind,
                                                     GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkCredentialSecrets, ak_credential_secrets_free)

G_END_DECLS
