/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ak-codec-private.h"
#include "ak-console-projects.h"
#include "ak-rest.h"
#include "ak-token.h"

void
ak_console_project_free (AkConsoleProject *project)
{
  if (project == NULL)
    return;
  g_free (project->name);
  g_free (project->app_id);
  if (project->certificate != NULL)
    ak_secure_wipe (project->certificate, strlen (project->certificate));
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

GPtrArray *
ak_console_projects_parse (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) projects = NULL;
  gconstpointer data;
  gsize length;
  JsonNode *root;
  JsonNode *list;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &length);
  if (!ak_rest_json_is_one_value (data, length)
      || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  list = json_object_get_member (json_node_get_object (root), "projects");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return NULL;

  projects = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_console_project_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (list), i);
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
