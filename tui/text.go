package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"hecha"
)

// cellWidth returns the number of terminal cells s takes (Chinese
// characters take two).
func cellWidth(s string) int { return ansi.StringWidth(s) }

// fit cuts s to at most w cells, ending it with "…" when cut.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// pad cuts or pads s with spaces to exactly w cells.
func pad(s string, w int) string {
	s = fit(s, w)
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// padLeft is pad with the spaces in front.
func padLeft(s string, w int) string {
	s = fit(s, w)
	if n := ansi.StringWidth(s); n < w {
		s = strings.Repeat(" ", w-n) + s
	}
	return s
}

// clean makes untrusted text (names and addresses from imported files or
// the server) safe to print: no control, escape or bidi character reaches
// the terminal and nothing breaks a line.
func clean(s string) string { return hecha.SanitizeForDisplay(s) }

// fitLines cuts every line of s to w cells and keeps at most h lines,
// padding with empty lines to exactly h; the root's last guard that a view
// never draws more than fits.
func fitLines(lines []string, w, h int) string {
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(fit(lines[i], w))
		}
	}
	return b.String()
}

// rule returns a horizontal rule w cells wide.
func (s Styles) rule(w int) string {
	if w <= 0 {
		return ""
	}
	return s.Dim.Render(strings.Repeat(s.Rule, w))
}
