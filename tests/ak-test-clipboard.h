/* ak-test-clipboard.h: read what a UI test's window put on the clipboard
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ak-test-util.h"

typedef struct
{
  char *text;
  gboolean done;
} AkTestClipboardRead;

static inline void
ak_test_clipboard_text_read (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  AkTestClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

/* The clipboard's text, or NULL when it holds none; runs the main loop until it is read
 * (failing the test after a bound). */
static inline char *
ak_test_read_clipboard (GdkClipboard *clipboard)
{
  AkTestClipboardRead read = { 0 };

  gdk_clipboard_read_text_async (clipboard, NULL, ak_test_clipboard_text_read, &read);
  ak_test_wait_for_flag (&read.done, "the clipboard's text");
  return read.text;
}
