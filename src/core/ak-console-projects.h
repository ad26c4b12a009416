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

/* Reads the projects of a Console project listing. Entries without a valid App ID are
 * skipped. Returns NULL (and no error) when @body is not such a listing.
 * Returns: (transfer full) (element-type AkConsoleProject) (nullable) */
GPtrArray *ak_console_projects_parse  (GBytes *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkConsoleProject, ak_console_project_free)

G_END_DECLS
