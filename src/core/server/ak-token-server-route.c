/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-token-server-private.h"

/* The GET routes: /rtc/…, /rtm/…, /rte/…, /chat/… and /ping. */

/* The GET routes' "expiry" query parameter. */
static gboolean
query_expire (Request    *request,
              GHashTable *query,
              guint32    *expire)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, "expiry") : NULL;
  GHashTableIter iter;
  const char *name;
  gint64 value = 0;

  /* agora-token-service reads "expiry" only, and silently gives 3600 s for "expire" or
   * "Expiry": a client that works here would get other tokens there. */
  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
        if (g_ascii_strcasecmp (name, "expire") == 0
            || (g_ascii_strcasecmp (name, "expiry") == 0 && !g_str_equal (name, "expiry")))
          {
            ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                           _("The GET routes take the lifetime as "
                                             "“?expiry=SECONDS”, in lower case; "
                                             "agora-token-service ignores other spellings."));
            return FALSE;
          }
    }
  /* An empty "?expiry=" is no number: agora-token-service refuses it too. */
  if (text != NULL
      && !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("“expiry” must be a whole number of seconds from 0 to "
                                       "86400."));
      return FALSE;
    }
  return ak_token_server_check_expire (request, "expiry", value, expire);
}

/* The path's uid for @type; an empty one is uid 0 (any user), as in agora-token-service. */
static gboolean
parse_uid_type (Request     *request,
                const char  *type,
                const char **uid,
                gboolean    *force_account)
{
  if (g_strcmp0 (type, "userAccount") == 0)
    {
      /* agora-token-service signs the account "0" here, which names one user, not any. */
      if (**uid == '\0')
        {
          ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                         _("The user account is empty: give one, or use token type "
                                           "“uid” with uid 0 (or an empty uid) for any user."));
          return FALSE;
        }
      *force_account = TRUE;
      return TRUE;
    }
  if (g_strcmp0 (type, "uid") == 0)
    {
      UidKind kind;
      guint32 number;

      *force_account = FALSE;
      if (**uid == '\0')
        *uid = "0";
      if (!ak_token_server_classify_uid (request, *uid, &kind, &number))
        return FALSE;
      if (kind != UID_NUMBER)
        {
          ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                         _("With token type “uid” the uid must be a whole number "
                                           "from 0 to 4294967295; use “userAccount” for a string "
                                           "account."));
          return FALSE;
        }
      return TRUE;
    }
  ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                 _("The token type must be “uid” or “userAccount”."));
  return FALSE;
}

/* GET /rte/CHANNEL/ROLE/TYPE/UID[/RTMUID]/: an RTC and an RTM token at once. */
static void
handle_rte (Request     *request,
            char       **parts,
            guint        n_parts,
            GHashTable  *query)
{
  g_autoptr(AkTokenServerTokenText) token = NULL;
  g_autoptr(AkTokenServerTokenText) token_2 = NULL;
  guint32 expire;
  gboolean force_account = FALSE;
  const char *uid = parts[4];
  const char *rtm_uid;

  ak_token_server_note (request, "rte", parts[1], uid);
  if (!query_expire (request, query, &expire)
      || !parse_uid_type (request, parts[3], &uid, &force_account))
    return;
  /* As in agora-token-service: the RTC uid is also the RTM user ID unless the path gives
   * one (which may be "0"); uid 0, any user, is no RTM user. */
  rtm_uid = n_parts == 6 ? parts[5] : g_str_equal (uid, "0") ? "" : uid;
  if (*rtm_uid == '\0')
    {
      ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                     _("The RTM user ID is missing: when the RTC uid is 0 or "
                                       "empty, add the RTM user ID to the path, "
                                       "/rte/CHANNEL/ROLE/TYPE/UID/RTMUID/."));
      return;
    }
  token = ak_token_server_build_rtc (request, parts[1], parts[2], uid, force_account, expire);
  if (token != NULL)
    token_2 = ak_token_server_build_rtm (request, rtm_uid, parts[1], expire);
  if (token_2 != NULL)
    ak_token_server_respond_json (request, "rtcToken", token, "rtmToken", token_2, NULL);
  return;
}

