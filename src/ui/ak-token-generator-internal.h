/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-token-generator.h"
#include "ak-token-request.h"

G_BEGIN_DECLS

/* Internals of the token generator, shared by its files and by nothing else:
 * ak-token-generator.c (the widget, its choices and setup), ak-token-generator-form.c (reading
 * the form and showing what it needs) and ak-token-generator-result.c (making the token and
 * showing it). */

#define N_FOLLOWERS 6
#define N_ENTRY_ROWS 18

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

static inline const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static inline AdwEntryRow *
follower (AkTokenGenerator *self,
          guint             i)
{
  AdwEntryRow *rows[N_FOLLOWERS] = { self->privilege_expire_row, self->join_expire_row,
                                     self->audio_expire_row, self->video_expire_row,
                                     self->data_expire_row, self->rtm_expire_row };

  g_assert (i < N_FOLLOWERS);
  return rows[i];
}

/* Every text field of the form, in a fixed order: the digest of the inputs reads them so. */
static inline AdwEntryRow *
entry_row (AkTokenGenerator *self,
           guint             i)
{
  AdwEntryRow *rows[N_ENTRY_ROWS] = { self->app_id_row, self->certificate_entry_row,
                                      self->channel_row, self->uid_row, self->account_row,
                                      self->user_id_row, self->rtm_user_id_row,
                                      self->permissions_row, self->room_uuid_row,
                                      self->user_uuid_row, self->apaas_role_row,
                                      self->expire_row, self->privilege_expire_row,
                                      self->join_expire_row, self->audio_expire_row,
                                      self->video_expire_row, self->data_expire_row,
                                      self->rtm_expire_row };

  g_assert (i < N_ENTRY_ROWS);
  return rows[i];
}

static inline AkCredential *
selected_project (AkTokenGenerator *self)
{
  guint position = adw_combo_row_get_selected (self->project_row);

  return position < self->projects->len ? g_ptr_array_index (self->projects, position) : NULL;
}

static inline AkTokenKind
selected_kind (AkTokenGenerator *self)
{
  guint position = adw_combo_row_get_selected (self->kind_row);

  return position < AK_N_TOKEN_KINDS ? (AkTokenKind) position : AK_TOKEN_KIND_RTC;
}

/* ak-token-generator-form.c */
G_GNUC_INTERNAL
gboolean ak_token_generator_read_request   (AkTokenGenerator  *self,
                                            AkTokenRequest    *request,
                                            AdwEntryRow      **bad_row,
                                            GError           **error);
G_GNUC_INTERNAL
char    *ak_token_generator_digest_inputs  (AkTokenGenerator  *self);
G_GNUC_INTERNAL
void     ak_token_generator_update_stale   (AkTokenGenerator  *self);
G_GNUC_INTERNAL
void     ak_token_generator_update_form    (AkTokenGenerator  *self);

/* ak-token-generator-result.c */
G_GNUC_INTERNAL
void     ak_token_generator_generate_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter);

G_END_DECLS
