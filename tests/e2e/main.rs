//! End-to-end suite over HTTP against the local router. Every case runs once
//! on SQLite and once on DynamoDB (the local emulator).

mod access;
mod audit;
mod auth;
mod denials;
mod egress;
mod events;
mod exec_profiles;
mod http;
mod idempotency;
mod jobs;
mod keys;
mod mcp;
mod mcp_servers;
mod members;
mod minimize;
mod oidc;
mod orgs;
mod plans;
mod projects;
mod ratelimit;
mod residency;
mod roles;
mod sources;
mod throttling;
mod usage;
mod webhooks;

macro_rules! on_both_stores {
    ($($module:ident :: $case:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::$module::$case(e2e::Backend::Sqlite).await
                }
            )*
        }
        mod on_dynamodb {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::$module::$case(e2e::Backend::Dynamodb).await
                }
            )*
        }
    };
}

on_both_stores!(
    minimize::a_new_org_minimizes_audit_metadata_by_its_data_policy_from_the_next_request,
    minimize::a_data_policy_is_changed_only_by_admins_with_checked_patterns,
    minimize::planted_tokens_leave_no_trace_at_rest_on_either_store,
    ratelimit::an_owner_sets_the_orgs_limits_within_its_plan_and_they_apply_on_the_next_request,
    ratelimit::a_burst_cap_is_a_policy_of_its_own_in_the_headers,
    ratelimit::an_orgs_lowered_limit_takes_effect_under_load,
    denials::a_refused_keys_prefix_is_throttled_after_its_failures_and_each_is_audited_in_its_org,
    denials::a_source_address_is_throttled_after_its_failures_whatever_it_presents_next,
    denials::every_refusal_by_a_role_or_a_keys_scope_is_audited_with_its_permission_and_resource,
    denials::a_flood_of_refusals_fills_the_log_only_to_the_bound_per_principal,
    egress::strict_egress_blocks_a_webhook_a_runner_and_an_mcp_upstream_and_audit_mode_lets_them_through_flagged,
    egress::the_egress_policy_is_for_admins_to_change_checks_each_field_and_is_audited,
    plans::a_plan_is_estimated_against_the_budget_and_its_actuals_calibrate_the_next,
    exec_profiles::execution_profiles_are_shipped_for_the_platforms_own_targets_and_set_from_checked_specs,
    exec_profiles::an_mcp_tool_runs_only_within_its_execution_profile,
    exec_profiles::a_source_runner_runs_only_within_its_execution_profile,
    residency::each_region_keeps_its_credentials_secrets_evidence_exports_and_backups_in_its_own_stores,
    projects::an_org_and_its_projects_keep_the_region_they_were_created_in,
    mcp::an_mcp_key_sees_and_calls_exactly_the_tools_its_scopes_grant,
    mcp::a_tool_failure_is_a_result_carrying_the_routes_problem,
    mcp::a_tool_call_is_confined_to_the_keys_project_and_its_creators_role,
    mcp::the_gateway_takes_only_a_live_mcp_key_and_an_mcp_key_holds_nothing_on_rest,
    mcp::minting_an_mcp_key_needs_the_permissions_of_the_tools_it_grants,
    mcp::the_usage_schedule_and_audit_tools_answer_as_their_routes,
    mcp::a_source_runs_once_per_call_id_and_its_evidence_is_read_through_tools,
    mcp::every_tool_call_is_audited_and_counted_and_the_quota_refuses_past_it,
    mcp::sixteen_agents_of_one_org_call_at_once_without_a_failed_call,
    mcp_servers::mcp_servers_are_registered_with_a_unique_slug_a_checked_url_and_a_token_credential,
    mcp_servers::mcp_servers_are_for_their_managers_and_a_key_sees_only_its_listed_ones,
    mcp_servers::a_discovered_tool_whose_definition_changes_is_quarantined_until_approved,
    mcp_servers::an_agent_calls_a_registered_servers_tool_through_the_gateway_with_its_credential,
    mcp_servers::policy_bindings_deny_flag_and_block_calls_of_a_servers_tools,
    sources::a_credential_is_aimed_at_an_endpoint_only_by_whoever_stored_it_or_an_admin,
    http::an_oversized_body_gets_a_413_problem_not_a_reset_connection,
    sources::pushed_batches_need_a_key_limited_to_the_source_and_an_idempotency_key_and_fit_the_limit,
    sources::concurrent_scheduler_ticks_run_a_due_slot_once_and_schedules_follow_their_source,
    sources::a_run_writes_evidence_and_health_once_per_idempotency_key,
    sources::a_run_requested_by_a_member_who_lost_the_role_is_refused_at_claim_and_audited,
    sources::sources_that_reach_outside_services_use_their_credential_and_report_an_unreachable_one,
    sources::credentials_keep_their_value_in_the_secrets_store_and_never_show_it,
    sources::a_credential_test_requested_by_a_member_who_lost_the_role_is_refused_at_claim,
    sources::sources_take_a_typed_config_and_a_credential_of_the_kind_they_need,
    sources::sources_list_by_project_kind_and_status_and_stay_in_their_tenant,
    sources::policy_bindings_are_added_listed_and_removed_once_each,
    sources::a_cadence_is_previewed_with_its_next_slots_and_creates_nothing,
    auth::me_says_who_the_caller_is_and_what_it_may_do_in_the_org_it_acts_in,
    webhooks::a_spec_receiver_verifies_every_delivery_including_during_a_secret_rotation,
    webhooks::a_receiver_failing_three_times_gets_the_event_once_with_every_retry_logged,
    webhooks::a_410_disables_the_endpoint_and_sustained_failure_does_too,
    webhooks::a_delivery_to_a_loopback_or_metadata_address_is_refused_without_the_local_flag,
    webhooks::a_delivery_past_its_deadline_is_failed_in_its_log_without_disabling_the_endpoint,
    webhooks::cancelling_a_deliverys_job_fails_the_delivery_which_can_then_be_redelivered,
    webhooks::a_delivery_left_pending_by_a_cancelled_job_can_be_redelivered,
    events::committed_events_are_published_at_least_once_under_their_audit_ids,
    events::the_data_plane_reports_a_file_upload_once_per_event_key,
    audit::audit_filters_select_by_actor_action_target_and_time,
    audit::concurrent_mutations_land_on_one_unbroken_chain_that_verifies,
    audit::eight_concurrent_writers_in_one_org_never_see_a_conflict,
    audit::an_edited_audit_event_breaks_verification_at_that_event,
    audit::an_event_cut_from_the_end_of_the_chain_is_reported_missing,
    audit::csv_pages_defuse_formulas_and_link_to_the_next_page,
    audit::a_csv_export_of_ten_thousand_events_parses_matches_the_query_and_verifies_offline,
    audit::an_unfiltered_export_reaches_the_head_and_stays_within_its_org,
    audit::audit_retention_is_an_org_setting_that_sets_each_events_expiry,
    access::no_token_gets_401_on_every_v1_route,
    access::bad_expired_and_foreign_tokens_get_401_with_a_code,
    access::user_of_org_a_gets_404_for_org_b_project_and_cannot_list_it,
    access::user_of_org_a_gets_404_for_org_b_itself,
    access::viewer_gets_403_on_project_create_but_reads,
    access::the_tenant_comes_from_the_token_then_header_then_only_org,
    access::a_token_bound_to_one_org_cannot_reach_another,
    access::a_cross_tenant_attempt_is_refused_and_audited_in_the_credentials_org,
    orgs::creating_an_org_makes_the_caller_its_owner,
    orgs::org_updates_honour_if_match_and_need_admin,
    orgs::org_lists_page_through_the_callers_orgs,
    orgs::an_org_backup_is_exported_by_a_job_and_downloads_without_secrets,
    members::only_owners_manage_members,
    members::members_are_added_by_user_id_or_email,
    members::the_last_owner_cannot_be_removed_or_demoted,
    members::a_removed_member_loses_access_at_once,
    projects::projects_are_created_read_updated_and_listed,
    projects::deleted_projects_vanish_and_free_their_name,
    projects::project_lists_filter_and_page_with_bound_cursors,
    projects::concurrent_updates_with_the_same_if_match_let_exactly_one_win,
    projects::a_failing_transaction_leaves_neither_the_change_nor_its_audit_record,
    jobs::a_new_project_is_provisioned_by_a_job_the_jobs_api_lists_and_filters,
    jobs::api_keys_see_their_projects_jobs_and_viewers_cannot_manage_jobs,
    jobs::a_failed_provisioning_leaves_the_project_failed_until_a_retry_succeeds,
    jobs::a_provisioning_job_cancelled_after_its_project_moved_on_leaves_the_project_alone,
    jobs::only_pending_jobs_are_cancelled_and_a_cancelled_provisioning_fails_the_project,
    jobs::a_worker_killed_mid_provisioning_is_recovered_and_the_project_is_activated_once,
    jobs::a_failed_project_is_provisioned_again_on_request_and_a_current_one_is_409,
    jobs::a_key_rotation_is_completed_by_a_job_once_the_rotated_token_is_no_longer_recognised,
    usage::usage_is_counted_per_service_and_period_and_read_back,
    usage::quota_warnings_fire_once_each_at_80_90_and_100_percent,
    usage::quotas_and_budgets_need_admin_and_honour_if_match,
    usage::the_snapshot_follows_quota_changes_answers_304_and_fails_closed,
    webhooks::webhooks_are_created_with_a_secret_shown_once_and_managed_by_their_project,
    webhooks::webhook_urls_must_be_public_https_and_fields_are_checked,
    webhooks::a_key_limited_to_one_webhook_reaches_no_other,
    audit::every_mutation_commits_its_audit_event,
    audit::audit_events_page_newest_first_and_need_admin,
    audit::audit_events_record_the_last_forwarded_hop_not_the_client_supplied_one,
    http::errors_are_problem_json_naming_the_field,
    http::fields_over_their_length_limit_are_named,
    http::requests_the_server_cannot_read_get_problem_documents_with_the_standard_headers,
    http::a_body_where_none_is_expected_is_refused_like_any_bad_body,
    http::the_local_server_answers_only_for_its_own_host_names,
    http::names_refuse_controls_bidi_overrides_and_invisible_characters_and_free_text_keeps_newlines,
    http::every_response_carries_request_id_and_api_version,
    http::health_reports_the_store_and_turns_503_when_it_is_unreachable,
    http::the_served_openapi_document_lists_every_route,
    idempotency::a_retried_post_replays_the_first_response_byte_for_byte,
    idempotency::reusing_a_key_for_a_different_request_is_422,
    idempotency::concurrent_retries_with_one_key_create_one_project,
    idempotency::idempotency_keys_belong_to_the_credential,
    idempotency::no_revealed_secret_rests_anywhere_with_or_without_an_idempotency_key,
    roles::every_org_starts_with_the_built_in_roles,
    roles::a_changed_role_takes_effect_on_the_next_request,
    roles::custom_roles_are_created_and_assigned,
    roles::role_edits_are_for_owners_and_are_checked,
    ratelimit::writes_past_the_principal_quota_get_429_with_ietf_headers,
    ratelimit::requests_outside_any_org_count_against_the_user,
    keys::a_key_is_shown_once_and_stored_only_as_a_hash,
    keys::a_secret_key_works_inside_its_project_only,
    keys::public_and_mcp_keys_stay_within_their_type,
    keys::refused_keys_get_401_with_the_reason,
    keys::a_key_of_org_a_naming_org_b_is_refused_and_audited,
    keys::only_members_who_manage_keys_see_them,
    keys::a_rotated_token_works_in_its_grace_and_fails_after,
    keys::key_usage_counts_requests_per_day_and_class,
    keys::keys_can_be_limited_to_listed_sources_and_webhooks,
    keys::a_key_is_minted_only_with_what_the_minting_members_role_grants,
    keys::a_key_is_rotated_widened_or_enabled_only_by_who_holds_all_it_carries,
    keys::a_key_loses_what_its_creator_loses_on_the_next_request,
    keys::a_dead_key_is_401_with_its_reason_on_routes_outside_an_org_too,
    auth::a_revoked_token_fails_on_the_next_request_and_others_do_not,
    auth::revoking_everything_before_a_time_ends_every_older_token,
    auth::a_refresh_token_buys_a_short_access_token_until_revoked,
    auth::a_token_revocation_is_audited_in_every_org_of_the_caller_without_the_token,
    auth::tokens_may_omit_nbf_and_iat_but_not_live_past_the_maximum_and_revocations_outlive_them,
    oidc::tokens_from_the_oidc_issuer_sign_in_with_es256_and_rs256,
    oidc::a_new_signing_key_is_fetched_on_first_sight_and_made_up_kids_are_not,
    oidc::issuer_tokens_with_the_wrong_audience_issuer_key_or_times_are_refused,
    oidc::development_tokens_beside_an_issuer_need_development_auth,
    oidc::an_unreachable_issuer_is_503_not_401,
);
