// Package merge adds what the generator needs to files that belong to the
// user (go.mod, go.sum, config/webhooks.json), leaving what the user set alone.
package merge

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// File merges the rendered version of a user-owned file into what is on disk.
// It returns disk itself when nothing is missing.
func File(path string, disk, rendered []byte) ([]byte, error) {
	switch path {
	case "go.mod":
		return GoMod(disk, rendered)
	case "go.sum":
		return GoSum(disk, rendered), nil
	case "config/webhooks.json":
		return Config(disk, rendered)
	}
	return nil, fmt.Errorf("merge: no rule for %s", path)
}

// GoMod adds every requirement of rendered that disk lacks, and raises those
// it has at a lower version. The module path, go directive, the user's own
// requirements, replaces and comments stay as they are.
func GoMod(disk, rendered []byte) ([]byte, error) {
	have, err := modfile.Parse("go.mod", disk, nil)
	if err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	want, err := modfile.Parse("go.mod (generated)", rendered, nil)
	if err != nil {
		return nil, err
	}
	current := map[string]string{}
	for _, r := range have.Require {
		current[r.Mod.Path] = r.Mod.Version
	}
	changed := false
	for _, r := range want.Require {
		v, ok := current[r.Mod.Path]
		if ok && semver.Compare(v, r.Mod.Version) >= 0 {
			continue
		}
		if err := have.AddRequire(r.Mod.Path, r.Mod.Version); err != nil {
			return nil, err
		}
		if r.Indirect {
			have.SetRequireSeparateIndirect(have.Require)
		}
		changed = true
	}
	if want.Go != nil && (have.Go == nil || semver.Compare("v"+have.Go.Version, "v"+want.Go.Version) < 0) {
		if err := have.AddGoStmt(want.Go.Version); err != nil {
			return nil, err
		}
		changed = true
	}
	if !changed {
		return disk, nil
	}
	have.Cleanup()
	return have.Format()
}

// GoSum returns the union of both files' lines, sorted as the go command
// writes them.
func GoSum(disk, rendered []byte) []byte {
	lines := map[string]bool{}
	for _, b := range [][]byte{disk, rendered} {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				lines[l] = true
			}
		}
	}
	all := make([]string, 0, len(lines))
	for l := range lines {
		all = append(all, l)
	}
	sort.Strings(all)
	out := []byte(strings.Join(all, "\n") + "\n")
	if bytes.Equal(out, disk) {
		return disk
	}
	return out
}

// Config makes the providers section of config/webhooks.json match the
// project's providers: a section is added, with its defaults, for a provider
// that lacks one, and removed for a provider the project no longer has. A
// provider's existing section and every other top-level key are kept as the
// user wrote them.
func Config(disk, rendered []byte) ([]byte, error) {
	var have, want orderedObject
	if err := json.Unmarshal(disk, &have); err != nil {
		return nil, fmt.Errorf("config/webhooks.json is not valid JSON: %w (fix it, or delete it to get the defaults)", err)
	}
	if err := json.Unmarshal(rendered, &want); err != nil {
		return nil, err
	}
	var haveProviders, wantProviders orderedObject
	if raw, ok := have.get("providers"); ok {
		if err := json.Unmarshal(raw, &haveProviders); err != nil {
			return nil, fmt.Errorf("config/webhooks.json: providers must be an object: %w", err)
		}
	}
	raw, _ := want.get("providers")
	if err := json.Unmarshal(raw, &wantProviders); err != nil {
		return nil, err
	}
	var merged orderedObject
	for _, k := range wantProviders.keys {
		v, ok := haveProviders.get(k)
		if !ok {
			v, _ = wantProviders.get(k)
		}
		merged.set(k, v)
	}
	if slices.Equal(merged.keys, haveProviders.keys) {
		return disk, nil // nothing added or removed
	}
	mergedRaw, err := merged.MarshalJSON()
	if err != nil {
		return nil, err
	}
	for _, k := range want.keys { // top-level keys the user lacks (a newer template's)
		if _, ok := have.get(k); !ok {
			v, _ := want.get(k)
			have.set(k, v)
		}
	}
	have.set("providers", mergedRaw)
	out, err := have.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, out, "", "  "); err != nil {
		return nil, err
	}
	indented.WriteByte('\n')
	return indented.Bytes(), nil
}

// orderedObject is a JSON object that keeps its keys' order and raw values.
type orderedObject struct {
	keys []string
	vals map[string]json.RawMessage
}

func (o *orderedObject) get(k string) (json.RawMessage, bool) {
	v, ok := o.vals[k]
	return v, ok
}

func (o *orderedObject) set(k string, v json.RawMessage) {
	if o.vals == nil {
		o.vals = map[string]json.RawMessage{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *orderedObject) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	t, err := d.Token()
	if err != nil {
		return err
	}
	if t != json.Delim('{') {
		return fmt.Errorf("expected an object")
	}
	for d.More() {
		kt, err := d.Token()
		if err != nil {
			return err
		}
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return err
		}
		o.set(kt.(string), v)
	}
	_, err = d.Token()
	return err
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		var c bytes.Buffer
		if err := json.Compact(&c, o.vals[k]); err != nil {
			return nil, err
		}
		b.Write(c.Bytes())
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
