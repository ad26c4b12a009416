/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-credential-row.h"
#include "ak-credentials-page.h"

struct _AkCredentialRow
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkImage *icon;
  GtkLabel *title;
  GtkLabel *subtitle;
  GtkButton *copy_id_button;
  GtkMenuButton *menu_button;

  /* owned */
  AkCredential *credential;
  GBinding *title_binding;
};

G_DEFINE_FINAL_TYPE (AkCredentialRow, ak_credential_row, GTK_TYPE_WIDGET)

GtkWidget *
ak_credential_row_new (void)
{
  return g_object_new (AK_TYPE_CREDENTIAL_ROW, NULL);
}

static void
update_subtitle (AkCredentialRow *self)
{
  AkCredential *credential = self->credential;
  g_autofree char *text = NULL;

  if (credential == NULL)
    return;

  if (ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT)
    /* Translators: the subtitle of a project in the list; %s is its App ID */
    text = g_strdup_printf (_("Project · App ID %s"), ak_credential_get_app_id (credential));
  else
    /* Translators: the subtitle of a customer credential; %s is its Customer ID */
    text = g_strdup_printf (_("Customer credential · %s"),
                            ak_credential_get_customer_id (credential));
  gtk_label_set_text (self->subtitle, text);
}

/* "Demo, project": what a screen reader says for the row, and for the list item holding it
 * (GTK 4.8 names neither from their children). */
static void
update_name (AkCredentialRow *self)
{
  g_autofree char *name = NULL;
  GtkWidget *holder = gtk_widget_get_parent (GTK_WIDGET (self));

  if (self->credential == NULL)
    return;

  if (ak_credential_get_kind (self->credential) == AK_CREDENTIAL_PROJECT)
    /* Translators: the accessible name of a row; %s is the project's label */
    name = g_strdup_printf (_("%s, project"), ak_credential_get_label (self->credential));
  else
    /* Translators: the accessible name of a row; %s is the credential's label */
    name = g_strdup_printf (_("%s, customer credential"),
                            ak_credential_get_label (self->credential));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  if (holder != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (holder), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    name, -1);
}

static void
update_actions (AkCredentialRow *self)
{
  gboolean project = self->credential != NULL
                     && ak_credential_get_kind (self->credential) == AK_CREDENTIAL_PROJECT;
  gboolean customer = self->credential != NULL && !project;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-primary", project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-secondary",
                                 project && ak_credential_get_has_secondary (self->credential));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-customer-secret", customer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.generate-token", project);
}

void
ak_credential_row_set_credential (AkCredentialRow *self,
                                  AkCredential    *credential)
{
  gboolean project;
  const char *copy_label;

  g_return_if_fail (AK_IS_CREDENTIAL_ROW (self));

  if (self->credential != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->credential, self);
      g_clear_pointer (&self->title_binding, g_binding_unbind);
    }
  g_set_object (&self->credential, credential);
  if (credential == NULL)
    return;

  project = ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT;
  self->title_binding = g_object_bind_property (credential, "label", self->title, "label",
                                                G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (credential, "notify::app-id", G_CALLBACK (update_subtitle), self);
  g_signal_connect_swapped (credential, "notify::customer-id", G_CALLBACK (update_subtitle), self);
  g_signal_connect_swapped (credential, "notify::has-secondary",
                            G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (credential, "notify::label", G_CALLBACK (update_name), self);
  update_subtitle (self);
  update_name (self);

  gtk_image_set_from_icon_name (self->icon, project ? "applications-science-symbolic"
                                                    : "avatar-default-symbolic");
  copy_label = project ? _("Copy App ID") : _("Copy Customer ID");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_id_button), copy_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_id_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label, -1);

  update_actions (self);
}

/* Row actions forward to the page, which owns the store and the dialogs. */
static AkCredentialsPage *
get_page (AkCredentialRow *self)
{
  return AK_CREDENTIALS_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (self),
                                                       AK_TYPE_CREDENTIALS_PAGE));
}

static void
row_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AkCredentialRow *self = AK_CREDENTIAL_ROW (widget);
  AkCredentialsPage *page = get_page (self);

  if (page == NULL || self->credential == NULL)
    return;

  if (g_str_equal (action_name, "row.edit"))
    ak_credentials_page_edit (page, self->credential);
  else if (g_str_equal (action_name, "row.copy-id"))
    ak_credentials_page_copy_id (page, self->credential);
  else if (g_str_equal (action_name, "row.delete"))
    ak_credentials_page_delete (page, self->credential);
  else if (g_str_equal (action_name, "row.copy-secondary"))
    ak_credentials_page_copy_secret (page, self->credential, AK_SECRET_SECONDARY_CERTIFICATE);
  else if (g_str_equal (action_name, "row.copy-primary"))
    ak_credentials_page_copy_secret (page, self->credential, AK_SECRET_PRIMARY_CERTIFICATE);
  else if (g_str_equal (action_name, "row.copy-customer-secret"))
    ak_credentials_page_copy_secret (page, self->credential, AK_SECRET_CUSTOMER_SECRET);
  else if (g_str_equal (action_name, "row.generate-token"))
    gtk_widget_activate_action (widget, "win.generate-token", "s",
                                ak_credential_get_id (self->credential));
}

static void
ak_credential_row_dispose (GObject *object)
{
  AkCredentialRow *self = AK_CREDENTIAL_ROW (object);
  GtkWidget *child;

  ak_credential_row_set_credential (self, NULL);
  /* A plain GtkWidget owns its children directly, bound or not. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (self), AK_TYPE_CREDENTIAL_ROW);
  G_OBJECT_CLASS (ak_credential_row_parent_class)->dispose (object);
}

/* GtkListView (GTK 4.8) makes up to 200 rows before it knows its height, so rows must be
 * cheap: the popover menu is only built when it is first opened. */
static void
create_menu_popup (GtkMenuButton *button,
                   gpointer       user_data)
{
  static GMenuModel *menu = NULL;

  if (menu == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource (RESOURCE_PATH "/ak-credential-row-menu.ui");

      menu = g_object_ref (G_MENU_MODEL (gtk_builder_get_object (builder, "row_menu")));
    }
  gtk_menu_button_set_menu_model (button, menu);
}

static void
ak_credential_row_class_init (AkCredentialRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_credential_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ak-credential-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AkCredentialRow, icon);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialRow, title);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialRow, subtitle);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialRow, copy_id_button);
  gtk_widget_class_bind_template_child (widget_class, AkCredentialRow, menu_button);

  gtk_widget_class_install_action (widget_class, "row.edit", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.copy-id", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.copy-primary", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.copy-secondary", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.copy-customer-secret", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.delete", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.generate-token", NULL, row_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "akcredentialrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ak_credential_row_init (AkCredentialRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_popup, NULL, NULL);
  update_actions (self);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              12);
}
