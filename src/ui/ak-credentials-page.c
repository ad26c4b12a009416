/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-credential-dialog.h"
#include "ak-credential-row.h"
#include "ak-credentials-page-private.h"
#include "ak-key-secret-import.h"
#include "ak-ui-util.h"

/* What a deletion needs to be undone: the fields and the secrets, wiped when the toast goes. */
typedef struct
{
  AkCredential *credential;
  AkCredentialSecrets *secrets;
} UndoData;

struct _AkCredentialsPage
{
  AdwBin parent_instance;

  /* template widgets */
  GtkStack *stack;
  GtkStack *list_stack;
  GtkSpinner *spinner;
  AdwStatusPage *empty_status;
  AdwStatusPage *locked_status;
  AdwStatusPage *no_results_status;
  GtkSearchEntry *search_entry;
  GtkListView *list_view;

  /* owned */
  GtkCustomFilter *filter;
  GtkFilterListModel *filtered;
  /* The list as shown: a heading, then the matching credentials, for each kind. */
  GtkFilterListModel *filtered_kinds[2];
  GListStore *headings[2];
  GtkFlattenListModel *sections;
  GCancellable *cancellable;
  UndoData *undo;
  AdwToast *undo_toast;
  GtkNativeDialog *file_chooser;
  GtkSliceListModel *slice;
  guint row_budget;
  guint grow_tick_id;
  gboolean drawn;

  /* borrowed */
  AkCredentialStore *store;
  GSettings *settings;
  AkCredentialDialog *open_dialog;
};

G_DEFINE_FINAL_TYPE (AkCredentialsPage, ak_credentials_page, ADW_TYPE_BIN)

static void
undo_data_free (UndoData *undo)
{
  g_clear_object (&undo->credential);
  g_clear_pointer (&undo->secrets, ak_credential_secrets_free);
  g_free (undo);
}

static guint
clear_seconds (AkCredentialsPage *self)
{
  return self->settings != NULL ? g_settings_get_uint (self->settings, "clipboard-clear-seconds")
                                : 30;
}

static GtkWindow *
parent_window (AkCredentialsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* ---------------------------------------------------------------------------------------------
 * What is shown: loading, empty, list, or no results
 */

static void
update_state (AkCredentialsPage *self)
{
  GListModel *all = self->store != NULL ? ak_credential_store_get_model (self->store) : NULL;
  gboolean loading = self->store == NULL
                     || ak_credential_store_get_state (self->store) == AK_KEYRING_STATE_UNKNOWN;
  gboolean has_results = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0;
  const char *page;

  if (all != NULL && g_list_model_get_n_items (all) > 0)
    page = "list";
  else if (loading)
    page = "loading";
  else if (ak_credential_store_get_state (self->store) == AK_KEYRING_STATE_LOCKED)
    /* Locked since it was read from disk: nothing could be read, which is not empty. */
    page = "locked";
  else
    page = "empty";

  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_stack_set_visible_child_name (self->list_stack, has_results ? "results" : "no-results");

  /* The status pages' 128 px icons are SVG only, and the first one loads librsvg (about
   * 8 MiB): set them when their page is first shown, not with the window. */
  if (g_str_equal (page, "empty") && adw_status_page_get_icon_name (self->empty_status) == NULL)
    adw_status_page_set_icon_name (self->empty_status, "dialog-password-symbolic");
  if (g_str_equal (page, "locked")
      && adw_status_page_get_icon_name (self->locked_status) == NULL)
    adw_status_page_set_icon_name (self->locked_status, "system-lock-screen-symbolic");
  if (g_str_equal (page, "list") && !has_results
      && adw_status_page_get_icon_name (self->no_results_status) == NULL)
    adw_status_page_set_icon_name (self->no_results_status, "edit-find-symbolic");
}

static gboolean
filter_credential (gpointer item,
                   gpointer user_data)
{
  AkCredentialsPage *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  return ak_credential_matches (AK_CREDENTIAL (item), text);
}

static void
search_changed (AkCredentialsPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* A section's heading is in the list while the section has rows to show. */
static void
update_heading (AkCredentialsPage *self,
                AkCredentialKind   kind)
{
  gboolean wanted = g_list_model_get_n_items (G_LIST_MODEL (self->filtered_kinds[kind])) > 0;
  gboolean shown = g_list_model_get_n_items (G_LIST_MODEL (self->headings[kind])) > 0;

  if (wanted && !shown)
    {
      g_autoptr(GtkStringObject) heading =
        gtk_string_object_new (kind == AK_CREDENTIAL_PROJECT ? _("Projects")
                                                             : _("Customer Credentials"));
      g_list_store_append (self->headings[kind], heading);
    }
  else if (!wanted && shown)
    g_list_store_remove_all (self->headings[kind]);
}

static void
projects_changed (AkCredentialsPage *self)
{
  update_heading (self, AK_CREDENTIAL_PROJECT);
}

static void
customers_changed (AkCredentialsPage *self)
{
  update_heading (self, AK_CREDENTIAL_CUSTOMER);
}

static GtkWidget *
heading_new (void)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                   "xalign", 0.0f,
                                   NULL);

  gtk_widget_add_css_class (label, "heading");
  return label;
}

