/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <string.h>

#include "ak-core.h"
#include "ak-credential-private.h"
#include "ak-test-util.h"

/*
 * The token doctor: each case builds a token with one mistake, describes what the client
 * did, and expects the finding that names the mistake to come first.
 */

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define APP_ID_2 "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define ISSUED 1700000000
#define NOW (ISSUED + 60)

/* What a case's token holds; zero fields take the defaults in build(). */
typedef struct
{
  const char *certificate;
  guint32 expire;
  guint32 join;
  guint32 publish;      /* 0: no publish privileges (a subscriber token) */
  const char *channel, *uid;
  gboolean no_rtc;
  const char *rtm_user, *chat_user;
  guint32 salt;
  gboolean join_zero;   /* the builders' default privilege_expire */
} Spec;

static char *
build (const Spec *spec)
{
  g_autoptr(AkToken) token = ak_token_new_007 (APP_ID, ISSUED,
                                               spec->expire ? spec->expire : 7200,
                                               spec->salt ? spec->salt : 7);
  g_autoptr(GError) error = NULL;
  char *text;

  if (!spec->no_rtc)
    {
      AkService *rtc = ak_service_new (AK_SERVICE_RTC);

      rtc->channel_name = g_strdup (spec->channel ? spec->channel : "demo");
      rtc->uid = g_strdup (spec->uid ? spec->uid : "42");
      ak_service_set_privilege (rtc, AK_PRIV_RTC_JOIN_CHANNEL,
                                spec->join_zero ? 0 : spec->join ? spec->join : 7200);
      if (spec->publish)
        {
          ak_service_set_privilege (rtc, AK_PRIV_RTC_PUBLISH_AUDIO, spec->publish);
          ak_service_set_privilege (rtc, AK_PRIV_RTC_PUBLISH_VIDEO, spec->publish);
          ak_service_set_privilege (rtc, AK_PRIV_RTC_PUBLISH_DATA, spec->publish);
        }
      ak_token_add_service (token, rtc);
    }
  if (spec->rtm_user != NULL)
    {
      AkService *rtm = ak_service_new (AK_SERVICE_RTM);

      rtm->user_id = g_strdup (spec->rtm_user);
      ak_service_set_privilege (rtm, AK_PRIV_RTM_LOGIN, 7200);
      ak_token_add_service (token, rtm);
    }
  if (spec->chat_user != NULL)
    {
      AkService *chat = ak_service_new (AK_SERVICE_CHAT);

      chat->user_id = g_strdup (spec->chat_user);
      ak_service_set_privilege (chat, spec->chat_user[0] == '\0' ? AK_PRIV_CHAT_APP
                                                                 : AK_PRIV_CHAT_USER, 7200);
      ak_token_add_service (token, chat);
    }
  text = ak_token_encode (token, spec->certificate ? spec->certificate : CERT_1, &error);
  g_assert_no_error (error);
  return text;
}

static char *
build_006 (const char *channel,
           const char *uid,
           guint32     join)
{
  g_autoptr(AkToken) token = ak_token_new_006 (APP_ID, channel, uid, 7, ISSUED + 86400);
  g_autoptr(GError) error = NULL;
  char *text;

  ak_token_set_privilege_006 (token, AK_PRIV006_JOIN_CHANNEL, join);
  text = ak_token_encode (token, CERT_1, &error);
  g_assert_no_error (error);
  return text;
}

static AkDoctorInput
rtc_input (const char *token)
{
  AkDoctorInput input = { 0 };

  input.token = token;
  input.app_id = APP_ID;
  input.product = AK_DOCTOR_PRODUCT_RTC;
  input.channel = "demo";
  input.has_uid = TRUE;
  input.uid = 42;
  return input;
}

static AkDoctorDiagnosis *
diagnose (const AkDoctorInput *input,
          GPtrArray           *candidates)
{
  g_autoptr(GError) error = NULL;
  AkDoctorDiagnosis *diagnosis = ak_token_doctor_diagnose (input, candidates, &error);

  g_assert_no_error (error);
  g_assert_nonnull (diagnosis);
  return diagnosis;
}

static AkDoctorFinding *
first_finding (AkDoctorDiagnosis *diagnosis)
{
  GListModel *findings = ak_doctor_diagnosis_get_findings (diagnosis);
  AkDoctorFinding *finding;

  g_assert_cmpuint (g_list_model_get_n_items (findings), >, 0);
  finding = g_list_model_get_item (findings, 0);
  g_object_unref (finding);   /* the model keeps it alive */
  return finding;
}

static void
assert_first (const AkDoctorInput *input,
              GPtrArray           *candidates,
              const char          *id,
              AkDoctorSeverity     severity)
{
  g_autoptr(AkDoctorDiagnosis) diagnosis = diagnose (input, candidates);
  AkDoctorFinding *finding = first_finding (diagnosis);

  g_assert_cmpstr (ak_doctor_finding_get_id (finding), ==, id);
  g_assert_cmpint (ak_doctor_finding_get_severity (finding), ==, severity);
  g_assert_cmpstr (ak_doctor_finding_get_verdict (finding), !=, "");
  g_assert_cmpstr (ak_doctor_finding_get_fix (finding), !=, "");
  g_assert_cmpint (ak_doctor_diagnosis_explains_rejection (diagnosis), ==,
                   severity == AK_DOCTOR_SEVERITY_EXPLAINS);
}

