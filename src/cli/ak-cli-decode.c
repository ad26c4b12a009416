/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-core-enums.h"
#include "ak-enum-nick.h"
#include "ak-cli.h"

/* Labels are padded to this many characters, counted in characters so that
 * translations line up too. */
#define LABEL_WIDTH 20

typedef struct
{
  gboolean json;
  gboolean verify;
  gboolean keyring;
  char *certificate_file;
  char *certificate;
  char *channel;
  char *uid;
  char *account;
} DecodeOptions;

static void
decode_options_clear (DecodeOptions *options)
{
  ak_secret_wipe_string (options->certificate);
  g_clear_pointer (&options->certificate_file, g_free);
  g_clear_pointer (&options->certificate, g_free);
  g_clear_pointer (&options->channel, g_free);
  g_clear_pointer (&options->uid, g_free);
  g_clear_pointer (&options->account, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DecodeOptions, decode_options_clear)

static GOptionContext *
decode_option_context_new (DecodeOptions *o)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
      N_("Print one JSON object instead of text"), NULL },
    { "app-certificate-file", 0, 0, G_OPTION_ARG_FILENAME, &o->certificate_file,
      N_("Check the signature with the app certificate on the first line of FILE"),
      N_("FILE") },
    { "app-certificate", 0, 0, G_OPTION_ARG_STRING, &o->certificate,
      N_("Check the signature with this app certificate. Avoid it: command lines are visible "
         "to other users of this machine (ps); prefer --app-certificate-file or "
         "AGORA_APP_CERTIFICATE"), N_("CERT") },
    { "verify", 0, 0, G_OPTION_ARG_NONE, &o->verify,
      N_("Check the signature; ask for the certificate on a terminal when no other source "
         "gives it"), NULL },
    { "verify-with-keyring", 0, 0, G_OPTION_ARG_NONE, &o->keyring,
      N_("Check the signature against the primary and secondary certificates of the project "
         "in the keyring with the token's App ID"), NULL },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &o->channel,
      N_("006 tokens: the channel name (or RTM user account) to check against"), N_("NAME") },
    { "uid", 0, 0, G_OPTION_ARG_STRING, &o->uid,
      N_("006 tokens: the integer uid to check against (0 for any user, and for RTM tokens)"),
      N_("N") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &o->account,
      N_("006 tokens: the string user account to check against"), N_("NAME") },
    { NULL }
  };
  GOptionContext *context;
  g_autofree char *description = NULL;

  context = ak_cli_option_context_new_with_entries ("decode", N_("TOKEN | -"),
                                                    N_("Show every field of an Agora access "
                                                       "token and check its signature."),
                                                    entries);
  description = g_strdup_printf (
    _("“-” reads the token from standard input. The signature is checked when a certificate "
      "is given with --app-certificate-file or the AGORA_APP_CERTIFICATE environment "
      "variable; otherwise it is reported as not checked. A 006 token holds only CRC-32 "
      "checksums of its channel name and uid, so checking one also needs --channel and "
      "--uid (or --account); for an RTM 006 token pass the user account as --channel and "
      "--uid 0.\n\n"
      "--verify-with-keyring takes the certificates from the keyring instead (see “%s "
      "credential”): those of the stored project whose App ID is the token's, primary first, "
      "then secondary; it says which one matched.\n\n"
      "Exit status: 0 decoded (and valid when checked), 1 malformed token or invalid input, "
      "2 usage error, 3 signature or CRC mismatch, 4 --verify-with-keyring found no stored "
      "project with the token's App ID (nothing was checked), 5 the keyring cannot be used "
      "(no Secret Service, or it stayed locked).\n"), AK_CLI_PROGRAM);
  g_option_context_set_description (context, description);
  return context;
}

char *
ak_cli_decode_help (void)
{
  DecodeOptions options = { 0 };

  return ak_cli_option_context_free_to_help (decode_option_context_new (&options));
}

static void print_field (int indent, const char *label, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static void
print_field (int indent,
             const char *label,
             const char *format,
             ...)
{
  g_autofree char *value = NULL;
  glong width = indent + g_utf8_strlen (label, -1);
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);

  printf ("%*s%s", indent, "", label);
  for (; width < LABEL_WIDTH; width++)
    putchar (' ');
  printf (" %s\n", value);
}

static void
print_text_field (int indent,
                  const char *label,
                  const char *text)
{
  g_autofree char *printable = ak_cli_printable (text);

  if (text != NULL && text[0] == '\0')
    print_field (indent, label, "%s", _("(empty)"));
  else
    print_field (indent, label, "%s", printable);
}