/* GtkListView in GTK 4.8 has no section headers: headings are items of their own, and a
 * list item's child is a heading or a row depending on what it is bound to. */
static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GObject *object = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);

  if (GTK_IS_STRING_OBJECT (object))
    {
      if (!GTK_IS_LABEL (child))
        gtk_list_item_set_child (item, child = heading_new ());
      gtk_label_set_text (GTK_LABEL (child),
                          gtk_string_object_get_string (GTK_STRING_OBJECT (object)));
      gtk_list_item_set_activatable (item, FALSE);
      gtk_list_item_set_selectable (item, FALSE);
      /* The list item may have held a row before, and been named after it. */
      gtk_accessible_reset_property (GTK_ACCESSIBLE (gtk_widget_get_parent (child)),
                                     GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_widget_add_css_class (gtk_widget_get_parent (child), "ak-section-heading");
      return;
    }

  if (!AK_IS_CREDENTIAL_ROW (child))
    gtk_list_item_set_child (item, child = ak_credential_row_new ());
  gtk_widget_remove_css_class (gtk_widget_get_parent (child), "ak-section-heading");
  gtk_list_item_set_activatable (item, TRUE);
  ak_credential_row_set_credential (AK_CREDENTIAL_ROW (child), AK_CREDENTIAL (object));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (AK_IS_CREDENTIAL_ROW (child))
    ak_credential_row_set_credential (AK_CREDENTIAL_ROW (child), NULL);
}

/* GtkListView (GTK 4.8) keeps up to 200 rows alive whatever its height, and makes them all
 * at once when that many items appear. That would stall the main loop for a few hundred
 * milliseconds with a long list, so the list sees a slice of the results that grows by a
 * few rows a frame until it is past that cap. It starts empty, and the first rows come in
 * the frame after the page's first: the window shows without waiting for them. */
#define ROWS_PER_FRAME 8
#define LIST_VIEW_ROW_CAP 210

static void
apply_row_budget (AkCredentialsPage *self)
{
  gtk_slice_list_model_set_size (self->slice, self->row_budget >= LIST_VIEW_ROW_CAP
                                                ? G_MAXUINT : self->row_budget);
}

static gboolean
grow_row_budget (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  AkCredentialsPage *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sections));

  if (!self->drawn)
    {
      self->drawn = TRUE;
      return G_SOURCE_CONTINUE;
    }
  self->row_budget += ROWS_PER_FRAME;
  apply_row_budget (self);
  if (self->row_budget >= LIST_VIEW_ROW_CAP || self->row_budget >= n)
    {
      self->grow_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
results_changed (AkCredentialsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sections));

  /* Fewer results means fewer rows: start counting from there next time the list grows. */
  if (n < self->row_budget && self->drawn)
    self->row_budget = MAX (n, ROWS_PER_FRAME);
  apply_row_budget (self);

  if (n > self->row_budget && self->row_budget < LIST_VIEW_ROW_CAP && self->grow_tick_id == 0)
    self->grow_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view),
                                                       grow_row_budget, self, NULL);
  update_state (self);
}

static void
row_activated (GtkListView       *list_view,
               guint              position,
               AkCredentialsPage *self)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->slice), position);

  if (AK_IS_CREDENTIAL (item))
    ak_credentials_page_edit (self, AK_CREDENTIAL (item));
}

