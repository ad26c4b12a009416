/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-clock.h"
#include "ak-credential.h"
#include "ak-duration.h"
#include "ak-error.h"
#include "ak-rest-private.h"
#include "ak-token-server-check.h"

/* ---------------------------------------------------------------------------------------------
 * Queries
 */

static const char * const token_type_names[] = { "rtc", "rtm", "chat" };
static const char * const role_names[] = { "publisher", "subscriber" };

const char *
ak_token_server_token_type_to_name (AkTokenServerTokenType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (token_type_names), NULL);
  return token_type_names[type];
}

gboolean
ak_token_server_token_type_from_name (const char             *name,
                                      AkTokenServerTokenType *type)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (token_type_names); i++)
    if (g_ascii_strcasecmp (name, token_type_names[i]) == 0)
      {
        if (type != NULL)
          *type = (AkTokenServerTokenType) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ak_token_server_role_to_name (AkTokenServerRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static guint32
requested_expire (const AkTokenServerQuery *query)
{
  return query->expire != 0 ? query->expire : AK_TOKEN_SERVER_DEFAULT_EXPIRE;
}

/**
 * ak_token_server_query_validate:
 *
 * Returns: %TRUE when agora-token-service would accept @query; otherwise %FALSE with an
 *   %AK_ERROR_INVALID_INPUT sentence naming what is missing
 */
gboolean
ak_token_server_query_validate (const AkTokenServerQuery  *query,
                                GError                   **error)
{
  g_return_val_if_fail (query != NULL, FALSE);

  if (query->token_type == AK_TOKEN_SERVER_TOKEN_RTC && *or_empty (query->channel) == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           _("Enter a channel name: an RTC token is made for one channel."));
      return FALSE;
    }
  if (query->token_type != AK_TOKEN_SERVER_TOKEN_CHAT && *or_empty (query->uid) == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           query->token_type == AK_TOKEN_SERVER_TOKEN_RTC
                             ? _("Enter a uid (0 for any user) or a user account.")
                             : _("Enter the RTM user ID."));
      return FALSE;
    }
  return TRUE;
}

/**
 * ak_token_server_query_to_json:
 *
 * Returns: (transfer full): the `/getToken` body for @query
 */
char *
ak_token_server_query_to_json (const AkTokenServerQuery *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (query != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tokenType");
  json_builder_add_string_value (builder, ak_token_server_token_type_to_name (query->token_type));
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder, or_empty (query->channel));
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, ak_token_server_role_to_name (query->role));
  /* The service declares uid as a string and parses numbers out of it itself. */
  json_builder_set_member_name (builder, "uid");
  json_builder_add_string_value (builder, or_empty (query->uid));
  json_builder_set_member_name (builder, "expire");
  json_builder_add_int_value (builder, requested_expire (query));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * ak_token_server_build_url:
 *
 * Returns: (transfer full): the `/getToken` URL, or %NULL with %AK_ERROR_INVALID_INPUT
 */
char *
ak_token_server_build_url (const char  *base_url,
                           GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (or_empty (base_url)));
  gsize length = strlen (trimmed);
  const char *scheme_end = strstr (trimmed, "://");
  gsize host_start = scheme_end != NULL ? (gsize) (scheme_end - trimmed) + 3 : 0;

  while (length > 0 && trimmed[length - 1] == '/')
    trimmed[--length] = '\0';

  /* A deployed server's address is often noted with its route already on it; in
   * "https://getToken" the name is a host, not the route. */
  if (g_str_has_suffix (trimmed, "/getToken") && length - strlen ("/getToken") > host_start)
    trimmed[length - strlen ("/getToken")] = '\0';
  return ak_rest_build_url (trimmed, "getToken", error);
}

/* ---------------------------------------------------------------------------------------------
 * Results
 */

struct _AkTokenServerResult
{
  gatomicrefcount ref_count;
  char *url;
  char *request_body;
  guint status;
  char *reason;
  gint64 duration_ms;
  char *token_text;
  AkToken *token;
  AkTokenCheck *check;
  AkCredential *project;
  GPtrArray *findings;
  AkTokenServerSeverity verdict;
  char *summary;
};

G_DEFINE_BOXED_TYPE (AkTokenServerResult, ak_token_server_result,
                     ak_token_server_result_ref, ak_token_server_result_unref)

static void
finding_free (gpointer data)
{
  AkTokenServerFinding *finding = data;

  g_free (finding->message);
  g_free (finding);
}

