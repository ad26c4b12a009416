/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include "ak-test-convoai.h"
#include "ak-test-util.h"

/*
 * The REST client against a fake Agora: a SoupServer on loopback, in its own thread and
 * GMainContext, that checks every auth scheme for real (the Basic pair against the stored
 * one, tokens with the codec against the project's certificate), serves the Chat token
 * exchange and each product's error shapes, and misbehaves on request (slow, redirecting,
 * huge). Nothing leaves loopback: no proxy resolver, and a resolver that fails every lookup
 * for the DNS test.
 */

#define TEST_APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define CUSTOMER_ID "4f2b9c1d7e6a45b8a0c3d5e7f9a1b2c3"
#define CUSTOMER_SECRET "Zq9CustomerSecretXy42"
#define WRONG_SECRET "NotTheSecret0000"
#define CHAT_ORG "61717166"
#define CHAT_APP "demo"
#define BIG_BODY_SIZE (5 * 1024 * 1024)

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

typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  GTlsCertificate *certificate;
  /* Only touched in the server thread. */
  GPtrArray *slow_messages;
  GPtrArray *slow_timers;

  GMutex lock;
  GCond cond;
  gboolean ready;
  char *error;
  guint16 http_port;
  guint16 https_port;
  char *other_host;
  guint16 other_port;
  /* Under the lock. */
  guint slow_requests;
  guint exchanges;
  gint64 exchange_lifetime_ms;
  char *issued_access_token;
  AkTestConvoai convoai;
} FakeAgora;

static FakeAgora fake;
static AkCredentialStore *store;
static AkRestClient *client;
static AkRestClient *trusting_client;
static GTlsDatabase *trust_database;

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

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
static const char *
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
    respond_json (msg, 401, "{\"message\":\"Unauthorized\"}");
  else if (!basic_header_is_valid (header))
    respond_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
  else
    respond_json (msg, 200, "{\"ok\":true}");
}

static void
handle_projects (SoupServerMessage *msg)
{
  if (!basic_header_is_valid (request_header (msg, "Authorization")))
    {
      respond_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
      return;
    }
  /* Console answers 201 even to this GET. */
  respond_json (msg, 201,
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
      respond_json (msg, 400, "{\"message\":\"invalid appid\"}");
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
      respond_json (msg, 401, "{\"message\":\"invalid token\",\"__status\":401}");
      return;
    }
  body = g_strdup_printf ("{\"result\":\"success\",\"request_id\":\"42\",\"code\":"
                          "\"message_sent\",\"scheme\":\"%s\",\"certificate\":\"%s\"}",
                          scheme, signer);
  respond_json (msg, 200, body);
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
      respond_json (msg, 401, chat_bad_token);
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
  respond_json (msg, 200, body);
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
      respond_json (msg, 401, chat_bad_token);
      return;
    }
  body = g_strdup_printf ("{\"action\":\"get\",\"entities\":[],\"bearer\":\"%s\"}", kind);
  respond_json (msg, 200, body);
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
  respond_json (msg, 200, json);
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

  respond_json (msg, 200, body);
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
      respond_json (msg, 404, "{\"message\":\"no Route matched with those values\"}");
      return;
    }
  redirect (msg, 302, location);
}

static const struct
{
  const char *name;
  guint status;
  const char *body;
} error_shapes[] = {
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
  respond_json (msg, 404, "{\"message\":\"no Route matched with those values\"}");
}

static gboolean
answer_slow (gpointer data)
{
  SoupServerMessage *msg = data;

  respond_json (msg, 200, "{\"slow\":true}");
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

/* An error body of 2 MB: past the size the client reads for a summary. */
static void
handle_big_error (SoupServerMessage *msg)
{
  GString *body = g_string_new ("{\"message\":\"too much\",\"padding\":\"");
  gsize size;

  while (body->len < 2 * 1024 * 1024)
    g_string_append (body, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (body, "\"}");
  size = body->len;
  soup_server_message_set_status (msg, 400, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), size);
}

/* A project listing of 5 MB, every project with its certificate. */
static void
handle_big (SoupServerMessage *msg)
{
  GString *body = g_string_sized_new (BIG_BODY_SIZE + 256);
  gsize size;

  g_string_append (body, "{\"projects\":[");
  for (guint i = 0; body->len < BIG_BODY_SIZE; i++)
    g_string_append_printf (body, "%s{\"id\":\"p%08u\",\"name\":\"Project %u\",\"vendor_key\":"
                            "\"" TEST_APP_ID "\",\"sign_key\":\"" CERT "\",\"status\":1}",
                            i > 0 ? "," : "", i, i);
  g_string_append (body, "]}");
  size = body->len;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), size);
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
        respond_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
      else if (!ak_test_convoai_handle (&fake.convoai, msg, path))
        respond_json (msg, 404, "{\"message\":\"no Route matched with those values\"}");
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
    respond_json (msg, 404, "{\"message\":\"no Route matched with those values\"}");
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

static char *
url_for (const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", fake.http_port, path);
}

static char *
https_url_for (const char *path)
{
  return g_strdup_printf ("https://127.0.0.1:%u%s", fake.https_port, path);
}

/* ---------------------------------------------------------------------------------------------
 * Waiting for results on the main context
 */

static AkRestResponse *
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

static AkRestResponse *
send (AkRestRequest  *request,
      GError        **error)
{
  return send_with (client, request, NULL, error);
}

static JsonObject *
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

static AkRestRequest *
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

static char *
peer_message_path (const char *user)
{
  return g_strdup_printf ("/dev/v2/project/" TEST_APP_ID "/rtm/users/%s/peer_messages", user);
}

/* ---------------------------------------------------------------------------------------------
 * Auth schemes
 */

typedef struct
{
  const char *name;
  /* The path asked for; or, when peer is set, that user's peer_messages path. */
  const char *path;
  const char *peer;
  /* Asked of the Chat host over https, through the client that trusts its certificate. */
  gboolean chat_host;
  const char *method;
  AkAuthScheme scheme;
  const char *label;
  const char *user_id;
  gboolean secondary;
  const char *token;
  const char *body;
  /* What comes back: the status, the summary (NULL: none) or a part of it, and what the fake
   * read from the request ("scheme", "certificate", "bearer" in its answer; NULL: not asked). */
  guint status;
  const char *summary;
  const char *summary_part;
  const char *seen_scheme;
  const char *seen_certificate;
  const char *seen_bearer;
  /* Also check the whole answer as sent: reason, body, type and duration. */
  gboolean check_plain;
} AuthCase;

