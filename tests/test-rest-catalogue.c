/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "ak-error.h"
#include "ak-rest-catalogue.h"

/* The endpoint catalogue and the filling of its path templates. */

#define APP_ID "970CA35de60c44645bbae8a215061b33"

static const char * const products[] = {
  "Console", "RTC channel management", "Cloud Recording", "Media Push", "Media Pull", "RTM",
  "Chat", "Analytics",
};

static AkCredential *
demo_project (gboolean with_chat)
{
  AkCredential *project = ak_credential_new (AK_CREDENTIAL_PROJECT);

  ak_credential_set_label (project, "Demo");
  ak_credential_set_app_id (project, APP_ID);
  if (with_chat)
    {
      ak_credential_set_chat_org (project, "61717166");
      ak_credential_set_chat_app (project, "demo");
      ak_credential_set_chat_host (project, "a41.chat.agora.io");
    }
  return project;
}

static gboolean
is_known_product (const char *product)
{
  for (gsize i = 0; i < G_N_ELEMENTS (products); i++)
    if (g_strcmp0 (products[i], product) == 0)
      return TRUE;
  return FALSE;
}

static guint
count_char (const char *text,
            char        c)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == c)
      n++;
  return n;
}

static void
test_well_formed (void)
{
  static const char * const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const AkEndpoint *endpoints;
  guint n = 0;

  endpoints = ak_rest_catalogue_get (&n);
  g_assert_nonnull (endpoints);
  g_assert_cmpuint (n, >=, 60);

  for (guint i = 0; i < n; i++)
    {
      const AkEndpoint *e = &endpoints[i];
      g_auto(GStrv) placeholders = NULL;
      gboolean method_known = FALSE;
      const char *dot;

      g_test_message ("%s %s %s", e->id, e->method, e->path);

      /* Stable ids "product.what", listed once. */
      g_assert_nonnull (e->id);
      dot = strchr (e->id, '.');
      g_assert_nonnull (dot);
      g_assert_cmpuint (strlen (dot + 1), >, 0);
      g_assert_true (g_hash_table_add (ids, (gpointer) e->id));

      g_assert_true (is_known_product (e->product));
      g_assert_nonnull (e->name);
      g_assert_cmpuint (strlen (e->name), >, 3);

      for (gsize m = 0; m < G_N_ELEMENTS (methods); m++)
        if (g_strcmp0 (methods[m], e->method) == 0)
          method_known = TRUE;
      g_assert_true (method_known);

      /* Paths: absolute, braces balanced and every brace pair a placeholder. */
      g_assert_true (g_str_has_prefix (e->path, "/"));
      g_assert_cmpuint (count_char (e->path, '{'), ==, count_char (e->path, '}'));
      placeholders = ak_rest_path_get_placeholders (e->path);
      for (guint p = 0; placeholders[p] != NULL; p++)
        {
          g_autofree char *braced = g_strdup_printf ("{%s}", placeholders[p]);

          g_assert_nonnull (strstr (e->path, braced));
        }
      {
        /* No "{" is left over once every placeholder is filled. */
        g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
        g_auto(GStrv) missing = NULL;
        g_autofree char *filled = NULL;

        for (guint p = 0; placeholders[p] != NULL; p++)
          g_hash_table_insert (values, placeholders[p], (gpointer) "x");
        filled = ak_rest_fill_path (e->path, NULL, values, &missing);
        g_assert_cmpuint (g_strv_length (missing), ==, 0);
        g_assert_null (strchr (filled, '{'));
        g_assert_null (strchr (filled, '}'));
      }

      /* Bodies are JSON objects to edit; a GET has none. */
      if (e->body != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          g_assert_true (json_parser_load_from_data (parser, e->body, -1, &error));
          g_assert_no_error (error);
          g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
          g_assert_cmpstr (e->method, !=, "GET");
        }

      /* Anything that is not a plain read asks first, in a sentence. */
      if (e->effect == AK_ENDPOINT_READ)
        g_assert_null (e->confirm);
      else
        {
          g_assert_nonnull (e->confirm);
          g_assert_cmpuint (strlen (e->confirm), >, 20);
          g_assert_true (g_str_has_suffix (e->confirm, "."));
        }
      g_assert_nonnull (ak_endpoint_effect_to_name (e->effect));
      g_assert_nonnull (ak_endpoint_effect_get_label (e->effect));

      /* Chat goes to the project's Chat host with a Bearer token; nothing else does. */
      if (g_str_equal (e->product, "Chat"))
        {
          g_assert_cmpstr (e->host, ==, "chat");
          g_assert_cmpint (e->auth, ==, AK_AUTH_BEARER);
          g_assert_true (g_str_has_prefix (e->path, "/{org}/{app}/"));
        }
      else
        {
          g_assert_null (e->host);
          g_assert_cmpint (e->auth, ==, AK_AUTH_BASIC);
        }

      g_assert_true (ak_rest_catalogue_find (e->id) == e);
    }

  /* Every product of the reference is there. */
  for (gsize p = 0; p < G_N_ELEMENTS (products); p++)
    {
      guint found = 0;

      for (guint i = 0; i < n; i++)
        if (g_str_equal (endpoints[i].product, products[p]))
          found++;
      g_assert_cmpuint (found, >=, 4);
    }
}

