/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-rest-catalogue.h"

G_BEGIN_DECLS

#define AK_TYPE_ENDPOINT_PICKER (ak_endpoint_picker_get_type ())
G_DECLARE_FINAL_TYPE (AkEndpointPicker, ak_endpoint_picker, AK, ENDPOINT_PICKER, GtkWidget)

/* A button that shows the chosen catalogue endpoint in full (product, name, method and path,
 * wrapped) and opens a searchable list of every endpoint, grouped by product. Typing filters,
 * the arrow keys move through the results and Enter picks one. "chosen" is emitted when the
 * user picks an entry (the endpoint, or NULL for "Custom request"); setting the endpoint from
 * code does not emit it. */
const AkEndpoint *ak_endpoint_picker_get_endpoint (AkEndpointPicker *self);
void              ak_endpoint_picker_set_endpoint (AkEndpointPicker *self,
                                                   const AkEndpoint *endpoint);
/* Shows "Custom request", saying which endpoint the request was edited from (nullable). */
void              ak_endpoint_picker_set_custom   (AkEndpointPicker *self,
                                                   const AkEndpoint *edited_from);

G_END_DECLS
