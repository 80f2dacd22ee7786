"""Contains all the data models used in inputs/outputs"""

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
from .capacity import Capacity
from .check import Check
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
from .dataset import Dataset
from .dataset_format import DatasetFormat
from .dataset_upload_query import DatasetUploadQuery
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
from .exported_server_labels import ExportedServerLabels
from .exported_template import ExportedTemplate
from .exported_template_env import ExportedTemplateEnv
from .exported_template_labels import ExportedTemplateLabels
from .get_job_results_format import GetJobResultsFormat
from .get_job_results_response_200 import GetJobResultsResponse200
from .get_openapi_response_200 import GetOpenapiResponse200
from .health import Health
from .identity_mapping import IdentityMapping
from .identity_mapping_create import IdentityMappingCreate
from .import_issue import ImportIssue
from .import_issue_kind import ImportIssueKind
from .import_result import ImportResult
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
from .list_pods_status_type_0 import ListPodsStatusType0
from .me import Me
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
from .rate_limits import RateLimits
from .rate_window import RateWindow
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .resource_usage import ResourceUsage
from .results_query import ResultsQuery
from .results_query_format import ResultsQueryFormat
from .retry_request import RetryRequest
from .scope import Scope
from .sealed_credentials import SealedCredentials
from .sealed_credentials_kind import SealedCredentialsKind
from .seed_get_job_results_format import SeedGetJobResultsFormat
from .seed_get_job_results_response_200 import SeedGetJobResultsResponse200
from .server import Server
from .server_create import ServerCreate
from .server_create_labels import ServerCreateLabels
from .server_export import ServerExport
from .server_failure import ServerFailure
from .server_labels import ServerLabels
from .server_patch import ServerPatch
from .server_patch_labels_type_0 import ServerPatchLabelsType0
from .server_test import ServerTest
from .server_test_reason_type_0 import ServerTestReasonType0
from .server_update import ServerUpdate
from .server_update_labels import ServerUpdateLabels
from .server_usage import ServerUsage
from .server_usage_resources import ServerUsageResources
from .stats_query import StatsQuery
from .template import Template
from .template_body import TemplateBody
from .template_body_env import TemplateBodyEnv
from .template_body_labels import TemplateBodyLabels
from .template_env import TemplateEnv
from .template_labels import TemplateLabels
from .tenant import Tenant
from .tenant_create import TenantCreate
from .tenant_created import TenantCreated

__all__ = (
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
    "Capacity",
    "Check",
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
    "Dataset",
    "DatasetFormat",
    "DatasetUploadQuery",
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
    "ExportedServerLabels",
    "ExportedTemplate",
    "ExportedTemplateEnv",
    "ExportedTemplateLabels",
    "ExportQuery",
    "GetJobResultsFormat",
    "GetJobResultsResponse200",
    "GetOpenapiResponse200",
    "Health",
    "IdentityMapping",
    "IdentityMappingCreate",
    "ImportIssue",
    "ImportIssueKind",
    "ImportResult",
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
    "ListPodsStatusType0",
    "Me",
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
    "RateLimits",
    "RateWindow",
    "Readiness",
    "ReadinessChecks",
    "ResourceUsage",
    "ResultsQuery",
    "ResultsQueryFormat",
    "RetryRequest",
    "Scope",
    "SealedCredentials",
    "SealedCredentialsKind",
    "SeedGetJobResultsFormat",
    "SeedGetJobResultsResponse200",
    "Server",
    "ServerCreate",
    "ServerCreateLabels",
    "ServerExport",
    "ServerFailure",
    "ServerLabels",
    "ServerPatch",
    "ServerPatchLabelsType0",
    "ServerTest",
    "ServerTestReasonType0",
    "ServerUpdate",
    "ServerUpdateLabels",
    "ServerUsage",
    "ServerUsageResources",
    "StatsQuery",
    "Template",
    "TemplateBody",
    "TemplateBodyEnv",
    "TemplateBodyLabels",
    "TemplateEnv",
    "TemplateLabels",
    "Tenant",
    "TenantCreate",
    "TenantCreated",
)
