/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-application.h"

G_BEGIN_DECLS

/* For tests and sibling files: use @store instead of the system keyring. Call before the first window. */
void               ak_application_set_store   (AkApplication *self, AkCredentialStore *store);

G_END_DECLS
