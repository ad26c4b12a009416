/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ak-core.h"
#include "ak-cli.h"

/* A ConvoAI join body is a few kilobytes; this leaves room for long prompts. */
#define MAX_BODY_LENGTH (1024 * 1024)

typedef struct
{
  char *app_id;
  char *channel;
  char *uid;
  char *account;
  char *product;
  char *role;
  char *error_code;
  char *body_file;
  char *session;
  gboolean keyring;
  gboolean report;
  gboolean include_token;
  gboolean json;
} DoctorOptions;

static void
doctor_options_clear (DoctorOptions *o)
{
  g_clear_pointer (&o->app_id, g_free);
  g_clear_pointer (&o->channel, g_free);
  g_clear_pointer (&o->uid, g_free);
  g_clear_pointer (&o->account, g_free);
  g_clear_pointer (&o->product, g_free);
  g_clear_pointer (&o->role, g_free);
  g_clear_pointer (&o->error_code, g_free);
  g_clear_pointer (&o->body_file, g_free);
  g_clear_pointer (&o->session, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DoctorOptions, doctor_options_clear)

static GOptionContext *
doctor_option_context_new (DoctorOptions *o)
{
  const GOptionEntry entries[] = {
    { "app-id", 0, 0, G_OPTION_ARG_STRING, &o->app_id,
      N_("The App ID the client initialised the SDK with"), N_("ID") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &o->channel,
      N_("The channel name the client joined"), N_("NAME") },
    { "uid", 0, 0, G_OPTION_ARG_STRING, &o->uid,
      N_("The integer uid the client joined with (0: the server picks one)"), N_("N") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &o->account,
      N_("The string user account (RTC) or user ID (Signaling, Chat) the client used"),
      N_("NAME") },
    { "product", 0, 0, G_OPTION_ARG_STRING, &o->product,
      N_("What the token was used for: rtc, rtm, chat, convoai or stt"), N_("PRODUCT") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o->role,
      N_("What the client did: publisher or subscriber"), N_("ROLE") },
    { "error", 0, 0, G_OPTION_ARG_STRING, &o->error_code,
      N_("The error code or reason the client got: 109, 110, -17, 8, 401, or its name"),
      N_("CODE") },
    { "session", 0, 0, G_OPTION_ARG_STRING, &o->session,
      N_("How long a session must last, for expiry warnings (default 1h)"), N_("DURATION") },
    { "body", 0, 0, G_OPTION_ARG_FILENAME, &o->body_file,
      N_("ConvoAI: the JSON body of the join request, to compare with the token"), N_("FILE") },
    { "verify-with-keyring", 0, 0, G_OPTION_ARG_NONE, &o->keyring,
      N_("Check the signature against the certificates of the stored project with the "
         "token's App ID"), NULL },
    { "report", 0, 0, G_OPTION_ARG_NONE, &o->report,
      N_("Print a support report that is safe to paste in a public issue"), NULL },
    { "include-token", 0, 0, G_OPTION_ARG_NONE, &o->include_token,
      N_("With --report: include the token itself (it grants access until it expires)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
      N_("Print the findings as one JSON object"), NULL },
    { NULL }
  };
  GOptionContext *context;
  g_autofree char *description = NULL;
  g_autoptr(GString) codes = g_string_new (NULL);
  gsize n_codes;
  const AkDoctorErrorCode *table = ak_token_doctor_error_codes (&n_codes);

  for (gsize i = 0; i < n_codes; i++)
    g_string_append_printf (codes, "  %s %-5s %s%s%s\n",
                            ak_doctor_product_to_name (table[i].product), table[i].code,
                            table[i].name != NULL ? table[i].name : "",
                            table[i].name != NULL ? ": " : "", _(table[i].meaning));

  context = ak_cli_option_context_new_with_entries ("doctor", N_("TOKEN | -"),
                                                    N_("Say why a token is rejected: compare "
                                                       "it with what the client did and list "
                                                       "the likely mistakes, worst first."),
                                                    entries);
  description = g_strdup_printf (
    _("“-” reads the token from standard input: prefer it, since command lines are visible "
      "to other users of this machine (ps). A token damaged on the way (spaces for “+”, "
      "quotes, a “Bearer ” or “agora token=” prefix) is repaired and the damage "
      "reported.\n\n"
      "Error codes it knows:\n%s\n"
      "Exit status: 0 nothing found explains a rejection, 1 malformed token that cannot be "
      "repaired or invalid input, 2 usage error, 3 a finding explains the rejection, 5 the "
      "keyring cannot be used (with --verify-with-keyring).\n"), codes->str);
  g_option_context_set_description (context, description);
  return context;
}

char *
ak_cli_doctor_help (void)
{
  g_auto(DoctorOptions) options = { 0 };

  return ak_cli_option_context_free_to_help (doctor_option_context_new (&options));
}

static GPtrArray *
load_candidates (const char *app_id,
                 GError    **error)
{
  g_autoptr(AkCredentialStore) store = ak_cli_credential_open_store (error);
  g_autoptr(GAsyncResult) result = NULL;
  AkCliWait wait = { NULL };

  if (store == NULL)
    return NULL;
  ak_token_doctor_load_candidates_async (store, app_id, NULL, ak_cli_wait_done, &wait);
  result = ak_cli_wait_run (&wait);
  return ak_token_doctor_load_candidates_finish (store, result, error);
}

static void
print_regenerate (const AkTokenRequestText *text)
{
  const struct { const char *flag; const char *value; } flags[] = {
    { "--channel", text->channel }, { "--uid", text->uid }, { "--account", text->account },
    { "--user-id", text->user_id }, { "--role", text->role }, { "--expire", text->expire },
    { "--privilege-expire", text->privilege_expire },
  };
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "%s build %s", AK_CLI_PROGRAM, text->kind);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (flags[i].value != NULL)
      {
        g_autofree char *quoted = g_shell_quote (flags[i].value);

        g_string_append_printf (line, " %s %s", flags[i].flag, quoted);
      }
  {
    g_autofree char *printable = ak_cli_printable (line->str);

    printf ("    %s %s\n", _("Regenerate:"), printable);
  }
  g_string_free (line, TRUE);
}

static void
print_findings (AkDoctorDiagnosis *diagnosis)
{
  GListModel *findings = ak_doctor_diagnosis_get_findings (diagnosis);
  guint n = g_list_model_get_n_items (findings);

  if (n == 0)
    {
      printf ("%s\n", _("Nothing in the token explains a rejection."));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AkDoctorFinding) finding = g_list_model_get_item (findings, i);
      GPtrArray *evidence = ak_doctor_finding_get_evidence (finding);
      const AkTokenRequestText *regenerate = ak_doctor_finding_get_regenerate (finding);
      g_autofree char *verdict = ak_cli_printable (ak_doctor_finding_get_verdict (finding));

      printf ("%s[%s] %s\n", i > 0 ? "\n" : "",
              ak_doctor_severity_to_name (ak_doctor_finding_get_severity (finding)),
              ak_doctor_finding_get_id (finding));
      printf ("    %s\n", verdict);
      for (guint j = 0; j < evidence->len; j++)
        {
          AkDoctorEvidence *row = g_ptr_array_index (evidence, j);
          g_autofree char *label = ak_cli_printable (row->label);
          g_autofree char *in_token = ak_cli_printable (row->in_token != NULL ? row->in_token
                                                                               : "—");
          g_autofree char *used = ak_cli_printable (row->used);

          if (row->used != NULL)
            printf ("    %s: %s %s, %s %s\n", label, _("token"), in_token, _("client"), used);
          else
            printf ("    %s: %s\n", label, in_token);
        }
      printf ("    %s %s\n", _("Fix:"), ak_doctor_finding_get_fix (finding));
      if (regenerate != NULL)
        print_regenerate (regenerate);
    }
}

