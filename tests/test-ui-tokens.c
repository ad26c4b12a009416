/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ak-application.h"
#include "ak-clipboard-private.h"
#include "ak-clipboard.h"
#include "ak-clock.h"
#include "ak-core.h"
#include "ak-expiry-row.h"
#include "ak-serve-view-private.h"
#include "ak-test-clipboard.h"
#include "ak-test-ui.h"
#include "ak-token-check.h"
#include "ak-token-decoder-private.h"
#include "ak-token-doctor-view-private.h"
#include "ak-token-generator-private.h"
#include "ak-token-request.h"
#include "ak-window-private.h"

/*
 * The Tokens page as a user drives it: generating every kind, decoding (vectors, malformed,
 * tampered, hostile and long tokens), copying, the countdown, narrow layouts. The Local
 * server view is test-ui-tokens-serve.c.
 */

#define APP_ID_1 AK_TEST_DEMO_APP_ID
#define CERT_1 AK_TEST_DEMO_CERT
#define OTHER_CERT "fedcba9876543210fedcba9876543210"
#define VECTOR_007 \
  "007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxgDCaiTj"
#define VECTOR_006 \
  "006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW"

typedef AkTestTokensFixture Fixture;

static void
set_field (Fixture    *f,
           const char *name,
           const char *text)
{
  gtk_editable_set_text (ak_token_generator_get_field (f->generator, name), text);
}

typedef struct
{
  Fixture *f;
  const char *before;
} GenerateWait;

static gboolean
generated (gpointer data)
{
  GenerateWait *wait = data;
  const char *token = ak_token_generator_get_token (wait->f->generator);

  return !ak_token_generator_is_busy (wait->f->generator) && token != NULL
         && g_strcmp0 (token, wait->before) != 0;
}

static AkToken *
generate (Fixture *f)
{
  g_autofree char *before = g_strdup (ak_token_generator_get_token (f->generator));
  GenerateWait wait = { f, before };
  g_autoptr(GError) error = NULL;
  AkToken *token;

  g_assert_true (ak_token_generator_can_generate (f->generator));
  gtk_widget_activate_action (GTK_WIDGET (f->generator), "generator.generate", NULL);
  ak_test_wait_until (generated, &wait, "the token");
  token = ak_token_parse (ak_token_generator_get_token (f->generator), &error);
  g_assert_no_error (error);
  return token;
}

