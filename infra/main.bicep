// Cloudplane on Azure: `azd up` provisions this and deploys the app (see infra/README.md).
//
// One resource group with: a user-assigned managed identity; the app's storage account
// (Tables, Queues, Blob containers, shared-key access off); a small account for the Flex
// Consumption deployment package; Application Insights on Log Analytics; a Key Vault with
// the admin key and the credentials key; a Flex Consumption Function App (Python 3.11)
// that reaches all of them as the identity, with exactly the data-plane roles it uses.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region of every resource; must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string

// ---- secrets (from the azd environment; infra/scripts/ensure_secrets.py makes them once) ----
@secure()
@minLength(32)
@description('CLOUDPLANE_ADMIN_KEY, stored in Key Vault.')
param adminKey string

@secure()
@minLength(44)
@maxLength(44)
@description('CLOUDPLANE_CREDENTIALS_KEY: base64 of 32 random bytes, stored in Key Vault.')
param credentialsKey string

@secure()
@description('CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS: the key before a rotation; empty otherwise.')
param credentialsKeyPrevious string = ''

// ---- scale ----
@allowed([512, 2048, 4096])
@description('Memory of each Flex Consumption instance, in MB.')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Most instances the app scales out to (HTTP and queue triggers together).')
param maximumInstanceCount int = 100

@minValue(0)
@description('Instances kept warm for the HTTP functions (0: scale to zero, cold starts on the first request).')
param alwaysReadyHttp int = 1

@minValue(0)
@description('Instances kept warm for the job-step queue trigger (function run_job_step).')
param alwaysReadyJobSteps int = 0

// ---- the sharded jobs layout (shared/jobs/shards.py, docs/capacity.md); 1 everywhere is today's ----
@minValue(1)
@maxValue(40)
@description('CLOUDPLANE_WORK_QUEUES: work queues jobs, jobs-1, ... the engine sends to (above 1, all 40 have a trigger).')
param workQueues int = 1

@minValue(1)
@maxValue(256)
@description('CLOUDPLANE_EVENT_QUEUES: queues job-events, job-events-1, ... the JobMessages are spread over.')
param eventQueues int = 1

@minValue(1)
@maxValue(1024)
@description('CLOUDPLANE_JOB_PARTITIONS: partitions of table jobs per tenant. Raise only, never lower.')
param jobPartitions int = 1

@minValue(1)
@maxValue(64)
@description('CLOUDPLANE_JOB_ACCOUNTS: storage accounts for the jobs\' tables and queues (account 0 is the app\'s own). Fixed once jobs exist.')
param jobAccounts int = 1

// ---- behaviour ----
@description('CLOUDPLANE_CORS_ORIGINS: comma-separated origins allowed by CORS, e.g. https://console.example.com. Empty: no cross-origin access.')
param corsOrigins string = ''

@description('CLOUDPLANE_ALLOWED_NETWORKS: comma-separated CIDRs of cluster endpoints allowed although private; empty: none.')
param allowedNetworks string = ''

@description('CLOUDPLANE_ENTRA_AUTHORITY: Microsoft identity platform authority, e.g. https://login.microsoftonline.com/<tenant id>/v2.0. Empty: Entra ID tokens are not accepted (API keys only).')
param entraAuthority string = ''

@description('CLOUDPLANE_ENTRA_AUDIENCES: comma-separated accepted token audiences (the app registration\'s client id and/or api://... URI).')
param entraAudiences string = ''

@description('CLOUDPLANE_ENTRA_REQUIRED_SCOPE: the delegated scope a token must carry unless it carries an app role.')
param entraRequiredScope string = 'access_as_user'

@allowed(['DEBUG', 'INFO', 'WARNING', 'ERROR'])
param logLevel string = 'INFO'

@minValue(1)
param rateLimitDefault int = 100
@minValue(1)
param rateLimitJobs int = 10
@minValue(1)
param rateLimitWindowSeconds int = 60
@minValue(1)
@description('Must equal host.json queues.maxDequeueCount.')
param jobMaxAttempts int = 5

@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSku string = 'Standard_ZRS'

