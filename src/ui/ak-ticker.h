/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define AK_TYPE_TICKER (ak_ticker_get_type ())
G_DECLARE_FINAL_TYPE (AkTicker, ak_ticker, AK, TICKER, GObject)

/* One clock per window for every countdown in it. It ticks once a second ("tick" with the
 * wall-clock time in unix seconds) only while something visible holds it. */
AkTicker *ak_ticker_new     (void);
void      ak_ticker_hold    (AkTicker *self);
void      ak_ticker_release (AkTicker *self);
gboolean  ak_ticker_is_running (AkTicker *self);

G_END_DECLS