static GPtrArray *
candidates_new (const char *app_id,
                const char *primary,
                const char *secondary,
                gboolean    secondary_removed)
{
  GPtrArray *candidates =
    g_ptr_array_new_with_free_func ((GDestroyNotify) ak_doctor_candidate_free);

  g_ptr_array_add (candidates, ak_doctor_candidate_new ("Demo", app_id, primary, secondary,
                                                        secondary_removed));
  return candidates;
}

/* ---------------------------------------------------------------------------------------------
 */

static void
test_clean (void)
{
  g_autofree char *token = build (&(Spec) { .publish = 7200 });
  g_autoptr(GPtrArray) candidates = candidates_new (APP_ID, CERT_1, NULL, FALSE);
  AkDoctorInput input = rtc_input (token);
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;

  input.role = AK_DOCTOR_ROLE_PUBLISHER;
  diagnosis = diagnose (&input, candidates);
  g_assert_false (ak_doctor_diagnosis_explains_rejection (diagnosis));
  g_assert_cmpuint (g_list_model_get_n_items (ak_doctor_diagnosis_get_findings (diagnosis)),
                    ==, 0);
  g_assert_cmpint (ak_doctor_diagnosis_get_certificate (diagnosis), ==, AK_CERTIFICATE_PRIMARY);
  g_assert_cmpstr (ak_doctor_diagnosis_get_project_label (diagnosis), ==, "Demo");
  g_assert_false (ak_doctor_diagnosis_get_repaired (diagnosis));
}

static void
test_app_id (void)
{
  g_autofree char *token = build (&(Spec) { 0 });
  g_autoptr(GPtrArray) other = candidates_new (APP_ID_2, CERT_1, NULL, FALSE);
  AkDoctorInput input = rtc_input (token);

  input.app_id = APP_ID_2;
  assert_first (&input, NULL, AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);

  input.app_id = APP_ID;
  assert_first (&input, other, AK_DOCTOR_APP_ID_UNKNOWN, AK_DOCTOR_SEVERITY_WARNING);
}

static void
test_certificate (void)
{
  g_autofree char *token = build (&(Spec) { .certificate = CERT_2 });
  g_autoptr(GPtrArray) mismatch = candidates_new (APP_ID, CERT_1, NULL, FALSE);
  g_autoptr(GPtrArray) removed = candidates_new (APP_ID, CERT_1, NULL, TRUE);
  g_autoptr(GPtrArray) secondary = candidates_new (APP_ID, CERT_1, CERT_2, FALSE);
  AkDoctorInput input = rtc_input (token);
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;

  assert_first (&input, mismatch, AK_DOCTOR_CERTIFICATE_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);
  assert_first (&input, removed, AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED,
                AK_DOCTOR_SEVERITY_EXPLAINS);
  assert_first (&input, secondary, AK_DOCTOR_CERTIFICATE_SECONDARY, AK_DOCTOR_SEVERITY_INFO);

  diagnosis = diagnose (&input, secondary);
  g_assert_cmpint (ak_doctor_diagnosis_get_certificate (diagnosis), ==,
                   AK_CERTIFICATE_SECONDARY);
}

static void
test_checksum_006 (void)
{
  g_autofree char *token = build_006 ("demo", "42", ISSUED + 7200);
  g_autoptr(GPtrArray) candidates = candidates_new (APP_ID, CERT_1, NULL, FALSE);
  AkDoctorInput input = rtc_input (token);
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;

  diagnosis = diagnose (&input, candidates);
  g_assert_false (ak_doctor_diagnosis_explains_rejection (diagnosis));
  g_assert_cmpint (ak_doctor_diagnosis_get_certificate (diagnosis), ==, AK_CERTIFICATE_PRIMARY);

  input.uid = 43;
  assert_first (&input, candidates, AK_DOCTOR_CHECKSUM_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);
  input.uid = 42;
  input.channel = "Demo";
  assert_first (&input, NULL, AK_DOCTOR_CHECKSUM_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);
}

