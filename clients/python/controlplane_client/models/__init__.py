"""Contains all the data models used in inputs/outputs"""

from .accepted import Accepted
from .access_token import AccessToken
from .actor import Actor
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
from .break_ import Break
from .budget import Budget
from .budget_warning import BudgetWarning
from .call_policy_binding import CallPolicyBinding
from .call_policy_mode import CallPolicyMode
from .check_usage import CheckUsage
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
from .day_usage import DayUsage
from .delivery_status import DeliveryStatus
from .dependencies import Dependencies
from .dependency_health import DependencyHealth
from .domain_event import DomainEvent
from .domain_event_data import DomainEventData
from .edit_roles import EditRoles
from .edit_roles_roles import EditRolesRoles
from .endpoint import Endpoint
from .environment import Environment
from .event_pattern import EventPattern
from .evidence import Evidence
from .exchange import Exchange
from .field_error import FieldError
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
from .jobs_list_status import JobsListStatus
from .jobs_list_type import JobsListType
from .key_type import KeyType
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
from .member import Member
from .org import Org
from .pending_definition import PendingDefinition
from .pending_definition_definition import PendingDefinitionDefinition
from .period import Period
from .permission import Permission
from .plan import Plan
from .policy_binding import PolicyBinding
from .policy_mode import PolicyMode
from .problem import Problem
from .project import Project
from .project_status import ProjectStatus
from .pushed import Pushed
from .pushed_result import PushedResult
from .quotas import Quotas
from .quotas_services import QuotasServices
from .rate_limits import RateLimits
from .recorded import Recorded
from .registry_connector import RegistryConnector
from .repo_scan import RepoScan
from .result_batch import ResultBatch
from .result_severity import ResultSeverity
from .revoke_type_0 import RevokeType0
from .revoke_type_1 import RevokeType1
from .role_view import RoleView
from .roles import Roles
from .rotated_secret import RotatedSecret
from .run_outcome import RunOutcome
from .run_result import RunResult
from .schedule import Schedule
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
from .span import Span
from .span_attributes_type_0 import SpanAttributesType0
from .span_kind import SpanKind
from .span_status import SpanStatus
from .target import Target
from .test_outcome import TestOutcome
from .test_result import TestResult
from .toggle import Toggle
from .tool_status import ToolStatus
from .trace_batch import TraceBatch
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
from .usage_get_period import UsageGetPeriod
from .usage_get_service import UsageGetService
from .usage_point import UsagePoint
from .usage_report import UsageReport
from .verification import Verification
from .warehouse_connector import WarehouseConnector
from .webhook import Webhook
from .webhook_delivery import WebhookDelivery
from .webhook_with_secret import WebhookWithSecret

__all__ = (
    "Accepted",
    "AccessToken",
    "Actor",
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
    "Break",
    "Budget",
    "BudgetWarning",
    "CallPolicyBinding",
    "CallPolicyMode",
    "CheckUsage",
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
    "DayUsage",
    "DeliveryStatus",
    "Dependencies",
    "DependencyHealth",
    "DomainEvent",
    "DomainEventData",
    "EditRoles",
    "EditRolesRoles",
    "Endpoint",
    "Environment",
    "EventPattern",
    "Evidence",
    "Exchange",
    "FieldError",
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
    "JobsListStatus",
    "JobsListType",
    "JobStatus",
    "JobType",
    "KeyType",
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
    "Member",
    "Org",
    "PendingDefinition",
    "PendingDefinitionDefinition",
    "Period",
    "Permission",
    "Plan",
    "PolicyBinding",
    "PolicyMode",
    "Problem",
    "Project",
    "ProjectStatus",
    "Pushed",
    "PushedResult",
    "Quotas",
    "QuotasServices",
    "RateLimits",
    "Recorded",
    "RegistryConnector",
    "RepoScan",
    "ResultBatch",
    "ResultSeverity",
    "RevokeType0",
    "RevokeType1",
    "Roles",
    "RoleView",
    "RotatedSecret",
    "RunOutcome",
    "RunResult",
    "Schedule",
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
    "SourceStatus",
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
    "Target",
    "TestOutcome",
    "TestResult",
    "Toggle",
    "ToolStatus",
    "TraceBatch",
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
    "UsageGetPeriod",
    "UsageGetService",
    "UsagePoint",
    "UsageReport",
    "Verification",
    "WarehouseConnector",
    "Webhook",
    "WebhookDelivery",
    "WebhookWithSecret",
)
