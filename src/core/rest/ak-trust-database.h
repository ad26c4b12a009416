/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Internal to ak-core: the REST client's TLS database when tests add their own anchors. */
#define AK_TYPE_TRUST_DATABASE (ak_trust_database_get_type ())
G_DECLARE_FINAL_TYPE (AkTrustDatabase, ak_trust_database, AK, TRUST_DATABASE, GTlsDatabase)

/* Trusts what @extra trusts, and otherwise what the system's database trusts. */
GTlsDatabase *ak_trust_database_new (GTlsDatabase *extra);

G_END_DECLS
