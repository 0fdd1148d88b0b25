package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted, ascending durations; 0 when there are none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// table is a markdown table built row by row.
type table struct {
	header []string
	// right aligns a column's cells to the right (numbers).
	right []bool
	rows  [][]string
}

func newTable(header ...string) *table {
	t := &table{header: header, right: make([]bool, len(header))}
	for i, h := range header {
		t.right[i] = i > 0 && !strings.HasPrefix(h, "<")
		t.header[i] = strings.TrimPrefix(h, "<")
	}
	return t
}

func (t *table) add(cells ...string) {
	row := make([]string, len(t.header))
	copy(row, cells)
	for i := range row {
		if row[i] == "" {
			row[i] = "–"
		}
	}
	t.rows = append(t.rows, row)
}

// write prints the table with padded columns, so it also reads as plain text.
func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = max(len([]rune(h)), 3)
	}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	pad := func(s string, i int) string {
		n := widths[i] - len([]rune(s))
		if t.right[i] {
			return strings.Repeat(" ", n) + s
		}
		return s + strings.Repeat(" ", n)
	}
	line := func(cells []string) {
		parts := make([]string, len(cells))
		for i, c := range cells {
			parts[i] = pad(c, i)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(parts, " | "))
	}
	line(t.header)
	seps := make([]string, len(t.header))
	for i := range seps {
		seps[i] = strings.Repeat("-", widths[i])
		if t.right[i] {
			seps[i] = seps[i][1:] + ":"
		}
	}
	line(seps)
	for _, r := range t.rows {
		line(r)
	}
}

// ms formats a duration in milliseconds with a precision that suits it.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case d == 0:
		return "0"
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// mib formats bytes in MiB.
func mib(b int64) string {
	if b <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// pct formats a fraction as a percentage.
func pct(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	if f < 0.1 && f > 0 {
		return fmt.Sprintf("%.1f%%", 100*f)
	}
	return fmt.Sprintf("%.0f%%", 100*f)
}

// rate formats a per-second rate with thousands separators.
func rate(f float64) string {
	n := int64(math.Round(f))
	s := fmt.Sprint(n)
	if n < 10000 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sortedCopy merges and sorts per-client latencies.
func sortedCopy(parts [][]time.Duration) []time.Duration {
	var out []time.Duration
	for _, p := range parts {
		out = append(out, p...)
	}
	slices.Sort(out)
	return out
}
