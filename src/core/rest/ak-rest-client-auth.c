/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-rest-catalogue.h"
#include "ak-rest-client-private.h"
#include "ak-secret.h"
#include "ak-token-builder.h"

/* ---------------------------------------------------------------------------------------------
 * Minting the auth headers
 */

static JsonObject *
token_inputs_new (const char *app_id,
                  const char *certificate)
{
  JsonObject *inputs = json_object_new ();

  json_object_set_string_member (inputs, "app_id", app_id);
  json_object_set_string_member (inputs, "app_certificate", certificate);
  return inputs;
}

/* A token from the official builder; the copy of the certificate in @inputs is wiped. */
static char *
build_token_from_inputs (AkBuilder    builder,
                         JsonObject  *inputs,
                         GError     **error)
{
  g_autoptr(AkBuildResult) result = ak_build_token (builder, inputs, error);
  const char *copy = json_object_get_string_member (inputs, "app_certificate");

  ak_secret_wipe_string ((char *) copy);
  return result != NULL ? g_strdup (ak_build_result_get_token (result)) : NULL;
}

static char *
mint_token (AkBuilder    builder,
            const char  *app_id,
            const char  *certificate,
            const char  *user_id,
            guint32      expire,
            GError     **error)
{
  g_autoptr(JsonObject) inputs = token_inputs_new (app_id, certificate);

  if (user_id != NULL)
    json_object_set_string_member (inputs, "user_id", user_id);
  json_object_set_int_member (inputs, "expire", expire);
  return build_token_from_inputs (builder, inputs, error);
}

/* A ConvoAI token (RTC publisher + RTM + ConvoAI) for the agent: what Agora's REST reference
 * asks for in both the Authorization header and the join body's properties.token. */
static char *
mint_convoai_token (const char  *app_id,
                    const char  *certificate,
                    const char  *channel,
                    const char  *account,
                    guint32      expire,
                    GError     **error)
{
  static const char * const privileges[] = { "join_channel_privilege_expire",
                                             "pub_audio_privilege_expire",
                                             "pub_video_privilege_expire",
                                             "pub_data_stream_privilege_expire" };
  g_autoptr(JsonObject) inputs = token_inputs_new (app_id, certificate);

  json_object_set_string_member (inputs, "channel_name", channel);
  json_object_set_string_member (inputs, "rtc_account", account);
  json_object_set_int_member (inputs, "rtc_role", AK_RTC_ROLE_PUBLISHER);
  json_object_set_int_member (inputs, "rtc_token_expire", expire);
  for (guint i = 0; i < G_N_ELEMENTS (privileges); i++)
    json_object_set_int_member (inputs, privileges[i], expire);
  json_object_set_string_member (inputs, "rtm_user_id", account);
  json_object_set_int_member (inputs, "rtm_token_expire", expire);
  return build_token_from_inputs (AK_BUILDER_CONVOAI, inputs, error);
}

/* The {appid} of a Conversational AI URL: the segment after ".../projects/". */
static char *
convoai_app_id_from_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_auto(GStrv) segments = NULL;

  if (uri == NULL)
    return NULL;
  segments = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 0; segments[i] != NULL && segments[i + 1] != NULL; i++)
    if (g_str_equal (segments[i], "projects"))
      return g_uri_unescape_string (segments[i + 1], NULL);
  return NULL;
}

/* The last step of the auth: a Conversational AI body whose properties.token is the
 * placeholder gets the agent's token, minted with the project's certificate. */
static gboolean
fill_convoai_body (SendOp      *op,
                   const char  *token,
                   GError     **error)
{
  op->filled_body = ak_rest_convoai_fill_token (op->request->body, token, error);
  return op->filled_body != NULL;
}

static guint32
token_expire (const AkRestAuth *auth)
{
  return auth->token_expire > 0 ? auth->token_expire : DEFAULT_TOKEN_EXPIRE;
}

/* The secrets a load came back with; %NULL after failing the send with the keyring's error
 * (locked, unavailable) as it is. */