static AkTokenServerResult *
result_new (void)
{
  AkTokenServerResult *result = g_new0 (AkTokenServerResult, 1);

  g_atomic_ref_count_init (&result->ref_count);
  result->findings = g_ptr_array_new_with_free_func (finding_free);
  return result;
}

AkTokenServerResult *
ak_token_server_result_ref (AkTokenServerResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
ak_token_server_result_unref (AkTokenServerResult *result)
{
  g_return_if_fail (result != NULL);

  if (!g_atomic_ref_count_dec (&result->ref_count))
    return;
  g_free (result->url);
  g_free (result->request_body);
  g_free (result->reason);
  g_clear_pointer (&result->token_text, ak_secret_string_free);
  g_clear_pointer (&result->token, ak_token_unref);
  g_clear_pointer (&result->check, ak_token_check_unref);
  g_clear_object (&result->project);
  g_ptr_array_unref (result->findings);
  g_free (result->summary);
  g_free (result);
}

const char *
ak_token_server_result_get_url (const AkTokenServerResult *result)
{
  return result->url;
}

const char *
ak_token_server_result_get_request_body (const AkTokenServerResult *result)
{
  return result->request_body;
}

guint
ak_token_server_result_get_status (const AkTokenServerResult *result)
{
  return result->status;
}

const char *
ak_token_server_result_get_reason (const AkTokenServerResult *result)
{
  return result->reason;
}

gint64
ak_token_server_result_get_duration_ms (const AkTokenServerResult *result)
{
  return result->duration_ms;
}

const char *
ak_token_server_result_get_token_text (const AkTokenServerResult *result)
{
  return result->token_text;
}

AkToken *
ak_token_server_result_get_token (const AkTokenServerResult *result)
{
  return result->token;
}

AkTokenCheck *
ak_token_server_result_get_check (const AkTokenServerResult *result)
{
  return result->check;
}

AkCredential *
ak_token_server_result_get_project (const AkTokenServerResult *result)
{
  return result->project;
}

guint
ak_token_server_result_get_n_findings (const AkTokenServerResult *result)
{
  return result->findings->len;
}

const AkTokenServerFinding *
ak_token_server_result_get_finding (const AkTokenServerResult *result,
                                    guint                      index)
{
  g_return_val_if_fail (index < result->findings->len, NULL);
  return g_ptr_array_index (result->findings, index);
}

AkTokenServerSeverity
ak_token_server_result_get_verdict (const AkTokenServerResult *result)
{
  return result->verdict;
}

const char *
ak_token_server_result_get_summary (const AkTokenServerResult *result)
{
  return result->summary;
}

G_GNUC_PRINTF (4, 5)
static void
add_finding (AkTokenServerResult   *result,
             AkTokenServerSeverity  severity,
             AkTokenServerAspect    aspect,
             const char            *format,
             ...)
{
  AkTokenServerFinding *finding = g_new0 (AkTokenServerFinding, 1);
  va_list args;

  va_start (args, format);
  finding->severity = severity;
  finding->aspect = aspect;
  finding->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (result->findings, finding);
  result->verdict = MAX (result->verdict, severity);
}

static guint
count_findings (AkTokenServerResult   *result,
                AkTokenServerSeverity  severity)
{
  guint n = 0;

  for (guint i = 0; i < result->findings->len; i++)
    if (((AkTokenServerFinding *) g_ptr_array_index (result->findings, i))->severity == severity)
      n++;
  return n;
}

static void
summarize (AkTokenServerResult *result)
{
  guint n;

  if (result->token == NULL)
    {
      result->summary = g_strdup (_("The server gave no usable token."));
      return;
    }
  switch (result->verdict)
    {
    case AK_TOKEN_SERVER_ERROR:
      n = count_findings (result, AK_TOKEN_SERVER_ERROR);
      result->summary = g_strdup_printf (ngettext ("The server's token does not do what was "
                                                   "asked: %u problem.",
                                                   "The server's token does not do what was "
                                                   "asked: %u problems.", n),
                                         n);
      break;
    case AK_TOKEN_SERVER_WARNING:
      n = count_findings (result, AK_TOKEN_SERVER_WARNING);
      result->summary = g_strdup_printf (ngettext ("The server's token does what was asked, "
                                                   "with %u warning.",
                                                   "The server's token does what was asked, "
                                                   "with %u warnings.", n),
                                         n);
      break;
    case AK_TOKEN_SERVER_OK:
    default:
      result->summary = g_strdup (_("The server's token does what was asked and is signed with "
                                    "the stored certificate."));
      break;
    }
}

/* ---------------------------------------------------------------------------------------------
 * Words for findings
 */

static char *
format_lifetime (guint64 seconds)
{
  g_autofree char *words = NULL;

  if (seconds < 60)
    return ak_duration_format (seconds);
  words = ak_duration_format (seconds);
  /* Translators: a number of seconds, then the same duration in words, e.g. "7200 s (2 h)" */
  return g_strdup_printf (_("%llu s (%s)"), (unsigned long long) seconds, words);
}

static const char *
service_label (guint16 type)
{
  switch (type)
    {
    case AK_SERVICE_RTC:
      return "RTC";
    case AK_SERVICE_RTM:
      return "RTM";
    case AK_SERVICE_CHAT:
      return "Chat";
    case AK_SERVICE_RTM2:
      return "RTM 2";
    case AK_SERVICE_STREAMING:
    case AK_SERVICE_FPA:
    case AK_SERVICE_FCDN:
    case AK_SERVICE_APAAS:
    default:
      return ak_service_type_to_name (type) != NULL ? ak_service_type_to_name (type)
                                                    : C_("service", "unknown");
    }
}

static gboolean
is_all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* How agora-token-service reads a uid: an unsigned 64-bit number, or else an account. */
static gboolean
parse_integer_uid (const char *uid,
                   guint64    *value)
{
  return is_all_digits (uid) && g_ascii_string_to_unsigned (uid, 10, 0, G_MAXUINT64, value, NULL);
}

/* The user of an RTC service, as a phrase: "any user (uid 0)", "uid 42", "user account “x”". */
static char *
describe_rtc_user (const char *uid_text)
{
  if (*uid_text == '\0')
    return g_strdup (_("any user (uid 0)"));
  if (is_all_digits (uid_text))
    return g_strdup_printf (_("uid %s"), uid_text);
  return g_strdup_printf (_("user account “%s”"), uid_text);
}

/* A short, printable piece of a body that is not what was expected. */
static char *
body_excerpt (GBytes *body)
{
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  const char *valid_end = NULL;
  gsize length = MIN (size, 160);
  GString *excerpt;

  if (data == NULL || size == 0)
    return g_strdup ("");

  g_utf8_validate (data, (gssize) length, &valid_end);
  excerpt = g_string_new (NULL);
  for (const char *p = data; p < valid_end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          if (excerpt->len > 0 && excerpt->str[excerpt->len - 1] != ' ')
            g_string_append_c (excerpt, ' ');
        }
      else
        g_string_append_unichar (excerpt, c);
    }
  while (excerpt->len > 0 && excerpt->str[excerpt->len - 1] == ' ')
    g_string_truncate (excerpt, excerpt->len - 1);
  if (valid_end < data + size)
    g_string_append (excerpt, "…");
  return g_string_free (excerpt, FALSE);
}

