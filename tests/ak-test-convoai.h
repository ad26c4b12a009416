/* ak-test-convoai.h: a Conversational AI Engine stand-in for the REST tests
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Serves POST …/api/conversational-ai-agent/v2/projects/{appid}/join and
 * …/agents/{agentId}/leave on a test's SoupServer, and checks the agent's token as Agora
 * would: the Authorization header is "agora token=" + an AccessToken2 that verifies with the
 * project's certificate and holds an RTC service for the agent's channel and uid, an RTM
 * service for the same user, and a ConvoAI service (type 9). A join body's properties.token
 * must be such a token too. Leave is checked against the agent the last join started.
 * A request with Basic auth is taken as it is: the test checks the pair before handing the
 * request on.
 */

#pragma once

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-test-util.h"

#define AK_TEST_CONVOAI_AGENT_ID "agent-1f3c"

typedef struct
{
  GMutex lock;
  const char *app_id;
  const char *certificate;
  /* Under the lock. */
  char *channel;
  char *uid;
  guint n_started;
  guint n_stopped;
  guint n_refused;
} AkTestConvoai;

static inline void
ak_test_convoai_clear (AkTestConvoai *convoai)
{
  g_clear_pointer (&convoai->channel, g_free);
  g_clear_pointer (&convoai->uid, g_free);
}

/* NULL when @text is the agent's token, else what is wrong with it. */
static inline const char *
ak_test_convoai_token_problem (AkTestConvoai *convoai,
                               const char    *text,
                               const char    *channel,
                               const char    *uid)
{
  g_autoptr(AkToken) token = NULL;
  AkVerification verification = { 0 };
  gboolean rtc = FALSE;
  gboolean rtm = FALSE;
  gboolean agent = FALSE;

  if (text == NULL)
    return "no token";
  token = ak_token_parse (text, NULL);
  if (token == NULL || ak_token_get_version (token) != AK_TOKEN_VERSION_007)
    return "not an AccessToken2";
  if (!g_str_equal (ak_token_get_app_id (token), convoai->app_id))
    return "another project's token";
  if (!ak_token_verify (token, convoai->certificate, NULL, NULL, &verification, NULL)
      || verification.signature != AK_SIGNATURE_VALID)
    return "signature does not verify";
  for (guint i = 0; i < ak_token_get_n_services (token); i++)
    {
      const AkService *service = ak_token_get_service (token, i);

      if (service->type == AK_SERVICE_RTC)
        rtc = g_strcmp0 (service->channel_name, channel) == 0 && g_strcmp0 (service->uid, uid) == 0
              && ak_service_get_privilege (service, AK_PRIV_RTC_JOIN_CHANNEL, NULL);
      else if (service->type == AK_SERVICE_RTM)
        rtm = g_strcmp0 (service->user_id, uid) == 0;
      else if (service->type == AK_SERVICE_CONVOAI)
        agent = TRUE;
    }
  if (!rtc)
    return "no RTC join privilege for the agent's channel and uid";
  if (!rtm)
    return "no RTM service for the agent";
  if (!agent)
    return "no ConvoAI service";
  return NULL;
}

static inline void
ak_test_convoai_refuse (AkTestConvoai     *convoai,
                        SoupServerMessage *msg,
                        const char        *problem)
{
  g_autofree char *body = g_strdup_printf ("{\"detail\":\"%s\",\"reason\":\"InvalidToken\"}",
                                           problem);

  g_mutex_lock (&convoai->lock);
  convoai->n_refused++;
  g_mutex_unlock (&convoai->lock);
  ak_test_reply_json (msg, 401, body);
}

static inline const char *
ak_test_convoai_header_token (SoupServerMessage *msg)
{
  const char *header =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                  "Authorization");

  return header != NULL && g_str_has_prefix (header, "agora token=")
           ? header + strlen ("agora token=") : NULL;
}

static inline gboolean
ak_test_convoai_sent_basic (SoupServerMessage *msg)
{
  const char *header =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                  "Authorization");

  return header != NULL && g_str_has_prefix (header, "Basic ");
}

