package write_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
	"github.com/create-webhook-handler/create-webhook-handler/generator/write"
)

func project(files ...*render.File) *render.Project {
	p := &render.Project{Files: map[string]*render.File{}}
	for _, f := range files {
		p.Files[f.Path] = f
	}
	return p
}

func actions(t *testing.T, dir string, p *render.Project, old *render.Manifest) map[string]write.Action {
	t.Helper()
	changes, err := write.Plan(dir, p, old, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]write.Action{}
	for _, c := range changes {
		out[c.File.Path] = c.Action
	}
	return out
}

func TestPlanByOwnership(t *testing.T) {
	dir := t.TempDir()
	gen := &render.File{Path: "gen.go", Kind: render.Generated, Content: []byte("v2")}
	user := &render.File{Path: "handlers/h.go", Kind: render.Scaffolded, Content: []byte("stub")}
	merged := &render.File{Path: "go.mod", Kind: render.Merged, Content: []byte("module x")}
	p := project(gen, user, merged)

	got := actions(t, dir, p, nil)
	for path, want := range map[string]write.Action{"gen.go": write.Create, "handlers/h.go": write.Create, "go.mod": write.Create} {
		if got[path] != want {
			t.Errorf("empty dir: %s %s, want %s", path, got[path], want)
		}
	}

	writeFile(t, dir, "gen.go", "v1")
	writeFile(t, dir, "handlers/h.go", "the user's code")
	writeFile(t, dir, "go.mod", "module x\nrequire y v1\n")
	old := &render.Manifest{Files: map[string]render.ManifestFile{"gen.go": {Kind: render.Generated, Hash: render.HashBytes([]byte("v1"))}}}
	got = actions(t, dir, p, old)
	for path, want := range map[string]write.Action{"gen.go": write.Update, "handlers/h.go": write.Keep, "go.mod": write.Keep} {
		if got[path] != want {
			t.Errorf("rerun: %s %s, want %s", path, got[path], want)
		}
	}

	// Edited by hand: the hash on disk is not the one the manifest recorded.
	writeFile(t, dir, "gen.go", "v1 plus a hand edit")
	if a := actions(t, dir, p, old)["gen.go"]; a != write.Conflict {
		t.Fatalf("hand-edited generated file: %s, want conflict", a)
	}
	changes, _ := write.Plan(dir, p, old, nil)
	if err := write.Apply(dir, changes, false); err == nil {
		t.Fatal("Apply wrote over a hand edit without force")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "gen.go")); string(b) != "v1 plus a hand edit" {
		t.Fatalf("hand edit lost: %q", b)
	}
	if err := write.Apply(dir, changes, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "gen.go")); string(b) != "v2" {
		t.Fatalf("force did not overwrite: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "handlers/h.go")); string(b) != "the user's code" {
		t.Fatalf("a scaffolded file was overwritten: %q", b)
	}

	// Equal to the new render: clean, whatever the manifest says (an
	// interrupted run is finished by the next one).
	if a := actions(t, dir, p, nil)["gen.go"]; a != write.Unchanged {
		t.Fatalf("file equal to the render: %s, want unchanged", a)
	}
}

func TestRefusesPathsOutsideTheProject(t *testing.T) {
	dir := t.TempDir()
	p := project(&render.File{Path: "../escape.go", Kind: render.Generated, Content: []byte("x")})
	if _, err := write.Plan(dir, p, nil, nil); err == nil || !strings.Contains(err.Error(), "outside the project") {
		t.Fatalf("error %v, want outside the project", err)
	}
}

