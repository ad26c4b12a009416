/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ak-token-generator.h"

G_BEGIN_DECLS

/* For tests and sibling files: a form field by name ("app-id", "certificate", "channel", "uid", "account",
 * "user-id", "rtm-user-id", "permissions", "room-uuid", "user-uuid", "apaas-role", "expire",
 * "privilege-expire", "join-expire", "audio-expire", "video-expire", "data-expire",
 * "rtm-expire"), the choices, and what the form shows. */
GtkEditable *ak_token_generator_get_field      (AkTokenGenerator *self, const char *name);
void         ak_token_generator_select         (AkTokenGenerator *self,
                                                const char *choice,
                                                guint position);
void         ak_token_generator_set_advanced   (AkTokenGenerator *self, gboolean advanced);
gboolean     ak_token_generator_can_generate   (AkTokenGenerator *self);
const char  *ak_token_generator_get_problem    (AkTokenGenerator *self);
const char  *ak_token_generator_get_warnings   (AkTokenGenerator *self);
const char  *ak_token_generator_get_token      (AkTokenGenerator *self);
gboolean     ak_token_generator_is_busy        (AkTokenGenerator *self);
guint        ak_token_generator_find_project   (AkTokenGenerator *self, const char *label);

void         ak_token_generator_select_project (AkTokenGenerator *self,
                                                AkCredential *project);

G_END_DECLS