static void
test_time (void)
{
  g_autofree char *expired = build (&(Spec) { .expire = 30, .join = 30 });
  g_autofree char *privilege = build (&(Spec) { .join = 30 });
  g_autofree char *soon = build (&(Spec) { .expire = 1800, .join = 1800 });
  g_autofree char *absolute = build (&(Spec) { .expire = ISSUED + 3600 });
  g_autofree char *outlives = build (&(Spec) { .expire = 7200, .join = 14400 });
  g_autofree char *zero = build (&(Spec) { .join_zero = TRUE });
  g_autofree char *old_006 = build_006 ("demo", "42", 3600);
  AkDoctorInput input = rtc_input (expired);
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;

  assert_first (&input, NULL, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS);
  input.token = privilege;
  assert_first (&input, NULL, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS);
  diagnosis = diagnose (&input, NULL);
  g_assert_nonnull (strstr (ak_doctor_finding_get_verdict (first_finding (diagnosis)),
                            "joinChannel"));
  g_clear_pointer (&diagnosis, ak_doctor_diagnosis_unref);

  input.token = soon;
  assert_first (&input, NULL, AK_DOCTOR_EXPIRES_SOON, AK_DOCTOR_SEVERITY_WARNING);
  input.session_seconds = 600;
  diagnosis = diagnose (&input, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (ak_doctor_diagnosis_get_findings (diagnosis)),
                    ==, 0);
  g_clear_pointer (&diagnosis, ak_doctor_diagnosis_unref);
  input.session_seconds = 0;

  input.token = absolute;
  assert_first (&input, NULL, AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE, AK_DOCTOR_SEVERITY_LIKELY);
  input.token = outlives;
  assert_first (&input, NULL, AK_DOCTOR_PRIVILEGE_OUTLIVES_TOKEN, AK_DOCTOR_SEVERITY_INFO);
  /* The builders' default privilege_expire of 0 expires at the issue time. */
  input.token = zero;
  assert_first (&input, NULL, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS);
  /* 006 privileges are absolute: "3600" is 1970. */
  input.token = old_006;
  assert_first (&input, NULL, AK_DOCTOR_PRIVILEGE_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS);

  /* A token server whose clock runs an hour ahead. */
  ak_clock_set_for_testing (ISSUED - 3600);
  input.token = privilege;
  diagnosis = diagnose (&input, NULL);
  g_assert_cmpstr (ak_doctor_finding_get_id (first_finding (diagnosis)), ==,
                   AK_DOCTOR_ISSUED_IN_FUTURE);
  g_assert_nonnull (strstr (ak_doctor_finding_get_verdict (first_finding (diagnosis)), "1 h"));
  ak_clock_set_for_testing (NOW);
}

static void
test_channel (void)
{
  static const struct
  {
    const char *in_token;
    const char *used;
    const char *id;
  } cases[] = {
    { "Demo", "demo", AK_DOCTOR_CHANNEL_CASE },
    { "demo", "demo ", AK_DOCTOR_CHANNEL_WHITESPACE },
    { "caf\xc3\xa9", "cafe\xcc\x81", AK_DOCTOR_CHANNEL_NORMALIZATION },
    { "demo", "other", AK_DOCTOR_CHANNEL_MISMATCH },
    { "demo/1", NULL, AK_DOCTOR_CHANNEL_INVALID_CHARACTERS },
    { "0123456789012345678901234567890123456789012345678901234567890123x", NULL,
      AK_DOCTOR_CHANNEL_TOO_LONG },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *token = build (&(Spec) { .channel = cases[i].in_token });
      AkDoctorInput input = rtc_input (token);

      input.channel = cases[i].used;
      assert_first (&input, NULL, cases[i].id, AK_DOCTOR_SEVERITY_EXPLAINS);
    }
}

static void
test_uid (void)
{
  g_autofree char *account = build (&(Spec) { .uid = "user-7" });
  g_autofree char *numeric = build (&(Spec) { .uid = "123" });
  g_autofree char *any = build (&(Spec) { .uid = "" });
  g_autofree char *uid_42 = build (&(Spec) { 0 });
  AkDoctorInput input = rtc_input (account);

  input.uid = 7;
  assert_first (&input, NULL, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_SEVERITY_EXPLAINS);

  input.token = numeric;
  input.has_uid = FALSE;
  input.account = "123";
  assert_first (&input, NULL, AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_SEVERITY_WARNING);

  input.token = uid_42;
  input.has_uid = TRUE;
  input.uid = 43;
  assert_first (&input, NULL, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);
  /* uid 0 asks the server for a uid: a token for uid 42 cannot be used. */
  input.uid = 0;
  assert_first (&input, NULL, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);

  input.token = any;
  input.uid = 5;
  assert_first (&input, NULL, AK_DOCTOR_UID_ZERO, AK_DOCTOR_SEVERITY_INFO);
}

static void
test_service (void)
{
  g_autofree char *rtm_only = build (&(Spec) { .no_rtc = TRUE, .rtm_user = "bob" });
  g_autofree char *rtc_only = build (&(Spec) { 0 });
  g_autofree char *chat_user = build (&(Spec) { .no_rtc = TRUE, .chat_user = "bob" });
  g_autofree char *chat_app = build (&(Spec) { .no_rtc = TRUE, .chat_user = "" });
  AkDoctorInput input = rtc_input (rtm_only);
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  const AkTokenRequestText *regenerate;

  assert_first (&input, NULL, AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_SEVERITY_EXPLAINS);
  diagnosis = diagnose (&input, NULL);
  regenerate = ak_doctor_finding_get_regenerate (first_finding (diagnosis));
  g_assert_nonnull (regenerate);
  g_assert_cmpstr (regenerate->kind, ==, "rtc");
  g_assert_cmpstr (regenerate->channel, ==, "demo");
  g_assert_cmpstr (regenerate->uid, ==, "42");

  input.token = rtc_only;
  input.product = AK_DOCTOR_PRODUCT_RTM;
  input.has_uid = FALSE;
  input.account = "bob";
  assert_first (&input, NULL, AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_SEVERITY_EXPLAINS);

  input.token = chat_user;
  input.product = AK_DOCTOR_PRODUCT_CHAT;
  input.account = NULL;
  assert_first (&input, NULL, AK_DOCTOR_CHAT_USER_TOKEN_AS_APP, AK_DOCTOR_SEVERITY_EXPLAINS);
  input.token = chat_app;
  input.account = "bob";
  assert_first (&input, NULL, AK_DOCTOR_CHAT_APP_TOKEN_AS_USER, AK_DOCTOR_SEVERITY_EXPLAINS);
}

