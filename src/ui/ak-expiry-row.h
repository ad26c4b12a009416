/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ak-expiry.h"
#include "ak-ticker.h"

G_BEGIN_DECLS

#define AK_TYPE_EXPIRY_ROW (ak_expiry_row_get_type ())
G_DECLARE_FINAL_TYPE (AkExpiryRow, ak_expiry_row, AK, EXPIRY_ROW, AdwActionRow)

/* A row that shows one expiry three ways: local time and relative time in the subtitle,
 * and a live countdown whose colour and icon change as expiry nears. */
GtkWidget     *ak_expiry_row_new        (const AkExpiry *expiry, AkTicker *ticker);
void           ak_expiry_row_set_expiry (AkExpiryRow *self, const AkExpiry *expiry);
/* Counts down to @privilege instead when it ends before the token, naming both. */
void           ak_expiry_row_set_first_privilege (AkExpiryRow *self, const AkExpiry *privilege);
AkExpiryState  ak_expiry_row_get_state  (AkExpiryRow *self);
const char    *ak_expiry_row_get_countdown (AkExpiryRow *self);

G_END_DECLS