/* "2024-05-01 10:00:00 (in 3 h 12 min)" */
static char *
describe_moment (gint64 unix_time,
                 gint64 now)
{
  g_autofree char *local = ak_format_local_time (unix_time);
  g_autofree char *remaining = ak_format_remaining (unix_time, now);

  return g_strdup_printf ("%s (%s)", local, remaining);
}

static const char *
describe_state (AkSignatureState state,
                const char *valid,
                const char *not_checked)
{
  switch (state)
    {
    case AK_SIGNATURE_VALID:
      return valid;
    case AK_SIGNATURE_INVALID:
      return _("does not match");
    case AK_SIGNATURE_UNCHECKED:
    default:
      return not_checked;
    }
}

static void
print_privilege_007 (const AkService *service,
                     const AkPrivilege *privilege,
                     guint32 issue_ts,
                     gint64 now)
{
  const char *name = ak_service_privilege_name (service->type, privilege->id);
  g_autofree char *label = NULL;
  g_autofree char *duration = ak_duration_format (privilege->value);
  g_autofree char *moment = describe_moment ((gint64) issue_ts + privilege->value, now);

  if (name != NULL)
    label = g_strdup_printf ("%s (%u):", name, privilege->id);
  else
    label = g_strdup_printf (_("privilege %u:"), privilege->id);

  /* 007 privilege values count from the issue time. */
  print_field (4, label, _("%u s (%s) after issue: %s"), privilege->value, duration, moment);
}

static void
print_permissions (const AkService *service)
{
  guint i;

  print_field (2, _("Permissions:"), "%u", service->permissions->len);
  for (i = 0; i < service->permissions->len; i++)
    {
      const AkRtmPermission *permission = &g_array_index (service->permissions,
                                                          AkRtmPermission, i);
      const char *resource = ak_rtm_resource_type_to_name (permission->resource_type);
      const char *type = ak_rtm_permission_type_to_name (permission->permission_type);
      g_autofree char *label = NULL;
      GString *names = g_string_new (NULL);
      guint j;

      label = g_strdup_printf ("%s (%u) %s (%u):",
                               resource != NULL ? resource : "?", permission->resource_type,
                               type != NULL ? type : "?", permission->permission_type);
      for (j = 0; permission->resources != NULL && j < permission->resources->len; j++)
        {
          g_autofree char *printable =
            ak_cli_printable (g_ptr_array_index (permission->resources, j));

          g_string_append_printf (names, "%s%s", j > 0 ? ", " : "", printable);
        }
      /* An empty list is kept as the official builders write it: say so, not nothing. */
      print_field (4, label, "%s", names->len > 0 ? names->str : _("(no resources)"));
      g_string_free (names, TRUE);
    }
}

static void
print_service (const AkService *service,
               guint index,
               guint32 issue_ts,
               gint64 now)
{
  const char *name = ak_service_type_to_name (service->type);
  guint i;

  printf ("\n");
  printf (_("Service %u: %s (type %u)\n"), index + 1, name != NULL ? name : "?", service->type);

  if (service->channel_name != NULL)
    print_text_field (2, _("Channel name:"), service->channel_name);
  if (service->uid != NULL)
    {
      const char *label = service->type == AK_SERVICE_RTC ? _("UID:") : _("Account:");

      if (service->uid[0] == '\0')
        print_field (2, label, "%s", _("(empty: any user, made from uid 0)"));
      else
        print_text_field (2, label, service->uid);
    }
  if (service->user_id != NULL)
    print_text_field (2, _("User ID:"), service->user_id);
  if (service->room_uuid != NULL)
    print_text_field (2, _("Room UUID:"), service->room_uuid);
  if (service->user_uuid != NULL)
    print_text_field (2, _("User UUID:"), service->user_uuid);
  if (service->type == AK_SERVICE_APAAS)
    {
      if (service->role == -1)
        print_field (2, _("Role:"), "%s", _("-1 (none)"));
      else
        print_field (2, _("Role:"), "%d", service->role);
    }
  if (service->permissions != NULL)
    print_permissions (service);

  print_field (2, _("Privileges:"), "%u",
               service->privileges != NULL ? service->privileges->len : 0);
  for (i = 0; service->privileges != NULL && i < service->privileges->len; i++)
    print_privilege_007 (service, &g_array_index (service->privileges, AkPrivilege, i),
                         issue_ts, now);
}

