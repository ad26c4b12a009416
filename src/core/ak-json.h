/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * AK_JSON_MAX_DEPTH:
 *
 * How deeply outside JSON may nest. Real Agora bodies, token server requests, --spec
 * files and the history file stay under ten levels; json-glib recurses once per level, so
 * an unlimited depth is a crash waiting for a hostile body.
 */
#define AK_JSON_MAX_DEPTH 64

gboolean  ak_json_check_untrusted  (const char  *data,
                                    gsize        length,
                                    GError     **error);
JsonNode *ak_json_parse_untrusted  (const char  *data,
                                    gsize        length,
                                    GError     **error);
JsonNode *ak_json_parse_untrusted_mutable (const char  *data,
                                           gsize        length,
                                           GError     **error);
gboolean  ak_json_strings_are_valid (JsonNode   *root,
                                     GError    **error);

G_END_DECLS
