/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ak-token-request.h"

G_BEGIN_DECLS

/**
 * AkDoctorSeverity:
 * @AK_DOCTOR_SEVERITY_EXPLAINS: this alone makes the server reject the token
 * @AK_DOCTOR_SEVERITY_LIKELY: probably why it was rejected, but not certain
 * @AK_DOCTOR_SEVERITY_WARNING: will cause trouble later, or under some settings
 * @AK_DOCTOR_SEVERITY_INFO: worth knowing, not a fault
 *
 * How much a finding weighs; findings are ranked by it, worst (EXPLAINS) first.
 */
typedef enum
{
  AK_DOCTOR_SEVERITY_EXPLAINS,
  AK_DOCTOR_SEVERITY_LIKELY,
  AK_DOCTOR_SEVERITY_WARNING,
  AK_DOCTOR_SEVERITY_INFO,
} AkDoctorSeverity;

/* "explains", "likely", "warning", "info" */
const char *ak_doctor_severity_to_name (AkDoctorSeverity severity);

/* Finding ids: stable, for scripts (--json) and tests. */
#define AK_DOCTOR_TOKEN_REPAIRED_SPACES        "token-spaces-for-plus"
#define AK_DOCTOR_TOKEN_WRAPPED                "token-wrapped"
#define AK_DOCTOR_TOKEN_TRUNCATED              "token-truncated"
#define AK_DOCTOR_VERSION_006_NOT_ACCEPTED     "version-006-not-accepted"
/* Reserved: no product the doctor knows is documented to refuse 007, so it is not made yet. */
#define AK_DOCTOR_VERSION_007_NOT_ACCEPTED     "version-007-not-accepted"
#define AK_DOCTOR_APP_ID_MISMATCH              "app-id-mismatch"
#define AK_DOCTOR_APP_ID_UNKNOWN               "app-id-unknown"
#define AK_DOCTOR_CERTIFICATE_MISMATCH         "certificate-mismatch"
#define AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED "certificate-secondary-removed"
#define AK_DOCTOR_CERTIFICATE_SECONDARY        "certificate-secondary"
#define AK_DOCTOR_CHECKSUM_MISMATCH            "checksum-mismatch"
#define AK_DOCTOR_TOKEN_EXPIRED                "token-expired"
#define AK_DOCTOR_PRIVILEGE_EXPIRED            "privilege-expired"
#define AK_DOCTOR_EXPIRES_SOON                 "expires-soon"
#define AK_DOCTOR_ISSUED_IN_FUTURE             "issued-in-future"
#define AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE        "expire-looks-absolute"
#define AK_DOCTOR_PRIVILEGE_OUTLIVES_TOKEN     "privilege-outlives-token"
#define AK_DOCTOR_CHANNEL_MISMATCH             "channel-mismatch"
#define AK_DOCTOR_CHANNEL_CASE                 "channel-case"
#define AK_DOCTOR_CHANNEL_WHITESPACE           "channel-whitespace"
#define AK_DOCTOR_CHANNEL_NORMALIZATION        "channel-normalization"
#define AK_DOCTOR_CHANNEL_INVALID_CHARACTERS   "channel-invalid-characters"
#define AK_DOCTOR_CHANNEL_TOO_LONG             "channel-too-long"
#define AK_DOCTOR_UID_ACCOUNT_SWAP             "uid-account-swap"
#define AK_DOCTOR_UID_MISMATCH                 "uid-mismatch"
#define AK_DOCTOR_UID_ZERO                     "uid-zero"
#define AK_DOCTOR_SERVICE_MISSING              "service-missing"
#define AK_DOCTOR_CHAT_USER_TOKEN_AS_APP       "chat-user-token-as-app-token"
#define AK_DOCTOR_CHAT_APP_TOKEN_AS_USER       "chat-app-token-as-user-token"
#define AK_DOCTOR_CONVOAI_CHANNEL_MISMATCH     "convoai-channel-mismatch"
#define AK_DOCTOR_CONVOAI_UID_MISMATCH         "convoai-uid-mismatch"
#define AK_DOCTOR_CONVOAI_STRING_UID           "convoai-string-uid"
#define AK_DOCTOR_ROLE_NO_PUBLISH              "role-no-publish"

/**
 * AkDoctorEvidence:
 * @label: what is compared: "App ID", "channel", "uid", "rtc · joinChannel", …
 * @in_token: (nullable): the value in the token (never a secret; App IDs in full)
 * @used: (nullable): the value the client used, or what was expected
 *
 * One row of a finding's evidence table. Owned by its finding.
 */
typedef struct
{
  char *label;
  char *in_token;
  char *used;
} AkDoctorEvidence;

#define AK_TYPE_DOCTOR_FINDING (ak_doctor_finding_get_type ())
G_DECLARE_FINAL_TYPE (AkDoctorFinding, ak_doctor_finding, AK, DOCTOR_FINDING, GObject)

/* Immutable once made; read-only properties "id", "severity", "verdict", "fix". */
const char       *ak_doctor_finding_get_id          (AkDoctorFinding *self);
AkDoctorSeverity  ak_doctor_finding_get_severity    (AkDoctorFinding *self);
/* One translated sentence: what is wrong. */
const char       *ak_doctor_finding_get_verdict     (AkDoctorFinding *self);
/* Translated: what to do about it. */
const char       *ak_doctor_finding_get_fix         (AkDoctorFinding *self);
/* (element-type AkDoctorEvidence) (transfer none): possibly empty, never NULL */
GPtrArray        *ak_doctor_finding_get_evidence    (AkDoctorFinding *self);
/* (nullable) (transfer none): a corrected request for the window's Generate form: kind,
 * channel, uid or account, role, expire and privilege-expire set as they should be (no App
 * ID or certificate); NULL when regenerating does not help. */
const AkTokenRequestText *ak_doctor_finding_get_regenerate (AkDoctorFinding *self);

G_END_DECLS