/* Each main kind, from the stored project: the token decodes and verifies with the codec. */
static void
test_generate_main_kinds (Fixture       *f,
                          gconstpointer  user_data)
{
  const struct
  {
    AkTokenKind kind;
    guint16 first_type;
  } cases[] = {
    { AK_TOKEN_KIND_RTC, AK_SERVICE_RTC },
    { AK_TOKEN_KIND_RTC_RTM, AK_SERVICE_RTC },
    { AK_TOKEN_KIND_RTM, AK_SERVICE_RTM },
    { AK_TOKEN_KIND_CHAT_USER, AK_SERVICE_CHAT },
    { AK_TOKEN_KIND_CHAT_APP, AK_SERVICE_CHAT },
  };

  g_assert_cmpuint (ak_token_generator_find_project (f->generator, "Demo"), ==, 0);
  ak_token_generator_select (f->generator, "project", 0);
  set_field (f, "channel", "demo");
  set_field (f, "uid", "42");
  set_field (f, "account", "alice");
  set_field (f, "user-id", "bob");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AkToken) token = NULL;
      g_autoptr(GError) error = NULL;

      ak_token_generator_select (f->generator, "kind", cases[i].kind);
      token = generate (f);
      g_assert_cmpstr (ak_token_get_app_id (token), ==, APP_ID_1);
      g_assert_cmpuint (ak_token_get_service (token, 0)->type, ==, cases[i].first_type);
      g_assert_cmpuint (ak_token_get_expire (token), ==, 3600);
      g_assert_true (ak_token_verify (token, CERT_1, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  /* Every generated token is in the Recent list. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ak_tokens_page_get_history (f->page))),
                    ==, G_N_ELEMENTS (cases));
}

typedef struct
{
  GtkWidget *root;
  const char *name;
  GtkWidget *found;
} NamedWait;

static gboolean
named_shown (gpointer data)
{
  NamedWait *wait = data;

  wait->found = ak_test_find_shown (wait->root, wait->name);
  return wait->found != NULL;
}

static gboolean
popover_closed (gpointer data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (data); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if ((GTK_IS_POPOVER (child) && gtk_widget_get_visible (child)) || !popover_closed (child))
      return FALSE;
  return TRUE;
}

static JsonObject *
decoded_service (const char *text,
                 guint       index)
{
  g_autoptr(AkToken) token = ak_token_parse (text, NULL);
  g_autoptr(JsonNode) json = ak_token_to_json (token, NULL);
  JsonArray *services = json_object_get_array_member (json_node_get_object (json), "services");

  return json_object_ref (json_array_get_object_element (services, index));
}

/* As a user does it: open the Kind list of the main (not advanced) kinds, pick
 * "Conversational AI agent" by its name, fill the fields it shows, and generate. The token
 * carries RTC, RTM and the ConvoAI service (9), and the decoder names that service. */
static void
test_generate_convoai (Fixture       *f,
                       gconstpointer  user_data)
{
  GtkWidget *kind_row = ak_test_find_shown (GTK_WIDGET (f->generator), "Kind");
  NamedWait wait = { kind_row, "Conversational AI agent", NULL };
  GtkWidget *item;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(JsonObject) agent = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group;
  guint32 value;

  g_assert_nonnull (kind_row);
  g_assert_true (ADW_IS_COMBO_ROW (kind_row));
  ak_token_generator_select (f->generator, "project", 0);

  gtk_widget_activate (kind_row);
  ak_test_wait_until (named_shown, &wait,
                      "the kind “Conversational AI agent” in the open Kind list");
  /* The list item that shows the name. */
  for (item = wait.found; item != NULL; item = gtk_widget_get_parent (item))
    if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (item))
        == GTK_ACCESSIBLE_ROLE_LIST_ITEM)
      break;
  g_assert_nonnull (item);
  g_assert_false (popover_closed (kind_row));
  /* What a click on it does: select the item, then activate it. */
  g_assert_true (gtk_widget_activate_action (item, "listitem.select", "(bb)", FALSE, FALSE));
  g_assert_true (gtk_widget_activate (item));
  ak_test_wait_until (popover_closed, kind_row, "the Kind list to close");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (kind_row)), ==,
                    AK_TOKEN_KIND_CONVOAI);

  /* The form shows the agent's fields, found by their names. */
  g_assert_nonnull (ak_test_find_shown (GTK_WIDGET (f->generator), "RTM user ID"));
  g_assert_null (ak_test_find_shown (GTK_WIDGET (f->generator), "Permissions"));
  set_field (f, "channel", "agent-room");
  set_field (f, "uid", "2882341273");
  gtk_editable_set_text (GTK_EDITABLE (ak_test_find_shown (GTK_WIDGET (f->generator),
                                                           "RTM user ID")),
                         "agent-007");
  set_field (f, "rtm-expire", "30m");

  token = generate (f);
  g_assert_true (ak_token_verify (token, CERT_1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ak_token_get_n_services (token), ==, 3);
  g_assert_cmpuint (ak_token_get_service (token, 0)->type, ==, AK_SERVICE_RTC);
  g_assert_cmpstr (ak_token_get_service (token, 0)->channel_name, ==, "agent-room");
  g_assert_cmpstr (ak_token_get_service (token, 0)->uid, ==, "2882341273");
  g_assert_cmpuint (ak_token_get_service (token, 1)->type, ==, AK_SERVICE_RTM);
  g_assert_cmpstr (ak_token_get_service (token, 1)->user_id, ==, "agent-007");
  g_assert_true (ak_service_get_privilege (ak_token_get_service (token, 1), AK_PRIV_RTM_LOGIN,
                                           &value));
  g_assert_cmpuint (value, ==, 1800);
  g_assert_cmpuint (ak_token_get_service (token, 2)->type, ==, AK_SERVICE_CONVOAI);
  agent = decoded_service (ak_token_generator_get_token (f->generator), 2);
  g_assert_cmpstr (json_object_get_string_member (agent, "name"), ==, "convoai");

  /* Open in the decoder: the service's group is named, with what it grants. */
  gtk_widget_activate_action (GTK_WIDGET (f->generator), "generator.open-in-decoder", NULL);
  g_assert_cmpstr (ak_tokens_page_get_view (f->page), ==, "decode");
  g_assert_null (ak_token_decoder_get_error (f->decoder));
  g_assert_cmpuint (ak_token_decoder_get_n_services (f->decoder), ==, 3);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  group = ak_test_find_shown (GTK_WIDGET (f->decoder), "Grants");
  g_assert_nonnull (group);
  while (group != NULL && !ADW_IS_PREFERENCES_GROUP (group))
    group = gtk_widget_get_parent (group);
  g_assert_nonnull (group);
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), ==,
                   "Service 3: convoai (type 9)");
}

