/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <zlib.h>

#include "ak-clock.h"
#include "ak-credential-private.h"
#include "ak-duration.h"
#include "ak-error.h"
#include "ak-json.h"
#include "ak-token-doctor.h"

/* A token made for exactly a session's length a few minutes ago is what people do: only a
 * token that falls short by more than this is worth a warning. */
#define EXPIRES_SOON_GRACE (5 * 60)

/* A 007 lifetime or privilege value this large was meant as a unix time: 2001-09-09 on. */
#define LOOKS_ABSOLUTE_SECONDS 1000000000u
/* An issue time this far ahead of our clock is skew, not rounding. */
#define FUTURE_TOLERANCE_SECONDS 60
/* Agora's documented channel name limit, in bytes. */
#define CHANNEL_MAX_BYTES 64

/* ---------------------------------------------------------------------------------------------
 * Names
 */

static const char * const product_names[] = {
  [AK_DOCTOR_PRODUCT_ANY] = "any",
  [AK_DOCTOR_PRODUCT_RTC] = "rtc",
  [AK_DOCTOR_PRODUCT_RTM] = "rtm",
  [AK_DOCTOR_PRODUCT_CHAT] = "chat",
  [AK_DOCTOR_PRODUCT_CONVOAI] = "convoai",
  [AK_DOCTOR_PRODUCT_STT] = "stt",
};

const char *
ak_doctor_product_to_name (AkDoctorProduct product)
{
  g_return_val_if_fail (product <= AK_DOCTOR_PRODUCT_STT, NULL);
  return product_names[product];
}

gboolean
ak_doctor_product_from_name (const char      *name,
                             AkDoctorProduct *product)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (product_names); i++)
    if (g_ascii_strcasecmp (name, product_names[i]) == 0)
      {
        if (product != NULL)
          *product = (AkDoctorProduct) i;
        return TRUE;
      }
  return FALSE;
}

static const char * const role_names[] = {
  [AK_DOCTOR_ROLE_UNKNOWN] = "unknown",
  [AK_DOCTOR_ROLE_PUBLISHER] = "publisher",
  [AK_DOCTOR_ROLE_SUBSCRIBER] = "subscriber",
};

const char *
ak_doctor_role_to_name (AkDoctorRole role)
{
  g_return_val_if_fail (role <= AK_DOCTOR_ROLE_SUBSCRIBER, NULL);
  return role_names[role];
}

gboolean
ak_doctor_role_from_name (const char   *name,
                          AkDoctorRole *role)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_ascii_strcasecmp (name, role_names[i]) == 0)
      {
        if (role != NULL)
          *role = (AkDoctorRole) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ak_doctor_severity_to_name (AkDoctorSeverity severity)
{
  switch (severity)
    {
    case AK_DOCTOR_SEVERITY_EXPLAINS:
      return "explains";
    case AK_DOCTOR_SEVERITY_LIKELY:
      return "likely";
    case AK_DOCTOR_SEVERITY_WARNING:
      return "warning";
    case AK_DOCTOR_SEVERITY_INFO:
    default:
      return "info";
    }
}

/* ---------------------------------------------------------------------------------------------
 * Candidates
 */

AkDoctorCandidate *
ak_doctor_candidate_new (const char *label,
                         const char *app_id,
                         const char *primary_certificate,
                         const char *secondary_certificate,
                         gboolean    secondary_removed)
{
  AkDoctorCandidate *candidate = g_new0 (AkDoctorCandidate, 1);

  candidate->label = g_strdup (label != NULL ? label : "");
  candidate->app_id = g_strdup (app_id != NULL ? app_id : "");
  candidate->primary_certificate = g_strdup (primary_certificate);
  candidate->secondary_certificate = g_strdup (secondary_certificate);
  candidate->secondary_removed = secondary_removed;
  return candidate;
}

void
ak_doctor_candidate_free (AkDoctorCandidate *candidate)
{
  if (candidate == NULL)
    return;
  ak_secret_string_free (candidate->primary_certificate);
  ak_secret_string_free (candidate->secondary_certificate);
  g_free (candidate->label);
  g_free (candidate->app_id);
  g_free (candidate);
}

typedef struct
{
  char *app_id;
  GPtrArray *candidates;
  GPtrArray *pending;   /* AkCredential still to read secrets for */
} LoadCandidates;

static void
load_candidates_free (LoadCandidates *load)
{
  g_free (load->app_id);
  g_clear_pointer (&load->candidates, g_ptr_array_unref);
  g_clear_pointer (&load->pending, g_ptr_array_unref);
  g_free (load);
}

static void load_next_secrets (GTask *task);

static void
secrets_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadCandidates *load = g_task_get_task_data (task);
  g_autoptr(AkCredential) credential = g_ptr_array_steal_index (load->pending, 0);
  g_autoptr(GError) error = NULL;
  AkCredentialSecrets *secrets;

  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result,
                                                     &error);
  if (secrets == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_add (load->candidates,
                   ak_doctor_candidate_new (ak_credential_get_label (credential),
                                            ak_credential_get_app_id (credential),
                                            secrets->primary_certificate,
                                            secrets->secondary_certificate,
                                            secrets->secondary_certificate == NULL
                                            && ak_credential_get_secondary_removed_at (
                                                 credential) > 0));
  ak_credential_secrets_free (secrets);
  load_next_secrets (g_steal_pointer (&task));
}

static void
load_next_secrets (GTask *task)
{
  LoadCandidates *load = g_task_get_task_data (task);

  if (load->pending->len == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&load->candidates),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  ak_credential_store_load_secrets_async (g_task_get_source_object (task),
                                          g_ptr_array_index (load->pending, 0),
                                          g_task_get_cancellable (task),
                                          secrets_loaded, task);
}

static void
collect_candidates (GTask *task)
{
  AkCredentialStore *store = g_task_get_source_object (task);
  LoadCandidates *load = g_task_get_task_data (task);
  GListModel *model = ak_credential_store_get_model (store);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (model, i);

      if (ak_credential_get_kind (credential) != AK_CREDENTIAL_PROJECT)
        continue;
      /* Only the project the token names needs its certificates out of the keyring. */
      if (load->app_id != NULL
          && g_ascii_strcasecmp (ak_credential_get_app_id (credential), load->app_id) == 0)
        g_ptr_array_add (load->pending, g_object_ref (credential));
      else
        g_ptr_array_add (load->candidates,
                         ak_doctor_candidate_new (ak_credential_get_label (credential),
                                                  ak_credential_get_app_id (credential),
                                                  NULL, NULL, FALSE));
    }
  load_next_secrets (task);
}

static void
store_loaded (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!ak_credential_store_load_finish (AK_CREDENTIAL_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  collect_candidates (task);
}

void
ak_token_doctor_load_candidates_async (AkCredentialStore  *store,
                                       const char         *app_id,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  GTask *task;
  LoadCandidates *load;

  g_return_if_fail (AK_IS_CREDENTIAL_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_token_doctor_load_candidates_async);
  load = g_new0 (LoadCandidates, 1);
  load->app_id = g_strdup (app_id);
  load->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_doctor_candidate_free);
  load->pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, load, (GDestroyNotify) load_candidates_free);
  if (ak_credential_store_get_state (store) == AK_KEYRING_STATE_UNKNOWN)
    ak_credential_store_load_async (store, cancellable, store_loaded, task);
  else
    collect_candidates (task);
}

GPtrArray *
ak_token_doctor_load_candidates_finish (AkCredentialStore *store,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------------
 * AkDoctorFinding
 */

struct _AkDoctorFinding
{
  GObject parent_instance;

  char *id;
  AkDoctorSeverity severity;
  char *verdict;
  char *fix;
  GPtrArray *evidence;
  AkTokenRequestText *regenerate;
  /* ranking only */
  guint order;
  gboolean boosted;
};

G_DEFINE_FINAL_TYPE (AkDoctorFinding, ak_doctor_finding, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_SEVERITY,
  PROP_VERDICT,
  PROP_FIX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
evidence_free (AkDoctorEvidence *evidence)
{
  g_free (evidence->label);
  g_free (evidence->in_token);
  g_free (evidence->used);
  g_free (evidence);
}

static void
regenerate_free (AkTokenRequestText *text)
{
  ak_token_request_text_clear (text);
  g_free (text);
}

static void
ak_doctor_finding_finalize (GObject *object)
{
  AkDoctorFinding *self = AK_DOCTOR_FINDING (object);

  g_free (self->id);
  g_free (self->verdict);
  g_free (self->fix);
  g_ptr_array_unref (self->evidence);
  g_clear_pointer (&self->regenerate, regenerate_free);
  G_OBJECT_CLASS (ak_doctor_finding_parent_class)->finalize (object);
}

static void
ak_doctor_finding_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AkDoctorFinding *self = AK_DOCTOR_FINDING (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_SEVERITY:
      g_value_set_int (value, self->severity);
      break;
    case PROP_VERDICT:
      g_value_set_string (value, self->verdict);
      break;
    case PROP_FIX:
      g_value_set_string (value, self->fix);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_doctor_finding_class_init (AkDoctorFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ak_doctor_finding_finalize;
  object_class->get_property = ak_doctor_finding_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEVERITY] =
    g_param_spec_int ("severity", NULL, NULL, AK_DOCTOR_SEVERITY_EXPLAINS,
                      AK_DOCTOR_SEVERITY_INFO, AK_DOCTOR_SEVERITY_INFO,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERDICT] =
    g_param_spec_string ("verdict", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIX] =
    g_param_spec_string ("fix", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ak_doctor_finding_init (AkDoctorFinding *self)
{
  self->evidence = g_ptr_array_new_with_free_func ((GDestroyNotify) evidence_free);
}

const char *
ak_doctor_finding_get_id (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->id;
}

AkDoctorSeverity
ak_doctor_finding_get_severity (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), AK_DOCTOR_SEVERITY_INFO);
  return self->severity;
}

const char *
ak_doctor_finding_get_verdict (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->verdict;
}

const char *
ak_doctor_finding_get_fix (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->fix;
}

GPtrArray *
ak_doctor_finding_get_evidence (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->evidence;
}

const AkTokenRequestText *
ak_doctor_finding_get_regenerate (AkDoctorFinding *self)
{
  g_return_val_if_fail (AK_IS_DOCTOR_FINDING (self), NULL);
  return self->regenerate;
}

static void
finding_add_evidence (AkDoctorFinding *self,
                      const char      *label,
                      const char      *in_token,
                      const char      *used)
{
  AkDoctorEvidence *evidence = g_new0 (AkDoctorEvidence, 1);

  evidence->label = g_strdup (label);
  evidence->in_token = g_strdup (in_token);
  evidence->used = g_strdup (used);
  g_ptr_array_add (self->evidence, evidence);
}

/* ---------------------------------------------------------------------------------------------
 * AkDoctorDiagnosis
 */

struct _AkDoctorDiagnosis
{
  gatomicrefcount ref_count;
  GListStore *findings;
  AkToken *token;
  char *token_text;
  gboolean repaired;
  char *project_label;
  AkCertificateKind certificate;
};

G_DEFINE_BOXED_TYPE (AkDoctorDiagnosis, ak_doctor_diagnosis,
                     ak_doctor_diagnosis_ref, ak_doctor_diagnosis_unref)

AkDoctorDiagnosis *
ak_doctor_diagnosis_ref (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  g_atomic_ref_count_inc (&diagnosis->ref_count);
  return diagnosis;
}

void
ak_doctor_diagnosis_unref (AkDoctorDiagnosis *diagnosis)
{
  g_return_if_fail (diagnosis != NULL);
  if (!g_atomic_ref_count_dec (&diagnosis->ref_count))
    return;
  g_object_unref (diagnosis->findings);
  g_clear_pointer (&diagnosis->token, ak_token_unref);
  ak_secret_string_free (diagnosis->token_text);
  g_free (diagnosis->project_label);
  g_free (diagnosis);
}

GListModel *
ak_doctor_diagnosis_get_findings (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  return G_LIST_MODEL (diagnosis->findings);
}

AkToken *
ak_doctor_diagnosis_get_token (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  return diagnosis->token;
}

const char *
ak_doctor_diagnosis_get_token_text (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  return diagnosis->token_text;
}

gboolean
ak_doctor_diagnosis_get_repaired (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, FALSE);
  return diagnosis->repaired;
}

gboolean
ak_doctor_diagnosis_explains_rejection (AkDoctorDiagnosis *diagnosis)
{
  GListModel *model;

  g_return_val_if_fail (diagnosis != NULL, FALSE);
  model = G_LIST_MODEL (diagnosis->findings);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AkDoctorFinding) finding = g_list_model_get_item (model, i);

      if (finding->severity == AK_DOCTOR_SEVERITY_EXPLAINS)
        return TRUE;
    }
  return FALSE;
}

