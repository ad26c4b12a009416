/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-json.h"
#include "ak-token-doctor-private.h"

/* Whether a ConvoAI join request body agrees with the token it carries. */

static const char *
json_member_text (JsonObject *object,
                  const char *name,
                  char      **owned)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return *owned = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

gboolean
ak_doctor_check_convoai_body (Doctor  *doctor,
                              GError **error)
{
  const char *body = doctor->input->convoai_body;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *props = NULL;
  g_autofree char *uid_owned = NULL;
  g_autofree char *channel_owned = NULL;
  const char *channel, *agent_uid;
  gboolean string_uid = FALSE;
  gboolean uid_is_string = FALSE;
  AkDoctorFinding *finding;

  if (body == NULL)
    return TRUE;
  root = ak_json_parse_untrusted (body, strlen (body), error);
  if (root == NULL)
    {
      g_prefix_error (error, _("The ConvoAI request body is not valid JSON: "));
      return FALSE;
    }
  if (JSON_NODE_HOLDS_OBJECT (root)
      && json_object_has_member (json_node_get_object (root), "properties")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root),
                                                         "properties")))
    props = json_object_get_object_member (json_node_get_object (root), "properties");
  if (props == NULL || doctor->rtc == NULL)
    return TRUE;

  channel = json_member_text (props, "channel", &channel_owned);
  agent_uid = json_member_text (props, "agent_rtc_uid", &uid_owned);
  if (json_object_has_member (props, "agent_rtc_uid"))
    uid_is_string = JSON_NODE_HOLDS_VALUE (json_object_get_member (props, "agent_rtc_uid"))
                    && json_node_get_value_type (json_object_get_member (props,
                                                                         "agent_rtc_uid"))
                       == G_TYPE_STRING;
  if (json_object_has_member (props, "enable_string_uid"))
    string_uid = json_object_get_boolean_member_with_default (props, "enable_string_uid",
                                                              FALSE);

  if (channel != NULL && doctor->rtc->channel_name != NULL
      && !g_str_equal (channel, doctor->rtc->channel_name))
    {
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_CONVOAI_CHANNEL_MISMATCH,
                               AK_DOCTOR_SEVERITY_EXPLAINS,
                               g_strdup (_("The request's properties.channel is not the channel "
                                           "the token was made for.")),
                               _("Build the agent's token for properties.channel."));
      ak_doctor_finding_add_evidence (finding, _("Channel"), doctor->rtc->channel_name, channel);
    }

  if (agent_uid != NULL && doctor->rtc->uid != NULL)
    {
      const char *in_token = doctor->rtc->uid[0] == '\0' ? "0" : doctor->rtc->uid;

      if (!g_str_equal (agent_uid, in_token) && doctor->rtc->uid[0] != '\0')
        {
          finding =
            ak_doctor_add_finding (doctor, AK_DOCTOR_CONVOAI_UID_MISMATCH,
                                   AK_DOCTOR_SEVERITY_EXPLAINS,
                                   g_strdup (_("The request's properties.agent_rtc_uid is not the "
                                               "uid the token was made for.")),
                                   _("Build the agent's token for properties.agent_rtc_uid."));
          ak_doctor_finding_add_evidence (finding, _("Agent uid"), in_token, agent_uid);
        }
      if (!ak_doctor_is_decimal_uid (agent_uid) && !g_str_equal (agent_uid, "0") && !string_uid)
        {
          finding =
            ak_doctor_add_finding (doctor, AK_DOCTOR_CONVOAI_STRING_UID,
                                   AK_DOCTOR_SEVERITY_EXPLAINS,
                                   g_strdup_printf (_("The agent's uid “%s” is a string account, "
                                                      "but enable_string_uid is not true."),
                                                    agent_uid),
                                   _("Set properties.enable_string_uid to true, or use an "
                                     "integer agent_rtc_uid."));
          ak_doctor_finding_add_evidence (finding, "enable_string_uid", NULL, "false");
        }
      else if (string_uid && !uid_is_string)
        {
          finding =
            ak_doctor_add_finding (doctor, AK_DOCTOR_CONVOAI_STRING_UID,
                                   AK_DOCTOR_SEVERITY_LIKELY,
                                   g_strdup (_("enable_string_uid is true, but agent_rtc_uid is a "
                                               "number: with string uids it must be a string, "
                                               "and the token built with that account.")),
                                   _("Send agent_rtc_uid as a string, or set enable_string_uid "
                                     "to false."));
          ak_doctor_finding_add_evidence (finding, "enable_string_uid", NULL, "true");
        }
    }
  return TRUE;
}
