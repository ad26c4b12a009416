/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-core.h"
#include "ak-expiry-row.h"
#include "ak-token-decoder-private.h"
#include "ak-token-decoder.h"
#include "ak-token-text.h"
#include "ak-ui-util.h"

struct _AkTokenDecoder
{
  AdwBin parent_instance;

  /* template widgets */
  GtkTextView *token_view;
  GtkLabel *error_label;
  GtkWidget *drop_box;
  GtkWidget *repair_button;
  GtkWidget *empty_state;
  GtkWidget *result_box;
  AdwActionRow *signature_row;
  GtkImage *signature_icon;
  AdwEntryRow *certificate_row;
  AdwEntryRow *channel_row;
  AdwEntryRow *uid_row;
  GtkListBox *fields_list;
  GtkWidget *services_box;

  /* owned */
  AkToken *token;
  AkTokenCheck *check;
  GCancellable *check_cancellable;
  GCancellable *cancellable;
  AkTicker *ticker;
  AkTokenHistory *history;
  guint decode_id;
  guint n_services;
  guint n_expiries;

  /* borrowed */
  AkCredentialStore *store;
};

G_DEFINE_FINAL_TYPE (AkTokenDecoder, ak_token_decoder, ADW_TYPE_BIN)

enum
{
  DIAGNOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Tag names by span kind; colours are mid tones that read on light and dark backgrounds. */
static const struct
{
  const char *name;
  const char *colour;
} span_tags[] = {
  [AK_TOKEN_SPAN_VERSION] = { "version", "#3584e4" },
  [AK_TOKEN_SPAN_APP_ID] = { "app-id", "#9141ac" },
  [AK_TOKEN_SPAN_SIGNATURE] = { "signature", "#e66100" },
  [AK_TOKEN_SPAN_CRC] = { "crc", "#2ec27e" },
  [AK_TOKEN_SPAN_MESSAGE] = { "message", "#1c71d8" },
  [AK_TOKEN_SPAN_BODY] = { "body", NULL },
  [AK_TOKEN_SPAN_ERROR] = { "error", NULL },
};

static void
clear_children (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

/* A token's strings run to 65,535 bytes each: a label laying out that much holds the window
 * for seconds. Rows show the start of a long value and say how long it is. */
#define MAX_SHOWN_CHARS 200

static char *
excerpt (const char *value,
         glong       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);
  g_autofree char *start = NULL;

  if (g_utf8_strlen (valid, -1) <= max_chars)
    return g_steal_pointer (&valid);
  start = g_utf8_substring (valid, 0, max_chars);
  /* Translators: the start of a long value, then its length in bytes */
  return g_strdup_printf (_("%s… (%zu bytes)"), start, strlen (value));
}

static GtkWidget *
text_row (const char *title,
          const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *shown = excerpt (value, MAX_SHOWN_CHARS);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 6);
  gtk_widget_add_css_class (row, "property");
  return row;
}

static GtkWidget *
number_row (const char *title,
            gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return text_row (title, text);
}

/* ---------------------------------------------------------------------------------------------
 * Colour-coding the text
 */

static void
apply_spans (AkTokenDecoder *self,
             const char     *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->token_view);
  g_autoptr(GArray) spans = ak_token_text_get_spans (text);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_all_tags (buffer, &start, &end);
  /* Pango would otherwise draw hyphens where a wrapped token breaks: not part of it. */
  gtk_text_buffer_apply_tag_by_name (buffer, "no-hyphens", &start, &end);

  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const AkTokenSpan *span = &g_array_index (spans, AkTokenSpan, i);

      gtk_text_buffer_get_iter_at_offset (buffer, &start,
                                          (int) g_utf8_pointer_to_offset (text, text + span->start));
      gtk_text_buffer_get_iter_at_offset (buffer, &end,
                                          (int) g_utf8_pointer_to_offset (text, text + span->end));
      gtk_text_buffer_apply_tag_by_name (buffer, span_tags[span->kind].name, &start, &end);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Showing a parsed token
 */

/* A hostile token holds hundreds of thousands of permission entries: a row each would keep the
 * main loop busy for seconds. The rows stop at these, and say what is left out. */
#define MAX_PERMISSION_ROWS 50
#define MAX_RESOURCES_PER_ROW 20