void
ak_credentials_page_set_context (AkCredentialsPage *self,
                                 AkContext         *context)
{
  AkCredentialStore *store = ak_context_get_store (context);

  g_return_if_fail (AK_IS_CREDENTIALS_PAGE (self));
  g_return_if_fail (self->store == NULL);

  self->store = store;
  self->settings = ak_context_get_settings (context);
  gtk_filter_list_model_set_model (self->filtered, ak_credential_store_get_model (store));
  gtk_filter_list_model_set_model (self->filtered_kinds[AK_CREDENTIAL_PROJECT],
                                   ak_credential_store_get_kind_model (store,
                                                                       AK_CREDENTIAL_PROJECT));
  gtk_filter_list_model_set_model (self->filtered_kinds[AK_CREDENTIAL_CUSTOMER],
                                   ak_credential_store_get_kind_model (store,
                                                                       AK_CREDENTIAL_CUSTOMER));
  g_signal_connect_object (ak_credential_store_get_model (store), "items-changed",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "notify::state", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  update_state (self);
}

void
ak_credentials_page_focus_search (AkCredentialsPage *self)
{
  g_return_if_fail (AK_IS_CREDENTIALS_PAGE (self));

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "list"))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---------------------------------------------------------------------------------------------
 * Add, edit, import
 */

static void
dialog_destroyed (AkCredentialsPage *self)
{
  self->open_dialog = NULL;
}

static void
show_dialog (AkCredentialsPage  *self,
             AkCredentialDialog *dialog)
{
  if (self->open_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->open_dialog));
  self->open_dialog = dialog;
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroyed), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
ak_credentials_page_add (AkCredentialsPage *self,
                         AkCredentialKind   kind)
{
  g_return_if_fail (AK_IS_CREDENTIALS_PAGE (self));
  show_dialog (self, ak_credential_dialog_new (parent_window (self), self->store, self->settings,
                                               kind, NULL));
}

void
ak_credentials_page_edit (AkCredentialsPage *self,
                          AkCredential      *credential)
{
  g_return_if_fail (AK_IS_CREDENTIALS_PAGE (self));
  show_dialog (self, ak_credential_dialog_new (parent_window (self), self->store, self->settings,
                                               ak_credential_get_kind (credential), credential));
}

static void
import_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AkCredentialsPage) self = user_data;
  g_autoptr(AkKeySecretImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  AkCredentialDialog *dialog;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      ak_ui_show_error_toast_unless_cancelled (GTK_WIDGET (self), error);
      return;
    }

  import = ak_key_secret_import_parse (contents, length, &error);
  memset (contents, 0, length);
  if (import == NULL)
    {
      ak_ui_show_error_toast (GTK_WIDGET (self), error);
      return;
    }

  dialog = ak_credential_dialog_new (parent_window (self), self->store, self->settings,
                                     AK_CREDENTIAL_CUSTOMER, NULL);
  ak_credential_dialog_prefill_customer (dialog, import->customer_id, import->customer_secret,
                                         import->summary);
  show_dialog (self, dialog);
}

static void
file_chosen (GtkNativeDialog   *chooser,
             int                response,
             AkCredentialsPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->file_chooser);

  if (file != NULL)
    ak_credentials_page_import_file (self, file);
}

/* Reads @file (asynchronously) and opens the customer dialog with what it found. */
void
ak_credentials_page_import_file (AkCredentialsPage *self,
                                 GFile             *file)
{
  g_return_if_fail (AK_IS_CREDENTIALS_PAGE (self));
  g_file_load_contents_async (file, self->cancellable, import_loaded, g_object_ref (self));
}

