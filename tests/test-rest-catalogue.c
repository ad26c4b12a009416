/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "ak-error.h"
#include "ak-json.h"
#include "ak-rest-catalogue.h"

/* The endpoint catalogue and the filling of its path templates. */

#define APP_ID "970CA35de60c44645bbae8a215061b33"

static const char * const products[] = {
  "Console", "RTC channel management", "Cloud Recording", "Media Push", "Media Pull",
  "Cloud Transcoding", "RTM", "Chat", "Conversational AI Engine", "Real-time STT", "Analytics",
};

/* The only placeholder a body may hold: the client fills it when it sends. */
#define CONVOAI_TOKEN_NAME "convoai_token"

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
  g_assert_cmpuint (n, >=, 80);

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

      /* Bodies are JSON objects to edit, which the app's own parser for outside JSON
       * accepts; a GET has none. */
      if (e->body != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(JsonNode) root = NULL;
          g_autoptr(GError) error = NULL;
          g_auto(GStrv) body_names = NULL;

          g_assert_true (json_parser_load_from_data (parser, e->body, -1, &error));
          g_assert_no_error (error);
          g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
          root = ak_json_parse_untrusted (e->body, strlen (e->body), &error);
          g_assert_no_error (error);
          g_assert_nonnull (root);
          g_assert_cmpstr (e->method, !=, "GET");

          /* Nothing fills a {name} in a body but the ConvoAI token. */
          body_names = ak_rest_path_get_placeholders (e->body);
          for (guint b = 0; body_names[b] != NULL; b++)
            {
              g_assert_cmpstr (body_names[b], ==, CONVOAI_TOKEN_NAME);
              g_assert_true (g_str_has_prefix (e->id, "convoai."));
            }
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

      /* Chat goes to the project's Chat host with a Bearer token; nothing else does. Cloud
       * Transcoding names the host its reference uses. */
      if (g_str_equal (e->product, "Chat"))
        {
          g_assert_cmpstr (e->host, ==, "chat");
          g_assert_cmpint (e->auth, ==, AK_AUTH_BEARER);
          g_assert_true (g_str_has_prefix (e->path, "/{org}/{app}/")
                         || g_str_has_prefix (e->path, "/app-id/{app_id}/"));
        }
      else
        {
          if (g_str_equal (e->product, "Cloud Transcoding"))
            g_assert_cmpstr (e->host, ==, "api.sd-rtn.com");
          else
            g_assert_null (e->host);
          g_assert_cmpint (e->auth, ==, AK_AUTH_BASIC);
        }
      g_assert_true (ak_endpoint_accepts_auth (e, e->auth));
      g_assert_false (ak_endpoint_accepts_auth (e, AK_AUTH_NONE));

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
  { "analytics.insight-usage-total", "POST", "/beta/insight/usage/aggregation?appid={appid}",
    AK_ENDPOINT_READ },
  { "analytics.insight-quality-total", "POST",
    "/beta/insight/quality/aggregation?appid={appid}", AK_ENDPOINT_READ },
  { "analytics.insight-quality-time", "GET",
    "/beta/insight/quality/by_time?appid={appid}&startTs={startTs}&endTs={endTs}"
    "&metric={metric}&aggregateGranularity={aggregateGranularity}&productType={productType}",
    AK_ENDPOINT_READ },
  { "analytics.realtime-usage-top", "GET",
    "/beta/realtime/usage/dimension/top20?appid={appid}&ts={ts}&productType={productType}"
    "&dimension={dimension}&metric=userCount", AK_ENDPOINT_READ },
  { "rtm.history-count", "GET",
    "/dev/v2/project/{appid}/rtm/message/history/count?source={source}"
    "&destination={destination}&start_time={start_time}&end_time={end_time}",
    AK_ENDPOINT_READ },
  { "convoai.join", "POST", "/api/conversational-ai-agent/v2/projects/{appid}/join",
    AK_ENDPOINT_MUTATING },
  { "convoai.leave", "POST",
    "/api/conversational-ai-agent/v2/projects/{appid}/agents/{agentId}/leave",
    AK_ENDPOINT_MUTATING },
  { "convoai.list", "GET", "/api/conversational-ai-agent/v2/projects/{appid}/agents",
    AK_ENDPOINT_READ },
  { "convoai.query", "GET", "/api/conversational-ai-agent/v2/projects/{appid}/agents/{agentId}",
    AK_ENDPOINT_READ },
  { "convoai.update", "POST",
    "/api/conversational-ai-agent/v2/projects/{appid}/agents/{agentId}/update",
    AK_ENDPOINT_MUTATING },
  { "convoai.speak", "POST",
    "/api/conversational-ai-agent/v2/projects/{appid}/agents/{agentId}/speak",
    AK_ENDPOINT_MUTATING },
  { "convoai.interrupt", "POST",
    "/api/conversational-ai-agent/v2/projects/{appid}/agents/{agentId}/interrupt",
    AK_ENDPOINT_MUTATING },
  { "convoai.history", "GET",
    "/api/conversational-ai-agent/v2/projects/{appid}/agents/{agentId}/history",
    AK_ENDPOINT_READ },
  { "stt.join", "POST", "/api/speech-to-text/v1/projects/{appid}/join", AK_ENDPOINT_MUTATING },
  { "stt.query", "GET", "/api/speech-to-text/v1/projects/{appid}/agents/{agentId}",
    AK_ENDPOINT_READ },
  { "stt.update", "POST", "/api/speech-to-text/v1/projects/{appid}/agents/{agentId}/update"
    "?sequenceId={sequenceId}&updateMask=translateConfig.enable,translateConfig.languages",
    AK_ENDPOINT_MUTATING },
  { "stt.leave", "POST", "/api/speech-to-text/v1/projects/{appid}/agents/{agentId}/leave",
    AK_ENDPOINT_MUTATING },
  { "stt.list", "GET", "/api/speech-to-text/v1/projects/{appid}/agents", AK_ENDPOINT_READ },
  { "transcoding.builder-token", "POST",
    "/v1/projects/{appId}/rtsc/cloud-transcoder/builderTokens", AK_ENDPOINT_MUTATING },
  { "transcoding.create", "POST",
    "/v1/projects/{appId}/rtsc/cloud-transcoder/tasks?builderToken={builderToken}",
    AK_ENDPOINT_MUTATING },
  { "transcoding.query", "GET",
    "/v1/projects/{appId}/rtsc/cloud-transcoder/tasks/{taskId}?builderToken={builderToken}",
    AK_ENDPOINT_READ },
  { "transcoding.update", "PATCH",
    "/v1/projects/{appId}/rtsc/cloud-transcoder/tasks/{taskId}?builderToken={builderToken}"
    "&sequenceId={sequenceId}&updateMask=services.cloudTranscoder.config",
    AK_ENDPOINT_MUTATING },
  { "transcoding.destroy", "DELETE",
    "/v1/projects/{appId}/rtsc/cloud-transcoder/tasks/{taskId}?builderToken={builderToken}",
    AK_ENDPOINT_DESTRUCTIVE },
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

/* Exactly the three RTM 1.x history calls are legacy, and their names say so. */
static void
test_legacy (void)
{
  static const char * const legacy_ids[] = {
    "rtm.history-query", "rtm.history-fetch", "rtm.history-count",
  };
  const AkEndpoint *endpoints;
  guint n;
  guint legacy = 0;

  endpoints = ak_rest_catalogue_get (&n);
  for (guint i = 0; i < n; i++)
    {
      gboolean listed = FALSE;

      for (gsize l = 0; l < G_N_ELEMENTS (legacy_ids); l++)
        listed |= g_str_equal (endpoints[i].id, legacy_ids[l]);
      g_test_message ("%s", endpoints[i].id);
      g_assert_cmpint (endpoints[i].legacy, ==, listed);
      if (endpoints[i].legacy)
        {
          g_assert_nonnull (strstr (endpoints[i].name, "legacy: taken offline"));
          legacy++;
        }
      else
        g_assert_null (strstr (endpoints[i].name, "legacy"));
    }
  g_assert_cmpuint (legacy, ==, G_N_ELEMENTS (legacy_ids));

  /* The Signaling 2.x history that replaced them is current. */
  g_assert_false (ak_rest_catalogue_find ("rtm.history-v2")->legacy);
}

typedef struct
{
  const char *id;
  /* The query parameters its reference requires, beyond the App ID. */
  const char *required[7];
} AnalyticsQuery;

static const AnalyticsQuery analytics_queries[] = {
  { "analytics.call-list", { "start_ts", "end_ts" } },
  { "analytics.call-sessions", { "start_ts", "end_ts", "call_id" } },
  { "analytics.call-metrics", { "start_ts", "end_ts", "call_id", "sids" } },
  { "analytics.call-statistics", { "start_ts", "end_ts", "call_id", "dimension", "metric" } },
  { "analytics.freeze-bucket", { "start_ts", "end_ts", "call_id", "metric" } },
  { "analytics.statistics-time", { "start_ts", "end_ts", "call_id", "metric" } },
  { "analytics.insight-usage-time", { "startTs", "endTs", "metric", "aggregateGranularity" } },
  { "analytics.insight-quality-time",
    { "startTs", "endTs", "metric", "aggregateGranularity", "productType" } },
  { "analytics.insight-usage-total", { NULL } },
  { "analytics.insight-quality-total", { NULL } },
  { "analytics.realtime-usage", { "startTs", "endTs", "metric", "productType" } },
  { "analytics.realtime-quality", { "startTs", "endTs", "metric", "productType" } },
  { "analytics.realtime-usage-top", { "ts", "productType", "dimension" } },
  { "analytics.realtime-quality-top", { "ts", "productType", "dimension", "metric" } },
};

/* Analytics takes its parameters in the query string: until every required one is filled,
 * the path still holds a placeholder and no URL can be built from it, so nothing is sent. */
static void
test_analytics_placeholders_block_sending (void)
{
  g_autoptr(AkCredential) project = demo_project (FALSE);
  const AkEndpoint *endpoints;
  guint n;
  guint analytics = 0;

  endpoints = ak_rest_catalogue_get (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (endpoints[i].product, "Analytics"))
      analytics++;
  g_assert_cmpuint (analytics, ==, G_N_ELEMENTS (analytics_queries));

  for (gsize q = 0; q < G_N_ELEMENTS (analytics_queries); q++)
    {
      const AnalyticsQuery *query = &analytics_queries[q];
      const AkEndpoint *e = ak_rest_catalogue_find (query->id);
      g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
      g_auto(GStrv) missing = NULL;
      g_autofree char *path = NULL;
      g_autofree char *url = NULL;
      g_autofree char *appid_param = NULL;
      g_autoptr(GError) error = NULL;
      guint n_required = 0;

      g_test_message ("%s", query->id);
      g_assert_nonnull (e);
      g_assert_true (g_str_has_prefix (e->path, "/beta/"));
      g_assert_nonnull (strstr (e->path, "?appid={appid}"));
      while (n_required < G_N_ELEMENTS (query->required) && query->required[n_required] != NULL)
        n_required++;

      /* The project fills the App ID; the rest stays missing, in the order written. */
      path = ak_rest_fill_path (e->path, project, NULL, &missing);
      appid_param = g_strdup_printf ("appid=%s", APP_ID);
      g_assert_nonnull (strstr (path, appid_param));
      g_assert_cmpuint (g_strv_length (missing), ==, n_required);
      for (guint r = 0; r < n_required; r++)
        {
          g_autofree char *param = g_strdup_printf ("%s={%s}", query->required[r],
                                                    query->required[r]);

          g_assert_true (g_strv_contains ((const char * const *) missing, query->required[r]));
          g_assert_nonnull (strstr (e->path, param));
        }

      url = ak_rest_build_url ("api.agora.io", path, &error);
      if (n_required > 0)
        {
          g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
          g_assert_null (url);
        }
      else
        g_assert_no_error (error);
      g_clear_error (&error);
      g_clear_pointer (&url, g_free);
      g_clear_pointer (&path, g_free);
      g_clear_pointer (&missing, g_strfreev);

      /* Filled, it goes. */
      for (guint r = 0; r < n_required; r++)
        g_hash_table_insert (values, (gpointer) query->required[r], (gpointer) "1625097600");
      path = ak_rest_fill_path (e->path, project, values, &missing);
      g_assert_cmpuint (g_strv_length (missing), ==, 0);
      url = ak_rest_build_url ("api.agora.io", path, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (url, "https://api.agora.io/beta/"));
    }
}

/* The Data Insights aggregations are POSTs whose JSON carries the range and the metric. */
static void
test_insight_aggregation_bodies (void)
{
  static const char * const ids[] = {
    "analytics.insight-usage-total", "analytics.insight-quality-total",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const AkEndpoint *e = ak_rest_catalogue_find (ids[i]);
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *body;

      g_assert_cmpstr (e->method, ==, "POST");
      root = ak_json_parse_untrusted (e->body, strlen (e->body), &error);
      g_assert_no_error (error);
      body = json_node_get_object (root);
      g_assert_cmpint (json_object_get_int_member (body, "startTs"), <,
                       json_object_get_int_member (body, "endTs"));
      g_assert_nonnull (json_object_get_string_member (body, "metric"));
      g_assert_nonnull (json_object_get_string_member (body, "dimension"));
      g_assert_nonnull (json_object_get_array_member (body, "dimensionValues"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "filters")),
                        ==, 1);
    }
}