static void
test_generate_validation (Fixture       *f,
                          gconstpointer  user_data)
{
  ak_token_generator_select (f->generator, "project", 0);
  ak_token_generator_select (f->generator, "kind", AK_TOKEN_KIND_RTC);
  set_field (f, "channel", "demo");
  set_field (f, "uid", "alice");
  g_assert_false (ak_token_generator_can_generate (f->generator));
  g_assert_nonnull (strstr (ak_token_generator_get_problem (f->generator), "uid"));

  set_field (f, "uid", "42");
  set_field (f, "expire", "2d");
  g_assert_true (ak_token_generator_can_generate (f->generator));
  g_assert_nonnull (ak_token_generator_get_warnings (f->generator));
  /* In the form's words, not the builder's input names. */
  g_assert_nonnull (strstr (ak_token_generator_get_warnings (f->generator),
                            "Token lifetime is over 24 hours"));
  g_assert_null (strstr (ak_token_generator_get_warnings (f->generator), "_expire"));
  /* The privileges followed the token lifetime. */
  g_assert_cmpstr (gtk_editable_get_text (ak_token_generator_get_field (f->generator,
                                                                        "privilege-expire")),
                   ==, "2d");

  set_field (f, "expire", "soon");
  g_assert_false (ak_token_generator_can_generate (f->generator));
  set_field (f, "expire", "0");
  g_assert_false (ak_token_generator_can_generate (f->generator));

  /* Given its own value, the privilege lifetime stops following. */
  set_field (f, "privilege-expire", "10m");
  set_field (f, "expire", "1h");
  g_assert_cmpstr (gtk_editable_get_text (ak_token_generator_get_field (f->generator,
                                                                        "privilege-expire")),
                   ==, "10m");
  g_assert_true (ak_token_generator_can_generate (f->generator));

  /* A certificate typed for this token only, never stored. */
  ak_token_generator_select (f->generator, "project",
                             ak_token_generator_find_project (f->generator, "Demo") + 1);
  set_field (f, "expire", "1h");
  set_field (f, "app-id", APP_ID_1);
  set_field (f, "certificate", "not a certificate");
  g_assert_false (ak_token_generator_can_generate (f->generator));
  set_field (f, "certificate", OTHER_CERT);
  {
    g_autoptr(AkToken) token = generate (f);

    g_assert_true (ak_token_verify (token, OTHER_CERT, NULL, NULL, NULL, NULL));
  }
}

static gboolean
check_done (gpointer data)
{
  AkTokenCheckStatus status;

  return !ak_token_decoder_is_checking (data)
         && ak_token_decoder_get_check_status (data, &status);
}

static void
test_decode_vector (Fixture       *f,
                    gconstpointer  user_data)
{
  AkTokenCheckStatus status;

  ak_tokens_page_decode (f->page, VECTOR_007);
  g_assert_cmpstr (ak_tokens_page_get_view (f->page), ==, "decode");
  g_assert_null (ak_token_decoder_get_error (f->decoder));
  g_assert_nonnull (strstr (ak_token_decoder_get_field (f->decoder, "Version"), "007"));
  g_assert_nonnull (strstr (ak_token_decoder_get_field (f->decoder, "App ID"), "Demo"));
  g_assert_cmpstr (ak_token_decoder_get_field (f->decoder, "Salt"), ==, "1");
  g_assert_cmpstr (ak_token_decoder_get_field (f->decoder, "Signature"), ==,
                   "16a0b84c5a5e82cbf74fb813d09f59c54bdac9c06120580539ac97578e958b1a");
  g_assert_cmpuint (ak_token_decoder_get_n_services (f->decoder), ==, 1);
  g_assert_cmpuint (ak_token_decoder_get_n_expiries (f->decoder), ==, 2);
  g_assert_true (ak_token_decoder_has_tag_at (f->decoder, "version", 0));

  /* The stored project has this App ID: the signature is checked against it. */
  ak_test_wait_until (check_done, f->decoder, "the signature check");
  g_assert_true (ak_token_decoder_get_check_status (f->decoder, &status));
  g_assert_cmpint (status, ==, AK_TOKEN_CHECK_VALID);
  g_assert_nonnull (strstr (ak_token_decoder_get_check_message (f->decoder), "primary"));
}

