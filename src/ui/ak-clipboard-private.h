/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-clipboard.h"

G_BEGIN_DECLS

/* For tests and sibling files: whether a clear is pending, and run it now. */
gboolean ak_clipboard_has_pending_clear (GdkClipboard *clipboard);
void     ak_clipboard_clear_now         (GdkClipboard *clipboard);

G_END_DECLS
