/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "ak-rest-catalogue.h"
#include "ak-test-rest-catalogue.h"

/* The catalogue's path templates filled from a project, its placeholders, and picking an
 * endpoint: groups, search, and whether an edited request is still the endpoint. */

static void
assert_strv (GStrv               actual,
             const char * const *expected_names)
{
  g_autofree char *joined_actual = g_strjoinv (",", actual);
  g_autofree char *joined_expected = g_strjoinv (",", (char **) expected_names);

  g_assert_cmpstr (joined_actual, ==, joined_expected);
}

/* Fills @template from @project and @values, which must give @expected with @missing_names
 * (NULL: none) left to fill. */
static void
assert_filled (const char         *template,
               AkCredential       *project,
               GHashTable         *values,
               const char         *expected,
               const char * const *missing_names)
{
  static const char * const none[] = { NULL };
  g_auto(GStrv) missing = NULL;
  g_autofree char *path = ak_rest_fill_path (template, project, values, &missing);

  g_assert_cmpstr (path, ==, expected);
  g_assert_nonnull (missing);
  assert_strv (missing, missing_names != NULL ? missing_names : none);
}

static void
test_fill_path_with_project (void)
{
  g_autoptr(AkCredential) project = demo_project (TRUE);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);

  assert_filled ("/dev/v1/channel/{appid}?page_no=0&page_size=100", project, NULL,
                 "/dev/v1/channel/" APP_ID "?page_no=0&page_size=100", NULL);

  /* Media Push spells it {appId}; the region and converter are the user's to give. */
  assert_filled ("/{region}/v1/projects/{appId}/rtmp-converters/{converterId}", project, NULL,
                 "/{region}/v1/projects/" APP_ID "/rtmp-converters/{converterId}",
                 (const char * const[]) { "region", "converterId", NULL });

  g_hash_table_insert (values, (gpointer) "region", (gpointer) "eu");
  g_hash_table_insert (values, (gpointer) "converterId", (gpointer) "4c0a");
  assert_filled ("/{region}/v1/projects/{appId}/rtmp-converters/{converterId}", project, values,
                 "/eu/v1/projects/" APP_ID "/rtmp-converters/4c0a", NULL);

  /* Chat org and app, under both spellings; values are percent-encoded into one segment. */
  g_hash_table_insert (values, (gpointer) "username", (gpointer) "alice smith/2");
  assert_filled ("/{org}/{app}/users/{username}", project, values,
                 "/61717166/demo/users/alice%20smith%2F2", NULL);

  assert_filled ("/{org_name}/{app_name}/token", project, NULL, "/61717166/demo/token", NULL);

  /* A value the user typed wins over the project's; an empty one does not count. */
  g_hash_table_insert (values, (gpointer) "appid", (gpointer) "0123456789abcdef0123456789abcdef");
  assert_filled ("/dev/v1/channel/{appid}", project, values,
                 "/dev/v1/channel/0123456789abcdef0123456789abcdef", NULL);

  g_hash_table_insert (values, (gpointer) "appid", (gpointer) "");
  g_hash_table_insert (values, (gpointer) "uid", (gpointer) "");
  assert_filled ("/dev/v1/channel/user/property/{appid}/{uid}/{channelName}", project, values,
                 "/dev/v1/channel/user/property/" APP_ID "/{uid}/{channelName}",
                 (const char * const[]) { "uid", "channelName", NULL });
}

static void
test_fill_path_without_project (void)
{
  g_autoptr(AkCredential) no_chat = demo_project (FALSE);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);

  /* Nothing to fill from: each placeholder is flagged once, in order, and left as it is. */
  assert_filled ("/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}"
                 "/sid/{sid}/mode/{mode}/query?again={appid}", NULL, NULL,
                 "/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}"
                 "/sid/{sid}/mode/{mode}/query?again={appid}",
                 (const char * const[]) { "appid", "resourceid", "sid", "mode", NULL });

  /* A project without Chat names cannot fill {org} and {app}. */
  assert_filled ("/{org}/{app}/users", no_chat, NULL,
                 "/{org}/{app}/users", (const char * const[]) { "org", "app", NULL });

  /* Values alone are enough. */
  g_hash_table_insert (values, (gpointer) "appid", (gpointer) APP_ID);
  g_hash_table_insert (values, (gpointer) "channelName", (gpointer) "room #1");
  assert_filled ("/dev/v1/channel/user/{appid}/{channelName}", NULL, values,
                 "/dev/v1/channel/user/" APP_ID "/room%20%231", NULL);

  /* Braces that are not placeholders are text. */
  assert_filled ("/a/{}/{a-b}/{", NULL, NULL, "/a/{}/{a-b}/{", NULL);
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

