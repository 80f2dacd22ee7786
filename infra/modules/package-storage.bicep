// Flex Consumption runs the app from a zip package in a Blob container it is told about
// (functionAppConfig.deployment.storage). It lives in its own small account so that the
// app's state account carries only the app's traffic (docs/capacity.md counts that one).
param name string
param location string
param tags object
param containerName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: { publicAccess: 'None' }
}

output name string = account.name
output containerUrl string = '${account.properties.primaryEndpoints.blob}${containerName}'