const char *
ak_doctor_diagnosis_get_project_label (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, NULL);
  return diagnosis->project_label;
}

AkCertificateKind
ak_doctor_diagnosis_get_certificate (AkDoctorDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, AK_CERTIFICATE_NONE);
  return diagnosis->certificate;
}

/* ---------------------------------------------------------------------------------------------
 * Error codes
 */

#define IDS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static const AkDoctorErrorCode error_codes[] = {
  /* https://docs.agora.io/en/help/integration-issues/token_related_issues */
  { "101", "ERR_INVALID_APP_ID", AK_DOCTOR_PRODUCT_RTC, N_("error code"),
    N_("The App ID is not valid: the SDK was initialised with a wrong or malformed App ID."),
    IDS (AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_APP_ID_UNKNOWN) },
  /* https://docs.agora.io/en/help/integration-issues/token_related_issues */
  { "109", "ERR_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTC, N_("error code"),
    N_("The token has expired."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_ISSUED_IN_FUTURE,
         AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE) },
  /* https://docs.agora.io/en/help/integration-issues/token_related_issues */
  { "110", "ERR_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTC, N_("error code"),
    N_("The token is invalid: not the one made for this App ID, channel and uid, made with "
       "another certificate, or no token given while the project needs one."),
    IDS (AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_CERTIFICATE_MISMATCH,
         AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED, AK_DOCTOR_CHANNEL_MISMATCH,
         AK_DOCTOR_CHANNEL_CASE, AK_DOCTOR_CHANNEL_WHITESPACE, AK_DOCTOR_CHANNEL_NORMALIZATION,
         AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_CHECKSUM_MISMATCH,
         AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_TOKEN_REPAIRED_SPACES, AK_DOCTOR_TOKEN_WRAPPED) },
  /* https://github.com/AgoraIO-Community/VideoUIKit-Flutter/issues/68 (maintainers' answer)
   * and https://docs.agora.io/en/Video/error_rtc: the join request was refused, usually
   * because the client is already in the channel. Not a token fault. */
  { "-17", "ERR_JOIN_CHANNEL_REJECTED", AK_DOCTOR_PRODUCT_RTC, N_("error code"),
    N_("The request to join the channel was rejected, usually because this client is already "
       "in the channel (or joining it): leave it first. This is not a token fault."),
    (const char * const[]) { NULL } },
  /* https://api-ref.agora.io/en/video-sdk/blueprint/4.x/API/
   *   enum_connectionchangedreasontype.html */
  { "8", "CONNECTION_CHANGED_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTC,
    N_("connection state change reason"),
    N_("The token is invalid: the project needs a token and none was used, the uid given "
       "to joinChannel differs from the token's, or the token is not the one generated."),
    IDS (AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_CHANNEL_MISMATCH,
         AK_DOCTOR_CHANNEL_CASE, AK_DOCTOR_CHANNEL_WHITESPACE, AK_DOCTOR_CHANNEL_NORMALIZATION,
         AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_CERTIFICATE_MISMATCH,
         AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED, AK_DOCTOR_CHECKSUM_MISMATCH,
         AK_DOCTOR_SERVICE_MISSING) },
  /* https://api-ref.agora.io/en/video-sdk/blueprint/4.x/API/
   *   enum_connectionchangedreasontype.html */
  { "9", "CONNECTION_CHANGED_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTC,
    N_("connection state change reason"),
    N_("The token has expired: get a new one and renew it."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_EXPIRES_SOON) },
  /* https://api-ref.agora.io/en/signaling-sdk/web/1.x/enums/rtmerrorcode.loginerror.html */
  { "5", "LOGIN_ERR_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTM, N_("login error (Signaling 1.x)"),
    N_("The token is invalid: check the method used to generate it."),
    IDS (AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_APP_ID_MISMATCH,
         AK_DOCTOR_CERTIFICATE_MISMATCH, AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED) },
  /* https://api-ref.agora.io/en/signaling-sdk/web/1.x/enums/rtmerrorcode.loginerror.html */
  { "6", "LOGIN_ERR_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTM, N_("login error (Signaling 1.x)"),
    N_("The token has expired, so the login was rejected: generate a new token."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED) },
  /* https://api-ref.agora.io/en/signaling-sdk/ios/1.x/Constants/AgoraRtmRenewTokenErrorCode.html */
  { "RENEW_TOKEN_ERR_TOKEN_EXPIRED", NULL, AK_DOCTOR_PRODUCT_RTM,
    N_("renewToken result (Signaling 1.x), code 5"),
    N_("The token given to renewToken has already expired."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED) },
  /* https://api-ref.agora.io/en/signaling-sdk/ios/1.x/Constants/AgoraRtmRenewTokenErrorCode.html */
  { "RENEW_TOKEN_ERR_INVALID_TOKEN", NULL, AK_DOCTOR_PRODUCT_RTM,
    N_("renewToken result (Signaling 1.x), code 6"),
    N_("The token given to renewToken is invalid."),
    IDS (AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_CERTIFICATE_MISMATCH) },
  /* Signaling 2.x SDK header AgoraRtmBase.h, enum RTM_ERROR_CODE ("-10005: The token is
   * invalid."), as shipped in the Signaling 2.x SDKs. */
  { "-10005", "RTM_ERROR_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTM, N_("error code (Signaling 2.x)"),
    N_("The token is invalid: not an RTM token for this App ID and user ID, or made with "
       "another certificate."),
    IDS (AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_UID_ACCOUNT_SWAP,
         AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_CERTIFICATE_MISMATCH,
         AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED, AK_DOCTOR_VERSION_006_NOT_ACCEPTED,
         AK_DOCTOR_TOKEN_REPAIRED_SPACES, AK_DOCTOR_TOKEN_WRAPPED) },
  /* AgoraRtmBase.h, enum RTM_ERROR_CODE: "-10009: The token has expired." */
  { "-10009", "RTM_ERROR_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTM, N_("error code (Signaling 2.x)"),
    N_("The token has expired: generate a new one and call renewToken or log in again."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_ISSUED_IN_FUTURE,
         AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE) },
  /* AgoraRtmBase.h, enum RTM_ERROR_CODE: "-10012: The login is rejected by server." */
  { "-10012", "RTM_ERROR_LOGIN_REJECTED", AK_DOCTOR_PRODUCT_RTM, N_("error code (Signaling 2.x)"),
    N_("The server rejected the login: check the App ID, the user ID and the token."),
    IDS (AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SERVICE_MISSING,
         AK_DOCTOR_CERTIFICATE_MISMATCH, AK_DOCTOR_TOKEN_EXPIRED) },
  /* AgoraRtmBase.h, enum RTM_ERROR_CODE: "-10015: The login is not authorized. Happens user
   * login the RTM system without granted from console." Signaling is not enabled for the
   * project: the token cannot cause it. */
  { "-10015", "RTM_ERROR_LOGIN_NOT_AUTHORIZED", AK_DOCTOR_PRODUCT_RTM,
    N_("error code (Signaling 2.x)"),
    N_("Signaling is not enabled for this project in Agora Console: enable it there. This is "
       "not a token fault."),
    (const char * const[]) { NULL } },
  /* AgoraRtmBase.h, enum RTM_ERROR_CODE: "-10016: Try to login or join with inconsistent
   * app ID." */
  { "-10016", "RTM_ERROR_INCONSISTENT_APPID", AK_DOCTOR_PRODUCT_RTM,
    N_("error code (Signaling 2.x)"),
    N_("The token was made for another App ID than the one the client was created with."),
    IDS (AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_APP_ID_UNKNOWN) },
  /* AgoraRtmBase.h, enum RTM_CONNECTION_CHANGE_REASON: "8: The connection fails because the
   * token is not valid." */
  { "8", "RTM_CONNECTION_CHANGED_INVALID_TOKEN", AK_DOCTOR_PRODUCT_RTM,
    N_("connection state change reason (Signaling 2.x)"),
    N_("The connection failed because the token is not valid."),
    IDS (AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_APP_ID_MISMATCH,
         AK_DOCTOR_CERTIFICATE_MISMATCH, AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED) },
  /* AgoraRtmBase.h, enum RTM_CONNECTION_CHANGE_REASON: "9: The connection fails because the
   * token has expired." */
  { "9", "RTM_CONNECTION_CHANGED_TOKEN_EXPIRED", AK_DOCTOR_PRODUCT_RTM,
    N_("connection state change reason (Signaling 2.x)"),
    N_("The connection failed because the token has expired: renew it before it runs out."),
    IDS (AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_EXPIRES_SOON) },
  /* https://docs.agora.io/en/realtime-media/im/build/secure-access-and-authentication/
   *   authentication
   * (Chat REST calls need an app token; HTTP 401 is Unauthorized, RFC 9110 section 15.5.2) */
  { "401", "Unauthorized", AK_DOCTOR_PRODUCT_CHAT, N_("HTTP status"),
    N_("The Chat server did not accept the token: REST calls need an app token, SDK logins a "
       "user token for that user."),
    IDS (AK_DOCTOR_CHAT_USER_TOKEN_AS_APP, AK_DOCTOR_CHAT_APP_TOKEN_AS_USER,
         AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_APP_ID_MISMATCH,
         AK_DOCTOR_CERTIFICATE_MISMATCH) },
  /* https://docs.agora.io/en/api-reference/api-ref/conversational-ai/authentication: the
   * token's channel must match properties.channel, its uid properties.agent_rtc_uid, and a
   * string uid needs enable_string_uid (HTTP 401 is Unauthorized, RFC 9110 15.5.2) */
  { "401", "Unauthorized", AK_DOCTOR_PRODUCT_CONVOAI, N_("HTTP status"),
    N_("The “agora token=” authorisation was not accepted: the token must be an RTC token for "
       "the agent's channel and uid, unexpired, made with this project's certificate."),
    IDS (AK_DOCTOR_CONVOAI_CHANNEL_MISMATCH, AK_DOCTOR_CONVOAI_UID_MISMATCH,
         AK_DOCTOR_CONVOAI_STRING_UID, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_VERSION_006_NOT_ACCEPTED,
         AK_DOCTOR_TOKEN_WRAPPED, AK_DOCTOR_CERTIFICATE_MISMATCH) },
  /* https://docs.agora.io/en/api-reference/api-ref/conversational-ai/status-codes: 403 is
   * "Unauthorized access: resolve account or billing issues, or contact technical support to
   * activate the service" (reasons such as ServiceNotEnabled, AccountSuspended). A rejected
   * token is 401, above. */
  { "403", "Forbidden", AK_DOCTOR_PRODUCT_CONVOAI, N_("HTTP status"),
    N_("The account or project may not use Conversational AI: the service is not enabled, or "
       "there is an account or billing issue. This is not a token fault: a rejected token "
       "gives 401."),
    (const char * const[]) { NULL } },
};

