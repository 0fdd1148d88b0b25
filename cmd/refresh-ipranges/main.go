// Command refresh-ipranges fetches the webhook source addresses that
// providers publish and rewrites the embedded presets of the ipranges runtime
// package with them and today's date, and the dates in the generated README's
// list of presets:
//
//	go run ./cmd/refresh-ipranges        (make refresh-ipranges)
//
// Every list must fetch and parse, and be non-empty, or nothing is written.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// source is one provider's published list.
type source struct {
	name  string
	url   string
	field string // what of the document is the list, for the record
	parse func([]byte) ([]string, error)
}

var sources = []source{
	{"github", "https://api.github.com/meta", "hooks", func(b []byte) ([]string, error) {
		var d struct {
			Hooks []string `json:"hooks"`
		}
		err := json.Unmarshal(b, &d)
		return d.Hooks, err
	}},
	{"paddle", "https://api.paddle.com/ips", "data.ipv4_cidrs", parsePaddle},
	{"paddle-sandbox", "https://sandbox-api.paddle.com/ips", "data.ipv4_cidrs", parsePaddle},
	{"stripe", "https://stripe.com/files/ips/ips_webhooks.json", "WEBHOOKS", func(b []byte) ([]string, error) {
		var d struct {
			Webhooks []string `json:"WEBHOOKS"`
		}
		err := json.Unmarshal(b, &d)
		return d.Webhooks, err
	}},
}

func parsePaddle(b []byte) ([]string, error) {
	var d struct {
		Data struct {
			IPv4CIDRs []string `json:"ipv4_cidrs"`
		} `json:"data"`
	}
	err := json.Unmarshal(b, &d)
	return d.Data.IPv4CIDRs, err
}

// preset is what ranges.go records of one list.
type preset struct {
	Name, Source, Date string
	CIDRs              []string
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "refresh-ipranges:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("refresh-ipranges", flag.ContinueOnError)
	out := fs.String("out", "templates/runtime/ipranges/ranges.go", "the Go file to rewrite")
	readme := fs.String("readme", "templates/project/README.md.tmpl", "the README template whose preset dates to update")
	date := fs.String("date", time.Now().UTC().Format(time.DateOnly), "the date to record, YYYY-MM-DD")
	timeout := fs.Duration("timeout", 30*time.Second, "for each fetch")
	urls := make([]string, len(sources))
	for i, s := range sources {
		fs.StringVar(&urls[i], s.name+"-url", s.url, "where "+s.name+" publishes its list ("+s.field+")")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if _, err := time.Parse(time.DateOnly, *date); err != nil {
		return fmt.Errorf("-date: %w", err)
	}
	client := &http.Client{Timeout: *timeout}
	var presets []preset
	for i, s := range sources {
		cidrs, err := fetch(client, urls[i], s.parse)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", s.name, urls[i], err)
		}
		presets = append(presets, preset{Name: s.name, Source: urls[i] + " (" + s.field + ")", Date: *date, CIDRs: cidrs})
		fmt.Fprintf(stdout, "%-15s %3d ranges from %s\n", s.name, len(cidrs), urls[i])
	}
	src, err := render(presets)
	if err != nil {
		return err
	}
	doc, err := os.ReadFile(*readme)
	if err != nil {
		return err
	}
	if doc, err = redate(doc, presets); err != nil {
		return fmt.Errorf("%s: %w", *readme, err)
	}
	if err := writeFile(*out, src); err != nil {
		return err
	}
	if err := writeFile(*readme, doc); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s and the preset dates in %s\n", *out, *readme)
	return nil
}

// fetch reads one list and returns its entries as canonical CIDRs, sorted
// and without duplicates.
func fetch(client *http.Client, url string, parse func([]byte) ([]string, error)) ([]string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "create-webhook-handler-refresh-ipranges")
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", res.Status)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	entries, err := parse(body)
	if err != nil {
		return nil, fmt.Errorf("not the expected JSON: %w", err)
	}
	if len(entries) == 0 {
		return nil, errors.New("no ranges in the document")
	}
	var prefixes []netip.Prefix
	for _, e := range entries {
		p, err := netip.ParsePrefix(strings.TrimSpace(e))
		if err != nil {
			a, aerr := netip.ParseAddr(strings.TrimSpace(e))
			if aerr != nil {
				return nil, fmt.Errorf("%q is neither a CIDR nor an IP address", e)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		prefixes = append(prefixes, p.Masked())
	}
	slices.SortFunc(prefixes, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	prefixes = slices.Compact(prefixes)
	cidrs := make([]string, len(prefixes))
	for i, p := range prefixes {
		cidrs[i] = p.String()
	}
	return cidrs, nil
}

// render writes ranges.go.
func render(presets []preset) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`package ipranges

// presets are the providers' published webhook source addresses, each with
// where and when it was taken. ` + "`go run ./cmd/refresh-ipranges`" + ` in the
// generator's repository rewrites this file.
var presets = map[string]preset{
`)
	for _, p := range presets {
		fmt.Fprintf(&b, "%s: {\nSource: %s,\nDate: %s,\nCIDRs: []string{\n", strconv.Quote(p.Name), strconv.Quote(p.Source), strconv.Quote(p.Date))
		for _, c := range p.CIDRs {
			fmt.Fprintf(&b, "%s,\n", strconv.Quote(c))
		}
		b.WriteString("},\n},\n")
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

var dateRE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// redate sets the date on the README line of each preset (the line naming
// "`preset:<name>`").
func redate(doc []byte, presets []preset) ([]byte, error) {
	lines := strings.SplitAfter(string(doc), "\n")
	for _, p := range presets {
		found := false
		for i, l := range lines {
			if strings.Contains(l, "`"+"preset:"+p.Name+"`") && dateRE.MatchString(l) {
				lines[i] = dateRE.ReplaceAllString(l, p.Date)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no line names `preset:%s` with a date", p.Name)
		}
	}
	return []byte(strings.Join(lines, "")), nil
}

// writeFile replaces a file at once, keeping its mode.
func writeFile(name string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(name); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".refresh-ipranges-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
