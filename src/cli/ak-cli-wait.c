/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ak-cli.h"

/* A command runs from top to bottom, while core's keyring, network and file calls are
 * async: each command waits for one call at a time by running the default main context
 * until the call's callback has stored its result. */

/**
 * ak_cli_wait_done:
 * @source: the object the async call was made on
 * @result: its result
 * @user_data: the #AkCliWait passed with the call
 *
 * The #GAsyncReadyCallback to pass, with an #AkCliWait, to a core `_async` call.
 */
void
ak_cli_wait_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AkCliWait *wait = user_data;

  wait->result = g_object_ref (result);
}

/**
 * ak_cli_wait_run:
 * @wait: the #AkCliWait passed to an async call with ak_cli_wait_done()
 *
 * Runs the default main context until the call completes.
 *
 * Returns: (transfer full): the result, for the call's `_finish`
 */
GAsyncResult *
ak_cli_wait_run (AkCliWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&wait->result);
}