func TestRefusesSymlinkLeadingOutside(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "webhooks")); err != nil {
		t.Fatal(err)
	}
	p := project(&render.File{Path: "webhooks/routes.go", Kind: render.Generated, Content: []byte("x")})
	changes, err := write.Plan(dir, p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := write.Apply(dir, changes, false); err == nil || !strings.Contains(err.Error(), "outside the project") {
		t.Fatalf("error %v, want outside the project", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Fatalf("wrote outside the project: %v", entries)
	}
}

func TestManifestWrittenLast(t *testing.T) {
	dir := t.TempDir()
	// A directory where a file must go makes that write fail.
	if err := os.MkdirAll(filepath.Join(dir, "b.go"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := project(
		&render.File{Path: render.ManifestPath, Kind: render.ManifestKind, Content: []byte("{}")},
		&render.File{Path: "a.go", Kind: render.Generated, Content: []byte("a")},
		&render.File{Path: "b.go", Kind: render.Generated, Content: []byte("b")},
	)
	changes, err := write.Plan(dir, p, nil, nil)
	if err == nil {
		err = write.Apply(dir, changes, false)
	}
	if err == nil {
		t.Fatal("writing over a directory succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, render.ManifestPath)); err == nil {
		t.Fatal("the manifest was written although a file failed")
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(entries) != 0 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestIsEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if ok, _ := write.IsEmptyDir(filepath.Join(dir, "missing")); !ok {
		t.Fatal("a missing dir is not empty")
	}
	writeFile(t, dir, ".git/HEAD", "x")
	if ok, _ := write.IsEmptyDir(dir); !ok {
		t.Fatal("a dir with only .git is not empty")
	}
	writeFile(t, dir, "main.go", "x")
	if ok, _ := write.IsEmptyDir(dir); ok {
		t.Fatal("a dir with a file is empty")
	}
}

func writeFile(t *testing.T, dir, path, content string) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A write that fails while staging changes nothing; a run stopped during the
// renames is finished by the next run, after which nothing is left to do.
func TestInterruptedWrites(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "blocker", "a file where a directory must go")
	writeFile(t, dir, "a.go", "old a")
	manifest := &render.Manifest{Files: map[string]render.ManifestFile{"a.go": {Kind: render.Generated, Hash: render.HashBytes([]byte("old a"))}}}
	p := project(
		&render.File{Path: "a.go", Kind: render.Generated, Content: []byte("new a")},
		&render.File{Path: "blocker/b.go", Kind: render.Generated, Content: []byte("b")},
		&render.File{Path: render.ManifestPath, Kind: render.ManifestKind, Content: []byte("{}")},
	)
	changes, err := write.Plan(dir, p, manifest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := write.Apply(dir, changes, false); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("staging failure: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.go")); string(b) != "old a" {
		t.Fatalf("a.go changed although the run failed: %q", b)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(tmp) != 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}

	// Interrupted after the first rename: a.go is new, the manifest old.
	os.Remove(filepath.Join(dir, "blocker"))
	writeFile(t, dir, "a.go", "new a")
	changes, err = write.Plan(dir, p, manifest, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Action == write.Conflict {
			t.Fatalf("a file already equal to the render is taken for a hand edit: %s", c.File.Path)
		}
	}
	if err := write.Apply(dir, changes, false); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "blocker/b.go")); string(b) != "b" {
		t.Fatalf("the next run did not finish: %q", b)
	}
}

func TestRemovedFilesDeletedOrRetired(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "gone.go", "generated")
	writeFile(t, dir, "edited.go", "generated, then edited")
	writeFile(t, dir, "handlers/h.go", "package handlers\n")
	old := &render.Manifest{Files: map[string]render.ManifestFile{
		"gone.go":       {Kind: render.Generated, Hash: render.HashBytes([]byte("generated"))},
		"edited.go":     {Kind: render.Generated, Hash: render.HashBytes([]byte("generated"))},
		"handlers/h.go": {Kind: render.Scaffolded},
	}}
	got := actions(t, dir, project(), old)
	want := map[string]write.Action{"gone.go": write.Delete, "edited.go": write.Conflict, "handlers/h.go": write.Retire}
	for path, a := range want {
		if got[path] != a {
			t.Errorf("%s: %s, want %s", path, got[path], a)
		}
	}
	changes, _ := write.Plan(dir, project(), old, nil)
	if err := write.Apply(dir, changes, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gone.go")); err == nil {
		t.Error("gone.go not deleted")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "handlers/h.go")); !strings.HasPrefix(string(b), write.RetiredMarker) || !strings.HasSuffix(string(b), "package handlers\n") {
		t.Errorf("handler not retired with its code kept: %q", b)
	}
	// Back in the render: restored without the marker.
	p := project(&render.File{Path: "handlers/h.go", Kind: render.Scaffolded, Content: []byte("package handlers\n// stub\n")})
	if a := actions(t, dir, p, nil)["handlers/h.go"]; a != write.Restore {
		t.Fatalf("retired handler back in the render: %s, want restore", a)
	}
}
