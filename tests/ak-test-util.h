/* ak-test-util.h: the fixtures every test program shares
 *
 * Copyright 2026 The Agora Keys authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compiled once into a static library that every test links (tests/meson.build), so that
 * no test file carries its own copy of these. GTK-free: the core tests link it too.
 *
 * - Running agora-keys-cli as a user would: ak_test_cli_launcher_new() and the
 *   ak_test_launcher_*() helpers prepare the child's environment, ak_test_run_cliv() runs
 *   it (AK_TEST_ARGS() for a test's own run_cli() macro).
 * - A throwaway $HOME with libsecret's file backend: ak_test_home_new(), ak_test_remove_tree();
 *   for the test process itself, ak_test_setenv_isolated().
 * - Waiting on the main loop: ak_test_wait_until() for a condition, ak_test_wait_for_flag(),
 *   ak_test_wait_result() for an async call's GAsyncResult. They fail the test after a bound
 *   scaled by AK_TEST_TIME_SCALE (tests/ak-test-stall.h, included here); the bound only
 *   stops a hung test, it is not a performance figure.
 * - A fake Agora: an AkTestServer, a SoupServer on 127.0.0.1 in a thread of its own, that
 *   records each request; ak_test_reply_json(), ak_test_reply_stream() for its handlers, and
 *   ak_test_session_new() for a client.
 * - The test data: ak_test_load_json(), ak_test_official_vectors(), ak_test_find_vector(),
 *   ak_test_parse_token(); a store that holds a project: ak_test_store_add_project(),
 *   ak_test_store_new_with_project().
 * - Assertions: ak_test_assert_contains(), ak_test_json_difference(),
 *   ak_test_assert_json_equal().
 *
 * The UI tests also link ak-test-ui.{c,h}, which needs GTK.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ak-core.h"
#include "ak-test-stall.h"

G_BEGIN_DECLS

/* ---------------------------------------------------------------------------------------------
 * Running the command line
 */

typedef struct
{
  int status;
  /* Never NULL after a run: "" when the child wrote nothing. */
  char *out;
  char *err;
} AkTestCliResult;

void ak_test_cli_result_clear (AkTestCliResult *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AkTestCliResult, ak_test_cli_result_clear)

/* $AK_CLI, the built agora-keys-cli (meson test sets it), or NULL. */
const char *ak_test_cli_path (void);

/* TRUE when $AK_CLI is set; else marks the test skipped and returns FALSE. */
gboolean ak_test_require_cli (void);

/* A launcher for agora-keys-cli: stdout and stderr piped, LC_ALL=C.UTF-8, and no
 * AGORA_APP_CERTIFICATE from the test's own environment. Only the child's environment is
 * changed: the test process never calls setenv() with threads about. */
GSubprocessLauncher *ak_test_cli_launcher_new (void);

typedef enum
{
  /* libsecret's file backend, at the test keyring in the home (see ak_test_home_new()) */
  AK_TEST_KEYRING_FILE,
  /* no Secret Service at all: a session bus address where nothing listens, and no display
   * to autolaunch one */
  AK_TEST_KEYRING_NONE,
} AkTestKeyring;

/* HOME=@home, the XDG config, data, cache and state directories inside it, and @keyring. */
void ak_test_launcher_set_home (GSubprocessLauncher *launcher,
                                const char          *home,
                                AkTestKeyring        keyring);

/* No proxy from the machine's environment: loopback only. */
void ak_test_launcher_set_no_proxy (GSubprocessLauncher *launcher);

/* Runs $AK_CLI with @args (without argv[0]) and @input (NULL: empty) on stdin, waits for it
 * and fills @result. Fails the test if the child cannot start or does not exit by itself.
 * Logs the command line and the exit status, never the output: some of it holds secrets. */
void ak_test_run_cliv (GSubprocessLauncher *launcher,
                       AkTestCliResult     *result,
                       const char          *input,
                       const char * const  *args);

/* Its arguments as a NULL-terminated array that lives as long as the enclosing block: for a
 * test's own run_cli() macro over a function taking the array. A NULL already at the end of
 * the list is harmless. */
#define AK_TEST_ARGS(...) ((const char * const []) { __VA_ARGS__, NULL })

/* ---------------------------------------------------------------------------------------------
 * A throwaway $HOME
 */

/* A new empty directory under the temporary directory, and in @keyring_path (if not NULL) the
 * path a file-backend keyring gets inside it (.local/share/keyrings/test.keyring). */
char *ak_test_home_new (char **keyring_path);

/* Removes @path and everything below it. */
void ak_test_remove_tree (const char *path);

/* For this test process, before g_test_init() and any thread: no proxy from the environment
 * or the settings (loopback only), and libsecret's file backend in a new directory, never the
 * session's keyring. Returns that directory, for ak_test_remove_tree() at the end. */
char *ak_test_setenv_isolated (void);

/* ---------------------------------------------------------------------------------------------
 * Waiting on the main loop
 */

typedef gboolean (*AkTestCondition) (gpointer data);

