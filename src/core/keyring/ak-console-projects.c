/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ak-codec-private.h"
#include "ak-console-projects.h"
#include "ak-error.h"
#include "ak-json.h"
#include "ak-token.h"

void
ak_console_project_free (AkConsoleProject *project)
{
  if (project == NULL)
    return;
  g_free (project->name);
  g_free (project->app_id);
  if (project->certificate != NULL)
    ak_secret_wipe_string (project->certificate);
  g_free (project->certificate);
  g_free (project);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * ak_console_projects_read:
 * @body: (nullable): the body of a `GET /dev/v1/projects` answer
 * @error: set to an %AK_ERROR_INVALID_INPUT when @body is not such a listing
 *
 * Reads the projects of a Console project listing, parsed as outside JSON
 * (ak_json_parse_untrusted(): at most %AK_JSON_MAX_DEPTH deep, no NUL, valid strings).
 * Entries without a valid App ID are skipped.
 *
 * Returns: (transfer full) (element-type AkConsoleProject) (nullable): the projects, or
 *   %NULL with @error set
 */
GPtrArray *
ak_console_projects_read (GBytes  *body,
                          GError **error)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(JsonNode) root = NULL;
  gconstpointer data = NULL;
  gsize length = 0;
  JsonNode *list = NULL;
  JsonArray *array;

  if (body != NULL)
    data = g_bytes_get_data (body, &length);
  root = ak_json_parse_untrusted (data, length, error);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    list = json_object_get_member (json_node_get_object (root), "projects");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("The answer holds no list of projects."));
      return NULL;
    }

  array = json_node_get_array (list);
  projects = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_console_project_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      AkConsoleProject *project;
      const char *app_id;
      const char *certificate;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      app_id = string_member (json_node_get_object (item), "vendor_key");
      if (!ak_is_hex32 (app_id))
        continue;
      name = string_member (json_node_get_object (item), "name");
      certificate = string_member (json_node_get_object (item), "sign_key");

      project = g_new0 (AkConsoleProject, 1);
      project->app_id = g_strdup (app_id);
      project->name = g_strdup (name != NULL && *name != '\0' ? name : app_id);
      project->certificate = ak_is_hex32 (certificate) ? g_strdup (certificate) : NULL;
      g_ptr_array_add (projects, project);
    }
  return g_steal_pointer (&projects);
}

GPtrArray *
ak_console_projects_parse (GBytes *body)
{
  return ak_console_projects_read (body, NULL);
}
