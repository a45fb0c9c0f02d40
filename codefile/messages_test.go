package codefile

import (
	"strings"
	"testing"

	"hecha"
)

// TestLoadErrorMessages produces every error the code-list files give and
// checks each has a catalogue entry in both languages that its arguments
// fill exactly, and that every message this package registers is
// produced.
func TestLoadErrorMessages(t *testing.T) {
	tb := hecha.NewDivisionTable()
	tb.Add(hecha.Division{Code: "41", Name: "河南省"})
	_, reasonsErr := LoadReasons(strings.NewReader("code,name\n1,a\n1,b\n,\n"))
	_, headerErr := LoadReasons(strings.NewReader("x\n"))
	_, emptyErr := LoadReasons(strings.NewReader("code,name\n"))
	errs := []error{
		LoadDivisions(tb, strings.NewReader("code,name,parent_code,level\n4x,a,,\n4101,,41,\n4101,a,42,\n4101,a,41,township\n4101,a\n4101,\"a\"b,41,city\n")),
		LoadDivisions(tb, strings.NewReader("foo\n")),
		LoadHistoric(tb, strings.NewReader("code,name,valid_from_year,valid_to_year\n410102,a,83,\n410102001,a,,\n")),
		hecha.Invalid("dir", "division.dir.empty", t.TempDir()), // sheet.LoadDivisionDir of an empty folder
		reasonsErr, headerErr, emptyErr,
	}
	ids := map[string]bool{}
	for i, err := range errs {
		list := hecha.AsErrors(err)
		if len(list) == 0 {
			t.Errorf("case %d gave no error", i)
		}
		for _, e := range list {
			ids[e.MsgID] = true
			if _, ok := hecha.CatalogueEntry(e.MsgID); !ok {
				t.Errorf("case %d: %s is not in the catalogue", i, e.MsgID)
			}
			for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
				if msg := e.Message(lang); strings.Contains(msg, "%!") || msg == "" {
					t.Errorf("case %d: %s in %s = %q", i, e.MsgID, lang, msg)
				}
			}
		}
	}
	for _, id := range hecha.CatalogueKeys() {
		for _, p := range []string{"division.row.", "division.header", "division.dir.", "code.header", "code.row", "code.dup", "code.empty"} {
			if strings.HasPrefix(id, p) && !ids[id] {
				t.Errorf("message %s is never produced", id)
			}
		}
	}
}
