/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-core.h"
#include "ak-token-doctor-view-private.h"
#include "ak-token-doctor-view.h"
#include "ak-ui-util.h"

struct _AkTokenDoctorView
{
  AdwBin parent_instance;

  /* template widgets */
  GtkTextView *token_view;
  AdwEntryRow *app_id_row;
  AdwComboRow *product_row;
  AdwEntryRow *channel_row;
  AdwComboRow *identity_row;
  AdwEntryRow *uid_row;
  AdwEntryRow *account_row;
  AdwComboRow *role_row;
  AdwActionRow *error_row;
  GtkDropDown *error_dropdown;
  GtkTextView *body_view;
  GtkLabel *status_label;
  GtkWidget *result_box;
  GtkListBox *findings_list;
  GtkCheckButton *include_token_check;

  /* owned */
  AkDoctorDiagnosis *diagnosis;
  GCancellable *cancellable;
  GSettings *settings;
  struct DoctorRun *run;

  /* borrowed */
  AkCredentialStore *store;
};

G_DEFINE_FINAL_TYPE (AkTokenDoctorView, ak_token_doctor_view, ADW_TYPE_BIN)

enum
{
  GENERATE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The identity and role choices, in the order of their lists in the template. */
enum { IDENTITY_UNKNOWN, IDENTITY_UID, IDENTITY_ACCOUNT };

#define FINDING_KEY "ak-doctor-finding"

/* ---------------------------------------------------------------------------------------------
 * What the client used, as read from the form when Diagnose was pressed
 */

/* The strings AkDoctorInput borrows, owned for as long as the keyring is read: the form may
 * change meanwhile, and the diagnosis is of what was there when asked. */
typedef struct DoctorRun
{
  AkDoctorInput input;
  char *token;
  char *app_id;
  char *channel;
  char *account;
  char *error_code;
  char *body;
} DoctorRun;

static void
doctor_run_free (DoctorRun *run)
{
  /* The token is a secret: it does not outlive the run in freed memory. */
  if (run->token != NULL)
    memset (run->token, 0, strlen (run->token));
  g_free (run->token);
  g_free (run->app_id);
  g_free (run->channel);
  g_free (run->account);
  g_free (run->error_code);
  g_free (run->body);
  g_free (run);
}

static char *
text_view_dup_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* NULL for a field left empty: the core then skips the checks that need it. */
static char *
dup_field (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
read_form (AkTokenDoctorView  *self,
           DoctorRun         **out,
           GError            **error)
{
  DoctorRun *run = g_new0 (DoctorRun, 1);
  guint error_index = gtk_drop_down_get_selected (self->error_dropdown);
  gsize n_codes = 0;
  const AkDoctorErrorCode *codes = ak_token_doctor_error_codes (&n_codes);
  g_autofree char *body = text_view_dup_text (self->body_view);

  run->token = text_view_dup_text (self->token_view);
  run->app_id = dup_field (self->app_id_row);
  /* Channel names are compared byte for byte: spaces around one are a finding, not noise. */
  run->channel = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->channel_row)));
  if (*run->channel == '\0')
    g_clear_pointer (&run->channel, g_free);
  if (error_index >= 1 && error_index != GTK_INVALID_LIST_POSITION && error_index - 1 < n_codes)
    run->error_code = g_strdup (codes[error_index - 1].code);
  if (*g_strstrip (body) != '\0')
    run->body = g_steal_pointer (&body);

  run->input.token = run->token;
  run->input.app_id = run->app_id;
  run->input.product = (AkDoctorProduct) adw_combo_row_get_selected (self->product_row);
  run->input.channel = run->channel;
  run->input.role = (AkDoctorRole) adw_combo_row_get_selected (self->role_row);
  run->input.error_code = run->error_code;
  run->input.convoai_body = run->body;

  switch (adw_combo_row_get_selected (self->identity_row))
    {
    case IDENTITY_UID:
      {
        g_autofree char *uid = dup_field (self->uid_row);
        guint64 number = 0;

        if (uid != NULL
            && !g_ascii_string_to_unsigned (uid, 10, 0, G_MAXUINT32, &number, NULL))
          {
            g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                                 _("The uid must be a whole number from 0 to 4294967295. For a "
                                   "name, choose “String user account”."));
            doctor_run_free (run);
            return FALSE;
          }
        run->input.has_uid = uid != NULL;
        run->input.uid = (guint32) number;
      }
      break;
    case IDENTITY_ACCOUNT:
      run->account = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->account_row)));
      if (*run->account == '\0')
        g_clear_pointer (&run->account, g_free);
      run->input.account = run->account;
      break;
    default:
      break;
    }

  *out = run;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Showing the findings
 */

