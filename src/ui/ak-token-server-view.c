/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clock.h"
#include "ak-duration.h"
#include "ak-token-server-view-private.h"
#include "ak-token-server-view.h"
#include "ak-ui-util.h"

/* The identity choice, as on the Generate page, in the order of the template's list. */
enum
{
  IDENTITY_UID,
  IDENTITY_ACCOUNT,
};

struct _AkTokenServerView
{
  AdwBin parent_instance;

  /* template widgets */
  GtkWidget *form;
  AdwEntryRow *url_row;
  AdwEntryRow *origin_row;
  AdwComboRow *type_row;
  AdwEntryRow *channel_row;
  AdwComboRow *identity_row;
  AdwEntryRow *uid_row;
  AdwComboRow *role_row;
  AdwEntryRow *expire_row;
  GtkLabel *form_error;
  AdwComboRow *project_row;
  GtkButton *test_button;
  GtkSpinner *spinner;
  GtkLabel *summary_label;
  GtkListBox *findings;
  GtkLabel *token_label;

  /* owned */
  GtkStringList *projects_model;
  GPtrArray *projects;
  GCancellable *cancellable;
  AkRestClient *client;
  AkTokenServerResult *result;

  /* borrowed */
  AkCredentialStore *store;
};

G_DEFINE_FINAL_TYPE (AkTokenServerView, ak_token_server_view, ADW_TYPE_BIN)

/* "Match by App ID" first, then each stored project. */
static void
rebuild_projects (AkTokenServerView *self)
{
  guint chosen = adw_combo_row_get_selected (self->project_row);
  AkCredential *previous = chosen > 0 && chosen <= self->projects->len
                           ? self->projects->pdata[chosen - 1] : NULL;
  guint position;

  position = ak_ui_fill_project_choices (self->projects_model, self->projects, self->store,
                                         _("The project with the token’s App ID"), NULL,
                                         previous);
  adw_combo_row_set_selected (self->project_row, position != G_MAXUINT ? position : 0);
}

static GtkWidget *
finding_row (const AkTokenServerFinding *finding)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  const char *icon_name;
  const char *css;
  const char *words;

  switch (finding->severity)
    {
    case AK_TOKEN_SERVER_OK:
      icon_name = "emblem-ok-symbolic", css = "success", words = _("Fine");
      break;
    case AK_TOKEN_SERVER_WARNING:
      icon_name = "dialog-warning-symbolic", css = "warning", words = _("Warning");
      break;
    case AK_TOKEN_SERVER_ERROR:
    default:
      icon_name = "dialog-error-symbolic", css = "error", words = _("Problem");
      break;
    }

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, words, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), finding->message);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 6);
  return row;
}

static void
show_result (AkTokenServerView *self)
{
  GtkWidget *child;
  const char *token = ak_token_server_result_get_token_text (self->result);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings))) != NULL)
    gtk_list_box_remove (self->findings, child);
  gtk_label_set_text (self->summary_label, ak_token_server_result_get_summary (self->result));
  for (guint i = 0; i < ak_token_server_result_get_n_findings (self->result); i++)
    gtk_list_box_append (self->findings,
                         finding_row (ak_token_server_result_get_finding (self->result, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->findings), TRUE);
  gtk_label_set_text (self->token_label, token != NULL ? token : "");
  gtk_widget_set_visible (GTK_WIDGET (self->token_label), token != NULL);
}

