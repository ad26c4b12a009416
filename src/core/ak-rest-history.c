/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ak-error.h"
#include "ak-json.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-history.h"
#include "ak-rest-private.h"

#define HISTORY_FORMAT_VERSION 1
/* A history file larger than this was not written by us. */
#define MAX_HISTORY_FILE (64 * 1024 * 1024)

/* ---------------------------------------------------------------------------------------------
 * What counts as a secret: by the name of a header, a JSON member or a query parameter
 */

static char *
squeeze_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    if (*p != '_' && *p != '-' && *p != ' ')
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

/**
 * ak_rest_header_is_secret:
 * @name: a header name
 *
 * The one rule for headers: the history leaves these out, "Copy as cURL" puts them in
 * variables, and the client never carries them to another origin after a redirect.
 *
 * Returns: whether a header of that name carries a credential: Authorization,
 *   Proxy-Authorization, x-agora-token, or any name with "token", "secret", "key",
 *   "password", "cookie" or "auth" in it (case-insensitive)
 */
gboolean
ak_rest_header_is_secret (const char *name)
{
  static const char * const words[] = { "token", "secret", "key", "password", "cookie",
                                        "auth" };
  g_autofree char *lower = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  lower = g_strstrip (g_ascii_strdown (name, -1));
  if (g_str_equal (lower, "authorization") || g_str_equal (lower, "proxy-authorization")
      || g_str_equal (lower, "x-agora-token"))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * ak_rest_member_is_secret:
 * @name: a JSON member or query parameter name
 *
 * Returns: whether a value under that name is a secret: "secret", "token", "password",
 *   "sign_key", "certificate", "customer_secret", "access_token", and the names built on
 *   them ("secretKey", "appCertificate", "accessKey"); paging cursors ("pageToken") are not
 */
gboolean
ak_rest_member_is_secret (const char *name)
{
  static const char * const exact[] = { "signkey", "accesskey", "key", "privatekey" };
  static const char * const words[] = { "secret", "token", "password", "passwd",
                                        "certificate" };
  g_autofree char *squeezed = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  squeezed = squeeze_name (name);
  if (strstr (squeezed, "page") != NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (exact); i++)
    if (g_str_equal (squeezed, exact[i]))
      return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (squeezed, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* A replacement for the value of a secret member or parameter; NULL keeps it. */
typedef char *(*ReplaceFunc) (const char *name, gpointer user_data);

static gboolean
redact_node (JsonNode    *node,
             ReplaceFunc  replace,
             gpointer     user_data)
{
  gboolean changed = FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *child = json_object_get_member (object, name);

          /* An empty value, and the ConvoAI token placeholder the client fills in at send
           * time, hold no secret: kept, so that the request can be sent again as it was. */
          if (ak_rest_member_is_secret (name) && !JSON_NODE_HOLDS_NULL (child)
              && !(JSON_NODE_HOLDS_VALUE (child)
                   && json_node_get_value_type (child) == G_TYPE_STRING
                   && (json_node_get_string (child)[0] == '\0'
                       || g_str_equal (json_node_get_string (child),
                                       AK_REST_CONVOAI_TOKEN_PLACEHOLDER))))
            {
              g_autofree char *replacement = replace (name, user_data);

              if (replacement != NULL)
                {
                  json_object_set_string_member (object, name, replacement);
                  changed = TRUE;
                }
            }
          else if (redact_node (child, replace, user_data))
            changed = TRUE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (redact_node (json_array_get_element (array, i), replace, user_data))
          changed = TRUE;
    }

  return changed;
}

/* @body with the values of secret-named members replaced; the text itself when it is not
 * JSON or holds no secret, so what the user wrote is kept as written. JSON that cannot be read
 * safely (nested deeper than AK_JSON_MAX_DEPTH, a \u0000, broken) may hide a secret-named
 * member where it cannot be found: the whole body is then replaced, as one secret. */
static char *
redact_json (const char  *body,
             ReplaceFunc  replace,
             gpointer     user_data)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *redacted = NULL;
  gsize length = 0;
  gsize start;

  if (body == NULL)
    return NULL;
  start = strspn (body, " \t\r\n");
  if (body[start] != '{' && body[start] != '[')
    return g_strdup (body);

  /* Mutable: the secret values are replaced in the parsed tree. */
  root = ak_json_parse_untrusted_mutable (body, strlen (body), NULL);
  if (root == NULL)
    return replace ("body", user_data);
  if (!redact_node (root, replace, user_data))
    return g_strdup (body);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, strchr (body, '\n') != NULL);
  redacted = json_generator_to_data (generator, &length);
  /* json-glib 1.6 prints some numbers as no JSON reads them ("1e98" as "1e+98.0", found by
   * fuzz-json): a body sent again or copied as cURL would then be refused. Masked whole. */
  again = ak_json_parse_untrusted (redacted, length, NULL);
  if (again == NULL)
    return replace ("body", user_data);
  return g_steal_pointer (&redacted);
}

/* @url with secret-named query values replaced and any user:password@ removed. Done by hand
 * rather than with GUri, so that a URL GUri refuses is still redacted. */
