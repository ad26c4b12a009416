/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-trust-database.h"

/* ---------------------------------------------------------------------------------------------
 * A TLS database that trusts one more set of anchors than the system's (tests' servers)
 */

struct _AkTrustDatabase
{
  GTlsDatabase parent_instance;

  GTlsDatabase *extra;
  GTlsDatabase *system;
};

G_DEFINE_FINAL_TYPE (AkTrustDatabase, ak_trust_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
ak_trust_database_verify_chain (GTlsDatabase             *database,
                                GTlsCertificate          *chain,
                                const char               *purpose,
                                GSocketConnectable       *identity,
                                GTlsInteraction          *interaction,
                                GTlsDatabaseVerifyFlags   flags,
                                GCancellable             *cancellable,
                                GError                  **error)
{
  AkTrustDatabase *self = AK_TRUST_DATABASE (database);
  g_autoptr(GError) system_error = NULL;
  GTlsCertificateFlags extra_result;
  GTlsCertificateFlags system_result;

  extra_result = g_tls_database_verify_chain (self->extra, chain, purpose, identity, interaction,
                                              flags, cancellable, error);
  if (extra_result == 0 || (error != NULL && *error != NULL) || self->system == NULL)
    return extra_result;

  system_result = g_tls_database_verify_chain (self->system, chain, purpose, identity,
                                               interaction, flags, cancellable, &system_error);
  if (system_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&system_error));
      return system_result;
    }
  /* Anything the extra anchors do not vouch for is judged as the system would. */
  return system_result;
}

static void
ak_trust_database_finalize (GObject *object)
{
  AkTrustDatabase *self = AK_TRUST_DATABASE (object);

  g_clear_object (&self->extra);
  g_clear_object (&self->system);
  G_OBJECT_CLASS (ak_trust_database_parent_class)->finalize (object);
}

static void
ak_trust_database_class_init (AkTrustDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ak_trust_database_finalize;
  G_TLS_DATABASE_CLASS (klass)->verify_chain = ak_trust_database_verify_chain;
}

static void
ak_trust_database_init (AkTrustDatabase *self)
{
}

GTlsDatabase *
ak_trust_database_new (GTlsDatabase *extra)
{
  AkTrustDatabase *self = g_object_new (AK_TYPE_TRUST_DATABASE, NULL);

  self->extra = g_object_ref (extra);
  self->system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  return G_TLS_DATABASE (self);
}
