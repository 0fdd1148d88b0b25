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
	"syscall"

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
	Delete    Action = "delete"   // a generated file the project no longer has
	// Retire takes a handler of a removed provider or event out of the build
	// (its types are gone) without deleting the user's code; Restore puts it
	// back when the provider or event returns.
	Retire  Action = "retire"
	Restore Action = "restore"
)

// RetiredMarker starts a handler file taken out of the build.
const RetiredMarker = "//go:build ignore\n\n// Taken out of the build by create-webhook-handler: its provider or event was\n// removed from the project. Add it back and this header goes away.\n\n"

// Change is the plan for one file.
type Change struct {
	File   *render.File
	Action Action
	// OnDisk is the current content, for conflicts' diffs.
	OnDisk []byte
	// Remove means the file goes away (Delete, or a Conflict over a generated
	// file the project no longer has).
	Remove bool
}

// Merger merges a rendered user-owned file into its content on disk.
type Merger func(path string, disk, rendered []byte) ([]byte, error)

// Plan compares p with dir. old is the manifest found in dir, or nil; merge
// completes user-owned files (nil: leave them as they are).
func Plan(dir string, p *render.Project, old *render.Manifest, merge Merger) ([]Change, error) {
	var changes []Change
	for _, path := range p.Paths() {
		f := p.Files[path]
		disk, exists, err := read(dir, path)
		if err != nil {
			return nil, err
		}
		c := Change{File: f, OnDisk: disk}
		switch {
		case !exists:
			c.Action = Create
		case bytes.Equal(disk, f.Content):
			// Equal to the new render: clean whatever the manifest says, so a
			// run killed half way is finished by the next one.
			c.Action = Unchanged
		case f.Kind == render.Scaffolded && bytes.HasPrefix(disk, []byte(RetiredMarker)):
			c.Action = Restore
			c.File = &render.File{Path: path, Kind: f.Kind, Content: bytes.TrimPrefix(disk, []byte(RetiredMarker))}
		case f.Kind == render.Scaffolded:
			c.Action = Keep
		case f.Kind == render.Merged:
			c.Action = Keep
			if merge != nil {
				merged, err := merge(path, disk, f.Content)
				if err != nil {
					return nil, err
				}
				if !bytes.Equal(merged, disk) {
					c.Action = Update
					c.File = &render.File{Path: path, Kind: f.Kind, Content: merged}
				}
			}
		case f.Kind == render.ManifestKind:
			c.Action = Update
		case old != nil && old.Files[path].Hash == render.HashBytes(disk):
			c.Action = Update
		default:
			c.Action = Conflict
		}
		changes = append(changes, c)
	}
	gone, err := planGone(dir, p, old)
	if err != nil {
		return nil, err
	}
	return append(changes, gone...), nil
}

// planGone handles files the old manifest lists and the new render lacks:
// generated ones are deleted (unless edited by hand), handlers retired.
func planGone(dir string, p *render.Project, old *render.Manifest) ([]Change, error) {
	if old == nil {
		return nil, nil
	}
	var paths []string
	for path := range old.Files {
		if _, still := p.Files[path]; !still {
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	var changes []Change
	for _, path := range paths {
		mf := old.Files[path]
		disk, exists, err := read(dir, path)
		if err != nil {
			return nil, err
		}
		if !exists {
			continue
		}
		f := &render.File{Path: path, Kind: mf.Kind}
		switch {
		case mf.Kind == render.Generated && render.HashBytes(disk) == mf.Hash:
			changes = append(changes, Change{File: f, Action: Delete, OnDisk: disk, Remove: true})
		case mf.Kind == render.Generated:
			changes = append(changes, Change{File: f, Action: Conflict, OnDisk: disk, Remove: true})
		case mf.Kind == render.Scaffolded && strings.HasSuffix(path, ".go") && !bytes.HasPrefix(disk, []byte(RetiredMarker)):
			f.Content = append([]byte(RetiredMarker), disk...)
			changes = append(changes, Change{File: f, Action: Retire, OnDisk: disk})
		}
	}
	return changes, nil
}

func read(dir, path string) ([]byte, bool, error) {
	if !filepath.IsLocal(filepath.FromSlash(path)) {
		return nil, false, fmt.Errorf("refusing to write %q: outside the project", path)
	}
	disk, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil, false, nil // ENOTDIR: a file where a folder must go; writing it will say so
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	return disk, true, nil
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

// Apply writes the plan in two phases: every new content is first written
// to a temporary file beside its target (any failure there removes them all
// and leaves the project as it was), then renamed into place, the manifest
// last. A run killed during the renames is finished by the next run: files
// already renamed equal the new render, and the old manifest still stands.
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
	type staged struct{ tmp, target string }
	var writes []staged
	var removes []string
	cleanup := func() {
		for _, w := range writes {
			os.Remove(w.tmp)
		}
	}
	for _, c := range sorted {
		target := filepath.Join(dir, filepath.FromSlash(c.File.Path))
		switch {
		case c.Action == Unchanged || c.Action == Keep:
		case c.Remove:
			removes = append(removes, target)
		default:
			tmp, err := stage(target, c.File.Content)
			if err != nil {
				cleanup()
				return fmt.Errorf("nothing was changed: %w", err)
			}
			writes = append(writes, staged{tmp, target})
		}
	}
	for i, w := range writes {
		if err := os.Rename(w.tmp, w.target); err != nil {
			for _, rest := range writes[i:] {
				os.Remove(rest.tmp)
			}
			return fmt.Errorf("%w (run the command again to finish)", err)
		}
		syncDir(filepath.Dir(w.target))
	}
	for _, r := range removes {
		if err := os.Remove(r); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
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

// stage writes content to a synced temporary file beside path, for a later
// rename: a reader sees the old file or the new one, never half of one.
func stage(path string, content []byte) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if info, err := os.Lstat(path); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return "", fmt.Errorf("refusing to replace symlink %s", path)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(content)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// syncDir makes renames in dir durable; not every file system supports it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
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
