/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-clipboard.h"
#include "ak-expiry-row.h"
#include "ak-serve-view.h"
#include "ak-token-generator-private.h"
#include "ak-tokens-page.h"
#include "ak-ui-util.h"

struct _AkTokensPage
{
  AdwBin parent_instance;

  /* template widgets */
  GtkStack *stack;
  GtkDropDown *view_dropdown;
  GtkStack *recent_stack;
  GtkListBox *recent_list;
  AkTokenGenerator *generator;
  AkTokenDecoder *decoder;
  AkTokenDoctorView *doctor_view;
  AkServeView *serve_view;

  /* owned */
  AkTokenHistory *history;
  AkTicker *ticker;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (AkTokensPage, ak_tokens_page, ADW_TYPE_BIN)

#define ENTRY_KEY "ak-token-entry"

static AkTokenEntry *
row_entry (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, AK_TYPE_EXPIRY_ROW);

  return row != NULL ? g_object_get_data (G_OBJECT (row), ENTRY_KEY) : NULL;
}

static void
copy_clicked (GtkButton    *button,
              AkTokensPage *self)
{
  AkTokenEntry *entry = row_entry (GTK_WIDGET (button));

  if (entry != NULL)
    ak_clipboard_copy (GTK_WIDGET (self), ak_token_entry_get_token (entry), TRUE,
                       g_settings_get_uint (self->settings, "clipboard-clear-seconds"));
}

static void
open_clicked (GtkButton    *button,
              AkTokensPage *self)
{
  AkTokenEntry *entry = row_entry (GTK_WIDGET (button));

  if (entry != NULL)
    ak_tokens_page_decode (self, ak_token_entry_get_token (entry));
}

static GtkWidget *
suffix_button (const char *icon,
               const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

/* Each recent token is an expiry row with its own countdown, plus copy and open buttons. */
static GtkWidget *
create_recent_row (gpointer item,
                   gpointer user_data)
{
  AkTokensPage *self = user_data;
  AkTokenEntry *entry = item;
  g_autoptr(AkExpiry) expiry = ak_expiry_new (ak_token_entry_get_description (entry),
                                              ak_token_entry_get_issued_at (entry),
                                              ak_token_entry_get_expires_at (entry));
  GtkWidget *row = ak_expiry_row_new (expiry, self->ticker);
  GtkWidget *copy = suffix_button ("edit-copy-symbolic", _("Copy token"));
  GtkWidget *open = suffix_button ("edit-find-symbolic", _("Open in decoder"));

  g_object_set_data_full (G_OBJECT (row), ENTRY_KEY, g_object_ref (entry), g_object_unref);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked), self);
  g_signal_connect (open, "clicked", G_CALLBACK (open_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  return row;
}

static void
history_changed (AkTokensPage *self)
{
  gtk_stack_set_visible_child_name (self->recent_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->history)) > 0
                                      ? "list" : "empty");
}

static void
decode_requested (AkTokensPage *self,
                  const char   *text)
{
  ak_tokens_page_decode (self, text);
}

static void
diagnose_requested (AkTokensPage *self,
                    const char   *text)
{
  ak_tokens_page_diagnose (self, text);
}

/* A finding's corrected inputs, in Generate, with the project whose App ID the token has. */
static void
generate_requested (AkTokensPage             *self,
                    const AkTokenRequestText *request,
                    const char               *project_label)
{
  guint position = project_label != NULL
                     ? ak_token_generator_find_project (self->generator, project_label)
                     : G_MAXUINT;

  if (position != G_MAXUINT)
    ak_token_generator_select (self->generator, "project", position);
  ak_token_generator_fill (self->generator, request);
  ak_tokens_page_show (self, "generate");
}

/* ---------------------------------------------------------------------------------------------
 * The narrow switcher: a drop-down of the stack's pages, kept in step with the tabs
 */

static void
setup_view_label (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  ak_ui_list_item_set_start_label (item);
}

static void
bind_view_label (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkStackPage *page = gtk_list_item_get_item (item);
  g_autofree char *title = NULL;

  g_object_get (page, "title", &title, NULL);
  /* The titles carry the tabs' mnemonics, which mean nothing in a list. */
  gtk_label_set_text_with_mnemonic (GTK_LABEL (gtk_list_item_get_child (item)),
                                    title != NULL ? title : "");
}

static void
view_chosen (AkTokensPage *self)
{
  guint position = gtk_drop_down_get_selected (self->view_dropdown);
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->stack);

  if (position != GTK_INVALID_LIST_POSITION && !gtk_selection_model_is_selected (pages, position))
    gtk_selection_model_select_item (pages, position, TRUE);
}

static void
view_shown (AkTokensPage *self)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n; i++)
    if (gtk_selection_model_is_selected (pages, i)
        && gtk_drop_down_get_selected (self->view_dropdown) != i)
      gtk_drop_down_set_selected (self->view_dropdown, i);
}

