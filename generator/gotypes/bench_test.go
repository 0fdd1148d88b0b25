package gotypes_test

import (
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/generator/gotypes"
)

// BenchmarkGenerate generates the types of 30 GitHub and 30 Stripe events
// of the catalogue, one Generate call per provider, as a project selecting
// them would.
func BenchmarkGenerate(b *testing.B) {
	type input struct {
		common []byte
		events []gotypes.Event
	}
	var inputs []input
	for _, p := range []string{"github", "stripe"} {
		common, events := providerEvents(b, p)
		if len(events) > 30 {
			events = events[:30]
		}
		inputs = append(inputs, input{common, events})
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range inputs {
			if _, err := gotypes.Generate("p", "", eventImport, in.common, in.events); err != nil {
				b.Fatal(err)
			}
		}
	}
}
