/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-cli.h"

/* A certificate is 32 characters, a secret a little longer; much longer is neither. */
#define MAX_SECRET_LINE 1024
#define MAX_SECRET_FILE (64 * 1024)

static struct termios saved_termios;
static volatile sig_atomic_t terminal_changed;
static gboolean restore_registered;

/* The argv pointers before GOptionContext reorders them, so that the strings behind
 * them can be wiped afterwards. */
char **
ak_cli_argv_snapshot (int argc,
                      char **argv)
{
  char **snapshot = g_new0 (char *, argc + 1);

  memcpy (snapshot, argv, sizeof (char *) * (gsize) argc);
  return snapshot;
}

/* Wiping the value of --app-certificate in place takes it out of /proc/PID/cmdline,
 * which `ps` reads. It was visible until now; the help says so. */
void
ak_cli_scrub_secret_argv (char **snapshot)
{
  gsize i;

  for (i = 0; snapshot[i] != NULL; i++)
    {
      const char *prefix = "--app-certificate=";

      if (g_str_equal (snapshot[i], "--app-certificate") && snapshot[i + 1] != NULL)
        ak_secret_wipe_string (snapshot[++i]);
      else if (g_str_has_prefix (snapshot[i], prefix))
        ak_secret_wipe_string (snapshot[i] + strlen (prefix));
    }
}

static void
restore_terminal (void)
{
  if (terminal_changed)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      terminal_changed = 0;
    }
}

static void
restore_terminal_and_die (int signum)
{
  restore_terminal ();
  signal (signum, SIG_DFL);
  raise (signum);
}

/**
 * ak_cli_prompt_hidden:
 * @prompt: what to ask, written to standard error
 * @error: G_FILE_ERROR when the terminal cannot be used, AK_ERROR_TOO_LARGE for a line of
 *   1024 bytes or more (each caller says what that means for what it asked)
 *
 * Reads one line from the terminal on standard input with echo off. The terminal is put
 * back as it was on every path, and also when a signal ends the program meanwhile; the
 * line's buffer is wiped.
 *
 * Returns: the line without surrounding whitespace (maybe empty); a secret
 */
char *
ak_cli_prompt_hidden (const char *prompt,
                      GError    **error)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
  struct sigaction action = { 0 };
  struct sigaction previous[G_N_ELEMENTS (signals)];
  struct termios quiet;
  char line[MAX_SECRET_LINE];
  gsize used = 0;
  gboolean too_long = FALSE;
  gsize i;
  char *secret;

  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot read the terminal settings: %s"), g_strerror (saved_errno));
      return NULL;
    }

  action.sa_handler = restore_terminal_and_die;
  sigemptyset (&action.sa_mask);
  for (i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &action, &previous[i]);
  if (!restore_registered)
    {
      atexit (restore_terminal);
      restore_registered = TRUE;
    }

  quiet = saved_termios;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  quiet.c_lflag |= ECHONL;
  terminal_changed = 1;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);

  fputs (prompt, stderr);
  fflush (stderr);

  for (;;)
    {
      char c;
      gssize n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || c == '\n')
        break;
      if (used + 1 < sizeof line)
        line[used++] = c;
      else
        too_long = TRUE;
    }
  line[used] = '\0';

  restore_terminal ();
  for (i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &previous[i], NULL);

  if (too_long)
    {
      ak_secret_wipe (line, sizeof line);
      g_set_error (error, AK_ERROR, AK_ERROR_TOO_LARGE,
                   _("The line typed is longer than %d bytes"), MAX_SECRET_LINE - 1);
      return NULL;
    }

  g_strstrip (line);
  secret = g_strdup (line);
  ak_secret_wipe (line, sizeof line);
  return secret;
}

/* The certificate for build and decode: an empty or overlong line is a usage error. */
static AkCliSecret *
prompt_for_certificate (GError **error)
{
  g_autoptr(GError) local_error = NULL;
  AkCliSecret *secret;

  secret = ak_cli_prompt_hidden (_("App certificate (input is hidden): "), &local_error);
  if (g_error_matches (local_error, AK_ERROR, AK_ERROR_TOO_LARGE))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("That is too long for an app certificate"));
      return NULL;
    }
  if (secret == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (secret[0] == '\0')
    {
      ak_secret_string_free (secret);
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("No app certificate was typed"));
      return NULL;
    }
  return secret;
}

static AkCliSecret *
read_secret_file (const char *path,
                  GError **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents;
  char *end;
  AkCliSecret *secret;
  gsize length = 0;

  contents = ak_cli_read_input (path, MAX_SECRET_FILE, &length, &local_error);
  if (contents == NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("Cannot read the app certificate file: %s"), local_error->message);
      return NULL;
    }

  end = strpbrk (contents, "\r\n");
  if (end != NULL)
    *end = '\0';
  g_strstrip (contents);

  if (contents[0] == '\0')
    {
      ak_secret_wipe (contents, length);
      g_free (contents);
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The first line of %s is empty; it should hold the app certificate"),
                   path);
      return NULL;
    }

  secret = g_strdup (contents);
  ak_secret_wipe (contents, length);
  g_free (contents);
  return secret;
}

/**
 * ak_cli_secret_obtain:
 * @file: (nullable): the --app-certificate-file value
 * @value: (nullable): the --app-certificate value
 * @mode: whether a certificate is needed and may be asked for
 * @error: G_OPTION_ERROR when the user must pass it another way, AK_ERROR for a bad file
 *
 * Returns: the certificate, or %NULL (with @error unset) when it is optional and absent.
 */
AkCliSecret *
ak_cli_secret_obtain (const char *file,
                      const char *value,
                      AkCliSecretMode mode,
                      GError **error)
{
  const char *env;

  if (file != NULL && value != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give either --app-certificate-file or --app-certificate, "
                             "not both"));
      return NULL;
    }

  if (file != NULL)
    return read_secret_file (file, error);

  if (value != NULL)
    {
      AkCliSecret *secret = g_strstrip (g_strdup (value));

      if (secret[0] == '\0')
        {
          ak_secret_string_free (secret);
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--app-certificate is empty"));
          return NULL;
        }
      return secret;
    }

  env = g_getenv (AK_CLI_CERTIFICATE_ENV);
  if (env != NULL && env[0] != '\0')
    return g_strstrip (g_strdup (env));

  if (mode == AK_CLI_SECRET_OPTIONAL)
    return NULL;

  if (isatty (STDIN_FILENO))
    return prompt_for_certificate (error);

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               _("No app certificate: put it in a file and pass --app-certificate-file FILE, "
                 "or set the %s environment variable"), AK_CLI_CERTIFICATE_ENV);
  return NULL;
}
