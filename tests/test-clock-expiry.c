/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>

#include "ak-core.h"
#include "ak-test-util.h"

/*
 * The injectable clock, expiry states and the texts the Tokens page and the CLI show,
 * all with the clock fixed so that nothing waits.
 */

#define T0 G_GINT64_CONSTANT (1700000000)

static AkToken *
parse_vector (const char *id)
{
  const char *text = json_object_get_string_member (ak_test_find_vector (id), "expected");
  g_autoptr(GError) error = NULL;
  AkToken *token = ak_token_parse (text, &error);

  g_assert_no_error (error);
  return token;
}

static void
test_clock (void)
{
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;

  ak_clock_set_for_testing (T0);
  g_assert_cmpint (ak_clock_now_unix (), ==, T0);
  ak_clock_set_for_testing (T0 + 3600);
  g_assert_cmpint (ak_clock_now_unix (), ==, T0 + 3600);

  ak_clock_set_for_testing (0);
  g_assert_cmpint (ak_clock_now_unix (), >=, real);
  g_assert_cmpint (ak_clock_now_unix (), <=, real + 5);
}

typedef struct
{
  const char *name;
  gint64 issued_at;     /* relative to T0; G_MININT64 for "not stored" (006) */
  gint64 expires_at;    /* relative to T0 */
  gint64 now;           /* relative to T0 */
  AkExpiryState state;
} StateCase;

static const StateCase state_cases[] = {
  { "24 h token just issued", 0, 86400, 0, AK_EXPIRY_FRESH },
  /* The 10 % rule: a 24-hour token warns with 2 h 24 min (8640 s) left. */
  { "24 h token, 8641 s left", 0, 86400, 86400 - 8641, AK_EXPIRY_FRESH },
  { "24 h token, 8640 s left", 0, 86400, 86400 - 8640, AK_EXPIRY_FRESH },
  { "24 h token, 8639 s left", 0, 86400, 86400 - 8639, AK_EXPIRY_WARNING },
  /* The 10-minute rule: a 1-hour token's tenth (6 min) is shorter than 10 minutes. */
  { "1 h token, 601 s left", 0, 3600, 2999, AK_EXPIRY_FRESH },
  { "1 h token, 600 s left", 0, 3600, 3000, AK_EXPIRY_FRESH },
  { "1 h token, 599 s left", 0, 3600, 3001, AK_EXPIRY_WARNING },
  { "1 h token, 1 s left", 0, 3600, 3599, AK_EXPIRY_WARNING },
  { "1 h token, at expiry", 0, 3600, 3600, AK_EXPIRY_EXPIRED },
  { "1 h token, 5 min after", 0, 3600, 3900, AK_EXPIRY_EXPIRED },
  /* 006 stores no issue time: only the 10-minute rule applies. */
  { "006, 2 h left", G_MININT64, 86400, 86400 - 7200, AK_EXPIRY_FRESH },
  { "006, 599 s left", G_MININT64, 86400, 86400 - 599, AK_EXPIRY_WARNING },
  { "006, expired", G_MININT64, 86400, 86401, AK_EXPIRY_EXPIRED },
};

static void
test_states (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (state_cases); i++)
    {
      const StateCase *c = &state_cases[i];
      gint64 issued_at = c->issued_at == G_MININT64 ? 0 : T0 + c->issued_at;
      g_autoptr(AkExpiry) expiry = ak_expiry_new ("Token", issued_at, T0 + c->expires_at);

      g_test_message ("%s", c->name);
      ak_clock_set_for_testing (T0 + c->now);
      g_assert_cmpint (ak_expiry_state_for_times (issued_at, T0 + c->expires_at,
                                                  ak_clock_now_unix ()), ==, c->state);
      g_assert_cmpint (ak_expiry_get_state (expiry, ak_clock_now_unix ()), ==, c->state);
    }
  ak_clock_set_for_testing (0);
}