/* The agent's channel token goes in properties.token as the placeholder the client fills;
 * the agent calls also take an AccessToken2 in place of Basic. */
static void
test_convoai (void)
{
  static const char * const with_token[] = { "convoai.join", "convoai.update" };
  const AkEndpoint *endpoints;
  guint n;
  guint convoai = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (with_token); i++)
    {
      const AkEndpoint *e = ak_rest_catalogue_find (with_token[i]);
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *properties;

      g_test_message ("%s", with_token[i]);
      root = ak_json_parse_untrusted (e->body, strlen (e->body), &error);
      g_assert_no_error (error);
      properties = json_object_get_object_member (json_node_get_object (root), "properties");
      g_assert_nonnull (properties);
      g_assert_cmpstr (json_object_get_string_member (properties, "token"), ==,
                       AK_REST_CONVOAI_TOKEN_PLACEHOLDER);
      g_assert_cmpstr (AK_REST_CONVOAI_TOKEN_PLACEHOLDER, ==, "{" CONVOAI_TOKEN_NAME "}");
    }

  {
    const AkEndpoint *join = ak_rest_catalogue_find ("convoai.join");
    g_autoptr(JsonNode) root = ak_json_parse_untrusted (join->body, strlen (join->body), NULL);
    JsonObject *body = json_node_get_object (root);
    JsonObject *properties = json_object_get_object_member (body, "properties");

    g_assert_nonnull (json_object_get_string_member (body, "name"));
    g_assert_nonnull (json_object_get_string_member (properties, "channel"));
    g_assert_nonnull (json_object_get_string_member (properties, "agent_rtc_uid"));
    g_assert_nonnull (json_object_get_array_member (properties, "remote_rtc_uids"));
    g_assert_true (json_object_has_member (properties, "enable_string_uid"));
    g_assert_cmpint (json_object_get_int_member (properties, "idle_timeout"), >, 0);
    g_assert_nonnull (json_object_get_object_member (properties, "llm"));
    g_assert_nonnull (json_object_get_object_member (properties, "tts"));
    g_assert_nonnull (json_object_get_object_member (properties, "asr"));
    /* The skeleton holds no provider key of its own. */
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (properties, "llm"), "api_key"), ==, "");
  }

  endpoints = ak_rest_catalogue_get (&n);
  for (guint i = 0; i < n; i++)
    {
      if (!g_str_equal (endpoints[i].product, "Conversational AI Engine"))
        {
          g_assert_false (g_str_has_prefix (endpoints[i].id, "convoai."));
          continue;
        }
      g_assert_true (g_str_has_prefix (endpoints[i].path,
                                       "/api/conversational-ai-agent/v2/projects/{appid}/"));
      g_assert_cmpint (endpoints[i].auth, ==, AK_AUTH_BASIC);
      g_assert_true (ak_endpoint_accepts_auth (&endpoints[i], AK_AUTH_AGORA_TOKEN));
      g_assert_false (ak_endpoint_accepts_auth (&endpoints[i], AK_AUTH_X_AGORA));
      g_assert_false (ak_endpoint_accepts_auth (&endpoints[i], AK_AUTH_BEARER));
      convoai++;
    }
  g_assert_cmpuint (convoai, ==, 8);

  /* Real-time STT and Cloud Transcoding take Basic only; RTM 1.x takes both token kinds. */
  g_assert_false (ak_endpoint_accepts_auth (ak_rest_catalogue_find ("stt.join"),
                                            AK_AUTH_AGORA_TOKEN));
  g_assert_false (ak_endpoint_accepts_auth (ak_rest_catalogue_find ("transcoding.create"),
                                            AK_AUTH_AGORA_TOKEN));
  g_assert_true (ak_endpoint_accepts_auth (ak_rest_catalogue_find ("rtm.peer-message"),
                                           AK_AUTH_X_AGORA));
  g_assert_true (ak_endpoint_accepts_auth (ak_rest_catalogue_find ("rtm.peer-message"),
                                           AK_AUTH_AGORA_TOKEN));
  g_assert_false (ak_endpoint_accepts_auth (ak_rest_catalogue_find ("chat.user-get"),
                                            AK_AUTH_BASIC));
}

