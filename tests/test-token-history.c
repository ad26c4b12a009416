/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <string.h>

#include "ak-core.h"

/*
 * The "Recent" list: entries described from their tokens, newest first, bounded, one row
 * per token, and a GListModel whose signals a view can follow.
 */

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define T0 G_GINT64_CONSTANT (1700000000)

static char *
build_spec (const char *spec_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) spec = json_from_string (spec_text, &error);
  g_autoptr(AkBuildResult) result = NULL;

  g_assert_no_error (error);
  result = ak_build_token_from_spec (spec, &error);
  g_assert_no_error (error);
  return g_strdup (ak_build_result_get_token (result));
}

static char *
build (const char *builder,
       const char *inputs)
{
  g_autofree char *spec_text = g_strdup_printf ("{\"builder\": \"%s\", \"inputs\": {\"app_id\": "
                                                "\"" APP_ID "\", \"app_certificate\": \"" CERT
                                                "\", \"issue_ts\": %" G_GINT64_FORMAT ", %s}}",
                                                builder, T0, inputs);

  return build_spec (spec_text);
}

static char *
build_006 (const char *builder,
           const char *inputs)
{
  g_autofree char *spec_text = g_strdup_printf ("{\"builder\": \"%s\", \"inputs\": {\"app_id\": "
                                                "\"" APP_ID "\", \"app_certificate\": \"" CERT
                                                "\", %s}}", builder, inputs);

  return build_spec (spec_text);
}

static AkTokenEntry *
entry_for_user (guint n)
{
  g_autofree char *inputs = g_strdup_printf ("\"user_id\": \"user-%u\", \"expire\": 3600", n);
  g_autofree char *text = build ("rtm", inputs);
  g_autoptr(GError) error = NULL;
  AkTokenEntry *entry = ak_token_entry_new (text, AK_TOKEN_ORIGIN_GENERATED, NULL, NULL, &error);

  g_assert_no_error (error);
  return entry;
}

typedef struct
{
  const char *builder;
  const char *inputs;
  const char *description;
} DescribeCase;

static const DescribeCase describe_cases[] = {
  { "rtc_uid", "\"channel_name\": \"demo\", \"uid\": 42, \"role\": 1, \"token_expire\": 3600",
    "RTC · demo · uid 42" },
  { "rtc_uid", "\"channel_name\": \"demo\", \"uid\": 0, \"role\": 1, \"token_expire\": 3600",
    "RTC · demo · any user" },
  { "rtc_account", "\"channel_name\": \"demo\", \"account\": \"alice\", \"role\": 2, "
    "\"token_expire\": 3600", "RTC · demo · alice" },
  { "rtc_rtm", "\"channel_name\": \"demo\", \"account\": \"alice\", \"role\": 1, "
    "\"token_expire\": 3600", "RTC + RTM · demo · alice" },
  { "rtm", "\"user_id\": \"alice\", \"expire\": 600", "RTM · alice" },
  { "chat_user", "\"user_id\": \"alice\", \"expire\": 600", "Chat user · alice" },
  { "chat_app", "\"expire\": 600", "Chat app" },
  { "apaas_room_user", "\"room_uuid\": \"room-1\", \"user_uuid\": \"bob\", \"role\": 1, "
    "\"expire\": 600", "APaaS room user · room-1 · bob" },
  { "fpa", "\"salt\": 1", "FPA" },
};

static void
test_describe (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (describe_cases); i++)
    {
      const DescribeCase *c = &describe_cases[i];
      g_autofree char *text = build (c->builder, c->inputs);
      g_autoptr(AkToken) token = ak_token_parse (text, NULL);
      g_autofree char *description = ak_token_describe (token);

      g_assert_cmpstr (description, ==, c->description);
    }
}