static void
test_convoai (void)
{
  g_autofree char *token = build (&(Spec) { .channel = "room", .uid = "1001" });
  g_autofree char *account = build (&(Spec) { .channel = "room", .uid = "agent" });
  g_autofree char *legacy = build_006 ("room", "1001", ISSUED + 7200);
  AkDoctorInput input = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;

  input.token = token;
  input.product = AK_DOCTOR_PRODUCT_CONVOAI;
  input.convoai_body = "{\"name\": \"a\", \"properties\": {\"channel\": \"room2\", "
                       "\"agent_rtc_uid\": \"1001\"}}";
  assert_first (&input, NULL, AK_DOCTOR_CONVOAI_CHANNEL_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);
  input.convoai_body = "{\"properties\": {\"channel\": \"room\", \"agent_rtc_uid\": \"1002\"}}";
  assert_first (&input, NULL, AK_DOCTOR_CONVOAI_UID_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);

  input.token = account;
  input.convoai_body = "{\"properties\": {\"channel\": \"room\", \"agent_rtc_uid\": \"agent\"}}";
  assert_first (&input, NULL, AK_DOCTOR_CONVOAI_STRING_UID, AK_DOCTOR_SEVERITY_EXPLAINS);
  input.convoai_body = "{\"properties\": {\"channel\": \"room\", \"agent_rtc_uid\": \"agent\", "
                       "\"enable_string_uid\": true}}";
  diagnosis = diagnose (&input, NULL);
  g_assert_false (ak_doctor_diagnosis_explains_rejection (diagnosis));
  g_clear_pointer (&diagnosis, ak_doctor_diagnosis_unref);

  input.token = legacy;
  input.convoai_body = NULL;
  assert_first (&input, NULL, AK_DOCTOR_VERSION_006_NOT_ACCEPTED, AK_DOCTOR_SEVERITY_EXPLAINS);

  input.token = token;
  input.convoai_body = "{\"properties\": ";
  g_assert_null (ak_token_doctor_diagnose (&input, NULL, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
}

static void
test_role (void)
{
  g_autofree char *subscriber = build (&(Spec) { 0 });
  AkDoctorInput input = rtc_input (subscriber);
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  const AkTokenRequestText *regenerate;

  input.role = AK_DOCTOR_ROLE_PUBLISHER;
  assert_first (&input, NULL, AK_DOCTOR_ROLE_NO_PUBLISH, AK_DOCTOR_SEVERITY_LIKELY);
  diagnosis = diagnose (&input, NULL);
  g_assert_nonnull (strstr (ak_doctor_finding_get_verdict (first_finding (diagnosis)),
                            "strict"));
  regenerate = ak_doctor_finding_get_regenerate (first_finding (diagnosis));
  g_assert_cmpstr (regenerate->role, ==, "publisher");

  input.role = AK_DOCTOR_ROLE_SUBSCRIBER;
  g_clear_pointer (&diagnosis, ak_doctor_diagnosis_unref);
  diagnosis = diagnose (&input, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (ak_doctor_diagnosis_get_findings (diagnosis)),
                    ==, 0);
}

static void
test_damage (void)
{
  g_autofree char *token = NULL;
  g_autofree char *spaced = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *header = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *wrapped = NULL;
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  AkDoctorInput input;

  /* The first salt whose token has a "+" (deterministic: the salt is the only change). */
  for (guint32 salt = 1; salt < 1000 && token == NULL; salt++)
    {
      char *text = build (&(Spec) { .salt = salt });

      if (strchr (text, '+') != NULL)
        token = text;
      else
        g_free (text);
    }
  g_assert_nonnull (token);

  spaced = g_strdelimit (g_strdup (token), "+", ' ');
  input = rtc_input (spaced);
  assert_first (&input, NULL, AK_DOCTOR_TOKEN_REPAIRED_SPACES, AK_DOCTOR_SEVERITY_EXPLAINS);
  diagnosis = diagnose (&input, NULL);
  g_assert_true (ak_doctor_diagnosis_get_repaired (diagnosis));
  g_assert_cmpstr (ak_doctor_diagnosis_get_token_text (diagnosis), ==, token);
  g_clear_pointer (&diagnosis, ak_doctor_diagnosis_unref);

  bearer = g_strdup_printf ("Bearer %s", token);
  input.token = bearer;
  assert_first (&input, NULL, AK_DOCTOR_TOKEN_WRAPPED, AK_DOCTOR_SEVERITY_EXPLAINS);
  header = g_strdup_printf ("agora token=\"%s\"", token);
  input.token = header;
  diagnosis = diagnose (&input, NULL);
  g_assert_cmpstr (ak_doctor_finding_get_id (first_finding (diagnosis)), ==,
                   AK_DOCTOR_TOKEN_WRAPPED);
  g_assert_nonnull (strstr (ak_doctor_finding_get_verdict (first_finding (diagnosis)),
                            "agora token="));
  g_assert_nonnull (strstr (ak_doctor_finding_get_verdict (first_finding (diagnosis)),
                            "quotes"));
  g_assert_cmpstr (ak_doctor_diagnosis_get_token_text (diagnosis), ==, token);
  g_clear_pointer (&diagnosis, ak_doctor_diagnosis_unref);

  /* Wrapped by a mail client. */
  wrapped = g_strdup_printf ("%.40s\r\n%s", token, token + 40);
  input.token = wrapped;
  diagnosis = diagnose (&input, NULL);
  g_assert_cmpstr (ak_doctor_finding_get_id (first_finding (diagnosis)), ==,
                   AK_DOCTOR_TOKEN_WRAPPED);
  g_assert_nonnull (strstr (ak_doctor_finding_get_verdict (first_finding (diagnosis)),
                            "line breaks"));
  g_assert_cmpstr (ak_doctor_diagnosis_get_token_text (diagnosis), ==, token);

  /* Cut short: not repairable, so an error that says so, with the length. */
  cut = g_strndup (token, strlen (token) - 5);
  input.token = cut;
  g_assert_null (ak_token_doctor_diagnose (&input, NULL, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "cut short"));
  g_clear_error (&error);

  input.token = "hello";
  g_assert_null (ak_token_doctor_diagnose (&input, NULL, &error));
  g_assert_error (error, AK_ERROR, AK_ERROR_BAD_VERSION);
}

static void
test_error_code_ranking (void)
{
  g_autofree char *token = build (&(Spec) { .expire = 30, .join = 30 });
  g_autofree char *future = build (&(Spec) { 0 });
  AkDoctorInput input = rtc_input (token);

  /* Expired and for another channel: the error code decides which comes first. */
  input.channel = "other";
  assert_first (&input, NULL, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS);
  input.error_code = "110";
  assert_first (&input, NULL, AK_DOCTOR_CHANNEL_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);
  input.error_code = "CONNECTION_CHANGED_INVALID_TOKEN";
  assert_first (&input, NULL, AK_DOCTOR_CHANNEL_MISMATCH, AK_DOCTOR_SEVERITY_EXPLAINS);
  input.error_code = "109";
  assert_first (&input, NULL, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_SEVERITY_EXPLAINS);

  /* "Expired" from the server turns clock skew from likely into the explanation. */
  ak_clock_set_for_testing (ISSUED - 3600);
  input.token = future;
  input.channel = "demo";
  input.error_code = NULL;
  assert_first (&input, NULL, AK_DOCTOR_ISSUED_IN_FUTURE, AK_DOCTOR_SEVERITY_LIKELY);
  input.error_code = "109";
  assert_first (&input, NULL, AK_DOCTOR_ISSUED_IN_FUTURE, AK_DOCTOR_SEVERITY_EXPLAINS);
  ak_clock_set_for_testing (NOW);
}

static gboolean
is_known_finding (const char *id)
{
  static const char * const ids[] = {
    AK_DOCTOR_TOKEN_REPAIRED_SPACES, AK_DOCTOR_TOKEN_WRAPPED, AK_DOCTOR_TOKEN_TRUNCATED,
    AK_DOCTOR_VERSION_006_NOT_ACCEPTED, AK_DOCTOR_VERSION_007_NOT_ACCEPTED,
    AK_DOCTOR_APP_ID_MISMATCH, AK_DOCTOR_APP_ID_UNKNOWN, AK_DOCTOR_CERTIFICATE_MISMATCH,
    AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED, AK_DOCTOR_CERTIFICATE_SECONDARY,
    AK_DOCTOR_CHECKSUM_MISMATCH, AK_DOCTOR_TOKEN_EXPIRED, AK_DOCTOR_PRIVILEGE_EXPIRED,
    AK_DOCTOR_EXPIRES_SOON, AK_DOCTOR_ISSUED_IN_FUTURE, AK_DOCTOR_EXPIRE_LOOKS_ABSOLUTE,
    AK_DOCTOR_PRIVILEGE_OUTLIVES_TOKEN, AK_DOCTOR_CHANNEL_MISMATCH, AK_DOCTOR_CHANNEL_CASE,
    AK_DOCTOR_CHANNEL_WHITESPACE, AK_DOCTOR_CHANNEL_NORMALIZATION,
    AK_DOCTOR_CHANNEL_INVALID_CHARACTERS, AK_DOCTOR_CHANNEL_TOO_LONG,
    AK_DOCTOR_UID_ACCOUNT_SWAP, AK_DOCTOR_UID_MISMATCH, AK_DOCTOR_UID_ZERO,
    AK_DOCTOR_SERVICE_MISSING, AK_DOCTOR_CHAT_USER_TOKEN_AS_APP,
    AK_DOCTOR_CHAT_APP_TOKEN_AS_USER, AK_DOCTOR_CONVOAI_CHANNEL_MISMATCH,
    AK_DOCTOR_CONVOAI_UID_MISMATCH, AK_DOCTOR_CONVOAI_STRING_UID, AK_DOCTOR_ROLE_NO_PUBLISH,
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    if (g_str_equal (ids[i], id))
      return TRUE;
  return FALSE;
}

static void
test_error_codes (void)
{
  gsize n_codes = 0;
  const AkDoctorErrorCode *codes = ak_token_doctor_error_codes (&n_codes);
  const AkDoctorErrorCode *code;

  g_assert_cmpuint (n_codes, >=, 8);
  for (gsize i = 0; i < n_codes; i++)
    {
      g_assert_cmpstr (codes[i].code, !=, "");
      g_assert_cmpstr (codes[i].meaning, !=, "");
      g_assert_cmpstr (codes[i].context, !=, "");
      /* Only a code that is not about the token points to no finding. */
      g_assert_nonnull (codes[i].finding_ids);
      if (codes[i].finding_ids[0] == NULL)
        g_assert_nonnull (strstr (codes[i].meaning, "not a token fault"));
      for (guint j = 0; codes[i].finding_ids[j] != NULL; j++)
        g_assert_true (is_known_finding (codes[i].finding_ids[j]));
    }

  code = ak_token_doctor_lookup_error_code ("109", AK_DOCTOR_PRODUCT_RTC);
  g_assert_nonnull (code);
  g_assert_cmpstr (code->name, ==, "ERR_TOKEN_EXPIRED");
  g_assert_cmpstr (code->finding_ids[0], ==, AK_DOCTOR_TOKEN_EXPIRED);
  code = ak_token_doctor_lookup_error_code (" err_invalid_token ", AK_DOCTOR_PRODUCT_ANY);
  g_assert_nonnull (code);
  g_assert_cmpstr (code->code, ==, "110");
  code = ak_token_doctor_lookup_error_code ("-17", AK_DOCTOR_PRODUCT_RTC);
  g_assert_nonnull (code);
  g_assert_cmpstr (code->name, ==, "ERR_JOIN_CHANNEL_REJECTED");
  g_assert_nonnull (ak_token_doctor_lookup_error_code ("8", AK_DOCTOR_PRODUCT_RTC));
  g_assert_nonnull (ak_token_doctor_lookup_error_code ("9", AK_DOCTOR_PRODUCT_RTC));
  g_assert_nonnull (ak_token_doctor_lookup_error_code ("101", AK_DOCTOR_PRODUCT_RTC));
  g_assert_cmpint (ak_token_doctor_lookup_error_code ("401", AK_DOCTOR_PRODUCT_CHAT)->product,
                   ==, AK_DOCTOR_PRODUCT_CHAT);
  g_assert_cmpint (ak_token_doctor_lookup_error_code ("401", AK_DOCTOR_PRODUCT_CONVOAI)->product,
                   ==, AK_DOCTOR_PRODUCT_CONVOAI);
  g_assert_cmpstr (ak_token_doctor_lookup_error_code ("6", AK_DOCTOR_PRODUCT_RTM)->name, ==,
                   "LOGIN_ERR_TOKEN_EXPIRED");
  g_assert_null (ak_token_doctor_lookup_error_code ("12345", AK_DOCTOR_PRODUCT_ANY));

  /* Signaling 2.x: the SDK's negative codes, and reasons that share RTC's numbers. */
  code = ak_token_doctor_lookup_error_code ("-10005", AK_DOCTOR_PRODUCT_RTM);
  g_assert_nonnull (code);
  g_assert_cmpstr (code->name, ==, "RTM_ERROR_INVALID_TOKEN");
  g_assert_cmpstr (code->finding_ids[0], ==, AK_DOCTOR_SERVICE_MISSING);
  code = ak_token_doctor_lookup_error_code ("rtm_error_token_expired", AK_DOCTOR_PRODUCT_ANY);
  g_assert_nonnull (code);
  g_assert_cmpstr (code->code, ==, "-10009");
  g_assert_cmpstr (code->finding_ids[0], ==, AK_DOCTOR_TOKEN_EXPIRED);
  g_assert_cmpstr (ak_token_doctor_lookup_error_code ("9", AK_DOCTOR_PRODUCT_RTM)->name, ==,
                   "RTM_CONNECTION_CHANGED_TOKEN_EXPIRED");
  g_assert_cmpstr (ak_token_doctor_lookup_error_code ("9", AK_DOCTOR_PRODUCT_RTC)->name, ==,
                   "CONNECTION_CHANGED_TOKEN_EXPIRED");
  g_assert_null (ak_token_doctor_lookup_error_code ("-10015", AK_DOCTOR_PRODUCT_RTM)
                 ->finding_ids[0]);
  g_assert_cmpstr (ak_token_doctor_lookup_error_code ("-10016", AK_DOCTOR_PRODUCT_RTM)
                   ->finding_ids[0], ==, AK_DOCTOR_APP_ID_MISMATCH);

  /* ConvoAI: 403 is the account, 401 the token. */
  code = ak_token_doctor_lookup_error_code ("403", AK_DOCTOR_PRODUCT_CONVOAI);
  g_assert_nonnull (code);
  g_assert_null (code->finding_ids[0]);
  g_assert_nonnull (strstr (code->meaning, "not a token fault"));
}

static void
test_report (void)
{
  g_autofree char *token = build (&(Spec) { .certificate = CERT_2 });
  g_autoptr(GPtrArray) candidates = candidates_new (APP_ID, CERT_1, NULL, FALSE);
  AkDoctorInput input = rtc_input (token);
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *signature = NULL;
  g_autofree char *report = NULL;
  g_autofree char *with_token = NULL;
  g_autofree char *json_text = NULL;
  JsonObject *first;

  input.app_id = APP_ID_2;
  diagnosis = diagnose (&input, candidates);
  signature = ak_token_dup_signature_hex (ak_doctor_diagnosis_get_token (diagnosis));
  report = ak_token_doctor_report_text (diagnosis, FALSE);
  with_token = ak_token_doctor_report_text (diagnosis, TRUE);

  g_assert_null (strstr (report, CERT_1));
  g_assert_null (strstr (report, CERT_2));
  g_assert_null (strstr (report, signature));
  g_assert_null (strstr (report, APP_ID));
  g_assert_null (strstr (report, APP_ID_2));
  g_assert_null (strstr (report, token));
  g_assert_nonnull (strstr (report, "970C…1b33"));
  g_assert_nonnull (strstr (report, AK_DOCTOR_APP_ID_MISMATCH));
  g_assert_nonnull (strstr (report, AK_DOCTOR_CERTIFICATE_MISMATCH));
  {
    g_autofree char *start = g_strndup (signature, 4);

    g_assert_nonnull (strstr (report, start));
  }
  g_assert_nonnull (strstr (with_token, token));
  g_assert_null (strstr (with_token, CERT_1));

  json = ak_doctor_diagnosis_to_json (diagnosis);
  json_generator_set_root (generator, json);
  json_text = json_generator_to_data (generator, NULL);
  g_assert_null (strstr (json_text, CERT_1));
  g_assert_null (strstr (json_text, APP_ID));
  g_assert_null (strstr (json_text, token));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (json),
                                                 "explains-rejection"));
  first = json_array_get_object_element (json_object_get_array_member (
                                           json_node_get_object (json), "findings"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, AK_DOCTOR_APP_ID_MISMATCH);
  g_assert_cmpstr (json_object_get_string_member (first, "severity"), ==, "explains");
}

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  /* The in-memory store answers from idle callbacks: a few iterations, never a wait. */
  for (guint i = 0; i < 100000 && *result == NULL; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*result);
  return *result;
}

static void
add_project (AkCredentialStore *store,
             const char        *label,
             const char        *app_id,
             const char        *primary)
{
  g_autoptr(AkCredential) added = ak_test_store_add_project (store, label, app_id, primary, NULL);
}

/* The stored projects become candidates; only the token's project has its certificates. */
static void
test_store_candidates (void)
{
  g_autoptr(AkCredentialStore) store = ak_credential_store_new_in_memory ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = build (&(Spec) { .certificate = CERT_2 });
  AkDoctorInput input = rtc_input (token);
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;

  ak_credential_store_load_async (store, NULL, got_result, &result);
  g_assert_true (ak_credential_store_load_finish (store, wait_for (&result), &error));
  g_clear_object (&result);
  add_project (store, "Demo", APP_ID, CERT_1);
  add_project (store, "Other", APP_ID_2, CERT_2);

  ak_token_doctor_load_candidates_async (store, APP_ID, NULL, got_result, &result);
  candidates = ak_token_doctor_load_candidates_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 2);
  for (guint i = 0; i < candidates->len; i++)
    {
      AkDoctorCandidate *candidate = g_ptr_array_index (candidates, i);

      if (g_str_equal (candidate->app_id, APP_ID))
        g_assert_cmpstr (candidate->primary_certificate, ==, CERT_1);
      else
        g_assert_null (candidate->primary_certificate);
    }

  /* Signed with the other project's certificate: not this project's. */
  diagnosis = diagnose (&input, candidates);
  g_assert_cmpstr (ak_doctor_finding_get_id (first_finding (diagnosis)), ==,
                   AK_DOCTOR_CERTIFICATE_MISMATCH);
}

