package sync

import (
	"errors"
	"testing"

	"hecha"
)

func TestRefused(t *testing.T) {
	sizes := map[string]int{"cases": 3, "floating": 2}
	rows := []struct {
		name string
		err  error
		ok   bool
		want map[string][]int
	}{
		{"nil", nil, false, nil},
		{"not invalid", hecha.Errorf(hecha.EUNAVAILABLE, "cases[0]", ""), false, nil},
		{"plain error", errors.New("disk"), false, nil},
		{"no index", hecha.Invalid("cursor", "x"), false, nil},
		{"other list", hecha.Invalid("resident[0].name", "x"), false, nil},
		{"index out of range", hecha.Invalid("cases[3].name", "x"), false, nil},
		{"huge index", hecha.Invalid("cases[99999999999999999999].name", "x"), false, nil},
		{"one mixed with other", hecha.Errors{hecha.Invalid("cases[1].name", "x"), hecha.Invalid("", "y")}, false, nil},
		{"several", hecha.Errors{
			hecha.Invalid("cases[1].person.name", "x"), hecha.Invalid("cases[1].person.sex", "x"),
			hecha.Invalid("cases[2]", "x"), hecha.Invalid("floating[0].id", "x"),
		}, true, map[string][]int{"cases": {1, 2}, "floating": {0}}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			bad, ok := refused(r.err, sizes)
			if ok != r.ok {
				t.Fatalf("ok = %v, want %v", ok, r.ok)
			}
			for list, idx := range r.want {
				if len(bad[list]) != len(idx) {
					t.Fatalf("%s: %v, want indexes %v", list, bad[list], idx)
				}
				for _, i := range idx {
					if len(bad[list][i]) == 0 {
						t.Fatalf("%s[%d] not refused", list, i)
					}
				}
			}
		})
	}
	bad, _ := refused(hecha.Errors{hecha.Invalid("cases[1].person.name", "m")}, sizes)
	if e := bad["cases"][1][0]; e.Field != "person.name" || e.MsgID != "m" {
		t.Fatalf("relative error = %+v", e)
	}
}