const AkDoctorErrorCode *
ak_token_doctor_error_codes (gsize *n_codes)
{
  if (n_codes != NULL)
    *n_codes = G_N_ELEMENTS (error_codes);
  return error_codes;
}

const AkDoctorErrorCode *
ak_token_doctor_lookup_error_code (const char      *code,
                                   AkDoctorProduct  product)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (code != NULL, NULL);

  stripped = g_strstrip (g_strdup (code));
  for (guint pass = 0; pass < 2; pass++)
    for (gsize i = 0; i < G_N_ELEMENTS (error_codes); i++)
      {
        const AkDoctorErrorCode *entry = &error_codes[i];
        gboolean same = g_ascii_strcasecmp (stripped, entry->code) == 0
                        || (entry->name != NULL
                            && g_ascii_strcasecmp (stripped, entry->name) == 0);

        /* First the product's own codes, then (for "any") any product's. */
        if (same && (entry->product == product
                     || (pass == 1 && product == AK_DOCTOR_PRODUCT_ANY)))
          return entry;
      }
  return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Diagnosis
 */

typedef struct
{
  const AkDoctorInput *input;
  AkToken *token;
  GPtrArray *findings;
  gint64 now;
  gint64 session;
  char *client_uid;   /* what the client joined as, in token form ("" for uid 0); NULL: unknown */
  const AkService *rtc;
  const AkService *rtm;
  const AkService *chat;
} Doctor;

static AkDoctorFinding *
add_finding (Doctor          *doctor,
             const char      *id,
             AkDoctorSeverity severity,
             char            *verdict,
             const char      *fix)
{
  AkDoctorFinding *finding = g_object_new (AK_TYPE_DOCTOR_FINDING, NULL);

  finding->id = g_strdup (id);
  finding->severity = severity;
  finding->verdict = verdict;
  finding->fix = g_strdup (fix);
  finding->order = doctor->findings->len;
  g_ptr_array_add (doctor->findings, finding);
  return finding;
}

static gboolean
has_finding (Doctor     *doctor,
             const char *id)
{
  for (guint i = 0; i < doctor->findings->len; i++)
    if (g_str_equal (((AkDoctorFinding *) g_ptr_array_index (doctor->findings, i))->id, id))
      return TRUE;
  return FALSE;
}

/* "0123…cdef": enough to tell two apart in a report, not enough to be the value. */
static char *
shorten (const char *text)
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length <= 12)
    return g_strdup (text != NULL ? text : "");
  return g_strdup_printf ("%.4s…%s", text, text + length - 4);
}

static char *
format_seconds (gint64 seconds)
{
  return ak_duration_format ((guint64) ABS (seconds));
}

static AkTokenKind
regenerate_kind (Doctor *doctor)
{
  switch (doctor->input->product)
    {
    case AK_DOCTOR_PRODUCT_RTM:
      return AK_TOKEN_KIND_RTM;
    case AK_DOCTOR_PRODUCT_CHAT:
      return doctor->chat != NULL && doctor->chat->user_id != NULL
             && doctor->chat->user_id[0] == '\0' ? AK_TOKEN_KIND_CHAT_APP
                                                 : AK_TOKEN_KIND_CHAT_USER;
    case AK_DOCTOR_PRODUCT_CONVOAI:
      return AK_TOKEN_KIND_CONVOAI;
    case AK_DOCTOR_PRODUCT_STT:
      return AK_TOKEN_KIND_STT;
    case AK_DOCTOR_PRODUCT_RTC:
      return AK_TOKEN_KIND_RTC;
    case AK_DOCTOR_PRODUCT_ANY:
    default:
      if (doctor->rtc == NULL && doctor->rtm != NULL)
        return AK_TOKEN_KIND_RTM;
      if (doctor->rtc == NULL && doctor->chat != NULL)
        return doctor->chat->user_id != NULL && doctor->chat->user_id[0] == '\0'
               ? AK_TOKEN_KIND_CHAT_APP : AK_TOKEN_KIND_CHAT_USER;
      return AK_TOKEN_KIND_RTC;
    }
}

/* A corrected request: what the client used where it said, else what the token holds. */
static void
set_regenerate (Doctor          *doctor,
                AkDoctorFinding *finding,
                AkTokenKind      kind)
{
  const AkDoctorInput *input = doctor->input;
  AkTokenRequestText *text = g_new0 (AkTokenRequestText, 1);
  gint64 lifetime = MIN (MAX (doctor->session * 2, 3600), 86400);
  const char *identity = NULL;

  text->kind = g_strdup (ak_token_kind_get_name (kind));
  text->expire = g_strdup_printf ("%" G_GINT64_FORMAT, lifetime);

  if (input->has_uid)
    identity = NULL;
  else if (input->account != NULL)
    identity = input->account;

  switch (kind)
    {
    case AK_TOKEN_KIND_RTM:
    case AK_TOKEN_KIND_CHAT_USER:
      if (identity != NULL)
        text->user_id = g_strdup (identity);
      else if (doctor->rtm != NULL && doctor->rtm->user_id != NULL)
        text->user_id = g_strdup (doctor->rtm->user_id);
      else if (doctor->chat != NULL && doctor->chat->user_id != NULL)
        text->user_id = g_strdup (doctor->chat->user_id);
      break;
    case AK_TOKEN_KIND_CHAT_APP:
      break;
    default:
      text->privilege_expire = g_strdup (text->expire);
      if (input->channel != NULL)
        text->channel = g_strdup (input->channel);
      else if (doctor->rtc != NULL)
        text->channel = g_strdup (doctor->rtc->channel_name);
      if (input->has_uid)
        text->uid = g_strdup_printf ("%u", input->uid);
      else if (identity != NULL)
        text->account = g_strdup (identity);
      else if (doctor->rtc != NULL && doctor->rtc->uid != NULL)
        text->uid = g_strdup (doctor->rtc->uid[0] == '\0' ? "0" : doctor->rtc->uid);
      if (input->role != AK_DOCTOR_ROLE_UNKNOWN)
        text->role = g_strdup (ak_doctor_role_to_name (input->role));
      break;
    }

  g_clear_pointer (&finding->regenerate, regenerate_free);
  finding->regenerate = text;
}

/* --- Damage in transit --- */

typedef struct
{
  char *text;
  GPtrArray *removed;   /* what was stripped, in words */
  guint spaces;
} Repair;

static gboolean
strip_prefix (char      **text,
              const char *prefix)
{
  gsize length = strlen (prefix);

  if (g_ascii_strncasecmp (*text, prefix, length) != 0)
    return FALSE;
  memmove (*text, *text + length, strlen (*text + length) + 1);
  g_strchug (*text);
  return TRUE;
}

static gboolean
strip_quotes (char *text)
{
  gsize length = strlen (text);
  char first = text[0];

  if (length < 2 || (first != '"' && first != '\'' && first != '`') || text[length - 1] != first)
    return FALSE;
  memmove (text, text + 1, length - 2);
  text[length - 2] = '\0';
  return TRUE;
}

static void
repair_text (const char *token,
             Repair     *repair)
{
  gboolean changed = TRUE;

  repair->removed = g_ptr_array_new ();
  repair->text = g_strstrip (g_strdup (token));

  /* Peel layers in any order: `Authorization: agora token="007…"` has three. */
  while (changed)
    {
      changed = FALSE;
      if (strip_prefix (&repair->text, "Authorization:"))
        {
          g_ptr_array_add (repair->removed, (gpointer) _("an “Authorization:” header name"));
          changed = TRUE;
        }
      if (strip_prefix (&repair->text, "Bearer "))
        {
          g_ptr_array_add (repair->removed, (gpointer) _("a “Bearer ” prefix"));
          changed = TRUE;
        }
      if (strip_prefix (&repair->text, "agora token="))
        {
          g_ptr_array_add (repair->removed, (gpointer) _("an “agora token=” prefix"));
          changed = TRUE;
        }
      if (strip_prefix (&repair->text, "token="))
        {
          g_ptr_array_add (repair->removed, (gpointer) _("a “token=” prefix"));
          changed = TRUE;
        }
      if (strip_quotes (repair->text))
        {
          g_ptr_array_add (repair->removed, (gpointer) _("quotes"));
          g_strstrip (repair->text);
          changed = TRUE;
        }
    }

  /* Mail and chat clients wrap long tokens: line breaks are never part of one. */
  {
    char *out = repair->text;
    gboolean wrapped = FALSE;

    for (const char *in = repair->text; *in != '\0'; in++)
      if (*in == '\n' || *in == '\r' || *in == '\t')
        wrapped = TRUE;
      else
        *out++ = *in;
    *out = '\0';
    if (wrapped)
      g_ptr_array_add (repair->removed, (gpointer) _("line breaks"));
  }

  /* A "+" that went through a URL query or form decoding comes out as a space. */
  for (char *p = repair->text; *p != '\0'; p++)
    if (*p == ' ')
      {
        *p = '+';
        repair->spaces++;
      }
}

