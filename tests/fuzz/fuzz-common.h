/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* libFuzzer's entry points, defined by each harness (the first) and fuzz-common.c. */
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize   (int *argc, char ***argv);

/* Aborts with @message when @expr is false, whatever G_DISABLE_ASSERT says: a broken
 * promise of the parser is a finding, like a crash. */
#define AK_FUZZ_CHECK(expr) \
  G_STMT_START \
  { \
    if (G_UNLIKELY (!(expr))) \
      ak_fuzz_fail (G_STRLOC, #expr); \
  } \
  G_STMT_END

G_NORETURN void  ak_fuzz_fail          (const char *location, const char *expression);
/* A NUL-terminated copy of the input. */
char            *ak_fuzz_dup_text      (const uint8_t *data, size_t size);
/* An exact-size copy (NULL when @size is 0), so that ASan sees a read past the end. */
char            *ak_fuzz_dup_bytes     (const uint8_t *data, size_t size);
/* Whether @text is valid UTF-8 with no line break or other control character. */
gboolean         ak_fuzz_is_one_line   (const char *text);

G_END_DECLS
