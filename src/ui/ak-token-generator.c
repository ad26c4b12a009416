/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-clock.h"
#include "ak-core.h"
#include "ak-expiry-row.h"
#include "ak-token-generator-private.h"
#include "ak-token-generator.h"
#include "ak-token-request.h"
#include "ak-ui-util.h"

/* Stands in for a stored certificate while validating: stored ones were checked when saved,
 * and the real one is read from the keyring only when the token is made. */
#define PLACEHOLDER_CERTIFICATE "00000000000000000000000000000000"
#define DEFAULT_LIFETIME "1h"
#define N_FOLLOWERS 6

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
  GtkWidget *status_box;
  GtkLabel *problem_label;
  GtkLabel *warning_label;
  AdwPreferencesGroup *result_group;
  GtkLabel *stale_label;
  GtkLabel *result_summary;
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
  /* A digest of the inputs the shown token was made from: any difference makes it stale. */
  char *token_inputs;
  guint reveal_tick;

  /* borrowed */
  AkCredentialStore *store;

  gboolean busy;
  gboolean valid;
  /* The user picked "enter an App ID" although projects exist: keep it on reloads. */
  gboolean manual_chosen;
  /* Nothing typed yet: problems read as hints, not errors. */
  gboolean touched;
  gboolean rebuilding;
  /* The other lifetimes repeat the token lifetime until the user gives them their own. */
  gboolean follows[N_FOLLOWERS];
  gboolean syncing;
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

static AdwEntryRow *
follower (AkTokenGenerator *self,
          guint             i)
{
  AdwEntryRow *rows[N_FOLLOWERS] = { self->privilege_expire_row, self->join_expire_row,
                                     self->audio_expire_row, self->video_expire_row,
                                     self->data_expire_row, self->rtm_expire_row };

  g_assert (i < N_FOLLOWERS);
  return rows[i];
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
  guint selected;

  self->rebuilding = TRUE;
  selected = ak_ui_fill_project_choices (self->projects_model, self->projects, self->store, NULL,
                                         _("Enter an App ID and certificate…"), previous);
  if (selected == G_MAXUINT)
    selected = previous == NULL && (self->manual_chosen || self->projects->len == 0)
               ? self->projects->len : 0;
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

/* Lifetimes are checked as a person reads them: the error names the field by its title. */
static gboolean
read_lifetime (AdwEntryRow  *row,
               guint32      *seconds,
               AdwEntryRow **bad_row,
               GError      **error)
{
  g_autoptr(GError) local = NULL;

  if (ak_duration_parse_lifetime (text_of (row), ak_clock_now_unix (), seconds, &local))
    return TRUE;
  *bad_row = row;
  g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT, "%s: %s",
               adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), local->message);
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

/* The lifetimes the kind shows, read first so that their errors and the summary do not
 * depend on the rest of the form. */
static gboolean
read_lifetimes (AkTokenGenerator  *self,
                AkTokenRequest    *request,
                AdwEntryRow      **bad_row,
                GError           **error)
{
  AkTokenField fields = ak_token_kind_get_fields (request->kind);
  gboolean is_006 = request->kind == AK_TOKEN_KIND_RTC006
                    || request->kind == AK_TOKEN_KIND_RTM006;
  AdwEntryRow *each[] = { self->join_expire_row, self->audio_expire_row, self->video_expire_row,
                          self->data_expire_row };

  /* Hidden rows are not the user's concern: FPA fixes its lifetime, "never" has none. */
  if (request->kind == AK_TOKEN_KIND_FPA || (is_006 && request->never_expire))
    request->expire = 3600;
  else if (!read_lifetime (self->expire_row, &request->expire, bad_row, error))
    return FALSE;
  if ((fields & AK_TOKEN_FIELD_PRIVILEGE_EXPIRE)
      && !read_lifetime (self->privilege_expire_row, &request->privilege_expire, bad_row, error))
    return FALSE;
  if (fields & AK_TOKEN_FIELD_EACH_PRIVILEGE_EXPIRE)
    for (guint i = 0; i < G_N_ELEMENTS (each); i++)
      if (!read_lifetime (each[i], &request->each_privilege_expire[i], bad_row, error))
        return FALSE;
  if ((fields & AK_TOKEN_FIELD_RTM_EXPIRE)
      && !read_lifetime (self->rtm_expire_row, &request->rtm_expire, bad_row, error))
    return FALSE;
  return TRUE;
}

