"""Contains all the data models used in inputs/outputs"""

from .accepted import Accepted
from .access_token import AccessToken
from .actor import Actor
from .actuals import Actuals
from .add_member_type_0 import AddMemberType0
from .add_member_type_1 import AddMemberType1
from .api_key import ApiKey
from .approve_tool import ApproveTool
from .argument_rule_type_0 import ArgumentRuleType0
from .argument_rule_type_0_type import ArgumentRuleType0Type
from .argument_rule_type_1 import ArgumentRuleType1
from .argument_rule_type_1_type import ArgumentRuleType1Type
from .audit_event import AuditEvent
from .audit_event_metadata import AuditEventMetadata
from .audit_export import AuditExport
from .audit_export_filter import AuditExportFilter
from .audit_exports_create_xapi_version import AuditExportsCreateXAPIVersion
from .audit_exports_download_xapi_version import AuditExportsDownloadXAPIVersion
from .audit_exports_get_xapi_version import AuditExportsGetXAPIVersion
from .audit_list_xapi_version import AuditListXAPIVersion
from .audit_verify_xapi_version import AuditVerifyXAPIVersion
from .auth_method import AuthMethod
from .auth_revoke_xapi_version import AuthRevokeXAPIVersion
from .break_ import Break
from .budget import Budget
from .budget_fit import BudgetFit
from .budget_warning import BudgetWarning
from .budgets_get_xapi_version import BudgetsGetXAPIVersion
from .budgets_set_xapi_version import BudgetsSetXAPIVersion
from .calibration_view import CalibrationView
from .call_policy_binding import CallPolicyBinding
from .call_policy_mode import CallPolicyMode
from .check_usage import CheckUsage
from .class_limit import ClassLimit
from .cloud_account import CloudAccount
from .cost_estimate import CostEstimate
from .create_binding import CreateBinding
from .create_call_binding import CreateCallBinding
from .create_credential import CreateCredential
from .create_credential_value import CreateCredentialValue
from .create_export import CreateExport
from .create_key import CreateKey
from .create_mcp_server import CreateMcpServer
from .create_org import CreateOrg
from .create_project import CreateProject
from .create_schedule import CreateSchedule
from .create_source import CreateSource
from .create_source_connector import CreateSourceConnector
from .create_webhook import CreateWebhook
from .created_key import CreatedKey
from .credential_kind import CredentialKind
from .credential_placement_type_0 import CredentialPlacementType0
from .credential_placement_type_0_type import CredentialPlacementType0Type
from .credential_placement_type_1 import CredentialPlacementType1
from .credential_placement_type_1_type import CredentialPlacementType1Type
from .credential_ref import CredentialRef
from .credentials_create_xapi_version import CredentialsCreateXAPIVersion
from .credentials_delete_xapi_version import CredentialsDeleteXAPIVersion
from .credentials_get_xapi_version import CredentialsGetXAPIVersion
from .credentials_list_xapi_version import CredentialsListXAPIVersion
from .credentials_test_xapi_version import CredentialsTestXAPIVersion
from .custom_pattern import CustomPattern
from .data_policy_view import DataPolicyView
from .data_policy_view_strategies import DataPolicyViewStrategies
from .day_usage import DayUsage
from .delivery_status import DeliveryStatus
from .dependencies import Dependencies
from .dependency_health import DependencyHealth
from .domain_event import DomainEvent
from .domain_event_data import DomainEventData
from .edit_data_policy import EditDataPolicy
from .edit_data_policy_strategies import EditDataPolicyStrategies
from .edit_egress_policy import EditEgressPolicy
from .edit_limits import EditLimits
from .edit_roles import EditRoles
from .edit_roles_roles import EditRolesRoles
from .edit_tool_prices import EditToolPrices
from .edit_tool_prices_prices import EditToolPricesPrices
from .egress_grants import EgressGrants
from .egress_mode import EgressMode
from .egress_policy_view import EgressPolicyView
from .endpoint import Endpoint
from .environment import Environment
from .estimate_plan import EstimatePlan
from .event_pattern import EventPattern
from .evidence import Evidence
from .exchange import Exchange
from .exec_profile_view import ExecProfileView
from .exec_profiles_get_xapi_version import ExecProfilesGetXAPIVersion
from .exec_profiles_set_xapi_version import ExecProfilesSetXAPIVersion
from .exec_spec import ExecSpec
from .field_error import FieldError
from .file_grants import FileGrants
from .health import Health
from .iac_file import IacFile
from .iac_format import IacFormat
from .iac_scan import IacScan
from .image_scan import ImageScan
from .ingest_event import IngestEvent
from .ingest_event_data import IngestEventData
from .ingested import Ingested
from .job import Job
from .job_payload import JobPayload
from .job_result_type_0 import JobResultType0
from .job_status import JobStatus
from .job_type import JobType
from .jobs_cancel_xapi_version import JobsCancelXAPIVersion
from .jobs_get_xapi_version import JobsGetXAPIVersion
from .jobs_list_status import JobsListStatus
from .jobs_list_type import JobsListType
from .jobs_list_xapi_version import JobsListXAPIVersion
from .jobs_retry_xapi_version import JobsRetryXAPIVersion
from .key_type import KeyType
from .keys_create_xapi_version import KeysCreateXAPIVersion
from .keys_delete_xapi_version import KeysDeleteXAPIVersion
from .keys_get_xapi_version import KeysGetXAPIVersion
from .keys_list_xapi_version import KeysListXAPIVersion
from .keys_revoke_xapi_version import KeysRevokeXAPIVersion
from .keys_rotate_xapi_version import KeysRotateXAPIVersion
from .keys_update_xapi_version import KeysUpdateXAPIVersion
from .keys_usage_xapi_version import KeysUsageXAPIVersion
from .limit_view import LimitView
from .limits_view import LimitsView
from .list_response_api_key import ListResponseApiKey
from .list_response_audit_event import ListResponseAuditEvent
from .list_response_call_policy_binding import ListResponseCallPolicyBinding
from .list_response_credential_ref import ListResponseCredentialRef
from .list_response_evidence import ListResponseEvidence
from .list_response_job import ListResponseJob
from .list_response_mcp_server import ListResponseMcpServer
from .list_response_member import ListResponseMember
from .list_response_org import ListResponseOrg
from .list_response_policy_binding import ListResponsePolicyBinding
from .list_response_project import ListResponseProject
from .list_response_schedule import ListResponseSchedule
from .list_response_source import ListResponseSource
from .list_response_upstream_tool import ListResponseUpstreamTool
from .list_response_webhook import ListResponseWebhook
from .list_response_webhook_delivery import ListResponseWebhookDelivery
from .logged_attempt import LoggedAttempt
from .mcp_config_scan import McpConfigScan
from .mcp_server import McpServer
from .mcp_servers_create_xapi_version import McpServersCreateXAPIVersion
from .mcp_servers_delete_xapi_version import McpServersDeleteXAPIVersion
from .mcp_servers_discover_xapi_version import McpServersDiscoverXAPIVersion
from .mcp_servers_get_xapi_version import McpServersGetXAPIVersion
from .mcp_servers_list_xapi_version import McpServersListXAPIVersion
from .mcp_servers_policy_bindings_create_xapi_version import McpServersPolicyBindingsCreateXAPIVersion
from .mcp_servers_policy_bindings_delete_xapi_version import McpServersPolicyBindingsDeleteXAPIVersion
from .mcp_servers_policy_bindings_list_xapi_version import McpServersPolicyBindingsListXAPIVersion
from .mcp_servers_tools_approve_xapi_version import McpServersToolsApproveXAPIVersion
from .mcp_servers_tools_list_xapi_version import McpServersToolsListXAPIVersion
from .mcp_servers_update_xapi_version import McpServersUpdateXAPIVersion
from .me import Me
from .me_get_xapi_version import MeGetXAPIVersion
from .member import Member
from .model import Model
from .model_price import ModelPrice
from .org import Org
from .orgs_backups_create_xapi_version import OrgsBackupsCreateXAPIVersion
from .orgs_backups_download_xapi_version import OrgsBackupsDownloadXAPIVersion
from .orgs_create_xapi_version import OrgsCreateXAPIVersion
from .orgs_data_policy_get_xapi_version import OrgsDataPolicyGetXAPIVersion
from .orgs_data_policy_set_xapi_version import OrgsDataPolicySetXAPIVersion
from .orgs_egress_policy_get_xapi_version import OrgsEgressPolicyGetXAPIVersion
from .orgs_egress_policy_set_xapi_version import OrgsEgressPolicySetXAPIVersion
from .orgs_get_xapi_version import OrgsGetXAPIVersion
from .orgs_limits_get_xapi_version import OrgsLimitsGetXAPIVersion
from .orgs_limits_set_xapi_version import OrgsLimitsSetXAPIVersion
from .orgs_list_xapi_version import OrgsListXAPIVersion
from .orgs_members_add_xapi_version import OrgsMembersAddXAPIVersion
from .orgs_members_list_xapi_version import OrgsMembersListXAPIVersion
from .orgs_members_remove_xapi_version import OrgsMembersRemoveXAPIVersion
from .orgs_members_replace_xapi_version import OrgsMembersReplaceXAPIVersion
from .orgs_members_update_xapi_version import OrgsMembersUpdateXAPIVersion
from .orgs_replace_xapi_version import OrgsReplaceXAPIVersion
from .orgs_roles_get_xapi_version import OrgsRolesGetXAPIVersion
from .orgs_roles_set_xapi_version import OrgsRolesSetXAPIVersion
from .orgs_tool_prices_get_xapi_version import OrgsToolPricesGetXAPIVersion
from .orgs_tool_prices_set_xapi_version import OrgsToolPricesSetXAPIVersion
from .orgs_update_xapi_version import OrgsUpdateXAPIVersion
from .pending_definition import PendingDefinition
from .pending_definition_definition import PendingDefinitionDefinition
from .period import Period
from .permission import Permission
from .plan import Plan
from .plan_estimate import PlanEstimate
from .plan_step_type_0 import PlanStepType0
from .plan_step_type_0_type import PlanStepType0Type
from .plan_step_type_1 import PlanStepType1
from .plan_step_type_1_type import PlanStepType1Type
from .plans_estimate_xapi_version import PlansEstimateXAPIVersion
from .plans_get_xapi_version import PlansGetXAPIVersion
from .plans_prices_xapi_version import PlansPricesXAPIVersion
from .plans_record_actuals_xapi_version import PlansRecordActualsXAPIVersion
from .policy_binding import PolicyBinding
from .policy_mode import PolicyMode
from .price_source import PriceSource
from .price_table import PriceTable
from .problem import Problem
from .profile_origin import ProfileOrigin
from .project import Project
from .project_status import ProjectStatus
from .projects_create_xapi_version import ProjectsCreateXAPIVersion
from .projects_delete_xapi_version import ProjectsDeleteXAPIVersion
from .projects_get_xapi_version import ProjectsGetXAPIVersion
from .projects_list_xapi_version import ProjectsListXAPIVersion
from .projects_provision_xapi_version import ProjectsProvisionXAPIVersion
from .projects_replace_xapi_version import ProjectsReplaceXAPIVersion
from .projects_update_xapi_version import ProjectsUpdateXAPIVersion
from .pushed import Pushed
from .pushed_result import PushedResult
from .quotas import Quotas
from .quotas_get_xapi_version import QuotasGetXAPIVersion
from .quotas_services import QuotasServices
from .quotas_set_xapi_version import QuotasSetXAPIVersion
from .rate_limits import RateLimits
from .record_actuals import RecordActuals
from .recorded import Recorded
from .registry_connector import RegistryConnector
from .repo_scan import RepoScan
from .reported_step import ReportedStep
from .result_batch import ResultBatch
from .result_severity import ResultSeverity
from .results_push_xapi_version import ResultsPushXAPIVersion
from .revoke_type_0 import RevokeType0
from .revoke_type_1 import RevokeType1
from .role_view import RoleView
from .roles import Roles
from .rotated_secret import RotatedSecret
from .run_outcome import RunOutcome
from .run_result import RunResult
from .schedule import Schedule
from .schedule_preview import SchedulePreview
from .schedules_create_xapi_version import SchedulesCreateXAPIVersion
from .schedules_delete_xapi_version import SchedulesDeleteXAPIVersion
from .schedules_get_xapi_version import SchedulesGetXAPIVersion
from .schedules_list_xapi_version import SchedulesListXAPIVersion
from .schedules_preview_xapi_version import SchedulesPreviewXAPIVersion
from .schedules_toggle_xapi_version import SchedulesToggleXAPIVersion
from .scope_type_0 import ScopeType0
from .service import Service
from .service_cost import ServiceCost
from .service_quota import ServiceQuota
from .set_budget import SetBudget
from .set_quotas import SetQuotas
from .set_quotas_services import SetQuotasServices
from .snapshot import Snapshot
from .snapshot_quotas import SnapshotQuotas
from .source_config_type_0 import SourceConfigType0
from .source_config_type_0_kind import SourceConfigType0Kind
from .source_config_type_1 import SourceConfigType1
from .source_config_type_1_kind import SourceConfigType1Kind
from .source_config_type_2 import SourceConfigType2
from .source_config_type_2_kind import SourceConfigType2Kind
from .source_config_type_3 import SourceConfigType3
from .source_config_type_3_kind import SourceConfigType3Kind
from .source_config_type_4 import SourceConfigType4
from .source_config_type_4_kind import SourceConfigType4Kind
from .source_config_type_5 import SourceConfigType5
from .source_config_type_5_kind import SourceConfigType5Kind
from .source_config_type_6 import SourceConfigType6
from .source_config_type_6_kind import SourceConfigType6Kind
from .source_config_type_7 import SourceConfigType7
from .source_config_type_7_kind import SourceConfigType7Kind
from .source_config_type_8 import SourceConfigType8
from .source_config_type_8_kind import SourceConfigType8Kind
from .source_config_type_9 import SourceConfigType9
from .source_config_type_9_kind import SourceConfigType9Kind
from .source_config_type_10 import SourceConfigType10
from .source_config_type_10_kind import SourceConfigType10Kind
from .source_config_type_11 import SourceConfigType11
from .source_config_type_11_kind import SourceConfigType11Kind
from .source_config_type_12 import SourceConfigType12
from .source_config_type_12_kind import SourceConfigType12Kind
from .source_config_type_13 import SourceConfigType13
from .source_config_type_13_kind import SourceConfigType13Kind
from .source_kind import SourceKind
from .source_status import SourceStatus
from .source_type_0 import SourceType0
from .source_type_0_kind import SourceType0Kind
from .source_type_1 import SourceType1
from .source_type_1_kind import SourceType1Kind
from .source_type_2 import SourceType2
from .source_type_2_kind import SourceType2Kind
from .source_type_3 import SourceType3
from .source_type_3_kind import SourceType3Kind
from .source_type_4 import SourceType4
from .source_type_4_kind import SourceType4Kind
from .source_type_5 import SourceType5
from .source_type_5_kind import SourceType5Kind
from .source_type_6 import SourceType6
from .source_type_6_kind import SourceType6Kind
from .source_type_7 import SourceType7
from .source_type_7_kind import SourceType7Kind
from .source_type_8 import SourceType8
from .source_type_8_kind import SourceType8Kind
from .source_type_9 import SourceType9
from .source_type_9_kind import SourceType9Kind
from .source_type_10 import SourceType10
from .source_type_10_kind import SourceType10Kind
from .source_type_11 import SourceType11
from .source_type_11_kind import SourceType11Kind
from .source_type_12 import SourceType12
from .source_type_12_kind import SourceType12Kind
from .source_type_13 import SourceType13
from .source_type_13_kind import SourceType13Kind
from .sources_create_xapi_version import SourcesCreateXAPIVersion
from .sources_delete_xapi_version import SourcesDeleteXAPIVersion
from .sources_evidence_get_xapi_version import SourcesEvidenceGetXAPIVersion
from .sources_evidence_list_xapi_version import SourcesEvidenceListXAPIVersion
from .sources_get_xapi_version import SourcesGetXAPIVersion
from .sources_jobs_list_xapi_version import SourcesJobsListXAPIVersion
from .sources_list_xapi_version import SourcesListXAPIVersion
from .sources_policy_bindings_create_xapi_version import SourcesPolicyBindingsCreateXAPIVersion
from .sources_policy_bindings_delete_xapi_version import SourcesPolicyBindingsDeleteXAPIVersion
from .sources_policy_bindings_list_xapi_version import SourcesPolicyBindingsListXAPIVersion
from .sources_run_xapi_version import SourcesRunXAPIVersion
from .sources_test_xapi_version import SourcesTestXAPIVersion
from .sources_update_xapi_version import SourcesUpdateXAPIVersion
from .span import Span
from .span_attributes_type_0 import SpanAttributesType0
from .span_kind import SpanKind
from .span_status import SpanStatus
from .step_actual import StepActual
from .step_estimate import StepEstimate
from .step_kind import StepKind
from .strategy import Strategy
from .target import Target
from .test_outcome import TestOutcome
from .test_result import TestResult
from .toggle import Toggle
from .token_source import TokenSource
from .tool_prices_view import ToolPricesView
from .tool_prices_view_prices import ToolPricesViewPrices
from .tool_status import ToolStatus
from .trace_batch import TraceBatch
from .traces_push_xapi_version import TracesPushXAPIVersion
from .update_key import UpdateKey
from .update_mcp_server import UpdateMcpServer
from .update_member import UpdateMember
from .update_org import UpdateOrg
from .update_project import UpdateProject
from .update_source import UpdateSource
from .update_source_connector_type_0 import UpdateSourceConnectorType0
from .update_webhook import UpdateWebhook
from .upstream_tool import UpstreamTool
from .upstream_tool_definition import UpstreamToolDefinition
from .usage import Usage
from .usage_check import UsageCheck
from .usage_check_xapi_version import UsageCheckXAPIVersion
from .usage_cost_estimate_xapi_version import UsageCostEstimateXAPIVersion
from .usage_get_period import UsageGetPeriod
from .usage_get_service import UsageGetService
from .usage_get_xapi_version import UsageGetXAPIVersion
from .usage_point import UsagePoint
from .usage_report import UsageReport
from .verification import Verification
from .warehouse_connector import WarehouseConnector
from .webhook import Webhook
from .webhook_delivery import WebhookDelivery
from .webhook_with_secret import WebhookWithSecret
from .webhooks_create_xapi_version import WebhooksCreateXAPIVersion
from .webhooks_delete_xapi_version import WebhooksDeleteXAPIVersion
from .webhooks_deliveries_list_xapi_version import WebhooksDeliveriesListXAPIVersion
from .webhooks_deliveries_redeliver_xapi_version import WebhooksDeliveriesRedeliverXAPIVersion
from .webhooks_get_xapi_version import WebhooksGetXAPIVersion
from .webhooks_list_xapi_version import WebhooksListXAPIVersion
from .webhooks_replace_xapi_version import WebhooksReplaceXAPIVersion
from .webhooks_rotate_secret_xapi_version import WebhooksRotateSecretXAPIVersion
from .webhooks_test_xapi_version import WebhooksTestXAPIVersion
from .webhooks_update_xapi_version import WebhooksUpdateXAPIVersion