static inline void
ak_test_convoai_join (AkTestConvoai     *convoai,
                      SoupServerMessage *msg)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *uid = NULL;
  JsonObject *properties = NULL;
  JsonNode *uid_node;
  const char *channel;
  const char *problem;

  if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                  (gssize) g_bytes_get_size (bytes), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    properties = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                "properties");
  if (properties == NULL || !json_object_has_member (properties, "channel")
      || !json_object_has_member (properties, "agent_rtc_uid"))
    {
      ak_test_reply_json (msg, 400, "{\"detail\":\"missing properties\",\"reason\":"
                                    "\"InvalidRequest\"}");
      return;
    }
  channel = json_object_get_string_member (properties, "channel");
  uid_node = json_object_get_member (properties, "agent_rtc_uid");
  if (json_object_get_boolean_member_with_default (properties, "enable_string_uid", FALSE))
    uid = g_strdup (json_node_get_string (uid_node));
  else
    {
      guint64 number = JSON_NODE_HOLDS_VALUE (uid_node)
                       && json_node_get_value_type (uid_node) == G_TYPE_STRING
                         ? g_ascii_strtoull (json_node_get_string (uid_node), NULL, 10)
                         : (guint64) json_node_get_int (uid_node);

      uid = number == 0 ? g_strdup ("") : g_strdup_printf ("%" G_GUINT64_FORMAT, number);
    }

  /* A request with Basic auth was checked by the test's own handler first. */
  problem = ak_test_convoai_sent_basic (msg) ? NULL
                             : ak_test_convoai_token_problem (convoai,
                                                              ak_test_convoai_header_token (msg),
                                                              channel, uid);
  if (problem == NULL)
    problem = ak_test_convoai_token_problem (convoai,
                                             json_object_get_string_member_with_default (properties,
                                                                                         "token",
                                                                                         NULL),
                                             channel, uid);
  if (problem != NULL)
    {
      ak_test_convoai_refuse (convoai, msg, problem);
      return;
    }

  g_mutex_lock (&convoai->lock);
  convoai->n_started++;
  g_free (convoai->channel);
  convoai->channel = g_strdup (channel);
  g_free (convoai->uid);
  convoai->uid = g_strdup (uid);
  g_mutex_unlock (&convoai->lock);
  ak_test_reply_json (msg, 200, "{\"agent_id\":\"" AK_TEST_CONVOAI_AGENT_ID "\","
                                "\"create_ts\":1737111452,\"status\":\"RUNNING\"}");
}

static inline void
ak_test_convoai_leave (AkTestConvoai     *convoai,
                       SoupServerMessage *msg,
                       const char        *agent_id)
{
  g_autofree char *channel = NULL;
  g_autofree char *uid = NULL;
  const char *problem;

  g_mutex_lock (&convoai->lock);
  channel = g_strdup (convoai->channel);
  uid = g_strdup (convoai->uid);
  g_mutex_unlock (&convoai->lock);

  if (channel == NULL || !g_str_equal (agent_id, AK_TEST_CONVOAI_AGENT_ID))
    {
      ak_test_reply_json (msg, 404, "{\"detail\":\"task not found\",\"reason\":"
                                    "\"TaskNotFound\"}");
      return;
    }
  problem = ak_test_convoai_sent_basic (msg)
              ? NULL
              : ak_test_convoai_token_problem (convoai, ak_test_convoai_header_token (msg),
                                               channel, uid);
  if (problem != NULL)
    {
      ak_test_convoai_refuse (convoai, msg, problem);
      return;
    }
  g_mutex_lock (&convoai->lock);
  convoai->n_stopped++;
  g_clear_pointer (&convoai->channel, g_free);
  g_mutex_unlock (&convoai->lock);
  ak_test_reply_json (msg, 200, "{}");
}

/* Handles @path when it is a join or a leave of the project; FALSE for anything else. */
static inline gboolean
ak_test_convoai_handle (AkTestConvoai     *convoai,
                        SoupServerMessage *msg,
                        const char        *path)
{
  g_autofree char *base = g_strdup_printf ("/api/conversational-ai-agent/v2/projects/%s/",
                                           convoai->app_id);
  const char *rest = strstr (path, base);
  g_auto(GStrv) parts = NULL;

  if (rest == NULL || !g_str_equal (soup_server_message_get_method (msg), "POST"))
    return FALSE;
  rest += strlen (base);
  parts = g_strsplit (rest, "/", -1);
  if (g_strv_length (parts) == 1 && g_str_equal (parts[0], "join"))
    ak_test_convoai_join (convoai, msg);
  else if (g_strv_length (parts) == 3 && g_str_equal (parts[0], "agents")
           && g_str_equal (parts[2], "leave"))
    ak_test_convoai_leave (convoai, msg, parts[1]);
  else
    return FALSE;
  return TRUE;
}
