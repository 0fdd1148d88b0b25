package catalogimport

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Source is one pinned package an import reads: an npm package (fetched
// with `npm pack`) or a Go module (fetched with `go mod download`), always
// at an exact version, since npm on an older Node silently picks an old
// release for an unpinned name.
type Source struct {
	Kind    string // "npm" or "go"
	Package string
	Version string
}

func (s Source) String() string { return s.Kind + " " + s.Package + "@" + s.Version }

// Cite names a file of the source, for the imported list's provenance.
func (s Source) Cite(file string) string { return s.String() + " " + file }

// Fetcher reads files of pinned sources, keeping each package in a cache
// directory so a second import reads from disk.
type Fetcher struct {
	Cache string

	mu    sync.Mutex
	files map[Source]map[string][]byte // npm tarballs read once
}

// NewFetcher caches under the user's cache directory.
func NewFetcher() (*Fetcher, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return &Fetcher{Cache: filepath.Join(dir, "create-webhook-handler", "sources")}, nil
}

// ErrUnavailable wraps a failure to fetch a source (no npm, no network).
var ErrUnavailable = errors.New("source unavailable")

// Read returns one file of the source, by its path inside the package.
func (f *Fetcher) Read(ctx context.Context, s Source, file string) ([]byte, error) {
	switch s.Kind {
	case "npm":
		files, err := f.npmFiles(ctx, s)
		if err != nil {
			return nil, err
		}
		b, ok := files[file]
		if !ok {
			return nil, fmt.Errorf("%s has no file %s", s, file)
		}
		return b, nil
	case "go":
		dir, err := f.goModule(ctx, s)
		if err != nil {
			return nil, err
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("source %s: unknown kind %q", s, s.Kind)
}

// npmFiles reads every file of an npm package's tarball, by its path
// without the leading "package/".
func (f *Fetcher) npmFiles(ctx context.Context, s Source) (map[string][]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if files, ok := f.files[s]; ok {
		return files, nil
	}
	tgz := filepath.Join(f.Cache, "npm", strings.NewReplacer("/", "-", "@", "").Replace(s.Package)+"-"+s.Version+".tgz")
	if _, err := os.Stat(tgz); err != nil {
		if err := f.npmPack(ctx, s, tgz); err != nil {
			return nil, err
		}
	}
	raw, err := os.ReadFile(tgz)
	if err != nil {
		return nil, err
	}
	files, err := untar(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	if f.files == nil {
		f.files = map[Source]map[string][]byte{}
	}
	f.files[s] = files
	return files, nil
}

func (f *Fetcher) npmPack(ctx context.Context, s Source, dest string) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("%w: npm is not on PATH, needed for %s", ErrUnavailable, s)
	}
	tmp, err := os.MkdirTemp("", "cwh-npm-pack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, npm, "pack", "--silent", "--json", "--pack-destination", tmp, s.Package+"@"+s.Version)
	cmd.Dir = tmp
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		return fmt.Errorf("%w: npm pack %s@%s: %v\n%s", ErrUnavailable, s.Package, s.Version, err, stderr)
	}
	var packed []struct {
		Filename string `json:"filename"`
		Version  string `json:"version"`
	}
	if err := json.Unmarshal(out, &packed); err != nil || len(packed) != 1 {
		return fmt.Errorf("npm pack %s@%s: unexpected output %q", s.Package, s.Version, out)
	}
	if packed[0].Version != s.Version {
		return fmt.Errorf("npm pack %s@%s gave version %s", s.Package, s.Version, packed[0].Version)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	return os.Rename(filepath.Join(tmp, filepath.Base(packed[0].Filename)), dest)
}

// untar reads a gzipped npm tarball into memory.
func untar(raw []byte) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		// npm tarballs hold everything under one top folder, "package/" by convention.
		name := path.Clean(h.Name)
		if _, rest, ok := strings.Cut(name, "/"); ok {
			name = rest
		}
		files[name] = b
	}
}

// goModule downloads a module with the go command and returns its directory.
func (f *Fetcher) goModule(ctx context.Context, s Source) (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("%w: the go command is not on PATH, needed for %s", ErrUnavailable, s)
	}
	cmd := exec.CommandContext(ctx, goCmd, "mod", "download", "-json", s.Package+"@"+s.Version)
	cmd.Dir = os.TempDir() // outside any module
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=on")
	out, err := cmd.Output()
	var res struct {
		Dir   string
		Error string
	}
	_ = json.Unmarshal(out, &res)
	if err != nil || res.Dir == "" {
		return "", fmt.Errorf("%w: go mod download %s@%s: %v %s", ErrUnavailable, s.Package, s.Version, err, res.Error)
	}
	return res.Dir, nil
}
