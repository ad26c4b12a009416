/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-rest-secrets.h: a request with a secret in every place one can hide, and the check
 * that a text holds none of them; for test-rest-history and test-rest-curl
 */
#pragma once

#include <string.h>

#include "ak-rest.h"

#define PASTED_TOKEN "007eJxPastedBearerTokenQ1w2e3r4t5y6"
#define HEADER_SECRET "hdr-Zx81secretvalue"
#define HEADER_AUTH "Bearer auth-Kq27headervalue"
#define COOKIE_SECRET "sess-Mn55cookievalue"
#define XAGORA_SECRET "007eJxXagoraHeaderTok99"
#define BODY_PASSWORD "pw-Rt41bodypassword"
#define BODY_CUSTOMER_SECRET "cs-Yu83customersecret"
#define BODY_SIGN_KEY "5CFd2fd1755d40ecb72977518be15d3b"
#define BODY_STORAGE_SECRET "s3-Lp09storagesecret"
#define BODY_TOKEN "007eJxBodyTokenValue42"
#define URL_TOKEN "url-Hg66querytoken"
#define URL_PASSWORD "url-Vb12userinfopass"

static const char * const secrets[] = {
  PASTED_TOKEN, HEADER_SECRET, "auth-Kq27headervalue", COOKIE_SECRET, XAGORA_SECRET,
  BODY_PASSWORD, BODY_CUSTOMER_SECRET, BODY_SIGN_KEY, BODY_STORAGE_SECRET, BODY_TOKEN,
  URL_TOKEN, URL_PASSWORD,
};

static inline void
assert_no_secrets (const char *text)
{
  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (strstr (text, secrets[i]) != NULL)
      g_error ("“%s” holds the secret “%s”", text, secrets[i]);
}

/* A request carrying a secret in every place one can hide. */
static inline AkRestRequest *
secret_laden_request (void)
{
  AkRestRequest *request =
    ak_rest_request_new ("POST", "https://user:" URL_PASSWORD "@a41.chat.agora.io/61717166/demo"
                                 "/users?token=" URL_TOKEN "&pageToken=p2&limit=10");

  request->body = g_strdup ("{\"username\":\"alice\",\"password\":\"" BODY_PASSWORD "\","
                            "\"nested\":{\"customer_secret\":\"" BODY_CUSTOMER_SECRET "\","
                            "\"list\":[{\"sign_key\":\"" BODY_SIGN_KEY "\"}]},"
                            "\"storageConfig\":{\"secretKey\":\"" BODY_STORAGE_SECRET "\","
                            "\"bucket\":\"b1\"},"
                            "\"token\":\"" BODY_TOKEN "\","
                            "\"note\":\"the word token in a value stays\"}");
  ak_rest_request_add_header (request, "X-Api-Key", HEADER_SECRET);
  ak_rest_request_add_header (request, "authorization", HEADER_AUTH);
  ak_rest_request_add_header (request, "Cookie", "c=" COOKIE_SECRET);
  ak_rest_request_add_header (request, "X-Agora-Token", XAGORA_SECRET);
  ak_rest_request_add_header (request, "X-Trace", "keep-me");
  request->auth.scheme = AK_AUTH_BEARER;
  request->auth.credential_label = g_strdup ("Demo");
  request->auth.token = g_strdup (PASTED_TOKEN);
  request->endpoint_id = g_strdup ("chat.user-register");
  return request;
}
