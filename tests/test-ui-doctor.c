/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ak-application.h"
#include "ak-clipboard-private.h"
#include "ak-clipboard.h"
#include "ak-clock.h"
#include "ak-core.h"
#include "ak-test-clipboard.h"
#include "ak-test-ui.h"
#include "ak-token-doctor-view-private.h"
#include "ak-token-generator-private.h"
#include "ak-token-request.h"
#include "ak-window-private.h"

#define APP_ID_1 AK_TEST_DEMO_APP_ID
#define CERT_1 AK_TEST_DEMO_CERT
/* 2026-01-01 00:00:00 UTC: the tests' fixed "now" when issuing. */
#define ISSUED_AT G_GINT64_CONSTANT (1767225600)

typedef AkTestTokensFixture Fixture;

static void
type_into (GtkWidget  *root,
           const char *name,
           const char *text)
{
  GtkWidget *field = ak_test_find_named (root, name, GTK_TYPE_TEXT_VIEW, FALSE);

  if (field == NULL)
    field = ak_test_require_named (root, name, GTK_TYPE_EDITABLE);
  if (GTK_IS_TEXT_VIEW (field))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (field), text);
}

static void
choose (GtkWidget  *root,
        const char *name,
        guint       position)
{
  GtkWidget *row = ak_test_require_named (root, name, ADW_TYPE_COMBO_ROW);

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
}

static void
press (GtkWidget  *root,
       const char *name)
{
  GtkWidget *button = ak_test_require_named (root, name, GTK_TYPE_BUTTON);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
diagnosed (gpointer data)
{
  AkTokenDoctorView *view = data;

  return !ak_token_doctor_view_is_busy (view) && ak_token_doctor_view_get_diagnosis (view) != NULL;
}

static gboolean
generator_done (gpointer data)
{
  return !ak_token_generator_is_busy (data) && ak_token_generator_get_token (data) != NULL;
}

static GtkWidget *
first_finding_row (Fixture *f)
{
  GtkWidget *list = ak_test_find_named (GTK_WIDGET (f->view), "Findings", GTK_TYPE_LIST_BOX,
                                        FALSE);
  GtkWidget *row;

  g_assert_nonnull (list);
  row = gtk_widget_get_first_child (list);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  return row;
}

/* The id of the finding the first row shows, checked against what the row says. */
static const char *
first_finding_id (Fixture *f)
{
  GtkWidget *row = first_finding_row (f);
  GListModel *findings = ak_doctor_diagnosis_get_findings (ak_token_doctor_view_get_diagnosis
                                                             (f->view));
  g_autoptr(AkDoctorFinding) first = g_list_model_get_item (findings, 0);

  g_assert_nonnull (first);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   ak_doctor_finding_get_verdict (first));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), !=, "");
  return ak_doctor_finding_get_id (first);
}

