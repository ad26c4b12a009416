/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the parser does with RTM2 permissions written byte by byte (ak-test-token-bytes.h):
 * blocks in every order, counts that lie, the largest sizes. Nothing may crash, and what is
 * decoded is what was written. The other malformed tokens are test-malformed's.
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <zlib.h>

#include "ak-core.h"
#include "ak-test-util.h"
#include "ak-test-token-bytes.h"

/* A permissions block in a short notation: blocks separated by ';', each "RESOURCE_TYPE:"
 * then entries separated by ' ', each "PERMISSION_TYPE=" then resources separated by ','.
 * "2:0=g;1:1=s" is a groupChannels block with read [g], then streamChannels with write [s]. */
static void
put_permission_list (GByteArray *info,
                     const char *text,
                     guint       level)
{
  /* Level 0: blocks, 1: entries, 2: resources; the first two start with their type. */
  static const char * const separators[] = { ";", " ", "," };
  static const char type_ends[] = { ':', '=' };
  g_auto(GStrv) parts = *text != '\0' ? g_strsplit (text, separators[level], -1)
                                       : g_new0 (char *, 1);

  put_u16 (info, (guint16) g_strv_length (parts));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *type_end;

      if (level == 2)
        {
          put_string (info, parts[i]);
          continue;
        }
      type_end = strchr (parts[i], type_ends[level]);
      g_assert_nonnull (type_end);
      put_u16 (info, (guint16) g_ascii_strtoull (parts[i], NULL, 10));
      put_permission_list (info, type_end + 1, level + 1);
    }
}

static void
put_permissions (GByteArray *info,
                 const char *description)
{
  put_permission_list (info, description, 0);
}

/* The signing_info of a token with one RTM2 service, up to and including its user_id. */
static GByteArray *
rtm2_signing_info_start (void)
{
  GByteArray *info = signing_info_header (1111111, 600, 1, 1);

  put_u16 (info, AK_SERVICE_RTM2);
  put_u16 (info, 1);
  put_u16 (info, AK_PRIV_RTM2_LOGIN);
  put_u32 (info, 600);
  put_string (info, "test_user");
  return info;
}

static char *
rtm2_token (const char *description)
{
  g_autoptr(GByteArray) info = rtm2_signing_info_start ();

  put_permissions (info, description);
  return token_from_info (info);
}

/* The decoder's "permission_blocks", written back in the notation of put_permissions(). */
static char *
describe_permission_blocks (JsonNode *json)
{
  JsonObject *service = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json), "services"), 0);
  JsonArray *blocks = NULL;
  GString *text = g_string_new (NULL);

  /* In the official builders' order the "permissions" object alone says it all. */
  if (!json_object_has_member (service, "permission_blocks"))
    {
      JsonObject *by_resource = json_object_get_object_member (service, "permissions");
      JsonObjectIter outer;
      const char *resource;
      JsonNode *node;
      guint b = 0;

      json_object_iter_init_ordered (&outer, by_resource);
      while (json_object_iter_next_ordered (&outer, &resource, &node))
        {
          JsonObjectIter inner;
          const char *permission;
          JsonNode *list;
          guint e = 0;

          g_string_append_printf (text, "%s%s:", b++ > 0 ? ";" : "", resource);
          json_object_iter_init_ordered (&inner, json_node_get_object (node));
          while (json_object_iter_next_ordered (&inner, &permission, &list))
            {
              JsonArray *resources = json_node_get_array (list);

              g_string_append_printf (text, "%s%s=", e++ > 0 ? " " : "", permission);
              for (guint r = 0; r < json_array_get_length (resources); r++)
                g_string_append_printf (text, "%s%s", r > 0 ? "," : "",
                                        json_array_get_string_element (resources, r));
            }
        }
      return g_string_free (text, FALSE);
    }

  blocks = json_object_get_array_member (service, "permission_blocks");

  for (guint b = 0; b < json_array_get_length (blocks); b++)
    {
      JsonObject *block = json_array_get_object_element (blocks, b);
      JsonArray *entries = json_object_get_array_member (block, "permissions");

      g_string_append_printf (text, "%s%" G_GINT64_FORMAT ":", b > 0 ? ";" : "",
                              json_object_get_int_member (block, "resource_type"));
      for (guint e = 0; e < json_array_get_length (entries); e++)
        {
          JsonObject *entry = json_array_get_object_element (entries, e);
          JsonArray *resources = json_object_get_array_member (entry, "resources");

          g_string_append_printf (text, "%s%" G_GINT64_FORMAT "=", e > 0 ? " " : "",
                                  json_object_get_int_member (entry, "permission_type"));
          for (guint r = 0; r < json_array_get_length (resources); r++)
            g_string_append_printf (text, "%s%s", r > 0 ? "," : "",
                                    json_array_get_string_element (resources, r));
        }
    }
  return g_string_free (text, FALSE);
}

