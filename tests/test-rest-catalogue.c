/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "ak-error.h"
#include "ak-json.h"
#include "ak-rest-catalogue.h"
#include "ak-test-rest-catalogue.h"

/* The endpoint catalogue: its rows as documented. Filling path templates and picking an
 * endpoint are test-rest-catalogue-pick's. */

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/rest-catalogue/well-formed", test_well_formed);
  g_test_add_func ("/ak/rest-catalogue/documented-rows", test_documented_rows);
  g_test_add_func ("/ak/rest-catalogue/rtm-event-reads", test_rtm_event_reads);
  g_test_add_func ("/ak/rest-catalogue/legacy", test_legacy);
  g_test_add_func ("/ak/rest-catalogue/analytics-placeholders-block-sending",
                   test_analytics_placeholders_block_sending);
  g_test_add_func ("/ak/rest-catalogue/insight-aggregation-bodies",
                   test_insight_aggregation_bodies);
  g_test_add_func ("/ak/rest-catalogue/convoai", test_convoai);
  g_test_add_func ("/ak/rest-catalogue/new-products-ask-first", test_new_products_ask_first);
  g_test_add_func ("/ak/rest-catalogue/chat-app-id-form", test_chat_app_id_form);
  g_test_add_func ("/ak/rest-catalogue/checked-date", test_checked_date);

  return g_test_run ();
}
