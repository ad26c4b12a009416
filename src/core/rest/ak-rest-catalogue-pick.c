/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ak-rest-catalogue-private.h"

/* ---------------------------------------------------------------------------------------------
 * Picking an endpoint: search, and whether an edited request is still the endpoint
 */

/**
 * ak_endpoint_matches_search:
 * @endpoint: a catalogue entry
 * @search: (nullable): what the user typed
 *
 * Words match the start of words, so "chan list" finds "List channels" and "rec" finds Cloud
 * Recording; translated and English words both count, so documentation terms work in any
 * language.
 *
 * Returns: whether @endpoint is one of the results for @search
 */
gboolean
ak_endpoint_matches_search (const AkEndpoint *endpoint,
                            const char       *search)
{
  g_autofree char *haystack = NULL;

  g_return_val_if_fail (endpoint != NULL, FALSE);

  if (search == NULL)
    return TRUE;
  while (g_ascii_isspace (*search))
    search++;
  if (*search == '\0')
    return TRUE;

  haystack = g_strjoin (" ", _(endpoint->product), endpoint->product, _(endpoint->name),
                        endpoint->name, endpoint->method, endpoint->path, endpoint->id, NULL);
  return g_str_match_string (search, haystack, TRUE);
}

/* The path part of a path or URL: what comes before "?" or "#", without scheme and host. */
static char *
path_part (const char *path)
{
  const char *start = path;
  const char *scheme_end = strstr (path, "://");
  gsize length;

  if (scheme_end != NULL && strcspn (path, "/?#") > (gsize) (scheme_end - path))
    {
      start = strchr (scheme_end + 3, '/');
      if (start == NULL)
        return g_strdup ("/");
    }
  length = strcspn (start, "?#");
  return g_strndup (start, length);
}

/* A glob match where a placeholder in @template stands for one or more characters other than
 * "/". Backtracks only over placeholders, which are few. */
static gboolean
template_matches (const char *template,
                  const char *path)
{
  while (*template != '\0')
    {
      gsize n = ak_rest_placeholder_at (template);

      if (n > 0)
        {
          const char *rest = template + n + 2;

          /* At least one character, then try each split up to the next "/". */
          for (const char *end = path + 1; end[-1] != '\0' && end[-1] != '/'; end++)
            if (template_matches (rest, end))
              return TRUE;
          return FALSE;
        }
      if (*template != *path)
        return FALSE;
      template++;
      path++;
    }
  return *path == '\0';
}

/**
 * ak_endpoint_matches_request:
 * @endpoint: a catalogue entry
 * @method: the method of the request
 * @path: its path, as typed, or a full URL
 *
 * Filling in a placeholder or changing the query keeps the endpoint; changing the method or
 * the rest of the path makes the request a custom one.
 *
 * Returns: whether the request is still a call of @endpoint
 */
gboolean
ak_endpoint_matches_request (const AkEndpoint *endpoint,
                             const char       *method,
                             const char       *path)
{
  g_autofree char *template = NULL;
  g_autofree char *typed = NULL;

  g_return_val_if_fail (endpoint != NULL, FALSE);

  if (method == NULL || path == NULL || g_ascii_strcasecmp (method, endpoint->method) != 0)
    return FALSE;
  template = path_part (endpoint->path);
  typed = path_part (path);
  g_strstrip (typed);
  return template_matches (template, typed);
}

/**
 * ak_endpoint_describe_auth_mismatch:
 * @endpoint: a catalogue entry
 * @scheme: the scheme chosen
 *
 * Returns: (transfer full) (nullable): %NULL when @endpoint takes @scheme; otherwise a
 *   sentence saying which schemes it takes
 */
char *
ak_endpoint_describe_auth_mismatch (const AkEndpoint *endpoint,
                                    AkAuthScheme      scheme)
{
  g_autoptr(GString) accepted = NULL;

  g_return_val_if_fail (endpoint != NULL, NULL);

  if (ak_endpoint_accepts_auth (endpoint, scheme))
    return NULL;
  accepted = g_string_new (ak_auth_scheme_get_label (endpoint->auth));
  for (AkAuthScheme other = AK_AUTH_NONE; other <= AK_AUTH_CHAT_EXCHANGE; other++)
    if (other != endpoint->auth && ak_endpoint_accepts_auth (endpoint, other))
      {
        /* TRANSLATORS: joins two authentication schemes: "Basic (…) or Agora token (…)" */
        g_string_append_printf (accepted, _(" or %s"), ak_auth_scheme_get_label (other));
      }
  /* TRANSLATORS: the first %s is one or more authentication schemes, the second the one
   * chosen */
  return g_strdup_printf (_("This endpoint takes %s, not %s: the server will likely refuse "
                            "the request."),
                          accepted->str, ak_auth_scheme_get_label (scheme));
}
