/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-requests-page.h"

G_BEGIN_DECLS

/* For tests and sibling files: choose an endpoint by catalogue id (NULL: a custom request), the host or a base
 * URL, the auth, and fill the fields; then send and read the response view. */
void            ak_requests_page_select_endpoint (AkRequestsPage *self, const char *endpoint_id);
void            ak_requests_page_set_base_url    (AkRequestsPage *self, const char *base_url);
void            ak_requests_page_set_auth        (AkRequestsPage *self,
                                                  AkAuthScheme scheme,
                                                  const char *credential_label,
                                                  const char *user_id);
GtkEditable    *ak_requests_page_get_path        (AkRequestsPage *self);
void            ak_requests_page_set_method      (AkRequestsPage *self, const char *method);
void            ak_requests_page_set_body        (AkRequestsPage *self, const char *body);
void            ak_requests_page_send            (AkRequestsPage *self);
void            ak_requests_page_cancel          (AkRequestsPage *self);
gboolean        ak_requests_page_is_sending      (AkRequestsPage *self);
AkResponseView *ak_requests_page_get_response_view (AkRequestsPage *self);
AkTokenServerView *ak_requests_page_get_token_server_view (AkRequestsPage *self);
char           *ak_requests_page_dup_curl        (AkRequestsPage *self);

G_END_DECLS
