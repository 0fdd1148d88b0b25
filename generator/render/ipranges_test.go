package render_test

import (
	"strings"
	"testing"
)

// A provider's ipAllowlist goes through ipranges.Expand, so "preset:github"
// works in a generated service, and the package with its data is copied in
// with its import pointed at the project's middleware.
func TestRenderIPAllowlistPresets(t *testing.T) {
	a := goldenCases["all-providers"]
	p := renderGolden(t, loadCatalog(t), a)
	routes := string(p.Files["webhooks/routes.go"].Content)
	if !strings.Contains(routes, `"`+a.Module+`/webhooks/ipranges"`) || !strings.Contains(routes, "ipranges.Expand(pc.IPAllowlist)") {
		t.Error("routes.go does not read ipAllowlist with ipranges.Expand")
	}
	if strings.Contains(routes, "ParsePrefixes(pc.IPAllowlist)") {
		t.Error("routes.go still parses ipAllowlist as plain CIDRs somewhere")
	}
	for _, f := range []string{"webhooks/ipranges/ipranges.go", "webhooks/ipranges/ranges.go"} {
		if p.Files[f] == nil {
			t.Fatalf("%s not in the project", f)
		}
	}
	if !strings.Contains(string(p.Files["webhooks/ipranges/ipranges.go"].Content), `"`+a.Module+`/webhooks/middleware"`) {
		t.Error("ipranges does not import the project's middleware")
	}
	if !strings.Contains(string(p.Files["README.md"].Content), "`preset:github`") {
		t.Error("the README does not list the presets")
	}
}
