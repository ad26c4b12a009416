/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <openssl/rand.h>

#include "ak-error.h"
#include "ak-secret.h"
#include "ak-task.h"
#include "ak-token-server-private.h"

/* ---------------------------------------------------------------------------------------------
 * Start
 */

static char *
generate_api_key (GError **error)
{
  guint8 bytes[16];
  char *key;

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_FAILED,
                   _("Could not generate an API key: no secure random numbers."));
      return NULL;
    }
  key = g_malloc (sizeof bytes * 2 + 1);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_snprintf (key + 2 * i, 3, "%02x", bytes[i]);
  ak_secret_wipe (bytes, sizeof bytes);
  return key;
}

/* The API key is kept in the keyring, so that clients on other machines keep working across
 * restarts; when the keyring cannot answer in time, a key for this run only is used. */
static const SecretSchema api_key_schema = {
  .name = APP_ID ".TokenServerKey",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = "purpose", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};
#define API_KEY_PURPOSE "token-server-api-key"
#define API_KEY_LOOKUP_SECONDS 5

static gboolean
listen_now (AkTokenServer  *self,
            GError        **error);

static void
finish_start (GTask      *task,
              const char *certificate)
{
  AkTokenServer *self = g_task_get_source_object (task);
  AkCredential *project = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!listen_now (self, &error))
    {
      if (self->api_key_generated)
        {
          g_clear_pointer (&self->api_key, ak_secret_string_free);
          self->api_key_generated = FALSE;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->certificate = g_strdup (certificate);
  self->app_id = g_strdup (ak_credential_get_app_id (project));
  ak_token_server_notify_started (self);
  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  GTask *task;
  char *certificate;
  GCancellable *cancellable;
  guint timeout_id;
} KeyLookup;

static void
key_lookup_free (KeyLookup *lookup)
{
  g_clear_handle_id (&lookup->timeout_id, g_source_remove);
  g_clear_object (&lookup->cancellable);
  ak_secret_string_free (lookup->certificate);
  g_clear_object (&lookup->task);
  g_free (lookup);
}

static gboolean
key_lookup_timed_out (gpointer data)
{
  KeyLookup *lookup = data;

  lookup->timeout_id = 0;
  g_cancellable_cancel (lookup->cancellable);
  return G_SOURCE_REMOVE;
}

static void
key_looked_up (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  KeyLookup *lookup = user_data;
  AkTokenServer *self = g_task_get_source_object (lookup->task);
  g_autoptr(GError) error = NULL;
  char *stored = secret_password_lookup_finish (result, &error);

  if (stored != NULL && ak_is_hex32 (stored))
    {
      self->api_key = g_strdup (stored);
    }
  else
    {
      self->api_key = generate_api_key (&error);
      if (self->api_key == NULL)
        {
          g_task_return_error (lookup->task, g_steal_pointer (&error));
          secret_password_free (stored);
          key_lookup_free (lookup);
          return;
        }
      /* Kept for the next start; if the keyring refuses, this run still has its key. */
      if (!g_cancellable_is_cancelled (lookup->cancellable))
        secret_password_store (&api_key_schema, SECRET_COLLECTION_DEFAULT,
                               _("Agora Keys token server API key"), self->api_key, NULL, NULL,
                               NULL, "purpose", API_KEY_PURPOSE, NULL);
    }
  secret_password_free (stored);
  self->api_key_generated = TRUE;
  finish_start (lookup->task, lookup->certificate);
  key_lookup_free (lookup);
}

static gboolean
listen_now (AkTokenServer  *self,
            GError        **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->bind_address);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GSocket) socket = NULL;

  /* Raw paths: each segment is unescaped once, by ak_token_server_split_path(), which refuses
   * %00. */
  server = soup_server_new ("server-header", "agora-keys ", "raw-paths", TRUE, NULL);
  address = g_inet_socket_address_new (inet, self->port);
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &local_error);
  if (socket != NULL)
    {
      /* GSocket's default backlog of 10 resets connections from a burst of clients. */
      g_socket_set_listen_backlog (socket, 1024);
      if (!g_socket_bind (socket, address, TRUE, &local_error)
          || !g_socket_listen (socket, &local_error))
        g_clear_object (&socket);
    }
  if (socket == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, AK_ERROR, AK_ERROR_FAILED,
                     _("Port %u on %s is already in use. Choose another port, or 0 for a "
                       "free one."), self->port, self->bind_address);
      else
        g_set_error (error, AK_ERROR, AK_ERROR_FAILED,
                     _("Could not listen on %s port %u: %s"), self->bind_address, self->port,
                     local_error->message);
      return FALSE;
    }

  self->bound_port = self->port;
  {
    g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);

    if (local != NULL && G_IS_INET_SOCKET_ADDRESS (local))
      self->bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  }

  self->listener = ak_server_listener_new (server, socket, &self->limits, &local_error);
  if (self->listener == NULL)
    {
      g_set_error (error, AK_ERROR, AK_ERROR_FAILED, _("Could not listen on %s port %u: %s"),
                   self->bind_address, self->port, local_error->message);
      return FALSE;
    }
  soup_server_add_handler (server, NULL, ak_token_server_handle_request, self, NULL);
  g_signal_connect (server, "request-started",
                    G_CALLBACK (ak_token_server_on_request_started), self);
  self->server = g_steal_pointer (&server);
  return TRUE;
}