static char *
status_line (AkRestResponse *response)
{
  if (response->reason != NULL && *response->reason != '\0')
    return g_strdup_printf ("%u %s", response->status, response->reason);
  return g_strdup_printf ("%u", response->status);
}

/* ---------------------------------------------------------------------------------------------
 * The answer
 */

static void
add_http_error_findings (AkTokenServerResult *result,
                         AkRestResponse      *response,
                         const char          *origin)
{
  g_autofree char *status = status_line (response);
  g_autofree char *excerpt = body_excerpt (response->body);
  const char *explained = response->error_summary != NULL ? response->error_summary : excerpt;

  if (response->error_summary != NULL)
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                 /* Translators: the HTTP status, then the server's error in a sentence */
                 _("The server answered %s. %s"), status, response->error_summary);
  else if (*excerpt != '\0')
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                 /* Translators: the HTTP status, then the body the server sent */
                 _("The server answered %s: “%s”"), status, excerpt);
  else
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                 _("The server answered %s, with no explanation."), status);

  /* agora-token-service's CORS check: {"error":"Origin not allowed"} with 403. */
  if (response->status == 403 && strstr (explained, "Origin") != NULL)
    {
      if (origin != NULL)
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                     _("The server does not allow the origin “%s”: use one of the origins in "
                       "its CORS_ALLOW_ORIGIN setting."), origin);
      else
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                     _("The server allows only listed origins: enter one of those in its "
                       "CORS_ALLOW_ORIGIN setting as the Origin."));
    }
  else if (response->status == 404 || response->status == 405)
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                 _("There is no POST /getToken at this address: check the base URL."));
}

static void
add_parse_error_finding (AkTokenServerResult *result,
                         const GError        *error)
{
  add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_TOKEN,
               _("The server's token is malformed: %s"), error->message);
}

