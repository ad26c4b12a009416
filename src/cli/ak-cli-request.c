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
#include "ak-rest-catalogue.h"
#include "ak-rest-history.h"
#include "ak-cli.h"

/* A request body, or a pasted token: anything larger is a mistake. */
#define MAX_BODY_INPUT (16 * 1024 * 1024)
#define MAX_TOKEN_INPUT (64 * 1024)
#define MAX_TIMEOUT 3600
#define DEFAULT_HOST "api.agora.io"
/* A body up to this size is held until it is complete, so that certificates in a project
 * listing can be masked; a larger one goes to standard output as it arrives. */
#define MAX_HELD_BODY (8 * 1024 * 1024)

/* ---------------------------------------------------------------------------------------------
 * Waiting for core's async calls in a command
 */

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  g_main_loop_unref (wait->loop);
  return wait->result;
}

#define WAIT_INIT { g_main_loop_new (NULL, FALSE), NULL }

/* Loads the history file, for a listing or before adding to it. A file that could not be
 * parsed was set aside by core: say so, and carry on with an empty history. One that could
 * not be read at all (a directory, no permission) is still there: @unreadable says so, so
 * that a listing does not call it empty. */
static AkRestHistory *
history_open (gboolean *unreadable)
{
  AkRestHistory *history = ak_rest_history_new (NULL, 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = WAIT_INIT;

  ak_rest_history_load_async (history, NULL, got_result, &wait);
  result = wait_for (&wait);
  if (!ak_rest_history_load_finish (history, result, &error))
    ak_cli_print_error ("%s", error->message);
  if (unreadable != NULL)
    *unreadable = g_error_matches (error, AK_ERROR, AK_ERROR_FAILED);
  return history;
}

static void
history_flush (AkRestHistory *history)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = WAIT_INIT;

  ak_rest_history_flush_async (history, NULL, got_result, &wait);
  result = wait_for (&wait);
  if (!ak_rest_history_flush_finish (history, result, &error))
    ak_cli_print_error ("%s", error->message);
}

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

  context = ak_cli_option_context_new ("request", N_("METHOD PATH-OR-URL"),
                                       N_("Send a REST request with credentials from the "
                                          "keyring. The response body goes to standard "
                                          "output, the status line to standard error."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
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
  g_autoptr(GOptionContext) context = request_option_context_new (&o);

  return g_option_context_get_help (context, TRUE, NULL);
}

static gboolean
is_http_token (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
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

static gboolean
add_headers (AkRestRequest  *request,
             char          **headers,
             GError        **error)
{
  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    {
      const char *colon = strchr (headers[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon != NULL)
        name = g_strstrip (g_strndup (headers[i], colon - headers[i]));
      if (name == NULL || !is_http_token (name))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--header expects 'NAME: VALUE', not “%s”"), headers[i]);
          return FALSE;
        }
      value = g_strstrip (g_strdup (colon + 1));
      ak_rest_request_add_header (request, name, value);
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
      ak_cli_wipe_string (token);
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
  Wait wait = WAIT_INIT;
  guint sigint;
  guint sigterm;

  sigint = g_unix_signal_add (SIGINT, cancel_on_signal, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, cancel_on_signal, cancellable);
  fflush (stdout);
  ak_rest_client_send_to_stream_async (client, request, MAX_HELD_BODY, out, cancellable,
                                       got_result, &wait);
  result = wait_for (&wait);
  response = ak_rest_client_send_finish (client, result, &error);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (response != NULL)
    entry = ak_rest_history_entry_new (request, response, sent_at);
  else if (g_error_matches (error, AK_ERROR, AK_ERROR_HTTP))
    entry = ak_rest_history_entry_new_for_error (request, error, sent_at);

  if (keep_history && entry != NULL)
    {
      g_autoptr(AkRestHistory) history = history_open (NULL);

      ak_rest_history_add (history, entry);
      history_flush (history);
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

int
ak_cli_request (int    argc,
                char **argv)
{
  g_auto(RequestOptions) o = { 0 };
  g_autoptr(GOptionContext) context = request_option_context_new (&o);
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) project = NULL;
  g_autoptr(AkCredential) customer = NULL;
  g_autoptr(AkRestRequest) request = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) missing = NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *customer_label = NULL;
  const AkEndpoint *endpoint = NULL;
  const char *target;
  const char *host;
  AkAuthScheme scheme;
  gboolean convoai;
  gboolean stdin_taken = FALSE;
  int status;

  if (!ak_cli_parse_options (context, "request", &argc, &argv, &status))
    return status;

  /* What to send: a catalogued endpoint, or METHOD and PATH-OR-URL. */
  if (o.endpoint != NULL)
    {
      endpoint = ak_rest_catalogue_find (o.endpoint);
      if (endpoint == NULL)
        return ak_cli_usage_error ("request",
                                   _("No endpoint is called “%s”. Run “%s endpoints” to list "
                                     "them."), o.endpoint, AK_CLI_PROGRAM);
      if (argc > 1)
        return ak_cli_usage_error ("request", _("--endpoint takes the place of METHOD and "
                                                "PATH; “%s” is one too many"), argv[1]);
      method = g_strdup (endpoint->method);
      target = endpoint->path;
    }
  else
    {
      if (argc < 3)
        return ak_cli_usage_error ("request", _("Say what to send: METHOD PATH-OR-URL, or "
                                                "--endpoint ID"));
      if (argc > 3)
        return ak_cli_usage_error ("request", _("Unexpected argument “%s”"), argv[3]);
      method = g_ascii_strup (argv[1], -1);
      if (!is_http_token (method))
        return ak_cli_usage_error ("request", _("“%s” is not an HTTP method"), argv[1]);
      target = argv[2];
    }

  if (o.host != NULL && o.base_url != NULL)
    return ak_cli_usage_error ("request", _("Give --host or --base-url, not both"));
  if (looks_like_url (target) && (o.host != NULL || o.base_url != NULL))
    return ak_cli_usage_error ("request", _("--host and --base-url apply to a PATH, not to a "
                                            "full URL"));
  if (!looks_like_url (target) && target[0] != '/')
    return ak_cli_usage_error ("request", _("“%s” is neither a path (starting with “/”) nor "
                                            "an http:// or https:// URL"), target);
  if (o.timeout < 0 || o.timeout > MAX_TIMEOUT)
    return ak_cli_usage_error ("request", _("--timeout expects seconds from 1 to %d"),
                               MAX_TIMEOUT);
  if (o.secondary && o.project == NULL)
    return ak_cli_usage_error ("request", _("--secondary needs --project"));
  if (!parse_params (o.params, &values, &error))
    return ak_cli_report_error ("request", error);

  /* How to authenticate, and what that needs. */
  if (o.auth != NULL)
    {
      if (!ak_auth_scheme_from_name (o.auth, &scheme))
        return ak_cli_usage_error ("request", _("Unknown --auth “%s”: use none, basic, "
                                                "agora-token, x-agora, bearer or "
                                                "chat-exchange"), o.auth);
    }
  else if (endpoint != NULL)
    scheme = endpoint->auth;
  else
    scheme = o.customer != NULL ? AK_AUTH_BASIC : AK_AUTH_NONE;

  if (o.customer != NULL && scheme != AK_AUTH_BASIC)
    return ak_cli_usage_error ("request", _("--customer is only used with --auth basic"));
  convoai = endpoint != NULL && ak_rest_endpoint_is_convoai (endpoint->id);
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
  if (o.channel != NULL && !convoai)
    return ak_cli_usage_error ("request", _("--channel is only used with a Conversational AI "
                                            "endpoint"));
  if (convoai && scheme == AK_AUTH_AGORA_TOKEN && o.project == NULL)
    return ak_cli_usage_error ("request", _("--auth agora-token mints a ConvoAI token: it needs "
                                            "--project"));
  if ((scheme == AK_AUTH_AGORA_TOKEN || scheme == AK_AUTH_X_AGORA) && !convoai
      && (o.project == NULL || o.user == NULL))
    return ak_cli_usage_error ("request", _("--auth %s mints an RTM token: it needs --project "
                                            "and --user"), ak_auth_scheme_to_name (scheme));
  if (scheme == AK_AUTH_CHAT_EXCHANGE && o.project == NULL)
    return ak_cli_usage_error ("request", _("--auth chat-exchange needs --project"));

  if (o.data != NULL)
    {
      if (o.data[0] == '@')
        {
          body = ak_cli_read_input (o.data[1] == '\0' ? "-" : o.data + 1, MAX_BODY_INPUT,
                                    NULL, &error);
          if (body == NULL)
            return ak_cli_report_error ("request", error);
          stdin_taken = g_str_equal (o.data, "@-");
        }
      else
        body = g_strdup (o.data);
    }
  else if (endpoint != NULL && endpoint->body != NULL)
    return ak_cli_usage_error ("request", _("This endpoint takes a JSON body, for example "
                                            "--data '%s'"), endpoint->body);

  /* The agent a ConvoAI token is for must be known before anything is sent. */
  if (convoai && (scheme == AK_AUTH_AGORA_TOKEN
                  || (body != NULL && strstr (body, AK_REST_CONVOAI_TOKEN_PLACEHOLDER) != NULL)))
    {
      g_autofree char *agent_channel = NULL;
      g_autofree char *agent_account = NULL;

      if (!ak_rest_convoai_read_target (body, o.channel, o.user, &agent_channel, &agent_account,
                                        &error))
        return ak_cli_usage_error ("request", "%s", error->message);
    }

  /* The keyring only when a credential is named: a request without one works without it. */
  if (o.customer != NULL || o.project != NULL || scheme == AK_AUTH_BASIC)
    {
      store = ak_cli_credential_open_store (&error);
      if (store == NULL)
        return ak_cli_report_error ("request", error);
    }
  else
    store = ak_credential_store_new_in_memory ();

  if (o.project != NULL)
    {
      project = find_credential (store, AK_CREDENTIAL_PROJECT, o.project, &error);
      if (project == NULL)
        return ak_cli_report_error ("request", error);
    }
  if (scheme == AK_AUTH_BASIC)
    {
      customer_label = o.customer != NULL ? g_strdup (o.customer) : only_customer_label (store);
      if (customer_label == NULL)
        return ak_cli_usage_error ("request", _("--auth basic needs --customer LABEL (the "
                                                "keyring holds no customer credential, or "
                                                "more than one)"));
      customer = find_credential (store, AK_CREDENTIAL_CUSTOMER, customer_label, &error);
      if (customer == NULL)
        return ak_cli_report_error ("request", error);
    }

  /* Where to send it. */
  path = ak_rest_fill_path (target, project, values, &missing);
  if (missing[0] != NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; missing[i] != NULL; i++)
        g_string_append_printf (names, "%s{%s}", i > 0 ? ", " : "", missing[i]);
      return ak_cli_usage_error ("request", _("Fill in %s in the path: give --param NAME=VALUE, "
                                              "or --project for {appid}, {org} and {app}"),
                                 names->str);
    }

  if (o.base_url != NULL)
    host = o.base_url;
  else if (o.host != NULL)
    host = o.host;
  else if (endpoint != NULL && g_strcmp0 (endpoint->host, "chat") == 0)
    {
      host = project != NULL ? ak_credential_get_chat_host (project) : NULL;
      if (host == NULL || host[0] == '\0')
        return ak_cli_usage_error ("request", _("A Chat endpoint goes to the project’s Chat "
                                                "host: give --project with a Chat host, or "
                                                "--host"));
    }
  else if (endpoint != NULL && endpoint->host != NULL)
    /* The host the product's documentation names (Cloud Transcoding: api.sd-rtn.com). */
    host = endpoint->host;
  else
    host = DEFAULT_HOST;

  url = ak_rest_build_url (host, path, &error);
  if (url == NULL)
    return ak_cli_usage_error ("request", "%s", error->message);

  request = ak_rest_request_new (method, url);
  request->body = g_steal_pointer (&body);
  if (!add_headers (request, o.headers, &error))
    return ak_cli_report_error ("request", error);
  request->auth.scheme = scheme;
  request->auth.secondary = o.secondary;
  request->auth.user_id = g_strdup (o.user);
  request->auth.channel = g_strdup (o.channel);
  request->endpoint_id = g_strdup (endpoint != NULL ? endpoint->id : NULL);
  request->timeout_seconds = (guint) o.timeout;
  if (scheme == AK_AUTH_BASIC)
    request->auth.credential_label = g_strdup (ak_credential_get_label (customer));
  else if (project != NULL)
    request->auth.credential_label = g_strdup (ak_credential_get_label (project));

  if (scheme == AK_AUTH_BEARER
      && ((g_getenv ("AGORA_TOKEN") != NULL && g_getenv ("AGORA_TOKEN")[0] != '\0')
          || project == NULL))
    {
      request->auth.token = read_bearer_token (stdin_taken, &error);
      if (request->auth.token == NULL)
        return ak_cli_report_error ("request", error);
    }

  if (o.dry_run)
    {
      g_autofree char *shown = ak_cli_printable (request->url);

      printf ("%s %s\n", request->method, shown);
      return AK_CLI_EXIT_OK;
    }

  if (!confirm_endpoint (endpoint, o.yes))
    {
      ak_cli_print_error ("%s", _("Not sent."));
      return AK_CLI_EXIT_USAGE;
    }

  return send_request (store, request, !o.no_history);
}

/* ---------------------------------------------------------------------------------------------
 * endpoints
 */

static GOptionContext *
endpoints_option_context_new (gboolean *json)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, json, N_("Print JSON"), NULL },
    { NULL }
  };
  GOptionContext *context;

  context = ak_cli_option_context_new ("endpoints", NULL,
                                       N_("List the Agora REST endpoints “request --endpoint” "
                                          "knows: id, method, auth, effect and path."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

char *
ak_cli_endpoints_help (void)
{
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = endpoints_option_context_new (&json);

  return g_option_context_get_help (context, TRUE, NULL);
}

static void
print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

int
ak_cli_endpoints (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = endpoints_option_context_new (&json);
  const AkEndpoint *endpoints;
  const char *product = NULL;
  guint n;
  int status;

  if (!ak_cli_parse_options (context, "endpoints", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return ak_cli_usage_error ("endpoints", _("Unexpected argument “%s”"), argv[1]);

  endpoints = ak_rest_catalogue_get (&n);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          const AkEndpoint *e = &endpoints[i];

          json_builder_begin_object (builder);
          add_member (builder, "id", e->id);
          add_member (builder, "product", _(e->product));
          add_member (builder, "name", _(e->name));
          add_member (builder, "method", e->method);
          add_member (builder, "path", e->path);
          add_member (builder, "host", e->host);
          add_member (builder, "auth", ak_auth_scheme_to_name (e->auth));
          add_member (builder, "effect", ak_endpoint_effect_to_name (e->effect));
          add_member (builder, "body", e->body);
          add_member (builder, "confirm", e->confirm != NULL ? _(e->confirm) : NULL);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return AK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n; i++)
    {
      const AkEndpoint *e = &endpoints[i];

      if (g_strcmp0 (product, e->product) != 0)
        {
          product = e->product;
          printf ("%s%s\n", i > 0 ? "\n" : "", _(product));
        }
      printf ("  %-32s %-6s %-11s %-11s %s\n", e->id, e->method,
              ak_auth_scheme_to_name (e->auth), ak_endpoint_effect_to_name (e->effect),
              e->path);
    }
  return AK_CLI_EXIT_OK;
}

/* ---------------------------------------------------------------------------------------------
 * history
 */

typedef struct
{
  gboolean json;
  char *search;
  gboolean clear;
} HistoryOptions;

static void
history_options_clear (HistoryOptions *o)
{
  g_clear_pointer (&o->search, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HistoryOptions, history_options_clear)

static GOptionContext *
history_option_context_new (HistoryOptions *o)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print JSON"), NULL },
    { "search", 0, 0, G_OPTION_ARG_STRING, &o->search,
      N_("Only requests whose method, URL, status, endpoint, credential or error holds TEXT"),
      N_("TEXT") },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &o->clear, N_("Forget every request"), NULL },
    { NULL }
  };
  GOptionContext *context;

  context = ak_cli_option_context_new ("history", NULL,
                                       N_("List the requests sent from Agora Keys and "
                                          "agora-keys-cli, newest first. The history keeps no "
                                          "secret: credentials appear by label only."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

char *
ak_cli_history_help (void)
{
  g_auto(HistoryOptions) o = { 0 };
  g_autoptr(GOptionContext) context = history_option_context_new (&o);

  return g_option_context_get_help (context, TRUE, NULL);
}

static void
print_history_line (AkRestHistoryEntry *entry)
{
  g_autoptr(GDateTime) when =
    g_date_time_new_from_unix_local (ak_rest_history_entry_get_sent_at (entry));
  g_autofree char *date = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S")
                                       : g_strdup ("?");
  g_autofree char *url = ak_cli_printable (ak_rest_history_entry_get_url (entry));
  g_autofree char *status = NULL;
  const char *label = ak_rest_history_entry_get_credential_label (entry);
  const char *error = ak_rest_history_entry_get_error (entry);

  if (ak_rest_history_entry_get_status (entry) != 0)
    status = g_strdup_printf ("%u", ak_rest_history_entry_get_status (entry));
  else
    status = g_strdup ("---");

  printf ("%s  %-6s %s  %s", date, ak_rest_history_entry_get_method (entry), status, url);
  if (label != NULL)
    {
      g_autofree char *shown = ak_cli_printable (label);

      printf ("  (%s %s)", ak_auth_scheme_to_name (ak_rest_history_entry_get_auth_scheme (entry)),
              shown);
    }
  if (error != NULL)
    {
      g_autofree char *shown = ak_cli_printable (error);

      printf ("  · %s", shown);
    }
  putchar ('\n');
}

int
ak_cli_history (int    argc,
                char **argv)
{
  g_auto(HistoryOptions) o = { 0 };
  g_autoptr(GOptionContext) context = history_option_context_new (&o);
  g_autoptr(AkRestHistory) history = NULL;
  const char *search;
  guint n;
  guint shown = 0;
  gboolean unreadable = FALSE;
  int status;

  if (!ak_cli_parse_options (context, "history", &argc, &argv, &status))
    return status;
  search = o.search;
  if (argc > 1)
    return ak_cli_usage_error ("history", _("Unexpected argument “%s”"), argv[1]);
  if (o.clear && (o.json || search != NULL))
    return ak_cli_usage_error ("history", _("--clear lists nothing: give it alone"));

  history = history_open (&unreadable);
  if (unreadable)
    return AK_CLI_EXIT_INVALID;

  if (o.clear)
    {
      ak_rest_history_clear (history);
      history_flush (history);
      return AK_CLI_EXIT_OK;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  if (o.json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AkRestHistoryEntry) entry =
            g_list_model_get_item (G_LIST_MODEL (history), i);

          if (ak_rest_history_entry_matches (entry, search))
            json_array_add_element (array, ak_rest_history_entry_to_json (entry));
        }
      json_node_set_array (root, array);
      print_json (root);
      return AK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkRestHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

      if (!ak_rest_history_entry_matches (entry, search))
        continue;
      print_history_line (entry);
      shown++;
    }
  if (shown == 0)
    printf ("%s\n", search != NULL ? _("No request in the history matches.")
                                   : _("The request history is empty."));
  return AK_CLI_EXIT_OK;
}
