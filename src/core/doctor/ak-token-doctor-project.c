/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <zlib.h>

#include "ak-token-doctor-private.h"

/* Whether the token is this project's: its version, App ID, 006 checksums and signature. */

void
ak_doctor_check_version (Doctor *doctor)
{
  AkDoctorProduct product = doctor->input->product;
  AkDoctorFinding *finding;

  if (ak_token_get_version (doctor->token) != AK_TOKEN_VERSION_006)
    return;
  if (product != AK_DOCTOR_PRODUCT_CONVOAI && product != AK_DOCTOR_PRODUCT_STT
      && product != AK_DOCTOR_PRODUCT_RTM)
    return;

  finding =
    ak_doctor_add_finding (doctor, AK_DOCTOR_VERSION_006_NOT_ACCEPTED, AK_DOCTOR_SEVERITY_EXPLAINS,
                           g_strdup_printf (_("This is a legacy 006 token, and %s accepts only "
                                              "AccessToken2 (007) tokens."),
                                            product == AK_DOCTOR_PRODUCT_RTM
                                            ? _("Signaling (RTM 2.x)")
                                            : product == AK_DOCTOR_PRODUCT_CONVOAI
                                            ? _("the Conversational AI Engine")
                                            : _("Real-time Speech-to-Text")),
                           _("Build a 007 token with the current token builders "
                             "(AccessToken2)."));
  ak_doctor_add_evidence_and_regenerate (doctor, finding, _("Version"), "006", "007");
}

void
ak_doctor_check_app_id (Doctor    *doctor,
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
            ak_doctor_add_finding (doctor, AK_DOCTOR_APP_ID_MISMATCH,
                                   only_case ? AK_DOCTOR_SEVERITY_LIKELY
                                             : AK_DOCTOR_SEVERITY_EXPLAINS,
                                   g_strdup (only_case
                                             ? _("The token's App ID differs from the client's "
                                                 "only in upper and lower case; the server "
                                                 "compares them as text.")
                                             : _("The token was made for another App ID than the "
                                                 "one the client initialised the SDK with.")),
                                   _("Initialise the client with the token's App ID, or build the "
                                     "token with the App ID and certificate of the client's "
                                     "project."));

          ak_doctor_finding_add_evidence (finding, _("App ID"), app_id, stripped);
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
          ak_doctor_add_finding (doctor, AK_DOCTOR_APP_ID_UNKNOWN, AK_DOCTOR_SEVERITY_WARNING,
                                 g_strdup (_("No stored project has the token's App ID, so its "
                                             "signature could not be checked.")),
                                 _("Check that the token comes from the project you think: add "
                                   "that project (with its certificate) to check the "
                                   "signature."));

        ak_doctor_finding_add_evidence (finding, _("App ID"), app_id, NULL);
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
gboolean
ak_doctor_check_checksums_006 (Doctor *doctor)
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

  finding =
    ak_doctor_add_finding (doctor, AK_DOCTOR_CHECKSUM_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
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

      ak_doctor_finding_add_evidence (finding, _("Channel"), crc, used);
    }
  if (!uid_ok)
    {
      g_autofree char *crc = g_strdup_printf ("CRC-32 %u", ak_token_get_crc_uid (doctor->token));
      g_autofree char *used =
        g_strdup_printf ("“%s” (CRC-32 %u)", doctor->client_uid,
                         (guint32) crc32 (0, (const Bytef *) doctor->client_uid,
                                          (uInt) strlen (doctor->client_uid)));

      ak_doctor_finding_add_evidence (finding, _("UID"), crc, used);
    }
  ak_doctor_set_regenerate (doctor, finding, AK_TOKEN_KIND_RTC006);
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

void
ak_doctor_check_certificates (Doctor            *doctor,
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
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_CERTIFICATE_SECONDARY, AK_DOCTOR_SEVERITY_INFO,
                               g_strdup_printf (_("Signed with the secondary certificate of "
                                                  "“%s”."), project->label),
                               _("Tokens stop working when that certificate is deleted or "
                                 "disabled in Agora Console: move your token server to the "
                                 "primary certificate first."));
      return;
    }

  if (project->secondary_certificate == NULL && project->secondary_removed)
    {
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED,
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
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_CERTIFICATE_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS,
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
  ak_doctor_set_regenerate (doctor, finding, ak_doctor_regenerate_kind (doctor));
}
