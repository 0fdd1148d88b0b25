package render_test

import (
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
)

// BenchmarkRenderEveryProvider renders a project with every provider of the
// built-in catalogue and its default events (the goal: under
// 100 ms). cmd/webhook-bench reports the same measurement.
//
//	go test ./generator/render -run XXX -bench RenderEveryProvider
func BenchmarkRenderEveryProvider(b *testing.B) {
	c, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	a, err := render.Normalize(goldenAnswers(c, everyProvider), c)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(a.Providers)), "providers")
	for b.Loop() {
		if _, err := render.Render(a, c, goldenVersion); err != nil {
			b.Fatal(err)
		}
	}
}
