/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ak-cli.h"

/* agora-keys-cli's option handling, run in-process through ak_cli_run(), the function its
 * main() calls. Every case here fails or answers while parsing, before the keyring, the
 * network or a prompt could be reached: stdin is /dev/null and no certificate is in the
 * environment, so a case that went further would fail differently and visibly. */

typedef struct
{
  int status;
  char *out;
  char *err;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

/* Points @fd at a fresh temporary file; returns the file's descriptor and a copy of @fd. */
static int
redirect (int    fd,
          int   *saved,
          char **path)
{
  g_autoptr(GError) error = NULL;
  int tmp = g_file_open_tmp ("ak-cli-options-XXXXXX", path, &error);

  g_assert_no_error (error);
  *saved = dup (fd);
  g_assert_cmpint (*saved, >=, 0);
  g_assert_cmpint (dup2 (tmp, fd), ==, fd);
  return tmp;
}

static char *
restore (int   fd,
         int   saved,
         int   tmp,
         char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_cmpint (dup2 (saved, fd), ==, fd);
  close (saved);
  close (tmp);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_free (path);
  return contents;
}

static void run_cli (CliRun *run, ...) G_GNUC_NULL_TERMINATED;

/* Runs "agora-keys-cli ARG…" in this process with stdin on /dev/null, and keeps what it wrote
 * to stdout and stderr. */
static void
run_cli (CliRun *run,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char **argv = NULL;
  char *out_path = NULL;
  char *err_path = NULL;
  const char *arg;
  int saved_in, saved_out, saved_err;
  int null_in, out_tmp, err_tmp;
  va_list ap;

  g_ptr_array_add (args, g_strdup ("agora-keys-cli"));
  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);
  /* Fresh strings per run (the certificate is wiped in place), and a copy of the pointers:
   * option parsing drops the ones it consumes from argv; @args still frees them all. */
  argv = g_memdup2 (args->pdata, sizeof (char *) * args->len);

  fflush (stdout);
  fflush (stderr);
  null_in = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (null_in, >=, 0);
  saved_in = dup (STDIN_FILENO);
  g_assert_cmpint (dup2 (null_in, STDIN_FILENO), ==, STDIN_FILENO);
  out_tmp = redirect (STDOUT_FILENO, &saved_out, &out_path);
  err_tmp = redirect (STDERR_FILENO, &saved_err, &err_path);

  run->status = ak_cli_run ((int) g_strv_length (argv), argv);

  fflush (stdout);
  fflush (stderr);
  run->err = restore (STDERR_FILENO, saved_err, err_tmp, err_path);
  run->out = restore (STDOUT_FILENO, saved_out, out_tmp, out_path);
  g_assert_cmpint (dup2 (saved_in, STDIN_FILENO), ==, STDIN_FILENO);
  close (saved_in);
  close (null_in);

  g_test_message ("status %d\nstdout: %.2000s\nstderr: %.2000s", run->status, run->out,
                  run->err);
}

/* A usage error: status 2, the message, then where to read how the command is used. */
static void
assert_usage_error (const CliRun *run,
                    const char   *message,
                    const char   *command)
{
  g_autofree char *expected = NULL;

  if (command != NULL)
    expected = g_strdup_printf ("agora-keys-cli: %s\nRun “agora-keys-cli help %s” to see how "
                                "it is used.\n", message, command);
  else
    expected = g_strdup_printf ("agora-keys-cli: %s\nRun “agora-keys-cli --help” to see how it "
                                "is used.\n", message);

  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpstr (run->err, ==, expected);
  g_assert_cmpstr (run->out, ==, "");
}

static void
test_no_command (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, NULL);
  assert_usage_error (&run, "Say what to do: build, decode, doctor, bench, credential, "
                      "request, endpoints, history, serve or help", NULL);
}

static void
test_unknown_command (void)
{
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) option_first = { 0 };
  g_auto(CliRun) credential = { 0 };
  g_auto(CliRun) help = { 0 };

  run_cli (&run, "frobnicate", "--json", NULL);
  assert_usage_error (&run, "Unknown command “frobnicate”", NULL);

  /* A global-looking option where the command belongs. */
  run_cli (&option_first, "--json", "endpoints", NULL);
  assert_usage_error (&option_first, "Unknown option “--json”; a command comes first", NULL);

  run_cli (&credential, "credential", "frob", NULL);
  assert_usage_error (&credential, "Unknown credential command “frob”", "credential");

  run_cli (&help, "help", "frobnicate", NULL);
  assert_usage_error (&help, "Unknown command “frobnicate”", NULL);
}

