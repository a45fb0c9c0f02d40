package tui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
	"github.com/rivo/uniseg"

	"hecha"
)

// cellWidth returns the number of terminal cells s takes (Chinese
// characters take two), as ansi.StringWidth counts them. Text made only of
// printable ASCII and the common CJK ranges, which is nearly all a list
// shows, is counted directly; anything else (escape sequences, combining
// marks, emoji) goes to ansi.StringWidth, whose grapheme segmentation is
// some twenty times slower.
func cellWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return ansi.StringWidth(s)
			}
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWideCJK(r) {
			return ansi.StringWidth(s)
		}
		n += 2
		i += size
	}
	return n
}

// isWideCJK reports whether r is in a block of wide characters that never
// combine with what follows: CJK ideographs, CJK punctuation and the
// full-width forms.
func isWideCJK(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF, r >= 0xF900 && r <= 0xFAFF:
		return true
	case r >= 0x3001 && r <= 0x3003, r >= 0x3008 && r <= 0x3011:
		return true
	case r >= 0xFF01 && r <= 0xFF5E:
		return true
	}
	return false
}

// ambiguousWide reports whether characters of ambiguous East Asian width
// are measured as two cells: the · in names such as 阿依古丽·买买提, ①, —,
// “ ”, and the box-drawing and other glyphs an interface likes to draw.
// Terminals disagree: most draw them narrow, but some East Asian setups
// draw them wide (a legacy Windows console on code page 936, terminals
// with "ambiguous characters are wide" on). ansi, and with it lipgloss and
// Bubble Tea, measures them wide when the environment has
// RUNEWIDTH_EASTASIAN=1 (go-runewidth's convention), read once at start;
// the interface follows its measure, so the variable must match the
// terminal.
func ambiguousWide() bool { return ansi.StringWidth("\u00b7") == 2 }

// setAmbiguousWidth makes the text input's measures (bubbles/textinput
// counts with uniseg and go-runewidth, which guesses from the locale)
// agree with ansi's.
func setAmbiguousWidth(wide bool) {
	uniseg.EastAsianAmbiguousWidth = 1
	if wide {
		uniseg.EastAsianAmbiguousWidth = 2
	}
	runewidth.EastAsianWidth = wide
	runewidth.DefaultCondition.EastAsianWidth = wide
}

// glyphs are the two glyphs drawn by free functions: the mark of cut
// text and of an empty value. New sets them for the ASCII option; one
// process runs one interface, so a package variable serves.
var glyphs = struct{ ellipsis, dash string }{"…", "—"}

// setGlyphs picks the glyphs for ascii.
func setGlyphs(ascii bool) {
	if ascii {
		glyphs.ellipsis, glyphs.dash = "~", "-"
	} else {
		glyphs.ellipsis, glyphs.dash = "…", "—"
	}
}

// fit cuts s to at most w cells, ending it with "…" when cut.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if cellWidth(s) <= w {
		return s
	}
	return truncate(s, w)
}

// truncate cuts s to w cells with a "…". Text that is not clean (stray C1
// or invalid bytes, which ansi may read as the start of a sequence) is
// cleaned first, so the cut always holds.
func truncate(s string, w int) string {
	out := ansi.Truncate(s, w, glyphs.ellipsis)
	if cellWidth(out) > w {
		out = ansi.Truncate(clean(s), w, glyphs.ellipsis)
	}
	return out
}

// pad cuts or pads s with spaces to exactly w cells.
func pad(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := cellWidth(s)
	if n > w {
		s = truncate(s, w)
		n = cellWidth(s)
	}
	if n < w {
		s += spaces(w - n)
		// A prepended mark (U+0600…) joins the space after it into one
		// cell; pad again until the width is reached.
		for i := 0; i < w && cellWidth(s) < w; i++ {
			s += " "
		}
	}
	return s
}

// spaces returns n spaces.
func spaces(n int) string {
	const blank = "                                                                                "
	if n <= len(blank) {
		return blank[:n]
	}
	return strings.Repeat(" ", n)
}

// clean makes untrusted text (names and addresses from imported files or
// the server) safe to print: no control, escape or bidi character reaches
// the terminal and nothing breaks a line.
func clean(s string) string { return hecha.SanitizeForDisplay(s) }

// fitLines cuts every line of s to w cells and keeps at most h lines,
// padding with empty lines to exactly h; the root's last guard that a view
// never draws more than fits, nor anything but text and styles.
func fitLines(lines []string, w, h int) string {
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(fit(terminalSafe(lines[i]), w))
		}
	}
	return b.String()
}

// inputView draws a text input. Without colour the input's cursor, drawn
// in reverse video, would not show: the cursor is then a mark, "_" after
// the text or "|" before the character it is on, and a text too long for
// the input shows the part around the cursor, cut ends marked.
func inputView(s Styles, ti textinput.Model) string {
	if !s.NoColor {
		return ti.View() // styled by the input itself: lipgloss would cut its escapes apart
	}
	v := []rune(clean(ti.Value()))
	pos := min(max(ti.Position(), 0), len(v))
	text := string(v[:pos]) + "|" + string(v[pos:])
	if pos == len(v) {
		text = string(v) + "_"
	}
	n, limit := cellWidth(text), ti.Width+1
	if ti.Width <= 0 || n <= limit {
		return text
	}
	ell := glyphs.ellipsis
	ew := cellWidth(ell)
	at := cellWidth(string(v[:pos])) + 1 // the cells up to and with the cursor mark
	switch {
	case at <= limit-ew: // the start, cut after
		return cutCells(text, 0, limit-ew) + ell
	case at > n-(limit-ew): // the end, cut before
		return ell + cutCells(text, n-(limit-ew), n)
	default: // the cursor at the right, cut both sides
		return ell + cutCells(text, at-(limit-2*ew), at) + ell
	}
}

