package ipranges

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

// The embedded data is what a generated service trusts: every entry is a
// canonical CIDR, and every preset says where and when it was taken.
func TestDataIsValid(t *testing.T) {
	if len(presets) == 0 {
		t.Fatal("no presets")
	}
	for name, p := range presets {
		if name != strings.ToLower(name) || strings.ContainsAny(name, " :") {
			t.Errorf("preset name %q: want lower case, no spaces or colons", name)
		}
		if p.Source == "" {
			t.Errorf("%s: no source", name)
		}
		d, err := time.Parse(time.DateOnly, p.Date)
		if err != nil {
			t.Errorf("%s: date %q: %v", name, p.Date, err)
		} else if d.After(time.Now()) {
			t.Errorf("%s: date %s is in the future", name, p.Date)
		}
		if len(p.CIDRs) == 0 {
			t.Errorf("%s: no ranges", name)
		}
		seen := map[netip.Prefix]bool{}
		for _, c := range p.CIDRs {
			pr, err := netip.ParsePrefix(c)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if pr.Masked().String() != c {
				t.Errorf("%s: %q is not canonical (%s)", name, c, pr.Masked())
			}
			if seen[pr] {
				t.Errorf("%s: %s twice", name, c)
			}
			seen[pr] = true
		}
	}
}

func TestNames(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) || len(names) != len(presets) {
		t.Fatalf("Names() = %v", names)
	}
	for _, want := range []string{"github", "stripe"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s preset in %v", want, names)
		}
	}
}

func TestLookup(t *testing.T) {
	ps, info, ok := Lookup("github")
	if !ok || info.Name != "github" || info.Source == "" || info.Date == "" {
		t.Fatalf("Lookup(github) = %v, %+v, %v", ps, info, ok)
	}
	if !contains(ps, "192.30.252.10") || !contains(ps, "2a0a:a440::1") || contains(ps, "127.0.0.1") {
		t.Errorf("github prefixes %v", ps)
	}
	if _, info, ok := Lookup("stripe"); !ok || !strings.Contains(info.Source, "ips_webhooks") {
		t.Errorf("Lookup(stripe) = %+v, %v", info, ok)
	}
	if ps, info, ok := Lookup("nope"); ok || ps != nil || info != (Info{}) {
		t.Errorf("Lookup(nope) = %v, %+v, %v", ps, info, ok)
	}
}

func TestExpand(t *testing.T) {
	github, _, _ := Lookup("github")
	stripe, _, _ := Lookup("stripe")
	got, err := Expand([]string{"10.0.0.0/8", " preset:github ", "203.0.113.7", "preset:Stripe"})
	if err != nil {
		t.Fatal(err)
	}
	want := append([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, github...)
	want = append(want, netip.MustParsePrefix("203.0.113.7/32"))
	want = append(want, stripe...)
	if !slices.Equal(got, want) {
		t.Fatalf("Expand = %v\nwant     %v", got, want)
	}
	for _, a := range []string{"10.1.2.3", "192.30.252.10", "203.0.113.7", "54.187.216.72"} {
		if !contains(got, a) {
			t.Errorf("%s not allowed by %v", a, got)
		}
	}
	if contains(got, "127.0.0.1") {
		t.Error("loopback allowed")
	}

	if got, err := Expand(nil); err != nil || got != nil {
		t.Errorf("Expand(nil) = %v, %v; want nil: no allowlist", got, err)
	}
	if _, err := Expand([]string{"10.0.0.0/8", "nonsense"}); err == nil || !strings.Contains(err.Error(), `"nonsense"`) {
		t.Errorf("a bad CIDR: %v", err)
	}
}

func TestExpandUnknownPresetNamesTheKnownOnes(t *testing.T) {
	for _, entry := range []string{"preset:gitlab", "preset:"} {
		_, err := Expand([]string{"preset:github", entry})
		if err == nil {
			t.Fatalf("%q: no error", entry)
		}
		msg := err.Error()
		if !strings.Contains(msg, `unknown preset "`+entry+`"`) || !strings.Contains(msg, strings.Join(Names(), ", ")) {
			t.Errorf("%q: %s", entry, msg)
		}
	}
}

func contains(ps []netip.Prefix, addr string) bool {
	a := netip.MustParseAddr(addr)
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