/* Fills @request from the form; the strings stay owned by the widgets. @bad_row is set to
 * the lifetime row at fault when a lifetime is the problem. */
static gboolean
read_request (AkTokenGenerator  *self,
              AkTokenRequest    *request,
              AdwEntryRow      **bad_row,
              GError           **error)
{
  AkCredential *project = selected_project (self);
  AkTokenField fields;
  gint64 number;

  *request = (AkTokenRequest) { 0 };
  *bad_row = NULL;
  request->kind = selected_kind (self);
  request->never_expire = gtk_switch_get_active (self->never_switch);
  fields = ak_token_kind_get_fields (request->kind);

  if (!read_lifetimes (self, request, bad_row, error))
    return FALSE;

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

  return TRUE;
}

/* A digest of everything that goes into the token, to tell when a shown token no longer
 * matches the form. Only the digest is kept: a typed certificate is among the inputs. */
static char *
digest_inputs (AkTokenGenerator *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  AdwEntryRow *rows[] = { self->app_id_row, self->certificate_entry_row, self->channel_row,
                          self->uid_row, self->account_row, self->user_id_row,
                          self->rtm_user_id_row, self->permissions_row, self->room_uuid_row,
                          self->user_uuid_row, self->apaas_role_row, self->expire_row,
                          self->privilege_expire_row, self->join_expire_row,
                          self->audio_expire_row, self->video_expire_row, self->data_expire_row,
                          self->rtm_expire_row };
  AkCredential *project = selected_project (self);
  g_autofree char *choices = g_strdup_printf ("%u/%u/%u/%u/%d/%s",
                                              selected_kind (self),
                                              adw_combo_row_get_selected (self->certificate_row),
                                              adw_combo_row_get_selected (self->identity_row),
                                              adw_combo_row_get_selected (self->role_row),
                                              gtk_switch_get_active (self->never_switch),
                                              project != NULL
                                                ? ak_credential_get_label (project) : "");

  g_checksum_update (checksum, (const guchar *) choices, -1);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *text = text_of (rows[i]);

      /* The length first, so that moving text between fields changes the digest. */
      g_checksum_update (checksum, (const guchar *) &(gsize) { strlen (text) }, sizeof (gsize));
      g_checksum_update (checksum, (const guchar *) text, -1);
    }
  return g_strdup (g_checksum_get_string (checksum));
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

/* The row a builder input comes from, to word the builder's warnings in the form's terms. */
static AdwEntryRow *
row_for_input (AkTokenGenerator *self,
               const char       *input)
{
  const struct { const char *input; AdwEntryRow *row; } inputs[] = {
    { "expire", self->expire_row },
    { "token_expire", self->expire_row },
    { "rtc_token_expire", self->expire_row },
    { "privilege_expire", self->privilege_expire_row },
    { "join_channel_privilege_expire", self->join_expire_row },
    { "pub_audio_privilege_expire", self->audio_expire_row },
    { "pub_video_privilege_expire", self->video_expire_row },
    { "pub_data_stream_privilege_expire", self->data_expire_row },
    { "rtm_token_expire", self->rtm_expire_row },
  };

  for (guint i = 0; input != NULL && i < G_N_ELEMENTS (inputs); i++)
    if (g_str_equal (inputs[i].input, input))
      return inputs[i].row;
  return NULL;
}

static char *
word_warning (AkTokenGenerator *self,
              const AkWarning  *warning)
{
  AdwEntryRow *row = row_for_input (self, warning->field);
  const char *title = row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))
                                  : NULL;

  if (title != NULL && warning->code == AK_WARNING_EXPIRE_TOO_LONG)
    /* Translators: %s is a field of the form, such as "Token lifetime" */
    return g_strdup_printf (_("%s is over 24 hours, the longest lifetime Agora documents."),
                            title);
  if (title != NULL && warning->code == AK_WARNING_PRIVILEGE_OUTLIVES_TOKEN)
    return g_strdup_printf (_("%s is longer than the token lifetime: the privilege ends with "
                              "the token."), title);
  return g_strdup (warning->message);
}