void
ak_credentials_page_import (AkCredentialsPage *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_return_if_fail (AK_IS_CREDENTIALS_PAGE (self));

  if (self->file_chooser != NULL)
    return;

  gtk_file_filter_set_name (filter, _("Text files"));
  gtk_file_filter_add_mime_type (filter, "text/plain");
  gtk_file_filter_add_pattern (filter, "*.txt");

  self->file_chooser = GTK_NATIVE_DIALOG (
    gtk_file_chooser_native_new (_("Import Customer ID and Secret"), parent_window (self),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel")));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), filter);
  gtk_native_dialog_set_modal (self->file_chooser, TRUE);
  g_signal_connect (self->file_chooser, "response", G_CALLBACK (file_chosen), self);
  gtk_native_dialog_show (self->file_chooser);
}

/* ---------------------------------------------------------------------------------------------
 * Copy
 */

void
ak_credentials_page_copy_id (AkCredentialsPage *self,
                             AkCredential      *credential)
{
  const char *id = ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT
                     ? ak_credential_get_app_id (credential)
                     : ak_credential_get_customer_id (credential);

  ak_clipboard_copy (GTK_WIDGET (self), id, FALSE, 0);
}

typedef struct
{
  AkCredentialsPage *page;
  AkSecretField field;
} CopySecretData;

static void
secrets_loaded_for_copy (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CopySecretData *data = user_data;
  g_autoptr(AkCredentialsPage) self = data->page;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  const char *value = NULL;

  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result,
                                                     &error);
  if (secrets != NULL)
    {
      switch (data->field)
        {
        case AK_SECRET_PRIMARY_CERTIFICATE:
          value = secrets->primary_certificate;
          break;
        case AK_SECRET_SECONDARY_CERTIFICATE:
          value = secrets->secondary_certificate;
          break;
        case AK_SECRET_CUSTOMER_SECRET:
        default:
          value = secrets->customer_secret;
          break;
        }
    }
  g_free (data);

  if (secrets == NULL)
    {
      ak_ui_show_error_toast_unless_cancelled (GTK_WIDGET (self), error);
      return;
    }

  if (value == NULL || *value == '\0')
    {
      ak_ui_add_toast (GTK_WIDGET (self), adw_toast_new (_("Nothing stored to copy")));
      return;
    }

  ak_clipboard_copy (GTK_WIDGET (self), value, TRUE, clear_seconds (self));
}

void
ak_credentials_page_copy_secret (AkCredentialsPage *self,
                                 AkCredential      *credential,
                                 AkSecretField      field)
{
  CopySecretData *data = g_new0 (CopySecretData, 1);

  data->page = g_object_ref (self);
  data->field = field;
  ak_credential_store_load_secrets_async (self->store, credential, self->cancellable,
                                          secrets_loaded_for_copy, data);
}

/* ---------------------------------------------------------------------------------------------
 * Delete at once, then Undo
 */

static void
undo_toast_dismissed (AkCredentialsPage *self,
                      AdwToast          *toast)
{
  if (toast != self->undo_toast)
    return;
  self->undo_toast = NULL;
  /* The secrets held for Undo are wiped as they are freed. */
  g_clear_pointer (&self->undo, undo_data_free);
}

static void
restored (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AkCredentialsPage) self = user_data;
  g_autoptr(AkCredential) credential = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  credential = ak_credential_store_add_finish (AK_CREDENTIAL_STORE (object), result, &error);
  if (credential == NULL)
    {
      ak_ui_show_error_toast_unless_cancelled (GTK_WIDGET (self), error);
      return;
    }

  message = g_strdup_printf (_("“%s” restored"), ak_credential_get_label (credential));
  ak_ui_add_toast (GTK_WIDGET (self), adw_toast_new (message));
}

/* The toast's button: the toast lives in the window's overlay, outside this page, so it
 * calls back through its own signal rather than a page action it could not reach. */
static void
undo_clicked (AkCredentialsPage *self,
              AdwToast          *toast)
{
  UndoData *undo;

  if (toast != self->undo_toast)
    return;
  undo = g_steal_pointer (&self->undo);
  self->undo_toast = NULL;
  if (undo == NULL)
    return;

  ak_credential_store_restore_async (self->store, undo->credential, undo->secrets,
                                     self->cancellable, restored, g_object_ref (self));
  undo_data_free (undo);
}

typedef struct
{
  AkCredentialsPage *page;
  AkCredential *credential;
  AkCredentialSecrets *secrets;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_clear_object (&data->page);
  g_clear_object (&data->credential);
  g_clear_pointer (&data->secrets, ak_credential_secrets_free);
  g_free (data);
}

/* Long enough to read the toast and reach its button. */
#define UNDO_SECONDS 10

static void
deleted (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  DeleteData *data = user_data;
  AkCredentialsPage *self = data->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  AdwToast *toast;

  if (!ak_credential_store_delete_finish (AK_CREDENTIAL_STORE (object), result, &error))
    {
      ak_ui_show_error_toast_unless_cancelled (GTK_WIDGET (self), error);
      delete_data_free (data);
      return;
    }

  message = g_strdup_printf (_("“%s” deleted"), ak_credential_get_label (data->credential));
  toast = adw_toast_new (message);

  /* Without its secrets a deletion cannot be undone; say nothing we cannot keep. */
  if (data->secrets != NULL)
    {
      if (self->undo_toast != NULL)
        adw_toast_dismiss (g_steal_pointer (&self->undo_toast));
      g_clear_pointer (&self->undo, undo_data_free);

      self->undo = g_new0 (UndoData, 1);
      self->undo->credential = ak_credential_copy (data->credential);
      self->undo->secrets = g_steal_pointer (&data->secrets);
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_timeout (toast, UNDO_SECONDS);
      self->undo_toast = toast;
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_toast_dismissed), self,
                               G_CONNECT_SWAPPED);
    }

  ak_ui_add_toast (GTK_WIDGET (self), toast);
  delete_data_free (data);
}

