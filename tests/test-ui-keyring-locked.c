/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-application-private.h"
#include "ak-application.h"
#include "ak-credentials-page-private.h"
#include "ak-test-keyring.h"
#include "ak-test-util.h"
#include "ak-window-private.h"

/*
 * The window over a real gnome-keyring whose login collection is locked on disk, as after a
 * reboot before the user logs in: gnome-keyring's searches then find nothing, and the window
 * must say "locked", with Unlock, rather than "No Credentials Yet"; once the keyring is
 * unlocked (here from outside, as a login does), the list appears without a click.
 *
 * The whole program runs in its own D-Bus session with its own daemon, started before GTK
 * and libadwaita connect to a bus: restarting the daemon must not touch the session the
 * other tests use.
 */

#define CERT_1 "5CFd2fd1755d40ecb72977518be15d3b"
#define PROJECT_APP_ID "970CA35de60c44645bbae8a215061b33"

static PrivateSession session = { .keep_display = TRUE };
static gboolean session_started;

static gboolean
store_loaded (gpointer data)
{
  return ak_credential_store_get_state (data) != AK_KEYRING_STATE_UNKNOWN;
}

static gboolean
list_shown (gpointer data)
{
  AkWindow *window = data;
  AkCredentialsPage *page = ak_window_get_credentials_page (window);

  return g_str_equal (ak_credentials_page_get_state_name (page), "results")
         && !gtk_revealer_get_reveal_child (GTK_REVEALER (ak_window_get_keyring_banner (window)));
}

/* What a screen reader calls the button: its accessible label, or the text of the label
 * it is labelled by (GTK 4.8 labels a button by its child). */
static gboolean
button_is_named (GtkWidget  *button,
                 const char *name)
{
  g_autofree char *label_mismatch =
    gtk_test_accessible_check_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        name);

  if (label_mismatch == NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (button); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *relation_mismatch = NULL;

      if (!GTK_IS_LABEL (child) || g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), name) != 0)
        continue;
      relation_mismatch =
        gtk_test_accessible_check_relation (GTK_ACCESSIBLE (button),
                                            GTK_ACCESSIBLE_RELATION_LABELLED_BY, child, NULL);
      if (relation_mismatch == NULL)
        return TRUE;
    }
  return FALSE;
}

/* A button a person can see and press. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *name)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_is_drawable (widget)
      && gtk_widget_is_sensitive (widget) && button_is_named (widget, name))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
banner_revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (ak_window_get_keyring_banner (data)));
}

static void
press (GtkWidget *button)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  /* As a keyboard user would; "clicked" comes a moment later. */
  g_assert_true (gtk_widget_activate (button));
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
test_locked_on_disk (void)
{
  g_autoptr(AkApplication) app = NULL;
  g_autoptr(AkCredentialStore) store = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  AkWindow *window;
  AkCredentialsPage *page;
  GtkWidget *unlock;

  if (!session_started)
    {
      g_test_skip ("dbus-daemon, gnome-keyring-daemon or AK_CLI is missing");
      return;
    }

  /* A project in the login keyring, then a "reboot": the daemon starts again without the
   * password, and the collection stays locked, read from disk. */
  g_assert_cmpint (private_session_run_cli (CERT_1 "\n\n", &out, &err, "credential", "add",
                                            "project", "--label", "On disk", "--app-id",
                                            PROJECT_APP_ID, NULL), ==, 0);
  private_session_restart_keyring (&session, FALSE);
  g_assert_true (private_session_login_is_locked ());

  app = ak_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  store = ak_credential_store_new (APP_ID);
  ak_application_set_store (app, store);
  window = ak_window_new (app);
  page = ak_window_get_credentials_page (window);
  gtk_window_present (GTK_WINDOW (window));
  ak_test_wait_until (store_loaded, store, "the store to load");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* Locked, said twice: the banner with Unlock, and a page that is not "No Credentials
   * Yet". */
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_LOCKED);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (ak_window_get_keyring_banner
                                                                (window))));
  g_assert_nonnull (strstr (ak_window_get_keyring_message (window), "locked"));
  g_assert_cmpstr (ak_credentials_page_get_state_name (page), ==, "locked");
  ak_test_wait_until (banner_revealed, window, "the banner to slide in");
  unlock = find_button (GTK_WIDGET (window), "Unlock");
  g_assert_nonnull (unlock);
  g_assert_nonnull (find_button (GTK_WIDGET (window), "Unlock Keyring"));

  /* Unlock asks gnome-keyring for a prompt; no prompter can show one here, so it stays
   * locked, and says so. */
  press (unlock);
  g_assert_true (private_session_login_is_locked ());
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_LOCKED);

  /* Unlocked as a login would: the list appears and the banner goes, without a click. */
  private_session_unlock_from_outside ();
  ak_test_wait_until (list_shown, window, "the list after unlocking");
  g_assert_cmpint (ak_credential_store_get_state (store), ==, AK_KEYRING_STATE_READY);
  g_assert_cmpuint (g_list_model_get_n_items (ak_credentials_page_get_shown_model (page)), ==, 1);
  g_assert_nonnull (ak_credential_store_find (store, AK_CREDENTIAL_PROJECT, "On disk"));
  g_assert_false (gtk_widget_get_visible (unlock) && gtk_widget_is_drawable (unlock));

  gtk_window_destroy (GTK_WINDOW (window));
  ak_application_set_store (app, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");
  int status;

  /* Before GTK, libadwaita (the settings portal) or GLib connect to a bus. */
  if (dbus_daemon != NULL && keyring_daemon != NULL && g_getenv ("AK_CLI") != NULL)
    {
      private_session_start (&session, KEYRING_UNLOCKED_WITH_PROMPTER);
      session_started = TRUE;
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ak/ui/keyring-locked/locked-on-disk", test_locked_on_disk);

  status = g_test_run ();
  if (session_started)
    private_session_stop (&session);
  return status;
}
