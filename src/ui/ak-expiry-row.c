/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "ak-clock.h"
#include "ak-expiry-row.h"

struct _AkExpiryRow
{
  AdwActionRow parent_instance;

  /* owned */
  AkExpiry *expiry;
  /* The privilege that ends first, when it matters more than the token's own end. */
  AkExpiry *privilege;
  AkTicker *ticker;
  gulong tick_handler;

  /* children */
  GtkLabel *countdown;
  GtkImage *icon;

  AkExpiryState state;
};

G_DEFINE_FINAL_TYPE (AkExpiryRow, ak_expiry_row, ADW_TYPE_ACTION_ROW)

static const char * const state_classes[] = { "dim-label", "success", "warning", "error" };

/* Colour is never the only signal: each state has its own icon and words too. */
static void
update (AkExpiryRow *self,
        gint64       now)
{
  g_autofree char *absolute = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *countdown = NULL;
  g_autofree char *subtitle = NULL;
  const char *icon_name;
  const char *state_text;
  const AkExpiry *first;

  if (self->expiry == NULL)
    return;

  /* With privileges, the row counts down to whichever ends first, and its title names both. */
  first = self->privilege != NULL && self->privilege->expires_at < self->expiry->expires_at
            ? self->privilege : self->expiry;
  if (self->privilege != NULL)
    {
      g_autofree char *title = ak_expiry_format_earliest (self->expiry, self->privilege, now);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
    }
  absolute = ak_expiry_format_absolute (first);
  relative = ak_expiry_format_relative (first, now);
  countdown = ak_expiry_format_countdown (first, now);
  self->state = ak_expiry_get_state (first, now);

  switch (self->state)
    {
    case AK_EXPIRY_NEVER:
      icon_name = "emblem-ok-symbolic";
      state_text = _("Never expires");
      break;
    case AK_EXPIRY_FRESH:
      icon_name = "emblem-ok-symbolic";
      state_text = _("Valid");
      break;
    case AK_EXPIRY_WARNING:
      icon_name = "dialog-warning-symbolic";
      state_text = _("Expires soon");
      break;
    case AK_EXPIRY_EXPIRED:
    default:
      icon_name = "dialog-error-symbolic";
      state_text = _("Expired");
      break;
    }

  subtitle = self->state == AK_EXPIRY_NEVER ? g_strdup (relative)
                                            : g_strdup_printf ("%s · %s", absolute, relative);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_label_set_text (self->countdown, countdown);
  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->icon), state_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  state_text, -1);

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->countdown), state_classes[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->icon), state_classes[i]);
    }
  gtk_widget_add_css_class (GTK_WIDGET (self->countdown), state_classes[self->state]);
  gtk_widget_add_css_class (GTK_WIDGET (self->icon), state_classes[self->state]);
}

static void
ticked (AkTicker    *ticker,
        gint64       now,
        AkExpiryRow *self)
{
  update (self, now);
}

/* Only rows on screen keep the clock running. */
static void
ak_expiry_row_map (GtkWidget *widget)
{
  AkExpiryRow *self = AK_EXPIRY_ROW (widget);

  GTK_WIDGET_CLASS (ak_expiry_row_parent_class)->map (widget);
  update (self, ak_clock_now_unix ());
  if (self->ticker != NULL && self->tick_handler == 0)
    {
      self->tick_handler = g_signal_connect (self->ticker, "tick", G_CALLBACK (ticked), self);
      ak_ticker_hold (self->ticker);
    }
}

static void
ak_expiry_row_unmap (GtkWidget *widget)
{
  AkExpiryRow *self = AK_EXPIRY_ROW (widget);

  if (self->tick_handler != 0)
    {
      g_clear_signal_handler (&self->tick_handler, self->ticker);
      ak_ticker_release (self->ticker);
    }
  GTK_WIDGET_CLASS (ak_expiry_row_parent_class)->unmap (widget);
}

GtkWidget *
ak_expiry_row_new (const AkExpiry *expiry,
                   AkTicker       *ticker)
{
  AkExpiryRow *self = g_object_new (AK_TYPE_EXPIRY_ROW, NULL);

  self->ticker = ticker != NULL ? g_object_ref (ticker) : NULL;
  ak_expiry_row_set_expiry (self, expiry);
  return GTK_WIDGET (self);
}

void
ak_expiry_row_set_expiry (AkExpiryRow    *self,
                          const AkExpiry *expiry)
{
  g_return_if_fail (AK_IS_EXPIRY_ROW (self));

  g_clear_pointer (&self->expiry, ak_expiry_free);
  self->expiry = expiry != NULL ? ak_expiry_copy (expiry) : NULL;
  if (expiry != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), expiry->label);
  update (self, ak_clock_now_unix ());
}

/* Makes the row count down to @privilege when it ends before the token; %NULL undoes it. */
void
ak_expiry_row_set_first_privilege (AkExpiryRow    *self,
                                   const AkExpiry *privilege)
{
  g_return_if_fail (AK_IS_EXPIRY_ROW (self));

  g_clear_pointer (&self->privilege, ak_expiry_free);
  self->privilege = privilege != NULL ? ak_expiry_copy (privilege) : NULL;
  if (privilege == NULL && self->expiry != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), self->expiry->label);
  update (self, ak_clock_now_unix ());
}

AkExpiryState
ak_expiry_row_get_state (AkExpiryRow *self)
{
  return self->state;
}

const char *
ak_expiry_row_get_countdown (AkExpiryRow *self)
{
  return gtk_label_get_text (self->countdown);
}

static void
ak_expiry_row_dispose (GObject *object)
{
  AkExpiryRow *self = AK_EXPIRY_ROW (object);

  if (self->tick_handler != 0)
    {
      g_clear_signal_handler (&self->tick_handler, self->ticker);
      ak_ticker_release (self->ticker);
    }
  g_clear_object (&self->ticker);
  g_clear_pointer (&self->expiry, ak_expiry_free);
  g_clear_pointer (&self->privilege, ak_expiry_free);
  G_OBJECT_CLASS (ak_expiry_row_parent_class)->dispose (object);
}

static void
ak_expiry_row_class_init (AkExpiryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ak_expiry_row_dispose;
  widget_class->map = ak_expiry_row_map;
  widget_class->unmap = ak_expiry_row_unmap;
}

static void
ak_expiry_row_init (AkExpiryRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->countdown = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->countdown), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->countdown), "ak-countdown");
  self->icon = GTK_IMAGE (gtk_image_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->countdown));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->icon));
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), box);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
}
