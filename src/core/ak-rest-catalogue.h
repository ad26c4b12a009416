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

/* The day the catalogue was last checked against Agora's documentation. */
#define AK_REST_CATALOGUE_CHECKED "2026-12-04"

/* In the Conversational AI join and update bodies: where the RTC token the agent joins the
 * channel with goes. The body is sent as it is until the client fills this in. */
#define AK_REST_CONVOAI_TOKEN_PLACEHOLDER "{convoai_token}"

/* A bit per #AkAuthScheme, for #AkEndpoint.other_auth. */
#define AK_AUTH_MASK(scheme) (1u << (scheme))

/**
 * AkEndpoint:
 * @id: stable id, e.g. "rtc.channel-list"
 * @product: "Console", "RTC channel management", "Cloud Recording", "Media Push",
 *   "Media Pull", "Cloud Transcoding", "RTM", "Chat", "Conversational AI Engine",
 *   "Real-time STT", "Analytics"
 * @name: what it does, short; a legacy endpoint says so in its name
 * @method: HTTP method
 * @path: the path template with placeholders such as {appid}, {org}, {app}, {cname}; a
 *   placeholder in the query string (Analytics' {start_ts}) must be filled like one in the path
 * @auth: the scheme it needs (Chat: Bearer), or the one to try first when it accepts several
 * @body: (nullable): a JSON body skeleton
 * @effect: see #AkEndpointEffect
 * @host: (nullable): NULL for the Agora API host the user chose (api.agora.io by default),
 *   "chat" for the project's Chat host, or the host name the documentation gives for this
 *   product (Cloud Transcoding: "api.sd-rtn.com"; api.agora.io serves it too)
 * @confirm: (nullable): the sentence to confirm with before sending
 * @legacy: Agora took the feature offline; the entry stays so that old history still names it
 * @other_auth: the other schemes it accepts, as AK_AUTH_MASK() bits (0: only @auth)
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
  gboolean legacy;
  guint other_auth;
} AkEndpoint;

/* product, name and confirm are untranslated (N_()): show them through gettext. */
const AkEndpoint *ak_rest_catalogue_get     (guint *n_endpoints);
const AkEndpoint *ak_rest_catalogue_find    (const char *id);

/* @auth, or one of @other_auth */
gboolean          ak_endpoint_accepts_auth   (const AkEndpoint *endpoint,
                                              AkAuthScheme      scheme);

/* "read", "side-effect", "mutating", "destructive" (the CLI's and JSON's words) */
const char       *ak_endpoint_effect_to_name   (AkEndpointEffect effect);
/* translated, a few words */
const char       *ak_endpoint_effect_get_label (AkEndpointEffect effect);

/* The {names} in @path_template, in order, without repeats. */
GStrv             ak_rest_path_get_placeholders (const char *path_template);

/* Fills {appid}, {org}, {app} from @project (nullable) and the rest from @values (nullable,
 * name → value; these win over the project's). {appId} and {app_id} are filled like {appid},
 * {org_name} and {app_name} like {org} and {app}. Values are percent-encoded. Placeholders
 * left unfilled stay in the path and come back in @missing (never NULL on success). */
char             *ak_rest_fill_path         (const char *path_template,
                                             AkCredential *project,
                                             GHashTable *values,
                                             GStrv *missing);


G_END_DECLS