__all__ = (
    "Accepted",
    "AccessToken",
    "Actor",
    "Actuals",
    "AddMemberType0",
    "AddMemberType1",
    "ApiKey",
    "ApproveTool",
    "ArgumentRuleType0",
    "ArgumentRuleType0Type",
    "ArgumentRuleType1",
    "ArgumentRuleType1Type",
    "AuditEvent",
    "AuditEventMetadata",
    "AuditExport",
    "AuditExportFilter",
    "AuditExportsCreateXAPIVersion",
    "AuditExportsDownloadXAPIVersion",
    "AuditExportsGetXAPIVersion",
    "AuditListXAPIVersion",
    "AuditVerifyXAPIVersion",
    "AuthMethod",
    "AuthRevokeXAPIVersion",
    "Break",
    "Budget",
    "BudgetFit",
    "BudgetsGetXAPIVersion",
    "BudgetsSetXAPIVersion",
    "BudgetWarning",
    "CalibrationView",
    "CallPolicyBinding",
    "CallPolicyMode",
    "CheckUsage",
    "ClassLimit",
    "CloudAccount",
    "CostEstimate",
    "CreateBinding",
    "CreateCallBinding",
    "CreateCredential",
    "CreateCredentialValue",
    "CreatedKey",
    "CreateExport",
    "CreateKey",
    "CreateMcpServer",
    "CreateOrg",
    "CreateProject",
    "CreateSchedule",
    "CreateSource",
    "CreateSourceConnector",
    "CreateWebhook",
    "CredentialKind",
    "CredentialPlacementType0",
    "CredentialPlacementType0Type",
    "CredentialPlacementType1",
    "CredentialPlacementType1Type",
    "CredentialRef",
    "CredentialsCreateXAPIVersion",
    "CredentialsDeleteXAPIVersion",
    "CredentialsGetXAPIVersion",
    "CredentialsListXAPIVersion",
    "CredentialsTestXAPIVersion",
    "CustomPattern",
    "DataPolicyView",
    "DataPolicyViewStrategies",
    "DayUsage",
    "DeliveryStatus",
    "Dependencies",
    "DependencyHealth",
    "DomainEvent",
    "DomainEventData",
    "EditDataPolicy",
    "EditDataPolicyStrategies",
    "EditEgressPolicy",
    "EditLimits",
    "EditRoles",
    "EditRolesRoles",
    "EditToolPrices",
    "EditToolPricesPrices",
    "EgressGrants",
    "EgressMode",
    "EgressPolicyView",
    "Endpoint",
    "Environment",
    "EstimatePlan",
    "EventPattern",
    "Evidence",
    "Exchange",
    "ExecProfilesGetXAPIVersion",
    "ExecProfilesSetXAPIVersion",
    "ExecProfileView",
    "ExecSpec",
    "FieldError",
    "FileGrants",
    "Health",
    "IacFile",
    "IacFormat",
    "IacScan",
    "ImageScan",
    "Ingested",
    "IngestEvent",
    "IngestEventData",
    "Job",
    "JobPayload",
    "JobResultType0",
    "JobsCancelXAPIVersion",
    "JobsGetXAPIVersion",
    "JobsListStatus",
    "JobsListType",
    "JobsListXAPIVersion",
    "JobsRetryXAPIVersion",
    "JobStatus",
    "JobType",
    "KeysCreateXAPIVersion",
    "KeysDeleteXAPIVersion",
    "KeysGetXAPIVersion",
    "KeysListXAPIVersion",
    "KeysRevokeXAPIVersion",
    "KeysRotateXAPIVersion",
    "KeysUpdateXAPIVersion",
    "KeysUsageXAPIVersion",
    "KeyType",
    "LimitsView",
    "LimitView",
    "ListResponseApiKey",
    "ListResponseAuditEvent",
    "ListResponseCallPolicyBinding",
    "ListResponseCredentialRef",
    "ListResponseEvidence",
    "ListResponseJob",
    "ListResponseMcpServer",
    "ListResponseMember",
    "ListResponseOrg",
    "ListResponsePolicyBinding",
    "ListResponseProject",
    "ListResponseSchedule",
    "ListResponseSource",
    "ListResponseUpstreamTool",
    "ListResponseWebhook",
    "ListResponseWebhookDelivery",
    "LoggedAttempt",
    "McpConfigScan",
    "McpServer",
    "McpServersCreateXAPIVersion",
    "McpServersDeleteXAPIVersion",
    "McpServersDiscoverXAPIVersion",
    "McpServersGetXAPIVersion",
    "McpServersListXAPIVersion",
    "McpServersPolicyBindingsCreateXAPIVersion",
    "McpServersPolicyBindingsDeleteXAPIVersion",
    "McpServersPolicyBindingsListXAPIVersion",
    "McpServersToolsApproveXAPIVersion",
    "McpServersToolsListXAPIVersion",
    "McpServersUpdateXAPIVersion",
    "Me",
    "MeGetXAPIVersion",
    "Member",
    "Model",
    "ModelPrice",
    "Org",
    "OrgsBackupsCreateXAPIVersion",
    "OrgsBackupsDownloadXAPIVersion",
    "OrgsCreateXAPIVersion",
    "OrgsDataPolicyGetXAPIVersion",
    "OrgsDataPolicySetXAPIVersion",
    "OrgsEgressPolicyGetXAPIVersion",
    "OrgsEgressPolicySetXAPIVersion",
    "OrgsGetXAPIVersion",
    "OrgsLimitsGetXAPIVersion",
    "OrgsLimitsSetXAPIVersion",
    "OrgsListXAPIVersion",
    "OrgsMembersAddXAPIVersion",
    "OrgsMembersListXAPIVersion",
    "OrgsMembersRemoveXAPIVersion",
    "OrgsMembersReplaceXAPIVersion",
    "OrgsMembersUpdateXAPIVersion",
    "OrgsReplaceXAPIVersion",
    "OrgsRolesGetXAPIVersion",
    "OrgsRolesSetXAPIVersion",
    "OrgsToolPricesGetXAPIVersion",
    "OrgsToolPricesSetXAPIVersion",
    "OrgsUpdateXAPIVersion",
    "PendingDefinition",
    "PendingDefinitionDefinition",
    "Period",
    "Permission",
    "Plan",
    "PlanEstimate",
    "PlansEstimateXAPIVersion",
    "PlansGetXAPIVersion",
    "PlansPricesXAPIVersion",
    "PlansRecordActualsXAPIVersion",
    "PlanStepType0",
    "PlanStepType0Type",
    "PlanStepType1",
    "PlanStepType1Type",
    "PolicyBinding",
    "PolicyMode",
    "PriceSource",
    "PriceTable",
    "Problem",
    "ProfileOrigin",
    "Project",
    "ProjectsCreateXAPIVersion",
    "ProjectsDeleteXAPIVersion",
    "ProjectsGetXAPIVersion",
    "ProjectsListXAPIVersion",
    "ProjectsProvisionXAPIVersion",
    "ProjectsReplaceXAPIVersion",
    "ProjectStatus",
    "ProjectsUpdateXAPIVersion",
    "Pushed",
    "PushedResult",
    "Quotas",
    "QuotasGetXAPIVersion",
    "QuotasServices",
    "QuotasSetXAPIVersion",
    "RateLimits",
    "RecordActuals",
    "Recorded",
    "RegistryConnector",
    "ReportedStep",
    "RepoScan",
    "ResultBatch",
    "ResultSeverity",
    "ResultsPushXAPIVersion",
    "RevokeType0",
    "RevokeType1",
    "Roles",
    "RoleView",
    "RotatedSecret",
    "RunOutcome",
    "RunResult",
    "Schedule",
    "SchedulePreview",
    "SchedulesCreateXAPIVersion",
    "SchedulesDeleteXAPIVersion",
    "SchedulesGetXAPIVersion",
    "SchedulesListXAPIVersion",
    "SchedulesPreviewXAPIVersion",
    "SchedulesToggleXAPIVersion",
    "ScopeType0",
    "Service",
    "ServiceCost",
    "ServiceQuota",
    "SetBudget",
    "SetQuotas",
    "SetQuotasServices",
    "Snapshot",
    "SnapshotQuotas",
    "SourceConfigType0",
    "SourceConfigType0Kind",
    "SourceConfigType1",
    "SourceConfigType10",
    "SourceConfigType10Kind",
    "SourceConfigType11",
    "SourceConfigType11Kind",
    "SourceConfigType12",
    "SourceConfigType12Kind",
    "SourceConfigType13",
    "SourceConfigType13Kind",
    "SourceConfigType1Kind",
    "SourceConfigType2",
    "SourceConfigType2Kind",
    "SourceConfigType3",
    "SourceConfigType3Kind",
    "SourceConfigType4",
    "SourceConfigType4Kind",
    "SourceConfigType5",
    "SourceConfigType5Kind",
    "SourceConfigType6",
    "SourceConfigType6Kind",
    "SourceConfigType7",
    "SourceConfigType7Kind",
    "SourceConfigType8",
    "SourceConfigType8Kind",
    "SourceConfigType9",
    "SourceConfigType9Kind",
    "SourceKind",
    "SourcesCreateXAPIVersion",
    "SourcesDeleteXAPIVersion",
    "SourcesEvidenceGetXAPIVersion",
    "SourcesEvidenceListXAPIVersion",
    "SourcesGetXAPIVersion",
    "SourcesJobsListXAPIVersion",
    "SourcesListXAPIVersion",
    "SourcesPolicyBindingsCreateXAPIVersion",
    "SourcesPolicyBindingsDeleteXAPIVersion",
    "SourcesPolicyBindingsListXAPIVersion",
    "SourcesRunXAPIVersion",
    "SourceStatus",
    "SourcesTestXAPIVersion",
    "SourcesUpdateXAPIVersion",
    "SourceType0",
    "SourceType0Kind",
    "SourceType1",
    "SourceType10",
    "SourceType10Kind",
    "SourceType11",
    "SourceType11Kind",
    "SourceType12",
    "SourceType12Kind",
    "SourceType13",
    "SourceType13Kind",
    "SourceType1Kind",
    "SourceType2",
    "SourceType2Kind",
    "SourceType3",
    "SourceType3Kind",
    "SourceType4",
    "SourceType4Kind",
    "SourceType5",
    "SourceType5Kind",
    "SourceType6",
    "SourceType6Kind",
    "SourceType7",
    "SourceType7Kind",
    "SourceType8",
    "SourceType8Kind",
    "SourceType9",
    "SourceType9Kind",
    "Span",
    "SpanAttributesType0",
    "SpanKind",
    "SpanStatus",
    "StepActual",
    "StepEstimate",
    "StepKind",
    "Strategy",
    "Target",
    "TestOutcome",
    "TestResult",
    "Toggle",
    "TokenSource",
    "ToolPricesView",
    "ToolPricesViewPrices",
    "ToolStatus",
    "TraceBatch",
    "TracesPushXAPIVersion",
    "UpdateKey",
    "UpdateMcpServer",
    "UpdateMember",
    "UpdateOrg",
    "UpdateProject",
    "UpdateSource",
    "UpdateSourceConnectorType0",
    "UpdateWebhook",
    "UpstreamTool",
    "UpstreamToolDefinition",
    "Usage",
    "UsageCheck",
    "UsageCheckXAPIVersion",
    "UsageCostEstimateXAPIVersion",
    "UsageGetPeriod",
    "UsageGetService",
    "UsageGetXAPIVersion",
    "UsagePoint",
    "UsageReport",
    "Verification",
    "WarehouseConnector",
    "Webhook",
    "WebhookDelivery",
    "WebhooksCreateXAPIVersion",
    "WebhooksDeleteXAPIVersion",
    "WebhooksDeliveriesListXAPIVersion",
    "WebhooksDeliveriesRedeliverXAPIVersion",
    "WebhooksGetXAPIVersion",
    "WebhooksListXAPIVersion",
    "WebhooksReplaceXAPIVersion",
    "WebhooksRotateSecretXAPIVersion",
    "WebhooksTestXAPIVersion",
    "WebhooksUpdateXAPIVersion",
    "WebhookWithSecret",
)