/* The service's flat entries in the notation "RESOURCE/PERMISSION=resources", space separated:
 * what the CLI and the window list, in order. */
static char *
describe_entries (const AkService *service)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; service->permissions != NULL && i < service->permissions->len; i++)
    {
      const AkRtmPermission *p = &g_array_index (service->permissions, AkRtmPermission, i);

      g_string_append_printf (text, "%s%u/%u=", i > 0 ? " " : "", p->resource_type,
                              p->permission_type);
      for (guint r = 0; r < p->resources->len; r++)
        g_string_append_printf (text, "%s%s", r > 0 ? "," : "",
                                (const char *) g_ptr_array_index (p->resources, r));
    }
  return g_string_free (text, FALSE);
}

typedef struct
{
  const char *name;
  /* As written on the wire, in the notation of put_permissions() ... */
  const char *wire;
  /* ... and the entries the decoder must list, in the notation of describe_entries(). */
  const char *entries;
  /* Whether this is the official builders' order, which the JSON shows without
   * "permission_blocks". */
  gboolean as_built;
} PermissionOrder;

static const PermissionOrder permission_orders[] = {
  { "canonical", "0:0=message-a,message-b;1:1=stream-a;4:0=user-a",
    "0/0=message-a,message-b 1/1=stream-a 4/0=user-a", TRUE },
  { "canonical-read-and-write", "0:0=r 1=w;2:0= 1=g", "0/0=r 0/1=w 2/0= 2/1=g", TRUE },
  { "resource-type-2-before-1", "2:0=group-a;1:1=stream-a", "2/0=group-a 1/1=stream-a" },
  { "write-before-read", "0:1=write-a 0=read-a,read-b", "0/1=write-a 0/0=read-a,read-b" },
  { "descending-everything", "4:1=e 0=d;3:1=c;2:0=b;1:1=a;0:1=z 0=y",
    "4/1=e 4/0=d 3/1=c 2/0=b 1/1=a 0/1=z 0/0=y" },
  { "resource-type-repeated", "1:0=a;0:0=b;1:1=c;1:0=d", "1/0=a 0/0=b 1/1=c 1/0=d" },
  { "permission-repeated", "3:0=a 0=b,c 0=d", "3/0=a 3/0=b,c 3/0=d" },
  /* The old decoder emptied the last entry in sort order instead of this one. */
  { "empty-entry-first", "4:1= 0=user-a", "4/1= 4/0=user-a" },
  { "empty-entry-between", "0:0=a 1= 0=b;0:1=c", "0/0=a 0/1= 0/0=b 0/1=c" },
  { "empty-block", "2:;0:0=m;2:", "0/0=m" },
  { "unknown-types", "9:7=x;0:65535=y", "9/7=x 0/65535=y" },
  { "no-blocks", "", "", TRUE },
};

/* Decoded exactly as written, listed in wire order, and written back to the same bytes. */
static void
test_permission_order (gconstpointer data)
{
  const PermissionOrder *c = data;
  g_autofree char *text = rtm2_token (c->wire);
  g_autoptr(AkToken) token = ak_test_parse_token (text);
  g_autoptr(GBytes) content = g_bytes_ref (ak_token_get_content (token));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *entries = NULL;
  g_autofree char *blocks = NULL;
  g_autofree char *encoded = NULL;
  AkVerification verification = { 0 };

  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, &verification, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ak_token_get_n_services (token), ==, 1);

  entries = describe_entries (ak_token_get_service (token, 0));
  g_assert_cmpstr (entries, ==, c->entries);

  json = ak_token_to_json (token, &verification);
  blocks = describe_permission_blocks (json);
  g_assert_cmpstr (blocks, ==, c->wire);
  g_assert_cmpint (json_object_has_member (
                     json_array_get_object_element (
                       json_object_get_array_member (json_node_get_object (json), "services"), 0),
                     "permission_blocks"), ==, !c->as_built);

  encoded = ak_token_encode (token, CERT, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (ak_token_get_content (token), content));
  g_assert_cmpstr (encoded, ==, text);
}

