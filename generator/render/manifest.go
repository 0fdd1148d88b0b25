package render

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Manifest is .webhooks.json: how the project was generated, and a hash of
// every generated file, so a rerun can tell a hand edit from an old render.
type Manifest struct {
	Generator string `json:"generator"`
	Version   string `json:"version"`
	Answers
	Files map[string]ManifestFile `json:"files"`
}

// ManifestFile is one file the generator owns or created.
type ManifestFile struct {
	Kind Kind   `json:"kind"`
	Hash string `json:"sha256,omitempty"` // generated files only
}

// NewManifest records the answers and every file of p.
func NewManifest(a Answers, version string, p *Project) (*Manifest, error) {
	m := &Manifest{Generator: "create-webhook-handler", Version: version, Answers: a, Files: map[string]ManifestFile{}}
	for path, f := range p.Files {
		mf := ManifestFile{Kind: f.Kind}
		if f.Kind == Generated {
			mf.Hash = f.Hash()
		}
		m.Files[path] = mf
	}
	return m, nil
}

// Encode writes the manifest as indented JSON (map keys sorted, so stable).
func (m *Manifest) Encode() []byte {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // only strings and maps of strings: cannot fail
	}
	return append(b, '\n')
}

// ParseManifest reads a manifest strictly.
func ParseManifest(b []byte) (*Manifest, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var m Manifest
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s is not a valid manifest: %w", ManifestPath, err)
	}
	if m.Generator != "create-webhook-handler" {
		return nil, fmt.Errorf("%s was not written by create-webhook-handler", ManifestPath)
	}
	return &m, nil
}