/* Removing a secondary certificate in the store is remembered (when, not the certificate):
 * a token still signed with it is then told apart from one signed with a stranger's. */
static void
test_store_secondary_removed (void)
{
  g_autoptr(AkCredentialStore) store = ak_credential_store_new_in_memory ();
  g_autoptr(AkCredential) project = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();
  g_autoptr(AkCredentialSecrets) primary_only = ak_credential_secrets_new ();
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(AkCredential) changes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(AkCredential) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = build (&(Spec) { .certificate = CERT_2 });
  AkDoctorInput input = rtc_input (token);
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  AkCredential *stored;

  ak_credential_store_load_async (store, NULL, got_result, &result);
  g_assert_true (ak_credential_store_load_finish (store, wait_for (&result), &error));
  g_clear_object (&result);
  ak_credential_set_label (project, "Demo");
  ak_credential_set_app_id (project, APP_ID);
  secrets->primary_certificate = g_strdup (CERT_1);
  secrets->secondary_certificate = g_strdup (CERT_2);
  ak_credential_store_add_async (store, project, secrets, NULL, got_result, &result);
  added = ak_credential_store_add_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  stored = ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "Demo");
  g_assert_cmpint (ak_credential_get_secondary_removed_at (stored), ==, 0);

  /* The user removes the secondary certificate. */
  ak_clock_set_for_testing (1767225600);
  changes = ak_credential_copy (stored);
  primary_only->primary_certificate = g_strdup (CERT_1);
  ak_credential_store_update_async (store, stored, changes, primary_only, NULL, got_result,
                                    &result);
  g_assert_true (ak_credential_store_update_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  ak_clock_set_for_testing (NOW);
  g_assert_false (ak_credential_get_has_secondary (stored));
  g_assert_cmpint (ak_credential_get_secondary_removed_at (stored), ==, 1767225600);

  /* Kept in the item's attributes, so it survives a restart. */
  attributes = ak_credential_to_attributes (stored);
  reread = ak_credential_new_from_attributes (attributes);
  g_assert_cmpint (ak_credential_get_secondary_removed_at (reread), ==, 1767225600);

  ak_token_doctor_load_candidates_async (store, APP_ID, NULL, got_result, &result);
  candidates = ak_token_doctor_load_candidates_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  diagnosis = diagnose (&input, candidates);
  g_assert_cmpstr (ak_doctor_finding_get_id (first_finding (diagnosis)), ==,
                   AK_DOCTOR_CERTIFICATE_SECONDARY_REMOVED);
}