/* Finds the token in a 2xx answer and parses it; adds what went wrong as findings. */
static void
read_token (AkTokenServerResult *result,
            AkRestResponse      *response)
{
  static const char * const legacy_members[] = { "rtcToken", "rtmToken", "chatToken" };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = status_line (response);
  g_autofree char *excerpt = NULL;
  JsonObject *object;
  JsonNode *member;
  gsize size = 0;
  const char *data = response->body != NULL ? g_bytes_get_data (response->body, &size) : "";

  root = ak_rest_parse_json (data, size);
  if (root == NULL)
    {
      g_autofree char *text = g_strstrip (g_strndup (data, size));
      g_autoptr(AkToken) bare = NULL;

      /* A token sent as the whole body: say so, without quoting the secret, and still
       * check it. */
      if (g_str_has_prefix (text, "00") && (bare = ak_token_parse (text, NULL)) != NULL)
        {
          add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                       _("The server sent a bare token, not the JSON {\"token\": …} that "
                         "agora-token-service clients expect."));
          result->token_text = g_steal_pointer (&text);
          result->token = g_steal_pointer (&bare);
          return;
        }
      excerpt = body_excerpt (response->body);
      if (*excerpt == '\0')
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                     _("The server answered %s with an empty body, not {\"token\": …}."),
                     status);
      else
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                     _("The server answered %s, but not with JSON: “%s”"), status, excerpt);
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  member = object != NULL ? json_object_get_member (object, "token") : NULL;
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_STRING
      || *json_node_get_string (member) == '\0')
    {
      const char *legacy = NULL;

      for (guint i = 0; object != NULL && i < G_N_ELEMENTS (legacy_members); i++)
        if (json_object_has_member (object, legacy_members[i]))
          legacy = legacy_members[i];

      if (legacy != NULL)
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                     _("The answer has “%s” but no “token”: that is the shape of "
                       "agora-token-service's old GET routes, not of POST /getToken."),
                     legacy);
      else if (member != NULL)
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                     _("The answer's “token” is empty or not a string."));
      else if (response->error_summary != NULL)
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                     _("The answer has no “token”. %s"), response->error_summary);
      else
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                     _("The answer has no “token” member."));
      return;
    }

  result->token_text = g_strdup (json_node_get_string (member));
  result->token = ak_token_parse (result->token_text, &error);
  if (result->token == NULL)
    add_parse_error_finding (result, error);
}

/* ---------------------------------------------------------------------------------------------
 * Comparing what the token grants with what was asked
 */

typedef struct
{
  AkTokenServerQuery query;
  char *channel;
  char *uid;
  char *origin;
  char *project_label;
  AkCredentialStore *store;
  AkRestRequest *request;
  AkTokenServerResult *result;
} CheckOp;

static void
check_op_free (CheckOp *op)
{
  g_free (op->channel);
  g_free (op->uid);
  g_free (op->origin);
  g_free (op->project_label);
  g_clear_object (&op->store);
  g_clear_pointer (&op->request, ak_rest_request_free);
  g_clear_pointer (&op->result, ak_token_server_result_unref);
  g_free (op);
}

static const AkService *
find_service (AkToken *token,
              guint16  type)
{
  for (guint i = 0; i < ak_token_get_n_services (token); i++)
    if (ak_token_get_service (token, i)->type == type)
      return ak_token_get_service (token, i);
  return NULL;
}

static guint16
expected_service_type (AkTokenServerTokenType type)
{
  switch (type)
    {
    case AK_TOKEN_SERVER_TOKEN_RTM:
      return AK_SERVICE_RTM;
    case AK_TOKEN_SERVER_TOKEN_CHAT:
      return AK_SERVICE_CHAT;
    case AK_TOKEN_SERVER_TOKEN_RTC:
    default:
      return AK_SERVICE_RTC;
    }
}

static void
compare_app_id (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  const char *app_id = ak_token_get_app_id (result->token);

  if (result->project == NULL)
    add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_APP_ID,
                 _("Issued for App ID %s."), app_id);
  else if (g_ascii_strcasecmp (ak_credential_get_app_id (result->project), app_id) != 0)
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_APP_ID,
                 _("The token is for App ID %s, not %s of “%s”: the server is set up for "
                   "another project."),
                 app_id, ak_credential_get_app_id (result->project),
                 ak_credential_get_label (result->project));
  else
    add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_APP_ID,
                 _("Issued for App ID %s of “%s”."), app_id,
                 ak_credential_get_label (result->project));
}

