/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ak-test-builders.h: every builder's inputs with fixed defaults, building and checking, for
 * test-builders and test-builders-validation (which link ak-test-builders.c)
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ak-core.h"

#define APP_ID "970CA35de60c44645bbae8a215061b33"
#define CERT "5CFd2fd1755d40ecb72977518be15d3b"
#define ISSUE_TS 1700000000
#define SALT 12345
#define TS_006 1700086400
#define PRIVILEGE_TS_006 1700080000

/* One input of a builder changed from its default. */
typedef struct
{
  const char *name;
  /* The builder, and the input changed. */
  const char *builder, *key;
  /* JSON text of the new value, NULL to remove @key ... */
  const char *json;
  /* ... or, when non-zero, a string of this many 'a' characters. */
  guint repeat;
} InputChange;

/* The JSON value @text, which must parse. */
JsonNode *node_from_text (const char *text);

/* The inputs the builder declares, each with its default value, plus a fixed issue time
 * and salt so that the bytes are reproducible. */
JsonObject *inputs_for_builder (AkBuilder   builder,
                                const char *overrides);

/* The builder named @name, which must exist. */
AkBuilder builder_from_name (const char *name);

/* What @builder builds from @inputs, which must build. */
AkBuildResult *build_ok (AkBuilder   builder,
                         JsonObject *inputs);

/* The token of the builder named @builder_name with @overrides, which must build. */
AkBuildResult *build_with (const char *builder_name,
                           const char *overrides);

/* @token verifies with CERT (a 006 token for @channel and @uid); its verification. */
AkVerification assert_verifies (AkToken    *token,
                                const char *channel,
                                const char *uid);

/* The defaults of @change's builder, with @change made. */
JsonObject *inputs_with_change (const InputChange *change);

/* A build refused as invalid input, with a message (in UTF-8) that mentions @mention (NULL:
 * any). */
void assert_refused (AkBuildResult *result,
                     const GError  *error,
                     const char    *mention);
