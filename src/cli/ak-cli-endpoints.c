/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-rest-catalogue.h"
#include "ak-cli.h"

static GOptionContext *
endpoints_option_context_new (gboolean *json)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, json, N_("Print JSON"), NULL },
    { NULL }
  };

  return ak_cli_option_context_new_with_entries ("endpoints", NULL,
                                                 N_("List the Agora REST endpoints "
                                                    "“request --endpoint” knows: id, method, "
                                                    "auth, effect and path."),
                                                 entries);
}

char *
ak_cli_endpoints_help (void)
{
  gboolean json = FALSE;

  return ak_cli_option_context_free_to_help (endpoints_option_context_new (&json));
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

int
ak_cli_endpoints (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = endpoints_option_context_new (&json);
  const AkEndpoint *endpoints;
  const char *product = NULL;
  guint n;
  int status;

  if (!ak_cli_parse_options (context, "endpoints", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return ak_cli_usage_error ("endpoints", _("Unexpected argument “%s”"), argv[1]);

  endpoints = ak_rest_catalogue_get (&n);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          const AkEndpoint *e = &endpoints[i];

          json_builder_begin_object (builder);
          add_member (builder, "id", e->id);
          add_member (builder, "product", _(e->product));
          add_member (builder, "name", _(e->name));
          add_member (builder, "method", e->method);
          add_member (builder, "path", e->path);
          add_member (builder, "host", e->host);
          add_member (builder, "auth", ak_auth_scheme_to_name (e->auth));
          add_member (builder, "effect", ak_endpoint_effect_to_name (e->effect));
          add_member (builder, "body", e->body);
          add_member (builder, "confirm", e->confirm != NULL ? _(e->confirm) : NULL);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      ak_cli_print_json (root);
      return AK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n; i++)
    {
      const AkEndpoint *e = &endpoints[i];

      if (g_strcmp0 (product, e->product) != 0)
        {
          product = e->product;
          printf ("%s%s\n", i > 0 ? "\n" : "", _(product));
        }
      printf ("  %-32s %-6s %-11s %-11s %s\n", e->id, e->method,
              ak_auth_scheme_to_name (e->auth), ak_endpoint_effect_to_name (e->effect),
              e->path);
    }
  return AK_CLI_EXIT_OK;
}
