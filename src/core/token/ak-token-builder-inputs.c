/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-error.h"
#include "ak-token-builder-private.h"

/* ---------------------------------------------------------------------------------------------
 * Reading inputs
 */

gboolean
ak_build_lookup (BuildContext *ctx,
                 const char   *key,
                 gboolean      required,
                 JsonNode    **node,
                 GError      **error)
{
  *node = json_object_get_member (ctx->inputs, key);
  if (*node != NULL && !JSON_NODE_HOLDS_NULL (*node))
    return TRUE;

  *node = NULL;
  if (required)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The %s builder needs the input “%s”."),
                   ak_builder_to_name (ctx->builder), key);
      return FALSE;
    }
  return TRUE;
}

gboolean
ak_build_get_string (BuildContext *ctx,
                     const char   *key,
                     gboolean      required,
                     const char  **value,
                     GError      **error)
{
  JsonNode *node;

  if (!ak_build_lookup (ctx, key, required, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *value = "";
      return TRUE;
    }
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “%s” must be a string."), key);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

/* Whether @d is a whole number within gint64: casting anything else is undefined. */
static gboolean
double_is_gint64 (double d)
{
  return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double) (gint64) d;
}

gboolean
ak_build_get_integer (BuildContext *ctx,
                      const char   *key,
                      gboolean      required,
                      gint64        min,
                      gint64        max,
                      gint64        fallback,
                      gint64       *value,
                      GError      **error)
{
  JsonNode *node;
  GType type;
  gint64 v;

  if (!ak_build_lookup (ctx, key, required, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *value = fallback;
      return TRUE;
    }

  type = JSON_NODE_TYPE (node) == JSON_NODE_VALUE ? json_node_get_value_type (node) : G_TYPE_NONE;
  if (type == G_TYPE_INT64)
    {
      v = json_node_get_int (node);
    }
  else if (type == G_TYPE_DOUBLE && double_is_gint64 (json_node_get_double (node)))
    {
      v = (gint64) json_node_get_double (node);
    }
  else
    {
      if (type == G_TYPE_STRING && g_str_equal (key, "uid"))
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The input “uid” must be a whole number, not a string. For a string "
                       "user account, use the account builder (same digits give a different "
                       "token)."));
      else
        g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                     _("The input “%s” must be a whole number."), key);
      return FALSE;
    }

  if (v < min || v > max)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_INVALID_INPUT,
                   _("The input “%s” must be between %lld and %lld; %lld is out of range."),
                   key, (long long) min, (long long) max, (long long) v);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

gboolean
ak_build_get_u32 (BuildContext *ctx,
                  const char   *key,
                  gboolean      required,
                  guint32      *value,
                  GError      **error)
{
  gint64 v;

  if (!ak_build_get_integer (ctx, key, required, 0, G_MAXUINT32, 0, &v, error))
    return FALSE;
  *value = (guint32) v;
  return TRUE;
}
