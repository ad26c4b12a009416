/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-credential-store-private.h"
#include "ak-error.h"

/* ---------------------------------------------------------------------------------------------
 * State and errors
 */

const char *
ak_store_ready_message (void)
{
  return _("Credentials are kept in the system keyring.");
}

const char *
ak_store_locked_message (void)
{
  return _("The keyring is locked. Unlock it to use or change your credentials; nothing is "
           "lost while it stays locked.");
}

const char *
ak_store_no_collection_message (void)
{
  return _("The keyring has no default collection to keep credentials in: the login keyring "
           "was never set up, or the default keyring was removed. Create a default keyring in "
           "Passwords and Keys (Seahorse), or log in once with a password.");
}

const char *
ak_store_session_only_message (Problem problem)
{
  switch (problem)
    {
    case PROBLEM_NO_BUS:
      return _("Credentials will not be kept after Agora Keys closes: there is no D-Bus "
               "session bus, so no Secret Service can be reached. To keep them, run Agora Keys "
               "in a desktop session with gnome-keyring (or another Secret Service such as "
               "KeePassXC) running.");
    case PROBLEM_ACCESS_DENIED:
      return _("Credentials will not be kept after Agora Keys closes: access to the Secret "
               "Service was refused. To keep them, allow Agora Keys to talk to "
               "org.freedesktop.secrets, or run it outside the sandbox.");
    case PROBLEM_NO_SERVICE:
      return _("Credentials will not be kept after Agora Keys closes: no Secret Service is "
               "running. To keep them, install gnome-keyring (or another Secret Service such "
               "as KeePassXC) and log in again.");
    case PROBLEM_CANCELLED:
    case PROBLEM_LOCKED:
    case PROBLEM_NO_COLLECTION:
    case PROBLEM_OTHER:
    default:
      return _("Credentials are kept in memory only and will not be kept after Agora Keys "
               "closes.");
    }
}

static gboolean
remote_error_is (const char *remote,
                 const char *name)
{
  return remote != NULL && g_str_equal (remote, name);
}

/* By domain, code and D-Bus error name only: messages are translated and change. */
Problem
ak_store_classify_error (const GError *error)
{
  g_autofree char *remote = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return PROBLEM_CANCELLED;
  if (g_error_matches (error, AK_SECRET_BACKEND_ERROR, AK_SECRET_BACKEND_ERROR_NO_BUS))
    return PROBLEM_NO_BUS;
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return PROBLEM_LOCKED;
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    return PROBLEM_NO_COLLECTION;

  if (error->domain == G_DBUS_ERROR)
    switch ((GDBusError) error->code)
      {
      case G_DBUS_ERROR_SERVICE_UNKNOWN:
      case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
      case G_DBUS_ERROR_NO_SERVER:
      case G_DBUS_ERROR_DISCONNECTED:
      case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
      case G_DBUS_ERROR_SPAWN_FORK_FAILED:
      case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
      case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
      case G_DBUS_ERROR_SPAWN_FAILED:
      case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
      case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
      case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
      case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
      case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
      case G_DBUS_ERROR_SPAWN_FILE_INVALID:
      case G_DBUS_ERROR_SPAWN_NO_MEMORY:
        return PROBLEM_NO_SERVICE;
      case G_DBUS_ERROR_ACCESS_DENIED:
      case G_DBUS_ERROR_AUTH_FAILED:
        return PROBLEM_ACCESS_DENIED;
      case G_DBUS_ERROR_UNKNOWN_METHOD:
      case G_DBUS_ERROR_UNKNOWN_OBJECT:
        return PROBLEM_NO_COLLECTION;
      default:
        break;
      }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    return PROBLEM_NO_SERVICE;

  remote = g_dbus_error_get_remote_error (error);
  if (remote_error_is (remote, "org.freedesktop.DBus.Error.ServiceUnknown")
      || remote_error_is (remote, "org.freedesktop.DBus.Error.NameHasNoOwner"))
    return PROBLEM_NO_SERVICE;
  if (remote_error_is (remote, "org.freedesktop.DBus.Error.AccessDenied"))
    return PROBLEM_ACCESS_DENIED;
  if (remote_error_is (remote, "org.freedesktop.Secret.Error.IsLocked"))
    return PROBLEM_LOCKED;
  if (remote_error_is (remote, "org.freedesktop.Secret.Error.NoSuchObject")
      || remote_error_is (remote, "org.freedesktop.DBus.Error.UnknownMethod")
      || remote_error_is (remote, "org.freedesktop.DBus.Error.UnknownObject"))
    return PROBLEM_NO_COLLECTION;

  return PROBLEM_OTHER;
}

