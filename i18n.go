package hecha

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Lang is a user-interface language.
type Lang string

// The languages of the user interface. Chinese comes first and is the default.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// ParseLang returns the language named by s ("zh", "en", "zh_CN.UTF-8",
// "en_US", "中文", "English"); anything else is Chinese.
func ParseLang(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(s, "en") {
		return English
	}
	return Chinese
}

// LangFromEnv picks the language from LC_ALL, LC_MESSAGES or LANG, read
// with getenv (the caller's environment, os.Getenv for the process's):
// English for an English locale, Chinese otherwise (also when none is
// set).
func LangFromEnv(getenv func(string) string) Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" && v != "C" && v != "POSIX" {
			return ParseLang(v)
		}
	}
	return Chinese
}

// Msg is one catalogue entry: the same message in both languages. Either may
// hold fmt verbs, filled from the arguments given to T.
type Msg struct {
	Zh string
	En string
}

var catalogue = struct {
	sync.RWMutex
	m map[string]Msg
}{m: map[string]Msg{}}

// Register adds entries to the message catalogue. Each package that shows
// text registers its own entries from a package-level var, so the catalogue
// is complete before main runs. Registering a key twice panics: that is a
// programming error caught by any test.
func Register(entries map[string]Msg) struct{} {
	catalogue.Lock()
	defer catalogue.Unlock()
	for k, v := range entries {
		if _, dup := catalogue.m[k]; dup {
			panic("hecha: message " + k + " registered twice")
		}
		catalogue.m[k] = v
	}
	return struct{}{}
}

// T returns the catalogue message id in lang with args filled in. An unknown
// id returns the id itself, so a missing entry is visible, never blank.
func T(lang Lang, id string, args ...any) string {
	catalogue.RLock()
	m, ok := catalogue.m[id]
	catalogue.RUnlock()
	if !ok {
		return id
	}
	s := m.Zh
	if lang == English {
		s = m.En
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// FieldName returns the display name of a field path such as
// "verified.birth_date" or "members[2].citizen_id" in lang. The path's
// parts are matched greedily: the longest run of parts that has a
// "field.<run>" entry wins ("not_found.reason" is 查无此人原因, not the
// reason for moving), and the names of the runs are joined. An index is
// shown counting from one.
func FieldName(lang Lang, field string) string {
	parts := strings.Split(field, ".")
	bases := make([]string, len(parts))
	idx := make([]string, len(parts))
	for i, p := range parts {
		bases[i] = p
		if j := strings.IndexByte(p, '['); j >= 0 {
			bases[i], idx[i] = p[:j], strings.Trim(p[j:], "[]")
		}
	}
	var out []string
	for i := 0; i < len(parts); {
		name, next := bases[i], i+1
		for j := len(parts); j > i; j-- {
			if _, ok := CatalogueEntry("field." + strings.Join(bases[i:j], ".")); ok {
				name, next = T(lang, "field."+strings.Join(bases[i:j], ".")), j
				break
			}
		}
		if n := idx[next-1]; n != "" {
			if k, err := strconv.Atoi(n); err == nil {
				n = strconv.Itoa(k + 1)
			}
			if lang == English {
				name += " #" + n
			} else {
				name += "第" + n + "项"
			}
		}
		out = append(out, name)
		i = next
	}
	sep := " · "
	if lang == English {
		sep = " › "
	}
	return strings.Join(out, sep)
}

// CatalogueKeys returns every registered message id, sorted; for tests that
// check each entry has both languages.
func CatalogueKeys() []string {
	catalogue.RLock()
	defer catalogue.RUnlock()
	keys := make([]string, 0, len(catalogue.m))
	for k := range catalogue.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CatalogueEntry returns the entry for id and whether it exists.
func CatalogueEntry(id string) (Msg, bool) {
	catalogue.RLock()
	defer catalogue.RUnlock()
	m, ok := catalogue.m[id]
	return m, ok
}
