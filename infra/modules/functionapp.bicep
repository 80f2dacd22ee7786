// The Function App on a Flex Consumption plan (FC1), Python 3.11, running as the user-assigned
// identity. Its app settings are the whole contract between the platform and shared/config.py:
// tests/unit/test_infra.py checks that every setting the code reads is set here and that
// nothing else is, apart from the host settings it lists.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param packageContainerUrl string
param applicationInsightsConnectionString string
param adminKeySecretUri string
param credentialsKeySecretUri string
@description('Empty unless a credentials-key rotation is under way.')
param credentialsKeyPreviousSecretUri string = ''
@description('Key Vault secret URI of an Azure OpenAI embeddings key; empty with the local embeddings provider.')
param embeddingsApiKeySecretUri string = ''
@description('Key Vault secret URI of the HS256 secret Concertim signs its tokens with; empty: /api/concertim/ answers 404.')
param concertimJwtSecretUri string = ''
@description('CLOUDPLANE_CONCERTIM_TENANT: the tenant id /api/concertim/ acts for; empty with the surface off.')
param concertimTenant string = ''

@allowed([512, 2048, 4096])
param instanceMemoryMB int
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int
@description('Always-ready instances per group or function, e.g. [{name: \'http\', instanceCount: 1}].')
param alwaysReady array

@description('Comma-separated origins; never \'*\' in production unless you mean it.')
param corsOrigins string
param allowedNetworks string
param entraAuthority string
param entraAudiences string
param entraRequiredScope string
param logLevel string
param rateLimitDefault int
param rateLimitJobs int
param rateLimitWindowSeconds int
param jobMaxAttempts int
param workQueues int
param eventQueues int
param jobPartitions int
param jobAccounts int
@description('Jobs accounts 1.. of the sharded layout (their names), empty with one account.')
param jobAccountNames array = []

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

// A Key Vault reference: the platform resolves it with keyVaultReferenceIdentity; the value never
// appears in the template, its outputs or the deployment history.
var adminKeyReference = '@Microsoft.KeyVault(SecretUri=${adminKeySecretUri})'
var credentialsKeyReference = '@Microsoft.KeyVault(SecretUri=${credentialsKeySecretUri})'
var credentialsKeyPreviousReference = empty(credentialsKeyPreviousSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${credentialsKeyPreviousSecretUri})'
var embeddingsApiKeyReference = empty(embeddingsApiKeySecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${embeddingsApiKeySecretUri})'
var concertimJwtSecretReference = empty(concertimJwtSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${concertimJwtSecretUri})'

