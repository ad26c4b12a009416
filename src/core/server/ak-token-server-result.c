/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-token-server-check-private.h"

/* ---------------------------------------------------------------------------------------------
 * Results
 */

G_DEFINE_BOXED_TYPE (AkTokenServerResult, ak_token_server_result,
                     ak_token_server_result_ref, ak_token_server_result_unref)

static void
finding_free (gpointer data)
{
  AkTokenServerFinding *finding = data;

  g_free (finding->message);
  g_free (finding);
}

AkTokenServerResult *
ak_token_server_result_new (void)
{
  AkTokenServerResult *result = g_new0 (AkTokenServerResult, 1);

  g_atomic_ref_count_init (&result->ref_count);
  result->findings = g_ptr_array_new_with_free_func (finding_free);
  return result;
}

AkTokenServerResult *
ak_token_server_result_ref (AkTokenServerResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
ak_token_server_result_unref (AkTokenServerResult *result)
{
  g_return_if_fail (result != NULL);

  if (!g_atomic_ref_count_dec (&result->ref_count))
    return;
  g_free (result->url);
  g_free (result->request_body);
  g_free (result->reason);
  g_clear_pointer (&result->token_text, ak_secret_string_free);
  g_clear_pointer (&result->token, ak_token_unref);
  g_clear_pointer (&result->check, ak_token_check_unref);
  g_clear_object (&result->project);
  g_ptr_array_unref (result->findings);
  g_free (result->summary);
  g_free (result);
}

const char *
ak_token_server_result_get_url (const AkTokenServerResult *result)
{
  return result->url;
}

const char *
ak_token_server_result_get_request_body (const AkTokenServerResult *result)
{
  return result->request_body;
}

guint
ak_token_server_result_get_status (const AkTokenServerResult *result)
{
  return result->status;
}

const char *
ak_token_server_result_get_token_text (const AkTokenServerResult *result)
{
  return result->token_text;
}

AkToken *
ak_token_server_result_get_token (const AkTokenServerResult *result)
{
  return result->token;
}

AkTokenCheck *
ak_token_server_result_get_check (const AkTokenServerResult *result)
{
  return result->check;
}

AkCredential *
ak_token_server_result_get_project (const AkTokenServerResult *result)
{
  return result->project;
}

guint
ak_token_server_result_get_n_findings (const AkTokenServerResult *result)
{
  return result->findings->len;
}

const AkTokenServerFinding *
ak_token_server_result_get_finding (const AkTokenServerResult *result,
                                    guint                      index)
{
  g_return_val_if_fail (index < result->findings->len, NULL);
  return g_ptr_array_index (result->findings, index);
}

AkTokenServerSeverity
ak_token_server_result_get_verdict (const AkTokenServerResult *result)
{
  return result->verdict;
}

const char *
ak_token_server_result_get_summary (const AkTokenServerResult *result)
{
  return result->summary;
}

G_GNUC_PRINTF (4, 5)
void
ak_token_server_result_add_finding (AkTokenServerResult   *result,
                                    AkTokenServerSeverity  severity,
                                    AkTokenServerAspect    aspect,
                                    const char            *format,
                                    ...)
{
  AkTokenServerFinding *finding = g_new0 (AkTokenServerFinding, 1);
  va_list args;

  va_start (args, format);
  finding->severity = severity;
  finding->aspect = aspect;
  finding->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (result->findings, finding);
  result->verdict = MAX (result->verdict, severity);
}

static guint
count_findings (AkTokenServerResult   *result,
                AkTokenServerSeverity  severity)
{
  guint n = 0;

  for (guint i = 0; i < result->findings->len; i++)
    if (((AkTokenServerFinding *) g_ptr_array_index (result->findings, i))->severity == severity)
      n++;
  return n;
}

void
ak_token_server_result_summarize (AkTokenServerResult *result)
{
  guint n;

  if (result->token == NULL)
    {
      result->summary = g_strdup (_("The server gave no usable token."));
      return;
    }
  switch (result->verdict)
    {
    case AK_TOKEN_SERVER_ERROR:
    case AK_TOKEN_SERVER_WARNING:
      n = count_findings (result, result->verdict);
      result->summary =
        g_strdup_printf (result->verdict == AK_TOKEN_SERVER_ERROR
                         ? ngettext ("The server's token does not do what was asked: %u problem.",
                                     "The server's token does not do what was asked: %u "
                                     "problems.", n)
                         : ngettext ("The server's token does what was asked, with %u warning.",
                                     "The server's token does what was asked, with %u "
                                     "warnings.", n),
                         n);
      break;
    case AK_TOKEN_SERVER_OK:
    default:
      result->summary = g_strdup (_("The server's token does what was asked and is signed with "
                                    "the stored certificate."));
      break;
    }
}
