/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ak-rest-history-entry.h"

G_BEGIN_DECLS

/* The history file's two halves of an entry: written into @builder as one object, and read
 * back (NULL for an entry without a method and URL). */
void                ak_rest_history_entry_build_json    (AkRestHistoryEntry *self,
                                                         JsonBuilder        *builder);
AkRestHistoryEntry *ak_rest_history_entry_new_from_json (JsonNode           *node);

G_END_DECLS