static char *
redact_url (const char  *url,
            ReplaceFunc  replace,
            gpointer     user_data)
{
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) params = NULL;
  g_autofree char *query = NULL;
  const char *authority;
  const char *authority_end;
  const char *query_start;
  const char *fragment;
  const char *at = NULL;

  if (url == NULL)
    return NULL;

  out = g_string_new (NULL);
  authority = strstr (url, "://");
  authority = authority != NULL ? authority + 3 : url;
  authority_end = authority + strcspn (authority, "/?#");
  for (const char *p = authority; p < authority_end; p++)
    if (*p == '@')
      at = p;
  if (at != NULL)
    {
      g_string_append_len (out, url, authority - url);
      g_string_append_len (out, at + 1, authority_end - at - 1);
    }
  else
    g_string_append_len (out, url, authority_end - url);

  fragment = strchr (authority_end, '#');
  if (fragment == NULL)
    fragment = authority_end + strlen (authority_end);
  query_start = memchr (authority_end, '?', fragment - authority_end);
  if (query_start == NULL)
    {
      g_string_append (out, authority_end);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  g_string_append_len (out, authority_end, query_start + 1 - authority_end);
  query = g_strndup (query_start + 1, fragment - query_start - 1);
  params = g_strsplit (query, "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *eq = strchr (params[i], '=');
      g_autofree char *raw_name = eq != NULL ? g_strndup (params[i], eq - params[i])
                                             : g_strdup (params[i]);
      g_autofree char *name = g_uri_unescape_string (raw_name, NULL);
      g_autofree char *replacement = NULL;

      if (i > 0)
        g_string_append_c (out, '&');
      if (eq != NULL && eq[1] != '\0' && ak_rest_member_is_secret (name != NULL ? name
                                                                              : raw_name))
        replacement = replace (name != NULL ? name : raw_name, user_data);
      if (replacement != NULL)
        g_string_append_printf (out, "%s=%s", raw_name, replacement);
      else
        g_string_append (out, params[i]);
    }
  g_string_append (out, fragment);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
replace_with_mask (const char *name,
                   gpointer    user_data)
{
  return g_strdup (AK_REST_MASK);
}

/**
 * ak_rest_redact_body:
 * @body: (nullable): a request or response body
 *
 * Returns: (transfer full) (nullable): @body with the value of every secret-named JSON
 *   member (see ak_rest_member_is_secret()) replaced by %AK_REST_MASK; a body that is not
 *   JSON comes back as it is, and one that starts like JSON but cannot be read safely (see
 *   ak_json_parse_untrusted()) comes back as %AK_REST_MASK alone
 */
char *
ak_rest_redact_body (const char *body)
{
  return redact_json (body, replace_with_mask, NULL);
}

/* ---------------------------------------------------------------------------------------------
 * AkRestHistoryEntry
 */

struct _AkRestHistoryEntry
{
  GObject parent_instance;

  gint64 sent_at;
  char *method;
  char *url;
  char *body;
  gboolean body_omitted;
  GStrv headers;
  AkAuthScheme auth_scheme;
  char *credential_label;
  gboolean secondary;
  char *user_id;
  guint32 token_expire;
  char *endpoint_id;
  guint timeout_seconds;

  guint status;
  char *reason;
  gint64 duration_ms;
  guint64 size;
  char *request_id;
  char *error;
};

G_DEFINE_FINAL_TYPE (AkRestHistoryEntry, ak_rest_history_entry, G_TYPE_OBJECT)

enum
{
  ENTRY_PROP_0,
  ENTRY_PROP_SENT_AT,
  ENTRY_PROP_METHOD,
  ENTRY_PROP_URL,
  ENTRY_PROP_STATUS,
  ENTRY_PROP_REASON,
  ENTRY_PROP_DURATION_MS,
  ENTRY_PROP_SIZE,
  ENTRY_PROP_ERROR,
  ENTRY_PROP_ENDPOINT_ID,
  ENTRY_PROP_CREDENTIAL_LABEL,
  ENTRY_N_PROPS
};

static GParamSpec *entry_properties[ENTRY_N_PROPS];

static void
ak_rest_history_entry_finalize (GObject *object)
{
  AkRestHistoryEntry *self = AK_REST_HISTORY_ENTRY (object);

  g_free (self->method);
  g_free (self->url);
  g_free (self->body);
  g_strfreev (self->headers);
  g_free (self->credential_label);
  g_free (self->user_id);
  g_free (self->endpoint_id);
  g_free (self->reason);
  g_free (self->request_id);
  g_free (self->error);

  G_OBJECT_CLASS (ak_rest_history_entry_parent_class)->finalize (object);
}

static void
ak_rest_history_entry_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AkRestHistoryEntry *self = AK_REST_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case ENTRY_PROP_SENT_AT:
      g_value_set_int64 (value, self->sent_at);
      break;
    case ENTRY_PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    case ENTRY_PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case ENTRY_PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case ENTRY_PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case ENTRY_PROP_DURATION_MS:
      g_value_set_int64 (value, self->duration_ms);
      break;
    case ENTRY_PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case ENTRY_PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case ENTRY_PROP_ENDPOINT_ID:
      g_value_set_string (value, self->endpoint_id);
      break;
    case ENTRY_PROP_CREDENTIAL_LABEL:
      g_value_set_string (value, self->credential_label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_rest_history_entry_class_init (AkRestHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ak_rest_history_entry_finalize;
  object_class->get_property = ak_rest_history_entry_get_property;

  /* Read-only: an entry is a record of what happened. */
  entry_properties[ENTRY_PROP_SENT_AT] =
    g_param_spec_int64 ("sent-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  entry_properties[ENTRY_PROP_METHOD] = g_param_spec_string ("method", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, G_MAXUINT, 0, flags);
  entry_properties[ENTRY_PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_DURATION_MS] =
    g_param_spec_int64 ("duration-ms", NULL, NULL, 0, G_MAXINT64, 0, flags);
  entry_properties[ENTRY_PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  entry_properties[ENTRY_PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_ENDPOINT_ID] =
    g_param_spec_string ("endpoint-id", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_CREDENTIAL_LABEL] =
    g_param_spec_string ("credential-label", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, ENTRY_N_PROPS, entry_properties);
}

static void
ak_rest_history_entry_init (AkRestHistoryEntry *self)
{
}

/* Valid UTF-8 or nothing: a server's reason phrase or X-Request-ID may be Latin-1, and
 * json-glib 1.6 writes such bytes as they are, then refuses to read the file back. */
static char *
nonempty_dup (const char *text)
{
  return text != NULL && text[0] != '\0' ? g_utf8_make_valid (text, -1) : NULL;
}

/* Extra headers minus those that carry credentials, judged by name. */
static GStrv
filter_headers (const char * const *headers,
                guint               n_headers)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < n_headers; i++)
    {
      const char *header = headers[i];
      const char *colon;
      g_autofree char *name = NULL;

      if (header == NULL)
        continue;
      colon = strchr (header, ':');
      name = colon != NULL ? g_strndup (header, colon - header) : g_strdup (header);
      if (!ak_rest_header_is_secret (name))
        {
          g_autofree char *valid = g_utf8_make_valid (header, -1);

          g_strv_builder_add (builder, valid);
        }
    }

  return g_strv_builder_end (builder);
}

static AkRestHistoryEntry *
entry_new_from_request (const AkRestRequest *request,
                        gint64               sent_at)
{
  AkRestHistoryEntry *self = g_object_new (AK_TYPE_REST_HISTORY_ENTRY, NULL);
  g_autofree char *body = NULL;

  self->sent_at = sent_at > 0 ? sent_at : g_get_real_time () / G_USEC_PER_SEC;
  self->method = g_strdup (request->method != NULL ? request->method : "GET");
  self->url = redact_url (request->url != NULL ? request->url : "", replace_with_mask, NULL);

  body = ak_rest_redact_body (request->body);
  /* The length as sent counts too: a body replaced whole is short, but was not. */
  if (body != NULL && (strlen (body) > AK_REST_HISTORY_MAX_BODY
                       || strlen (request->body) > AK_REST_HISTORY_MAX_BODY))
    self->body_omitted = TRUE;
  else
    self->body = nonempty_dup (body);

  if (request->headers != NULL)
    self->headers = filter_headers ((const char * const *) request->headers->pdata,
                                    request->headers->len);
  else
    self->headers = g_new0 (char *, 1);

  /* Names only: the pasted token (request->auth.token) is never read here. */
  self->auth_scheme = request->auth.scheme;
  self->credential_label = nonempty_dup (request->auth.credential_label);
  self->secondary = request->auth.secondary;
  self->user_id = nonempty_dup (request->auth.user_id);
  self->token_expire = request->auth.token_expire;
  self->endpoint_id = nonempty_dup (request->endpoint_id);
  self->timeout_seconds = request->timeout_seconds;
  return self;
}

/**
 * ak_rest_history_entry_new:
 * @request: the request as sent
 * @response: (nullable): its response; %NULL when none came
 * @sent_at: when it was sent, in Unix seconds; 0 for now
 *
 * Keeps no secret: credential headers are left out, secret body members are masked, and the
 * auth is kept as its scheme, credential label and user id.
 *
 * Returns: (transfer full): the entry
 */
AkRestHistoryEntry *
ak_rest_history_entry_new (const AkRestRequest  *request,
                           const AkRestResponse *response,
                           gint64                sent_at)
{
  AkRestHistoryEntry *self;

  g_return_val_if_fail (request != NULL, NULL);

  self = entry_new_from_request (request, sent_at);
  if (response != NULL)
    {
      self->status = response->status;
      self->reason = nonempty_dup (response->reason);
      self->duration_ms = MAX (response->duration_ms, 0);
      /* A body that outgrew memory keeps only its start in @body: the length is the whole. */
      self->size = MAX (response->body_length,
                        response->body != NULL ? g_bytes_get_size (response->body) : 0);
      self->request_id = nonempty_dup (response->request_id);
      self->error = nonempty_dup (response->error_summary);
    }
  return self;
}

/**
 * ak_rest_history_entry_new_for_error:
 * @request: the request that could not be sent or got no response
 * @error: why (refused, DNS, TLS, timeout, …)
 * @sent_at: Unix seconds; 0 for now
 *
 * Returns: (transfer full): the entry, with status 0 and @error's message
 */
AkRestHistoryEntry *
ak_rest_history_entry_new_for_error (const AkRestRequest *request,
                                     const GError        *error,
                                     gint64               sent_at)
{
  AkRestHistoryEntry *self;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = entry_new_from_request (request, sent_at);
  self->error = g_strdup (error->message);
  return self;
}

static void
add_header_line (AkRestRequest *request,
                 const char    *line)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (colon == NULL)
    return;
  name = g_strstrip (g_strndup (line, colon - line));
  value = g_strstrip (g_strdup (colon + 1));
  ak_rest_request_add_header (request, name, value);
}

AkRestRequest *
ak_rest_history_entry_to_request (AkRestHistoryEntry *self)
{
  AkRestRequest *request;

  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);

  request = ak_rest_request_new (self->method, self->url);
  request->body = g_strdup (self->body);
  for (guint i = 0; self->headers[i] != NULL; i++)
    add_header_line (request, self->headers[i]);
  request->auth.scheme = self->auth_scheme;
  request->auth.credential_label = g_strdup (self->credential_label);
  request->auth.secondary = self->secondary;
  request->auth.user_id = g_strdup (self->user_id);
  if (self->token_expire != 0)
    request->auth.token_expire = self->token_expire;
  request->endpoint_id = g_strdup (self->endpoint_id);
  request->timeout_seconds = self->timeout_seconds;
  return request;
}