static void
add_signature_finding (CheckOp      *op,
                       const GError *error)
{
  AkTokenServerResult *result = op->result;
  AkTokenCheck *check = result->check;

  if (check == NULL)
    {
      add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_SIGNATURE,
                   _("The signature was not checked: %s"), error->message);
      return;
    }

  switch (ak_token_check_get_status (check))
    {
    case AK_TOKEN_CHECK_VALID:
      add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_SIGNATURE, "%s",
                   ak_token_check_get_message (check));
      break;
    case AK_TOKEN_CHECK_NO_PROJECT:
      add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_SIGNATURE,
                   _("No stored project has App ID %s, so the signature was not checked. "
                     "Store the project with its certificate to check it."),
                   ak_token_get_app_id (result->token));
      break;
    case AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID:
      add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_SIGNATURE, "%s",
                   ak_token_check_get_message (check));
      break;
    case AK_TOKEN_CHECK_SIGNATURE_MISMATCH:
    case AK_TOKEN_CHECK_CRC_MISMATCH:
    case AK_TOKEN_CHECK_INVALID_CERTIFICATE:
    default:
      add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_SIGNATURE, "%s",
                   ak_token_check_get_message (check));
      break;
    }
}

/* Returns the service of the type asked for, or NULL (with a finding) when there is none. */
static const AkService *
compare_services (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  AkToken *token = result->token;
  guint16 expected = expected_service_type (op->query.token_type);
  const AkService *main_service = find_service (token, expected);
  guint n = ak_token_get_n_services (token);

  if (main_service == NULL)
    {
      g_autoptr(GString) carried = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (carried, "%s%s", i > 0 ? ", " : "",
                                service_label (ak_token_get_service (token, i)->type));
      if (n == 0)
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_SERVICE,
                     _("The token grants no service at all, although a token for %s was asked."),
                     service_label (expected));
      else
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_SERVICE,
                     _("The token grants %s, not the %s asked."), carried->str,
                     service_label (expected));
      return NULL;
    }

  add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_SERVICE,
               _("A token for %s, as asked."), service_label (expected));

  for (guint i = 0; i < n; i++)
    {
      const AkService *service = ak_token_get_service (token, i);

      if (service == main_service)
        continue;
      /* agora-token-service puts an RTM stream channel in an RTC service. */
      if (op->query.token_type == AK_TOKEN_SERVER_TOKEN_RTM && service->type == AK_SERVICE_RTC
          && *op->channel != '\0')
        continue;
      add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_SERVICE,
                   _("It also grants %s, which was not asked for."),
                   service_label (service->type));
    }
  return main_service;
}

static void
compare_rtc_user (CheckOp         *op,
                  const AkService *service)
{
  AkTokenServerResult *result = op->result;
  const char *granted = or_empty (service->uid);
  g_autofree char *granted_words = describe_rtc_user (granted);
  g_autofree char *expected = NULL;
  g_autofree char *expected_words = NULL;
  guint64 value;

  if (!parse_integer_uid (op->uid, &value))
    {
      expected = g_strdup (op->uid);
    }
  else
    {
      expected = ak_uid_to_string ((guint32) value);
      if (value > G_MAXUINT32 && g_str_equal (granted, expected))
        {
          add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_USER,
                       _("The uid %s is above 4294967295: the server wrapped it to 32 bits, "
                         "as agora-token-service does, so the token is for %s."),
                       op->uid, granted_words);
          return;
        }
      if (value > G_MAXUINT32 && g_str_equal (granted, op->uid))
        {
          g_free (expected);
          expected = g_strdup (op->uid);
        }
    }

  if (g_str_equal (granted, expected))
    {
      add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_USER,
                   /* Translators: %s is "uid 42", "user account “x”" or "any user (uid 0)" */
                   _("For %s."), granted_words);
      return;
    }
  expected_words = describe_rtc_user (expected);
  add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_USER,
               /* Translators: each %s is "uid 42", "user account “x”" or "any user (uid 0)" */
               _("The token is for %s, not %s."), granted_words, expected_words);
}