/* What the signature line says when the check came from the keyring. */
typedef struct
{
  const char *valid;
  const char *not_checked;
} SignatureNotes;

static void
print_signature (const AkToken *token,
                 const AkVerification *verification,
                 const char *not_checked,
                 const SignatureNotes *notes)
{
  g_autofree char *hex = ak_token_dup_signature_hex (token);
  const char *valid = _("valid");

  if (notes != NULL && notes->valid != NULL)
    valid = notes->valid;
  if (notes != NULL && notes->not_checked != NULL)
    not_checked = notes->not_checked;

  /* The 006 signature covers the channel and uid, so a CRC mismatch settles it first. */
  if (verification != NULL && verification->signature == AK_SIGNATURE_UNCHECKED)
    not_checked = _("not checked: the channel name or uid does not match");

  print_field (0, _("Signature:"), "%s", hex);
  print_field (0, _("Signature check:"), "%s",
               describe_state (verification != NULL ? verification->signature
                                                    : AK_SIGNATURE_UNCHECKED,
                               valid, not_checked));
}

static void
print_token_007 (const AkToken *token,
                 const AkVerification *verification,
                 const SignatureNotes *notes,
                 gint64 now)
{
  guint32 issue_ts = ak_token_get_issue_ts (token);
  guint32 expire = ak_token_get_expire (token);
  const guint8 *header = ak_token_get_zlib_header (token);
  g_autofree char *app_id = ak_cli_printable (ak_token_get_app_id (token));
  g_autofree char *issued = ak_format_local_time (issue_ts);
  g_autofree char *expires = describe_moment (ak_token_get_expires_at (token), now);
  g_autofree char *lifetime = ak_duration_format (expire);
  guint n_services = ak_token_get_n_services (token);
  guint16 unknown_type;
  guint i;

  print_field (0, _("Version:"), "%s", _("007 (AccessToken2)"));
  print_field (0, _("App ID:"), "%s", app_id);
  print_field (0, _("Issued:"), "%s (%u)", issued, issue_ts);
  print_field (0, _("Expires:"), _("%s, %u s (%s) after issue"), expires, expire, lifetime);
  print_field (0, _("Salt:"), "%u", ak_token_get_salt (token));
  print_signature (token, verification,
                   _("not checked: pass a certificate with --app-certificate-file or "
                     "AGORA_APP_CERTIFICATE"), notes);
  if (header != NULL)
    print_field (0, _("Payload:"), _("%lu bytes, zlib stream of %lu bytes (header %02x%02x)"),
                 (gulong) ak_token_get_payload_length (token),
                 (gulong) ak_token_get_compressed_length (token),
                 header[0], header[1]);
  else
    print_field (0, _("Payload:"), _("%lu bytes"), (gulong) ak_token_get_payload_length (token));
  if (ak_token_get_service_count_field (token) == n_services)
    print_field (0, _("Services:"), "%u", n_services);
  else
    print_field (0, _("Services:"), _("%u read, of %u the token lists"), n_services,
                 ak_token_get_service_count_field (token));

  for (i = 0; i < n_services; i++)
    print_service (ak_token_get_service (token, i), i, issue_ts, now);

  if (ak_token_get_unknown_service_type (token, &unknown_type))
    {
      printf ("\n");
      printf (_("Warning: stopped at unknown service type %u; the services after it were "
                "not read, as the official parsers do.\n"), unknown_type);
    }
}

