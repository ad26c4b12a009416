/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-rest-catalogue.h"

/*
 * Every endpoint of the Agora REST reference the app knows, in the order the Requests page
 * lists them. Paths are written as the documentation writes them, placeholders included,
 * so a user can compare them with Agora's pages. Checked against docs.agora.io on
 * AK_REST_CATALOGUE_CHECKED (2026-12-04).
 *
 * Chat entries use the /{org}/{app}/ form, which the project's Chat names fill; a path typed
 * in the newer /app-id/{app_id}/ form gets {app_id} from the project.
 */

#define CONSOLE N_("Console")
#define RTC N_("RTC channel management")
#define RECORDING N_("Cloud Recording")
#define PUSH N_("Media Push")
#define PULL N_("Media Pull")
#define RTM N_("RTM")
#define CHAT N_("Chat")
#define CONVOAI N_("Conversational AI Engine")
#define STT N_("Real-time STT")
#define TRANSCODING N_("Cloud Transcoding")
#define ANALYTICS N_("Analytics")

/* Rows: id, product, name, method, path, auth, body, effect, host, confirm. */
#define ENDPOINT(...) { __VA_ARGS__, FALSE, 0 }
/* The same, for an endpoint that also takes the schemes in @also (AK_AUTH_MASK() bits). */
#define ENDPOINT_ALSO(also, ...) { __VA_ARGS__, FALSE, also }
/* Kept for history and old scripts, though Agora has taken the feature offline. */
#define LEGACY_ENDPOINT(also, ...) { __VA_ARGS__, TRUE, also }

/* RTM 1.x REST takes Basic, AccessToken2 (agora token=) or AccessToken (x-agora-*). */
#define RTM_TOKENS (AK_AUTH_MASK (AK_AUTH_AGORA_TOKEN) | AK_AUTH_MASK (AK_AUTH_X_AGORA))
/* The confirmation of the RTM event reads, which consume what they return. */
#define EVENTS_CONSUMED N_("Agora deletes the events this returns: nobody else, such as your own " \
                           "server, will get them.")

#define RECORDING_TASK "/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}/sid/{sid}" \
                       "/mode/{mode}"
#define RTM_BASE "/dev/v2/project/{appid}"
#define PUSH_CONVERTERS "/{region}/v1/projects/{appId}/rtmp-converters"
#define PULL_PLAYERS "/{region}/v1/projects/{appId}/cloud-player/players"
#define CONVOAI_BASE "/api/conversational-ai-agent/v2/projects/{appid}"
/* Every Conversational AI Engine endpoint: Basic, or an AccessToken2. */
#define CONVOAI_ENDPOINT(id, name, method, path, ...) \
  ENDPOINT_ALSO (AK_AUTH_MASK (AK_AUTH_AGORA_TOKEN), id, CONVOAI, name, method, path, \
                 AK_AUTH_BASIC, __VA_ARGS__)
/* Every Chat endpoint: the project's Chat token (Bearer), on the project's Chat host. */
#define CHAT_BASE "/{org}/{app}"
#define CHAT_ENDPOINT(id, name, method, path, body, effect, confirm) \
  ENDPOINT (id, CHAT, name, method, path, AK_AUTH_BEARER, body, effect, "chat", confirm)
#define CHAT_MESSAGE_BODY(to) \
  "{\"from\":\"user1\",\"to\":[\"" to "\"],\"type\":\"txt\",\"body\":{\"msg\":\"hello\"}}"
#define STT_BASE "/api/speech-to-text/v1/projects/{appid}"
#define TRANSCODER_BASE "/v1/projects/{appId}/rtsc/cloud-transcoder"
#define TRANSCODER_HOST "api.sd-rtn.com"
/* The create body; update must send the whole of it again. */
#define TRANSCODER_TASK_BODY \
  "{\"services\":{\"cloudTranscoder\":{\"serviceType\":\"cloudTranscoderV2\",\"config\":" \
  "{\"transcoder\":{\"idleTimeout\":300,\"audioInputs\":[{\"rtc\":{\"rtcChannel\":\"test01\"," \
  "\"rtcUid\":123,\"rtcToken\":\"\"}}],\"canvas\":{\"width\":960,\"height\":480,\"color\":0}," \
  "\"videoInputs\":[{\"rtc\":{\"rtcChannel\":\"test01\",\"rtcUid\":123,\"rtcToken\":\"\"}," \
  "\"region\":{\"x\":0,\"y\":0,\"width\":320,\"height\":360,\"zOrder\":2}}]," \
  "\"outputs\":[{\"rtc\":{\"rtcChannel\":\"test02\",\"rtcUid\":1000,\"rtcToken\":\"\"}," \
  "\"audioOption\":{\"profileType\":\"AUDIO_PROFILE_MUSIC_STANDARD\"}," \
  "\"videoOption\":{\"fps\":30,\"codec\":\"H264\",\"bitrate\":800,\"width\":960," \
  "\"height\":480}}]}}}}}"