static const AuthCase auth_cases[] = {
  { .name = "basic", .path = "/basic", .method = "GET", .scheme = AK_AUTH_BASIC,
    .label = "Main account", .status = 200, .check_plain = TRUE },
  { .name = "basic-wrong-secret", .path = "/basic", .method = "GET", .scheme = AK_AUTH_BASIC,
    .label = "Wrong secret", .status = 401,
    .summary_part = "Invalid authentication credentials" },
  { .name = "no-auth", .path = "/basic", .method = "GET", .scheme = AK_AUTH_NONE,
    .status = 401, .summary = "The server says: Unauthorized" },
  { .name = "agora-token", .peer = "alice", .method = "POST", .scheme = AK_AUTH_AGORA_TOKEN,
    .label = "Demo", .user_id = "alice",
    .body = "{\"destination\":\"bob\",\"payload\":\"Hello\"}", .status = 200,
    .seen_scheme = "agora-token", .seen_certificate = "primary" },
  { .name = "agora-token-secondary", .peer = "alice", .method = "POST",
    .scheme = AK_AUTH_AGORA_TOKEN, .label = "Demo", .user_id = "alice", .secondary = TRUE,
    .body = "{}", .status = 200, .seen_certificate = "secondary" },
  /* A token for alice cannot send as bob: the fake checks the user like Agora does. */
  { .name = "agora-token-other-user", .peer = "bob", .method = "POST",
    .scheme = AK_AUTH_AGORA_TOKEN, .label = "Demo", .user_id = "alice", .body = "{}",
    .status = 401, .summary = "The server says: invalid token" },
  { .name = "x-agora", .peer = "carol", .method = "POST", .scheme = AK_AUTH_X_AGORA,
    .label = "Demo", .user_id = "carol", .body = "{}", .status = 200,
    .seen_scheme = "x-agora", .seen_certificate = "primary" },
  { .name = "bearer-minted", .path = "/" CHAT_ORG "/" CHAT_APP "/users", .chat_host = TRUE,
    .method = "GET", .scheme = AK_AUTH_BEARER, .label = "Demo", .status = 200,
    .seen_bearer = "app-token" },
  /* Not a token the fake issued: Chat's error shape comes back, summarized. */
  { .name = "bearer-pasted", .path = "/" CHAT_ORG "/" CHAT_APP "/users", .chat_host = TRUE,
    .method = "GET", .scheme = AK_AUTH_BEARER, .token = "YWMt-pasted-by-hand", .status = 401,
    .summary = "Unable to authenticate due to corrupt access token (auth_bad_access_token)." },
};

/* Sends @auth_case's request through @with_client (NULL: the one its host needs) and checks
 * the answer; returns it. */
static AkRestResponse *
send_auth_case (const AuthCase *auth_case,
                AkRestClient   *with_client)
{
  g_autofree char *peer_path = auth_case->peer != NULL ? peer_message_path (auth_case->peer)
                                                       : NULL;
  const char *path = peer_path != NULL ? peer_path : auth_case->path;
  g_autofree char *url = auth_case->chat_host ? https_url_for (path) : url_for (path);
  g_autoptr(AkRestRequest) request = request_with_auth (auth_case->method, url,
                                                        auth_case->scheme, auth_case->label);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  request->auth.user_id = g_strdup (auth_case->user_id);
  request->auth.secondary = auth_case->secondary;
  request->auth.token = g_strdup (auth_case->token);
  request->body = g_strdup (auth_case->body);
  if (with_client == NULL)
    with_client = auth_case->chat_host ? trusting_client : client;
  response = send_with (with_client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, auth_case->status);
  g_assert_cmpint (response->success, ==, auth_case->status == 200);
  if (auth_case->summary_part != NULL)
    g_assert_nonnull (strstr (response->error_summary, auth_case->summary_part));
  else
    g_assert_cmpstr (response->error_summary, ==, auth_case->summary);
  if (auth_case->status != 200)
    return g_steal_pointer (&response);

  body = body_object (response);
  if (auth_case->seen_scheme != NULL)
    g_assert_cmpstr (json_object_get_string_member (body, "scheme"), ==, auth_case->seen_scheme);
  if (auth_case->seen_certificate != NULL)
    g_assert_cmpstr (json_object_get_string_member (body, "certificate"), ==,
                     auth_case->seen_certificate);
  if (auth_case->seen_bearer != NULL)
    g_assert_cmpstr (json_object_get_string_member (body, "bearer"), ==, auth_case->seen_bearer);
  return g_steal_pointer (&response);
}

static void
test_auth (gconstpointer data)
{
  g_autoptr(AkRestResponse) response = send_auth_case (data, NULL);

  if (((const AuthCase *) data)->check_plain)
    {
      g_assert_cmpstr (response->reason, ==, "OK");
      g_assert_cmpmem (g_bytes_get_data (response->body, NULL),
                       g_bytes_get_size (response->body), "{\"ok\":true}", 11);
      g_assert_cmpstr (response->content_type, ==, "application/json");
      g_assert_cmpint (response->duration_ms, >=, 0);
      g_assert_cmpint (response->duration_ms, <, 10000);
    }
}

static guint
exchanges_so_far (void)
{
  guint n;

  g_mutex_lock (&fake.lock);
  n = fake.exchanges;
  g_mutex_unlock (&fake.lock);
  return n;
}

static void
set_exchange_lifetime (gint64 ms)
{
  g_mutex_lock (&fake.lock);
  fake.exchange_lifetime_ms = ms;
  g_mutex_unlock (&fake.lock);
}

static const AuthCase chat_users_case = {
  .name = "chat-users", .path = "/" CHAT_ORG "/" CHAT_APP "/users", .chat_host = TRUE,
  .method = "GET", .scheme = AK_AUTH_CHAT_EXCHANGE, .label = "Demo", .status = 200,
  .seen_bearer = "exchanged",
};

static void
send_chat_users (AkRestClient *with_client)
{
  g_autoptr(AkRestResponse) response = send_auth_case (&chat_users_case, with_client);
}

static void
test_chat_exchange_cached (void)
{
  guint before = exchanges_so_far ();

  set_exchange_lifetime (3600 * 1000);
  send_chat_users (trusting_client);
  g_assert_cmpuint (exchanges_so_far (), ==, before + 1);
  /* The exchanged token is kept until shortly before it expires. */
  send_chat_users (trusting_client);
  send_chat_users (trusting_client);
  g_assert_cmpuint (exchanges_so_far (), ==, before + 1);
}

static void
test_chat_exchange_near_expiry (void)
{
  g_autoptr(AkRestClient) fresh = ak_rest_client_new (store);
  guint before;

  /* A client of its own starts with an empty cache. A token that expires within the safety
   * margin is not reused. */
  ak_rest_client_set_tls_database (fresh, trust_database);
  set_exchange_lifetime (20 * 1000);
  before = exchanges_so_far ();
  send_chat_users (fresh);
  send_chat_users (fresh);
  g_assert_cmpuint (exchanges_so_far (), ==, before + 2);
  set_exchange_lifetime (3600 * 1000);
}

static void
test_chat_exchange_missing_settings (void)
{
  g_autofree char *url = https_url_for ("/" CHAT_ORG "/" CHAT_APP "/users");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, AK_AUTH_CHAT_EXCHANGE,
                                                        "No chat");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send_with (trusting_client, request, NULL, &error);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Chat organization name"));
  g_assert_null (response);
}

/* An exchange that answers a megabyte is cut off at a few KiB, and fails. */
static void
test_chat_exchange_huge_answer (void)
{
  g_autofree char *url = https_url_for ("/" CHAT_ORG "/huge/users");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, AK_AUTH_CHAT_EXCHANGE,
                                                        "Huge chat");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send_with (trusting_client, request, NULL, &error);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "64 KiB"));
  g_assert_null (response);
}

