/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-credential-dialog.h"

G_BEGIN_DECLS

/* For tests and sibling files: the field rows by name ("label", "app-id", "primary", "secondary", "chat-org",
 * "chat-app", "chat-host", "token-server-url", "notes", "customer-id", "customer-secret"),
 * whether Save is possible, Save itself, and the error shown after a failed save. */
GtkEditable        *ak_credential_dialog_get_field        (AkCredentialDialog *self,
                                                           const char *name);
gboolean            ak_credential_dialog_can_save         (AkCredentialDialog *self);
void                ak_credential_dialog_save             (AkCredentialDialog *self);
const char         *ak_credential_dialog_get_error        (AkCredentialDialog *self);
const char         *ak_credential_dialog_get_info         (AkCredentialDialog *self);
gboolean            ak_credential_dialog_is_busy          (AkCredentialDialog *self);

G_END_DECLS
