// Package schemas embeds the JSON Schemas: the schema of provider
// definitions, and per provider its event schemas and sample payloads.
package schemas

import "embed"

// FS holds provider.schema.json, catalog/<provider>.json (imported event
// lists), events/<provider>/<event>.json and
// samples/<provider>/<event>.json.
//
//go:embed provider.schema.json conformance.json catalog events samples
var FS embed.FS