/* Truncation shows as base64 that stops mid-group or a zlib stream that ends early. */
static gboolean
looks_truncated (const char   *text,
                 const GError *error,
                 char        **message)
{
  gsize length = strlen (text);
  gsize body;

  if (!g_str_has_prefix (text, "007") && !g_str_has_prefix (text, "006"))
    return FALSE;
  if (!g_error_matches (error, AK_ERROR, AK_ERROR_BAD_BASE64)
      && !g_error_matches (error, AK_ERROR, AK_ERROR_BAD_COMPRESSION)
      && !g_error_matches (error, AK_ERROR, AK_ERROR_TRUNCATED))
    return FALSE;

  if (g_str_has_prefix (text, "006") && length < 3 + AK_APP_ID_LENGTH)
    {
      *message = g_strdup_printf (_("The token was cut short: it has %zu characters, too few "
                                    "even for the version and App ID (35). Copy the whole "
                                    "token again."), length);
      return TRUE;
    }

  body = length - (g_str_has_prefix (text, "006") ? 3 + AK_APP_ID_LENGTH : 3);
  if (body % 4 != 0)
    {
      *message = g_strdup_printf (_("The token was cut short: it has %zu characters, but its "
                                    "base64 part (%zu characters) is not a multiple of 4, so at "
                                    "least %zu characters are missing (%zu or more expected). "
                                    "Copy the whole token again."),
                                  length, body, 4 - body % 4, length + 4 - body % 4);
      return TRUE;
    }
  if (!g_error_matches (error, AK_ERROR, AK_ERROR_BAD_BASE64))
    {
      *message = g_strdup_printf (_("The token was cut short: its %zu characters decode, but "
                                    "the data inside ends early (%s). Copy the whole token "
                                    "again."), length, error->message);
      return TRUE;
    }
  return FALSE;
}

/* --- Checks --- */

static void
find_services (Doctor *doctor)
{
  if (ak_token_get_version (doctor->token) != AK_TOKEN_VERSION_007)
    return;
  for (guint i = 0; i < ak_token_get_n_services (doctor->token); i++)
    {
      const AkService *service = ak_token_get_service (doctor->token, i);

      if (service->type == AK_SERVICE_RTC && doctor->rtc == NULL)
        doctor->rtc = service;
      else if ((service->type == AK_SERVICE_RTM || service->type == AK_SERVICE_RTM2)
               && doctor->rtm == NULL)
        doctor->rtm = service;
      else if (service->type == AK_SERVICE_CHAT && doctor->chat == NULL)
        doctor->chat = service;
    }
}

static gboolean
has_privilege_006 (Doctor *doctor,
                   guint16 id)
{
  GArray *privileges = ak_token_get_privileges_006 (doctor->token);

  for (guint i = 0; privileges != NULL && i < privileges->len; i++)
    if (g_array_index (privileges, AkPrivilege, i).id == id)
      return TRUE;
  return FALSE;
}

static void
check_version (Doctor *doctor)
{
  AkDoctorProduct product = doctor->input->product;
  AkDoctorFinding *finding;

  if (ak_token_get_version (doctor->token) != AK_TOKEN_VERSION_006)
    return;
  if (product != AK_DOCTOR_PRODUCT_CONVOAI && product != AK_DOCTOR_PRODUCT_STT
      && product != AK_DOCTOR_PRODUCT_RTM)
    return;

  finding = add_finding (doctor, AK_DOCTOR_VERSION_006_NOT_ACCEPTED, AK_DOCTOR_SEVERITY_EXPLAINS,
                         g_strdup_printf (_("This is a legacy 006 token, and %s accepts only "
                                            "AccessToken2 (007) tokens."),
                                          product == AK_DOCTOR_PRODUCT_RTM
                                          ? _("Signaling (RTM 2.x)")
                                          : product == AK_DOCTOR_PRODUCT_CONVOAI
                                          ? _("the Conversational AI Engine")
                                          : _("Real-time Speech-to-Text")),
                         _("Build a 007 token with the current token builders "
                           "(AccessToken2)."));
  finding_add_evidence (finding, _("Version"), "006", "007");
  set_regenerate (doctor, finding, regenerate_kind (doctor));
}

static void
check_app_id (Doctor    *doctor,
              GPtrArray *candidates)
{
  const char *app_id = ak_token_get_app_id (doctor->token);
  const char *used = doctor->input->app_id;

  if (used != NULL && used[0] != '\0')
    {
      g_autofree char *stripped = g_strstrip (g_strdup (used));

      if (g_strcmp0 (stripped, app_id) != 0)
        {
          gboolean only_case = g_ascii_strcasecmp (stripped, app_id) == 0;
          AkDoctorFinding *finding =
            add_finding (doctor, AK_DOCTOR_APP_ID_MISMATCH,
                         only_case ? AK_DOCTOR_SEVERITY_LIKELY : AK_DOCTOR_SEVERITY_EXPLAINS,
                         g_strdup (only_case
                                   ? _("The token's App ID differs from the client's only in "
                                       "upper and lower case; the server compares them as "
                                       "text.")
                                   : _("The token was made for another App ID than the one "
                                       "the client initialised the SDK with.")),
                         _("Initialise the client with the token's App ID, or build the token "
                           "with the App ID and certificate of the client's project."));

          finding_add_evidence (finding, _("App ID"), app_id, stripped);
        }
    }

  if (candidates != NULL)
    {
      for (guint i = 0; i < candidates->len; i++)
        {
          AkDoctorCandidate *candidate = g_ptr_array_index (candidates, i);

          if (g_ascii_strcasecmp (candidate->app_id, app_id) == 0)
            return;
        }
      {
        AkDoctorFinding *finding =
          add_finding (doctor, AK_DOCTOR_APP_ID_UNKNOWN, AK_DOCTOR_SEVERITY_WARNING,
                       g_strdup (_("No stored project has the token's App ID, so its signature "
                                   "could not be checked.")),
                       _("Check that the token comes from the project you think: add that "
                         "project (with its certificate) to check the signature."));

        finding_add_evidence (finding, _("App ID"), app_id, NULL);
      }
    }
}

static gboolean
crc_matches (const char *text,
             guint32     crc)
{
  return (guint32) crc32 (0, (const Bytef *) text, (uInt) strlen (text)) == crc;
}

/* 006 holds CRC-32s of the channel and uid: compare without any certificate. Returns FALSE
 * when the client's channel or uid is not the token's. */
static gboolean
check_checksums_006 (Doctor *doctor)
{
  const AkDoctorInput *input = doctor->input;
  const char *channel = input->channel;
  gboolean channel_ok, uid_ok;
  AkDoctorFinding *finding;

  if (ak_token_get_version (doctor->token) != AK_TOKEN_VERSION_006)
    return TRUE;
  if (channel == NULL || doctor->client_uid == NULL)
    return TRUE;

  channel_ok = crc_matches (channel, ak_token_get_crc_channel_name (doctor->token));
  uid_ok = crc_matches (doctor->client_uid, ak_token_get_crc_uid (doctor->token));
  if (channel_ok && uid_ok)
    return TRUE;

  finding = add_finding (doctor, AK_DOCTOR_CHECKSUM_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
                         g_strdup (!channel_ok && !uid_ok
                                   ? _("This 006 token was made for another channel name and "
                                       "another uid: neither checksum matches.")
                                   : !channel_ok
                                   ? _("This 006 token was made for another channel name: "
                                       "its checksum does not match the channel joined.")
                                   : _("This 006 token was made for another uid: its checksum "
                                       "does not match the uid or account joined with.")),
                         _("Join with the channel name and uid the token was made for, or build "
                           "a token for these (a 006 token cannot say which it was made for)."));
  if (!channel_ok)
    {
      g_autofree char *crc = g_strdup_printf ("CRC-32 %u",
                                              ak_token_get_crc_channel_name (doctor->token));
      g_autofree char *used = g_strdup_printf ("%s (CRC-32 %u)", channel,
                                               (guint32) crc32 (0, (const Bytef *) channel,
                                                                (uInt) strlen (channel)));

      finding_add_evidence (finding, _("Channel"), crc, used);
    }
  if (!uid_ok)
    {
      g_autofree char *crc = g_strdup_printf ("CRC-32 %u", ak_token_get_crc_uid (doctor->token));
      g_autofree char *used =
        g_strdup_printf ("“%s” (CRC-32 %u)", doctor->client_uid,
                         (guint32) crc32 (0, (const Bytef *) doctor->client_uid,
                                          (uInt) strlen (doctor->client_uid)));

      finding_add_evidence (finding, _("UID"), crc, used);
    }
  set_regenerate (doctor, finding, AK_TOKEN_KIND_RTC006);
  return FALSE;
}

static gboolean
verify_with (Doctor     *doctor,
             const char *certificate)
{
  AkVerification verification = { 0 };
  g_autoptr(GError) error = NULL;
  const char *channel = NULL;

  if (certificate == NULL || certificate[0] == '\0')
    return FALSE;
  if (ak_token_get_version (doctor->token) == AK_TOKEN_VERSION_006)
    channel = doctor->input->channel;
  return ak_token_verify (doctor->token, certificate, channel, doctor->client_uid,
                          &verification, &error)
         && verification.signature == AK_SIGNATURE_VALID;
}