static char *
describe_permission_type (guint16      value,
                          const char *(*to_name) (guint16))
{
  const char *name = to_name (value);

  return name != NULL ? g_strdup (name) : g_strdup_printf (_("type %u"), value);
}

static char *
join_resources (const AkRtmPermission *permission)
{
  GString *text = g_string_new (NULL);
  guint shown = MIN (permission->resources->len, MAX_RESOURCES_PER_ROW);

  for (guint i = 0; i < shown; i++)
    {
      g_autofree char *name = excerpt (g_ptr_array_index (permission->resources, i), 40);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, name);
    }
  if (permission->resources->len > shown)
    g_string_append_printf (text, _(" and %u more"), permission->resources->len - shown);
  return g_string_free (text, FALSE);
}

static void
add_permission_rows (GtkWidget *group,
                     GArray    *permissions)
{
  guint shown = MIN (permissions->len, MAX_PERMISSION_ROWS);

  for (guint i = 0; i < shown; i++)
    {
      const AkRtmPermission *p = &g_array_index (permissions, AkRtmPermission, i);
      g_autofree char *resource = describe_permission_type (p->resource_type,
                                                            ak_rtm_resource_type_to_name);
      g_autofree char *permission = describe_permission_type (p->permission_type,
                                                              ak_rtm_permission_type_to_name);
      g_autofree char *name = g_strdup_printf ("%s · %s", resource, permission);
      g_autofree char *resources = join_resources (p);

      /* The official builders keep an empty list; it is part of the signed bytes. */
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 text_row (name, *resources != '\0' ? resources
                                                                      : _("(no resources)")));
    }
  if (permissions->len > shown)
    {
      g_autofree char *more = g_strdup_printf (_("%u more entries are not shown; "
                                                 "“agora-keys-cli decode --json” lists them all"),
                                               permissions->len - shown);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 text_row (_("More permissions"), more));
    }
}

static void
add_service_group (AkTokenDecoder  *self,
                   const AkService *service,
                   guint            index)
{
  GtkWidget *group = adw_preferences_group_new ();
  g_autofree char *title = NULL;

  /* Translators: "Service 1: rtc (type 1)" */
  title = g_strdup_printf (_("Service %u: %s (type %u)"), index + 1,
                           ak_service_type_to_name (service->type), service->type);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);

  if (service->channel_name != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               text_row (_("Channel name"), service->channel_name));
  if (service->uid != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               text_row (service->type == AK_SERVICE_RTC ? _("uid")
                                                                          : _("Account"),
                                         *service->uid == '\0' ? _("(empty: any user, uid 0)")
                                                               : service->uid));
  if (service->user_id != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               text_row (_("User ID"), *service->user_id == '\0'
                                                         ? _("(empty: app token)")
                                                         : service->user_id));
  if (service->room_uuid != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               text_row (_("Room UUID"), service->room_uuid));
  if (service->user_uuid != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               text_row (_("User UUID"), service->user_uuid));
  if (service->type == AK_SERVICE_APAAS)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               number_row (_("Role"), service->role));
  /* These carry nothing but their type: say what that grants, or the group looks empty. */
  if (service->type == AK_SERVICE_CONVOAI)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               text_row (_("Grants"), _("Access for a Conversational AI Engine "
                                                        "agent; the service has no "
                                                        "privileges")));
  if (service->type == AK_SERVICE_STT)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               text_row (_("Grants"), _("Access for a Real-time STT agent; the "
                                                        "service has no privileges")));
  if (service->permissions != NULL)
    add_permission_rows (group, service->permissions);

  gtk_box_append (GTK_BOX (self->services_box), group);
}

