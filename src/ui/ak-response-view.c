/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <json-glib/json-glib.h>

#include "ak-clipboard.h"
#include "ak-json.h"
#include "ak-response-view-private.h"
#include "ak-response-view.h"
#include "ak-ui-util.h"

#define CHUNK_SIZE (16 * 1024)
#define LARGE_BODY (256 * 1024)
/* GtkTextView lays out every line it holds; beyond this the views show a preview and the
 * whole body can be saved to a file. */
#define PREVIEW_LIMIT (96 * 1024)

struct _AkResponseView
{
  AdwBin parent_instance;

  /* template widgets */
  GtkLabel *status_label;
  GtkLabel *meta_label;
  GtkButton *request_id_button;
  GtkLabel *summary_label;
  GtkLabel *preview_label;
  GtkButton *save_button;
  GtkSpinner *spinner;
  GtkStack *stack;
  GtkSourceBuffer *body_buffer;
  GtkTextView *body_view;
  GtkTextBuffer *raw_buffer;
  GtkTextView *raw_view;
  GtkListBox *headers_list;
  GtkToggleButton *raw_button;
  GtkToggleButton *headers_button;

  /* owned */
  AkRestResponse *response;
  GBytes *full_body;
  GtkNativeDialog *save_dialog;
  char *request_id;
  GCancellable *cancellable;
  char *pending_body;
  char *pending_raw;
  gsize pending_offset;
  gsize raw_offset;
  guint chunk_id;
};

G_DEFINE_FINAL_TYPE (AkResponseView, ak_response_view, ADW_TYPE_BIN)

static void
stop_loading (AkResponseView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->chunk_id, g_source_remove);
  g_clear_pointer (&self->pending_body, g_free);
  g_clear_pointer (&self->pending_raw, g_free);
  /* A second dispose finds the template's widgets already gone. */
  if (self->spinner == NULL)
    return;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}

void
ak_response_view_clear (AkResponseView *self)
{
  GtkWidget *child;

  stop_loading (self);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->body_buffer), "", 0);
  gtk_text_buffer_set_text (self->raw_buffer, "", 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->headers_list))) != NULL)
    gtk_list_box_remove (self->headers_list, child);
  gtk_label_set_text (self->status_label, "");
  gtk_label_set_text (self->meta_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->request_id_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), FALSE);
  g_clear_pointer (&self->full_body, g_bytes_unref);
  g_clear_pointer (&self->response, ak_rest_response_free);
  g_clear_pointer (&self->request_id, g_free);
  for (const char * const *c = (const char *[]) { "success", "warning", "error", NULL }; *c; c++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), *c);
}

void
ak_response_view_show_sending (AkResponseView *self)
{
  ak_response_view_clear (self);
  gtk_label_set_text (self->status_label, _("Sending…"));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
}

/* Errors belong in the response pane, where the answer would have been. */
void
ak_response_view_show_error (AkResponseView *self,
                             const GError   *error)
{
  ak_response_view_clear (self);
  gtk_label_set_text (self->status_label,
                      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                        ? _("Cancelled") : _("Not sent"));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_label_set_text (self->summary_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->summary_label), TRUE);
    }
}

/* Appends up to CHUNK_SIZE bytes of @text from *@offset, cut at a character boundary. */
static gboolean
append_chunk (GtkTextBuffer *buffer,
              const char    *text,
              gsize         *offset)
{
  gsize length = text != NULL ? strlen (text) : 0;
  gsize n;
  GtkTextIter end;

  if (*offset >= length)
    return FALSE;
  n = MIN (length - *offset, CHUNK_SIZE);
  while (*offset + n < length && n > 0 && ((guchar) text[*offset + n] & 0xC0) == 0x80)
    n--;
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text + *offset, (int) n);
  *offset += n;
  return TRUE;
}

/* One slice per main-loop turn, body first, then the raw view. */
static gboolean
insert_chunk (gpointer user_data)
{
  AkResponseView *self = user_data;

  if (append_chunk (GTK_TEXT_BUFFER (self->body_buffer), self->pending_body,
                    &self->pending_offset))
    return G_SOURCE_CONTINUE;
  if (append_chunk (self->raw_buffer, self->pending_raw, &self->raw_offset))
    return G_SOURCE_CONTINUE;

  self->chunk_id = 0;
  g_clear_pointer (&self->pending_body, g_free);
  g_clear_pointer (&self->pending_raw, g_free);
  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  return G_SOURCE_REMOVE;
}

