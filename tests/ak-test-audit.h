/* ak-test-audit.h: the secrets audit's credentials, and a fake Agora that checks them
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For test-secrets-audit.c: the window and the command line each get a project and a
 * customer credential of fresh random values (so a find says which side leaked), and a fake
 * Agora on 127.0.0.1 answers 200 only to a request whose auth scheme carries one side's
 * secret or a token that side's certificate signed, and keeps every token it was sent.
 */

#pragma once

#include <string.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-test-util.h"

#define USER_ID "audit-user"

typedef struct
{
  char *label;
  char *app_id;
  char *primary;
  char *secondary;
  char *customer_label;
  char *customer_id;
  char *customer_secret;
} Credentials;

static inline char *
random_hex (guint n_chars)
{
  static const char digits[] = "0123456789abcdef";
  char *text = g_malloc (n_chars + 1);

  for (guint i = 0; i < n_chars; i++)
    text[i] = digits[g_random_int_range (0, 16)];
  text[n_chars] = '\0';
  return text;
}

static inline void
credentials_init (Credentials *c,
                  const char  *side)
{
  c->label = g_strdup_printf ("Audit %s %u", side, (guint) getpid ());
  c->customer_label = g_strdup_printf ("Audit %s customer %u", side, (guint) getpid ());
  c->app_id = random_hex (32);
  c->customer_id = random_hex (32);
  c->primary = random_hex (32);
  c->secondary = random_hex (32);
  c->customer_secret = random_hex (32);
}

typedef enum
{
  SCHEME_BASIC,
  SCHEME_AGORA_TOKEN,
  SCHEME_X_AGORA,
  SCHEME_BEARER,
  N_SCHEMES
} Scheme;

static const char * const scheme_paths[N_SCHEMES] = {
  "/audit/basic", "/audit/agora-token", "/audit/x-agora", "/audit/bearer",
};

typedef struct
{
  AkTestServer *server;
  GMutex lock;
  /* under lock */
  GPtrArray *tokens;
  guint accepted[N_SCHEMES];
} FakeAgora;

static FakeAgora fake;

/* The credentials the fake accepts: the window's and the command line's. */
static const Credentials *fake_sides[2];

static inline gboolean
basic_matches (const char        *header,
               const Credentials *c)
{
  g_autofree char *pair = g_strdup_printf ("%s:%s", c->customer_id, c->customer_secret);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *expected = g_strconcat ("Basic ", encoded, NULL);

  return g_strcmp0 (header, expected) == 0;
}

/* Parses @text and verifies it with the certificate of the project with its App ID. */
static inline AkToken *
verified_token (const char *text)
{
  g_autoptr(AkToken) token = ak_token_parse (text, NULL);
  if (token == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (fake_sides); i++)
    if (g_strcmp0 (ak_token_get_app_id (token), fake_sides[i]->app_id) == 0
        && (ak_token_verify (token, fake_sides[i]->primary, NULL, NULL, NULL, NULL)
            || ak_token_verify (token, fake_sides[i]->secondary, NULL, NULL, NULL, NULL)))
      return g_steal_pointer (&token);
  return NULL;
}

static inline void
keep_token (const char *text)
{
  g_mutex_lock (&fake.lock);
  g_ptr_array_add (fake.tokens, g_strdup (text));
  g_mutex_unlock (&fake.lock);
}

/* Keeps the token @text and checks it: signed by one of the sides, first service @type, for
 * @user_id unless NULL. */
static inline gboolean
token_accepted (const char *text,
                guint16     type,
                const char *user_id)
{
  g_autoptr(AkToken) token = NULL;

  keep_token (text);
  token = verified_token (text);
  return token != NULL && ak_token_get_service (token, 0)->type == type
         && (user_id == NULL || g_strcmp0 (ak_token_get_service (token, 0)->user_id, user_id) == 0);
}

static inline void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *x_token = soup_message_headers_get_one (headers, "x-agora-token");
  const char *x_uid = soup_message_headers_get_one (headers, "x-agora-uid");
  gboolean ok = FALSE;
  Scheme scheme;

  for (scheme = 0; scheme < N_SCHEMES; scheme++)
    if (g_str_equal (path, scheme_paths[scheme]))
      break;

  switch (scheme)
    {
    case SCHEME_BASIC:
      ok = basic_matches (authorization, fake_sides[0])
           || basic_matches (authorization, fake_sides[1]);
      break;
    case SCHEME_AGORA_TOKEN:
      ok = authorization != NULL && g_str_has_prefix (authorization, "agora token=")
           && token_accepted (authorization + strlen ("agora token="), AK_SERVICE_RTM, USER_ID);
      break;
    case SCHEME_X_AGORA:
      ok = x_token != NULL && token_accepted (x_token, AK_SERVICE_RTM, x_uid)
           && g_strcmp0 (x_uid, USER_ID) == 0;
      break;
    case SCHEME_BEARER:
      ok = authorization != NULL && g_str_has_prefix (authorization, "Bearer ")
           && token_accepted (authorization + strlen ("Bearer "), AK_SERVICE_CHAT, NULL);
      break;
    case N_SCHEMES:
    default:
      ak_test_reply_json (msg, 404, "{\"message\":\"no such path\"}");
      return;
    }

  if (!ok)
    {
      ak_test_reply_json (msg, 401, "{\"message\":\"Invalid authentication credentials\"}");
      return;
    }
  g_mutex_lock (&fake.lock);
  fake.accepted[scheme]++;
  g_mutex_unlock (&fake.lock);
  ak_test_reply_json (msg, 200, "{\"success\":true}");
}

static inline void
fake_start (const Credentials *gui,
            const Credentials *cli)
{
  fake_sides[0] = gui;
  fake_sides[1] = cli;
  g_mutex_init (&fake.lock);
  fake.tokens = g_ptr_array_new_with_free_func (g_free);
  fake.server = ak_test_server_new (handle, NULL);
}

static inline void
fake_stop (void)
{
  g_clear_pointer (&fake.server, ak_test_server_free);
  g_ptr_array_unref (fake.tokens);
}

static inline guint
fake_accepted (Scheme scheme)
{
  guint n;

  g_mutex_lock (&fake.lock);
  n = fake.accepted[scheme];
  g_mutex_unlock (&fake.lock);
  return n;
}
