/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtksourceview/gtksource.h>

#include "ak-ui-util.h"
#include "ak-window.h"

void
ak_ui_add_toast (GtkWidget *widget,
                 AdwToast  *toast)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));

  while (root != NULL && !AK_IS_WINDOW (root) && GTK_IS_WINDOW (root))
    root = GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (root)));

  if (root != NULL && AK_IS_WINDOW (root))
    ak_window_add_toast (AK_WINDOW (root), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* Errors from core are already sentences a person can act on. */
void
ak_ui_show_error_toast (GtkWidget    *widget,
                        const GError *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  ak_ui_add_toast (widget, toast);
}

/* A cancel is the app's own doing (a page going away, a newer request, the user's Cancel),
 * nothing to tell the user about. */
void
ak_ui_show_error_toast_unless_cancelled (GtkWidget    *widget,
                                         const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ak_ui_show_error_toast (widget, error);
}

static gboolean
scroll_into_view (gpointer user_data)
{
  GtkWidget *widget = user_data;
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  double x;
  double y;

  if (scrolled == NULL)
    return G_SOURCE_REMOVE;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (gtk_widget_translate_coordinates (widget, content, 0, 0, &x, &y))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                              y - 12);
  return G_SOURCE_REMOVE;
}

void
ak_ui_scroll_into_view (GtkWidget *widget)
{
  /* Low priority: after the frame that lays the widget out. */
  g_idle_add_full (G_PRIORITY_LOW, scroll_into_view, g_object_ref (widget), g_object_unref);
}

static void
apply_style_scheme (GtkSourceBuffer *buffer)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (adw_style_manager_get_default ())
                     ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

void
ak_ui_follow_style_scheme (GObject *source_buffer)
{
  g_return_if_fail (GTK_SOURCE_IS_BUFFER (source_buffer));

  apply_style_scheme (GTK_SOURCE_BUFFER (source_buffer));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (apply_style_scheme), source_buffer, G_CONNECT_SWAPPED);
}

/* AdwPasswordEntryRow (libadwaita 1.2) has no API of its own for this; its text delegate is
 * the GtkText whose visibility the row's peek button toggles, and the row follows changes to
 * it (icon and tooltip included). */
guint
ak_ui_mask_revealed (GtkWidget *widget)
{
  guint masked = 0;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), 0);

  if (ADW_IS_PASSWORD_ENTRY_ROW (widget))
    {
      GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (widget));

      if (GTK_IS_TEXT (delegate) && gtk_text_get_visibility (GTK_TEXT (delegate)))
        {
          gtk_text_set_visibility (GTK_TEXT (delegate), FALSE);
          masked++;
        }
      return masked;
    }
  /* AdwViewStack (1.2) parents only the page on show; the others are reached through its
   * pages. */
  if (ADW_IS_VIEW_STACK (widget))
    {
      g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (ADW_VIEW_STACK (widget));

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
        {
          g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

          masked += ak_ui_mask_revealed (adw_view_stack_page_get_child (page));
        }
      return masked;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    masked += ak_ui_mask_revealed (child);
  return masked;
}

static void
tooltip_to_label (GtkWidget *button)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (tooltip != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    tooltip, -1);
}

/* libadwaita 1.2's AdwPasswordEntryRow peek button is an icon with a tooltip ("Show Text",
 * "Hide Text"), which GTK 4.8 gives to screen readers as a description, not a name: it is
 * read as just "button". The tooltip, translated and kept current by libadwaita, becomes the
 * name too. */
void
ak_ui_setup_password_rows (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* "●" is so wide that a 32-character certificate scrolls out of a 360 px dialog, cut at its
   * first character: "•" shows all of it. */
  if (GTK_IS_TEXT (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW))
    {
      gtk_text_set_invisible_char (GTK_TEXT (widget), 0x2022);
      return;
    }
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW)
      && gtk_button_get_label (GTK_BUTTON (widget)) == NULL
      && gtk_widget_get_tooltip_text (widget) != NULL)
    {
      tooltip_to_label (widget);
      g_signal_connect (widget, "notify::tooltip-text", G_CALLBACK (tooltip_to_label), NULL);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    ak_ui_setup_password_rows (child);
}

/* GTK 4.8 names a button with a mnemonic wrongly over AT-SPI. A GtkButton's accessible label is
 * its raw label ("_Undo") and it is also labelled by its child label ("Undo"), so a screen
 * reader says "_Undo Undo". A GtkStackSwitcher's button is named by the raw page title alone
 * ("_Generate"). Either way the name becomes the text a person sees. */
static void
fix_mnemonic_label (GtkWidget *button)
{
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  if (child == NULL || !GTK_IS_LABEL (child) || !gtk_label_get_use_underline (GTK_LABEL (child)))
    return;

  if (gtk_label_get_mnemonic_widget (GTK_LABEL (child)) == button)
    {
      const char *raw = gtk_button_get_label (GTK_BUTTON (button));
      g_autofree char *differs = NULL;

      /* GTK 4.8 has no getter for an accessible property but this check. */
      if (raw != NULL)
        differs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (button),
                                                      GTK_ACCESSIBLE_PROPERTY_LABEL, raw);
      if (raw != NULL && differs == NULL)
        gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
      else if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL))
        /* An explicit name of ours: keep it, without the visible text appended. */
        gtk_accessible_reset_relation (GTK_ACCESSIBLE (button),
                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    }
  else
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_label_get_text (GTK_LABEL (child)), -1);
    }
}