static void
clear_findings (AkTokenDoctorView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list))) != NULL)
    gtk_list_box_remove (self->findings_list, child);
}

static void
show_status (AkTokenDoctorView *self,
             const char        *message,
             gboolean           is_error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* The shape of the icon says the severity, and so does its name: not colour alone. */
static void
describe_severity (AkDoctorSeverity   severity,
                   const char       **icon,
                   const char       **label)
{
  switch (severity)
    {
    case AK_DOCTOR_SEVERITY_EXPLAINS:
      *icon = "dialog-error-symbolic";
      *label = _("Explains the rejection");
      break;
    case AK_DOCTOR_SEVERITY_LIKELY:
      *icon = "dialog-question-symbolic";
      *label = _("Likely cause");
      break;
    case AK_DOCTOR_SEVERITY_WARNING:
      *icon = "dialog-warning-symbolic";
      *label = _("Warning");
      break;
    case AK_DOCTOR_SEVERITY_INFO:
    default:
      *icon = "dialog-information-symbolic";
      *label = _("Note");
      break;
    }
}

static char *
describe_finding (AkDoctorFinding *finding,
                  const char      *severity)
{
  GPtrArray *evidence = ak_doctor_finding_get_evidence (finding);
  GString *text = g_string_new (severity);

  for (guint i = 0; i < evidence->len; i++)
    {
      const AkDoctorEvidence *row = g_ptr_array_index (evidence, i);

      g_string_append_printf (text, "\n%s: ", row->label);
      if (row->in_token != NULL)
        /* Translators: evidence of a finding, e.g. "channel: “Demo” in the token" */
        g_string_append_printf (text, _("“%s” in the token"), row->in_token);
      if (row->in_token != NULL && row->used != NULL)
        g_string_append (text, " · ");
      if (row->used != NULL)
        g_string_append_printf (text, _("“%s” used"), row->used);
    }
  /* Translators: the fix of a finding */
  g_string_append_printf (text, _("\nFix: %s"), ak_doctor_finding_get_fix (finding));
  return g_string_free (text, FALSE);
}

static void
generate_clicked (GtkButton         *button,
                  AkTokenDoctorView *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  AkDoctorFinding *finding = row != NULL ? g_object_get_data (G_OBJECT (row), FINDING_KEY)
                                         : NULL;
  const AkTokenRequestText *request = finding != NULL
                                        ? ak_doctor_finding_get_regenerate (finding) : NULL;

  if (request == NULL || self->diagnosis == NULL)
    return;
  g_signal_emit (self, signals[GENERATE_REQUESTED], 0, request,
                 ak_doctor_diagnosis_get_project_label (self->diagnosis));
}

static GtkWidget *
create_finding_row (AkTokenDoctorView *self,
                    AkDoctorFinding   *finding)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  const char *icon_name;
  const char *severity;
  g_autofree char *subtitle = NULL;

  describe_severity (ak_doctor_finding_get_severity (finding), &icon_name, &severity);
  subtitle = describe_finding (finding, severity);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 ak_doctor_finding_get_verdict (finding));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  g_object_set_data_full (G_OBJECT (row), FINDING_KEY, g_object_ref (finding), g_object_unref);

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_top (icon, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, severity,
                                  -1);
  if (ak_doctor_finding_get_severity (finding) == AK_DOCTOR_SEVERITY_EXPLAINS)
    gtk_widget_add_css_class (icon, "error");
  else if (ak_doctor_finding_get_severity (finding) != AK_DOCTOR_SEVERITY_INFO)
    gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (ak_doctor_finding_get_regenerate (finding) != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Generate"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Open Generate with the corrected inputs"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Generate a corrected token"), -1);
      g_signal_connect (button, "clicked", G_CALLBACK (generate_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
show_diagnosis (AkTokenDoctorView *self,
                AkDoctorDiagnosis *diagnosis)
{
  GListModel *findings = ak_doctor_diagnosis_get_findings (diagnosis);
  guint n = g_list_model_get_n_items (findings);

  g_clear_pointer (&self->diagnosis, ak_doctor_diagnosis_unref);
  self->diagnosis = ak_doctor_diagnosis_ref (diagnosis);

  clear_findings (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkDoctorFinding) finding = g_list_model_get_item (findings, i);

      gtk_list_box_append (self->findings_list, create_finding_row (self, finding));
    }
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("Nothing found that would make the token fail"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Fill in more of what the client used to check more."));
      gtk_list_box_append (self->findings_list, row);
    }
  gtk_widget_set_visible (self->result_box, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doctor.copy-report", TRUE);
  /* The form fills the first screen: bring what was asked for into view. */
  ak_ui_scroll_into_view (self->result_box);
}

static void
forget_diagnosis (AkTokenDoctorView *self)
{
  g_clear_pointer (&self->diagnosis, ak_doctor_diagnosis_unref);
  clear_findings (self);
  gtk_widget_set_visible (self->result_box, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doctor.copy-report", FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * Diagnosing: once without certificates to learn the token's App ID, then again with the
 * certificates of the stored projects that have it, read from the keyring without blocking
 */

static void
cancel_run (AkTokenDoctorView *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->run, doctor_run_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doctor.diagnose", TRUE);
}

static void
candidates_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AkTokenDoctorView) self = user_data;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;

  candidates = ak_token_doctor_load_candidates_finish (AK_CREDENTIAL_STORE (object), result,
                                                       &keyring_error);
  if (g_error_matches (keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->run == NULL)
    return;

  diagnosis = ak_token_doctor_diagnose (&self->run->input, candidates, &error);
  /* The candidates' free function wipes the certificates. */
  g_clear_pointer (&candidates, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->run, doctor_run_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doctor.diagnose", TRUE);

  if (diagnosis == NULL)
    {
      forget_diagnosis (self);
      show_status (self, error->message, TRUE);
      return;
    }
  show_diagnosis (self, diagnosis);
  if (keyring_error != NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The stored certificates could not be read, so the signature was not "
                           "checked: %s"),
                         keyring_error->message);

      show_status (self, message, TRUE);
    }
  else
    show_status (self, NULL, FALSE);
}

static void
diagnose (AkTokenDoctorView *self)
{
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  DoctorRun *run = NULL;

  cancel_run (self);

  if (!read_form (self, &run, &error))
    {
      forget_diagnosis (self);
      show_status (self, error->message, TRUE);
      return;
    }
  if (is_blank (run->token))
    {
      doctor_run_free (run);
      forget_diagnosis (self);
      show_status (self, _("Paste the token the client was given first."), TRUE);
      return;
    }

  diagnosis = ak_token_doctor_diagnose (&run->input, NULL, &error);
  if (diagnosis == NULL)
    {
      doctor_run_free (run);
      forget_diagnosis (self);
      show_status (self, error->message, TRUE);
      return;
    }
  if (self->store == NULL)
    {
      doctor_run_free (run);
      show_diagnosis (self, diagnosis);
      show_status (self, NULL, FALSE);
      return;
    }

  self->run = run;
  self->cancellable = g_cancellable_new ();
  forget_diagnosis (self);
  show_status (self, _("Checking against the stored projects…"), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doctor.diagnose", FALSE);
  ak_token_doctor_load_candidates_async (self->store,
                                         ak_token_get_app_id (
                                           ak_doctor_diagnosis_get_token (diagnosis)),
                                         self->cancellable, candidates_loaded,
                                         g_object_ref (self));
}

/* ---------------------------------------------------------------------------------------------
 * Actions
 */

static void
diagnose_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  diagnose (AK_TOKEN_DOCTOR_VIEW (widget));
}

static void
pasted (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(AkTokenDoctorView) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);

  if (text != NULL)
    {
      ak_token_doctor_view_set_token (self, text);
      memset (text, 0, strlen (text));
    }
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, pasted,
                                 g_object_ref (widget));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AkTokenDoctorView *self = AK_TOKEN_DOCTOR_VIEW (widget);

  cancel_run (self);
  ak_token_doctor_view_set_token (self, "");
  forget_diagnosis (self);
  show_status (self, NULL, FALSE);
}

/* Without the token the report is safe to paste anywhere; with it, it is a secret: kept
 * from clipboard managers and cleared like a copied token. */
static void
copy_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AkTokenDoctorView *self = AK_TOKEN_DOCTOR_VIEW (widget);
  gboolean include_token = gtk_check_button_get_active (self->include_token_check);
  g_autofree char *report = NULL;

  if (self->diagnosis == NULL)
    return;
  report = ak_token_doctor_report_text (self->diagnosis, include_token);
  ak_clipboard_copy (widget, report, include_token,
                     self->settings != NULL
                       ? g_settings_get_uint (self->settings, "clipboard-clear-seconds") : 0);
  memset (report, 0, strlen (report));
}

