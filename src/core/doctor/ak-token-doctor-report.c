/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ak-token-doctor-private.h"

/* ---------------------------------------------------------------------------------------------
 * Reports
 */

static void
append_row (GString    *out,
            const char *label,
            const char *value)
{
  g_string_append_printf (out, "  %-16s %s\n", label, value);
}

char *
ak_token_doctor_report_text (AkDoctorDiagnosis *diagnosis,
                             gboolean           include_token)
{
  GString *out = g_string_new (NULL);
  AkToken *token;
  GListModel *model;
  g_autofree char *app_id = NULL;
  g_autofree char *signature_hex = NULL;
  g_autofree char *signature = NULL;

  g_return_val_if_fail (diagnosis != NULL, NULL);
  token = diagnosis->token;
  model = G_LIST_MODEL (diagnosis->findings);
  app_id = ak_doctor_shorten (ak_token_get_app_id (token));
  signature_hex = ak_token_dup_signature_hex (token);
  signature = ak_doctor_shorten (signature_hex);

  g_string_append (out, _("Agora Keys token report\n"));
  g_string_append (out, _("Token:\n"));
  append_row (out, _("Version"),
              ak_token_get_version (token) == AK_TOKEN_VERSION_006 ? "006" : "007");
  append_row (out, _("App ID"), app_id);
  append_row (out, _("Signature"), signature);
  if (ak_token_get_version (token) == AK_TOKEN_VERSION_007)
    {
      g_autofree char *issued = g_strdup_printf ("%u", ak_token_get_issue_ts (token));
      g_autofree char *expire = g_strdup_printf ("%u s", ak_token_get_expire (token));

      append_row (out, _("Issued"), issued);
      append_row (out, _("Lifetime"), expire);
      for (guint i = 0; i < ak_token_get_n_services (token); i++)
        {
          const AkService *service = ak_token_get_service (token, i);
          const char *name = ak_service_type_to_name (service->type);
          GString *line = g_string_new (name != NULL ? name : "?");

          if (service->channel_name != NULL)
            g_string_append_printf (line, " channel=“%s”", service->channel_name);
          if (service->uid != NULL)
            g_string_append_printf (line, " uid=“%s”", service->uid);
          if (service->user_id != NULL)
            g_string_append_printf (line, " user=“%s”", service->user_id);
          for (guint j = 0; service->privileges != NULL && j < service->privileges->len; j++)
            {
              const AkPrivilege *privilege = &g_array_index (service->privileges,
                                                             AkPrivilege, j);
              const char *privilege_name = ak_service_privilege_name (service->type,
                                                                      privilege->id);

              g_string_append_printf (line, " %s=%u", privilege_name ? privilege_name : "?",
                                      privilege->value);
            }
          append_row (out, _("Service"), line->str);
          g_string_free (line, TRUE);
        }
    }
  else
    {
      g_autofree char *ts = g_strdup_printf ("%u", ak_token_get_ts (token));

      append_row (out, _("Expires"), ts);
    }
  if (diagnosis->project_label != NULL)
    append_row (out, _("Project"), diagnosis->project_label);

  g_string_append (out, _("Findings:\n"));
  if (g_list_model_get_n_items (model) == 0)
    g_string_append (out, _("  none: nothing in the token explains a rejection\n"));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AkDoctorFinding) finding = g_list_model_get_item (model, i);

      g_string_append_printf (out, "  [%s] %s: %s\n",
                              ak_doctor_severity_to_name (finding->severity),
                              finding->id, finding->verdict);
      for (guint j = 0; j < finding->evidence->len; j++)
        {
          AkDoctorEvidence *evidence = g_ptr_array_index (finding->evidence, j);
          /* App IDs are shortened like the header's; the rest is not secret. */
          gboolean app_id_row = g_strcmp0 (evidence->label, _("App ID")) == 0;
          g_autofree char *in_token = app_id_row && evidence->in_token != NULL
                                      ? ak_doctor_shorten (evidence->in_token)
                                      : g_strdup (evidence->in_token);
          g_autofree char *used = app_id_row && evidence->used != NULL
                                  ? ak_doctor_shorten (evidence->used) : g_strdup (evidence->used);

          g_string_append_printf (out, "      %s: %s%s%s\n", evidence->label,
                                  in_token != NULL ? in_token : "—",
                                  used != NULL ? _(" / client: ") : "",
                                  used != NULL ? used : "");
        }
      g_string_append_printf (out, "      %s %s\n", _("Fix:"), finding->fix);
    }

  if (include_token)
    g_string_append_printf (out, _("Token text:\n  %s\n"), diagnosis->token_text);
  return g_string_free (out, FALSE);
}

JsonNode *
ak_doctor_diagnosis_to_json (AkDoctorDiagnosis *diagnosis)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GListModel *model;

  g_return_val_if_fail (diagnosis != NULL, NULL);
  model = G_LIST_MODEL (diagnosis->findings);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "explains-rejection");
  json_builder_add_boolean_value (builder, ak_doctor_diagnosis_explains_rejection (diagnosis));
  json_builder_set_member_name (builder, "repaired");
  json_builder_add_boolean_value (builder, diagnosis->repaired);
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AkDoctorFinding) finding = g_list_model_get_item (model, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, finding->id);
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, ak_doctor_severity_to_name (finding->severity));
      json_builder_set_member_name (builder, "verdict");
      json_builder_add_string_value (builder, finding->verdict);
      json_builder_set_member_name (builder, "fix");
      json_builder_add_string_value (builder, finding->fix);
      json_builder_set_member_name (builder, "evidence");
      json_builder_begin_array (builder);
      for (guint j = 0; j < finding->evidence->len; j++)
        {
          AkDoctorEvidence *evidence = g_ptr_array_index (finding->evidence, j);
          gboolean app_id = g_strcmp0 (finding->id, AK_DOCTOR_APP_ID_MISMATCH) == 0
                            || g_strcmp0 (finding->id, AK_DOCTOR_APP_ID_UNKNOWN) == 0;
          g_autofree char *in_token = app_id ? ak_doctor_shorten (evidence->in_token)
                                             : g_strdup (evidence->in_token);
          g_autofree char *used = app_id && evidence->used != NULL
                                  ? ak_doctor_shorten (evidence->used)
                                  : g_strdup (evidence->used);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, evidence->label);
          json_builder_set_member_name (builder, "in-token");
          if (in_token != NULL)
            json_builder_add_string_value (builder, in_token);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "used");
          if (used != NULL)
            json_builder_add_string_value (builder, used);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      if (finding->regenerate != NULL)
        {
          const AkTokenRequestText *text = finding->regenerate;
          const struct { const char *name; const char *value; } members[] = {
            { "kind", text->kind }, { "channel", text->channel }, { "uid", text->uid },
            { "account", text->account }, { "role", text->role },
            { "user-id", text->user_id }, { "expire", text->expire },
            { "privilege-expire", text->privilege_expire },
          };

          json_builder_set_member_name (builder, "regenerate");
          json_builder_begin_object (builder);
          for (guint k = 0; k < G_N_ELEMENTS (members); k++)
            if (members[k].value != NULL)
              {
                json_builder_set_member_name (builder, members[k].name);
                json_builder_add_string_value (builder, members[k].value);
              }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
