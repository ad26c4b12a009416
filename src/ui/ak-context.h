/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ak-credential-store.h"
#include "ak-rest-history.h"
#include "ak-rest.h"
#include "ak-ticker.h"
#include "ak-token-history.h"

G_BEGIN_DECLS

/* What every page of a window works with, handed over in one piece: the keyring store, the
 * settings, the clock's ticker, this window's recent tokens, and the application's REST
 * client and request history. Pages take it once (ak_*_set_context()) and read what they
 * need from it, so a new service is added here rather than to every page's arguments. */
#define AK_TYPE_CONTEXT (ak_context_get_type ())
G_DECLARE_FINAL_TYPE (AkContext, ak_context, AK, CONTEXT, GObject)

/* Keeps a reference to each; the ticker and the token history are made here. */
AkContext         *ak_context_new                (AkCredentialStore *store,
                                                  GSettings         *settings,
                                                  AkRestClient      *rest_client,
                                                  AkRestHistory     *rest_history);
AkCredentialStore *ak_context_get_store          (AkContext *self);
GSettings         *ak_context_get_settings       (AkContext *self);
AkTicker          *ak_context_get_ticker         (AkContext *self);
AkTokenHistory    *ak_context_get_token_history  (AkContext *self);
AkRestClient      *ak_context_get_rest_client    (AkContext *self);
AkRestHistory     *ak_context_get_rest_history   (AkContext *self);

G_END_DECLS
