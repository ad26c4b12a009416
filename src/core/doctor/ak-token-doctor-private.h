/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-doctor-finding-private.h"
#include "ak-token-doctor.h"

G_BEGIN_DECLS

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

/* One run of ak_token_doctor_diagnose(): what every check reads and adds findings to. */
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

/* Takes @verdict. */
AkDoctorFinding *ak_doctor_add_finding         (Doctor            *doctor,
                                                const char        *id,
                                                AkDoctorSeverity   severity,
                                                char              *verdict,
                                                const char        *fix);
gboolean         ak_doctor_has_finding         (Doctor            *doctor,
                                                const char        *id);
/* "0123…cdef": enough to tell two apart in a report, not enough to be the value. */
char            *ak_doctor_shorten             (const char        *text);
char            *ak_doctor_format_seconds      (gint64             seconds);
AkTokenKind      ak_doctor_regenerate_kind     (Doctor            *doctor);
void             ak_doctor_set_regenerate      (Doctor            *doctor,
                                                AkDoctorFinding   *finding,
                                                AkTokenKind        kind);
void             ak_doctor_add_evidence_and_regenerate (Doctor          *doctor,
                                                        AkDoctorFinding *finding,
                                                        const char      *label,
                                                        const char      *in_token,
                                                        const char      *used);
gboolean         ak_doctor_has_privilege_006   (Doctor            *doctor,
                                                guint16            id);
gboolean         ak_doctor_is_decimal_uid      (const char        *text);

/* The checks, each adding what it finds: ak-token-doctor-project.c (version, App ID,
 * checksums, certificates), -time.c, -identity.c and -convoai.c. */
void             ak_doctor_check_version       (Doctor            *doctor);
void             ak_doctor_check_app_id        (Doctor            *doctor,
                                                GPtrArray         *candidates);
gboolean         ak_doctor_check_checksums_006 (Doctor            *doctor);
void             ak_doctor_check_certificates  (Doctor            *doctor,
                                                GPtrArray         *candidates,
                                                AkDoctorDiagnosis *diagnosis);
void             ak_doctor_check_times_007     (Doctor            *doctor);
void             ak_doctor_check_times_006     (Doctor            *doctor);
void             ak_doctor_check_channel       (Doctor            *doctor);
void             ak_doctor_check_uid           (Doctor            *doctor);
void             ak_doctor_check_user_id       (Doctor            *doctor);
void             ak_doctor_check_service       (Doctor            *doctor);
void             ak_doctor_check_role          (Doctor            *doctor);
gboolean         ak_doctor_check_convoai_body  (Doctor            *doctor,
                                                GError           **error);

G_END_DECLS
