/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-expiry-row.h"
#include "ak-token-generator-internal.h"
#include "ak-token-request.h"

/* The token generator's Generate action: reading the certificate, making the token, and
 * showing the result. */

/* ---------------------------------------------------------------------------------------------
 * Generate
 */

static void
set_busy (AkTokenGenerator *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->form, !busy);
  ak_token_generator_update_form (self);
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
  self->token_inputs = ak_token_generator_digest_inputs (self);

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
  ak_token_generator_update_stale (self);

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

  if (ak_token_generator_read_request (self, &request, &bad_row, &error))
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

void
ak_token_generator_generate_action (GtkWidget  *widget,
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
