package render

import (
	"bytes"
	"fmt"
	"go/format"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"text/template"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/gotypes"
	"github.com/create-webhook-handler/create-webhook-handler/templates"
)

// runtimeImport is the import path prefix of the runtime packages in this
// repository; in a project they live at <module>/<runtimeDirs[pkg]>.
const runtimeImport = "github.com/create-webhook-handler/create-webhook-handler/templates/runtime/"

// runtimeDirs maps each runtime package (its directory under
// templates/runtime) to its place in a project.
var runtimeDirs = map[string]string{
	"config":          "config",
	"event":           "webhooks/event",
	"eventschema":     "webhooks/eventschema",
	"handshake":       "webhooks/handshake",
	"ipranges":        "webhooks/ipranges",
	"metrics":         "webhooks/metrics",
	"middleware":      "webhooks/middleware",
	"receive":         "webhooks/receive",
	"service":         "webhooks/service",
	"store":           "webhooks/store",
	"store/storetest": "webhooks/store/storetest",
	"verify":          "webhooks/verify",
}

// Render builds the project for normalized answers (see Normalize).
func Render(a Answers, c *catalog.Catalog, generatorVersion string) (*Project, error) {
	d, err := newData(a, c, generatorVersion)
	if err != nil {
		return nil, err
	}
	p := &Project{Files: map[string]*File{}}
	steps := []func(*Project, *data) error{
		renderRuntime,
		renderTemplates,
		renderProviders,
	}
	for _, step := range steps {
		if err := step(p, d); err != nil {
			return nil, err
		}
	}
	m, err := NewManifest(a, generatorVersion, p)
	if err != nil {
		return nil, err
	}
	if err := p.add(ManifestPath, ManifestKind, m.Encode()); err != nil {
		return nil, err
	}
	return p, nil
}

// renderRuntime copies the runtime packages, with their imports pointed at
// the project's module and the generated-file header added.
func renderRuntime(p *Project, d *data) error {
	return fs.WalkDir(templates.FS, "runtime", func(file string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(file, ".go") || strings.HasSuffix(file, "_test.go") {
			return err
		}
		pkg := strings.TrimPrefix(path.Dir(file), "runtime/")
		dir, ok := runtimeDirs[pkg]
		if !ok {
			return fmt.Errorf("render: runtime package %s has no place in a project", pkg)
		}
		src, err := fs.ReadFile(templates.FS, file)
		if err != nil {
			return err
		}
		for from, to := range runtimeDirs {
			src = bytes.ReplaceAll(src, []byte(strconv.Quote(runtimeImport+from)), []byte(strconv.Quote(d.Module+"/"+to)))
		}
		out, err := formatGo(file, append([]byte(Header+"\n\n"), src...))
		if err != nil {
			return err
		}
		return p.add(path.Join(dir, path.Base(file)), Generated, out)
	})
}

// projectFile is one template rendered once per project.
type projectFile struct {
	template string
	path     string
	kind     Kind
}

var projectFiles = []projectFile{
	{"main.go.tmpl", "cmd/server/main.go", Generated},
	{"routes.go.tmpl", "webhooks/routes.go", Generated},
	{"processors.go.tmpl", "webhooks/processors/dispatch.go", Generated},
	{"schemas.go.tmpl", "webhooks/schemas/schemas.go", Generated},
	{"handlers_doc.go.tmpl", "webhooks/handlers/doc.go", Generated},
	{"webhooks_test.go.tmpl", "tests/webhooks/webhooks_test.go", Generated},
	{"cases_test.go.tmpl", "tests/webhooks/cases_test.go", Generated},
	{"README.md.tmpl", "README.md", Scaffolded},
	{"Makefile.tmpl", "Makefile", Scaffolded},
	{"Dockerfile.tmpl", "Dockerfile", Scaffolded},
	{"compose.yaml.tmpl", "compose.yaml", Scaffolded},
	{"gitignore.tmpl", ".gitignore", Scaffolded},
}

func renderTemplates(p *Project, d *data) error {
	for _, f := range projectFiles {
		out, err := execute(f.template, d)
		if err != nil {
			return err
		}
		if err := p.add(f.path, f.kind, out); err != nil {
			return err
		}
	}
	// go.mod and go.sum come from a pinned asset (make pin refreshes it), so
	// rendering needs no network and stays deterministic.
	mod, err := fs.ReadFile(templates.FS, "project/go.mod.pinned")
	if err != nil {
		return err
	}
	if err := p.add("go.mod", Merged, append([]byte("module "+d.Module+"\n\n"), mod...)); err != nil {
		return err
	}
	sum, err := fs.ReadFile(templates.FS, "project/go.sum.pinned")
	if err != nil {
		return err
	}
	if err := p.add("go.sum", Merged, sum); err != nil {
		return err
	}
	cfg, err := configJSON(d)
	if err != nil {
		return err
	}
	return p.add("config/webhooks.json", Merged, cfg)
}

// renderProviders writes what each provider adds: typed events, schemas,
// samples and one handler file per event.
func renderProviders(p *Project, d *data) error {
	for _, pd := range d.Providers {
		var events []gotypes.Event
		for _, e := range pd.Events {
			if e.Schema != nil {
				events = append(events, gotypes.Event{Name: e.Name, TypeName: e.GoName + "Event", Schema: e.Schema})
				if err := p.add(path.Join("webhooks/schemas", pd.Name, e.FileName+".json"), Generated, e.Schema); err != nil {
					return err
				}
			}
			if e.Sample != nil {
				if err := p.add(path.Join("testdata/events", pd.Name, e.FileName+".json"), Scaffolded, e.Sample); err != nil {
					return err
				}
			}
			out, err := execute("handler.go.tmpl", handlerData{data: d, P: pd, E: e})
			if err != nil {
				return err
			}
			if err := p.add(path.Join("webhooks/handlers", pd.Name+"_"+e.FileName+".go"), Scaffolded, out); err != nil {
				return err
			}
		}
		if pd.Common != nil && len(events) > 0 {
			if err := p.add(path.Join("webhooks/schemas", pd.Name, "common.json"), Generated, pd.Common); err != nil {
				return err
			}
		}
		src, err := gotypes.Generate(pd.PackageName(), Header+"\n\n// Package "+pd.PackageName()+" holds the typed events of "+pd.Title+".",
			d.Module+"/webhooks/event", pd.Common, events)
		if err != nil {
			return fmt.Errorf("render %s types: %w", pd.Name, err)
		}
		if err := p.add(path.Join("webhooks/events", pd.Name, "events.go"), Generated, src); err != nil {
			return err
		}
	}
	return nil
}

type handlerData struct {
	*data
	P *providerData
	E *catalog.Event
}

var tmpl = template.Must(template.New("").Funcs(template.FuncMap{
	"quote":      strconv.Quote,
	"breakField": func(p *providerData, e *catalog.Event) string { return p.Break[e.Name] },
	"deref":      func(s *string) string { return *s },
	"topField":   func(path string) string { top, _, _ := strings.Cut(path, "."); return top },
}).ParseFS(templates.FS, "project/*.tmpl"))

// execute runs a template; Go output is formatted, so templates need not
// get whitespace exactly right.
func execute(name string, d any) ([]byte, error) {
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, name, d); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	if strings.HasSuffix(name, ".go.tmpl") {
		return formatGo(name, b.Bytes())
	}
	return b.Bytes(), nil
}

func formatGo(name string, src []byte) ([]byte, error) {
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("render %s: generated Go does not parse: %w\n%s", name, err, src)
	}
	return out, nil
}