static void
show_token (AkTokenDecoder *self)
{
  AkToken *token = self->token;
  g_autoptr(GPtrArray) expiries = ak_token_list_expiries (token);
  g_autofree char *signature = ak_token_dup_signature_hex (token);
  AkCredential *project = self->store != NULL
                            ? ak_credential_store_find_by_app_id (self->store,
                                                                  ak_token_get_app_id (token))
                            : NULL;
  g_autofree char *app_id = project != NULL
                              ? g_strdup_printf (_("%s (project “%s”)"),
                                                 ak_token_get_app_id (token),
                                                 ak_credential_get_label (project))
                              : g_strdup (ak_token_get_app_id (token));
  gboolean is_006 = ak_token_get_version (token) == AK_TOKEN_VERSION_006;
  guint16 unknown;

  clear_children (GTK_WIDGET (self->fields_list));
  clear_children (self->services_box);

  gtk_list_box_append (self->fields_list,
                       text_row (_("Version"), is_006 ? _("006 (AccessToken, legacy)")
                                                      : _("007 (AccessToken2)")));
  gtk_list_box_append (self->fields_list, text_row (_("App ID"), app_id));
  if (!is_006)
    {
      g_autofree char *issued = ak_format_local_time (ak_token_get_issue_ts (token));

      gtk_list_box_append (self->fields_list, text_row (_("Issued"), issued));
    }
  for (guint i = 0; i < expiries->len; i++)
    gtk_list_box_append (self->fields_list, ak_expiry_row_new (expiries->pdata[i], self->ticker));
  self->n_expiries = expiries->len;
  gtk_list_box_append (self->fields_list, number_row (_("Salt"), ak_token_get_salt (token)));
  gtk_list_box_append (self->fields_list, text_row (_("Signature"), signature));
  if (is_006)
    {
      gtk_list_box_append (self->fields_list, number_row (_("Channel name checksum (CRC32)"),
                                                          ak_token_get_crc_channel_name (token)));
      gtk_list_box_append (self->fields_list, number_row (_("uid checksum (CRC32)"),
                                                          ak_token_get_crc_uid (token)));
    }

  self->n_services = ak_token_get_n_services (token);
  for (guint i = 0; i < self->n_services; i++)
    add_service_group (self, ak_token_get_service (token, i), i);
  if (ak_token_get_unknown_service_type (token, &unknown))
    {
      g_autofree char *note = g_strdup_printf (_("Stopped at unknown service type %u, as the "
                                                 "official parsers do; the signature still "
                                                 "covers the rest."),
                                               unknown);
      gtk_list_box_append (self->fields_list, text_row (_("Services"), note));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->channel_row), is_006);
  gtk_widget_set_visible (GTK_WIDGET (self->uid_row), is_006);
}

/* ---------------------------------------------------------------------------------------------
 * Checking the signature
 */

typedef enum
{
  VERDICT_NEUTRAL,
  VERDICT_GOOD,
  VERDICT_BAD,
} Verdict;

/* The verdict is the row's title, so it is what is read first (and what a screen reader says
 * for the row); the subtitle explains it. */
static void
show_verdict (AkTokenDecoder *self,
              Verdict         verdict,
              const char     *title,
              const char     *detail)
{
  GtkWidget *row = GTK_WIDGET (self->signature_row);
  GtkWidget *icon = GTK_WIDGET (self->signature_icon);

  gtk_widget_remove_css_class (row, "success");
  gtk_widget_remove_css_class (row, "error");
  gtk_widget_remove_css_class (icon, "dim-label");
  switch (verdict)
    {
    case VERDICT_GOOD:
      gtk_image_set_from_icon_name (self->signature_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (row, "success");
      break;
    case VERDICT_BAD:
      gtk_image_set_from_icon_name (self->signature_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (row, "error");
      break;
    case VERDICT_NEUTRAL:
    default:
      /* Not "dialog-question": Adwaita draws it as a "?" in a diamond, the very shape of a
       * character the font lacks. */
      gtk_image_set_from_icon_name (self->signature_icon, "help-about-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
      break;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->signature_row), title);
  adw_action_row_set_subtitle (self->signature_row, detail != NULL ? detail : "");
}

static void
show_check (AkTokenDecoder *self,
            AkTokenCheck   *check)
{
  AkTokenCheckStatus status = ak_token_check_get_status (check);
  Verdict verdict;

  g_clear_pointer (&self->check, ak_token_check_unref);
  self->check = ak_token_check_ref (check);

  switch (status)
    {
    case AK_TOKEN_CHECK_VALID:
      verdict = VERDICT_GOOD;
      break;
    case AK_TOKEN_CHECK_SIGNATURE_MISMATCH:
    case AK_TOKEN_CHECK_CRC_MISMATCH:
    case AK_TOKEN_CHECK_INVALID_CERTIFICATE:
      verdict = VERDICT_BAD;
      break;
    case AK_TOKEN_CHECK_NO_PROJECT:
    case AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID:
    default:
      verdict = VERDICT_NEUTRAL;
      break;
    }
  /* A valid signature's sentence only repeats the title. */
  show_verdict (self, verdict, ak_token_check_get_title (check),
                status == AK_TOKEN_CHECK_VALID ? NULL : ak_token_check_get_message (check));
}

/* No verdict: nothing is checked, or what was checked is gone. */
static void
forget_check (AkTokenDecoder *self)
{
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->check, ak_token_check_unref);
  show_verdict (self, VERDICT_NEUTRAL, _("Not checked"), NULL);
}

static void
store_checked (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AkTokenDecoder) self = user_data;
  g_autoptr(AkTokenCheck) check = NULL;
  g_autoptr(GError) error = NULL;

  check = ak_token_check_with_store_finish (AK_CREDENTIAL_STORE (object), result, &error);
  if (check == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->check_cancellable);
  if (check == NULL)
    {
      g_clear_pointer (&self->check, ak_token_check_unref);
      show_verdict (self, VERDICT_NEUTRAL, _("Not checked — the keyring could not be read"),
                    error->message);
      return;
    }
  show_check (self, check);
}