static char *
read_token_text (const char *argument,
                 GError    **error)
{
  if (!g_str_equal (argument, "-"))
    return g_strdup (argument);
  /* Room for a pasted header around it; the parser says when a token is too long. */
  return ak_cli_read_input ("-", AK_MAX_TOKEN_TEXT_LENGTH + 4096, NULL, error);
}

/* The doctor's input from the flags; @body holds the --body file's contents. */
static int
input_from_options (const DoctorOptions *options,
                    AkDoctorInput       *input,
                    char               **body)
{
  g_autoptr(GError) error = NULL;

  input->app_id = options->app_id;
  input->channel = options->channel;
  input->account = options->account;
  input->error_code = options->error_code;
  if (options->uid != NULL)
    {
      if (!ak_cli_parse_u32 ("--uid", options->uid, &input->uid, &error))
        return ak_cli_usage_error ("doctor", "%s", error->message);
      input->has_uid = TRUE;
    }
  if (options->product != NULL
      && !ak_doctor_product_from_name (options->product, &input->product))
    return ak_cli_usage_error ("doctor", _("Unknown --product “%s”: use rtc, rtm, chat, "
                                           "convoai or stt"), options->product);
  if (options->role != NULL
      && (!ak_doctor_role_from_name (options->role, &input->role)
          || input->role == AK_DOCTOR_ROLE_UNKNOWN))
    return ak_cli_usage_error ("doctor", _("Unknown --role “%s”: use publisher or subscriber"),
                               options->role);
  if (options->session != NULL)
    {
      guint32 seconds;

      if (!ak_duration_parse (options->session, &seconds, &error) || seconds == 0)
        return ak_cli_usage_error ("doctor", "--session: %s",
                                   error != NULL ? error->message : _("must be more than 0"));
      input->session_seconds = seconds;
    }
  if (options->error_code != NULL
      && ak_token_doctor_lookup_error_code (options->error_code, input->product) == NULL)
    ak_cli_print_error (_("Error code “%s” is not one the doctor knows (see “%s help "
                          "doctor”); it does not change the ranking."),
                        options->error_code, AK_CLI_PROGRAM);
  if (options->body_file != NULL)
    {
      *body = ak_cli_read_input (options->body_file, MAX_BODY_LENGTH, NULL, &error);
      if (*body == NULL)
        return ak_cli_report_error ("doctor", error);
      input->convoai_body = *body;
      if (input->product == AK_DOCTOR_PRODUCT_ANY)
        input->product = AK_DOCTOR_PRODUCT_CONVOAI;
    }

  return AK_CLI_GO_ON;
}

