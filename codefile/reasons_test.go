package codefile

import (
	"strings"
	"testing"

	"hecha"
)

func TestReasons(t *testing.T) {
	var nilRules *hecha.Rules
	if nilRules.ReasonTable().Field != "reason" || (&hecha.Rules{}).Table("reason") == nil {
		t.Fatal("no default reasons")
	}
	for in, want := range map[string]hecha.Reason{"1": "1", "务工经商": "1", "投亲靠友": "2", "婚姻嫁娶": "3", "学习培训": "4", "随迁": "5", "其他": "9", "marriage": "3"} {
		if got, err := (&hecha.Rules{}).ParseReason(in); err != nil || got != want {
			t.Errorf("ParseReason(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	// A county's own list replaces the default.
	own, err := LoadReasons(strings.NewReader("\ufeff代码,名称\r\n1,务工经商\r\n6,拆迁安置\r\n9,其他\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := &hecha.Rules{Reasons: own}
	if got, err := r.ParseReason("拆迁安置"); err != nil || got != "6" {
		t.Errorf("ParseReason(拆迁安置) = %q, %v", got, err)
	}
	if _, err := r.ParseReason("随迁"); hecha.ErrorField(err) != "reason" {
		t.Errorf("ParseReason(随迁) with own list: %v", err)
	}
	if r.Table("members[0].reason") != own || r.Table("verified.sex") != hecha.SexCodes || r.Table("name") != nil {
		t.Error("Rules.Table does not follow paths")
	}
	if en, err := LoadReasons(strings.NewReader("code,name,en\n1,务工经商,Work\n")); err != nil || en.Name(hecha.English, "1") != "Work" {
		t.Errorf("en column: %v", err)
	}
}

func TestLoadReasonsErrors(t *testing.T) {
	tests := []struct {
		name, in, msgID string
		line            int
	}{
		{"header", "编号,原因\n1,务工\n", "code.header", 0},
		{"empty file", "", "code.header", 0},
		{"only header", "code,name\n", "code.empty", 0},
		{"empty name", "code,name\n1,务工\n2,\n", "code.row", 3},
		{"empty code", "code,name\n,务工\n", "code.row", 2},
		{"dup code", "code,name\n1,务工\n1,经商\n", "code.dup", 3},
		{"dup name", "code,name\n1,务工\n2,务工\n", "code.dup", 3},
		{"columns", "code,name\n1,务工,x\n", "division.row.columns", 2},
		{"control", "code,name\n1,务\x1b[31m工\n", "code.row", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadReasons(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("loaded %+v", got)
			}
			e := hecha.AsErrors(err)[0]
			if e.Code != hecha.EINVALID || e.Field != "reason" || e.MsgID != tt.msgID {
				t.Fatalf("got %+v, want %s", e, tt.msgID)
			}
			if tt.line > 0 && (len(e.Args) == 0 || e.Args[0] != tt.line) {
				t.Errorf("args %v, want line %d", e.Args, tt.line)
			}
		})
	}
}
