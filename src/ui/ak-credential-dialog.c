/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-credential-dialog-private.h"
#include "ak-credential-dialog.h"
#include "ak-credential-private.h"
#include "ak-error.h"
#include "ak-token.h"
#include "ak-ui-util.h"

struct _AkCredentialDialog
{
  AdwWindow parent_instance;

  /* template widgets */
  AdwWindowTitle *window_title;
  GtkStack *save_stack;
  GtkSpinner *save_spinner;
  GtkWidget *form;
  GtkLabel *info_label;
  GtkLabel *error_label;
  AdwPreferencesGroup *identity_group;
  AdwPreferencesGroup *secrets_group;
  AdwPreferencesGroup *chat_group;
  AdwPreferencesGroup *more_group;
  GtkLabel *identity_message;
  GtkLabel *secrets_message;
  GtkLabel *chat_message;
  GtkLabel *more_message;
  AdwEntryRow *label_row;
  AdwEntryRow *app_id_row;
  AdwEntryRow *customer_id_row;
  AdwEntryRow *primary_row;
  AdwEntryRow *secondary_row;
  AdwEntryRow *customer_secret_row;
  AdwEntryRow *chat_org_row;
  AdwEntryRow *chat_app_row;
  AdwEntryRow *chat_host_row;
  AdwEntryRow *token_server_url_row;
  AdwEntryRow *notes_row;
  GtkButton *app_id_copy;
  GtkButton *customer_id_copy;
  GtkButton *primary_copy;
  GtkButton *secondary_copy;
  GtkButton *customer_secret_copy;

  /* owned */
  AkCredentialStore *store;
  AkCredential *existing;
  GSettings *settings;
  GCancellable *cancellable;

  AkCredentialKind kind;
  gboolean busy;
  /* While editing, secrets not loaded (or not touched) are kept as stored. */
  gboolean secrets_loaded;
  gboolean secrets_changed;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (AkCredentialDialog, ak_credential_dialog, ADW_TYPE_WINDOW)

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_row_text (AkCredentialDialog *self,
              AdwEntryRow        *row,
              const char         *text)
{
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  self->filling = FALSE;
}

/* ---------------------------------------------------------------------------------------------
 * Inline validation: every field is checked as it is typed, with the codec's messages
 */

#define TOUCHED_KEY "ak-touched"

/* A field shows its problem only once the user has typed in it (or tried to save), so a
 * new form does not open full of red. */
static gboolean
show_problem (AdwEntryRow *row,
              GtkLabel    *message,
              GError      *error)
{
  if (error == NULL || g_object_get_data (G_OBJECT (row), TOUCHED_KEY) == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      return error == NULL;
    }

  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  if (!gtk_widget_get_visible (GTK_WIDGET (message)))
    {
      gtk_label_set_text (message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (message), TRUE);
    }
  return FALSE;
}

static gboolean
check_label (AkCredentialDialog *self,
             GError            **error)
{
  const char *label = row_text (self->label_row);
  AkCredential *other;
  g_autofree char *stripped = g_strstrip (g_strdup (label));

  if (*stripped == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("Give it a label, so you can find it later."));
      return FALSE;
    }

  other = ak_credential_store_find (self->store, self->kind, stripped);
  if (other != NULL && other != self->existing)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   self->kind == AK_CREDENTIAL_PROJECT
                     ? _("A project named “%s” already exists.")
                     : _("A customer credential named “%s” already exists."),
                   stripped);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_nonempty_token (const char  *text,
                      const char  *what,
                      GError     **error)
{
  if (*text == '\0')
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, _("The %s is required."), what);
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      {
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The %s contains a space; paste it again without spaces."), what);
        return FALSE;
      }
  return TRUE;
}

/* Editing keeps stored secrets that were not loaded, so empty is fine there. */
static gboolean
secret_may_be_empty (AkCredentialDialog *self)
{
  return self->existing != NULL && !self->secrets_loaded;
}

static AkCredential *
collect_credential (AkCredentialDialog *self)
{
  AkCredential *credential = ak_credential_new (self->kind);
  g_autofree char *label = g_strstrip (g_strdup (row_text (self->label_row)));

  ak_credential_set_label (credential, label);
  if (self->kind == AK_CREDENTIAL_PROJECT)
    {
      ak_credential_set_app_id (credential, row_text (self->app_id_row));
      ak_credential_set_chat_org (credential, row_text (self->chat_org_row));
      ak_credential_set_chat_app (credential, row_text (self->chat_app_row));
      ak_credential_set_chat_host (credential, row_text (self->chat_host_row));
      ak_credential_set_token_server_url (credential, row_text (self->token_server_url_row));
    }
  else
    {
      ak_credential_set_customer_id (credential, row_text (self->customer_id_row));
    }
  ak_credential_set_notes (credential, row_text (self->notes_row));
  return credential;
}

