/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-rest-fake.c: the fake Agora that test-rest-client and test-rest-client-transport
 * send to */
#include "config.h"

#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-rest-catalogue.h"
#include "ak-test-util.h"
#include "ak-test-rest-fake.h"

/*
 * The REST client against a fake Agora: a SoupServer on loopback, in its own thread and
 * GMainContext, that checks every auth scheme for real (the Basic pair against the stored
 * one, tokens with the codec against the project's certificate), serves the Chat token
 * exchange and each product's error shapes, and misbehaves on request (slow, redirecting,
 * huge). Nothing leaves loopback: no proxy resolver, and a resolver that fails every lookup
 * for the DNS test.
 */

/* ---------------------------------------------------------------------------------------------
 * A self-signed certificate for 127.0.0.1, made at test time
 */

static char *
bio_to_string (BIO *bio)
{
  char *data = NULL;
  long length = BIO_get_mem_data (bio, &data);

  return g_strndup (data, (gsize) length);
}

static GTlsCertificate *
make_self_signed_certificate (char **cert_pem_out)
{
  EVP_PKEY *key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
  X509 *x509 = X509_new ();
  X509_NAME *name;
  X509V3_CTX ctx;
  X509_EXTENSION *extension;
  BIO *cert_bio = BIO_new (BIO_s_mem ());
  BIO *key_bio = BIO_new (BIO_s_mem ());
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *both = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  g_assert_nonnull (key);
  g_assert_cmpint (X509_set_version (x509, 2), ==, 1);
  ASN1_INTEGER_set (X509_get_serialNumber (x509), (long) g_random_int_range (1, G_MAXINT32));
  X509_gmtime_adj (X509_getm_notBefore (x509), -3600);
  X509_gmtime_adj (X509_getm_notAfter (x509), 24 * 3600);
  X509_set_pubkey (x509, key);
  name = X509_get_subject_name (x509);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC, (const unsigned char *) "127.0.0.1",
                              -1, -1, 0);
  X509_set_issuer_name (x509, name);
  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, x509, x509, NULL, NULL, 0);
  extension = X509V3_EXT_conf_nid (NULL, &ctx, NID_subject_alt_name, "IP:127.0.0.1");
  g_assert_nonnull (extension);
  X509_add_ext (x509, extension, -1);
  X509_EXTENSION_free (extension);
  g_assert_cmpint (X509_sign (x509, key, EVP_sha256 ()), >, 0);

  g_assert_cmpint (PEM_write_bio_X509 (cert_bio, x509), ==, 1);
  g_assert_cmpint (PEM_write_bio_PrivateKey (key_bio, key, NULL, NULL, 0, NULL, NULL), ==, 1);
  cert_pem = bio_to_string (cert_bio);
  key_pem = bio_to_string (key_bio);
  BIO_free (cert_bio);
  BIO_free (key_bio);
  X509_free (x509);
  EVP_PKEY_free (key);

  both = g_strconcat (cert_pem, key_pem, NULL);
  certificate = g_tls_certificate_new_from_pem (both, -1, &error);
  g_assert_no_error (error);
  *cert_pem_out = g_steal_pointer (&cert_pem);
  return certificate;
}

/* ---------------------------------------------------------------------------------------------
 * The fake Agora
 */

FakeAgora fake;
AkCredentialStore *store;
AkRestClient *client;
AkRestClient *trusting_client;
GTlsDatabase *trust_database;

static const char *
request_header (SoupServerMessage *msg,
                const char        *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (msg), name);
}

/* Exactly "Basic " + base64 of the stored pair, no other spacing, no line breaks. */
static gboolean
basic_header_is_valid (const char *header)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *pair = NULL;
  gsize length = 0;

  if (header == NULL || !g_str_has_prefix (header, "Basic "))
    return FALSE;
  header += strlen ("Basic ");
  for (const char *p = header; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return FALSE;
  decoded = g_base64_decode (header, &length);
  pair = g_strndup ((const char *) decoded, length);
  return g_str_equal (pair, CUSTOMER_ID ":" CUSTOMER_SECRET);
}

/* Parses and verifies a 007 token of @service_type for @user_id against either certificate;
 * returns which one signed it ("primary", "secondary") or NULL. */
