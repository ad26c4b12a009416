/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-rest-catalogue-private.h"

/* ---------------------------------------------------------------------------------------------
 * Path templates: their placeholders, filled from a project, and what is still missing
 */

/* A placeholder is "{name}" with a name of letters, digits and underscores; other braces
 * (JSON, literal text) are left alone. Returns the length of the name, 0 when none. */
gsize
ak_rest_placeholder_at (const char *p)
{
  gsize n = 0;

  if (p[0] != '{')
    return 0;
  while (g_ascii_isalnum (p[1 + n]) || p[1 + n] == '_')
    n++;
  if (n == 0 || p[1 + n] != '}')
    return 0;
  return n;
}

/**
 * ak_rest_path_get_placeholders:
 * @path_template: a path such as "/dev/v1/channel/{appid}"
 *
 * Returns: (transfer full): the placeholder names in order of first appearance, without
 *   braces and without repeats
 */
GStrv
ak_rest_path_get_placeholders (const char *path_template)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (path_template != NULL, NULL);

  for (const char *p = path_template; *p != '\0'; p++)
    {
      gsize n = ak_rest_placeholder_at (p);
      char *name;

      if (n == 0)
        continue;
      name = g_strndup (p + 1, n);
      if (g_hash_table_add (seen, name))
        g_strv_builder_add (builder, name);
      p += n + 1;
    }

  return g_strv_builder_end (builder);
}

static const char *
project_value (AkCredential *project,
               const char   *name)
{
  const char *value = NULL;

  if (project == NULL)
    return NULL;

  /* The docs spell the App ID {appid} for RTC and Recording, {appId} for Media Push/Pull,
   * {app_id} for Chat's App ID paths. */
  if (g_ascii_strcasecmp (name, "appid") == 0 || g_str_equal (name, "app_id"))
    value = ak_credential_get_app_id (project);
  else if (g_str_equal (name, "org") || g_str_equal (name, "org_name"))
    value = ak_credential_get_chat_org (project);
  else if (g_str_equal (name, "app") || g_str_equal (name, "app_name"))
    value = ak_credential_get_chat_app (project);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

/**
 * ak_rest_fill_path:
 * @path_template: a catalogue path, or any path with {placeholders}
 * @project: (nullable): the project for {appid}/{appId}, {org}/{org_name}, {app}/{app_name}
 * @values: (nullable) (element-type utf8 utf8): name → value for the others; a value given
 *   here wins over the project's, and an empty value counts as not given
 * @missing: (out) (transfer full): the names left unfilled, in order, without repeats
 *
 * Values are percent-encoded, so a channel name with a space or a "/" stays one segment.
 * Unfilled placeholders stay in the path as they are.
 *
 * Returns: (transfer full): the path
 */
char *
ak_rest_fill_path (const char    *path_template,
                   AkCredential  *project,
                   GHashTable    *values,
                   GStrv         *missing)
{
  g_autoptr(GStrvBuilder) unfilled = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) names = NULL;
  GString *out;

  g_return_val_if_fail (path_template != NULL, NULL);
  g_return_val_if_fail (project == NULL || AK_IS_CREDENTIAL (project), NULL);
  g_return_val_if_fail (missing != NULL, NULL);

  out = g_string_new (NULL);
  for (const char *p = path_template; *p != '\0'; p++)
    {
      gsize n = ak_rest_placeholder_at (p);
      g_autofree char *name = NULL;
      const char *value = NULL;

      if (n == 0)
        {
          g_string_append_c (out, *p);
          continue;
        }

      name = g_strndup (p + 1, n);
      if (values != NULL)
        value = g_hash_table_lookup (values, name);
      if (value == NULL || value[0] == '\0')
        value = project_value (project, name);

      if (value != NULL)
        g_string_append_uri_escaped (out, value, NULL, FALSE);
      else
        {
          g_string_append_len (out, p, n + 2);
          if (g_hash_table_add (seen, g_strdup (name)))
            g_strv_builder_add (unfilled, name);
        }
      p += n + 1;
    }

  names = g_strv_builder_end (unfilled);
  *missing = g_steal_pointer (&names);
  return g_string_free (out, FALSE);
}

typedef enum
{
  FROM_APP_ID,
  FROM_CHAT,
  FROM_USER,
} PlaceholderSource;

static PlaceholderSource
placeholder_source (const char *name)
{
  if (g_ascii_strcasecmp (name, "appid") == 0 || g_str_equal (name, "app_id"))
    return FROM_APP_ID;
  if (g_str_equal (name, "org") || g_str_equal (name, "org_name")
      || g_str_equal (name, "app") || g_str_equal (name, "app_name"))
    return FROM_CHAT;
  return FROM_USER;
}

/* "{a}", "{a} and {b}", "{a}, {b} and {c}" */
static char *
join_placeholders (GPtrArray *names)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0 && i == names->len - 1)
        {
          /* TRANSLATORS: before the last of a list of placeholders: "{org} and {app}" */
          g_string_append (text, _(" and "));
        }
      else if (i > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "{%s}", (const char *) names->pdata[i]);
    }
  return g_string_free (text, FALSE);
}