static void
test_never (void)
{
  g_autoptr(AkExpiry) never = ak_expiry_new_never ("joinChannel", 0);
  g_autofree char *absolute = ak_expiry_format_absolute (never);
  g_autofree char *relative = ak_expiry_format_relative (never, T0);
  g_autofree char *countdown = ak_expiry_format_countdown (never, T0);
  g_autoptr(AkExpiry) copy = ak_expiry_copy (never);

  /* Never, whenever now is. */
  g_assert_cmpint (ak_expiry_get_state (never, T0), ==, AK_EXPIRY_NEVER);
  g_assert_cmpint (ak_expiry_get_state (never, G_MAXINT32), ==, AK_EXPIRY_NEVER);
  g_assert_cmpstr (absolute, ==, "Never");
  g_assert_cmpstr (relative, ==, "never expires");
  g_assert_cmpstr (countdown, ==, "never");
  g_assert_cmpstr (copy->label, ==, "joinChannel");
  g_assert_true (copy->never);
}

typedef struct
{
  gint64 remaining;
  const char *countdown;
} CountdownCase;

static const CountdownCase countdown_cases[] = {
  { 3 * 3600 - 1, "2:59:59" },
  { 3600, "1:00:00" },
  { 245, "0:04:05" },
  { 1, "0:00:01" },
  { 86400 - 1, "23:59:59" },
  { 86400, "1 d 00:00:00" },
  { 86400 + 3 * 3600 - 1, "1 d 02:59:59" },
  { 10 * 86400 + 61, "10 d 00:01:01" },
  { 0, "expired" },
  { -1, "expired" },
  { -86400, "expired" },
};

static void
test_countdown (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (countdown_cases); i++)
    {
      const CountdownCase *c = &countdown_cases[i];
      g_autofree char *text = ak_format_countdown (T0 + c->remaining, T0);
      g_autoptr(AkExpiry) expiry = ak_expiry_new ("Token", T0 - 60, T0 + c->remaining);
      g_autofree char *from_expiry = ak_expiry_format_countdown (expiry, T0);

      g_assert_cmpstr (text, ==, c->countdown);
      g_assert_cmpstr (from_expiry, ==, c->countdown);
    }
}

static void
test_texts (void)
{
  g_autoptr(AkExpiry) expiry = ak_expiry_new ("Token", T0, T0 + 3 * 3600 + 12 * 60);
  g_autofree char *absolute = ak_expiry_format_absolute (expiry);
  g_autofree char *relative = ak_expiry_format_relative (expiry, T0);
  g_autofree char *later = ak_expiry_format_relative (expiry, T0 + 3 * 3600 + 17 * 60);

  /* The tests run with TZ=UTC. */
  g_assert_cmpstr (absolute, ==, "2023-11-15 01:25:20 UTC");
  g_assert_cmpstr (relative, ==, "in 3 h 12 min");
  g_assert_cmpstr (later, ==, "expired 5 min ago");
}

static void
test_token_expiries_007 (void)
{
  /* RTC with four privileges, RTM, FPA and Chat; issued at 1111111, everything for 600 s. */
  g_autoptr(AkToken) token = parse_vector ("official-009");
  g_autoptr(GPtrArray) expiries = ak_token_list_expiries (token);
  static const char * const labels[] = {
    "Token", "rtc · joinChannel", "rtc · publishAudioStream", "rtc · publishVideoStream",
    "rtc · publishDataStream", "rtm · login", "fpa · login", "chat · user",
  };

  g_assert_cmpuint (expiries->len, ==, G_N_ELEMENTS (labels));
  for (guint i = 0; i < expiries->len; i++)
    {
      AkExpiry *expiry = g_ptr_array_index (expiries, i);

      g_assert_cmpstr (expiry->label, ==, labels[i]);
      g_assert_cmpint (expiry->issued_at, ==, 1111111);
      g_assert_cmpint (expiry->expires_at, ==, 1111111 + 600);
      g_assert_false (expiry->never);
      /* Issued in 1970: long expired by the real clock. */
      g_assert_cmpint (ak_expiry_get_state (expiry, ak_clock_now_unix ()), ==,
                       AK_EXPIRY_EXPIRED);
      /* A 10-minute token is fresh only at its issue time, then within the warning rule. */
      g_assert_cmpint (ak_expiry_get_state (expiry, 1111111), ==, AK_EXPIRY_FRESH);
      g_assert_cmpint (ak_expiry_get_state (expiry, 1111111 + 1), ==, AK_EXPIRY_WARNING);
    }
}