/* ---------------------------------------------------------------------------------------------
 * The form
 */

/* Findings shown beside another token than theirs would mislead: a new token starts over. */
static void
token_changed (AkTokenDoctorView *self)
{
  if (self->run == NULL && self->diagnosis == NULL)
    return;
  cancel_run (self);
  forget_diagnosis (self);
  show_status (self, NULL, FALSE);
}

static void
identity_changed (AkTokenDoctorView *self)
{
  guint identity = adw_combo_row_get_selected (self->identity_row);

  gtk_widget_set_visible (GTK_WIDGET (self->uid_row), identity == IDENTITY_UID);
  gtk_widget_set_visible (GTK_WIDGET (self->account_row), identity == IDENTITY_ACCOUNT);
}

static void
error_code_changed (AkTokenDoctorView *self)
{
  guint index = gtk_drop_down_get_selected (self->error_dropdown);
  gsize n_codes = 0;
  const AkDoctorErrorCode *codes = ak_token_doctor_error_codes (&n_codes);
  const AkDoctorErrorCode *code;
  g_autofree char *subtitle = NULL;

  if (index == 0 || index == GTK_INVALID_LIST_POSITION || index - 1 >= n_codes)
    {
      adw_action_row_set_subtitle (self->error_row, _("Type a code to find it in the list"));
      return;
    }
  code = &codes[index - 1];
  subtitle = g_strdup_printf ("%s%s%s (%s): %s", code->code, code->name != NULL ? " " : "",
                              code->name != NULL ? code->name : "", _(code->context),
                              _(code->meaning));
  adw_action_row_set_subtitle (self->error_row, subtitle);
  /* A code belongs to one product: say so in the form when the product was left open. */
  if (adw_combo_row_get_selected (self->product_row) == AK_DOCTOR_PRODUCT_ANY)
    adw_combo_row_set_selected (self->product_row, code->product);
}

