/* ak-test-ui.c: what the UI tests share on top of ak-test-util.c
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ak-application-private.h"
#include "ak-clock.h"
#include "ak-test-ui.h"
#include "ak-window-private.h"

AkApplication *
ak_test_application_new (AkCredentialStore *store)
{
  AkApplication *app = ak_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    g_error ("Could not register the application");
  if (store != NULL)
    ak_application_set_store (app, store);
  return app;
}

AkWindow *
ak_test_window_open (AkApplication     *app,
                     AkCredentialStore *store)
{
  AkWindow *window;

  ak_application_set_store (app, store);
  window = ak_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
ak_test_window_close (AkApplication *app,
                      AkWindow      *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  ak_application_set_store (app, NULL);
}

AkApplication *
ak_test_ui_init (int       *argc,
                 char    ***argv,
                 gboolean   memory_store)
{
  g_autoptr(AkCredentialStore) store = memory_store ? ak_credential_store_new_in_memory ()
                                                    : NULL;

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  return ak_test_application_new (store);
}

int
ak_test_ui_run (AkApplication **app)
{
  int status = g_test_run ();

  g_clear_object (app);
  return status;
}

void
ak_test_tokens_fixture_set_up (AkTestTokensFixture *f,
                               gconstpointer        app)
{
  g_autoptr(AkCredential) project = NULL;

  f->app = AK_APPLICATION ((gpointer) app);
  f->store = ak_credential_store_new_in_memory ();
  project = ak_test_store_add_project (f->store, "Demo", AK_TEST_DEMO_APP_ID, AK_TEST_DEMO_CERT,
                                       NULL);
  f->window = ak_test_window_open (f->app, f->store);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-token", NULL);
  f->page = ak_window_get_tokens_page (f->window);
  f->generator = ak_tokens_page_get_generator (f->page);
  f->decoder = ak_tokens_page_get_decoder (f->page);
  f->view = ak_tokens_page_get_doctor_view (f->page);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

void
ak_test_tokens_fixture_tear_down (AkTestTokensFixture *f,
                                  gconstpointer        app)
{
  ak_clock_set_for_testing (0);
  ak_test_window_close (f->app, f->window);
  g_clear_object (&f->store);
}

/* ---------------------------------------------------------------------------------------------
 * Finding widgets as a user does: by what a screen reader calls them
 */

GtkWidget *
ak_test_find_widget (GtkWidget         *root,
                     AkTestWidgetMatch  match,
                     gconstpointer      data,
                     gboolean           hidden_too)
{
  /* A widget that is not on show has no child on show either. */
  if (!hidden_too && !gtk_widget_get_mapped (root))
    return NULL;
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ak_test_find_widget (child, match, data, hidden_too);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GtkWidget *
ak_test_find_of_type (GtkWidget *root,
                      GType      type)
{
  return ak_test_find_widget (root, is_of_type, GSIZE_TO_POINTER (type), TRUE);
}

gboolean
ak_test_is_named (GtkWidget  *widget,
                  const char *name)
{
  g_autofree char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                  name);
  const char *label;

  if (mismatch == NULL)
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (widget))
    return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), name) == 0;
  if (GTK_IS_LABEL (widget))
    return gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget))
             == GTK_ACCESSIBLE_ROLE_LABEL
           && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), name) == 0;
  if (!GTK_IS_BUTTON (widget))
    return FALSE;
  label = gtk_button_get_label (GTK_BUTTON (widget));
  return g_strcmp0 (label, name) == 0
         || (gtk_button_get_use_underline (GTK_BUTTON (widget)) && label != NULL
             && label[0] == '_' && g_strcmp0 (label + 1, name) == 0);
}

typedef struct
{
  const char *name;
  GType type;
} Named;

static gboolean
is_named_of_type (GtkWidget     *widget,
                  gconstpointer  data)
{
  const Named *named = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, named->type) && ak_test_is_named (widget, named->name);
}

GtkWidget *
ak_test_find_named (GtkWidget  *root,
                    const char *name,
                    GType       type,
                    gboolean    hidden_too)
{
  Named named = { name, type };

  return ak_test_find_widget (root, is_named_of_type, &named, hidden_too);
}

GtkWidget *
ak_test_find_shown (GtkWidget  *root,
                    const char *name)
{
  return ak_test_find_named (root, name, GTK_TYPE_WIDGET, FALSE);
}

GtkWidget *
ak_test_require_named (GtkWidget  *root,
                       const char *name,
                       GType       type)
{
  GtkWidget *found = ak_test_find_named (root, name, type, FALSE);

  if (found == NULL)
    g_error ("Nothing on show is named “%s”", name);
  return found;
}

const char *
ak_test_row_subtitle (GtkWidget  *root,
                      const char *title)
{
  GtkWidget *row = ak_test_find_shown (root, title);

  while (row != NULL && !ADW_IS_ACTION_ROW (row))
    row = gtk_widget_get_parent (row);
  return row != NULL ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
}

GtkWindow *
ak_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}