/* Ctrl+Shift+C copies the page's result: the generated token, then the decoded token as JSON. */
static void
test_copy_result (Fixture       *f,
                  gconstpointer  user_data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  g_autoptr(AkToken) token = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *json = NULL;

  ak_token_generator_select (f->generator, "project", 0);
  ak_token_generator_select (f->generator, "kind", AK_TOKEN_KIND_RTC);
  set_field (f, "channel", "demo");
  set_field (f, "uid", "42");
  token = generate (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.copy-result", NULL));
  copied = ak_test_read_clipboard (clipboard);
  g_assert_cmpstr (copied, ==, ak_token_generator_get_token (f->generator));
  /* A token: cleared from the clipboard later. */
  g_assert_true (ak_clipboard_has_pending_clear (clipboard));
  ak_clipboard_clear_now (clipboard);

  ak_tokens_page_decode (f->page, VECTOR_007);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.copy-result", NULL));
  json = ak_test_read_clipboard (clipboard);
  g_assert_nonnull (json);
  g_assert_nonnull (strstr (json, "\"channel_name\""));
  g_assert_nonnull (strstr (json, "970CA35de60c44645bbae8a215061b33"));
}

static void
test_decode_malformed (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autofree char *broken = g_strdup (VECTOR_007);
  g_autofree char *shown = NULL;

  broken[77] = ' ';
  ak_tokens_page_decode (f->page, broken);
  g_assert_nonnull (ak_token_decoder_get_error (f->decoder));
  g_assert_nonnull (strstr (ak_token_decoder_get_error (f->decoder), "Character 78"));
  shown = ak_token_decoder_get_text (f->decoder);
  g_assert_cmpstr (shown, ==, broken);
  g_assert_true (ak_token_decoder_has_tag_at (f->decoder, "error", 77));
  g_assert_false (ak_token_decoder_has_tag_at (f->decoder, "error", 10));
}

static void
test_decode_tampered (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(AkBuildResult) result = NULL;
  AkTokenCheckStatus status;

  /* Same App ID as the stored project, signed with another certificate. */
  json_object_set_string_member (inputs, "app_id", APP_ID_1);
  json_object_set_string_member (inputs, "app_certificate", OTHER_CERT);
  json_object_set_string_member (inputs, "user_id", "bob");
  json_object_set_int_member (inputs, "expire", 600);
  result = ak_build_token (AK_BUILDER_RTM, inputs, NULL);

  ak_tokens_page_decode (f->page, ak_build_result_get_token (result));
  ak_test_wait_until (check_done, f->decoder, "the signature check");
  g_assert_true (ak_token_decoder_get_check_status (f->decoder, &status));
  g_assert_cmpint (status, ==, AK_TOKEN_CHECK_SIGNATURE_MISMATCH);
  g_assert_nonnull (strstr (ak_token_decoder_get_check_message (f->decoder), "match"));

  /* A certificate pasted for this check only. */
  gtk_editable_set_text (ak_token_decoder_get_entry (f->decoder, "certificate"), OTHER_CERT);
  g_assert_true (ak_token_decoder_get_check_status (f->decoder, &status));
  g_assert_cmpint (status, ==, AK_TOKEN_CHECK_VALID);
}

static void
test_decode_006 (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autofree char *tampered = g_strdup (VECTOR_006);
  AkTokenCheckStatus status;

  ak_tokens_page_decode (f->page, VECTOR_006);
  g_assert_null (ak_token_decoder_get_error (f->decoder));
  ak_test_wait_until (check_done, f->decoder, "the signature check");
  g_assert_true (ak_token_decoder_get_check_status (f->decoder, &status));
  g_assert_cmpint (status, ==, AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID);

  gtk_editable_set_text (ak_token_decoder_get_entry (f->decoder, "uid"), "2882341273");
  gtk_editable_set_text (ak_token_decoder_get_entry (f->decoder, "channel"), "wrong channel");
  ak_test_wait_until (check_done, f->decoder, "the CRC check");
  g_assert_true (ak_token_decoder_get_check_status (f->decoder, &status));
  g_assert_cmpint (status, ==, AK_TOKEN_CHECK_CRC_MISMATCH);

  gtk_editable_set_text (ak_token_decoder_get_entry (f->decoder, "channel"),
                         "7d72365eb983485397e3e3f9d460bdda");
  ak_test_wait_until (check_done, f->decoder, "the signature check");
  g_assert_true (ak_token_decoder_get_check_status (f->decoder, &status));
  g_assert_cmpint (status, ==, AK_TOKEN_CHECK_VALID);

  /* One changed character in the signature: parses, but no longer matches. */
  tampered[40] = tampered[40] == 'A' ? 'B' : 'A';
  ak_tokens_page_decode (f->page, tampered);
  ak_test_wait_until (check_done, f->decoder, "the signature check");
  g_assert_true (ak_token_decoder_get_check_status (f->decoder, &status));
  g_assert_cmpint (status, ==, AK_TOKEN_CHECK_SIGNATURE_MISMATCH);
}

/* Countdowns follow the (injected) wall clock, and the one ticker runs only while a
 * countdown is on screen. */
static void
test_countdown_and_ticker (Fixture       *f,
                           gconstpointer  user_data)
{
  AkTicker *ticker = ak_window_get_ticker (f->window);
  g_autoptr(AkExpiry) expiry = ak_expiry_new ("Token", 1000, 4600);
  GtkWidget *row;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  ak_clock_set_for_testing (1000);
  row = ak_expiry_row_new (expiry, ticker);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  g_assert_true (ak_ticker_is_running (ticker));
  g_assert_cmpint (ak_expiry_row_get_state (AK_EXPIRY_ROW (row)), ==, AK_EXPIRY_FRESH);
  g_assert_cmpstr (ak_expiry_row_get_countdown (AK_EXPIRY_ROW (row)), ==, "1:00:00");

  ak_clock_set_for_testing (4100);
  g_signal_emit_by_name (ticker, "tick", (gint64) 4100);
  g_assert_cmpint (ak_expiry_row_get_state (AK_EXPIRY_ROW (row)), ==, AK_EXPIRY_WARNING);

  ak_clock_set_for_testing (5000);
  g_signal_emit_by_name (ticker, "tick", (gint64) 5000);
  g_assert_cmpint (ak_expiry_row_get_state (AK_EXPIRY_ROW (row)), ==, AK_EXPIRY_EXPIRED);
  gtk_window_destroy (GTK_WINDOW (window));

  ak_clock_set_for_testing (0);
  ak_tokens_page_decode (f->page, VECTOR_007);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_true (ak_ticker_is_running (ticker));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "credentials");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_false (ak_ticker_is_running (ticker));
}

