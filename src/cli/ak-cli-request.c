/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-rest-assembly.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-history.h"
#include "ak-cli.h"

/* A request body, or a pasted token: anything larger is a mistake. */
#define MAX_BODY_INPUT (16 * 1024 * 1024)
#define MAX_TOKEN_INPUT (64 * 1024)
#define MAX_TIMEOUT 3600
/* A body up to this size is held until it is complete, so that certificates in a project
 * listing can be masked; a larger one goes to standard output as it arrives. */
#define MAX_HELD_BODY (8 * 1024 * 1024)

/* ---------------------------------------------------------------------------------------------
 * request
 */

typedef struct
{
  char *host;
  char *base_url;
  char *auth;
  char *customer;
  char *project;
  gboolean secondary;
  char *user;
  char *channel;
  char *data;
  char **headers;
  char **params;
  int timeout;
  char *endpoint;
  gboolean yes;
  gboolean no_history;
  gboolean dry_run;
} RequestOptions;

static void
request_options_clear (RequestOptions *o)
{
  g_clear_pointer (&o->host, g_free);
  g_clear_pointer (&o->base_url, g_free);
  g_clear_pointer (&o->auth, g_free);
  g_clear_pointer (&o->customer, g_free);
  g_clear_pointer (&o->project, g_free);
  g_clear_pointer (&o->user, g_free);
  g_clear_pointer (&o->channel, g_free);
  g_clear_pointer (&o->data, g_free);
  g_clear_pointer (&o->headers, g_strfreev);
  g_clear_pointer (&o->params, g_strfreev);
  g_clear_pointer (&o->endpoint, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RequestOptions, request_options_clear)

static GOptionContext *
request_option_context_new (RequestOptions *o)
{
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &o->host,
      N_("Send a PATH to this host (default: the endpoint’s own host, else api.agora.io; a "
         "Chat endpoint uses the project’s Chat host)"), N_("HOST") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &o->base_url,
      N_("Send a PATH under this URL instead, such as a token server or http://127.0.0.1:8080"),
      N_("URL") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &o->auth,
      N_("none, basic, agora-token, x-agora, bearer or chat-exchange (default: the "
         "endpoint’s, else basic with --customer, else none)"), N_("SCHEME") },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &o->customer,
      N_("The customer credential for basic (may be left out when only one is stored)"),
      N_("LABEL") },
    { "project", 0, 0, G_OPTION_ARG_STRING, &o->project,
      N_("The project: fills {appid}, {org} and {app}, and mints tokens"), N_("LABEL") },
    { "secondary", 0, 0, G_OPTION_ARG_NONE, &o->secondary,
      N_("Mint tokens with the project’s secondary certificate"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user,
      N_("The RTM user id for agora-token and x-agora; for a Conversational AI call without a "
         "join body, the agent’s uid"), N_("ID") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &o->channel,
      N_("For a Conversational AI call without a join body: the agent’s channel"),
      N_("NAME") },
    { "data", 0, 0, G_OPTION_ARG_STRING, &o->data,
      N_("The JSON body, or @FILE to read it from a file (@- for standard input)"),
      N_("JSON") },
    { "header", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->headers,
      N_("An extra header (repeatable)"), N_("'NAME: VALUE'") },
    { "param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->params,
      N_("A value for a {placeholder} in the path (repeatable)"), N_("NAME=VALUE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout,
      N_("Give up after this many seconds (default 30)"), N_("S") },
    { "endpoint", 0, 0, G_OPTION_ARG_STRING, &o->endpoint,
      N_("Send a catalogued endpoint (see “endpoints”) instead of METHOD PATH"), N_("ID") },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &o->yes,
      N_("Do not ask before sending an endpoint that changes or deletes something"), NULL },
    { "no-history", 0, 0, G_OPTION_ARG_NONE, &o->no_history,
      N_("Do not add the request to the request history"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &o->dry_run,
      N_("Print the method and URL that would be sent, and send nothing"), NULL },
    { NULL }
  };
  GOptionContext *context;

  context = ak_cli_option_context_new_with_entries ("request", N_("METHOD PATH-OR-URL"),
                                                    N_("Send a REST request with credentials "
                                                       "from the keyring. The response body "
                                                       "goes to standard output, the status "
                                                       "line to standard error."),
                                                    entries);
  g_option_context_set_description (context,
                                    _("The bearer token for --auth bearer is minted from "
                                      "--project, or read from the AGORA_TOKEN environment "
                                      "variable or standard input; never from the command "
                                      "line.\n"
                                      "With --auth agora-token, a Conversational AI endpoint "
                                      "gets a ConvoAI token for the agent named by the body’s "
                                      "properties.channel and properties.agent_rtc_uid (or by "
                                      "--channel and --user), and a body whose "
                                      "properties.token is {convoai_token} gets one filled in "
                                      "at send time. An --auth the endpoint does not accept is "
                                      "sent anyway, with a warning.\n"
                                      "Exit status: 0 for a 2xx response, 4 for any other HTTP "
                                      "status, 1 when no response came (refused, DNS, TLS, "
                                      "timeout), 2 for a usage error, 5 when the keyring "
                                      "cannot be used."));
  return context;
}

