/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ak-credential-store.h"
#include "ak-doctor-finding.h"
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