static void
check_certificates (Doctor            *doctor,
                    GPtrArray         *candidates,
                    AkDoctorDiagnosis *diagnosis)
{
  const char *app_id = ak_token_get_app_id (doctor->token);
  AkDoctorCandidate *project = NULL;
  AkDoctorFinding *finding;

  if (candidates == NULL)
    return;
  for (guint i = 0; i < candidates->len && project == NULL; i++)
    {
      AkDoctorCandidate *candidate = g_ptr_array_index (candidates, i);

      if (g_ascii_strcasecmp (candidate->app_id, app_id) == 0)
        project = candidate;
    }
  if (project == NULL)
    return;
  diagnosis->project_label = g_strdup (project->label);
  if (project->primary_certificate == NULL)
    return;

  /* The 006 signature covers the channel and uid: without them it cannot be checked. */
  if (ak_token_get_version (doctor->token) == AK_TOKEN_VERSION_006
      && (doctor->input->channel == NULL || doctor->client_uid == NULL))
    return;

  if (verify_with (doctor, project->primary_certificate))
    {
      diagnosis->certificate = AK_CERTIFICATE_PRIMARY;
      return;
    }
  if (verify_with (doctor, project->secondary_certificate))
    {
      diagnosis->certificate = AK_CERTIFICATE_SECONDARY;
      finding = add_finding (doctor, AK_DOCTOR_CERTIFICATE_SECONDARY, AK_DOCTOR_SEVERITY_INFO,
                             g_strdup_printf (_("Signed with the secondary certificate of "
                                                "“%s”."), project->label),
                             _("Tokens stop working when that certificate is deleted or "
                               "disabled in Agora Console: move your token server to the "
                               "primary certificate first."));
      return;
    }

  if (project->secondary_certificate == NULL && project->secondary_removed)
    {
      finding = add_finding (doctor, AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED,
                             AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup_printf (_("The token matches no certificate of “%s”, "
                                                "which had a secondary certificate that was "
                                                "removed: it was most likely signed with that "
                                                "one."), project->label),
                             _("Tokens signed with a removed certificate are rejected. Build "
                               "tokens with the primary certificate, and update every token "
                               "server that still uses the old one."));
    }
  else
    {
      finding = add_finding (doctor, AK_DOCTOR_CERTIFICATE_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup_printf (project->secondary_certificate == NULL
                                              ? _("The token was not signed with the "
                                                  "certificate of “%s” (it has no secondary "
                                                  "one: if it had one that was removed, the "
                                                  "token was probably signed with that).")
                                              : _("The token was signed with neither the "
                                                  "primary nor the secondary certificate of "
                                                  "“%s”."),
                                              project->label),
                             _("Build the token with this project's certificate; check that "
                               "your token server uses the App ID and certificate of the same "
                               "project, and that the token was not changed after it was "
                               "made."));
    }
  set_regenerate (doctor, finding, regenerate_kind (doctor));
}

/* Which privileges the client's use needs: RTC join, and publishing for a publisher. */
static gboolean
privilege_matters (Doctor      *doctor,
                   guint16      service_type,
                   guint16      privilege_id)
{
  AkDoctorProduct product = doctor->input->product;

  switch (service_type)
    {
    case AK_SERVICE_RTC:
      if (product != AK_DOCTOR_PRODUCT_RTC && product != AK_DOCTOR_PRODUCT_ANY
          && product != AK_DOCTOR_PRODUCT_CONVOAI && product != AK_DOCTOR_PRODUCT_STT)
        return FALSE;
      return privilege_id == AK_PRIV_RTC_JOIN_CHANNEL
             || doctor->input->role == AK_DOCTOR_ROLE_PUBLISHER;
    case AK_SERVICE_RTM:
    case AK_SERVICE_RTM2:
      return product == AK_DOCTOR_PRODUCT_RTM || product == AK_DOCTOR_PRODUCT_ANY;
    case AK_SERVICE_CHAT:
      return product == AK_DOCTOR_PRODUCT_CHAT || product == AK_DOCTOR_PRODUCT_ANY;
    default:
      return product == AK_DOCTOR_PRODUCT_ANY;
    }
}

static void
check_times_007 (Doctor *doctor)
{
  AkToken *token = doctor->token;
  gint64 issued = ak_token_get_issue_ts (token);
  guint32 expire = ak_token_get_expire (token);
  gint64 expires_at = issued + expire;
  AkDoctorFinding *finding;

  if (issued > doctor->now + FUTURE_TOLERANCE_SECONDS)
    {
      g_autofree char *ahead = format_seconds (issued - doctor->now);
      g_autofree char *issued_text = ak_format_local_time (issued);
      g_autofree char *now_text = ak_format_local_time (doctor->now);

      finding = add_finding (doctor, AK_DOCTOR_ISSUED_IN_FUTURE, AK_DOCTOR_SEVERITY_LIKELY,
                             g_strdup_printf (_("The token was issued %s in the future: the "
                                                "clock of the machine that built it is ahead."),
                                              ahead),
                             _("Set the token server's clock right (use NTP); a token is "
                               "not valid before its issue time."));
      finding_add_evidence (finding, _("Issued"), issued_text, now_text);
      set_regenerate (doctor, finding, regenerate_kind (doctor));
    }

  if (expire >= LOOKS_ABSOLUTE_SECONDS)
    {
      g_autofree char *value = g_strdup_printf ("%u", expire);
      g_autofree char *meant = g_strdup_printf ("%" G_GINT64_FORMAT " s",
                                                (gint64) expire - issued);

      finding = add_finding (doctor, AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE, AK_DOCTOR_SEVERITY_LIKELY,
                             g_strdup (_("The token's lifetime is a unix timestamp: 007 tokens "
                                         "count seconds from the issue time, so this one claims "
                                         "to last decades, far over the 24 h maximum.")),
                             _("Pass the lifetime in seconds (3600 for an hour), not "
                               "now + seconds."));
      finding_add_evidence (finding, _("Token lifetime"), value, meant);
      set_regenerate (doctor, finding, regenerate_kind (doctor));
    }
  else if (expires_at <= doctor->now)
    {
      g_autofree char *ago = format_seconds (doctor->now - expires_at);
      g_autofree char *at = ak_format_local_time (expires_at);
      g_autofree char *now_text = ak_format_local_time (doctor->now);

      finding = add_finding (doctor, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup_printf (_("The token expired %s ago."), ago),
                             _("Get a new token before joining, and renew it before it "
                               "expires (the SDKs warn 30 s ahead)."));
      finding_add_evidence (finding, _("Token expires"), at, now_text);
      set_regenerate (doctor, finding, regenerate_kind (doctor));
    }
  else if (expires_at - doctor->now < doctor->session - EXPIRES_SOON_GRACE)
    {
      g_autofree char *left = format_seconds (expires_at - doctor->now);
      g_autofree char *session = format_seconds (doctor->session);

      finding = add_finding (doctor, AK_DOCTOR_EXPIRES_SOON, AK_DOCTOR_SEVERITY_WARNING,
                             g_strdup_printf (_("The token expires in %s, before a session of "
                                                "%s ends."), left, session),
                             _("Renew the token when the SDK says it will expire, or build it "
                               "with a longer lifetime (at most 24 h)."));
      finding_add_evidence (finding, _("Token"), left, session);
      set_regenerate (doctor, finding, regenerate_kind (doctor));
    }

  for (guint i = 0; i < ak_token_get_n_services (token); i++)
    {
      const AkService *service = ak_token_get_service (token, i);

      for (guint j = 0; service->privileges != NULL && j < service->privileges->len; j++)
        {
          const AkPrivilege *privilege = &g_array_index (service->privileges, AkPrivilege, j);
          const char *service_name = ak_service_type_to_name (service->type);
          const char *name = ak_service_privilege_name (service->type, privilege->id);
          g_autofree char *label = g_strdup_printf ("%s · %s",
                                                    service_name ? service_name : "?",
                                                    name ? name : "?");
          gint64 at = issued + privilege->value;
          gboolean matters = privilege_matters (doctor, service->type, privilege->id);
          g_autofree char *value = g_strdup_printf ("%u", privilege->value);

          if (privilege->value >= LOOKS_ABSOLUTE_SECONDS)
            {
              finding = add_finding (doctor, AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE,
                                     matters ? AK_DOCTOR_SEVERITY_LIKELY
                                             : AK_DOCTOR_SEVERITY_WARNING,
                                     g_strdup_printf (_("The privilege %s expires at a unix "
                                                        "timestamp counted from the issue "
                                                        "time: 007 privileges count seconds "
                                                        "from the issue time."), label),
                                     _("Pass privilege lifetimes in seconds (3600 for an "
                                       "hour), not now + seconds."));
              finding_add_evidence (finding, label, value, NULL);
              set_regenerate (doctor, finding, regenerate_kind (doctor));
              continue;
            }
          if (at <= doctor->now && !(service->type == AK_SERVICE_FPA))
            {
              g_autofree char *ago = format_seconds (doctor->now - at);
              g_autofree char *at_text = ak_format_local_time (at);

              finding = add_finding (doctor, AK_DOCTOR_PRIVILEGE_EXPIRED,
                                     matters ? AK_DOCTOR_SEVERITY_EXPLAINS
                                             : AK_DOCTOR_SEVERITY_WARNING,
                                     privilege->value == 0
                                     ? g_strdup_printf (_("The privilege %s has the value 0, so "
                                                          "it expired at the issue time: 0 is "
                                                          "the official builders' default for "
                                                          "privilege_expire."), label)
                                     : g_strdup_printf (_("The privilege %s expired %s ago, "
                                                          "although the token itself may still "
                                                          "be valid."), label, ago),
                                     _("Give the privileges a lifetime as long as the token's "
                                       "(privilege_expire = token_expire)."));
              finding_add_evidence (finding, label, at_text, NULL);
              set_regenerate (doctor, finding, regenerate_kind (doctor));
            }
          else if (privilege->value > expire && expire < LOOKS_ABSOLUTE_SECONDS)
            {
              g_autofree char *token_value = g_strdup_printf ("%u", expire);

              finding = add_finding (doctor, AK_DOCTOR_PRIVILEGE_OUTLIVES_TOKEN,
                                     AK_DOCTOR_SEVERITY_INFO,
                                     g_strdup_printf (_("The privilege %s lasts longer than the "
                                                        "token: the token's own expiry ends it "
                                                        "first."), label),
                                     _("Renew before the token expires; make the privilege and "
                                       "the token last equally long."));
              finding_add_evidence (finding, label, value, token_value);
            }
          else if (matters && at > doctor->now
                   && at - doctor->now < doctor->session - EXPIRES_SOON_GRACE
                   && expires_at > at && !has_finding (doctor, AK_DOCTOR_EXPIRES_SOON))
            {
              g_autofree char *left = format_seconds (at - doctor->now);
              g_autofree char *session = format_seconds (doctor->session);

              finding = add_finding (doctor, AK_DOCTOR_EXPIRES_SOON, AK_DOCTOR_SEVERITY_WARNING,
                                     g_strdup_printf (_("The privilege %s expires in %s, before "
                                                        "a session of %s ends."),
                                                      label, left, session),
                                     _("Renew the token in time, or build it with longer "
                                       "privileges."));
              finding_add_evidence (finding, label, left, session);
              set_regenerate (doctor, finding, regenerate_kind (doctor));
            }
        }
    }
}

