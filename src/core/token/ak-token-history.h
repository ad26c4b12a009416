/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ak-token.h"

G_BEGIN_DECLS

/**
 * AkTokenOrigin:
 * @AK_TOKEN_ORIGIN_GENERATED: made on the Tokens page or by the builder
 * @AK_TOKEN_ORIGIN_DECODED: pasted into the decoder
 */
typedef enum
{
  AK_TOKEN_ORIGIN_GENERATED,
  AK_TOKEN_ORIGIN_DECODED,
} AkTokenOrigin;

#define AK_TOKEN_HISTORY_DEFAULT_SIZE 50

/*
 * One token of the session. Immutable: the token property is read-only, the others
 * construct-only. Properties: token (the text without surrounding white space or quotes; a
 * secret: shown and copied on request, never logged, wiped on finalize), description
 * ("RTC · demo · uid 42"), app-id, project-label (nullable), version (006 or 007),
 * issued-at (unix seconds, 0 for 006), expires-at (the token's own expiry),
 * origin (AkTokenOrigin).
 */
#define AK_TYPE_TOKEN_ENTRY (ak_token_entry_get_type ())
G_DECLARE_FINAL_TYPE (AkTokenEntry, ak_token_entry, AK, TOKEN_ENTRY, GObject)

/* Parses @text for the other fields. @description NULL gives ak_token_describe().
 * Returns NULL with the codec's error when @text is not a token. */
AkTokenEntry   *ak_token_entry_new               (const char *text,
                                                  AkTokenOrigin origin,
                                                  const char *description,
                                                  const char *project_label,
                                                  GError **error);
const char     *ak_token_entry_get_token         (AkTokenEntry *self);
const char     *ak_token_entry_get_description   (AkTokenEntry *self);
const char     *ak_token_entry_get_app_id        (AkTokenEntry *self);
const char     *ak_token_entry_get_project_label (AkTokenEntry *self);
AkTokenVersion  ak_token_entry_get_version       (AkTokenEntry *self);
gint64          ak_token_entry_get_issued_at     (AkTokenEntry *self);
gint64          ak_token_entry_get_expires_at    (AkTokenEntry *self);
AkTokenOrigin   ak_token_entry_get_origin        (AkTokenEntry *self);

/* What a token is for, in a few words: "RTC · demo · uid 42", "RTC + RTM · demo · alice",
 * "RTM · alice", "Chat user · alice", "Chat app", "006 RTC" (006 keeps no channel or uid). */
char           *ak_token_describe                (const AkToken *token);

/*
 * The "Recent" list: a GListModel of AkTokenEntry, newest first, in memory only (never
 * written anywhere). Adding a token already listed (same text) moves it to the top; past
 * max-size entries, the oldest are dropped.
 */
#define AK_TYPE_TOKEN_HISTORY (ak_token_history_get_type ())
G_DECLARE_FINAL_TYPE (AkTokenHistory, ak_token_history, AK, TOKEN_HISTORY, GObject)

/* @max_size: how many entries to keep; 0 for %AK_TOKEN_HISTORY_DEFAULT_SIZE */
AkTokenHistory *ak_token_history_new             (guint max_size);
guint           ak_token_history_get_max_size    (AkTokenHistory *self);
void            ak_token_history_add             (AkTokenHistory *self, AkTokenEntry *entry);
void            ak_token_history_remove          (AkTokenHistory *self, guint position);
void            ak_token_history_clear           (AkTokenHistory *self);

G_END_DECLS
