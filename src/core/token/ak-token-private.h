/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-token.h"

G_BEGIN_DECLS

struct _AkToken
{
  gatomicrefcount ref_count;
  AkTokenVersion version;
  char *app_id;
  guint8 signature[AK_SIGNATURE_LENGTH];
  guint32 salt;

  /* 007 */
  guint32 issue_ts;
  guint32 expire;
  GPtrArray *services;
  guint16 service_count_field;
  gboolean stopped_at_unknown;
  guint16 unknown_service_type;
  GBytes *content;
  gsize compressed_len;
  guint8 zlib_header[2];

  /* 006 */
  char *channel_name;
  char *uid;
  guint32 ts;
  guint32 crc_channel_name;
  guint32 crc_uid;
  GArray *privileges;
  GBytes *message;
};

GArray *ak_service_dup_permission_blocks (const AkService *service);

/* What a service type is called and what its privilege ids 1..4 are called. */
typedef struct
{
  guint16 type;
  const char *name;
  const char *privileges[4]; /* ids 1..4 */
} ServiceInfo;

/* ak-token-names.c: NULL for a type this version does not know */
const ServiceInfo *ak_service_info         (guint16          type);

/* ak-token-service.c */
void               ak_privileges_set       (GArray          *privileges,
                                            guint16          id,
                                            guint32          value);
AkRtmPermission   *ak_service_append_entry (AkService       *service,
                                            guint16          permission_type,
                                            guint            reserve,
                                            GDestroyNotify   free_func);

/* ak-token.c */
AkToken           *ak_token_alloc          (AkTokenVersion   version);

/* ak-token-encode.c */
void               ak_token_sign_007       (const char      *app_certificate,
                                            guint32          issue_ts,
                                            guint32          salt,
                                            const guint8    *signing_info,
                                            gsize            signing_info_len,
                                            guint8           signature[AK_SIGNATURE_LENGTH]);

G_END_DECLS
