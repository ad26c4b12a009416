/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-clock.h"
#include "ak-core.h"
#include "ak-expiry-row.h"
#include "ak-token-generator.h"
#include "ak-token-request.h"
#include "ak-ui-util.h"

/* Stands in for a stored certificate while validating: stored ones were checked when saved,
 * and the real one is read from the keyring only when the token is made. */
#define PLACEHOLDER_CERTIFICATE "00000000000000000000000000000000"
#define DEFAULT_LIFETIME "1h"

struct _AkTokenGenerator
{
  AdwBin parent_instance;

  /* template widgets */
  GtkWidget *form;
  AdwComboRow *project_row;
  AdwComboRow *certificate_row;
  AdwEntryRow *app_id_row;
  AdwEntryRow *certificate_entry_row;
  AdwComboRow *kind_row;
  GtkSwitch *advanced_switch;
  AdwEntryRow *channel_row;
  AdwComboRow *identity_row;
  AdwEntryRow *uid_row;
  AdwEntryRow *account_row;
  AdwComboRow *role_row;
  AdwEntryRow *user_id_row;
  AdwEntryRow *rtm_user_id_row;
  AdwEntryRow *permissions_row;
  AdwEntryRow *room_uuid_row;
  AdwEntryRow *user_uuid_row;
  AdwEntryRow *apaas_role_row;
  AdwEntryRow *expire_row;
  AdwEntryRow *privilege_expire_row;
  AdwEntryRow *join_expire_row;
  AdwEntryRow *audio_expire_row;
  AdwEntryRow *video_expire_row;
  AdwEntryRow *data_expire_row;
  AdwEntryRow *rtm_expire_row;
  AdwActionRow *never_row;
  GtkSwitch *never_switch;
  GtkLabel *expiry_summary;
  GtkLabel *problem_label;
  GtkLabel *warning_label;
  AdwPreferencesGroup *result_group;
  GtkLabel *token_label;
  GtkButton *copy_button;
  GtkListBox *result_rows;

  /* owned */
  GtkStringList *projects_model;
  GPtrArray *projects;
  GtkStringList *kinds_model;
  GCancellable *cancellable;
  AkTicker *ticker;
  AkTokenHistory *history;
  GSettings *settings;
  char *token;

  /* borrowed */
  AkCredentialStore *store;

  gboolean busy;
  gboolean valid;
  /* The user picked "enter an App ID" although projects exist: keep it on reloads. */
  gboolean manual_chosen;
  /* Nothing typed yet: problems read as hints, not errors. */
  gboolean touched;
  gboolean rebuilding;
};

G_DEFINE_FINAL_TYPE (AkTokenGenerator, ak_token_generator, ADW_TYPE_BIN)

enum
{
  DECODE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* ---------------------------------------------------------------------------------------------
 * Choices: project and kind
 */

static AkCredential *
selected_project (AkTokenGenerator *self)
{
  guint position = adw_combo_row_get_selected (self->project_row);

  return position < self->projects->len ? g_ptr_array_index (self->projects, position) : NULL;
}

static AkTokenKind
selected_kind (AkTokenGenerator *self)
{
  guint position = adw_combo_row_get_selected (self->kind_row);

  return position < AK_N_TOKEN_KINDS ? (AkTokenKind) position : AK_TOKEN_KIND_RTC;
}

static void update_form (AkTokenGenerator *self);

/* Stored projects first, then "enter one", which keeps a project out of the keyring. */
static void
rebuild_projects (AkTokenGenerator *self)
{
  AkCredential *previous = selected_project (self);
  GListModel *all = ak_credential_store_get_model (self->store);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint selected = 0;

  self->rebuilding = TRUE;
  g_ptr_array_set_size (self->projects, 0);
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (all, i);

      if (ak_credential_get_kind (credential) != AK_CREDENTIAL_PROJECT)
        continue;
      if (credential == previous)
        selected = self->projects->len;
      g_ptr_array_add (self->projects, g_object_ref (credential));
      g_ptr_array_add (labels, (gpointer) ak_credential_get_label (credential));
    }
  if (previous == NULL && (self->manual_chosen || self->projects->len == 0))
    selected = self->projects->len;
  g_ptr_array_add (labels, (gpointer) _("Enter an App ID and certificate…"));
  g_ptr_array_add (labels, NULL);

