/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-clock.h"
#include "ak-ticker.h"

struct _AkTicker
{
  GObject parent_instance;

  guint holds;
  guint source_id;
};

G_DEFINE_FINAL_TYPE (AkTicker, ak_ticker, G_TYPE_OBJECT)

enum
{
  TICK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

AkTicker *
ak_ticker_new (void)
{
  return g_object_new (AK_TYPE_TICKER, NULL);
}

static gboolean
tick (gpointer user_data)
{
  AkTicker *self = user_data;

  /* Remaining times are recomputed from the wall clock on every tick, never counted down,
   * so a suspended laptop or a slow frame cannot make them drift. */
  g_signal_emit (self, signals[TICK], 0, ak_clock_now_unix ());
  return G_SOURCE_CONTINUE;
}

void
ak_ticker_hold (AkTicker *self)
{
  g_return_if_fail (AK_IS_TICKER (self));

  if (self->holds++ == 0)
    self->source_id = g_timeout_add (1000, tick, self);
}

void
ak_ticker_release (AkTicker *self)
{
  g_return_if_fail (AK_IS_TICKER (self));
  g_return_if_fail (self->holds > 0);

  if (--self->holds == 0)
    g_clear_handle_id (&self->source_id, g_source_remove);
}

gboolean
ak_ticker_is_running (AkTicker *self)
{
  return self->source_id != 0;
}

static void
ak_ticker_finalize (GObject *object)
{
  AkTicker *self = AK_TICKER (object);

  g_clear_handle_id (&self->source_id, g_source_remove);
  G_OBJECT_CLASS (ak_ticker_parent_class)->finalize (object);
}

static void
ak_ticker_class_init (AkTickerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ak_ticker_finalize;

  signals[TICK] = g_signal_new ("tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
ak_ticker_init (AkTicker *self)
{
}