static void
check_times_006 (Doctor *doctor)
{
  gint64 expires_at = ak_token_get_ts (doctor->token);
  GArray *privileges = ak_token_get_privileges_006 (doctor->token);
  AkDoctorFinding *finding;

  if (expires_at <= doctor->now)
    {
      g_autofree char *ago = format_seconds (doctor->now - expires_at);
      g_autofree char *at = ak_format_local_time (expires_at);

      finding = add_finding (doctor, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup_printf (_("The token expired %s ago."), ago),
                             _("Get a new token before joining."));
      finding_add_evidence (finding, _("Token expires"), at, NULL);
      set_regenerate (doctor, finding, AK_TOKEN_KIND_RTC006);
    }

  for (guint i = 0; privileges != NULL && i < privileges->len; i++)
    {
      const AkPrivilege *privilege = &g_array_index (privileges, AkPrivilege, i);
      const char *name = ak_privilege006_name (privilege->id);
      g_autofree char *value = g_strdup_printf ("%u", privilege->value);

      /* 0 means "never"; anything else is an absolute time. */
      if (privilege->value == 0 || privilege->value > doctor->now)
        continue;
      finding = add_finding (doctor, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS,
                             privilege->value < LOOKS_ABSOLUTE_SECONDS
                             ? g_strdup_printf (_("The privilege %s expired in 1970: 006 "
                                                  "tokens hold absolute unix times, and %u "
                                                  "looks like seconds from now."),
                                                name ? name : "?", privilege->value)
                             : g_strdup_printf (_("The privilege %s has expired."),
                                                name ? name : "?"),
                             _("006 privileges take a unix time: now + seconds (or 0 for "
                               "never)."));
      finding_add_evidence (finding, name ? name : "?", value, NULL);
      set_regenerate (doctor, finding, AK_TOKEN_KIND_RTC006);
    }
}

static gboolean
channel_char_allowed (guchar c)
{
  /* Agora's 89 characters: letters, digits, space and these. */
  return g_ascii_isalnum (c) || (c != '\0' && strchr (" !#$%&()+-:;<=.>?@[]^_{}|~,", c) != NULL);
}

static void
check_channel_rules (Doctor     *doctor,
                     const char *channel,
                     const char *whose)
{
  AkDoctorFinding *finding;
  gsize length = strlen (channel);

  if (length > CHANNEL_MAX_BYTES)
    {
      g_autofree char *bytes = g_strdup_printf ("%zu", length);

      finding = add_finding (doctor, AK_DOCTOR_CHANNEL_TOO_LONG, AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup_printf (_("The %s channel name is %zu bytes long; Agora "
                                                "allows at most 64."), whose, length),
                             _("Use a shorter channel name (64 bytes at most)."));
      finding_add_evidence (finding, _("Channel length"), bytes, "64");
      return;
    }
  for (gsize i = 0; i < length; i++)
    if (!channel_char_allowed ((guchar) channel[i]))
      {
        g_autofree char *position = g_strdup_printf ("%zu", i + 1);

        finding = add_finding (doctor, AK_DOCTOR_CHANNEL_INVALID_CHARACTERS,
                               AK_DOCTOR_SEVERITY_EXPLAINS,
                               g_strdup_printf (_("The %s channel name has a character Agora "
                                                  "does not allow, at byte %zu: only ASCII "
                                                  "letters, digits, space and "
                                                  "!#$%%&()+-:;<=.>?@[]^_{}|~, are allowed."),
                                                whose, i + 1),
                               _("Use only the allowed characters in channel names."));
        finding_add_evidence (finding, _("Channel byte"), position, NULL);
        return;
      }
}

static void
check_channel (Doctor *doctor)
{
  const char *used = doctor->input->channel;
  const char *in_token;
  const char *id;
  AkDoctorFinding *finding;
  char *verdict;

  if (doctor->rtc == NULL || doctor->rtc->channel_name == NULL)
    return;
  in_token = doctor->rtc->channel_name;
  if (used == NULL || g_str_equal (used, in_token))
    {
      check_channel_rules (doctor, in_token, _("token's"));
      return;
    }

  {
    g_autofree char *used_stripped = g_strstrip (g_strdup (used));
    g_autofree char *token_stripped = g_strstrip (g_strdup (in_token));
    g_autofree char *used_fold = g_utf8_casefold (used, -1);
    g_autofree char *token_fold = g_utf8_casefold (in_token, -1);
    g_autofree char *used_nfc = g_utf8_normalize (used, -1, G_NORMALIZE_NFC);
    g_autofree char *token_nfc = g_utf8_normalize (in_token, -1, G_NORMALIZE_NFC);

    if (g_str_equal (used_stripped, token_stripped))
      {
        id = AK_DOCTOR_CHANNEL_WHITESPACE;
        verdict = g_strdup (_("The channel names differ only in spaces at the start or end: "
                              "the server compares them byte for byte."));
      }
    else if (used_nfc != NULL && token_nfc != NULL && g_str_equal (used_nfc, token_nfc))
      {
        id = AK_DOCTOR_CHANNEL_NORMALIZATION;
        verdict = g_strdup (_("The channel names look the same but are written with different "
                              "Unicode forms (composed NFC vs decomposed NFD): the server "
                              "compares bytes."));
      }
    else if (g_str_equal (used_fold, token_fold))
      {
        id = AK_DOCTOR_CHANNEL_CASE;
        verdict = g_strdup (_("The channel names differ only in upper and lower case: channel "
                              "names are case-sensitive."));
      }
    else
      {
        id = AK_DOCTOR_CHANNEL_MISMATCH;
        verdict = g_strdup (_("The token was made for another channel than the one the client "
                              "joined."));
      }
  }
  finding = add_finding (doctor, id, AK_DOCTOR_SEVERITY_EXPLAINS, verdict,
                         _("Join the exact channel name the token was made for, or build the "
                           "token for the channel joined."));
  finding_add_evidence (finding, _("Channel"), in_token, used);
  set_regenerate (doctor, finding, regenerate_kind (doctor));

  /* The difference comes first; a name the server refuses anyway comes after it. */
  check_channel_rules (doctor, in_token, _("token's"));
  if (!has_finding (doctor, AK_DOCTOR_CHANNEL_TOO_LONG)
      && !has_finding (doctor, AK_DOCTOR_CHANNEL_INVALID_CHARACTERS))
    check_channel_rules (doctor, used, _("client's"));
}

static gboolean
is_decimal_uid (const char *text)
{
  guint64 value;

  if (text[0] == '\0' || (text[0] == '0' && text[1] != '\0'))
    return FALSE;
  return g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL);
}

static void
check_uid (Doctor *doctor)
{
  const AkDoctorInput *input = doctor->input;
  const char *in_token;
  const char *used = doctor->client_uid;
  AkDoctorFinding *finding;
  g_autofree char *used_text = NULL;

  if (doctor->rtc == NULL || doctor->rtc->uid == NULL)
    return;
  if (input->product != AK_DOCTOR_PRODUCT_RTC && input->product != AK_DOCTOR_PRODUCT_ANY)
    return;
  in_token = doctor->rtc->uid;

  if (in_token[0] == '\0')
    {
      finding = add_finding (doctor, AK_DOCTOR_UID_ZERO, AK_DOCTOR_SEVERITY_INFO,
                             g_strdup (_("The token was made for uid 0: it is stored empty and "
                                         "lets a client join with any integer uid. A string "
                                         "account “0” would be a different token.")),
                             _("Nothing to fix, unless each user should need a token of "
                               "their own."));
      finding_add_evidence (finding, _("UID"), _("(empty: uid 0)"), used);
      return;
    }
  if (used == NULL)
    return;

  used_text = input->has_uid ? g_strdup_printf (_("integer uid %u"), input->uid)
                             : g_strdup_printf (_("account “%s”"), input->account);

  if (input->has_uid && input->uid == 0)
    {
      finding = add_finding (doctor, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup (_("The client joined with uid 0, which asks the server "
                                         "to pick a uid, but the token was made for one "
                                         "particular uid.")),
                             _("Join with the uid the token was made for, or build the token "
                               "with uid 0 so that any uid may use it."));
      finding_add_evidence (finding, _("UID"), in_token, used_text);
      set_regenerate (doctor, finding, regenerate_kind (doctor));
      return;
    }

  if (g_str_equal (in_token, used))
    {
      if (!input->has_uid && is_decimal_uid (used))
        {
          g_autofree char *as_uid = g_strdup_printf (_("integer uid %s"), used);

          finding = add_finding (doctor, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_SEVERITY_WARNING,
                                 g_strdup_printf (_("The client joins with the string account "
                                                    "“%s”, which looks like an integer uid: "
                                                    "the SDK maps an account to another "
                                                    "integer uid, so users joining with "
                                                    "integer uid %s are someone else."),
                                                  used, used),
                                 _("Use one kind of identity in the whole app: integer uids "
                                   "with joinChannel, or accounts with "
                                   "joinChannelWithUserAccount, and build tokens the same "
                                   "way."));
          finding_add_evidence (finding, _("UID"), in_token, as_uid);
        }
      return;
    }

  if (input->has_uid && !is_decimal_uid (in_token))
    {
      finding = add_finding (doctor, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup_printf (_("The token was made for the string account "
                                                "“%s”, but the client joined with an integer "
                                                "uid."), in_token),
                             _("Join with joinChannelWithUserAccount and this account, or build "
                               "the token with the integer uid."));
    }
  else
    finding = add_finding (doctor, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
                           g_strdup (_("The token was made for another uid or account than the "
                                       "one the client joined with.")),
                           _("Join with the uid or account the token was made for, or build "
                             "the token for the one the client uses."));
  finding_add_evidence (finding, _("UID"), in_token, used_text);
  set_regenerate (doctor, finding, regenerate_kind (doctor));
}

static void
check_user_id (Doctor *doctor)
{
  const AkDoctorInput *input = doctor->input;
  const AkService *service = NULL;
  AkDoctorFinding *finding;

  if (input->product == AK_DOCTOR_PRODUCT_RTM)
    service = doctor->rtm;
  else if (input->product == AK_DOCTOR_PRODUCT_CHAT)
    service = doctor->chat;
  if (service == NULL || service->user_id == NULL || input->has_uid || input->account == NULL)
    return;
  if (service->user_id[0] == '\0' || g_str_equal (service->user_id, input->account))
    return;

  finding = add_finding (doctor, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
                         g_strdup (_("The token was made for another user ID than the one the "
                                     "client logged in with.")),
                         _("Log in with the user ID the token was made for, or build the token "
                           "for this user."));
  finding_add_evidence (finding, _("User ID"), service->user_id, input->account);
  set_regenerate (doctor, finding, regenerate_kind (doctor));
}