/* Iterates the default main context until @condition holds; fails the test, naming
 * @what, if it does not within 60 s (times AK_TEST_TIME_SCALE). */
void ak_test_wait_until (AkTestCondition  condition,
                         gpointer         data,
                         const char      *what);

/* The same for a flag that a callback sets. */
void ak_test_wait_for_flag (const gboolean *flag,
                            const char     *what);

/* One async call's result. Set check_async to also fail the test when the callback runs from
 * inside the _async call itself (GIO's rule is that it never does). */
typedef struct
{
  GAsyncResult *result;
  gboolean check_async;
  gboolean returned;
} AkTestWait;

/* A GAsyncReadyCallback with an AkTestWait as its user data: keeps the result. Fails the test
 * when called twice. */
void ak_test_wait_callback (GObject      *object,
                            GAsyncResult *result,
                            gpointer      wait);

/* Iterates the main loop until ak_test_wait_callback() ran, and returns the result (owned by
 * @wait: unref it, or take it with g_steal_pointer (&wait->result)). Fails the test after
 * 60 s (times AK_TEST_TIME_SCALE). */
GAsyncResult *ak_test_wait_result (AkTestWait *wait);

/* ---------------------------------------------------------------------------------------------
 * A fake Agora on loopback
 */

typedef struct _AkTestServer AkTestServer;

/* Called in the server's thread, with the server before it listens: add handlers there
 * (soup_server_add_handler). */
typedef void (*AkTestServerSetup) (SoupServer *server,
                                   gpointer    user_data);

/* Starts a SoupServer on 127.0.0.1, at a free port, running in a thread and main context of
 * its own, so that the test's blocking calls and its own main loop do not hold it up. Every
 * request is recorded before a handler sees it (the count, and the last method, path, query
 * and body). @handler answers every path. */
AkTestServer *ak_test_server_new (SoupServerCallback handler,
                                  gpointer           user_data);

/* The same, with handlers that @setup adds. */
AkTestServer *ak_test_server_new_with_setup (AkTestServerSetup setup,
                                             gpointer          user_data);

/* Stops the thread (after the context's pending sources ran) and frees the server. */
void ak_test_server_free (AkTestServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AkTestServer, ak_test_server_free)

guint ak_test_server_get_port (AkTestServer *server);

/* "http://127.0.0.1:PORT", with no slash at the end. */
char *ak_test_server_get_url (AkTestServer *server);

/* The server thread's main context: for timers that answer a paused message later. */
GMainContext *ak_test_server_get_context (AkTestServer *server);

/* How many requests arrived so far. */
guint ak_test_server_get_n_requests (AkTestServer *server);

typedef enum
{
  AK_TEST_REQUEST_METHOD,
  AK_TEST_REQUEST_PATH,
  AK_TEST_REQUEST_QUERY,
  AK_TEST_REQUEST_BODY,
} AkTestRequestPart;

/* Fails the test unless that part of the last request is @expected (NULL: none). */
void ak_test_server_assert_last (AkTestServer      *server,
                                 AkTestRequestPart  part,
                                 const char        *expected);

/* A session for asking loopback servers: no proxy resolver at all. */
SoupSession *ak_test_session_new (void);

/* Answers @msg with @status and @body as application/json. */
void ak_test_reply_json (SoupServerMessage *msg,
                         guint              status,
                         const char        *body);

/* The size of the slices ak_test_reply_stream() sends. */
#define AK_TEST_STREAM_SLICE (64 * 1024)

/* Answers @msg, chunked, with a body of any size that is never held whole: @what is "SIZE"
 * (text) or "json-SIZE" ([0,0,…,0], for an odd SIZE), as in GET /stream/@what. */
void ak_test_reply_stream (SoupServerMessage *msg,
                           const char        *what);

/* The SHA-256, in hex, of the body ak_test_reply_stream() sends for that size and shape. */
char *ak_test_stream_checksum (guint64  size,
                               gboolean dense_json);

/* The SHA-256, in hex, of the file at @path, read a slice at a time, and its @size. */
char *ak_test_file_checksum (const char *path,
                             guint64    *size);

/* ---------------------------------------------------------------------------------------------
 * Test data
 */

/* The root of tests/data/@name (found through $AK_TEST_DATA_DIR); fails the test when it is
 * missing or not JSON. */
JsonNode *ak_test_load_json (const char *name);

/* tests/data/official-vectors.json, the official tools' tokens: loaded once, kept for the
 * process's life. */
JsonArray *ak_test_official_vectors (void);

/* The official vector whose "id" is @id; fails the test when there is none. */
JsonObject *ak_test_find_vector (const char *id);

/* ---------------------------------------------------------------------------------------------
 * A credential store with a project in it
 */

/* Adds a project to @store (its App ID, and the certificates that are not NULL), waits for it
 * and fails the test on an error. Returns the stored credential. */
AkCredential *ak_test_store_add_project (AkCredentialStore *store,
                                         const char        *label,
                                         const char        *app_id,
                                         const char        *primary_certificate,
                                         const char        *secondary_certificate);