static void
run_check (AkTokenDecoder *self)
{
  const char *certificate = gtk_editable_get_text (GTK_EDITABLE (self->certificate_row));
  const char *channel = gtk_editable_get_text (GTK_EDITABLE (self->channel_row));
  const char *uid = gtk_editable_get_text (GTK_EDITABLE (self->uid_row));

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  if (self->token == NULL)
    return;

  /* 006 keeps only checksums of its channel and uid: without a channel there is nothing to
   * check against, and the check says so. */
  if (ak_token_get_version (self->token) != AK_TOKEN_VERSION_006 || *channel == '\0')
    {
      channel = NULL;
      uid = NULL;
    }

  if (*certificate != '\0')
    {
      g_autoptr(AkTokenCheck) check = ak_token_check_with_certificate (self->token, certificate,
                                                                       channel, uid);

      show_check (self, check);
      return;
    }

  if (self->store == NULL)
    return;

  g_clear_pointer (&self->check, ak_token_check_unref);
  show_verdict (self, VERDICT_NEUTRAL, _("Checking the signature…"),
                _("Looking for the certificates of the stored project with this App ID."));
  self->check_cancellable = g_cancellable_new ();
  ak_token_check_with_store_async (self->store, self->token, channel, uid,
                                   self->check_cancellable, store_checked, g_object_ref (self));
}

/* ---------------------------------------------------------------------------------------------
 * Decoding
 */

static gboolean
decode (gpointer user_data)
{
  AkTokenDecoder *self = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->token_view);
  g_autofree char *text = NULL;
  g_autofree char *stripped = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextIter start;
  GtkTextIter end;
  gssize error_offset = -1;

  self->decode_id = 0;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  g_clear_pointer (&self->token, ak_token_unref);
  apply_spans (self, text);

  stripped = g_strstrip (g_strdup (text));
  gtk_widget_set_visible (self->empty_state, *stripped == '\0');
  if (*stripped == '\0')
    {
      forget_check (self);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      gtk_widget_set_visible (self->repair_button, FALSE);
      gtk_widget_set_visible (self->result_box, FALSE);
      return G_SOURCE_REMOVE;
    }

  /* A malformed token keeps its text: the error says what and where, the input stays. */
  self->token = ak_token_parse_full (text, &error_offset, &error);
  if (self->token == NULL)
    {
      g_autofree char *repaired = ak_token_text_repair_spaces (text);

      forget_check (self);
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_set_visible (self->repair_button, repaired != NULL);
      gtk_widget_set_visible (self->result_box, FALSE);
      if (repaired != NULL)
        memset (repaired, 0, strlen (repaired));
      memset (stripped, 0, strlen (stripped));
      memset (text, 0, strlen (text));
      return G_SOURCE_REMOVE;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_visible (self->repair_button, FALSE);
  gtk_widget_set_visible (self->result_box, TRUE);
  show_token (self);
  run_check (self);

  if (self->history != NULL)
    {
      AkCredential *project = self->store != NULL
        ? ak_credential_store_find_by_app_id (self->store, ak_token_get_app_id (self->token))
        : NULL;
      g_autoptr(AkTokenEntry) entry =
        ak_token_entry_new (text, AK_TOKEN_ORIGIN_DECODED, NULL,
                            project != NULL ? ak_credential_get_label (project) : NULL, NULL);

      if (entry != NULL)
        ak_token_history_add (self->history, entry);
    }
  memset (stripped, 0, strlen (stripped));
  memset (text, 0, strlen (text));
  return G_SOURCE_REMOVE;
}