/* ---------------------------------------------------------------------------------------------
 * Conversational AI
 */

#define CONVOAI_BASE "/api/conversational-ai-agent/v2/projects/" TEST_APP_ID

static AkRestRequest *
convoai_request (const char   *endpoint_id,
                 const char   *path,
                 AkAuthScheme  scheme,
                 const char   *label,
                 const char   *body)
{
  g_autofree char *url = url_for (path);
  AkRestRequest *request = request_with_auth ("POST", url, scheme, label);

  request->endpoint_id = g_strdup (endpoint_id);
  request->body = g_strdup (body);
  return request;
}

static guint
convoai_count (guint *counter)
{
  guint n;

  g_mutex_lock (&fake.convoai.lock);
  n = *counter;
  g_mutex_unlock (&fake.convoai.lock);
  return n;
}

typedef struct
{
  const char *name;
  AkAuthScheme scheme;
  const char *label;
  const char *uid_json;
  gboolean string_uid;
  const char *expected_uid;
} ConvoaiCase;

static const ConvoaiCase convoai_cases[] = {
  { "agora-token-numeric", AK_AUTH_AGORA_TOKEN, "Demo", "\"1001\"", FALSE, "1001" },
  { "agora-token-number", AK_AUTH_AGORA_TOKEN, "Demo", "4294967295", FALSE, "4294967295" },
  { "agora-token-zero", AK_AUTH_AGORA_TOKEN, "Demo", "0", FALSE, "" },
  { "agora-token-string", AK_AUTH_AGORA_TOKEN, "Demo", "\"0\"", TRUE, "0" },
  { "basic", AK_AUTH_BASIC, "Main account", "\"77\"", FALSE, "77" },
};

/* Start and stop an agent: the stand-in verifies the header's token and the one filled into
 * properties.token against the certificate, the body's channel and the agent's uid. */
static void
test_convoai_agent (gconstpointer data)
{
  const ConvoaiCase *c = data;
  g_autofree char *body = g_strdup_printf ("{\"name\":\"a\",\"properties\":{\"channel\":"
                                           "\"room-%s\",\"token\":\"%s\","
                                           "\"agent_rtc_uid\":%s,\"enable_string_uid\":%s}}",
                                           c->name, AK_REST_CONVOAI_TOKEN_PLACEHOLDER,
                                           c->uid_json, c->string_uid ? "true" : "false");
  g_autofree char *channel = g_strdup_printf ("room-%s", c->name);
  g_autoptr(AkRestRequest) join = convoai_request ("convoai.join", CONVOAI_BASE "/join",
                                                   c->scheme, c->label, body);
  g_autoptr(AkRestRequest) leave = NULL;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint started = convoai_count (&fake.convoai.n_started);
  guint stopped = convoai_count (&fake.convoai.n_stopped);

  response = send (join, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (convoai_count (&fake.convoai.n_started), ==, started + 1);
  g_mutex_lock (&fake.convoai.lock);
  g_assert_cmpstr (fake.convoai.channel, ==, channel);
  g_assert_cmpstr (fake.convoai.uid, ==, c->expected_uid);
  g_mutex_unlock (&fake.convoai.lock);
  /* The caller's request still holds the placeholder: what history and cURL see. */
  g_assert_cmpstr (join->body, ==, body);
  g_clear_pointer (&response, ak_rest_response_free);

  leave = convoai_request ("convoai.leave", CONVOAI_BASE "/agents/" AK_TEST_CONVOAI_AGENT_ID
                           "/leave", c->scheme, c->label, NULL);
  leave->auth.channel = g_strdup (channel);
  leave->auth.user_id = g_strdup (c->expected_uid[0] != '\0' ? c->expected_uid : "0");
  if (c->expected_uid[0] == '\0' && c->scheme == AK_AUTH_AGORA_TOKEN)
    {
      /* uid 0 in a body is "any user"; typed as "0" it is the string uid "0". */
      response = send (leave, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (response->status, ==, 401);
      g_clear_pointer (&response, ak_rest_response_free);
      g_free (leave->auth.user_id);
      leave->auth.user_id = NULL;
      response = send (leave, &error);
      g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "channel and agent uid"));
      g_assert_null (response);
      return;
    }
  response = send (leave, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (convoai_count (&fake.convoai.n_stopped), ==, stopped + 1);
}

/* What is refused before anything is sent. */
static void
test_convoai_refused (void)
{
  static const struct
  {
    const char *endpoint_id;
    AkAuthScheme scheme;
    const char *body;
    const char *in_message;
  } cases[] = {
    { "convoai.join", AK_AUTH_AGORA_TOKEN,
      "{\"properties\":{\"agent_rtc_uid\":\"1\",\"token\":\"\"}}", "properties.channel" },
    { "convoai.join", AK_AUTH_AGORA_TOKEN,
      "{\"properties\":{\"channel\":\"c\",\"agent_rtc_uid\":\"bot\"}}", "4294967295" },
    { "convoai.join", AK_AUTH_AGORA_TOKEN,
      "{\"properties\":{\"channel\":\"c\",\"agent_rtc_uid\":7,\"enable_string_uid\":true}}",
      "string" },
    { "convoai.join", AK_AUTH_AGORA_TOKEN, "{\"properties\":", "JSON" },
    { "convoai.leave", AK_AUTH_AGORA_TOKEN, NULL, "channel and agent uid" },
    /* The placeholder needs the agent too, whatever the scheme. */
    { "convoai.update", AK_AUTH_BASIC,
      "{\"properties\":{\"token\":\"" AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\"}}",
      "channel and agent uid" },
  };
  guint before = convoai_count (&fake.convoai.n_started) + convoai_count (&fake.convoai.n_refused);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AkRestRequest) request = NULL;
      g_autoptr(AkRestResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      request = convoai_request (cases[i].endpoint_id, CONVOAI_BASE "/join", cases[i].scheme,
                                 cases[i].scheme == AK_AUTH_BASIC ? "Main account" : "Demo",
                                 cases[i].body);
      response = send (request, &error);
      g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
      if (strstr (error->message, cases[i].in_message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].in_message);
      g_assert_null (response);
    }
  g_assert_cmpuint (convoai_count (&fake.convoai.n_started)
                    + convoai_count (&fake.convoai.n_refused), ==, before);
}

/* The placeholder with Basic needs a stored project with the URL's App ID. */
static void
test_convoai_fill_needs_project (void)
{
  g_autoptr(AkRestRequest) request = NULL;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = url_for ("/api/conversational-ai-agent/v2/projects/"
                                  "ffffffffffffffffffffffffffffffff/join");

  request = request_with_auth ("POST", url, AK_AUTH_BASIC, "Main account");
  request->endpoint_id = g_strdup ("convoai.join");
  request->body = g_strdup ("{\"properties\":{\"channel\":\"c\",\"agent_rtc_uid\":\"5\","
                            "\"token\":\"" AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\"}}");
  response = send (request, &error);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "ffffffffffffffffffffffffffffffff"));
  g_assert_null (response);
}

