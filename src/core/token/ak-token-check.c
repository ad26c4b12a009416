/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-task.h"
#include "ak-token-check.h"

struct _AkTokenCheck
{
  gatomicrefcount ref_count;
  AkTokenCheckStatus status;
  AkCertificateKind certificate;
  AkVerification verification;
  AkCredential *project;
  char *title;
  char *message;
};

G_DEFINE_BOXED_TYPE (AkTokenCheck, ak_token_check, ak_token_check_ref, ak_token_check_unref)

static AkTokenCheck *
token_check_new (AkTokenCheckStatus    status,
                 AkCredential         *project,
                 AkCertificateKind     certificate,
                 const AkVerification *verification,
                 char                 *title,
                 char                 *message)
{
  AkTokenCheck *check = g_new0 (AkTokenCheck, 1);

  g_atomic_ref_count_init (&check->ref_count);
  check->status = status;
  check->project = project != NULL ? g_object_ref (project) : NULL;
  check->certificate = certificate;
  if (verification != NULL)
    check->verification = *verification;
  check->title = title;
  check->message = message;
  return check;
}

AkTokenCheck *
ak_token_check_ref (AkTokenCheck *check)
{
  g_return_val_if_fail (check != NULL, NULL);
  g_atomic_ref_count_inc (&check->ref_count);
  return check;
}

void
ak_token_check_unref (AkTokenCheck *check)
{
  g_return_if_fail (check != NULL);

  if (!g_atomic_ref_count_dec (&check->ref_count))
    return;
  g_clear_object (&check->project);
  g_free (check->title);
  g_free (check->message);
  g_free (check);
}

AkTokenCheckStatus
ak_token_check_get_status (const AkTokenCheck *check)
{
  return check->status;
}

AkCredential *
ak_token_check_get_project (const AkTokenCheck *check)
{
  return check->project;
}

AkCertificateKind
ak_token_check_get_certificate (const AkTokenCheck *check)
{
  return check->certificate;
}

const AkVerification *
ak_token_check_get_verification (const AkTokenCheck *check)
{
  return &check->verification;
}

const char *
ak_token_check_get_message (const AkTokenCheck *check)
{
  return check->message;
}

const char *
ak_token_check_get_title (const AkTokenCheck *check)
{
  return check->title;
}

/* ---------------------------------------------------------------------------------------------
 * One certificate
 */

static gboolean
needs_channel_and_uid (AkToken    *token,
                       const char *channel,
                       const char *uid)
{
  return ak_token_get_version (token) == AK_TOKEN_VERSION_006 && (channel == NULL || uid == NULL);
}

/* @message gets the codec's sentence for the statuses whose wording does not depend on
 * which certificate was tried (CRC mismatch, invalid certificate). */
static AkTokenCheckStatus
verify_with (AkToken        *token,
             const char     *certificate,
             const char     *channel,
             const char     *uid,
             AkVerification *verification,
             char          **message)
{
  g_autoptr(GError) error = NULL;

  if (ak_token_verify (token, certificate, channel, uid, verification, &error))
    return AK_TOKEN_CHECK_VALID;

  if (g_error_matches (error, AK_ERROR, AK_ERROR_SIGNATURE_MISMATCH))
    return AK_TOKEN_CHECK_SIGNATURE_MISMATCH;

  *message = g_strdup (error->message);
  if (g_error_matches (error, AK_ERROR, AK_ERROR_CRC_MISMATCH))
    return AK_TOKEN_CHECK_CRC_MISMATCH;
  return AK_TOKEN_CHECK_INVALID_CERTIFICATE;
}

static char *
needs_channel_and_uid_message (void)
{
  return g_strdup (_("Enter the channel name and uid to check a 006 token."));
}

static char *
needs_channel_and_uid_title (void)
{
  return g_strdup (_("Not checked — enter the channel name and uid"));
}

/* The titles of the statuses whose wording does not depend on which certificate was tried. */
static char *
certificate_independent_title (AkTokenCheckStatus status)
{
  if (status == AK_TOKEN_CHECK_CRC_MISMATCH)
    return g_strdup (_("Made for another channel name or uid"));
  return g_strdup (_("Not checked — the certificate is not valid"));
}

/**
 * ak_token_check_with_certificate:
 * @certificate: an App Certificate given for this check only; not kept
 * @channel: (nullable): 006: the channel name the token was made for
 * @uid: (nullable): 006: its uid text ("" for integer uid 0)
 *
 * Returns: (transfer full): what the check found; never %NULL
 */
