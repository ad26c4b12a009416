/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-rest-client-private.h"

/* ---------------------------------------------------------------------------------------------
 * Transport errors, classified by domain and code
 */

static char *
describe_certificate_problem (GTlsCertificateFlags flags)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (reasons, (gpointer) _("it is not signed by a known certificate authority "
                                           "(it may be self-signed)"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (reasons, (gpointer) _("it was issued for another host name"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (reasons, (gpointer) _("it is not valid yet"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (reasons, (gpointer) _("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (reasons, (gpointer) _("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (reasons, (gpointer) _("it uses an insecure algorithm"));
  if (reasons->len == 0)
    g_ptr_array_add (reasons, (gpointer) _("it could not be verified"));
  g_ptr_array_add (reasons, NULL);
  /* Translators: joins the reasons a certificate is not trusted. */
  return g_strjoinv (_("; "), (char **) reasons->pdata);
}

GError *
ak_rest_describe_transport_error (SendOp *op,
                                  GError *error)
{
  g_autofree char *host = ak_rest_describe_host (op->uri);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !op->timed_out)
    return g_error_copy (error);

  if (op->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (AK_ERROR, AK_ERROR_HTTP, _("The server did not answer within %u s."),
                        op->timeout_seconds);

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                        _("The host name %s could not be found: check its spelling and your "
                          "network connection."), g_uri_get_host (op->uri));

  if (error->domain == G_TLS_ERROR)
    {
      g_autofree char *problem = NULL;

      switch (error->code)
        {
        case G_TLS_ERROR_BAD_CERTIFICATE:
          problem = describe_certificate_problem (op->tls_errors);
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("The certificate of %s is not trusted: %s. Nothing was sent."),
                              host, problem);
        case G_TLS_ERROR_UNAVAILABLE:
          return g_error_new_literal (AK_ERROR, AK_ERROR_HTTP,
                                      _("This system has no TLS support: install "
                                        "glib-networking."));
        case G_TLS_ERROR_NOT_TLS:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("%s does not answer in TLS (https://): check the address and "
                                "port."), host);
        default:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("The secure connection to %s failed: %s"), host,
                              error->message);
        }
    }

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CONNECTION_REFUSED:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("%s refused the connection: nothing is listening there, or a "
                                "firewall blocks it."), host);
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("%s cannot be reached: check your network connection."), host);
        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_PROXY_AUTH_FAILED:
        case G_IO_ERROR_PROXY_NEED_AUTH:
        case G_IO_ERROR_PROXY_NOT_ALLOWED:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("The proxy did not forward the request to %s: %s"), host,
                              error->message);
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_PARTIAL_INPUT:
          return g_error_new (AK_ERROR, AK_ERROR_HTTP,
                              _("The connection to %s closed before the answer was "
                                "complete."), host);
        default:
          break;
        }
    }

  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (AK_ERROR, AK_ERROR_HTTP, _("The answer from %s is not valid HTTP."),
                        host);

  return g_error_new (AK_ERROR, AK_ERROR_HTTP, _("The request to %s failed: %s"), host,
                      error->message);
}

void
ak_rest_return_transport_error (GTask  *task,
                                GError *error)
{
  SendOp *op = g_task_get_task_data (task);

  g_task_return_error (task, ak_rest_describe_transport_error (op, error));
}