/* The token filled into a body goes only where the credentials go: a 307 to another origin
 * gets the body as the user wrote it. */
static void
test_convoai_fill_not_redirected (void)
{
  const char *body = "{\"properties\":{\"channel\":\"c\",\"agent_rtc_uid\":\"5\","
                     "\"token\":\"" AK_REST_CONVOAI_TOKEN_PLACEHOLDER "\"}}";
  g_autoptr(AkRestRequest) request = convoai_request ("convoai.join", "/redirect/other-307",
                                                      AK_AUTH_AGORA_TOKEN, "Demo", body);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(JsonObject) echoed = NULL;
  g_autoptr(GError) error = NULL;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  echoed = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (echoed, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (echoed, "body"), ==, body);
}

/* "Copy as cURL" with secrets gets the agent's token in the header. */
static void
test_convoai_resolve_auth (void)
{
  g_autoptr(AkRestRequest) request = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { 0 };
  const char *line;

  request = convoai_request ("convoai.query", CONVOAI_BASE "/agents/a1", AK_AUTH_AGORA_TOKEN,
                             "Demo", NULL);
  request->auth.channel = g_strdup ("lobby");
  request->auth.user_id = g_strdup ("bot-9");
  ak_rest_client_resolve_auth_async (client, request, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  headers = ak_rest_client_resolve_auth_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 1);
  line = g_ptr_array_index (headers, 0);
  g_assert_true (g_str_has_prefix (line, "Authorization: agora token="));
  g_assert_null (ak_test_convoai_token_problem (&fake.convoai,
                                                line + strlen ("Authorization: agora token="),
                                                "lobby", "bot-9"));
}

/* The project listing is read off the main thread, into the response. */
static void
test_console_projects_read (void)
{
  g_autofree char *url = url_for ("/dev/v1/projects");
  g_autofree char *other_url = url_for ("/basic");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, AK_AUTH_BASIC,
                                                        "Main account");
  g_autoptr(AkRestRequest) other = request_with_auth ("GET", other_url, AK_AUTH_BASIC,
                                                      "Main account");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(AkRestResponse) copy = NULL;
  g_autoptr(GError) error = NULL;
  AkConsoleProject *first;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response->console_projects);
  g_assert_cmpuint (response->console_projects->len, ==, 2);
  first = g_ptr_array_index (response->console_projects, 0);
  g_assert_cmpstr (first->name, ==, "Demo");
  g_assert_cmpstr (first->app_id, ==, TEST_APP_ID);
  g_assert_cmpstr (first->certificate, ==, CERT);
  copy = ak_rest_response_copy (response);
  g_assert_true (copy->console_projects == response->console_projects);
  g_clear_pointer (&response, ak_rest_response_free);

  response = send (other, &error);
  g_assert_no_error (error);
  g_assert_null (response->console_projects);
}

typedef struct
{
  const char *name;
  AkAuthScheme scheme;
  const char *label;
  const char *user_id;
  gboolean secondary;
  const char *in_message;
} BadAuthCase;

static const BadAuthCase bad_auth_cases[] = {
  { "basic-no-label", AK_AUTH_BASIC, NULL, NULL, FALSE, "customer credential" },
  { "basic-unknown-label", AK_AUTH_BASIC, "Nobody", NULL, FALSE, "“Nobody”" },
  { "basic-project-label", AK_AUTH_BASIC, "Demo", NULL, FALSE, "“Demo”" },
  { "agora-token-no-project", AK_AUTH_AGORA_TOKEN, NULL, "alice", FALSE, "project" },
  { "agora-token-no-user", AK_AUTH_AGORA_TOKEN, "Demo", NULL, FALSE, "user ID" },
  { "x-agora-no-user", AK_AUTH_X_AGORA, "Demo", "", FALSE, "user ID" },
  { "x-agora-user-line-break", AK_AUTH_X_AGORA, "Demo", "alice\r\nX-Evil: 1", FALSE,
    "line breaks" },
  { "no-secondary", AK_AUTH_AGORA_TOKEN, "No chat", "alice", TRUE, "secondary" },
  { "bearer-nothing", AK_AUTH_BEARER, NULL, NULL, FALSE, "paste" },
};

static void
test_bad_auth (gconstpointer data)
{
  const BadAuthCase *c = data;
  g_autofree char *url = url_for ("/basic");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, c->scheme, c->label);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  request->auth.user_id = g_strdup (c->user_id);
  request->auth.secondary = c->secondary;
  response = send (request, &error);
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, c->in_message));
}

static GPtrArray *
resolve (AkRestRequest  *request,
         GError        **error)
{
  AkTestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  ak_rest_client_resolve_auth_async (client, request, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  return ak_rest_client_resolve_auth_finish (client, result, error);
}

static void
test_resolve_auth (void)
{
  g_autoptr(AkRestRequest) basic = request_with_auth ("GET", "https://api.agora.io/dev/v1/projects",
                                                      AK_AUTH_BASIC, "Main account");
  g_autoptr(AkRestRequest) x_agora = request_with_auth ("GET", "https://api.agora.io/x",
                                                        AK_AUTH_X_AGORA, "Demo");
  g_autoptr(AkRestRequest) none = ak_rest_request_new ("GET", "https://api.agora.io/x");
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *encoded = g_base64_encode ((const guchar *) CUSTOMER_ID ":" CUSTOMER_SECRET,
                                              strlen (CUSTOMER_ID ":" CUSTOMER_SECRET));
  const char *token_line;

  lines = resolve (basic, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 1);
  expected = g_strconcat ("Authorization: Basic ", encoded, NULL);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, expected);
  g_clear_pointer (&lines, g_ptr_array_unref);

  x_agora->auth.user_id = g_strdup ("dave");
  lines = resolve (x_agora, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  token_line = g_ptr_array_index (lines, 0);
  g_assert_true (g_str_has_prefix (token_line, "x-agora-token: 007"));
  g_assert_nonnull (verify_token (token_line + strlen ("x-agora-token: "), AK_SERVICE_RTM,
                                  AK_PRIV_RTM_LOGIN, "dave"));
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "x-agora-uid: dave");
  g_clear_pointer (&lines, g_ptr_array_unref);

  lines = resolve (none, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 0);
}

/* ---------------------------------------------------------------------------------------------
 * Headers, bodies, responses
 */

