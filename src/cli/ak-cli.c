/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ak-core.h"
#include "ak-cli.h"

typedef struct
{
  const char *name;
  const char *summary;
  AkCliCommandFunc run;
  AkCliHelpFunc help;
} AkCliCommand;

static const AkCliCommand commands[] = {
  { "build", N_("Build a token from a JSON spec or from named flags"),
    ak_cli_build, ak_cli_build_help },
  { "decode", N_("Show what a token contains and check its signature"),
    ak_cli_decode, ak_cli_decode_help },
  { "doctor", N_("Say why a token is rejected, and what to change"),
    ak_cli_doctor, ak_cli_doctor_help },
  { "bench", N_("Measure token builds and verifications per second on one core"),
    ak_cli_bench, ak_cli_bench_help },
  { "credential", N_("Keep projects and customer credentials in the system keyring"),
    ak_cli_credential, ak_cli_credential_help },
  { "request", N_("Send an Agora REST request with credentials from the keyring"),
    ak_cli_request, ak_cli_request_help },
  { "endpoints", N_("List the Agora REST endpoints “request” knows"),
    ak_cli_endpoints, ak_cli_endpoints_help },
  { "history", N_("List the REST requests sent, without their secrets"),
    ak_cli_history, ak_cli_history_help },
  { "serve", N_("Serve tokens on this computer, like agora-token-service"),
    ak_cli_serve, ak_cli_serve_help },
};

static void
print_error_va (const char *format,
                va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  fprintf (stderr, "%s: %s\n", AK_CLI_PROGRAM, message);
}

void
ak_cli_print_error (const char *format,
                    ...)
{
  va_list args;

  va_start (args, format);
  print_error_va (format, args);
  va_end (args);
}

int
ak_cli_usage_error (const char *command,
                    const char *format,
                    ...)
{
  va_list args;

  va_start (args, format);
  print_error_va (format, args);
  va_end (args);

  if (command != NULL)
    fprintf (stderr, _("Run “%s help %s” to see how it is used.\n"), AK_CLI_PROGRAM, command);
  else
    fprintf (stderr, _("Run “%s --help” to see how it is used.\n"), AK_CLI_PROGRAM);

  return AK_CLI_EXIT_USAGE;
}

int
ak_cli_exit_status_for_error (const GError *error)
{
  if (error == NULL)
    return AK_CLI_EXIT_OK;
  if (error->domain == G_OPTION_ERROR)
    return AK_CLI_EXIT_USAGE;
  if (g_error_matches (error, AK_ERROR, AK_ERROR_SIGNATURE_MISMATCH)
      || g_error_matches (error, AK_ERROR, AK_ERROR_CRC_MISMATCH))
    return AK_CLI_EXIT_MISMATCH;
  if (g_error_matches (error, AK_ERROR, AK_ERROR_KEYRING_UNAVAILABLE)
      || g_error_matches (error, AK_ERROR, AK_ERROR_KEYRING_LOCKED))
    return AK_CLI_EXIT_KEYRING;
  return AK_CLI_EXIT_INVALID;
}

int
ak_cli_report_error (const char *command,
                     const GError *error)
{
  int status = ak_cli_exit_status_for_error (error);

  if (status == AK_CLI_EXIT_USAGE)
    return ak_cli_usage_error (command, "%s", error->message);

  ak_cli_print_error ("%s", error->message);
  return status;
}

GOptionContext *
ak_cli_option_context_new (const char *command,
                           const char *parameter_string,
                           const char *summary)
{
  GOptionContext *context;
  g_autofree char *prgname = g_strdup_printf ("%s %s", AK_CLI_PROGRAM, command);

  /* GOptionContext prints g_get_prgname() in its usage line. */
  g_set_prgname (prgname);

  context = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  return context;
}

/* The same, with @entries (ending in { NULL }) as its main options. */
GOptionContext *
ak_cli_option_context_new_with_entries (const char         *command,
                                        const char         *parameter_string,
                                        const char         *summary,
                                        const GOptionEntry *entries)
{
  GOptionContext *context = ak_cli_option_context_new (command, parameter_string, summary);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

/* What --help prints for @context, which this frees: the text of a command's help. */
char *
ak_cli_option_context_free_to_help (GOptionContext *context)
{
  char *help = g_option_context_get_help (context, TRUE, NULL);

  g_option_context_free (context);
  return help;
}

gboolean
ak_cli_parse_options (GOptionContext *context,
                      const char *command,
                      int *argc,
                      char ***argv,
                      int *exit_status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_status = ak_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  *exit_status = AK_CLI_EXIT_OK;
  return TRUE;
}

static void
set_too_large (GError     **error,
               const char  *display,
               gsize        max_length)
{
  g_set_error (error, AK_ERROR, AK_ERROR_TOO_LARGE,
               _("%s is larger than %lu bytes"), display, (gulong) max_length);
}

/* Reads with read(2) into buffers that are wiped when they grow or fail, because the
 * input may be a spec holding an app certificate; stdio would keep copies of its own. */
char *
ak_cli_read_input (const char *path,
                   gsize max_length,
                   gsize *length,
                   GError **error)
{
  gboolean from_stdin = g_strcmp0 (path, "-") == 0;
  const char *display = from_stdin ? _("standard input") : path;
  gsize capacity = 1024;
  gsize used = 0;
  char *buffer;
  int fd;

  if (from_stdin)
    fd = STDIN_FILENO;
  else
    {
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Cannot open %s: %s"), path, g_strerror (saved_errno));
          return NULL;
        }
    }

  buffer = g_malloc (capacity);
  for (;;)
    {
      gssize n;

      if (used + 1 >= capacity)
        {
          char *bigger;

          if (capacity > max_length)
            {
              set_too_large (error, display, max_length);
              goto fail;
            }
          bigger = g_malloc (capacity * 2);
          memcpy (bigger, buffer, used);
          ak_secret_wipe (buffer, capacity);
          g_free (buffer);
          buffer = bigger;
          capacity *= 2;
        }

      n = read (fd, buffer + used, capacity - used - 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Cannot read %s: %s"), display, g_strerror (saved_errno));
          goto fail;
        }
      if (n == 0)
        break;
      used += (gsize) n;
    }

  if (used > max_length)
    {
      set_too_large (error, display, max_length);
      goto fail;
    }

  if (!from_stdin)
    close (fd);
  buffer[used] = '\0';
  if (length != NULL)
    *length = used;
  return buffer;

fail:
  if (!from_stdin)
    close (fd);
  ak_secret_wipe (buffer, capacity);
  g_free (buffer);
  return NULL;
}

