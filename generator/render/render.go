package render

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"
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
	"jsondoc":         "webhooks/jsondoc",
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
	var sources []string
	err := fs.WalkDir(templates.FS, "runtime", func(file string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(file, ".go") && !strings.HasSuffix(file, "_test.go") {
			sources = append(sources, file)
		}
		return err
	})
	if err != nil {
		return err
	}
	files := make([]pendingFile, len(sources))
	err = parallel(len(sources), func(i int) error {
		file := sources[i]
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
		out := append([]byte(Header+"\n\n"), src...)
		if !importsSorted(out) {
			// The new paths sort differently: let gofmt reorder them.
			if out, err = formatGo(file, out); err != nil {
				return err
			}
		}
		files[i] = pendingFile{path.Join(dir, path.Base(file)), Generated, out}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := p.add(f.path, f.kind, f.data); err != nil {
			return err
		}
	}
	return nil
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
	files := make([][]pendingFile, len(d.Providers))
	err := parallel(len(d.Providers), func(i int) (err error) {
		files[i], err = providerFiles(d, d.Providers[i])
		return err
	})
	if err != nil {
		return err
	}
	for _, fs := range files { // in provider order: the project is the same every time
		for _, f := range fs {
			if err := p.add(f.path, f.kind, f.data); err != nil {
				return err
			}
		}
	}
	return nil
}

// pendingFile is a rendered file not yet added to the project.
type pendingFile struct {
	path string
	kind Kind
	data []byte
}

// providerFiles renders one provider's schemas, samples, handlers and typed
// events.
func providerFiles(d *data, pd *providerData) ([]pendingFile, error) {
	var out []pendingFile
	var events []gotypes.Event
	var schemas [][]byte
	for _, e := range pd.Events {
		if e.Schema != nil {
			schemas = append(schemas, e.Schema)
			events = append(events, gotypes.Event{Name: e.Name, TypeName: e.GoName + "Event", Schema: e.Schema})
			out = append(out, pendingFile{path.Join("webhooks/schemas", pd.Name, e.FileName+".json"), Generated, e.Schema})
		}
		if e.Sample != nil {
			out = append(out, pendingFile{path.Join("testdata/events", pd.Name, e.FileName+".json"), Scaffolded, e.Sample})
		}
		src, err := execute("handler.go.tmpl", handlerData{data: d, P: pd, E: e})
		if err != nil {
			return nil, err
		}
		out = append(out, pendingFile{path.Join("webhooks/handlers", pd.Name+"_"+e.FileName+".go"), Scaffolded, src})
	}
	common, err := pd.CommonFor(schemas)
	if err != nil {
		return nil, err
	}
	if common != nil && len(events) > 0 {
		out = append(out, pendingFile{path.Join("webhooks/schemas", pd.Name, "common.json"), Generated, common})
	}
	src, err := gotypes.Generate(pd.PackageName(), Header+"\n\n// Package "+pd.PackageName()+" holds the typed events of "+pd.Title+".",
		d.Module+"/webhooks/event", common, events)
	if err != nil {
		return nil, fmt.Errorf("render %s types: %w", pd.Name, err)
	}
	return append(out, pendingFile{path.Join("webhooks/events", pd.Name, "events.go"), Generated, src}), nil
}

// parallel runs f(0..n-1) on every core (formatting Go dominates a render)
// and returns the first error in index order.
func parallel(n int, f func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
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

// importsSorted reports whether a gofmt-clean file whose import paths were
// rewritten is still gofmt-clean: every run of adjacent import lines sorted
// by path. The runtime sources are gofmt-clean (make lint), so this skips a
// full format of each, most of renderRuntime's time.
func importsSorted(src []byte) bool {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return false
	}
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		for i := 1; i < len(g.Specs); i++ {
			a, b := g.Specs[i-1].(*ast.ImportSpec), g.Specs[i].(*ast.ImportSpec)
			adjacent := fset.Position(b.Pos()).Line == fset.Position(a.End()).Line+1
			if adjacent && a.Path.Value > b.Path.Value {
				return false
			}
		}
	}
	return true
}

func formatGo(name string, src []byte) ([]byte, error) {
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("render %s: generated Go does not parse: %w\n%s", name, err, src)
	}
	return out, nil
}
