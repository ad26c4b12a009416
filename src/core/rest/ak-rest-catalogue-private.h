/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-rest-catalogue.h"

G_BEGIN_DECLS

/* A placeholder is "{name}" with a name of letters, digits and underscores; other braces
 * (JSON, literal text) are left alone. Returns the length of the name, 0 when none. */
gsize ak_rest_placeholder_at (const char *p);

G_END_DECLS
