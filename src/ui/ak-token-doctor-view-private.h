/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-token-doctor-view.h"

G_BEGIN_DECLS

/* For tests and sibling files: the diagnosis on show, and whether one is running. */
AkDoctorDiagnosis *ak_token_doctor_view_get_diagnosis (AkTokenDoctorView *self);
gboolean           ak_token_doctor_view_is_busy       (AkTokenDoctorView *self);

G_END_DECLS