gint64
ak_rest_history_entry_get_sent_at (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), 0);
  return self->sent_at;
}

const char *
ak_rest_history_entry_get_method (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return self->method;
}

const char *
ak_rest_history_entry_get_url (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return self->url;
}

guint
ak_rest_history_entry_get_status (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), 0);
  return self->status;
}

const char *
ak_rest_history_entry_get_reason (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return self->reason;
}

const char *
ak_rest_history_entry_get_body (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return self->body;
}

const char * const *
ak_rest_history_entry_get_headers (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return (const char * const *) self->headers;
}

AkAuthScheme
ak_rest_history_entry_get_auth_scheme (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), AK_AUTH_NONE);
  return self->auth_scheme;
}

const char *
ak_rest_history_entry_get_credential_label (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return self->credential_label;
}

const char *
ak_rest_history_entry_get_user_id (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return self->user_id;
}

const char *
ak_rest_history_entry_get_endpoint_id (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return self->endpoint_id;
}

gint64
ak_rest_history_entry_get_duration_ms (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), 0);
  return self->duration_ms;
}

guint64
ak_rest_history_entry_get_size (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), 0);
  return self->size;
}

const char *
ak_rest_history_entry_get_request_id (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return self->request_id;
}

const char *
ak_rest_history_entry_get_error (AkRestHistoryEntry *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);
  return self->error;
}