char *
ak_cli_request_help (void)
{
  g_auto(RequestOptions) o = { 0 };

  return ak_cli_option_context_free_to_help (request_option_context_new (&o));
}

static gboolean
looks_like_url (const char *text)
{
  return g_str_has_prefix (text, "http://") || g_str_has_prefix (text, "https://");
}

static AkCredential *
find_credential (AkCredentialStore  *store,
                 AkCredentialKind    kind,
                 const char         *label,
                 GError            **error)
{
  AkCredential *credential = ak_credential_store_find (store, kind, label);
  g_autofree char *shown = NULL;

  if (credential != NULL)
    return g_object_ref (credential);

  shown = ak_cli_printable (label);
  if (kind == AK_CREDENTIAL_PROJECT)
    g_set_error (error, AK_ERROR, AK_ERROR_NOT_FOUND,
                 _("No project in the keyring is named “%s”. Run “%s credential list” to see "
                   "the labels."), shown, AK_CLI_PROGRAM);
  else
    g_set_error (error, AK_ERROR, AK_ERROR_NOT_FOUND,
                 _("No customer credential in the keyring is named “%s”. Run “%s credential "
                   "list” to see the labels."), shown, AK_CLI_PROGRAM);
  return NULL;
}

/* The one stored customer credential, for basic without --customer. */
static char *
only_customer_label (AkCredentialStore *store)
{
  GListModel *model = ak_credential_store_get_model (store);
  g_autofree char *label = NULL;
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (model, i);

      if (ak_credential_get_kind (credential) != AK_CREDENTIAL_CUSTOMER)
        continue;
      if (label != NULL)
        return NULL;
      label = g_strdup (ak_credential_get_label (credential));
    }
  return g_steal_pointer (&label);
}

static gboolean
parse_params (char       **params,
              GHashTable **values,
              GError     **error)
{
  *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    {
      const char *eq = strchr (params[i], '=');

      if (eq == NULL || eq == params[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--param expects NAME=VALUE, not “%s”"), params[i]);
          return FALSE;
        }
      g_hash_table_replace (*values, g_strndup (params[i], eq - params[i]), g_strdup (eq + 1));
    }
  return TRUE;
}

/* The pasted Bearer token: from the environment, else standard input. */
static char *
read_bearer_token (gboolean   stdin_taken,
                   GError   **error)
{
  const char *from_env = g_getenv ("AGORA_TOKEN");
  char *token;

  if (from_env != NULL && from_env[0] != '\0')
    return g_strstrip (g_strdup (from_env));

  if (stdin_taken)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--auth bearer reads the token from standard input, which --data "
                             "@- already takes: put the token in AGORA_TOKEN instead"));
      return NULL;
    }
  if (isatty (STDIN_FILENO))
    fprintf (stderr, "%s", _("Paste the Bearer token, then press Enter and Ctrl+D: "));

  token = ak_cli_read_input ("-", MAX_TOKEN_INPUT, NULL, error);
  if (token == NULL)
    return NULL;
  g_strstrip (token);
  if (token[0] == '\0')
    {
      ak_secret_wipe_string (token);
      g_free (token);
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--auth bearer needs a token: give --project to mint a Chat app "
                             "token, or put one in AGORA_TOKEN or on standard input"));
      return NULL;
    }
  return token;
}

