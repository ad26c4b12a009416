/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-duration.h"
#include "ak-token-doctor-private.h"

/* A token made for exactly a session's length a few minutes ago is what people do: only a
 * token that falls short by more than this is worth a warning. */
#define EXPIRES_SOON_GRACE (5 * 60)

/* A 007 lifetime or privilege value this large was meant as a unix time: 2001-09-09 on. */
#define LOOKS_ABSOLUTE_SECONDS 1000000000u
/* An issue time this far ahead of our clock is skew, not rounding. */
#define FUTURE_TOLERANCE_SECONDS 60

/* Whether the token is valid now and for the session: issue time, lifetimes, privileges. */

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

/* One privilege's lifetime: a unix time, expired, outliving the token, or ending soon. */
static void
check_privilege_007 (Doctor            *doctor,
                     const AkService   *service,
                     const AkPrivilege *privilege)
{
  gint64 issued = ak_token_get_issue_ts (doctor->token);
  guint32 expire = ak_token_get_expire (doctor->token);
  gint64 expires_at = issued + expire;
  AkDoctorFinding *finding;
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
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE,
                               matters ? AK_DOCTOR_SEVERITY_LIKELY
                                       : AK_DOCTOR_SEVERITY_WARNING,
                               g_strdup_printf (_("The privilege %s expires at a unix "
                                                  "timestamp counted from the issue "
                                                  "time: 007 privileges count seconds "
                                                  "from the issue time."), label),
                               _("Pass privilege lifetimes in seconds (3600 for an "
                                 "hour), not now + seconds."));
      ak_doctor_add_evidence_and_regenerate (doctor, finding, label, value, NULL);
      return;
    }
  if (at <= doctor->now && !(service->type == AK_SERVICE_FPA))
    {
      g_autofree char *ago = ak_doctor_format_seconds (doctor->now - at);
      g_autofree char *at_text = ak_format_local_time (at);

      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_PRIVILEGE_EXPIRED,
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
      ak_doctor_add_evidence_and_regenerate (doctor, finding, label, at_text, NULL);
    }
  else if (privilege->value > expire && expire < LOOKS_ABSOLUTE_SECONDS)
    {
      g_autofree char *token_value = g_strdup_printf ("%u", expire);

      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_PRIVILEGE_OUTLIVES_TOKEN,
                               AK_DOCTOR_SEVERITY_INFO,
                               g_strdup_printf (_("The privilege %s lasts longer than the "
                                                  "token: the token's own expiry ends it "
                                                  "first."), label),
                               _("Renew before the token expires; make the privilege and "
                                 "the token last equally long."));
      ak_doctor_finding_add_evidence (finding, label, value, token_value);
    }
  else if (matters && at > doctor->now
           && at - doctor->now < doctor->session - EXPIRES_SOON_GRACE
           && expires_at > at && !ak_doctor_has_finding (doctor, AK_DOCTOR_EXPIRES_SOON))
    {
      g_autofree char *left = ak_doctor_format_seconds (at - doctor->now);
      g_autofree char *session = ak_doctor_format_seconds (doctor->session);

      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_EXPIRES_SOON, AK_DOCTOR_SEVERITY_WARNING,
                               g_strdup_printf (_("The privilege %s expires in %s, before "
                                                  "a session of %s ends."),
                                                label, left, session),
                               _("Renew the token in time, or build it with longer "
                                 "privileges."));
      ak_doctor_add_evidence_and_regenerate (doctor, finding, label, left, session);
    }
}

