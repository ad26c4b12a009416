/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ak-application.h"
#include "ak-clipboard-private.h"
#include "ak-clipboard.h"
#include "ak-core.h"
#include "ak-requests-page-private.h"
#include "ak-response-view-private.h"
#include "ak-rest-catalogue.h"
#include "ak-test-clipboard.h"
#include "ak-test-convoai.h"
#include "ak-test-ui-requests.h"
#include "ak-test-ui.h"
#include "ak-token-server-view-private.h"
#include "ak-window-private.h"

#define SIGN_KEY "0123456789abcdef0123456789abcdef"
#define OTHER_APP_ID "abcdefabcdefabcdefabcdefabcdef01"

/* ---------------------------------------------------------------------------------------------
 * A fake Agora on 127.0.0.1, in its own thread and main context
 */

static AkTestConvoai convoai = { .app_id = TEST_APP_ID, .certificate = TEST_CERT };

static const char *
authorization_of (SoupServerMessage *msg)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                       "Authorization");
}

static void
projects_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  const char *authorization = authorization_of (msg);
  g_autofree char *expected_raw = g_strdup_printf ("%s:%s", CUSTOMER_ID, CUSTOMER_SECRET);
  g_autofree char *encoded = g_base64_encode ((const guchar *) expected_raw, strlen (expected_raw));
  g_autofree char *expected = g_strdup_printf ("Basic %s", encoded);

  if (g_strcmp0 (authorization, expected) != 0)
    {
      ak_test_reply_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Request-ID",
                                "req-123");
  ak_test_reply_json (msg, 200,
                      "{\"projects\":[{\"id\":\"p1\",\"name\":\"Demo\",\"vendor_key\":\""
                      TEST_APP_ID "\",\"sign_key\":\"" TEST_CERT "\"},{\"id\":\"p2\",\"name\":"
                      "\"Other app\",\"vendor_key\":\"" OTHER_APP_ID "\",\"sign_key\":\""
                      SIGN_KEY "\"}],\"success\":true}");
}

/* Checks the agora token= header for real, with the codec. */
static void
rtm_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  const char *authorization = authorization_of (msg);
  g_autoptr(AkToken) token = NULL;

  if (authorization == NULL || !g_str_has_prefix (authorization, "agora token="))
    {
      ak_test_reply_json (msg, 401, "{\"message\":\"Unauthorized\"}");
      return;
    }
  token = ak_token_parse (authorization + strlen ("agora token="), NULL);
  if (token == NULL || !ak_token_verify (token, TEST_CERT, NULL, NULL, NULL, NULL)
      || ak_token_get_n_services (token) != 1
      || g_strcmp0 (ak_token_get_service (token, 0)->user_id, "bob") != 0)
    {
      ak_test_reply_json (msg, 401, "{\"message\":\"invalid token\",\"__status\":401}");
      return;
    }
  ak_test_reply_json (msg, 200, "{\"result\":\"success\"}");
}

/* A minimal agora-token-service: POST /getToken for an RTC token with a numeric uid. */
static void
get_token_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(AkBuildResult) result = NULL;
  g_autofree char *body = NULL;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  JsonObject *asked;

  if (!json_parser_load_from_data (parser, request->data, request->length, NULL))
    {
      ak_test_reply_json (msg, 400, "{\"error\":\"bad body\"}");
      return;
    }
  asked = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (inputs, "app_id", TEST_APP_ID);
  json_object_set_string_member (inputs, "app_certificate", TEST_CERT);
  json_object_set_string_member (inputs, "channel_name",
                                 json_object_get_string_member (asked, "channel"));
  json_object_set_int_member (inputs, "uid",
                              g_ascii_strtoull (json_object_get_string_member (asked, "uid"),
                                                NULL, 10));
  json_object_set_int_member (inputs, "role", 1);
  json_object_set_int_member (inputs, "token_expire", 3600);
  json_object_set_int_member (inputs, "privilege_expire", 3600);
  result = ak_build_token (AK_BUILDER_RTC_UID, inputs, NULL);
  body = g_strdup_printf ("{\"token\":\"%s\"}", ak_build_result_get_token (result));
  ak_test_reply_json (msg, 200, body);
}