/* GET /chat/app/, /chat/app/token and /chat/account/USER/; FALSE for no such chat route. */
static gboolean
handle_chat (Request     *request,
             char       **parts,
             guint        n_parts,
             GHashTable  *query)
{
  g_autoptr(AkTokenServerTokenText) token = NULL;
  guint32 expire;

  if (n_parts == 2 && g_str_equal (parts[1], "app"))
    {
      ak_token_server_note (request, "chat", NULL, NULL);
      if (query_expire (request, query, &expire))
        token = ak_token_server_build_chat (request, NULL, expire);
      if (token != NULL)
        ak_token_server_respond_json (request, "chatToken", token, NULL);
      return TRUE;
    }
  if (n_parts == 3 && g_str_equal (parts[1], "app") && g_str_equal (parts[2], "token"))
    {
      ak_token_server_note (request, "chat", NULL, NULL);
      if (query_expire (request, query, &expire))
        token = ak_token_server_build_chat (request, NULL, expire);
      if (token != NULL)
        ak_token_server_respond_text (request, token);
      return TRUE;
    }
  if (n_parts == 3 && g_str_equal (parts[1], "account"))
    {
      ak_token_server_note (request, "chat", NULL, parts[2]);
      /* ak_token_server_build_chat() would make an empty user ID an app token, with every
       * privilege. */
      if (*parts[2] == '\0')
        {
          ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                         _("The chat user ID is missing: use "
                                           "/chat/account/USER/."));
          return TRUE;
        }
      if (query_expire (request, query, &expire))
        token = ak_token_server_build_chat (request, parts[2], expire);
      if (token != NULL)
        ak_token_server_respond_json (request, "chatToken", token, NULL);
      return TRUE;
    }
  /* No such route in agora-token-service either: 404, but saying what is missing. */
  if (n_parts == 2 && g_str_equal (parts[1], "account"))
    {
      ak_token_server_respond_error (request, SOUP_STATUS_NOT_FOUND,
                                     _("The chat user ID is missing: use "
                                       "/chat/account/USER/."));
      return TRUE;
    }
  return FALSE;
}

void
ak_token_server_handle_get_route (Request     *request,
                                  char       **parts,
                                  guint        n_parts,
                                  GHashTable  *query)
{
  g_autoptr(AkTokenServerTokenText) token = NULL;
  guint32 expire;
  gboolean force_account = FALSE;

  if (n_parts == 1 && g_str_equal (parts[0], "ping"))
    {
      ak_token_server_respond_json (request, "message", "pong", NULL);
      return;
    }

  if (n_parts == 5 && g_str_equal (parts[0], "rtc"))
    {
      const char *uid = parts[4];

      ak_token_server_note (request, "rtc", parts[1], uid);
      if (query_expire (request, query, &expire)
          && parse_uid_type (request, parts[3], &uid, &force_account))
        token = ak_token_server_build_rtc (request, parts[1], parts[2], uid, force_account, expire);
      if (token != NULL)
        ak_token_server_respond_json (request, "rtcToken", token, NULL);
      return;
    }

  if (n_parts == 2 && g_str_equal (parts[0], "rtm"))
    {
      ak_token_server_note (request, "rtm", NULL, parts[1]);
      if (*parts[1] == '\0' || g_str_equal (parts[1], "0"))
        {
          ak_token_server_respond_error (request, SOUP_STATUS_BAD_REQUEST,
                                         _("The RTM user ID must not be empty or “0”."));
          return;
        }
      if (query_expire (request, query, &expire))
        token = ak_token_server_build_rtm (request, parts[1], NULL, expire);
      if (token != NULL)
        ak_token_server_respond_json (request, "rtmToken", token, NULL);
      return;
    }

  if ((n_parts == 5 || n_parts == 6) && g_str_equal (parts[0], "rte"))
    {
      handle_rte (request, parts, n_parts, query);
      return;
    }

  if (n_parts >= 2 && g_str_equal (parts[0], "chat")
      && handle_chat (request, parts, n_parts, query))
    return;

  ak_token_server_respond_error (request, SOUP_STATUS_NOT_FOUND,
                                 _("No such route. Use POST /getToken, or GET /rtc/…, /rtm/…, "
                                   "/rte/…, /chat/app/, /chat/account/…, /chat/app/token or "
                                   "/ping."));
}