gboolean
ak_cli_parse_u32 (const char *flag,
                  const char *text,
                  guint32 *value,
                  GError **error)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &number, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s expects a whole number from 0 to 4294967295, not “%s”"),
                   flag, text);
      return FALSE;
    }

  *value = (guint32) number;
  return TRUE;
}

/* Token fields are attacker-controlled text: keep terminal control sequences out of
 * the output, while printing ordinary UTF-8 (non-Latin channel names) as it is. */
char *
ak_cli_printable (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_new (NULL);
  p = text;
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guint8) *p);
          p++;
          continue;
        }

      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

/* JSON for scripts (endpoints --json, history --json), indented, on standard output. */
void
ak_cli_print_json (JsonNode *root)
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
print_usage (FILE *stream)
{
  gsize i;

  fprintf (stream, _("Usage:\n  %s COMMAND [OPTION…]\n\n"), AK_CLI_PROGRAM);
  fprintf (stream, "%s\n\n",
           _("Build, decode and verify Agora access tokens "
             "(AccessToken2 “007” and AccessToken “006”)."));
  fprintf (stream, "%s\n", _("Commands:"));
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s  %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "  %-10s  %s\n\n", "help", _("Show the options of a command"));
  fprintf (stream, "%s\n", _("Options:"));
  fprintf (stream, "  %-15s  %s\n", "-h, --help", _("Show this help"));
  fprintf (stream, "  %-15s  %s\n\n", "-V, --version", _("Show the version"));
  fprintf (stream, _("Run “%s help COMMAND” to see the options of a command.\n"),
           AK_CLI_PROGRAM);
  fprintf (stream, "%s\n",
           _("The app certificate is read from --app-certificate-file FILE or from the "
             "AGORA_APP_CERTIFICATE environment variable, or asked for on a terminal."));
  fprintf (stream, "%s\n",
           _("Exit status: 0 success, 1 invalid input or malformed token (request: no "
             "response), 2 usage error, 3 signature or CRC mismatch, 4 request: an HTTP "
             "status other than 2xx, 5 the keyring cannot be used (no Secret Service, "
             "no default keyring, or locked: unlock it, then try again)."));
}

static const AkCliCommand *
find_command (const char *name)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static int
run_help (int argc,
          char **argv)
{
  const AkCliCommand *command;
  g_autofree char *help = NULL;

  if (argc < 2)
    {
      print_usage (stdout);
      return AK_CLI_EXIT_OK;
    }
  if (argc > 2)
    return ak_cli_usage_error ("help", _("“help” takes one command name"));

  command = find_command (argv[1]);
  if (command == NULL)
    return ak_cli_usage_error (NULL, _("Unknown command “%s”"), argv[1]);

  help = command->help ();
  fputs (help, stdout);
  return AK_CLI_EXIT_OK;
}

/**
 * ak_cli_run:
 * @argc: the number of arguments
 * @argv: (array length=argc): the arguments, the program's name first; the strings must be
 *   writable (the value of --app-certificate is wiped in place)
 *
 * Everything agora-keys-cli does, for main() and for tests that run it in-process: text
 * goes to stdout and stderr, and the exit status is returned (see #AkCliExit). The process
 * has set its locale and text domain first.
 *
 * Returns: the exit status
 */
int
ak_cli_run (int    argc,
            char **argv)
{
  const AkCliCommand *command;
  const char *name;

  g_set_prgname (AK_CLI_PROGRAM);
  /* Debug logging (G_MESSAGES_DEBUG) must not mix into tokens and JSON on stdout. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    return ak_cli_usage_error (NULL,
                               _("Say what to do: build, decode, doctor, bench, credential, "
                                 "request, endpoints, history, serve or help"));

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h"))
    {
      print_usage (stdout);
      return AK_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "--version") || g_str_equal (name, "-V"))
    {
      printf ("%s %s\n", AK_CLI_PROGRAM, PACKAGE_VERSION);
      return AK_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "help"))
    return run_help (argc - 1, argv + 1);

  command = find_command (name);
  if (command == NULL)
    {
      if (name[0] == '-')
        return ak_cli_usage_error (NULL, _("Unknown option “%s”; a command comes first"), name);
      return ak_cli_usage_error (NULL, _("Unknown command “%s”"), name);
    }

  return command->run (argc - 1, argv + 1);
}