static gboolean
contains_folded (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL || haystack[0] == '\0')
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, folded_needle) != NULL;
}

/**
 * ak_rest_history_entry_matches:
 * @needle: (nullable): what the user typed; empty matches everything
 *
 * Returns: whether @needle (case-insensitive) is in the method, URL, status, endpoint id,
 *   product or name, credential label, user id or error summary
 */
gboolean
ak_rest_history_entry_matches (AkRestHistoryEntry *self,
                               const char         *needle)
{
  g_autofree char *folded = NULL;
  g_autofree char *status = NULL;
  g_autofree char *stripped = NULL;
  const AkEndpoint *endpoint = NULL;

  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), FALSE);

  if (needle == NULL)
    return TRUE;
  stripped = g_strstrip (g_strdup (needle));
  if (stripped[0] == '\0')
    return TRUE;
  folded = g_utf8_casefold (stripped, -1);

  if (self->status != 0)
    status = g_strdup_printf ("%u", self->status);
  if (self->endpoint_id != NULL)
    endpoint = ak_rest_catalogue_find (self->endpoint_id);

  return contains_folded (self->method, folded)
         || contains_folded (self->url, folded)
         || contains_folded (status, folded)
         || contains_folded (self->reason, folded)
         || contains_folded (self->endpoint_id, folded)
         || (endpoint != NULL
             && (contains_folded (endpoint->product, folded)
                 || contains_folded (_(endpoint->product), folded)
                 || contains_folded (_(endpoint->name), folded)))
         || contains_folded (self->credential_label, folded)
         || contains_folded (self->user_id, folded)
         || contains_folded (self->error, folded);
}

/* ---------------------------------------------------------------------------------------------
 * Entries as JSON
 */

static void
set_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
entry_build_json (AkRestHistoryEntry *self,
                  JsonBuilder        *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sent_at");
  json_builder_add_int_value (builder, self->sent_at);
  set_string_member (builder, "method", self->method);
  set_string_member (builder, "url", self->url);
  set_string_member (builder, "body", self->body);
  if (self->body_omitted)
    {
      json_builder_set_member_name (builder, "body_omitted");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_set_member_name (builder, "headers");
  json_builder_begin_array (builder);
  for (guint i = 0; self->headers[i] != NULL; i++)
    json_builder_add_string_value (builder, self->headers[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "auth");
  json_builder_begin_object (builder);
  set_string_member (builder, "scheme", ak_auth_scheme_to_name (self->auth_scheme));
  set_string_member (builder, "credential", self->credential_label);
  if (self->secondary)
    {
      json_builder_set_member_name (builder, "secondary");
      json_builder_add_boolean_value (builder, TRUE);
    }
  set_string_member (builder, "user_id", self->user_id);
  /* Only the schemes that mint a token use its lifetime. */
  if (self->token_expire != 0 && self->auth_scheme != AK_AUTH_NONE
      && self->auth_scheme != AK_AUTH_BASIC)
    {
      json_builder_set_member_name (builder, "token_expire");
      json_builder_add_int_value (builder, self->token_expire);
    }
  json_builder_end_object (builder);

  set_string_member (builder, "endpoint", self->endpoint_id);
  if (self->timeout_seconds != 0)
    {
      json_builder_set_member_name (builder, "timeout");
      json_builder_add_int_value (builder, self->timeout_seconds);
    }
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, self->status);
  set_string_member (builder, "reason", self->reason);
  json_builder_set_member_name (builder, "duration_ms");
  json_builder_add_int_value (builder, self->duration_ms);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) MIN (self->size, (guint64) G_MAXINT64));
  set_string_member (builder, "request_id", self->request_id);
  set_string_member (builder, "error", self->error);
  json_builder_end_object (builder);
}

/**
 * ak_rest_history_entry_to_json:
 *
 * Returns: (transfer full): the entry as it is kept in the history file (no secrets)
 */
JsonNode *
ak_rest_history_entry_to_json (AkRestHistoryEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (AK_IS_REST_HISTORY_ENTRY (self), NULL);

  entry_build_json (self, builder);
  return json_builder_get_root (builder);
}

static char *
dup_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return nonempty_dup (json_node_get_string (node));
}

static gint64
int_member (JsonObject *object,
            const char *name,
            gint64      minimum,
            gint64      maximum)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  value = json_node_get_int (node);
  return CLAMP (value, minimum, maximum);
}