/* Cuts @text at @limit bytes, on a line break when there is one near, else on a character. */
static void
truncate_preview (char  *text,
                  gsize  limit)
{
  gsize length = strlen (text);
  gsize cut = limit;

  if (length <= limit)
    return;
  while (cut > limit / 2 && text[cut] != '\n')
    cut--;
  if (cut <= limit / 2)
    for (cut = limit; cut > 0 && ((guchar) text[cut] & 0xC0) == 0x80; cut--)
      ;
  text[cut] = '\0';
}

typedef struct
{
  GBytes *body;
  /* The whole body's size, when @body is only its start. */
  guint64 cut_from;
} BodyToFormat;

static void
body_to_format_free (gpointer data)
{
  BodyToFormat *input = data;

  g_bytes_unref (input->body);
  g_free (input);
}

typedef struct
{
  char *pretty;
  char *raw;
  char *note;
  gboolean pretty_printed;
} FormattedBody;

static void
formatted_body_free (gpointer data)
{
  FormattedBody *formatted = data;

  g_free (formatted->pretty);
  g_free (formatted->raw);
  g_free (formatted->note);
  g_free (formatted);
}

static gboolean
looks_like_json (const char *data,
                 gsize       length)
{
  gsize i = 0;

  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return i < length && (data[i] == '{' || data[i] == '[');
}

/* Worker thread: everything proportional to the body's size (validating, pretty-printing,
 * cutting the preview) happens here; the main loop only inserts slices. Outside JSON is
 * parsed only through ak_json_parse_untrusted(), which refuses what would crash json-glib
 * (deep nesting) or could not be shown (NUL bytes, invalid UTF-8); such a body is shown as
 * the raw text, with the reason. */
static void
format_body (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  BodyToFormat *input = task_data;
  FormattedBody *formatted = g_new0 (FormattedBody, 1);
  g_autoptr(GString) note = g_string_new (NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (input->body, &length);
  guint64 whole = input->cut_from > 0 ? input->cut_from : length;
  gboolean truncated;

  formatted->raw = g_utf8_make_valid (data != NULL ? data : "", (gssize) length);
  /* A tree takes tens of times the text's size: only bodies up to the core's analysis limit
   * are pretty-printed; a larger one is shown as it came. */
  if (input->cut_from == 0 && length <= AK_REST_ANALYZE_LIMIT && data != NULL
      && looks_like_json (data, length))
    {
      root = ak_json_parse_untrusted (data, length, &error);
      if (root == NULL)
        g_string_append_printf (note, _("Shown as raw text: %s"), error->message);
    }
  if (root != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      json_generator_set_root (generator, root);
      formatted->pretty = json_generator_to_data (generator, NULL);
      formatted->pretty_printed = TRUE;
    }
  else
    {
      formatted->pretty = g_strdup (formatted->raw);
    }

  truncated = input->cut_from > 0 || strlen (formatted->pretty) > PREVIEW_LIMIT
              || strlen (formatted->raw) > PREVIEW_LIMIT;
  truncate_preview (formatted->pretty, PREVIEW_LIMIT);
  truncate_preview (formatted->raw, PREVIEW_LIMIT);
  if (truncated)
    {
      g_autofree char *size = g_format_size (whole);
      g_autofree char *limit = g_format_size (PREVIEW_LIMIT);

      if (note->len > 0)
        g_string_append_c (note, '\n');
      /* Translators: "The body is 100.0 MB: the first 98.3 kB are shown; …" */
      g_string_append_printf (note, _("The body is %s: the first %s are shown; Save Body "
                                      "writes all of it."), size, limit);
    }
  if (note->len > 0)
    formatted->note = g_string_free (g_steal_pointer (&note), FALSE);
  g_task_return_pointer (task, formatted, formatted_body_free);
}

static void
body_formatted (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AkResponseView *self = user_data;
  g_autoptr(GError) error = NULL;
  FormattedBody *formatted = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWrapMode wrap;
  gboolean large;

  if (formatted == NULL)
    return; /* cancelled: a newer response replaced this one */

  if (formatted->note != NULL)
    {
      gtk_label_set_text (self->preview_label, formatted->note);
      gtk_widget_set_visible (GTK_WIDGET (self->preview_label), TRUE);
    }

  /* Wrapping and highlighting long bodies would make each slice slow. Text that is not
   * formatted JSON may be one endless line: the highlighter, which reads the buffer even with
   * highlighting off, gives up on it loudly, so it gets no language at all. */
  large = strlen (formatted->pretty) > LARGE_BODY;
  gtk_source_buffer_set_language (self->body_buffer,
                                  formatted->pretty_printed
                                    ? gtk_source_language_manager_get_language (
                                        gtk_source_language_manager_get_default (), "json")
                                    : NULL);
  gtk_source_buffer_set_highlight_syntax (self->body_buffer, !large);
  /* Pango takes quadratic time to wrap a line with no break in it ("[[[[…"): only text
   * broken into lines by the formatter is wrapped. */
  wrap = large || !formatted->pretty_printed ? GTK_WRAP_NONE : GTK_WRAP_WORD_CHAR;
  gtk_text_view_set_wrap_mode (self->body_view, wrap);
  gtk_text_view_set_wrap_mode (self->raw_view, wrap);

  self->pending_body = g_steal_pointer (&formatted->pretty);
  self->pending_raw = g_steal_pointer (&formatted->raw);
  self->pending_offset = 0;
  self->raw_offset = 0;
  formatted_body_free (formatted);
  /* Above the frame clock's priority (GDK_PRIORITY_REDRAW): when drawing a frame takes longer
   * than the refresh interval (a slow machine, software rendering, an instrumented build),
   * the next frame is always due, and a default-priority idle would never run while the
   * spinner keeps frames coming: the body would never appear. Input and timers still run
   * between slices; painting waits for the last one (a few milliseconds for the 96 kB
   * preview). */
  self->chunk_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, insert_chunk, self, NULL);
}

