/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ak-credential-store.h"
#include "ak-rest-history.h"

G_BEGIN_DECLS

#define AK_CLI_PROGRAM "agora-keys-cli"
#define AK_CLI_CERTIFICATE_ENV "AGORA_APP_CERTIFICATE"

/* Exit statuses, documented in agora-keys-cli(1). */
typedef enum
{
  AK_CLI_EXIT_OK = 0,
  AK_CLI_EXIT_INVALID = 1,
  AK_CLI_EXIT_USAGE = 2,
  AK_CLI_EXIT_MISMATCH = 3,
  /* decode --verify-with-keyring: no stored project has the token's App ID */
  AK_CLI_EXIT_NOT_CHECKED = 4,
  /* request: the server answered with a status other than 2xx */
  AK_CLI_EXIT_HTTP_STATUS = 4,
  /* the keyring cannot be used: no Secret Service, no default collection, or locked (the
   * command line never prompts to unlock it, nor takes a locked keyring for an empty one) */
  AK_CLI_EXIT_KEYRING = 5,
} AkCliExit;

/* What a step of a command returns when the command goes on; any other value is the exit
 * status to return. */
#define AK_CLI_GO_ON (-1)

typedef enum
{
  /* build, decode --verify: a certificate is needed; prompt on a terminal, else fail */
  AK_CLI_SECRET_REQUIRED,
  /* decode: use the flags or the environment when present, never prompt */
  AK_CLI_SECRET_OPTIONAL,
} AkCliSecretMode;

/* A NUL-terminated secret, wiped before it is freed (ak_secret_string_free()). */
typedef char AkCliSecret;

typedef int  (*AkCliCommandFunc) (int argc, char **argv);
typedef char *(*AkCliHelpFunc)   (void);

/* ak-cli.c */
int       ak_cli_run                  (int argc,
                                       char **argv);
void      ak_cli_print_error          (const char *format, ...) G_GNUC_PRINTF (1, 2);
int       ak_cli_usage_error          (const char *command,
                                       const char *format, ...) G_GNUC_PRINTF (2, 3);
int       ak_cli_report_error         (const char *command,
                                       const GError *error);
int       ak_cli_exit_status_for_error (const GError *error);
GOptionContext *ak_cli_option_context_new (const char *command,
                                           const char *parameter_string,
                                           const char *summary);
GOptionContext *ak_cli_option_context_new_with_entries (const char *command,
                                                        const char *parameter_string,
                                                        const char *summary,
                                                        const GOptionEntry *entries);
char     *ak_cli_option_context_free_to_help (GOptionContext *context);
gboolean  ak_cli_parse_options        (GOptionContext *context,
                                       const char *command,
                                       int *argc,
                                       char ***argv,
                                       int *exit_status);
char     *ak_cli_read_input           (const char *path,
                                       gsize max_length,
                                       gsize *length,
                                       GError **error);
gboolean  ak_cli_parse_u32            (const char *flag,
                                       const char *text,
                                       guint32 *value,
                                       GError **error);
char     *ak_cli_printable            (const char *text);
void      ak_cli_print_json           (JsonNode *root);

/* ak-cli-secret.c */
AkCliSecret *ak_cli_secret_obtain     (const char *file,
                                       const char *value,
                                       AkCliSecretMode mode,
                                       GError **error);
char     *ak_cli_prompt_hidden        (const char *prompt,
                                       GError **error);
char    **ak_cli_argv_snapshot        (int argc, char **argv);
void      ak_cli_scrub_secret_argv    (char **snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkCliSecret, ak_secret_string_free)

/* ak-cli-wait.c: one async core call at a time, as in
 *   AkCliWait wait = { NULL };
 *   ak_credential_store_load_async (store, NULL, ak_cli_wait_done, &wait);
 *   result = ak_cli_wait_run (&wait); */
typedef struct
{
  GAsyncResult *result;
} AkCliWait;

void          ak_cli_wait_done        (GObject *source,
                                       GAsyncResult *result,
                                       gpointer user_data);
GAsyncResult *ak_cli_wait_run         (AkCliWait *wait);

/* One file per command. */
int       ak_cli_build                (int argc, char **argv);
char     *ak_cli_build_help           (void);
int       ak_cli_decode               (int argc, char **argv);
char     *ak_cli_decode_help          (void);
int       ak_cli_doctor               (int argc, char **argv);
char     *ak_cli_doctor_help          (void);
int       ak_cli_bench                (int argc, char **argv);
char     *ak_cli_bench_help           (void);
int       ak_cli_credential           (int argc, char **argv);
char     *ak_cli_credential_help      (void);
int       ak_cli_request              (int argc, char **argv);
char     *ak_cli_request_help         (void);
int       ak_cli_endpoints            (int argc, char **argv);
char     *ak_cli_endpoints_help       (void);
int       ak_cli_history              (int argc, char **argv);
char     *ak_cli_history_help         (void);
int       ak_cli_serve                (int argc, char **argv);
char     *ak_cli_serve_help           (void);

/* ak-cli-credential-store.c: the keyring, loaded and unlocked; fails with
 * AK_ERROR_KEYRING_UNAVAILABLE or AK_ERROR_KEYRING_LOCKED (exit status 5) without one. */
AkCredentialStore *ak_cli_credential_open_store (GError **error);
/* For build --project: the App ID and a certificate (free it with ak_secret_string_free()). */
gboolean  ak_cli_credential_fetch_project (const char *label,
                                           gboolean secondary,
                                           char **app_id,
                                           char **certificate,
                                           GError **error);

/* ak-cli-history.c: the REST history, for request and history; problems go to stderr. */
AkRestHistory *ak_cli_history_open    (gboolean *unreadable);
void      ak_cli_history_flush        (AkRestHistory *history);

G_END_DECLS
