// Exactly the data-plane roles the app uses, for its one identity, each on the one resource
// it is used on. Nothing at resource-group or subscription scope, no management roles.
//
// Blob Data Contributor at the account scope also carries generateUserDelegationKey, which
// the results endpoint needs to sign its read-only SAS URLs: no Storage Blob Delegator role.
param principalId string
param storageAccountName string
@description('Jobs accounts 1.. of the sharded layout: their tables and queues, nothing else (no blobs there).')
param jobAccountNames array = []
param packageStorageAccountName string
param packageContainerName string
param keyVaultName string

var roles = {
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource jobStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = [for name in jobAccountNames: {
  name: name
}]

resource packageStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: packageStorageAccountName
  resource blobService 'blobServices' existing = {
    name: 'default'
    resource container 'containers' existing = {
      name: packageContainerName
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

// The app's tables (jobs, tenants, rate limits...): read, write, delete, create on first use.
resource tables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roles.tableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The work and events queues: the host's trigger (receive, delete, poison) and the app's sends.
resource queues 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roles.queueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The jobs accounts: the jobs' tables and the queue shards they hold (no blobs, no other table).
resource jobTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in jobAccountNames: {
  name: guid(jobStorage[i].id, principalId, roles.tableDataContributor)
  scope: jobStorage[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

resource jobQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in jobAccountNames: {
  name: guid(jobStorage[i].id, principalId, roles.queueDataContributor)
  scope: jobStorage[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

// Results, payloads and datasets, the host's locks and timer state, and user delegation keys.
resource blobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roles.blobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The deployment package: the platform reads it, and a deploy writes it, as this identity.
resource package 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(packageStorage::blobService::container.id, principalId, roles.blobDataContributor)
  scope: packageStorage::blobService::container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault references in app settings: read secret values, nothing else.
resource secrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