static void
check_service (Doctor *doctor)
{
  const AkDoctorInput *input = doctor->input;
  gboolean is_006 = ak_token_get_version (doctor->token) == AK_TOKEN_VERSION_006;
  AkDoctorFinding *finding = NULL;
  const char *needed = NULL;
  gboolean present = TRUE;

  switch (input->product)
    {
    case AK_DOCTOR_PRODUCT_RTC:
    case AK_DOCTOR_PRODUCT_CONVOAI:
    case AK_DOCTOR_PRODUCT_STT:
      needed = "RTC";
      present = is_006 ? has_privilege_006 (doctor, AK_PRIV006_JOIN_CHANNEL)
                       : doctor->rtc != NULL;
      break;
    case AK_DOCTOR_PRODUCT_RTM:
      needed = "RTM";
      present = is_006 ? has_privilege_006 (doctor, AK_PRIV006_RTM_LOGIN)
                       : doctor->rtm != NULL;
      break;
    case AK_DOCTOR_PRODUCT_CHAT:
      needed = "Chat";
      present = !is_006 && doctor->chat != NULL;
      break;
    case AK_DOCTOR_PRODUCT_ANY:
    default:
      return;
    }

  if (!present)
    {
      GString *has = g_string_new (NULL);

      if (is_006)
        g_string_append (has, has_privilege_006 (doctor, AK_PRIV006_RTM_LOGIN) ? "RTM (006)"
                                                                               : "RTC (006)");
      for (guint i = 0; !is_006 && i < ak_token_get_n_services (doctor->token); i++)
        {
          const char *name = ak_service_type_to_name (ak_token_get_service (doctor->token,
                                                                            i)->type);

          g_string_append_printf (has, "%s%s", has->len > 0 ? ", " : "", name ? name : "?");
        }
      finding = add_finding (doctor, AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup_printf (_("The token has no %s privileges, which %s "
                                                "needs: it was made for another product "
                                                "(an RTC token used for Signaling, a Signaling "
                                                "token for RTC, a Console temporary token for "
                                                "Signaling, …)."), needed,
                                              ak_doctor_product_to_name (input->product)),
                             _("Build the token with the builder for this product."));
      finding_add_evidence (finding, _("Services"), has->str, needed);
      g_string_free (has, TRUE);
      set_regenerate (doctor, finding, regenerate_kind (doctor));
      return;
    }

  if (input->product == AK_DOCTOR_PRODUCT_CHAT && doctor->chat->user_id != NULL)
    {
      gboolean app_token = doctor->chat->user_id[0] == '\0';
      gboolean wants_user = !input->has_uid && input->account != NULL;

      if (!app_token && !wants_user)
        {
          finding = add_finding (doctor, AK_DOCTOR_CHAT_USER_TOKEN_AS_APP,
                                 AK_DOCTOR_SEVERITY_EXPLAINS,
                                 g_strdup_printf (_("This is a Chat user token (for “%s”), "
                                                    "used where an app token is needed: Chat "
                                                    "REST calls need an app token."),
                                                  doctor->chat->user_id),
                                 _("Build a Chat app token for REST calls; keep user tokens for "
                                   "SDK logins."));
          finding_add_evidence (finding, _("Chat token"), _("user"), _("app"));
          set_regenerate (doctor, finding, AK_TOKEN_KIND_CHAT_APP);
        }
      else if (app_token && wants_user)
        {
          finding = add_finding (doctor, AK_DOCTOR_CHAT_APP_TOKEN_AS_USER,
                                 AK_DOCTOR_SEVERITY_EXPLAINS,
                                 g_strdup (_("This is a Chat app token, used to log a user "
                                             "in: SDK logins need a user token for that "
                                             "user.")),
                                 _("Build a Chat user token for this user ID."));
          finding_add_evidence (finding, _("Chat token"), _("app"), _("user"));
          set_regenerate (doctor, finding, AK_TOKEN_KIND_CHAT_USER);
        }
    }
}

static void
check_role (Doctor *doctor)
{
  gboolean is_006 = ak_token_get_version (doctor->token) == AK_TOKEN_VERSION_006;
  gboolean audio, video;
  AkDoctorFinding *finding;

  if (doctor->input->role != AK_DOCTOR_ROLE_PUBLISHER)
    return;
  if (is_006)
    {
      audio = has_privilege_006 (doctor, AK_PRIV006_PUBLISH_AUDIO);
      video = has_privilege_006 (doctor, AK_PRIV006_PUBLISH_VIDEO);
    }
  else if (doctor->rtc != NULL)
    {
      audio = ak_service_get_privilege (doctor->rtc, AK_PRIV_RTC_PUBLISH_AUDIO, NULL);
      video = ak_service_get_privilege (doctor->rtc, AK_PRIV_RTC_PUBLISH_VIDEO, NULL);
    }
  else
    return;
  if (audio || video)
    return;

  finding = add_finding (doctor, AK_DOCTOR_ROLE_NO_PUBLISH, AK_DOCTOR_SEVERITY_LIKELY,
                         g_strdup (_("The client publishes, but the token is a subscriber "
                                     "token: it has no publish privileges. With strict token "
                                     "permission (co-host authentication) on for the project, "
                                     "the server refuses to let it publish; without it, the "
                                     "role in the token is not enforced.")),
                         _("Build the token with the publisher role for clients that publish."));
  finding_add_evidence (finding, _("Role"), _("subscriber (join only)"), _("publisher"));
  set_regenerate (doctor, finding, regenerate_kind (doctor));
}

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

static gboolean
check_convoai_body (Doctor  *doctor,
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
      finding = add_finding (doctor, AK_DOCTOR_CONVOAI_CHANNEL_MISMATCH,
                             AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup (_("The request's properties.channel is not the channel "
                                         "the token was made for.")),
                             _("Build the agent's token for properties.channel."));
      finding_add_evidence (finding, _("Channel"), doctor->rtc->channel_name, channel);
    }

  if (agent_uid != NULL && doctor->rtc->uid != NULL)
    {
      const char *in_token = doctor->rtc->uid[0] == '\0' ? "0" : doctor->rtc->uid;

      if (!g_str_equal (agent_uid, in_token) && doctor->rtc->uid[0] != '\0')
        {
          finding = add_finding (doctor, AK_DOCTOR_CONVOAI_UID_MISMATCH,
                                 AK_DOCTOR_SEVERITY_EXPLAINS,
                                 g_strdup (_("The request's properties.agent_rtc_uid is not the "
                                             "uid the token was made for.")),
                                 _("Build the agent's token for properties.agent_rtc_uid."));
          finding_add_evidence (finding, _("Agent uid"), in_token, agent_uid);
        }
      if (!is_decimal_uid (agent_uid) && !g_str_equal (agent_uid, "0") && !string_uid)
        {
          finding = add_finding (doctor, AK_DOCTOR_CONVOAI_STRING_UID,
                                 AK_DOCTOR_SEVERITY_EXPLAINS,
                                 g_strdup_printf (_("The agent's uid “%s” is a string account, "
                                                    "but enable_string_uid is not true."),
                                                  agent_uid),
                                 _("Set properties.enable_string_uid to true, or use an "
                                   "integer agent_rtc_uid."));
          finding_add_evidence (finding, "enable_string_uid", NULL, "false");
        }
      else if (string_uid && !uid_is_string)
        {
          finding = add_finding (doctor, AK_DOCTOR_CONVOAI_STRING_UID,
                                 AK_DOCTOR_SEVERITY_LIKELY,
                                 g_strdup (_("enable_string_uid is true, but agent_rtc_uid is a "
                                             "number: with string uids it must be a string, "
                                             "and the token built with that account.")),
                                 _("Send agent_rtc_uid as a string, or set enable_string_uid "
                                   "to false."));
          finding_add_evidence (finding, "enable_string_uid", NULL, "true");
        }
    }
  return TRUE;
}

static gint
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const AkDoctorFinding *x = *(AkDoctorFinding * const *) a;
  const AkDoctorFinding *y = *(AkDoctorFinding * const *) b;

  if (x->severity != y->severity)
    return x->severity < y->severity ? -1 : 1;
  if (x->boosted != y->boosted)
    return x->boosted ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static void
rank (Doctor *doctor)
{
  const AkDoctorErrorCode *code = NULL;

  if (doctor->input->error_code != NULL)
    code = ak_token_doctor_lookup_error_code (doctor->input->error_code, doctor->input->product);
  if (code != NULL)
    for (guint i = 0; i < doctor->findings->len; i++)
      {
        AkDoctorFinding *finding = g_ptr_array_index (doctor->findings, i);

        for (guint j = 0; code->finding_ids[j] != NULL; j++)
          if (g_str_equal (code->finding_ids[j], finding->id))
            {
              finding->boosted = TRUE;
              /* What the server said settles a doubt: "expired" makes a likely expiry
               * cause an explanation. */
              if (finding->severity == AK_DOCTOR_SEVERITY_LIKELY)
                finding->severity = AK_DOCTOR_SEVERITY_EXPLAINS;
              break;
            }
      }
  g_ptr_array_sort (doctor->findings, compare_findings);
}

