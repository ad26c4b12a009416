/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-secret.h"
#include "ak-task.h"
#include "ak-token-doctor.h"

/* ---------------------------------------------------------------------------------------------
 * Candidates
 */

AkDoctorCandidate *
ak_doctor_candidate_new (const char *label,
                         const char *app_id,
                         const char *primary_certificate,
                         const char *secondary_certificate,
                         gboolean    secondary_removed)
{
  AkDoctorCandidate *candidate = g_new0 (AkDoctorCandidate, 1);

  candidate->label = g_strdup (label != NULL ? label : "");
  candidate->app_id = g_strdup (app_id != NULL ? app_id : "");
  candidate->primary_certificate = g_strdup (primary_certificate);
  candidate->secondary_certificate = g_strdup (secondary_certificate);
  candidate->secondary_removed = secondary_removed;
  return candidate;
}

void
ak_doctor_candidate_free (AkDoctorCandidate *candidate)
{
  if (candidate == NULL)
    return;
  ak_secret_string_free (candidate->primary_certificate);
  ak_secret_string_free (candidate->secondary_certificate);
  g_free (candidate->label);
  g_free (candidate->app_id);
  g_free (candidate);
}

typedef struct
{
  char *app_id;
  GPtrArray *candidates;
  GPtrArray *pending;   /* AkCredential still to read secrets for */
} LoadCandidates;

static void
load_candidates_free (LoadCandidates *load)
{
  g_free (load->app_id);
  g_clear_pointer (&load->candidates, g_ptr_array_unref);
  g_clear_pointer (&load->pending, g_ptr_array_unref);
  g_free (load);
}

static void load_next_secrets (GTask *task);

static void
secrets_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadCandidates *load = g_task_get_task_data (task);
  g_autoptr(AkCredential) credential = g_ptr_array_steal_index (load->pending, 0);
  g_autoptr(GError) error = NULL;
  AkCredentialSecrets *secrets;

  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result,
                                                     &error);
  if (secrets == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_add (load->candidates,
                   ak_doctor_candidate_new (ak_credential_get_label (credential),
                                            ak_credential_get_app_id (credential),
                                            secrets->primary_certificate,
                                            secrets->secondary_certificate,
                                            secrets->secondary_certificate == NULL
                                            && ak_credential_get_secondary_removed_at (
                                                 credential) > 0));
  ak_credential_secrets_free (secrets);
  load_next_secrets (g_steal_pointer (&task));
}

static void
load_next_secrets (GTask *task)
{
  LoadCandidates *load = g_task_get_task_data (task);

  if (load->pending->len == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&load->candidates),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  ak_credential_store_load_secrets_async (g_task_get_source_object (task),
                                          g_ptr_array_index (load->pending, 0),
                                          g_task_get_cancellable (task),
                                          secrets_loaded, task);
}

static void
collect_candidates (GTask *task)
{
  AkCredentialStore *store = g_task_get_source_object (task);
  LoadCandidates *load = g_task_get_task_data (task);
  GListModel *model = ak_credential_store_get_model (store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (model, i);

      if (ak_credential_get_kind (credential) != AK_CREDENTIAL_PROJECT)
        continue;
      /* Only the project the token names needs its certificates out of the keyring. */
      if (load->app_id != NULL
          && g_ascii_strcasecmp (ak_credential_get_app_id (credential), load->app_id) == 0)
        g_ptr_array_add (load->pending, g_object_ref (credential));
      else
        g_ptr_array_add (load->candidates,
                         ak_doctor_candidate_new (ak_credential_get_label (credential),
                                                  ak_credential_get_app_id (credential),
                                                  NULL, NULL, FALSE));
    }
  load_next_secrets (task);
}

void
ak_token_doctor_load_candidates_async (AkCredentialStore  *store,
                                       const char         *app_id,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  GTask *task;
  LoadCandidates *load;

  g_return_if_fail (AK_IS_CREDENTIAL_STORE (store));

  task = ak_task_new (store, cancellable, callback, user_data,
                      ak_token_doctor_load_candidates_async);
  load = g_new0 (LoadCandidates, 1);
  load->app_id = g_strdup (app_id);
  load->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_doctor_candidate_free);
  load->pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, load, (GDestroyNotify) load_candidates_free);
  ak_credential_store_load_then (store, task, collect_candidates);
}

GPtrArray *
ak_token_doctor_load_candidates_finish (AkCredentialStore *store,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