const char *
verify_token (const char *text,
              guint16     service_type,
              guint16     privilege,
              const char *user_id)
{
  static const char * const names[] = { "primary", "secondary" };
  static const char * const certificates[] = { CERT, CERT_2 };
  g_autoptr(AkToken) token = NULL;
  const AkService *service;

  if (text == NULL)
    return NULL;
  token = ak_token_parse (text, NULL);
  if (token == NULL || ak_token_get_version (token) != AK_TOKEN_VERSION_007
      || !g_str_equal (ak_token_get_app_id (token), TEST_APP_ID)
      || ak_token_get_n_services (token) != 1)
    return NULL;
  service = ak_token_get_service (token, 0);
  if (service->type != service_type || !ak_service_get_privilege (service, privilege, NULL)
      || g_strcmp0 (service->user_id, user_id) != 0)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (certificates); i++)
    {
      AkVerification verification = { 0 };

      if (ak_token_verify (token, certificates[i], NULL, NULL, &verification, NULL)
          && verification.signature == AK_SIGNATURE_VALID)
        return names[i];
    }
  return NULL;
}

static void
handle_basic (SoupServerMessage *msg)
{
  const char *header = request_header (msg, "Authorization");

  if (header == NULL)
    ak_test_reply_json (msg, 401, "{\"message\":\"Unauthorized\"}");
  else if (!basic_header_is_valid (header))
    ak_test_reply_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
  else
    ak_test_reply_json (msg, 200, "{\"ok\":true}");
}

static void
handle_projects (SoupServerMessage *msg)
{
  if (!basic_header_is_valid (request_header (msg, "Authorization")))
    {
      ak_test_reply_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
      return;
    }
  /* Console answers 201 even to this GET. */
  ak_test_reply_json (msg, 201,
                      "{\"projects\":[{\"id\":\"p1\",\"name\":\"Demo\","
                      "\"vendor_key\":\"" TEST_APP_ID "\","
                      "\"sign_key\":\"" CERT "\",\"recording_server\":\"\",\"status\":1,"
                      "\"created\":1600000000},{\"id\":\"p2\",\"name\":\"No certificate\","
                      "\"vendor_key\":\"0a1b2c3d4e5f60718293a4b5c6d7e8f9\",\"sign_key\":\"\","
                      "\"status\":1,\"created\":1600000001}]}");
}

/* POST /dev/v2/project/{appid}/rtm/users/{user}/peer_messages */
static void
handle_peer_message (SoupServerMessage *msg,
                     const char        *app_id,
                     const char        *user)
{
  const char *authorization = request_header (msg, "Authorization");
  const char *x_token = request_header (msg, "x-agora-token");
  const char *x_uid = request_header (msg, "x-agora-uid");
  const char *scheme = NULL;
  const char *signer = NULL;
  g_autofree char *body = NULL;

  if (!g_str_equal (app_id, TEST_APP_ID))
    {
      ak_test_reply_json (msg, 400, "{\"message\":\"invalid appid\"}");
      return;
    }
  if (authorization != NULL && g_str_has_prefix (authorization, "agora token="))
    {
      scheme = "agora-token";
      signer = verify_token (authorization + strlen ("agora token="), AK_SERVICE_RTM,
                             AK_PRIV_RTM_LOGIN, user);
    }
  else if (x_token != NULL && g_strcmp0 (x_uid, user) == 0)
    {
      scheme = "x-agora";
      signer = verify_token (x_token, AK_SERVICE_RTM, AK_PRIV_RTM_LOGIN, user);
    }

  if (signer == NULL)
    {
      ak_test_reply_json (msg, 401, "{\"message\":\"invalid token\",\"__status\":401}");
      return;
    }
  body = g_strdup_printf ("{\"result\":\"success\",\"request_id\":\"42\",\"code\":"
                          "\"message_sent\",\"scheme\":\"%s\",\"certificate\":\"%s\"}",
                          scheme, signer);
  ak_test_reply_json (msg, 200, body);
}

static const char *
bearer_of (SoupServerMessage *msg)
{
  const char *authorization = request_header (msg, "Authorization");

  if (authorization == NULL || !g_str_has_prefix (authorization, "Bearer "))
    return NULL;
  return authorization + strlen ("Bearer ");
}

static const char chat_bad_token[] =
  "{\"error\":\"auth_bad_access_token\",\"exception\":\"org.apache.usergrid.rest.exceptions."
  "SecurityException\",\"timestamp\":1,\"duration\":0,\"error_description\":\"Unable to "
  "authenticate due to corrupt access token\"}";