static void
secrets_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AkTokenServer *self = g_task_get_source_object (task);
  g_autoptr(AkCredentialSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  char *certificate;

  secrets = ak_credential_store_load_secrets_finish (AK_CREDENTIAL_STORE (source), result,
                                                     &error);
  if (secrets == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->server != NULL)
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_FAILED,
                               _("The token server is already running."));
      return;
    }

  certificate = self->secondary ? secrets->secondary_certificate
                                : secrets->primary_certificate;
  if (certificate == NULL || !ak_validate_app_certificate (certificate, NULL))
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               self->secondary
                                 ? _("The project has no usable secondary certificate.")
                                 : _("The project has no usable primary certificate."));
      return;
    }

  if (!ak_token_server_address_is_loopback (self->bind_address) && self->api_key == NULL)
    {
      KeyLookup *lookup = g_new0 (KeyLookup, 1);

      lookup->task = g_object_ref (task);
      lookup->certificate = g_strdup (certificate);
      lookup->cancellable = g_cancellable_new ();
      lookup->timeout_id = g_timeout_add_seconds (API_KEY_LOOKUP_SECONDS, key_lookup_timed_out,
                                                  lookup);
      secret_password_lookup (&api_key_schema, lookup->cancellable, key_looked_up, lookup,
                              "purpose", API_KEY_PURPOSE, NULL);
      return;
    }

  finish_start (task, certificate);
}

void
ak_token_server_start_async (AkTokenServer       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  AkCredential *project;

  g_return_if_fail (AK_IS_TOKEN_SERVER (self));

  task = ak_task_new (self, cancellable, callback, user_data, ak_token_server_start_async);

  if (self->server != NULL)
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_FAILED,
                               _("The token server is already running."));
      return;
    }
  if (self->project_label == NULL || *self->project_label == '\0')
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("Choose the project whose certificate signs the tokens."));
      return;
    }
  inet = g_inet_address_new_from_string (self->bind_address);
  if (inet == NULL)
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("“%s” is not an IP address to listen on, such as 127.0.0.1."),
                               self->bind_address);
      return;
    }

  project = ak_credential_store_find (self->store, AK_CREDENTIAL_PROJECT, self->project_label);
  if (project == NULL)
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_NOT_FOUND,
                               _("No project in the keyring is named “%s”."),
                               self->project_label);
      return;
    }
  if (self->secondary && !ak_credential_get_has_secondary (project))
    {
      g_task_return_new_error (task, AK_ERROR, AK_ERROR_INVALID_INPUT,
                               _("The project “%s” has no secondary certificate."),
                               self->project_label);
      return;
    }

  g_task_set_task_data (task, g_object_ref (project), g_object_unref);
  ak_credential_store_load_secrets_async (self->store, project, cancellable, secrets_loaded,
                                          g_steal_pointer (&task));
}

gboolean
ak_token_server_start_finish (AkTokenServer  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
