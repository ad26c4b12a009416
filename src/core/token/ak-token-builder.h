/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ak-types.h"

G_BEGIN_DECLS

/**
 * AkBuilder:
 *
 * The official high-level builders, plus the two raw
 * builders that take a full service list. Names and inputs match the vectors file.
 */
typedef enum
{
  AK_BUILDER_RAW007,
  AK_BUILDER_RAW006,
  AK_BUILDER_RTC_UID,
  AK_BUILDER_RTC_ACCOUNT,
  AK_BUILDER_RTC_UID_PRIVILEGE,
  AK_BUILDER_RTC_ACCOUNT_PRIVILEGE,
  AK_BUILDER_RTC_RTM,
  AK_BUILDER_RTC_RTM2,
  AK_BUILDER_CONVOAI,
  AK_BUILDER_STT,
  AK_BUILDER_RTM,
  AK_BUILDER_RTM_PERMISSIONS,
  AK_BUILDER_CHAT_USER,
  AK_BUILDER_CHAT_APP,
  AK_BUILDER_FPA,
  AK_BUILDER_APAAS_ROOM_USER,
  AK_BUILDER_APAAS_USER,
  AK_BUILDER_APAAS_APP,
  AK_BUILDER_EDUCATION_ROOM_USER,
  AK_BUILDER_EDUCATION_USER,
  AK_BUILDER_EDUCATION_APP,
  AK_BUILDER_RTC006_UID,
  AK_BUILDER_RTC006_ACCOUNT,
  AK_BUILDER_RTM006,
  AK_N_BUILDERS
} AkBuilder;

/**
 * AkWarningCode:
 *
 * Soft problems: the token is still built exactly as the official builders build it.
 */
typedef enum
{
  AK_WARNING_CHANNEL_TOO_LONG,
  AK_WARNING_CHANNEL_CHARACTERS,
  AK_WARNING_ACCOUNT_TOO_LONG,
  AK_WARNING_EXPIRE_TOO_LONG,
  AK_WARNING_PRIVILEGE_OUTLIVES_TOKEN,
  AK_WARNING_NUMERIC_ACCOUNT,
  AK_WARNING_SUBSCRIBER_ROLE,
  AK_WARNING_PRIVILEGE_ZERO,
} AkWarningCode;

/**
 * AkWarning:
 * @code: what kind of problem
 * @field: the input key it is about (e.g. "channel_name")
 * @message: a translated sentence for the user
 */
typedef struct
{
  AkWarningCode code;
  char *field;
  char *message;
} AkWarning;

const char         *ak_builder_to_name             (AkBuilder builder);
gboolean            ak_builder_from_name           (const char *name, AkBuilder *builder);
const char * const *ak_builder_get_input_names     (AkBuilder builder);
const char         *ak_builder_get_description     (AkBuilder builder);
gboolean            ak_builder_is_006              (AkBuilder builder);

AkBuildResult      *ak_build_token                 (AkBuilder builder,
                                                    JsonObject *inputs,
                                                    GError **error);
AkBuildResult      *ak_build_token_from_spec       (JsonNode *spec, GError **error);

const char         *ak_build_result_get_token      (const AkBuildResult *result);
GPtrArray          *ak_build_result_get_warnings   (const AkBuildResult *result);
void                ak_build_result_free           (AkBuildResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkBuildResult, ak_build_result_free)

G_END_DECLS