typedef struct
{
  const char *id;
  const char *method;
  const char *path;
  AkEndpointEffect effect;
} Expected;

/* A sample of the reference's rows, as documented. */
static const Expected expected[] = {
  { "console.projects-list", "GET", "/dev/v1/projects", AK_ENDPOINT_READ },
  { "console.project-create", "POST", "/dev/v1/project", AK_ENDPOINT_MUTATING },
  { "console.reset-signkey", "POST", "/dev/v1/reset_signkey", AK_ENDPOINT_DESTRUCTIVE },
  { "rtc.channel-list", "GET", "/dev/v1/channel/{appid}?page_no=0&page_size=100",
    AK_ENDPOINT_READ },
  { "rtc.user-status", "GET", "/dev/v1/channel/user/property/{appid}/{uid}/{channelName}",
    AK_ENDPOINT_READ },
  { "rtc.kicking-rule-create", "POST", "/dev/v1/kicking-rule", AK_ENDPOINT_DESTRUCTIVE },
  { "rtc.kicking-rule-delete", "DELETE", "/dev/v1/kicking-rule", AK_ENDPOINT_DESTRUCTIVE },
  { "recording.start", "POST",
    "/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}/mode/{mode}/start",
    AK_ENDPOINT_MUTATING },
  { "recording.query", "GET",
    "/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}/sid/{sid}/mode/{mode}/query",
    AK_ENDPOINT_READ },
  { "push.delete", "DELETE", "/{region}/v1/projects/{appId}/rtmp-converters/{converterId}",
    AK_ENDPOINT_DESTRUCTIVE },
  { "pull.list", "GET", "/v1/projects/{appId}/cloud-player/players", AK_ENDPOINT_READ },
  { "rtm.peer-message", "POST", "/dev/v2/project/{appid}/rtm/users/{user_id}/peer_messages",
    AK_ENDPOINT_MUTATING },
  { "rtm.user-events", "GET", "/dev/v2/project/{appid}/rtm/vendor/user_events",
    AK_ENDPOINT_SIDE_EFFECT },
  { "rtm.channel-events", "GET", "/dev/v2/project/{appid}/rtm/vendor/channel_events",
    AK_ENDPOINT_SIDE_EFFECT },
  { "chat.token-exchange", "POST", "/{org}/{app}/token", AK_ENDPOINT_READ },
  { "chat.user-delete", "DELETE", "/{org}/{app}/users/{username}", AK_ENDPOINT_DESTRUCTIVE },
  { "analytics.call-list", "GET",
    "/beta/analytics/call/lists?appid={appid}&start_ts={start_ts}&end_ts={end_ts}",
    AK_ENDPOINT_READ },
};