/* POST /{org}/{app}/token */
static void
handle_chat_exchange (SoupServerMessage *msg)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *body = NULL;
  gint64 expires;
  guint n;

  if (!g_str_equal (soup_server_message_get_method (msg), "POST")
      || !g_str_equal (text, "{\"grant_type\":\"agora\"}")
      || verify_token (bearer_of (msg), AK_SERVICE_CHAT, AK_PRIV_CHAT_APP, "") == NULL)
    {
      ak_test_reply_json (msg, 401, chat_bad_token);
      return;
    }

  g_mutex_lock (&fake.lock);
  n = ++fake.exchanges;
  expires = g_get_real_time () / 1000 + fake.exchange_lifetime_ms;
  g_free (fake.issued_access_token);
  fake.issued_access_token = g_strdup_printf ("YWMt-exchanged-%u", n);
  body = g_strdup_printf ("{\"access_token\":\"%s\",\"expire_timestamp\":%" G_GINT64_FORMAT "}",
                          fake.issued_access_token, expires);
  g_mutex_unlock (&fake.lock);
  ak_test_reply_json (msg, 200, body);
}

/* GET /{org}/{app}/users: a Chat app token straight, or one from the exchange. */
static void
handle_chat_users (SoupServerMessage *msg)
{
  const char *bearer = bearer_of (msg);
  const char *kind = NULL;
  g_autofree char *body = NULL;

  if (verify_token (bearer, AK_SERVICE_CHAT, AK_PRIV_CHAT_APP, "") != NULL)
    kind = "app-token";
  g_mutex_lock (&fake.lock);
  if (bearer != NULL && g_strcmp0 (bearer, fake.issued_access_token) == 0)
    kind = "exchanged";
  g_mutex_unlock (&fake.lock);

  if (kind == NULL)
    {
      ak_test_reply_json (msg, 401, chat_bad_token);
      return;
    }
  body = g_strdup_printf ("{\"action\":\"get\",\"entities\":[],\"bearer\":\"%s\"}", kind);
  ak_test_reply_json (msg, 200, body);
}

static void
handle_echo (SoupServerMessage *msg)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  static const char * const names[] = { "Content-Type", "Accept", "X-Custom", "User-Agent" };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, soup_server_message_get_method (msg));
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, text);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (request_header (msg, names[i]) != NULL)
      {
        json_builder_set_member_name (builder, names[i]);
        json_builder_add_string_value (builder, request_header (msg, names[i]));
      }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  ak_test_reply_json (msg, 200, json);
}

static void
handle_landing (SoupServerMessage *msg)
{
  GInetSocketAddress *local = G_INET_SOCKET_ADDRESS (soup_server_message_get_local_address (msg));
  g_autofree char *address = g_inet_address_to_string (g_inet_socket_address_get_address (local));
  gboolean credentials = request_header (msg, "Authorization") != NULL
                         || request_header (msg, "x-agora-token") != NULL
                         || request_header (msg, "x-agora-uid") != NULL;
  gboolean api_key = request_header (msg, "X-Api-Key") != NULL;
  gboolean plain = request_header (msg, "X-Custom") != NULL;
  g_autofree char *body = g_strdup_printf ("{\"credentials\":%s,\"api_key\":%s,\"custom\":%s,"
                                           "\"address\":\"%s\",\"port\":%u,"
                                           "\"method\":\"%s\"}",
                                           credentials ? "true" : "false",
                                           api_key ? "true" : "false",
                                           plain ? "true" : "false", address,
                                           g_inet_socket_address_get_port (local),
                                           soup_server_message_get_method (msg));

  ak_test_reply_json (msg, 200, body);
}

static void
redirect (SoupServerMessage *msg,
          guint              status,
          const char        *location)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                location);
}

