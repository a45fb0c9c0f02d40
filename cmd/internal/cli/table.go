package cli

import (
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Ellipsis marks a cell cut to fit.
const Ellipsis = "…"

// columnGap is the space between two columns.
const columnGap = 2

// Table is a text table that fits a terminal's width. Cells are
// sanitised (see Sanitize) and measured in terminal cells
// (ansi.StringWidth), so Chinese text lines up.
type Table struct {
	Header []string
	Rows   [][]string
	// Right marks the columns aligned right (numbers).
	Right []bool
	// Min is the narrowest each column may be squeezed to; a missing or
	// zero entry means min(6, the column's natural width).
	Min []int
}

// Widths returns the width of each column when the table is laid out in
// width cells: each column as wide as its widest cell, then, while the
// table is too wide, the widest column above its minimum loses a cell.
func (t *Table) Widths(width int) []int {
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	w := make([]int, n)
	measure := func(row []string) {
		for i, c := range row {
			w[i] = max(w[i], ansi.StringWidth(Sanitize(c)))
		}
	}
	measure(t.Header)
	for _, r := range t.Rows {
		measure(r)
	}
	mins := make([]int, n)
	for i := range mins {
		mins[i] = min(6, w[i])
		if i < len(t.Min) && t.Min[i] > 0 {
			mins[i] = min(t.Min[i], w[i])
		}
	}
	total := func() int {
		s := columnGap * max(0, n-1)
		for _, x := range w {
			s += x
		}
		return s
	}
	for excess := total() - width; excess > 0; excess-- {
		widest := -1
		for i := range w {
			if w[i] > mins[i] && (widest < 0 || w[i] > w[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break // every column is at its minimum: let the line wrap
		}
		w[widest]--
	}
	return w
}

// Render writes the table laid out in width cells: the header, a rule,
// and the rows. Trailing spaces are trimmed.
func (t *Table) Render(w io.Writer, width int) error {
	widths := t.Widths(width)
	var b strings.Builder
	line := func(row []string) {
		var l strings.Builder
		for i, cw := range widths {
			c := ""
			if i < len(row) {
				c = Sanitize(row[i])
			}
			if ansi.StringWidth(c) > cw {
				c = ansi.Truncate(c, cw, Ellipsis)
			}
			pad := strings.Repeat(" ", max(0, cw-ansi.StringWidth(c)))
			if i > 0 {
				l.WriteString(strings.Repeat(" ", columnGap))
			}
			if i < len(t.Right) && t.Right[i] {
				l.WriteString(pad + c)
			} else {
				l.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	if len(t.Header) > 0 {
		line(t.Header)
		rule := make([]string, len(widths))
		for i, cw := range widths {
			rule[i] = strings.Repeat("-", cw)
		}
		line(rule)
	}
	for _, r := range t.Rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// PadRight pads s with spaces to width cells (measured with
// ansi.StringWidth); longer strings are returned unchanged.
func PadRight(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}