static void
mark_lifetime_rows (AkTokenGenerator *self,
                    AdwEntryRow      *bad_row)
{
  for (guint i = 0; i <= N_FOLLOWERS; i++)
    {
      GtkWidget *row = GTK_WIDGET (i == N_FOLLOWERS ? self->expire_row : follower (self, i));

      if (GTK_WIDGET (bad_row) == row)
        gtk_widget_add_css_class (row, "error");
      else
        gtk_widget_remove_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_WIDGET (bad_row) == row ? GTK_ACCESSIBLE_INVALID_TRUE
                                                              : GTK_ACCESSIBLE_INVALID_FALSE,
                                   -1);
    }
}

static void
set_label_style (GtkLabel   *label,
                 const char *style)
{
  const char *styles[] = { "dim-label", "error", "warning" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (!g_str_equal (styles[i], style))
      gtk_widget_remove_css_class (GTK_WIDGET (label), styles[i]);
  gtk_widget_add_css_class (GTK_WIDGET (label), style);
}

static void
update_stale (AkTokenGenerator *self)
{
  g_autofree char *inputs = NULL;
  gboolean stale;

  if (self->token == NULL || self->token_inputs == NULL)
    return;
  inputs = digest_inputs (self);
  stale = !g_str_equal (inputs, self->token_inputs);
  if (stale == gtk_widget_get_visible (GTK_WIDGET (self->stale_label)))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->stale_label), stale);
  /* Dimmed, but still there to copy: the user may want it anyway, and knows it is old. */
  for (GtkWidget *w = gtk_widget_get_next_sibling (GTK_WIDGET (self->stale_label)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_BOX (w))
      continue;
    else if (stale)
      gtk_widget_add_css_class (w, "dim-label");
    else
      gtk_widget_remove_css_class (w, "dim-label");
  gtk_button_set_label (self->copy_button, stale ? _("_Copy Old Token") : _("_Copy"));
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
  AdwEntryRow *bad_row = NULL;
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
  if (read_request (self, &request, &bad_row, &error))
    result = ak_token_request_build (&request, &error);

  /* The lifetimes' line is their error, or else their summary: never both, never stale. */
  mark_lifetime_rows (self, bad_row);
  if (bad_row != NULL)
    {
      gtk_label_set_text (self->expiry_summary, error->message);
      set_label_style (self->expiry_summary, "error");
    }
  else
    {
      update_summary (self, &request);
      set_label_style (self->expiry_summary, "dim-label");
    }

  self->valid = result != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), error != NULL);
  if (bad_row != NULL)
    gtk_label_set_text (self->problem_label, _("Correct the lifetime marked under Expiry."));
  else if (error != NULL)
    gtk_label_set_text (self->problem_label, error->message);
  /* Nothing typed yet: problems read as hints, not errors. */
  set_label_style (self->problem_label, self->touched || bad_row != NULL ? "error" : "dim-label");

  if (result != NULL && ak_build_result_get_warnings (result)->len > 0)
    {
      GPtrArray *warnings = ak_build_result_get_warnings (result);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < warnings->len; i++)
        {
          g_autofree char *line = word_warning (self, warnings->pdata[i]);

          g_string_append_printf (text, "%s⚠ %s", i > 0 ? "\n" : "", line);
        }
      gtk_label_set_text (self->warning_label, text->str);
      gtk_widget_set_visible (GTK_WIDGET (self->warning_label), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->warning_label), FALSE);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generator.generate",
                                 self->valid && !self->busy);
  update_stale (self);
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