static void
print_token_006 (const AkToken *token,
                 const AkVerification *verification,
                 const SignatureNotes *notes,
                 gint64 now)
{
  const char *crc_not_checked = _("not checked: pass --channel and --uid with a certificate");
  g_autofree char *app_id = ak_cli_printable (ak_token_get_app_id (token));
  g_autofree char *expires = describe_moment (ak_token_get_ts (token), now);
  GArray *privileges = ak_token_get_privileges_006 (token);
  guint i;

  print_field (0, _("Version:"), "%s", _("006 (AccessToken)"));
  print_field (0, _("App ID:"), "%s", app_id);
  print_field (0, _("Token expires:"), "%s (ts %u)", expires, ak_token_get_ts (token));
  print_field (0, _("Salt:"), "%u", ak_token_get_salt (token));
  print_field (0, _("Channel CRC-32:"), "%u (%s)", ak_token_get_crc_channel_name (token),
               describe_state (verification != NULL ? verification->crc_channel_name
                                                    : AK_SIGNATURE_UNCHECKED,
                               _("matches"), crc_not_checked));
  print_field (0, _("UID CRC-32:"), "%u (%s)", ak_token_get_crc_uid (token),
               describe_state (verification != NULL ? verification->crc_uid
                                                    : AK_SIGNATURE_UNCHECKED,
                               _("matches"), crc_not_checked));
  print_signature (token, verification,
                   _("not checked: pass a certificate (--app-certificate-file or "
                     "AGORA_APP_CERTIFICATE) with --channel and --uid"), notes);

  print_field (0, _("Privileges:"), "%u", privileges != NULL ? privileges->len : 0);
  for (i = 0; privileges != NULL && i < privileges->len; i++)
    {
      const AkPrivilege *privilege = &g_array_index (privileges, AkPrivilege, i);
      const char *name = ak_privilege006_name (privilege->id);
      g_autofree char *label = NULL;

      if (name != NULL)
        label = g_strdup_printf ("%s (%u):", name, privilege->id);
      else
        label = g_strdup_printf (_("privilege %u:"), privilege->id);

      /* 006 values are absolute unix times, and 0 means the privilege never expires. */
      if (privilege->value == 0)
        print_field (2, label, "%s", _("never expires (0)"));
      else
        {
          g_autofree char *moment = describe_moment (privilege->value, now);

          print_field (2, label, "%s (%u)", moment, privilege->value);
        }
    }
}

/* "keyring_check": {"status", "project", "certificate", "message"} */
static JsonNode *
keyring_check_to_json (const AkTokenCheck *check)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  AkCredential *project = ak_token_check_get_project (check);
  AkCertificateKind certificate = ak_token_check_get_certificate (check);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, ak_enum_to_nick (AK_TYPE_TOKEN_CHECK_STATUS,
                                                           ak_token_check_get_status (check)));
  json_builder_set_member_name (builder, "project");
  if (project != NULL)
    json_builder_add_string_value (builder, ak_credential_get_label (project));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "certificate");
  if (certificate != AK_CERTIFICATE_NONE)
    json_builder_add_string_value (builder,
                                   ak_enum_to_nick (AK_TYPE_CERTIFICATE_KIND, certificate));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, ak_token_check_get_message (check));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static int