static void
test_entry_fields (void)
{
  g_autofree char *text = build ("rtc_uid", "\"channel_name\": \"demo\", \"uid\": 42, "
                                 "\"role\": 1, \"token_expire\": 3600");
  g_autofree char *pasted = g_strdup_printf ("  '%s'\n", text);
  g_autofree char *text_006 = build_006 ("rtc006_uid", "\"channel_name\": \"demo\", \"uid\": 42, "
                                         "\"role\": 1, \"ts\": 1700086400, "
                                         "\"privilege_expire_ts\": 1700003600");
  g_autoptr(GError) error = NULL;
  g_autoptr(AkTokenEntry) entry = NULL;
  g_autoptr(AkTokenEntry) entry_006 = NULL;
  g_autoptr(AkTokenEntry) bad = NULL;
  g_autofree char *property = NULL;

  entry = ak_token_entry_new (pasted, AK_TOKEN_ORIGIN_DECODED, NULL, "Demo", &error);
  g_assert_no_error (error);
  /* Kept without the white space and quotes it was pasted with. */
  g_assert_cmpstr (ak_token_entry_get_token (entry), ==, text);
  g_assert_cmpstr (ak_token_entry_get_description (entry), ==, "RTC · demo · uid 42");
  g_assert_cmpstr (ak_token_entry_get_app_id (entry), ==, APP_ID);
  g_assert_cmpstr (ak_token_entry_get_project_label (entry), ==, "Demo");
  g_assert_cmpint (ak_token_entry_get_version (entry), ==, AK_TOKEN_VERSION_007);
  g_assert_cmpint (ak_token_entry_get_issued_at (entry), ==, T0);
  g_assert_cmpint (ak_token_entry_get_expires_at (entry), ==, T0 + 3600);
  g_assert_cmpint (ak_token_entry_get_origin (entry), ==, AK_TOKEN_ORIGIN_DECODED);
  g_object_get (entry, "description", &property, NULL);
  g_assert_cmpstr (property, ==, "RTC · demo · uid 42");

  entry_006 = ak_token_entry_new (text_006, AK_TOKEN_ORIGIN_GENERATED, "006 for demo", NULL,
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ak_token_entry_get_description (entry_006), ==, "006 for demo");
  g_assert_null (ak_token_entry_get_project_label (entry_006));
  g_assert_cmpint (ak_token_entry_get_version (entry_006), ==, AK_TOKEN_VERSION_006);
  /* 006 stores no issue time; ts is when the token expires. */
  g_assert_cmpint (ak_token_entry_get_issued_at (entry_006), ==, 0);
  g_assert_cmpint (ak_token_entry_get_expires_at (entry_006), ==, 1700086400);

  bad = ak_token_entry_new ("007 not a token", AK_TOKEN_ORIGIN_DECODED, NULL, NULL, &error);
  g_assert_null (bad);
  g_assert_true (ak_error_is_malformed_token (error));
}

/* A copy of the model kept only from items-changed, to prove the signals are right. */
typedef struct
{
  GPtrArray *items;
  guint n_signals;
} Mirror;

static void
mirror_items_changed (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->items->len);
  g_ptr_array_remove_range (mirror->items, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror->items, (gint) (position + i),
                        g_list_model_get_item (model, position + i));
  mirror->n_signals++;
}

static void
assert_mirror (Mirror     *mirror,
               GListModel *model)
{
  g_assert_cmpuint (mirror->items->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < mirror->items->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (mirror->items, i));
    }
}

static const char *
description_at (GListModel *model,
                guint       position)
{
  g_autoptr(AkTokenEntry) entry = g_list_model_get_item (model, position);

  /* The model holds another reference, so the string outlives this one. */
  return ak_token_entry_get_description (entry);
}

