/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-console-projects.h"
#include "ak-requests-page-internal.h"
#include "ak-ui-util.h"

/* The Requests page saves the projects a Console listing returned into the keyring. */

/* ---------------------------------------------------------------------------------------------
 * Saving the projects of a Console listing into the keyring
 */

static void
import_finished (AkRequestsPage *self)
{
  g_autofree char *message = NULL;

  guint listed = self->import_saved + self->import_skipped;

  if (self->import_saved == 0)
    message = g_strdup_printf (ngettext ("No new projects: the listed project was already in "
                                         "the keyring or had no certificate.",
                                         "No new projects: all %u listed were already in the "
                                         "keyring or had no certificate.",
                                         listed),
                               listed);
  else if (self->import_skipped > 0)
    {
      g_autofree char *skipped = g_strdup_printf (ngettext ("%u was already there or had no "
                                                            "certificate",
                                                            "%u were already there or had no "
                                                            "certificate",
                                                            self->import_skipped),
                                                  self->import_skipped);

      /* TRANSLATORS: the second %s is "%u was already there or had no certificate" */
      message = g_strdup_printf (ngettext ("Saved %u project to the keyring; %s.",
                                           "Saved %u projects to the keyring; %s.",
                                           self->import_saved),
                                 self->import_saved, skipped);
    }
  else
    message = g_strdup_printf (ngettext ("Saved %u project to the keyring.",
                                         "Saved %u projects to the keyring.",
                                         self->import_saved),
                               self->import_saved);
  ak_ui_add_toast (GTK_WIDGET (self), adw_toast_new (message));
  g_clear_pointer (&self->console_projects, g_ptr_array_unref);
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), TRUE);
}

static void
project_imported (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AkRequestsPage) self = user_data;
  g_autoptr(AkCredential) credential = NULL;
  g_autoptr(GError) error = NULL;

  credential = ak_credential_store_add_finish (AK_CREDENTIAL_STORE (object), result, &error);
  if (credential != NULL)
    self->import_saved++;
  else
    {
      self->import_skipped++;
      ak_ui_show_error_toast_unless_cancelled (GTK_WIDGET (self), error);
    }
  if (--self->import_pending == 0)
    import_finished (self);
}

void
ak_requests_page_import_projects_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  AkRequestsPage *self = AK_REQUESTS_PAGE (widget);

  if (self->console_projects == NULL || self->import_pending > 0)
    return;

  self->import_saved = 0;
  self->import_skipped = 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), FALSE);
  for (guint i = 0; i < self->console_projects->len; i++)
    {
      AkConsoleProject *project = self->console_projects->pdata[i];
      g_autoptr(AkCredential) credential = NULL;
      g_autoptr(AkCredentialSecrets) secrets = NULL;
      g_autofree char *label = NULL;

      if (project->certificate == NULL
          || ak_credential_store_find_by_app_id (self->store, project->app_id) != NULL)
        {
          self->import_skipped++;
          continue;
        }

      /* Labels are unique: a name already used gets the start of its App ID added. */
      label = ak_credential_store_find (self->store, AK_CREDENTIAL_PROJECT, project->name) == NULL
                ? g_strdup (project->name)
                : g_strdup_printf ("%s (%.6s)", project->name, project->app_id);
      credential = ak_credential_new (AK_CREDENTIAL_PROJECT);
      ak_credential_set_label (credential, label);
      ak_credential_set_app_id (credential, project->app_id);
      secrets = ak_credential_secrets_new ();
      secrets->primary_certificate = g_strdup (project->certificate);
      self->import_pending++;
      ak_credential_store_add_async (self->store, credential, secrets, NULL, project_imported,
                                     g_object_ref (self));
    }
  if (self->import_pending == 0)
    import_finished (self);
}