static void
test_names (void)
{
  AkDoctorProduct product;
  AkDoctorRole role;

  g_assert_true (ak_doctor_product_from_name ("convoai", &product));
  g_assert_cmpint (product, ==, AK_DOCTOR_PRODUCT_CONVOAI);
  g_assert_cmpstr (ak_doctor_product_to_name (AK_DOCTOR_PRODUCT_STT), ==, "stt");
  g_assert_false (ak_doctor_product_from_name ("video", &product));
  g_assert_true (ak_doctor_role_from_name ("subscriber", &role));
  g_assert_cmpint (role, ==, AK_DOCTOR_ROLE_SUBSCRIBER);
  g_assert_false (ak_doctor_role_from_name ("host", &role));

  /* Every value goes there and back; names are read in any case and written in lower case. */
  for (int i = AK_DOCTOR_PRODUCT_ANY; i <= AK_DOCTOR_PRODUCT_STT; i++)
    {
      g_autofree char *upper = g_ascii_strup (ak_doctor_product_to_name (i), -1);

      g_assert_true (ak_doctor_product_from_name (upper, &product));
      g_assert_cmpint (product, ==, i);
    }
  g_assert_cmpstr (ak_doctor_role_to_name (AK_DOCTOR_ROLE_UNKNOWN), ==, "unknown");
  g_assert_true (ak_doctor_role_from_name ("Publisher", NULL));
  g_assert_null (ak_doctor_role_to_name ((AkDoctorRole) 42));
  g_assert_false (ak_doctor_product_from_name ("", &product));
}