static void
setup_view_dropdown (AkTokensPage *self)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->stack);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_view_label), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_view_label), NULL);
  gtk_drop_down_set_factory (self->view_dropdown, factory);
  gtk_drop_down_set_model (self->view_dropdown, G_LIST_MODEL (pages));
  view_shown (self);
  g_signal_connect_object (self->view_dropdown, "notify::selected", G_CALLBACK (view_chosen),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (view_shown), self,
                           G_CONNECT_SWAPPED);
}

void
ak_tokens_page_set_context (AkTokensPage *self,
                            AkContext    *context)
{
  g_return_if_fail (AK_IS_TOKENS_PAGE (self));
  g_return_if_fail (self->history == NULL);

  self->settings = g_object_ref (ak_context_get_settings (context));
  self->ticker = g_object_ref (ak_context_get_ticker (context));
  self->history = g_object_ref (ak_context_get_token_history (context));
  g_signal_connect_object (self->history, "items-changed", G_CALLBACK (history_changed), self,
                           G_CONNECT_SWAPPED);
  ak_token_generator_set_context (self->generator, context);
  ak_token_decoder_set_context (self->decoder, context);
  ak_token_doctor_view_set_context (self->doctor_view, context);
  ak_serve_view_set_context (self->serve_view, context);
  gtk_list_box_bind_model (self->recent_list, G_LIST_MODEL (self->history), create_recent_row,
                           self, NULL);
  history_changed (self);
}

void
ak_tokens_page_show (AkTokensPage *self,
                     const char   *view)
{
  gtk_stack_set_visible_child_name (self->stack, view);
}

const char *
ak_tokens_page_get_view (AkTokensPage *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

void
ak_tokens_page_decode (AkTokensPage *self,
                       const char   *text)
{
  ak_token_decoder_set_text (self->decoder, text);
  ak_tokens_page_show (self, "decode");
}

void
ak_tokens_page_diagnose (AkTokensPage *self,
                         const char   *text)
{
  ak_token_doctor_view_set_token (self->doctor_view, text);
  ak_tokens_page_show (self, "diagnose");
}

AkTokenGenerator *
ak_tokens_page_get_generator (AkTokensPage *self)
{
  return self->generator;
}

AkTokenDecoder *
ak_tokens_page_get_decoder (AkTokensPage *self)
{
  return self->decoder;
}

AkTokenDoctorView *
ak_tokens_page_get_doctor_view (AkTokensPage *self)
{
  return self->doctor_view;
}

AkServeView *
ak_tokens_page_get_serve_view (AkTokensPage *self)
{
  return self->serve_view;
}

AkTokenHistory *
ak_tokens_page_get_history (AkTokensPage *self)
{
  return self->history;
}

static void
ak_tokens_page_dispose (GObject *object)
{
  AkTokensPage *self = AK_TOKENS_PAGE (object);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AK_TYPE_TOKENS_PAGE);
  g_clear_object (&self->history);
  g_clear_object (&self->ticker);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ak_tokens_page_parent_class)->dispose (object);
}

static void
ak_tokens_page_class_init (AkTokensPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_tokens_page_dispose;

  g_type_ensure (AK_TYPE_TOKEN_GENERATOR);
  g_type_ensure (AK_TYPE_TOKEN_DECODER);
  g_type_ensure (AK_TYPE_TOKEN_DOCTOR_VIEW);
  g_type_ensure (AK_TYPE_SERVE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-tokens-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AkTokensPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AkTokensPage, view_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AkTokensPage, recent_stack);
  gtk_widget_class_bind_template_child (widget_class, AkTokensPage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, AkTokensPage, generator);
  gtk_widget_class_bind_template_child (widget_class, AkTokensPage, decoder);
  gtk_widget_class_bind_template_child (widget_class, AkTokensPage, doctor_view);
  gtk_widget_class_bind_template_child (widget_class, AkTokensPage, serve_view);
}

static void
ak_tokens_page_init (AkTokensPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->generator, "decode-requested", G_CALLBACK (decode_requested),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->decoder, "diagnose-requested", G_CALLBACK (diagnose_requested),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->doctor_view, "generate-requested",
                           G_CALLBACK (generate_requested), self, G_CONNECT_SWAPPED);
  setup_view_dropdown (self);
}

/* A credential row's "Generate Token…": the Generate view with @project chosen. */
void
ak_tokens_page_generate_for_project (AkTokensPage *self,
                                     AkCredential *project)
{
  g_return_if_fail (AK_IS_TOKENS_PAGE (self));

  ak_tokens_page_show (self, "generate");
  ak_token_generator_select_project (ak_tokens_page_get_generator (self), project);
}