/* Each product is one group, in the catalogue's order, and every endpoint is in exactly one:
 * an entry added out of place would split its product in two in the picker. */
static void
test_groups (void)
{
  guint n;
  guint n_groups;
  const AkEndpoint *all = ak_rest_catalogue_get (&n);
  const AkEndpointGroup *groups = ak_rest_catalogue_get_groups (&n_groups);
  guint next = 0;

  g_assert_cmpuint (n_groups, ==, G_N_ELEMENTS (products));
  for (guint i = 0; i < n_groups; i++)
    {
      g_assert_cmpstr (groups[i].product, ==, products[i]);
      g_assert_cmpuint (groups[i].first, ==, next);
      g_assert_cmpuint (groups[i].n_endpoints, >, 0);
      for (guint j = 0; j < groups[i].n_endpoints; j++)
        g_assert_cmpstr (all[groups[i].first + j].product, ==, groups[i].product);
      next += groups[i].n_endpoints;
    }
  g_assert_cmpuint (next, ==, n);
}

/* The ids of the endpoints @search finds, in catalogue order, space-separated. */
static char *
search_ids (const char *search)
{
  guint n;
  const AkEndpoint *all = ak_rest_catalogue_get (&n);
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    if (ak_endpoint_matches_search (&all[i], search))
      g_string_append_printf (ids, "%s%s", ids->len > 0 ? " " : "", all[i].id);
  return g_string_free (ids, FALSE);
}

