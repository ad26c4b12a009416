/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-credential-store.h"
#include "ak-rest.h"
#include "ak-token-server-check.h"

G_BEGIN_DECLS

struct _AkTokenServerResult
{
  gatomicrefcount ref_count;
  char *url;
  char *request_body;
  guint status;
  char *reason;
  gint64 duration_ms;
  char *token_text;
  AkToken *token;
  AkTokenCheck *check;
  AkCredential *project;
  GPtrArray *findings;
  AkTokenServerSeverity verdict;
  char *summary;
};

/* One ak_token_server_check_async() call. */
typedef struct
{
  AkTokenServerQuery query;
  char *channel;
  char *uid;
  char *origin;
  char *project_label;
  AkCredentialStore *store;
  AkRestRequest *request;
  AkTokenServerResult *result;
} CheckOp;

/* ak-token-server-query.c */
const char *ak_token_server_or_empty (const char *text);
guint32 ak_token_server_requested_expire (const AkTokenServerQuery *query);

/* ak-token-server-result.c */
AkTokenServerResult *ak_token_server_result_new (void);
void ak_token_server_result_add_finding (AkTokenServerResult *result,
                                         AkTokenServerSeverity severity,
                                         AkTokenServerAspect aspect,
                                         const char *format,
                                         ...) G_GNUC_PRINTF (4, 5);
void ak_token_server_result_summarize (AkTokenServerResult *result);

/* ak-token-server-check-compare.c */
gboolean ak_token_server_parse_integer_uid (const char *uid, guint64 *value);
void ak_token_server_check_op_free (CheckOp *op);
void ak_token_server_compare_app_id (CheckOp *op);
void ak_token_server_add_signature_finding (CheckOp *op, const GError *error);
void ak_token_server_compare_grants (CheckOp *op);

G_END_DECLS