static void
handle_redirect (SoupServerMessage *msg,
                 const char        *what)
{
  g_autofree char *location = NULL;

  if (g_str_equal (what, "other"))
    location = g_strdup_printf ("http://%s:%u/landing", fake.other_host, fake.other_port);
  else if (g_str_equal (what, "same"))
    location = g_strdup ("/landing");
  else if (g_str_equal (what, "other-307"))
    {
      /* Keeps the method and the body. */
      location = g_strdup_printf ("http://%s:%u/echo", fake.other_host, fake.other_port);
      redirect (msg, 307, location);
      return;
    }
  else if (g_str_equal (what, "see-other"))
    {
      redirect (msg, 303, "/landing");
      return;
    }
  else if (g_str_equal (what, "loop"))
    location = g_strdup ("/redirect/loop");
  else if (g_str_equal (what, "downgrade"))
    location = g_strdup_printf ("http://127.0.0.1:%u/landing", fake.http_port);
  else if (g_str_equal (what, "back"))
    /* To another origin that sends the client back to this one. */
    location = g_strdup_printf ("http://%s:%u/redirect/home-%u", fake.other_host,
                                fake.other_port, fake.http_port);
  else if (g_str_has_prefix (what, "home-"))
    location = g_strdup_printf ("http://127.0.0.1:%s/landing", what + strlen ("home-"));
  else
    {
      ak_test_reply_json (msg, 404, "{\"message\":\"no Route matched with those values\"}");
      return;
    }
  redirect (msg, 302, location);
}

const ErrorShape error_shapes[N_ERROR_SHAPES] = {
  { "recording-400", 400, "{\"code\":2,\"reason\":\"invalid parameter\"}" },
  { "recording-201", 201, "{\"cname\":\"ch\",\"uid\":\"527841\",\"code\":7,\"reason\":"
                          "\"already started\"}" },
  { "recording-206", 206, "{\"resourceId\":\"r\",\"sid\":\"s\",\"code\":65,\"reason\":"
                          "\"request not completed\"}" },
  { "rate-limit", 429, "{\"message\":\"API rate limit exceeded\"}" },
  { "rtm-failed", 200, "{\"result\":\"failed\",\"request_id\":\"9\"}" },
  { "rtm2", 403, "{\"errorCode\":403,\"error\":true,\"reason\":\"history is not enabled\","
                 "\"requestId\":\"r\"}" },
  { "analytics-quota", 200, "{\"code\":300,\"message\":\"qpd limit error\",\"requestId\":"
                            "\"r\"}" },
  { "chat-404", 404, "{\"error\":\"organization_application_not_found\",\"error_description\":"
                     "\"Could not find application for 61717166/nope from URI: 61717166/nope/"
                     "users\"}" },
  { "not-json", 400, "invalid: missing channel name" },
};

static void
handle_error_shape (SoupServerMessage *msg,
                    const char        *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_shapes); i++)
    if (g_str_equal (error_shapes[i].name, name))
      {
        soup_server_message_set_status (msg, error_shapes[i].status, NULL);
        soup_server_message_set_response (msg, g_str_equal (name, "not-json") ? "text/plain"
                                                                              : "application/json",
                                          SOUP_MEMORY_STATIC, error_shapes[i].body,
                                          strlen (error_shapes[i].body));
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "X-Request-ID", "req-0123456789");
        return;
      }
  ak_test_reply_json (msg, 404, "{\"message\":\"no Route matched with those values\"}");
}

static gboolean
answer_slow (gpointer data)
{
  SoupServerMessage *msg = data;

  ak_test_reply_json (msg, 200, "{\"slow\":true}");
  soup_server_message_unpause (msg);
  g_ptr_array_remove (fake.slow_messages, msg);
  return G_SOURCE_REMOVE;
}

static void
handle_slow (SoupServerMessage *msg)
{
  GSource *source = g_timeout_source_new (3000);

  soup_server_message_pause (msg);
  g_ptr_array_add (fake.slow_messages, g_object_ref (msg));
  g_source_set_callback (source, answer_slow, msg, NULL);
  g_source_attach (source, fake.context);
  g_ptr_array_add (fake.slow_timers, source);

  g_mutex_lock (&fake.lock);
  fake.slow_requests++;
  g_cond_broadcast (&fake.cond);
  g_mutex_unlock (&fake.lock);
}

/* Answers @msg with @status and @body as JSON, taking @body. */
static void
respond_taking (SoupServerMessage *msg,
                guint              status,
                GString           *body)
{
  gsize size = body->len;

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), size);
}