/**
 * ak_rest_describe_missing_placeholders:
 * @missing: (array zero-terminated=1): the names ak_rest_fill_path() left unfilled
 * @project: (nullable): the project the path was filled from
 *
 * Says where each kind of placeholder comes from: the App ID and the Chat names from the
 * project (and why they are not there), the others from the user.
 *
 * Returns: (transfer full) (nullable): one sentence per kind, each on its own line; %NULL
 *   when nothing is missing
 */
char *
ak_rest_describe_missing_placeholders (const char * const *missing,
                                       AkCredential       *project)
{
  GPtrArray *by_source[FROM_USER + 1] = { NULL };
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (project == NULL || AK_IS_CREDENTIAL (project), NULL);

  if (missing == NULL || missing[0] == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (by_source); i++)
    by_source[i] = g_ptr_array_new ();
  for (guint i = 0; missing[i] != NULL; i++)
    g_ptr_array_add (by_source[placeholder_source (missing[i])], (gpointer) missing[i]);

  for (PlaceholderSource source = FROM_APP_ID; source <= FROM_USER; source++)
    {
      GPtrArray *names = by_source[source];
      g_autofree char *list = NULL;
      g_autofree char *sentence = NULL;

      if (names->len == 0)
        continue;
      list = join_placeholders (names);
      if (source == FROM_APP_ID && project == NULL)
        sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%s is a project’s App ID: choose a token "
                                                 "scheme and a project under Authentication, "
                                                 "or type it into the path.",
                                                 "%s are a project’s App ID: choose a token "
                                                 "scheme and a project under Authentication, "
                                                 "or type it into the path.",
                                                 names->len),
                                    list);
      else if (source == FROM_APP_ID)
        sentence = g_strdup_printf (_("%s comes from the App ID of “%s”, which is empty: type "
                                      "it into the path."),
                                    list, ak_credential_get_label (project));
      else if (source == FROM_CHAT && project == NULL)
        sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%s comes from a project’s Chat settings: "
                                                 "choose a project under Authentication, or "
                                                 "type it into the path.",
                                                 "%s come from a project’s Chat settings: "
                                                 "choose a project under Authentication, or "
                                                 "type them into the path.",
                                                 names->len),
                                    list);
      else if (source == FROM_CHAT)
        sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%s comes from the Chat settings of “%s”, "
                                                 "where it is empty: fill it in on the "
                                                 "Credentials page, or type it into the path.",
                                                 "%s come from the Chat settings of “%s”, "
                                                 "which are empty: fill them in on the "
                                                 "Credentials page, or type them into the "
                                                 "path.",
                                                 names->len),
                                    list, ak_credential_get_label (project));
      else
        sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Type the value of %s into the path before "
                                                 "sending.",
                                                 "Type the values of %s into the path before "
                                                 "sending.",
                                                 names->len),
                                    list);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, sentence);
    }
  for (guint i = 0; i < G_N_ELEMENTS (by_source); i++)
    g_ptr_array_unref (by_source[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * ak_rest_format_request_line:
 * @method: the method
 * @host_or_base_url: (nullable): a host ("api.agora.io") or a base URL
 * @path: (nullable): the filled path, or a full URL
 *
 * Returns: (transfer full) (nullable): "METHOD URL", for showing; never for sending (use
 *   ak_rest_build_url(), which checks and escapes)
 */
char *
ak_rest_format_request_line (const char *method,
                             const char *host_or_base_url,
                             const char *path)
{
  g_autofree char *trimmed_path = g_strstrip (g_strdup (path != NULL ? path : ""));
  g_autofree char *url = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (method != NULL, NULL);

  if (strstr (trimmed_path, "://") != NULL
      && strcspn (trimmed_path, "/?#") > (gsize) (strstr (trimmed_path, "://") - trimmed_path))
    url = g_steal_pointer (&trimmed_path);
  else
    {
      g_autofree char *base = g_strstrip (g_strdup (host_or_base_url != NULL
                                                      ? host_or_base_url : ""));
      const char *relative = trimmed_path;
      gsize length = strlen (base);

      if (length == 0)
        return NULL;
      while (length > 0 && base[length - 1] == '/')
        base[--length] = '\0';
      while (*relative == '/')
        relative++;
      url = g_strconcat (strstr (base, "://") != NULL ? "" : "https://", base, "/", relative,
                         NULL);
    }

  /* Decoded for reading ("my channel", not "my%20channel"), unless decoding would change
   * where the request goes or what it asks. */
  shown = g_uri_unescape_string (url, "/?#&=");
  if (shown != NULL && !g_utf8_validate (shown, -1, NULL))
    g_clear_pointer (&shown, g_free);
  for (const char *p = shown; p != NULL && *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_clear_pointer (&shown, g_free);
        break;
      }
  return g_strdup_printf ("%s %s", method, shown != NULL ? shown : url);
}