static void
convoai_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  if (!ak_test_convoai_handle (&convoai, msg, path))
    ak_test_reply_json (msg, 404, "{\"detail\":\"not found\"}");
}

static const AkTestRoute routes[] = {
  { "/dev/v1/projects", projects_handler },
  { "/rtm", rtm_handler },
  { "/getToken", get_token_handler },
  { "/api/conversational-ai-agent", convoai_handler },
  { NULL, NULL },
};

static gboolean
other_imported (gpointer data)
{
  return ak_credential_store_find_by_app_id (((Fixture *) data)->store, OTHER_APP_ID) != NULL;
}

static void
test_basic_auth (Fixture       *f,
                 gconstpointer  user_data)
{
  AkResponseView *view = ak_requests_page_get_response_view (f->page);
  g_autofree char *body = NULL;

  ak_requests_page_set_method (f->page, "GET");
  gtk_editable_set_text (ak_requests_page_get_path (f->page), "/dev/v1/projects");
  ak_requests_page_set_auth (f->page, AK_AUTH_BASIC, "Console", NULL);
  send_and_wait (f);

  g_assert_true (g_str_has_prefix (ak_response_view_get_status (view), "200"));
  body = ak_response_view_get_body (view);
  g_assert_nonnull (strstr (body, "\"projects\""));
  /* The project certificate in the listing is masked in the view. */
  g_assert_null (strstr (body, SIGN_KEY));
  g_assert_null (strstr (body, TEST_CERT));

  /* Ctrl+Shift+C copies the body as shown, certificates masked; cleared later. */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
    g_autofree char *copied = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.copy-result", NULL));
    copied = ak_test_read_clipboard (clipboard);
    g_assert_nonnull (copied);
    g_assert_nonnull (strstr (copied, "\"projects\""));
    g_assert_null (strstr (copied, TEST_CERT));
    g_assert_true (ak_clipboard_has_pending_clear (clipboard));
    ak_clipboard_clear_now (clipboard);
  }

  /* Save the listed projects instead of copying certificates: the one already stored (same
   * App ID) is left alone, the other is added with its certificate. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "requests.import-projects", NULL);
  ak_test_wait_until (other_imported, f, "the imported project");
  {
    AkCredential *other = ak_credential_store_find_by_app_id (f->store, OTHER_APP_ID);

    g_assert_cmpstr (ak_credential_get_label (other), ==, "Other app");
    g_assert_cmpuint (g_list_model_get_n_items (ak_credential_store_get_model (f->store)), ==, 3);
  }

  /* Without auth the fake refuses, and the pane says why. */
  ak_requests_page_set_auth (f->page, AK_AUTH_NONE, NULL, NULL);
  send_expecting (f, "401");
  g_assert_nonnull (ak_response_view_get_summary (view));
  g_assert_nonnull (strstr (ak_response_view_get_summary (view), "Invalid authentication"));
}

static void
test_agora_token_auth (Fixture       *f,
                       gconstpointer  user_data)
{
  ak_requests_page_set_method (f->page, "POST");
  gtk_editable_set_text (ak_requests_page_get_path (f->page), "/rtm/users/bob/peer_messages");
  ak_requests_page_set_body (f->page, "{\"destination\":\"alice\",\"payload\":\"hi\"}");
  ak_requests_page_set_auth (f->page, AK_AUTH_AGORA_TOKEN, "Demo", "bob");
  send_expecting (f, "200");

  /* A token for another user is refused by the fake, which checks it with the codec. */
  ak_requests_page_set_auth (f->page, AK_AUTH_AGORA_TOKEN, "Demo", "mallory");
  send_expecting (f, "401");
}