static void
test_search (void)
{
  static const struct
  {
    const char *search;
    const char *ids;
  } cases[] = {
    /* Words start words, in any order and case. */
    { "chan list", "rtc.channel-list rtc.kicking-rule-list push.list-channel" },
    { "LIST CHANNELS", "rtc.channel-list push.list-channel" },
    { "users channel", "rtc.channel-users rtm.channel-message" },
    /* A method and a path, as the documentation writes them. */
    { "GET /dev/v1/projects", "console.projects-list" },
    { "reset_signkey", "console.reset-signkey" },
    /* The id's product word, and a placeholder's name. */
    { "convoai leave", "convoai.leave" },
    { "stt join", "stt.join" },
    { "kicking delete", "rtc.kicking-rule-delete" },
    /* Nothing matches the middle of a word. */
    { "annel", "" },
    { "no such endpoint", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ids = search_ids (cases[i].search);

      g_test_message ("search “%s”", cases[i].search);
      g_assert_cmpstr (ids, ==, cases[i].ids);
    }

  /* An empty search, or only spaces, lists everything. */
  {
    guint n;
    const AkEndpoint *all = ak_rest_catalogue_get (&n);

    for (guint i = 0; i < n; i++)
      {
        g_assert_true (ak_endpoint_matches_search (&all[i], ""));
        g_assert_true (ak_endpoint_matches_search (&all[i], "  "));
        g_assert_true (ak_endpoint_matches_search (&all[i], NULL));
      }
  }

  /* A product name finds its whole group and nothing else. */
  {
    g_autofree char *ids = search_ids ("cloud recording");
    g_auto(GStrv) found = g_strsplit (ids, " ", -1);

    g_assert_cmpuint (g_strv_length (found), >, 3);
    for (guint i = 0; found[i] != NULL; i++)
      g_assert_true (g_str_has_prefix (found[i], "recording."));
  }
}

static void
test_matches_request (void)
{
  const AkEndpoint *leave = ak_rest_catalogue_find ("convoai.leave");
  const AkEndpoint *channels = ak_rest_catalogue_find ("rtc.channel-list");
  const AkEndpoint *chat = ak_rest_catalogue_find ("chat.user-get");
  static const struct
  {
    const char *method;
    const char *path;
    gboolean matches;
  } leave_cases[] = {
    { "POST", "/api/conversational-ai-agent/v2/projects/{appid}/agents/{agentId}/leave", TRUE },
    /* Placeholders filled in: still the endpoint. */
    { "POST", "/api/conversational-ai-agent/v2/projects/" APP_ID "/agents/A42/leave", TRUE },
    { "post", "/api/conversational-ai-agent/v2/projects/" APP_ID "/agents/A42/leave", TRUE },
    { "POST", " /api/conversational-ai-agent/v2/projects/" APP_ID "/agents/A42/leave ", TRUE },
    { "POST", "https://api.agora.io/api/conversational-ai-agent/v2/projects/" APP_ID
              "/agents/A42/leave", TRUE },
    /* Another method, another path, an emptied or split placeholder: a custom request. */
    { "GET", "/api/conversational-ai-agent/v2/projects/" APP_ID "/agents/A42/leave", FALSE },
    { "POST", "/api/conversational-ai-agent/v2/projects/" APP_ID "/agents/A42/leaves", FALSE },
    { "POST", "/api/conversational-ai-agent/v2/projects/" APP_ID "/agents/A42", FALSE },
    { "POST", "/api/conversational-ai-agent/v2/projects/" APP_ID "/agents//leave", FALSE },
    { "POST", "/api/conversational-ai-agent/v2/projects/" APP_ID "/agents/a/b/leave", FALSE },
    { "POST", "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (leave_cases); i++)
    {
      g_test_message ("%s %s", leave_cases[i].method, leave_cases[i].path);
      g_assert_cmpint (ak_endpoint_matches_request (leave, leave_cases[i].method,
                                                    leave_cases[i].path),
                       ==, leave_cases[i].matches);
    }

  /* The query may change (another page size) without leaving the endpoint. */
  g_assert_true (ak_endpoint_matches_request (channels, "GET",
                                              "/dev/v1/channel/" APP_ID "?page_no=2"));
  g_assert_true (ak_endpoint_matches_request (channels, "GET", "/dev/v1/channel/" APP_ID));
  g_assert_false (ak_endpoint_matches_request (channels, "GET", "/dev/v1/channel/"));
  /* Several placeholders in a row of segments. */
  g_assert_true (ak_endpoint_matches_request (chat, "GET", "/61717166/demo/users/alice"));
  g_assert_false (ak_endpoint_matches_request (chat, "GET", "/61717166/users/alice"));
}

static void
test_auth_mismatch (void)
{
  const AkEndpoint *basic_only = ak_rest_catalogue_find ("console.projects-list");
  const AkEndpoint *convoai = ak_rest_catalogue_find ("convoai.list");
  g_autofree char *refused = NULL;
  g_autofree char *either = NULL;
  char *none;

  g_assert_null (ak_endpoint_describe_auth_mismatch (basic_only, AK_AUTH_BASIC));
  refused = ak_endpoint_describe_auth_mismatch (basic_only, AK_AUTH_AGORA_TOKEN);
  g_assert_nonnull (refused);
  g_assert_true (g_str_has_prefix (refused, "This endpoint takes "));
  g_assert_nonnull (strstr (refused, ak_auth_scheme_get_label (AK_AUTH_BASIC)));
  g_assert_nonnull (strstr (refused, ak_auth_scheme_get_label (AK_AUTH_AGORA_TOKEN)));

  none = ak_endpoint_describe_auth_mismatch (convoai, AK_AUTH_AGORA_TOKEN);
  g_assert_null (none);
  either = ak_endpoint_describe_auth_mismatch (convoai, AK_AUTH_X_AGORA);
  g_assert_nonnull (strstr (either, ak_auth_scheme_get_label (AK_AUTH_BASIC)));
  g_assert_nonnull (strstr (either, ak_auth_scheme_get_label (AK_AUTH_AGORA_TOKEN)));
  g_assert_nonnull (strstr (either, ak_auth_scheme_get_label (AK_AUTH_X_AGORA)));
}

static void
test_placeholder_provenance (void)
{
  g_autoptr(AkCredential) bare = demo_project (FALSE);
  g_autoptr(AkCredential) chat = demo_project (TRUE);
  const char * const chat_names[] = { "org", "app", NULL };
  const char * const org_only[] = { "org", NULL };
  const char * const app_id[] = { "appid", NULL };
  const char * const typed[] = { "agentId", "sid", "mode", NULL };
  const char * const mixed[] = { "appid", "cname", NULL };
  const char * const nothing[] = { NULL };
  g_autofree char *text = NULL;

  g_assert_null (ak_rest_describe_missing_placeholders (nothing, bare));
  g_assert_null (ak_rest_describe_missing_placeholders (NULL, NULL));

  /* The project's Chat names are empty: say so, name the project and the fix. */
  text = ak_rest_describe_missing_placeholders (chat_names, bare);
  g_assert_true (g_str_has_prefix (text, "{org} and {app} come from the Chat settings of “Demo”, "
                                         "which are empty"));
  g_assert_nonnull (strstr (text, "Credentials page"));
  g_clear_pointer (&text, g_free);

  text = ak_rest_describe_missing_placeholders (org_only, bare);
  g_assert_true (g_str_has_prefix (text, "{org} comes from the Chat settings of “Demo”, where "
                                         "it is empty"));
  g_clear_pointer (&text, g_free);

  /* No project chosen. */
  text = ak_rest_describe_missing_placeholders (chat_names, NULL);
  g_assert_true (g_str_has_prefix (text, "{org} and {app} come from a project’s Chat settings"));
  g_clear_pointer (&text, g_free);
  text = ak_rest_describe_missing_placeholders (app_id, NULL);
  g_assert_true (g_str_has_prefix (text, "{appid} is a project’s App ID"));
  g_clear_pointer (&text, g_free);

  /* The rest are the user's to type. */
  text = ak_rest_describe_missing_placeholders (typed, chat);
  g_assert_cmpstr (text, ==, "Type the values of {agentId}, {sid} and {mode} into the path "
                             "before sending.");
  g_clear_pointer (&text, g_free);

  /* One line per source. */
  text = ak_rest_describe_missing_placeholders (mixed, NULL);
  g_assert_nonnull (strstr (text, "{appid} is a project’s App ID"));
  g_assert_nonnull (strstr (text, "\nType the value of {cname} into the path"));
}

static void
test_request_line (void)
{
  static const struct
  {
    const char *method;
    const char *base;
    const char *path;
    const char *line;
  } cases[] = {
    { "GET", "api.agora.io", "/dev/v1/projects", "GET https://api.agora.io/dev/v1/projects" },
    { "GET", "api.agora.io", "dev/v1/projects", "GET https://api.agora.io/dev/v1/projects" },
    { "POST", "http://127.0.0.1:8080/", "/x", "POST http://127.0.0.1:8080/x" },
    { "GET", " https://api.sd-rtn.com ",
      "/v1/projects/{appId}/rtsc/cloud-transcoder/tasks/{taskId}",
      "GET https://api.sd-rtn.com/v1/projects/{appId}/rtsc/cloud-transcoder/tasks/{taskId}" },
    /* Escapes read as text, unless they would show a separator the URL does not have. */
    { "GET", "api.agora.io", "/dev/v1/channel/user/A/my%20channel",
      "GET https://api.agora.io/dev/v1/channel/user/A/my channel" },
    { "GET", "api.agora.io", "/dev/v1/channel/user/A/a%2Fb",
      "GET https://api.agora.io/dev/v1/channel/user/A/a%2Fb" },
    { "GET", "api.agora.io", "/x/%0Ay", "GET https://api.agora.io/x/%0Ay" },
    { "GET", "api.agora.io", "/x/%FF", "GET https://api.agora.io/x/%FF" },
    /* A full URL in the path wins over the host. */
    { "DELETE", "api.agora.io", "https://a41.chat.agora.io/org/app/users/bob",
      "DELETE https://a41.chat.agora.io/org/app/users/bob" },
    { "GET", NULL, "https://example.com/x", "GET https://example.com/x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = ak_rest_format_request_line (cases[i].method, cases[i].base,
                                                           cases[i].path);

      g_assert_cmpstr (line, ==, cases[i].line);
    }
  g_assert_null (ak_rest_format_request_line ("GET", NULL, "/dev/v1/projects"));
  g_assert_null (ak_rest_format_request_line ("GET", "  ", "/dev/v1/projects"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/rest-catalogue/fill-path-with-project", test_fill_path_with_project);
  g_test_add_func ("/ak/rest-catalogue/fill-path-without-project",
                   test_fill_path_without_project);
  g_test_add_func ("/ak/rest-catalogue/placeholders", test_placeholders);
  g_test_add_func ("/ak/rest-catalogue/groups", test_groups);
  g_test_add_func ("/ak/rest-catalogue/search", test_search);
  g_test_add_func ("/ak/rest-catalogue/matches-request", test_matches_request);
  g_test_add_func ("/ak/rest-catalogue/auth-mismatch", test_auth_mismatch);
  g_test_add_func ("/ak/rest-catalogue/placeholder-provenance", test_placeholder_provenance);
  g_test_add_func ("/ak/rest-catalogue/request-line", test_request_line);

  return g_test_run ();
}
