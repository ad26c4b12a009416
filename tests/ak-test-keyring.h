/* ak-test-keyring.h: a private D-Bus session with its own gnome-keyring
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test that uses it runs alone in its process (a subprocess, or a test program of its
 * own): it sets the session bus address that GLib and libsecret will use, so it must run
 * before anything has connected to a bus or started a thread. The daemons die with the test.
 *
 * Also here: a keyring locked on disk, as after a reboot. Restarting the daemon without
 * --unlock leaves the login collection locked since it was read from disk, and
 * gnome-keyring's searches then find none of its items; unlocking it from outside (as a
 * login or Seahorse would) goes through gnome-keyring's own interface for that.
 */

#pragma once

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ak-test-util.h"

#define SECRETS_NAME "org.freedesktop.secrets"

/* --unlock creates the login collection a moment after the daemon takes its name. */
static inline gboolean
default_collection_exists (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  const char *path = "/";

  reply = g_dbus_connection_call_sync (bus, SECRETS_NAME, "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"),
                                       G_VARIANT_TYPE ("(o)"), 0, 5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(&o)", &path);
  return !g_str_equal (path, "/");
}

/* ---------------------------------------------------------------------------------------------
 * A private session: its own bus, and maybe its own gnome-keyring
 */

typedef struct
{
  char *dir;
  char *address;
  GPid bus_pid;
  GPid keyring_pid;
  /* The daemon's environment, to start it again over the same keyring files. */
  char **keyring_envp;
  /* UI tests keep the display (Xvfb) for their windows; the daemons never get it. */
  gboolean keep_display;
} PrivateSession;

static inline void
die_with_parent (gpointer user_data)
{
  /* Whatever happens to the test, the daemons go with it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static inline void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static inline char *
read_line (int fd)
{
  GString *line = g_string_new (NULL);
  char c;

  while (read (fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  close (fd);
  return g_string_free (line, FALSE);
}

static inline void
stop_process (GPid *pid)
{
  if (*pid > 0)
    {
      kill (*pid, SIGTERM);
      waitpid (*pid, NULL, 0);
      g_spawn_close_pid (*pid);
      *pid = 0;
    }
}

static inline void
private_session_stop (PrivateSession *session)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  /* GLib ends the process when its session bus goes away; here that is the plan. */
  if (bus != NULL)
    g_dbus_connection_set_exit_on_close (bus, FALSE);
  stop_process (&session->keyring_pid);
  stop_process (&session->bus_pid);
  if (session->dir != NULL)
    ak_test_remove_tree (session->dir);
  g_clear_pointer (&session->dir, g_free);
  g_clear_pointer (&session->address, g_free);
  g_clear_pointer (&session->keyring_envp, g_strfreev);
}

typedef enum
{
  KEYRING_NONE,
  KEYRING_UNLOCKED,
  KEYRING_NOT_SET_UP,
  /* Unlocked, with the standard service directories so that an unlock prompt fails at once
   * (the prompter finds no display); for private_session_restart_keyring(). */
  KEYRING_UNLOCKED_WITH_PROMPTER,
} KeyringSetup;

#define PRIVATE_KEYRING_PASSWORD "ak-test-password"

static inline void private_session_wait_for_keyring (PrivateSession *session,
                                                     gboolean        with_default_collection);

/* Starts gnome-keyring-daemon in the foreground, given the password on stdin (--unlock) or
 * nothing at all. */
static inline void
private_session_spawn_keyring (PrivateSession *session,
                               gboolean        unlock,
                               gboolean        replace)
{
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");
  const char *argv[] = { keyring_daemon, "--foreground", "--components=secrets", NULL, NULL,
                         NULL };
  g_autoptr(GError) error = NULL;
  int in_fd = -1;
  guint n = 3;

  if (replace)
    argv[n++] = "--replace";
  if (unlock)
    argv[n++] = "--unlock";
  g_spawn_async_with_pipes (NULL, (char **) argv, session->keyring_envp, G_SPAWN_DO_NOT_REAP_CHILD
                            | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                            die_with_parent, NULL, &session->keyring_pid, &in_fd, NULL,
                            NULL, &error);
  g_assert_no_error (error);
  if (unlock)
    g_assert_cmpint (write (in_fd, PRIVATE_KEYRING_PASSWORD,
                            strlen (PRIVATE_KEYRING_PASSWORD)), ==,
                     (gssize) strlen (PRIVATE_KEYRING_PASSWORD));
  close (in_fd);
}

