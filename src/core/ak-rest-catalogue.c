/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-rest-catalogue.h"

/*
 * Every endpoint of the Agora REST reference the app knows, in the order the Requests page
 * lists them. Paths are written as the documentation writes them, placeholders included,
 * so a user can compare them with Agora's pages.
 */

#define CONSOLE N_("Console")
#define RTC N_("RTC channel management")
#define RECORDING N_("Cloud Recording")
#define PUSH N_("Media Push")
#define PULL N_("Media Pull")
#define RTM N_("RTM")
#define CHAT N_("Chat")
#define ANALYTICS N_("Analytics")

#define RECORDING_TASK "/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}/sid/{sid}" \
                       "/mode/{mode}"
#define RTM_BASE "/dev/v2/project/{appid}"
#define PUSH_CONVERTERS "/{region}/v1/projects/{appId}/rtmp-converters"
#define PULL_PLAYERS "/{region}/v1/projects/{appId}/cloud-player/players"
#define CALL_RANGE "?appid={appid}&start_ts={start_ts}&end_ts={end_ts}"

static const AkEndpoint catalogue[] = {
  /* Console / project management */
  { "console.projects-list", CONSOLE, N_("List all projects"),
    "GET", "/dev/v1/projects", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL },
  { "console.project-get", CONSOLE, N_("Get one project"),
    "GET", "/dev/v1/project?id={projectId}&name={name}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "console.project-create", CONSOLE, N_("Create a project"),
    "POST", "/dev/v1/project", AK_AUTH_BASIC,
    "{\"name\":\"project1\",\"enable_sign_key\":true}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This creates a new project in your Agora account.") },
  { "console.project-status", CONSOLE, N_("Enable or disable a project"),
    "POST", "/dev/v1/project_status", AK_AUTH_BASIC, "{\"id\":\"xxxx\",\"status\":0}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("A disabled project refuses every user who joins with its App ID.") },
  { "console.recording-config", CONSOLE, N_("Set the recording server"),
    "POST", "/dev/v1/recording_config", AK_AUTH_BASIC,
    "{\"id\":\"xxxx\",\"recording_server\":\"10.12.1.5:8080\"}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes the project’s recording server address.") },
  { "console.signkey", CONSOLE, N_("Enable or disable the primary certificate"),
    "POST", "/dev/v1/signkey", AK_AUTH_BASIC, "{\"id\":\"xxxx\",\"enable\":true}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("Turning the primary certificate on or off changes which tokens the project "
       "accepts.") },
  { "console.reset-signkey", CONSOLE, N_("Reset the primary certificate"),
    "POST", "/dev/v1/reset_signkey", AK_AUTH_BASIC, "{\"id\":\"xxxx\"}",
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The primary certificate will be replaced: every token server that uses it stops "
       "working until it gets the new one.") },
  { "console.usage", CONSOLE, N_("Project usage"),
    "GET", "/dev/v3/usage?project_id={project_id}&from_date={from_date}&to_date={to_date}"
    "&business=default", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL },

  /* RTC channel management and online statistics */
  { "rtc.channel-list", RTC, N_("List channels"),
    "GET", "/dev/v1/channel/{appid}?page_no=0&page_size=100", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "rtc.channel-users", RTC, N_("Users in a channel"),
    "GET", "/dev/v1/channel/user/{appid}/{channelName}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "rtc.channel-hosts", RTC, N_("Hosts in a channel"),
    "GET", "/dev/v1/channel/user/{appid}/{channelName}/hosts_only", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "rtc.user-status", RTC, N_("A user’s status in a channel"),
    "GET", "/dev/v1/channel/user/property/{appid}/{uid}/{channelName}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "rtc.kicking-rule-create", RTC, N_("Create a kicking rule"),
    "POST", "/dev/v1/kicking-rule", AK_AUTH_BASIC,
    "{\"appid\":\"\",\"cname\":\"channel1\",\"uid\":589517928,\"ip\":\"\",\"time\":60,"
    "\"privileges\":[\"join_channel\"]}",
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The users this rule matches are removed from the channel and cannot join again "
       "until it expires.") },
  { "rtc.kicking-rule-list", RTC, N_("List kicking rules"),
    "GET", "/dev/v1/kicking-rule?appid={appid}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "rtc.kicking-rule-update", RTC, N_("Change how long a kicking rule lasts"),
    "PUT", "/dev/v1/kicking-rule", AK_AUTH_BASIC, "{\"appid\":\"\",\"id\":1953,\"time\":60}",
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("This changes how long the users the rule matches stay banned.") },
  { "rtc.kicking-rule-delete", RTC, N_("Delete a kicking rule"),
    "DELETE", "/dev/v1/kicking-rule", AK_AUTH_BASIC, "{\"appid\":\"\",\"id\":1953}",
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The rule will be deleted and the users it banned may join again.") },
  { "rtc.ncs-ip", RTC, N_("Webhook (NCS) server addresses"),
    "GET", "/v2/ncs/ip", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL },

  /* Cloud Recording */
  { "recording.acquire", RECORDING, N_("Acquire a recording resource"),
    "POST", "/v1/apps/{appid}/cloud_recording/acquire", AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"scene\":0,"
    "\"resourceExpiredHour\":24}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This reserves a recording resource for five minutes; start the recording soon "
       "after.") },
  { "recording.start", RECORDING, N_("Start recording"),
    "POST", "/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}/mode/{mode}/start",
    AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"token\":\"\","
    "\"recordingConfig\":{\"channelType\":1,\"streamTypes\":2},"
    "\"recordingFileConfig\":{\"avFileType\":[\"hls\"]},"
    "\"storageConfig\":{\"vendor\":2,\"region\":3,\"bucket\":\"\",\"accessKey\":\"\","
    "\"secretKey\":\"\",\"fileNamePrefix\":[\"dir1\"]}}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("Cloud Recording is billed by the minute from the moment it starts.") },
  { "recording.query", RECORDING, N_("Query a recording"),
    "GET", RECORDING_TASK "/query", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL },
  { "recording.update", RECORDING, N_("Change what is recorded"),
    "POST", RECORDING_TASK "/update", AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"streamSubscribe\":"
    "{\"audioUidList\":{\"subscribeAudioUids\":[\"#allstream#\"]}}}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes which streams the running recording subscribes to.") },
  { "recording.update-layout", RECORDING, N_("Change the recording layout"),
    "POST", RECORDING_TASK "/updateLayout", AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"mixedVideoLayout\":1}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes the layout of the running recording.") },
  { "recording.stop", RECORDING, N_("Stop recording"),
    "POST", RECORDING_TASK "/stop", AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"async_stop\":false}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("The recording stops and cannot be resumed; a new one needs a new resource.") },
  { "recording.ncs-ip", RECORDING, N_("Webhook (NCS) server addresses"),
    "GET", "/v1/ncs/ip", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL },

  /* Media Push */
  { "push.create", PUSH, N_("Create a streaming converter"),
    "POST", PUSH_CONVERTERS, AK_AUTH_BASIC,
    "{\"converter\":{\"name\":\"show68\",\"rawOptions\":{\"rtcChannel\":\"show68\","
    "\"rtcStreamUid\":201},\"rtmpUrl\":\"rtmp://example/live/x\",\"idleTimeout\":120}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("A converter pushes the channel to the RTMP address and is billed while it runs.") },
  { "push.update", PUSH, N_("Update a streaming converter"),
    "PATCH", PUSH_CONVERTERS "/{converterId}?sequence={sequence}", AK_AUTH_BASIC,
    "{\"converter\":{\"rtmpUrl\":\"rtmp://example/live/x\"},\"fields\":\"rtmpUrl\"}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes a running converter.") },
  { "push.get", PUSH, N_("Get a streaming converter"),
    "GET", PUSH_CONVERTERS "/{converterId}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "push.list", PUSH, N_("List streaming converters"),
    "GET", "/v1/projects/{appId}/rtmp-converters", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "push.list-channel", PUSH, N_("List a channel’s streaming converters"),
    "GET", "/v1/projects/{appId}/channels/{cname}/rtmp-converters", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "push.delete", PUSH, N_("Delete a streaming converter"),
    "DELETE", PUSH_CONVERTERS "/{converterId}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The converter stops pushing the stream and is deleted.") },

  /* Media Pull */
  { "pull.create", PULL, N_("Create a cloud player"),
    "POST", PULL_PLAYERS, AK_AUTH_BASIC,
    "{\"player\":{\"streamUrl\":\"rtmp://x/live/101\",\"channelName\":\"class32\","
    "\"token\":\"\",\"uid\":101,\"idleTimeout\":300,\"name\":\"test\"}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("A cloud player pulls the stream into the channel and is billed while it runs.") },
  { "pull.list", PULL, N_("List cloud players"),
    "GET", "/v1/projects/{appId}/cloud-player/players", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "pull.update", PULL, N_("Update a cloud player"),
    "PATCH", PULL_PLAYERS "/{id}?sequence={sequence}", AK_AUTH_BASIC,
    "{\"player\":{\"streamUrl\":\"rtmp://x/live/101\"}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes a running cloud player.") },
  { "pull.delete", PULL, N_("Delete a cloud player"),
    "DELETE", PULL_PLAYERS "/{id}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The cloud player stops pulling the stream and is deleted.") },

  /* RTM / Signaling */
  { "rtm.peer-message", RTM, N_("Send a peer message"),
    "POST", RTM_BASE "/rtm/users/{user_id}/peer_messages", AK_AUTH_BASIC,
    "{\"destination\":\"userB\",\"enable_offline_messaging\":false,"
    "\"enable_historical_messaging\":false,\"payload\":\"Hello\"}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("The message is delivered to a real user of the project.") },
  { "rtm.channel-message", RTM, N_("Send a channel message"),
    "POST", RTM_BASE "/rtm/users/{user_id}/channel_messages", AK_AUTH_BASIC,
    "{\"channel_name\":\"channelA\",\"enable_historical_messaging\":false,"
    "\"payload\":\"Hello\"}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("The message is delivered to everyone in the channel.") },
  { "rtm.user-events", RTM, N_("User login and logout events"),
    "GET", RTM_BASE "/rtm/vendor/user_events", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_SIDE_EFFECT, NULL,
    N_("Agora deletes the events this returns: nobody else, such as your own server, will "
       "get them.") },
  { "rtm.channel-events", RTM, N_("Channel join and leave events"),
    "GET", RTM_BASE "/rtm/vendor/channel_events", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_SIDE_EFFECT, NULL,
    N_("Agora deletes the events this returns: nobody else, such as your own server, will "
       "get them.") },
  { "rtm.history-v2", RTM, N_("Message history (Signaling 2.x)"),
    "GET", "/rtm/v2/history/{appId}/userId/{userId}/channelType/{channelType}"
    "/channel/{channelName}?messageCount=100", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "rtm.history-query", RTM, N_("Start a message history query (RTM 1.x)"),
    "POST", RTM_BASE "/rtm/message/history/query", AK_AUTH_BASIC,
    "{\"filter\":{\"source\":\"userA\",\"destination\":\"userB\","
    "\"start_time\":\"2019-08-01T01:22:10Z\",\"end_time\":\"2019-08-01T01:32:10Z\"},"
    "\"offset\":0,\"limit\":20,\"order\":\"asc\"}",
    AK_ENDPOINT_READ, NULL, NULL },
  { "rtm.history-fetch", RTM, N_("Fetch a message history query (RTM 1.x)"),
    "GET", RTM_BASE "/rtm/message/history/query/{handle}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "rtm.history-count", RTM, N_("Count historical messages (RTM 1.x)"),
    "GET", RTM_BASE "/rtm/message/history/count?source={source}&destination={destination}"
    "&start_time={start_time}&end_time={end_time}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },

  /* Chat */
  { "chat.token-exchange", CHAT, N_("Exchange an app token for a Chat token"),
    "POST", "/{org}/{app}/token", AK_AUTH_BEARER, "{\"grant_type\":\"agora\"}",
    AK_ENDPOINT_READ, "chat", NULL },
  { "chat.user-register", CHAT, N_("Register a user"),
    "POST", "/{org}/{app}/users", AK_AUTH_BEARER,
    "{\"username\":\"user1\",\"password\":\"\"}",
    AK_ENDPOINT_MUTATING, "chat",
    N_("This registers a new user in the Chat app.") },
  { "chat.user-get", CHAT, N_("Get a user"),
    "GET", "/{org}/{app}/users/{username}", AK_AUTH_BEARER, NULL,
    AK_ENDPOINT_READ, "chat", NULL },
  { "chat.users-list", CHAT, N_("List users"),
    "GET", "/{org}/{app}/users?limit=10", AK_AUTH_BEARER, NULL,
    AK_ENDPOINT_READ, "chat", NULL },
  { "chat.user-delete", CHAT, N_("Delete a user"),
    "DELETE", "/{org}/{app}/users/{username}", AK_AUTH_BEARER, NULL,
    AK_ENDPOINT_DESTRUCTIVE, "chat",
    N_("The user and their data are deleted from the Chat app.") },
  { "chat.user-status", CHAT, N_("A user’s online status"),
    "GET", "/{org}/{app}/users/{username}/status", AK_AUTH_BEARER, NULL,
    AK_ENDPOINT_READ, "chat", NULL },
  { "chat.users-batch-status", CHAT, N_("Online status of several users"),
    "POST", "/{org}/{app}/users/batch/status", AK_AUTH_BEARER,
    "{\"usernames\":[\"user1\",\"user2\"]}",
    AK_ENDPOINT_READ, "chat", NULL },
  { "chat.user-disconnect", CHAT, N_("Force a user offline"),
    "GET", "/{org}/{app}/users/{username}/disconnect", AK_AUTH_BEARER, NULL,
    AK_ENDPOINT_MUTATING, "chat",
    N_("The user is disconnected from Chat on every device.") },
  { "chat.message-users", CHAT, N_("Send a one-to-one message"),
    "POST", "/{org}/{app}/messages/users", AK_AUTH_BEARER,
    "{\"from\":\"user1\",\"to\":[\"user2\"],\"type\":\"txt\",\"body\":{\"msg\":\"hello\"}}",
    AK_ENDPOINT_MUTATING, "chat",
    N_("The message is delivered to real users of the Chat app.") },
  { "chat.message-groups", CHAT, N_("Send a group message"),
    "POST", "/{org}/{app}/messages/chatgroups", AK_AUTH_BEARER,
    "{\"from\":\"user1\",\"to\":[\"groupId\"],\"type\":\"txt\",\"body\":{\"msg\":\"hello\"}}",
    AK_ENDPOINT_MUTATING, "chat",
    N_("The message is delivered to every member of the group.") },
  { "chat.message-rooms", CHAT, N_("Send a chat room message"),
    "POST", "/{org}/{app}/messages/chatrooms", AK_AUTH_BEARER,
    "{\"from\":\"user1\",\"to\":[\"roomId\"],\"type\":\"txt\",\"body\":{\"msg\":\"hello\"}}",
    AK_ENDPOINT_MUTATING, "chat",
    N_("The message is delivered to everyone in the chat room.") },
  { "chat.history-file", CHAT, N_("Message history file for one hour"),
    "GET", "/{org}/{app}/chatmessages/{yyyyMMddHH}", AK_AUTH_BEARER, NULL,
    AK_ENDPOINT_READ, "chat", NULL },
  { "chat.groups-list", CHAT, N_("List groups"),
    "GET", "/{org}/{app}/chatgroups?limit=10", AK_AUTH_BEARER, NULL,
    AK_ENDPOINT_READ, "chat", NULL },

  /* Analytics */
  { "analytics.call-list", ANALYTICS, N_("Call list"),
    "GET", "/beta/analytics/call/lists" CALL_RANGE, AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "analytics.call-sessions", ANALYTICS, N_("Session details"),
    "GET", "/beta/analytics/call/sessions" CALL_RANGE "&call_id={call_id}", AK_AUTH_BASIC,
    NULL, AK_ENDPOINT_READ, NULL, NULL },
  { "analytics.call-metrics", ANALYTICS, N_("Quality metrics"),
    "GET", "/beta/analytics/call/metrics" CALL_RANGE "&call_id={call_id}&sids={sids}",
    AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL },
  { "analytics.call-statistics", ANALYTICS, N_("Call statistics"),
    "GET", "/beta/analytics/call/statistics" CALL_RANGE, AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "analytics.freeze-bucket", ANALYTICS, N_("Freeze buckets"),
    "GET", "/beta/analytics/call/freeze/bucket" CALL_RANGE, AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "analytics.statistics-time", ANALYTICS, N_("Call statistics over time"),
    "GET", "/beta/analytics/call/statistics/time" CALL_RANGE, AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL },
  { "analytics.insight-usage-time", ANALYTICS, N_("Usage over time (Data Insights)"),
    "GET", "/beta/insight/usage/by_time", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL },
  { "analytics.insight-quality-time", ANALYTICS, N_("Quality over time (Data Insights)"),
    "GET", "/beta/insight/quality/by_time", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL,
    NULL },
  { "analytics.insight-usage-total", ANALYTICS, N_("Usage totals (Data Insights)"),
    "GET", "/beta/insight/usage/aggregation", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL,
    NULL },
  { "analytics.insight-quality-total", ANALYTICS, N_("Quality totals (Data Insights)"),
    "GET", "/beta/insight/quality/aggregation", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL,
    NULL },
  { "analytics.realtime-usage", ANALYTICS, N_("Usage every 20 seconds (real time)"),
    "GET", "/beta/realtime/usage/by_time_20sec", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL,
    NULL },
  { "analytics.realtime-quality", ANALYTICS, N_("Quality every 20 seconds (real time)"),
    "GET", "/beta/realtime/quality/by_time_20sec", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ,
    NULL, NULL },
  { "analytics.realtime-usage-top", ANALYTICS, N_("Top 20 by usage (real time)"),
    "GET", "/beta/realtime/usage/dimension/top20", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ,
    NULL, NULL },
  { "analytics.realtime-quality-top", ANALYTICS, N_("Top 20 by quality (real time)"),
    "GET", "/beta/realtime/quality/dimension/top20", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ,
    NULL, NULL },
};

/**
 * ak_rest_catalogue_get:
 * @n_endpoints: (out): how many endpoints there are
 *
 * Returns: (array length=n_endpoints): every catalogued endpoint, grouped by product. The
 *   product, name and confirm strings are untranslated: show them through gettext.
 */
const AkEndpoint *
ak_rest_catalogue_get (guint *n_endpoints)
{
  g_return_val_if_fail (n_endpoints != NULL, NULL);

  *n_endpoints = G_N_ELEMENTS (catalogue);
  return catalogue;
}

const AkEndpoint *
ak_rest_catalogue_find (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if (g_str_equal (catalogue[i].id, id))
      return &catalogue[i];
  return NULL;
}

const char *
ak_endpoint_effect_to_name (AkEndpointEffect effect)
{
  switch (effect)
    {
    case AK_ENDPOINT_READ: return "read";
    case AK_ENDPOINT_SIDE_EFFECT: return "side-effect";
    case AK_ENDPOINT_MUTATING: return "mutating";
    case AK_ENDPOINT_DESTRUCTIVE: return "destructive";
    default: return NULL;
    }
}

const char *
ak_endpoint_effect_get_label (AkEndpointEffect effect)
{
  switch (effect)
    {
    case AK_ENDPOINT_READ: return _("Reads only");
    case AK_ENDPOINT_SIDE_EFFECT: return _("Reads, and deletes what it reads");
    case AK_ENDPOINT_MUTATING: return _("Changes something, may cost money");
    case AK_ENDPOINT_DESTRUCTIVE: return _("Deletes or resets something");
    default: return NULL;
    }
}

/* A placeholder is "{name}" with a name of letters, digits and underscores; other braces
 * (JSON, literal text) are left alone. Returns the length of the name, 0 when none. */
static gsize
placeholder_at (const char *p)
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
      gsize n = placeholder_at (p);
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

  /* The docs spell the App ID {appid} for RTC and Recording, {appId} for Media Push/Pull. */
  if (g_ascii_strcasecmp (name, "appid") == 0)
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
      gsize n = placeholder_at (p);
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
