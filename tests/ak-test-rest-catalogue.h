/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-rest-catalogue.h: the products and the project the catalogue's tests share, for
 * test-rest-catalogue and test-rest-catalogue-pick
 */
#pragma once

#include "ak-core.h"

#define APP_ID "970CA35de60c44645bbae8a215061b33"

static const char * const products[] = {
  "Console", "RTC channel management", "Cloud Recording", "Media Push", "Media Pull",
  "Cloud Transcoding", "RTM", "Chat", "Conversational AI Engine", "Real-time STT", "Analytics",
};

/* The only placeholder a body may hold: the client fills it when it sends. */
#define CONVOAI_TOKEN_NAME "convoai_token"

static inline AkCredential *
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
