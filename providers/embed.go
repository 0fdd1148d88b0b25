// Package providers embeds the built-in provider definitions: one JSON file
// per provider, validated against schemas/provider.schema.json when loaded.
package providers

import "embed"

// FS holds <name>.json for every built-in provider.
//
//go:embed *.json
var FS embed.FS