/* What the token is, in one line: kind, channel, who, and which certificate signed it. */
static char *
describe_request (const AkTokenRequest *request,
                  const char           *certificate_name,
                  const char           *project_label)
{
  AkTokenField fields = ak_token_kind_get_fields (request->kind);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  /* Translators: %s is a kind of token, such as "RTC" */
  g_ptr_array_add (parts, g_strdup_printf (_("%s token"), ak_token_kind_get_label (request->kind)));
  if (fields & AK_TOKEN_FIELD_CHANNEL)
    g_ptr_array_add (parts, g_strdup_printf (_("channel “%s”"), request->channel));
  if ((fields & AK_TOKEN_FIELD_ACCOUNT)
      || ((fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT) && request->use_account))
    g_ptr_array_add (parts, g_strdup_printf (_("account “%s”"), request->account));
  else if (fields & AK_TOKEN_FIELD_UID_OR_ACCOUNT)
    g_ptr_array_add (parts, g_strdup_printf (_("uid %u"), request->uid));
  if (fields & AK_TOKEN_FIELD_USER_ID)
    g_ptr_array_add (parts, g_strdup_printf (_("user ID “%s”"), request->user_id));
  if (fields & AK_TOKEN_FIELD_RTM_USER_ID)
    g_ptr_array_add (parts, g_strdup_printf (_("RTM user ID “%s”"), request->rtm_user_id));
  if (project_label == NULL)
    g_ptr_array_add (parts, g_strdup (_("signed with the certificate you entered")));
  else if (g_strcmp0 (certificate_name, "secondary") == 0)
    g_ptr_array_add (parts, g_strdup_printf (_("signed with the secondary certificate of “%s”"),
                                             project_label));
  else
    g_ptr_array_add (parts, g_strdup_printf (_("signed with the primary certificate of “%s”"),
                                             project_label));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* Once the result has its place on screen, focus Copy (so that Enter copies) and scroll it
 * into view. Both wait for the allocation: before it, the first result sits at 0,0 and
 * focusing Copy would scroll the page to the top instead. */
static gboolean
reveal_result (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  AkTokenGenerator *self = user_data;
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;

  if (scrolled == NULL)
    goto done;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_height (widget) <= 0
      || gtk_widget_get_height (GTK_WIDGET (self->copy_button)) <= 0
      || !gtk_widget_compute_bounds (widget, content, &bounds))
    return G_SOURCE_CONTINUE;

  gtk_widget_grab_focus (GTK_WIDGET (self->copy_button));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_clamp_page (adjustment, bounds.origin.y - 12,
                             bounds.origin.y - 12
                               + MIN (bounds.size.height + 12,
                                      gtk_adjustment_get_page_size (adjustment)));

done:
  self->reveal_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
show_result (AkTokenGenerator     *self,
             const char           *token_text,
             const AkTokenRequest *request,
             const char           *certificate_name,
             const char           *project_label)
{
  g_autoptr(AkToken) token = ak_token_parse (token_text, NULL);
  g_autoptr(GPtrArray) expiries = NULL;
  g_autoptr(AkTokenEntry) entry = NULL;
  g_autofree char *summary = describe_request (request, certificate_name, project_label);
  GtkWidget *child;

  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_free (self->token);
    }
  self->token = g_strdup (token_text);
  gtk_label_set_text (self->token_label, token_text);
  gtk_label_set_text (self->result_summary, summary);
  g_free (self->token_inputs);
  self->token_inputs = digest_inputs (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result_rows))) != NULL)
    gtk_list_box_remove (self->result_rows, child);
  expiries = ak_token_list_expiries (token);
  if (expiries->len > 0)
    {
      GtkWidget *row = ak_expiry_row_new (expiries->pdata[0], self->ticker);

      ak_expiry_row_set_first_privilege (AK_EXPIRY_ROW (row),
                                         ak_expiries_find_first_privilege (expiries));
      gtk_list_box_append (self->result_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->result_group), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generator.copy", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generator.open-in-decoder", TRUE);
  update_stale (self);

  if (self->reveal_tick == 0)
    self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->result_group),
                                                      reveal_result, self, NULL);

  entry = ak_token_entry_new (token_text, AK_TOKEN_ORIGIN_GENERATED, NULL, project_label, NULL);
  if (entry != NULL && self->history != NULL)
    ak_token_history_add (self->history, entry);
}