static void
test_unfilled_placeholder (Fixture       *f,
                           gconstpointer  user_data)
{
  AkResponseView *view = ak_requests_page_get_response_view (f->page);

  gtk_editable_set_text (ak_requests_page_get_path (f->page), "/dev/v1/channel/{appid}/{cname}");
  ak_requests_page_set_auth (f->page, AK_AUTH_BASIC, "Console", NULL);
  ak_requests_page_send (f->page);
  g_assert_false (ak_requests_page_is_sending (f->page));
  g_assert_nonnull (ak_response_view_get_summary (view));
  g_assert_nonnull (strstr (ak_response_view_get_summary (view), "{"));
}

/* Picking a catalogue entry fills method, path and auth; the custom base URL stays. */
static void
test_catalogue_endpoint (Fixture       *f,
                         gconstpointer  user_data)
{
  AkResponseView *view = ak_requests_page_get_response_view (f->page);

  ak_requests_page_select_endpoint (f->page, "console.projects-list");
  g_assert_cmpstr (gtk_editable_get_text (ak_requests_page_get_path (f->page)), ==,
                   "/dev/v1/projects");
  ak_requests_page_set_auth (f->page, AK_AUTH_BASIC, "Console", NULL);
  send_expecting (f, "200");

  /* Resetting a certificate is destructive: nothing is sent before it is confirmed. */
  ak_requests_page_select_endpoint (f->page, "console.reset-signkey");
  ak_requests_page_send (f->page);
  g_assert_false (ak_requests_page_is_sending (f->page));
  g_assert_true (g_str_has_prefix (ak_response_view_get_status (view), "200"));
}

static gboolean
token_server_done (gpointer data)
{
  return !ak_token_server_view_is_busy (data);
}

static void
test_token_server (Fixture       *f,
                   gconstpointer  user_data)
{
  AkTokenServerView *view = ak_requests_page_get_token_server_view (f->page);
  AkTokenServerResult *result;

  gtk_editable_set_text (ak_token_server_view_get_field (view, "url"), f->base_url);
  gtk_editable_set_text (ak_token_server_view_get_field (view, "channel"), "demo");
  gtk_editable_set_text (ak_token_server_view_get_field (view, "uid"), "42");
  ak_token_server_view_run (view);
  ak_test_wait_until (token_server_done, view, "the token server check");

  result = ak_token_server_view_get_result (view);
  g_assert_nonnull (result);
  g_assert_cmpuint (ak_token_server_result_get_status (result), ==, 200);
  g_assert_nonnull (ak_token_server_result_get_token (result));
  g_assert_cmpint (ak_token_server_result_get_verdict (result), !=, AK_TOKEN_SERVER_ERROR);
  g_assert_cmpstr (ak_token_get_service (ak_token_server_result_get_token (result), 0)->uid, ==,
                   "42");
}

static void
test_curl_has_no_secret (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autofree char *curl = NULL;

  gtk_editable_set_text (ak_requests_page_get_path (f->page), "/dev/v1/projects");
  ak_requests_page_set_auth (f->page, AK_AUTH_BASIC, "Console", NULL);
  curl = ak_requests_page_dup_curl (f->page);
  g_assert_nonnull (curl);
  g_assert_true (g_str_has_prefix (curl, "curl"));
  g_assert_null (strstr (curl, CUSTOMER_SECRET));
  g_assert_nonnull (strstr (curl, "$AGORA_CUSTOMER_SECRET"));
}

/* ---------------------------------------------------------------------------------------------
 * Conversational AI, through the widgets a person uses
 */

static GtkWidget *
require_named (Fixture    *f,
               const char *name)
{
  return ak_test_require_named (GTK_WIDGET (f->page), name, GTK_TYPE_WIDGET);
}

/* Picks the item that shows @text in the combo row named @row_name, as its popover does. */
static void
choose (Fixture    *f,
        const char *row_name,
        const char *text)
{
  AdwComboRow *row = ADW_COMBO_ROW (require_named (f, row_name));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), text))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_error ("The row “%s” offers no “%s”", row_name, text);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* Opens the endpoint picker, searches for the endpoint's name and activates its row, as a
 * user does with the keyboard; the popover then closes. */