// The connection of jobs account k (shared/config.py JOB_ACCOUNT_CONNECTION): the host's queue
// triggers on the queues it holds and the app's own clients read the same settings, by identity.
var jobAccountSettings = flatten([for (account, i) in jobAccountNames: [
  { name: 'CLOUDPLANE_JOBS_ACCOUNT_${i + 1}__accountName', value: account }
  { name: 'CLOUDPLANE_JOBS_ACCOUNT_${i + 1}__queueServiceUri', value: 'https://${account}.queue.${environment().suffixes.storage}' }
  { name: 'CLOUDPLANE_JOBS_ACCOUNT_${i + 1}__credential', value: 'managedidentity' }
  { name: 'CLOUDPLANE_JOBS_ACCOUNT_${i + 1}__clientId', value: identityClientId }
]])

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' }) // azd deploy finds the app by this tag
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: packageContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReady
      }
      runtime: {
        name: 'python'
        version: '3.11'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // No platform CORS: the app answers preflights itself from CLOUDPLANE_CORS_ORIGINS
      // (platform CORS would intercept them and ignore the app's list).
      appSettings: concat([
        // ---- host settings (not read by shared/config.py) ----
        // Identity-based host storage: no connection string, no key.
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName } // also read by the app
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        // DefaultAzureCredential in the app's own clients picks the same identity with this.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }

        // ---- the app's settings (shared/config.py) ----
        // CLOUDPLANE_STORAGE / AzureWebJobsStorage (a connection string) is deliberately unset:
        // storage is reached with the identity through AzureWebJobsStorage__accountName above.
        { name: 'CLOUDPLANE_ADMIN_KEY', value: adminKeyReference }
        { name: 'CLOUDPLANE_CREDENTIALS_KEY', value: credentialsKeyReference }
        { name: 'CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS', value: credentialsKeyPreviousReference }
        // Production: CORS to the listed origins only (empty list: no cross-origin access).
        { name: 'CLOUDPLANE_CORS_ORIGINS', value: corsOrigins }
        // Production: tenants cannot register loopback or private-range cluster endpoints.
        { name: 'CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS', value: 'false' }
        // Comma-separated CIDRs allowed despite the rule above; empty (none) by default.
        { name: 'CLOUDPLANE_ALLOWED_NETWORKS', value: allowedNetworks }
        { name: 'CLOUDPLANE_MAX_BODY_BYTES', value: '1048576' }
        { name: 'CLOUDPLANE_MAX_DATASET_BYTES', value: '104857600' }
        { name: 'CLOUDPLANE_DATASET_CHUNK_ROWS', value: '2000' }
        { name: 'CLOUDPLANE_RATE_LIMIT_DEFAULT', value: string(rateLimitDefault) }
        { name: 'CLOUDPLANE_RATE_LIMIT_JOBS', value: string(rateLimitJobs) }
        { name: 'CLOUDPLANE_RATE_LIMIT_WINDOW_SECONDS', value: string(rateLimitWindowSeconds) }
        { name: 'CLOUDPLANE_RATE_LIMIT_LEASE_MAX', value: '10' }
        { name: 'CLOUDPLANE_AUTH_CACHE_SECONDS', value: '4' }
        { name: 'CLOUDPLANE_STORAGE_TIMEOUT_SECONDS', value: '5' }
        { name: 'CLOUDPLANE_READY_TIMEOUT_SECONDS', value: '2' }
        // Must match host.json's queues.maxDequeueCount (5).
        { name: 'CLOUDPLANE_JOB_MAX_ATTEMPTS', value: string(jobMaxAttempts) }
        // OpenStack power actions: how long a job waits for the target state, and how often it looks.
        { name: 'CLOUDPLANE_OPENSTACK_ACTION_TIMEOUT_SECONDS', value: '900' }
        { name: 'CLOUDPLANE_OPENSTACK_ACTION_POLL_SECONDS', value: '5' }
        { name: 'CLOUDPLANE_RESULTS_INLINE_MAX_BYTES', value: '4194304' }
        { name: 'CLOUDPLANE_LOG_LEVEL', value: logLevel }
        { name: 'CLOUDPLANE_STALE_QUEUED_SECONDS', value: '300' }
        { name: 'CLOUDPLANE_STALE_RUNNING_SECONDS', value: '900' }
        { name: 'CLOUDPLANE_STALE_FAIL_SECONDS', value: '3600' }
        { name: 'CLOUDPLANE_K8S_TIMEOUT_SECONDS', value: '5' }
        // Billing: the built-in provider for every tenant (tenant_id=provider pairs override it), in USD.
        { name: 'CLOUDPLANE_BILLING_PROVIDER', value: 'builtin' }
        { name: 'CLOUDPLANE_BILLING_PROVIDERS', value: '' }
        { name: 'CLOUDPLANE_BILLING_CURRENCY', value: 'USD' }
        { name: 'CLOUDPLANE_OPENSTACK_TIMEOUT_SECONDS', value: '10' }
        // Authenticated OpenStack connections per instance (least recently used closed past it).
        { name: 'CLOUDPLANE_OPENSTACK_MAX_CONNECTIONS', value: '256' }
        // Microsoft identity platform tokens beside API keys (empty authority: keys only).
        { name: 'CLOUDPLANE_ENTRA_AUTHORITY', value: entraAuthority }
        { name: 'CLOUDPLANE_ENTRA_AUDIENCES', value: entraAudiences }
        { name: 'CLOUDPLANE_ENTRA_REQUIRED_SCOPE', value: entraRequiredScope }
        { name: 'CLOUDPLANE_ENTRA_READ_ROLE', value: 'Cloudplane.Read' }
        { name: 'CLOUDPLANE_ENTRA_WRITE_ROLE', value: 'Cloudplane.Write' }
        { name: 'CLOUDPLANE_ENTRA_TIMEOUT_SECONDS', value: '5' }
        { name: 'CLOUDPLANE_ENTRA_LEEWAY_SECONDS', value: '60' }
        // Semantic scoring on the instance's CPU (all-MiniLM-L6-v2, int8, ONNX Runtime). For an
        // Azure OpenAI embeddings deployment instead: 'openai', the endpoint, the deployment name,
        // an api-version, and the key as a Key Vault reference.
        { name: 'CLOUDPLANE_EMBEDDINGS_PROVIDER', value: 'local' }
        { name: 'CLOUDPLANE_EMBEDDINGS_ENDPOINT', value: '' }
        { name: 'CLOUDPLANE_EMBEDDINGS_MODEL', value: '' }
        { name: 'CLOUDPLANE_EMBEDDINGS_API_KEY', value: embeddingsApiKeyReference }
        { name: 'CLOUDPLANE_EMBEDDINGS_API_VERSION', value: '' }
        { name: 'CLOUDPLANE_EMBEDDINGS_TIMEOUT_SECONDS', value: '30' }
        // The sharded jobs layout (docs/capacity.md); 1 everywhere is one queue, partition and account.
        { name: 'CLOUDPLANE_WORK_QUEUES', value: string(workQueues) }
        { name: 'CLOUDPLANE_EVENT_QUEUES', value: string(eventQueues) }
        { name: 'CLOUDPLANE_JOB_PARTITIONS', value: string(jobPartitions) }
        { name: 'CLOUDPLANE_JOB_ACCOUNTS', value: string(jobAccounts) }
        // Concertim's OpenStack-service paths (/api/concertim/, docs/compat.md): off (404) while the secret is empty.
        { name: 'CLOUDPLANE_CONCERTIM_JWT_SECRET', value: concertimJwtSecretReference }
        { name: 'CLOUDPLANE_CONCERTIM_TENANT', value: concertimTenant }
      ], jobAccountSettings)
    }
  }
}

// Deployments authenticate with Entra ID (azd uses the deployer's token): no basic-auth publishing.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