static void
test_headers (void)
{
  g_autofree char *url = url_for ("/echo");
  g_autoptr(AkRestRequest) post = ak_rest_request_new ("POST", url);
  g_autoptr(AkRestRequest) get = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestRequest) custom_type = ak_rest_request_new ("PUT", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  post->body = g_strdup ("{\"cname\":\"demo\"}");
  ak_rest_request_add_header (post, "X-Custom", "kept");
  response = send (post, &error);
  g_assert_no_error (error);
  body = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (body, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (body, "body"), ==, "{\"cname\":\"demo\"}");
  g_assert_cmpstr (json_object_get_string_member (body, "Content-Type"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (body, "Accept"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (body, "X-Custom"), ==, "kept");
  g_clear_pointer (&response, ak_rest_response_free);
  g_clear_pointer (&body, json_object_unref);

  response = send (get, &error);
  g_assert_no_error (error);
  body = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (body, "method"), ==, "GET");
  g_assert_false (json_object_has_member (body, "Content-Type"));
  g_assert_cmpstr (json_object_get_string_member (body, "Accept"), ==, "application/json");
  g_clear_pointer (&response, ak_rest_response_free);
  g_clear_pointer (&body, json_object_unref);

  custom_type->body = g_strdup ("a=1");
  ak_rest_request_add_header (custom_type, "Content-Type", "application/x-www-form-urlencoded");
  response = send (custom_type, &error);
  g_assert_no_error (error);
  body = body_object (response);
  g_assert_cmpstr (json_object_get_string_member (body, "Content-Type"), ==,
                   "application/x-www-form-urlencoded");
}

static void
test_bad_headers (void)
{
  static const struct
  {
    const char *name;
    const char *value;
    AkAuthScheme scheme;
    const char *in_message;
  } cases[] = {
    { "Bad Name", "x", AK_AUTH_NONE, "not a header" },
    { "X-Split", "a\r\nInjected: yes", AK_AUTH_NONE, "line break" },
    { "Authorization", "Basic Zm9vOmJhcg==", AK_AUTH_BASIC, "authentication scheme" },
    { "x-agora-uid", "someone", AK_AUTH_X_AGORA, "authentication scheme" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = url_for ("/echo");
      g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, cases[i].scheme, "Demo");
      g_autoptr(AkRestResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      request->auth.user_id = g_strdup ("alice");
      ak_rest_request_add_header (request, cases[i].name, cases[i].value);
      response = send (request, &error);
      g_assert_null (response);
      g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, cases[i].in_message));
    }
}

static void
test_refuses_plain_http (void)
{
  g_autoptr(AkRestRequest) request = request_with_auth ("GET",
                                                        "http://api.agora.io/dev/v1/projects",
                                                        AK_AUTH_BASIC, "Main account");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send (request, &error);
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "https://api.agora.io"));
}

static void
test_error_shape (gconstpointer data)
{
  static const struct
  {
    const char *name;
    gboolean success;
    const char *summary;
  } expected[] = {
    { "recording-400", FALSE, "Error 2: invalid parameter" },
    { "recording-201", TRUE, "Error 7: already started" },
    { "recording-206", TRUE, "Error 65: request not completed" },
    { "rate-limit", FALSE, "API rate limit exceeded" },
    { "rtm-failed", TRUE, "The request failed." },
    { "rtm2", FALSE, "Error 403: history is not enabled" },
    { "analytics-quota", TRUE, "qpd limit error" },
    { "chat-404", FALSE, "(organization_application_not_found)" },
    { "not-json", FALSE, NULL },
  };
  guint index = GPOINTER_TO_UINT (data);
  g_autofree char *path = g_strdup_printf ("/errors/%s", error_shapes[index].name);
  g_autofree char *url = url_for (path);
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (expected[index].name, ==, error_shapes[index].name);
  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, error_shapes[index].status);
  g_assert_cmpint (response->success, ==, expected[index].success);
  g_assert_cmpstr (response->request_id, ==, "req-0123456789");
  g_assert_cmpmem (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body),
                   error_shapes[index].body, strlen (error_shapes[index].body));
  if (expected[index].summary == NULL)
    g_assert_null (response->error_summary);
  else
    g_assert_nonnull (strstr (response->error_summary, expected[index].summary));

  /* The headers come in order, as "Name: value". */
  g_assert_true (g_ptr_array_find_with_equal_func (response->headers,
                                                   "X-Request-ID: req-0123456789",
                                                   g_str_equal, NULL));
}

static void
test_masks_certificates (void)
{
  g_autofree char *url = url_for ("/dev/v1/projects");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, AK_AUTH_BASIC,
                                                        "Main account");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 201);
  g_assert_true (response->success);
  raw = g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
  g_assert_nonnull (strstr (raw, CERT));
  g_assert_nonnull (response->masked_body);
  g_assert_null (strstr (response->masked_body, CERT));
  g_assert_nonnull (strstr (response->masked_body, "\"sign_key\":\"••••••••\""));
  /* The project without a certificate keeps its empty value; the App IDs stay. */
  g_assert_nonnull (strstr (response->masked_body, "\"sign_key\":\"\""));
  g_assert_nonnull (strstr (response->masked_body, TEST_APP_ID));
}

static gint64
thread_cpu_time_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static void
test_big_body (void)
{
  g_autofree char *url = url_for ("/big");
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  AkTestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  gint64 longest = 0;
  gint64 longest_wall = 0;

  ak_rest_client_send_async (client, request, NULL, ak_test_wait_callback, &wait);
  /* How long one turn of the main loop works while 5 MB arrive and are read. CPU time of this
   * thread, so that a busy machine's scheduling does not count as our stall. */
  while (wait.result == NULL)
    {
      gint64 cpu = thread_cpu_time_us ();
      gint64 wall = g_get_monotonic_time ();

      g_main_context_iteration (NULL, FALSE);
      longest = MAX (longest, thread_cpu_time_us () - cpu);
      longest_wall = MAX (longest_wall, g_get_monotonic_time () - wall);
      g_usleep (1000);
    }
  result = g_steal_pointer (&wait.result);
  response = ak_rest_client_send_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (response->body), >=, BIG_BODY_SIZE);
  g_assert_null (response->error_summary);
  /* Read whole: every certificate masked, the rest kept byte for byte. */
  g_assert_nonnull (response->masked_body);
  g_assert_null (strstr (response->masked_body, CERT));
  g_assert_true (g_str_has_suffix (response->masked_body, "\"sign_key\":\"••••••••\","
                                                          "\"status\":1}]}"));
  g_test_message ("longest main loop turn while receiving 5 MB: %" G_GINT64_FORMAT " ms of CPU, "
                  "%" G_GINT64_FORMAT " ms of wall time", longest / 1000, longest_wall / 1000);
  g_assert_cmpint (longest / 1000, <, 50 * ak_test_time_scale ());
}

/* ---------------------------------------------------------------------------------------------
 * Transport failures
 */

static void
test_timeout (void)
{
  g_autofree char *url = url_for ("/slow");
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  request->timeout_seconds = 1;
  response = send (request, &error);
  elapsed = (g_get_monotonic_time () - start) / 1000;
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==, "The server did not answer within 1 s.");
  g_assert_cmpint (elapsed, >=, 900);
  g_assert_cmpint (elapsed, <, 2500 * ak_test_time_scale ());
}