/* Editing: whether anything differs from what is stored, so that Save means something. */
static gboolean
has_changes (AkCredentialDialog *self)
{
  g_autoptr(AkCredential) now = NULL;
  AkCredential *was = self->existing;

  if (was == NULL || self->secrets_changed)
    return TRUE;

  now = collect_credential (self);
  return g_strcmp0 (ak_credential_get_label (now), ak_credential_get_label (was)) != 0
         || g_strcmp0 (ak_credential_get_app_id (now), ak_credential_get_app_id (was)) != 0
         || g_strcmp0 (ak_credential_get_customer_id (now),
                       ak_credential_get_customer_id (was)) != 0
         || g_strcmp0 (ak_credential_get_chat_org (now), ak_credential_get_chat_org (was)) != 0
         || g_strcmp0 (ak_credential_get_chat_app (now), ak_credential_get_chat_app (was)) != 0
         || g_strcmp0 (ak_credential_get_chat_host (now), ak_credential_get_chat_host (was)) != 0
         || g_strcmp0 (ak_credential_get_token_server_url (now),
                       ak_credential_get_token_server_url (was)) != 0
         || g_strcmp0 (ak_credential_get_notes (now), ak_credential_get_notes (was)) != 0;
}

/* A copy button with nothing to copy is insensitive, which also keeps it out of the Tab
 * order. */
static void
update_copy_buttons (AkCredentialDialog *self)
{
  const struct { GtkButton *button; AdwEntryRow *row; } pairs[] = {
    { self->app_id_copy, self->app_id_row },
    { self->customer_id_copy, self->customer_id_row },
    { self->primary_copy, self->primary_row },
    { self->secondary_copy, self->secondary_row },
    { self->customer_secret_copy, self->customer_secret_row },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    gtk_widget_set_sensitive (GTK_WIDGET (pairs[i].button), *row_text (pairs[i].row) != '\0');
}

static gboolean
validate (AkCredentialDialog *self)
{
  gboolean ok = TRUE;
  GtkLabel *messages[] = { self->identity_message, self->secrets_message, self->chat_message,
                           self->more_message };

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    gtk_widget_set_visible (GTK_WIDGET (messages[i]), FALSE);

  {
    g_autoptr(GError) error = NULL;

    check_label (self, &error);
    ok &= show_problem (self->label_row, self->identity_message, error);
  }

  if (self->kind == AK_CREDENTIAL_PROJECT)
    {
      g_autoptr(GError) app_id_error = NULL;
      g_autoptr(GError) primary_error = NULL;
      g_autoptr(GError) secondary_error = NULL;
      g_autoptr(GError) rest_error = NULL;
      g_autoptr(AkCredential) credential = NULL;
      const char *primary = row_text (self->primary_row);
      const char *secondary = row_text (self->secondary_row);

      ak_validate_app_id (row_text (self->app_id_row), &app_id_error);
      ok &= show_problem (self->app_id_row, self->identity_message, app_id_error);

      if (!(*primary == '\0' && secret_may_be_empty (self)))
        ak_validate_app_certificate (primary, &primary_error);
      ok &= show_problem (self->primary_row, self->secrets_message, primary_error);

      if (*secondary != '\0')
        ak_validate_app_certificate (secondary, &secondary_error);
      ok &= show_problem (self->secondary_row, self->secrets_message, secondary_error);

      /* The rest (Chat host, URL) is checked by the model itself. */
      credential = collect_credential (self);
      if (ok && !ak_credential_validate (credential, &rest_error))
        {
          gtk_label_set_text (self->chat_message, rest_error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->chat_message), TRUE);
          ok = FALSE;
        }
    }
  else
    {
      g_autoptr(GError) id_error = NULL;
      g_autoptr(GError) secret_error = NULL;
      const char *secret = row_text (self->customer_secret_row);

      check_nonempty_token (row_text (self->customer_id_row), _("Customer ID"), &id_error);
      ok &= show_problem (self->customer_id_row, self->identity_message, id_error);

      if (!(*secret == '\0' && secret_may_be_empty (self)))
        check_nonempty_token (secret, _("Customer Secret"), &secret_error);
      ok &= show_problem (self->customer_secret_row, self->secrets_message, secret_error);
    }

  update_copy_buttons (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.save",
                                 ok && !self->busy && has_changes (self));
  return ok;
}

