/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-token-service.h: a fake agora-token-service for test-token-server-check
 *
 * POST /MODE/getToken answers as agora-token-service does, with the test project's tokens,
 * or misbehaves as MODE says (other-cert, wrong-uid, not-json, bare, …); it notes what each
 * request carried.
 */
#pragma once

#include "ak-test-util.h"

#define TEST_APP_ID "970CA35de60c44645bbae8a215061b33"
#define OTHER_TEST_APP_ID "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define CERT_2 "9e1d3c5b7a8f6e4d2c0b1a3f5e7d9c8b"
#define OTHER_CERT "11112222333344445555666677778888"
#define ALLOWED_ORIGIN "https://app.example.com"

typedef struct
{
  AkTestServer *server;
  GMutex lock;
  /* Under the lock. */
  guint requests;
  char *last_body;
  char *last_origin;
  char *last_content_type;
  char *last_token;
} FakeService;

extern FakeService fake;

/* Starts and stops the fake, on a free loopback port. */
void fake_service_start (void);
void fake_service_stop (void);

/* How many requests it answered; the last token it sent (free it). */
guint requests_so_far (void);
char *last_token (void);

/* Its URL for @mode ("" or NULL: plain agora-token-service). */
char *base_url (const char *mode);