static void
choose_endpoint (Fixture    *f,
                 const char *id)
{
  const AkEndpoint *endpoint = ak_rest_catalogue_find (id);
  g_autofree char *row_name = g_strdup_printf ("%s, %s %s", _(endpoint->name), endpoint->method,
                                               endpoint->path);
  GtkWidget *button = ak_test_find_named (GTK_WIDGET (f->page), "Endpoint", GTK_TYPE_BUTTON, FALSE);
  GtkWidget *search;
  GtkWidget *row;
  GtkWidget *popover;

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  search = ak_test_find_named (GTK_WIDGET (f->page), "Search endpoints", GTK_TYPE_SEARCH_ENTRY,
                               FALSE);
  g_assert_nonnull (search);
  popover = gtk_widget_get_ancestor (search, GTK_TYPE_POPOVER);
  ak_test_wait_until (is_mapped, popover, "the endpoint list");
  gtk_editable_set_text (GTK_EDITABLE (search), _(endpoint->name));
  /* The search is live: no need to wait for the search entry's delay. */
  g_signal_emit_by_name (search, "search-changed");
  row = require_named (f, row_name);
  g_signal_emit_by_name (row, "activate");
  g_assert_false (gtk_widget_get_mapped (popover));
}

static gboolean
label_starts (GtkWidget     *widget,
              gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)),
                                                    prefix);
}

/* A mapped label whose text starts with @prefix. */
static GtkWidget *
find_label_starting (GtkWidget  *root,
                     const char *prefix)
{
  return ak_test_find_widget (root, label_starts, prefix, FALSE);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && g_object_get_data (window, "ak-test-answered") == NULL)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* Presses Send, answers the confirmation with Send, and waits for the response pane. */
static void
press_send_and_confirm (Fixture *f)
{
  GtkWidget *send = require_named (f, "Send");
  AdwMessageDialog *dialog;

  g_signal_emit_by_name (send, "clicked");
  ak_test_wait_until (dialog_shown, NULL, "the confirmation");
  dialog = find_message_dialog ();
  g_object_set_data (G_OBJECT (dialog), "ak-test-answered", GINT_TO_POINTER (TRUE));
  adw_message_dialog_response (dialog, "send");
  ak_test_wait_until (answered, f, "the response");
}

static guint
convoai_count (guint *counter)
{
  guint n;

  g_mutex_lock (&convoai.lock);
  n = *counter;
  g_mutex_unlock (&convoai.lock);
  return n;
}

/* One click starts an agent: the catalogue body's {convoai_token} and the Authorization
 * header both get a ConvoAI token minted from the project, which the stand-in verifies; the
 * agent is then stopped with its channel and uid typed in. */