/* An error body of 2 MB: past the size the client reads for a summary. */
static void
handle_big_error (SoupServerMessage *msg)
{
  GString *body = g_string_new ("{\"message\":\"too much\",\"padding\":\"");

  while (body->len < 2 * 1024 * 1024)
    g_string_append (body, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (body, "\"}");
  respond_taking (msg, 400, body);
}

/* A project listing of 5 MB, every project with its certificate. */
static void
handle_big (SoupServerMessage *msg)
{
  GString *body = g_string_sized_new (BIG_BODY_SIZE + 256);

  g_string_append (body, "{\"projects\":[");
  for (guint i = 0; body->len < BIG_BODY_SIZE; i++)
    g_string_append_printf (body, "%s{\"id\":\"p%08u\",\"name\":\"Project %u\",\"vendor_key\":"
                            "\"" TEST_APP_ID "\",\"sign_key\":\"" CERT "\",\"status\":1}",
                            i > 0 ? "," : "", i, i);
  g_string_append (body, "]}");
  respond_taking (msg, 200, body);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", -1);
  guint n = g_strv_length (parts);

  if (strstr (path, "/api/conversational-ai-agent/") != NULL)
    {
      const char *authorization = request_header (msg, "Authorization");

      if (authorization != NULL && g_str_has_prefix (authorization, "Basic ")
          && !basic_header_is_valid (authorization))
        ak_test_reply_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
      else if (!ak_test_convoai_handle (&fake.convoai, msg, path))
        ak_test_reply_json (msg, 404, "{\"message\":\"no Route matched with those values\"}");
      return;
    }
  if (g_str_equal (path, "/" CHAT_ORG "/huge/token"))
    {
      /* An exchange answer no Chat server gives: a megabyte. */
      GString *body = g_string_new ("{\"access_token\":\"YWMt-huge\",\"padding\":\"");
      gsize size;

      while (body->len < 1024 * 1024)
        g_string_append (body, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
      g_string_append (body, "\"}");
      size = body->len;
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_string_free (body, FALSE), size);
      return;
    }
  if (g_str_equal (path, "/basic"))
    handle_basic (msg);
  else if (g_str_equal (path, "/dev/v1/projects"))
    handle_projects (msg);
  else if (n == 8 && g_str_equal (parts[0], "dev") && g_str_equal (parts[2], "project")
           && g_str_equal (parts[4], "rtm") && g_str_equal (parts[7], "peer_messages"))
    handle_peer_message (msg, parts[3], parts[6]);
  else if (n == 3 && g_str_equal (parts[0], CHAT_ORG) && g_str_equal (parts[1], CHAT_APP)
           && g_str_equal (parts[2], "token"))
    handle_chat_exchange (msg);
  else if (n == 3 && g_str_equal (parts[0], CHAT_ORG) && g_str_equal (parts[1], CHAT_APP)
           && g_str_equal (parts[2], "users"))
    handle_chat_users (msg);
  else if (g_str_equal (path, "/echo"))
    handle_echo (msg);
  else if (g_str_equal (path, "/landing"))
    handle_landing (msg);
  else if (n == 2 && g_str_equal (parts[0], "redirect"))
    handle_redirect (msg, parts[1]);
  else if (n == 2 && g_str_equal (parts[0], "errors"))
    handle_error_shape (msg, parts[1]);
  else if (g_str_equal (path, "/slow"))
    handle_slow (msg);
  else if (g_str_equal (path, "/big"))
    handle_big (msg);
  else if (n == 2 && g_str_equal (parts[0], "stream"))
    ak_test_reply_stream (msg, parts[1]);
  else if (g_str_equal (path, "/big-error"))
    handle_big_error (msg);
  else
    ak_test_reply_json (msg, 404, "{\"message\":\"no Route matched with those values\"}");
}

/* Listens on @address at a free port, and says which. */
static guint16
listen_port (SoupServer              *server,
             const char              *address,
             SoupServerListenOptions  options,
             GError                 **error)
{
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new_from_string (address, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL || !g_socket_bind (socket, socket_address, TRUE, error)
      || !g_socket_listen (socket, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL || !soup_server_listen_socket (server, socket, options, error))
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gpointer
fake_agora_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (fake.context);
  fake.slow_messages = g_ptr_array_new_with_free_func (g_object_unref);
  fake.slow_timers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  fake.server = soup_server_new ("tls-certificate", fake.certificate, NULL);
  soup_server_add_handler (fake.server, NULL, handle_request, NULL, NULL);

  fake.http_port = listen_port (fake.server, "127.0.0.1", 0, &error);
  if (error == NULL)
    fake.https_port = listen_port (fake.server, "127.0.0.1", SOUP_SERVER_LISTEN_HTTPS, &error);
  if (error == NULL)
    {
      /* Another host: 127.0.0.2 where loopback covers 127.0.0.0/8, else another port. */
      fake.other_host = g_strdup ("127.0.0.2");
      fake.other_port = listen_port (fake.server, fake.other_host, 0, NULL);
      if (fake.other_port == 0)
        {
          g_free (fake.other_host);
          fake.other_host = g_strdup ("127.0.0.1");
          fake.other_port = listen_port (fake.server, fake.other_host, 0, &error);
        }
    }

  g_mutex_lock (&fake.lock);
  fake.ready = TRUE;
  fake.error = error != NULL ? g_strdup (error->message) : NULL;
  g_cond_broadcast (&fake.cond);
  g_mutex_unlock (&fake.lock);

  if (error == NULL)
    g_main_loop_run (fake.loop);

  /* Answer what is still waiting, so that its connection can close. */
  for (guint i = 0; i < fake.slow_timers->len; i++)
    g_source_destroy (g_ptr_array_index (fake.slow_timers, i));
  g_ptr_array_unref (fake.slow_timers);
  while (fake.slow_messages->len > 0)
    answer_slow (g_ptr_array_index (fake.slow_messages, 0));
  while (g_main_context_iteration (fake.context, FALSE))
    ;
  g_ptr_array_unref (fake.slow_messages);
  soup_server_disconnect (fake.server);
  g_clear_object (&fake.server);
  while (g_main_context_iteration (fake.context, FALSE))
    ;
  g_main_context_pop_thread_default (fake.context);
  return NULL;
}

static void
fake_agora_start (void)
{
  g_autofree char *cert_pem = NULL;

  fake.certificate = make_self_signed_certificate (&cert_pem);
  fake.context = g_main_context_new ();
  fake.loop = g_main_loop_new (fake.context, FALSE);
  fake.exchange_lifetime_ms = 3600 * 1000;
  fake.convoai.app_id = TEST_APP_ID;
  fake.convoai.certificate = CERT;
  fake.thread = g_thread_new ("fake-agora", fake_agora_thread, NULL);

  g_mutex_lock (&fake.lock);
  while (!fake.ready)
    g_cond_wait (&fake.cond, &fake.lock);
  g_mutex_unlock (&fake.lock);
  if (fake.error != NULL)
    g_error ("The fake Agora server could not listen: %s", fake.error);

  /* What the trusting client trusts: this certificate, read from a file as a CA list. */
  {
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GError) error = NULL;

    dir = g_dir_make_tmp ("ak-rest-client-XXXXXX", &error);
    g_assert_no_error (error);
    path = g_build_filename (dir, "ca.pem", NULL);
    g_file_set_contents (path, cert_pem, -1, &error);
    g_assert_no_error (error);
    trust_database = g_tls_file_database_new (path, &error);
    g_assert_no_error (error);
    trusting_client = ak_rest_client_new (store);
    ak_rest_client_set_tls_database (trusting_client, trust_database);
    g_unlink (path);
    g_rmdir (dir);
  }
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (fake.loop);
  return G_SOURCE_REMOVE;
}

static void
fake_agora_stop (void)
{
  g_main_context_invoke (fake.context, quit_loop, NULL);
  g_thread_join (fake.thread);
  g_main_loop_unref (fake.loop);
  g_main_context_unref (fake.context);
  g_clear_object (&fake.certificate);
  g_free (fake.other_host);
  g_free (fake.issued_access_token);
  ak_test_convoai_clear (&fake.convoai);
  g_clear_object (&trust_database);
}

char *
url_for (const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", fake.http_port, path);
}

char *
https_url_for (const char *path)
{
  return g_strdup_printf ("https://127.0.0.1:%u%s", fake.https_port, path);
}

/* ---------------------------------------------------------------------------------------------
 * Waiting for results on the main context
 */

AkRestRequest *
get_request (const char *path)
{
  g_autofree char *url = url_for (path);

  return ak_rest_request_new ("GET", url);
}

AkRestResponse *
send_with (AkRestClient   *with_client,
           AkRestRequest  *request,
           GCancellable   *cancellable,
           GError        **error)
{
  AkTestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  ak_rest_client_send_async (with_client, request, cancellable, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  return ak_rest_client_send_finish (with_client, result, error);
}

void
assert_send_fails (AkRestClient  *with_client,
                   AkRestRequest *request,
                   AkError        code,
                   const char    *mention)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AkRestResponse) response = send_with (with_client, request, NULL, &error);

  g_assert_null (response);
  g_assert_error (error, AK_ERROR, (gint) code);
  if (strstr (error->message, mention) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, mention);
}

