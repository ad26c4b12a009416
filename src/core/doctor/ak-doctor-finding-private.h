/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-doctor-finding.h"

G_BEGIN_DECLS

/* The doctor's checks fill a finding in directly; ranking reads order and boosted. */
struct _AkDoctorFinding
{
  GObject parent_instance;

  char *id;
  AkDoctorSeverity severity;
  char *verdict;
  char *fix;
  GPtrArray *evidence;
  AkTokenRequestText *regenerate;
  /* ranking only */
  guint order;
  gboolean boosted;
};

void ak_doctor_regenerate_free       (AkTokenRequestText *text);
void ak_doctor_finding_add_evidence  (AkDoctorFinding    *self,
                                      const char         *label,
                                      const char         *in_token,
                                      const char         *used);

G_END_DECLS
