package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/ipranges"
)

// publisher serves each provider's list in its real format.
func publisher(t *testing.T, override map[string]string) *httptest.Server {
	docs := map[string]string{
		"/meta": `{"verifiable_password_authentication": false,
			"hooks": ["192.30.252.0/22", "185.199.108.0/22", "2a0a:a440::/29", "192.30.252.0/22"],
			"web": ["140.82.112.0/20"]}`,
		"/paddle":         `{"data": {"ipv4_cidrs": ["34.232.58.13/32", "34.195.105.136/32"]}, "meta": {"request_id": "x"}}`,
		"/paddle-sandbox": `{"data": {"ipv4_cidrs": ["34.194.127.46/32"]}, "meta": {"request_id": "y"}}`,
		"/stripe":         `{"WEBHOOKS": ["54.187.216.72", "3.18.12.63"]}`,
	}
	for k, v := range override {
		docs[k] = v
	}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "" {
			http.Error(w, "GitHub's API wants a User-Agent", http.StatusForbidden)
			return
		}
		d, ok := docs[r.URL.Path]
		if !ok || d == "500" {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, d)
	}))
	t.Cleanup(s.Close)
	return s
}

// setup returns the flags of a run against the server, writing into a
// temporary copy of ranges.go and the README template.
func setup(t *testing.T, s *httptest.Server) (args []string, out, readme string) {
	dir := t.TempDir()
	out, readme = filepath.Join(dir, "ranges.go"), filepath.Join(dir, "README.md.tmpl")
	for from, to := range map[string]string{"../../templates/runtime/ipranges/ranges.go": out, "../../templates/project/README.md.tmpl": readme} {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args = []string{"-out", out, "-readme", readme, "-date", "2027-01-02",
		"-github-url", s.URL + "/meta", "-paddle-url", s.URL + "/paddle",
		"-paddle-sandbox-url", s.URL + "/paddle-sandbox", "-stripe-url", s.URL + "/stripe"}
	return args, out, readme
}

func TestRefresh(t *testing.T) {
	s := publisher(t, nil)
	args, out, readme := setup(t, s)
	before, _ := os.ReadFile(readme)
	var stdout bytes.Buffer
	if err := run(args, &stdout); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(out)
	if _, err := parser.ParseFile(token.NewFileSet(), out, src, 0); err != nil {
		t.Fatalf("ranges.go does not parse: %v\n%s", err, src)
	}
	got := string(src)
	for _, want := range []string{
		// Sorted, canonical, without duplicates; addresses become /32.
		"\"github\": {\n\t\tSource: \"" + s.URL + "/meta (hooks)\",\n\t\tDate:   \"2027-01-02\",\n\t\tCIDRs: []string{\n\t\t\t\"185.199.108.0/22\",\n\t\t\t\"192.30.252.0/22\",\n\t\t\t\"2a0a:a440::/29\",\n\t\t},\n",
		"\"stripe\": {\n\t\tSource: \"" + s.URL + "/stripe (WEBHOOKS)\",\n\t\tDate:   \"2027-01-02\",\n\t\tCIDRs: []string{\n\t\t\t\"3.18.12.63/32\",\n\t\t\t\"54.187.216.72/32\",\n\t\t},\n",
		"\"paddle\": {\n\t\tSource: \"" + s.URL + "/paddle (data.ipv4_cidrs)\",",
		"\"paddle-sandbox\": {",
		"\"34.194.127.46/32\",",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("ranges.go lacks\n%s\nin\n%s", want, got)
		}
	}
	if strings.Contains(got, "140.82.112.0/20") {
		t.Error("took GitHub's web ranges for hooks")
	}

	after, _ := os.ReadFile(readme)
	for _, name := range ipranges.Names() {
		line := lineWith(string(after), "`preset:"+name+"`")
		if !strings.Contains(line, "2027-01-02") {
			t.Errorf("README line of %s not redated: %q", name, line)
		}
	}
	// Nothing else in the README changes.
	if strings.Count(string(after), "2027-01-02") != len(ipranges.Names()) ||
		len(after) != len(before) {
		t.Errorf("README changed beyond the preset dates")
	}
	if !strings.Contains(stdout.String(), "stripe") {
		t.Errorf("stdout: %s", stdout.String())
	}
}

// A list that fails to fetch or read stops the refresh before anything is
// written: an allowlist never loses a provider to a bad fetch.
func TestRefreshWritesNothingOnError(t *testing.T) {
	for name, override := range map[string]map[string]string{
		"status":       {"/stripe": "500"},
		"not JSON":     {"/meta": "<html>rate limited</html>"},
		"empty list":   {"/paddle": `{"data": {"ipv4_cidrs": []}}`},
		"wrong format": {"/stripe": `{"API": ["3.18.12.63"]}`},
		"bad entry":    {"/meta": `{"hooks": ["192.30.252.0/22", "not-an-ip"]}`},
	} {
		t.Run(name, func(t *testing.T) {
			args, out, readme := setup(t, publisher(t, override))
			src, _ := os.ReadFile(out)
			doc, _ := os.ReadFile(readme)
			if err := run(args, io.Discard); err == nil {
				t.Fatal("no error")
			}
			if now, _ := os.ReadFile(out); !bytes.Equal(now, src) {
				t.Error("ranges.go written")
			}
			if now, _ := os.ReadFile(readme); !bytes.Equal(now, doc) {
				t.Error("README written")
			}
		})
	}
}

// The committed data is in the form the command writes (so a refresh diff
// shows only what changed), has a README line per preset with its date,
// and the command refreshes every preset there is.
func TestCommittedDataRoundTrips(t *testing.T) {
	var presets []preset
	for _, name := range ipranges.Names() {
		ps, info, _ := ipranges.Lookup(name)
		p := preset{Name: name, Source: info.Source, Date: info.Date}
		for _, pr := range ps {
			p.CIDRs = append(p.CIDRs, pr.String())
		}
		presets = append(presets, p)
	}
	want, err := render(presets)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../templates/runtime/ipranges/ranges.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("ranges.go is not as the command writes it:\n%s", want)
	}

	var names []string
	for _, s := range sources {
		names = append(names, s.name)
	}
	if strings.Join(names, ",") != strings.Join(ipranges.Names(), ",") {
		t.Errorf("the command refreshes %v; the presets are %v", names, ipranges.Names())
	}

	doc, err := os.ReadFile("../../templates/project/README.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range presets {
		if line := lineWith(string(doc), "`preset:"+p.Name+"`"); !strings.Contains(line, p.Date) {
			t.Errorf("the README does not list preset:%s as of %s: %q", p.Name, p.Date, line)
		}
	}
}

func lineWith(doc, s string) string {
	for _, l := range strings.Split(doc, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
