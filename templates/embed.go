// Package templates embeds what the generator writes into a project:
// project/ holds text/template files for what varies per project, runtime/
// holds Go packages copied verbatim (they compile and are tested here).
package templates

import "embed"

// FS holds project/*.tmpl, the pinned go.mod/go.sum of generated services,
// and runtime/<package>/*.go.
//
//go:embed project runtime/*/*.go runtime/*/*/*.go
var FS embed.FS