static void
compare_rtc_role (CheckOp         *op,
                  const AkService *service)
{
  static const struct
  {
    guint16 id;
    const char *what;
  } publishing[] = {
    { AK_PRIV_RTC_PUBLISH_AUDIO, N_("audio") },
    { AK_PRIV_RTC_PUBLISH_VIDEO, N_("video") },
    { AK_PRIV_RTC_PUBLISH_DATA, N_("data streams") },
  };
  AkTokenServerResult *result = op->result;
  g_autoptr(GString) missing = g_string_new (NULL);
  guint granted = 0;

  if (!ak_service_get_privilege (service, AK_PRIV_RTC_JOIN_CHANNEL, NULL))
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_ROLE,
                 _("It does not grant joining the channel."));

  for (guint i = 0; i < G_N_ELEMENTS (publishing); i++)
    if (ak_service_get_privilege (service, publishing[i].id, NULL))
      granted++;
    else
      g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "",
                              _(publishing[i].what));

  if (op->query.role == AK_TOKEN_SERVER_ROLE_PUBLISHER)
    {
      if (granted == G_N_ELEMENTS (publishing))
        add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_ROLE,
                     _("It grants publishing audio, video and data streams, as publisher "
                       "asks."));
      else
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_ROLE,
                     _("It does not grant publishing %s although publisher was asked: with "
                       "strict token permission the user cannot publish that."),
                     missing->str);
    }
  else if (granted > 0)
    add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_ROLE,
                 _("It grants publishing although subscriber was asked: strict token "
                   "permission is needed for that to matter."));
  else
    add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_ROLE,
                 _("It grants joining only, as subscriber asks."));
}

static void
compare_rtc (CheckOp         *op,
             const AkService *service)
{
  AkTokenServerResult *result = op->result;
  const char *channel = or_empty (service->channel_name);

  if (g_str_equal (channel, op->channel))
    add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_CHANNEL,
                 _("For channel “%s”."), channel);
  else
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_CHANNEL,
                 _("The token is for channel “%s”, not “%s”."), channel, op->channel);

  compare_rtc_user (op, service);
  compare_rtc_role (op, service);
}

static void
compare_rtm (CheckOp         *op,
             const AkService *service)
{
  AkTokenServerResult *result = op->result;
  const char *user = or_empty (service->user_id);
  const AkService *stream;

  if (g_str_equal (user, op->uid))
    add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_USER,
                 _("For RTM user “%s”."), user);
  else
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_USER,
                 _("The token is for RTM user “%s”, not “%s”."), user, op->uid);

  if (!ak_service_get_privilege (service, AK_PRIV_RTM_LOGIN, NULL))
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_ROLE,
                 _("It does not grant RTM login."));

  if (*op->channel == '\0')
    return;
  stream = find_service (result->token, AK_SERVICE_RTC);
  if (stream == NULL)
    add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_CHANNEL,
                 _("It grants no stream channel, although “%s” was asked."), op->channel);
  else if (!g_str_equal (or_empty (stream->channel_name), op->channel))
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_CHANNEL,
                 _("The token's stream channel is “%s”, not “%s”."),
                 or_empty (stream->channel_name), op->channel);
  else
    add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_CHANNEL,
                 _("It also grants joining stream channel “%s”."), op->channel);
}

static void
compare_chat (CheckOp         *op,
              const AkService *service)
{
  AkTokenServerResult *result = op->result;
  const char *user = or_empty (service->user_id);
  gboolean app = ak_service_get_privilege (service, AK_PRIV_CHAT_APP, NULL);
  gboolean user_privilege = ak_service_get_privilege (service, AK_PRIV_CHAT_USER, NULL);

  if (*op->uid == '\0')
    {
      if (app)
        add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_USER,
                     _("A Chat app token, as an empty uid asks."));
      else
        add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_USER,
                     _("A Chat user token for “%s”, although an empty uid asks for an app "
                       "token."), user);
      return;
    }

  if (!user_privilege)
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_USER,
                 _("A Chat app token, although a user token for “%s” was asked."), op->uid);
  else if (!g_str_equal (user, op->uid))
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_USER,
                 _("The token is for Chat user “%s”, not “%s”."), user, op->uid);
  else
    add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_USER,
                 _("A Chat user token for “%s”."), user);
}

static void
compare_expiry (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  guint32 asked = requested_expire (&op->query);
  guint32 granted = ak_token_get_expire (result->token);
  g_autofree char *asked_words = format_lifetime (asked);
  g_autofree char *granted_words = format_lifetime (granted);

  if (granted > (guint64) asked + AK_TOKEN_SERVER_EXPIRE_TOLERANCE)
    add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_EXPIRY,
                 _("It lasts %s, longer than the %s asked: the server does not honour "
                   "“expire”."), granted_words, asked_words);
  else if ((guint64) granted + AK_TOKEN_SERVER_EXPIRE_TOLERANCE < asked)
    add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_EXPIRY,
                 _("It lasts only %s, not the %s asked."), granted_words, asked_words);
  else
    add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_EXPIRY,
                 _("It lasts %s, as asked."), granted_words);

  if (granted > 86400)
    add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_EXPIRY,
                 _("It lasts more than 24 hours, the longest lifetime Agora documents; "
                   "agora-token-service does not cap “expire”."));
}

