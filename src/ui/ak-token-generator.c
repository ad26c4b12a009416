/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-core.h"
#include "ak-token-generator-internal.h"
#include "ak-token-generator-private.h"
#include "ak-token-generator.h"
#include "ak-token-request.h"
#include "ak-ui-util.h"

#define DEFAULT_LIFETIME "1h"

G_DEFINE_FINAL_TYPE (AkTokenGenerator, ak_token_generator, ADW_TYPE_BIN)

enum
{
  DECODE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------------------
 * Choices: project and kind
 */

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
  ak_token_generator_update_form (self);
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
  ak_token_generator_update_form (self);
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
 * Actions on the result (Generate is in ak-token-generator-result.c)
 */

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
  ak_token_generator_update_form (self);
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
  ak_ui_clear_tick_callback (self->result_group, &self->reveal_tick);
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

  signals[DECODE_REQUESTED] = ak_ui_new_string_signal (klass, "decode-requested");

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-token-generator.ui");
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, form);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, project_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, app_id_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, certificate_entry_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, kind_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, advanced_switch);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, channel_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, identity_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, uid_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, account_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, role_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, user_id_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, rtm_user_id_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, permissions_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, room_uuid_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, user_uuid_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, apaas_role_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, expire_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, privilege_expire_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, join_expire_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, audio_expire_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, video_expire_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, data_expire_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, rtm_expire_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, never_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, never_switch);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, expiry_summary);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, status_box);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, problem_label);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, warning_label);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, result_group);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, stale_label);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, result_summary);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, token_label);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, copy_button);
  gtk_widget_class_bind_template_child (widget_class, AkTokenGenerator, result_rows);

  gtk_widget_class_install_action (widget_class, "generator.generate", NULL,
                                   ak_token_generator_generate_action);
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
  for (guint i = 0; i < N_ENTRY_ROWS; i++)
    g_signal_connect_swapped (entry_row (self, i), "changed", G_CALLBACK (field_edited), self);
  g_signal_connect_swapped (self, "map", G_CALLBACK (reserve_hint_space), self);
  g_signal_connect_swapped (self->project_row, "notify::selected", G_CALLBACK (project_chosen),
                            self);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    g_signal_connect_swapped (choices[i], "notify::selected",
                              G_CALLBACK (ak_token_generator_update_form), self);
  g_signal_connect_swapped (self->never_switch, "notify::active",
                            G_CALLBACK (ak_token_generator_update_form), self);
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
