/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ak-rest.h"

G_BEGIN_DECLS

/* "Copy as cURL": secrets become $AGORA_CUSTOMER_ID:$AGORA_CUSTOMER_SECRET, $AGORA_TOKEN unless
 * @auth_headers (from ak_rest_client_resolve_auth_finish) is given, after the user agreed. */
char          *ak_rest_request_to_curl      (const AkRestRequest *request,
                                             GPtrArray *auth_headers);

G_END_DECLS