static void
test_documented_rows (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const AkEndpoint *e = ak_rest_catalogue_find (expected[i].id);

      g_test_message ("%s", expected[i].id);
      g_assert_nonnull (e);
      g_assert_cmpstr (e->method, ==, expected[i].method);
      g_assert_cmpstr (e->path, ==, expected[i].path);
      g_assert_cmpint (e->effect, ==, expected[i].effect);
    }

  g_assert_null (ak_rest_catalogue_find ("console.nope"));
  g_assert_null (ak_rest_catalogue_find (""));

  /* The kicking-rule delete is documented with a JSON body. */
  g_assert_nonnull (ak_rest_catalogue_find ("rtc.kicking-rule-delete")->body);
  g_assert_nonnull (strstr (ak_rest_catalogue_find ("rtc.kicking-rule-delete")->body,
                            "\"id\""));
}

/* The two RTM event reads delete what they return: they, and only they, are side effects. */
static void
test_rtm_event_reads (void)
{
  const AkEndpoint *endpoints;
  guint n;
  guint side_effects = 0;

  endpoints = ak_rest_catalogue_get (&n);
  for (guint i = 0; i < n; i++)
    if (endpoints[i].effect == AK_ENDPOINT_SIDE_EFFECT)
      {
        g_assert_cmpstr (endpoints[i].method, ==, "GET");
        g_assert_true (g_str_has_suffix (endpoints[i].path, "_events"));
        g_assert_nonnull (strstr (endpoints[i].confirm, "delete"));
        side_effects++;
      }
  g_assert_cmpuint (side_effects, ==, 2);
}

static void
assert_strv (GStrv               actual,
             const char * const *expected_names)
{
  g_autofree char *joined_actual = g_strjoinv (",", actual);
  g_autofree char *joined_expected = g_strjoinv (",", (char **) expected_names);

  g_assert_cmpstr (joined_actual, ==, joined_expected);
}

static void
test_fill_path_with_project (void)
{
  g_autoptr(AkCredential) project = demo_project (TRUE);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) missing = NULL;
  g_autofree char *path = NULL;

  path = ak_rest_fill_path ("/dev/v1/channel/{appid}?page_no=0&page_size=100", project, NULL,
                            &missing);
  g_assert_cmpstr (path, ==, "/dev/v1/channel/" APP_ID "?page_no=0&page_size=100");
  g_assert_nonnull (missing);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&missing, g_strfreev);

  /* Media Push spells it {appId}; the region and converter are the user's to give. */
  path = ak_rest_fill_path ("/{region}/v1/projects/{appId}/rtmp-converters/{converterId}",
                            project, NULL, &missing);
  g_assert_cmpstr (path, ==, "/{region}/v1/projects/" APP_ID "/rtmp-converters/{converterId}");
  assert_strv (missing, (const char * const[]) { "region", "converterId", NULL });
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&missing, g_strfreev);

  g_hash_table_insert (values, (gpointer) "region", (gpointer) "eu");
  g_hash_table_insert (values, (gpointer) "converterId", (gpointer) "4c0a");
  path = ak_rest_fill_path ("/{region}/v1/projects/{appId}/rtmp-converters/{converterId}",
                            project, values, &missing);
  g_assert_cmpstr (path, ==, "/eu/v1/projects/" APP_ID "/rtmp-converters/4c0a");
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&missing, g_strfreev);

  /* Chat org and app, under both spellings; values are percent-encoded into one segment. */
  g_hash_table_insert (values, (gpointer) "username", (gpointer) "alice smith/2");
  path = ak_rest_fill_path ("/{org}/{app}/users/{username}", project, values, &missing);
  g_assert_cmpstr (path, ==, "/61717166/demo/users/alice%20smith%2F2");
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&missing, g_strfreev);

  path = ak_rest_fill_path ("/{org_name}/{app_name}/token", project, NULL, &missing);
  g_assert_cmpstr (path, ==, "/61717166/demo/token");
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&missing, g_strfreev);

  /* A value the user typed wins over the project's; an empty one does not count. */
  g_hash_table_insert (values, (gpointer) "appid", (gpointer) "0123456789abcdef0123456789abcdef");
  path = ak_rest_fill_path ("/dev/v1/channel/{appid}", project, values, &missing);
  g_assert_cmpstr (path, ==, "/dev/v1/channel/0123456789abcdef0123456789abcdef");
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&missing, g_strfreev);

  g_hash_table_insert (values, (gpointer) "appid", (gpointer) "");
  g_hash_table_insert (values, (gpointer) "uid", (gpointer) "");
  path = ak_rest_fill_path ("/dev/v1/channel/user/property/{appid}/{uid}/{channelName}",
                            project, values, &missing);
  g_assert_cmpstr (path, ==, "/dev/v1/channel/user/property/" APP_ID "/{uid}/{channelName}");
  assert_strv (missing, (const char * const[]) { "uid", "channelName", NULL });
}

