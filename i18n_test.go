package hecha

import "testing"

func TestFieldName(t *testing.T) {
	tests := []struct {
		lang  Lang
		field string
		want  string
	}{
		{Chinese, "not_found.reason", "查无此人原因"},
		{Chinese, "verified.reason", "人工核查信息 · 流动原因"},
		{English, "members[0].name", "household members #1 › name"},
		{Chinese, "members[2].citizen_id", "家庭户信息第3项 · 公民身份证号"},
		{Chinese, "no_such_field", "no_such_field"},
	}
	for _, tt := range tests {
		if got := FieldName(tt.lang, tt.field); got != tt.want {
			t.Errorf("FieldName(%s, %q) = %q, want %q", tt.lang, tt.field, got, tt.want)
		}
	}
	if tbl := (&Rules{}).Table("not_found.reason"); tbl != NotFoundReasons {
		t.Errorf("Table(not_found.reason) is not the 查无此人 reasons")
	}
}
