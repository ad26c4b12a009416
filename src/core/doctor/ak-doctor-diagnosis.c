/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-secret.h"
#include "ak-token-doctor-private.h"

/* ---------------------------------------------------------------------------------------------
 * AkDoctorDiagnosis
 */

G_DEFINE_BOXED_TYPE (AkDoctorDiagnosis, ak_doctor_diagnosis,
                     ak_doctor_diagnosis_ref, ak_doctor_diagnosis_unref)

AkDoctorDiagnosis *
ak_doctor_diagnosis_ref (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  g_atomic_ref_count_inc (&diagnosis->ref_count);
  return diagnosis;
}

void
ak_doctor_diagnosis_unref (AkDoctorDiagnosis *diagnosis)
{
  g_return_if_fail (diagnosis != NULL);
  if (!g_atomic_ref_count_dec (&diagnosis->ref_count))
    return;
  g_object_unref (diagnosis->findings);
  g_clear_pointer (&diagnosis->token, ak_token_unref);
  ak_secret_string_free (diagnosis->token_text);
  g_free (diagnosis->project_label);
  g_free (diagnosis);
}

GListModel *
ak_doctor_diagnosis_get_findings (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  return G_LIST_MODEL (diagnosis->findings);
}

AkToken *
ak_doctor_diagnosis_get_token (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  return diagnosis->token;
}

const char *
ak_doctor_diagnosis_get_token_text (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  return diagnosis->token_text;
}

gboolean
ak_doctor_diagnosis_get_repaired (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, FALSE);
  return diagnosis->repaired;
}

gboolean
ak_doctor_diagnosis_explains_rejection (AkDoctorDiagnosis *diagnosis)
{
  GListModel *model;

  g_return_val_if_fail (diagnosis != NULL, FALSE);
  model = G_LIST_MODEL (diagnosis->findings);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AkDoctorFinding) finding = g_list_model_get_item (model, i);

      if (finding->severity == AK_DOCTOR_SEVERITY_EXPLAINS)
        return TRUE;
    }
  return FALSE;
}

const char *
ak_doctor_diagnosis_get_project_label (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  return diagnosis->project_label;
}

AkCertificateKind
ak_doctor_diagnosis_get_certificate (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, AK_CERTIFICATE_NONE);
  return diagnosis->certificate;
}