/* The vectors' "permissions" object keeps its shape; repeats merge there in wire order. */
static void
test_permission_merged_view (void)
{
  static const struct
  {
    const char *wire;
    const char *merged;
  } cases[] = {
    { "2:0=group-a;1:1=stream-a", "{\"2\":{\"0\":[\"group-a\"]},\"1\":{\"1\":[\"stream-a\"]}}" },
    { "3:0=a 1=b 0=c;3:0=d", "{\"3\":{\"0\":[\"a\",\"c\",\"d\"],\"1\":[\"b\"]}}" },
    { "4:1= 0=user-a", "{\"4\":{\"1\":[],\"0\":[\"user-a\"]}}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = rtm2_token (cases[i].wire);
      g_autoptr(AkToken) token = ak_test_parse_token (text);
      g_autoptr(JsonNode) json = ak_token_to_json (token, NULL);
      JsonObject *service = json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (json), "services"), 0);
      g_autofree char *merged = json_to_string (json_object_get_member (service, "permissions"),
                                                FALSE);

      g_assert_cmpstr (merged, ==, cases[i].merged);
    }
}

/* Names are shown and put in JSON: bytes that are not UTF-8, or a NUL, become U+FFFD in the
 * decoded name, while the signature still covers the bytes as sent. */
static void
test_permission_resource_not_utf8 (void)
{
  static const guint8 name[] = { 'a', 0xff, 'b', 0x00, 'c' };
  g_autoptr(GByteArray) info = rtm2_signing_info_start ();
  g_autofree char *text = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  const AkRtmPermission *permission;

  put_u16 (info, 1);
  put_u16 (info, 0);
  put_u16 (info, 1);
  put_u16 (info, 0);
  put_u16 (info, 2);
  put_bytes_string (info, name, sizeof name);
  put_string (info, "plain");
  text = token_from_info (info);

  token = ak_test_parse_token (text);
  permission = &g_array_index (ak_token_get_service (token, 0)->permissions, AkRtmPermission, 0);
  g_assert_cmpuint (permission->resources->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (permission->resources, 0), ==, "a\xef\xbf\xbd" "b"
                                                                     "\xef\xbf\xbd" "c");
  g_assert_cmpstr (g_ptr_array_index (permission->resources, 1), ==, "plain");
  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A parsed service changed through the API: the wire layout gives way to the builders'
 * grouping, and the parsed names live on next to the new ones. */
static void
test_permission_parsed_then_changed (void)
{
  g_autofree char *text = rtm2_token ("2:0=group-a;1:1=stream-a");
  g_autoptr(AkToken) token = ak_test_parse_token (text);
  AkService *service = (AkService *) ak_token_get_service (token, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded = NULL;
  g_autoptr(AkToken) reparsed = NULL;
  g_autofree char *entries = NULL;
  AkRtmPermission *appended;

  ak_service_add_permission (service, 0, 0, "message-a");
  g_assert_null (service->permission_blocks);
  entries = describe_entries (service);
  g_assert_cmpstr (entries, ==, "0/0=message-a 2/0=group-a 1/1=stream-a");

  ak_service_append_permission_block (service, 3);
  appended = ak_service_append_permission (service, 1, 1);
  g_ptr_array_add (appended->resources, g_strdup ("server-group"));

  encoded = ak_token_encode (token, CERT, &error);
  g_assert_no_error (error);
  reparsed = ak_test_parse_token (encoded);
  g_clear_pointer (&entries, g_free);
  entries = describe_entries (ak_token_get_service (reparsed, 0));
  g_assert_cmpstr (entries, ==, "0/0=message-a 2/0=group-a 1/1=stream-a 3/1=server-group");
}

typedef struct
{
  const char *name;
  /* The permissions block in hex (spaces ignored), right after the user_id. */
  const char *hex;
  AkError code;
  const char *needle;
} HostilePermissions;

static const HostilePermissions hostile_permissions[] = {
  /* Counts that promise more than the bytes left. */
  { "block-count-past-end", "ffff 0000 0000", AK_ERROR_TRUNCATED,
    "“permission resource type” of service 1 (rtm2)" },
  { "permission-count-past-end", "0100 0000 ffff 0000 0000", AK_ERROR_TRUNCATED,
    "“permission type”" },
  { "resource-count-past-end", "0100 0000 0100 0000 ffff 0100 61 0100 62 0100 63",
    AK_ERROR_TRUNCATED, "“permission resource”" },
  /* A resource whose length runs past the end. */
  { "resource-length-past-end", "0100 0000 0100 0000 0100 e803 61616161616161616161",
    AK_ERROR_TRUNCATED, "needs 1000 bytes" },
  { "resource-length-one-past-end", "0100 0000 0100 0000 0100 0300 6161", AK_ERROR_TRUNCATED,
    "needs 3 bytes" },
  { "cut-inside-entry-header", "0100 0000 0100 0000", AK_ERROR_TRUNCATED,
    "“permission resource count”" },
  { "no-block-count", "", AK_ERROR_TRUNCATED, "“permission resource type count”" },
  { "bytes-after-permissions", "0000 00", AK_ERROR_TRAILING_BYTES, "1 bytes are left over" },
};

static void
test_permission_hostile (gconstpointer data)
{
  const HostilePermissions *c = data;
  g_autoptr(GByteArray) info = rtm2_signing_info_start ();
  g_autofree char *text = NULL;

  for (const char *p = c->hex; *p != '\0'; p++)
    if (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]))
      {
        guint8 byte = (guint8) (g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]));

        g_byte_array_append (info, &byte, 1);
        p++;
      }
  text = token_from_info (info);
  assert_parse_fails (text, c->code, c->needle);
}