static void
secrets_loaded_for_delete (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  DeleteData *data = user_data;

  /* A locked keyring may refuse the secrets; the deletion still goes ahead without Undo. */
  data->secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result,
                                                           NULL);
  ak_credential_store_delete_async (data->page->store, data->credential,
                                    data->page->cancellable, deleted, data);
}

/* No confirmation: the toast's Undo puts the credential back, secrets included. */
void
ak_credentials_page_delete (AkCredentialsPage *self,
                            AkCredential      *credential)
{
  DeleteData *data;

  g_return_if_fail (AK_IS_CREDENTIALS_PAGE (self));

  data = g_new0 (DeleteData, 1);
  data->page = g_object_ref (self);
  data->credential = g_object_ref (credential);
  ak_credential_store_load_secrets_async (self->store, credential, self->cancellable,
                                          secrets_loaded_for_delete, data);
}

/* ---------------------------------------------------------------------------------------------
 * For tests
 */

GtkEditable *
ak_credentials_page_get_search_entry (AkCredentialsPage *self)
{
  return GTK_EDITABLE (self->search_entry);
}

GListModel *
ak_credentials_page_get_shown_model (AkCredentialsPage *self)
{
  return G_LIST_MODEL (self->filtered);
}

GtkListView *
ak_credentials_page_get_list_view (AkCredentialsPage *self)
{
  return self->list_view;
}

const char *
ak_credentials_page_get_state_name (AkCredentialsPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (name, "list"))
    return gtk_stack_get_visible_child_name (self->list_stack);
  return name;
}

AkCredentialDialog *
ak_credentials_page_get_open_dialog (AkCredentialsPage *self)
{
  return self->open_dialog;
}

/* ---------------------------------------------------------------------------------------------
 * GObject
 */

static void
ak_credentials_page_dispose (GObject *object)
{
  AkCredentialsPage *self = AK_CREDENTIALS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  ak_ui_clear_tick_callback (self->list_view, &self->grow_tick_id);
  if (self->open_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->open_dialog));
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  g_clear_pointer (&self->undo, undo_data_free);
  self->undo_toast = NULL;
  /* The bin's child is a bound template child: detach it before the template lets go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AK_TYPE_CREDENTIALS_PAGE);
  G_OBJECT_CLASS (ak_credentials_page_parent_class)->dispose (object);
}

static void
ak_credentials_page_finalize (GObject *object)
{
  AkCredentialsPage *self = AK_CREDENTIALS_PAGE (object);

  g_clear_object (&self->slice);
  g_clear_object (&self->sections);
  g_clear_object (&self->filtered_kinds[AK_CREDENTIAL_PROJECT]);
  g_clear_object (&self->filtered_kinds[AK_CREDENTIAL_CUSTOMER]);
  g_clear_object (&self->headings[AK_CREDENTIAL_PROJECT]);
  g_clear_object (&self->headings[AK_CREDENTIAL_CUSTOMER]);
  g_clear_object (&self->filtered);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ak_credentials_page_parent_class)->finalize (object);
}

static void
ak_credentials_page_class_init (AkCredentialsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_credentials_page_dispose;
  object_class->finalize = ak_credentials_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-credentials-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AkCredentialsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialsPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialsPage, locked_status);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialsPage, no_results_status);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialsPage, list_view);
}

static void
ak_credentials_page_init (AkCredentialsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  self->filter = gtk_custom_filter_new (filter_credential, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));

  {
    GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);

    for (AkCredentialKind kind = AK_CREDENTIAL_PROJECT; kind <= AK_CREDENTIAL_CUSTOMER; kind++)
      {
        self->headings[kind] = g_list_store_new (GTK_TYPE_STRING_OBJECT);
        self->filtered_kinds[kind] =
          gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
        g_list_store_append (parts, self->headings[kind]);
        g_list_store_append (parts, self->filtered_kinds[kind]);
      }
    self->sections = gtk_flatten_list_model_new (G_LIST_MODEL (parts));
  }
  g_signal_connect_object (self->filtered_kinds[AK_CREDENTIAL_PROJECT], "items-changed",
                           G_CALLBACK (projects_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered_kinds[AK_CREDENTIAL_CUSTOMER], "items-changed",
                           G_CALLBACK (customers_changed), self, G_CONNECT_SWAPPED);

  /* After the sections have followed the change, headings included. */
  g_signal_connect_object (self->sections, "items-changed", G_CALLBACK (results_changed), self,
                           G_CONNECT_SWAPPED);

  self->row_budget = 0;
  self->slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->sections)), 0,
                                          self->row_budget);

  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->slice)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_signal_connect (self->list_view, "activate", G_CALLBACK (row_activated), self);

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed),
                            self);
}
