/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ak-rest.h"
#include "ak-rest-catalogue.h"

G_BEGIN_DECLS

/* The host a path goes to when nothing else names one. */
#define AK_REST_DEFAULT_HOST "api.agora.io"

/**
 * AkRestAssembly:
 * @method: "GET", "POST", … (not checked here: the faces choose or check it)
 * @target: a path template ("/dev/v1/project/{appid}") or a full http(s) URL
 * @endpoint: (nullable): the catalogue entry it calls
 * @base_url: (nullable): send the path under this URL; wins over everything below
 * @host: (nullable): send the path to this host
 * @chat_host: send the path to @project's Chat host (as a Chat @endpoint does)
 * @project: (nullable): fills {appid}, {org} and {app}; has the Chat host; its label is the
 *   credential for every scheme but Basic
 * @customer: (nullable): the customer credential's label, for Basic
 * @values: (nullable): name → value for the other placeholders (these win over @project's)
 * @headers: (nullable): extra headers as "Name: value", spaces around either trimmed
 * @skip_partial_headers: a form's entries, perhaps still being typed: one without a colon is
 *   left out, and names are checked only when sent; otherwise a malformed entry is refused
 * @body: (nullable): the body, as it is to be sent
 * @scheme: the auth scheme
 * @secondary: mint with the project's secondary certificate
 * @user: (nullable): the RTM user id, or a Conversational AI agent's uid
 * @channel: (nullable): a Conversational AI agent's channel
 * @token: (nullable): a pasted Bearer token (a secret): kept for %AK_AUTH_BEARER only
 * @timeout_seconds: 0 for the client's default
 *
 * What a face has read from its form or its options, all borrowed: everything
 * ak_rest_assembly_build() needs to make one #AkRestRequest.
 */
typedef struct
{
  const char *method;
  const char *target;
  const AkEndpoint *endpoint;
  const char *base_url;
  const char *host;
  gboolean chat_host;
  AkCredential *project;
  const char *customer;
  GHashTable *values;
  const char * const *headers;
  gboolean skip_partial_headers;
  const char *body;
  AkAuthScheme scheme;
  gboolean secondary;
  const char *user;
  const char *channel;
  const char *token;
  guint timeout_seconds;
} AkRestAssembly;

/**
 * AkRestAssemblyFailure:
 * @AK_REST_ASSEMBLY_OK: nothing failed
 * @AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS: placeholders are left in the path (named in @missing)
 * @AK_REST_ASSEMBLY_NO_CHAT_HOST: the Chat host was wanted, and no project with one is given
 * @AK_REST_ASSEMBLY_BAD_URL: the host and path do not make a URL ak_rest_build_url() accepts
 * @AK_REST_ASSEMBLY_BAD_HEADER: an extra header is not "Name: value" (named by its index)
 *
 * What ak_rest_assembly_build() refused, for a face that words it its own way.
 */
typedef enum
{
  AK_REST_ASSEMBLY_OK,
  AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS,
  AK_REST_ASSEMBLY_NO_CHAT_HOST,
  AK_REST_ASSEMBLY_BAD_URL,
  AK_REST_ASSEMBLY_BAD_HEADER,
} AkRestAssemblyFailure;

/**
 * AkRestAssemblyResult:
 * @failure: what failed, %AK_REST_ASSEMBLY_OK when nothing did
 * @missing: for %AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS, the names left ("appid", …)
 * @bad_header: for %AK_REST_ASSEMBLY_BAD_HEADER, the index of the entry in the headers
 *
 * The structured side of a refusal; clear it with ak_rest_assembly_result_clear().
 */
typedef struct
{
  AkRestAssemblyFailure failure;
  GStrv missing;
  guint bad_header;
} AkRestAssemblyResult;

/* Frees what @result holds and sets it back to %AK_REST_ASSEMBLY_OK. */
void           ak_rest_assembly_result_clear (AkRestAssemblyResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AkRestAssemblyResult, ak_rest_assembly_result_clear)

/* The request @assembly describes: the path's placeholders filled, sent to the host chosen
 * (base URL, else host, else the project's Chat host when @chat_host is set or the endpoint is
 * a Chat one, else the endpoint's documented host, else %AK_REST_DEFAULT_HOST), the headers
 * parsed, the credential chosen (the customer for Basic, else the project). NULL with an
 * AK_ERROR_INVALID_INPUT sentence when something is missing or malformed; @result (nullable)
 * then says what, for a face that words it its own way. */
AkRestRequest *ak_rest_assembly_build        (const AkRestAssembly  *assembly,
                                              AkRestAssemblyResult  *result,
                                              GError               **error);

/* The host or base URL @assembly's path goes to (borrowed from @assembly, its endpoint or its
 * project), by the order ak_rest_assembly_build() applies; NULL with an error when the Chat
 * host is wanted and there is none. */
const char    *ak_rest_assembly_choose_host  (const AkRestAssembly  *assembly,
                                              GError               **error);

/* Splits "Name: value" into its trimmed @name and @value; FALSE (nothing set) when there is
 * no colon or the name is not an HTTP token. */
gboolean       ak_rest_assembly_parse_header (const char            *line,
                                              char                 **name,
                                              char                 **value);

/* Whether @text is an HTTP token, as a method or a header name must be. */
gboolean       ak_rest_is_http_token         (const char            *text);

/* "{appid}, {cname}": placeholder names as a path shows them, for a sentence. */
char          *ak_rest_format_placeholders   (const char * const    *names);

G_END_DECLS
