/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-token-server.h"

/* ---------------------------------------------------------------------------------------------
 * Log entries
 */

G_DEFINE_BOXED_TYPE (AkTokenServerEntry, ak_token_server_entry,
                     ak_token_server_entry_copy, ak_token_server_entry_free)

AkTokenServerEntry *
ak_token_server_entry_copy (const AkTokenServerEntry *entry)
{
  AkTokenServerEntry *copy = g_new0 (AkTokenServerEntry, 1);

  *copy = *entry;
  copy->origin = g_strdup (entry->origin);
  copy->method = g_strdup (entry->method);
  copy->route = g_strdup (entry->route);
  copy->token_type = g_strdup (entry->token_type);
  copy->channel = g_strdup (entry->channel);
  copy->uid = g_strdup (entry->uid);
  return copy;
}

void
ak_token_server_entry_free (AkTokenServerEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->origin);
  g_free (entry->method);
  g_free (entry->route);
  g_free (entry->token_type);
  g_free (entry->channel);
  g_free (entry->uid);
  g_free (entry);
}

char *
ak_token_server_entry_format (const AkTokenServerEntry *entry)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (entry->time / G_USEC_PER_SEC);
  g_autofree char *stamp = time != NULL ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("?");
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "%s %s %s %s → %u", stamp,
                          entry->origin != NULL ? entry->origin : "-",
                          entry->method, entry->route, entry->status);
  if (entry->token_type != NULL)
    g_string_append_printf (line, " %s", entry->token_type);
  if (entry->channel != NULL)
    g_string_append_printf (line, _(" channel “%s”"), entry->channel);
  if (entry->uid != NULL)
    g_string_append_printf (line, _(" uid “%s”"), entry->uid);
  g_string_append_printf (line, " %.1f ms", entry->duration_us / 1000.0);
  return g_string_free (line, FALSE);
}
