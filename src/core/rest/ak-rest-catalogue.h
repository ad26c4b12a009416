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

/**
 * AkEndpointGroup:
 * @product: the product, untranslated (N_()), as in #AkEndpoint.product
 * @first: the index of its first endpoint in ak_rest_catalogue_get()
 * @n_endpoints: how many endpoints follow, all of this product
 *
 * A product's endpoints: the catalogue lists each product's entries together.
 */
typedef struct
{
  const char *product;
  guint first;
  guint n_endpoints;
} AkEndpointGroup;

const AkEndpointGroup *ak_rest_catalogue_get_groups (guint *n_groups);

/* Whether every word of @search starts a word of the endpoint's product, name, method, path or
 * id (translated or not, ASCII-folded, any case). An empty @search matches everything. */
gboolean          ak_endpoint_matches_search  (const AkEndpoint *endpoint,
                                               const char       *search);

/* Whether a request still calls @endpoint: the same method, and a path (or URL) whose part
 * before "?" is the template's with each placeholder filled by a non-empty value without "/".
 * The query string may differ. */
gboolean          ak_endpoint_matches_request (const AkEndpoint *endpoint,
                                               const char       *method,
                                               const char       *path);

/* NULL when @endpoint accepts @scheme; else a translated sentence naming what it accepts. */
char             *ak_endpoint_describe_auth_mismatch (const AkEndpoint *endpoint,
                                                      AkAuthScheme      scheme);

/* What fills the placeholders ak_rest_fill_path() left in @missing, and what to do about them,
 * in translated sentences ("{org} and {app} come from the Chat settings of “Demo”, which are
 * empty: …"); NULL when @missing is empty. @project is the one the path was filled from. */
char             *ak_rest_describe_missing_placeholders (const char * const *missing,
                                                         AkCredential       *project);

/* "GET https://api.agora.io/dev/v1/projects": the request Send makes, to show beside it.
 * A host without a scheme gets https://; placeholders still to fill are kept as they are;
 * percent-escapes are decoded unless that would show a "/", "?", "#", "&" or "=" the URL does
 * not have. NULL when no host is chosen and @path is not a full URL. */
char             *ak_rest_format_request_line (const char *method,
                                               const char *host_or_base_url,
                                               const char *path);

G_END_DECLS
