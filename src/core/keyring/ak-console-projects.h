/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * AkConsoleProject:
 * @name: the project's name in Agora Console
 * @app_id: its App ID (`vendor_key`)
 * @certificate: (nullable): its primary certificate (`sign_key`), a secret: wiped when freed
 *
 * One project of a `GET /dev/v1/projects` answer.
 */
typedef struct
{
  char *name;
  char *app_id;
  char *certificate;
} AkConsoleProject;

void       ak_console_project_free    (AkConsoleProject *project);

/* Reads the projects of a Console project listing, parsed as outside JSON (at most
 * AK_JSON_MAX_DEPTH deep, no NUL, valid strings). Entries without a valid App ID are
 * skipped. NULL with @error set when @body is not such a listing. Linear in the body's size,
 * but a listing can be megabytes: parse it off the main thread.
 * Returns: (transfer full) (element-type AkConsoleProject) (nullable) */
GPtrArray *ak_console_projects_read   (GBytes  *body,
                                       GError **error);
/* ak_console_projects_read() without the reason. */
GPtrArray *ak_console_projects_parse  (GBytes *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkConsoleProject, ak_console_project_free)

G_END_DECLS