  gtk_string_list_splice (self->projects_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->projects_model)),
                          (const char * const *) labels->pdata);
  adw_combo_row_set_selected (self->project_row, selected);
  self->rebuilding = FALSE;
  update_form (self);
}

static void
project_chosen (AkTokenGenerator *self)
{
  if (!self->rebuilding)
    self->manual_chosen = adw_combo_row_get_selected (self->project_row) >= self->projects->len;
}

static void
field_edited (AkTokenGenerator *self)
{
  self->touched = TRUE;
  update_form (self);
}

static void
rebuild_kinds (AkTokenGenerator *self)
{
  guint n = gtk_switch_get_active (self->advanced_switch) ? AK_N_TOKEN_KINDS
                                                           : AK_N_BASIC_TOKEN_KINDS;
  AkTokenKind kind = selected_kind (self);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (labels, (gpointer) ak_token_kind_get_label (i));
  g_ptr_array_add (labels, NULL);
  gtk_string_list_splice (self->kinds_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->kinds_model)),
                          (const char * const *) labels->pdata);
  adw_combo_row_set_selected (self->kind_row, kind < n ? kind : AK_TOKEN_KIND_RTC);
}

/* ---------------------------------------------------------------------------------------------
 * Reading the form
 */

static gboolean
read_duration (AdwEntryRow *row,
               const char  *what,
               guint32     *seconds,
               GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (ak_duration_parse (text_of (row), seconds, &local))
    return TRUE;
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, "%s: %s", what, local->message);
  return FALSE;
}

static gboolean
read_number (AdwEntryRow *row,
             gint64       min,
             gint64       max,
             const char  *message,
             gint64      *value,
             GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (text_of (row)));

  if (g_ascii_string_to_signed (text, 10, min, max, value, NULL))
    return TRUE;
  g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT, message);
  return FALSE;
}

/* Fills @request from the form; the strings stay owned by the widgets. */
static gboolean
read_request (AkTokenGenerator *self,
              AkTokenRequest   *request,
              GError          **error)
{
  AkCredential *project = selected_project (self);
  AkTokenField fields;
  gint64 number;
  AdwEntryRow *each[] = { self->join_expire_row, self->audio_expire_row, self->video_expire_row,
                          self->data_expire_row };

  *request = (AkTokenRequest) { 0 };
  request->kind = selected_kind (self);
  fields = ak_token_kind_get_fields (request->kind);

  if (project != NULL)
    {
      request->app_id = ak_credential_get_app_id (project);
      request->app_certificate = PLACEHOLDER_CERTIFICATE;
    }
  else
    {
      request->app_id = text_of (self->app_id_row);
      request->app_certificate = text_of (self->certificate_entry_row);
      if (*request->app_id == '\0' && *request->app_certificate == '\0')
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               self->projects->len == 0
                                 ? _("Enter an App ID and its certificate, or add a project on "
                                     "the Credentials page.")
                                 : _("Choose a project, or enter an App ID and its certificate."));
          return FALSE;
        }
    }

  request->channel = text_of (self->channel_row);
  request->use_account = adw_combo_row_get_selected (self->identity_row) == 1;
  request->account = text_of (self->account_row);
  request->role = adw_combo_row_get_selected (self->role_row) == 1 ? AK_RTC_ROLE_SUBSCRIBER
                                                                    : AK_RTC_ROLE_PUBLISHER;
  request->user_id = text_of (self->user_id_row);
  request->rtm_user_id = text_of (self->rtm_user_id_row);
  request->permissions = text_of (self->permissions_row);
  request->room_uuid = text_of (self->room_uuid_row);
  request->user_uuid = text_of (self->user_uuid_row);
  request->never_expire = gtk_switch_get_active (self->never_switch);

  if ((fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT) && !request->use_account)
    {
      if (!read_number (self->uid_row, 0, G_MAXUINT32,
                        _("The uid must be a whole number from 0 to 4294967295 (0 lets any "
                          "user join). For a name, choose “String user account”."),
                        &number, error))
        return FALSE;
      request->uid = (guint32) number;
    }
  if (fields & AK_TOKEN_FIELD_APAAS_ROLE)
    {
      if (!read_number (self->apaas_role_row, G_MININT16, G_MAXINT16,
                        _("The classroom role must be a whole number, such as 1 (teacher) or "
                          "2 (student)."),
                        &number, error))
        return FALSE;
      request->apaas_role = (gint16) number;
    }

  if (!read_duration (self->expire_row, _("Token lifetime"), &request->expire, error))
    return FALSE;
  if ((fields & AK_TOKEN_FIELD_PRIVILEGE_EXPIRE)
      && !read_duration (self->privilege_expire_row, _("Privilege lifetime"),
                         &request->privilege_expire, error))
    return FALSE;
  if (fields & AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE)
    for (guint i = 0; i < G_N_ELEMENTS (each); i++)
      if (!read_duration (each[i], adw_preferences_row_get_title (ADW_PREFERENCES_ROW (each[i])),
                          &request->each_privilege_expire[i], error))
        return FALSE;
  if ((fields & AK_TOKEN_FIELD_RTM_EXPIRE)
      && !read_duration (self->rtm_expire_row, _("RTM login lifetime"), &request->rtm_expire,
                         error))
    return FALSE;

  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Showing the form: only the fields the kind uses, and its problems as you type
 */

