/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ak-clipboard-private.h"
#include "ak-clipboard.h"
#include "ak-ui-util.h"

/* After gtk.h, which says which backends this GTK has. */
#ifdef GDK_WINDOWING_WAYLAND
#include <gdk/wayland/gdkwayland.h>
#endif

#define PENDING_KEY "ak-clipboard-pending"

/* One pending clear per clipboard: a later copy replaces the earlier one. */
typedef struct
{
  GdkClipboard *clipboard; /* borrowed: the pending state is attached to it */
  GdkContentProvider *provider;
  GtkWindow *window; /* weak */
  guint timeout_id;
  gulong active_handler;
} PendingClear;

/* Every pending clear of the process (borrowed: each is owned by its clipboard), for quit. */
static GPtrArray *all_pending;

static void
pending_clear_free (gpointer data)
{
  PendingClear *pending = data;

  g_ptr_array_remove_fast (all_pending, pending);
  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  if (pending->window != NULL)
    {
      g_clear_signal_handler (&pending->active_handler, pending->window);
      g_object_remove_weak_pointer (G_OBJECT (pending->window), (gpointer *) &pending->window);
    }
  g_clear_object (&pending->provider);
  g_free (pending);
}

/* Only clear what is still ours: if the user copied something else since, leave it. */
static void
clear_if_ours (PendingClear *pending)
{
  if (gdk_clipboard_get_content (pending->clipboard) == pending->provider)
    gdk_clipboard_set_content (pending->clipboard, NULL);
  g_object_set_data (G_OBJECT (pending->clipboard), PENDING_KEY, NULL);
}

static void
window_active_changed (GtkWindow    *window,
                       GParamSpec   *pspec,
                       PendingClear *pending)
{
  if (gtk_window_is_active (window))
    clear_if_ours (pending);
}

/* Whether a clear made now takes effect. On X11 the app owns the selection and gives it up
 * whenever it likes, focused or not. A Wayland compositor takes a new selection only from the
 * client that has the keyboard focus (it checks the serial of a recent input event), so an
 * unfocused window's clear could leave the secret with the compositor while the app believes
 * the clipboard empty: there, and only there, the clear waits until the window is active. */
static gboolean
can_clear_now (PendingClear *pending)
{
  if (pending->window == NULL || gtk_window_is_active (pending->window))
    return TRUE;
#ifdef GDK_WINDOWING_WAYLAND
  if (GDK_IS_WAYLAND_DISPLAY (gdk_clipboard_get_display (pending->clipboard)))
    return FALSE;
#endif
  return TRUE;
}

static gboolean
clear_timeout (gpointer data)
{
  PendingClear *pending = data;

  pending->timeout_id = 0;
  if (gdk_clipboard_get_content (pending->clipboard) == pending->provider
      && !can_clear_now (pending))
    {
      pending->active_handler = g_signal_connect (pending->window, "notify::is-active",
                                                  G_CALLBACK (window_active_changed), pending);
      return G_SOURCE_REMOVE;
    }

  clear_if_ours (pending);
  return G_SOURCE_REMOVE;
}

static GdkContentProvider *
make_provider (const char *text,
               gboolean    secret)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  GdkContentProvider *providers[3];
  guint n = 0;

  providers[n++] = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", bytes);
  providers[n++] = gdk_content_provider_new_for_bytes ("text/plain", bytes);
  if (secret)
    {
      g_autoptr(GBytes) hint = g_bytes_new_static ("secret", strlen ("secret"));

      providers[n++] = gdk_content_provider_new_for_bytes ("x-kde-passwordManagerHint", hint);
    }
  return gdk_content_provider_new_union (providers, n);
}

void
ak_clipboard_copy (GtkWidget  *widget,
                   const char *text,
                   gboolean    secret,
                   guint       clear_seconds)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GdkContentProvider) provider = make_provider (text, secret);
  GtkRoot *root = gtk_widget_get_root (widget);
  PendingClear *pending;
  g_autofree char *message = NULL;

  gdk_clipboard_set_content (clipboard, provider);
  g_object_set_data (G_OBJECT (clipboard), PENDING_KEY, NULL);

  if (!secret)
    {
      ak_ui_add_toast (widget, adw_toast_new (_("Copied")));
      return;
    }

  pending = g_new0 (PendingClear, 1);
  pending->clipboard = clipboard;
  pending->provider = g_object_ref (provider);
  if (GTK_IS_WINDOW (root))
    {
      pending->window = GTK_WINDOW (root);
      g_object_add_weak_pointer (G_OBJECT (root), (gpointer *) &pending->window);
    }
  pending->timeout_id = g_timeout_add_seconds (clear_seconds, clear_timeout, pending);
  if (all_pending == NULL)
    all_pending = g_ptr_array_new ();
  g_ptr_array_add (all_pending, pending);
  g_object_set_data_full (G_OBJECT (clipboard), PENDING_KEY, pending, pending_clear_free);

  /* Translators: %u is a number of seconds, "s" their abbreviation */
  message = g_strdup_printf (_("Copied – clears in %u s"), clear_seconds);
  ak_ui_add_toast (widget, adw_toast_new (message));
}

gboolean
ak_clipboard_has_pending_clear (GdkClipboard *clipboard)
{
  return g_object_get_data (G_OBJECT (clipboard), PENDING_KEY) != NULL;
}

void
ak_clipboard_clear_now (GdkClipboard *clipboard)
{
  PendingClear *pending = g_object_get_data (G_OBJECT (clipboard), PENDING_KEY);

  if (pending != NULL)
    {
      g_clear_handle_id (&pending->timeout_id, g_source_remove);
      clear_if_ours (pending);
    }
}

/**
 * ak_clipboard_clear_all_pending:
 *
 * Clears, at once, every clipboard that still holds a secret this process copied and has not
 * cleared yet; what the user copied since is left alone. Called when the application shuts
 * down, so that a secret outlives neither its time nor the app (a clipboard manager could
 * otherwise be handed it as the app exits).
 */
void
ak_clipboard_clear_all_pending (void)
{
  /* Each clear frees its entry, which leaves the array. */
  while (all_pending != NULL && all_pending->len > 0)
    {
      PendingClear *pending = g_ptr_array_index (all_pending, all_pending->len - 1);

      g_clear_handle_id (&pending->timeout_id, g_source_remove);
      clear_if_ours (pending);
    }
}
