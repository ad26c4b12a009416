/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "ak-application.h"
#include "ak-clipboard-private.h"
#include "ak-clipboard.h"
#include "ak-core.h"
#include "ak-credential-dialog-private.h"
#include "ak-credential-dialog.h"
#include "ak-credentials-page-private.h"
#include "ak-requests-page-private.h"
#include "ak-response-view-private.h"
#include "ak-test-audit.h"
#include "ak-test-clipboard.h"
#include "ak-test-secrets.h"
#include "ak-test-ui.h"
#include "ak-token-decoder-private.h"
#include "ak-token-generator-private.h"
#include "ak-window-private.h"

/*
 * The end-to-end secrets audit (issue #8, item 4). The window and the real agora-keys-cli
 * binary add credentials to the real keyring of the test session, generate, decode, send a
 * request with every auth scheme to a fake Agora on 127.0.0.1 and copy secrets, all with
 * G_MESSAGES_DEBUG=all. Then every secret, in every form it could take, is looked for in
 * every log line, every CLI output that is not meant to show it, the cURL exports, the
 * window titles and tooltips, the settings, and every file under a throwaway $HOME, the XDG
 * directories and $TMPDIR. The keyring's own files are the one thing not searched.
 */

#define CHAT_ORG "61717166"
#define CHAT_APP "auditapp"
#define CHAT_HOST "a41.chat.agora.io"

/* One for the window, one for the command line: different values, so a find says which
 * side leaked. */
static Credentials gui;
static Credentials cli;

/* Every secret the test made or saw, and every text none may reach. */
static AkTestSecrets audit;

static char *root_dir;
static AkApplication *app;
/* No Secret Service: the window works on its in-memory store, as it does for users, and
 * the CLI (which refuses to fall back) gets libsecret's file backend in ~/.local/share. */
static gboolean keyring_fallback;

/* ---------------------------------------------------------------------------------------------
 * Every log line, with G_MESSAGES_DEBUG=all
 */

static GMutex log_lock;
static GPtrArray *log_lines;

static GLogWriterOutput
record_log (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  g_autofree char *line = g_log_writer_format_fields (level, fields, n_fields, FALSE);
  GString *all = g_string_new (line);

  /* The line as printed, and every other field a journal would keep. */
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE"))
        continue;
      g_string_append_printf (all, " %s=", fields[i].key);
      if (fields[i].length < 0)
        g_string_append (all, fields[i].value);
      else
        g_string_append_len (all, fields[i].value, fields[i].length);
    }
  g_mutex_lock (&log_lock);
  g_ptr_array_add (log_lines, g_string_free (all, FALSE));
  g_mutex_unlock (&log_lock);

  /* Still printed, and still fatal when it is a warning. */
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* ---------------------------------------------------------------------------------------------
 * Driving the window
 */

typedef struct
{
  AkWindow *window;
  AkCredentialStore *store;
  AkCredentialsPage *credentials;
  AkTokensPage *tokens;
  AkRequestsPage *requests;
  GdkClipboard *clipboard;
} Gui;

static Gui ui;

static gboolean
store_loaded (gpointer data)
{
  return ak_credential_store_get_state (data) != AK_KEYRING_STATE_UNKNOWN;
}

static gboolean
dialog_done (gpointer data)
{
  AkCredentialDialog *dialog = ak_credentials_page_get_open_dialog (ui.credentials);

  if (dialog != NULL && !ak_credential_dialog_is_busy (dialog)
      && ak_credential_dialog_get_error (dialog) != NULL)
    g_error ("Saving failed: %s", ak_credential_dialog_get_error (dialog));
  return dialog == NULL;
}