static void
show_if (gpointer  widget,
         gboolean  visible)
{
  gtk_widget_set_visible (GTK_WIDGET (widget), visible);
}

static void
update_summary (AkTokenGenerator     *self,
                const AkTokenRequest *request)
{
  g_autofree char *lifetime = ak_duration_format (request->expire);
  g_autofree char *until = ak_format_local_time (ak_clock_now_unix () + request->expire);
  g_autofree char *text = NULL;

  if (request->kind == AK_TOKEN_KIND_FPA)
    text = g_strdup (_("FPA tokens always last 24 h."));
  else if (ak_builder_is_006 (ak_token_kind_get_builder (request->kind, request->use_account)))
    text = request->never_expire
             ? g_strdup (_("The privileges never expire; the token itself lasts 24 h."))
             : g_strdup_printf (_("The privileges last %s, until %s; the token itself lasts "
                                  "24 h."), lifetime, until);
  else
    /* Translators: "The token lasts 1 h, until 2026-11-23 15:04:05 CET." */
    text = g_strdup_printf (_("The token lasts %s, until %s."), lifetime, until);
  gtk_label_set_text (self->expiry_summary, text);
}

static void
update_form (AkTokenGenerator *self)
{
  AkCredential *project;
  AkTokenKind kind;
  AkTokenField fields;
  gboolean is_006;
  gboolean account;
  AkTokenRequest request;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = NULL;

  if (self->store == NULL)
    return;

  project = selected_project (self);
  kind = selected_kind (self);
  fields = ak_token_kind_get_fields (kind);
  is_006 = kind == AK_TOKEN_KIND_RTC006 || kind == AK_TOKEN_KIND_RTM006;
  account = (fields & AK_TOKEN_FIELD_ACCOUNT)
            || ((fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT)
                && adw_combo_row_get_selected (self->identity_row) == 1);

  show_if (self->certificate_row, project != NULL && ak_credential_get_has_secondary (project));
  show_if (self->app_id_row, project == NULL);
  show_if (self->certificate_entry_row, project == NULL);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kind_row),
                               ak_token_kind_get_description (kind));
  show_if (self->channel_row, fields & AK_TOKEN_FIELD_CHANNEL);
  show_if (self->identity_row, fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT);
  show_if (self->uid_row, (fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT) && !account);
  show_if (self->account_row, account);
  show_if (self->role_row, fields & AK_TOKEN_FIELD_ROLE);
  show_if (self->user_id_row, fields & AK_TOKEN_FIELD_USER_ID);
  show_if (self->rtm_user_id_row, fields & AK_TOKEN_FIELD_RTM_USER_ID);
  show_if (self->permissions_row, fields & AK_TOKEN_FIELD_PERMISSIONS);
  show_if (self->room_uuid_row, fields & AK_TOKEN_FIELD_ROOM_UUID);
  show_if (self->user_uuid_row, fields & AK_TOKEN_FIELD_USER_UUID);
  show_if (self->apaas_role_row, fields & AK_TOKEN_FIELD_APAAS_ROLE);
  show_if (self->expire_row, kind != AK_TOKEN_KIND_FPA && !(is_006
                                                            && gtk_switch_get_active (self->never_switch)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->expire_row),
                                 is_006 ? _("Privilege lifetime") : _("Token lifetime"));
  show_if (self->privilege_expire_row, fields & AK_TOKEN_FIELD_PRIVILEGE_EXPIRE);
  show_if (self->join_expire_row, fields & AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE);
  show_if (self->audio_expire_row, fields & AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE);
  show_if (self->video_expire_row, fields & AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE);
  show_if (self->data_expire_row, fields & AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE);
  show_if (self->rtm_expire_row, fields & AK_TOKEN_FIELD_RTM_EXPIRE);
  show_if (self->never_row, is_006);

  /* Validate by building for real (it takes microseconds), so that the form says exactly
   * what the codec would say, and shows its warnings before anything is made. */
  if (read_request (self, &request, &error))
    {
      update_summary (self, &request);
      result = ak_token_request_build (&request, &error);
    }

  self->valid = result != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), error != NULL);
  if (error != NULL)
    gtk_label_set_text (self->problem_label, error->message);
  if (self->touched)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "dim-label");
    }

  if (result != NULL && ak_build_result_get_warnings (result)->len > 0)
    {
      GPtrArray *warnings = ak_build_result_get_warnings (result);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < warnings->len; i++)
        g_string_append_printf (text, "%s⚠ %s", i > 0 ? "\n" : "",
                                ((AkWarning *) warnings->pdata[i])->message);
      gtk_label_set_text (self->warning_label, text->str);
      gtk_widget_set_visible (GTK_WIDGET (self->warning_label), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->warning_label), FALSE);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generator.generate",
                                 self->valid && !self->busy);
}