/* "_Save" → "Save", "key__and__secret" → "key_and_secret", as GTK shows them. */
static char *
strip_mnemonic (const char *label)
{
  GString *text = g_string_sized_new (strlen (label));

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && *++p == '\0')
        break;
      g_string_append_c (text, *p);
    }

  return g_string_free (text, FALSE);
}

/* A stack page (the panel a tab shows) is named by its raw title too. */
static void
fix_stack_page_names (GtkStack *stack)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (stack);
  guint n_pages = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n_pages; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkStackPage *page = GTK_STACK_PAGE (item);
      const char *title = gtk_stack_page_get_title (page);
      g_autofree char *text = NULL;

      if (title == NULL || !gtk_stack_page_get_use_underline (page))
        continue;
      text = strip_mnemonic (title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (page), GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                      -1);
    }
}

static gboolean
mnemonic_name_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               user_data)
{
  GObject *object = g_value_get_object (&values[0]);

  if (GTK_IS_STACK (object))
    fix_stack_page_names (GTK_STACK (object));
  if (!GTK_IS_BUTTON (object))
    return TRUE;

  fix_mnemonic_label (GTK_WIDGET (object));
  /* GtkButton sets the raw label again whenever its label changes. */
  if (g_object_get_data (object, "ak-mnemonic-name") == NULL)
    {
      g_object_set_data (object, "ak-mnemonic-name", GINT_TO_POINTER (1));
      g_signal_connect_after (object, "notify::label", G_CALLBACK (fix_mnemonic_label), NULL);
      g_signal_connect_after (object, "notify::child", G_CALLBACK (fix_mnemonic_label), NULL);
      g_signal_connect_after (object, "notify::use-underline", G_CALLBACK (fix_mnemonic_label),
                              NULL);
    }

  return TRUE;
}

void
ak_ui_fix_mnemonic_names (void)
{
  static gsize installed = 0;

  /* On "map", so that buttons made later (a toast's, a dialog's) are covered too. */
  if (g_once_init_enter (&installed))
    {
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0,
                                  mnemonic_name_hook, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

/* A drop-down in a squeezer stands in for a view switcher in a narrow window: a way to move
 * between views, not a field of the page. */
static gboolean
is_field (GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget))
    return !ADW_IS_SQUEEZER (gtk_widget_get_parent (widget));
  return GTK_IS_EDITABLE (widget) || GTK_IS_TEXT_VIEW (widget) || ADW_IS_COMBO_ROW (widget);
}

static GtkWidget *
find_first_field (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget))
    return NULL;
  if (is_field (widget) && gtk_widget_get_focusable (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_first_field (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Puts focus where a person starts on a page: its first field in reading order, or else its
 * first focusable widget (an empty page's "Add Project" button, say). */
void
ak_ui_focus_first_field (GtkWidget *page)
{
  GtkWidget *field = find_first_field (page);

  if (field != NULL && gtk_widget_grab_focus (field))
    return;
  gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

/* Pango draws a hyphen where it breaks a word across lines: inside a token, a URL or a path
 * that is a character that is not there. */
void
ak_ui_label_no_hyphens (GtkLabel *label)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (label, attributes);
  pango_attr_list_unref (attributes);
}

static void
text_view_changed (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_apply_tag_by_name (buffer, "ak-no-hyphens", &start, &end);
}

/* The same for a text view the user types or pastes a token into. */
void
ak_ui_text_view_no_hyphens (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

  gtk_text_buffer_create_tag (buffer, "ak-no-hyphens", "insert-hyphens", FALSE, NULL);
  g_signal_connect (buffer, "changed", G_CALLBACK (text_view_changed), NULL);
  text_view_changed (buffer);
}

/* Every project picker shows the store's one projects model (ak_credential_store_get_projects),
 * between optional fixed entries: @labels gets @first (nullable), each project's label and
 * @last (nullable); @projects the projects in the same order. Returns where @keep now is in
 * @labels, or G_MAXUINT when it is gone, so that a change made elsewhere keeps the choice. */
guint
ak_ui_fill_project_choices (GtkStringList     *labels,
                            GPtrArray         *projects,
                            AkCredentialStore *store,
                            const char        *first,
                            const char        *last,
                            AkCredential      *keep)
{
  GListModel *model = ak_credential_store_get_projects (store);
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();
  g_autoptr(AkCredential) kept = keep != NULL ? g_object_ref (keep) : NULL;
  guint offset = first != NULL ? 1 : 0;
  guint position = G_MAXUINT;

  g_ptr_array_set_size (projects, 0);
  if (first != NULL)
    g_ptr_array_add (strings, (gpointer) first);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AkCredential) project = g_list_model_get_item (model, i);

      if (project == kept)
        position = projects->len + offset;
      g_ptr_array_add (projects, g_object_ref (project));
      g_ptr_array_add (strings, (gpointer) ak_credential_get_label (project));
    }
  if (last != NULL)
    g_ptr_array_add (strings, (gpointer) last);
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (labels, 0, g_list_model_get_n_items (G_LIST_MODEL (labels)),
                          (const char * const *) strings->pdata);
  return position;
}

void
ak_ui_measure_content_child (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!GTK_IS_NATIVE (child))
      {
        gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                            natural_baseline);
        return;
      }
}

void
ak_ui_clear_tick_callback (gpointer  widget,
                           guint    *id)
{
  if (*id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (widget), *id);
  *id = 0;
}

guint
ak_ui_new_string_signal (gpointer    klass,
                         const char *name)
{
  return g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                       G_TYPE_NONE, 1, G_TYPE_STRING);
}

GtkLabel *
ak_ui_list_item_set_start_label (GtkListItem *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
  return GTK_LABEL (label);
}