static void
test_convoai_agent (Fixture       *f,
                    gconstpointer  user_data)
{
  AkResponseView *view = ak_requests_page_get_response_view (f->page);
  g_autofree char *body = NULL;
  g_autofree char *curl = NULL;
  g_autofree char *leave_path = NULL;
  g_autofree char *line = NULL;
  GtkWidget *url_label;
  guint started = convoai_count (&convoai.n_started);
  guint stopped = convoai_count (&convoai.n_stopped);

  choose_endpoint (f, "convoai.join");
  choose (f, "Scheme", ak_auth_scheme_get_label (AK_AUTH_AGORA_TOKEN));
  /* The body names the agent: no channel or uid to type. */
  g_assert_null (ak_test_find_shown (GTK_WIDGET (f->page), "Agent’s channel"));
  /* The request line by Send: the method, the base URL, the project's App ID filled in. */
  line = g_strdup_printf ("POST %s/", f->base_url);
  url_label = find_label_starting (GTK_WIDGET (f->page), line);
  g_assert_nonnull (url_label);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (url_label)), TEST_APP_ID "/join"));

  press_send_and_confirm (f);
  g_assert_cmpstr (ak_response_view_get_status (view), !=, NULL);
  if (!g_str_has_prefix (ak_response_view_get_status (view), "200"))
    g_error ("join: %s %s", ak_response_view_get_status (view),
             ak_response_view_get_summary (view));
  body = ak_response_view_get_body (view);
  g_assert_nonnull (strstr (body, AK_TEST_CONVOAI_AGENT_ID));
  g_assert_cmpuint (convoai_count (&convoai.n_started), ==, started + 1);
  g_mutex_lock (&convoai.lock);
  g_assert_cmpstr (convoai.channel, ==, "channel_name");
  g_assert_cmpstr (convoai.uid, ==, "1001");
  g_mutex_unlock (&convoai.lock);

  /* "Copy as cURL" keeps the placeholder, never a token. */
  curl = ak_requests_page_dup_curl (f->page);
  g_assert_nonnull (strstr (curl, AK_REST_CONVOAI_TOKEN_PLACEHOLDER));
  g_assert_null (strstr (curl, "007e"));

  /* Stop it: leave names the agent by id only, so its channel and uid are asked for. */
  choose_endpoint (f, "convoai.leave");
  choose (f, "Scheme", ak_auth_scheme_get_label (AK_AUTH_AGORA_TOKEN));
  leave_path = g_strdup_printf ("/api/conversational-ai-agent/v2/projects/%s/agents/%s/leave",
                                TEST_APP_ID, AK_TEST_CONVOAI_AGENT_ID);
  gtk_editable_set_text (GTK_EDITABLE (require_named (f, "Path")), leave_path);
  gtk_editable_set_text (GTK_EDITABLE (require_named (f, "Agent’s channel")), "channel_name");
  gtk_editable_set_text (GTK_EDITABLE (require_named (f, "Agent’s uid")), "1001");
  press_send_and_confirm (f);
  if (!g_str_has_prefix (ak_response_view_get_status (view), "200"))
    g_error ("leave: %s %s", ak_response_view_get_status (view),
             ak_response_view_get_summary (view));
  g_assert_cmpuint (convoai_count (&convoai.n_stopped), ==, stopped + 1);
}

/* A scheme the endpoint does not take is flagged under the choice; an endpoint with its own
 * host goes there (the URL under Send says so) unless a custom base URL is chosen. */
static void
test_endpoint_scheme_and_host (Fixture       *f,
                               gconstpointer  user_data)
{
  g_autofree char *line = NULL;
  GtkWidget *url_label;
  GtkWidget *hint;

  choose_endpoint (f, "convoai.query");
  g_assert_null (find_label_starting (GTK_WIDGET (f->page), _("This endpoint takes ")));
  choose (f, "Scheme", ak_auth_scheme_get_label (AK_AUTH_X_AGORA));
  hint = find_label_starting (GTK_WIDGET (f->page), _("This endpoint takes "));
  g_assert_nonnull (hint);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (hint)),
                            ak_auth_scheme_get_label (AK_AUTH_BASIC)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (hint)),
                            ak_auth_scheme_get_label (AK_AUTH_AGORA_TOKEN)));
  choose (f, "Scheme", ak_auth_scheme_get_label (AK_AUTH_AGORA_TOKEN));

  /* The custom base URL (a test server) is kept ... */
  choose_endpoint (f, "transcoding.query");
  line = g_strdup_printf ("GET %s/", f->base_url);
  g_assert_nonnull (find_label_starting (GTK_WIDGET (f->page), line));
  /* ... and on an Agora host, the endpoint's own one is chosen. */
  choose (f, "Host", "api.agora.io");
  choose_endpoint (f, "convoai.list");
  g_assert_nonnull (find_label_starting (GTK_WIDGET (f->page), "GET https://api.agora.io/api/"));
  choose_endpoint (f, "transcoding.query");
  url_label = find_label_starting (GTK_WIDGET (f->page),
                                   "GET https://api.sd-rtn.com/v1/projects/");
  g_assert_nonnull (url_label);
  /* The placeholders still to fill stay visible in it. */
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (url_label)), "{taskId}"));
}

