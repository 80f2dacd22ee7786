// The one identity the Function App runs as: the host's storage connection, the app's own
// storage clients (DefaultAzureCredential with AZURE_CLIENT_ID) and Key Vault references.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