AkTokenCheck *
ak_token_check_with_certificate (AkToken    *token,
                                 const char *certificate,
                                 const char *channel,
                                 const char *uid)
{
  AkVerification verification = { 0 };
  AkTokenCheckStatus status;
  char *message = NULL;

  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (certificate != NULL, NULL);

  if (needs_channel_and_uid (token, channel, uid))
    return token_check_new (AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID, NULL, AK_CERTIFICATE_NONE,
                            NULL, needs_channel_and_uid_title (),
                            needs_channel_and_uid_message ());

  status = verify_with (token, certificate, channel, uid, &verification, &message);
  switch (status)
    {
    case AK_TOKEN_CHECK_VALID:
      message = g_strdup (ak_token_get_version (token) == AK_TOKEN_VERSION_006
                            ? _("Signed with this certificate, for this channel name and uid.")
                            : _("Signed with this certificate."));
      return token_check_new (status, NULL, AK_CERTIFICATE_GIVEN, &verification,
                              g_strdup (_("Signature valid — the pasted certificate")), message);
    case AK_TOKEN_CHECK_SIGNATURE_MISMATCH:
      message = g_strdup (_("The signature does not match this certificate: the token was made "
                            "with another certificate or changed after it was made."));
      return token_check_new (status, NULL, AK_CERTIFICATE_NONE, &verification,
                              g_strdup (_("Signature does not match the pasted certificate")),
                              message);
    case AK_TOKEN_CHECK_CRC_MISMATCH:
    case AK_TOKEN_CHECK_INVALID_CERTIFICATE:
    case AK_TOKEN_CHECK_NO_PROJECT:
    case AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID:
    default:
      break;
    }
  return token_check_new (status, NULL, AK_CERTIFICATE_NONE, &verification,
                          certificate_independent_title (status), message);
}

/* ---------------------------------------------------------------------------------------------
 * Stored projects
 */

typedef struct
{
  AkToken *token;
  char *channel;
  char *uid;
  /* Every stored project with the token's App ID: labels are unique, App IDs need not be
   * (a project may be stored twice around a certificate change). */
  GPtrArray *candidates;
  guint index;
  AkVerification verification;
} CheckData;

static void
check_data_free (CheckData *data)
{
  ak_token_unref (data->token);
  g_free (data->channel);
  g_free (data->uid);
  g_clear_pointer (&data->candidates, g_ptr_array_unref);
  g_free (data);
}

static const char *
project_label (AkCredential *project)
{
  return ak_credential_get_label (project);
}

static char *
valid_message (AkToken           *token,
               AkCredential      *project,
               AkCertificateKind  certificate)
{
  gboolean is_006 = ak_token_get_version (token) == AK_TOKEN_VERSION_006;

  if (certificate == AK_CERTIFICATE_SECONDARY)
    return g_strdup_printf (is_006
                              ? _("Signed with the secondary certificate of “%s”, for this "
                                  "channel name and uid.")
                              : _("Signed with the secondary certificate of “%s”."),
                            project_label (project));
  return g_strdup_printf (is_006
                            ? _("Signed with the primary certificate of “%s”, for this channel "
                                "name and uid.")
                            : _("Signed with the primary certificate of “%s”."),
                          project_label (project));
}

static char *
valid_title (AkCredential      *project,
             AkCertificateKind  certificate)
{
  if (certificate == AK_CERTIFICATE_SECONDARY)
    return g_strdup_printf (_("Signature valid — secondary certificate of “%s”"),
                            project_label (project));
  return g_strdup_printf (_("Signature valid — primary certificate of “%s”"),
                          project_label (project));
}

static char *
mismatch_title (CheckData *data)
{
  AkCredential *project = g_ptr_array_index (data->candidates, 0);

  if (data->candidates->len > 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Signature matches none of the %u projects with this "
                                         "App ID",
                                         "Signature matches none of the %u projects with this "
                                         "App ID",
                                         data->candidates->len),
                            data->candidates->len);
  if (ak_credential_get_has_secondary (project))
    return g_strdup_printf (_("Signature does not match the primary or secondary certificate "
                              "of “%s”"),
                            project_label (project));
  return g_strdup_printf (_("Signature does not match the primary certificate of “%s”"),
                          project_label (project));
}

static char *
mismatch_message (CheckData *data)
{
  AkCredential *project = g_ptr_array_index (data->candidates, 0);

  if (data->candidates->len > 1)
    return g_strdup_printf (_("The signature matches none of the certificates of the %u stored "
                              "projects with App ID %s: the token was made with another "
                              "certificate or changed after it was made."),
                            data->candidates->len, ak_token_get_app_id (data->token));
  if (ak_credential_get_has_secondary (project))
    return g_strdup_printf (_("The signature matches neither the primary nor the secondary "
                              "certificate of “%s”: the token was made with another "
                              "certificate or changed after it was made."),
                            project_label (project));
  return g_strdup_printf (_("The signature does not match the primary certificate of “%s”, "
                            "which has no secondary certificate stored: the token was made "
                            "with another certificate or changed after it was made."),
                          project_label (project));
}

/* These take over the caller's reference to @task. */
static void check_next_candidate (GTask *task);

