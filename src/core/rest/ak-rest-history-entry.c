/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ak-error.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-history-entry.h"
#include "ak-rest-history-private.h"
#include "ak-rest-private.h"
#include "ak-rest-redact.h"

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
  self->url = ak_rest_redact_url (request->url);

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
  const char *rest = NULL;
  g_autofree char *name = ak_rest_header_line_name (line, &rest);
  g_autofree char *value = NULL;

  if (name == NULL)
    return;
  value = g_strstrip (g_strdup (rest));
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

void
ak_rest_history_entry_build_json (AkRestHistoryEntry *self,
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

  ak_rest_history_entry_build_json (self, builder);
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
AkRestHistoryEntry *
ak_rest_history_entry_new_from_json (JsonNode *node)
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