/* IDs and secrets never hold white space: what a paste brings around them (a newline, a
 * space) is dropped as it lands, where the user sees it. The label and notes keep theirs. */
static void
trim_pasted (AkCredentialDialog *self,
             GtkEditable        *editable)
{
  GtkWidget *trimmed[] = { GTK_WIDGET (self->app_id_row), GTK_WIDGET (self->customer_id_row),
                           GTK_WIDGET (self->primary_row), GTK_WIDGET (self->secondary_row),
                           GTK_WIDGET (self->customer_secret_row) };
  const char *text = gtk_editable_get_text (editable);
  gsize length = strlen (text);
  char *copy;

  if (length == 0 || (!g_ascii_isspace (text[0]) && !g_ascii_isspace (text[length - 1])))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (trimmed); i++)
    if (GTK_WIDGET (editable) == trimmed[i])
      {
        copy = g_strstrip (g_strdup (text));
        self->filling = TRUE;
        gtk_editable_set_text (editable, copy);
        self->filling = FALSE;
        /* It may be a certificate. */
        ak_secret_string_free (copy);
        return;
      }
}

static void
field_changed (AkCredentialDialog *self,
               GtkEditable        *editable)
{
  if (self->filling)
    return;
  trim_pasted (self, editable);
  g_object_set_data (G_OBJECT (editable), TOUCHED_KEY, GINT_TO_POINTER (TRUE));
  if (GTK_WIDGET (editable) == GTK_WIDGET (self->primary_row)
      || GTK_WIDGET (editable) == GTK_WIDGET (self->secondary_row)
      || GTK_WIDGET (editable) == GTK_WIDGET (self->customer_secret_row))
    self->secrets_changed = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  validate (self);
}

/* ---------------------------------------------------------------------------------------------
 * Save
 */

static void
set_busy (AkCredentialDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->form, !busy);
  gtk_stack_set_visible_child_name (self->save_stack, busy ? "spinner" : "button");
  gtk_spinner_set_spinning (self->save_spinner, busy);
  validate (self);
}

/* A failed write keeps everything typed and says why, in the dialog itself. */
static void
show_save_error (AkCredentialDialog *self,
                 const GError       *error)
{
  g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

  gtk_label_set_text (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
saved (AkCredentialDialog *self,
       const char         *label,
       GError             *error)
{
  g_autofree char *message = NULL;

  set_busy (self, FALSE);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_save_error (self, error);
      return;
    }

  if (self->existing != NULL)
    message = g_strdup_printf (_("“%s” saved"), label);
  else if (self->kind == AK_CREDENTIAL_PROJECT)
    message = g_strdup_printf (_("Project “%s” added"), label);
  else
    message = g_strdup_printf (_("Customer credential “%s” added"), label);
  ak_ui_add_toast (GTK_WIDGET (self), adw_toast_new (message));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
added (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(AkCredentialDialog) self = user_data;
  g_autoptr(AkCredential) credential = NULL;
  g_autoptr(GError) error = NULL;

  credential = ak_credential_store_add_finish (AK_CREDENTIAL_STORE (object), result, &error);
  saved (self, credential != NULL ? ak_credential_get_label (credential) : NULL, error);
}

static void
updated (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AkCredentialDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  ak_credential_store_update_finish (AK_CREDENTIAL_STORE (object), result, &error);
  saved (self, ak_credential_get_label (self->existing), error);
}

static void
mark_all_touched (AkCredentialDialog *self)
{
  AdwEntryRow *rows[] = { self->label_row, self->app_id_row, self->customer_id_row,
                          self->primary_row, self->secondary_row, self->customer_secret_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_object_set_data (G_OBJECT (rows[i]), TOUCHED_KEY, GINT_TO_POINTER (TRUE));
}

static AkCredentialSecrets *
collect_secrets (AkCredentialDialog *self)
{
  AkCredentialSecrets *secrets;

  if (self->existing != NULL && !self->secrets_changed)
    return NULL;

  secrets = ak_credential_secrets_new ();
  if (self->kind == AK_CREDENTIAL_PROJECT)
    {
      const char *secondary = row_text (self->secondary_row);

      secrets->primary_certificate = g_strdup (row_text (self->primary_row));
      secrets->secondary_certificate = *secondary != '\0' ? g_strdup (secondary) : NULL;
    }
  else
    {
      secrets->customer_secret = g_strdup (row_text (self->customer_secret_row));
    }
  return secrets;
}

void
ak_credential_dialog_save (AkCredentialDialog *self)
{
  g_autoptr(AkCredential) credential = NULL;
  g_autoptr(AkCredentialSecrets) secrets = NULL;

  g_return_if_fail (AK_IS_CREDENTIAL_DIALOG (self));

  if (self->busy || !has_changes (self))
    return;
  mark_all_touched (self);
  if (!validate (self))
    return;

  credential = collect_credential (self);
  secrets = collect_secrets (self);
  set_busy (self, TRUE);

  if (self->existing != NULL)
    ak_credential_store_update_async (self->store, self->existing, credential, secrets,
                                      self->cancellable, updated, g_object_ref (self));
  else
    ak_credential_store_add_async (self->store, credential, secrets, self->cancellable, added,
                                   g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ak_credential_dialog_save (AK_CREDENTIAL_DIALOG (widget));
}

/* ---------------------------------------------------------------------------------------------
 * Copy buttons
 */

static void
copy_clicked (AkCredentialDialog *self,
              GtkButton          *button)
{
  AdwEntryRow *row;
  gboolean secret = TRUE;
  guint seconds = g_settings_get_uint (self->settings, "clipboard-clear-seconds");
  const char *text;

  if (button == self->app_id_copy || button == self->customer_id_copy)
    {
      row = button == self->app_id_copy ? self->app_id_row : self->customer_id_row;
      secret = FALSE;
    }
  else if (button == self->primary_copy)
    row = self->primary_row;
  else if (button == self->secondary_copy)
    row = self->secondary_row;
  else
    row = self->customer_secret_row;

  text = row_text (row);
  if (*text != '\0')
    ak_clipboard_copy (GTK_WIDGET (self), text, secret, seconds);
}

/* ---------------------------------------------------------------------------------------------
 * Construction
 */

static void
secrets_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AkCredentialDialog) self = user_data;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;

  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result,
                                                     &error);
  gtk_widget_set_sensitive (GTK_WIDGET (self->secrets_group), TRUE);

  if (secrets == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The stored secrets could not be read (%s). Leave the fields "
                                "empty to keep them."),
                              error->message);
      gtk_label_set_text (self->info_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->info_label), TRUE);
      return;
    }

  if (self->secrets_changed)
    return;

  self->secrets_loaded = TRUE;
  set_row_text (self, self->primary_row, secrets->primary_certificate);
  set_row_text (self, self->secondary_row, secrets->secondary_certificate);
  set_row_text (self, self->customer_secret_row, secrets->customer_secret);
  validate (self);
}

