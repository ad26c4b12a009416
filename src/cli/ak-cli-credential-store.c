/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-credential-store.h"
#include "ak-cli.h"
#include "ak-cli-credential-private.h"

/* The keyring as every command reaches it: opened without fallback or prompt, and driven
 * one async call at a time. */

/**
 * ak_cli_credential_open_store:
 *
 * The keyring, loaded and unlocked, for every command that needs it. The command line never
 * falls back to memory: what it stores must outlive it. Nor does it raise an unlock prompt:
 * on a desktop nobody may be watching, and scripts would wait on it forever. A locked
 * keyring is an error that says how to unlock it; it is never taken for an empty one.
 * Without a Secret Service or a default collection this fails with
 * %AK_ERROR_KEYRING_UNAVAILABLE, locked with %AK_ERROR_KEYRING_LOCKED (both exit status 5).
 *
 * Returns: (transfer full) (nullable): the store
 */
AkCredentialStore *
ak_cli_credential_open_store (GError **error)
{
  g_autoptr(AkCredentialStore) store = ak_credential_store_new (APP_ID);
  g_autoptr(GAsyncResult) result = NULL;
  AkCliWait wait = { NULL };

  ak_credential_store_load_async (store, NULL, ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  if (!ak_credential_store_load_finish (store, result, error))
    return NULL;

  switch (ak_credential_store_get_state (store))
    {
    case AK_KEYRING_STATE_SESSION_ONLY:
      if (ak_credential_store_get_unavailable_error (store) != NULL)
        g_propagate_error (error,
                           g_error_copy (ak_credential_store_get_unavailable_error (store)));
      else
        g_set_error_literal (error, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE,
                             _("The system keyring cannot be reached through the Secret "
                               "Service. Install gnome-keyring (or another Secret Service "
                               "such as KeePassXC) and log in again."));
      return NULL;
    case AK_KEYRING_STATE_LOCKED:
      g_set_error_literal (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED,
                           _("The keyring is locked. Unlock it with Seahorse (Passwords and "
                             "Keys) or by logging in to the desktop, then try again."));
      return NULL;
    case AK_KEYRING_STATE_NO_COLLECTION:
      g_set_error_literal (error, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE,
                           ak_credential_store_get_state_message (store));
      return NULL;
    case AK_KEYRING_STATE_UNKNOWN:
    case AK_KEYRING_STATE_READY:
    default:
      break;
    }

  return g_steal_pointer (&store);
}

AkCredential *
ak_cli_credential_store_add (AkCredentialStore         *store,
                             AkCredential              *credential,
                             const AkCredentialSecrets *secrets,
                             GError                   **error)
{
  AkCliWait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  ak_credential_store_add_async (store, credential, secrets, NULL, ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  return ak_credential_store_add_finish (store, result, error);
}

gboolean
ak_cli_credential_store_update (AkCredentialStore         *store,
                                AkCredential              *existing,
                                AkCredential              *changes,
                                const AkCredentialSecrets *secrets,
                                GError                   **error)
{
  AkCliWait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  ak_credential_store_update_async (store, existing, changes, secrets, NULL,
                                    ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  return ak_credential_store_update_finish (store, result, error);
}

gboolean
ak_cli_credential_store_delete (AkCredentialStore *store,
                                AkCredential      *credential,
                                GError           **error)
{
  AkCliWait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  ak_credential_store_delete_async (store, credential, NULL, ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  return ak_credential_store_delete_finish (store, result, error);
}

AkCredentialSecrets *
ak_cli_credential_store_load_secrets (AkCredentialStore *store,
                                      AkCredential      *credential,
                                      GError           **error)
{
  AkCliWait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  ak_credential_store_load_secrets_async (store, credential, NULL, ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  return ak_credential_store_load_secrets_finish (store, result, error);
}

gboolean
ak_cli_credential_parse_kind (const char       *text,
                              AkCredentialKind *kind,
                              GError          **error)
{
  if (g_strcmp0 (text, "project") == 0)
    *kind = AK_CREDENTIAL_PROJECT;
  else if (g_strcmp0 (text, "customer") == 0)
    *kind = AK_CREDENTIAL_CUSTOMER;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The kind is “project” or “customer”, not “%s”"), text);
      return FALSE;
    }
  return TRUE;
}

/* By label; --kind settles it when a project and a customer credential share one. */
AkCredential *
ak_cli_credential_find (AkCredentialStore *store,
                        const char        *label,
                        const char        *kind_text,
                        GError           **error)
{
  AkCredential *project = NULL;
  AkCredential *customer = NULL;
  AkCredentialKind kind;

  if (kind_text != NULL)
    {
      if (!ak_cli_credential_parse_kind (kind_text, &kind, error))
        return NULL;
      if (kind == AK_CREDENTIAL_PROJECT)
        project = ak_credential_store_find (store, kind, label);
      else
        customer = ak_credential_store_find (store, kind, label);
    }
  else
    {
      project = ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, label);
      customer = ak_credential_store_find (store, AK_CREDENTIAL_CUSTOMER, label);
    }

  if (project != NULL && customer != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Both a project and a customer credential are named “%s”; add --kind "
                     "project or --kind customer"), label);
      return NULL;
    }
  if (project == NULL && customer == NULL)
    {
      g_autofree char *shown = ak_cli_printable (label);

      g_set_error (error, AK_ERROR, AK_ERROR_NOT_FOUND,
                   _("Nothing in the keyring is named “%s”. Run “%s credential list” to see "
                     "the labels."), shown, AK_CLI_PROGRAM);
      return NULL;
    }
  return g_object_ref (project != NULL ? project : customer);
}


/**
 * ak_cli_credential_fetch_project:
 * @label: the project's label
 * @secondary: whether to take the secondary certificate
 * @app_id: (out): the App ID
 * @certificate: (out): the certificate; free it with ak_secret_string_free()
 *
 * For `build --project`: the App ID and a certificate from the keyring.
 */
gboolean
ak_cli_credential_fetch_project (const char  *label,
                                 gboolean     secondary,
                                 char       **app_id,
                                 char       **certificate,
                                 GError     **error)
{
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  AkCredential *project;

  store = ak_cli_credential_open_store (error);
  if (store == NULL)
    return FALSE;

  project = ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, label);
  if (project == NULL)
    {
      g_autofree char *shown = ak_cli_printable (label);

      g_set_error (error, AK_ERROR, AK_ERROR_NOT_FOUND,
                   _("No project in the keyring is named “%s”. Run “%s credential list” to "
                     "see the labels."), shown, AK_CLI_PROGRAM);
      return FALSE;
    }
  if (secondary && !ak_credential_get_has_secondary (project))
    {
      g_autofree char *shown = ak_cli_printable (ak_credential_get_label (project));

      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The project “%s” has no secondary certificate."), shown);
      return FALSE;
    }

  secrets = ak_cli_credential_store_load_secrets (store, project, error);
  if (secrets == NULL)
    return FALSE;

  *app_id = g_strdup (ak_credential_get_app_id (project));
  if (secondary)
    *certificate = g_steal_pointer (&secrets->secondary_certificate);
  else
    *certificate = g_steal_pointer (&secrets->primary_certificate);
  return TRUE;
}
