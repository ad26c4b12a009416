/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-credentials-page.h"
#include "ak-requests-page.h"
#include "ak-ticker.h"
#include "ak-tokens-page.h"
#include "ak-window.h"

G_BEGIN_DECLS

/* For tests and sibling files: the parts of the window they need to reach. */
AkCredentialsPage *ak_window_get_credentials_page (AkWindow *self);
AkTokensPage      *ak_window_get_tokens_page      (AkWindow *self);
AkRequestsPage    *ak_window_get_requests_page    (AkWindow *self);
AkTicker          *ak_window_get_ticker           (AkWindow *self);
GtkWidget         *ak_window_get_keyring_banner   (AkWindow *self);
const char        *ak_window_get_keyring_message  (AkWindow *self);

G_END_DECLS