static void
test_unknown_option (void)
{
  const char *commands[] = { "build", "decode", "doctor", "bench", "request", "endpoints",
                             "history", "serve" };

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CliRun) run = { 0 };

      run_cli (&run, commands[i], "--no-such-option", NULL);
      assert_usage_error (&run, "Unknown option --no-such-option", commands[i]);
    }
}

static void
test_missing_required (void)
{
  g_auto(CliRun) serve = { 0 };
  g_auto(CliRun) import = { 0 };
  g_auto(CliRun) decode = { 0 };
  g_auto(CliRun) request = { 0 };
  g_auto(CliRun) credential = { 0 };

  run_cli (&serve, "serve", NULL);
  assert_usage_error (&serve, "Say which project signs the tokens: --project LABEL", "serve");

  /* Refused before the file is read or the keyring opened. */
  run_cli (&import, "credential", "import", "/nonexistent/key_and_secret.txt", NULL);
  assert_usage_error (&import, "Give the credential a name with --label", "credential");

  run_cli (&decode, "decode", NULL);
  assert_usage_error (&decode, "Give the token to decode, or “-” to read it from standard "
                      "input", "decode");

  run_cli (&request, "request", "GET", NULL);
  assert_usage_error (&request, "Say what to send: METHOD PATH-OR-URL, or --endpoint ID",
                      "request");

  run_cli (&credential, "credential", NULL);
  assert_usage_error (&credential, "Say what to do: add, list, show, edit, remove or import",
                      "credential");
}

static void
test_bad_value (void)
{
  g_auto(CliRun) port = { 0 };
  g_auto(CliRun) bind = { 0 };
  g_auto(CliRun) timeout = { 0 };
  g_auto(CliRun) auth = { 0 };
  g_auto(CliRun) method = { 0 };
  g_auto(CliRun) clear = { 0 };
  g_auto(CliRun) extra = { 0 };
  g_auto(CliRun) not_a_number = { 0 };
  g_auto(CliRun) token = { 0 };

  run_cli (&port, "serve", "--project", "demo", "--port", "70000", NULL);
  assert_usage_error (&port, "--port expects a number from 0 to 65535", "serve");

  run_cli (&bind, "serve", "--project", "demo", "--bind", "localhost", NULL);
  assert_usage_error (&bind, "--bind expects an IP address such as 127.0.0.1", "serve");

  run_cli (&timeout, "request", "GET", "/dev/v1/projects", "--timeout", "3601", NULL);
  assert_usage_error (&timeout, "--timeout expects seconds from 1 to 3600", "request");

  run_cli (&auth, "request", "--auth", "magic", "GET", "/dev/v1/projects", NULL);
  assert_usage_error (&auth, "Unknown --auth “magic”: use none, basic, agora-token, x-agora, "
                      "bearer or chat-exchange", "request");

  run_cli (&method, "request", "GE T", "/dev/v1/projects", NULL);
  assert_usage_error (&method, "“GE T” is not an HTTP method", "request");

  run_cli (&clear, "history", "--clear", "--json", NULL);
  assert_usage_error (&clear, "--clear lists nothing: give it alone", "history");

  run_cli (&extra, "endpoints", "extra", NULL);
  assert_usage_error (&extra, "Unexpected argument “extra”", "endpoints");

  /* GOption's own message for a number that is not one; the usage hint is ours. */
  run_cli (&not_a_number, "serve", "--port", "eighty", NULL);
  g_assert_cmpint (not_a_number.status, ==, 2);
  g_assert_true (g_str_has_prefix (not_a_number.err, "agora-keys-cli: "));
  g_assert_nonnull (strstr (not_a_number.err, "eighty"));
  g_assert_true (g_str_has_suffix (not_a_number.err,
                                   "Run “agora-keys-cli help serve” to see how it is used.\n"));

  /* Not a usage error: the input is parsed and found malformed (status 1), no hint. */
  run_cli (&token, "decode", "007abc", NULL);
  g_assert_cmpint (token.status, ==, 1);
  g_assert_true (g_str_has_prefix (token.err, "agora-keys-cli: "));
  g_assert_null (strstr (token.err, "to see how it is used"));
  g_assert_cmpstr (token.out, ==, "");
}