static void
compare_privilege_expiries (CheckOp         *op,
                            const AkService *service)
{
  AkTokenServerResult *result = op->result;
  guint32 token_expire = ak_token_get_expire (result->token);
  guint problems = 0;

  for (guint i = 0; i < service->privileges->len; i++)
    {
      const AkPrivilege *privilege = &g_array_index (service->privileges, AkPrivilege, i);
      const char *name = ak_service_privilege_name (service->type, privilege->id);
      g_autofree char *fallback = NULL;

      if (name == NULL)
        name = fallback = g_strdup_printf ("%u", privilege->id);

      if (privilege->value == 0)
        {
          add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_PRIVILEGES,
                       _("The privilege “%s” has lifetime 0, which Agora's own parser shows as "
                         "expired at the issue time."), name);
          problems++;
        }
      else if ((guint64) privilege->value + AK_TOKEN_SERVER_EXPIRE_TOLERANCE < token_expire)
        {
          g_autofree char *privilege_words = format_lifetime (privilege->value);
          g_autofree char *token_words = format_lifetime (token_expire);

          add_finding (result, AK_TOKEN_SERVER_ERROR, AK_TOKEN_SERVER_ASPECT_PRIVILEGES,
                       _("The privilege “%s” ends after %s, before the token, which lasts "
                         "%s: the user loses it early."), name, privilege_words, token_words);
          problems++;
        }
    }

  if (problems == 0 && service->privileges->len > 0)
    add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_PRIVILEGES,
                 _("Every privilege lasts as long as the token."));
}

static void
compare_clock (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  gint64 skew = (gint64) ak_token_get_issue_ts (result->token) - ak_clock_now_unix ();
  g_autofree char *words = format_lifetime ((guint64) ABS (skew));

  if (skew > AK_TOKEN_SERVER_CLOCK_TOLERANCE)
    add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_CLOCK,
                 _("The token was issued %s in the future by this computer's clock: the "
                   "server's clock (or this one) is wrong."), words);
  else if (skew < -AK_TOKEN_SERVER_CLOCK_TOLERANCE)
    add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_CLOCK,
                 _("The token was issued %s ago by this computer's clock, so it expires that "
                   "much sooner than asked: check the server's clock."), words);
}

static void
compare_grants (CheckOp *op)
{
  AkTokenServerResult *result = op->result;
  const AkService *service;

  if (ak_token_get_version (result->token) != AK_TOKEN_VERSION_007)
    {
      /* 006 has no services to compare; its channel and uid went into the signature check. */
      add_finding (result, AK_TOKEN_SERVER_WARNING, AK_TOKEN_SERVER_ASPECT_TOKEN,
                   _("The server issued a legacy 006 token; agora-token-service issues "
                     "AccessToken2 (007) tokens."));
      return;
    }

  service = compare_services (op);
  if (service != NULL)
    {
      switch (op->query.token_type)
        {
        case AK_TOKEN_SERVER_TOKEN_RTM:
          compare_rtm (op, service);
          break;
        case AK_TOKEN_SERVER_TOKEN_CHAT:
          compare_chat (op, service);
          break;
        case AK_TOKEN_SERVER_TOKEN_RTC:
        default:
          compare_rtc (op, service);
          break;
        }
    }
  compare_expiry (op);
  if (service != NULL)
    compare_privilege_expiries (op, service);
  compare_clock (op);
}

/* ---------------------------------------------------------------------------------------------
 * The operation: load the store, send, read, check, compare
 */

/* These take over the caller's reference to @task. */
static void
return_result (GTask *task)
{
  CheckOp *op = g_task_get_task_data (task);

  summarize (op->result);
  g_task_return_pointer (task, g_steal_pointer (&op->result),
                         (GDestroyNotify) ak_token_server_result_unref);
  g_object_unref (task);
}

