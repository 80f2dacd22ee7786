"""Contains all the data models used in inputs/outputs"""

from .account_list import AccountList
from .agent import Agent
from .agent_body import AgentBody
from .agent_body_kind import AgentBodyKind
from .agent_kind import AgentKind
from .agent_limits import AgentLimits
from .agent_patch import AgentPatch
from .agent_patch_kind_type_0 import AgentPatchKindType0
from .agent_test_body import AgentTestBody
from .agent_test_result import AgentTestResult
from .api_key import ApiKey
from .api_key_create import ApiKeyCreate
from .api_key_with_secret import ApiKeyWithSecret
from .billing_account import BillingAccount
from .billing_account_owner_kind import BillingAccountOwnerKind
from .billing_account_status import BillingAccountStatus
from .capacity import Capacity
from .catalog_endpoint import CatalogEndpoint
from .catalog_service import CatalogService
from .check import Check
from .close_periods import ClosePeriods
from .closed_invoices import ClosedInvoices
from .cloud_auth import CloudAuth
from .cloud_compute_key_pair_create import CloudComputeKeyPairCreate
from .cloud_compute_key_pair_create_key_type import CloudComputeKeyPairCreateKeyType
from .cloud_env import CloudEnv
from .cloud_identity_team_create import CloudIdentityTeamCreate
from .cloud_info import CloudInfo
from .cloud_info_auth_method import CloudInfoAuthMethod
from .cloud_info_interface import CloudInfoInterface
from .cloud_limits import CloudLimits
from .cloud_limits_compute import CloudLimitsCompute
from .cloud_project import CloudProject
from .cloud_statistics import CloudStatistics
from .cloud_team_role import CloudTeamRole
from .cloud_user import CloudUser
from .cloud_user_create import CloudUserCreate
from .cloud_user_created import CloudUserCreated
from .cloud_user_list import CloudUserList
from .cloud_user_patch import CloudUserPatch
from .clouds_yaml_import import CloudsYamlImport
from .clouds_yaml_import_labels import CloudsYamlImportLabels
from .clouds_yaml_imported import CloudsYamlImported
from .concertim_add_order_tag_response_200 import ConcertimAddOrderTagResponse200
from .concertim_body import ConcertimBody
from .concertim_create_key_pair_response_201 import ConcertimCreateKeyPairResponse201
from .concertim_create_order_response_201 import ConcertimCreateOrderResponse201
from .concertim_create_team_response_200 import ConcertimCreateTeamResponse200
from .concertim_create_team_response_201 import ConcertimCreateTeamResponse201
from .concertim_create_team_role_response_201 import ConcertimCreateTeamRoleResponse201
from .concertim_create_user_response_201 import ConcertimCreateUserResponse201
from .concertim_credits_response_200 import ConcertimCreditsResponse200
from .concertim_delete_key_pair_response_200 import ConcertimDeleteKeyPairResponse200
from .concertim_delete_order_response_200 import ConcertimDeleteOrderResponse200
from .concertim_delete_team_response_200 import ConcertimDeleteTeamResponse200
from .concertim_delete_team_role_response_200 import ConcertimDeleteTeamRoleResponse200
from .concertim_delete_user_response_200 import ConcertimDeleteUserResponse200
from .concertim_error import ConcertimError
from .concertim_error_details import ConcertimErrorDetails
from .concertim_get_account_invoice_response_200 import (
    ConcertimGetAccountInvoiceResponse200,
)
from .concertim_get_credits_response_200 import ConcertimGetCreditsResponse200
from .concertim_get_draft_invoice_response_200 import (
    ConcertimGetDraftInvoiceResponse200,
)
from .concertim_key_pair_create import ConcertimKeyPairCreate
from .concertim_list_key_pairs_response_200 import ConcertimListKeyPairsResponse200
from .concertim_list_paginated_invoices_response_200 import (
    ConcertimListPaginatedInvoicesResponse200,
)
from .concertim_statistics_response_200 import ConcertimStatisticsResponse200
from .concertim_team_create import ConcertimTeamCreate
from .concertim_team_limits_response_200 import ConcertimTeamLimitsResponse200
from .concertim_team_quotas_response_200 import ConcertimTeamQuotasResponse200
from .concertim_update_status_response_202 import ConcertimUpdateStatusResponse202
from .concertim_update_team_role_response_200 import ConcertimUpdateTeamRoleResponse200
from .concertim_update_user_response_200 import ConcertimUpdateUserResponse200
from .connection import Connection
from .connection_create import ConnectionCreate
from .connection_create_system import ConnectionCreateSystem
from .connection_credentials import ConnectionCredentials
from .connection_credentials_info import ConnectionCredentialsInfo
from .connection_owner import ConnectionOwner
from .connection_patch import ConnectionPatch
from .connection_system import ConnectionSystem
from .connection_test import ConnectionTest
from .connection_test_reason_type_0 import ConnectionTestReasonType0
from .credentials_info import CredentialsInfo
from .credentials_info_kind_type_0 import CredentialsInfoKindType0
from .credit_balance import CreditBalance
from .credit_top_up import CreditTopUp
from .credits_ref import CreditsRef
from .credits_request import CreditsRequest
from .dataset import Dataset
from .dataset_format import DatasetFormat
from .dataset_upload_query import DatasetUploadQuery
from .device_action import DeviceAction
from .device_action_request import DeviceActionRequest
from .duration_percentiles import DurationPercentiles
from .error_body import ErrorBody
from .error_body_details import ErrorBodyDetails
from .error_response import ErrorResponse
from .evaluation_error import EvaluationError
from .evaluation_error_body import EvaluationErrorBody
from .evaluation_error_body_details import EvaluationErrorBodyDetails
from .evaluation_job import EvaluationJob
from .evaluation_job_configuration import EvaluationJobConfiguration
from .evaluation_job_summary_type_0 import EvaluationJobSummaryType0
from .export_query import ExportQuery
from .exported_server import ExportedServer
from .exported_server_kind import ExportedServerKind
from .exported_server_labels import ExportedServerLabels
from .exported_template import ExportedTemplate
from .exported_template_env import ExportedTemplateEnv
from .exported_template_labels import ExportedTemplateLabels
from .get_draft_invoice_format import GetDraftInvoiceFormat
from .get_invoice_format import GetInvoiceFormat
from .get_job_results_format import GetJobResultsFormat
from .get_job_results_response_200 import GetJobResultsResponse200
from .get_openapi_response_200 import GetOpenapiResponse200
from .health import Health
from .identity_mapping import IdentityMapping
from .identity_mapping_create import IdentityMappingCreate
from .import_issue import ImportIssue
from .import_issue_kind import ImportIssueKind
from .import_result import ImportResult
from .invoice import Invoice
from .invoice_line import InvoiceLine
from .invoice_line_kind import InvoiceLineKind
from .invoice_line_usage_kind_type_0 import InvoiceLineUsageKindType0
from .invoice_list_query import InvoiceListQuery
from .invoice_page import InvoicePage
from .invoice_page_ref import InvoicePageRef
from .invoice_page_request import InvoicePageRequest
from .invoice_query import InvoiceQuery
from .invoice_query_format import InvoiceQueryFormat
from .invoice_ref import InvoiceRef
from .invoice_request import InvoiceRequest
from .invoice_status import InvoiceStatus
from .invoice_summary import InvoiceSummary
from .invoice_summary_status import InvoiceSummaryStatus
from .job import Job
from .job_configuration import JobConfiguration
from .job_create import JobCreate
from .job_create_configuration import JobCreateConfiguration
from .job_error_info import JobErrorInfo
from .job_error_info_details import JobErrorInfoDetails
from .job_event import JobEvent
from .job_event_message import JobEventMessage
from .job_links import JobLinks
from .job_list_query import JobListQuery
from .job_progress import JobProgress
from .job_stats import JobStats
from .job_stats_by_status import JobStatsByStatus
from .job_stats_by_type import JobStatsByType
from .job_stats_by_type_additional_property import JobStatsByTypeAdditionalProperty
from .job_status import JobStatus
from .job_summary_type_0 import JobSummaryType0
from .key_pair import KeyPair
from .key_pair_created import KeyPairCreated
from .key_pair_created_key_type_type_0 import KeyPairCreatedKeyTypeType0
from .key_pair_delete import KeyPairDelete
from .key_pair_key_type_type_0 import KeyPairKeyTypeType0
from .key_pair_list import KeyPairList
from .key_pair_spec import KeyPairSpec
from .key_pair_spec_key_type import KeyPairSpecKeyType
from .legacy_configure_server_response_200 import LegacyConfigureServerResponse200
from .legacy_create_pod_response_200 import LegacyCreatePodResponse200
from .legacy_delete_pod_response_200 import LegacyDeletePodResponse200
from .legacy_error import LegacyError
from .legacy_error_details import LegacyErrorDetails
from .legacy_get_pod_response_200 import LegacyGetPodResponse200
from .legacy_list_pods_response_200 import LegacyListPodsResponse200
from .legacy_list_pods_status_type_0 import LegacyListPodsStatusType0
from .legacy_list_servers_response_200 import LegacyListServersResponse200
from .legacy_list_templates_response_200 import LegacyListTemplatesResponse200
from .legacy_pod_create import LegacyPodCreate
from .legacy_pod_create_env_type_0 import LegacyPodCreateEnvType0
from .legacy_pod_create_labels_type_0 import LegacyPodCreateLabelsType0
from .legacy_pod_query import LegacyPodQuery
from .legacy_pod_query_status_type_0 import LegacyPodQueryStatusType0
from .legacy_pod_update import LegacyPodUpdate
from .legacy_pod_update_env_type_0 import LegacyPodUpdateEnvType0
from .legacy_pod_update_labels_type_0 import LegacyPodUpdateLabelsType0
from .legacy_server_configure import LegacyServerConfigure
from .legacy_server_configure_labels_type_0 import LegacyServerConfigureLabelsType0
from .legacy_test_server_response_200 import LegacyTestServerResponse200
from .legacy_update_pod_response_200 import LegacyUpdatePodResponse200
from .limit_usage import LimitUsage
from .list_pods_status_type_0 import ListPodsStatusType0
from .me import Me
from .optional_cloud_env import OptionalCloudEnv
from .order import Order
from .order_create import OrderCreate
from .order_list import OrderList
from .order_ref import OrderRef
from .order_request import OrderRequest
from .order_tags import OrderTags
from .page_agent import PageAgent
from .page_api_key import PageApiKey
from .page_connection import PageConnection
from .page_dataset import PageDataset
from .page_evaluation_job import PageEvaluationJob
from .page_identity_mapping import PageIdentityMapping
from .page_job import PageJob
from .page_job_event import PageJobEvent
from .page_query import PageQuery
from .page_server import PageServer
from .page_template import PageTemplate
from .page_tenant import PageTenant
from .pod import Pod
from .pod_create import PodCreate
from .pod_create_env_type_0 import PodCreateEnvType0
from .pod_create_labels_type_0 import PodCreateLabelsType0
from .pod_env import PodEnv
from .pod_labels import PodLabels
from .pod_list_query import PodListQuery
from .pod_list_query_status_type_0 import PodListQueryStatusType0
from .pod_page import PodPage
from .pod_resources import PodResources
from .pod_status import PodStatus
from .pod_update import PodUpdate
from .pod_update_env_type_0 import PodUpdateEnvType0
from .pod_update_labels_type_0 import PodUpdateLabelsType0
from .rack_action import RackAction
from .rack_action_request import RackActionRequest
from .rate_card import RateCard
from .rate_card_body import RateCardBody
from .rate_card_body_flavor_hour import RateCardBodyFlavorHour
from .rate_card_body_gpu_hour import RateCardBodyGpuHour
from .rate_card_body_plans import RateCardBodyPlans
from .rate_card_flavor_hour import RateCardFlavorHour
from .rate_card_gpu_hour import RateCardGpuHour
from .rate_card_list import RateCardList
from .rate_card_plans import RateCardPlans
from .rate_limits import RateLimits
from .rate_window import RateWindow
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .resource_usage import ResourceUsage
from .results_query import ResultsQuery
from .results_query_format import ResultsQueryFormat
from .retry_request import RetryRequest
from .role_assignment import RoleAssignment
from .role_assignment_change import RoleAssignmentChange
from .role_assignment_create import RoleAssignmentCreate
from .role_assignment_list import RoleAssignmentList
from .scope import Scope
from .sealed_credentials import SealedCredentials
from .sealed_credentials_kind import SealedCredentialsKind
from .seed_get_job_results_format import SeedGetJobResultsFormat
from .seed_get_job_results_response_200 import SeedGetJobResultsResponse200
from .server import Server
from .server_create import ServerCreate
from .server_create_kind import ServerCreateKind
from .server_create_labels import ServerCreateLabels
from .server_export import ServerExport
from .server_failure import ServerFailure
from .server_kind import ServerKind
from .server_labels import ServerLabels
from .server_patch import ServerPatch
from .server_patch_labels_type_0 import ServerPatchLabelsType0
from .server_test import ServerTest
from .server_test_reason_type_0 import ServerTestReasonType0
from .server_update import ServerUpdate
from .server_update_kind import ServerUpdateKind
from .server_update_labels import ServerUpdateLabels
from .server_usage import ServerUsage
from .server_usage_resources import ServerUsageResources
from .stats_query import StatsQuery
from .status_update import StatusUpdate
from .tag_ref import TagRef
from .tag_request import TagRequest
from .team import Team
from .team_delete import TeamDelete
from .team_info import TeamInfo
from .team_list import TeamList
from .team_quotas import TeamQuotas
from .team_quotas_compute_type_0 import TeamQuotasComputeType0
from .team_quotas_network_type_0 import TeamQuotasNetworkType0
from .team_quotas_volume_type_0 import TeamQuotasVolumeType0
from .team_role_change import TeamRoleChange
from .team_role_spec import TeamRoleSpec
from .team_role_update import TeamRoleUpdate
from .template import Template
from .template_body import TemplateBody
from .template_body_env import TemplateBodyEnv
from .template_body_labels import TemplateBodyLabels
from .template_env import TemplateEnv
from .template_labels import TemplateLabels
from .tenant import Tenant
from .tenant_create import TenantCreate
from .tenant_created import TenantCreated
from .usage_list import UsageList
from .usage_query import UsageQuery
from .usage_record import UsageRecord
from .usage_record_kind import UsageRecordKind
from .user_changes import UserChanges
from .user_create import UserCreate
from .user_delete import UserDelete
from .user_info import UserInfo
from .user_update import UserUpdate
from .user_update_info import UserUpdateInfo

