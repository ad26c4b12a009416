/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-credential-store.h"
#include "ak-key-secret-import.h"
#include "ak-cli.h"
#include "ak-cli-credential-private.h"

/* Two certificate lines, or one secret: anything much longer is not that. */
#define MAX_SECRETS_INPUT (16 * 1024)
#define MAX_IMPORT_FILE (64 * 1024)
#define MASK "••••••••"

typedef struct
{
  char *kind;
  char *label;
  char *app_id;
  char *customer_id;
  char *chat_org;
  char *chat_app;
  char *chat_host;
  char *token_server_url;
  char *notes;
  gboolean json;
  gboolean reveal;
  gboolean secrets;
} CredentialOptions;

static void
credential_options_clear (CredentialOptions *o)
{
  g_clear_pointer (&o->kind, g_free);
  g_clear_pointer (&o->label, g_free);
  g_clear_pointer (&o->app_id, g_free);
  g_clear_pointer (&o->customer_id, g_free);
  g_clear_pointer (&o->chat_org, g_free);
  g_clear_pointer (&o->chat_app, g_free);
  g_clear_pointer (&o->chat_host, g_free);
  g_clear_pointer (&o->token_server_url, g_free);
  g_clear_pointer (&o->notes, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CredentialOptions, credential_options_clear)

static const char *
kind_noun (AkCredentialKind kind)
{
  return kind == AK_CREDENTIAL_PROJECT ? _("project") : _("customer credential");
}

/* ---------------------------------------------------------------------------------------------
 * Reading secrets: standard input, or a prompt that does not echo. Never the command line.
 */

/* The terminal's answer, with the message this command gives for a line too long. */
static char *
prompt_hidden (const char *prompt,
               GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret = ak_cli_prompt_hidden (prompt, &local_error);

  if (g_error_matches (local_error, AK_ERROR, AK_ERROR_TOO_LARGE))
    g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                         _("That is too long to be a certificate or a secret"));
  else if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return secret;
}

/* Splits standard input in place into at most @max lines; more is an error. */
static gboolean
split_secret_lines (char        *input,
                    char       **lines,
                    guint        max,
                    const char  *what,
                    GError     **error)
{
  guint n = 0;
  char *p = input;

  while (*p != '\0')
    {
      char *end = strpbrk (p, "\r\n");
      char *next = end != NULL ? end + 1 : p + strlen (p);

      if (end != NULL)
        *end = '\0';
      g_strstrip (p);
      if (n < max)
        lines[n] = p;
      else if (*p != '\0')
        {
          g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                       _("Standard input has more lines than %s"), what);
          return FALSE;
        }
      n++;
      p = next;
    }
  return TRUE;
}

static AkCredentialSecrets *
read_secrets (AkCredentialKind   kind,
              GError           **error)
{
  g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();
  char *lines[2] = { NULL, NULL };
  gsize length = 0;
  char *input;

  if (isatty (STDIN_FILENO))
    {
      if (kind == AK_CREDENTIAL_CUSTOMER)
        {
          secrets->customer_secret = prompt_hidden (_("Customer Secret (input is hidden): "),
                                                    error);
          return secrets->customer_secret != NULL ? g_steal_pointer (&secrets) : NULL;
        }
      secrets->primary_certificate =
        prompt_hidden (_("Primary App Certificate (input is hidden): "), error);
      if (secrets->primary_certificate == NULL)
        return NULL;
      secrets->secondary_certificate =
        prompt_hidden (_("Secondary App Certificate (optional; press Enter to skip): "), error);
      if (secrets->secondary_certificate == NULL)
        return NULL;
      return g_steal_pointer (&secrets);
    }

  input = ak_cli_read_input ("-", MAX_SECRETS_INPUT, &length, error);
  if (input == NULL)
    return NULL;

  if (!split_secret_lines (input, lines, kind == AK_CREDENTIAL_PROJECT ? 2 : 1,
                           kind == AK_CREDENTIAL_PROJECT
                             ? _("the primary and secondary certificates")
                             : _("the Customer Secret"),
                           error))
    {
      ak_secret_wipe (input, length);
      g_free (input);
      return NULL;
    }

  if (kind == AK_CREDENTIAL_CUSTOMER)
    secrets->customer_secret = g_strdup (lines[0] != NULL ? lines[0] : "");
  else
    {
      secrets->primary_certificate = g_strdup (lines[0] != NULL ? lines[0] : "");
      if (lines[1] != NULL && *lines[1] != '\0')
        secrets->secondary_certificate = g_strdup (lines[1]);
    }
  ak_secret_wipe (input, length);
  g_free (input);

  if (kind == AK_CREDENTIAL_CUSTOMER ? *secrets->customer_secret == '\0'
                                     : *secrets->primary_certificate == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           kind == AK_CREDENTIAL_CUSTOMER
                             ? _("Standard input is empty: give the Customer Secret on its "
                                 "first line")
                             : _("Standard input is empty: give the primary App Certificate "
                                 "on its first line, and the secondary, if any, on the second"));
      return NULL;
    }
  return g_steal_pointer (&secrets);
}

