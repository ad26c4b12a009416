/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ak-credential-store.h"
#include "ak-token.h"
#include "ak-token-check.h"
#include "ak-token-request.h"
#include "ak-types.h"

G_BEGIN_DECLS

/**
 * AkDoctorProduct:
 * @AK_DOCTOR_PRODUCT_ANY: not said: checks that need the product are skipped
 * @AK_DOCTOR_PRODUCT_RTC: Video/Voice SDK joining a channel
 * @AK_DOCTOR_PRODUCT_RTM: Signaling (RTM 2.x) login
 * @AK_DOCTOR_PRODUCT_CHAT: Chat SDK login or Chat REST call
 * @AK_DOCTOR_PRODUCT_CONVOAI: Conversational AI Engine agent
 * @AK_DOCTOR_PRODUCT_STT: Real-time Speech-to-Text agent
 *
 * What the client used the token for.
 */
typedef enum
{
  AK_DOCTOR_PRODUCT_ANY,
  AK_DOCTOR_PRODUCT_RTC,
  AK_DOCTOR_PRODUCT_RTM,
  AK_DOCTOR_PRODUCT_CHAT,
  AK_DOCTOR_PRODUCT_CONVOAI,
  AK_DOCTOR_PRODUCT_STT,
} AkDoctorProduct;

/* "any", "rtc", "rtm", "chat", "convoai", "stt" */
const char *ak_doctor_product_to_name   (AkDoctorProduct product);
gboolean    ak_doctor_product_from_name (const char *name, AkDoctorProduct *product);

/**
 * AkDoctorRole:
 * @AK_DOCTOR_ROLE_UNKNOWN: not said
 * @AK_DOCTOR_ROLE_PUBLISHER: the client publishes (host / broadcaster)
 * @AK_DOCTOR_ROLE_SUBSCRIBER: the client only receives (audience)
 */
typedef enum
{
  AK_DOCTOR_ROLE_UNKNOWN,
  AK_DOCTOR_ROLE_PUBLISHER,
  AK_DOCTOR_ROLE_SUBSCRIBER,
} AkDoctorRole;

/* "unknown", "publisher", "subscriber" */
const char *ak_doctor_role_to_name   (AkDoctorRole role);
gboolean    ak_doctor_role_from_name (const char *name, AkDoctorRole *role);

/**
 * AkDoctorInput:
 * @token: the token text as the client had it (may be damaged: quotes, prefixes, spaces)
 * @app_id: (nullable): the App ID the client initialised its SDK or request with
 * @product: what the token was used for
 * @channel: (nullable): the channel name the client joined (or the agent's channel)
 * @has_uid: %TRUE when the client joined with the integer @uid
 * @uid: the integer uid (0 lets the server pick one)
 * @account: (nullable): the string user account (RTC) or user id (RTM, Chat) the client used;
 *   ignored when @has_uid is set
 * @role: what the client did in the channel
 * @error_code: (nullable): the code the client got: "109", "-17", "401", or a name such as
 *   "ERR_TOKEN_EXPIRED" (see ak_token_doctor_error_codes())
 * @convoai_body: (nullable): the JSON body of the ConvoAI "join" request, as sent
 * @session_seconds: how long a session must last: a token that expires sooner is warned
 *   about; 0 means one hour
 *
 * What the client actually did with the token. Strings are borrowed.
 */
typedef struct
{
  const char *token;
  const char *app_id;
  AkDoctorProduct product;
  const char *channel;
  gboolean has_uid;
  guint32 uid;
  const char *account;
  AkDoctorRole role;
  const char *error_code;
  const char *convoai_body;
  gint64 session_seconds;
} AkDoctorInput;

#define AK_DOCTOR_DEFAULT_SESSION_SECONDS 3600

/**
 * AkDoctorCandidate:
 * @label: the stored project's label
 * @app_id: its App ID
 * @primary_certificate: (nullable): its primary certificate (a secret); %NULL when not loaded
 * @secondary_certificate: (nullable): its secondary certificate (a secret), %NULL when none
 * @secondary_removed: %TRUE when the project had a secondary certificate that has since been
 *   removed (the keyring item remembers when, not the certificate): a token that verifies
 *   with no current certificate then gets "certificate-secondary-removed"; otherwise it gets
 *   "certificate-mismatch"
 *
 * One stored project to check the token against. ak_doctor_candidate_free() wipes the
 * certificates before freeing them.
 */
typedef struct
{
  char *label;
  char *app_id;
  char *primary_certificate;
  char *secondary_certificate;
  gboolean secondary_removed;
} AkDoctorCandidate;

AkDoctorCandidate *ak_doctor_candidate_new  (const char *label,
                                             const char *app_id,
                                             const char *primary_certificate,
                                             const char *secondary_certificate,
                                             gboolean secondary_removed);
void               ak_doctor_candidate_free (AkDoctorCandidate *candidate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkDoctorCandidate, ak_doctor_candidate_free)