static char *
build_token (const char *channel,
             guint32     uid,
             guint32     expire)
{
  AkTokenRequest request = {
    .kind = AK_TOKEN_KIND_RTC,
    .app_id = APP_ID_1,
    .app_certificate = CERT_1,
    .channel = channel,
    .uid = uid,
    .role = AK_RTC_ROLE_PUBLISHER,
    .expire = expire,
    .privilege_expire = expire,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = ak_token_request_build (&request, &error);

  g_assert_no_error (error);
  return g_strdup (ak_build_result_get_token (result));
}

/* The text of an error message on show, or NULL. */
static const char *
shown_error (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root)
      && gtk_widget_has_css_class (root, "error")
      && *gtk_label_get_text (GTK_LABEL (root)) != '\0')
    return gtk_label_get_text (GTK_LABEL (root));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = shown_error (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
clipboard_has_text (gpointer data)
{
  g_autofree char *text = ak_test_read_clipboard (data);

  return text != NULL;
}

/* A token for channel "Demo" used to join "demo": the view, reached from the decoder's
 * Diagnose… button, says so first; its Generate button opens Generate with "demo"; the
 * report copied for support has no certificate, and the token only when asked. */
static void
test_channel_case (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autofree char *token = build_token ("Demo", 42, 3600);
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *row;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (view);
  g_autofree char *report = NULL;
  g_autofree char *report_with_token = NULL;
  g_autoptr(AkToken) generated = NULL;
  AkTokenGenerator *generator = ak_tokens_page_get_generator (f->page);
  const char *subtitle;

  /* From the decoder, as a user would go. */
  ak_tokens_page_decode (f->page, token);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  press (GTK_WIDGET (ak_tokens_page_get_decoder (f->page)), "Diagnose this token");
  g_assert_cmpstr (ak_tokens_page_get_view (f->page), ==, "diagnose");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));

  /* The token came along; the user fills in what the client did. */
  {
    GtkWidget *field = ak_test_require_named (view, "Token to diagnose", GTK_TYPE_TEXT_VIEW);
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field));
    GtkTextIter start;
    GtkTextIter end;
    g_autofree char *carried = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    carried = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (carried, ==, token);
  }
  choose (view, "Product", AK_DOCTOR_PRODUCT_RTC);
  type_into (view, "App ID", APP_ID_1);
  type_into (view, "Channel name", "demo");
  choose (view, "User identity", 1);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  type_into (view, "uid", "42");
  press (view, "Diagnose");
  ak_test_wait_until (diagnosed, f->view, "the diagnosis");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));

  g_assert_cmpstr (first_finding_id (f), ==, AK_DOCTOR_CHANNEL_CASE);
  row = first_finding_row (f);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (subtitle, "Demo"));
  g_assert_nonnull (strstr (subtitle, "demo"));
  g_assert_nonnull (strstr (subtitle, "Explains the rejection"));

  /* Generate, filled with the channel the client joined. */
  press (row, "Generate a corrected token");
  g_assert_cmpstr (ak_tokens_page_get_view (f->page), ==, "generate");
  g_assert_cmpstr (gtk_editable_get_text (ak_token_generator_get_field (generator, "channel")),
                   ==, "demo");
  g_assert_cmpstr (gtk_editable_get_text (ak_token_generator_get_field (generator, "uid")),
                   ==, "42");
  g_assert_true (ak_token_generator_can_generate (generator));
  gtk_widget_activate_action (GTK_WIDGET (generator), "generator.generate", NULL);
  ak_test_wait_until (generator_done, generator, "the corrected token");
  generated = ak_token_parse (ak_token_generator_get_token (generator), NULL);
  g_assert_nonnull (generated);
  g_assert_cmpstr (ak_token_get_app_id (generated), ==, APP_ID_1);
  g_assert_cmpstr (ak_token_get_service (generated, 0)->channel_name, ==, "demo");

  /* The report: no certificate, no token, and not treated as a secret. */
  ak_tokens_page_show (f->page, "diagnose");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  gdk_clipboard_set_text (clipboard, "");
  press (view, "Copy a Report for Support");
  ak_test_wait_until (clipboard_has_text, clipboard, "the report");
  report = ak_test_read_clipboard (clipboard);
  g_assert_cmpuint (strlen (report), >, 0);
  g_assert_null (strstr (report, CERT_1));
  g_assert_null (strstr (report, token));
  g_assert_false (ak_clipboard_has_pending_clear (clipboard));

  /* With the token: it is in, the certificate still is not, and the clipboard clears. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (ak_test_require_named (view,
                                                                        "Include the token",
                                                                        GTK_TYPE_CHECK_BUTTON)),
                               TRUE);
  press (view, "Copy a Report for Support");
  report_with_token = ak_test_read_clipboard (clipboard);
  g_assert_nonnull (strstr (report_with_token, token));
  g_assert_null (strstr (report_with_token, CERT_1));
  g_assert_true (ak_clipboard_has_pending_clear (clipboard));
  ak_clipboard_clear_now (clipboard);
}

/* A token that expired an hour ago, with the client's error 109 picked from the list by
 * typing its code: expiry is the first finding. */
static void
test_expired (Fixture       *f,
              gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *codes_row;
  GtkDropDown *codes;
  GListModel *model;
  guint position = GTK_INVALID_LIST_POSITION;

  ak_clock_set_for_testing (ISSUED_AT);
  token = build_token ("demo", 0, 600);
  ak_clock_set_for_testing (ISSUED_AT + 600 + 3600);

  ak_tokens_page_show (f->page, "diagnose");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  type_into (view, "Token to diagnose", token);
  type_into (view, "Channel name", "demo");

  codes_row = ak_test_require_named (view, "Error code", ADW_TYPE_ACTION_ROW);
  codes = GTK_DROP_DOWN (ak_test_find_named (codes_row, "Error code", GTK_TYPE_DROP_DOWN, FALSE));
  g_assert_true (gtk_drop_down_get_enable_search (codes));
  model = gtk_drop_down_get_model (codes);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_has_prefix (gtk_string_object_get_string (item), "109 "))
        {
          position = i;
          break;
        }
    }
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (codes, position);
  /* The row says what the code means; the product follows the code's. */
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (codes_row)),
                                   "109"));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (
                      ak_test_require_named (view, "Product", ADW_TYPE_COMBO_ROW))),
                    ==, AK_DOCTOR_PRODUCT_RTC);

  press (view, "Diagnose");
  ak_test_wait_until (diagnosed, f->view, "the diagnosis");
  g_assert_cmpstr (first_finding_id (f), ==, AK_DOCTOR_TOKEN_EXPIRED);
}