/* NULL for an entry without a method and URL; other fields fall back to empty. */
static AkRestHistoryEntry *
entry_new_from_json (JsonNode *node)
{
  g_autoptr(AkRestHistoryEntry) self = NULL;
  g_autoptr(GStrvBuilder) headers = g_strv_builder_new ();
  JsonObject *object;
  JsonNode *member;
  JsonObject *auth = NULL;
  g_autofree char *scheme = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);

  self = g_object_new (AK_TYPE_REST_HISTORY_ENTRY, NULL);
  self->method = dup_string_member (object, "method");
  self->url = dup_string_member (object, "url");
  if (self->method == NULL || self->url == NULL)
    return NULL;

  self->sent_at = int_member (object, "sent_at", 0, G_MAXINT64);
  self->body = dup_string_member (object, "body");
  self->body_omitted = json_object_get_boolean_member_with_default (object, "body_omitted",
                                                                    FALSE);
  member = json_object_get_member (object, "headers");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element)
              && json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (headers, json_node_get_string (element));
        }
    }
  {
    /* Filtered again: the file may have been edited by hand. */
    g_auto(GStrv) listed = g_strv_builder_end (headers);

    self->headers = filter_headers ((const char * const *) listed, g_strv_length (listed));
  }

  member = json_object_get_member (object, "auth");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    auth = json_node_get_object (member);
  if (auth != NULL)
    {
      scheme = dup_string_member (auth, "scheme");
      if (scheme == NULL || !ak_auth_scheme_from_name (scheme, &self->auth_scheme))
        self->auth_scheme = AK_AUTH_NONE;
      self->credential_label = dup_string_member (auth, "credential");
      self->secondary = json_object_get_boolean_member_with_default (auth, "secondary", FALSE);
      self->user_id = dup_string_member (auth, "user_id");
      self->token_expire = (guint32) int_member (auth, "token_expire", 0, G_MAXUINT32);
    }

  self->endpoint_id = dup_string_member (object, "endpoint");
  self->timeout_seconds = (guint) int_member (object, "timeout", 0, G_MAXUINT);
  self->status = (guint) int_member (object, "status", 0, 999);
  self->reason = dup_string_member (object, "reason");
  self->duration_ms = int_member (object, "duration_ms", 0, G_MAXINT64);
  self->size = (guint64) int_member (object, "size", 0, G_MAXINT64);
  self->request_id = dup_string_member (object, "request_id");
  self->error = dup_string_member (object, "error");
  return g_steal_pointer (&self);
}

/* ---------------------------------------------------------------------------------------------
 * AkRestHistory
 */

struct _AkRestHistory
{
  GObject parent_instance;

  GPtrArray *entries;
  guint max_entries;
  char *path;
  GFile *file;

  /* Loading: writes wait for it, so the file is never replaced by a partial list. */
  gboolean loaded;
  gboolean loading;
  gboolean cleared_while_loading;
  GPtrArray *load_waiters;

  /* Writing: one write at a time; changes made meanwhile are written right after. */
  gboolean writing;
  gboolean dirty;
  GError *write_error;
  GPtrArray *flush_waiters;
};

static void ak_rest_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AkRestHistory, ak_rest_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ak_rest_history_list_model_init))

enum
{
  HISTORY_PROP_0,
  HISTORY_PROP_N_ITEMS,
  HISTORY_N_PROPS
};

static GParamSpec *history_properties[HISTORY_N_PROPS];

static GType
ak_rest_history_get_item_type (GListModel *model)
{
  return AK_TYPE_REST_HISTORY_ENTRY;
}

static guint
ak_rest_history_get_n_items (GListModel *model)
{
  return AK_REST_HISTORY (model)->entries->len;
}

static gpointer
ak_rest_history_get_item (GListModel *model,
                          guint       position)
{
  AkRestHistory *self = AK_REST_HISTORY (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
ak_rest_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ak_rest_history_get_item_type;
  iface->get_n_items = ak_rest_history_get_n_items;
  iface->get_item = ak_rest_history_get_item;
}

static void
ak_rest_history_finalize (GObject *object)
{
  AkRestHistory *self = AK_REST_HISTORY (object);

  /* Pending tasks hold a reference, so nothing can be waiting here. */
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->load_waiters);
  g_ptr_array_unref (self->flush_waiters);
  g_clear_error (&self->write_error);
  g_clear_object (&self->file);
  g_free (self->path);

  G_OBJECT_CLASS (ak_rest_history_parent_class)->finalize (object);
}

static void
ak_rest_history_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AkRestHistory *self = AK_REST_HISTORY (object);

  switch (prop_id)
    {
    case HISTORY_PROP_N_ITEMS:
      g_value_set_uint (value, self->entries->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ak_rest_history_class_init (AkRestHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ak_rest_history_finalize;
  object_class->get_property = ak_rest_history_get_property;

  history_properties[HISTORY_PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, HISTORY_N_PROPS, history_properties);
}

static void
ak_rest_history_init (AkRestHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->load_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->flush_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_entries = AK_REST_HISTORY_DEFAULT_SIZE;
}

/**
 * ak_rest_history_get_default_path:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/<app id>/history.json
 */
char *
ak_rest_history_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "history.json", NULL);
}

/**
 * ak_rest_history_new:
 * @path: (nullable): the JSON file; %NULL for ak_rest_history_get_default_path()
 * @max_entries: how many entries to keep; 0 for %AK_REST_HISTORY_DEFAULT_SIZE
 *
 * Call ak_rest_history_load_async() before adding: entries added earlier are kept, and the
 * first add starts the load itself, so the file is never replaced by a shorter list.
 */
AkRestHistory *
ak_rest_history_new (const char *path,
                     guint       max_entries)
{
  AkRestHistory *self = g_object_new (AK_TYPE_REST_HISTORY, NULL);

  self->path = path != NULL ? g_strdup (path) : ak_rest_history_get_default_path ();
  self->file = g_file_new_for_path (self->path);
  if (max_entries > 0)
    self->max_entries = max_entries;
  return self;
}

const char *
ak_rest_history_get_path (AkRestHistory *self)
{
  g_return_val_if_fail (AK_IS_REST_HISTORY (self), NULL);
  return self->path;
}

static void
items_changed (AkRestHistory *self,
               guint          position,
               guint          removed,
               guint          added)
{
  if (removed == 0 && added == 0)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), history_properties[HISTORY_PROP_N_ITEMS]);
}

static void
trim (AkRestHistory *self)
{
  guint dropped;

  if (self->entries->len <= self->max_entries)
    return;
  dropped = self->entries->len - self->max_entries;
  g_ptr_array_set_size (self->entries, self->max_entries);
  items_changed (self, self->max_entries, dropped, 0);
}

