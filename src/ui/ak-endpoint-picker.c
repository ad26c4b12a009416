/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-endpoint-picker.h"
#include "ak-ui-util.h"

/* The list never gets narrower than this, even under a narrow button, nor wider than the
 * second, where long paths read better wrapped. */
#define LIST_MIN_WIDTH 280
#define LIST_MAX_WIDTH 560

struct _AkEndpointPicker
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget *frame;
  GtkButton *button;
  GtkLabel *product_label;
  GtkLabel *name_label;
  GtkLabel *line_label;
  GtkPopover *popover;
  GtkSearchEntry *search;
  GtkScrolledWindow *scroller;
  GtkListBox *list;
  GtkLabel *empty_label;

  /* borrowed: catalogue entries are static */
  const AkEndpoint *endpoint;
};

G_DEFINE_FINAL_TYPE (AkEndpointPicker, ak_endpoint_picker, GTK_TYPE_WIDGET)

enum
{
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Row data: the catalogue entry, or NULL for "Custom request". */
static const AkEndpoint *
row_endpoint (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "ak-endpoint");
}

static char *
request_line (const AkEndpoint *endpoint)
{
  return g_strdup_printf ("%s %s", endpoint->method, endpoint->path);
}

static void
update_button (AkEndpointPicker *self,
               const AkEndpoint *edited_from)
{
  g_autofree char *line = NULL;
  g_autofree char *description = NULL;
  const AkEndpoint *endpoint = self->endpoint;

  if (endpoint != NULL)
    {
      line = request_line (endpoint);
      gtk_label_set_text (self->product_label, _(endpoint->product));
      gtk_label_set_text (self->name_label, _(endpoint->name));
      gtk_label_set_text (self->line_label, line);
      description = g_strdup_printf ("%s, %s, %s", _(endpoint->product), _(endpoint->name),
                                     line);
    }
  else
    {
      g_autofree char *from = NULL;

      gtk_label_set_text (self->name_label, _("Custom request"));
      if (edited_from != NULL)
        {
          /* TRANSLATORS: %s is a product and an endpoint, "RTC channel management · List
           * channels" */
          g_autofree char *was = g_strdup_printf ("%s · %s", _(edited_from->product),
                                                  _(edited_from->name));

          from = g_strdup_printf (_("Edited from %s"), was);
        }
      gtk_label_set_text (self->product_label, from != NULL ? from : "");
      gtk_label_set_text (self->line_label, _("The method and path below, as they are"));
      description = g_strdup_printf ("%s%s%s", _("Custom request"), from != NULL ? ", " : "",
                                     from != NULL ? from : "");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->product_label),
                          *gtk_label_get_text (self->product_label) != '\0');
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

const AkEndpoint *
ak_endpoint_picker_get_endpoint (AkEndpointPicker *self)
{
  g_return_val_if_fail (AK_IS_ENDPOINT_PICKER (self), NULL);

  return self->endpoint;
}

void
ak_endpoint_picker_set_endpoint (AkEndpointPicker *self,
                                 const AkEndpoint *endpoint)
{
  g_return_if_fail (AK_IS_ENDPOINT_PICKER (self));

  self->endpoint = endpoint;
  update_button (self, NULL);
}

void
ak_endpoint_picker_set_custom (AkEndpointPicker *self,
                               const AkEndpoint *edited_from)
{
  g_return_if_fail (AK_IS_ENDPOINT_PICKER (self));

  self->endpoint = NULL;
  update_button (self, edited_from);
}

/* ---------------------------------------------------------------------------------------------
 * The list
 */

