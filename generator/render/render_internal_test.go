package render

import "testing"

func TestImportsSorted(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"package p\n\nimport (\n\t\"a\"\n\t\"b\"\n\n\t\"z/c\"\n\t\"z/d\"\n)\n", true},
		{"package p\n\nimport (\n\t\"b\"\n\t\"a\"\n)\n", false},
		{"package p\n\nimport (\n\t\"z\"\n\n\t\"a\"\n)\n", true}, // separate runs
		{"package p\n\nimport \"a\"\n", true},
		{"not go", false},
	} {
		if got := importsSorted([]byte(c.src)); got != c.want {
			t.Errorf("%q: %v, want %v", c.src, got, c.want)
		}
	}
}