/* ---------------------------------------------------------------------------------------------
 * Output
 */

/* Secrets go to the terminal with write(2), so that no stdio buffer keeps a copy. */
static void
write_secret (const char *secret)
{
  gsize length = strlen (secret);
  gsize done = 0;

  fflush (stdout);
  while (done < length)
    {
      gssize n = write (STDOUT_FILENO, secret + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += (gsize) n;
    }
}

static void
print_json_string (const char *text)
{
  GString *out = g_string_new ("\"");

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
  fputs (out->str, stdout);
  g_string_free (out, TRUE);
}

/* Secret JSON strings: hexadecimal certificates and printable secrets need no escapes,
 * which validation guarantees; they are written without any copy. */
static void
print_json_secret (const char *secret)
{
  fputs ("\"", stdout);
  write_secret (secret);
  fputs ("\"", stdout);
}

static void
print_json_member (gboolean   *first,
                   const char *name,
                   const char *value)
{
  printf ("%s\n    ", *first ? "" : ",");
  print_json_string (name);
  fputs (": ", stdout);
  print_json_string (value);
  *first = FALSE;
}

static void
print_json_credential (AkCredential              *credential,
                       const AkCredentialSecrets *secrets)
{
  AkCredentialKind kind = ak_credential_get_kind (credential);
  gboolean first = TRUE;

  fputs ("  {", stdout);
  print_json_member (&first, "kind", kind == AK_CREDENTIAL_PROJECT ? "project" : "customer");
  print_json_member (&first, "label", ak_credential_get_label (credential));
  if (kind == AK_CREDENTIAL_PROJECT)
    {
      print_json_member (&first, "app_id", ak_credential_get_app_id (credential));
      printf (",\n    \"has_secondary\": %s",
              ak_credential_get_has_secondary (credential) ? "true" : "false");
      print_json_member (&first, "chat_org", ak_credential_get_chat_org (credential));
      print_json_member (&first, "chat_app", ak_credential_get_chat_app (credential));
      print_json_member (&first, "chat_host", ak_credential_get_chat_host (credential));
      print_json_member (&first, "token_server_url",
                         ak_credential_get_token_server_url (credential));
    }
  else
    print_json_member (&first, "customer_id", ak_credential_get_customer_id (credential));
  print_json_member (&first, "notes", ak_credential_get_notes (credential));

  if (secrets != NULL)
    {
      if (kind == AK_CREDENTIAL_CUSTOMER)
        {
          fputs (",\n    \"customer_secret\": ", stdout);
          print_json_secret (secrets->customer_secret);
        }
      else
        {
          fputs (",\n    \"primary_certificate\": ", stdout);
          print_json_secret (secrets->primary_certificate);
          if (secrets->secondary_certificate != NULL)
            {
              fputs (",\n    \"secondary_certificate\": ", stdout);
              print_json_secret (secrets->secondary_certificate);
            }
        }
    }
  fputs ("\n  }", stdout);
}

static void
print_field (const char *name,
             const char *value)
{
  g_autofree char *shown = ak_cli_printable (value);

  printf ("  %-24s %s\n", name, *shown != '\0' ? shown : "—");
}

static void
print_secret_field (const char *name,
                    const char *secret)
{
  printf ("  %-24s ", name);
  write_secret (secret);
  fputs ("\n", stdout);
}

static void
print_credential (AkCredential              *credential,
                  const AkCredentialSecrets *secrets)
{
  g_autofree char *label = ak_cli_printable (ak_credential_get_label (credential));

  if (ak_credential_get_kind (credential) == AK_CREDENTIAL_CUSTOMER)
    {
      printf (_("Customer credential “%s”\n"), label);
      print_field (_("Customer ID:"), ak_credential_get_customer_id (credential));
      if (secrets != NULL)
        print_secret_field (_("Customer Secret:"), secrets->customer_secret);
      else
        print_field (_("Customer Secret:"), MASK);
      print_field (_("Notes:"), ak_credential_get_notes (credential));
      return;
    }

  printf (_("Project “%s”\n"), label);
  print_field (_("App ID:"), ak_credential_get_app_id (credential));
  if (secrets != NULL)
    print_secret_field (_("Primary certificate:"), secrets->primary_certificate);
  else
    print_field (_("Primary certificate:"), MASK);
  if (!ak_credential_get_has_secondary (credential))
    print_field (_("Secondary certificate:"), _("none"));
  else if (secrets != NULL && secrets->secondary_certificate != NULL)
    print_secret_field (_("Secondary certificate:"), secrets->secondary_certificate);
  else
    print_field (_("Secondary certificate:"), MASK);
  print_field (_("Chat org name:"), ak_credential_get_chat_org (credential));
  print_field (_("Chat app name:"), ak_credential_get_chat_app (credential));
  print_field (_("Chat REST host:"), ak_credential_get_chat_host (credential));
  print_field (_("Token server URL:"), ak_credential_get_token_server_url (credential));
  print_field (_("Notes:"), ak_credential_get_notes (credential));
}

/* ---------------------------------------------------------------------------------------------
 * Sub-commands
 */

static GOptionContext *
context_new (const char         *subcommand,
             const char         *parameters,
             const char         *summary,
             const GOptionEntry *entries)
{
  g_autofree char *command = g_strdup_printf ("credential %s", subcommand);

  return ak_cli_option_context_new_with_entries (command, parameters, summary, entries);
}

#define FIELD_ENTRIES(o)                                                                   \
  { "app-id", 0, 0, G_OPTION_ARG_STRING, &(o)->app_id,                                     \
    N_("Project: the App ID (32 hexadecimal characters)"), N_("ID") },                     \
  { "customer-id", 0, 0, G_OPTION_ARG_STRING, &(o)->customer_id,                           \
    N_("Customer credential: the Customer ID"), N_("ID") },                                \
  { "chat-org", 0, 0, G_OPTION_ARG_STRING, &(o)->chat_org,                                 \
    N_("Project: the Chat org name"), N_("NAME") },                                        \
  { "chat-app", 0, 0, G_OPTION_ARG_STRING, &(o)->chat_app,                                 \
    N_("Project: the Chat app name"), N_("NAME") },                                        \
  { "chat-host", 0, 0, G_OPTION_ARG_STRING, &(o)->chat_host,                               \
    N_("Project: the Chat REST host, like a41.chat.agora.io"), N_("HOST") },               \
  { "token-server-url", 0, 0, G_OPTION_ARG_STRING, &(o)->token_server_url,                 \
    N_("Project: the URL of your token server"), N_("URL") },                              \
  { "notes", 0, 0, G_OPTION_ARG_STRING, &(o)->notes,                                       \
    N_("Free text, kept with the credential (not secret)"), N_("TEXT") }

static gboolean
check_fields_apply (const CredentialOptions *o,
                    AkCredentialKind         kind,
                    GError                 **error)
{
  const struct
  {
    const char *flag;
    gboolean given;
    AkCredentialKind kind;
  } fields[] = {
    { "--app-id", o->app_id != NULL, AK_CREDENTIAL_PROJECT },
    { "--chat-org", o->chat_org != NULL, AK_CREDENTIAL_PROJECT },
    { "--chat-app", o->chat_app != NULL, AK_CREDENTIAL_PROJECT },
    { "--chat-host", o->chat_host != NULL, AK_CREDENTIAL_PROJECT },
    { "--token-server-url", o->token_server_url != NULL, AK_CREDENTIAL_PROJECT },
    { "--customer-id", o->customer_id != NULL, AK_CREDENTIAL_CUSTOMER },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].given && fields[i].kind != kind)
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("%s does not apply to a %s"), fields[i].flag, kind_noun (kind));
        return FALSE;
      }
  return TRUE;
}