static void
token_checked (GObject      *object,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  GTask *task = user_data;
  CheckOp *op = g_task_get_task_data (task);
  AkTokenServerResult *result = op->result;
  g_autoptr(GError) error = NULL;

  result->check = ak_token_check_with_store_finish (AK_CREDENTIAL_STORE (object), async_result,
                                                    &error);
  if (result->check == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (result->project == NULL && result->check != NULL
      && ak_token_check_get_project (result->check) != NULL)
    result->project = g_object_ref (ak_token_check_get_project (result->check));

  compare_app_id (op);
  add_signature_finding (op, error);
  compare_grants (op);
  return_result (task);
}

static char *
expected_uid_text (CheckOp *op)
{
  guint64 value;

  if (parse_integer_uid (op->uid, &value))
    return ak_uid_to_string ((guint32) value);
  return g_strdup (op->uid);
}

static void
response_received (GObject      *object,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  CheckOp *op = g_task_get_task_data (task);
  AkTokenServerResult *result = op->result;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uid_text = NULL;

  response = ak_rest_client_send_finish (AK_REST_CLIENT (object), async_result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  result->status = response->status;
  result->reason = g_strdup (response->reason);
  result->duration_ms = response->duration_ms;

  if (response->status / 100 != 2)
    add_http_error_findings (result, response, op->origin);
  else
    read_token (result, response);

  if (result->token == NULL)
    {
      return_result (task);
      return;
    }

  if (result->findings->len == 0)
    {
      g_autofree char *status = status_line (response);

      add_finding (result, AK_TOKEN_SERVER_OK, AK_TOKEN_SERVER_ASPECT_RESPONSE,
                   _("The server answered %s with a token."), status);
    }

  /* Only 006 uses them: its signature covers the channel and uid. */
  uid_text = expected_uid_text (op);
  ak_token_check_with_store_async (op->store, result->token, op->channel, uid_text,
                                   g_task_get_cancellable (task), token_checked, task);
}

static void
send_request (GTask *task)
{
  CheckOp *op = g_task_get_task_data (task);
  AkRestClient *client = g_task_get_source_object (task);

  ak_rest_client_send_async (client, op->request, g_task_get_cancellable (task),
                             response_received, task);
}

static void
find_project_and_send (GTask *task)
{
  CheckOp *op = g_task_get_task_data (task);
  AkCredential *project;

  if (op->project_label == NULL)
    {
      send_request (task);
      return;
    }

  project = ak_credential_store_find (op->store, AK_CREDENTIAL_PROJECT, op->project_label);
  if (project == NULL)
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_NOT_FOUND,
                               _("No stored project is named “%s”."), op->project_label);
      g_object_unref (task);
      return;
    }
  op->result->project = g_object_ref (project);
  send_request (task);
}

static void
store_loaded (GObject      *object,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!ak_credential_store_load_finish (AK_CREDENTIAL_STORE (object), async_result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  find_project_and_send (task);
}

/**
 * ak_token_server_check_async:
 *
 * See the header.
 */
void
ak_token_server_check_async (AkRestClient             *client,
                             AkCredentialStore        *store,
                             const char               *base_url,
                             const char               *origin,
                             const AkTokenServerQuery *query,
                             const char               *project_label,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
  GTask *task;
  CheckOp *op;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (AK_IS_REST_CLIENT (client));
  g_return_if_fail (AK_IS_CREDENTIAL_STORE (store));
  g_return_if_fail (query != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, ak_token_server_check_async);

  op = g_new0 (CheckOp, 1);
  op->query = *query;
  op->channel = g_strdup (or_empty (query->channel));
  op->uid = g_strdup (or_empty (query->uid));
  op->query.channel = op->channel;
  op->query.uid = op->uid;
  op->origin = g_strstrip (g_strdup (or_empty (origin)));
  if (*op->origin == '\0')
    g_clear_pointer (&op->origin, g_free);
  op->project_label = project_label != NULL && *project_label != '\0' ? g_strdup (project_label)
                                                                      : NULL;
  op->store = g_object_ref (store);
  op->result = result_new ();
  op->result->request_body = ak_token_server_query_to_json (&op->query);
  g_task_set_task_data (task, op, (GDestroyNotify) check_op_free);

  url = ak_token_server_build_url (base_url, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  op->result->url = g_strdup (url);

  /* No credentials: the service has no authentication of its own. */
  op->request = ak_rest_request_new ("POST", url);
  op->request->auth.scheme = AK_AUTH_NONE;
  op->request->body = g_strdup (op->result->request_body);
  if (op->origin != NULL)
    ak_rest_request_add_header (op->request, "Origin", op->origin);

  if (op->project_label != NULL
      && ak_credential_store_get_state (store) == AK_KEYRING_STATE_UNKNOWN)
    ak_credential_store_load_async (store, cancellable, store_loaded, task);
  else
    find_project_and_send (task);
}

/**
 * ak_token_server_check_finish:
 *
 * Returns: (transfer full): what the server answered and what the check found, or %NULL with
 *   @error (see the header)
 */
AkTokenServerResult *
ak_token_server_check_finish (AkRestClient  *client,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ak_token_server_check_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