int
ak_cli_doctor (int    argc,
               char **argv)
{
  g_auto(DoctorOptions) options = { 0 };
  g_autoptr(GOptionContext) context = doctor_option_context_new (&options);
  g_autoptr(GError) error = NULL;
  g_autoptr(AkDoctorDiagnosis) diagnosis = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *body = NULL;
  AkDoctorInput input = { 0 };
  char *text;
  int status;

  if (!ak_cli_parse_options (context, "doctor", &argc, &argv, &status))
    return status;
  if (argc < 2)
    return ak_cli_usage_error ("doctor", _("Give the token to examine, or “-” to read it from "
                                           "standard input"));
  if (argc > 2)
    return ak_cli_usage_error ("doctor", _("Unexpected argument “%s”"), argv[2]);
  if (options.uid != NULL && options.account != NULL)
    return ak_cli_usage_error ("doctor", _("Give either --uid or --account, not both"));
  if (options.include_token && !options.report)
    return ak_cli_usage_error ("doctor", _("--include-token goes with --report"));
  if (options.report && options.json)
    return ak_cli_usage_error ("doctor", _("Give either --report or --json, not both"));
  if (options.body_file != NULL && g_str_equal (options.body_file, "-")
      && g_str_equal (argv[1], "-"))
    return ak_cli_usage_error ("doctor", _("Standard input cannot hold both the token and "
                                           "the --body"));

  if ((status = input_from_options (&options, &input, &body)) != AK_CLI_GO_ON)
    return status;

  text = read_token_text (argv[1], &error);
  if (text == NULL)
    return ak_cli_report_error ("doctor", error);
  input.token = text;

  /* First without certificates: it finds the App ID whose project to read. */
  diagnosis = ak_token_doctor_diagnose (&input, NULL, &error);
  if (diagnosis != NULL && options.keyring)
    {
      const char *app_id = ak_token_get_app_id (ak_doctor_diagnosis_get_token (diagnosis));

      candidates = load_candidates (app_id, &error);
      g_clear_pointer (&diagnosis, ak_doctor_diagnosis_unref);
      if (candidates != NULL)
        diagnosis = ak_token_doctor_diagnose (&input, candidates, &error);
    }
  ak_secret_string_free (text);
  /* The certificates are not needed past the diagnosis. */
  g_clear_pointer (&candidates, g_ptr_array_unref);
  if (diagnosis == NULL)
    return ak_cli_report_error ("doctor", error);

  if (options.json)
    {
      g_autoptr(JsonNode) node = ak_doctor_diagnosis_to_json (diagnosis);

      ak_cli_print_json (node);
    }
  else if (options.report)
    {
      char *report = ak_token_doctor_report_text (diagnosis, options.include_token);

      fputs (report, stdout);
      /* With --include-token the report holds the token. */
      ak_secret_string_free (report);
    }
  else
    print_findings (diagnosis);

  if (fflush (stdout) != 0)
    return AK_CLI_EXIT_INVALID;
  return ak_doctor_diagnosis_explains_rejection (diagnosis) ? AK_CLI_EXIT_MISMATCH
                                                            : AK_CLI_EXIT_OK;
}