static void
generate_with (AkTokenGenerator *self,
               const char       *certificate,
               const char       *certificate_name,
               const char       *project_label)
{
  AkTokenRequest request;
  AdwEntryRow *bad_row;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = NULL;

  if (read_request (self, &request, &bad_row, &error))
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
  show_result (self, ak_build_result_get_token (result), &request, certificate_name,
               project_label);
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
  gboolean secondary;

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
  secondary = adw_combo_row_get_selected (self->certificate_row) == 1
              && secrets->secondary_certificate != NULL;
  certificate = secondary ? secrets->secondary_certificate : secrets->primary_certificate;
  generate_with (self, certificate, secondary ? "secondary" : "primary",
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
      generate_with (self, text_of (self->certificate_entry_row), NULL, NULL);
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
                          : seconds % 60 == 0 ? g_strdup_printf ("%um", seconds / 60)
                                              : g_strdup_printf ("%u", seconds);

  gtk_editable_set_text (GTK_EDITABLE (self->expire_row), text);
}

/* ---------------------------------------------------------------------------------------------
 * Setup and tests
 */

void
ak_token_generator_set_context (AkTokenGenerator *self,
                                AkContext        *context)
{
  g_return_if_fail (AK_IS_TOKEN_GENERATOR (self));

  self->store = ak_context_get_store (context);
  self->settings = g_object_ref (ak_context_get_settings (context));
  self->ticker = g_object_ref (ak_context_get_ticker (context));
  {
    g_autofree char *lifetime = g_settings_get_string (self->settings,
                                                       "default-token-lifetime");
    AdwEntryRow *rows[] = { self->expire_row, self->privilege_expire_row, self->join_expire_row,
                            self->audio_expire_row, self->video_expire_row,
                            self->data_expire_row, self->rtm_expire_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      gtk_editable_set_text (GTK_EDITABLE (rows[i]), lifetime);
    self->touched = FALSE;
  }
  self->history = g_object_ref (ak_context_get_token_history (context));
  g_signal_connect_object (ak_credential_store_get_projects (self->store), "items-changed",
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
  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->result_group), self->reveal_tick);
  self->reveal_tick = 0;
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
  g_free (self->token_inputs);
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
  BIND (status_box);
  BIND (problem_label);
  BIND (warning_label);
  BIND (result_group);
  BIND (stale_label);
  BIND (result_summary);
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

/* The token lifetime carries the others along until they are given values of their own;
 * setting one back to the token lifetime makes it follow again. */
static void
token_lifetime_edited (AkTokenGenerator *self)
{
  self->syncing = TRUE;
  for (guint i = 0; i < N_FOLLOWERS; i++)
    if (self->follows[i])
      gtk_editable_set_text (GTK_EDITABLE (follower (self, i)), text_of (self->expire_row));
  self->syncing = FALSE;
}

static void
other_lifetime_edited (GtkEditable      *row,
                       AkTokenGenerator *self)
{
  if (self->syncing)
    return;
  for (guint i = 0; i < N_FOLLOWERS; i++)
    if (GTK_EDITABLE (follower (self, i)) == row)
      self->follows[i] = g_str_equal (gtk_editable_get_text (row), text_of (self->expire_row));
}

/* Hints keep the space of a few lines whether shown or not, so that what is under the
 * pointer does not move as they come and go. */
static void
reserve_lines (GtkWidget  *label,
               GtkWidget  *space,
               const char *lines)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (label, lines);
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  gtk_widget_set_size_request (space, -1, height);
  g_object_unref (layout);
}

static void
reserve_hint_space (AkTokenGenerator *self)
{
  /* A lifetime error takes three lines in a 360 px window. */
  reserve_lines (GTK_WIDGET (self->expiry_summary), GTK_WIDGET (self->expiry_summary),
                 "X\nX\nX");
  reserve_lines (GTK_WIDGET (self->problem_label), self->status_box, "X\nX");
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

  /* Before field_edited, so that the form is checked with the lifetimes in step. */
  g_signal_connect_swapped (self->expire_row, "changed", G_CALLBACK (token_lifetime_edited),
                            self);
  for (guint i = 0; i < N_FOLLOWERS; i++)
    {
      self->follows[i] = TRUE;
      g_signal_connect (follower (self, i), "changed", G_CALLBACK (other_lifetime_edited), self);
    }
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_signal_connect_swapped (rows[i], "changed", G_CALLBACK (field_edited), self);
  g_signal_connect_swapped (self, "map", G_CALLBACK (reserve_hint_space), self);
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
  ak_ui_setup_password_rows (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
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

/* Chooses a stored project, as a user picking it would (not "enter an App ID"). */
void
ak_token_generator_select_project (AkTokenGenerator *self,
                                   AkCredential     *project)
{
  guint position;

  g_return_if_fail (AK_IS_TOKEN_GENERATOR (self));

  if (g_ptr_array_find (self->projects, project, &position))
    adw_combo_row_set_selected (self->project_row, position);
}
