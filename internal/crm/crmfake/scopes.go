package crmfake

import "slices"

// HubSpotScopes are the scopes a HubSpot private app's token has in the
// fake unless Options.Scopes says otherwise: every one syncd needs.
func HubSpotScopes() []string { return slices.Clone(defaultScopes) }
