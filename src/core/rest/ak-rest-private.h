/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ak-rest.h"

G_BEGIN_DECLS

gboolean  ak_rest_host_is_loopback   (const char *host);
char     *ak_rest_header_line_name   (const char *line, const char **value);
gboolean  ak_rest_header_name_is_valid (const char *name);
gboolean  ak_rest_header_value_is_valid (const char *value);

/* ak_json_parse_untrusted() without the reason: NULL when @data is not one object or array
 * within AK_JSON_MAX_DEPTH, with valid strings. */
JsonNode *ak_rest_parse_json         (const char *data, gsize length);
char     *ak_rest_summarize_json     (guint status, JsonNode *root);
char     *ak_rest_mask_json          (const char *data, gsize length, JsonNode *root);
/* Masks "sign_key" values by walking the text alone, without building a tree: for bodies
 * too large to parse. NULL when there is nothing to mask; a note in place of the body when
 * the walk fails (too deep, broken) on a body that names a "sign_key". */
char     *ak_rest_mask_text          (const char *data, gsize length);

/* Whether @body's properties.token is AK_REST_CONVOAI_TOKEN_PLACEHOLDER, to be filled in. */
gboolean  ak_rest_convoai_body_has_placeholder (const char *body);

/* The body of a response in @file, which is deleted with the last reference. */
AkRestBodyFile *ak_rest_body_file_new   (GFile          *file);
AkRestBodyFile *ak_rest_body_file_ref   (AkRestBodyFile *body_file);
void            ak_rest_body_file_unref (AkRestBodyFile *body_file);

G_END_DECLS
