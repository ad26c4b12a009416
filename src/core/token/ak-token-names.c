/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-token-private.h"

/* ---------------------------------------------------------------------------------------------
 * Names
 */

static const ServiceInfo service_infos[] = {
  { AK_SERVICE_RTC, "rtc",
    { "joinChannel", "publishAudioStream", "publishVideoStream", "publishDataStream" } },
  { AK_SERVICE_RTM, "rtm", { "login" } },
  { AK_SERVICE_STREAMING, "streaming", { "publishMixStream", "publishRawStream" } },
  { AK_SERVICE_FPA, "fpa", { "login" } },
  { AK_SERVICE_CHAT, "chat", { "user", "app" } },
  { AK_SERVICE_FCDN, "fcdn", { "publish", "play" } },
  { AK_SERVICE_APAAS, "apaas", { "roomUser", "user", "app" } },
  { AK_SERVICE_RTM2, "rtm2", { "login" } },
  /* Conversational AI agents and Real-time STT: the type is the grant, with no privilege. */
  { AK_SERVICE_CONVOAI, "convoai", { NULL } },
  { AK_SERVICE_STT, "stt", { NULL } },
};

const ServiceInfo *
ak_service_info (guint16 type)
{
  if (type >= 1 && type <= G_N_ELEMENTS (service_infos))
    return &service_infos[type - 1];
  return NULL;
}

const char *
ak_service_type_to_name (guint16 type)
{
  const ServiceInfo *info = ak_service_info (type);

  return info != NULL ? info->name : NULL;
}

const char *
ak_service_privilege_name (guint16 type,
                           guint16 privilege_id)
{
  const ServiceInfo *info = ak_service_info (type);

  if (info == NULL || privilege_id < 1 || privilege_id > G_N_ELEMENTS (info->privileges))
    return NULL;
  return info->privileges[privilege_id - 1];
}

const char *
ak_privilege006_name (guint16 privilege_id)
{
  switch (privilege_id)
    {
    case AK_PRIV006_JOIN_CHANNEL: return "joinChannel";
    case AK_PRIV006_PUBLISH_AUDIO: return "publishAudioStream";
    case AK_PRIV006_PUBLISH_VIDEO: return "publishVideoStream";
    case AK_PRIV006_PUBLISH_DATA: return "publishDataStream";
    case AK_PRIV006_ADMINISTRATE_CHANNEL: return "administrateChannel";
    case AK_PRIV006_RTM_LOGIN: return "rtmLogin";
    default: return NULL;
    }
}

static const char * const rtm_resource_names[] = {
  "messageChannels", "streamChannels", "groupChannels", "serverGroups", "users",
};
static const char * const rtm_permission_names[] = { "read", "write" };

static gboolean
name_index (const char * const *names,
            guint               n_names,
            const char         *name,
            guint16            *index)
{
  for (guint i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      {
        *index = (guint16) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ak_rtm_resource_type_to_name (guint16 resource_type)
{
  return resource_type < G_N_ELEMENTS (rtm_resource_names) ? rtm_resource_names[resource_type]
                                                            : NULL;
}

gboolean
ak_rtm_resource_type_from_name (const char *name,
                                guint16    *resource_type)
{
  return name_index (rtm_resource_names, G_N_ELEMENTS (rtm_resource_names), name, resource_type);
}

const char *
ak_rtm_permission_type_to_name (guint16 permission_type)
{
  return permission_type < G_N_ELEMENTS (rtm_permission_names)
           ? rtm_permission_names[permission_type] : NULL;
}

gboolean
ak_rtm_permission_type_from_name (const char *name,
                                  guint16    *permission_type)
{
  return name_index (rtm_permission_names, G_N_ELEMENTS (rtm_permission_names), name,
                     permission_type);
}
