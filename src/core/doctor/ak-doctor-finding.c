/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-doctor-finding-private.h"

const char *
ak_doctor_severity_to_name (AkDoctorSeverity severity)
{
  switch (severity)
    {
    case AK_DOCTOR_SEVERITY_EXPLAINS:
      return "explains";
    case AK_DOCTOR_SEVERITY_LIKELY:
      return "likely";
    case AK_DOCTOR_SEVERITY_WARNING:
      return "warning";
    case AK_DOCTOR_SEVERITY_INFO:
    default:
      return "info";
    }
}

/* ---------------------------------------------------------------------------------------------
 * AkDoctorFinding
 */

G_DEFINE_FINAL_TYPE (AkDoctorFinding, ak_doctor_finding, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_SEVERITY,
  PROP_VERDICT,
  PROP_FIX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
evidence_free (AkDoctorEvidence *evidence)
{
  g_free (evidence->label);
  g_free (evidence->in_token);
  g_free (evidence->used);
  g_free (evidence);
}

void
ak_doctor_regenerate_free (AkTokenRequestText *text)
{
  ak_token_request_text_clear (text);
  g_free (text);
}

static void
ak_doctor_finding_finalize (GObject *object)
{
  AkDoctorFinding *self = AK_DOCTOR_FINDING (object);

  g_free (self->id);
  g_free (self->verdict);
  g_free (self->fix);
  g_ptr_array_unref (self->evidence);
  g_clear_pointer (&self->regenerate, ak_doctor_regenerate_free);
  G_OBJECT_CLASS (ak_doctor_finding_parent_class)->finalize (object);
}

static void
ak_doctor_finding_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AkDoctorFinding *self = AK_DOCTOR_FINDING (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_SEVERITY:
      g_value_set_int (value, self->severity);
      break;
    case PROP_VERDICT:
      g_value_set_string (value, self->verdict);
      break;
    case PROP_FIX:
      g_value_set_string (value, self->fix);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_doctor_finding_class_init (AkDoctorFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ak_doctor_finding_finalize;
  object_class->get_property = ak_doctor_finding_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEVERITY] =
    g_param_spec_int ("severity", NULL, NULL, AK_DOCTOR_SEVERITY_EXPLAINS,
                      AK_DOCTOR_SEVERITY_INFO, AK_DOCTOR_SEVERITY_INFO,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERDICT] =
    g_param_spec_string ("verdict", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIX] =
    g_param_spec_string ("fix", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ak_doctor_finding_init (AkDoctorFinding *self)
{
  self->evidence = g_ptr_array_new_with_free_func ((GDestroyNotify) evidence_free);
}

const char *
ak_doctor_finding_get_id (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->id;
}

AkDoctorSeverity
ak_doctor_finding_get_severity (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), AK_DOCTOR_SEVERITY_INFO);
  return self->severity;
}

const char *
ak_doctor_finding_get_verdict (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->verdict;
}

const char *
ak_doctor_finding_get_fix (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->fix;
}

GPtrArray *
ak_doctor_finding_get_evidence (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->evidence;
}

const AkTokenRequestText *
ak_doctor_finding_get_regenerate (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->regenerate;
}

void
ak_doctor_finding_add_evidence (AkDoctorFinding *self,
                                const char      *label,
                                const char      *in_token,
                                const char      *used)
{
  AkDoctorEvidence *evidence = g_new0 (AkDoctorEvidence, 1);

  evidence->label = g_strdup (label);
  evidence->in_token = g_strdup (in_token);
  evidence->used = g_strdup (used);
  g_ptr_array_add (self->evidence, evidence);
}