static void
test_fill_path_without_project (void)
{
  g_autoptr(AkCredential) no_chat = demo_project (FALSE);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) missing = NULL;
  g_autofree char *path = NULL;

  /* Nothing to fill from: each placeholder is flagged once, in order, and left as it is. */
  path = ak_rest_fill_path ("/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}"
                            "/sid/{sid}/mode/{mode}/query?again={appid}", NULL, NULL, &missing);
  g_assert_cmpstr (path, ==, "/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}"
                   "/sid/{sid}/mode/{mode}/query?again={appid}");
  assert_strv (missing, (const char * const[]) { "appid", "resourceid", "sid", "mode", NULL });
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&missing, g_strfreev);

  /* A project without Chat names cannot fill {org} and {app}. */
  path = ak_rest_fill_path ("/{org}/{app}/users", no_chat, NULL, &missing);
  g_assert_cmpstr (path, ==, "/{org}/{app}/users");
  assert_strv (missing, (const char * const[]) { "org", "app", NULL });
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&missing, g_strfreev);

  /* Values alone are enough. */
  g_hash_table_insert (values, (gpointer) "appid", (gpointer) APP_ID);
  g_hash_table_insert (values, (gpointer) "channelName", (gpointer) "room #1");
  path = ak_rest_fill_path ("/dev/v1/channel/user/{appid}/{channelName}", NULL, values,
                            &missing);
  g_assert_cmpstr (path, ==, "/dev/v1/channel/user/" APP_ID "/room%20%231");
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&missing, g_strfreev);

  /* Braces that are not placeholders are text. */
  path = ak_rest_fill_path ("/a/{}/{a-b}/{", NULL, NULL, &missing);
  g_assert_cmpstr (path, ==, "/a/{}/{a-b}/{");
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
}

static void
test_placeholders (void)
{
  g_auto(GStrv) names = NULL;

  names = ak_rest_path_get_placeholders ("/{org}/{app}/users/{username}/x/{org}");
  assert_strv (names, (const char * const[]) { "org", "app", "username", NULL });
  g_clear_pointer (&names, g_strfreev);

  names = ak_rest_path_get_placeholders ("/dev/v1/projects");
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/rest-catalogue/well-formed", test_well_formed);
  g_test_add_func ("/ak/rest-catalogue/documented-rows", test_documented_rows);
  g_test_add_func ("/ak/rest-catalogue/rtm-event-reads", test_rtm_event_reads);
  g_test_add_func ("/ak/rest-catalogue/fill-path-with-project", test_fill_path_with_project);
  g_test_add_func ("/ak/rest-catalogue/fill-path-without-project",
                   test_fill_path_without_project);
  g_test_add_func ("/ak/rest-catalogue/placeholders", test_placeholders);

  return g_test_run ();
}