static AkCredentialSecrets *
finish_secrets (GObject      *store,
                GAsyncResult *result,
                GTask        *task)
{
  GError *error = NULL;
  AkCredentialSecrets *secrets =
    ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (store), result, &error);

  if (secrets == NULL)
    ak_rest_send_op_fail (task, error);
  return secrets;
}

static void
fill_project_secrets_loaded (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(AkCredentialSecrets) secrets = finish_secrets (object, result, task);
  g_autoptr(GError) error = NULL;
  const char *certificate;
  char *token;

  if (secrets == NULL)
    return;
  certificate = secrets->primary_certificate;
  if (certificate == NULL || *certificate == '\0')
    {
      ak_rest_send_op_fail (task, g_error_new (AK_ERROR, AK_ERROR_INVALID_INPUT,
                                               _("The project “%s” has no certificate to mint the "
                                                 "agent’s token with: paste a token in "
                                                 "properties.token."),
                                               ak_credential_get_label (op->fill_project)));
      return;
    }
  token = mint_convoai_token (ak_credential_get_app_id (op->fill_project), certificate,
                              op->convoai_channel, op->convoai_account,
                              token_expire (&op->request->auth), &error);
  if (token == NULL || !fill_convoai_body (op, token, &error))
    {
      ak_secret_string_free (token);
      ak_rest_send_op_fail (task, g_steal_pointer (&error));
      return;
    }
  ak_secret_string_free (token);
  ak_rest_send_op_auth_ready (task);
}

void
ak_rest_send_op_auth_done (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;

  if (!op->convoai_fill)
    {
      ak_rest_send_op_auth_ready (task);
      return;
    }

  /* The agora-token scheme minted it already, for the same agent. */
  if (op->convoai_token != NULL)
    {
      if (!fill_convoai_body (op, op->convoai_token, &error))
        {
          ak_rest_send_op_fail (task, g_steal_pointer (&error));
          return;
        }
      ak_rest_send_op_auth_ready (task);
      return;
    }

  /* Other schemes name no project: the one whose App ID is in the URL mints it. */
  app_id = convoai_app_id_from_url (op->request->url);
  if (app_id != NULL && op->client->store != NULL)
    op->fill_project = ak_credential_store_find_by_app_id (op->client->store, app_id);
  if (op->fill_project == NULL)
    {
      ak_rest_send_op_fail (task, g_error_new (AK_ERROR, AK_ERROR_INVALID_INPUT,
                                               _("The body’s properties.token is %s, filled in "
                                                 "with a token minted for the agent, but no "
                                                 "stored project has the App ID “%s”: add it on "
                                                 "the Credentials page, or paste a token."),
                                               AK_REST_CONVOAI_TOKEN_PLACEHOLDER,
                                               app_id != NULL ? app_id : ""));
      return;
    }
  g_object_ref (op->fill_project);
  ak_credential_store_load_secrets_async (op->client->store, op->fill_project, op->cancellable,
                                          fill_project_secrets_loaded, task);
}

/* The Chat exchange scheme: a user token still cached for this project, certificate and
 * exchange URL, or an app token traded for a new one. Takes the reference on @task. */
static void
start_chat_auth (GTask      *task,
                 const char *app_id,
                 const char *certificate,
                 guint32     expire)
{
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *exchange_url = ak_rest_chat_exchange_url (op->request->url, op->credential,
                                                             &error);
  char *key;
  ChatToken *cached;
  char *token;

  if (exchange_url == NULL)
    {
      ak_rest_send_op_fail (task, g_steal_pointer (&error));
      return;
    }
  key = ak_rest_chat_cache_key (op->credential, certificate, exchange_url);
  cached = g_hash_table_lookup (op->client->chat_tokens, key);

  if (cached != NULL && cached->valid_until > g_get_real_time ())
    {
      g_ptr_array_add (op->auth_headers,
                       g_strconcat ("Authorization: Bearer ", cached->access_token, NULL));
      g_free (key);
      ak_rest_send_op_auth_done (task);
      return;
    }
  g_hash_table_remove (op->client->chat_tokens, key);

  token = mint_token (AK_BUILDER_CHAT_APP, app_id, certificate, NULL, expire, &error);
  if (token == NULL)
    {
      g_free (key);
      ak_rest_send_op_fail (task, g_steal_pointer (&error));
      return;
    }
  ak_rest_chat_exchange_start (task, token, key);
  ak_secret_string_free (token);
}