static GBytes *
serialize (AkRestHistory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, HISTORY_FORMAT_VERSION);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    entry_build_json (g_ptr_array_index (self->entries, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

static void start_write (AkRestHistory *self);
static void start_load (AkRestHistory *self);

static void
complete_flush_waiters (AkRestHistory *self)
{
  g_autoptr(GPtrArray) waiters = NULL;

  if (self->loading || self->writing || self->dirty || self->flush_waiters->len == 0)
    return;

  waiters = g_steal_pointer (&self->flush_waiters);
  self->flush_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (self->write_error != NULL)
        g_task_return_error (task, g_error_copy (self->write_error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AkRestHistory) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_clear_error (&self->write_error);
      g_set_error (&self->write_error, AK_ERROR, AK_ERROR_FAILED,
                   _("The request history could not be saved in %s: %s"),
                   self->path, error->message);
      g_debug ("%s", self->write_error->message);
    }

  if (self->dirty)
    start_write (self);
  else
    complete_flush_waiters (self);
}

static void
start_write (AkRestHistory *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;

  self->dirty = FALSE;
  self->writing = TRUE;
  g_clear_error (&self->write_error);

  /* The history says which projects and endpoints were used: keep it to the user. */
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&self->write_error, AK_ERROR, AK_ERROR_FAILED,
                   _("The request history could not be saved in %s: %s"),
                   self->path, g_strerror (saved_errno));
      self->writing = FALSE;
      complete_flush_waiters (self);
      return;
    }

  bytes = serialize (self);
  g_file_replace_contents_bytes_async (self->file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE
                                       | G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, write_done, g_object_ref (self));
}

static void
schedule_write (AkRestHistory *self)
{
  self->dirty = TRUE;
  if (!self->loaded && !self->loading)
    start_load (self);
  if (self->loading || self->writing)
    return;
  start_write (self);
}

/**
 * ak_rest_history_add:
 * @entry: the entry; a reference is taken
 *
 * Puts @entry at the top, drops the oldest past the limit, and saves.
 */
void
ak_rest_history_add (AkRestHistory      *self,
                     AkRestHistoryEntry *entry)
{
  g_return_if_fail (AK_IS_REST_HISTORY (self));
  g_return_if_fail (AK_IS_REST_HISTORY_ENTRY (entry));

  g_ptr_array_insert (self->entries, 0, g_object_ref (entry));
  items_changed (self, 0, 0, 1);
  trim (self);
  schedule_write (self);
}

void
ak_rest_history_clear (AkRestHistory *self)
{
  guint n;

  g_return_if_fail (AK_IS_REST_HISTORY (self));

  n = self->entries->len;
  g_ptr_array_set_size (self->entries, 0);
  items_changed (self, 0, n, 0);
  /* What the file holds is cleared too, whether it is being read or not read yet. */
  if (!self->loaded)
    self->cleared_while_loading = TRUE;
  schedule_write (self);
}

/* Loading runs in a thread: the file may hold a couple of hundred request bodies. */

typedef struct
{
  GPtrArray *entries;
  GError *error;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->entries, g_ptr_array_unref);
  g_clear_error (&result->error);
  g_free (result);
}

/**
 * ak_rest_history_parse:
 * @data: a history file's contents, with a NUL after the last byte (as from
 *   g_file_get_contents())
 * @length: the length of @data, the NUL left out
 *
 * Returns: (transfer full) (element-type AkRestHistoryEntry): the entries, newest first,
 *   damaged ones left out; %NULL with @error set when @data is not a history file
 */
GPtrArray *
ak_rest_history_parse (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) root = NULL;
  JsonNode *list;
  JsonArray *array;

  g_return_val_if_fail (data != NULL, NULL);

  /* Written by us, but read as outside JSON: the file may have been edited or damaged. */
  root = ak_json_parse_untrusted (data, length, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (list = json_object_get_member (json_node_get_object (root), "entries")) == NULL
      || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_BAD_FIELD,
                           _("It does not hold a list of requests."));
      return NULL;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      AkRestHistoryEntry *entry = entry_new_from_json (json_array_get_element (array, i));

      /* One damaged entry does not cost the others. */
      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }
  return g_steal_pointer (&entries);
}

/* Like g_file_get_contents(), but only for a regular file and never past the size limit: a
 * history replaced by a FIFO, a device or a directory must neither hang the loader nor fill
 * the memory. One byte more than the limit is read, to tell "too large" apart. */
