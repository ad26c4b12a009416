/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-secret.h"
#include "ak-token-builder.h"
#include "ak-token-request.h"
#include "ak-token-server-private.h"

/* What both faces share: checking a request's fields, building the token, noting it in the log. */

/* Expiry: 0 or missing gives agora-token-service's default; negative or over 24 h is refused. */
gboolean
ak_token_server_check_expire (Request    *request,
                              const char *name,
                              gint64      expire,
                              guint32    *out)
{
  if (expire < 0 || expire > AK_TOKEN_SERVER_MAX_EXPIRE)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” must be a number of seconds from 0 to 86400 (24 hours); "
                           "0 or none gives 3600."), name);

      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST, message);
      return FALSE;
    }
  *out = expire == 0 ? AK_TOKEN_SERVER_DEFAULT_EXPIRE : (guint32) expire;
  return TRUE;
}

/* No role means subscriber, as in agora-token-service; but where it makes any other word a
 * subscriber too ("Publisher", "host"), a misspelt role is refused instead. */
static gboolean
parse_role (Request    *request,
            const char *role,
            gint64     *out)
{
  if (g_strcmp0 (role, "publisher") == 0)
    *out = AK_RTC_ROLE_PUBLISHER;
  else if (role == NULL || *role == '\0' || g_str_equal (role, "subscriber"))
    *out = AK_RTC_ROLE_SUBSCRIBER;
  else
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("“role” must be “publisher” or “subscriber” (none means "
                                       "subscriber)."));
      return FALSE;
    }
  return TRUE;
}

/* agora-token-service's rule: a uid that is all digits is an integer uid. Unlike it, a
 * value that does not fit 32 bits is refused instead of wrapped. */
gboolean
ak_token_server_classify_uid (Request    *request,
                              const char *uid,
                              UidKind    *kind,
                              guint32    *number)
{
  guint64 value;
  gboolean digits = *uid != '\0';
  const char *p = uid;

  /* agora-token-service signs "-1" as a user account; but a client sending it most likely
   * means a uid above 2147483647 seen through a signed 32-bit int (Java, Kotlin), and would
   * join with a number the token does not name. */
  if (*p == '-' && g_ascii_isdigit (p[1]))
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("“uid” must be a whole number from 0 to 4294967295 (a "
                                       "negative number is a signed 32-bit uid: add 4294967296), "
                                       "or a user account; for an account such as “-1” use GET "
                                       "/rtc/CHANNEL/ROLE/userAccount/-1/."));
      return FALSE;
    }
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      digits = FALSE;
  if (!digits)
    {
      *kind = UID_ACCOUNT;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (uid, 10, 0, G_MAXUINT32, &value, NULL))
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("“uid” must be a whole number from 0 to 4294967295; "
                                       "agora-token-service would silently wrap larger values."));
      return FALSE;
    }
  *kind = UID_NUMBER;
  *number = (guint32) value;
  return TRUE;
}

/* Routes and bodies only decide what is asked for (with agora-token-service's rules); the
 * kinds, their builders and inputs are AkTokenRequest's, as for the window and the CLI. */
static AkTokenRequest
base_request (AkTokenServer *self,
              AkTokenKind    kind,
              guint32        expire)
{
  return (AkTokenRequest) {
    .kind = kind,
    .app_id = self->app_id,
    .app_certificate = self->certificate,
    .expire = expire,
    .issue_ts = self->fixed_issue_ts,
    .fixed_salt = self->fixed_salt,
    .salt = self->salt,
  };
}

/* The token, or an error already answered. */
static char *
build (Request              *request,
       const AkTokenRequest *token_request)
{
  g_autoptr(AkBuildResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = ak_token_request_build (token_request, &error);
  if (result == NULL)
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST, error->message);
      return NULL;
    }
  return g_strdup (ak_build_result_get_token (result));
}

char *
ak_token_server_build_rtc (Request    *request,
                           const char *channel,
                           const char *role_name,
                           const char *uid,
                           gboolean    force_account,
                           guint32     expire)
{
  AkTokenRequest token_request;
  UidKind kind = UID_ACCOUNT;
  guint32 number = 0;
  gint64 role;

  if (channel == NULL || *channel == '\0')
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("“channel” is missing: an RTC token is for one channel."));
      return NULL;
    }
  if (uid == NULL || *uid == '\0')
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("“uid” is missing: give an integer uid (0 for any) or a "
                                       "user account."));
      return NULL;
    }
  if (!parse_role (request, role_name, &role))
    return NULL;
  if (!force_account && !ak_token_server_classify_uid (request, uid, &kind, &number))
    return NULL;

  token_request = base_request (request->self, AK_TOKEN_KIND_RTC, expire);
  token_request.channel = channel;
  token_request.use_account = kind != UID_NUMBER;
  token_request.uid = number;
  token_request.account = uid;
  token_request.role = (AkRtcRole) role;
  token_request.privilege_expire = expire;
  return build (request, &token_request);
}

/* RTM login; with a stream channel, also RTC join and data stream in that channel for the
 * same user, as agora-token-service's RTM tokens do. */
char *
ak_token_server_build_rtm (Request    *request,
                           const char *user_id,
                           const char *channel,
                           guint32     expire)
{
  gboolean stream = channel != NULL && *channel != '\0';
  AkTokenRequest token_request;

  if (user_id == NULL || *user_id == '\0')
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("“uid” is missing: an RTM token is for one user ID."));
      return NULL;
    }

  token_request = base_request (request->self,
                                stream ? AK_TOKEN_KIND_RTM_STREAM : AK_TOKEN_KIND_RTM, expire);
  token_request.user_id = user_id;
  token_request.channel = channel;
  return build (request, &token_request);
}

char *
ak_token_server_build_chat (Request    *request,
                            const char *user_id,
                            guint32     expire)
{
  gboolean app = user_id == NULL || *user_id == '\0';
  AkTokenRequest token_request;

  token_request = base_request (request->self,
                                app ? AK_TOKEN_KIND_CHAT_APP : AK_TOKEN_KIND_CHAT_USER, expire);
  token_request.user_id = user_id;
  return build (request, &token_request);
}

void
ak_token_server_note (Request    *request,
                      const char *token_type,
                      const char *channel,
                      const char *uid)
{
  ak_token_server_set_str (&request->entry.token_type, token_type);
  if (channel != NULL && *channel != '\0')
    ak_token_server_set_str (&request->entry.channel, channel);
  if (uid != NULL && *uid != '\0')
    ak_token_server_set_str (&request->entry.uid, uid);
}

void
ak_token_server_wipe_token (char *token)
{
  if (token != NULL)
    ak_secret_string_free (token);
}
