/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a secret value found under @name becomes; NULL keeps it. The masks of history and
 * views, and the shell variables of "Copy as cURL", are two such functions. */
typedef char *(*AkRestReplaceFunc) (const char *name, gpointer user_data);

char *ak_rest_redact_json_with (const char        *body,
                                AkRestReplaceFunc  replace,
                                gpointer           user_data);
char *ak_rest_redact_url_with  (const char        *url,
                                AkRestReplaceFunc  replace,
                                gpointer           user_data);

G_END_DECLS
