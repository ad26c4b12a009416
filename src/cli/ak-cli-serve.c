/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-cli.h"

typedef struct
{
  char *project;
  gboolean secondary;
  int port;
  char *bind;
  char **origins;
  char **hosts;
} ServeOptions;

static void
serve_options_clear (ServeOptions *options)
{
  g_free (options->project);
  g_free (options->bind);
  g_strfreev (options->origins);
  g_strfreev (options->hosts);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ServeOptions, serve_options_clear)

static GOptionContext *
serve_option_context_new (ServeOptions *options)
{
  const GOptionEntry entries[] = {
    { "project", 0, 0, G_OPTION_ARG_STRING, &options->project,
      N_("The project whose certificate signs the tokens (required)"), N_("LABEL") },
    { "secondary", 0, 0, G_OPTION_ARG_NONE, &options->secondary,
      N_("Sign with the project's secondary certificate"), NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &options->port,
      N_("The port to listen on (default 0: a free port)"), N_("N") },
    { "bind", 0, 0, G_OPTION_ARG_STRING, &options->bind,
      N_("The IP address to listen on (default 127.0.0.1); any other needs an API key"),
      N_("ADDR") },
    { "allow-origin", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->origins,
      N_("A browser origin allowed to call the server, “scheme://host:*” for any port "
         "(repeatable; default http://localhost:* and http://127.0.0.1:*)"), N_("ORIGIN") },
    { "allow-host", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->hosts,
      N_("Another name requests may give as their Host, besides localhost, *.localhost, "
         "127.0.0.1 and [::1] (repeatable); other names get 421, against DNS rebinding"),
      N_("NAME") },
    { NULL }
  };

  return ak_cli_option_context_new_with_entries ("serve", NULL,
                                                 N_("Serve tokens for a project in the keyring "
                                                    "with agora-token-service's routes (POST "
                                                    "/getToken, GET /rtc/…, /rtm/…, /rte/…, "
                                                    "/chat/…, /ping). The first line printed is "
                                                    "the server's URL; requests are logged to "
                                                    "standard error without their tokens. Stop "
                                                    "it with Ctrl+C."),
                                                 entries);
}

char *
ak_cli_serve_help (void)
{
  g_auto(ServeOptions) options = { 0 };

  return ak_cli_option_context_free_to_help (serve_option_context_new (&options));
}

static void
on_request (AkTokenServer            *server,
            const AkTokenServerEntry *entry,
            gpointer                  user_data)
{
  g_autofree char *line = ak_token_server_entry_format (entry);
  g_autofree char *shown = ak_cli_printable (line);

  fprintf (stderr, "%s\n", shown);
  fflush (stderr);
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
ak_cli_serve (int    argc,
              char **argv)
{
  g_auto(ServeOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkTokenServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) hosts = NULL;
  AkCliWait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  guint sigint_id;
  guint sigterm_id;
  int status;

  context = serve_option_context_new (&options);
  if (!ak_cli_parse_options (context, "serve", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return ak_cli_usage_error ("serve", _("Unexpected argument “%s”"), argv[1]);
  if (options.project == NULL || *options.project == '\0')
    return ak_cli_usage_error ("serve", _("Say which project signs the tokens: --project LABEL"));
  if (options.port < 0 || options.port > 65535)
    return ak_cli_usage_error ("serve", _("--port expects a number from 0 to 65535"));
  if (options.bind != NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (options.bind);

      if (inet == NULL)
        return ak_cli_usage_error ("serve",
                                   _("--bind expects an IP address such as 127.0.0.1"));
    }

  if (options.hosts != NULL)
    {
      g_autofree char *joined = g_strjoinv (",", options.hosts);

      hosts = ak_token_server_parse_allowed_hosts (joined, &error);
      if (hosts == NULL)
        return ak_cli_usage_error ("serve", "--allow-host: %s", error->message);
    }

  store = ak_cli_credential_open_store (&error);
  if (store == NULL)
    return ak_cli_report_error ("serve", error);

  server = ak_token_server_new (store);
  ak_token_server_set_project_label (server, options.project);
  ak_token_server_set_secondary (server, options.secondary);
  ak_token_server_set_port (server, (guint) options.port);
  ak_token_server_set_bind_address (server, options.bind);
  if (options.origins != NULL)
    ak_token_server_set_allowed_origins (server, (const char * const *) options.origins);
  if (hosts != NULL)
    ak_token_server_set_allowed_hosts (server, (const char * const *) hosts);
  g_signal_connect (server, "request", G_CALLBACK (on_request), NULL);

  ak_token_server_start_async (server, NULL, ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  if (!ak_token_server_start_finish (server, result, &error))
    return ak_cli_report_error ("serve", error);

  url = ak_token_server_get_url (server);
  printf (_("listening on %s\n"), url);
  fflush (stdout);

  if (!ak_token_server_address_is_loopback (ak_token_server_get_bind_address (server)))
    {
      fprintf (stderr, "%s\n",
               _("Warning: this server is reachable from other computers. Anyone with the "
                 "API key below can get tokens for this project; keep it secret."));
      fprintf (stderr, _("API key (send “Authorization: Bearer KEY”): %s\n"),
               ak_token_server_get_api_key (server));
      fflush (stderr);
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  ak_token_server_stop (server);
  fprintf (stderr, "%s\n", _("Stopped."));
  return AK_CLI_EXIT_OK;
}
