// Key Vault holding the app's two secrets (and the previous credentials key during a
// rotation). Access is by Azure RBAC only: the app's identity gets Key Vault Secrets User
// (read secret values) in roles.bicep and nothing else; no access policies.
param name string
param location string
param tags object

@secure()
param adminKey string
@secure()
param credentialsKey string
@secure()
@description('Empty unless a credentials-key rotation is under way (see infra/README.md).')
param credentialsKeyPrevious string = ''

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Secret names allow letters, digits and dashes only: the app setting names map onto these.
resource adminKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'cloudplane-admin-key'
  properties: { value: adminKey, contentType: 'CLOUDPLANE_ADMIN_KEY' }
}

resource credentialsKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'cloudplane-credentials-key'
  properties: { value: credentialsKey, contentType: 'CLOUDPLANE_CREDENTIALS_KEY: base64 of 32 bytes' }
}

resource credentialsKeyPreviousSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(credentialsKeyPrevious)) {
  parent: vault
  name: 'cloudplane-credentials-key-previous'
  properties: { value: credentialsKeyPrevious, contentType: 'CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS' }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
// Versionless secret URIs: the app follows the latest version (refetched within a day, or at once on restart).
output adminKeySecretUri string = '${vault.properties.vaultUri}secrets/${adminKeySecret.name}/'
output credentialsKeySecretUri string = '${vault.properties.vaultUri}secrets/${credentialsKeySecret.name}/'
output credentialsKeyPreviousSecretUri string = empty(credentialsKeyPrevious) ? '' : '${vault.properties.vaultUri}secrets/cloudplane-credentials-key-previous/'
