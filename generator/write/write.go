// Package write applies a rendered project to a directory: it decides per
// file what may happen (by its ownership kind and the manifest), refuses to
// overwrite hand edits, writes atomically and the manifest last.
package write

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
)

// Action is what happens to one file.
type Action string

const (
	Create    Action = "create"
	Update    Action = "update"
	Unchanged Action = "unchanged"
	Keep      Action = "keep"     // exists and belongs to the user
	Conflict  Action = "conflict" // a generated file edited by hand
)

// Change is the plan for one file.
type Change struct {
	File   *render.File
	Action Action
	// OnDisk is the current content, for conflicts' diffs.
	OnDisk []byte
}

// Plan compares p with dir. old is the manifest found in dir, or nil.
func Plan(dir string, p *render.Project, old *render.Manifest) ([]Change, error) {
	var changes []Change
	for _, path := range p.Paths() {
		f := p.Files[path]
		if !filepath.IsLocal(filepath.FromSlash(path)) {
			return nil, fmt.Errorf("refusing to write %q: outside the project", path)
		}
		disk, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
		exists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		c := Change{File: f, OnDisk: disk}
		switch {
		case !exists:
			c.Action = Create
		case bytes.Equal(disk, f.Content):
			// Equal to the new render: clean whatever the manifest says, so a
			// run killed half way is finished by the next one.
			c.Action = Unchanged
		case f.Kind == render.Scaffolded || f.Kind == render.Merged:
			c.Action = Keep
		case f.Kind == render.ManifestKind:
			c.Action = Update
		case old != nil && old.Files[path].Hash == render.HashBytes(disk):
			c.Action = Update
		default:
			c.Action = Conflict
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// Conflicts returns the changes that would overwrite hand edits.
func Conflicts(changes []Change) []Change {
	var out []Change
	for _, c := range changes {
		if c.Action == Conflict {
			out = append(out, c)
		}
	}
	return out
}

// Apply writes every created or updated file (and, with force, conflicts),
// the manifest last, so an interrupted run leaves the old manifest and the
// next run completes the work.
func Apply(dir string, changes []Change, force bool) error {
	if !force && len(Conflicts(changes)) > 0 {
		return errors.New("write: conflicts present; refusing to write")
	}
	if err := checkInside(dir, changes); err != nil {
		return err
	}
	sorted := append([]Change(nil), changes...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return sorted[i].File.Kind != render.ManifestKind && sorted[j].File.Kind == render.ManifestKind
	})
	for _, c := range sorted {
		switch c.Action {
		case Create, Update, Conflict:
			if err := atomicWrite(filepath.Join(dir, filepath.FromSlash(c.File.Path)), c.File.Content); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkInside refuses paths that a symlink inside the project would send
// elsewhere.
func checkInside(dir string, changes []Change) error {
	root, err := filepath.EvalSymlinks(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // nothing exists yet, so nothing can point outside
	}
	if err != nil {
		return err
	}
	for _, c := range changes {
		parent := filepath.Dir(filepath.Join(dir, filepath.FromSlash(c.File.Path)))
		for {
			real, err := filepath.EvalSymlinks(parent)
			if err == nil {
				if rel, err := filepath.Rel(root, real); err != nil || !filepath.IsLocal(rel) && rel != "." {
					return fmt.Errorf("refusing to write %s: %s leads outside the project", c.File.Path, parent)
				}
				break
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			parent = filepath.Dir(parent) // not created yet: check the nearest existing ancestor
		}
	}
	return nil
}

// atomicWrite writes a temporary file beside path, syncs it and renames it
// over path: a reader sees the old file or the new one, never half of one.
func atomicWrite(path string, content []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if info, err := os.Lstat(path); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("refusing to replace symlink %s", path)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable; not all file systems support it
		d.Close()
	}
	return nil
}

// ReadManifest returns the manifest in dir, or nil when there is none.
func ReadManifest(dir string) (*render.Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, render.ManifestPath))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return render.ParseManifest(b)
}

// IsEmptyDir reports whether dir is missing or holds nothing but dotfiles
// that tools create (.git).
func IsEmptyDir(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if e.Name() != ".git" && !strings.HasPrefix(e.Name(), ".DS_Store") {
			return false, nil
		}
	}
	return true, nil
}