AkDoctorDiagnosis *
ak_token_doctor_diagnose (const AkDoctorInput *input,
                          GPtrArray           *candidates,
                          GError             **error)
{
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(AkToken) token = NULL;
  Repair repair = { NULL, NULL, 0 };
  Doctor doctor = { 0 };

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (input->token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* First as given: a token that parses needs no repair story. */
  token = ak_token_parse (input->token, &first_error);
  repair_text (input->token, &repair);
  if (token == NULL)
    {
      g_autoptr(GError) repaired_error = NULL;
      char *message = NULL;

      if (repair.removed->len > 0 || repair.spaces > 0)
        token = ak_token_parse (repair.text, &repaired_error);
      if (token == NULL)
        {
          const GError *shown = repaired_error != NULL ? repaired_error : first_error;

          if (looks_truncated (repair.text, shown, &message))
            g_set_error_literal (error, AK_ERROR, AK_ERROR_TRUNCATED, message);
          else
            g_propagate_error (error, g_error_copy (shown));
          g_free (message);
          ak_secret_string_free (repair.text);
          g_ptr_array_unref (repair.removed);
          return NULL;
        }
    }
  else
    {
      /* The parser already forgives quotes: still say they were there. */
      ak_secret_string_free (repair.text);
      repair.text = g_strdup (input->token);
      g_strstrip (repair.text);
      repair.spaces = 0;
      if (repair.removed->len > 0)
        {
          gsize start, end;

          ak_token_strip_text (input->token, &start, &end);
          ak_secret_string_free (repair.text);
          repair.text = g_strndup (input->token + start, end - start);
        }
    }

  diagnosis = g_new0 (AkDoctorDiagnosis, 1);
  g_atomic_ref_count_init (&diagnosis->ref_count);
  diagnosis->findings = g_list_store_new (AK_TYPE_DOCTOR_FINDING);
  diagnosis->token = ak_token_ref (token);
  diagnosis->token_text = g_steal_pointer (&repair.text);
  diagnosis->repaired = repair.removed->len > 0 || repair.spaces > 0;

  findings = g_ptr_array_new_with_free_func (g_object_unref);
  doctor.input = input;
  doctor.token = token;
  doctor.findings = findings;
  doctor.now = ak_clock_now_unix ();
  doctor.session = input->session_seconds > 0 ? input->session_seconds
                                              : AK_DOCTOR_DEFAULT_SESSION_SECONDS;
  if (input->has_uid)
    doctor.client_uid = input->uid == 0 ? g_strdup ("") : g_strdup_printf ("%u", input->uid);
  else if (input->account != NULL)
    doctor.client_uid = g_strdup (input->account);
  find_services (&doctor);

  if (repair.removed->len > 0)
    {
      GString *what = g_string_new (NULL);
      AkDoctorFinding *finding;

      for (guint i = 0; i < repair.removed->len; i++)
        g_string_append_printf (what, "%s%s", i > 0 ? ", " : "",
                                (const char *) g_ptr_array_index (repair.removed, i));
      finding = add_finding (&doctor, AK_DOCTOR_TOKEN_WRAPPED, AK_DOCTOR_SEVERITY_EXPLAINS,
                             g_strdup_printf (_("The token was pasted with more than the token: "
                                                "%s. The server takes those characters as part "
                                                "of the token."), what->str),
                             _("Pass the bare token, starting with 007 or 006, to the SDK; in "
                               "an Authorization header the scheme goes before it once."));
      finding_add_evidence (finding, _("Removed"), what->str, NULL);
      g_string_free (what, TRUE);
    }
  if (repair.spaces > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", repair.spaces);
      AkDoctorFinding *finding =
        add_finding (&doctor, AK_DOCTOR_TOKEN_REPAIRED_SPACES, AK_DOCTOR_SEVERITY_EXPLAINS,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "The token had %u space where a “+” was: "
                                                   "it went through a URL or form without "
                                                   "being encoded.",
                                                   "The token had %u spaces where “+” signs "
                                                   "were: it went through a URL or form "
                                                   "without being encoded.",
                                                   repair.spaces), repair.spaces),
                     _("URL-encode the token when it travels in a query string or form "
                       "(encodeURIComponent: “+” becomes “%2B”)."));
      finding_add_evidence (finding, _("Spaces turned back into “+”"), count, NULL);
    }
  g_ptr_array_unref (repair.removed);

  check_version (&doctor);
  check_app_id (&doctor, candidates);
  check_service (&doctor);
  if (ak_token_get_version (token) == AK_TOKEN_VERSION_006)
    {
      check_checksums_006 (&doctor);
      check_times_006 (&doctor);
    }
  else
    {
      check_times_007 (&doctor);
      check_channel (&doctor);
      check_uid (&doctor);
      check_user_id (&doctor);
    }
  check_role (&doctor);
  if (!has_finding (&doctor, AK_DOCTOR_CHECKSUM_MISMATCH))
    check_certificates (&doctor, candidates, diagnosis);
  if (!check_convoai_body (&doctor, error))
    {
      g_free (doctor.client_uid);
      return NULL;
    }
  rank (&doctor);

  g_list_store_splice (diagnosis->findings, 0, 0, findings->pdata, findings->len);
  g_free (doctor.client_uid);
  return g_steal_pointer (&diagnosis);
}

/* ---------------------------------------------------------------------------------------------
 * Reports
 */

static void
append_row (GString    *out,
            const char *label,
            const char *value)
{
  g_string_append_printf (out, "  %-16s %s\n", label, value);
}

char *
ak_token_doctor_report_text (AkDoctorDiagnosis *diagnosis,
                             gboolean           include_token)
{
  GString *out = g_string_new (NULL);
  AkToken *token;
  GListModel *model;
  g_autofree char *app_id = NULL;
  g_autofree char *signature_hex = NULL;
  g_autofree char *signature = NULL;

  g_return_val_if_fail (diagnosis != NULL, NULL);
  token = diagnosis->token;
  model = G_LIST_MODEL (diagnosis->findings);
  app_id = shorten (ak_token_get_app_id (token));
  signature_hex = ak_token_dup_signature_hex (token);
  signature = shorten (signature_hex);

  g_string_append (out, _("Agora Keys token report\n"));
  g_string_append (out, _("Token:\n"));
  append_row (out, _("Version"),
              ak_token_get_version (token) == AK_TOKEN_VERSION_006 ? "006" : "007");
  append_row (out, _("App ID"), app_id);
  append_row (out, _("Signature"), signature);
  if (ak_token_get_version (token) == AK_TOKEN_VERSION_007)
    {
      g_autofree char *issued = g_strdup_printf ("%u", ak_token_get_issue_ts (token));
      g_autofree char *expire = g_strdup_printf ("%u s", ak_token_get_expire (token));

      append_row (out, _("Issued"), issued);
      append_row (out, _("Lifetime"), expire);
      for (guint i = 0; i < ak_token_get_n_services (token); i++)
        {
          const AkService *service = ak_token_get_service (token, i);
          const char *name = ak_service_type_to_name (service->type);
          GString *line = g_string_new (name != NULL ? name : "?");

          if (service->channel_name != NULL)
            g_string_append_printf (line, " channel=“%s”", service->channel_name);
          if (service->uid != NULL)
            g_string_append_printf (line, " uid=“%s”", service->uid);
          if (service->user_id != NULL)
            g_string_append_printf (line, " user=“%s”", service->user_id);
          for (guint j = 0; service->privileges != NULL && j < service->privileges->len; j++)
            {
              const AkPrivilege *privilege = &g_array_index (service->privileges,
                                                             AkPrivilege, j);
              const char *privilege_name = ak_service_privilege_name (service->type,
                                                                      privilege->id);

              g_string_append_printf (line, " %s=%u", privilege_name ? privilege_name : "?",
                                      privilege->value);
            }
          append_row (out, _("Service"), line->str);
          g_string_free (line, TRUE);
        }
    }
  else
    {
      g_autofree char *ts = g_strdup_printf ("%u", ak_token_get_ts (token));

      append_row (out, _("Expires"), ts);
    }
  if (diagnosis->project_label != NULL)
    append_row (out, _("Project"), diagnosis->project_label);

  g_string_append (out, _("Findings:\n"));
  if (g_list_model_get_n_items (model) == 0)
    g_string_append (out, _("  none: nothing in the token explains a rejection\n"));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AkDoctorFinding) finding = g_list_model_get_item (model, i);

      g_string_append_printf (out, "  [%s] %s: %s\n",
                              ak_doctor_severity_to_name (finding->severity),
                              finding->id, finding->verdict);
      for (guint j = 0; j < finding->evidence->len; j++)
        {
          AkDoctorEvidence *evidence = g_ptr_array_index (finding->evidence, j);
          /* App IDs are shortened like the header's; the rest is not secret. */
          gboolean app_id_row = g_strcmp0 (evidence->label, _("App ID")) == 0;
          g_autofree char *in_token = app_id_row && evidence->in_token != NULL
                                      ? shorten (evidence->in_token)
                                      : g_strdup (evidence->in_token);
          g_autofree char *used = app_id_row && evidence->used != NULL
                                  ? shorten (evidence->used) : g_strdup (evidence->used);

          g_string_append_printf (out, "      %s: %s%s%s\n", evidence->label,
                                  in_token != NULL ? in_token : "—",
                                  used != NULL ? _(" / client: ") : "",
                                  used != NULL ? used : "");
        }
      g_string_append_printf (out, "      %s %s\n", _("Fix:"), finding->fix);
    }

  if (include_token)
    g_string_append_printf (out, _("Token text:\n  %s\n"), diagnosis->token_text);
  return g_string_free (out, FALSE);
}

JsonNode *
ak_doctor_diagnosis_to_json (AkDoctorDiagnosis *diagnosis)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GListModel *model;

  g_return_val_if_fail (diagnosis != NULL, NULL);
  model = G_LIST_MODEL (diagnosis->findings);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "explains-rejection");
  json_builder_add_boolean_value (builder, ak_doctor_diagnosis_explains_rejection (diagnosis));
  json_builder_set_member_name (builder, "repaired");
  json_builder_add_boolean_value (builder, diagnosis->repaired);
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AkDoctorFinding) finding = g_list_model_get_item (model, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, finding->id);
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, ak_doctor_severity_to_name (finding->severity));
      json_builder_set_member_name (builder, "verdict");
      json_builder_add_string_value (builder, finding->verdict);
      json_builder_set_member_name (builder, "fix");
      json_builder_add_string_value (builder, finding->fix);
      json_builder_set_member_name (builder, "evidence");
      json_builder_begin_array (builder);
      for (guint j = 0; j < finding->evidence->len; j++)
        {
          AkDoctorEvidence *evidence = g_ptr_array_index (finding->evidence, j);
          gboolean app_id = g_strcmp0 (finding->id, AK_DOCTOR_APP_ID_MISMATCH) == 0
                            || g_strcmp0 (finding->id, AK_DOCTOR_APP_ID_UNKNOWN) == 0;
          g_autofree char *in_token = app_id ? shorten (evidence->in_token)
                                             : g_strdup (evidence->in_token);
          g_autofree char *used = app_id && evidence->used != NULL ? shorten (evidence->used)
                                                                   : g_strdup (evidence->used);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, evidence->label);
          json_builder_set_member_name (builder, "in-token");
          if (in_token != NULL)
            json_builder_add_string_value (builder, in_token);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "used");
          if (used != NULL)
            json_builder_add_string_value (builder, used);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      if (finding->regenerate != NULL)
        {
          const AkTokenRequestText *text = finding->regenerate;
          const struct { const char *name; const char *value; } members[] = {
            { "kind", text->kind }, { "channel", text->channel }, { "uid", text->uid },
            { "account", text->account }, { "role", text->role },
            { "user-id", text->user_id }, { "expire", text->expire },
            { "privilege-expire", text->privilege_expire },
          };

          json_builder_set_member_name (builder, "regenerate");
          json_builder_begin_object (builder);
          for (guint k = 0; k < G_N_ELEMENTS (members); k++)
            if (members[k].value != NULL)
              {
                json_builder_set_member_name (builder, members[k].name);
                json_builder_add_string_value (builder, members[k].value);
              }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