int
main (int argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  ak_clock_set_for_testing (NOW);

  g_test_add_func ("/ak/token-doctor/clean", test_clean);
  g_test_add_func ("/ak/token-doctor/app-id", test_app_id);
  g_test_add_func ("/ak/token-doctor/certificate", test_certificate);
  g_test_add_func ("/ak/token-doctor/checksum-006", test_checksum_006);
  g_test_add_func ("/ak/token-doctor/time", test_time);
  g_test_add_func ("/ak/token-doctor/channel", test_channel);
  g_test_add_func ("/ak/token-doctor/uid", test_uid);
  g_test_add_func ("/ak/token-doctor/service", test_service);
  g_test_add_func ("/ak/token-doctor/convoai", test_convoai);
  g_test_add_func ("/ak/token-doctor/role", test_role);
  g_test_add_func ("/ak/token-doctor/damage", test_damage);
  g_test_add_func ("/ak/token-doctor/error-code-ranking", test_error_code_ranking);
  g_test_add_func ("/ak/token-doctor/error-codes", test_error_codes);
  g_test_add_func ("/ak/token-doctor/report", test_report);
  g_test_add_func ("/ak/token-doctor/store-candidates", test_store_candidates);
  g_test_add_func ("/ak/token-doctor/store-secondary-removed", test_store_secondary_removed);
  g_test_add_func ("/ak/token-doctor/names", test_names);
  return g_test_run ();
}