/* An RTM2 token with 10,000 permission entries, written as an attacker would (types out of
 * order, repeated), pasted into the decoder: the window stays live, the first entries are
 * rows and the rest are counted, not shown. */
static char *
hostile_rtm2_token (guint n_blocks)
{
  g_autoptr(AkToken) token = ak_token_new_007 (APP_ID_1, 1111111, 3600, 1);
  AkService *rtm2 = ak_service_new (AK_SERVICE_RTM2);
  g_autoptr(GError) error = NULL;
  char *text;

  rtm2->user_id = g_strdup ("mallory");
  ak_service_set_privilege (rtm2, AK_PRIV_RTM2_LOGIN, 3600);
  for (guint block = 0; block < n_blocks; block++)
    {
      ak_service_append_permission_block (rtm2, 4 - block % 5);
      for (guint entry = 0; entry < 1000; entry++)
        {
          AkRtmPermission *permission = ak_service_append_permission (rtm2, 1 - entry % 2, 0);

          for (guint k = 0; k < (entry == 0 ? 30u : 1u); k++)
            g_ptr_array_add (permission->resources, g_strdup_printf ("r%u-%u", block, k));
        }
    }
  ak_token_add_service (token, rtm2);
  text = ak_token_encode (token, CERT_1, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_decode_hostile_rtm2 (Fixture       *f,
                          gconstpointer  user_data)
{
  /* Instrumented runs are tens of times slower: fewer entries, still far past the rows. */
  guint n_blocks = ak_test_time_scale () > 1 ? 2 : 10;
  g_autofree char *text = hostile_rtm2_token (n_blocks);
  g_autofree char *expected = g_strdup_printf ("%u more entries", n_blocks * 1000 - 50);
  AkTestStall stall;
  const char *more;
  const char *first;

  ak_test_stall_start (&stall);
  ak_tokens_page_decode (f->page, text);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  ak_test_stall_stop (&stall);
  /* Under ASan and valgrind, GTK's own layout work swings by seconds from run to run: there
   * the figure is reported, and the plain run holds the limit. */
  if (ak_test_time_scale () > 1)
    g_test_message ("largest main-loop gap %.1f ms (not checked in instrumented runs)",
                    stall.largest / 1000.0);
  else
    ak_test_stall_check (&stall, "decoding a token with 10,000 permission entries");

  g_assert_null (ak_token_decoder_get_error (f->decoder));
  g_assert_cmpuint (ak_token_decoder_get_n_services (f->decoder), ==, 1);
  more = ak_test_row_subtitle (GTK_WIDGET (f->decoder), "More permissions");
  g_assert_nonnull (more);
  g_assert_nonnull (strstr (more, expected));
  /* The first entry is written for users (type 4), write: its 30 resources are cut at 20. */
  first = ak_test_row_subtitle (GTK_WIDGET (f->decoder), "users · write");
  g_assert_nonnull (first);
  g_assert_nonnull (strstr (first, "r0-19 and 10 more"));
}

/* Sixteen resource names of 60,000 characters each (a token near the 1 MiB limit): rows show
 * the start of each and its length, and laying them out does not freeze the window. */
static void
test_decode_long_names (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(AkToken) token = ak_token_new_007 (APP_ID_1, 1111111, 3600, 1);
  AkService *rtm2 = ak_service_new (AK_SERVICE_RTM2);
  AkRtmPermission *permission;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  /* Instrumented runs are tens of times slower: shorter names, still far past the excerpt. */
  gsize length = ak_test_time_scale () > 1 ? 6000 : 60000;
  g_autofree char *expected = g_strdup_printf ("(%zu bytes)", length);
  AkTestStall stall;
  const char *shown;

  rtm2->user_id = g_strnfill (length, 'u');
  ak_service_set_privilege (rtm2, AK_PRIV_RTM2_LOGIN, 3600);
  ak_service_append_permission_block (rtm2, 0);
  permission = ak_service_append_permission (rtm2, 0, 0);
  for (guint k = 0; k < 15; k++)
    g_ptr_array_add (permission->resources, g_strnfill (length, (char) ('a' + k)));
  ak_token_add_service (token, rtm2);
  text = ak_token_encode (token, CERT_1, &error);
  g_assert_no_error (error);

  ak_test_stall_start (&stall);
  ak_tokens_page_decode (fixture->page, text);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  ak_test_stall_stop (&stall);
  /* Under ASan and valgrind, GTK's own layout work swings by seconds from run to run: there
   * the figure is reported, and the plain run holds the limit. */
  if (ak_test_time_scale () > 1)
    g_test_message ("largest main-loop gap %.1f ms (not checked in instrumented runs)",
                    stall.largest / 1000.0);
  else
    ak_test_stall_check (&stall, "decoding a token with 60,000-character names");

  g_assert_null (ak_token_decoder_get_error (fixture->decoder));
  shown = ak_test_row_subtitle (GTK_WIDGET (fixture->decoder), "User ID");
  g_assert_nonnull (shown);
  g_assert_nonnull (strstr (shown, expected));
  g_assert_cmpuint (strlen (shown), <, 400);
  shown = ak_test_row_subtitle (GTK_WIDGET (fixture->decoder), "messageChannels · read");
  g_assert_nonnull (shown);
  g_assert_cmpuint (strlen (shown), <, 400);
}

/* The form builds through the same request as the command line: filled by the rows'
 * accessible names as a user would, with the clock and the salt fixed, its token is the one
 * `agora-keys-cli build rtc` prints for the same fields. */
static void
test_generate_same_as_cli (Fixture       *f,
                           gconstpointer  user_data)
{
  const struct
  {
    const char *row;
    const char *text;
  } typed[] = {
    { "Channel name", "demo" },
    { "uid (0 lets any user join)", "42" },
    { "Token lifetime", "10m" },
    { "Privilege lifetime", "300" },
  };
  const char * const argv[] = {
    g_getenv ("AK_CLI"), "build", "rtc", "--app-id", APP_ID_1, "--channel", "demo",
    "--uid", "42", "--expire", "600", "--privilege-expire", "5m",
    "--issue-ts", "1700000000", "--salt", "777", NULL
  };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autofree char *out = NULL;

  if (argv[0] == NULL)
    {
      g_test_skip ("AK_CLI is not set (run the tests with meson test)");
      return;
    }

  ak_clock_set_for_testing (1700000000);
  ak_token_request_set_salt_for_testing (TRUE, 777);
  ak_token_generator_select (f->generator, "project", 0);
  ak_token_generator_select (f->generator, "kind", AK_TOKEN_KIND_RTC);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      GtkWidget *row = ak_test_find_shown (GTK_WIDGET (f->generator), typed[i].row);

      g_assert_nonnull (row);
      gtk_editable_set_text (GTK_EDITABLE (row), typed[i].text);
    }
  token = generate (f);
  ak_token_request_set_salt_for_testing (FALSE, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "AGORA_APP_CERTIFICATE", CERT_1, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (g_strstrip (out), ==, ak_token_generator_get_token (f->generator));
  g_assert_cmpuint (ak_token_get_salt (token), ==, 777);
}

/* The decoder's "not checked" icon is one the theme has, and not Adwaita's "?" in a diamond,
 * which looks like a character the font lacks; and neither the decoder nor the Diagnose view
 * needs more than a 360 px wide window, whatever they show. */
static gboolean
is_row_titled_with (GtkWidget     *widget,
                    gconstpointer  title_prefix)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                              title_prefix);
}

