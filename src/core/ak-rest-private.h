/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ak-rest.h"

G_BEGIN_DECLS

/* Deeper JSON than this is not parsed: json-glib recurses once per level. */
#define AK_REST_MAX_JSON_DEPTH 512

gboolean  ak_rest_host_is_loopback   (const char *host);
/* Headers that carry credentials: never sent to another origin after a redirect. */
gboolean  ak_rest_header_is_credential (const char *name);
gboolean  ak_rest_header_name_is_valid (const char *name);
gboolean  ak_rest_header_value_is_valid (const char *value);

/* Parses @data when it looks like JSON and is not absurdly nested; NULL otherwise. */
JsonNode *ak_rest_parse_json         (const char *data, gsize length);
char     *ak_rest_summarize_json     (guint status, JsonNode *root);
char     *ak_rest_mask_json          (const char *data, gsize length, JsonNode *root);

G_END_DECLS