__all__ = (
    "AccountList",
    "Agent",
    "AgentBody",
    "AgentBodyKind",
    "AgentKind",
    "AgentLimits",
    "AgentPatch",
    "AgentPatchKindType0",
    "AgentTestBody",
    "AgentTestResult",
    "ApiKey",
    "ApiKeyCreate",
    "ApiKeyWithSecret",
    "BillingAccount",
    "BillingAccountOwnerKind",
    "BillingAccountStatus",
    "Capacity",
    "CatalogEndpoint",
    "CatalogService",
    "Check",
    "ClosedInvoices",
    "ClosePeriods",
    "CloudAuth",
    "CloudComputeKeyPairCreate",
    "CloudComputeKeyPairCreateKeyType",
    "CloudEnv",
    "CloudIdentityTeamCreate",
    "CloudInfo",
    "CloudInfoAuthMethod",
    "CloudInfoInterface",
    "CloudLimits",
    "CloudLimitsCompute",
    "CloudProject",
    "CloudStatistics",
    "CloudsYamlImport",
    "CloudsYamlImported",
    "CloudsYamlImportLabels",
    "CloudTeamRole",
    "CloudUser",
    "CloudUserCreate",
    "CloudUserCreated",
    "CloudUserList",
    "CloudUserPatch",
    "ConcertimAddOrderTagResponse200",
    "ConcertimBody",
    "ConcertimCreateKeyPairResponse201",
    "ConcertimCreateOrderResponse201",
    "ConcertimCreateTeamResponse200",
    "ConcertimCreateTeamResponse201",
    "ConcertimCreateTeamRoleResponse201",
    "ConcertimCreateUserResponse201",
    "ConcertimCreditsResponse200",
    "ConcertimDeleteKeyPairResponse200",
    "ConcertimDeleteOrderResponse200",
    "ConcertimDeleteTeamResponse200",
    "ConcertimDeleteTeamRoleResponse200",
    "ConcertimDeleteUserResponse200",
    "ConcertimError",
    "ConcertimErrorDetails",
    "ConcertimGetAccountInvoiceResponse200",
    "ConcertimGetCreditsResponse200",
    "ConcertimGetDraftInvoiceResponse200",
    "ConcertimKeyPairCreate",
    "ConcertimListKeyPairsResponse200",
    "ConcertimListPaginatedInvoicesResponse200",
    "ConcertimStatisticsResponse200",
    "ConcertimTeamCreate",
    "ConcertimTeamLimitsResponse200",
    "ConcertimTeamQuotasResponse200",
    "ConcertimUpdateStatusResponse202",
    "ConcertimUpdateTeamRoleResponse200",
    "ConcertimUpdateUserResponse200",
    "Connection",
    "ConnectionCreate",
    "ConnectionCreateSystem",
    "ConnectionCredentials",
    "ConnectionCredentialsInfo",
    "ConnectionOwner",
    "ConnectionPatch",
    "ConnectionSystem",
    "ConnectionTest",
    "ConnectionTestReasonType0",
    "CredentialsInfo",
    "CredentialsInfoKindType0",
    "CreditBalance",
    "CreditsRef",
    "CreditsRequest",
    "CreditTopUp",
    "Dataset",
    "DatasetFormat",
    "DatasetUploadQuery",
    "DeviceAction",
    "DeviceActionRequest",
    "DurationPercentiles",
    "ErrorBody",
    "ErrorBodyDetails",
    "ErrorResponse",
    "EvaluationError",
    "EvaluationErrorBody",
    "EvaluationErrorBodyDetails",
    "EvaluationJob",
    "EvaluationJobConfiguration",
    "EvaluationJobSummaryType0",
    "ExportedServer",
    "ExportedServerKind",
    "ExportedServerLabels",
    "ExportedTemplate",
    "ExportedTemplateEnv",
    "ExportedTemplateLabels",
    "ExportQuery",
    "GetDraftInvoiceFormat",
    "GetInvoiceFormat",
    "GetJobResultsFormat",
    "GetJobResultsResponse200",
    "GetOpenapiResponse200",
    "Health",
    "IdentityMapping",
    "IdentityMappingCreate",
    "ImportIssue",
    "ImportIssueKind",
    "ImportResult",
    "Invoice",
    "InvoiceLine",
    "InvoiceLineKind",
    "InvoiceLineUsageKindType0",
    "InvoiceListQuery",
    "InvoicePage",
    "InvoicePageRef",
    "InvoicePageRequest",
    "InvoiceQuery",
    "InvoiceQueryFormat",
    "InvoiceRef",
    "InvoiceRequest",
    "InvoiceStatus",
    "InvoiceSummary",
    "InvoiceSummaryStatus",
    "Job",
    "JobConfiguration",
    "JobCreate",
    "JobCreateConfiguration",
    "JobErrorInfo",
    "JobErrorInfoDetails",
    "JobEvent",
    "JobEventMessage",
    "JobLinks",
    "JobListQuery",
    "JobProgress",
    "JobStats",
    "JobStatsByStatus",
    "JobStatsByType",
    "JobStatsByTypeAdditionalProperty",
    "JobStatus",
    "JobSummaryType0",
    "KeyPair",
    "KeyPairCreated",
    "KeyPairCreatedKeyTypeType0",
    "KeyPairDelete",
    "KeyPairKeyTypeType0",
    "KeyPairList",
    "KeyPairSpec",
    "KeyPairSpecKeyType",
    "LegacyConfigureServerResponse200",
    "LegacyCreatePodResponse200",
    "LegacyDeletePodResponse200",
    "LegacyError",
    "LegacyErrorDetails",
    "LegacyGetPodResponse200",
    "LegacyListPodsResponse200",
    "LegacyListPodsStatusType0",
    "LegacyListServersResponse200",
    "LegacyListTemplatesResponse200",
    "LegacyPodCreate",
    "LegacyPodCreateEnvType0",
    "LegacyPodCreateLabelsType0",
    "LegacyPodQuery",
    "LegacyPodQueryStatusType0",
    "LegacyPodUpdate",
    "LegacyPodUpdateEnvType0",
    "LegacyPodUpdateLabelsType0",
    "LegacyServerConfigure",
    "LegacyServerConfigureLabelsType0",
    "LegacyTestServerResponse200",
    "LegacyUpdatePodResponse200",
    "LimitUsage",
    "ListPodsStatusType0",
    "Me",
    "OptionalCloudEnv",
    "Order",
    "OrderCreate",
    "OrderList",
    "OrderRef",
    "OrderRequest",
    "OrderTags",
    "PageAgent",
    "PageApiKey",
    "PageConnection",
    "PageDataset",
    "PageEvaluationJob",
    "PageIdentityMapping",
    "PageJob",
    "PageJobEvent",
    "PageQuery",
    "PageServer",
    "PageTemplate",
    "PageTenant",
    "Pod",
    "PodCreate",
    "PodCreateEnvType0",
    "PodCreateLabelsType0",
    "PodEnv",
    "PodLabels",
    "PodListQuery",
    "PodListQueryStatusType0",
    "PodPage",
    "PodResources",
    "PodStatus",
    "PodUpdate",
    "PodUpdateEnvType0",
    "PodUpdateLabelsType0",
    "RackAction",
    "RackActionRequest",
    "RateCard",
    "RateCardBody",
    "RateCardBodyFlavorHour",
    "RateCardBodyGpuHour",
    "RateCardBodyPlans",
    "RateCardFlavorHour",
    "RateCardGpuHour",
    "RateCardList",
    "RateCardPlans",
    "RateLimits",
    "RateWindow",
    "Readiness",
    "ReadinessChecks",
    "ResourceUsage",
    "ResultsQuery",
    "ResultsQueryFormat",
    "RetryRequest",
    "RoleAssignment",
    "RoleAssignmentChange",
    "RoleAssignmentCreate",
    "RoleAssignmentList",
    "Scope",
    "SealedCredentials",
    "SealedCredentialsKind",
    "SeedGetJobResultsFormat",
    "SeedGetJobResultsResponse200",
    "Server",
    "ServerCreate",
    "ServerCreateKind",
    "ServerCreateLabels",
    "ServerExport",
    "ServerFailure",
    "ServerKind",
    "ServerLabels",
    "ServerPatch",
    "ServerPatchLabelsType0",
    "ServerTest",
    "ServerTestReasonType0",
    "ServerUpdate",
    "ServerUpdateKind",
    "ServerUpdateLabels",
    "ServerUsage",
    "ServerUsageResources",
    "StatsQuery",
    "StatusUpdate",
    "TagRef",
    "TagRequest",
    "Team",
    "TeamDelete",
    "TeamInfo",
    "TeamList",
    "TeamQuotas",
    "TeamQuotasComputeType0",
    "TeamQuotasNetworkType0",
    "TeamQuotasVolumeType0",
    "TeamRoleChange",
    "TeamRoleSpec",
    "TeamRoleUpdate",
    "Template",
    "TemplateBody",
    "TemplateBodyEnv",
    "TemplateBodyLabels",
    "TemplateEnv",
    "TemplateLabels",
    "Tenant",
    "TenantCreate",
    "TenantCreated",
    "UsageList",
    "UsageQuery",
    "UsageRecord",
    "UsageRecordKind",
    "UserChanges",
    "UserCreate",
    "UserDelete",
    "UserInfo",
    "UserUpdate",
    "UserUpdateInfo",
)