/* Must run before anything in this process has started a thread: it sets the session bus
 * address that libsecret will use. */
static inline void
private_session_start (PrivateSession *session,
                       KeyringSetup    setup)
{
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;
  int out_fd = -1;

  g_assert_nonnull (dbus_daemon);
  g_assert_true (setup == KEYRING_NONE || keyring_daemon != NULL);

  session->dir = g_dir_make_tmp ("ak-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  /* Usually no service directories: nothing can be activated, neither a Secret Service nor
   * a prompter. Without a login keyring, gnome-keyring needs a prompter to fail properly
   * (libsecret 0.20.5 mishandles a prompt that cannot even start), so that case gets the
   * standard ones; with no display the prompter exits at once. */
  config = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                            "Configuration 1.0//EN\" \"http://www.freedesktop.org/standards/"
                            "dbus/1.0/busconfig.dtd\">\n"
                            "<busconfig>\n"
                            "  <type>session</type>\n"
                            "  <listen>unix:dir=%s</listen>\n"
                            "  <auth>EXTERNAL</auth>\n"
                            "%s"
                            "  <policy context=\"default\">\n"
                            "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                            "    <allow eavesdrop=\"true\"/>\n"
                            "    <allow own=\"*\"/>\n"
                            "  </policy>\n"
                            "</busconfig>\n", session->dir,
                            setup == KEYRING_NOT_SET_UP
                            || setup == KEYRING_UNLOCKED_WITH_PROMPTER
                              ? "  <standard_session_servicedirs/>\n" : "");
  config_path = g_build_filename (session->dir, "bus.conf", NULL);
  write_file (config_path, config);

  {
    g_autofree char *config_arg = g_strdup_printf ("--config-file=%s", config_path);
    const char *argv[] = { dbus_daemon, config_arg, "--print-address=1", "--nofork", NULL };
    g_auto(GStrv) envp = g_get_environ ();

    /* What it activates must find no display to put a window on (xvfb-run sets one), and
     * the daemons are not under test: the test's fatal warnings are not theirs. */
    envp = g_environ_unsetenv (envp, "DISPLAY");
    envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
    envp = g_environ_unsetenv (envp, "G_DEBUG");
    g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD
                              | G_SPAWN_STDERR_TO_DEV_NULL, die_with_parent, NULL,
                              &session->bus_pid, NULL, &out_fd, NULL, &error);
    g_assert_no_error (error);
    session->address = read_line (out_fd);
    g_assert_true (g_str_has_prefix (session->address, "unix:"));
  }

  if (setup != KEYRING_NONE)
    {
      g_autofree char *home = g_build_filename (session->dir, "home", NULL);
      g_autofree char *data = g_build_filename (session->dir, "data", NULL);
      g_autofree char *runtime = g_build_filename (session->dir, "runtime", NULL);
      char **envp = g_get_environ ();

      g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (data, 0700), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
      envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", session->address, TRUE);
      envp = g_environ_setenv (envp, "HOME", home, TRUE);
      envp = g_environ_setenv (envp, "XDG_DATA_HOME", data, TRUE);
      envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", runtime, TRUE);
      envp = g_environ_unsetenv (envp, "DISPLAY");
      envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
      envp = g_environ_unsetenv (envp, "GNOME_KEYRING_CONTROL");
      envp = g_environ_unsetenv (envp, "G_DEBUG");
      session->keyring_envp = envp;
      private_session_spawn_keyring (session, setup != KEYRING_NOT_SET_UP, FALSE);
    }

  /* Before the first connection, and so before any D-Bus thread exists. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", session->address, TRUE);
  g_unsetenv ("SECRET_BACKEND");
  if (!session->keep_display)
    g_unsetenv ("DISPLAY");

  if (setup == KEYRING_NONE)
    return;
  private_session_wait_for_keyring (session, setup != KEYRING_NOT_SET_UP);
}

/* Bounded: the name has an owner, and with @with_default_collection, the login collection
 * answers to the default alias (locked or not). */