static void
body_saved (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AkResponseView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ak_rest_response_save_body_finish (result, &error))
    ak_ui_show_error_toast (GTK_WIDGET (self), error);
  else
    ak_ui_add_toast (GTK_WIDGET (self), adw_toast_new (_("Body saved")));
}

static void
save_chosen (GtkNativeDialog *dialog,
             int              response,
             AkResponseView  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->response != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      ak_rest_response_save_body_async (self->response, file, NULL, body_saved,
                                        g_object_ref (self));
    }
  g_clear_object (&self->save_dialog);
}

/* The body as shown (certificates masked) goes to a private file the user picks; a body too
 * large for memory is copied from the client's temporary file. */
static void
save_body (AkResponseView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->save_dialog != NULL || self->response == NULL)
    return;
  self->save_dialog = GTK_NATIVE_DIALOG (
    gtk_file_chooser_native_new (_("Save Response Body"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel")));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_dialog), "response.json");
  gtk_native_dialog_set_modal (self->save_dialog, TRUE);
  g_signal_connect (self->save_dialog, "response", G_CALLBACK (save_chosen), self);
  gtk_native_dialog_show (self->save_dialog);
}

static void
copy_request_id (AkResponseView *self)
{
  if (self->request_id != NULL)
    ak_clipboard_copy (GTK_WIDGET (self), self->request_id, FALSE, 0);
}

static GtkWidget *
header_row (const char *line)
{
  GtkWidget *row = adw_action_row_new ();
  const char *colon = strchr (line, ':');
  g_autofree char *name = colon != NULL ? g_strndup (line, colon - line) : g_strdup (line);
  g_autofree char *value = g_strstrip (g_strdup (colon != NULL ? colon + 1 : ""));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  return row;
}

void
ak_response_view_show_response (AkResponseView       *self,
                                const AkRestResponse *response)
{
  g_autofree char *status = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *size = NULL;
  g_autoptr(GTask) task = NULL;
  BodyToFormat *input;
  guint64 length;
  const char *css;

  ak_response_view_clear (self);

  /* Translators: "200 OK" */
  status = g_strdup_printf ("%u %s", response->status, response->reason != NULL ? response->reason : "");
  gtk_label_set_text (self->status_label, status);
  css = response->success ? "success" : response->status >= 500 || response->status < 400
                                          ? "warning" : "error";
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), css);

  length = response->body_length;
  if (length == 0 && response->body != NULL)
    length = g_bytes_get_size (response->body);
  size = g_format_size (length);
  /* Translators: "123 ms · 4.5 kB" */
  meta = g_strdup_printf (_("%lld ms · %s"), (long long) response->duration_ms, size);
  gtk_label_set_text (self->meta_label, meta);

  if (response->error_summary != NULL)
    {
      gtk_label_set_text (self->summary_label, response->error_summary);
      gtk_widget_set_visible (GTK_WIDGET (self->summary_label), TRUE);
    }
  if (response->request_id != NULL)
    {
      self->request_id = g_strdup (response->request_id);
      gtk_widget_set_visible (GTK_WIDGET (self->request_id_button), TRUE);
    }

  for (guint i = 0; response->headers != NULL && i < response->headers->len; i++)
    gtk_list_box_append (self->headers_list, header_row (response->headers->pdata[i]));

  /* Certificates in a project listing are masked: the view (and Save) get the masked body. */
  if (response->masked_body != NULL)
    self->full_body = g_bytes_new (response->masked_body, strlen (response->masked_body));
  else if (response->body != NULL)
    self->full_body = g_bytes_ref (response->body);
  else
    self->full_body = g_bytes_new_static ("", 0);
  self->response = ak_rest_response_copy (response);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), length > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, body_formatted, self);
  input = g_new0 (BodyToFormat, 1);
  input->body = g_bytes_ref (self->full_body);
  input->cut_from = response->body_truncated ? response->body_length : 0;
  g_task_set_task_data (task, input, body_to_format_free);
  g_task_run_in_thread (task, format_body);
}

