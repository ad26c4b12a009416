/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ak-core.h"
#include "ak-token-request.h"

#define TEST_APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define NOW 1700000000

static AkTokenRequest
full_request (AkTokenKind kind)
{
  AkTokenRequest request = {
    .kind = kind,
    .app_id = TEST_APP_ID,
    .app_certificate = CERT,
    .channel = "demo",
    .uid = 42,
    .account = "alice",
    .role = AK_RTC_ROLE_PUBLISHER,
    .expire = 3600,
    .privilege_expire = 3600,
    .each_privilege_expire = { 3600, 1800, 1200, 600 },
    .user_id = "bob",
    .rtm_user_id = "bob-rtm",
    .rtm_expire = 7200,
    .permissions = "messageChannels:read:chan-a, users:write:carol",
    .room_uuid = "room-1",
    .user_uuid = "user-1",
    .apaas_role = 2,
  };
  return request;
}

static AkToken *
build_and_parse (const AkTokenRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) inputs = NULL;
  g_autoptr(AkBuildResult) result = NULL;
  AkBuilder builder;
  AkToken *token;

  inputs = ak_token_request_to_inputs (request, NOW, &builder, &error);
  g_assert_no_error (error);
  result = ak_build_token (builder, inputs, &error);
  g_assert_no_error (error);
  token = ak_token_parse (ak_build_result_get_token (result), &error);
  g_assert_no_error (error);
  g_assert_true (ak_token_verify (token, CERT, request->channel,
                                  ak_token_get_version (token) == AK_TOKEN_VERSION_006
                                    && request->kind == AK_TOKEN_KIND_RTM006 ? "" : "42",
                                  NULL, NULL)
                 || ak_token_get_version (token) == AK_TOKEN_VERSION_006);
  return token;
}

/* Every kind builds from a full form, and the token carries what the form said. */
static void
test_every_kind_builds (gconstpointer data)
{
  AkTokenKind kind = GPOINTER_TO_UINT (data);
  AkTokenRequest request = full_request (kind);
  g_autoptr(AkToken) token = build_and_parse (&request);
  AkTokenField fields = ak_token_kind_get_fields (kind);

  g_assert_cmpstr (ak_token_kind_get_label (kind), !=, "");
  if (ak_token_get_version (token) == AK_TOKEN_VERSION_007)
    {
      const AkService *first = ak_token_get_service (token, 0);

      g_assert_cmpuint (ak_token_get_issue_ts (token), ==, NOW);
      if (fields & AK_TOKEN_FIELD_CHANNEL)
        g_assert_cmpstr (first->channel_name, ==, "demo");
      if (fields & AK_TOKEN_FIELD_EXPIRE)
        g_assert_cmpuint (ak_token_get_expire (token), ==, 3600);
    }
  else
    {
      g_assert_cmpuint (g_array_index (ak_token_get_privileges_006 (token), AkPrivilege, 0).value,
                        ==, NOW + 3600);
    }
}

static void
test_uid_or_account (void)
{
  AkTokenRequest request = full_request (AK_TOKEN_KIND_RTC);
  g_autoptr(AkToken) by_uid = build_and_parse (&request);
  g_autoptr(AkToken) by_account = NULL;

  g_assert_cmpstr (ak_token_get_service (by_uid, 0)->uid, ==, "42");
  request.use_account = TRUE;
  by_account = build_and_parse (&request);
  g_assert_cmpstr (ak_token_get_service (by_account, 0)->uid, ==, "alice");

  /* uid 0 is "any user", encoded as the empty string */
  request.use_account = FALSE;
  request.uid = 0;
  {
    g_autoptr(AkToken) any = build_and_parse (&request);

    g_assert_cmpstr (ak_token_get_service (any, 0)->uid, ==, "");
  }
}