/* Window titles and every tooltip in the window, as they are now. */
static void
collect_tooltips (GtkWidget *widget,
                  GString   *out)
{
  if (gtk_widget_get_tooltip_text (widget) != NULL)
    g_string_append_printf (out, "%s\n", gtk_widget_get_tooltip_text (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_tooltips (child, out);
}

static void
snapshot_ui (const char *moment)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      g_autoptr(GString) tooltips = g_string_new (NULL);
      g_autofree char *where = NULL;

      if (gtk_window_get_title (window) != NULL)
        {
          where = g_strdup_printf ("the title of a window (%s, %s)", G_OBJECT_TYPE_NAME (window),
                                   moment);
          ak_test_secrets_add_text (&audit, where, gtk_window_get_title (window), -1);
          g_free (where);
        }
      collect_tooltips (GTK_WIDGET (window), tooltips);
      where = g_strdup_printf ("the tooltips of a window (%s, %s)", G_OBJECT_TYPE_NAME (window),
                               moment);
      ak_test_secrets_add_text (&audit, where, tooltips->str, tooltips->len);
    }
}

static void
set_dialog_field (AkCredentialDialog *dialog,
                  const char         *name,
                  const char         *text)
{
  gtk_editable_set_text (ak_credential_dialog_get_field (dialog, name), text);
}

static AkCredentialDialog *
open_add_dialog (const char *action)
{
  AkCredentialDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (ui.window), action, NULL);
  dialog = ak_credentials_page_get_open_dialog (ui.credentials);
  g_assert_nonnull (dialog);
  return dialog;
}

static void
gui_add_credentials (void)
{
  AkCredentialDialog *dialog;

  dialog = open_add_dialog ("win.add-customer");
  set_dialog_field (dialog, "label", gui.customer_label);
  set_dialog_field (dialog, "customer-id", gui.customer_id);
  set_dialog_field (dialog, "customer-secret", gui.customer_secret);
  g_assert_true (ak_credential_dialog_can_save (dialog));
  snapshot_ui ("adding a customer credential");
  ak_credential_dialog_save (dialog);
  ak_test_wait_until (dialog_done, NULL, "the customer credential to be saved");

  dialog = open_add_dialog ("win.add-project");
  set_dialog_field (dialog, "label", gui.label);
  set_dialog_field (dialog, "app-id", gui.app_id);
  set_dialog_field (dialog, "primary", gui.primary);
  set_dialog_field (dialog, "secondary", gui.secondary);
  set_dialog_field (dialog, "chat-org", CHAT_ORG);
  set_dialog_field (dialog, "chat-app", CHAT_APP);
  set_dialog_field (dialog, "chat-host", CHAT_HOST);
  g_assert_true (ak_credential_dialog_can_save (dialog));
  snapshot_ui ("adding a project");
  ak_credential_dialog_save (dialog);
  ak_test_wait_until (dialog_done, NULL, "the project to be saved");

  g_assert_nonnull (ak_credential_store_find (ui.store, AK_CREDENTIAL_CUSTOMER,
                                              gui.customer_label));
  g_assert_nonnull (ak_credential_store_find (ui.store, AK_CREDENTIAL_PROJECT, gui.label));
}

typedef struct
{
  const char *expected;
  gboolean secret;
} ClipboardWait;

static gboolean
clipboard_holds (gpointer data)
{
  ClipboardWait *wait = data;
  GdkContentFormats *formats = gdk_clipboard_get_formats (ui.clipboard);
  g_autofree char *text = NULL;

  if (wait->secret != gdk_content_formats_contain_mime_type (formats,
                                                             "x-kde-passwordManagerHint"))
    return FALSE;
  text = ak_test_read_clipboard (ui.clipboard);
  return text != NULL && strstr (text, wait->expected) != NULL;
}

static void
wait_for_clipboard (const char *expected,
                    gboolean    secret,
                    const char *what)
{
  ClipboardWait wait = { expected, secret };

  ak_test_wait_until (clipboard_holds, &wait, what);
}

typedef struct
{
  AkTokenGenerator *generator;
  char *before;
} GenerateWait;

static gboolean
generated (gpointer data)
{
  GenerateWait *wait = data;
  const char *token = ak_token_generator_get_token (wait->generator);

  return !ak_token_generator_is_busy (wait->generator) && token != NULL
         && g_strcmp0 (token, wait->before) != 0;
}