static void
set_busy (AkTokenServerView *self,
          gboolean           busy)
{
  gtk_widget_set_sensitive (self->form, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
checked (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AkTokenServerView) self = user_data;
  g_autoptr(GError) error = NULL;
  AkTokenServerResult *outcome;

  outcome = ak_token_server_check_finish (AK_REST_CLIENT (object), result, &error);
  g_clear_object (&self->cancellable);
  /* Only dispose cancels, and by then the template's widgets are gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (outcome == NULL)
    {
      GtkWidget *child;

      gtk_label_set_text (self->summary_label, error->message);
      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings))) != NULL)
        gtk_list_box_remove (self->findings, child);
      gtk_widget_set_visible (GTK_WIDGET (self->token_label), FALSE);
      return;
    }

  g_clear_pointer (&self->result, ak_token_server_result_unref);
  self->result = outcome;
  show_result (self);
}

static AkTokenServerTokenType
selected_type (AkTokenServerView *self)
{
  return (AkTokenServerTokenType) adw_combo_row_get_selected (self->type_row);
}

static gboolean
asks_for_account (AkTokenServerView *self)
{
  return selected_type (self) == AK_TOKEN_SERVER_TOKEN_RTC
         && adw_combo_row_get_selected (self->identity_row) == IDENTITY_ACCOUNT;
}

static void
set_row_error (AdwEntryRow *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* Reads the user and the lifetime as the Generate page does: a uid is a number, an account
 * is any text, and the lifetime takes units ("1h", "10m"). Problems are shown under the form,
 * their fields marked; @uid and @expire are set when it returns TRUE. */
static gboolean
read_query (AkTokenServerView *self,
            char             **uid,
            guint32           *expire)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->uid_row)));
  g_autoptr(GError) lifetime_error = NULL;
  g_autofree char *user_problem = NULL;
  g_autofree char *user_note = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  guint64 number;
  guint32 seconds = 0;
  gboolean lifetime_ok;

  g_strstrip (text);
  switch (selected_type (self))
    {
    case AK_TOKEN_SERVER_TOKEN_RTC:
      if (!asks_for_account (self))
        {
          if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &number, NULL))
            user_problem = g_strdup (_("The uid must be a whole number from 0 to 4294967295 "
                                       "(0 lets any user join). For a name, choose “String "
                                       "user account”."));
          else
            {
              g_free (text);
              text = g_strdup_printf ("%" G_GUINT64_FORMAT, number);
            }
        }
      else if (*text == '\0')
        user_problem = g_strdup (_("Enter a user account, or choose “Integer uid”."));
      else if (strspn (text, "0123456789") == strlen (text))
        user_note = g_strdup (_("agora-token-service reads an account of digits as an integer "
                                "uid: expect the token to be for that uid."));
      break;
    case AK_TOKEN_SERVER_TOKEN_RTM:
      if (*text == '\0')
        user_problem = g_strdup (_("Enter the RTM user ID."));
      break;
    case AK_TOKEN_SERVER_TOKEN_CHAT:
    default:
      break;
    }

  lifetime_ok = ak_duration_parse_lifetime (gtk_editable_get_text (
                                              GTK_EDITABLE (self->expire_row)),
                                            ak_clock_now_unix (), &seconds, &lifetime_error);
  set_row_error (self->uid_row, user_problem != NULL);
  set_row_error (self->expire_row, !lifetime_ok);
  if (user_problem != NULL || user_note != NULL)
    g_string_append (message, user_problem != NULL ? user_problem : user_note);
  if (!lifetime_ok)
    g_string_append_printf (message, "%s%s", message->len > 0 ? "\n" : "",
                            lifetime_error->message);
  gtk_label_set_text (self->form_error, message->str);
  if (user_problem != NULL || !lifetime_ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->form_error), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->form_error), "error");
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->form_error), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->form_error), "warning");
  if (uid != NULL)
    *uid = g_steal_pointer (&text);
  if (expire != NULL)
    *expire = seconds;
  return TRUE;
}

/* The user row is named after what the chosen kind of token takes. */
static void
update_identity (AkTokenServerView *self)
{
  AkTokenServerTokenType type = selected_type (self);
  const char *title;

  gtk_widget_set_visible (GTK_WIDGET (self->identity_row), type == AK_TOKEN_SERVER_TOKEN_RTC);
  gtk_widget_set_visible (GTK_WIDGET (self->role_row), type == AK_TOKEN_SERVER_TOKEN_RTC);
  if (type == AK_TOKEN_SERVER_TOKEN_RTM)
    title = _("RTM user ID");
  else if (type == AK_TOKEN_SERVER_TOKEN_CHAT)
    title = _("Chat user (empty: an app token)");
  else if (asks_for_account (self))
    title = _("User account");
  else
    title = _("uid (0 lets any user join)");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->uid_row), title);
  read_query (self, NULL, NULL);
}