/* The icon of the mapped row whose title starts with @title_prefix. */
static GtkWidget *
find_row_icon (GtkWidget  *root,
               const char *title_prefix)
{
  GtkWidget *row = ak_test_find_widget (root, is_row_titled_with, title_prefix, FALSE);

  return row != NULL ? ak_test_find_of_type (row, GTK_TYPE_IMAGE) : NULL;
}

static int
minimum_width (GtkWidget *widget)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("%s needs %d px", G_OBJECT_TYPE_NAME (widget), minimum);
  return minimum;
}

static gboolean
diagnosed (gpointer data)
{
  return !ak_token_doctor_view_is_busy (data) && ak_token_doctor_view_get_diagnosis (data) != NULL;
}

static void
test_decode_not_checked_and_narrow (Fixture       *f,
                                    gconstpointer  user_data)
{
  AkTokenDoctorView *doctor = ak_tokens_page_get_doctor_view (f->page);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (f->page)));
  AkTokenCheckStatus status;
  GtkWidget *icon;
  const char *name;

  g_assert_cmpint (minimum_width (GTK_WIDGET (f->decoder)), <=, 360);

  /* A 006 token without its channel name and uid cannot be checked. */
  ak_tokens_page_decode (f->page, VECTOR_006);
  ak_test_wait_until (check_done, f->decoder, "the signature check");
  g_assert_true (ak_token_decoder_get_check_status (f->decoder, &status));
  g_assert_cmpint (status, ==, AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  icon = find_row_icon (GTK_WIDGET (f->decoder), "Not checked — ");
  g_assert_nonnull (icon);
  name = gtk_image_get_icon_name (GTK_IMAGE (icon));
  g_assert_nonnull (name);
  g_assert_true (gtk_icon_theme_has_icon (theme, name));
  g_assert_cmpstr (name, !=, "dialog-question-symbolic");
  g_assert_cmpint (minimum_width (GTK_WIDGET (f->decoder)), <=, 360);

  ak_tokens_page_decode (f->page, VECTOR_007);
  ak_test_wait_until (check_done, f->decoder, "the signature check");
  g_assert_cmpint (minimum_width (GTK_WIDGET (f->decoder)), <=, 360);

  ak_tokens_page_diagnose (f->page, VECTOR_007);
  g_assert_cmpint (minimum_width (GTK_WIDGET (doctor)), <=, 360);
  gtk_widget_activate_action (GTK_WIDGET (doctor), "doctor.diagnose", NULL);
  ak_test_wait_until (diagnosed, doctor, "the diagnosis");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_cmpint (minimum_width (GTK_WIDGET (doctor)), <=, 360);
}