/* The most a u16 count can say is accepted: 65,535 resources in one entry, 65,535 entries in
 * one block, and both come back to the same bytes. */
static void
test_permission_u16_maximum (void)
{
  for (guint shape = 0; shape < 2; shape++)
    {
      g_autoptr(GByteArray) info = rtm2_signing_info_start ();
      g_autofree char *text = NULL;
      g_autofree char *encoded = NULL;
      g_autoptr(AkToken) token = NULL;
      g_autoptr(GError) error = NULL;
      const AkService *service;

      /* One block; then one entry of 65,535 resources, or 65,535 entries of none, their
       * permission types descending. */
      put_u16 (info, 1);
      put_u16 (info, shape == 0 ? 0 : 1);
      put_u16 (info, shape == 0 ? 1 : G_MAXUINT16);
      if (shape == 0)
        {
          put_u16 (info, 0);
          put_u16 (info, G_MAXUINT16);
        }
      for (guint i = 0; i < G_MAXUINT16; i++)
        if (shape == 0)
          {
            char name[8];

            g_snprintf (name, sizeof name, "r%u", i);
            put_string (info, name);
          }
        else
          {
            put_u16 (info, (guint16) (G_MAXUINT16 - 1 - i));
            put_u16 (info, 0);
          }
      text = token_from_info (info);

      token = ak_test_parse_token (text);
      service = ak_token_get_service (token, 0);
      if (shape == 0)
        {
          const AkRtmPermission *p = &g_array_index (service->permissions, AkRtmPermission, 0);

          g_assert_cmpuint (service->permissions->len, ==, 1);
          g_assert_cmpuint (p->resources->len, ==, G_MAXUINT16);
          g_assert_cmpstr (g_ptr_array_index (p->resources, 0), ==, "r0");
          g_assert_cmpstr (g_ptr_array_index (p->resources, G_MAXUINT16 - 1), ==, "r65534");
        }
      else
        {
          g_assert_cmpuint (service->permissions->len, ==, G_MAXUINT16);
          g_assert_cmpuint (g_array_index (service->permissions, AkRtmPermission, 0)
                              .permission_type, ==, G_MAXUINT16 - 1);
          g_assert_cmpuint (g_array_index (service->permissions, AkRtmPermission,
                                           G_MAXUINT16 - 1).permission_type, ==, 0);
        }
      g_assert_true (ak_token_verify (token, CERT, NULL, NULL, NULL, &error));
      g_assert_no_error (error);

      encoded = ak_token_encode (token, CERT, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (encoded, ==, text);
    }
}

/* The largest token the decoder takes (a payload just under AK_MAX_PAYLOAD_LENGTH), full of
 * small permissions in reverse order with types repeated: it decodes, whole. How fast is
 * the benchmark's business (agora-keys-cli bench). */
static void
test_permission_largest_token (void)
{
  g_autoptr(GByteArray) info = rtm2_signing_info_start ();
  g_autoptr(GByteArray) content = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  const AkService *service;
  const gsize limit = AK_MAX_PAYLOAD_LENGTH - 2 - 32;
  guint n_blocks = 0;
  guint n_entries = 0;
  guint n_resources = 0;
  guint block_count_at = info->len;
  gboolean full = FALSE;

  put_u16 (info, 0);
  while (!full)
    {
      guint entry_count_at;
      guint entries_in_block = 0;

      if (info->len + 4 + 4 + 10 > limit)
        break;
      put_u16 (info, (guint16) (4 - n_blocks % 5));
      entry_count_at = info->len;
      put_u16 (info, 0);
      for (guint e = 0; e < 1000; e++)
        {
          guint k = 1 + e % 3;

          if (info->len + 4 + k * 10 > limit)
            {
              full = TRUE;
              break;
            }
          put_u16 (info, (guint16) (G_MAXUINT16 - e));
          put_u16 (info, (guint16) k);
          for (guint r = 0; r < k; r++)
            {
              char name[9];

              g_snprintf (name, sizeof name, "r%07u", n_resources++ % 10000000);
              put_string (info, name);
            }
          entries_in_block++;
        }
      info->data[entry_count_at] = entries_in_block & 0xff;
      info->data[entry_count_at + 1] = entries_in_block >> 8;
      n_entries += entries_in_block;
      n_blocks++;
    }
  info->data[block_count_at] = n_blocks & 0xff;
  info->data[block_count_at + 1] = n_blocks >> 8;

  content = signed_content (info);
  g_assert_cmpuint (content->len, <=, AK_MAX_PAYLOAD_LENGTH);
  g_assert_cmpuint (content->len, >, AK_MAX_PAYLOAD_LENGTH - 64);
  text = token_from_content (content->data, content->len, Z_DEFAULT_COMPRESSION);

  token = ak_test_parse_token (text);
  service = ak_token_get_service (token, 0);
  g_assert_cmpuint (service->permissions->len, ==, n_entries);
  g_assert_nonnull (service->permission_blocks);
  g_assert_cmpuint (service->permission_blocks->len, ==, n_blocks);
  g_assert_cmpuint (g_array_index (service->permissions, AkRtmPermission, 0).resource_type, ==, 4);
  g_assert_cmpuint (g_array_index (service->permissions, AkRtmPermission, 0).permission_type, ==,
                    G_MAXUINT16);
  g_assert_cmpstr (g_ptr_array_index (g_array_index (service->permissions, AkRtmPermission,
                                                     n_entries - 1).resources, 0), !=, NULL);
  g_assert_true (ak_token_verify (token, CERT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  AK_TEST_ADD_CASES ("/ak/malformed/rtm2/order", permission_orders, test_permission_order);
  g_test_add_func ("/ak/malformed/rtm2/merged-view", test_permission_merged_view);
  g_test_add_func ("/ak/malformed/rtm2/resource-not-utf8", test_permission_resource_not_utf8);
  g_test_add_func ("/ak/malformed/rtm2/parsed-then-changed", test_permission_parsed_then_changed);
  AK_TEST_ADD_CASES ("/ak/malformed/rtm2/hostile", hostile_permissions, test_permission_hostile);
  g_test_add_func ("/ak/malformed/rtm2/u16-maximum", test_permission_u16_maximum);
  g_test_add_func ("/ak/malformed/rtm2/largest-token", test_permission_largest_token);

  return g_test_run ();
}
