/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-context.h"
#include "ak-credentials-page.h"
#include "ak-requests-page-private.h"
#include "ak-requests-page.h"
#include "ak-ticker.h"
#include "ak-token-generator-private.h"
#include "ak-tokens-page.h"
#include "ak-ui-util.h"
#include "ak-window-private.h"

struct _AkWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar *switcher_bar;
  AdwViewStack *stack;
  GtkRevealer *keyring_banner;
  GtkLabel *keyring_label;
  GtkButton *unlock_button;
  AkCredentialsPage *credentials_page;
  AdwBin *tokens_slot;
  AdwBin *requests_slot;

  /* owned */
  AkContext *context;

  /* borrowed: built on first use, inside tokens_slot */
  AkTokensPage *tokens_page;
  AkRequestsPage *requests_page;
  GCancellable *cancellable;
  GSettings *settings;

  /* borrowed */
  AkCredentialStore *store;
  /* unowned (weak): built when first asked for */
  GtkWindow *shortcuts_window;
};

G_DEFINE_FINAL_TYPE (AkWindow, ak_window, ADW_TYPE_APPLICATION_WINDOW)

static void ak_window_setup (AkWindow *self, AkApplication *app);

AkWindow *
ak_window_new (AkApplication *application)
{
  AkWindow *self = g_object_new (AK_TYPE_WINDOW, "application", application, NULL);

  /* "application" is not a construct property, so it is only set after constructed(). */
  ak_window_setup (self, application);
  return self;
}

void
ak_window_add_toast (AkWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (AK_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

AkCredentialsPage *
ak_window_get_credentials_page (AkWindow *self)
{
  return self->credentials_page;
}

/* The Tokens page is built the first time it is shown, so that opening the window costs
 * only what the first page needs. */
AkTokensPage *
ak_window_get_tokens_page (AkWindow *self)
{
  if (self->tokens_page == NULL)
    {
      self->tokens_page = g_object_new (AK_TYPE_TOKENS_PAGE, NULL);
      ak_tokens_page_set_context (self->tokens_page, self->context);
      adw_bin_set_child (self->tokens_slot, GTK_WIDGET (self->tokens_page));
    }
  return self->tokens_page;
}

AkRequestsPage *
ak_window_get_requests_page (AkWindow *self)
{
  if (self->requests_page == NULL)
    {
      self->requests_page = g_object_new (AK_TYPE_REQUESTS_PAGE, NULL);
      ak_requests_page_set_context (self->requests_page, self->context);
      adw_bin_set_child (self->requests_slot, GTK_WIDGET (self->requests_page));
    }
  return self->requests_page;
}

static void
visible_page_changed (AkWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (name, "tokens") == 0)
    ak_window_get_tokens_page (self);
  else if (g_strcmp0 (name, "requests") == 0)
    ak_window_get_requests_page (self);
}

AkTicker *
ak_window_get_ticker (AkWindow *self)
{
  return ak_context_get_ticker (self->context);
}

GtkWidget *
ak_window_get_keyring_banner (AkWindow *self)
{
  return GTK_WIDGET (self->keyring_banner);
}

const char *
ak_window_get_keyring_message (AkWindow *self)
{
  return gtk_label_get_text (self->keyring_label);
}

/* Session-only, locked and collection-less keyrings get a banner that says so, never a
 * silent fallback nor an empty list that looks like no credentials. */
static void
update_keyring_banner (AkWindow *self)
{
  AkKeyringState state = ak_credential_store_get_state (self->store);
  gboolean show = state == AK_KEYRING_STATE_LOCKED || state == AK_KEYRING_STATE_SESSION_ONLY
                  || state == AK_KEYRING_STATE_NO_COLLECTION;

  if (show)
    gtk_label_set_text (self->keyring_label, ak_credential_store_get_state_message (self->store));
  gtk_widget_set_visible (GTK_WIDGET (self->unlock_button), state == AK_KEYRING_STATE_LOCKED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.unlock",
                                 state == AK_KEYRING_STATE_LOCKED);
  gtk_revealer_set_reveal_child (self->keyring_banner, show);
}

static void
store_state_changed (AkWindow *self)
{
  update_keyring_banner (self);
}

static void
store_loaded (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ak_credential_store_load_finish (AK_CREDENTIAL_STORE (object), result, &error))
    ak_ui_show_error_toast_unless_cancelled (GTK_WIDGET (self), error);
  update_keyring_banner (self);
}

