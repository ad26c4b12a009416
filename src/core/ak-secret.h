/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Secrets (certificates, customer secrets, tokens) are wiped before their memory is freed.
 * These are the one way to do it, in core, the window and the command line alike: a plain
 * memset() before free() is dead code the optimizer may drop. */
void ak_secret_wipe         (gpointer data,
                             gsize    length);
void ak_secret_wipe_string  (char    *text);
void ak_secret_string_free  (char    *secret);

G_END_DECLS