static gboolean
read_history_file (const char  *path,
                   char       **contents,
                   gsize       *length,
                   GError     **error)
{
  g_autofree char *data = NULL;
  struct stat info;
  gsize have = 0;
  gsize size;
  int saved_errno;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      close (fd);
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           _("it is not a regular file"));
      return FALSE;
    }

  size = MIN ((gsize) info.st_size, (gsize) MAX_HISTORY_FILE) + 1;
  data = g_malloc (size + 1);
  while (have < size)
    {
      gssize n = read (fd, data + have, size - have);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      have += (gsize) n;
    }
  close (fd);
  data[have] = '\0';
  *length = have;
  *contents = g_steal_pointer (&data);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  LoadResult *result = g_new0 (LoadResult, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *corrupt = NULL;
  gsize length = 0;

  if (!read_history_file (path, &data, &length, &error))
    {
      /* Nothing to load either way: a missing file is a new history, an unreadable one is
       * reported and left where it is. */
      result->entries = g_ptr_array_new_with_free_func (g_object_unref);
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (&result->error, AK_ERROR, AK_ERROR_FAILED,
                     _("The request history in %s could not be read: %s"), path,
                     error->message);
      g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
      return;
    }

  if (length > MAX_HISTORY_FILE)
    g_set_error (&parse_error, AK_ERROR, AK_ERROR_TOO_LARGE,
                 _("It is larger than %d MiB."), MAX_HISTORY_FILE / (1024 * 1024));
  else
    result->entries = ak_rest_history_parse (data, length, &parse_error);

  if (result->entries == NULL)
    {
      /* Kept for the user to look at or delete; the next save starts a new file. */
      corrupt = g_strconcat (path, ".corrupt", NULL);
      if (g_rename (path, corrupt) == 0)
        g_set_error (&result->error, AK_ERROR, AK_ERROR_BAD_FIELD,
                     _("The request history in %s could not be read (%s). It was kept as "
                       "%s and a new history was started."),
                     path, parse_error->message, corrupt);
      else
        g_set_error (&result->error, AK_ERROR, AK_ERROR_BAD_FIELD,
                     _("The request history in %s could not be read (%s), nor renamed: %s"),
                     path, parse_error->message, g_strerror (errno));
      result->entries = g_ptr_array_new_with_free_func (g_object_unref);
    }

  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void
load_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  AkRestHistory *self = AK_REST_HISTORY (source);
  LoadResult *result = g_task_propagate_pointer (G_TASK (res), NULL);
  g_autoptr(GPtrArray) waiters = NULL;
  guint before = self->entries->len;
  guint added = 0;

  self->loading = FALSE;
  self->loaded = TRUE;

  /* Entries added while loading are newer than anything in the file. */
  if (result != NULL && !self->cleared_while_loading)
    for (guint i = 0; i < result->entries->len && self->entries->len < self->max_entries; i++)
      {
        g_ptr_array_add (self->entries, g_object_ref (g_ptr_array_index (result->entries, i)));
        added++;
      }
  self->cleared_while_loading = FALSE;
  items_changed (self, before, 0, added);

  if (result != NULL && result->error != NULL)
    g_debug ("%s", result->error->message);

  waiters = g_steal_pointer (&self->load_waiters);
  self->load_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (result != NULL && result->error != NULL)
        g_task_return_error (task, g_error_copy (result->error));
      else
        g_task_return_boolean (task, TRUE);
    }

  if (result != NULL)
    load_result_free (result);

  if (self->dirty && !self->writing)
    start_write (self);
  else
    complete_flush_waiters (self);
}