static void
store_unlocked (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ak_credential_store_unlock_finish (AK_CREDENTIAL_STORE (object), result, &error))
    {
      ak_ui_show_error_toast_unless_cancelled (GTK_WIDGET (self), error);
      return;
    }
  ak_window_add_toast (self, adw_toast_new (_("Keyring unlocked")));
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AkWindow *self = AK_WINDOW (widget);

  ak_credential_store_unlock_async (self->store, self->cancellable, store_unlocked,
                                    g_object_ref (self));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AkWindow *self = AK_WINDOW (widget);
  GtkWidget *page;

  adw_view_stack_set_visible_child_name (self->stack, g_variant_get_string (parameter, NULL));
  /* Focus left in the header would make Enter open Add Project. */
  page = adw_view_stack_get_visible_child (self->stack);
  if (page != NULL)
    ak_ui_focus_first_field (page);
}

static void
tokens_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AkWindow *self = AK_WINDOW (widget);

  AkTokensPage *page = ak_window_get_tokens_page (self);

  adw_view_stack_set_visible_child_name (self->stack, "tokens");
  if (g_str_equal (action_name, "win.paste-token"))
    {
      ak_tokens_page_show (page, "decode");
      ak_token_decoder_paste (ak_tokens_page_get_decoder (page));
    }
  else
    {
      ak_tokens_page_show (page, "generate");
    }
}

/* A row's "Generate Token…": Tokens › Generate with that project chosen. */
static void
generate_token_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AkWindow *self = AK_WINDOW (widget);
  AkCredential *project = ak_credential_store_find_by_id (self->store,
                                                          g_variant_get_string (parameter,
                                                                                NULL));

  if (project == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->stack, "tokens");
  ak_tokens_page_generate_for_project (ak_window_get_tokens_page (self), project);
}

/* Ctrl+Shift+C: the result of the page on show. The generated token, the decoded token as
 * JSON, or the response body; a bell when there is none yet. */
static void
copy_result_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AkWindow *self = AK_WINDOW (widget);
  const char *page = adw_view_stack_get_visible_child_name (self->stack);
  guint clear_seconds = g_settings_get_uint (self->settings, "clipboard-clear-seconds");
  gboolean copied = FALSE;

  if (g_strcmp0 (page, "tokens") == 0)
    {
      AkTokensPage *tokens = ak_window_get_tokens_page (self);
      const char *view = ak_tokens_page_get_view (tokens);

      if (g_strcmp0 (view, "generate") == 0)
        copied = gtk_widget_activate_action (GTK_WIDGET (ak_tokens_page_get_generator (tokens)),
                                             "generator.copy", NULL)
                 && ak_token_generator_get_token (ak_tokens_page_get_generator (tokens)) != NULL;
      else if (g_strcmp0 (view, "decode") == 0)
        copied = ak_token_decoder_copy_json (ak_tokens_page_get_decoder (tokens));
    }
  else if (g_strcmp0 (page, "requests") == 0)
    copied = ak_response_view_copy_body (
      ak_requests_page_get_response_view (ak_window_get_requests_page (self)), clear_seconds);

  if (!copied)
    gtk_widget_error_bell (widget);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AkWindow *self = AK_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, "credentials");
  if (g_str_equal (action_name, "win.add-project"))
    ak_credentials_page_add (self->credentials_page, AK_CREDENTIAL_PROJECT);
  else if (g_str_equal (action_name, "win.add-customer"))
    ak_credentials_page_add (self->credentials_page, AK_CREDENTIAL_CUSTOMER);
  else if (g_str_equal (action_name, "win.import"))
    ak_credentials_page_import (self->credentials_page);
  else if (g_str_equal (action_name, "win.search"))
    ak_credentials_page_focus_search (self->credentials_page);
}

/* A switcher with a single page would be a lone button: show the plain title until the
 * Tokens and Requests pages exist. */
static void
update_switcher (AkWindow *self)
{
  GtkSelectionModel *pages = adw_view_stack_get_pages (self->stack);
  gboolean several = g_list_model_get_n_items (G_LIST_MODEL (pages)) > 1;

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, several);
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    several
                                    && adw_view_switcher_title_get_title_visible (self->switcher_title));
  g_object_unref (pages);
}