// ---- what the code uses: tests/unit/test_infra.py compares these lists with the code ----
// Tables: shared/jobs/store.py, shared/jobs/sweeper.py, shared/api/ratelimit.py, shared/storage/*.py.
var tables = [
  'jobs'
  'jobbatches'
  'idempotency'
  'activejobs'
  'ratelimits'
  'tenants'
  'apikeys'
  'identitymappings'
  'datasets'
  'servers'
  'pods'
  'templates'
  'connections'
  'ratebudgets'
  'migrationmap'
  'agents'
  'agentusage'
  'billing'
  'serverpower'
]
// Queues: the work queue, its poison queue (host.json maxDequeueCount, then '<queue>-poison'), the events.
var queues = [
  'jobs'
  'jobs-poison'
  'job-events'
]
// The work queues beyond 'jobs' and their poison queues: functions/jobs.py declares a trigger on
// each of jobs-1 .. jobs-39 (shared/jobs/shards.py MAX_WORK_QUEUES = 40) once workQueues > 1.
var workQueueShards = [for i in range(1, 39): 'jobs-${i}']
var workPoisonShards = [for i in range(1, 39): 'jobs-${i}-poison']
// The events queues beyond 'job-events' (no trigger in the app: its subscribers read them).
var eventQueueShards = [for i in range(1, eventQueues - 1): 'job-events-${i}']
var allQueues = concat(queues, workQueueShards, workPoisonShards, eventQueueShards)
// Jobs accounts 1..: only the jobs' own tables and every queue shard (queue i is used in account
// i mod jobAccounts); blobs, tenants and keys stay in the app's account.
var jobTables = [
  'jobs'
  'jobbatches'
  'idempotency'
]
var jobAccountNames = [for k in range(1, jobAccounts - 1): 'stcp${token}j${k}']
// Containers: shared/jobs/store.py and shared/storage/datasets.py. The host makes its own
// (azure-webjobs-hosts, azure-webjobs-secrets) with the same identity.
var containers = [
  'job-results'
  'job-payloads'
  'datasets'
]

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var packageContainerName = 'app-package'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-cloudplane-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-cloudplane-${token}'
    applicationInsightsName: 'appi-cloudplane-${token}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'stcp${token}'
    location: location
    tags: tags
    skuName: storageSku
    tables: tables
    queues: allQueues
    containers: containers
  }
}

module jobStorage 'modules/storage.bicep' = [for name in jobAccountNames: {
  name: 'storage-${name}'
  scope: rg
  params: {
    name: name
    location: location
    tags: tags
    skuName: storageSku
    tables: jobTables
    queues: allQueues
    containers: []
  }
}]


module packageStorage 'modules/package-storage.bicep' = {
  name: 'package-storage'
  scope: rg
  params: {
    name: 'stcppkg${take(token, 16)}'
    location: location
    tags: tags
    containerName: packageContainerName
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-cp-${take(token, 16)}'
    location: location
    tags: tags
    adminKey: adminKey
    credentialsKey: credentialsKey
    credentialsKeyPrevious: credentialsKeyPrevious
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  dependsOn: [jobStorage]
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    jobAccountNames: jobAccountNames
    packageStorageAccountName: packageStorage.outputs.name
    packageContainerName: packageContainerName
    keyVaultName: vault.outputs.name
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  dependsOn: [roles, jobStorage] // the identity must hold its roles before the host first starts
  params: {
    name: 'func-cloudplane-${token}'
    planName: 'plan-cloudplane-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    packageContainerUrl: packageStorage.outputs.containerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    adminKeySecretUri: vault.outputs.adminKeySecretUri
    credentialsKeySecretUri: vault.outputs.credentialsKeySecretUri
    credentialsKeyPreviousSecretUri: vault.outputs.credentialsKeyPreviousSecretUri
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReady: concat(
      alwaysReadyHttp > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttp }] : [],
      alwaysReadyJobSteps > 0 ? [{ name: 'function:run_job_step', instanceCount: alwaysReadyJobSteps }] : []
    )
    corsOrigins: corsOrigins
    allowedNetworks: allowedNetworks
    entraAuthority: entraAuthority
    entraAudiences: entraAudiences
    entraRequiredScope: entraRequiredScope
    logLevel: logLevel
    rateLimitDefault: rateLimitDefault
    rateLimitJobs: rateLimitJobs
    rateLimitWindowSeconds: rateLimitWindowSeconds
    jobMaxAttempts: jobMaxAttempts
    workQueues: workQueues
    eventQueues: eventQueues
    jobPartitions: jobPartitions
    jobAccounts: jobAccounts
    jobAccountNames: jobAccountNames
  }
}

// azd stores these in the environment (.azure/<env>/.env); none is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output SERVICE_API_ENDPOINT string = 'https://${app.outputs.defaultHostName}/api/v1'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_CLIENT_ID string = identity.outputs.clientId
