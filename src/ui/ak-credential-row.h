/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ak-credential.h"

G_BEGIN_DECLS

#define AK_TYPE_CREDENTIAL_ROW (ak_credential_row_get_type ())
G_DECLARE_FINAL_TYPE (AkCredentialRow, ak_credential_row, AK, CREDENTIAL_ROW, GtkWidget)

GtkWidget    *ak_credential_row_new            (void);
void          ak_credential_row_set_credential (AkCredentialRow *self, AkCredential *credential);

G_END_DECLS