/* ---------------------------------------------------------------------------------------------
 * Generate
 */

static void
set_busy (AkTokenGenerator *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->form, !busy);
  update_form (self);
}

static void
show_result (AkTokenGenerator *self,
             const char       *token_text,
             const char       *project_label)
{
  g_autoptr(AkToken) token = ak_token_parse (token_text, NULL);
  g_autoptr(GPtrArray) expiries = NULL;
  g_autoptr(AkTokenEntry) entry = NULL;
  GtkWidget *child;

  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_free (self->token);
    }
  self->token = g_strdup (token_text);
  gtk_label_set_text (self->token_label, token_text);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result_rows))) != NULL)
    gtk_list_box_remove (self->result_rows, child);
  expiries = ak_token_list_expiries (token);
  if (expiries->len > 0)
    gtk_list_box_append (self->result_rows, ak_expiry_row_new (expiries->pdata[0], self->ticker));

  gtk_widget_set_visible (GTK_WIDGET (self->result_group), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generator.copy", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generator.open-in-decoder", TRUE);

  /* Focus Copy, so that Enter copies, and bring the result into sight once laid out. */
  gtk_widget_grab_focus (GTK_WIDGET (self->copy_button));
  ak_ui_scroll_into_view (GTK_WIDGET (self->result_group));

  entry = ak_token_entry_new (token_text, AK_TOKEN_ORIGIN_GENERATED, NULL, project_label, NULL);
  if (entry != NULL && self->history != NULL)
    ak_token_history_add (self->history, entry);
}

