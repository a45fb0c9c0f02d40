package cli

import (
	"os"
	"strings"

	"hecha"
)

// Lang returns the language the user asked for: the --lang flag's value
// when set ("zh", "en", or a locale name), else the locale from the
// environment as hecha.LangFromEnv reads it (LC_ALL, LC_MESSAGES, LANG:
// Chinese unless it is English), read with getenv (nil: the process's
// environment).
func Lang(flagValue string, getenv func(string) string) hecha.Lang {
	if strings.TrimSpace(flagValue) != "" {
		return hecha.ParseLang(flagValue)
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	return hecha.LangFromEnv(getenv)
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