static GtkWidget *
endpoint_row_new (const AkEndpoint *endpoint)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (endpoint != NULL ? _(endpoint->name) : _("Custom request"));
  GtkWidget *method = gtk_label_new (endpoint != NULL ? endpoint->method : NULL);
  GtkWidget *path = gtk_label_new (endpoint != NULL
                                     ? endpoint->path
                                     : _("Type the method and path yourself"));
  g_autofree char *accessible = NULL;

  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (method, "caption-heading");
  gtk_widget_add_css_class (method, "monospace");
  gtk_widget_set_valign (method, GTK_ALIGN_START);
  gtk_widget_set_visible (method, endpoint != NULL);
  gtk_label_set_wrap (GTK_LABEL (path), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (path), PANGO_WRAP_CHAR);
  ak_ui_label_no_hyphens (GTK_LABEL (path));
  gtk_label_set_xalign (GTK_LABEL (path), 0);
  gtk_widget_set_hexpand (path, TRUE);
  gtk_widget_add_css_class (path, "caption");
  gtk_widget_add_css_class (path, "dim-label");
  if (endpoint != NULL)
    gtk_widget_add_css_class (path, "monospace");
  gtk_box_append (GTK_BOX (line), method);
  gtk_box_append (GTK_BOX (line), path);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), line);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 10);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* The row is read as one: name, method and path. */
  accessible = endpoint != NULL
                 ? g_strdup_printf ("%s, %s %s", _(endpoint->name), endpoint->method,
                                    endpoint->path)
                 : g_strdup (_("Custom request"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data (G_OBJECT (row), "ak-endpoint", (gpointer) endpoint);
  return row;
}

/* A product heading above the first visible row of each product. */
static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  const AkEndpoint *endpoint = row_endpoint (row);
  const AkEndpoint *previous = before != NULL ? row_endpoint (before) : NULL;
  GtkWidget *header;

  if (endpoint == NULL
      || (previous != NULL && g_str_equal (previous->product, endpoint->product)))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = g_object_new (GTK_TYPE_LABEL, "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                         "label", _(endpoint->product), "xalign", 0.0f, "wrap", TRUE,
                         "margin-top", before != NULL ? 12 : 6, "margin-bottom", 6,
                         "margin-start", 10, "margin-end", 10, NULL);
  gtk_widget_add_css_class (header, "heading");
  gtk_list_box_row_set_header (row, header);
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  AkEndpointPicker *self = user_data;
  const AkEndpoint *endpoint = row_endpoint (row);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search));

  /* "Custom request" only heads the full list: a search looks for endpoints. */
  if (endpoint == NULL)
    return *search == '\0';
  return ak_endpoint_matches_search (endpoint, search);
}

static GtkListBoxRow *
next_visible_row (AkEndpointPicker *self,
                  GtkListBoxRow    *from,
                  int               step)
{
  int index = from != NULL ? gtk_list_box_row_get_index (from) + step : (step > 0 ? 0 : -1);
  GtkListBoxRow *row;

  while (index >= 0 && (row = gtk_list_box_get_row_at_index (self->list, index)) != NULL)
    {
      if (gtk_widget_get_child_visible (GTK_WIDGET (row)))
        return row;
      index += step;
    }
  return NULL;
}

static void
scroll_to_row (AkEndpointPicker *self,
               GtkListBoxRow    *row)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *header = gtk_list_box_row_get_header (row);
  graphene_rect_t bounds;
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  double top;
  double bottom;

  if (!gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self->list), &bounds))
    return;
  top = bounds.origin.y;
  bottom = top + bounds.size.height;
  /* The first of a product brings its heading along. */
  if (header != NULL && gtk_widget_compute_bounds (header, GTK_WIDGET (self->list), &bounds))
    top = MIN (top, bounds.origin.y);
  if (top < value)
    gtk_adjustment_set_value (adjustment, top);
  else if (bottom > value + page)
    gtk_adjustment_set_value (adjustment, bottom - page);
}

static void
select_row (AkEndpointPicker *self,
            GtkListBoxRow    *row)
{
  if (row == NULL)
    return;
  gtk_list_box_select_row (self->list, row);
  scroll_to_row (self, row);
}

static void
choose_row (AkEndpointPicker *self,
            GtkListBoxRow    *row)
{
  ak_endpoint_picker_set_endpoint (self, row_endpoint (row));
  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[CHOSEN], 0);
}

static void
row_activated (GtkListBox       *list,
               GtkListBoxRow    *row,
               AkEndpointPicker *self)
{
  choose_row (self, row);
}

static void
search_changed (AkEndpointPicker *self)
{
  GtkListBoxRow *first;
  g_autofree char *empty = NULL;

  gtk_list_box_invalidate_filter (self->list);
  gtk_list_box_invalidate_headers (self->list);
  first = next_visible_row (self, NULL, 1);
  if (first != NULL)
    gtk_list_box_select_row (self->list, first);
  else
    gtk_list_box_unselect_all (self->list);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  empty = g_strdup_printf (_("No endpoint matches “%s”."),
                           gtk_editable_get_text (GTK_EDITABLE (self->search)));
  gtk_label_set_text (self->empty_label, empty);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), first == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->scroller), first != NULL);
}

/* Enter in the search field picks the highlighted result. */
static void
search_activated (AkEndpointPicker *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);

  if (row != NULL && gtk_widget_get_child_visible (GTK_WIDGET (row)))
    choose_row (self, row);
}

/* The arrows move through the results while the caret stays in the search field, so that
 * typing can go on. */