static void
test_token_expiries_repeated_service (void)
{
  /* Two streaming services (official-011): their rows must not read the same. */
  g_autoptr(AkToken) token = parse_vector ("official-011");
  g_autoptr(GPtrArray) expiries = ak_token_list_expiries (token);
  gboolean first = FALSE;
  gboolean second = FALSE;

  for (guint i = 0; i < expiries->len; i++)
    {
      AkExpiry *expiry = g_ptr_array_index (expiries, i);

      first |= g_str_has_prefix (expiry->label, "streaming 1 · ");
      second |= g_str_has_prefix (expiry->label, "streaming 2 · ");
    }
  g_assert_true (first);
  g_assert_true (second);
}

static void
test_token_expiries_006 (void)
{
  /* ts 1111111 is the token's expiry; joinChannel until 1446455471. */
  g_autoptr(AkToken) token = parse_vector ("official-017");
  g_autoptr(GPtrArray) expiries = ak_token_list_expiries (token);
  AkExpiry *own;
  AkExpiry *join;

  g_assert_cmpuint (expiries->len, ==, 2);
  own = g_ptr_array_index (expiries, 0);
  join = g_ptr_array_index (expiries, 1);
  g_assert_cmpstr (own->label, ==, "Token");
  g_assert_cmpint (own->issued_at, ==, 0);
  g_assert_cmpint (own->expires_at, ==, 1111111);
  g_assert_cmpstr (join->label, ==, "joinChannel");
  g_assert_cmpint (join->expires_at, ==, 1446455471);
  g_assert_false (join->never);
  g_assert_cmpint (ak_expiry_get_state (join, 1446455471 - 700), ==, AK_EXPIRY_FRESH);
  g_assert_cmpint (ak_expiry_get_state (join, 1446455471 - 500), ==, AK_EXPIRY_WARNING);
}

static void
test_token_expiries_006_never (void)
{
  g_autoptr(AkToken) built = ak_token_new_006 ("970CA35de60c44645bbae8a215061b33", "demo", "42",
                                               7, (guint32) T0 + 86400);
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GPtrArray) expiries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AkExpiry *join;
  AkExpiry *publish;

  ak_token_set_privilege_006 (built, AK_PRIV006_JOIN_CHANNEL, 0);
  ak_token_set_privilege_006 (built, AK_PRIV006_PUBLISH_AUDIO, (guint32) T0 + 60);
  text = ak_token_encode (built, "5CFd2fd1755d40ecb72977518be15d3b", &error);
  g_assert_no_error (error);
  token = ak_token_parse (text, &error);
  g_assert_no_error (error);

  expiries = ak_token_list_expiries (token);
  g_assert_cmpuint (expiries->len, ==, 3);
  join = g_ptr_array_index (expiries, 1);
  publish = g_ptr_array_index (expiries, 2);
  g_assert_cmpstr (join->label, ==, "joinChannel");
  g_assert_true (join->never);
  g_assert_cmpint (ak_expiry_get_state (join, T0), ==, AK_EXPIRY_NEVER);
  g_assert_cmpstr (publish->label, ==, "publishAudioStream");
  g_assert_cmpint (ak_expiry_get_state (publish, T0), ==, AK_EXPIRY_WARNING);
  g_assert_cmpint (ak_expiry_get_state (publish, T0 + 60), ==, AK_EXPIRY_EXPIRED);
}

static void
test_builder_uses_clock (void)
{
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(AkBuildResult) result = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GPtrArray) expiries = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (inputs, "app_id", "970CA35de60c44645bbae8a215061b33");
  json_object_set_string_member (inputs, "app_certificate", "5CFd2fd1755d40ecb72977518be15d3b");
  json_object_set_string_member (inputs, "user_id", "alice");
  json_object_set_int_member (inputs, "expire", 3600);

  ak_clock_set_for_testing (T0);
  result = ak_build_token (AK_BUILDER_RTM, inputs, &error);
  g_assert_no_error (error);
  token = ak_token_parse (ak_build_result_get_token (result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ak_token_get_issue_ts (token), ==, T0);

  /* Fifty minutes later the page shows the warning colour. */
  expiries = ak_token_list_expiries (token);
  ak_clock_set_for_testing (T0 + 3000);
  g_assert_cmpint (ak_expiry_get_state (g_ptr_array_index (expiries, 0), ak_clock_now_unix ()),
                   ==, AK_EXPIRY_FRESH);
  ak_clock_set_for_testing (T0 + 3001);
  g_assert_cmpint (ak_expiry_get_state (g_ptr_array_index (expiries, 0), ak_clock_now_unix ()),
                   ==, AK_EXPIRY_WARNING);
  ak_clock_set_for_testing (0);
}