const char *
ak_response_view_get_status (AkResponseView *self)
{
  return gtk_label_get_text (self->status_label);
}

const char *
ak_response_view_get_preview_note (AkResponseView *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->preview_label))
           ? gtk_label_get_text (self->preview_label) : NULL;
}

const char *
ak_response_view_get_summary (AkResponseView *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->summary_label))
           ? gtk_label_get_text (self->summary_label) : NULL;
}

char *
ak_response_view_get_body (AkResponseView *self)
{
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->body_buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->body_buffer), &start, &end, FALSE);
}

gboolean
ak_response_view_copy_body (AkResponseView *self,
                            guint           clear_seconds)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (AK_IS_RESPONSE_VIEW (self), FALSE);

  if (self->full_body != NULL)
    text = g_strndup (g_bytes_get_data (self->full_body, NULL), g_bytes_get_size (self->full_body));
  else
    text = ak_response_view_get_body (self);
  if (text == NULL || *text == '\0')
    return FALSE;
  ak_clipboard_copy (GTK_WIDGET (self), text, TRUE, clear_seconds);
  return TRUE;
}

gboolean
ak_response_view_is_loading (AkResponseView *self)
{
  return gtk_spinner_get_spinning (self->spinner);
}

static void
ak_response_view_dispose (GObject *object)
{
  AkResponseView *self = AK_RESPONSE_VIEW (object);

  stop_loading (self);
  g_clear_pointer (&self->request_id, g_free);
  g_clear_pointer (&self->full_body, g_bytes_unref);
  g_clear_pointer (&self->response, ak_rest_response_free);
  if (self->save_dialog != NULL)
    gtk_native_dialog_destroy (self->save_dialog);
  g_clear_object (&self->save_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (object), AK_TYPE_RESPONSE_VIEW);
  G_OBJECT_CLASS (ak_response_view_parent_class)->dispose (object);
}

/* The linked toggle buttons stand in for a GtkStackSwitcher, whose buttons alone are wider
 * than a 360 px window. */
static void
view_button_toggled (GtkToggleButton *button,
                     AkResponseView  *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->raw_button)
    gtk_stack_set_visible_child_name (self->stack, "raw");
  else if (button == self->headers_button)
    gtk_stack_set_visible_child_name (self->stack, "headers");
  else
    gtk_stack_set_visible_child_name (self->stack, "body");
}

static void
ak_response_view_class_init (AkResponseViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ak_response_view_dispose;

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (GTK_SOURCE_TYPE_BUFFER);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-response-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, status_label);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, meta_label);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, request_id_button);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, preview_label);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, save_button);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, spinner);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, stack);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, body_buffer);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, body_view);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, raw_buffer);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, raw_view);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, headers_list);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, raw_button);
  gtk_widget_class_bind_template_child (widget_class, AkResponseView, headers_button);
  gtk_widget_class_bind_template_callback (widget_class, copy_request_id);
  gtk_widget_class_bind_template_callback (widget_class, save_body);
  gtk_widget_class_bind_template_callback (widget_class, view_button_toggled);
}

static void
ak_response_view_init (AkResponseView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A language is looked up by id, which a template cannot do. */
  gtk_source_buffer_set_language (self->body_buffer,
                                  gtk_source_language_manager_get_language (
                                    gtk_source_language_manager_get_default (), "json"));
  ak_ui_follow_style_scheme (G_OBJECT (self->body_buffer));
}