static char *
gui_generate (AkTokenKind  kind,
              guint        certificate,
              guint16      service,
              const char  *name)
{
  AkTokenGenerator *generator = ak_tokens_page_get_generator (ui.tokens);
  GenerateWait wait = { generator, g_strdup (ak_token_generator_get_token (generator)) };
  g_autoptr(AkToken) token = NULL;
  const char *certificates[] = { gui.primary, gui.secondary };

  ak_token_generator_select (generator, "kind", kind);
  ak_token_generator_select (generator, "certificate", certificate);
  g_assert_true (ak_token_generator_can_generate (generator));
  gtk_widget_activate_action (GTK_WIDGET (generator), "generator.generate", NULL);
  ak_test_wait_until (generated, &wait, "a token");
  g_free (wait.before);

  token = ak_token_parse (ak_token_generator_get_token (generator), NULL);
  g_assert_nonnull (token);
  g_assert_cmpstr (ak_token_get_app_id (token), ==, gui.app_id);
  g_assert_cmpuint (ak_token_get_service (token, 0)->type, ==, service);
  g_assert_true (ak_token_verify (token, certificates[certificate], NULL, NULL, NULL, NULL));
  ak_test_secrets_add_secret (&audit, name, ak_token_generator_get_token (generator));
  snapshot_ui (name);
  return g_strdup (ak_token_generator_get_token (generator));
}

static gboolean
check_done (gpointer data)
{
  AkTokenCheckStatus status;

  return !ak_token_decoder_is_checking (data) && ak_token_decoder_get_check_status (data, &status);
}

static void
gui_decode (const char *token,
            const char *which)
{
  AkTokenDecoder *decoder = ak_tokens_page_get_decoder (ui.tokens);
  AkTokenCheckStatus status;

  ak_tokens_page_decode (ui.tokens, token);
  g_assert_null (ak_token_decoder_get_error (decoder));
  ak_test_wait_until (check_done, decoder, "the signature check");
  g_assert_true (ak_token_decoder_get_check_status (decoder, &status));
  g_assert_cmpint (status, ==, AK_TOKEN_CHECK_VALID);
  g_assert_nonnull (strstr (ak_token_decoder_get_check_message (decoder), which));
  snapshot_ui ("decoding a token");
}

static gboolean
answered (gpointer data)
{
  return !ak_requests_page_is_sending (ui.requests)
         && !ak_response_view_is_loading (ak_requests_page_get_response_view (ui.requests));
}

static void
gui_send (Scheme       scheme,
          AkAuthScheme auth,
          const char  *label,
          const char  *user_id)
{
  AkResponseView *view = ak_requests_page_get_response_view (ui.requests);
  guint before = fake_accepted (scheme);
  g_autofree char *curl = NULL;
  g_autofree char *where = NULL;

  ak_requests_page_set_method (ui.requests, "GET");
  gtk_editable_set_text (ak_requests_page_get_path (ui.requests), scheme_paths[scheme]);
  ak_requests_page_set_auth (ui.requests, auth, label, user_id);
  ak_requests_page_send (ui.requests);
  ak_test_wait_until (answered, NULL, "the response");
  if (!g_str_has_prefix (ak_response_view_get_status (view), "200"))
    g_error ("%s was answered %s (%s)", scheme_paths[scheme], ak_response_view_get_status (view),
             ak_response_view_get_summary (view));
  /* The fake checked the header: the secret really went over the wire. */
  g_assert_cmpuint (fake_accepted (scheme), ==, before + 1);

  /* Copy as cURL, as the Copy button makes it (placeholders for secrets). */
  curl = ak_requests_page_dup_curl (ui.requests);
  g_assert_nonnull (curl);
  where = g_strdup_printf ("the cURL export of %s", scheme_paths[scheme]);
  ak_test_secrets_add_text (&audit, where, curl, -1);
  snapshot_ui (scheme_paths[scheme]);
}

static GtkWindow *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Borrowed: the list of toplevels keeps each window alive. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
clipboard_cleared (gpointer data)
{
  return !ak_clipboard_has_pending_clear (ui.clipboard);
}

/* The cURL command with secrets (after the confirmation) holds a freshly minted token: it
 * becomes one more secret to look for. */
