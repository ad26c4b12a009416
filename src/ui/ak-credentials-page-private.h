/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-credential-dialog.h"
#include "ak-credentials-page.h"

G_BEGIN_DECLS

void                ak_credentials_page_import_file       (AkCredentialsPage *self, GFile *file);

/* For tests: reach the widgets a user would look at and click. */
GtkEditable        *ak_credentials_page_get_search_entry  (AkCredentialsPage *self);
GListModel         *ak_credentials_page_get_shown_model   (AkCredentialsPage *self);
GtkListView        *ak_credentials_page_get_list_view     (AkCredentialsPage *self);
const char         *ak_credentials_page_get_state_name    (AkCredentialsPage *self);
AkCredentialDialog *ak_credentials_page_get_open_dialog   (AkCredentialsPage *self);

G_END_DECLS