static void
secrets_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  AkRestAuth *auth = &op->request->auth;
  g_autoptr(AkCredentialSecrets) secrets = finish_secrets (object, result, task);
  g_autoptr(GError) error = NULL;
  const char *certificate;
  const char *app_id = ak_credential_get_app_id (op->credential);
  guint32 expire = token_expire (auth);
  char *token = NULL;

  if (secrets == NULL)
    return;

  if (auth->scheme == AK_AUTH_BASIC)
    {
      char *pair = g_strconcat (ak_credential_get_customer_id (op->credential), ":",
                                secrets->customer_secret != NULL ? secrets->customer_secret : "",
                                NULL);
      char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: Basic ", encoded, NULL));
      ak_secret_string_free (pair);
      ak_secret_string_free (encoded);
      ak_rest_send_op_auth_done (task);
      return;
    }

  certificate = auth->secondary ? secrets->secondary_certificate : secrets->primary_certificate;
  if (certificate == NULL || *certificate == '\0')
    {
      ak_rest_send_op_fail (task, g_error_new (AK_ERROR, AK_ERROR_INVALID_INPUT,
                                               auth->secondary
                                                 ? _("The project “%s” has no secondary "
                                                       "certificate.")
                                                 : _("The project “%s” has no certificate."),
                                               ak_credential_get_label (op->credential)));
      return;
    }

  if (auth->scheme == AK_AUTH_CHAT_EXCHANGE)
    {
      start_chat_auth (task, app_id, certificate, expire);
      return;
    }

  if (auth->scheme == AK_AUTH_BEARER)
    token = mint_token (AK_BUILDER_CHAT_APP, app_id, certificate, NULL, expire, &error);
  else if (auth->scheme == AK_AUTH_AGORA_TOKEN && op->convoai)
    {
      token = mint_convoai_token (app_id, certificate, op->convoai_channel, op->convoai_account,
                                  expire, &error);
      op->convoai_token = g_strdup (token);
    }
  else
    token = mint_token (AK_BUILDER_RTM, app_id, certificate, auth->user_id, expire, &error);
  if (token == NULL)
    {
      ak_rest_send_op_fail (task, g_steal_pointer (&error));
      return;
    }

  switch (auth->scheme)
    {
    case AK_AUTH_AGORA_TOKEN:
      g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: agora token=", token, NULL));
      break;
    case AK_AUTH_X_AGORA:
      g_ptr_array_add (op->auth_headers, g_strconcat ("x-agora-token: ", token, NULL));
      g_ptr_array_add (op->auth_headers, g_strconcat ("x-agora-uid: ", auth->user_id, NULL));
      break;
    case AK_AUTH_BEARER:
      g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: Bearer ", token, NULL));
      break;
    case AK_AUTH_NONE:
    case AK_AUTH_BASIC:
    case AK_AUTH_CHAT_EXCHANGE:
    default:
      g_assert_not_reached ();
    }
  ak_secret_string_free (token);
  ak_rest_send_op_auth_done (task);
}

/* Finds the credential the scheme needs and checks what the scheme needs of it, before the
 * keyring is asked for anything. */