static void
generate_with (AkTokenGenerator *self,
               const char       *certificate,
               const char       *project_label)
{
  AkTokenRequest request;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = NULL;

  if (read_request (self, &request, &error))
    {
      request.app_certificate = certificate;
      result = ak_token_request_build (&request, &error);
    }

  if (result == NULL)
    {
      gtk_label_set_text (self->problem_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      return;
    }
  show_result (self, ak_build_result_get_token (result), project_label);
}

static void
secrets_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AkTokenGenerator) self = user_data;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  AkCredential *project;
  const char *certificate;

  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (object), result,
                                                     &error);
  set_busy (self, FALSE);
  if (secrets == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->problem_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
        }
      return;
    }

  project = selected_project (self);
  certificate = adw_combo_row_get_selected (self->certificate_row) == 1
                  && secrets->secondary_certificate != NULL
                  ? secrets->secondary_certificate : secrets->primary_certificate;
  generate_with (self, certificate,
                 project != NULL ? ak_credential_get_label (project) : NULL);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AkTokenGenerator *self = AK_TOKEN_GENERATOR (widget);
  AkCredential *project = selected_project (self);

  self->touched = TRUE;
  if (self->busy || !self->valid)
    return;

  if (project == NULL)
    {
      generate_with (self, text_of (self->certificate_entry_row), NULL);
      return;
    }

  /* The certificate is read from the keyring now, used once, and wiped. */
  set_busy (self, TRUE);
  ak_credential_store_load_secrets_async (self->store, project, self->cancellable,
                                          secrets_loaded, g_object_ref (self));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AkTokenGenerator *self = AK_TOKEN_GENERATOR (widget);

  if (self->token != NULL)
    ak_clipboard_copy (widget, self->token, TRUE,
                       g_settings_get_uint (self->settings, "clipboard-clear-seconds"));
}

static void
open_in_decoder_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  AkTokenGenerator *self = AK_TOKEN_GENERATOR (widget);

  if (self->token != NULL)
    g_signal_emit (self, signals[DECODE_REQUESTED], 0, self->token);
}

/* Presets are written the way the duration parser reads them, in any language. */
static void
preset_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AkTokenGenerator *self = AK_TOKEN_GENERATOR (widget);
  guint32 seconds = g_variant_get_uint32 (parameter);
  g_autofree char *text = seconds % 3600 == 0 ? g_strdup_printf ("%uh", seconds / 3600)
                                              : g_strdup_printf ("%u", seconds);

  gtk_editable_set_text (GTK_EDITABLE (self->expire_row), text);
}

/* ---------------------------------------------------------------------------------------------
 * Setup and tests
 */

void
ak_token_generator_setup (AkTokenGenerator  *self,
                          AkCredentialStore *store,
                          GSettings         *settings,
                          AkTicker          *ticker,
                          AkTokenHistory    *history)
{
  g_return_if_fail (AK_IS_TOKEN_GENERATOR (self));

  self->store = store;
  self->settings = g_object_ref (settings);
  self->ticker = g_object_ref (ticker);
  {
    g_autofree char *lifetime = g_settings_get_string (settings, "default-token-lifetime");
    AdwEntryRow *rows[] = { self->expire_row, self->privilege_expire_row, self->join_expire_row,
                            self->audio_expire_row, self->video_expire_row,
                            self->data_expire_row, self->rtm_expire_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      gtk_editable_set_text (GTK_EDITABLE (rows[i]), lifetime);
    self->touched = FALSE;
  }
  self->history = g_object_ref (history);
  g_signal_connect_object (ak_credential_store_get_model (store), "items-changed",
                           G_CALLBACK (rebuild_projects), self, G_CONNECT_SWAPPED);
  rebuild_projects (self);
}

static void
fill_row (AdwEntryRow *row,
          const char  *text)
{
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
}

void
ak_token_generator_fill (AkTokenGenerator         *self,
                         const AkTokenRequestText *request)
{
  AkTokenKind kind;

  g_return_if_fail (AK_IS_TOKEN_GENERATOR (self));
  g_return_if_fail (request != NULL);

  if (request->kind != NULL && ak_token_kind_from_name (request->kind, &kind))
    {
      if (kind >= AK_N_BASIC_TOKEN_KINDS)
        gtk_switch_set_active (self->advanced_switch, TRUE);
      adw_combo_row_set_selected (self->kind_row, kind);
    }
  fill_row (self->channel_row, request->channel);
  if (request->account != NULL)
    {
      adw_combo_row_set_selected (self->identity_row, 1);
      fill_row (self->account_row, request->account);
    }
  else if (request->uid != NULL)
    {
      adw_combo_row_set_selected (self->identity_row, 0);
      fill_row (self->uid_row, request->uid);
    }
  if (request->role != NULL)
    adw_combo_row_set_selected (self->role_row,
                                g_ascii_strcasecmp (request->role, "subscriber") == 0 ? 1 : 0);
  fill_row (self->user_id_row, request->user_id);
  fill_row (self->rtm_user_id_row, request->rtm_user_id);
  fill_row (self->expire_row, request->expire);
  fill_row (self->privilege_expire_row, request->privilege_expire);
  fill_row (self->rtm_expire_row, request->rtm_expire);
  self->touched = TRUE;
  update_form (self);
}

GtkEditable *
ak_token_generator_get_field (AkTokenGenerator *self,
                              const char       *name)
{
  const struct { const char *name; AdwEntryRow *row; } fields[] = {
    { "app-id", self->app_id_row },
    { "certificate", self->certificate_entry_row },
    { "channel", self->channel_row },
    { "uid", self->uid_row },
    { "account", self->account_row },
    { "user-id", self->user_id_row },
    { "rtm-user-id", self->rtm_user_id_row },
    { "permissions", self->permissions_row },
    { "room-uuid", self->room_uuid_row },
    { "user-uuid", self->user_uuid_row },
    { "apaas-role", self->apaas_role_row },
    { "expire", self->expire_row },
    { "privilege-expire", self->privilege_expire_row },
    { "join-expire", self->join_expire_row },
    { "audio-expire", self->audio_expire_row },
    { "video-expire", self->video_expire_row },
    { "data-expire", self->data_expire_row },
    { "rtm-expire", self->rtm_expire_row },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, name))
      return GTK_EDITABLE (fields[i].row);
  g_return_val_if_reached (NULL);
}