static void
apply_fields (const CredentialOptions *o,
              AkCredential            *credential)
{
  if (o->app_id != NULL)
    ak_credential_set_app_id (credential, o->app_id);
  if (o->customer_id != NULL)
    ak_credential_set_customer_id (credential, o->customer_id);
  if (o->chat_org != NULL)
    ak_credential_set_chat_org (credential, o->chat_org);
  if (o->chat_app != NULL)
    ak_credential_set_chat_app (credential, o->chat_app);
  if (o->chat_host != NULL)
    ak_credential_set_chat_host (credential, o->chat_host);
  if (o->token_server_url != NULL)
    ak_credential_set_token_server_url (credential, o->token_server_url);
  if (o->notes != NULL)
    ak_credential_set_notes (credential, o->notes);
}

/* Label and fields first, so that nobody types a certificate only to learn of a typo. */
static gboolean
check_new_credential (AkCredentialStore *store,
                      AkCredential      *credential,
                      AkCredential      *existing,
                      GError           **error)
{
  AkCredential *other;

  if (!ak_credential_validate (credential, error))
    return FALSE;

  other = ak_credential_store_find (store, ak_credential_get_kind (credential),
                                    ak_credential_get_label (credential));
  if (other != NULL && other != existing)
    {
      g_autofree char *label = ak_cli_printable (ak_credential_get_label (other));

      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT
                     ? _("A project named “%s” already exists.")
                     : _("A customer credential named “%s” already exists."),
                   label);
      return FALSE;
    }
  return TRUE;
}