// cutCells returns the cells left to right of plain text s, leaving out
// a wide character cut in two.
func cutCells(s string, left, right int) string {
	part := ansi.Cut(s, left, right)
	for part != "" && cellWidth(part) > right-left {
		if left > 0 {
			_, n := utf8.DecodeRuneInString(part)
			part = part[n:]
		} else {
			part = part[:len(part)-len(lastRune(part))]
		}
	}
	return part
}

// cleanInput keeps what a text input shows clean: a paste may bring
// control or bidi characters the input itself lets through.
func cleanInput(ti textinput.Model) textinput.Model {
	if v := ti.Value(); clean(v) != v {
		pos := ti.Position()
		ti.SetValue(clean(v))
		ti.SetCursor(pos)
	}
	return ti
}

// wrapText wraps plain text s into lines of at most w cells. It breaks
// at spaces and between Chinese characters, never inside a run of other
// characters (a date such as 1989-02-24, an ID number, a code, a word)
// unless the run alone is wider than a line; closing punctuation stays
// with what it closes and opening punctuation with what it opens.
func wrapText(s string, w int) []string {
	w = max(w, 1)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		for _, l := range wrapLine(wrapTokens(para), w) {
			out = append(out, fit(l, w))
		}
	}
	return out
}

// wrapToken is a piece of text a line is never broken inside.
type wrapToken struct {
	text  string
	width int
	space bool // a run of spaces: dropped at a break
	wide  bool // a wide character (with its punctuation)
	open  bool // an opening mark, waiting for what it opens
}

// wrapTokens cuts a line of text into wrapTokens.
func wrapTokens(s string) []wrapToken {
	var toks []wrapToken
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		c, cw := g.Str(), g.Width()
		last := len(toks) - 1
		joins := false
		if c != " " && last >= 0 && !toks[last].space {
			t := toks[last]
			joins = t.open || // an opening mark stays with what follows
				strings.Contains(closingPunct, c) || // no line starts with a closing mark
				(cw < 2 && !t.wide) // a run of narrow characters: a date, a code, a word
		}
		switch {
		case c == " " && last >= 0 && toks[last].space:
			toks[last].text += c
			toks[last].width++
		case joins:
			toks[last].text += c
			toks[last].width += cw
			toks[last].open = strings.Contains(openingPunct, c)
		default:
			toks = append(toks, wrapToken{text: c, width: cw, space: c == " ", wide: cw >= 2,
				open: strings.Contains(openingPunct, c)})
		}
	}
	return toks
}

// Punctuation that must not begin a line, and that must not end one.
const (
	closingPunct = "，。、：；！？）》」』】〉”’,.:;!?)]}%…"
	openingPunct = "（《「『【〈“‘([{"
)

// wrapLine fills lines of at most w cells with toks, breaking a token
// only when it alone is wider than w.
func wrapLine(toks []wrapToken, w int) []string {
	var out []string
	var b strings.Builder
	n, gap := 0, ""
	for _, t := range toks {
		if t.space {
			if n > 0 {
				gap = t.text
			}
			continue
		}
		if n > 0 && n+len(gap)+t.width > w {
			out = append(out, b.String())
			b.Reset()
			n, gap = 0, ""
		}
		b.WriteString(gap)
		n += len(gap)
		gap = ""
		if n == 0 && t.width > w {
			// Too wide for any line: cut it, the rest begins a line.
			parts := strings.Split(ansi.Hardwrap(t.text, w, false), "\n")
			out = append(out, parts[:len(parts)-1]...)
			t.text = parts[len(parts)-1]
			t.width = ansi.StringWidth(t.text)
		}
		b.WriteString(t.text)
		n += t.width
	}
	return append(out, b.String())
}

// terminalSafe returns a line of the view with nothing but text and SGR
// sequences (colours and attributes, the only escapes lipgloss and the
// bubbles draw with) in it: any other escape, control or bidi character
// is made harmless as clean makes it. The screens clean what comes from
// outside where they draw it; this is the last guard, at the root.
func terminalSafe(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0x200e || r == 0x200f || r >= 0x2028 && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
			r == 0x061c || r == utf8.RuneError
	}) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			b.WriteString(clean(s))
			break
		}
		b.WriteString(clean(s[:i]))
		s = s[i:]
		if n := sgrLen(s); n > 0 {
			b.WriteString(s[:n])
			s = s[n:]
		} else {
			b.WriteRune(utf8.RuneError)
			s = s[1:]
		}
	}
	return b.String()
}

// sgrLen returns the length of the SGR sequence (ESC [ digits ; : m) s
// starts with, or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 64; i++ {
		switch c := s[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9' || c == ';' || c == ':':
		default:
			return 0
		}
	}
	return 0
}

// rule returns a horizontal rule w cells wide.
func (s Styles) rule(w int) string {
	if w <= 0 {
		return ""
	}
	return s.Dim.Render(strings.Repeat(s.Rule, w))
}

// lastRune returns the last character of s as a string.
func lastRune(s string) string {
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}

// joinLines joins view lines.
func joinLines(lines []string) string {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for i, l := range lines {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(b, l...)
	}
	return string(b)
}

// itoa formats a count.
func itoa(n int) string { return strconv.Itoa(n) }