static void
gui_copy_curl_with_secrets (void)
{
  g_autofree char *curl = NULL;
  const char *start;
  gsize length;
  g_autofree char *token = NULL;
  g_autoptr(AkToken) parsed = NULL;

  gtk_editable_set_text (ak_requests_page_get_path (ui.requests), scheme_paths[SCHEME_AGORA_TOKEN]);
  ak_requests_page_set_auth (ui.requests, AK_AUTH_AGORA_TOKEN, gui.label, USER_ID);
  gtk_widget_activate_action (GTK_WIDGET (ui.requests), "requests.copy-curl-secrets", NULL);
  ak_test_wait_until (message_dialog_shown, NULL, "the Include Secrets question");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_message_dialog ()), "include");
  wait_for_clipboard ("agora token=007", TRUE, "the cURL command with secrets");

  curl = ak_test_read_clipboard (ui.clipboard);
  start = strstr (curl, "agora token=") + strlen ("agora token=");
  length = strspn (start, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/=");
  token = g_strndup (start, length);
  parsed = verified_token (token);
  g_assert_nonnull (parsed);
  ak_test_secrets_add_secret (&audit, "the token in the cURL command with secrets", token);
}

static void
test_gui (void)
{
  GSettings *settings = ak_application_get_settings (app);
  g_autofree char *base_url = ak_test_server_get_url (fake.server);
  g_autofree char *copied = NULL;
  g_autofree char *rtc = NULL;
  g_autofree char *rtm = NULL;
  g_autofree char *chat = NULL;
  AkTokenGenerator *generator;
  AkCredential *project;
  AkCredential *customer;

  /* The shortest delay the schema allows, so that the clear can be waited for. */
  g_settings_set_uint (settings, "clipboard-clear-seconds", 5);

  ui.store = ak_application_get_store (app);
  ui.window = ak_window_new (app);
  ui.credentials = ak_window_get_credentials_page (ui.window);
  ui.clipboard = gtk_widget_get_clipboard (GTK_WIDGET (ui.window));
  gtk_window_present (GTK_WINDOW (ui.window));
  ak_test_wait_until (store_loaded, ui.store, "the keyring");
  switch (ak_credential_store_get_state (ui.store))
    {
    case AK_KEYRING_STATE_READY:
      g_test_message ("Credentials go to the Secret Service of the test session");
      break;
    case AK_KEYRING_STATE_SESSION_ONLY:
      keyring_fallback = TRUE;
      g_test_message ("No Secret Service: the window keeps credentials in memory, as the app "
                      "does; the CLI uses libsecret's file backend under ~/.local/share/keyrings");
      break;
    case AK_KEYRING_STATE_LOCKED:
    case AK_KEYRING_STATE_UNKNOWN:
    default:
      g_error ("The keyring of the test session is locked: unlock it as build-aux/test does");
    }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (ui.window));

  gui_add_credentials ();
  project = ak_credential_store_find (ui.store, AK_CREDENTIAL_PROJECT, gui.label);
  customer = ak_credential_store_find (ui.store, AK_CREDENTIAL_CUSTOMER, gui.customer_label);

  /* Tokens from the stored project, with each certificate; each decoded and verified. */
  gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.new-token", NULL);
  ui.tokens = ak_window_get_tokens_page (ui.window);
  generator = ak_tokens_page_get_generator (ui.tokens);
  ak_token_generator_select (generator, "project",
                             ak_token_generator_find_project (generator, gui.label));
  gtk_editable_set_text (ak_token_generator_get_field (generator, "channel"), "audit");
  gtk_editable_set_text (ak_token_generator_get_field (generator, "uid"), "42");
  gtk_editable_set_text (ak_token_generator_get_field (generator, "user-id"), USER_ID);
  rtc = gui_generate (AK_TOKEN_KIND_RTC, 0, AK_SERVICE_RTC, "the RTC token made in the window");
  chat = gui_generate (AK_TOKEN_KIND_CHAT_APP, 0, AK_SERVICE_CHAT,
                       "the Chat app token made in the window");
  rtm = gui_generate (AK_TOKEN_KIND_RTM, 1, AK_SERVICE_RTM,
                      "the RTM token made in the window (secondary certificate)");
  gui_decode (rtc, "primary");
  gui_decode (rtm, "secondary");

  /* A request with every scheme, minted from the stored credentials. */
  gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.show-page", "s", "requests");
  ui.requests = ak_window_get_requests_page (ui.window);
  ak_requests_page_select_endpoint (ui.requests, NULL);
  ak_requests_page_set_base_url (ui.requests, base_url);
  gui_send (SCHEME_BASIC, AK_AUTH_BASIC, gui.customer_label, NULL);
  gui_send (SCHEME_AGORA_TOKEN, AK_AUTH_AGORA_TOKEN, gui.label, USER_ID);
  gui_send (SCHEME_X_AGORA, AK_AUTH_X_AGORA, gui.label, USER_ID);
  gui_send (SCHEME_BEARER, AK_AUTH_BEARER, gui.label, NULL);

  /* Copy as cURL through its action: no secret, so not marked and not cleared. */
  gtk_widget_activate_action (GTK_WIDGET (ui.requests), "requests.copy-curl", NULL);
  wait_for_clipboard ("$AGORA_TOKEN", FALSE, "the copied cURL command");
  copied = ak_test_read_clipboard (ui.clipboard);
  ak_test_secrets_add_text (&audit, "the copied cURL command (clipboard)", copied, -1);

  /* Copy secrets: each lands on the clipboard marked, then the last one is cleared. */
  ak_credentials_page_copy_secret (ui.credentials, project, AK_SECRET_PRIMARY_CERTIFICATE);
  wait_for_clipboard (gui.primary, TRUE, "the primary certificate on the clipboard");
  ak_credentials_page_copy_secret (ui.credentials, project, AK_SECRET_SECONDARY_CERTIFICATE);
  wait_for_clipboard (gui.secondary, TRUE, "the secondary certificate on the clipboard");
  ak_credentials_page_copy_secret (ui.credentials, customer, AK_SECRET_CUSTOMER_SECRET);
  wait_for_clipboard (gui.customer_secret, TRUE, "the customer secret on the clipboard");
  gtk_widget_activate_action (GTK_WIDGET (generator), "generator.copy", NULL);
  wait_for_clipboard (rtm, TRUE, "the token on the clipboard");
  gui_copy_curl_with_secrets ();
  g_assert_true (ak_clipboard_has_pending_clear (ui.clipboard));
  if (!gtk_window_is_active (GTK_WINDOW (ui.window)))
    {
      /* Without a window manager the window may never be active; the clear would then wait
       * for it, as it does on Wayland. */
      g_test_message ("The window is not active: clearing the clipboard now");
      ak_clipboard_clear_now (ui.clipboard);
    }
  ak_test_wait_until (clipboard_cleared, NULL, "the clipboard to be cleared");
  g_assert_null (gdk_clipboard_get_content (ui.clipboard));
  snapshot_ui ("the end of the window's run");
}

