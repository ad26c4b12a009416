/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-enum-nick.h"

const char *
ak_enum_to_nick (GType enum_type,
                 int   value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  klass = g_type_class_ref (enum_type);
  found = g_enum_get_value (klass, value);
  /* The values are static data of the registered type, not of this class reference. */
  return found != NULL ? found->value_nick : NULL;
}

gboolean
ak_enum_from_nick (GType       enum_type,
                   const char *nick,
                   int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);
  g_return_val_if_fail (nick != NULL, FALSE);

  klass = g_type_class_ref (enum_type);
  for (guint i = 0; i < klass->n_values; i++)
    if (g_ascii_strcasecmp (nick, klass->values[i].value_nick) == 0)
      {
        if (value != NULL)
          *value = klass->values[i].value;
        return TRUE;
      }
  return FALSE;
}
