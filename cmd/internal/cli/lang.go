package cli

import (
	"strings"

	"hecha"
)

// Lang returns the language the user asked for: the --lang flag's value
// when set ("zh", "en", or a locale name), else the locale from the
// environment (hecha.LangFromEnv: Chinese unless it is English).
func Lang(flagValue string) hecha.Lang {
	if strings.TrimSpace(flagValue) != "" {
		return hecha.ParseLang(flagValue)
	}
	return hecha.LangFromEnv()
}

// PeekLang returns the value of a --lang flag in args without parsing
// them, so help text printed while parsing is already in that language.
// It stops at "--".
func PeekLang(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}
