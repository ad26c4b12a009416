/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clock.h"
#include "ak-core.h"
#include "ak-token-generator-internal.h"
#include "ak-token-generator-private.h"
#include "ak-token-request.h"

/* The token generator's form: reading it into a request, and showing only the fields the kind
 * uses, with its problems and warnings as you type. */

/* Stands in for a stored certificate while validating: stored ones were checked when saved,
 * and the real one is read from the keyring only when the token is made. */
#define PLACEHOLDER_CERTIFICATE "00000000000000000000000000000000"

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
gboolean
ak_token_generator_read_request (AkTokenGenerator  *self,
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
char *
ak_token_generator_digest_inputs (AkTokenGenerator *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
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
  for (guint i = 0; i < N_ENTRY_ROWS; i++)
    {
      const char *text = text_of (entry_row (self, i));

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
  /* Builder input, and the form's field name for ak_token_generator_get_field(). */
  static const char * const inputs[][2] = {
    { "expire", "expire" },
    { "token_expire", "expire" },
    { "rtc_token_expire", "expire" },
    { "privilege_expire", "privilege-expire" },
    { "join_channel_privilege_expire", "join-expire" },
    { "pub_audio_privilege_expire", "audio-expire" },
    { "pub_video_privilege_expire", "video-expire" },
    { "pub_data_stream_privilege_expire", "data-expire" },
    { "rtm_token_expire", "rtm-expire" },
  };

  for (guint i = 0; input != NULL && i < G_N_ELEMENTS (inputs); i++)
    if (g_str_equal (inputs[i][0], input))
      return ADW_ENTRY_ROW (ak_token_generator_get_field (self, inputs[i][1]));
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

void
ak_token_generator_update_stale (AkTokenGenerator *self)
{
  g_autofree char *inputs = NULL;
  gboolean stale;

  if (self->token == NULL || self->token_inputs == NULL)
    return;
  inputs = ak_token_generator_digest_inputs (self);
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

/* Only the fields the kind uses, and the lifetime under the title it has for the kind. */
static void
show_fields (AkTokenGenerator *self)
{
  AkCredential *project;
  AkTokenKind kind;
  AkTokenField fields;
  gboolean is_006;
  gboolean account;

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
}

/* The builder's warnings for a token it could make, one line each; hidden when none. */
static void
show_warnings (AkTokenGenerator *self,
               AkBuildResult    *result)
{
  GPtrArray *warnings = result != NULL ? ak_build_result_get_warnings (result) : NULL;
  g_autoptr(GString) text = NULL;

  if (warnings == NULL || warnings->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->warning_label), FALSE);
      return;
    }

  text = g_string_new (NULL);
  for (guint i = 0; i < warnings->len; i++)
    {
      g_autofree char *line = word_warning (self, warnings->pdata[i]);

      g_string_append_printf (text, "%s⚠ %s", i > 0 ? "\n" : "", line);
    }
  gtk_label_set_text (self->warning_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), TRUE);
}

void
ak_token_generator_update_form (AkTokenGenerator *self)
{
  AkTokenRequest request;
  AdwEntryRow *bad_row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkBuildResult) result = NULL;

  if (self->store == NULL)
    return;

  show_fields (self);

  /* Validate by building for real (it takes microseconds), so that the form says exactly
   * what the codec would say, and shows its warnings before anything is made. */
  if (ak_token_generator_read_request (self, &request, &bad_row, &error))
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

  show_warnings (self, result);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generator.generate",
                                 self->valid && !self->busy);
  ak_token_generator_update_stale (self);
}
