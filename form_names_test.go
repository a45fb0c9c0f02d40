package hecha

import "testing"

func TestParseForm(t *testing.T) {
	for _, tc := range []struct {
		s    string
		k    Kind
		want Form
		ok   bool
	}{
		{"R2", KindCrossProvince, FormR2, true},
		{" r5 ", KindCrossProvince, FormR5, true},
		{"R3 流动人口系统，流入地不一致", KindCrossProvince, FormR3, true},
		{"R6（未流出登记）", KindCrossProvince, FormR6, true},
		{"查无此人", KindCrossProvince, FormR1, true},
		{"查无此人", KindInProvince, FormP2, true},
		{"no such person", KindInProvince, FormP2, true},
		{"已补流出登记", KindInProvince, FormP1, true},
		{"已补流出登记", KindCrossProvince, "", false},
		{"m", KindMismatch, FormM, true},
		{"", KindMismatch, "", true},
		{"R7", KindCrossProvince, "", false},
	} {
		got, err := ParseForm(tc.s, tc.k)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseForm(%q, %s) = %q, %v", tc.s, tc.k, got, err)
		}
		if err != nil && (ErrorField(err) != "form" || AsErrors(err)[0].MsgID != "worksheet.form_unknown") {
			t.Errorf("ParseForm(%q): %v", tc.s, err)
		}
	}
}
