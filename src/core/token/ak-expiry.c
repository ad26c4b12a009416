/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-duration.h"
#include "ak-expiry.h"
#include "ak-token.h"

G_DEFINE_BOXED_TYPE (AkExpiry, ak_expiry, ak_expiry_copy, ak_expiry_free)

/**
 * ak_expiry_state_for_times:
 * @issued_at: unix time of issue, or 0 when unknown
 * @expires_at: unix time of expiry
 * @now: the current unix time
 *
 * A warning is due when under %AK_EXPIRY_WARNING_SECONDS remain, or under a tenth of the
 * lifetime (@expires_at - @issued_at) when @issued_at is known: a 30-minute token turns at
 * 3 minutes left by the first rule, a 24-hour token at 2 h 24 min by the second.
 *
 * Returns: %AK_EXPIRY_FRESH, %AK_EXPIRY_WARNING or %AK_EXPIRY_EXPIRED
 */
AkExpiryState
ak_expiry_state_for_times (gint64 issued_at,
                           gint64 expires_at,
                           gint64 now)
{
  gint64 remaining = expires_at - now;

  if (remaining <= 0)
    return AK_EXPIRY_EXPIRED;
  if (remaining < AK_EXPIRY_WARNING_SECONDS)
    return AK_EXPIRY_WARNING;
  if (issued_at > 0 && expires_at > issued_at && remaining * 10 < expires_at - issued_at)
    return AK_EXPIRY_WARNING;
  return AK_EXPIRY_FRESH;
}

/**
 * ak_format_countdown:
 *
 * Returns: (transfer full): the time left as "2:59:59" (hours not padded), "1 d 02:59:59"
 *   from one day on, or "expired"
 */
char *
ak_format_countdown (gint64 expires_at,
                     gint64 now)
{
  guint64 remaining;
  guint64 days;
  guint hours;
  guint minutes;
  guint seconds;

  if (expires_at <= now)
    return g_strdup (_("expired"));

  remaining = (guint64) (expires_at - now);
  days = remaining / 86400;
  hours = (guint) (remaining % 86400 / 3600);
  minutes = (guint) (remaining % 3600 / 60);
  seconds = (guint) (remaining % 60);

  if (days > 0)
    /* Translators: a countdown of days, hours, minutes and seconds; "d" abbreviates days */
    return g_strdup_printf (_("%llu d %02u:%02u:%02u"), (unsigned long long) days, hours,
                            minutes, seconds);
  return g_strdup_printf ("%u:%02u:%02u", hours, minutes, seconds);
}

/**
 * ak_expiry_new:
 * @label: what expires, as shown to the user
 * @issued_at: unix time of issue, 0 when unknown
 * @expires_at: unix time of expiry
 */
AkExpiry *
ak_expiry_new (const char *label,
               gint64      issued_at,
               gint64      expires_at)
{
  AkExpiry *expiry;

  g_return_val_if_fail (label != NULL, NULL);

  expiry = g_new0 (AkExpiry, 1);
  expiry->label = g_strdup (label);
  expiry->issued_at = issued_at;
  expiry->expires_at = expires_at;
  return expiry;
}

/**
 * ak_expiry_new_never:
 *
 * An expiry that never comes, such as a 006 privilege with value 0.
 */
AkExpiry *
ak_expiry_new_never (const char *label,
                     gint64      issued_at)
{
  AkExpiry *expiry = ak_expiry_new (label, issued_at, 0);

  expiry->never = TRUE;
  return expiry;
}

AkExpiry *
ak_expiry_copy (const AkExpiry *expiry)
{
  AkExpiry *copy;

  g_return_val_if_fail (expiry != NULL, NULL);

  copy = g_memdup2 (expiry, sizeof *expiry);
  copy->label = g_strdup (expiry->label);
  return copy;
}

void
ak_expiry_free (AkExpiry *expiry)
{
  if (expiry == NULL)
    return;
  g_free (expiry->label);
  g_free (expiry);
}

AkExpiryState
ak_expiry_get_state (const AkExpiry *expiry,
                     gint64          now)
{
  g_return_val_if_fail (expiry != NULL, AK_EXPIRY_EXPIRED);

  if (expiry->never)
    return AK_EXPIRY_NEVER;
  return ak_expiry_state_for_times (expiry->issued_at, expiry->expires_at, now);
}

char *
ak_expiry_format_absolute (const AkExpiry *expiry)
{
  g_return_val_if_fail (expiry != NULL, NULL);

  if (expiry->never)
    return g_strdup (_("Never"));
  return ak_format_local_time (expiry->expires_at);
}

char *
ak_expiry_format_relative (const AkExpiry *expiry,
                           gint64          now)
{
  g_return_val_if_fail (expiry != NULL, NULL);

  if (expiry->never)
    return g_strdup (_("never expires"));
  return ak_format_remaining (expiry->expires_at, now);
}

char *
ak_expiry_format_countdown (const AkExpiry *expiry,
                            gint64          now)
{
  g_return_val_if_fail (expiry != NULL, NULL);

  if (expiry->never)
    return g_strdup (_("never"));
  return ak_format_countdown (expiry->expires_at, now);
}

static char *
privilege_label (const char *service_name,
                 const char *privilege_name,
                 guint16     privilege_id)
{
  g_autofree char *privilege = NULL;

  if (privilege_name != NULL)
    privilege = g_strdup (privilege_name);
  else
    /* Translators: a privilege id this version has no name for */
    privilege = g_strdup_printf (_("privilege %u"), privilege_id);

  if (service_name == NULL)
    return g_steal_pointer (&privilege);
  /* The names are wire names, as the official parser prints them; not translated. */
  return g_strdup_printf ("%s · %s", service_name, privilege);
}