/* Loads @store (if needed) and makes a candidate of every stored project; the certificates
 * are read from the keyring only for projects whose App ID is @app_id (case-insensitive).
 * Returns (element-type AkDoctorCandidate) with ak_doctor_candidate_free() as free func.
 * Errors are the store's: %AK_ERROR_KEYRING_LOCKED, %AK_ERROR_KEYRING_UNAVAILABLE, … */
void       ak_token_doctor_load_candidates_async  (AkCredentialStore *store,
                                                   const char *app_id,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
GPtrArray *ak_token_doctor_load_candidates_finish (AkCredentialStore *store,
                                                   GAsyncResult *result,
                                                   GError **error);

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

typedef struct _AkDoctorDiagnosis AkDoctorDiagnosis;

#define AK_TYPE_DOCTOR_DIAGNOSIS (ak_doctor_diagnosis_get_type ())
GType               ak_doctor_diagnosis_get_type         (void) G_GNUC_CONST;
AkDoctorDiagnosis  *ak_doctor_diagnosis_ref              (AkDoctorDiagnosis *diagnosis);
void                ak_doctor_diagnosis_unref            (AkDoctorDiagnosis *diagnosis);

/* (transfer none): the findings, an AkDoctorFinding GListModel ranked worst first. */
GListModel         *ak_doctor_diagnosis_get_findings     (AkDoctorDiagnosis *diagnosis);
/* (transfer none): the token as decoded, after any repair */
AkToken            *ak_doctor_diagnosis_get_token        (AkDoctorDiagnosis *diagnosis);
/* The token text that was decoded (after repair): a secret, do not log it. */
const char         *ak_doctor_diagnosis_get_token_text   (AkDoctorDiagnosis *diagnosis);
/* TRUE when the token had to be repaired (the findings say how) */
gboolean            ak_doctor_diagnosis_get_repaired     (AkDoctorDiagnosis *diagnosis);
/* TRUE when a finding of severity EXPLAINS was made */
gboolean            ak_doctor_diagnosis_explains_rejection (AkDoctorDiagnosis *diagnosis);
/* The label of the stored project whose App ID the token has, or NULL. */
const char         *ak_doctor_diagnosis_get_project_label (AkDoctorDiagnosis *diagnosis);
/* Which certificate of that project signed it, if any was checked. */
AkCertificateKind   ak_doctor_diagnosis_get_certificate  (AkDoctorDiagnosis *diagnosis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkDoctorDiagnosis, ak_doctor_diagnosis_unref)

/* Takes the token apart (repairing what was damaged in transit), compares it with what the
 * client did and with the stored projects in @candidates (element-type AkDoctorCandidate,
 * nullable: then no signature is checked), and ranks what it finds, worst first. Uses
 * ak_clock_now_unix() for "now". Fails (%AK_ERROR domain, as ak_token_parse()) only for a
 * token that cannot be taken apart even after repair, or with %AK_ERROR_INVALID_INPUT for a
 * convoai_body that is not JSON. Certificates are only read, never kept or copied.
 * A token cut short cannot be repaired: it fails with %AK_ERROR_TRUNCATED, whose message says
 * how long it is and, when the base64 shows it, how much is missing (the
 * "token-truncated" finding id names this case for callers that list it). */
AkDoctorDiagnosis  *ak_token_doctor_diagnose             (const AkDoctorInput *input,
                                                          GPtrArray *candidates,
                                                          GError **error);

/* A support report, safe to paste in a public issue: the decoded fields and the findings,
 * with the App ID and the signature shortened to their first and last 4 characters; never a
 * certificate; the token itself only when @include_token is set. */
char               *ak_token_doctor_report_text          (AkDoctorDiagnosis *diagnosis,
                                                          gboolean include_token);
/* The findings for scripts: {"explains-rejection": bool, "repaired": bool,
 * "findings": [{"id", "severity", "verdict", "fix", "evidence": [{"label", "in-token",
 * "used"}], "regenerate": {kind spec as in --spec} or absent}]}. No token, no certificate;
 * App IDs shortened as in the report. */
JsonNode           *ak_doctor_diagnosis_to_json          (AkDoctorDiagnosis *diagnosis);

/**
 * AkDoctorErrorCode:
 * @code: the code as the SDK or REST API reports it: "109", "-17", "401"
 * @name: (nullable): its documented name: "ERR_TOKEN_EXPIRED", …
 * @product: the product that reports it
 * @context: where it shows up: "join error", "connection state reason", "HTTP status", …
 * @meaning: the documented meaning, in a sentence
 * @finding_ids: (array zero-terminated=1): the findings it points to, most likely first
 *
 * An SDK or REST error code that concerns tokens.
 */
typedef struct
{
  const char *code;
  const char *name;
  AkDoctorProduct product;
  const char *context;
  const char *meaning;
  const char * const *finding_ids;
} AkDoctorErrorCode;

/* The table, @n_codes entries; static. */
const AkDoctorErrorCode *ak_token_doctor_error_codes      (gsize *n_codes);
/* The entry for @code (a number or a name, case-insensitive) and @product (ANY matches the
 * first entry of any product), or NULL. */
const AkDoctorErrorCode *ak_token_doctor_lookup_error_code (const char *code,
                                                            AkDoctorProduct product);

G_END_DECLS
