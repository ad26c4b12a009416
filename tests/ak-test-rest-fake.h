/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-rest-fake.h: the fake Agora of the REST client's tests
 *
 * A SoupServer on loopback, in its own thread and GMainContext, that checks every auth scheme
 * for real (the Basic pair against the stored one, tokens with the codec against the
 * project's certificate), serves the Chat token exchange and each product's error shapes, and
 * misbehaves on request (slow, redirecting, huge); and the store, with the credentials it
 * knows, and the clients that send to it. Only for test-rest-client and
 * test-rest-client-transport, which link ak-test-rest-fake.c.
 */
#pragma once

#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-rest.h"
#include "ak-test-convoai.h"
#include "ak-test-util.h"

#define TEST_APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define CUSTOMER_ID "4f2b9c1d7e6a45b8a0c3d5e7f9a1b2c3"
#define CUSTOMER_SECRET "Zq9CustomerSecretXy42"
#define WRONG_SECRET "NotTheSecret0000"
#define CHAT_ORG "61717166"
#define CHAT_APP "demo"
#define BIG_BODY_SIZE (5 * 1024 * 1024)

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

extern FakeAgora fake;
extern AkCredentialStore *store;
/* Trusts the system's anchors only; trusting_client also trusts the fake's certificate. */
extern AkRestClient *client;
extern AkRestClient *trusting_client;
extern GTlsDatabase *trust_database;

/* What /errors/NAME answers: each product's error shape. */
typedef struct
{
  const char *name;
  guint status;
  const char *body;
} ErrorShape;

#define N_ERROR_SHAPES 9
extern const ErrorShape error_shapes[N_ERROR_SHAPES];

/* Before any test, instead of g_test_init(): nothing may leave loopback, temporary files go to
 * a directory of this run only (returned), and the fake listens with its credentials stored. */
char *fake_agora_init (int    *argc,
                       char ***argv);
/* After the tests: stops the fake, frees what fake_agora_init() made, removes @tmp_dir. */
void fake_agora_finish (char *tmp_dir);

/* Parses and verifies a 007 token of @service_type for @user_id against either certificate;
 * returns which one signed it ("primary", "secondary") or NULL. */
const char *verify_token (const char *text,
                          guint16     service_type,
                          guint16     privilege,
                          const char *user_id);

/* The fake's URL for @path, over http or https. */
char *url_for (const char *path);
char *https_url_for (const char *path);

/* A GET of @path on the fake, over http. */
AkRestRequest *get_request (const char *path);

/* Sends @request through @with_client, waiting on the main context. */
AkRestResponse *send_with (AkRestClient   *with_client,
                           AkRestRequest  *request,
                           GCancellable   *cancellable,
                           GError        **error);

/* The same through the plain client. */
static inline AkRestResponse *
send (AkRestRequest  *request,
      GError        **error)
{
  return send_with (client, request, NULL, error);
}

/* Sends @request through @with_client, which must refuse it with @code of AK_ERROR and a
 * message that mentions @mention. */
void assert_send_fails (AkRestClient  *with_client,
                        AkRestRequest *request,
                        AkError        code,
                        const char    *mention);

/* The response's body, which must be a JSON object. */
JsonObject *body_object (AkRestResponse *response);

AkRestRequest *request_with_auth (const char   *method,
                                  const char   *url,
                                  AkAuthScheme  scheme,
                                  const char   *label);

/* A GET of @url with Basic auth from the customer credential "Main account". */
AkRestRequest *basic_get (const char *url);

/* The RTM peer_messages path of @user in the test project. */
char *peer_message_path (const char *user);