JsonObject *
body_object (AkRestResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (response->body, &size);

  json_parser_load_from_data (parser, data, (gssize) size, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

AkRestRequest *
request_with_auth (const char   *method,
                   const char   *url,
                   AkAuthScheme  scheme,
                   const char   *label)
{
  AkRestRequest *request = ak_rest_request_new (method, url);

  request->auth.scheme = scheme;
  request->auth.credential_label = g_strdup (label);
  return request;
}

AkRestRequest *
basic_get (const char *url)
{
  return request_with_auth ("GET", url, AK_AUTH_BASIC, "Main account");
}

char *
peer_message_path (const char *user)
{
  return g_strdup_printf ("/dev/v2/project/" TEST_APP_ID "/rtm/users/%s/peer_messages", user);
}

/* ---------------------------------------------------------------------------------------------
 * Setup
 */

static void
add_credential (AkCredential        *credential,
                AkCredentialSecrets *secrets)
{
  AkTestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AkCredential) added = NULL;
  g_autoptr(GError) error = NULL;

  ak_credential_store_add_async (store, credential, secrets, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  added = ak_credential_store_add_finish (store, result, &error);
  g_assert_no_error (error);
}

/* The credentials the tests send with; a Chat project's host is the fake's https port. */
static const struct
{
  const char *label;
  /* A customer credential when set, else a project. */
  const char *customer_id, *customer_secret;
  const char *app_id, *chat_org, *chat_app;
  /* Its certificates. */
  const char *primary, *secondary;
} credentials[] = {
  { "Main account", CUSTOMER_ID, CUSTOMER_SECRET },
  { "Wrong secret", CUSTOMER_ID, WRONG_SECRET },
  { "Demo", NULL, NULL, TEST_APP_ID, CHAT_ORG, CHAT_APP, CERT, CERT_2 },
  { "No chat", NULL, NULL, TEST_APP_ID, NULL, NULL, CERT },
  { "Huge chat", NULL, NULL, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", CHAT_ORG, "huge", CERT_2 },
};

static void
fill_store (void)
{
  g_autofree char *chat_host = g_strdup_printf ("127.0.0.1:%u", fake.https_port);

  for (guint i = 0; i < G_N_ELEMENTS (credentials); i++)
    {
      gboolean customer = credentials[i].customer_id != NULL;
      g_autoptr(AkCredential) credential = ak_credential_new (customer ? AK_CREDENTIAL_CUSTOMER
                                                                       : AK_CREDENTIAL_PROJECT);
      g_autoptr(AkCredentialSecrets) secrets = ak_credential_secrets_new ();

      ak_credential_set_label (credential, credentials[i].label);
      if (customer)
        ak_credential_set_customer_id (credential, credentials[i].customer_id);
      else
        ak_credential_set_app_id (credential, credentials[i].app_id);
      if (credentials[i].chat_org != NULL)
        {
          ak_credential_set_chat_org (credential, credentials[i].chat_org);
          ak_credential_set_chat_app (credential, credentials[i].chat_app);
          ak_credential_set_chat_host (credential, chat_host);
        }
      secrets->customer_secret = g_strdup (credentials[i].customer_secret);
      secrets->primary_certificate = g_strdup (credentials[i].primary);
      secrets->secondary_certificate = g_strdup (credentials[i].secondary);
      add_credential (credential, secrets);
    }
}

char *
fake_agora_init (int    *argc,
                 char ***argv)
{
  g_autofree char *tmp_dir = NULL;

  /* Nothing may leave loopback: no proxy from the environment or from settings. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* Temporary files of this run only, so that the test can see them come and go. */
  tmp_dir = g_build_filename (g_getenv ("TMPDIR") != NULL ? g_getenv ("TMPDIR") : "/tmp",
                              "ak-rest-client-tmp-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (tmp_dir));
  g_setenv ("TMPDIR", tmp_dir, TRUE);

  g_test_init (argc, argv, NULL);

  store = ak_credential_store_new_in_memory ();
  client = ak_rest_client_new (store);
  fake_agora_start ();
  fill_store ();
  return g_steal_pointer (&tmp_dir);
}

void
fake_agora_finish (char *tmp_dir)
{
  g_clear_object (&client);
  g_clear_object (&trusting_client);
  fake_agora_stop ();
  g_clear_object (&store);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
}
