package hecha

import "strings"

// kindNames are the written names of the case kinds.
var kindNames = []struct {
	kind     Kind
	zh, en   string
	synonyms []string
}{
	{KindCrossProvince, "跨省流出", "cross-province", []string{"跨省流动", "跨省"}},
	{KindInProvince, "省内流动", "in-province", []string{"省内流出", "省内"}},
	{KindMismatch, "常住流出不一致", "mismatch", []string{"常住人口与流出人口不一致", "常住与流出不一致"}},
}

// ParseKind reads a case kind: 跨省流出, 省内流动 or 常住流出不一致, the codes
// 1, 2, 3, or the English cross-province, in-province, mismatch. An empty
// s is "" and no error. Anything else is EINVALID about "kind"
// (case.kind_unknown).
func ParseKind(s string) (Kind, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, k := range kindNames {
		if s == string(k.kind) || s == k.zh || strings.EqualFold(s, k.en) {
			return k.kind, nil
		}
		for _, syn := range k.synonyms {
			if s == syn {
				return k.kind, nil
			}
		}
	}
	return "", Invalid("kind", "case.kind_unknown", s)
}

// Name returns the kind's name in lang: 跨省流出, 省内流动, 常住流出不一致 (or
// the English), or the code itself for an unknown kind.
func (k Kind) Name(lang Lang) string {
	for _, n := range kindNames {
		if n.kind == k {
			if lang == English {
				return n.en
			}
			return n.zh
		}
	}
	return string(k)
}