static gboolean
search_key_pressed (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    AkEndpointPicker      *self)
{
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->list);
  GtkListBoxRow *row = NULL;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      row = next_visible_row (self, selected, 1);
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      row = next_visible_row (self, selected, -1);
      break;
    case GDK_KEY_Page_Down:
    case GDK_KEY_Page_Up:
      row = selected;
      for (guint i = 0; i < 8; i++)
        {
          GtkListBoxRow *next = next_visible_row (self, row, keyval == GDK_KEY_Page_Down ? 1 : -1);

          if (next == NULL)
            break;
          row = next;
        }
      break;
    default:
      return GDK_EVENT_PROPAGATE;
    }
  select_row (self, row);
  return GDK_EVENT_STOP;
}

static void
stop_search (AkEndpointPicker *self)
{
  gtk_popover_popdown (self->popover);
}

static gboolean
scroll_to_selected (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  AkEndpointPicker *self = user_data;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);

  if (row != NULL)
    scroll_to_row (self, row);
  return G_SOURCE_REMOVE;
}

/* Each opening starts from the whole list, the current endpoint highlighted, the caret in the
 * search field; the list is about as wide as the button. */
static void
open_popover (AkEndpointPicker *self)
{
  int width = CLAMP (gtk_widget_get_width (GTK_WIDGET (self)), LIST_MIN_WIDTH, LIST_MAX_WIDTH);
  GtkListBoxRow *current = NULL;

  gtk_widget_set_size_request (GTK_WIDGET (self->scroller), width, -1);
  gtk_widget_set_size_request (GTK_WIDGET (self->empty_label), width, -1);
  gtk_editable_set_text (GTK_EDITABLE (self->search), "");
  search_changed (self);
  for (int i = 0; (current = gtk_list_box_get_row_at_index (self->list, i)) != NULL; i++)
    if (row_endpoint (current) == self->endpoint)
      break;
  if (current != NULL)
    gtk_list_box_select_row (self->list, current);
  gtk_widget_add_tick_callback (GTK_WIDGET (self->list), scroll_to_selected, self, NULL);
  gtk_popover_popup (self->popover);
}

static void
popover_shown (AkEndpointPicker *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_STATE_EXPANDED, TRUE,
                               -1);
}

static void
popover_closed (AkEndpointPicker *self)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_STATE_EXPANDED,
                               FALSE, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->button));
}

/* ---------------------------------------------------------------------------------------------
 * The class
 */

static void
ak_endpoint_picker_dispose (GObject *object)
{
  AkEndpointPicker *self = AK_ENDPOINT_PICKER (object);

  /* The search entry reports a change after a delay, which may come after the list is gone. */
  if (self->search != NULL)
    g_signal_handlers_disconnect_by_data (self->search, self);
  if (self->popover != NULL)
    g_signal_handlers_disconnect_by_data (self->popover, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), AK_TYPE_ENDPOINT_PICKER);
  G_OBJECT_CLASS (ak_endpoint_picker_parent_class)->dispose (object);
}

/* The picker lays out the button, and presents the popover it is the parent of, as GTK
 * requires of a popover's parent. */
static GtkSizeRequestMode
ak_endpoint_picker_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
ak_endpoint_picker_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  AkEndpointPicker *self = AK_ENDPOINT_PICKER (widget);

  gtk_widget_allocate (self->frame, width, height, baseline, NULL);
  gtk_popover_present (self->popover);
}

static void
ak_endpoint_picker_class_init (AkEndpointPickerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ak_endpoint_picker_dispose;
  widget_class->get_request_mode = ak_endpoint_picker_get_request_mode;
  widget_class->measure = ak_ui_measure_content_child;
  widget_class->size_allocate = ak_endpoint_picker_size_allocate;
  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ak-endpoint-picker.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AkEndpointPicker, name)
  BIND (frame);
  BIND (button);
  BIND (product_label);
  BIND (name_label);
  BIND (line_label);
  BIND (popover);
  BIND (search);
  BIND (scroller);
  BIND (list);
  BIND (empty_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, open_popover);
  gtk_widget_class_bind_template_callback (widget_class, popover_shown);
  gtk_widget_class_bind_template_callback (widget_class, popover_closed);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, search_activated);
  gtk_widget_class_bind_template_callback (widget_class, stop_search);
  gtk_widget_class_bind_template_callback (widget_class, row_activated);
}

static void
ak_endpoint_picker_init (AkEndpointPicker *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  guint n;
  const AkEndpoint *all = ak_rest_catalogue_get (&n);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The catalogue's rows, "Custom request" first. */
  gtk_list_box_append (self->list, endpoint_row_new (NULL));
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->list, endpoint_row_new (&all[i]));
  gtk_list_box_set_header_func (self->list, update_header, NULL, NULL);
  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (search_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search), keys);
  /* Typing while a row has the focus goes on searching (GTK 4.8 has no property for this). */
  gtk_search_entry_set_key_capture_widget (self->search, GTK_WIDGET (self->popover));
  update_button (self, NULL);
}