/* Waits for the history file, then closes the window (which saves its size in the
 * settings) and forgets the window's credentials. */
static void
history_flushed (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  ak_rest_history_flush_finish (AK_REST_HISTORY (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
deleted (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ak_credential_store_delete_finish (AK_CREDENTIAL_STORE (object), result, NULL);
  (*(guint *) user_data)--;
}

static void
gui_finish (void)
{
  gboolean flushed = FALSE;
  guint pending = 0;
  AkCredential *both[2];

  ak_rest_history_flush_async (ak_application_get_rest_history (app), NULL, history_flushed,
                               &flushed);
  ak_test_wait_for_flag (&flushed, "the history on disk");

  if (ui.window != NULL)
    gtk_window_close (GTK_WINDOW (ui.window));
  ui.window = NULL;

  both[0] = ak_credential_store_find (ui.store, AK_CREDENTIAL_PROJECT, gui.label);
  both[1] = ak_credential_store_find (ui.store, AK_CREDENTIAL_CUSTOMER, gui.customer_label);
  for (guint i = 0; i < G_N_ELEMENTS (both); i++)
    if (both[i] != NULL)
      {
        pending++;
        ak_credential_store_delete_async (ui.store, both[i], NULL, deleted, &pending);
      }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* ---------------------------------------------------------------------------------------------
 * Driving the command line
 */

typedef enum
{
  OUTPUT_AUDITED,
  /* stdout exists to print the token the user asked for (build): collected as a secret,
   * not searched; stderr is still searched. */
  OUTPUT_PRINTS_TOKEN,
} Output;

static void
run_cliv (AkTestCliResult    *result,
          Output              output,
          const char         *input,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = ak_test_cli_launcher_new ();
  /* Arguments hold labels and IDs, never a secret: secrets go on stdin. */
  g_autofree char *command = g_strjoinv (" ", (char **) args);
  g_autofree char *where = NULL;

  /* The environment of this process: the throwaway $HOME, XDG directories, $TMPDIR, the
   * keyfile settings backend, G_MESSAGES_DEBUG=all and the test session's bus. */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "AGORA_TOKEN");
  ak_test_launcher_set_no_proxy (launcher);
  if (keyring_fallback)
    {
      g_autofree char *keyring = g_build_filename (g_get_user_data_dir (), "keyrings",
                                                   "audit-cli.keyring", NULL);

      g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
      g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", keyring, TRUE);
      g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD", "audit", TRUE);
    }
  ak_test_run_cliv (launcher, result, input, args);

  where = g_strdup_printf ("the standard error of 'agora-keys-cli %s'", command);
  ak_test_secrets_add_text (&audit, where, result->err, -1);
  if (output == OUTPUT_AUDITED)
    {
      g_free (where);
      where = g_strdup_printf ("the standard output of 'agora-keys-cli %s'", command);
      ak_test_secrets_add_text (&audit, where, result->out, -1);
    }
  if (result->status != 0)
    g_test_message ("%s", result->err);
}

#define run_cli(result, output, input, ...) \
  run_cliv (result, output, input, AK_TEST_ARGS (__VA_ARGS__))

/* @args: "build KIND --project LABEL …" */
static char *
cli_build (const char         *name,
           guint16             service,
           const char * const *args)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autoptr(AkToken) token = NULL;
  g_autofree char *text = NULL;

  /* The token is the whole point of build's stdout: kept as a secret, not searched. */
  run_cliv (&r, OUTPUT_PRINTS_TOKEN, NULL, args);
  g_assert_cmpint (r.status, ==, 0);
  text = g_strdup (g_strstrip (r.out));
  token = verified_token (text);
  g_assert_nonnull (token);
  g_assert_cmpuint (ak_token_get_service (token, 0)->type, ==, service);
  ak_test_secrets_add_secret (&audit, name, text);
  return g_steal_pointer (&text);
}

static void
test_cli (void)
{
  g_auto(AkTestCliResult) r = { 0 };
  g_autofree char *base_url = ak_test_server_get_url (fake.server);
  g_autofree char *input = NULL;
  g_autofree char *rtc = NULL;
  g_autofree char *rtm = NULL;
  g_autofree char *chat = NULL;
  g_autofree char *token_input = NULL;

  if (!ak_test_require_cli ())
    return;

  input = g_strdup_printf ("%s\n", cli.customer_secret);
  run_cli (&r, OUTPUT_AUDITED, input, "credential", "add", "customer", "--label",
           cli.customer_label, "--customer-id", cli.customer_id, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_free (input);
  input = g_strdup_printf ("%s\n%s\n", cli.primary, cli.secondary);
  run_cli (&r, OUTPUT_AUDITED, input, "credential", "add", "project", "--label", cli.label,
           "--app-id", cli.app_id, "--chat-org", CHAT_ORG, "--chat-app", CHAT_APP,
           "--chat-host", CHAT_HOST, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r, OUTPUT_AUDITED, NULL, "credential", "list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r, OUTPUT_AUDITED, NULL, "credential", "show", cli.label, NULL);
  g_assert_cmpint (r.status, ==, 0);

  {
    const char *build_rtc[] = { "build", "rtc", "--project", cli.label, "--channel", "audit",
                                "--uid", "42", NULL };
    const char *build_rtm[] = { "build", "rtm", "--project", cli.label, "--secondary",
                                "--user-id", USER_ID, NULL };
    const char *build_chat[] = { "build", "chat-app", "--project", cli.label, NULL };

    rtc = cli_build ("the RTC token built by the CLI", AK_SERVICE_RTC, build_rtc);
    rtm = cli_build ("the RTM token built by the CLI (secondary certificate)", AK_SERVICE_RTM,
                     build_rtm);
    chat = cli_build ("the Chat app token built by the CLI", AK_SERVICE_CHAT, build_chat);
  }

  /* Decoding shows the fields, and which stored certificate signed the token; never the
   * token or the certificate. */
  token_input = g_strdup_printf ("%s\n", rtc);
  run_cli (&r, OUTPUT_AUDITED, token_input, "decode", "--verify-with-keyring", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "primary"));
  g_free (token_input);
  token_input = g_strdup_printf ("%s\n", rtm);
  run_cli (&r, OUTPUT_AUDITED, token_input, "decode", "--verify-with-keyring", "--json", "-",
           NULL);
  g_assert_cmpint (r.status, ==, 0);

  run_cli (&r, OUTPUT_AUDITED, NULL, "request", "GET", scheme_paths[SCHEME_BASIC], "--base-url",
           base_url, "--customer", cli.customer_label, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* G_MESSAGES_DEBUG=all reached the child: its debug lines are in what is searched. */
  g_assert_nonnull (strstr (r.err, "Sending GET to http://127.0.0.1"));
  run_cli (&r, OUTPUT_AUDITED, NULL, "request", "GET", scheme_paths[SCHEME_AGORA_TOKEN],
           "--base-url", base_url, "--auth", "agora-token", "--project", cli.label, "--user",
           USER_ID, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r, OUTPUT_AUDITED, NULL, "request", "GET", scheme_paths[SCHEME_X_AGORA],
           "--base-url", base_url, "--auth", "x-agora", "--project", cli.label, "--secondary",
           "--user", USER_ID, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r, OUTPUT_AUDITED, NULL, "request", "GET", scheme_paths[SCHEME_BEARER],
           "--base-url", base_url, "--auth", "bearer", "--project", cli.label, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* Window and command line: each scheme accepted twice by the fake. */
  for (Scheme s = 0; s < N_SCHEMES; s++)
    g_assert_cmpuint (fake_accepted (s), ==, 2);

  run_cli (&r, OUTPUT_AUDITED, NULL, "history", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r, OUTPUT_AUDITED, NULL, "history", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, scheme_paths[SCHEME_BEARER]));

  run_cli (&r, OUTPUT_AUDITED, NULL, "credential", "remove", cli.label, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r, OUTPUT_AUDITED, NULL, "credential", "remove", cli.customer_label, NULL);
  g_assert_cmpint (r.status, ==, 0);
}

/* ---------------------------------------------------------------------------------------------
 * The search
 */

static void
collect_secrets (void)
{
  const Credentials *sides[] = { &gui, &cli };
  const char *side_names[] = { "window", "CLI" };

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *pair = g_strdup_printf ("%s:%s", sides[i]->customer_id,
                                               sides[i]->customer_secret);
      g_autofree char *basic = g_base64_encode ((const guchar *) pair, strlen (pair));

      name = g_strdup_printf ("the %s primary certificate", side_names[i]);
      ak_test_secrets_add_secret (&audit, name, sides[i]->primary);
      g_free (name);
      name = g_strdup_printf ("the %s secondary certificate", side_names[i]);
      ak_test_secrets_add_secret (&audit, name, sides[i]->secondary);
      g_free (name);
      name = g_strdup_printf ("the %s customer secret", side_names[i]);
      ak_test_secrets_add_secret (&audit, name, sides[i]->customer_secret);
      g_free (name);
      name = g_strdup_printf ("the %s Basic header value", side_names[i]);
      ak_test_secrets_add_secret (&audit, name, basic);
    }

  g_mutex_lock (&fake.lock);
  for (guint i = 0; i < fake.tokens->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("token %u received by the fake Agora", i + 1);

      ak_test_secrets_add_secret (&audit, name, fake.tokens->pdata[i]);
    }
  g_mutex_unlock (&fake.lock);
}

static void
test_search (void)
{
  g_autoptr(GPtrArray) forms = NULL;
  GSettings *settings = ak_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GObject) backend = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings",
                                               "keyfile", NULL);
  g_autofree char *history = ak_rest_history_get_default_path ();
  g_autofree char *history_text = NULL;
  gboolean sending_logged = FALSE;

  gui_finish ();
  collect_secrets ();
  forms = ak_test_secrets_make_forms (&audit);
  g_test_message ("%u secrets in %u forms", audit.secrets->len, forms->len);
  /* Three minted request tokens each from the window and the command line. */
  g_assert_cmpuint (fake.tokens->len, ==, 6);

  /* The settings, through GSettings and as the file the keyfile backend keeps. */
  g_object_get (settings, "settings-schema", &schema, "backend", &backend, NULL);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (backend), ==, "GKeyfileSettingsBackend");
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);
      g_autofree char *where = g_strdup_printf ("the setting %s", keys[i]);

      ak_test_secrets_add_text (&audit, where, text, -1);
    }
  g_settings_sync ();
  g_assert_true (g_file_test (keyfile, G_FILE_TEST_IS_REGULAR));

  /* The history was written, with a line for each request. */
  g_assert_true (g_str_has_prefix (history, root_dir));
  g_assert_true (g_file_get_contents (history, &history_text, NULL, NULL));
  g_assert_nonnull (strstr (history_text, scheme_paths[SCHEME_X_AGORA]));

  /* Debug messages were on: the REST client's own debug line is there. */
  g_mutex_lock (&log_lock);
  for (guint i = 0; i < log_lines->len; i++)
    {
      g_autofree char *where = g_strdup_printf ("log line %u", i + 1);

      sending_logged |= strstr (log_lines->pdata[i], "Sending GET to http://127.0.0.1") != NULL;
      ak_test_secrets_add_text (&audit, where, log_lines->pdata[i], -1);
    }
  g_mutex_unlock (&log_lock);
  g_assert_true (sending_logged);

  ak_test_secrets_search_texts (&audit, forms);
  ak_test_secrets_search_tree (&audit, root_dir, forms);
  g_test_message ("Searched %u texts and %u files", audit.texts->len, audit.n_files);
  g_assert_cmpuint (audit.n_files, >=, 2);

  if (audit.n_findings > 0)
    g_error ("%u secret forms were found where no secret may be (see the LEAK lines)",
             audit.n_findings);
}