/* Every Tokens view fits a 360 px window, so that opening one never widens the window. */
static void
test_views_fit_narrow (Fixture       *f,
                       gconstpointer  user_data)
{
  const char *views[] = { "generate", "decode", "diagnose", "serve", "recent" };

  /* With a result shown, and marked stale, whose buttons are the widest. */
  ak_token_generator_select (f->generator, "project", 0);
  set_field (f, "channel", "demo");
  {
    g_autoptr(AkToken) token = generate (f);

    g_assert_nonnull (token);
  }
  set_field (f, "channel", "demo2");

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      int minimum;

      ak_tokens_page_show (f->page, views[i]);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
      gtk_widget_measure (GTK_WIDGET (f->page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                          NULL, NULL);
      g_test_message ("Tokens page, view %s: %d px", views[i], minimum);
      g_assert_cmpint (minimum, <=, 360);
    }
}

/* Wherever a token or a snippet is shown wrapped, Pango must not add hyphens at the breaks:
 * a copied-by-eye token would gain characters. */
static void
collect_hyphen_free_labels (GtkWidget *root,
                            guint     *n_wrapped,
                            guint     *n_hyphenating)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "ak-token-text"))
        {
          PangoAttrList *attributes = gtk_label_get_attributes (GTK_LABEL (child));
          g_autofree char *text = attributes != NULL ? pango_attr_list_to_string (attributes)
                                                     : NULL;

          (*n_wrapped)++;
          g_assert_true (gtk_label_get_wrap (GTK_LABEL (child)));
          if (text == NULL || strstr (text, "insert-hyphens false") == NULL)
            (*n_hyphenating)++;
        }
      collect_hyphen_free_labels (child, n_wrapped, n_hyphenating);
    }
}

