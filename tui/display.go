package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"hecha"
)

// How the screens show a case's values: dates, divisions and empty
// values, section rules and label-value pairs. Shared by the detail,
// history and form screens.

// moreBelow is the line that stands in for the last one on screen when n
// lines do not fit: it says how much is below and how to see it.
func moreBelow(e *env, n, w int) string {
	more := e.t("tui.detail.more", n)
	if e.st.ASCII {
		more = asciiArrows.Replace(more)
	}
	return " " + e.st.Dim.Render(fit(more, w-1))
}

// section returns a heading line with a rule after it.
func section(s Styles, title string, w int) string {
	t := " " + s.Heading.Render(title) + " "
	return fit(t+s.rule(w-cellWidth(t)), w)
}

// divText names a division by its full path and code, or "—".
func divText(e *env, c hecha.Code) string {
	if c == "" {
		return glyphs.dash
	}
	if e.rules.Divisions.Unchecked(c) {
		return uncheckedPath(e, c) + " (" + clean(string(c)) + ") " + e.t("tui.division.unchecked")
	}
	return clean(e.rules.Divisions.FullName(c)) + " (" + clean(string(c)) + ")"
}

// uncheckedPath names the divisions the table knows above an unchecked
// township code (another province's county and up).
func uncheckedPath(e *env, c hecha.Code) string {
	return clean(strings.TrimSuffix(e.rules.Divisions.FullName(c), "/"+string(c)))
}

// divShort names a division by its code and its own name, for tables.
func divShort(e *env, c hecha.Code) string {
	if c == "" {
		return glyphs.dash
	}
	if d, ok := e.rules.Divisions.Lookup(c); ok {
		return clean(string(c)) + " " + clean(d.Name)
	}
	if e.rules.Divisions.Unchecked(c) {
		return clean(string(c)) + " " + e.t("tui.division.unchecked")
	}
	return clean(string(c))
}

// dateText shows a date, or "—" when not given.
func dateText(d hecha.Date) string {
	if d.IsZero() {
		return glyphs.dash
	}
	return d.String()
}

// orDash is s, or "—" when empty.
func orDash(s string) string {
	if s == "" {
		return glyphs.dash
	}
	return clean(s)
}

// pair lays out two label-value pairs side by side when they fit, else
// one per line.
func pair(w, lw int, l1, v1, l2, v2 string) []string {
	half := (w - 2) / 2
	a := " " + pad(l1, lw) + " " + v1
	if l2 == "" {
		if cellWidth(a) <= w {
			return []string{a}
		}
		// A long value (a division's path and code, an address) wraps
		// under itself, at a "/" or a space where it can, rather than lose
		// its end.
		room := max(w-lw-2, 8)
		var out []string
		for i, part := range strings.Split(ansi.Wrap(v1, room, "/ "), "\n") {
			label := l1
			if i > 0 {
				label = ""
			}
			out = append(out, fit(" "+pad(label, lw)+" "+strings.TrimRight(part, " "), w))
		}
		return out
	}
	b := pad(l2, lw) + " " + v2
	if l2 != "" && cellWidth(a) < half && cellWidth(b) <= w-half-1 {
		return []string{pad(a, half) + " " + b}
	}
	return []string{fit(a, w), fit(" "+b, w)}
}
