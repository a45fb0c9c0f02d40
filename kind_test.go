package hecha

import "testing"

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{
		"": "", "1": KindCrossProvince, "跨省流出": KindCrossProvince, "省内流动": KindInProvince, " 3 ": KindMismatch,
		"常住流出不一致": KindMismatch, "Mismatch": KindMismatch, "in-province": KindInProvince,
	} {
		if got, err := ParseKind(in); err != nil || got != want {
			t.Errorf("ParseKind(%q) = %q, %v", in, got, err)
		}
	}
	_, err := ParseKind("4")
	fxWant(t, err, "kind", "case.kind_unknown")
	for _, k := range []Kind{KindCrossProvince, KindInProvince, KindMismatch} {
		for _, lang := range []Lang{Chinese, English} {
			if got, err := ParseKind(k.Name(lang)); err != nil || got != k {
				t.Errorf("ParseKind(%q) = %q, %v", k.Name(lang), got, err)
			}
		}
	}
}