/* ---------------------------------------------------------------------------------------------
 */

/* A throwaway $HOME, XDG directories and $TMPDIR, set before GLib reads any of them. */
static void
make_root (void)
{
  const char *tmp = g_getenv ("TMPDIR") != NULL ? g_getenv ("TMPDIR") : "/tmp";
  g_autofree char *template = g_build_filename (tmp, "ak-secrets-audit-XXXXXX", NULL);
  const struct
  {
    const char *variable;
    const char *directory;
  } dirs[] = {
    { "HOME", "home" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
    { "TMPDIR", "tmp" },
  };

  root_dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (root_dir);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (root_dir, dirs[i].directory, NULL);

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      g_setenv (dirs[i].variable, path, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  make_root ();
  /* A real settings file to search, instead of the memory backend of the other UI tests. */
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_unsetenv ("SECRET_BACKEND");
  /* Debug output on stdout would mix with the TAP results. */
  g_log_writer_default_set_use_stderr (TRUE);
  log_lines = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (record_log, NULL, NULL);

  ak_test_secrets_init (&audit);
  credentials_init (&gui, "window");
  credentials_init (&cli, "CLI");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* GtkText warns from its blink timer when a dialog closes under it while the loop waits
   * for the keyring; the warning is fatal here and has nothing to do with secrets. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "keyfile");
  fake_start (&gui, &cli);

  app = ak_test_application_new (NULL);

  g_test_add_func ("/ak/secrets-audit/window", test_gui);
  g_test_add_func ("/ak/secrets-audit/cli", test_cli);
  g_test_add_func ("/ak/secrets-audit/search", test_search);
  status = g_test_run ();

  g_clear_object (&app);
  fake_stop ();
  ak_test_remove_tree (root_dir);
  return status;
}