const char *
ak_store_op_failure_sentence (OpKind kind)
{
  switch (kind)
    {
    case OP_LOAD:
      return _("Could not read your credentials from the keyring.");
    case OP_UNLOCK:
      return _("Could not unlock the keyring.");
    case OP_ADD:
    case OP_UPDATE:
      return _("Could not save the credential in the keyring.");
    case OP_DELETE:
      return _("Could not delete the credential from the keyring.");
    case OP_SECRETS:
    default:
      return _("Could not read the credential’s secrets from the keyring.");
    }
}

/* A sentence that says what happened and what to do, with the library's own words kept at
 * the end as context. Cancellation is returned as it is, since callers stay silent on it. */
GError *
ak_store_keyring_error (OpKind        kind,
                        Problem       problem,
                        const GError *cause)
{
  const char *advice;
  AkError code;

  if (problem == PROBLEM_CANCELLED)
    return g_error_copy (cause);

  switch (problem)
    {
    case PROBLEM_NO_BUS:
      code = AK_ERROR_KEYRING_UNAVAILABLE;
      advice = _("There is no D-Bus session bus, so no Secret Service can be reached. Run "
                 "Agora Keys in a desktop session with gnome-keyring (or another Secret "
                 "Service such as KeePassXC).");
      break;
    case PROBLEM_NO_SERVICE:
      code = AK_ERROR_KEYRING_UNAVAILABLE;
      advice = _("No Secret Service is running. Install gnome-keyring (or another Secret "
                 "Service such as KeePassXC) and log in again.");
      break;
    case PROBLEM_ACCESS_DENIED:
      code = AK_ERROR_KEYRING_UNAVAILABLE;
      advice = _("Access to the Secret Service was refused. Allow Agora Keys to talk to "
                 "org.freedesktop.secrets.");
      break;
    case PROBLEM_LOCKED:
      code = AK_ERROR_KEYRING_LOCKED;
      advice = _("The keyring is locked. Unlock it, then try again; nothing was changed.");
      break;
    case PROBLEM_NO_COLLECTION:
      code = AK_ERROR_KEYRING_UNAVAILABLE;
      advice = _("The keyring has no default collection: the login keyring was never set "
                 "up. Log in once with a password, or create a default keyring in Passwords "
                 "and Keys (Seahorse).");
      break;
    case PROBLEM_CANCELLED:
    case PROBLEM_OTHER:
    default:
      code = AK_ERROR_FAILED;
      advice = NULL;
      break;
    }

  if (advice == NULL)
    return g_error_new (AK_ERROR, code, "%s (%s)", ak_store_op_failure_sentence (kind),
                        cause->message);
  return g_error_new (AK_ERROR, code, "%s %s (%s)", ak_store_op_failure_sentence (kind), advice,
                      cause->message);
}

/* Maps a backend failure and lets the state follow what it revealed. */
GError *
ak_store_backend_error (AkCredentialStore *self,
                        OpKind             kind,
                        const GError      *cause)
{
  Problem problem = ak_store_classify_error (cause);

  if (problem == PROBLEM_LOCKED && !self->session_only)
    ak_store_set_state (self, AK_KEYRING_STATE_LOCKED, ak_store_locked_message ());
  return ak_store_keyring_error (kind, problem, cause);
}

GError *
ak_store_locked_error (OpKind kind)
{
  return g_error_new (AK_ERROR, AK_ERROR_KEYRING_LOCKED, "%s %s",
                      ak_store_op_failure_sentence (kind),
                      _("The keyring is locked. Unlock it, then try again; nothing was "
                        "changed."));
}