static void
print_saved (AkCredential *credential,
             gboolean      updated)
{
  g_autofree char *label = ak_cli_printable (ak_credential_get_label (credential));

  if (ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT && updated)
    printf (_("Updated project “%s” in the keyring.\n"), label);
  else if (ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT)
    printf (_("Saved project “%s” in the keyring.\n"), label);
  else if (updated)
    printf (_("Updated customer credential “%s” in the keyring.\n"), label);
  else
    printf (_("Saved customer credential “%s” in the keyring.\n"), label);
}

static int
run_add (int    argc,
         char **argv)
{
  g_auto(CredentialOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "label", 0, 0, G_OPTION_ARG_STRING, &o.label,
      N_("The name to find it by, unique among credentials of its kind"), N_("LABEL") },
    FIELD_ENTRIES (&o),
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    context_new ("add", N_("project|customer"),
                 N_("Store a project (App ID and certificates) or a customer credential "
                    "(Customer ID and Secret) in the keyring. The certificates (primary, then "
                    "optional secondary) or the Customer Secret are read from standard input, "
                    "one per line, or asked for without echo on a terminal; never from the "
                    "command line."),
                 entries);
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) credential = NULL;
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  AkCredentialKind kind;
  int status;

  if (!ak_cli_parse_options (context, "credential", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ak_cli_usage_error ("credential",
                               _("“credential add” takes one kind: project or customer"));
  if (!ak_cli_credential_parse_kind (argv[1], &kind, &error)
      || !check_fields_apply (&o, kind, &error))
    return ak_cli_report_error ("credential", error);
  if (o.label == NULL)
    return ak_cli_usage_error ("credential", _("Give the credential a name with --label"));
  if (kind == AK_CREDENTIAL_PROJECT && o.app_id == NULL)
    return ak_cli_usage_error ("credential", _("A project needs --app-id"));
  if (kind == AK_CREDENTIAL_CUSTOMER && o.customer_id == NULL)
    return ak_cli_usage_error ("credential", _("A customer credential needs --customer-id"));

  credential = ak_credential_new (kind);
  ak_credential_set_label (credential, o.label);
  apply_fields (&o, credential);

  store = ak_cli_credential_open_store (&error);
  if (store == NULL || !check_new_credential (store, credential, NULL, &error))
    return ak_cli_report_error ("credential", error);

  secrets = read_secrets (kind, &error);
  if (secrets == NULL)
    return ak_cli_report_error ("credential", error);

  added = ak_cli_credential_store_add (store, credential, secrets, &error);
  if (added == NULL)
    return ak_cli_report_error ("credential", error);

  print_saved (added, FALSE);
  return AK_CLI_EXIT_OK;
}

static int
run_list (int    argc,
          char **argv)
{
  g_auto(CredentialOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    context_new ("list", NULL,
                 N_("List the projects and customer credentials in the keyring, without "
                    "their secrets."), entries);
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;
  guint n;
  int status;

  if (!ak_cli_parse_options (context, "credential", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return ak_cli_usage_error ("credential", _("Unexpected argument “%s”"), argv[1]);

  store = ak_cli_credential_open_store (&error);
  if (store == NULL)
    return ak_cli_report_error ("credential", error);

  model = ak_credential_store_get_model (store);
  n = g_list_model_get_n_items (model);

  if (o.json)
    {
      fputs ("[", stdout);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AkCredential) credential = g_list_model_get_item (model, i);

          fputs (i == 0 ? "\n" : ",\n", stdout);
          print_json_credential (credential, NULL);
        }
      fputs (n > 0 ? "\n]\n" : "]\n", stdout);
      return AK_CLI_EXIT_OK;
    }

  if (n == 0)
    {
      printf (_("The keyring holds no credentials yet. Add one with “%s credential add "
                "project --label NAME --app-id ID”.\n"), AK_CLI_PROGRAM);
      return AK_CLI_EXIT_OK;
    }

  printf ("%-9s %-32s %s\n", _("KIND"), _("LABEL"), _("APP ID / CUSTOMER ID"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkCredential) credential = g_list_model_get_item (model, i);
      gboolean project = ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT;
      g_autofree char *label = ak_cli_printable (ak_credential_get_label (credential));
      g_autofree char *id = ak_cli_printable (project ? ak_credential_get_app_id (credential)
                                                      : ak_credential_get_customer_id (credential));

      printf ("%-9s %-32s %s\n", project ? "project" : "customer", label, id);
    }
  return AK_CLI_EXIT_OK;
}

static int
run_show (int    argc,
          char **argv)
{
  g_auto(CredentialOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &o.kind,
      N_("When a project and a customer credential share the label"), "project|customer" },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &o.reveal,
      N_("Print the certificates or the Customer Secret instead of dots"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json,
      N_("Print JSON (with the secrets only when --reveal is given)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    context_new ("show", N_("LABEL"),
                 N_("Show one credential; its secrets are masked unless --reveal is given."),
                 entries);
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) credential = NULL;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!ak_cli_parse_options (context, "credential", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ak_cli_usage_error ("credential", _("“credential show” takes one label"));

  store = ak_cli_credential_open_store (&error);
  if (store == NULL)
    return ak_cli_report_error ("credential", error);
  credential = ak_cli_credential_find (store, argv[1], o.kind, &error);
  if (credential == NULL)
    return ak_cli_report_error ("credential", error);

  if (o.reveal)
    {
      secrets = ak_cli_credential_store_load_secrets (store, credential, &error);
      if (secrets == NULL)
        return ak_cli_report_error ("credential", error);
    }

  if (o.json)
    {
      fputs ("[\n", stdout);
      print_json_credential (credential, secrets);
      fputs ("\n]\n", stdout);
    }
  else
    print_credential (credential, secrets);
  fflush (stdout);
  return AK_CLI_EXIT_OK;
}

static int
run_edit (int    argc,
          char **argv)
{
  g_auto(CredentialOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &o.kind,
      N_("When a project and a customer credential share the label"), "project|customer" },
    { "label", 0, 0, G_OPTION_ARG_STRING, &o.label, N_("A new label"), N_("LABEL") },
    FIELD_ENTRIES (&o),
    { "secrets", 0, 0, G_OPTION_ARG_NONE, &o.secrets,
      N_("Replace the certificates (or the Customer Secret), read from standard input or "
         "asked for on a terminal"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    context_new ("edit", N_("LABEL"),
                 N_("Change a stored credential. Only the fields given change; an empty "
                    "value clears an optional field. The stored secrets stay unless "
                    "--secrets is given."),
                 entries);
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) credential = NULL;
  g_autoptr(AkCredential) changes = NULL;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  gboolean anything;
  int status;

  if (!ak_cli_parse_options (context, "credential", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ak_cli_usage_error ("credential", _("“credential edit” takes one label"));

  anything = o.label != NULL || o.app_id != NULL || o.customer_id != NULL
             || o.chat_org != NULL || o.chat_app != NULL || o.chat_host != NULL
             || o.token_server_url != NULL || o.notes != NULL || o.secrets;
  if (!anything)
    return ak_cli_usage_error ("credential",
                               _("Nothing to change: give a new value, such as --label NEW, "
                                 "or --secrets"));

  store = ak_cli_credential_open_store (&error);
  if (store == NULL)
    return ak_cli_report_error ("credential", error);
  credential = ak_cli_credential_find (store, argv[1], o.kind, &error);
  if (credential == NULL
      || !check_fields_apply (&o, ak_credential_get_kind (credential), &error))
    return ak_cli_report_error ("credential", error);

  changes = ak_credential_copy (credential);
  if (o.label != NULL)
    ak_credential_set_label (changes, o.label);
  apply_fields (&o, changes);
  if (!check_new_credential (store, changes, credential, &error))
    return ak_cli_report_error ("credential", error);

  if (o.secrets)
    {
      secrets = read_secrets (ak_credential_get_kind (credential), &error);
      if (secrets == NULL)
        return ak_cli_report_error ("credential", error);
    }

  if (!ak_cli_credential_store_update (store, credential, changes, secrets, &error))
    return ak_cli_report_error ("credential", error);

  print_saved (credential, TRUE);
  return AK_CLI_EXIT_OK;
}

static int
run_remove (int    argc,
            char **argv)
{
  g_auto(CredentialOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &o.kind,
      N_("When a project and a customer credential share the label"), "project|customer" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    context_new ("remove", N_("LABEL"), N_("Delete a credential from the keyring."), entries);
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) credential = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  int status;

  if (!ak_cli_parse_options (context, "credential", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ak_cli_usage_error ("credential", _("“credential remove” takes one label"));

  store = ak_cli_credential_open_store (&error);
  if (store == NULL)
    return ak_cli_report_error ("credential", error);
  credential = ak_cli_credential_find (store, argv[1], o.kind, &error);
  if (credential == NULL || !ak_cli_credential_store_delete (store, credential, &error))
    return ak_cli_report_error ("credential", error);

  label = ak_cli_printable (ak_credential_get_label (credential));
  printf (ak_credential_get_kind (credential) == AK_CREDENTIAL_PROJECT
            ? _("Removed project “%s” from the keyring.\n")
            : _("Removed customer credential “%s” from the keyring.\n"),
          label);
  return AK_CLI_EXIT_OK;
}

static int
run_import (int    argc,
            char **argv)
{
  g_auto(CredentialOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "label", 0, 0, G_OPTION_ARG_STRING, &o.label,
      N_("The name to find it by"), N_("LABEL") },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &o.notes,
      N_("Free text, kept with the credential (not secret)"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    context_new ("import", N_("FILE"),
                 N_("Store the Customer ID and Customer Secret from the key_and_secret.txt "
                    "file that Agora Console downloads (“-” reads standard input)."),
                 entries);
  g_autoptr(AkCredentialStore) store = NULL;
  g_autoptr(AkCredential) credential = NULL;
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(AkKeySecretImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer_id = NULL;
  gsize length = 0;
  char *contents;
  int status;

  if (!ak_cli_parse_options (context, "credential", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ak_cli_usage_error ("credential", _("“credential import” takes one file"));
  if (o.label == NULL)
    return ak_cli_usage_error ("credential", _("Give the credential a name with --label"));

  contents = ak_cli_read_input (argv[1], MAX_IMPORT_FILE, &length, &error);
  if (contents == NULL)
    return ak_cli_report_error ("credential", error);
  import = ak_key_secret_import_parse (contents, length, &error);
  ak_secret_wipe (contents, length);
  g_free (contents);
  if (import == NULL)
    return ak_cli_report_error ("credential", error);
  fprintf (stderr, "%s\n", import->summary);

  credential = ak_credential_new (AK_CREDENTIAL_CUSTOMER);
  ak_credential_set_label (credential, o.label);
  ak_credential_set_customer_id (credential, import->customer_id);
  if (o.notes != NULL)
    ak_credential_set_notes (credential, o.notes);
  secrets = ak_credential_secrets_new ();
  secrets->customer_secret = g_steal_pointer (&import->customer_secret);

  store = ak_cli_credential_open_store (&error);
  if (store == NULL || !check_new_credential (store, credential, NULL, &error))
    return ak_cli_report_error ("credential", error);
  added = ak_cli_credential_store_add (store, credential, secrets, &error);
  if (added == NULL)
    return ak_cli_report_error ("credential", error);

  customer_id = ak_cli_printable (ak_credential_get_customer_id (added));
  print_saved (added, FALSE);
  printf (_("Customer ID: %s\n"), customer_id);
  return AK_CLI_EXIT_OK;
}

static const struct
{
  const char *name;
  AkCliCommandFunc run;
  const char *summary;
} subcommands[] = {
  { "add", run_add, N_("Store a project or a customer credential (secrets from standard "
                       "input or a hidden prompt)") },
  { "list", run_list, N_("List stored credentials, without secrets") },
  { "show", run_show, N_("Show one credential; secrets masked unless --reveal") },
  { "edit", run_edit, N_("Change a credential’s fields, or its secrets with --secrets") },
  { "remove", run_remove, N_("Delete a credential") },
  { "import", run_import, N_("Store the Customer ID and Secret of a key_and_secret.txt file") },
};

char *
ak_cli_credential_help (void)
{
  GString *help = g_string_new (NULL);

  g_string_append_printf (help, _("Usage:\n  %s credential COMMAND [OPTION…]\n\n"),
                          AK_CLI_PROGRAM);
  g_string_append_printf (help, "%s\n\n",
                          _("Manage the projects and customer credentials kept in the system "
                            "keyring (the Secret Service, such as gnome-keyring)."));
  g_string_append_printf (help, "%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    g_string_append_printf (help, "  %-8s  %s\n", subcommands[i].name, _(subcommands[i].summary));
  g_string_append_printf (help, "\n%s\n",
                          _("Run “agora-keys-cli credential COMMAND --help” for its options."));
  g_string_append_printf (help, "%s\n",
                          _("Secrets are read from standard input, or asked for without echo "
                            "on a terminal, never from the command line."));
  g_string_append_printf (help, "%s\n",
                          _("Exit status 5: the keyring cannot be used (no Secret Service is "
                            "running, no default keyring, or it is locked: unlock it with "
                            "Seahorse or by logging in to the desktop, then try again)."));
  return g_string_free (help, FALSE);
}

int
ak_cli_credential (int    argc,
                   char **argv)
{
  if (argc < 2)
    return ak_cli_usage_error ("credential",
                               _("Say what to do: add, list, show, edit, remove or import"));

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      g_autofree char *help = ak_cli_credential_help ();

      fputs (help, stdout);
      return AK_CLI_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      return subcommands[i].run (argc - 1, argv + 1);

  return ak_cli_usage_error ("credential", _("Unknown credential command “%s”"), argv[1]);
}
