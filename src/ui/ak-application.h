/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-credential-store.h"
#include "ak-idle-guard.h"
#include "ak-rest-history.h"
#include "ak-rest.h"

G_BEGIN_DECLS

#define AK_TYPE_APPLICATION (ak_application_get_type ())
G_DECLARE_FINAL_TYPE (AkApplication, ak_application, AK, APPLICATION, AdwApplication)

AkApplication     *ak_application_new         (void);
AkCredentialStore *ak_application_get_store   (AkApplication *self);
GSettings         *ak_application_get_settings (AkApplication *self);
AkRestClient      *ak_application_get_rest_client (AkApplication *self);
AkRestHistory     *ak_application_get_rest_history (AkApplication *self);
AkIdleGuard       *ak_application_get_idle_guard (AkApplication *self);
G_END_DECLS
