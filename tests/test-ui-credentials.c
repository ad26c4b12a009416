/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>

#include "ak-application-private.h"
#include "ak-application.h"
#include "ak-clipboard-private.h"
#include "ak-clipboard.h"
#include "ak-credential-dialog-private.h"
#include "ak-credential-dialog.h"
#include "ak-credentials-page-private.h"
#include "ak-test-clipboard.h"
#include "ak-test-ui.h"
#include "ak-test-util.h"
#include "ak-window-private.h"

#define APP_ID_1 "970CA35de60c44645bbae8a215061b33"
#define APP_ID_2 "0123456789abcdef0123456789ABCDEF"
#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "fedcba9876543210fedcba9876543210"
#define CUSTOMER_SECRET "c0ffee5ecret0b5cure9876543210abcd"

/* libsecret's file backend is created once per process, so all tests share one keyring
 * file; each test removes what it stored. */
static char *keyring_dir;
/* One registered application for the whole run; each test gets a fresh store and window. */
static AkApplication *app;

typedef struct
{
  AkApplication *app;
  AkWindow *window;
  AkCredentialsPage *page;
  AkCredentialStore *store;
} Fixture;

static gboolean
store_loaded (gpointer data)
{
  Fixture *f = data;

  return ak_credential_store_get_state (f->store) != AK_KEYRING_STATE_UNKNOWN;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(AkCredentialStore) store = NULL;

  f->app = app;
  store = user_data != NULL ? g_object_ref ((AkCredentialStore *) user_data)
                            : ak_credential_store_new (APP_ID);
  ak_application_set_store (f->app, store);
  f->store = ak_application_get_store (f->app);
  f->window = ak_window_new (f->app);
  f->page = ak_window_get_credentials_page (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  ak_test_wait_until (store_loaded, f, "the store to load");
}

static void
deleted (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  guint *pending = user_data;

  ak_credential_store_delete_finish (AK_CREDENTIAL_STORE (object), result, NULL);
  (*pending)--;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  GListModel *model = ak_credential_store_get_model (f->store);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  guint pending;

  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (all, g_list_model_get_item (model, i));
  pending = all->len;
  for (guint i = 0; i < all->len; i++)
    ak_credential_store_delete_async (f->store, all->pdata[i], NULL, deleted, &pending);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  ak_application_set_store (f->app, NULL);
}

static gboolean
no_dialog (gpointer data)
{
  return ak_credentials_page_get_open_dialog (((Fixture *) data)->page) == NULL;
}

static gboolean
dialog_idle (gpointer data)
{
  AkCredentialDialog *dialog = ak_credentials_page_get_open_dialog (((Fixture *) data)->page);

  return dialog == NULL || !ak_credential_dialog_is_busy (dialog);
}

static void
set_field (AkCredentialDialog *dialog,
           const char         *name,
           const char         *text)
{
  gtk_editable_set_text (ak_credential_dialog_get_field (dialog, name), text);
}

static void
add_project (Fixture    *f,
             const char *label,
             const char *app_id,
             const char *certificate)
{
  AkCredentialDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-project", NULL);
  dialog = ak_credentials_page_get_open_dialog (f->page);
  g_assert_nonnull (dialog);
  g_assert_false (ak_credential_dialog_can_save (dialog));

  set_field (dialog, "label", label);
  set_field (dialog, "app-id", app_id);
  set_field (dialog, "primary", certificate);
  g_assert_true (ak_credential_dialog_can_save (dialog));
  ak_credential_dialog_save (dialog);
  ak_test_wait_until (no_dialog, f, "the add dialog to close");
}

static void
test_add_search_edit (Fixture       *f,
                      gconstpointer  user_data)
{
  AkCredentialDialog *dialog;
  AkCredential *demo;
  GListModel *shown = ak_credentials_page_get_shown_model (f->page);

  g_assert_cmpstr (ak_credentials_page_get_state_name (f->page), ==, "empty");

  add_project (f, "Demo", APP_ID_1, CERT_1);
  add_project (f, "Other", APP_ID_2, CERT_2);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  g_assert_cmpstr (ak_credentials_page_get_state_name (f->page), ==, "results");

  /* Search by label, then by part of an App ID, then for nothing. */
  gtk_editable_set_text (ak_credentials_page_get_search_entry (f->page), "demo");
  g_signal_emit_by_name (ak_credentials_page_get_search_entry (f->page), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  demo = g_list_model_get_item (shown, 0);
  g_assert_cmpstr (ak_credential_get_label (demo), ==, "Demo");

  gtk_editable_set_text (ak_credentials_page_get_search_entry (f->page), "0123456789ab");
  g_signal_emit_by_name (ak_credentials_page_get_search_entry (f->page), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);

  gtk_editable_set_text (ak_credentials_page_get_search_entry (f->page), "no such thing");
  g_signal_emit_by_name (ak_credentials_page_get_search_entry (f->page), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  g_assert_cmpstr (ak_credentials_page_get_state_name (f->page), ==, "no-results");
  gtk_editable_set_text (ak_credentials_page_get_search_entry (f->page), "");
  g_signal_emit_by_name (ak_credentials_page_get_search_entry (f->page), "search-changed");

  /* Edit: the stored certificate is loaded into the masked field; rename and save. */
  ak_credentials_page_edit (f->page, demo);
  dialog = ak_credentials_page_get_open_dialog (f->page);
  g_assert_nonnull (dialog);
  while (g_strcmp0 (gtk_editable_get_text (ak_credential_dialog_get_field (dialog, "primary")),
                    CERT_1) != 0)
    g_main_context_iteration (NULL, TRUE);

  /* Nothing changed yet, nothing to save; back to the same text, still nothing. */
  g_assert_false (ak_credential_dialog_can_save (dialog));
  set_field (dialog, "notes", "x");
  g_assert_true (ak_credential_dialog_can_save (dialog));
  set_field (dialog, "notes", "");
  g_assert_false (ak_credential_dialog_can_save (dialog));

  set_field (dialog, "label", "Other");
  g_assert_false (ak_credential_dialog_can_save (dialog)); /* taken */
  set_field (dialog, "label", "Demo renamed");
  set_field (dialog, "chat-org", "org1");
  ak_credential_dialog_save (dialog);
  ak_test_wait_until (no_dialog, f, "the edit dialog to close");

  g_assert_cmpstr (ak_credential_get_label (demo), ==, "Demo renamed");
  g_assert_cmpstr (ak_credential_get_chat_org (demo), ==, "org1");
  g_assert_true (ak_credential_store_find (f->store, AK_CREDENTIAL_PROJECT, "Demo renamed") == demo);
  g_object_unref (demo);
}

static void
test_validation_messages (Fixture       *f,
                          gconstpointer  user_data)
{
  AkCredentialDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-project", NULL);
  dialog = ak_credentials_page_get_open_dialog (f->page);
  set_field (dialog, "label", "Bad");
  set_field (dialog, "app-id", "970CA35de60c44645bbae8a215061b3");
  set_field (dialog, "primary", CERT_1);
  g_assert_false (ak_credential_dialog_can_save (dialog));
  /* White space around a paste is dropped where the user sees it. */
  set_field (dialog, "app-id", " " APP_ID_1 "\n");
  g_assert_cmpstr (gtk_editable_get_text (ak_credential_dialog_get_field (dialog, "app-id")), ==,
                   APP_ID_1);
  g_assert_true (ak_credential_dialog_can_save (dialog));
  set_field (dialog, "secondary", "not hex");
  g_assert_false (ak_credential_dialog_can_save (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
clipboard_has_hint (gpointer data)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (GDK_CLIPBOARD (data));

  return gdk_content_formats_contain_mime_type (formats, "x-kde-passwordManagerHint");
}

static void
test_copy (Fixture       *f,
           gconstpointer  user_data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  AkCredential *demo;
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;

  add_project (f, "Demo", APP_ID_1, CERT_1);
  demo = ak_credential_store_find (f->store, AK_CREDENTIAL_PROJECT, "Demo");

  ak_credentials_page_copy_id (f->page, demo);
  id = ak_test_read_clipboard (clipboard);
  g_assert_cmpstr (id, ==, APP_ID_1);
  g_assert_false (clipboard_has_hint (clipboard));
  g_assert_false (ak_clipboard_has_pending_clear (clipboard));

  /* A secret: marked for clipboard managers, and cleared later. */
  ak_credentials_page_copy_secret (f->page, demo, AK_SECRET_PRIMARY_CERTIFICATE);
  ak_test_wait_until (clipboard_has_hint, clipboard, "the certificate on the clipboard");
  secret = ak_test_read_clipboard (clipboard);
  g_assert_cmpstr (secret, ==, CERT_1);
  g_assert_true (ak_clipboard_has_pending_clear (clipboard));
  ak_clipboard_clear_now (clipboard);
  g_assert_null (gdk_clipboard_get_content (clipboard));
  g_assert_false (ak_clipboard_has_pending_clear (clipboard));

  /* Something else copied meanwhile is left alone. */
  ak_credentials_page_copy_secret (f->page, demo, AK_SECRET_PRIMARY_CERTIFICATE);
  ak_test_wait_until (clipboard_has_hint, clipboard, "the certificate on the clipboard");
  gdk_clipboard_set_text (clipboard, "user text");
  ak_clipboard_clear_now (clipboard);
  g_free (secret);
  secret = ak_test_read_clipboard (clipboard);
  g_assert_cmpstr (secret, ==, "user text");
}

static gboolean
window_inactive (gpointer data)
{
  return !gtk_window_is_active (GTK_WINDOW (data));
}

static gboolean
clipboard_emptied (gpointer data)
{
  return !ak_clipboard_has_pending_clear (GDK_CLIPBOARD (data))
         && gdk_clipboard_get_content (GDK_CLIPBOARD (data)) == NULL;
}

/* The time is up while the user is in another window: on X11 (this test) the app owns the
 * selection and clears it at once, rather than waiting until its window is active again. */
static void
test_copy_cleared_unfocused (Fixture       *f,
                             gconstpointer  user_data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  GSettings *settings = ak_application_get_settings (f->app);
  AkCredential *demo;
  g_autofree char *secret = NULL;
  g_autofree char *after = NULL;

  g_assert_true (GDK_IS_X11_DISPLAY (gdk_clipboard_get_display (clipboard)));
  add_project (f, "Demo", APP_ID_1, CERT_1);
  demo = ak_credential_store_find (f->store, AK_CREDENTIAL_PROJECT, "Demo");
  /* The shortest time the preference allows. */
  g_settings_set_uint (settings, "clipboard-clear-seconds", 5);

  ak_credentials_page_copy_secret (f->page, demo, AK_SECRET_PRIMARY_CERTIFICATE);
  ak_test_wait_until (clipboard_has_hint, clipboard, "the certificate on the clipboard");
  secret = ak_test_read_clipboard (clipboard);
  g_assert_cmpstr (secret, ==, CERT_1);

  /* Away from the window: hidden, it cannot be the active one. */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  ak_test_wait_until (window_inactive, f->window, "the window to be inactive");
  ak_test_wait_until (clipboard_emptied, clipboard, "the clipboard to be cleared while inactive");
  g_assert_false (gtk_window_is_active (GTK_WINDOW (f->window)));
  after = ak_test_read_clipboard (clipboard);
  g_assert_null (after);

  g_settings_reset (settings, "clipboard-clear-seconds");
}

static gboolean
store_is_empty (gpointer data)
{
  return g_list_model_get_n_items (ak_credential_store_get_model (((Fixture *) data)->store)) == 0;
}

static gboolean
store_has_demo (gpointer data)
{
  return ak_credential_store_find (((Fixture *) data)->store, AK_CREDENTIAL_PROJECT, "Demo")
         != NULL;
}

/* The button a user would click: a GtkButton labelled @label anywhere in @widget. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
undo_button_shown (gpointer data)
{
  return find_button (GTK_WIDGET (((Fixture *) data)->window), "_Undo") != NULL;
}

static void
stored (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (ak_credential_store_update_finish (AK_CREDENTIAL_STORE (object), result, NULL));
  *done = TRUE;
}

static void
secrets_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AkCredentialSecrets **secrets = user_data;

  *secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result, NULL);
  g_assert_nonnull (*secrets);
}

static void
test_delete_undo (Fixture       *f,
                  gconstpointer  user_data)
{
  AkCredential *demo;
  g_autoptr(AkCredential) changes = NULL;
  g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();
  g_autoptr(AkCredentialSecrets) restored = NULL;
  g_autofree char *id = NULL;
  gint64 removed_at;
  gboolean done = FALSE;
  GtkWidget *undo;

  add_project (f, "Demo", APP_ID_1, CERT_1);
  demo = ak_credential_store_find (f->store, AK_CREDENTIAL_PROJECT, "Demo");
  id = g_strdup (ak_credential_get_id (demo));

  /* Exactly as it was: notes, and when a secondary certificate was removed. */
  changes = ak_credential_copy (demo);
  ak_credential_set_notes (changes, "staging");
  secrets->primary_certificate = g_strdup (CERT_1);
  secrets->secondary_certificate = g_strdup (CERT_2);
  ak_credential_store_update_async (f->store, demo, changes, secrets, NULL, stored, &done);
  ak_test_wait_for_flag (&done, "the update");
  g_clear_pointer (&secrets->secondary_certificate, ak_secret_string_free);
  done = FALSE;
  ak_credential_store_update_async (f->store, demo, changes, secrets, NULL, stored, &done);
  ak_test_wait_for_flag (&done, "the update");
  removed_at = ak_credential_get_secondary_removed_at (demo);
  g_assert_cmpint (removed_at, >, 0);

  /* No confirmation: gone at once, with a toast offering Undo. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "credentials");
  ak_credentials_page_delete (f->page, demo);
  ak_test_wait_until (store_is_empty, f, "the deletion");
  g_assert_cmpstr (ak_credentials_page_get_state_name (f->page), ==, "empty");
  ak_test_wait_until (undo_button_shown, f, "the toast's Undo button");

  /* The toast's own button, as a user clicks it: it must be able to act. */
  undo = find_button (GTK_WIDGET (f->window), "_Undo");
  g_assert_true (gtk_widget_is_sensitive (undo));
  g_assert_true (gtk_widget_get_mapped (undo));
  g_signal_emit_by_name (undo, "clicked");
  ak_test_wait_until (store_has_demo, f, "the undo");

  demo = ak_credential_store_find (f->store, AK_CREDENTIAL_PROJECT, "Demo");
  g_assert_cmpstr (ak_credential_get_id (demo), ==, id);
  g_assert_cmpstr (ak_credential_get_app_id (demo), ==, APP_ID_1);
  g_assert_cmpstr (ak_credential_get_notes (demo), ==, "staging");
  g_assert_cmpint (ak_credential_get_secondary_removed_at (demo), ==, removed_at);
  ak_credential_store_load_secrets_async (f->store, demo, NULL, secrets_read, &restored);
  while (restored == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (restored->primary_certificate, ==, CERT_1);
  g_assert_null (restored->secondary_certificate);
}

static void
test_failed_write_keeps_form (Fixture       *f,
                              gconstpointer  user_data)
{
  g_autofree char *keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  AkCredentialDialog *dialog;

  add_project (f, "Demo", APP_ID_1, CERT_1);
  g_assert_true (g_file_test (keyring, G_FILE_TEST_IS_REGULAR));

  /* The file backend replaces its file on every write: a directory in its place makes the
   * next write fail, even for root. */
  g_assert_cmpint (g_unlink (keyring), ==, 0);
  g_assert_cmpint (g_mkdir (keyring, 0700), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-project", NULL);
  dialog = ak_credentials_page_get_open_dialog (f->page);
  set_field (dialog, "label", "Second");
  set_field (dialog, "app-id", APP_ID_2);
  set_field (dialog, "primary", CERT_2);
  ak_credential_dialog_save (dialog);
  ak_test_wait_until (dialog_idle, f, "the failed save");

  g_assert_true (dialog == ak_credentials_page_get_open_dialog (f->page));
  g_assert_nonnull (ak_credential_dialog_get_error (dialog));
  g_assert_cmpstr (gtk_editable_get_text (ak_credential_dialog_get_field (dialog, "label")), ==,
                   "Second");
  g_assert_cmpstr (gtk_editable_get_text (ak_credential_dialog_get_field (dialog, "primary")), ==,
                   CERT_2);
  g_assert_null (ak_credential_store_find (f->store, AK_CREDENTIAL_PROJECT, "Second"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Put the file back so that tear-down can delete what this test stored. */
  g_assert_cmpint (g_rmdir (keyring), ==, 0);
}

static void
test_session_only_banner (Fixture       *f,
                          gconstpointer  user_data)
{
  /* The in-memory store stands for "no Secret Service": the banner must say so. */
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (ak_window_get_keyring_banner (f->window))));
  g_assert_cmpstr (ak_window_get_keyring_message (f->window), !=, "");
}

/* A thousand credentials. The list must not make its rows all at once (GtkListView in GTK 4.8
 * would build 200 of them in one frame and stall the window); it is fed a few rows a frame.
 * That is what this test checks, by counting rows after each main-loop iteration. How long it
 * takes is measured, not asserted: build-aux/bench runs this test and prints the figures. */
static guint
count_rows (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += g_type_is_a (G_OBJECT_TYPE (child), g_type_from_name ("AkCredentialRow")) ? 1
                                                                                  : count_rows (child);
  return n;
}

static guint
shown_rows (Fixture *f)
{
  return count_rows (GTK_WIDGET (ak_credentials_page_get_list_view (f->page)));
}

static gboolean
page_shows_list (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (ak_credentials_page_get_state_name (f->page), "results") == 0
         && g_list_model_get_n_items (ak_credentials_page_get_shown_model (f->page)) == 1000
         && shown_rows (f) > 0;
}

static void
test_thousand (void)
{
  g_autoptr(AkCredentialStore) store = ak_credential_store_new_in_memory ();
  AkTestStall stall = { 0 };
  Fixture f = { 0 };
  gint64 start;
  gint64 shown = 0;
  guint rows = 0;
  guint max_step = 0;
  guint iterations_unchanged = 0;

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(AkCredential) c = ak_credential_new (AK_CREDENTIAL_PROJECT);
      g_autoptr(AkCredentialSecrets) s = ak_credential_secrets_new ();
      g_autofree char *label = g_strdup_printf ("Project %04u", i);

      ak_credential_set_label (c, label);
      ak_credential_set_app_id (c, APP_ID_1);
      s->primary_certificate = g_strdup (CERT_1);
      ak_credential_store_add_async (store, c, s, NULL, NULL, NULL);
    }
  while (g_list_model_get_n_items (ak_credential_store_get_model (store)) < 1000)
    g_main_context_iteration (NULL, TRUE);

  /* "Shown" runs from making the window to its first frame with the list in it. Gaps are
   * watched from that frame on, while the list makes the rest of its rows: the one-off cost
   * of the window's own start (theme, fonts) is not a stall of the list. */
  start = g_get_monotonic_time ();
  fixture_set_up (&f, store);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));
  ak_test_stall_start (&stall);

  /* Run the loop until the row count has stayed put for a while, noting the largest number
   * of rows made in one iteration. */
  while (iterations_unchanged < 200)
    {
      guint now;

      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
      now = shown_rows (&f);
      if (shown == 0 && page_shows_list (&f))
        shown = g_get_monotonic_time () - start;
      max_step = MAX (max_step, now > rows ? now - rows : 0);
      iterations_unchanged = now == rows ? iterations_unchanged + 1 : 0;
      rows = now;
      if (g_get_monotonic_time () - start > 20 * G_USEC_PER_SEC)
        g_error ("The list of 1,000 never settled (%u rows)", rows);
    }
  ak_test_stall_stop (&stall);

  g_printerr ("# bench: credentials page: window with 1,000 credentials drawn in %.1f ms; "
              "then %u rows made, at most %u in one main-loop iteration\n",
              shown / 1000.0, rows, max_step);
  ak_test_stall_check (&stall, "credentials page, filling the list of 1,000");
  g_assert_true (page_shows_list (&f));
  /* Rows arrive a frame's worth at a time... */
  g_assert_cmpuint (max_step, <=, 3 * 12);
  /* ...and GtkListView keeps a bounded number of them, not a thousand. */
  g_assert_cmpuint (rows, >=, 12);
  g_assert_cmpuint (rows, <=, 250);
  fixture_tear_down (&f, NULL);
}


static void
test_window_size_remembered (Fixture       *f,
                             gconstpointer  user_data)
{
  GSettings *settings = ak_application_get_settings (f->app);

  gtk_window_set_default_size (GTK_WINDOW (f->window), 700, 520);
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 520);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static gboolean
import_dialog_open (gpointer data)
{
  return ak_credentials_page_get_open_dialog (((Fixture *) data)->page) != NULL;
}

static void
test_import_key_and_secret (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (keyring_dir, "key_and_secret.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AkCredentialDialog *dialog;
  AkCredential *imported;

  g_assert_true (g_file_set_contents (path,
                                      "Customer ID: 8d2d4f6fe5a84c0eb7b1f8a7b0f1c2d3\r\n"
                                      "Customer Secret: " CUSTOMER_SECRET "\r\n", -1, NULL));
  ak_credentials_page_import_file (f->page, file);
  ak_test_wait_until (import_dialog_open, f, "the import dialog");
  dialog = ak_credentials_page_get_open_dialog (f->page);

  g_assert_cmpstr (gtk_editable_get_text (ak_credential_dialog_get_field (dialog, "customer-id")),
                   ==, "8d2d4f6fe5a84c0eb7b1f8a7b0f1c2d3");
  g_assert_cmpstr (gtk_editable_get_text (ak_credential_dialog_get_field (dialog, "customer-secret")),
                   ==, CUSTOMER_SECRET);
  g_assert_nonnull (ak_credential_dialog_get_info (dialog));
  g_assert_null (strstr (ak_credential_dialog_get_info (dialog), CUSTOMER_SECRET));

  /* The label is the one thing left to give. */
  g_assert_false (ak_credential_dialog_can_save (dialog));
  set_field (dialog, "label", "Console account");
  ak_credential_dialog_save (dialog);
  ak_test_wait_until (no_dialog, f, "the import to be saved");

  imported = ak_credential_store_find (f->store, AK_CREDENTIAL_CUSTOMER, "Console account");
  g_assert_nonnull (imported);
  g_assert_cmpstr (ak_credential_get_customer_id (imported), ==, "8d2d4f6fe5a84c0eb7b1f8a7b0f1c2d3");
  g_unlink (path);
}

/* Everything the tests above did went through the log writer below, with
 * G_MESSAGES_DEBUG=all: no secret may show up there, in the settings, or in any file under
 * $HOME (the keyring file lives elsewhere, in the test's own directory). */
static GString *captured_log;

static GLogWriterOutput
capture_log (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0)
      g_string_append_printf (captured_log, "%s=%s\n", fields[i].key, (const char *) fields[i].value);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static const char * const audited_secrets[] = { CERT_1, CERT_2, CUSTOMER_SECRET };

static void
assert_no_secret_in (const char *text,
                     gsize       length,
                     const char *where)
{
  for (guint i = 0; i < G_N_ELEMENTS (audited_secrets); i++)
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) audited_secrets[i],
                                              strlen (audited_secrets[i]));

      if (g_strstr_len (text, length, audited_secrets[i]) != NULL
          || g_strstr_len (text, length, b64) != NULL)
        g_error ("A secret was found in %s", where);
    }
}

static void
audit_directory (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        audit_directory (child);
      else if (g_file_get_contents (child, &contents, &length, NULL))
        assert_no_secret_in (contents, length, child);
    }
}

