package cli

import "hecha"

// Sanitize makes untrusted text (names and addresses from imported files,
// messages from the server) safe to print on a terminal, one line: it is
// hecha.SanitizeForDisplay (no ESC, C0/C1 control, bidi control or invalid
// UTF-8 reaches the terminal; tabs and line breaks become spaces).
func Sanitize(s string) string {
	return hecha.SanitizeForDisplay(s)
}
