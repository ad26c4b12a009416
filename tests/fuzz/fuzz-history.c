/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harness for the REST request history file ($XDG_DATA_HOME/<app id>/history.json),
 * which a person may edit by hand. (The token history is never written to a file: its only
 * outside input is token text, which fuzz-token-parse feeds to ak_token_entry_new().)
 *
 * Whatever the loader keeps must be usable (searched, sent again, copied as cURL) and must
 * survive a save and a load unchanged.
 */
#include <string.h>

#include "ak-core.h"
#include "ak-rest-curl.h"
#include "ak-rest-history.h"
#include "fuzz-common.h"

static void
use_entry (AkRestHistoryEntry *entry)
{
  g_autoptr(AkRestRequest) request = NULL;
  g_autofree char *curl = NULL;

  AK_FUZZ_CHECK (ak_rest_history_entry_get_method (entry) != NULL);
  AK_FUZZ_CHECK (ak_rest_history_entry_get_url (entry) != NULL);
  AK_FUZZ_CHECK (ak_rest_history_entry_get_headers (entry) != NULL);
  AK_FUZZ_CHECK (ak_rest_history_entry_get_status (entry) <= 999);

  /* The search box: a word, a status, a folded non-ASCII word. */
  (void) ak_rest_history_entry_matches (entry, "get");
  (void) ak_rest_history_entry_matches (entry, "404");
  (void) ak_rest_history_entry_matches (entry, "ÉCHEC");

  request = ak_rest_history_entry_to_request (entry);
  AK_FUZZ_CHECK (request != NULL);
  curl = ak_rest_request_to_curl (request, NULL);
  AK_FUZZ_CHECK (curl != NULL && g_str_has_prefix (curl, "curl "));
}

/* The file as the history writes it: {"version": 1, "entries": [...]}. */
static char *
serialize (GPtrArray *entries,
           gsize     *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    json_builder_add_value (builder,
                            ak_rest_history_entry_to_json (g_ptr_array_index (entries, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}

static void
check_round_trip (GPtrArray *entries)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *saved = NULL;
  gsize length = 0;

  saved = serialize (entries, &length);
  again = ak_rest_history_parse (saved, length, &error);
  AK_FUZZ_CHECK (again != NULL && error == NULL);
  AK_FUZZ_CHECK (again->len == entries->len);

  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(JsonNode) before = ak_rest_history_entry_to_json (g_ptr_array_index (entries, i));
      g_autoptr(JsonNode) after = ak_rest_history_entry_to_json (g_ptr_array_index (again, i));

      AK_FUZZ_CHECK (json_node_equal (before, after));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* NUL-terminated, as g_file_get_contents() gives it to the loader. */
  g_autofree char *text = ak_fuzz_dup_text (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = ak_rest_history_parse (text, size, &error);
  if (entries == NULL)
    {
      AK_FUZZ_CHECK (error != NULL && error->message != NULL);
      return 0;
    }

  AK_FUZZ_CHECK (error == NULL);
  for (guint i = 0; i < entries->len; i++)
    use_entry (g_ptr_array_index (entries, i));
  check_round_trip (entries);
  return 0;
}