/* Takes over the caller's reference to @task. */
static void
return_check (GTask              *task,
              AkTokenCheckStatus  status,
              AkCredential       *project,
              AkCertificateKind   certificate,
              char               *title,
              char               *message)
{
  CheckData *data = g_task_get_task_data (task);

  g_task_return_pointer (task,
                         token_check_new (status, project, certificate, &data->verification,
                                          title, message),
                         (GDestroyNotify) ak_token_check_unref);
  g_object_unref (task);
}

static void
secrets_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  CheckData *data = g_task_get_task_data (task);
  AkCredential *project = g_ptr_array_index (data->candidates, data->index);
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  const char *certificates[2];
  char *message = NULL;

  /* Freed (and so wiped) when this function returns, whatever the outcome. */
  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result, &error);
  if (secrets == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  certificates[0] = secrets->primary_certificate;
  certificates[1] = secrets->secondary_certificate;
  for (guint i = 0; i < G_N_ELEMENTS (certificates); i++)
    {
      AkCertificateKind kind = i == 0 ? AK_CERTIFICATE_PRIMARY : AK_CERTIFICATE_SECONDARY;
      AkTokenCheckStatus status;

      if (certificates[i] == NULL || certificates[i][0] == '\0')
        continue;

      g_clear_pointer (&message, g_free);
      status = verify_with (data->token, certificates[i], data->channel, data->uid,
                            &data->verification, &message);
      if (status == AK_TOKEN_CHECK_VALID)
        {
          return_check (task, status, project, kind, valid_title (project, kind),
                        valid_message (data->token, project, kind));
          return;
        }
      /* The checksums do not depend on the certificate: no other one can do better. */
      if (status == AK_TOKEN_CHECK_CRC_MISMATCH)
        {
          return_check (task, status, project, AK_CERTIFICATE_NONE,
                        certificate_independent_title (status), message);
          return;
        }
    }
  g_free (message);
  g_clear_pointer (&secrets, ak_credential_secrets_free);

  data->index++;
  check_next_candidate (task);
}

static void
check_next_candidate (GTask *task)
{
  AkCredentialStore *store = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);

  if (data->index < data->candidates->len)
    {
      ak_credential_store_load_secrets_async (store,
                                              g_ptr_array_index (data->candidates, data->index),
                                              g_task_get_cancellable (task), secrets_loaded,
                                              task);
      return;
    }

  return_check (task, AK_TOKEN_CHECK_SIGNATURE_MISMATCH,
                g_ptr_array_index (data->candidates, 0), AK_CERTIFICATE_NONE,
                mismatch_title (data), mismatch_message (data));
}

static void
find_candidates_and_check (GTask *task)
{
  AkCredentialStore *store = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  GListModel *model = ak_credential_store_get_model (store);
  const char *app_id = ak_token_get_app_id (data->token);
  guint n = g_list_model_get_n_items (model);

  data->candidates = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (model, i);

      if (ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT
          && g_ascii_strcasecmp (ak_credential_get_app_id (credential), app_id) == 0)
        g_ptr_array_add (data->candidates, g_steal_pointer (&credential));
    }

  if (data->candidates->len == 0)
    {
      return_check (task, AK_TOKEN_CHECK_NO_PROJECT, NULL, AK_CERTIFICATE_NONE,
                    g_strdup (_("Not checked — no certificate for this App ID")),
                    g_strdup_printf (_("No stored project has App ID %s; paste its certificate "
                                       "to check the signature."),
                                     app_id));
      return;
    }

  if (needs_channel_and_uid (data->token, data->channel, data->uid))
    {
      return_check (task, AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID,
                    g_ptr_array_index (data->candidates, 0), AK_CERTIFICATE_NONE,
                    needs_channel_and_uid_title (), needs_channel_and_uid_message ());
      return;
    }

  check_next_candidate (task);
}

/**
 * ak_token_check_with_store_async:
 * @store: the credential store
 * @token: a parsed token
 * @channel: (nullable): 006: the channel name the token was made for
 * @uid: (nullable): 006: its uid text ("" for integer uid 0)
 *
 * See the header for what is checked and when this fails.
 */
void
ak_token_check_with_store_async (AkCredentialStore   *store,
                                 AkToken             *token,
                                 const char          *channel,
                                 const char          *uid,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  CheckData *data;

  g_return_if_fail (AK_IS_CREDENTIAL_STORE (store));
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = ak_task_new (store, cancellable, callback, user_data, ak_token_check_with_store_async);

  data = g_new0 (CheckData, 1);
  data->token = ak_token_ref (token);
  data->channel = g_strdup (channel);
  data->uid = g_strdup (uid);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);

  ak_credential_store_load_then (store, task, find_candidates_and_check);
}

/**
 * ak_token_check_with_store_finish:
 *
 * Returns: (transfer full): what the check found, or %NULL with @error when the keyring
 *   could not be used or the check was cancelled
 */
AkTokenCheck *
ak_token_check_with_store_finish (AkCredentialStore  *store,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                          == ak_token_check_with_store_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