static gboolean
cancel_when_slow_request_arrives (gpointer data)
{
  GCancellable *cancellable = data;
  guint seen;

  g_mutex_lock (&fake.lock);
  seen = fake.slow_requests;
  g_mutex_unlock (&fake.lock);
  if (seen == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "before")))
    return G_SOURCE_CONTINUE;
  g_object_set_data (G_OBJECT (cancellable), "cancelled-at",
                     GSIZE_TO_POINTER ((gsize) (g_get_monotonic_time () / 1000)));
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autofree char *url = url_for ("/slow");
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 cancelled_at;
  gint64 returned_at;
  guint before;

  g_mutex_lock (&fake.lock);
  before = fake.slow_requests;
  g_mutex_unlock (&fake.lock);
  g_object_set_data (G_OBJECT (cancellable), "before", GUINT_TO_POINTER (before));
  g_timeout_add (5, cancel_when_slow_request_arrives, cancellable);

  /* The default 30 s timeout is far away: only the cancel can end this. */
  response = send_with (client, request, cancellable, &error);
  returned_at = g_get_monotonic_time () / 1000;
  cancelled_at = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (cancellable),
                                                               "cancelled-at"));
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cancelled_at, >, 0);
  g_assert_cmpint (returned_at - cancelled_at, <, 1000 * ak_test_time_scale ());
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(AkRestRequest) request = NULL;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *host = NULL;
  guint16 port;

  /* A port that was free a moment ago and that nothing listens on. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, &error);
  g_assert_no_error (error);

  url = g_strdup_printf ("http://127.0.0.1:%u/dev/v1/projects", port);
  request = ak_rest_request_new ("GET", url);
  response = send (request, &error);
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  host = g_strdup_printf ("127.0.0.1:%u refused the connection", port);
  g_assert_nonnull (strstr (error->message, host));
}

/* A resolver that fails every lookup, so the DNS test asks no real server. */
#define TEST_TYPE_FAILING_RESOLVER (test_failing_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestFailingResolver, test_failing_resolver, TEST, FAILING_RESOLVER,
                      GResolver)

struct _TestFailingResolver
{
  GResolver parent_instance;
  guint lookups;
};

G_DEFINE_FINAL_TYPE (TestFailingResolver, test_failing_resolver, G_TYPE_RESOLVER)

static GList *
failing_lookup (GResolver     *resolver,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  g_atomic_int_inc (&TEST_FAILING_RESOLVER (resolver)->lookups);
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "Error resolving “%s”: Name or service not known", hostname);
  return NULL;
}

static GList *
failing_lookup_with_flags (GResolver                *resolver,
                           const char               *hostname,
                           GResolverNameLookupFlags  flags,
                           GCancellable             *cancellable,
                           GError                  **error)
{
  return failing_lookup (resolver, hostname, cancellable, error);
}

static void
failing_lookup_async (GResolver           *resolver,
                      const char          *hostname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;

  failing_lookup (resolver, hostname, cancellable, &error);
  g_task_return_error (task, error);
}

static void
failing_lookup_with_flags_async (GResolver                *resolver,
                                 const char               *hostname,
                                 GResolverNameLookupFlags  flags,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  failing_lookup_async (resolver, hostname, cancellable, callback, user_data);
}

static GList *
failing_lookup_finish (GResolver     *resolver,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_failing_resolver_class_init (TestFailingResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = failing_lookup;
  resolver_class->lookup_by_name_async = failing_lookup_async;
  resolver_class->lookup_by_name_finish = failing_lookup_finish;
  resolver_class->lookup_by_name_with_flags = failing_lookup_with_flags;
  resolver_class->lookup_by_name_with_flags_async = failing_lookup_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = failing_lookup_finish;
}

static void
test_failing_resolver_init (TestFailingResolver *self)
{
}

static void
test_dns_failure (void)
{
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(TestFailingResolver) resolver = g_object_new (TEST_TYPE_FAILING_RESOLVER, NULL);
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET",
                                                          "https://agora-keys-test.invalid/x");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  g_resolver_set_default (G_RESOLVER (resolver));
  response = send (request, &error);
  g_resolver_set_default (previous);

  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message,
                            "The host name agora-keys-test.invalid could not be found"));
  g_assert_cmpuint (g_atomic_int_get (&resolver->lookups), >, 0);
}

static void
test_tls_untrusted (void)
{
  g_autofree char *url = https_url_for ("/basic");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, AK_AUTH_BASIC,
                                                        "Main account");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send (request, &error);
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The certificate of 127.0.0.1:"));
  g_assert_nonnull (strstr (error->message, "is not trusted"));
  g_assert_nonnull (strstr (error->message, "not signed by a known certificate authority"));
  g_clear_error (&error);

  response = send_with (trusting_client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
}

/* ---------------------------------------------------------------------------------------------
 * Redirects
 */

static JsonObject *
landing_after (const char   *path,
               const char   *method,
               AkRestClient *with_client,
               gboolean      https)
{
  g_autofree char *url = https ? https_url_for (path) : url_for (path);
  g_autoptr(AkRestRequest) request = request_with_auth (method, url, AK_AUTH_BASIC,
                                                        "Main account");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (method, "POST"))
    request->body = g_strdup ("{}");
  response = send_with (with_client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  return body_object (response);
}

static void
test_redirect_other_host (void)
{
  g_autoptr(JsonObject) landing = landing_after ("/redirect/other", "GET", client, FALSE);

  g_test_message ("redirected from 127.0.0.1:%u to %s:%u", fake.http_port, fake.other_host,
                  fake.other_port);

  g_assert_cmpstr (json_object_get_string_member (landing, "address"), ==, fake.other_host);
  g_assert_cmpint (json_object_get_int_member (landing, "port"), ==, fake.other_port);
  g_assert_false (json_object_get_boolean_member (landing, "credentials"));
}

static void
test_redirect_same_origin (void)
{
  g_autoptr(JsonObject) landing = landing_after ("/redirect/same", "GET", client, FALSE);

  g_assert_cmpint (json_object_get_int_member (landing, "port"), ==, fake.http_port);
  g_assert_true (json_object_get_boolean_member (landing, "credentials"));
}

static void
test_redirect_back_home (void)
{
  /* Once withheld for another origin, credentials are not sent again on that chain. */
  g_autoptr(JsonObject) landing = landing_after ("/redirect/back", "GET", client, FALSE);

  g_assert_cmpint (json_object_get_int_member (landing, "port"), ==, fake.http_port);
  g_assert_false (json_object_get_boolean_member (landing, "credentials"));
}

static void
test_redirect_see_other (void)
{
  g_autoptr(JsonObject) landing = landing_after ("/redirect/see-other", "POST", client, FALSE);

  g_assert_cmpstr (json_object_get_string_member (landing, "method"), ==, "GET");
}

static void
test_redirect_loop (void)
{
  g_autofree char *url = url_for ("/redirect/loop");
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send (request, &error);
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "more than 5 times"));
}

static void
test_redirect_downgrade (void)
{
  g_autofree char *url = https_url_for ("/redirect/downgrade");
  g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, AK_AUTH_BASIC,
                                                        "Main account");
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send_with (trusting_client, request, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "from https:// to the insecure http://127.0.0.1"));
}

/* Custom headers whose names look secret stay with the origin the user chose, like the
 * Authorization header; other custom headers follow the redirect. */
static JsonObject *
landing_with_api_key (const char *path)
{
  g_autofree char *url = url_for (path);
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  ak_rest_request_add_header (request, "X-Api-Key", "k-7f3c2a1b9e8d4c6f");
  ak_rest_request_add_header (request, "X-Custom", "kept");
  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  return body_object (response);
}