static void
setup_code_label (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  in_list)
{
  GtkLabel *label = ak_ui_list_item_set_start_label (item);

  if (GPOINTER_TO_INT (in_list))
    {
      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (label, 40);
    }
  else
    {
      /* The button shows the code; the row's subtitle says what it means. */
      gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (label, 4);
      gtk_label_set_max_width_chars (label, 12);
    }
}

static void
bind_code_label (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  in_list)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

static GtkListItemFactory *
code_factory (gboolean in_list)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_code_label), GINT_TO_POINTER (in_list));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_code_label), GINT_TO_POINTER (in_list));
  return factory;
}

/* The list's items start with the code, so that typing "109" finds it. */
static void
fill_error_codes (AkTokenDoctorView *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = code_factory (FALSE);
  g_autoptr(GtkListItemFactory) list_factory = code_factory (TRUE);
  GtkExpression *expression;
  gsize n_codes = 0;
  const AkDoctorErrorCode *codes = ak_token_doctor_error_codes (&n_codes);

  gtk_string_list_append (model, _("None"));
  for (gsize i = 0; i < n_codes; i++)
    {
      /* Translators: an error code in the list: "109 ERR_TOKEN_EXPIRED · RTC: meaning" */
      g_autofree char *item = g_strdup_printf (_("%s%s%s · %s: %s"), codes[i].code,
                                               codes[i].name != NULL ? " " : "",
                                               codes[i].name != NULL ? codes[i].name : "",
                                               ak_doctor_product_to_name (codes[i].product),
                                               _(codes[i].meaning));

      gtk_string_list_append (model, item);
    }
  gtk_drop_down_set_factory (self->error_dropdown, factory);
  gtk_drop_down_set_list_factory (self->error_dropdown, list_factory);
  /* The drop-down takes its own reference on the expression. */
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->error_dropdown, expression);
  gtk_expression_unref (expression);
  gtk_drop_down_set_model (self->error_dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->error_dropdown, 0);
}

/* GtkDropDown's button is a child the template cannot name; without a name a screen reader
 * reads only "toggle button". */
static void
name_dropdown_button (GtkWidget  *widget,
                      const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        name, -1);
      else
        name_dropdown_button (child, name);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Public
 */

void
ak_token_doctor_view_set_context (AkTokenDoctorView *self,
                                  AkContext         *context)
{
  g_return_if_fail (AK_IS_TOKEN_DOCTOR_VIEW (self));

  self->store = ak_context_get_store (context);
  g_set_object (&self->settings, ak_context_get_settings (context));
}

