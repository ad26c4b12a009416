/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-rest-history.h"
#include "ak-cli.h"

/* Loads the history file, for a listing or before adding to it. A file that could not be
 * parsed was set aside by core: say so, and carry on with an empty history. One that could
 * not be read at all (a directory, no permission) is still there: @unreadable says so, so
 * that a listing does not call it empty. */
AkRestHistory *
ak_cli_history_open (gboolean *unreadable)
{
  AkRestHistory *history = ak_rest_history_new (NULL, 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AkCliWait wait = { NULL };

  ak_rest_history_load_async (history, NULL, ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  if (!ak_rest_history_load_finish (history, result, &error))
    ak_cli_print_error ("%s", error->message);
  if (unreadable != NULL)
    *unreadable = g_error_matches (error, AK_ERROR, AK_ERROR_FAILED);
  return history;
}

void
ak_cli_history_flush (AkRestHistory *history)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AkCliWait wait = { NULL };

  ak_rest_history_flush_async (history, NULL, ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  if (!ak_rest_history_flush_finish (history, result, &error))
    ak_cli_print_error ("%s", error->message);
}

typedef struct
{
  gboolean json;
  char *search;
  gboolean clear;
} HistoryOptions;

static void
history_options_clear (HistoryOptions *o)
{
  g_clear_pointer (&o->search, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HistoryOptions, history_options_clear)

static GOptionContext *
history_option_context_new (HistoryOptions *o)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print JSON"), NULL },
    { "search", 0, 0, G_OPTION_ARG_STRING, &o->search,
      N_("Only requests whose method, URL, status, endpoint, credential or error holds TEXT"),
      N_("TEXT") },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &o->clear, N_("Forget every request"), NULL },
    { NULL }
  };

  return ak_cli_option_context_new_with_entries ("history", NULL,
                                                 N_("List the requests sent from Agora Keys "
                                                    "and agora-keys-cli, newest first. The "
                                                    "history keeps no secret: credentials "
                                                    "appear by label only."),
                                                 entries);
}

char *
ak_cli_history_help (void)
{
  g_auto(HistoryOptions) o = { 0 };

  return ak_cli_option_context_free_to_help (history_option_context_new (&o));
}

static void
print_history_line (AkRestHistoryEntry *entry)
{
  g_autoptr(GDateTime) when =
    g_date_time_new_from_unix_local (ak_rest_history_entry_get_sent_at (entry));
  g_autofree char *date = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S")
                                       : g_strdup ("?");
  g_autofree char *url = ak_cli_printable (ak_rest_history_entry_get_url (entry));
  g_autofree char *status = NULL;
  const char *label = ak_rest_history_entry_get_credential_label (entry);
  const char *error = ak_rest_history_entry_get_error (entry);

  if (ak_rest_history_entry_get_status (entry) != 0)
    status = g_strdup_printf ("%u", ak_rest_history_entry_get_status (entry));
  else
    status = g_strdup ("---");

  printf ("%s  %-6s %s  %s", date, ak_rest_history_entry_get_method (entry), status, url);
  if (label != NULL)
    {
      g_autofree char *shown = ak_cli_printable (label);

      printf ("  (%s %s)", ak_auth_scheme_to_name (ak_rest_history_entry_get_auth_scheme (entry)),
              shown);
    }
  if (error != NULL)
    {
      g_autofree char *shown = ak_cli_printable (error);

      printf ("  · %s", shown);
    }
  putchar ('\n');
}

int
ak_cli_history (int    argc,
                char **argv)
{
  g_auto(HistoryOptions) o = { 0 };
  g_autoptr(GOptionContext) context = history_option_context_new (&o);
  g_autoptr(AkRestHistory) history = NULL;
  const char *search;
  guint n;
  guint shown = 0;
  gboolean unreadable = FALSE;
  int status;

  if (!ak_cli_parse_options (context, "history", &argc, &argv, &status))
    return status;
  search = o.search;
  if (argc > 1)
    return ak_cli_usage_error ("history", _("Unexpected argument “%s”"), argv[1]);
  if (o.clear && (o.json || search != NULL))
    return ak_cli_usage_error ("history", _("--clear lists nothing: give it alone"));

  history = ak_cli_history_open (&unreadable);
  if (unreadable)
    return AK_CLI_EXIT_INVALID;

  if (o.clear)
    {
      ak_rest_history_clear (history);
      ak_cli_history_flush (history);
      return AK_CLI_EXIT_OK;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  if (o.json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AkRestHistoryEntry) entry =
            g_list_model_get_item (G_LIST_MODEL (history), i);

          if (ak_rest_history_entry_matches (entry, search))
            json_array_add_element (array, ak_rest_history_entry_to_json (entry));
        }
      json_node_set_array (root, array);
      ak_cli_print_json (root);
      return AK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkRestHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

      if (!ak_rest_history_entry_matches (entry, search))
        continue;
      print_history_line (entry);
      shown++;
    }
  if (shown == 0)
    printf ("%s\n", search != NULL ? _("No request in the history matches.")
                                   : _("The request history is empty."));
  return AK_CLI_EXIT_OK;
}
