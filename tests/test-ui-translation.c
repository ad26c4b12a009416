/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "ak-application-private.h"
#include "ak-application.h"
#include "ak-window-private.h"
#include "ak-test-ui.h"

/* The window under LANGUAGE=zh_CN, with the catalogue that the build compiled
 * from po/zh_CN.po (AK_TEST_LOCALEDIR), so no install is needed. */

static AkApplication *app;

static void
collect_texts (GtkWidget  *widget,
               GHashTable *texts)
{
  if (GTK_IS_LABEL (widget))
    g_hash_table_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  if (ADW_IS_PREFERENCES_ROW (widget))
    g_hash_table_add (texts, g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget))));
  if (ADW_IS_VIEW_STACK (widget))
    {
      g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (ADW_VIEW_STACK (widget));

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
        {
          g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
          const char *title = adw_view_stack_page_get_title (page);

          if (title != NULL)
            g_hash_table_add (texts, g_strdup (title));
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static void
assert_text (GHashTable *texts,
             const char *translated,
             const char *english)
{
  if (!g_hash_table_contains (texts, translated))
    g_error ("no widget shows “%s” (for “%s”)", translated, english);
  if (g_hash_table_contains (texts, english))
    g_error ("“%s” is shown untranslated", english);
}

static void
test_window_in_chinese (void)
{
  g_autoptr(GHashTable) texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  AkWindow *window = ak_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  collect_texts (GTK_WIDGET (window), texts);
  /* Then the Tokens page, as a user would open it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "tokens");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  collect_texts (GTK_WIDGET (window), texts);

  /* Page titles. */
  assert_text (texts, "凭据", "Credentials");
  assert_text (texts, "请求", "Requests");
  /* The empty Credentials page, and a label of the token form. */
  assert_text (texts, "还没有凭据", "No Credentials Yet");
  assert_text (texts, "频道名", "Channel name");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AkCredentialStore) store = NULL;

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() picks a locale of its own, and gettext ignores LANGUAGE in
   * the C locale: C.UTF-8 exists everywhere and lets LANGUAGE choose. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("The C.UTF-8 locale is missing");
  bindtextdomain (GETTEXT_PACKAGE, AK_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  adw_init ();

  store = ak_credential_store_new_in_memory ();
  app = ak_test_application_new (store);

  g_test_add_func ("/ak/ui/translation/zh-cn", test_window_in_chinese);
  return ak_test_ui_run (&app);
}