static void
list_expiries_007 (const AkToken *token,
                   GPtrArray     *expiries)
{
  gint64 issued_at = ak_token_get_issue_ts (token);
  guint n_services = ak_token_get_n_services (token);

  for (guint i = 0; i < n_services; i++)
    {
      const AkService *service = ak_token_get_service (token, i);
      const char *type_name = ak_service_type_to_name (service->type);
      g_autofree char *service_name = NULL;
      guint occurrence = 1;
      gboolean repeated = FALSE;

      /* Tokens may carry a type twice; number the repeats so rows stay apart. */
      for (guint j = 0; j < n_services; j++)
        if (j != i && ak_token_get_service (token, j)->type == service->type)
          {
            repeated = TRUE;
            if (j < i)
              occurrence++;
          }

      if (type_name == NULL)
        service_name = g_strdup_printf (_("service %u"), service->type);
      else
        service_name = g_strdup (type_name);
      if (repeated)
        {
          char *numbered = g_strdup_printf ("%s %u", service_name, occurrence);

          g_free (service_name);
          service_name = numbered;
        }

      for (guint k = 0; k < service->privileges->len; k++)
        {
          const AkPrivilege *p = &g_array_index (service->privileges, AkPrivilege, k);
          g_autofree char *label =
            privilege_label (service_name, ak_service_privilege_name (service->type, p->id),
                             p->id);

          g_ptr_array_add (expiries, ak_expiry_new (label, issued_at, issued_at + p->value));
        }
    }
}

static void
list_expiries_006 (const AkToken *token,
                   GPtrArray     *expiries)
{
  GArray *privileges = ak_token_get_privileges_006 (token);

  for (guint i = 0; privileges != NULL && i < privileges->len; i++)
    {
      const AkPrivilege *p = &g_array_index (privileges, AkPrivilege, i);
      g_autofree char *label = privilege_label (NULL, ak_privilege006_name (p->id), p->id);

      /* 006 values are absolute times; 0 is "never". */
      if (p->value == 0)
        g_ptr_array_add (expiries, ak_expiry_new_never (label, 0));
      else
        g_ptr_array_add (expiries, ak_expiry_new (label, 0, p->value));
    }
}

/**
 * ak_token_list_expiries:
 *
 * Returns: (transfer full) (element-type AkExpiry): the token's expiry first, then one
 *   per privilege; the array frees its elements
 */
GPtrArray *
ak_token_list_expiries (const AkToken *token)
{
  GPtrArray *expiries = g_ptr_array_new_with_free_func ((GDestroyNotify) ak_expiry_free);

  g_return_val_if_fail (token != NULL, expiries);

  if (ak_token_get_version (token) == AK_TOKEN_VERSION_006)
    {
      g_ptr_array_add (expiries, ak_expiry_new (_("Token"), 0, ak_token_get_ts (token)));
      list_expiries_006 (token, expiries);
    }
  else
    {
      g_ptr_array_add (expiries, ak_expiry_new (_("Token"), ak_token_get_issue_ts (token),
                                                ak_token_get_expires_at (token)));
      list_expiries_007 (token, expiries);
    }
  return expiries;
}

/**
 * ak_expiries_find_first_privilege:
 * @expiries: (element-type AkExpiry): as ak_token_list_expiries() returns them
 *
 * Returns: (transfer none) (nullable): the privilege expiry that comes first, skipping the
 *   token's own (the first element) and privileges that never expire
 */
const AkExpiry *
ak_expiries_find_first_privilege (GPtrArray *expiries)
{
  const AkExpiry *first = NULL;

  g_return_val_if_fail (expiries != NULL, NULL);

  for (guint i = 1; i < expiries->len; i++)
    {
      const AkExpiry *expiry = expiries->pdata[i];

      if (!expiry->never && (first == NULL || expiry->expires_at < first->expires_at))
        first = expiry;
    }
  return first;
}

/**
 * ak_expiry_format_earliest:
 * @token: the token's own expiry
 * @privileges: (nullable): the privilege that expires first
 * @now: the current unix time
 *
 * A token is only as good as its shortest-lived part: the countdown that matters is to the
 * earlier end, and the later one is named too so that nobody reads it as the token's.
 *
 * Returns: (transfer full): the sentence
 */
char *
ak_expiry_format_earliest (const AkExpiry *token,
                           const AkExpiry *privileges,
                           gint64          now)
{
  g_autofree char *token_left = NULL;
  g_autofree char *privileges_left = NULL;

  g_return_val_if_fail (token != NULL, NULL);

  token_left = ak_expiry_format_countdown (token, now);
  if (token->expires_at <= now)
    return g_strdup (_("Token has expired"));
  if (privileges == NULL)
    /* Translators: %s is a countdown such as "0:59:59" */
    return g_strdup_printf (_("Token expires in %s"), token_left);

  privileges_left = ak_expiry_format_countdown (privileges, now);
  if (privileges->expires_at < token->expires_at)
    return privileges->expires_at <= now
             /* Translators: %s is a countdown such as "0:59:59" */
             ? g_strdup_printf (_("Privileges have expired · token in %s"), token_left)
             /* Translators: both %s are countdowns such as "0:09:59" */
             : g_strdup_printf (_("Privileges expire in %s · token in %s"), privileges_left,
                                token_left);
  if (privileges->expires_at > token->expires_at)
    return g_strdup_printf (_("Token expires in %s · privileges in %s"), token_left,
                            privileges_left);
  return g_strdup_printf (_("Token and privileges expire in %s"), token_left);
}