/* Analytics takes its parameters in the query string; every one its reference requires is a
 * placeholder, so nothing is sent until the user has filled them all. */
#define CALL_RANGE "?appid={appid}&start_ts={start_ts}&end_ts={end_ts}"
#define INSIGHT_RANGE "?appid={appid}&startTs={startTs}&endTs={endTs}&metric={metric}"
#define REALTIME_RANGE INSIGHT_RANGE "&productType={productType}"
#define REALTIME_TOP "?appid={appid}&ts={ts}&productType={productType}&dimension={dimension}"
#define INSIGHT_AGGREGATION_BODY(metric) \
  "{\"startTs\":1625097600,\"endTs\":1625184000,\"metric\":\"" metric "\"," \
  "\"dimension\":\"region\",\"dimensionValues\":[\"Shanghai\",\"Beijing\"]," \
  "\"filters\":[{\"name\":\"country\",\"value\":\"China\"}]}"

static const AkEndpoint catalogue[] = {
  /* Console / project management */
  ENDPOINT ("console.projects-list", CONSOLE, N_("List all projects"),
    "GET", "/dev/v1/projects", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("console.project-get", CONSOLE, N_("Get one project"),
    "GET", "/dev/v1/project?id={projectId}&name={name}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("console.project-create", CONSOLE, N_("Create a project"),
    "POST", "/dev/v1/project", AK_AUTH_BASIC,
    "{\"name\":\"project1\",\"enable_sign_key\":true}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This creates a new project in your Agora account.") ),
  ENDPOINT ("console.project-status", CONSOLE, N_("Enable or disable a project"),
    "POST", "/dev/v1/project_status", AK_AUTH_BASIC, "{\"id\":\"xxxx\",\"status\":0}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("A disabled project refuses every user who joins with its App ID.") ),
  ENDPOINT ("console.recording-config", CONSOLE, N_("Set the recording server"),
    "POST", "/dev/v1/recording_config", AK_AUTH_BASIC,
    "{\"id\":\"xxxx\",\"recording_server\":\"10.12.1.5:8080\"}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes the project’s recording server address.") ),
  ENDPOINT ("console.signkey", CONSOLE, N_("Enable or disable the primary certificate"),
    "POST", "/dev/v1/signkey", AK_AUTH_BASIC, "{\"id\":\"xxxx\",\"enable\":true}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("Turning the primary certificate on or off changes which tokens the project "
       "accepts.") ),
  ENDPOINT ("console.reset-signkey", CONSOLE, N_("Reset the primary certificate"),
    "POST", "/dev/v1/reset_signkey", AK_AUTH_BASIC, "{\"id\":\"xxxx\"}",
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The primary certificate will be replaced: every token server that uses it stops "
       "working until it gets the new one.") ),
  ENDPOINT ("console.usage", CONSOLE, N_("Project usage"),
    "GET", "/dev/v3/usage?project_id={project_id}&from_date={from_date}&to_date={to_date}"
    "&business=default", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),

  /* RTC channel management and online statistics */
  ENDPOINT ("rtc.channel-list", RTC, N_("List channels"),
    "GET", "/dev/v1/channel/{appid}?page_no=0&page_size=100", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("rtc.channel-users", RTC, N_("Users in a channel"),
    "GET", "/dev/v1/channel/user/{appid}/{channelName}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("rtc.channel-hosts", RTC, N_("Hosts in a channel"),
    "GET", "/dev/v1/channel/user/{appid}/{channelName}/hosts_only", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("rtc.user-status", RTC, N_("A user’s status in a channel"),
    "GET", "/dev/v1/channel/user/property/{appid}/{uid}/{channelName}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("rtc.kicking-rule-create", RTC, N_("Create a kicking rule"),
    "POST", "/dev/v1/kicking-rule", AK_AUTH_BASIC,
    "{\"appid\":\"\",\"cname\":\"channel1\",\"uid\":589517928,\"ip\":\"\",\"time\":60,"
    "\"privileges\":[\"join_channel\"]}",
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The users this rule matches are removed from the channel and cannot join again "
       "until it expires.") ),
  ENDPOINT ("rtc.kicking-rule-list", RTC, N_("List kicking rules"),
    "GET", "/dev/v1/kicking-rule?appid={appid}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("rtc.kicking-rule-update", RTC, N_("Change how long a kicking rule lasts"),
    "PUT", "/dev/v1/kicking-rule", AK_AUTH_BASIC, "{\"appid\":\"\",\"id\":1953,\"time\":60}",
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("This changes how long the users the rule matches stay banned.") ),
  ENDPOINT ("rtc.kicking-rule-delete", RTC, N_("Delete a kicking rule"),
    "DELETE", "/dev/v1/kicking-rule", AK_AUTH_BASIC, "{\"appid\":\"\",\"id\":1953}",
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The rule will be deleted and the users it banned may join again.") ),
  ENDPOINT ("rtc.ncs-ip", RTC, N_("Webhook (NCS) server addresses"),
    "GET", "/v2/ncs/ip", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),

  /* Cloud Recording */
  ENDPOINT ("recording.acquire", RECORDING, N_("Acquire a recording resource"),
    "POST", "/v1/apps/{appid}/cloud_recording/acquire", AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"scene\":0,"
    "\"resourceExpiredHour\":24}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This reserves a recording resource for five minutes; start the recording soon "
       "after.") ),
  ENDPOINT ("recording.start", RECORDING, N_("Start recording"),
    "POST", "/v1/apps/{appid}/cloud_recording/resourceid/{resourceid}/mode/{mode}/start",
    AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"token\":\"\","
    "\"recordingConfig\":{\"channelType\":1,\"streamTypes\":2},"
    "\"recordingFileConfig\":{\"avFileType\":[\"hls\"]},"
    "\"storageConfig\":{\"vendor\":2,\"region\":3,\"bucket\":\"\",\"accessKey\":\"\","
    "\"secretKey\":\"\",\"fileNamePrefix\":[\"dir1\"]}}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("Cloud Recording is billed by the minute from the moment it starts.") ),
  ENDPOINT ("recording.query", RECORDING, N_("Query a recording"),
    "GET", RECORDING_TASK "/query", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("recording.update", RECORDING, N_("Change what is recorded"),
    "POST", RECORDING_TASK "/update", AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"streamSubscribe\":"
    "{\"audioUidList\":{\"subscribeAudioUids\":[\"#allstream#\"]}}}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes which streams the running recording subscribes to.") ),
  ENDPOINT ("recording.update-layout", RECORDING, N_("Change the recording layout"),
    "POST", RECORDING_TASK "/updateLayout", AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"mixedVideoLayout\":1}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes the layout of the running recording.") ),
  ENDPOINT ("recording.stop", RECORDING, N_("Stop recording"),
    "POST", RECORDING_TASK "/stop", AK_AUTH_BASIC,
    "{\"cname\":\"ch\",\"uid\":\"527841\",\"clientRequest\":{\"async_stop\":false}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("The recording stops and cannot be resumed; a new one needs a new resource.") ),
  ENDPOINT ("recording.ncs-ip", RECORDING, N_("Webhook (NCS) server addresses"),
    "GET", "/v1/ncs/ip", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),

  /* Media Push */
  ENDPOINT ("push.create", PUSH, N_("Create a streaming converter"),
    "POST", PUSH_CONVERTERS, AK_AUTH_BASIC,
    "{\"converter\":{\"name\":\"show68\",\"rawOptions\":{\"rtcChannel\":\"show68\","
    "\"rtcStreamUid\":201},\"rtmpUrl\":\"rtmp://example/live/x\",\"idleTimeout\":120}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("A converter pushes the channel to the RTMP address and is billed while it runs.") ),
  ENDPOINT ("push.update", PUSH, N_("Update a streaming converter"),
    "PATCH", PUSH_CONVERTERS "/{converterId}?sequence={sequence}", AK_AUTH_BASIC,
    "{\"converter\":{\"rtmpUrl\":\"rtmp://example/live/x\"},\"fields\":\"rtmpUrl\"}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes a running converter.") ),
  ENDPOINT ("push.get", PUSH, N_("Get a streaming converter"),
    "GET", PUSH_CONVERTERS "/{converterId}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("push.list", PUSH, N_("List streaming converters"),
    "GET", "/v1/projects/{appId}/rtmp-converters", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("push.list-channel", PUSH, N_("List a channel’s streaming converters"),
    "GET", "/v1/projects/{appId}/channels/{cname}/rtmp-converters", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("push.delete", PUSH, N_("Delete a streaming converter"),
    "DELETE", PUSH_CONVERTERS "/{converterId}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The converter stops pushing the stream and is deleted.") ),

  /* Media Pull */
  ENDPOINT ("pull.create", PULL, N_("Create a cloud player"),
    "POST", PULL_PLAYERS, AK_AUTH_BASIC,
    "{\"player\":{\"streamUrl\":\"rtmp://x/live/101\",\"channelName\":\"class32\","
    "\"token\":\"\",\"uid\":101,\"idleTimeout\":300,\"name\":\"test\"}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("A cloud player pulls the stream into the channel and is billed while it runs.") ),
  ENDPOINT ("pull.list", PULL, N_("List cloud players"),
    "GET", "/v1/projects/{appId}/cloud-player/players", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("pull.update", PULL, N_("Update a cloud player"),
    "PATCH", PULL_PLAYERS "/{id}?sequence={sequence}", AK_AUTH_BASIC,
    "{\"player\":{\"streamUrl\":\"rtmp://x/live/101\"}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes a running cloud player.") ),
  ENDPOINT ("pull.delete", PULL, N_("Delete a cloud player"),
    "DELETE", PULL_PLAYERS "/{id}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_DESTRUCTIVE, NULL,
    N_("The cloud player stops pulling the stream and is deleted.") ),

  /* Cloud Transcoding: a builder token first, then the task; every task call names it. */
  ENDPOINT ("transcoding.builder-token", TRANSCODING, N_("Acquire a builder token"),
    "POST", TRANSCODER_BASE "/builderTokens", AK_AUTH_BASIC, "{\"instanceId\":\"abc13328\"}",
    AK_ENDPOINT_MUTATING, TRANSCODER_HOST,
    N_("This reserves a builder token for five minutes; create the task soon after.") ),
  ENDPOINT ("transcoding.create", TRANSCODING, N_("Create a transcoding task"),
    "POST", TRANSCODER_BASE "/tasks?builderToken={builderToken}", AK_AUTH_BASIC,
    TRANSCODER_TASK_BODY,
    AK_ENDPOINT_MUTATING, TRANSCODER_HOST,
    N_("A cloud transcoder joins the channels and is billed while it runs.") ),
  ENDPOINT ("transcoding.query", TRANSCODING, N_("Query a transcoding task"),
    "GET", TRANSCODER_BASE "/tasks/{taskId}?builderToken={builderToken}", AK_AUTH_BASIC,
    NULL, AK_ENDPOINT_READ, TRANSCODER_HOST, NULL ),
  ENDPOINT ("transcoding.update", TRANSCODING, N_("Update a transcoding task"),
    "PATCH", TRANSCODER_BASE "/tasks/{taskId}?builderToken={builderToken}"
    "&sequenceId={sequenceId}&updateMask=services.cloudTranscoder.config", AK_AUTH_BASIC,
    TRANSCODER_TASK_BODY,
    AK_ENDPOINT_MUTATING, TRANSCODER_HOST,
    N_("This replaces the running transcoder’s whole configuration with the body.") ),
  ENDPOINT ("transcoding.destroy", TRANSCODING, N_("Destroy a transcoding task"),
    "DELETE", TRANSCODER_BASE "/tasks/{taskId}?builderToken={builderToken}", AK_AUTH_BASIC,
    NULL, AK_ENDPOINT_DESTRUCTIVE, TRANSCODER_HOST,
    N_("The transcoder stops and its output stream leaves the channel.") ),

  /* RTM / Signaling */
  ENDPOINT_ALSO (RTM_TOKENS, "rtm.peer-message", RTM, N_("Send a peer message"),
    "POST", RTM_BASE "/rtm/users/{user_id}/peer_messages", AK_AUTH_BASIC,
    "{\"destination\":\"userB\",\"enable_offline_messaging\":false,"
    "\"enable_historical_messaging\":false,\"payload\":\"Hello\"}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("The message is delivered to a real user of the project.") ),
  ENDPOINT_ALSO (RTM_TOKENS, "rtm.channel-message", RTM, N_("Send a channel message"),
    "POST", RTM_BASE "/rtm/users/{user_id}/channel_messages", AK_AUTH_BASIC,
    "{\"channel_name\":\"channelA\",\"enable_historical_messaging\":false,"
    "\"payload\":\"Hello\"}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("The message is delivered to everyone in the channel.") ),
  ENDPOINT_ALSO (RTM_TOKENS, "rtm.user-events", RTM, N_("User login and logout events"),
    "GET", RTM_BASE "/rtm/vendor/user_events", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_SIDE_EFFECT, NULL,
    EVENTS_CONSUMED ),
  ENDPOINT_ALSO (RTM_TOKENS, "rtm.channel-events", RTM, N_("Channel join and leave events"),
    "GET", RTM_BASE "/rtm/vendor/channel_events", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_SIDE_EFFECT, NULL,
    EVENTS_CONSUMED ),
  /* The reference says Basic; its own example sends an AccessToken2. */
  ENDPOINT_ALSO (AK_AUTH_MASK (AK_AUTH_AGORA_TOKEN), "rtm.history-v2", RTM,
    N_("Message history (Signaling 2.x)"),
    "GET", "/rtm/v2/history/{appId}/userId/{userId}/channelType/{channelType}"
    "/channel/{channelName}?messageCount=100", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  LEGACY_ENDPOINT (RTM_TOKENS, "rtm.history-query", RTM,
    N_("Start a message history query (RTM 1.x; legacy: taken offline)"),
    "POST", RTM_BASE "/rtm/message/history/query", AK_AUTH_BASIC,
    "{\"filter\":{\"source\":\"userA\",\"destination\":\"userB\","
    "\"start_time\":\"2019-08-01T01:22:10Z\",\"end_time\":\"2019-08-01T01:32:10Z\"},"
    "\"offset\":0,\"limit\":20,\"order\":\"asc\"}",
    AK_ENDPOINT_READ, NULL, NULL ),
  LEGACY_ENDPOINT (RTM_TOKENS, "rtm.history-fetch", RTM,
    N_("Fetch a message history query (RTM 1.x; legacy: taken offline)"),
    "GET", RTM_BASE "/rtm/message/history/query/{handle}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  LEGACY_ENDPOINT (RTM_TOKENS, "rtm.history-count", RTM,
    N_("Count historical messages (RTM 1.x; legacy: taken offline)"),
    "GET", RTM_BASE "/rtm/message/history/count?source={source}&destination={destination}"
    "&start_time={start_time}&end_time={end_time}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),

  /* Chat */
  CHAT_ENDPOINT ("chat.token-exchange", N_("Exchange an app token for a Chat token"),
    "POST", CHAT_BASE "/token", "{\"grant_type\":\"agora\"}", AK_ENDPOINT_READ, NULL ),
  CHAT_ENDPOINT ("chat.user-register", N_("Register a user"),
    "POST", CHAT_BASE "/users", "{\"username\":\"user1\",\"password\":\"\"}",
    AK_ENDPOINT_MUTATING,
    N_("This registers a new user in the Chat app.") ),
  CHAT_ENDPOINT ("chat.user-get", N_("Get a user"),
    "GET", CHAT_BASE "/users/{username}", NULL, AK_ENDPOINT_READ, NULL ),
  CHAT_ENDPOINT ("chat.users-list", N_("List users"),
    "GET", CHAT_BASE "/users?limit=10", NULL, AK_ENDPOINT_READ, NULL ),
  CHAT_ENDPOINT ("chat.user-delete", N_("Delete a user"),
    "DELETE", CHAT_BASE "/users/{username}", NULL,
    AK_ENDPOINT_DESTRUCTIVE,
    N_("The user and their data are deleted from the Chat app.") ),
  CHAT_ENDPOINT ("chat.user-status", N_("A user’s online status"),
    "GET", CHAT_BASE "/users/{username}/status", NULL, AK_ENDPOINT_READ, NULL ),
  CHAT_ENDPOINT ("chat.users-batch-status", N_("Online status of several users"),
    "POST", CHAT_BASE "/users/batch/status", "{\"usernames\":[\"user1\",\"user2\"]}",
    AK_ENDPOINT_READ, NULL ),
  CHAT_ENDPOINT ("chat.user-disconnect", N_("Force a user offline"),
    "GET", CHAT_BASE "/users/{username}/disconnect", NULL,
    AK_ENDPOINT_MUTATING,
    N_("The user is disconnected from Chat on every device.") ),
  CHAT_ENDPOINT ("chat.message-users", N_("Send a one-to-one message"),
    "POST", CHAT_BASE "/messages/users", CHAT_MESSAGE_BODY ("user2"),
    AK_ENDPOINT_MUTATING,
    N_("The message is delivered to real users of the Chat app.") ),
  CHAT_ENDPOINT ("chat.message-groups", N_("Send a group message"),
    "POST", CHAT_BASE "/messages/chatgroups", CHAT_MESSAGE_BODY ("groupId"),
    AK_ENDPOINT_MUTATING,
    N_("The message is delivered to every member of the group.") ),
  CHAT_ENDPOINT ("chat.message-rooms", N_("Send a chat room message"),
    "POST", CHAT_BASE "/messages/chatrooms", CHAT_MESSAGE_BODY ("roomId"),
    AK_ENDPOINT_MUTATING,
    N_("The message is delivered to everyone in the chat room.") ),
  CHAT_ENDPOINT ("chat.history-file", N_("Message history file for one hour"),
    "GET", CHAT_BASE "/chatmessages/{yyyyMMddHH}", NULL, AK_ENDPOINT_READ, NULL ),
  CHAT_ENDPOINT ("chat.groups-list", N_("List groups"),
    "GET", CHAT_BASE "/chatgroups?limit=10", NULL, AK_ENDPOINT_READ, NULL ),

  /* Conversational AI Engine: Basic, or an AccessToken2 for the agent's channel and uid. */
  CONVOAI_ENDPOINT ("convoai.join", N_("Start an agent"),
    "POST", CONVOAI_BASE "/join",
    "{\"name\":\"agent1\",\"properties\":{\"channel\":\"channel_name\","
    "\"token\":\"" AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\",\"agent_rtc_uid\":\"1001\","
    "\"remote_rtc_uids\":[\"1002\"],\"enable_string_uid\":false,\"idle_timeout\":120,"
    "\"llm\":{\"url\":\"https://api.openai.com/v1/chat/completions\",\"api_key\":\"\","
    "\"system_messages\":[{\"role\":\"system\",\"content\":\"You are a helpful chatbot.\"}],"
    "\"max_history\":32,\"greeting_message\":\"Hello, how can I assist you today?\","
    "\"failure_message\":\"Please hold on a second.\",\"params\":{\"model\":\"gpt-4o-mini\"}},"
    "\"tts\":{\"vendor\":\"microsoft\",\"params\":{\"key\":\"\",\"region\":\"eastus\","
    "\"voice_name\":\"en-US-AndrewMultilingualNeural\"}},\"asr\":{\"language\":\"en-US\"}}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("An agent joins the channel, talks to everyone in it and is billed while it runs.") ),
  CONVOAI_ENDPOINT ("convoai.leave", N_("Stop an agent"),
    "POST", CONVOAI_BASE "/agents/{agentId}/leave", NULL,
    AK_ENDPOINT_MUTATING, NULL,
    N_("The agent leaves the channel and stops; it cannot be resumed.") ),
  CONVOAI_ENDPOINT ("convoai.list", N_("List agents"),
    "GET", CONVOAI_BASE "/agents", NULL, AK_ENDPOINT_READ, NULL, NULL ),
  CONVOAI_ENDPOINT ("convoai.query", N_("Query an agent"),
    "GET", CONVOAI_BASE "/agents/{agentId}", NULL, AK_ENDPOINT_READ, NULL, NULL ),
  CONVOAI_ENDPOINT ("convoai.update", N_("Update an agent"),
    "POST", CONVOAI_BASE "/agents/{agentId}/update",
    "{\"properties\":{\"token\":\"" AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\","
    "\"llm\":{\"system_messages\":[{\"role\":\"system\","
    "\"content\":\"You are a helpful assistant.\"}],\"params\":{\"model\":\"gpt-4o-mini\"}}}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes a running agent; the LLM parameters in the body replace all the old "
       "ones.") ),
  CONVOAI_ENDPOINT ("convoai.speak", N_("Make an agent say something"),
    "POST", CONVOAI_BASE "/agents/{agentId}/speak",
    "{\"text\":\"Sorry, the conversation content is not compliant.\","
    "\"priority\":\"INTERRUPT\",\"interruptable\":false}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("The agent says the text aloud to everyone in the channel.") ),
  CONVOAI_ENDPOINT ("convoai.interrupt", N_("Interrupt an agent"),
    "POST", CONVOAI_BASE "/agents/{agentId}/interrupt", "{}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("The agent stops speaking or thinking in the middle of its answer.") ),
  CONVOAI_ENDPOINT ("convoai.history", N_("An agent’s conversation history"),
    "GET", CONVOAI_BASE "/agents/{agentId}/history", NULL,
    AK_ENDPOINT_READ, NULL, NULL ),

  /* Real-time STT (7.x) */
  ENDPOINT ("stt.join", STT, N_("Start transcribing a channel"),
    "POST", STT_BASE "/join", AK_AUTH_BASIC,
    "{\"name\":\"agora-test\",\"languages\":[\"en-US\"],\"maxIdleTime\":50,"
    "\"rtcConfig\":{\"channelName\":\"agora-test\",\"pubBotUid\":\"88222\"}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("A transcription bot joins the channel and is billed while it runs.") ),
  ENDPOINT ("stt.query", STT, N_("Query a transcription"),
    "GET", STT_BASE "/agents/{agentId}", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("stt.update", STT, N_("Update a transcription"),
    "POST", STT_BASE "/agents/{agentId}/update?sequenceId={sequenceId}"
    "&updateMask=translateConfig.enable,translateConfig.languages", AK_AUTH_BASIC,
    "{\"translateConfig\":{\"enable\":true,\"languages\":[{\"source\":\"en-US\","
    "\"target\":[\"ja-JP\"]}]}}",
    AK_ENDPOINT_MUTATING, NULL,
    N_("This changes what the running transcription recognizes and translates.") ),
  ENDPOINT ("stt.leave", STT, N_("Stop transcribing"),
    "POST", STT_BASE "/agents/{agentId}/leave", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_MUTATING, NULL,
    N_("The transcription bot leaves the channel; captions stop.") ),
  ENDPOINT ("stt.list", STT, N_("List transcriptions"),
    "GET", STT_BASE "/agents", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),

  /* Analytics */
  ENDPOINT ("analytics.call-list", ANALYTICS, N_("Call list"),
    "GET", "/beta/analytics/call/lists" CALL_RANGE, AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.call-sessions", ANALYTICS, N_("Session details"),
    "GET", "/beta/analytics/call/sessions" CALL_RANGE "&call_id={call_id}", AK_AUTH_BASIC,
    NULL, AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.call-metrics", ANALYTICS, N_("Quality metrics"),
    "GET", "/beta/analytics/call/metrics" CALL_RANGE "&call_id={call_id}&sids={sids}",
    AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.call-statistics", ANALYTICS, N_("Call statistics"),
    "GET", "/beta/analytics/call/statistics" CALL_RANGE "&call_id={call_id}"
    "&dimension={dimension}&metric={metric}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.freeze-bucket", ANALYTICS, N_("Freeze buckets"),
    "GET", "/beta/analytics/call/freeze/bucket" CALL_RANGE "&call_id={call_id}"
    "&metric={metric}", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.statistics-time", ANALYTICS, N_("Call statistics over time"),
    "GET", "/beta/analytics/call/statistics/time" CALL_RANGE "&call_id={call_id}"
    "&metric={metric}", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.insight-usage-time", ANALYTICS, N_("Usage over time (Data Insights)"),
    "GET", "/beta/insight/usage/by_time" INSIGHT_RANGE
    "&aggregateGranularity={aggregateGranularity}", AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.insight-quality-time", ANALYTICS, N_("Quality over time (Data Insights)"),
    "GET", "/beta/insight/quality/by_time" INSIGHT_RANGE
    "&aggregateGranularity={aggregateGranularity}&productType={productType}", AK_AUTH_BASIC,
    NULL, AK_ENDPOINT_READ, NULL, NULL ),
  /* The aggregations take the App ID in the query and the rest as JSON, with POST. */
  ENDPOINT ("analytics.insight-usage-total", ANALYTICS, N_("Usage totals (Data Insights)"),
    "POST", "/beta/insight/usage/aggregation?appid={appid}", AK_AUTH_BASIC,
    INSIGHT_AGGREGATION_BODY ("userCount"),
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.insight-quality-total", ANALYTICS, N_("Quality totals (Data Insights)"),
    "POST", "/beta/insight/quality/aggregation?appid={appid}", AK_AUTH_BASIC,
    INSIGHT_AGGREGATION_BODY ("audioFreezeRate"),
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.realtime-usage", ANALYTICS, N_("Usage every 20 seconds (real time)"),
    "GET", "/beta/realtime/usage/by_time_20sec" REALTIME_RANGE, AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.realtime-quality", ANALYTICS, N_("Quality every 20 seconds (real time)"),
    "GET", "/beta/realtime/quality/by_time_20sec" REALTIME_RANGE, AK_AUTH_BASIC, NULL,
    AK_ENDPOINT_READ, NULL, NULL ),
  /* userCount is the only metric the usage top 20 takes, userCount the only extra metric. */
  ENDPOINT ("analytics.realtime-usage-top", ANALYTICS, N_("Top 20 by usage (real time)"),
    "GET", "/beta/realtime/usage/dimension/top20" REALTIME_TOP "&metric=userCount",
    AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL, NULL ),
  ENDPOINT ("analytics.realtime-quality-top", ANALYTICS, N_("Top 20 by quality (real time)"),
    "GET", "/beta/realtime/quality/dimension/top20" REALTIME_TOP
    "&metric={metric}&extraMetrics=userCount", AK_AUTH_BASIC, NULL, AK_ENDPOINT_READ, NULL,
    NULL ),
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

/**
 * ak_endpoint_accepts_auth:
 * @endpoint: a catalogue entry
 * @scheme: a scheme
 *
 * Returns: whether Agora documents @scheme for @endpoint: its @auth or one of its
 *   @other_auth
 */
gboolean
ak_endpoint_accepts_auth (const AkEndpoint *endpoint,
                          AkAuthScheme      scheme)
{
  g_return_val_if_fail (endpoint != NULL, FALSE);

  if (endpoint->auth == scheme)
    return TRUE;
  return (guint) scheme < 32 && (endpoint->other_auth & AK_AUTH_MASK (scheme)) != 0;
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

/* ---------------------------------------------------------------------------------------------
 * The catalogue by product, for the endpoint picker
 */

static AkEndpointGroup *groups;
static guint n_groups;

static gpointer
build_groups (gpointer data)
{
  GArray *array = g_array_new (FALSE, FALSE, sizeof (AkEndpointGroup));

  for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
    {
      AkEndpointGroup *last = array->len > 0
                                ? &g_array_index (array, AkEndpointGroup, array->len - 1)
                                : NULL;

      if (last != NULL && g_str_equal (last->product, catalogue[i].product))
        last->n_endpoints++;
      else
        {
          AkEndpointGroup group = { catalogue[i].product, i, 1 };

          g_array_append_val (array, group);
        }
    }
  n_groups = array->len;
  groups = (AkEndpointGroup *) (gpointer) g_array_free (array, FALSE);
  return NULL;
}

/**
 * ak_rest_catalogue_get_groups:
 * @n_groups: (out): how many products there are
 *
 * Returns: (array length=n_groups): the catalogue's products in its order, each with the run
 *   of endpoints it owns
 */
const AkEndpointGroup *
ak_rest_catalogue_get_groups (guint *n_groups_out)
{
  static GOnce once = G_ONCE_INIT;

  g_return_val_if_fail (n_groups_out != NULL, NULL);

  g_once (&once, build_groups, NULL);
  *n_groups_out = n_groups;
  return groups;
}
