package sheet

import (
	"hecha"

	"strings"
	"testing"
)

// TestWorksheet_UnusedColumnPointedOut_NotFound checks the README's rule
// that a worksheet column the result does not use is pointed out, never
// dropped in silence, for 查无此人: the sign-off belongs to confirming
// results only, the destination and its address to 婚出 and 迁出 only, the
// remark to 其他 only (the form shows the same items).
func TestWorksheet_UnusedColumnPointedOut_NotFound(t *testing.T) {
	r := fxRules(t)
	s := newWSSheet(t, r)
	cross, in := fxCase(), fxInProvinceCase()
	dest := map[string]string{"not_found.destination": "410302001", "not_found.dest_address": "西关1号"}
	rows := []struct {
		name   string
		c      *hecha.Case
		set    map[string]string
		fields []string // the cells pointed out; none means the row is valid
		msgID  string
	}{
		{"died with sign-off", &cross, map[string]string{"form": "R1", "not_found.reason": "死亡", "sign_off.confirmed": "是", "sign_off.name": "李建国"},
			[]string{"sign_off.confirmed", "sign_off.name"}, "worksheet.unused_column"},
		{"died with destination", &cross, wsWith(dest, map[string]string{"form": "R1", "not_found.reason": "死亡"}),
			[]string{"not_found.destination", "not_found.dest_address"}, "worksheet.unused_for_reason"},
		{"died with remark", &cross, map[string]string{"form": "R1", "not_found.reason": "死亡", "not_found.remark": "2019年病故"},
			[]string{"not_found.remark"}, "worksheet.unused_for_reason"},
		{"other with destination", &cross, wsWith(dest, map[string]string{"form": "R1", "not_found.reason": "其他", "not_found.remark": "查无此人"}),
			[]string{"not_found.destination", "not_found.dest_address"}, "worksheet.unused_for_reason"},
		{"in-province died with destination", &in, wsWith(dest, map[string]string{"form": "P2", "not_found.reason": "3"}),
			[]string{"not_found.destination", "not_found.dest_address"}, "worksheet.unused_for_reason"},
		{"married out with remark", &cross, wsWith(dest, map[string]string{"form": "R1", "not_found.reason": "婚出", "not_found.remark": "嫁到洛阳"}),
			[]string{"not_found.remark"}, "worksheet.unused_for_reason"},
		{"married out", &cross, wsWith(dest, map[string]string{"form": "R1", "not_found.reason": "婚出"}), nil, ""},
		{"moved out", &cross, wsWith(dest, map[string]string{"form": "R1", "not_found.reason": "迁出"}), nil, ""},
		{"died", &cross, map[string]string{"form": "R1", "not_found.reason": "死亡"}, nil, ""},
		{"other", &cross, map[string]string{"form": "R1", "not_found.reason": "其他", "not_found.remark": "查无此人"}, nil, ""},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.h.ParseResult(s.row(t, tc.c, r, tc.set), tc.c, r)
			if tc.fields == nil {
				fxOK(t, err)
				return
			}
			for _, f := range tc.fields {
				fxWant(t, err, f, tc.msgID)
			}
			if n := len(hecha.AsErrors(err)); n != len(tc.fields) {
				t.Errorf("%d errors, want %d: %s", n, len(tc.fields), fxDescribe(err))
			}
			for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
				msg := hecha.ErrorMessage(err, lang)
				if strings.Contains(msg, "%!") {
					t.Errorf("message %q", msg)
				}
				if tc.msgID == "worksheet.unused_for_reason" && !strings.Contains(msg, hecha.NotFoundReasons.Name(lang, string(mustReason(t, tc.set["not_found.reason"])))) {
					t.Errorf("message %q does not name the reason", msg)
				}
			}
		})
	}
}

func wsWith(base, more map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

func mustReason(tb testing.TB, s string) hecha.NotFoundReason {
	tb.Helper()
	code, err := hecha.NotFoundReasons.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return hecha.NotFoundReason(code)
}