void
ak_doctor_check_times_007 (Doctor *doctor)
{
  AkToken *token = doctor->token;
  gint64 issued = ak_token_get_issue_ts (token);
  guint32 expire = ak_token_get_expire (token);
  gint64 expires_at = issued + expire;
  AkDoctorFinding *finding;

  if (issued > doctor->now + FUTURE_TOLERANCE_SECONDS)
    {
      g_autofree char *ahead = ak_doctor_format_seconds (issued - doctor->now);
      g_autofree char *issued_text = ak_format_local_time (issued);
      g_autofree char *now_text = ak_format_local_time (doctor->now);

      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_ISSUED_IN_FUTURE, AK_DOCTOR_SEVERITY_LIKELY,
                               g_strdup_printf (_("The token was issued %s in the future: the "
                                                  "clock of the machine that built it is ahead."),
                                                ahead),
                               _("Set the token server's clock right (use NTP); a token is "
                                 "not valid before its issue time."));
      ak_doctor_add_evidence_and_regenerate (doctor, finding, _("Issued"), issued_text, now_text);
    }

  if (expire >= LOOKS_ABSOLUTE_SECONDS)
    {
      g_autofree char *value = g_strdup_printf ("%u", expire);
      g_autofree char *meant = g_strdup_printf ("%" G_GINT64_FORMAT " s",
                                                (gint64) expire - issued);

      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE, AK_DOCTOR_SEVERITY_LIKELY,
                               g_strdup (_("The token's lifetime is a unix timestamp: 007 tokens "
                                           "count seconds from the issue time, so this one claims "
                                           "to last decades, far over the 24 h maximum.")),
                               _("Pass the lifetime in seconds (3600 for an hour), not "
                                 "now + seconds."));
      ak_doctor_add_evidence_and_regenerate (doctor, finding, _("Token lifetime"), value, meant);
    }
  else if (expires_at <= doctor->now)
    {
      g_autofree char *ago = ak_doctor_format_seconds (doctor->now - expires_at);
      g_autofree char *at = ak_format_local_time (expires_at);
      g_autofree char *now_text = ak_format_local_time (doctor->now);

      finding = ak_doctor_add_finding (doctor, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS,
                                       g_strdup_printf (_("The token expired %s ago."), ago),
                                       _("Get a new token before joining, and renew it before it "
                                         "expires (the SDKs warn 30 s ahead)."));
      ak_doctor_add_evidence_and_regenerate (doctor, finding, _("Token expires"), at, now_text);
    }
  else if (expires_at - doctor->now < doctor->session - EXPIRES_SOON_GRACE)
    {
      g_autofree char *left = ak_doctor_format_seconds (expires_at - doctor->now);
      g_autofree char *session = ak_doctor_format_seconds (doctor->session);

      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_EXPIRES_SOON, AK_DOCTOR_SEVERITY_WARNING,
                               g_strdup_printf (_("The token expires in %s, before a session of "
                                                  "%s ends."), left, session),
                               _("Renew the token when the SDK says it will expire, or build it "
                                 "with a longer lifetime (at most 24 h)."));
      ak_doctor_add_evidence_and_regenerate (doctor, finding, _("Token"), left, session);
    }

  for (guint i = 0; i < ak_token_get_n_services (token); i++)
    {
      const AkService *service = ak_token_get_service (token, i);

      for (guint j = 0; service->privileges != NULL && j < service->privileges->len; j++)
        check_privilege_007 (doctor, service,
                             &g_array_index (service->privileges, AkPrivilege, j));
    }
}

void
ak_doctor_check_times_006 (Doctor *doctor)
{
  gint64 expires_at = ak_token_get_ts (doctor->token);
  GArray *privileges = ak_token_get_privileges_006 (doctor->token);
  AkDoctorFinding *finding;

  if (expires_at <= doctor->now)
    {
      g_autofree char *ago = ak_doctor_format_seconds (doctor->now - expires_at);
      g_autofree char *at = ak_format_local_time (expires_at);

      finding = ak_doctor_add_finding (doctor, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS,
                                       g_strdup_printf (_("The token expired %s ago."), ago),
                                       _("Get a new token before joining."));
      ak_doctor_finding_add_evidence (finding, _("Token expires"), at, NULL);
      ak_doctor_set_regenerate (doctor, finding, AK_TOKEN_KIND_RTC006);
    }

  for (guint i = 0; privileges != NULL && i < privileges->len; i++)
    {
      const AkPrivilege *privilege = &g_array_index (privileges, AkPrivilege, i);
      const char *name = ak_privilege006_name (privilege->id);
      g_autofree char *value = g_strdup_printf ("%u", privilege->value);

      /* 0 means "never"; anything else is an absolute time. */
      if (privilege->value == 0 || privilege->value > doctor->now)
        continue;
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS,
                               privilege->value < LOOKS_ABSOLUTE_SECONDS
                               ? g_strdup_printf (_("The privilege %s expired in 1970: 006 "
                                                    "tokens hold absolute unix times, and %u "
                                                    "looks like seconds from now."),
                                                  name ? name : "?", privilege->value)
                               : g_strdup_printf (_("The privilege %s has expired."),
                                                  name ? name : "?"),
                               _("006 privileges take a unix time: now + seconds (or 0 for "
                                 "never)."));
      ak_doctor_finding_add_evidence (finding, name ? name : "?", value, NULL);
      ak_doctor_set_regenerate (doctor, finding, AK_TOKEN_KIND_RTC006);
    }
}
