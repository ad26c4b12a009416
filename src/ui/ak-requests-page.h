/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-context.h"
#include "ak-credential-store.h"
#include "ak-response-view.h"
#include "ak-rest-history.h"
#include "ak-rest.h"
#include "ak-token-server-view.h"

G_BEGIN_DECLS

#define AK_TYPE_REQUESTS_PAGE (ak_requests_page_get_type ())
G_DECLARE_FINAL_TYPE (AkRequestsPage, ak_requests_page, AK, REQUESTS_PAGE, AdwBin)

void ak_requests_page_set_context (AkRequestsPage *self, AkContext *context);

G_END_DECLS