/* The picker shows what is chosen, in full; filling a placeholder keeps it, while another
 * method or path turns it into "Custom request", and no confirmation is asked for what is no
 * longer the catalogue's mutating call. */
static void
test_edit_makes_custom (Fixture       *f,
                        gconstpointer  user_data)
{
  GtkWidget *button;
  GtkWidget *hint;
  GtkEditable *path = GTK_EDITABLE (require_named (f, "Path"));
  g_autofree char *filled = NULL;
  g_autofree char *line = NULL;

  choose_endpoint (f, "convoai.leave");
  button = ak_test_find_named (GTK_WIDGET (f->page), "Endpoint", GTK_TYPE_BUTTON, FALSE);
  g_assert_nonnull (find_label_starting (button, "Stop an agent"));
  g_assert_nonnull (find_label_starting (button, "Conversational AI Engine"));
  g_assert_nonnull (find_label_starting (button, "POST /api/conversational-ai-agent/v2/projects/"
                                                 "{appid}/agents/{agentId}/leave"));
  /* With Basic no project is chosen, so the App ID is the user's to give too; {agentId}
   * always is. */
  hint = find_label_starting (GTK_WIDGET (f->page), "{appid} is a project’s App ID");
  g_assert_nonnull (hint);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (hint)),
                            "\nType the value of {agentId} into the path"));

  filled = g_strdup_printf ("/api/conversational-ai-agent/v2/projects/%s/agents/A1/leave",
                            TEST_APP_ID);
  gtk_editable_set_text (path, filled);
  g_assert_nonnull (find_label_starting (button, "Stop an agent"));
  g_assert_false (gtk_widget_get_visible (hint));
  line = g_strdup_printf ("POST %s%s", f->base_url, filled);
  g_assert_nonnull (find_label_starting (GTK_WIDGET (f->page), line));

  /* Another method. */
  choose (f, "Method", "GET");
  g_assert_nonnull (find_label_starting (button, "Custom request"));
  g_assert_nonnull (find_label_starting (button, "Edited from Conversational AI Engine"));
  g_assert_null (find_label_starting (button, "Stop an agent"));
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("GET %s%s", f->base_url, filled);
  g_assert_nonnull (find_label_starting (GTK_WIDGET (f->page), line));

  /* Another path. */
  choose_endpoint (f, "convoai.list");
  g_assert_nonnull (find_label_starting (button, "List agents"));
  gtk_editable_set_text (path, "/api/conversational-ai-agent/v2/projects/x/agentsx");
  g_assert_nonnull (find_label_starting (button, "Custom request"));
}

/* The Chat placeholders say they come from the project's Chat settings, which are empty. */
static void
test_placeholder_provenance (Fixture       *f,
                             gconstpointer  user_data)
{
  choose_endpoint (f, "chat.user-get");
  choose (f, "Scheme", ak_auth_scheme_get_label (AK_AUTH_BEARER));
  g_assert_nonnull (find_label_starting (GTK_WIDGET (f->page),
                                         "{org} and {app} come from the Chat settings of "
                                         "“Demo”, which are empty"));
}

static gboolean
is_views_stack (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_STACK (widget)
         && gtk_stack_get_child_by_name (GTK_STACK (widget), "history") != NULL;
}