/* A new in-memory store holding that one project. */
AkCredentialStore *ak_test_store_new_with_project (const char *label,
                                                   const char *app_id,
                                                   const char *primary_certificate,
                                                   const char *secondary_certificate);

/* Appends a line to @log for each request @server answers, as its log shows them. */
void ak_test_token_server_log_to (AkTokenServer *server,
                                  GString       *log);

/* New secrets holding these certificates (either may be NULL). */
AkCredentialSecrets *ak_test_secrets_new (const char *primary_certificate,
                                          const char *secondary_certificate);

/* The token @text, which must parse. */
AkToken *ak_test_parse_token (const char *text);

/* ---------------------------------------------------------------------------------------------
 * Assertions
 */

/* Whether the @length bytes at @data (not a string: a file, say) hold @needle. */
gboolean ak_test_bytes_contain (const char *data,
                                gsize       length,
                                const char *needle);

/* Fails the test, showing both, unless @haystack contains @needle. */
void ak_test_assert_contains (const char *haystack,
                              const char *needle);

/* NULL when @actual has @expected's structure and values (numbers compared as integers,
 * member order aside), else the first difference, named from @path. With @lenient, @actual's
 * objects at this level, and the objects of a "services" member below it, may carry members
 * @expected lacks (the decoder adds e.g. expiry times to each service); all else (privileges,
 * permissions) must match exactly. */
char *ak_test_json_difference (JsonNode   *expected,
                               JsonNode   *actual,
                               const char *path,
                               gboolean    lenient);

/* Fails the test unless @actual is the same JSON as @expected (member order aside), saying
 * where they first differ. */
void ak_test_assert_json_equal (JsonNode *expected,
                                JsonNode *actual);

/* ---------------------------------------------------------------------------------------------
 * Table-driven tests, and the token server's test programs
 */

/* Adds one test a case: @n_cases structs of @case_size bytes at @cases, each starting with its
 * name (a `const char *`), as "@prefix/NAME", running @func with a pointer to that case. */
void ak_test_add_cases (const char    *prefix,
                        gconstpointer  cases,
                        gsize          n_cases,
                        gsize          case_size,
                        GTestDataFunc  func);

/* The same for a static array of such structs. */
#define AK_TEST_ADD_CASES(prefix, cases, func) \
  ak_test_add_cases ((prefix), (cases), G_N_ELEMENTS (cases), sizeof (cases)[0], (func))

/* The start of a test program of the local token server: ak_test_setenv_isolated() (loopback
 * only, and a throwaway keyring file rather than the session's keyring), g_test_init(), and a
 * new in-memory store holding the project "Demo" with these App ID and certificates. */
AkCredentialStore *ak_test_init_with_demo (int         *argc,
                                           char      ***argv,
                                           const char  *app_id,
                                           const char  *primary_certificate,
                                           const char  *secondary_certificate);

/* Its end, once the tests ran (and after what still uses the store is gone): clears *@store,
 * the one ak_test_init_with_demo() returned, removes the keyring directory it made, and
 * returns @status, g_test_run()'s. */
int ak_test_finish_with_demo (AkCredentialStore **store,
                              int                 status);

/* Starts @server and waits for it: whether it started. */
gboolean ak_test_token_server_start (AkTokenServer  *server,
                                     GError        **error);

/* *@value, read under @lock: a count a fake server's thread keeps. */
guint ak_test_locked_count (GMutex      *lock,
                            const guint *value);

/* ---------------------------------------------------------------------------------------------
 * Parsing JSON a test was given (a CLI's output, a fake server's answer)
 */

/* @text (@length bytes, or up to its NUL when negative) parsed; fails the test if it is not
 * JSON. */
JsonNode *ak_test_parse_json (const char *text,
                              gssize      length);

/* ---------------------------------------------------------------------------------------------
 * Starting a test program that runs agora-keys-cli
 */

/* g_test_init(), and SIGPIPE ignored: a child that exits before reading all its input must
 * not kill the test. */
void ak_test_init_cli_tests (int    *argc,
                             char ***argv);

/* ---------------------------------------------------------------------------------------------
 * A throwaway $HOME as a test fixture
 */

/* ak_test_home_new()'s directory and the path of its file keyring. */
typedef struct
{
  char *home;
  char *keyring;
} AkTestHome;

/* GTest fixture functions (@data unused): make the directory; remove it and all in it. */
void ak_test_home_set_up (AkTestHome    *home,
                          gconstpointer  data);
void ak_test_home_tear_down (AkTestHome    *home,
                             gconstpointer  data);

/* Runs $AK_CLI as ak_test_run_cliv() does, in @home (ak_test_launcher_set_home() with
 * @keyring), with @env (NULL, or NULL-terminated "NAME=VALUE" strings) added to the child's
 * environment, and appends all it printed, stdout and stderr, to @printed unless NULL: for
 * an audit that none of it holds a secret. */
void ak_test_run_cli_at_home (const AkTestHome   *home,
                              AkTestKeyring       keyring,
                              const char * const *env,
                              GString            *printed,
                              AkTestCliResult    *result,
                              const char         *input,
                              const char * const *args);

G_END_DECLS