static void
text_changed (AkTokenDecoder *self)
{
  if (self->decode_id == 0)
    self->decode_id = g_idle_add (decode, self);
}

void
ak_token_decoder_set_text (AkTokenDecoder *self,
                           const char     *text)
{
  g_return_if_fail (AK_IS_TOKEN_DECODER (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->token_view), text, -1);
  g_clear_handle_id (&self->decode_id, g_source_remove);
  decode (self);
}

static void
pasted (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(AkTokenDecoder) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);

  if (text != NULL)
    ak_token_decoder_set_text (self, text);
}

void
ak_token_decoder_paste (AkTokenDecoder *self)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->cancellable,
                                 pasted, g_object_ref (self));
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ak_token_decoder_paste (AK_TOKEN_DECODER (widget));
}

/* The text as pasted, not as repaired: damage in transit is one of the things diagnosed. */
static void
diagnose_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AkTokenDecoder *self = AK_TOKEN_DECODER (widget);
  g_autofree char *text = ak_token_decoder_get_text (self);

  g_signal_emit (self, signals[DIAGNOSE_REQUESTED], 0, text);
  memset (text, 0, strlen (text));
}

/* A certificate pasted for one token must not be tried on the next: that token would then
 * be "does not match this certificate" while its App ID names a stored project. */
static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AkTokenDecoder *self = AK_TOKEN_DECODER (widget);

  /* The token first, so that emptying the entries starts no check. */
  ak_token_decoder_set_text (self, "");
  gtk_editable_set_text (GTK_EDITABLE (self->certificate_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->channel_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->uid_row), "");
  forget_check (self);
}

static void
repair_spaces_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AkTokenDecoder *self = AK_TOKEN_DECODER (widget);
  g_autofree char *text = ak_token_decoder_get_text (self);
  g_autofree char *repaired = ak_token_text_repair_spaces (text);

  if (repaired != NULL)
    {
      ak_token_decoder_set_text (self, repaired);
      memset (repaired, 0, strlen (repaired));
    }
  memset (text, 0, strlen (text));
}

/* A drop replaces the token: inserting the text into the one shown would make neither. */
static gboolean
text_dropped (GtkDropTarget  *target,
              const GValue   *value,
              double          x,
              double          y,
              AkTokenDecoder *self)
{
  const char *text = g_value_get_string (value);

  if (text == NULL)
    return FALSE;
  ak_token_decoder_set_text (self, text);
  return TRUE;
}

void
ak_token_decoder_set_context (AkTokenDecoder *self,
                              AkContext      *context)
{
  g_return_if_fail (AK_IS_TOKEN_DECODER (self));

  self->store = ak_context_get_store (context);
  self->ticker = g_object_ref (ak_context_get_ticker (context));
  self->history = g_object_ref (ak_context_get_token_history (context));
}

/* ---------------------------------------------------------------------------------------------
 * For tests
 */

gboolean
ak_token_decoder_copy_json (AkTokenDecoder *self)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (AK_IS_TOKEN_DECODER (self), FALSE);

  if (self->token == NULL)
    return FALSE;
  node = ak_token_to_json (self->token, NULL);
  json = json_to_string (node, TRUE);
  ak_clipboard_copy (GTK_WIDGET (self), json, FALSE, 0);
  return TRUE;
}

char *
ak_token_decoder_get_text (AkTokenDecoder *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->token_view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

const char *
ak_token_decoder_get_error (AkTokenDecoder *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_text (self->error_label) : NULL;
}

const char *
ak_token_decoder_get_check_message (AkTokenDecoder *self)
{
  if (self->check != NULL)
    return ak_token_check_get_message (self->check);
  return adw_action_row_get_subtitle (self->signature_row);
}

gboolean
ak_token_decoder_get_check_status (AkTokenDecoder     *self,
                                   AkTokenCheckStatus *status)
{
  if (self->check == NULL)
    return FALSE;
  *status = ak_token_check_get_status (self->check);
  return TRUE;
}

const char *
ak_token_decoder_get_field (AkTokenDecoder *self,
                            const char     *title)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->fields_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row)
        && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  return NULL;
}