void
ak_token_server_view_run (AkTokenServerView *self)
{
  guint project = adw_combo_row_get_selected (self->project_row);
  AkTokenServerQuery query = { 0 };
  g_autofree char *uid = NULL;
  guint32 expire;
  const char *origin = gtk_editable_get_text (GTK_EDITABLE (self->origin_row));

  if (self->cancellable != NULL)
    return;
  if (!read_query (self, &uid, &expire))
    {
      gtk_widget_grab_focus (GTK_WIDGET (gtk_widget_has_css_class (GTK_WIDGET (self->uid_row),
                                                                   "error")
                                           ? self->uid_row : self->expire_row));
      return;
    }

  query.token_type = selected_type (self);
  query.channel = gtk_editable_get_text (GTK_EDITABLE (self->channel_row));
  query.uid = uid;
  query.role = adw_combo_row_get_selected (self->role_row) == 1 ? AK_TOKEN_SERVER_ROLE_SUBSCRIBER
                                                                 : AK_TOKEN_SERVER_ROLE_PUBLISHER;
  query.expire = expire;

  gtk_label_set_text (self->summary_label, _("Asking the server…"));
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  ak_token_server_check_async (self->client, self->store,
                               gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                               *origin != '\0' ? origin : NULL, &query,
                               project > 0 && project <= self->projects->len
                                 ? ak_credential_get_label (self->projects->pdata[project - 1])
                                 : NULL,
                               self->cancellable, checked, g_object_ref (self));
}

void
ak_token_server_view_set_context (AkTokenServerView *self,
                                  AkContext         *context)
{
  self->store = ak_context_get_store (context);
  self->client = g_object_ref (ak_context_get_rest_client (context));
  g_signal_connect_object (ak_credential_store_get_projects (self->store), "items-changed",
                           G_CALLBACK (rebuild_projects), self, G_CONNECT_SWAPPED);
  rebuild_projects (self);
}

GtkEditable *
ak_token_server_view_get_field (AkTokenServerView *self,
                                const char        *name)
{
  if (g_str_equal (name, "url"))
    return GTK_EDITABLE (self->url_row);
  if (g_str_equal (name, "channel"))
    return GTK_EDITABLE (self->channel_row);
  if (g_str_equal (name, "uid"))
    return GTK_EDITABLE (self->uid_row);
  if (g_str_equal (name, "origin"))
    return GTK_EDITABLE (self->origin_row);
  return GTK_EDITABLE (self->expire_row);
}

AkTokenServerResult *
ak_token_server_view_get_result (AkTokenServerView *self)
{
  return self->result;
}

gboolean
ak_token_server_view_is_busy (AkTokenServerView *self)
{
  return self->cancellable != NULL;
}

static void
ak_token_server_view_dispose (GObject *object)
{
  AkTokenServerView *self = AK_TOKEN_SERVER_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (object), AK_TYPE_TOKEN_SERVER_VIEW);
  G_OBJECT_CLASS (ak_token_server_view_parent_class)->dispose (object);
}

static void
ak_token_server_view_finalize (GObject *object)
{
  AkTokenServerView *self = AK_TOKEN_SERVER_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->result, ak_token_server_result_unref);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  g_clear_object (&self->projects_model);
  G_OBJECT_CLASS (ak_token_server_view_parent_class)->finalize (object);
}

static void
ak_token_server_view_class_init (AkTokenServerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_token_server_view_dispose;
  object_class->finalize = ak_token_server_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-token-server-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, form);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, url_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, origin_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, type_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, channel_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, identity_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, uid_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, role_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, expire_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, form_error);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, project_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, test_button);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, spinner);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, findings);
  gtk_widget_class_bind_template_child (widget_class, AkTokenServerView, token_label);
  gtk_widget_class_bind_template_callback (widget_class, update_identity);
  gtk_widget_class_bind_template_callback (widget_class, ak_token_server_view_run);
}

static void
ak_token_server_view_init (AkTokenServerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The projects come from the keyring, so the list is filled at run time. */
  self->projects = g_ptr_array_new_with_free_func (g_object_unref);
  self->projects_model = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->project_row, G_LIST_MODEL (self->projects_model));
  update_identity (self);
}