static void
test_redirect_secret_headers (void)
{
  g_autoptr(JsonObject) other = landing_with_api_key ("/redirect/other");
  g_autoptr(JsonObject) same = landing_with_api_key ("/redirect/same");

  g_assert_cmpint (json_object_get_int_member (other, "port"), ==, fake.other_port);
  g_assert_false (json_object_get_boolean_member (other, "api_key"));
  g_assert_true (json_object_get_boolean_member (other, "custom"));

  g_assert_cmpint (json_object_get_int_member (same, "port"), ==, fake.http_port);
  g_assert_true (json_object_get_boolean_member (same, "api_key"));
  g_assert_true (json_object_get_boolean_member (same, "custom"));
}

/* ---------------------------------------------------------------------------------------------
 * Proxies
 */

/* A proxy that records connections: a listening socket nobody accepts on, whose queue of
 * connections is counted afterwards. */
static GSocket *
recording_proxy (guint16 *port)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_set_blocking (socket, FALSE);
  return socket;
}

static guint
connections_seen (GSocket *proxy)
{
  GSocket *accepted;
  guint n = 0;

  while ((accepted = g_socket_accept (proxy, NULL, NULL)) != NULL)
    {
      n++;
      g_object_unref (accepted);
    }
  return n;
}

static void
test_proxy_bypassed_for_loopback (void)
{
  guint16 port = 0;
  g_autoptr(GSocket) proxy = recording_proxy (&port);
  g_autofree char *proxy_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (proxy_url, NULL);
  g_autoptr(AkRestClient) proxied = ak_rest_client_new (store);
  const char *paths[] = { "/basic", "/redirect/same" };

  ak_rest_client_set_proxy_resolver (proxied, resolver);
  ak_rest_client_set_tls_database (proxied, trust_database);

  /* To this machine, over http and https: direct, the Basic header with it. */
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    for (guint https = 0; https < 2; https++)
      {
        g_autofree char *url = https ? https_url_for (paths[i]) : url_for (paths[i]);
        g_autoptr(AkRestRequest) request = request_with_auth ("GET", url, AK_AUTH_BASIC,
                                                              "Main account");
        g_autoptr(AkRestResponse) response = NULL;
        g_autoptr(GError) error = NULL;

        response = send_with (proxied, request, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (response->status, ==, 200);
      }
  g_assert_cmpuint (connections_seen (proxy), ==, 0);

  /* Anywhere else the resolver's proxy is used: the check above could fail. */
  {
    g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET",
                                                            "https://ak-test.invalid/x");
    g_autoptr(AkRestResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    request->timeout_seconds = 1;
    response = send_with (proxied, request, NULL, &error);
    g_assert_null (response);
    g_assert_error (error, AK_ERROR, AK_ERROR_HTTP);
    g_assert_cmpuint (connections_seen (proxy), ==, 1);
  }
}

static guint
spilled_files (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "agora-keys-body-"))
      {
        g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
        GStatBuf st;

        g_assert_cmpint (g_stat (path, &st), ==, 0);
        g_assert_cmpint (st.st_mode & 0777, ==, 0600);
        n++;
      }
  return n;
}