guint
ak_token_decoder_get_n_services (AkTokenDecoder *self)
{
  return self->token != NULL ? self->n_services : 0;
}

guint
ak_token_decoder_get_n_expiries (AkTokenDecoder *self)
{
  return self->token != NULL ? self->n_expiries : 0;
}

GtkEditable *
ak_token_decoder_get_entry (AkTokenDecoder *self,
                            const char     *name)
{
  if (g_str_equal (name, "certificate"))
    return GTK_EDITABLE (self->certificate_row);
  if (g_str_equal (name, "channel"))
    return GTK_EDITABLE (self->channel_row);
  return GTK_EDITABLE (self->uid_row);
}

gboolean
ak_token_decoder_has_tag_at (AkTokenDecoder *self,
                             const char     *tag,
                             int             offset)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->token_view);
  GtkTextTag *text_tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag);
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  return text_tag != NULL && gtk_text_iter_has_tag (&iter, text_tag);
}

gboolean
ak_token_decoder_is_checking (AkTokenDecoder *self)
{
  return self->check_cancellable != NULL;
}

/* ---------------------------------------------------------------------------------------------
 * GObject
 */

static void
ak_token_decoder_dispose (GObject *object)
{
  AkTokenDecoder *self = AK_TOKEN_DECODER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_handle_id (&self->decode_id, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AK_TYPE_TOKEN_DECODER);
  g_clear_object (&self->ticker);
  g_clear_object (&self->history);
  G_OBJECT_CLASS (ak_token_decoder_parent_class)->dispose (object);
}

static void
ak_token_decoder_finalize (GObject *object)
{
  AkTokenDecoder *self = AK_TOKEN_DECODER (object);

  g_clear_pointer (&self->token, ak_token_unref);
  g_clear_pointer (&self->check, ak_token_check_unref);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ak_token_decoder_parent_class)->finalize (object);
}

static void
ak_token_decoder_class_init (AkTokenDecoderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_token_decoder_dispose;
  object_class->finalize = ak_token_decoder_finalize;

  signals[DIAGNOSE_REQUESTED] = ak_ui_new_string_signal (klass, "diagnose-requested");

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-token-decoder.ui");
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, token_view);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, error_label);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, drop_box);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, repair_button);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, empty_state);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, result_box);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, signature_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, signature_icon);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, channel_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, uid_row);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, fields_list);
  gtk_widget_class_bind_template_child (widget_class, AkTokenDecoder, services_box);

  gtk_widget_class_install_action (widget_class, "decoder.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "decoder.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "decoder.diagnose", NULL, diagnose_action);
  gtk_widget_class_install_action (widget_class, "decoder.repair-spaces", NULL,
                                   repair_spaces_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "decoder.paste", NULL);
}

static void
ak_token_decoder_init (AkTokenDecoder *self)
{
  GtkTextBuffer *buffer;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  ak_ui_setup_password_rows (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  buffer = gtk_text_view_get_buffer (self->token_view);
  for (guint i = 0; i < G_N_ELEMENTS (span_tags); i++)
    {
      GtkTextTag *tag = gtk_text_buffer_create_tag (buffer, span_tags[i].name, NULL);

      if (span_tags[i].colour != NULL)
        g_object_set (tag, "foreground", span_tags[i].colour, "weight", 600, NULL);
    }
  gtk_text_buffer_create_tag (buffer, "no-hyphens", "insert-hyphens", FALSE, NULL);
  g_object_set (gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "error"),
                "underline", PANGO_UNDERLINE_ERROR, "background", "rgba(224,27,36,0.3)", NULL);

  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (text_changed), self);
  g_signal_connect_swapped (self->certificate_row, "changed", G_CALLBACK (run_check), self);
  g_signal_connect_swapped (self->channel_row, "changed", G_CALLBACK (run_check), self);
  g_signal_connect_swapped (self->uid_row, "changed", G_CALLBACK (run_check), self);

  /* In the capture phase, ahead of the text view's own target, which would insert the text
   * into the token already there. */
  drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drop), GTK_PHASE_CAPTURE);
  g_signal_connect (drop, "drop", G_CALLBACK (text_dropped), self);
  gtk_widget_add_controller (self->drop_box, GTK_EVENT_CONTROLLER (drop));

  forget_check (self);
}
