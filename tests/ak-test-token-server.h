/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-token-server.h: the local token server asked over HTTP, for test-token-server and
 * test-token-server-service (which link ak-test-token-server.c)
 *
 * A server for the project "Demo" of an in-memory store, asked through a real HTTP client on
 * loopback; every token it answers is checked against the project's certificate and kept, so
 * that the fixture's tear-down can check that none reached the request log.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-test-util.h"

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"

/* The store holding "Demo", and the session that asks the server. */
extern AkCredentialStore *store;
extern SoupSession *session;

typedef struct
{
  AkTokenServer *server;
  char *url;
  GString *log;
  /* Every token answered, to check that none reached the log. */
  GPtrArray *tokens;
} Fixture;

typedef struct
{
  guint status;
  char *body;
  SoupMessageHeaders *headers;
  JsonObject *json;
} Reply;

/* One request to the server and what it must answer: a token (or two, from /rte/) holding
 * what the row says, or a refusal. */
typedef struct
{
  const char *method, *path, *body;
  /* A refusal: its status, and a word its message must hold (NULL: any message). */
  guint refused;
  const char *mention;
  /* Else the token under key: an RTC token when channel is set, else one of service for
   * user_id with privilege. */
  const char *key, *channel, *uid;
  gboolean publisher;
  guint16 service, privilege;
  guint32 expire;
  /* How many services it holds (0: not checked). */
  guint n_services;
  /* From /rte/: the RTM token's user, and its stream channel's name and uid (NULL: none
   * checked). */
  const char *rtm_user, *rtm_channel, *rtm_channel_uid;
} Ask;

/* Starts fixture->server for "Demo" on a free port, listening on @bind (NULL: loopback). */
void start_server (Fixture    *fixture,
                   const char *bind);

/* The fixture of g_test_add(): @data is the address to bind, or NULL. */
void fixture_set_up (Fixture       *fixture,
                     gconstpointer  data);

void fixture_tear_down (Fixture       *fixture,
                        gconstpointer  data);

/* Frees what @reply holds, to be filled again. */
void reply_clear (Reply *reply);

/* Asks the server: @body (JSON), @origin and @bearer as given when not NULL. */
void http (Fixture    *fixture,
           Reply      *reply,
           const char *method,
           const char *path,
           const char *body,
           const char *origin,
           const char *bearer);

/* The token under @key, checked to be signed with the project's certificate. */
AkToken *take_token (Fixture    *fixture,
                     Reply      *reply,
                     const char *key);

/* @token's service of @type, which it must hold. */
const AkService *find_service (AkToken *token,
                               guint16  type);

/* The RTC service of @token, for a publisher or a subscriber. */
void assert_rtc (AkToken    *token,
                 const char *channel,
                 const char *uid,
                 gboolean    publisher,
                 guint32     expire);

/* The service @type of @token, for @user_id with @privilege. */
void assert_user (AkToken    *token,
                  guint16     type,
                  const char *user_id,
                  guint16     privilege,
                  guint32     expire);

/* A refusal with @status whose "error" mentions @mention (NULL: any). */
void assert_refused (Reply      *reply,
                     guint       status,
                     const char *mention);

/* Asks @ask of the server and checks the answer; returns the token, if any. */
AkToken *ask_token (Fixture   *fixture,
                    Reply     *reply,
                    const Ask *ask);

/* Asks each of @n_asks in turn. */
void ask_all (Fixture   *fixture,
              const Ask *asks,
              gsize      n_asks);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

#define GET(p) .method = "GET", .path = (p)
#define POST(b) .method = "POST", .path = "/getToken", .body = (b)
#define REFUSED(st, m) .refused = (st), .mention = (m)
#define RTC(k, ch, u, pub, exp) \
  .key = (k), .channel = (ch), .uid = (u), .publisher = (pub), .expire = (exp)
#define USER(k, svc, user, priv, exp) \
  .key = (k), .service = (svc), .uid = (user), .privilege = (priv), .expire = (exp)
#define RTM(k, user, exp) USER ((k), AK_SERVICE_RTM, (user), AK_PRIV_RTM_LOGIN, (exp))
#define CHAT_APP(exp) USER ("chatToken", AK_SERVICE_CHAT, "", AK_PRIV_CHAT_APP, (exp))
#define CHAT_USER(user, exp) USER ("chatToken", AK_SERVICE_CHAT, (user), AK_PRIV_CHAT_USER, (exp))

/* One test of a program: with a server listening on @bind (NULL: loopback) set up by the
 * fixture, or without one when @plain is set. */
typedef struct
{
  const char *name;
  const char *bind;
  void (*func) (Fixture       *fixture,
                gconstpointer  data);
  GTestFunc plain;
} ServerTest;

/* The whole of a test program's main(): loopback only, a throwaway keyring, the store and
 * the session; then each of @tests as "/ak/token-server/NAME", run. */
int token_server_test_main (int               argc,
                            char            **argv,
                            const ServerTest *tests,
                            gsize             n_tests);