print_json (const AkToken *token,
            const AkVerification *verification,
            const AkTokenCheck *check)
{
  g_autoptr(JsonNode) node = ak_token_to_json (token, verification);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  if (check != NULL && JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_member (json_node_get_object (node), "keyring_check",
                            keyring_check_to_json (check));

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
  return AK_CLI_EXIT_OK;
}

static char *
read_token_text (const char *argument,
                 GError **error)
{
  char *text;

  if (!g_str_equal (argument, "-"))
    return g_strstrip (g_strdup (argument));

  /* Room for surrounding whitespace; the parser itself says when a token is too long. */
  text = ak_cli_read_input ("-", AK_MAX_TOKEN_TEXT_LENGTH + 4096, NULL, error);
  if (text == NULL)
    return NULL;
  return g_strstrip (text);
}

/* The message names the project by its label, which is the user's text: keep terminal
 * control sequences out. */
static void
print_check_message (const AkTokenCheck *check)
{
  g_autofree char *message = ak_cli_printable (ak_token_check_get_message (check));

  ak_cli_print_error ("%s", message);
}

/* The store is opened as "credential" opens it: never a silent in-memory fallback. */
static AkTokenCheck *
check_with_keyring (AkToken *token,
                    const char *channel,
                    const char *uid,
                    GError **error)
{
  g_autoptr(AkCredentialStore) store = ak_cli_credential_open_store (error);
  g_autoptr(GAsyncResult) result = NULL;
  AkCliWait wait = { NULL };

  if (store == NULL)
    return NULL;

  ak_token_check_with_store_async (store, token, channel, uid, NULL, ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  return ak_token_check_with_store_finish (store, result, error);
}

/* What the checks found, for the printout and the exit status. */
typedef struct
{
  AkVerification verification;
  SignatureNotes notes;
  char *valid_note;
  gboolean checked;
  gboolean mismatch;
} DecodeOutcome;

static int
check_arguments (const DecodeOptions *options,
                 int                  argc,
                 char               **argv)
{
  if (argc < 2)
    return ak_cli_usage_error ("decode", _("Give the token to decode, or “-” to read it from "
                                           "standard input"));
  if (argc > 2)
    return ak_cli_usage_error ("decode", _("Unexpected argument “%s”"), argv[2]);
  if (options->uid != NULL && options->account != NULL)
    return ak_cli_usage_error ("decode", _("Give either --uid or --account, not both"));
  if ((options->channel != NULL) != (options->uid != NULL || options->account != NULL))
    return ak_cli_usage_error ("decode", _("--channel and --uid (or --account) go together"));
  if (options->keyring
      && (options->verify || options->certificate_file != NULL || options->certificate != NULL))
    return ak_cli_usage_error ("decode", _("--verify-with-keyring takes the certificates from "
                                           "the keyring: give no other certificate"));
  return AK_CLI_GO_ON;
}

/* --verify-with-keyring: the projects in the keyring with the token's App ID. */
static int
verify_with_keyring (AkToken             *token,
                     const DecodeOptions *options,
                     const char          *uid_text,
                     gboolean             is_006,
                     AkTokenCheck       **check_out,
                     DecodeOutcome       *outcome)
{
  g_autoptr(GError) error = NULL;
  AkTokenCheck *check;

  if (is_006 && options->channel == NULL)
    return ak_cli_usage_error ("decode",
                               _("Checking a 006 token needs --channel and --uid (or "
                                 "--account): the token holds only their CRC-32"));
  check = check_with_keyring (token, is_006 ? options->channel : NULL, uid_text, &error);
  if (check == NULL)
    return ak_cli_report_error ("decode", error);
  *check_out = check;
  outcome->verification = *ak_token_check_get_verification (check);
  switch (ak_token_check_get_status (check))
    {
    case AK_TOKEN_CHECK_VALID:
      {
        const char *label = ak_credential_get_label (ak_token_check_get_project (check));
        g_autofree char *shown = ak_cli_printable (label);

        outcome->valid_note = g_strdup_printf (ak_token_check_get_certificate (check)
                                                 == AK_CERTIFICATE_SECONDARY
                                                 ? _("valid: the secondary certificate of “%s”")
                                                 : _("valid: the primary certificate of “%s”"),
                                               shown);
        outcome->notes.valid = outcome->valid_note;
        outcome->checked = TRUE;
      }
      break;
    case AK_TOKEN_CHECK_SIGNATURE_MISMATCH:
    case AK_TOKEN_CHECK_CRC_MISMATCH:
      outcome->checked = TRUE;
      outcome->mismatch = TRUE;
      break;
    case AK_TOKEN_CHECK_NO_PROJECT:
      outcome->notes.not_checked = _("not checked: no project in the keyring has this App ID");
      break;
    case AK_TOKEN_CHECK_NEEDS_CHANNEL_AND_UID:
    case AK_TOKEN_CHECK_INVALID_CERTIFICATE:
    default:
      print_check_message (check);
      return AK_CLI_EXIT_INVALID;
    }
  return AK_CLI_GO_ON;
}

/* With a certificate from the options, the environment or the terminal. */
static int
verify_with_certificate (AkToken             *token,
                         const char          *certificate,
                         const DecodeOptions *options,
                         const char          *uid_text,
                         GError             **verify_error,
                         DecodeOutcome       *outcome)
{
  AkVerification *verification = &outcome->verification;
  gboolean verified = ak_token_verify (token, certificate, options->channel, uid_text,
                                       verification, verify_error);

  if (!verified && *verify_error != NULL
      && ak_cli_exit_status_for_error (*verify_error) != AK_CLI_EXIT_MISMATCH)
    return ak_cli_report_error ("decode", *verify_error);

  if (g_error_matches (*verify_error, AK_ERROR, AK_ERROR_SIGNATURE_MISMATCH)
      && verification->signature == AK_SIGNATURE_UNCHECKED)
    verification->signature = AK_SIGNATURE_INVALID;

  outcome->checked = TRUE;
  outcome->mismatch = !verified
                      || verification->signature == AK_SIGNATURE_INVALID
                      || verification->crc_channel_name == AK_SIGNATURE_INVALID
                      || verification->crc_uid == AK_SIGNATURE_INVALID;
  return AK_CLI_GO_ON;
}

static void
print_decoded (AkToken             *token,
               const DecodeOptions *options,
               const AkTokenCheck  *check,
               const DecodeOutcome *outcome,
               gboolean             is_006)
{
  const AkVerification *verification = outcome->checked ? &outcome->verification : NULL;

  if (options->json)
    {
      guint16 unknown_type;

      print_json (token, verification, check);
      if (ak_token_get_unknown_service_type (token, &unknown_type))
        fprintf (stderr, _("warning: stopped at unknown service type %u\n"), unknown_type);
    }
  else
    {
      gint64 now = ak_clock_now_unix ();

      if (is_006)
        print_token_006 (token, verification, &outcome->notes, now);
      else
        print_token_007 (token, verification, &outcome->notes, now);
    }
}

/* After the printout: what was not checked, or did not match, and the status that says so. */
static int
report_outcome (AkToken             *token,
                const AkTokenCheck  *check,
                const GError        *verify_error,
                const DecodeOutcome *outcome)
{
  if (check != NULL && ak_token_check_get_status (check) == AK_TOKEN_CHECK_NO_PROJECT)
    {
      g_autofree char *app_id = ak_cli_printable (ak_token_get_app_id (token));

      ak_cli_print_error (_("No project in the keyring has App ID %s, so the signature was not "
                            "checked. Add the project with “%s credential add project”, or "
                            "check with --app-certificate-file."),
                          app_id, AK_CLI_PROGRAM);
      return AK_CLI_EXIT_NOT_CHECKED;
    }

  if (outcome->mismatch)
    {
      if (check != NULL)
        print_check_message (check);
      else if (verify_error != NULL)
        ak_cli_print_error ("%s", verify_error->message);
      else if (outcome->verification.signature == AK_SIGNATURE_INVALID)
        ak_cli_print_error ("%s", _("The signature does not match the app certificate"));
      else
        ak_cli_print_error ("%s", _("The token was made for another channel name or uid"));
      return AK_CLI_EXIT_MISMATCH;
    }

  return AK_CLI_EXIT_OK;
}

int
ak_cli_decode (int argc,
               char **argv)
{
  g_auto(DecodeOptions) options = { 0 };
  g_autoptr(GOptionContext) context = decode_option_context_new (&options);
  g_autofree char **snapshot = ak_cli_argv_snapshot (argc, argv);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) verify_error = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(AkCliSecret) certificate = NULL;
  g_autoptr(AkTokenCheck) check = NULL;
  g_autofree char *uid_text = NULL;
  DecodeOutcome outcome = {
    { AK_SIGNATURE_UNCHECKED, AK_SIGNATURE_UNCHECKED, AK_SIGNATURE_UNCHECKED },
    { NULL, NULL }, NULL, FALSE, FALSE
  };
  gboolean is_006;
  char *text;
  int status;

  if (!ak_cli_parse_options (context, "decode", &argc, &argv, &status))
    {
      ak_cli_scrub_secret_argv (snapshot);
      return status;
    }
  ak_cli_scrub_secret_argv (snapshot);

  if ((status = check_arguments (&options, argc, argv)) != AK_CLI_GO_ON)
    return status;

  if (options.uid != NULL)
    {
      guint32 uid;

      if (!ak_cli_parse_u32 ("--uid", options.uid, &uid, &error))
        return ak_cli_usage_error ("decode", "%s", error->message);
      uid_text = ak_uid_to_string (uid);
    }
  else if (options.account != NULL)
    uid_text = g_strdup (options.account);

  text = read_token_text (argv[1], &error);
  if (text == NULL)
    return ak_cli_report_error ("decode", error);
  token = ak_token_parse (text, &error);
  ak_secret_wipe_string (text);
  g_free (text);
  if (token == NULL)
    return ak_cli_report_error ("decode", error);

  is_006 = ak_token_get_version (token) == AK_TOKEN_VERSION_006;
  status = AK_CLI_GO_ON;
  if (options.keyring)
    status = verify_with_keyring (token, &options, uid_text, is_006, &check, &outcome);
  else if (is_006 && options.channel == NULL)
    {
      if (options.verify || options.certificate_file != NULL || options.certificate != NULL)
        status = ak_cli_usage_error ("decode",
                                     _("Checking a 006 token needs --channel and --uid (or "
                                       "--account): the token holds only their CRC-32"));
    }
  else
    {
      certificate = ak_cli_secret_obtain (options.certificate_file, options.certificate,
                                          options.verify ? AK_CLI_SECRET_REQUIRED
                                                         : AK_CLI_SECRET_OPTIONAL,
                                          &error);
      if (certificate == NULL && error != NULL)
        status = ak_cli_report_error ("decode", error);
      else if (certificate != NULL)
        status = verify_with_certificate (token, certificate, &options, uid_text,
                                          &verify_error, &outcome);
    }

  if (status == AK_CLI_GO_ON)
    {
      print_decoded (token, &options, check, &outcome, is_006);
      status = fflush (stdout) != 0 ? AK_CLI_EXIT_INVALID
                                    : report_outcome (token, check, verify_error, &outcome);
    }
  g_free (outcome.valid_note);
  return status;
}
