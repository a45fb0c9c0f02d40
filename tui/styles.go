package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"hecha"
)

// Styles holds every style and glyph the TUI draws with. Colour never
// carries meaning alone: states have text markers, the cursor row a
// pointer, errors a prefix, so a terminal without colour (NO_COLOR, or the
// Ascii profile) shows everything. ASCII replaces every glyph that old
// consoles lack.
type Styles struct {
	ASCII bool
	// NoColor is set when the terminal shows no colour or other
	// attributes (NO_COLOR, or a terminal lipgloss finds without colour):
	// the text input's cursor, drawn in reverse video, is then drawn as a
	// mark.
	NoColor bool

	Bar        lipgloss.Style // the status bar
	BarOnline  lipgloss.Style
	BarOffline lipgloss.Style
	Title      lipgloss.Style
	Heading    lipgloss.Style
	TabActive  lipgloss.Style
	Cursor     lipgloss.Style // the row under the cursor
	Dim        lipgloss.Style
	Label      lipgloss.Style
	LabelFocus lipgloss.Style
	Input      lipgloss.Style
	Err        lipgloss.Style
	Notice     lipgloss.Style
	Differ     lipgloss.Style // an item that differs from the case
	Picked     lipgloss.Style
	Help       help.Styles
	State      map[hecha.Status]lipgloss.Style

	// Glyphs.
	Pointer   string // marks the cursor row
	Sep       string // between status bar parts
	Dot       string // between the parts of a title
	Arrow     string // "leads to"
	Rule      string // a horizontal rule's character
	Differs   string // marks a differing item
	Checked   string
	Unchecked string
	ErrMark   string // before an error message at a field
	Full      rune   // progress bar
	Empty     rune
}

// NewStyles returns the TUI's styles; ascii keeps every glyph in ASCII.
func NewStyles(ascii bool) Styles {
	s := Styles{
		ASCII:      ascii,
		NoColor:    lipgloss.ColorProfile() == termenv.Ascii,
		Bar:        lipgloss.NewStyle().Reverse(true),
		BarOnline:  lipgloss.NewStyle().Reverse(true).Foreground(lipgloss.Color("2")),
		BarOffline: lipgloss.NewStyle().Reverse(true).Foreground(lipgloss.Color("3")),
		Title:      lipgloss.NewStyle().Bold(true),
		Heading:    lipgloss.NewStyle().Bold(true).Underline(true),
		TabActive:  lipgloss.NewStyle().Bold(true).Reverse(true),
		Cursor:     lipgloss.NewStyle().Bold(true).Reverse(true),
		Dim:        lipgloss.NewStyle().Faint(true),
		Label:      lipgloss.NewStyle(),
		LabelFocus: lipgloss.NewStyle().Bold(true),
		Input:      lipgloss.NewStyle().Underline(true),
		Err:        lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		Notice:     lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
		Differ:     lipgloss.NewStyle().Foreground(lipgloss.Color("3")).Bold(true),
		Picked:     lipgloss.NewStyle().Bold(true),
		Help:       help.New().Styles,
		State: map[hecha.Status]lipgloss.Style{
			hecha.StatusPending:  lipgloss.NewStyle(),
			hecha.StatusDraft:    lipgloss.NewStyle().Foreground(lipgloss.Color("4")),
			hecha.StatusDone:     lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
			hecha.StatusUpload:   lipgloss.NewStyle().Foreground(lipgloss.Color("6")),
			hecha.StatusRejected: lipgloss.NewStyle().Foreground(lipgloss.Color("1")),
			hecha.StatusConflict: lipgloss.NewStyle().Foreground(lipgloss.Color("5")),
		},
		Pointer:   "›",
		Sep:       " │ ",
		Dot:       " · ",
		Arrow:     "→",
		Rule:      "─",
		Differs:   "*",
		Checked:   "[✓]",
		Unchecked: "[ ]",
		ErrMark:   "✗ ",
		Full:      '█',
		Empty:     '░',
	}
	if ascii {
		s.Pointer = ">"
		s.Sep = " | "
		s.Dot = " - "
		s.Arrow = "->"
		s.Rule = "-"
		s.Checked = "[x]"
		s.ErrMark = "! "
		s.Full = '#'
		s.Empty = '.'
	}
	return s
}

// Marker returns the text marker of a case status, 3 or 4 cells wide, so
// a row shows its state without colour.
func (s Styles) Marker(lang hecha.Lang, st hecha.Status) string {
	switch st {
	case hecha.StatusDraft:
		if s.ASCII {
			return "[d]"
		}
		return "[" + hecha.T(lang, "tui.marker.draft") + "]"
	case hecha.StatusDone:
		if s.ASCII {
			return "[v]"
		}
		return "[✓]"
	case hecha.StatusUpload:
		if s.ASCII {
			return "[^]"
		}
		return "[↑]"
	case hecha.StatusRejected:
		return "[!]"
	case hecha.StatusConflict:
		if s.ASCII {
			return "[#]"
		}
		return "[≠]"
	}
	return "[ ]"
}

// bar draws a progress bar w cells wide, pct (0–1) of it full, with
// bubbles/progress (ViewAs: a pure function of its arguments, as a view
// must be).
func (s Styles) bar(pct float64, w int) string {
	b := progress.New(progress.WithoutPercentage(), progress.WithSolidFill("2"), progress.WithWidth(w))
	b.Full, b.Empty = s.Full, s.Empty
	return b.ViewAs(min(max(pct, 0), 1))
}
