package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
)

// generatorTimes are the generator's own speeds.
type generatorTimes struct {
	providers, files int
	catalogue        time.Duration // loading the built-in catalogue (median)
	render           time.Duration // rendering every provider (median)
	checkWall        time.Duration // `check` on a 4-provider project, process start to exit (median)
	checkSelf        string        // what check says it took ("checked N files in …")
}

// timeGenerator times, in this process, loading the catalogue and rendering
// a project with every provider (as BenchmarkRenderEveryProvider does), and
// runs the built CLI's check on a freshly generated 4-provider project.
func (b *bench) timeGenerator(ctx context.Context) (*generatorTimes, error) {
	g := &generatorTimes{}
	const n = 15
	var loads, renders []time.Duration
	for range n {
		t0 := time.Now()
		c, err := catalog.Default()
		if err != nil {
			return nil, err
		}
		t1 := time.Now()
		a := render.Answers{Module: "example.com/everyprovider"}
		for _, name := range c.Names() {
			a.Providers = append(a.Providers, render.Selection{Name: name})
		}
		if a, err = render.Normalize(a, c); err != nil {
			return nil, err
		}
		p, err := render.Render(a, c, "bench")
		if err != nil {
			return nil, err
		}
		t2 := time.Now()
		loads, renders = append(loads, t1.Sub(t0)), append(renders, t2.Sub(t1))
		g.providers, g.files = len(a.Providers), len(p.Files)
	}
	g.catalogue, g.render = median(loads), median(renders)

	dir := filepath.Join(b.work, "check4")
	init := exec.CommandContext(ctx, b.cli, "init", dir, "--module", "example.com/check4", "--no-input",
		"--provider", "stripe", "--provider", "github", "--provider", "shopify", "--provider", "generic-hmac")
	if out, err := init.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("create-webhook-handler init (4 providers): %v\n%s", err, out)
	}
	var walls []time.Duration
	said := regexp.MustCompile(`checked \d+ files in \S+`)
	for range 7 {
		var stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, b.cli, "check", "--dir", dir)
		cmd.Stderr = &stderr
		t0 := time.Now()
		err := cmd.Run()
		walls = append(walls, time.Since(t0))
		if err != nil {
			return nil, fmt.Errorf("create-webhook-handler check on a fresh project: %v\n%s", err, stderr.String())
		}
		g.checkSelf = said.FindString(stderr.String())
	}
	g.checkWall = median(walls)
	return g, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return percentile(s, 50)
}
