/* ak-test-stdin.h: feed a child process's stdin from a file
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A child that exits before reading all of a stdin pipe makes
 * g_subprocess_communicate() fail with EPIPE, and the test then loses the
 * child's output. A file has no such race: the child reads as much of it as
 * it wants, whenever it wants.
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

/* Returns the file's path, to pass to g_unlink() once the child is spawned. */
static inline char *
ak_test_stdin_from (GSubprocessLauncher *launcher,
                    const char          *input)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd;

  fd = g_file_open_tmp ("ak-test-stdin-XXXXXX", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  /* 0600: some tests pass secrets on stdin. */
  g_file_set_contents_full (path, input != NULL ? input : "", -1,
                            G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_set_stdin_file_path (launcher, path);
  return path;
}