/* As the sub-switcher (or, narrow, its drop-down) does. */
static void
show_view (Fixture    *f,
           const char *name)
{
  gtk_stack_set_visible_child_name (GTK_STACK (ak_test_find_widget (GTK_WIDGET (f->page),
                                                                    is_views_stack, NULL, TRUE)),
                                    name);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_history_row (GtkWidget  *root,
                  const char *title)
{
  return ak_test_find_widget (root, is_row_titled, title, TRUE);
}

/* History rows: the endpoint's name, the scheme, the status in green or red. */
static void
test_history_rows (Fixture       *f,
                   gconstpointer  user_data)
{
  GtkWidget *row;
  GtkWidget *status;
  const char *subtitle;

  choose_endpoint (f, "console.projects-list");
  ak_requests_page_set_base_url (f->page, f->base_url);
  ak_requests_page_set_auth (f->page, AK_AUTH_BASIC, "Console", NULL);
  send_and_wait (f);
  show_view (f, "history");

  row = find_history_row (GTK_WIDGET (f->page), "Console · List all projects");
  g_assert_nonnull (row);
  status = find_label_starting (row, "200");
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_has_css_class (status, "success"));
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (subtitle, ak_auth_scheme_get_label (AK_AUTH_BASIC)));
  g_assert_true (g_str_has_prefix (subtitle, "GET http://127.0.0.1:"));

  /* Refused: red. */
  ak_requests_page_select_endpoint (f->page, NULL);
  ak_requests_page_set_auth (f->page, AK_AUTH_NONE, NULL, NULL);
  gtk_editable_set_text (ak_requests_page_get_path (f->page), "/dev/v1/projects");
  send_and_wait (f);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  row = find_history_row (GTK_WIDGET (f->page), "Custom request");
  g_assert_nonnull (row);
  status = find_label_starting (row, "401");
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_has_css_class (status, "error"));
}

static gboolean
has_layout (gpointer data)
{
  Fixture *f = data;
  GtkWidget *send = require_named (f, "Send");
  GtkWidget *path = require_named (f, "Path");
  graphene_point_t send_at;
  graphene_point_t path_at;

  if (!gtk_widget_compute_point (send, GTK_WIDGET (f->page), &GRAPHENE_POINT_INIT (0, 0),
                                 &send_at)
      || !gtk_widget_compute_point (path, GTK_WIDGET (f->page), &GRAPHENE_POINT_INIT (0, 0),
                                    &path_at))
    return FALSE;
  /* Wide: Send right of the form; narrow: under it. */
  if (f->expect_wide)
    return send_at.x > path_at.x + gtk_widget_get_width (path);
  return send_at.y > path_at.y && send_at.x < path_at.x + gtk_widget_get_width (path);
}

/* Wide, Send and the response sit beside the form; narrow, under it. Neither layout needs
 * more than 360 px, so the page never makes a phone-sized window grow. */
static void
test_layouts (Fixture       *f,
              gconstpointer  user_data)
{
  int minimum;

  choose_endpoint (f, "chat.history-file");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  f->expect_wide = TRUE;
  ak_test_wait_until (has_layout, f, "the side-by-side layout");
  gtk_widget_measure (GTK_WIDGET (f->page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  g_assert_cmpint (minimum, <=, 360);

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  f->expect_wide = FALSE;
  ak_test_wait_until (has_layout, f, "the stacked layout");
  gtk_widget_measure (GTK_WIDGET (f->page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  g_assert_cmpint (minimum, <=, 360);
}

int
main (int   argc,
      char *argv[])
{
  requests_ui_init (&argc, &argv, routes);

#define ADD ADD_REQUESTS_TEST
  ADD ("basic-auth", test_basic_auth);
  ADD ("agora-token-auth", test_agora_token_auth);
  ADD ("unfilled-placeholder", test_unfilled_placeholder);
  ADD ("curl-has-no-secret", test_curl_has_no_secret);
  ADD ("catalogue-endpoint", test_catalogue_endpoint);
  ADD ("token-server", test_token_server);
  ADD ("convoai-agent", test_convoai_agent);
  ADD ("endpoint-scheme-and-host", test_endpoint_scheme_and_host);
  ADD ("edit-makes-custom", test_edit_makes_custom);
  ADD ("placeholder-provenance", test_placeholder_provenance);
  ADD ("history-rows", test_history_rows);
  ADD ("layouts", test_layouts);
#undef ADD

  return ak_test_ui_run (&app);
}