static void
test_global_help (void)
{
  g_auto(CliRun) help = { 0 };
  g_auto(CliRun) short_help = { 0 };
  g_auto(CliRun) help_command = { 0 };
  g_auto(CliRun) version = { 0 };
  const char *commands[] = { "build", "decode", "doctor", "bench", "credential", "request",
                             "endpoints", "history", "serve", "help" };

  run_cli (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_cmpstr (help.err, ==, "");
  g_assert_true (g_str_has_prefix (help.out, "Usage:\n  agora-keys-cli COMMAND [OPTION…]\n"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %-10s  ", commands[i]);

      g_assert_nonnull (strstr (help.out, line));
    }
  g_assert_nonnull (strstr (help.out, "Exit status: 0 success"));

  run_cli (&short_help, "-h", NULL);
  g_assert_cmpint (short_help.status, ==, 0);
  g_assert_cmpstr (short_help.out, ==, help.out);

  run_cli (&help_command, "help", NULL);
  g_assert_cmpint (help_command.status, ==, 0);
  g_assert_cmpstr (help_command.out, ==, help.out);

  run_cli (&version, "--version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_cmpstr (version.out, ==, "agora-keys-cli " PACKAGE_VERSION "\n");
  g_assert_cmpstr (version.err, ==, "");
}

static void
test_command_help (void)
{
  const struct
  {
    const char *command;
    const char *usage;
    const char *holds;
  } cases[] = {
    { "build", "Usage:\n  agora-keys-cli build [OPTION…] KIND", "Kinds:\n" },
    { "decode", "Usage:\n  agora-keys-cli decode [OPTION…] TOKEN | -", "--verify" },
    { "serve", "Usage:\n  agora-keys-cli serve", "--project" },
    { "history", "Usage:\n  agora-keys-cli history", "--clear" },
    { "credential", "Usage:\n  agora-keys-cli credential COMMAND [OPTION…]", "import" },
  };
  g_auto(CliRun) too_many = { 0 };
  g_auto(CliRun) credential = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliRun) run = { 0 };

      run_cli (&run, "help", cases[i].command, NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_true (g_str_has_prefix (run.out, cases[i].usage));
      g_assert_nonnull (strstr (run.out, cases[i].holds));
    }

  /* "credential" answers --help itself, without leaving the process. */
  run_cli (&credential, "credential", "--help", NULL);
  g_assert_cmpint (credential.status, ==, 0);
  g_assert_true (g_str_has_prefix (credential.out, "Usage:\n  agora-keys-cli credential "));

  run_cli (&too_many, "help", "build", "decode", NULL);
  assert_usage_error (&too_many, "“help” takes one command name", "help");
}

/* COMMAND --help is GOption's: it prints and exits the process, so it runs in a child. */
static void
test_option_help (void)
{
  const char *commands[] = { "build", "request", "endpoints" };

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *child = g_strdup_printf ("/ak/cli-options/option-help/%s", commands[i]);
      /* A glob over the whole output: it starts with the usage line. */
      g_autofree char *pattern = g_strdup_printf ("Usage:\n  agora-keys-cli %s *Help Options:*",
                                                  commands[i]);

      g_test_trap_subprocess (child, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout (pattern);
      g_test_trap_assert_stderr ("");
    }
}

static void
test_option_help_child (gconstpointer data)
{
  g_auto(CliRun) run = { 0 };
  g_autofree char **argv = g_new0 (char *, 4);

  if (!g_test_subprocess ())
    return;
  argv[0] = (char *) "agora-keys-cli";
  argv[1] = (char *) data;
  argv[2] = (char *) "--help";
  /* Exits with status 0 from inside the option parser, printing to this child's stdout. */
  ak_cli_run (3, argv);
  g_assert_not_reached ();
}

int
main (int    argc,
      char **argv)
{
  static const char *help_commands[] = { "build", "request", "endpoints" };

  g_unsetenv ("AGORA_APP_CERTIFICATE");
  g_unsetenv ("AGORA_TOKEN");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ak/cli-options/no-command", test_no_command);
  g_test_add_func ("/ak/cli-options/unknown-command", test_unknown_command);
  g_test_add_func ("/ak/cli-options/unknown-option", test_unknown_option);
  g_test_add_func ("/ak/cli-options/missing-required", test_missing_required);
  g_test_add_func ("/ak/cli-options/bad-value", test_bad_value);
  g_test_add_func ("/ak/cli-options/global-help", test_global_help);
  g_test_add_func ("/ak/cli-options/command-help", test_command_help);
  g_test_add_func ("/ak/cli-options/option-help", test_option_help);
  for (gsize i = 0; i < G_N_ELEMENTS (help_commands); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/cli-options/option-help/%s",
                                               help_commands[i]);

      g_test_add_data_func (path, help_commands[i], test_option_help_child);
    }

  return g_test_run ();
}
