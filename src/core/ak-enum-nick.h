/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The names of enum values as files, queries and the command line write them: the nicks
 * glib-mkenums gives every enum in ak-core-enums ("rtc" for AK_DOCTOR_PRODUCT_RTC). */

/* The nick of @value (static), or %NULL when @value is not one of @enum_type's. */
const char *ak_enum_to_nick   (GType       enum_type,
                               int         value);
/* Finds @nick in any case; sets @value (when not %NULL) and returns %TRUE when found. */
gboolean    ak_enum_from_nick (GType       enum_type,
                               const char *nick,
                               int        *value);

G_END_DECLS