static void
test_secrets_audit (void)
{
  GSettings *settings = ak_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_assert_cmpstr (g_getenv ("G_MESSAGES_DEBUG"), ==, "all");
  g_assert_cmpuint (captured_log->len, >, 0);
  assert_no_secret_in (captured_log->str, captured_log->len, "the log");

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      assert_no_secret_in (text, strlen (text), keys[i]);
    }

  if (!g_str_has_prefix (keyring_dir, g_get_home_dir ()))
    audit_directory (g_get_home_dir ());
}

static void
copy_then_quit (GApplication *application,
                gpointer      user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  g_autofree char *copied = NULL;

  /* Far from its time: only the quit can clear it. */
  ak_clipboard_copy (GTK_WIDGET (window), CERT_2, TRUE, 600);
  copied = ak_test_read_clipboard (clipboard);
  g_assert_cmpstr (copied, ==, CERT_2);
  g_assert_true (ak_clipboard_has_pending_clear (clipboard));
  /* Ctrl+Q's action. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "quit", NULL);
}

/* Quitting clears a copied secret that is still on the clipboard. Its own application, run
 * and quit as a user would; last, as it shuts an application down. */
static void
test_quit_clears_clipboard (void)
{
  g_autoptr(AkApplication) quitting = ak_application_new ();
  GdkClipboard *clipboard = gdk_display_get_clipboard (gdk_display_get_default ());
  g_autofree char *after = NULL;
  int status;

  g_application_set_flags (G_APPLICATION (quitting), G_APPLICATION_NON_UNIQUE);
  /* Beside the suite's own application on the same bus: another object path. */
  g_application_set_application_id (G_APPLICATION (quitting), APP_ID ".QuitTest");
  g_signal_connect_after (quitting, "activate", G_CALLBACK (copy_then_quit), NULL);
  status = g_application_run (G_APPLICATION (quitting), 0, NULL);
  g_assert_cmpint (status, ==, 0);

  g_assert_false (ak_clipboard_has_pending_clear (clipboard));
  g_assert_null (gdk_clipboard_get_content (clipboard));
  after = ak_test_read_clipboard (clipboard);
  g_assert_null (after);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AkCredentialStore) memory = NULL;
  g_autofree char *keyring = NULL;
  int status;

  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  /* Debug output on stdout would mix with the TAP results. */
  g_log_writer_default_set_use_stderr (TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);

  keyring_dir = g_dir_make_tmp ("ak-ui-XXXXXX", NULL);
  keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
  app = ak_test_ui_init (&argc, &argv, FALSE);
  memory = ak_credential_store_new_in_memory ();

#define ADD(path, func, data) \
  g_test_add ("/ak/ui/credentials/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("add-search-edit", test_add_search_edit, NULL);
  ADD ("validation", test_validation_messages, NULL);
  ADD ("copy", test_copy, NULL);
  ADD ("copy-cleared-unfocused", test_copy_cleared_unfocused, NULL);
  ADD ("delete-undo", test_delete_undo, NULL);
  ADD ("failed-write-keeps-form", test_failed_write_keeps_form, NULL);
  ADD ("session-only-banner", test_session_only_banner, memory);
  ADD ("window-size", test_window_size_remembered, NULL);
  ADD ("import", test_import_key_and_secret, NULL);
#undef ADD
  g_test_add_func ("/ak/ui/credentials/thousand", test_thousand);
  g_test_add_func ("/ak/ui/credentials/secrets-audit", test_secrets_audit);
  g_test_add_func ("/ak/ui/credentials/quit-clears-clipboard", test_quit_clears_clipboard);

  status = ak_test_ui_run (&app);
  g_unlink (keyring);
  g_rmdir (keyring_dir);
  g_free (keyring_dir);
  return status;
}