static gboolean
ak_window_close_request (GtkWindow *window)
{
  AkWindow *self = AK_WINDOW (window);
  int width;
  int height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (ak_window_parent_class)->close_request (window);
}

static void
ak_window_setup (AkWindow      *self,
                 AkApplication *app)
{
  self->settings = g_object_ref (ak_application_get_settings (app));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->store = ak_application_get_store (app);
  self->context = ak_context_new (self->store, self->settings,
                                  ak_application_get_rest_client (app),
                                  ak_application_get_rest_history (app));
  g_signal_connect_object (self->store, "notify::state", G_CALLBACK (store_state_changed), self,
                           G_CONNECT_SWAPPED);
  ak_credentials_page_set_context (self->credentials_page, self->context);

  update_keyring_banner (self);
  update_switcher (self);
  if (ak_credential_store_get_state (self->store) == AK_KEYRING_STATE_UNKNOWN)
    ak_credential_store_load_async (self->store, self->cancellable, store_loaded,
                                    g_object_ref (self));
}

/* Ctrl+?: the shortcuts window. Not gtk/help-overlay.ui, which GtkApplication would build
 * for every window at start-up (a megabyte for a window most people never open). */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AkWindow *self = AK_WINDOW (widget);

  if (self->shortcuts_window == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource (RESOURCE_PATH "/ak-shortcuts-window.ui");

      g_set_weak_pointer (&self->shortcuts_window,
                          GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
      gtk_window_set_transient_for (self->shortcuts_window, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->shortcuts_window, TRUE);
    }
  gtk_window_present (self->shortcuts_window);
}

static void
ak_window_dispose (GObject *object)
{
  AkWindow *self = AK_WINDOW (object);

  if (self->shortcuts_window != NULL)
    gtk_window_destroy (self->shortcuts_window);
  g_clear_weak_pointer (&self->shortcuts_window);

  g_cancellable_cancel (self->cancellable);
  /* The content is a bound template child: detach it before the template lets go of it. */
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AK_TYPE_WINDOW);
  G_OBJECT_CLASS (ak_window_parent_class)->dispose (object);
}

static void
ak_window_finalize (GObject *object)
{
  AkWindow *self = AK_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (ak_window_parent_class)->finalize (object);
}

static void
ak_window_class_init (AkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ak_window_dispose;
  object_class->finalize = ak_window_finalize;
  window_class->close_request = ak_window_close_request;

  g_type_ensure (AK_TYPE_CREDENTIALS_PAGE);

  ak_ui_fix_mnemonic_names ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AkWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, AkWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, AkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AkWindow, keyring_banner);
  gtk_widget_class_bind_template_child (widget_class, AkWindow, keyring_label);
  gtk_widget_class_bind_template_child (widget_class, AkWindow, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, AkWindow, credentials_page);
  gtk_widget_class_bind_template_child (widget_class, AkWindow, tokens_slot);
  gtk_widget_class_bind_template_child (widget_class, AkWindow, requests_slot);

  gtk_widget_class_install_action (widget_class, "win.add-project", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "win.add-customer", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "win.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.new-token", NULL, tokens_action);
  gtk_widget_class_install_action (widget_class, "win.generate-token", "s",
                                   generate_token_action);
  gtk_widget_class_install_action (widget_class, "win.paste-token", NULL, tokens_action);
  gtk_widget_class_install_action (widget_class, "win.copy-result", NULL, copy_result_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_shortcuts_action);
}

/* Called once by the application at start-up; the window's actions are per widget class. */
void
ak_window_set_accels (GtkApplication *application)
{
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "win.add-project", { "<Control>n", NULL } },
    { "win.add-customer", { "<Control><Shift>n", NULL } },
    { "win.import", { "<Control>o", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.show-page::credentials", { "<Control>1", "<Alt>1", NULL } },
    { "win.show-page::tokens", { "<Control>2", "<Alt>2", NULL } },
    { "win.show-page::requests", { "<Control>3", "<Alt>3", NULL } },
    { "win.new-token", { "<Control>t", NULL } },
    { "win.paste-token", { "<Control><Shift>v", NULL } },
    { "win.copy-result", { "<Control><Shift>c", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (application, accels[i].action, accels[i].accels);
}

static void
ak_window_init (AkWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (visible_page_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (update_switcher), self, G_CONNECT_SWAPPED);
}