static void
fill_from_existing (AkCredentialDialog *self)
{
  AkCredential *c = self->existing;

  set_row_text (self, self->label_row, ak_credential_get_label (c));
  set_row_text (self, self->app_id_row, ak_credential_get_app_id (c));
  set_row_text (self, self->customer_id_row, ak_credential_get_customer_id (c));
  set_row_text (self, self->chat_org_row, ak_credential_get_chat_org (c));
  set_row_text (self, self->chat_app_row, ak_credential_get_chat_app (c));
  set_row_text (self, self->chat_host_row, ak_credential_get_chat_host (c));
  set_row_text (self, self->token_server_url_row, ak_credential_get_token_server_url (c));
  set_row_text (self, self->notes_row, ak_credential_get_notes (c));

  /* Secrets come from the keyring asynchronously, masked until the user peeks. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->secrets_group), FALSE);
  ak_credential_store_load_secrets_async (self->store, c, self->cancellable, secrets_loaded,
                                          g_object_ref (self));
}

AkCredentialDialog *
ak_credential_dialog_new (GtkWindow         *parent,
                          AkCredentialStore *store,
                          GSettings         *settings,
                          AkCredentialKind   kind,
                          AkCredential      *existing)
{
  AkCredentialDialog *self = g_object_new (AK_TYPE_CREDENTIAL_DIALOG,
                                           "transient-for", parent,
                                           NULL);
  gboolean project = kind == AK_CREDENTIAL_PROJECT;

  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->kind = kind;
  self->existing = existing != NULL ? g_object_ref (existing) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->app_id_row), project);
  gtk_widget_set_visible (GTK_WIDGET (self->primary_row), project);
  gtk_widget_set_visible (GTK_WIDGET (self->secondary_row), project);
  gtk_widget_set_visible (GTK_WIDGET (self->chat_group), project);
  gtk_widget_set_visible (GTK_WIDGET (self->token_server_url_row), project);
  gtk_widget_set_visible (GTK_WIDGET (self->customer_id_row), !project);
  gtk_widget_set_visible (GTK_WIDGET (self->customer_secret_row), !project);

  if (existing != NULL)
    {
      adw_window_title_set_title (self->window_title, project ? _("Edit Project")
                                                              : _("Edit Customer Credential"));
      adw_window_title_set_subtitle (self->window_title, ak_credential_get_label (existing));
      fill_from_existing (self);
    }
  else
    {
      adw_window_title_set_title (self->window_title, project ? _("Add Project")
                                                              : _("Add Customer Credential"));
    }
  gtk_window_set_title (GTK_WINDOW (self), adw_window_title_get_title (self->window_title));

  validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->label_row));
  return self;
}

void
ak_credential_dialog_prefill_customer (AkCredentialDialog *self,
                                       const char         *customer_id,
                                       const char         *customer_secret,
                                       const char         *summary)
{
  g_return_if_fail (AK_IS_CREDENTIAL_DIALOG (self));

  if (customer_id != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->customer_id_row), customer_id);
  if (customer_secret != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->customer_secret_row), customer_secret);
  if (summary != NULL)
    {
      gtk_label_set_text (self->info_label, summary);
      gtk_widget_set_visible (GTK_WIDGET (self->info_label), TRUE);
    }
  validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->label_row));
}

GtkEditable *
ak_credential_dialog_get_field (AkCredentialDialog *self,
                                const char         *name)
{
  const struct { const char *name; AdwEntryRow *row; } fields[] = {
    { "label", self->label_row },
    { "app-id", self->app_id_row },
    { "primary", self->primary_row },
    { "secondary", self->secondary_row },
    { "chat-org", self->chat_org_row },
    { "chat-app", self->chat_app_row },
    { "chat-host", self->chat_host_row },
    { "token-server-url", self->token_server_url_row },
    { "notes", self->notes_row },
    { "customer-id", self->customer_id_row },
    { "customer-secret", self->customer_secret_row },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, name))
      return GTK_EDITABLE (fields[i].row);
  g_return_val_if_reached (NULL);
}

gboolean
ak_credential_dialog_can_save (AkCredentialDialog *self)
{
  return gtk_widget_is_sensitive (GTK_WIDGET (self)) && validate (self) && !self->busy
         && has_changes (self);
}

const char *
ak_credential_dialog_get_error (AkCredentialDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_text (self->error_label) : NULL;
}

const char *
ak_credential_dialog_get_info (AkCredentialDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->info_label))
           ? gtk_label_get_text (self->info_label) : NULL;
}

gboolean
ak_credential_dialog_is_busy (AkCredentialDialog *self)
{
  return self->busy;
}

static void
ak_credential_dialog_dispose (GObject *object)
{
  AkCredentialDialog *self = AK_CREDENTIAL_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), AK_TYPE_CREDENTIAL_DIALOG);
  G_OBJECT_CLASS (ak_credential_dialog_parent_class)->dispose (object);
}

static void
ak_credential_dialog_finalize (GObject *object)
{
  AkCredentialDialog *self = AK_CREDENTIAL_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->existing);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ak_credential_dialog_parent_class)->finalize (object);
}

static void
ak_credential_dialog_class_init (AkCredentialDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_credential_dialog_dispose;
  object_class->finalize = ak_credential_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-credential-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, save_stack);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, form);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, info_label);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, identity_group);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, secrets_group);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, chat_group);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, more_group);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, identity_message);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, secrets_message);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, chat_message);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, more_message);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, app_id_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, customer_id_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, primary_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, secondary_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, customer_secret_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, chat_org_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, chat_app_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, chat_host_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, token_server_url_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, app_id_copy);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, customer_id_copy);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, primary_copy);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, secondary_copy);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialDialog, customer_secret_copy);

  gtk_widget_class_install_action (widget_class, "dialog.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "dialog.save", NULL);
}

static void
connect_fields (AkCredentialDialog *self)
{
  AdwEntryRow *rows[] = { self->label_row, self->app_id_row, self->customer_id_row,
                          self->primary_row, self->secondary_row, self->customer_secret_row,
                          self->chat_org_row, self->chat_app_row, self->chat_host_row,
                          self->token_server_url_row, self->notes_row };
  GtkButton *copies[] = { self->app_id_copy, self->customer_id_copy, self->primary_copy,
                          self->secondary_copy, self->customer_secret_copy };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_signal_connect_swapped (rows[i], "changed", G_CALLBACK (field_changed), self);
      g_signal_connect_swapped (rows[i], "entry-activated",
                                G_CALLBACK (ak_credential_dialog_save), self);
    }
  for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
    g_signal_connect_swapped (copies[i], "clicked", G_CALLBACK (copy_clicked), self);
}

static void
ak_credential_dialog_init (AkCredentialDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ak_ui_setup_password_rows (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  connect_fields (self);
}