/* The countdown runs to whichever ends first, and names the other. */
static void
test_earliest (void)
{
  g_autoptr(AkExpiry) token = ak_expiry_new ("Token", T0, T0 + 3600);
  g_autoptr(AkExpiry) short_privilege = ak_expiry_new ("rtc · joinChannel", T0, T0 + 600);
  g_autoptr(AkExpiry) long_privilege = ak_expiry_new ("rtc · joinChannel", T0, T0 + 7200);
  g_autoptr(AkExpiry) same_privilege = ak_expiry_new ("rtc · joinChannel", T0, T0 + 3600);
  g_autoptr(AkExpiry) never = ak_expiry_new_never ("rtc · joinChannel", T0);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  const struct
  {
    const AkExpiry *privileges;
    gint64 now;
    const char *text;
  } cases[] = {
    { short_privilege, T0 + 1, "Privileges expire in 0:09:59 · token in 0:59:59" },
    { long_privilege, T0 + 1, "Token expires in 0:59:59 · privileges in 1:59:59" },
    { same_privilege, T0 + 1, "Token and privileges expire in 0:59:59" },
    { NULL, T0 + 1, "Token expires in 0:59:59" },
    { short_privilege, T0 + 600, "Privileges have expired · token in 0:50:00" },
    { short_privilege, T0 + 3600, "Token has expired" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ak_expiry_format_earliest (token, cases[i].privileges,
                                                         cases[i].now);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* The first privilege to end, whatever the order; never-ending ones do not count. */
  g_ptr_array_add (list, token);
  g_assert_null (ak_expiries_find_first_privilege (list));
  g_ptr_array_add (list, never);
  g_assert_null (ak_expiries_find_first_privilege (list));
  g_ptr_array_add (list, long_privilege);
  g_ptr_array_add (list, short_privilege);
  g_ptr_array_add (list, same_privilege);
  g_assert_true (ak_expiries_find_first_privilege (list) == short_privilege);
}

/* A token built with short privileges counts down to them, not to the token's hour. */
static void
test_earliest_of_built_token (void)
{
  AkTokenRequest request = { .kind = AK_TOKEN_KIND_RTC,
                             .app_id = "970CA35de60c44645bbae8a215061b33",
                             .app_certificate = "5CFd2fd1755d40ecb72977518be15d3b",
                             .channel = "demo", .uid = 42, .role = AK_RTC_ROLE_PUBLISHER,
                             .expire = 3600,
                             .privilege_expire = 600, .issue_ts = (guint32) T0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = ak_token_request_build (&request, &error);
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GPtrArray) expiries = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  token = ak_token_parse (ak_build_result_get_token (result), &error);
  g_assert_no_error (error);
  expiries = ak_token_list_expiries (token);
  text = ak_expiry_format_earliest (expiries->pdata[0],
                                    ak_expiries_find_first_privilege (expiries), T0);
  g_assert_cmpstr (text, ==, "Privileges expire in 0:10:00 · token in 1:00:00");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/clock-expiry/clock", test_clock);
  g_test_add_func ("/ak/clock-expiry/earliest", test_earliest);
  g_test_add_func ("/ak/clock-expiry/earliest-of-built-token", test_earliest_of_built_token);
  g_test_add_func ("/ak/clock-expiry/states", test_states);
  g_test_add_func ("/ak/clock-expiry/never", test_never);
  g_test_add_func ("/ak/clock-expiry/countdown", test_countdown);
  g_test_add_func ("/ak/clock-expiry/texts", test_texts);
  g_test_add_func ("/ak/clock-expiry/token-expiries-007", test_token_expiries_007);
  g_test_add_func ("/ak/clock-expiry/token-expiries-repeated-service",
                   test_token_expiries_repeated_service);
  g_test_add_func ("/ak/clock-expiry/token-expiries-006", test_token_expiries_006);
  g_test_add_func ("/ak/clock-expiry/token-expiries-006-never", test_token_expiries_006_never);
  g_test_add_func ("/ak/clock-expiry/builder-uses-clock", test_builder_uses_clock);

  return g_test_run ();
}
