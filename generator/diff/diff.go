// Package diff renders unified diffs between file versions, with
// pmezard/go-difflib (the library testify uses), not by hand.
package diff

import (
	"github.com/pmezard/go-difflib/difflib"
)

// Unified returns a unified diff from a to b with 3 lines of context, or ""
// when they are equal.
func Unified(nameA, nameB string, a, b []byte) string {
	out, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        difflib.SplitLines(string(a)),
		B:        difflib.SplitLines(string(b)),
		FromFile: nameA,
		ToFile:   nameB,
		Context:  3,
	})
	if err != nil {
		return err.Error() // only from the writer, a strings.Builder: cannot happen
	}
	return out
}