static void
start_load (AkRestHistory *self)
{
  g_autoptr(GTask) task = NULL;

  self->loading = TRUE;
  task = g_task_new (self, NULL, load_done, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * ak_rest_history_load_async:
 *
 * Reads the file into the model, after any entries already added. A missing file is an empty
 * history. A file that cannot be parsed is renamed to "<path>.corrupt" and reported as an
 * error (%AK_ERROR_BAD_FIELD); the history then starts empty and works as usual.
 * Loading twice does not read the file twice.
 */
void
ak_rest_history_load_async (AkRestHistory       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AK_IS_REST_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_rest_history_load_async);

  if (self->loaded)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_ptr_array_add (self->load_waiters, g_steal_pointer (&task));
  if (!self->loading)
    start_load (self);
}

gboolean
ak_rest_history_load_finish (AkRestHistory  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ak_rest_history_flush_async:
 *
 * Completes once every change made so far is on disk (or failed to get there). For programs
 * that exit right after adding, such as the command line.
 */
void
ak_rest_history_flush_async (AkRestHistory       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (AK_IS_REST_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_rest_history_flush_async);
  g_ptr_array_add (self->flush_waiters, g_steal_pointer (&task));
  complete_flush_waiters (self);
}

gboolean
ak_rest_history_flush_finish (AkRestHistory  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------------
 * Copy as cURL
 */

/* Secret values become shell variables: the text carries a marker per value, and the marker
 * is then cut out and replaced by "$NAME" between the single-quoted pieces. */
typedef struct
{
  char *marker;
  GPtrArray *variables;
} Placeholders;

static char *
variable_name (const char *name)
{
  GString *out = g_string_new ("AGORA_");
  char previous = '_';

  for (const char *p = name; *p != '\0'; p++)
    {
      char c = *p;

      if (g_ascii_isupper (c) && (g_ascii_islower (previous) || g_ascii_isdigit (previous)))
        g_string_append_c (out, '_');
      if (g_ascii_isalnum (c))
        g_string_append_c (out, g_ascii_toupper (c));
      else if (out->str[out->len - 1] != '_')
        g_string_append_c (out, '_');
      previous = c;
    }
  while (out->len > 6 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 6)
    g_string_append (out, "SECRET");
  return g_string_free (out, FALSE);
}

static char *
replace_with_marker (const char *name,
                     gpointer    user_data)
{
  Placeholders *placeholders = user_data;

  g_ptr_array_add (placeholders->variables, variable_name (name));
  return g_strdup_printf ("%s%u_", placeholders->marker, placeholders->variables->len - 1);
}

/* @text as one shell word: single-quoted pieces, with "$VARIABLE" where a marker was. */
static void
append_shell_word (GString      *out,
                   const char   *text,
                   Placeholders *placeholders)
{
  const char *p = text;
  gsize marker_length = placeholders != NULL ? strlen (placeholders->marker) : 0;

  for (;;)
    {
      const char *found = placeholders != NULL ? strstr (p, placeholders->marker) : NULL;
      g_autofree char *piece = NULL;
      g_autofree char *quoted = NULL;
      guint64 index;
      char *end;

      if (found == NULL)
        {
          quoted = g_shell_quote (p);
          g_string_append (out, quoted);
          return;
        }

      index = g_ascii_strtoull (found + marker_length, &end, 10);
      if (*end != '_' || index >= placeholders->variables->len)
        {
          /* Not ours after all (cannot happen with a random marker): keep it as text. */
          piece = g_strndup (p, found + marker_length - p);
          quoted = g_shell_quote (piece);
          g_string_append (out, quoted);
          p = found + marker_length;
          continue;
        }

      if (found > p)
        {
          piece = g_strndup (p, found - p);
          quoted = g_shell_quote (piece);
          g_string_append (out, quoted);
        }
      g_string_append_printf (out, "\"$%s\"",
                              (const char *) g_ptr_array_index (placeholders->variables, index));
      p = end + 1;
      if (*p == '\0')
        return;
    }
}

/* Inside double quotes only \ " $ and ` are special. */
static void
append_double_quoted (GString    *out,
                      const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"' || *p == '$' || *p == '`')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

static void
append_header_arg (GString    *out,
                   const char *header)
{
  g_autofree char *quoted = g_shell_quote (header);

  g_string_append_printf (out, " -H %s", quoted);
}

static gboolean
has_header (const AkRestRequest *request,
            const char          *name)
{
  gsize length = strlen (name);

  if (request->headers == NULL)
    return FALSE;
  for (guint i = 0; i < request->headers->len; i++)
    {
      const char *header = g_ptr_array_index (request->headers, i);

      if (g_ascii_strncasecmp (header, name, length) == 0 && header[length] == ':')
        return TRUE;
    }
  return FALSE;
}

static void
append_auth_placeholders (GString             *out,
                          const AkRestRequest *request)
{
  g_autofree char *uid_header = NULL;
  g_autofree char *quoted = NULL;

  switch (request->auth.scheme)
    {
    case AK_AUTH_BASIC:
      g_string_append (out, " -u \"$AGORA_CUSTOMER_ID:$AGORA_CUSTOMER_SECRET\"");
      break;
    case AK_AUTH_AGORA_TOKEN:
      g_string_append (out, " -H \"Authorization: agora token=$AGORA_TOKEN\"");
      break;
    case AK_AUTH_X_AGORA:
      uid_header = g_strconcat ("x-agora-uid: ",
                                request->auth.user_id != NULL ? request->auth.user_id : "",
                                NULL);
      quoted = g_shell_quote (uid_header);
      g_string_append_printf (out, " -H \"x-agora-token: $AGORA_TOKEN\" -H %s", quoted);
      break;
    case AK_AUTH_BEARER:
    case AK_AUTH_CHAT_EXCHANGE:
      g_string_append (out, " -H \"Authorization: Bearer $AGORA_TOKEN\"");
      break;
    case AK_AUTH_NONE:
    default:
      break;
    }
}

static void
append_extra_header (GString    *out,
                     const char *header,
                     gboolean    with_secrets)
{
  const char *colon = strchr (header, ':');
  g_autofree char *name = NULL;
  g_autofree char *variable = NULL;

  if (colon == NULL)
    return;
  name = g_strstrip (g_strndup (header, colon - header));
  if (with_secrets || !ak_rest_header_is_secret (name))
    {
      append_header_arg (out, header);
      return;
    }

  variable = g_ascii_strcasecmp (name, "x-agora-token") == 0 ? g_strdup ("AGORA_TOKEN")
                                                              : variable_name (name);
  g_string_append (out, " -H \"");
  append_double_quoted (out, name);
  g_string_append_printf (out, ": $%s\"", variable);
}

static gboolean
is_plain_word (const char *text)
{
  if (text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/**
 * ak_rest_request_to_curl:
 * @request: the request
 * @auth_headers: (nullable) (element-type utf8): the real auth headers, from
 *   ak_rest_client_resolve_auth_finish(), when the user asked to include secrets
 *
 * Without @auth_headers the command holds no secret: the auth becomes
 * `-u "$AGORA_CUSTOMER_ID:$AGORA_CUSTOMER_SECRET"` or a header with `$AGORA_TOKEN`, credential
 * headers among the extra ones and secret-named JSON members and query parameters become
 * shell variables such as `$AGORA_SECRET_KEY`. Every other word is single-quoted.
 *
 * Returns: (transfer full): one line: `curl -X METHOD 'URL' -H 'Accept: application/json' …`
 */
char *
ak_rest_request_to_curl (const AkRestRequest *request,
                         GPtrArray           *auth_headers)
{
  gboolean with_secrets = auth_headers != NULL;
  const char *method;
  Placeholders placeholders = { NULL, NULL };
  GString *out;

  g_return_val_if_fail (request != NULL, NULL);

  method = request->method != NULL ? request->method : "GET";
  out = g_string_new ("curl -X ");
  if (is_plain_word (method))
    g_string_append (out, method);
  else
    {
      g_autofree char *quoted = g_shell_quote (method);

      g_string_append (out, quoted);
    }

  placeholders.marker = g_strdup_printf ("AKSECRET%08x%08x_", g_random_int (),
                                         g_random_int ());
  placeholders.variables = g_ptr_array_new_with_free_func (g_free);

  g_string_append_c (out, ' ');
  if (with_secrets)
    append_shell_word (out, request->url != NULL ? request->url : "", NULL);
  else
    {
      g_autofree char *url = redact_url (request->url != NULL ? request->url : "",
                                         replace_with_marker, &placeholders);

      append_shell_word (out, url, &placeholders);
    }

  if (!has_header (request, "Accept"))
    append_header_arg (out, "Accept: application/json");
  if (request->body != NULL && request->body[0] != '\0'
      && !has_header (request, "Content-Type"))
    append_header_arg (out, "Content-Type: application/json");

  if (with_secrets)
    for (guint i = 0; i < auth_headers->len; i++)
      append_header_arg (out, g_ptr_array_index (auth_headers, i));
  else
    append_auth_placeholders (out, request);

  if (request->headers != NULL)
    for (guint i = 0; i < request->headers->len; i++)
      append_extra_header (out, g_ptr_array_index (request->headers, i), with_secrets);

  if (request->body != NULL && request->body[0] != '\0')
    {
      g_string_append (out, " --data-raw ");
      if (with_secrets)
        append_shell_word (out, request->body, NULL);
      else
        {
          g_autofree char *body = redact_json (request->body, replace_with_marker,
                                               &placeholders);

          append_shell_word (out, body, &placeholders);
        }
    }

  g_free (placeholders.marker);
  g_ptr_array_unref (placeholders.variables);
  return g_string_free (out, FALSE);
}