/* What cannot be taken apart is said in words, with no findings, and the window answers. */
static void
test_not_a_token (Fixture       *f,
                  gconstpointer  user_data)
{
  GtkWidget *view = GTK_WIDGET (f->view);
  g_autofree char *token = NULL;

  ak_tokens_page_show (f->page, "diagnose");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));

  /* Nothing pasted yet. */
  press (view, "Diagnose");
  g_assert_null (ak_token_doctor_view_get_diagnosis (f->view));
  g_assert_null (ak_test_find_named (view, "Findings", GTK_TYPE_LIST_BOX, FALSE));
  g_assert_nonnull (shown_error (view));

  type_into (view, "Token to diagnose", "hello, I am not a token");
  press (view, "Diagnose");
  g_assert_false (ak_token_doctor_view_is_busy (f->view));
  g_assert_null (ak_token_doctor_view_get_diagnosis (f->view));
  g_assert_null (ak_test_find_named (view, "Findings", GTK_TYPE_LIST_BOX, FALSE));
  g_assert_null (ak_test_find_named (view, "Copy a Report for Support", GTK_TYPE_BUTTON, FALSE));
  g_assert_nonnull (shown_error (view));

  /* A good token's findings go as soon as the token is changed: never beside another one. */
  ak_clock_set_for_testing (ISSUED_AT);
  token = build_token ("demo", 0, 600);
  ak_clock_set_for_testing (ISSUED_AT + 7200);
  type_into (view, "Token to diagnose", token);
  press (view, "Diagnose");
  ak_test_wait_until (diagnosed, f->view, "the diagnosis");
  g_assert_nonnull (ak_test_find_named (view, "Findings", GTK_TYPE_LIST_BOX, FALSE));
  type_into (view, "Token to diagnose", "007");
  g_assert_null (ak_token_doctor_view_get_diagnosis (f->view));
  g_assert_null (ak_test_find_named (view, "Findings", GTK_TYPE_LIST_BOX, FALSE));
}

/* In a window too narrow for five tabs, the views are a list: choosing "Diagnose" there
 * shows the view, and the list follows the view shown by other means. */
static void
test_narrow_view_list (Fixture       *f,
                       gconstpointer  user_data)
{
  GtkDropDown *list = GTK_DROP_DOWN (ak_test_find_named (GTK_WIDGET (f->page), "Token view",
                                                         GTK_TYPE_DROP_DOWN, TRUE));
  GListModel *views;
  GtkStackPage *shown;
  guint diagnose = GTK_INVALID_LIST_POSITION;

  g_assert_nonnull (list);
  views = gtk_drop_down_get_model (list);
  for (guint i = 0; i < g_list_model_get_n_items (views); i++)
    {
      g_autoptr(GObject) page = g_list_model_get_item (views, i);

      if (g_strcmp0 (gtk_stack_page_get_name (GTK_STACK_PAGE (page)), "diagnose") == 0)
        diagnose = i;
    }
  g_assert_cmpuint (diagnose, ==, 2);

  ak_tokens_page_show (f->page, "generate");
  g_assert_cmpuint (gtk_drop_down_get_selected (list), ==, 0);
  gtk_drop_down_set_selected (list, diagnose);
  g_assert_cmpstr (ak_tokens_page_get_view (f->page), ==, "diagnose");
  ak_tokens_page_show (f->page, "recent");
  shown = GTK_STACK_PAGE (gtk_drop_down_get_selected_item (list));
  g_assert_cmpstr (gtk_stack_page_get_name (shown), ==, "recent");
}

int
main (int   argc,
      char *argv[])
{
  AkApplication *app = ak_test_ui_init (&argc, &argv, FALSE);

#define ADD(path, func) AK_TEST_ADD_TOKENS ("/ak/ui/doctor/" path, app, func)
  ADD ("channel-case", test_channel_case);
  ADD ("expired", test_expired);
  ADD ("not-a-token", test_not_a_token);
  ADD ("narrow-view-list", test_narrow_view_list);
#undef ADD

  return ak_test_ui_run (&app);
}
