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

G_END_DECLS