static void
test_history_order_and_dedup (void)
{
  g_autoptr(AkTokenHistory) history = ak_token_history_new (0);
  GListModel *model = G_LIST_MODEL (history);
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref), 0 };
  g_autoptr(AkTokenEntry) a = entry_for_user (1);
  g_autoptr(AkTokenEntry) b = entry_for_user (2);
  g_autoptr(AkTokenEntry) c = entry_for_user (3);
  g_autoptr(AkTokenEntry) a_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pasted_a = NULL;
  guint n_items = 0;

  g_assert_cmpuint (ak_token_history_get_max_size (history), ==, AK_TOKEN_HISTORY_DEFAULT_SIZE);
  g_assert_true (g_list_model_get_item_type (model) == AK_TYPE_TOKEN_ENTRY);
  g_signal_connect (history, "items-changed", G_CALLBACK (mirror_items_changed), &mirror);

  ak_token_history_add (history, a);
  ak_token_history_add (history, b);
  ak_token_history_add (history, c);
  assert_mirror (&mirror, model);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (description_at (model, 0), ==, "RTM · user-3");
  g_assert_cmpstr (description_at (model, 1), ==, "RTM · user-2");
  g_assert_cmpstr (description_at (model, 2), ==, "RTM · user-1");

  /* The same token pasted into the decoder: one row, moved to the top, now "decoded". */
  pasted_a = g_strdup_printf ("\n%s  ", ak_token_entry_get_token (a));
  a_again = ak_token_entry_new (pasted_a, AK_TOKEN_ORIGIN_DECODED, NULL, NULL, &error);
  g_assert_no_error (error);
  ak_token_history_add (history, a_again);
  assert_mirror (&mirror, model);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (description_at (model, 0), ==, "RTM · user-1");
  g_assert_cmpstr (description_at (model, 1), ==, "RTM · user-3");
  g_assert_cmpstr (description_at (model, 2), ==, "RTM · user-2");
  {
    g_autoptr(AkTokenEntry) top = g_list_model_get_item (model, 0);

    g_assert_true (top == a_again);
    g_assert_cmpint (ak_token_entry_get_origin (top), ==, AK_TOKEN_ORIGIN_DECODED);
  }

  /* Adding the top entry again changes nothing visible. */
  ak_token_history_add (history, a_again);
  assert_mirror (&mirror, model);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  ak_token_history_remove (history, 1);
  assert_mirror (&mirror, model);
  g_assert_cmpstr (description_at (model, 1), ==, "RTM · user-2");

  ak_token_history_clear (history);
  assert_mirror (&mirror, model);
  g_object_get (history, "n-items", &n_items, NULL);
  g_assert_cmpuint (n_items, ==, 0);
  g_assert_null (g_list_model_get_item (model, 0));

  g_signal_handlers_disconnect_by_data (history, &mirror);
  g_ptr_array_unref (mirror.items);
}

static void
test_history_bounded (void)
{
  g_autoptr(AkTokenHistory) history = ak_token_history_new (3);
  GListModel *model = G_LIST_MODEL (history);
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref), 0 };
  GWeakRef oldest;

  g_signal_connect (history, "items-changed", G_CALLBACK (mirror_items_changed), &mirror);

  {
    g_autoptr(AkTokenEntry) first = entry_for_user (0);

    g_weak_ref_init (&oldest, first);
    ak_token_history_add (history, first);
  }
  for (guint i = 1; i < 5; i++)
    {
      g_autoptr(AkTokenEntry) entry = entry_for_user (i);

      ak_token_history_add (history, entry);
      assert_mirror (&mirror, model);
      g_assert_cmpuint (g_list_model_get_n_items (model), ==, MIN (i + 1, 3));
    }

  g_assert_cmpstr (description_at (model, 0), ==, "RTM · user-4");
  g_assert_cmpstr (description_at (model, 1), ==, "RTM · user-3");
  g_assert_cmpstr (description_at (model, 2), ==, "RTM · user-2");

  /* Dropped entries are released (and their token text wiped) once no view holds them. */
  g_ptr_array_set_size (mirror.items, 0);
  g_signal_handlers_disconnect_by_data (history, &mirror);
  g_assert_null (g_weak_ref_get (&oldest));
  g_weak_ref_clear (&oldest);
  g_ptr_array_unref (mirror.items);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/token-history/describe", test_describe);
  g_test_add_func ("/ak/token-history/entry-fields", test_entry_fields);
  g_test_add_func ("/ak/token-history/order-and-dedup", test_history_order_and_dedup);
  g_test_add_func ("/ak/token-history/bounded", test_history_bounded);

  return g_test_run ();
}
