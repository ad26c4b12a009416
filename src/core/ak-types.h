/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AkToken AkToken;
typedef struct _AkService AkService;
typedef struct _AkBuildResult AkBuildResult;

/**
 * AkTokenVersion:
 * @AK_TOKEN_VERSION_006: legacy AccessToken ("006")
 * @AK_TOKEN_VERSION_007: AccessToken2 ("007")
 */
typedef enum
{
  AK_TOKEN_VERSION_006 = 6,
  AK_TOKEN_VERSION_007 = 7,
} AkTokenVersion;

/**
 * AkServiceType:
 *
 * The service types of an AccessToken2, with their wire values.
 */
typedef enum
{
  AK_SERVICE_RTC = 1,
  AK_SERVICE_RTM = 2,
  AK_SERVICE_STREAMING = 3,
  AK_SERVICE_FPA = 4,
  AK_SERVICE_CHAT = 5,
  AK_SERVICE_FCDN = 6,
  AK_SERVICE_APAAS = 7,
  AK_SERVICE_RTM2 = 8,
  AK_SERVICE_CONVOAI = 9,
  AK_SERVICE_STT = 10,
} AkServiceType;

/**
 * AkSignatureState:
 * @AK_SIGNATURE_UNCHECKED: no certificate was given
 * @AK_SIGNATURE_VALID: the signature matches the certificate
 * @AK_SIGNATURE_INVALID: the signature (or a 006 CRC) does not match
 */
typedef enum
{
  AK_SIGNATURE_UNCHECKED,
  AK_SIGNATURE_VALID,
  AK_SIGNATURE_INVALID,
} AkSignatureState;

/* RTC roles, as the official builders number them. */
typedef enum
{
  AK_RTC_ROLE_ATTENDEE_006 = 0,
  AK_RTC_ROLE_PUBLISHER = 1,
  AK_RTC_ROLE_SUBSCRIBER = 2,
  AK_RTC_ROLE_ADMIN_006 = 101,
} AkRtcRole;

G_END_DECLS
