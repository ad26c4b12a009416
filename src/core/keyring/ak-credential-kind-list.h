/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ak-credential.h"

G_BEGIN_DECLS

/*
 * The credentials of one kind in a GListModel of AkCredential, in the order of the model it
 * filters (the store's, sorted by label): what every project picker shows. It follows its
 * source with the smallest items-changed it can, so that a picker keeps its selection, and
 * announces an item again when its label changes, so that pickers show the new name.
 */

#define AK_TYPE_CREDENTIAL_KIND_LIST (ak_credential_kind_list_get_type ())
G_DECLARE_FINAL_TYPE (AkCredentialKindList, ak_credential_kind_list, AK, CREDENTIAL_KIND_LIST,
                      GObject)

AkCredentialKindList *ak_credential_kind_list_new      (GListModel *credentials,
                                                        AkCredentialKind kind);

G_END_DECLS