void
ak_token_doctor_view_set_token (AkTokenDoctorView *self,
                                const char        *text)
{
  g_return_if_fail (AK_IS_TOKEN_DOCTOR_VIEW (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->token_view), text, -1);
}

void
ak_token_doctor_view_fill (AkTokenDoctorView   *self,
                           const AkDoctorInput *input)
{
  const AkDoctorErrorCode *code;
  g_autofree char *uid = NULL;
  gsize n_codes = 0;
  const AkDoctorErrorCode *codes = ak_token_doctor_error_codes (&n_codes);

  g_return_if_fail (AK_IS_TOKEN_DOCTOR_VIEW (self));
  g_return_if_fail (input != NULL);

  ak_token_doctor_view_set_token (self, input->token != NULL ? input->token : "");
  gtk_editable_set_text (GTK_EDITABLE (self->app_id_row),
                         input->app_id != NULL ? input->app_id : "");
  adw_combo_row_set_selected (self->product_row, input->product);
  gtk_editable_set_text (GTK_EDITABLE (self->channel_row),
                         input->channel != NULL ? input->channel : "");
  uid = input->has_uid ? g_strdup_printf ("%u", input->uid) : g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->uid_row), uid);
  gtk_editable_set_text (GTK_EDITABLE (self->account_row),
                         input->account != NULL ? input->account : "");
  adw_combo_row_set_selected (self->identity_row, input->has_uid ? IDENTITY_UID
                                                  : input->account != NULL ? IDENTITY_ACCOUNT
                                                  : IDENTITY_UNKNOWN);
  adw_combo_row_set_selected (self->role_row, input->role);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view),
                            input->convoai_body != NULL ? input->convoai_body : "", -1);
  code = input->error_code != NULL
           ? ak_token_doctor_lookup_error_code (input->error_code, input->product) : NULL;
  gtk_drop_down_set_selected (self->error_dropdown,
                              code != NULL && code >= codes && code < codes + n_codes
                                ? (guint) (code - codes) + 1 : 0);
}

AkDoctorDiagnosis *
ak_token_doctor_view_get_diagnosis (AkTokenDoctorView *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_DOCTOR_VIEW (self), NULL);

  return self->diagnosis;
}

gboolean
ak_token_doctor_view_is_busy (AkTokenDoctorView *self)
{
  g_return_val_if_fail (AK_IS_TOKEN_DOCTOR_VIEW (self), FALSE);

  return self->run != NULL;
}

/* ---------------------------------------------------------------------------------------------
 * GObject
 */

static void
ak_token_doctor_view_dispose (GObject *object)
{
  AkTokenDoctorView *self = AK_TOKEN_DOCTOR_VIEW (object);

  cancel_run (self);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AK_TYPE_TOKEN_DOCTOR_VIEW);
  g_clear_pointer (&self->diagnosis, ak_doctor_diagnosis_unref);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ak_token_doctor_view_parent_class)->dispose (object);
}

static void
ak_token_doctor_view_class_init (AkTokenDoctorViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_token_doctor_view_dispose;

  signals[GENERATE_REQUESTED] = g_signal_new ("generate-requested", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-token-doctor-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, token_view);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, app_id_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, product_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, channel_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, identity_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, uid_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, account_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, role_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, error_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, error_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, body_view);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, status_label);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, result_box);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, findings_list);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDoctorView, include_token_check);

  gtk_widget_class_install_action (widget_class, "doctor.diagnose", NULL, diagnose_action);
  gtk_widget_class_install_action (widget_class, "doctor.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "doctor.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "doctor.copy-report", NULL, copy_report_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "doctor.diagnose", NULL);
}

static void
ak_token_doctor_view_init (AkTokenDoctorView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_error_codes (self);
  name_dropdown_button (GTK_WIDGET (self->error_dropdown), _("Error code"));
  /* The row labels its activatable widget too, which would make the name "Error code Error
   * code": the explicit label is enough. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->error_dropdown),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  ak_ui_text_view_no_hyphens (self->token_view);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->token_view), "changed",
                            G_CALLBACK (token_changed), self);
  g_signal_connect_swapped (self->identity_row, "notify::selected",
                            G_CALLBACK (identity_changed), self);
  g_signal_connect_swapped (self->error_dropdown, "notify::selected",
                            G_CALLBACK (error_code_changed), self);
  identity_changed (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doctor.copy-report", FALSE);
}