static void
test_no_hyphens_in_tokens (Fixture       *f,
                           gconstpointer  user_data)
{
  guint n_wrapped = 0;
  guint n_hyphenating = 0;

  collect_hyphen_free_labels (GTK_WIDGET (f->page), &n_wrapped, &n_hyphenating);
  /* The generated token, the curl and the fetch snippets at least. */
  g_assert_cmpuint (n_wrapped, >=, 3);
  g_assert_cmpuint (n_hyphenating, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  AkApplication *app = ak_test_ui_init (&argc, &argv, FALSE);

#define ADD(path, func) AK_TEST_ADD_TOKENS ("/ak/ui/tokens/" path, app, func)
  ADD ("generate-main-kinds", test_generate_main_kinds);
  ADD ("views-fit-narrow", test_views_fit_narrow);
  ADD ("no-hyphens-in-tokens", test_no_hyphens_in_tokens);
  ADD ("generate-validation", test_generate_validation);
  ADD ("generate-convoai", test_generate_convoai);
  ADD ("decode-vector", test_decode_vector);
  ADD ("decode-malformed", test_decode_malformed);
  ADD ("copy-result", test_copy_result);
  ADD ("decode-tampered", test_decode_tampered);
  ADD ("decode-hostile-rtm2", test_decode_hostile_rtm2);
  ADD ("decode-long-names", test_decode_long_names);
  ADD ("decode-006", test_decode_006);
  ADD ("decode-not-checked-and-narrow", test_decode_not_checked_and_narrow);
  ADD ("countdown-and-ticker", test_countdown_and_ticker);
  ADD ("generate-same-as-cli", test_generate_same_as_cli);
#undef ADD

  return ak_test_ui_run (&app);
}