static inline void
private_session_wait_for_keyring (PrivateSession *session,
                                  gboolean        with_default_collection)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC * ak_test_time_scale ();
  for (;;)
    {
      g_autoptr(GVariant) owned = NULL;
      gboolean has_owner = FALSE;

      owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", SECRETS_NAME),
                                           G_VARIANT_TYPE ("(b)"), 0, 5000, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (owned, "(b)", &has_owner);
      if (has_owner && (!with_default_collection || default_collection_exists (bus)))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("gnome-keyring-daemon did not get ready on the private bus");
      g_usleep (50 * 1000);
    }
}


/* Replaces the daemon with a new one over the same keyring files, as a reboot would: with
 * @unlock, given the password; without, the login collection stays locked, from disk. */
static inline void
private_session_restart_keyring (PrivateSession *session,
                                 gboolean        unlock)
{
  GPid old = session->keyring_pid;
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC * ak_test_time_scale ();

  g_assert_cmpint (old, >, 0);
  private_session_spawn_keyring (session, unlock, TRUE);

  /* --replace asks the old daemon to go; it must, or two would answer. */
  for (;;)
    {
      pid_t done = waitpid (old, NULL, WNOHANG);

      if (done == old)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("The old gnome-keyring-daemon did not make way for the new one");
      g_usleep (20 * 1000);
    }
  g_spawn_close_pid (old);
  private_session_wait_for_keyring (session, TRUE);
}

/* A call to the Secret Service on the session bus, which must succeed: its reply. */
static inline GVariant *
secrets_call (const char         *path,
              const char         *interface,
              const char         *method,
              GVariant           *parameters,
              const GVariantType *reply_type)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (bus, SECRETS_NAME, path, interface, method,
                                                 parameters, reply_type, 0, 5000, NULL, &error);

  g_assert_no_error (error);
  return reply;
}

/* What a login (PAM) or Seahorse does: unlocks the login collection with its password,
 * through gnome-keyring's own interface, without a prompt. */
static inline void
private_session_unlock_from_outside (void)
{
  g_autoptr(GVariant) opened = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) output = NULL;
  const char *session_path = NULL;
  const char *password = PRIVATE_KEYRING_PASSWORD;
  GVariant *parameters;
  GVariant *value;

  opened = secrets_call ("/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                         "OpenSession", g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                         G_VARIANT_TYPE ("(vo)"));
  g_variant_get (opened, "(v&o)", &output, &session_path);

  parameters = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1);
  value = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password, strlen (password), 1);
  reply = secrets_call ("/org/freedesktop/secrets",
                        "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                        "UnlockWithMasterPassword",
                        g_variant_new ("(o(o@ay@ays))", "/org/freedesktop/secrets/collection/login",
                                       session_path, parameters, value, "text/plain"),
                        NULL);
}

/* Asks the Secret Service itself: the collection's own Locked property. */
static inline gboolean
private_session_login_is_locked (void)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) locked = NULL;

  reply = secrets_call ("/org/freedesktop/secrets/collection/login",
                        "org.freedesktop.DBus.Properties", "Get",
                        g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                        G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &locked);
  return g_variant_get_boolean (locked);
}

/* agora-keys-cli in the private session, stdin from @input (a file, so that no pipe can
 * break); returns its exit status. */
G_GNUC_NULL_TERMINATED static inline int
private_session_run_cli (const char  *input,
                         char       **out,
                         char       **err,
                         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input_path = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("AK_CLI"));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (input != NULL)
    {
      int fd = g_file_open_tmp ("ak-keyring-stdin-XXXXXX", &input_path, &error);

      g_assert_no_error (error);
      g_close (fd, NULL);
      g_file_set_contents_full (input_path, input, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
      g_assert_no_error (error);
      g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  if (input_path != NULL)
    g_unlink (input_path);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("agora-keys-cli %s: exit %d", (char *) argv->pdata[1],
                  g_subprocess_get_exit_status (process));
  return g_subprocess_get_exit_status (process);
}