static void
test_body_spilled_to_file (void)
{
  /* Past the 64 MiB the window keeps in memory. */
  const guint64 size = 70 * 1000 * 1000;
  g_autofree char *path = g_strdup_printf ("/stream/%" G_GUINT64_FORMAT, size);
  g_autofree char *url = url_for (path);
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ak-save-XXXXXX", NULL);
  g_autofree char *saved_path = g_build_filename (dir, "body.txt", NULL);
  g_autoptr(GFile) saved = g_file_new_for_path (saved_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *expected = ak_test_stream_checksum (size, FALSE);
  g_autofree char *actual = NULL;
  guint64 saved_size = 0;
  AkTestWait wait = { 0 };
  GStatBuf st;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_true (response->body_truncated);
  g_assert_cmpuint (response->body_length, ==, size);
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, AK_REST_ANALYZE_LIMIT);
  g_assert_nonnull (response->body_file);
  g_assert_null (response->error_summary);
  g_assert_cmpuint (spilled_files (), ==, 1);

  /* Save Body copies the whole of it, privately. */
  ak_rest_response_save_body_async (response, saved, NULL, ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  g_assert_true (ak_rest_response_save_body_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  actual = ak_test_file_checksum (saved_path, &saved_size);
  g_assert_cmpuint (saved_size, ==, size);
  g_assert_cmpstr (actual, ==, expected);
  g_assert_cmpint (g_stat (saved_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The temporary file goes with the last copy of the response. */
  {
    AkRestResponse *copy = ak_rest_response_copy (response);

    g_clear_pointer (&response, ak_rest_response_free);
    g_assert_cmpuint (spilled_files (), ==, 1);
    ak_rest_response_free (copy);
  }
  g_assert_cmpuint (spilled_files (), ==, 0);
  g_unlink (saved_path);
  g_rmdir (dir);
}

static void
test_body_to_stream (void)
{
  const guint64 size = 3 * 1000 * 1000 + 1;
  g_autofree char *path = g_strdup_printf ("/stream/%" G_GUINT64_FORMAT, size);
  g_autofree char *url = url_for (path);
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestRequest) small_request = NULL;
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *expected = ak_test_stream_checksum (size, FALSE);
  AkTestWait wait = { 0 };
  gsize written;
  gsize head_size;
  const guchar *data;

  ak_rest_client_send_to_stream_async (client, request, 1024 * 1024, out, NULL,
                                       ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  response = ak_rest_client_send_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_true (response->body_truncated);
  g_assert_cmpuint (response->body_length, ==, size);
  g_assert_null (response->body_file);

  /* Every byte went to the stream, from the first; the response keeps the start. */
  written = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpuint (written, ==, size);
  g_checksum_update (checksum, data, written);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, expected);
  head_size = g_bytes_get_size (response->body);
  g_assert_cmpuint (head_size, >, 0);
  g_assert_cmpuint (head_size, <=, 1024 * 1024);
  g_assert_true (memcmp (g_bytes_get_data (response->body, NULL), data, head_size) == 0);

  /* A body within the limit is kept whole, and nothing is written. */
  g_clear_pointer (&response, ak_rest_response_free);
  g_clear_object (&result);
  g_clear_object (&out);
  out = g_memory_output_stream_new_resizable ();
  g_free (url);
  url = url_for ("/stream/500000");
  small_request = ak_rest_request_new ("GET", url);
  wait.result = NULL;
  ak_rest_client_send_to_stream_async (client, small_request, 1024 * 1024, out, NULL,
                                       ak_test_wait_callback, &wait);
  result = ak_test_wait_result (&wait);
  response = ak_rest_client_send_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_false (response->body_truncated);
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, 500000);
  g_assert_cmpuint (response->body_length, ==, 500000);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
}

/* Error summaries come from bodies up to 1 MiB: a tree of a larger one takes too much memory. */
static void
test_big_error_body (void)
{
  g_autofree char *url = url_for ("/big-error");
  g_autoptr(AkRestRequest) request = ak_rest_request_new ("GET", url);
  g_autoptr(AkRestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send (request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 400);
  g_assert_false (response->body_truncated);
  g_assert_cmpuint (g_bytes_get_size (response->body), >, AK_REST_ANALYZE_LIMIT);
  g_assert_null (response->error_summary);
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

static void
fill_store (void)
{
  g_autoptr(AkCredential) customer = ak_credential_new (AK_CREDENTIAL_CUSTOMER);
  g_autoptr(AkCredential) wrong = ak_credential_new (AK_CREDENTIAL_CUSTOMER);
  g_autoptr(AkCredential) project = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredential) no_chat = ak_credential_new (AK_CREDENTIAL_PROJECT);
  g_autoptr(AkCredentialSecrets) customer_secrets = ak_credential_secrets_new ();
  g_autoptr(AkCredentialSecrets) wrong_secrets = ak_credential_secrets_new ();
  g_autoptr(AkCredentialSecrets) project_secrets = ak_credential_secrets_new ();
  g_autoptr(AkCredentialSecrets) no_chat_secrets = ak_credential_secrets_new ();
  g_autofree char *chat_host = g_strdup_printf ("127.0.0.1:%u", fake.https_port);

  ak_credential_set_label (customer, "Main account");
  ak_credential_set_customer_id (customer, CUSTOMER_ID);
  customer_secrets->customer_secret = g_strdup (CUSTOMER_SECRET);
  add_credential (customer, customer_secrets);

  ak_credential_set_label (wrong, "Wrong secret");
  ak_credential_set_customer_id (wrong, CUSTOMER_ID);
  wrong_secrets->customer_secret = g_strdup (WRONG_SECRET);
  add_credential (wrong, wrong_secrets);

  ak_credential_set_label (project, "Demo");
  ak_credential_set_app_id (project, TEST_APP_ID);
  ak_credential_set_chat_org (project, CHAT_ORG);
  ak_credential_set_chat_app (project, CHAT_APP);
  ak_credential_set_chat_host (project, chat_host);
  project_secrets->primary_certificate = g_strdup (CERT);
  project_secrets->secondary_certificate = g_strdup (CERT_2);
  add_credential (project, project_secrets);

  ak_credential_set_label (no_chat, "No chat");
  ak_credential_set_app_id (no_chat, TEST_APP_ID);
  no_chat_secrets->primary_certificate = g_strdup (CERT);
  add_credential (no_chat, no_chat_secrets);

  {
    g_autoptr(AkCredential) huge = ak_credential_new (AK_CREDENTIAL_PROJECT);
    g_autoptr(AkCredentialSecrets) huge_secrets = ak_credential_secrets_new ();

    ak_credential_set_label (huge, "Huge chat");
    ak_credential_set_app_id (huge, "0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    ak_credential_set_chat_org (huge, CHAT_ORG);
    ak_credential_set_chat_app (huge, "huge");
    ak_credential_set_chat_host (huge, chat_host);
    huge_secrets->primary_certificate = g_strdup (CERT_2);
    add_credential (huge, huge_secrets);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp_dir = NULL;
  int status;

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

  g_test_init (&argc, &argv, NULL);

  store = ak_credential_store_new_in_memory ();
  client = ak_rest_client_new (store);
  fake_agora_start ();
  fill_store ();

  for (guint i = 0; i < G_N_ELEMENTS (auth_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/rest-client/%s", auth_cases[i].name);

      g_test_add_data_func (path, &auth_cases[i], test_auth);
    }
  g_test_add_func ("/ak/rest-client/chat-exchange/cached", test_chat_exchange_cached);
  g_test_add_func ("/ak/rest-client/chat-exchange/near-expiry", test_chat_exchange_near_expiry);
  g_test_add_func ("/ak/rest-client/chat-exchange/missing-settings",
                   test_chat_exchange_missing_settings);
  g_test_add_func ("/ak/rest-client/chat-exchange/huge-answer", test_chat_exchange_huge_answer);
  for (guint i = 0; i < G_N_ELEMENTS (convoai_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/rest-client/convoai/agent/%s",
                                               convoai_cases[i].name);

      g_test_add_data_func (path, &convoai_cases[i], test_convoai_agent);
    }
  g_test_add_func ("/ak/rest-client/convoai/refused", test_convoai_refused);
  g_test_add_func ("/ak/rest-client/convoai/fill-needs-project", test_convoai_fill_needs_project);
  g_test_add_func ("/ak/rest-client/convoai/resolve-auth", test_convoai_resolve_auth);
  g_test_add_func ("/ak/rest-client/convoai/fill-not-redirected",
                   test_convoai_fill_not_redirected);
  g_test_add_func ("/ak/rest-client/console-projects", test_console_projects_read);
  for (guint i = 0; i < G_N_ELEMENTS (bad_auth_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/rest-client/bad-auth/%s",
                                               bad_auth_cases[i].name);

      g_test_add_data_func (path, &bad_auth_cases[i], test_bad_auth);
    }
  g_test_add_func ("/ak/rest-client/resolve-auth", test_resolve_auth);
  g_test_add_func ("/ak/rest-client/headers", test_headers);
  g_test_add_func ("/ak/rest-client/bad-headers", test_bad_headers);
  g_test_add_func ("/ak/rest-client/refuses-plain-http", test_refuses_plain_http);
  for (guint i = 0; i < G_N_ELEMENTS (error_shapes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ak/rest-client/error-shape/%s",
                                               error_shapes[i].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_error_shape);
    }
  g_test_add_func ("/ak/rest-client/masks-certificates", test_masks_certificates);
  g_test_add_func ("/ak/rest-client/big-body", test_big_body);
  g_test_add_func ("/ak/rest-client/timeout", test_timeout);
  g_test_add_func ("/ak/rest-client/cancel", test_cancel);
  g_test_add_func ("/ak/rest-client/connection-refused", test_connection_refused);
  g_test_add_func ("/ak/rest-client/dns-failure", test_dns_failure);
  g_test_add_func ("/ak/rest-client/tls/untrusted-then-trusted", test_tls_untrusted);
  g_test_add_func ("/ak/rest-client/redirect/other-host", test_redirect_other_host);
  g_test_add_func ("/ak/rest-client/redirect/same-origin", test_redirect_same_origin);
  g_test_add_func ("/ak/rest-client/redirect/back-home", test_redirect_back_home);
  g_test_add_func ("/ak/rest-client/redirect/see-other", test_redirect_see_other);
  g_test_add_func ("/ak/rest-client/redirect/loop", test_redirect_loop);
  g_test_add_func ("/ak/rest-client/redirect/downgrade", test_redirect_downgrade);
  g_test_add_func ("/ak/rest-client/redirect/secret-headers", test_redirect_secret_headers);
  g_test_add_func ("/ak/rest-client/proxy/bypassed-for-loopback",
                   test_proxy_bypassed_for_loopback);
  g_test_add_func ("/ak/rest-client/body/spilled-to-file", test_body_spilled_to_file);
  g_test_add_func ("/ak/rest-client/body/to-stream", test_body_to_stream);
  g_test_add_func ("/ak/rest-client/body/big-error", test_big_error_body);

  status = g_test_run ();

  g_clear_object (&client);
  g_clear_object (&trusting_client);
  fake_agora_stop ();
  g_clear_object (&store);
  g_rmdir (tmp_dir);
  return status;
}