/* @choice: "project", "certificate", "kind", "identity" or "role" */
void
ak_token_generator_select (AkTokenGenerator *self,
                           const char       *choice,
                           guint             position)
{
  AdwComboRow *row = g_str_equal (choice, "project") ? self->project_row
                     : g_str_equal (choice, "certificate") ? self->certificate_row
                     : g_str_equal (choice, "kind") ? self->kind_row
                     : g_str_equal (choice, "identity") ? self->identity_row
                     : self->role_row;

  adw_combo_row_set_selected (row, position);
}

void
ak_token_generator_set_advanced (AkTokenGenerator *self,
                                 gboolean          advanced)
{
  gtk_switch_set_active (self->advanced_switch, advanced);
}

gboolean
ak_token_generator_can_generate (AkTokenGenerator *self)
{
  return self->valid && !self->busy;
}

const char *
ak_token_generator_get_problem (AkTokenGenerator *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->problem_label))
           ? gtk_label_get_text (self->problem_label) : NULL;
}

const char *
ak_token_generator_get_warnings (AkTokenGenerator *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->warning_label))
           ? gtk_label_get_text (self->warning_label) : NULL;
}

const char *
ak_token_generator_get_token (AkTokenGenerator *self)
{
  return self->token;
}

gboolean
ak_token_generator_is_busy (AkTokenGenerator *self)
{
  return self->busy;
}

guint
ak_token_generator_find_project (AkTokenGenerator *self,
                                 const char       *label)
{
  for (guint i = 0; i < self->projects->len; i++)
    if (g_str_equal (ak_credential_get_label (self->projects->pdata[i]), label))
      return i;
  return G_MAXUINT;
}

static void
ak_token_generator_dispose (GObject *object)
{
  AkTokenGenerator *self = AK_TOKEN_GENERATOR (object);

  g_cancellable_cancel (self->cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AK_TYPE_TOKEN_GENERATOR);
  g_clear_object (&self->ticker);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ak_token_generator_parent_class)->dispose (object);
}

static void
ak_token_generator_finalize (GObject *object)
{
  AkTokenGenerator *self = AK_TOKEN_GENERATOR (object);

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  g_clear_object (&self->projects_model);
  g_clear_object (&self->kinds_model);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ak_token_generator_parent_class)->finalize (object);
}