/* Every call that starts, changes or stops something billable asks first. */
static void
test_new_products_ask_first (void)
{
  static const struct { const char *id; AkEndpointEffect effect; } rows[] = {
    { "convoai.join", AK_ENDPOINT_MUTATING }, { "convoai.leave", AK_ENDPOINT_MUTATING },
    { "convoai.update", AK_ENDPOINT_MUTATING }, { "convoai.speak", AK_ENDPOINT_MUTATING },
    { "convoai.interrupt", AK_ENDPOINT_MUTATING }, { "stt.join", AK_ENDPOINT_MUTATING },
    { "stt.update", AK_ENDPOINT_MUTATING }, { "stt.leave", AK_ENDPOINT_MUTATING },
    { "transcoding.builder-token", AK_ENDPOINT_MUTATING },
    { "transcoding.create", AK_ENDPOINT_MUTATING },
    { "transcoding.update", AK_ENDPOINT_MUTATING },
    { "transcoding.destroy", AK_ENDPOINT_DESTRUCTIVE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const AkEndpoint *e = ak_rest_catalogue_find (rows[i].id);

      g_test_message ("%s", rows[i].id);
      g_assert_cmpint (e->effect, ==, rows[i].effect);
      g_assert_nonnull (e->confirm);
    }

  /* Transcoding's update sends the whole create body again, as its reference requires. */
  g_assert_cmpstr (ak_rest_catalogue_find ("transcoding.update")->body, ==,
                   ak_rest_catalogue_find ("transcoding.create")->body);
  g_assert_nonnull (strstr (ak_rest_catalogue_find ("transcoding.create")->body,
                            "\"serviceType\":\"cloudTranscoderV2\""));
}

/* Chat's App ID form, typed as a custom path: needs no org or app name, only the App ID
 * every project has. The catalogue's own Chat entries use the /{org}/{app}/ form. */
static void
test_chat_app_id_form (void)
{
  g_autoptr(AkCredential) no_chat = demo_project (FALSE);
  g_auto(GStrv) missing = NULL;
  g_autofree char *path = NULL;

  path = ak_rest_fill_path ("/app-id/{app_id}/users?limit=10", no_chat, NULL, &missing);
  g_assert_cmpstr (path, ==, "/app-id/" APP_ID "/users?limit=10");
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  g_assert_true (g_str_has_prefix (ak_rest_catalogue_find ("chat.users-list")->path,
                                   "/{org}/{app}/"));
}

static void
test_checked_date (void)
{
  g_autoptr(GDateTime) checked = NULL;
  g_autofree char *iso = g_strconcat (AK_REST_CATALOGUE_CHECKED, "T00:00:00Z", NULL);

  /* The README quotes it: a real date, not before this catalogue's last revision. */
  checked = g_date_time_new_from_iso8601 (iso, NULL);
  g_assert_nonnull (checked);
  g_assert_cmpint (g_date_time_get_year (checked), >=, 2026);
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

  g_test_add_func ("/ak/rest-catalogue/well-formed", test_well_formed);
  g_test_add_func ("/ak/rest-catalogue/documented-rows", test_documented_rows);
  g_test_add_func ("/ak/rest-catalogue/rtm-event-reads", test_rtm_event_reads);
  g_test_add_func ("/ak/rest-catalogue/fill-path-with-project", test_fill_path_with_project);
  g_test_add_func ("/ak/rest-catalogue/fill-path-without-project",
                   test_fill_path_without_project);
  g_test_add_func ("/ak/rest-catalogue/placeholders", test_placeholders);
  g_test_add_func ("/ak/rest-catalogue/legacy", test_legacy);
  g_test_add_func ("/ak/rest-catalogue/analytics-placeholders-block-sending",
                   test_analytics_placeholders_block_sending);
  g_test_add_func ("/ak/rest-catalogue/insight-aggregation-bodies",
                   test_insight_aggregation_bodies);
  g_test_add_func ("/ak/rest-catalogue/convoai", test_convoai);
  g_test_add_func ("/ak/rest-catalogue/new-products-ask-first", test_new_products_ask_first);
  g_test_add_func ("/ak/rest-catalogue/chat-app-id-form", test_chat_app_id_form);
  g_test_add_func ("/ak/rest-catalogue/checked-date", test_checked_date);
  g_test_add_func ("/ak/rest-catalogue/groups", test_groups);
  g_test_add_func ("/ak/rest-catalogue/search", test_search);
  g_test_add_func ("/ak/rest-catalogue/matches-request", test_matches_request);
  g_test_add_func ("/ak/rest-catalogue/auth-mismatch", test_auth_mismatch);
  g_test_add_func ("/ak/rest-catalogue/placeholder-provenance", test_placeholder_provenance);
  g_test_add_func ("/ak/rest-catalogue/request-line", test_request_line);

  return g_test_run ();
}