static void
test_subscriber_and_privileges (void)
{
  AkTokenRequest request = full_request (AK_TOKEN_KIND_RTC);
  g_autoptr(AkToken) token = NULL;
  guint32 value;

  request.role = AK_RTC_ROLE_SUBSCRIBER;
  request.privilege_expire = 600;
  token = build_and_parse (&request);
  g_assert_cmpuint (ak_token_get_service (token, 0)->privileges->len, ==, 1);
  g_assert_true (ak_service_get_privilege (ak_token_get_service (token, 0), 1, &value));
  g_assert_cmpuint (value, ==, 600);
}

static void
test_each_privilege (void)
{
  AkTokenRequest request = full_request (AK_TOKEN_KIND_RTC_PRIVILEGES);
  g_autoptr(AkToken) token = build_and_parse (&request);
  const AkService *rtc = ak_token_get_service (token, 0);
  guint32 expected[] = { 3600, 1800, 1200, 600 };

  for (guint16 id = 1; id <= 4; id++)
    {
      guint32 value;

      g_assert_true (ak_service_get_privilege (rtc, id, &value));
      g_assert_cmpuint (value, ==, expected[id - 1]);
    }
}

static void
test_006_never (void)
{
  AkTokenRequest request = full_request (AK_TOKEN_KIND_RTC006);
  g_autoptr(AkToken) token = NULL;

  request.never_expire = TRUE;
  token = build_and_parse (&request);
  g_assert_cmpuint (g_array_index (ak_token_get_privileges_006 (token), AkPrivilege, 0).value,
                    ==, 0);
}

/* The agent kinds are everyday ones, listed right after the other everyday kinds. */
static void
test_agent_kinds_are_basic (void)
{
  g_assert_cmpuint (AK_TOKEN_KIND_CONVOAI, <, AK_N_BASIC_TOKEN_KINDS);
  g_assert_cmpuint (AK_TOKEN_KIND_STT, <, AK_N_BASIC_TOKEN_KINDS);
  g_assert_cmpuint (AK_N_BASIC_TOKEN_KINDS, ==, AK_TOKEN_KIND_RTC_PRIVILEGES);
  g_assert_cmpuint (AK_TOKEN_KIND_RTM_STREAM, ==, AK_N_TOKEN_KINDS - 1);
  g_assert_cmpstr (ak_token_kind_get_label (AK_TOKEN_KIND_CONVOAI), ==,
                   "Conversational AI agent");
  g_assert_cmpstr (ak_token_kind_get_label (AK_TOKEN_KIND_STT), ==, "Real-time STT");
  g_assert_cmpint (ak_token_kind_get_builder (AK_TOKEN_KIND_CONVOAI, FALSE), ==,
                   AK_BUILDER_CONVOAI);
  g_assert_cmpint (ak_token_kind_get_builder (AK_TOKEN_KIND_STT, TRUE), ==, AK_BUILDER_STT);
}

/* An agent's token: the form's uid or account, role and expiries for RTC, the RTM user and
 * its lifetime, then the agent service. */
static void
test_agent_tokens (gconstpointer data)
{
  AkTokenKind kind = GPOINTER_TO_UINT (data);
  guint16 agent_type = kind == AK_TOKEN_KIND_CONVOAI ? AK_SERVICE_CONVOAI : AK_SERVICE_STT;
  AkTokenRequest request = full_request (kind);
  g_autoptr(AkToken) by_uid = build_and_parse (&request);
  g_autoptr(AkToken) any_user = NULL;
  g_autoptr(AkToken) by_account = NULL;
  const AkService *rtc = ak_token_get_service (by_uid, 0);
  const AkService *rtm = ak_token_get_service (by_uid, 1);
  guint32 value;

  g_assert_cmpuint (ak_token_get_n_services (by_uid), ==, 3);
  g_assert_cmpuint (rtc->type, ==, AK_SERVICE_RTC);
  g_assert_cmpstr (rtc->uid, ==, "42");
  g_assert_cmpuint (rtc->privileges->len, ==, 4);
  g_assert_true (ak_service_get_privilege (rtc, AK_PRIV_RTC_PUBLISH_DATA, &value));
  g_assert_cmpuint (value, ==, 600);
  g_assert_cmpuint (rtm->type, ==, AK_SERVICE_RTM);
  g_assert_cmpstr (rtm->user_id, ==, "bob-rtm");
  g_assert_true (ak_service_get_privilege (rtm, AK_PRIV_RTM_LOGIN, &value));
  g_assert_cmpuint (value, ==, 7200);
  g_assert_cmpuint (ak_token_get_service (by_uid, 2)->type, ==, agent_type);
  g_assert_cmpuint (ak_token_get_service (by_uid, 2)->privileges->len, ==, 0);

  request.uid = 0;
  request.role = AK_RTC_ROLE_SUBSCRIBER;
  any_user = build_and_parse (&request);
  g_assert_cmpstr (ak_token_get_service (any_user, 0)->uid, ==, "");
  g_assert_cmpuint (ak_token_get_service (any_user, 0)->privileges->len, ==, 1);

  request.use_account = TRUE;
  by_account = build_and_parse (&request);
  g_assert_cmpstr (ak_token_get_service (by_account, 0)->uid, ==, "alice");
  g_assert_cmpuint (ak_token_get_service (by_account, 2)->type, ==, agent_type);
}