static void
ak_token_generator_class_init (AkTokenGeneratorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_token_generator_dispose;
  object_class->finalize = ak_token_generator_finalize;

  signals[DECODE_REQUESTED] = g_signal_new ("decode-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ak-token-generator.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, name)
  BIND (form);
  BIND (project_row);
  BIND (certificate_row);
  BIND (app_id_row);
  BIND (certificate_entry_row);
  BIND (kind_row);
  BIND (advanced_switch);
  BIND (channel_row);
  BIND (identity_row);
  BIND (uid_row);
  BIND (account_row);
  BIND (role_row);
  BIND (user_id_row);
  BIND (rtm_user_id_row);
  BIND (permissions_row);
  BIND (room_uuid_row);
  BIND (user_uuid_row);
  BIND (apaas_role_row);
  BIND (expire_row);
  BIND (privilege_expire_row);
  BIND (join_expire_row);
  BIND (audio_expire_row);
  BIND (video_expire_row);
  BIND (data_expire_row);
  BIND (rtm_expire_row);
  BIND (never_row);
  BIND (never_switch);
  BIND (expiry_summary);
  BIND (problem_label);
  BIND (warning_label);
  BIND (result_group);
  BIND (token_label);
  BIND (copy_button);
  BIND (result_rows);
#undef BIND

  gtk_widget_class_install_action (widget_class, "generator.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "generator.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "generator.open-in-decoder", NULL,
                                   open_in_decoder_action);
  gtk_widget_class_install_action (widget_class, "generator.preset", "u", preset_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "generator.generate", NULL);
}

static void
connect_fields (AkTokenGenerator *self)
{
  AdwEntryRow *rows[] = { self->app_id_row, self->certificate_entry_row, self->channel_row,
                          self->uid_row, self->account_row, self->user_id_row,
                          self->rtm_user_id_row, self->permissions_row, self->room_uuid_row,
                          self->user_uuid_row, self->apaas_role_row, self->expire_row,
                          self->privilege_expire_row, self->join_expire_row,
                          self->audio_expire_row, self->video_expire_row, self->data_expire_row,
                          self->rtm_expire_row };
  GObject *choices[] = { G_OBJECT (self->project_row), G_OBJECT (self->certificate_row),
                         G_OBJECT (self->kind_row), G_OBJECT (self->identity_row),
                         G_OBJECT (self->role_row) };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_signal_connect_swapped (rows[i], "changed", G_CALLBACK (field_edited), self);
  g_signal_connect_swapped (self->project_row, "notify::selected", G_CALLBACK (project_chosen),
                            self);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    g_signal_connect_swapped (choices[i], "notify::selected", G_CALLBACK (update_form), self);
  g_signal_connect_swapped (self->never_switch, "notify::active", G_CALLBACK (update_form), self);
  g_signal_connect_swapped (self->advanced_switch, "notify::active", G_CALLBACK (rebuild_kinds),
                            self);
}

static void
ak_token_generator_init (AkTokenGenerator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ak_ui_name_peek_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* Pango would otherwise draw hyphens where a wrapped token breaks: not part of it. */
  {
    PangoAttrList *attributes = pango_attr_list_new ();

    pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
    gtk_label_set_attributes (self->token_label, attributes);
    pango_attr_list_unref (attributes);
  }
  self->projects = g_ptr_array_new_with_free_func (g_object_unref);
  self->projects_model = gtk_string_list_new (NULL);
  self->kinds_model = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->project_row, G_LIST_MODEL (self->projects_model));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (self->kinds_model));

  gtk_editable_set_text (GTK_EDITABLE (self->channel_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->uid_row), "0");
  gtk_editable_set_text (GTK_EDITABLE (self->expire_row), DEFAULT_LIFETIME);
  gtk_editable_set_text (GTK_EDITABLE (self->privilege_expire_row), DEFAULT_LIFETIME);
  gtk_editable_set_text (GTK_EDITABLE (self->join_expire_row), DEFAULT_LIFETIME);
  gtk_editable_set_text (GTK_EDITABLE (self->audio_expire_row), DEFAULT_LIFETIME);
  gtk_editable_set_text (GTK_EDITABLE (self->video_expire_row), DEFAULT_LIFETIME);
  gtk_editable_set_text (GTK_EDITABLE (self->data_expire_row), DEFAULT_LIFETIME);
  gtk_editable_set_text (GTK_EDITABLE (self->rtm_expire_row), DEFAULT_LIFETIME);
  gtk_editable_set_text (GTK_EDITABLE (self->apaas_role_row), "2");

  rebuild_kinds (self);
  connect_fields (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generator.copy", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generator.open-in-decoder", FALSE);
}
