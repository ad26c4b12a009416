/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-clock.h"
#include "ak-duration.h"
#include "ak-error.h"
#include "ak-secret.h"
#include "ak-token-doctor-private.h"

/* ---------------------------------------------------------------------------------------------
 * Diagnosis
 */

AkDoctorFinding *
ak_doctor_add_finding (Doctor          *doctor,
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

gboolean
ak_doctor_has_finding (Doctor     *doctor,
                       const char *id)
{
  for (guint i = 0; i < doctor->findings->len; i++)
    if (g_str_equal (((AkDoctorFinding *) g_ptr_array_index (doctor->findings, i))->id, id))
      return TRUE;
  return FALSE;
}

/* "0123…cdef": enough to tell two apart in a report, not enough to be the value. */
char *
ak_doctor_shorten (const char *text)
{
  gsize length = text != NULL ? strlen (text) : 0;

  if (length <= 12)
    return g_strdup (text != NULL ? text : "");
  return g_strdup_printf ("%.4s…%s", text, text + length - 4);
}

char *
ak_doctor_format_seconds (gint64 seconds)
{
  return ak_duration_format ((guint64) ABS (seconds));
}

AkTokenKind
ak_doctor_regenerate_kind (Doctor *doctor)
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
void
ak_doctor_set_regenerate (Doctor          *doctor,
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

  g_clear_pointer (&finding->regenerate, ak_doctor_regenerate_free);
  finding->regenerate = text;
}

/* What a finding the client fixes with a new token compared, and that token's request, made
 * for the product the client uses. */
void
ak_doctor_add_evidence_and_regenerate (Doctor          *doctor,
                                       AkDoctorFinding *finding,
                                       const char      *label,
                                       const char      *in_token,
                                       const char      *used)
{
  ak_doctor_finding_add_evidence (finding, label, in_token, used);
  ak_doctor_set_regenerate (doctor, finding, ak_doctor_regenerate_kind (doctor));
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

gboolean
ak_doctor_has_privilege_006 (Doctor *doctor,
                             guint16 id)
{
  GArray *privileges = ak_token_get_privileges_006 (doctor->token);

  for (guint i = 0; privileges != NULL && i < privileges->len; i++)
    if (g_array_index (privileges, AkPrivilege, i).id == id)
      return TRUE;
  return FALSE;
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

/* Says what the repair took off or put back: the server would have taken it as the token. */
static void
add_repair_findings (Doctor *doctor,
                     Repair *repair)
{
  if (repair->removed->len > 0)
    {
      GString *what = g_string_new (NULL);
      AkDoctorFinding *finding;

      for (guint i = 0; i < repair->removed->len; i++)
        g_string_append_printf (what, "%s%s", i > 0 ? ", " : "",
                                (const char *) g_ptr_array_index (repair->removed, i));
      finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_TOKEN_WRAPPED, AK_DOCTOR_SEVERITY_EXPLAINS,
                               g_strdup_printf (_("The token was pasted with more than the token: "
                                                  "%s. The server takes those characters as part "
                                                  "of the token."), what->str),
                               _("Pass the bare token, starting with 007 or 006, to the SDK; in "
                                 "an Authorization header the scheme goes before it once."));
      ak_doctor_finding_add_evidence (finding, _("Removed"), what->str, NULL);
      g_string_free (what, TRUE);
    }
  if (repair->spaces > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", repair->spaces);
      AkDoctorFinding *finding =
        ak_doctor_add_finding (doctor, AK_DOCTOR_TOKEN_REPAIRED_SPACES,
                               AK_DOCTOR_SEVERITY_EXPLAINS,
                               g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "The token had %u space where a “+” "
                                                             "was: it went through a URL or form "
                                                             "without being encoded.",
                                                             "The token had %u spaces where “+” "
                                                             "signs were: it went through a URL or "
                                                             "form without being encoded.",
                                                             repair->spaces), repair->spaces),
                               _("URL-encode the token when it travels in a query string or form "
                                 "(encodeURIComponent: “+” becomes “%2B”)."));
      ak_doctor_finding_add_evidence (finding, _("Spaces turned back into “+”"), count, NULL);
    }
}

/* Parses @text as given, else as repaired. @repair gets the text the diagnosis shows and
 * what was taken out of it; when neither parses, NULL with @error, and @repair is freed. */
static AkToken *
parse_repaired (const char  *text,
                Repair      *repair,
                GError     **error)
{
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GError) repaired_error = NULL;
  const GError *shown;
  char *message = NULL;
  AkToken *token;

  /* First as given: a token that parses needs no repair story. */
  token = ak_token_parse (text, &first_error);
  repair_text (text, repair);
  if (token != NULL)
    {
      /* The parser already forgives quotes: still say they were there. */
      ak_secret_string_free (repair->text);
      repair->text = g_strdup (text);
      g_strstrip (repair->text);
      repair->spaces = 0;
      if (repair->removed->len > 0)
        {
          gsize start, end;

          ak_token_strip_text (text, &start, &end);
          ak_secret_string_free (repair->text);
          repair->text = g_strndup (text + start, end - start);
        }
      return token;
    }

  if (repair->removed->len > 0 || repair->spaces > 0)
    token = ak_token_parse (repair->text, &repaired_error);
  if (token != NULL)
    return token;

  shown = repaired_error != NULL ? repaired_error : first_error;
  if (looks_truncated (repair->text, shown, &message))
    g_set_error_literal (error, AK_ERROR, AK_ERROR_TRUNCATED, message);
  else
    g_propagate_error (error, g_error_copy (shown));
  g_free (message);
  ak_secret_string_free (repair->text);
  g_ptr_array_unref (repair->removed);
  return NULL;
}

AkDoctorDiagnosis *
ak_token_doctor_diagnose (const AkDoctorInput *input,
                          GPtrArray           *candidates,
                          GError             **error)
{
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(AkToken) token = NULL;
  Repair repair = { NULL, NULL, 0 };
  Doctor doctor = { 0 };

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (input->token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  token = parse_repaired (input->token, &repair, error);
  if (token == NULL)
    return NULL;

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

  add_repair_findings (&doctor, &repair);
  g_ptr_array_unref (repair.removed);

  ak_doctor_check_version (&doctor);
  ak_doctor_check_app_id (&doctor, candidates);
  ak_doctor_check_service (&doctor);
  if (ak_token_get_version (token) == AK_TOKEN_VERSION_006)
    {
      ak_doctor_check_checksums_006 (&doctor);
      ak_doctor_check_times_006 (&doctor);
    }
  else
    {
      ak_doctor_check_times_007 (&doctor);
      ak_doctor_check_channel (&doctor);
      ak_doctor_check_uid (&doctor);
      ak_doctor_check_user_id (&doctor);
    }
  ak_doctor_check_role (&doctor);
  if (!ak_doctor_has_finding (&doctor, AK_DOCTOR_CHECKSUM_MISMATCH))
    ak_doctor_check_certificates (&doctor, candidates, diagnosis);
  if (!ak_doctor_check_convoai_body (&doctor, error))
    {
      g_free (doctor.client_uid);
      return NULL;
    }
  rank (&doctor);

  g_list_store_splice (diagnosis->findings, 0, 0, findings->pdata, findings->len);
  g_free (doctor.client_uid);
  return g_steal_pointer (&diagnosis);
}
