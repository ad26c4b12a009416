/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-credential.h"
#include "ak-rest.h"

G_BEGIN_DECLS

/**
 * AkEndpointEffect:
 * @AK_ENDPOINT_READ: reads only
 * @AK_ENDPOINT_SIDE_EFFECT: reads, but changes state (the RTM event reads delete what they
 *   return): ask before sending
 * @AK_ENDPOINT_MUTATING: creates or changes something, may cost money: ask before sending
 * @AK_ENDPOINT_DESTRUCTIVE: deletes or resets (a certificate, a rule): ask before sending
 */
typedef enum
{
  AK_ENDPOINT_READ,
  AK_ENDPOINT_SIDE_EFFECT,
  AK_ENDPOINT_MUTATING,
  AK_ENDPOINT_DESTRUCTIVE,
} AkEndpointEffect;

/**
 * AkEndpoint:
 * @id: stable id, e.g. "rtc.channel-list"
 * @product: "Console", "RTC channel management", "Cloud Recording", "Media Push",
 *   "Media Pull", "RTM", "Chat", "Analytics"
 * @name: what it does, short
 * @method: HTTP method
 * @path: the path template with placeholders such as {appid}, {org}, {app}, {cname}
 * @auth: the scheme it needs (Chat: Bearer)
 * @body: (nullable): a JSON body skeleton
 * @effect: see #AkEndpointEffect
 * @host: (nullable): NULL for the Agora API hosts, "chat" for the project's Chat host
 * @confirm: (nullable): the sentence to confirm with before sending
 */
typedef struct
{
  const char *id;
  const char *product;
  const char *name;
  const char *method;
  const char *path;
  AkAuthScheme auth;
  const char *body;
  AkEndpointEffect effect;
  const char *host;
  const char *confirm;
} AkEndpoint;

/* product, name and confirm are untranslated (N_()): show them through gettext. */
const AkEndpoint *ak_rest_catalogue_get     (guint *n_endpoints);
const AkEndpoint *ak_rest_catalogue_find    (const char *id);

/* "read", "side-effect", "mutating", "destructive" (the CLI's and JSON's words) */
const char       *ak_endpoint_effect_to_name   (AkEndpointEffect effect);
/* translated, a few words */
const char       *ak_endpoint_effect_get_label (AkEndpointEffect effect);

/* The {names} in @path_template, in order, without repeats. */
GStrv             ak_rest_path_get_placeholders (const char *path_template);

/* Fills {appid}, {org}, {app} from @project (nullable) and the rest from @values (nullable,
 * name → value; these win over the project's). {appId} is filled like {appid}, {org_name} and
 * {app_name} like {org} and {app}. Values are percent-encoded. Placeholders left unfilled stay
 * in the path and come back in @missing (never NULL on success). */
char             *ak_rest_fill_path         (const char *path_template,
                                             AkCredential *project,
                                             GHashTable *values,
                                             GStrv *missing);

G_END_DECLS