static gboolean
confirm_endpoint (const AkEndpoint *endpoint,
                  gboolean          yes)
{
  char answer[16] = { 0 };

  if (yes || endpoint == NULL || endpoint->effect == AK_ENDPOINT_READ)
    return TRUE;

  if (!isatty (STDIN_FILENO) || !isatty (STDERR_FILENO))
    {
      ak_cli_print_error (_("%s Add --yes to send it."), _(endpoint->confirm));
      return FALSE;
    }

  fprintf (stderr, "%s\n%s ", _(endpoint->confirm), _("Send it? [y/N]"));
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);
  /* TRANSLATORS: the answer that means yes to "Send it? [y/N]" */
  return g_ascii_strcasecmp (answer, "y") == 0 || g_ascii_strcasecmp (answer, "yes") == 0
         || g_ascii_strcasecmp (answer, _("y")) == 0;
}

static gboolean
cancel_on_signal (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
print_status_line (const AkRestResponse *response)
{
  g_autofree char *shown_size = g_format_size (response->body_length);
  g_autofree char *reason = ak_cli_printable (response->reason);

  /* TRANSLATORS: "HTTP 200 OK · 123 ms · 456 bytes" */
  fprintf (stderr, _("HTTP %u %s · %lld ms · %s"),
           response->status, reason, (long long) response->duration_ms, shown_size);
  if (response->error_summary != NULL && response->error_summary[0] != '\0')
    {
      g_autofree char *summary = ak_cli_printable (response->error_summary);

      fprintf (stderr, " · %s", summary);
    }
  fputc ('\n', stderr);
  if (response->request_id != NULL && response->request_id[0] != '\0')
    {
      g_autofree char *request_id = ak_cli_printable (response->request_id);

      fprintf (stderr, "X-Request-ID: %s\n", request_id);
    }
}

static void
print_body (const AkRestResponse *response)
{
  const char *data = NULL;
  gsize length = 0;

  if (response->masked_body != NULL)
    {
      data = response->masked_body;
      length = strlen (data);
    }
  else if (response->body != NULL)
    data = g_bytes_get_data (response->body, &length);

  /* A large body went out while it arrived. */
  if (length == 0 || response->body_truncated)
    return;
  fwrite (data, 1, length, stdout);
  if (data[length - 1] != '\n' && isatty (STDOUT_FILENO))
    fputc ('\n', stdout);
  fflush (stdout);
}

static int
send_request (AkCredentialStore   *store,
              const AkRestRequest *request,
              gboolean             keep_history)
{
  g_autoptr(AkRestClient) client = ak_rest_client_new (store);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(AkRestHistoryEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sent_at = g_get_real_time () / G_USEC_PER_SEC;
  AkCliWait wait = { NULL };
  guint sigint;
  guint sigterm;

  sigint = g_unix_signal_add (SIGINT, cancel_on_signal, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, cancel_on_signal, cancellable);
  fflush (stdout);
  ak_rest_client_send_to_stream_async (client, request, MAX_HELD_BODY, out, cancellable,
                                       ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  response = ak_rest_client_send_finish (client, result, &error);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (response != NULL)
    entry = ak_rest_history_entry_new (request, response, sent_at);
  else if (g_error_matches (error, AK_ERROR, AK_ERROR_HTTP))
    entry = ak_rest_history_entry_new_for_error (request, error, sent_at);

  if (keep_history && entry != NULL)
    {
      g_autoptr(AkRestHistory) history = ak_cli_history_open (NULL);

      ak_rest_history_add (history, entry);
      ak_cli_history_flush (history);
    }

  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          ak_cli_print_error ("%s", _("Cancelled."));
          return AK_CLI_EXIT_INVALID;
        }
      return ak_cli_report_error (NULL, error);
    }

  print_body (response);
  print_status_line (response);
  return response->success ? AK_CLI_EXIT_OK : AK_CLI_EXIT_HTTP_STATUS;
}

/* What ak_cli_request() has settled so far; each step below fills in its part. */
typedef struct
{
  const AkEndpoint *endpoint;
  char *method;
  const char *target;
  GHashTable *values;
  AkAuthScheme scheme;
  gboolean convoai;
  char *body;
  gboolean stdin_taken;
  AkCredential *project;
  AkCredential *customer;
} RequestPlan;

static void
request_plan_clear (RequestPlan *plan)
{
  g_clear_pointer (&plan->method, g_free);
  g_clear_pointer (&plan->values, g_hash_table_unref);
  g_clear_pointer (&plan->body, ak_secret_string_free);
  g_clear_object (&plan->project);
  g_clear_object (&plan->customer);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RequestPlan, request_plan_clear)

/* What to send: a catalogued endpoint, or METHOD and PATH-OR-URL; and where it may go. */
static int
plan_target (const RequestOptions *o,
             int                   argc,
             char                **argv,
             RequestPlan          *plan)
{
  g_autoptr(GError) error = NULL;

  if (o->endpoint != NULL)
    {
      plan->endpoint = ak_rest_catalogue_find (o->endpoint);
      if (plan->endpoint == NULL)
        return ak_cli_usage_error ("request",
                                   _("No endpoint is called “%s”. Run “%s endpoints” to list "
                                     "them."), o->endpoint, AK_CLI_PROGRAM);
      if (argc > 1)
        return ak_cli_usage_error ("request", _("--endpoint takes the place of METHOD and "
                                                "PATH; “%s” is one too many"), argv[1]);
      plan->method = g_strdup (plan->endpoint->method);
      plan->target = plan->endpoint->path;
    }
  else
    {
      if (argc < 3)
        return ak_cli_usage_error ("request", _("Say what to send: METHOD PATH-OR-URL, or "
                                                "--endpoint ID"));
      if (argc > 3)
        return ak_cli_usage_error ("request", _("Unexpected argument “%s”"), argv[3]);
      plan->method = g_ascii_strup (argv[1], -1);
      if (!ak_rest_is_http_token (plan->method))
        return ak_cli_usage_error ("request", _("“%s” is not an HTTP method"), argv[1]);
      plan->target = argv[2];
    }

  if (o->host != NULL && o->base_url != NULL)
    return ak_cli_usage_error ("request", _("Give --host or --base-url, not both"));
  if (looks_like_url (plan->target) && (o->host != NULL || o->base_url != NULL))
    return ak_cli_usage_error ("request", _("--host and --base-url apply to a PATH, not to a "
                                            "full URL"));
  if (!looks_like_url (plan->target) && plan->target[0] != '/')
    return ak_cli_usage_error ("request", _("“%s” is neither a path (starting with “/”) nor "
                                            "an http:// or https:// URL"), plan->target);
  if (o->timeout < 0 || o->timeout > MAX_TIMEOUT)
    return ak_cli_usage_error ("request", _("--timeout expects seconds from 1 to %d"),
                               MAX_TIMEOUT);
  if (o->secondary && o->project == NULL)
    return ak_cli_usage_error ("request", _("--secondary needs --project"));
  if (!parse_params (o->params, &plan->values, &error))
    return ak_cli_report_error ("request", error);
  return AK_CLI_GO_ON;
}

/* How to authenticate, and what that needs. */
static int
plan_auth (const RequestOptions *o,
           RequestPlan          *plan)
{
  const AkEndpoint *endpoint = plan->endpoint;
  AkAuthScheme scheme;

  if (o->auth != NULL)
    {
      if (!ak_auth_scheme_from_name (o->auth, &scheme))
        return ak_cli_usage_error ("request", _("Unknown --auth “%s”: use none, basic, "
                                                "agora-token, x-agora, bearer or "
                                                "chat-exchange"), o->auth);
    }
  else if (endpoint != NULL)
    scheme = endpoint->auth;
  else
    scheme = o->customer != NULL ? AK_AUTH_BASIC : AK_AUTH_NONE;
  plan->scheme = scheme;

  if (o->customer != NULL && scheme != AK_AUTH_BASIC)
    return ak_cli_usage_error ("request", _("--customer is only used with --auth basic"));
  plan->convoai = endpoint != NULL && ak_rest_endpoint_is_convoai (endpoint->id);
  if (endpoint != NULL && !ak_endpoint_accepts_auth (endpoint, scheme))
    {
      g_autoptr(GString) accepted = g_string_new (ak_auth_scheme_to_name (endpoint->auth));

      for (guint i = 0; i <= AK_AUTH_CHAT_EXCHANGE; i++)
        if (i != endpoint->auth && ak_endpoint_accepts_auth (endpoint, (AkAuthScheme) i))
          g_string_append_printf (accepted, ", %s", ak_auth_scheme_to_name ((AkAuthScheme) i));
      /* Sent all the same: the user asked for it, and a server may know better than the
       * catalogue. */
      fprintf (stderr, _("warning: the endpoint %s does not take --auth %s (it takes %s): "
                         "the server will likely refuse it\n"), endpoint->id,
               ak_auth_scheme_to_name (scheme), accepted->str);
    }
  if (o->channel != NULL && !plan->convoai)
    return ak_cli_usage_error ("request", _("--channel is only used with a Conversational AI "
                                            "endpoint"));
  if (plan->convoai && scheme == AK_AUTH_AGORA_TOKEN && o->project == NULL)
    return ak_cli_usage_error ("request", _("--auth agora-token mints a ConvoAI token: it needs "
                                            "--project"));
  if ((scheme == AK_AUTH_AGORA_TOKEN || scheme == AK_AUTH_X_AGORA) && !plan->convoai
      && (o->project == NULL || o->user == NULL))
    return ak_cli_usage_error ("request", _("--auth %s mints an RTM token: it needs --project "
                                            "and --user"), ak_auth_scheme_to_name (scheme));
  if (scheme == AK_AUTH_CHAT_EXCHANGE && o->project == NULL)
    return ak_cli_usage_error ("request", _("--auth chat-exchange needs --project"));
  return AK_CLI_GO_ON;
}

/* The body, from --data; and for ConvoAI, the agent it mints a token for. */
static int
plan_body (const RequestOptions *o,
           RequestPlan          *plan)
{
  g_autoptr(GError) error = NULL;

  if (o->data != NULL)
    {
      if (o->data[0] == '@')
        {
          plan->body = ak_cli_read_input (o->data[1] == '\0' ? "-" : o->data + 1,
                                          MAX_BODY_INPUT, NULL, &error);
          if (plan->body == NULL)
            return ak_cli_report_error ("request", error);
          plan->stdin_taken = g_str_equal (o->data, "@-");
        }
      else
        plan->body = g_strdup (o->data);
    }
  else if (plan->endpoint != NULL && plan->endpoint->body != NULL)
    return ak_cli_usage_error ("request", _("This endpoint takes a JSON body, for example "
                                            "--data '%s'"), plan->endpoint->body);

  /* The agent a ConvoAI token is for must be known before anything is sent. */
  if (plan->convoai
      && (plan->scheme == AK_AUTH_AGORA_TOKEN
          || (plan->body != NULL
              && strstr (plan->body, AK_REST_CONVOAI_TOKEN_PLACEHOLDER) != NULL)))
    {
      g_autofree char *agent_channel = NULL;
      g_autofree char *agent_account = NULL;

      if (!ak_rest_convoai_read_target (plan->body, o->channel, o->user, &agent_channel,
                                        &agent_account, &error))
        return ak_cli_usage_error ("request", "%s", error->message);
    }
  return AK_CLI_GO_ON;
}

/* The keyring only when a credential is named: a request without one works without it. */
static int
plan_credentials (const RequestOptions *o,
                  RequestPlan          *plan,
                  AkCredentialStore   **store_out)
{
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer_label = NULL;

  if (o->customer != NULL || o->project != NULL || plan->scheme == AK_AUTH_BASIC)
    {
      store = ak_cli_credential_open_store (&error);
      if (store == NULL)
        return ak_cli_report_error ("request", error);
    }
  else
    store = ak_credential_store_new_in_memory ();

  if (o->project != NULL)
    {
      plan->project = find_credential (store, AK_CREDENTIAL_PROJECT, o->project, &error);
      if (plan->project == NULL)
        return ak_cli_report_error ("request", error);
    }
  if (plan->scheme == AK_AUTH_BASIC)
    {
      customer_label = o->customer != NULL ? g_strdup (o->customer)
                                           : only_customer_label (store);
      if (customer_label == NULL)
        return ak_cli_usage_error ("request", _("--auth basic needs --customer LABEL (the "
                                                "keyring holds no customer credential, or "
                                                "more than one)"));
      plan->customer = find_credential (store, AK_CREDENTIAL_CUSTOMER, customer_label, &error);
      if (plan->customer == NULL)
        return ak_cli_report_error ("request", error);
    }

  *store_out = g_steal_pointer (&store);
  return AK_CLI_GO_ON;
}

/* The request itself (the path filled in, under the host the options and endpoint choose,
 * with its headers and authentication) and, for bearer, the token. */
static int
plan_request (const RequestOptions *o,
              RequestPlan          *plan,
              AkRestRequest       **request_out)
{
  g_auto(AkRestAssemblyResult) result = { 0 };
  g_autoptr(AkRestRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  AkRestAssembly assembly = {
    .method = plan->method,
    .target = plan->target,
    .endpoint = plan->endpoint,
    .base_url = o->base_url,
    .host = o->host,
    .project = plan->project,
    .customer = plan->customer != NULL ? ak_credential_get_label (plan->customer) : NULL,
    .values = plan->values,
    .headers = (const char * const *) o->headers,
    .body = plan->body,
    .scheme = plan->scheme,
    .secondary = o->secondary,
    .user = o->user,
    .channel = o->channel,
    .timeout_seconds = (guint) o->timeout,
  };

  request = ak_rest_assembly_build (&assembly, &result, &error);
  switch (result.failure)
    {
    case AK_REST_ASSEMBLY_OK:
      break;
    case AK_REST_ASSEMBLY_MISSING_PLACEHOLDERS:
      {
        g_autofree char *names =
          ak_rest_format_placeholders ((const char * const *) result.missing);

        return ak_cli_usage_error ("request", _("Fill in %s in the path: give --param "
                                                "NAME=VALUE, or --project for {appid}, {org} "
                                                "and {app}"), names);
      }
    case AK_REST_ASSEMBLY_NO_CHAT_HOST:
      return ak_cli_usage_error ("request", _("A Chat endpoint goes to the project’s Chat "
                                              "host: give --project with a Chat host, or "
                                              "--host"));
    case AK_REST_ASSEMBLY_BAD_URL:
      return ak_cli_usage_error ("request", "%s", error->message);
    case AK_REST_ASSEMBLY_BAD_HEADER:
      g_clear_error (&error);
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--header expects 'NAME: VALUE', not “%s”"),
                   o->headers[result.bad_header]);
      return ak_cli_report_error ("request", error);
    }
  g_clear_pointer (&plan->body, ak_secret_string_free);

  if (plan->scheme == AK_AUTH_BEARER
      && ((g_getenv ("AGORA_TOKEN") != NULL && g_getenv ("AGORA_TOKEN")[0] != '\0')
          || plan->project == NULL))
    {
      request->auth.token = read_bearer_token (plan->stdin_taken, &error);
      if (request->auth.token == NULL)
        return ak_cli_report_error ("request", error);
    }

  *request_out = g_steal_pointer (&request);
  return AK_CLI_GO_ON;
}

int
ak_cli_request (int    argc,
                char **argv)
{
  g_auto(RequestOptions) o = { 0 };
  g_auto(RequestPlan) plan = { 0 };
  g_autoptr(GOptionContext) context = request_option_context_new (&o);
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkRestRequest) request = NULL;
  int status;

  if (!ak_cli_parse_options (context, "request", &argc, &argv, &status))
    return status;

  if ((status = plan_target (&o, argc, argv, &plan)) != AK_CLI_GO_ON
      || (status = plan_auth (&o, &plan)) != AK_CLI_GO_ON
      || (status = plan_body (&o, &plan)) != AK_CLI_GO_ON
      || (status = plan_credentials (&o, &plan, &store)) != AK_CLI_GO_ON
      || (status = plan_request (&o, &plan, &request)) != AK_CLI_GO_ON)
    return status;

  if (o.dry_run)
    {
      g_autofree char *shown = ak_cli_printable (request->url);

      printf ("%s %s\n", request->method, shown);
      return AK_CLI_EXIT_OK;
    }

  if (!confirm_endpoint (plan.endpoint, o.yes))
    {
      ak_cli_print_error ("%s", _("Not sent."));
      return AK_CLI_EXIT_USAGE;
    }

  return send_request (store, request, !o.no_history);
}
