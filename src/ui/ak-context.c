/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-context.h"

struct _AkContext
{
  GObject parent_instance;

  AkCredentialStore *store;
  GSettings *settings;
  AkTicker *ticker;
  AkTokenHistory *token_history;
  AkRestClient *rest_client;
  AkRestHistory *rest_history;
};

G_DEFINE_FINAL_TYPE (AkContext, ak_context, G_TYPE_OBJECT)

static void
ak_context_dispose (GObject *object)
{
  AkContext *self = AK_CONTEXT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->ticker);
  g_clear_object (&self->token_history);
  g_clear_object (&self->rest_client);
  g_clear_object (&self->rest_history);
  G_OBJECT_CLASS (ak_context_parent_class)->dispose (object);
}

static void
ak_context_class_init (AkContextClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ak_context_dispose;
}

static void
ak_context_init (AkContext *self)
{
  self->ticker = ak_ticker_new ();
  /* 0: the history's own default size. */
  self->token_history = ak_token_history_new (0);
}

/**
 * ak_context_new:
 * @store: the credential store
 * @settings: the application's settings
 * @rest_client: the REST client requests go through
 * @rest_history: the sent-requests history
 *
 * Returns: (transfer full): a context holding a reference to each, with a new ticker and an
 *   empty token history
 */
AkContext *
ak_context_new (AkCredentialStore *store,
                GSettings         *settings,
                AkRestClient      *rest_client,
                AkRestHistory     *rest_history)
{
  AkContext *self;

  g_return_val_if_fail (AK_IS_CREDENTIAL_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (AK_IS_REST_CLIENT (rest_client), NULL);
  g_return_val_if_fail (AK_IS_REST_HISTORY (rest_history), NULL);

  self = g_object_new (AK_TYPE_CONTEXT, NULL);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->rest_client = g_object_ref (rest_client);
  self->rest_history = g_object_ref (rest_history);
  return self;
}

AkCredentialStore *
ak_context_get_store (AkContext *self)
{
  g_return_val_if_fail (AK_IS_CONTEXT (self), NULL);
  return self->store;
}

GSettings *
ak_context_get_settings (AkContext *self)
{
  g_return_val_if_fail (AK_IS_CONTEXT (self), NULL);
  return self->settings;
}

AkTicker *
ak_context_get_ticker (AkContext *self)
{
  g_return_val_if_fail (AK_IS_CONTEXT (self), NULL);
  return self->ticker;
}

AkTokenHistory *
ak_context_get_token_history (AkContext *self)
{
  g_return_val_if_fail (AK_IS_CONTEXT (self), NULL);
  return self->token_history;
}

AkRestClient *
ak_context_get_rest_client (AkContext *self)
{
  g_return_val_if_fail (AK_IS_CONTEXT (self), NULL);
  return self->rest_client;
}

AkRestHistory *
ak_context_get_rest_history (AkContext *self)
{
  g_return_val_if_fail (AK_IS_CONTEXT (self), NULL);
  return self->rest_history;
}