static const struct
{
  const char *name;
  AkTokenKind kind;
  const char *field;
  const char *value;
  const char *message_part;
} missing[] = {
  { "channel", AK_TOKEN_KIND_RTC, "channel", "", "channel" },
  { "account", AK_TOKEN_KIND_RTC_RTM, "account", "", "account" },
  { "user-id", AK_TOKEN_KIND_CHAT_USER, "user_id", "", "user ID" },
  { "permissions", AK_TOKEN_KIND_RTM_PERMISSIONS, "permissions", "", "permission" },
  { "bad-permission", AK_TOKEN_KIND_RTM_PERMISSIONS, "permissions", "chan-a", "chan-a" },
  { "room", AK_TOKEN_KIND_APAAS_ROOM_USER, "room_uuid", NULL, "room" },
  { "convoai-rtm-user-id", AK_TOKEN_KIND_CONVOAI, "rtm_user_id", "", "RTM user ID" },
  { "stt-account", AK_TOKEN_KIND_STT, "account", "", "account" },
};

static void
test_missing_field (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  AkTokenRequest request = full_request (missing[i].kind);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) inputs = NULL;
  AkBuilder builder;

  if (g_str_equal (missing[i].field, "channel"))
    request.channel = missing[i].value;
  else if (g_str_equal (missing[i].field, "account"))
    {
      request.use_account = TRUE;
      request.account = missing[i].value;
    }
  else if (g_str_equal (missing[i].field, "user_id"))
    request.user_id = missing[i].value;
  else if (g_str_equal (missing[i].field, "permissions"))
    request.permissions = missing[i].value;
  else if (g_str_equal (missing[i].field, "rtm_user_id"))
    request.rtm_user_id = missing[i].value;
  else
    request.room_uuid = missing[i].value;

  inputs = ak_token_request_to_inputs (&request, NOW, &builder, &error);
  g_assert_null (inputs);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, missing[i].message_part));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint kind = 0; kind < AK_N_TOKEN_KINDS; kind++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/token-request/builds/%u", kind);

      g_test_add_data_func (path, GUINT_TO_POINTER (kind), test_every_kind_builds);
    }
  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/token-request/missing/%s", missing[i].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_missing_field);
    }
  g_test_add_func ("/ak/token-request/uid-or-account", test_uid_or_account);
  g_test_add_func ("/ak/token-request/agents/basic", test_agent_kinds_are_basic);
  g_test_add_data_func ("/ak/token-request/agents/convoai",
                        GUINT_TO_POINTER (AK_TOKEN_KIND_CONVOAI), test_agent_tokens);
  g_test_add_data_func ("/ak/token-request/agents/stt", GUINT_TO_POINTER (AK_TOKEN_KIND_STT),
                        test_agent_tokens);
  g_test_add_func ("/ak/token-request/subscriber", test_subscriber_and_privileges);
  g_test_add_func ("/ak/token-request/each-privilege", test_each_privilege);
  g_test_add_func ("/ak/token-request/006-never", test_006_never);
  return g_test_run ();
}