static AkCredential *
find_credential (SendOp  *op,
                 GError **error)
{
  AkRestAuth *auth = &op->request->auth;
  gboolean customer = auth->scheme == AK_AUTH_BASIC;
  AkCredentialKind kind = customer ? AK_CREDENTIAL_CUSTOMER : AK_CREDENTIAL_PROJECT;
  const char *label = auth->credential_label;
  AkCredential *credential = NULL;

  if (label == NULL || *label == '\0')
    {
      g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                           customer ? _("Choose the customer credential (Customer ID and "
                                        "Secret) to sign the request with.")
                           : auth->scheme == AK_AUTH_BEARER
                             ? _("Choose a project to mint a Chat app token with, or paste a "
                                 "token.")
                             : _("Choose the project whose certificate signs the token."));
      return NULL;
    }

  if (op->client->store != NULL)
    credential = ak_credential_store_find (op->client->store, kind, label);
  if (credential == NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   customer ? _("No customer credential is named “%s”: add it on the "
                                "Credentials page, or choose another.")
                            : _("No project is named “%s”: add it on the Credentials page, or "
                                "choose another."),
                   label);
      return NULL;
    }

  /* A ConvoAI token names the agent, read before (see ak_rest_send_op_start_auth()). */
  if ((auth->scheme == AK_AUTH_AGORA_TOKEN && !op->convoai) || auth->scheme == AK_AUTH_X_AGORA)
    {
      if (auth->user_id == NULL || *auth->user_id == '\0')
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("Enter the RTM user ID the token is for: the one in the "
                                 "request path."));
          return NULL;
        }
      if (!ak_rest_header_value_is_valid (auth->user_id))
        {
          g_set_error_literal (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("The RTM user ID cannot contain line breaks or control "
                                 "characters."));
          return NULL;
        }
    }

  if (auth->scheme == AK_AUTH_CHAT_EXCHANGE)
    {
      if (*ak_credential_get_chat_org (credential) == '\0')
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The project “%s” has no Chat organization name: add it on the "
                       "Credentials page (Agora Console shows it on the Chat page)."), label);
      else if (*ak_credential_get_chat_app (credential) == '\0')
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The project “%s” has no Chat app name: add it on the Credentials page "
                       "(Agora Console shows it on the Chat page)."), label);
      if (error != NULL && *error != NULL)
        return NULL;
    }

  if (auth->secondary && !customer && !ak_credential_get_has_secondary (credential))
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The project “%s” has no secondary certificate."), label);
      return NULL;
    }

  return g_object_ref (credential);
}

/* Takes the reference on @task. */
void
ak_rest_send_op_start_auth (GTask *task)
{
  SendOp *op = g_task_get_task_data (task);
  AkRestAuth *auth = &op->request->auth;
  GError *error = NULL;

  /* A Conversational AI agent's token is for its channel and uid: both are known, or the
   * request is refused, before the keyring is asked for anything. */
  op->convoai = ak_rest_endpoint_is_convoai (op->request->endpoint_id);
  op->convoai_fill = op->convoai && !op->resolve_only
                     && ak_rest_convoai_body_has_placeholder (op->request->body);
  if ((op->convoai && auth->scheme == AK_AUTH_AGORA_TOKEN) || op->convoai_fill)
    {
      if (!ak_rest_convoai_read_target (op->request->body, auth->channel, auth->user_id,
                                        &op->convoai_channel, &op->convoai_account, &error))
        {
          ak_rest_send_op_fail (task, error);
          return;
        }
    }

  if (auth->scheme == AK_AUTH_NONE)
    {
      ak_rest_send_op_auth_done (task);
      return;
    }

  if (auth->scheme == AK_AUTH_BEARER && auth->token != NULL && *auth->token != '\0')
    {
      if (!ak_rest_header_value_is_valid (auth->token))
        {
          ak_rest_send_op_fail (task, g_error_new_literal (AK_ERROR, AK_ERROR_INVALID_INPUT,
                                                           _("The pasted token contains a line "
                                                             "break or a control character.")));
          return;
        }
      g_ptr_array_add (op->auth_headers, g_strconcat ("Authorization: Bearer ", auth->token, NULL));
      ak_rest_send_op_auth_done (task);
      return;
    }

  op->credential = find_credential (op, &error);
  if (op->credential == NULL)
    {
      ak_rest_send_op_fail (task, error);
      return;
    }
  ak_credential_store_load_secrets_async (op->client->store, op->credential, op->cancellable,
                                          secrets_loaded, task);
}
