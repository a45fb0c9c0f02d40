package sheet

import (
	"hecha"

	"strings"
	"testing"
)

// FuzzWorksheetParseResult reads arbitrary rows as filled worksheet rows.
// Nothing panics; a row accepted is a result Validate accepts, and writing
// it back (ResultRow) and reading it again gives the same content.
func FuzzWorksheetParseResult(f *testing.F) {
	r := fxRules(f)
	s := newWSSheet(f, r)
	cases := []hecha.Case{fxCase(), fxInProvinceCase(), fxMismatchCase()}
	for i := range cases {
		c := &cases[i]
		for _, form := range hecha.FormsFor(c.Kind) {
			res := fxResult(c, form)
			f.Add(uint8(i), strings.Join(ResultRow(s.cols, c, &res, r), "\t"))
		}
		f.Add(uint8(i), strings.Join(WorksheetRow(s.cols, c, r), "\t"))
	}
	f.Add(uint8(0), "\t\t\t\x1b[31m\tR1\t\u202e")
	f.Add(uint8(0), "\t\t\t\x00\tR1\t死\x00亡")
	f.Fuzz(func(t *testing.T, which uint8, line string) {
		c := &cases[int(which)%len(cases)]
		row := strings.Split(line, "\t")
		res, err := s.h.ParseResult(row, c, r)
		if err != nil {
			for _, e := range hecha.AsErrors(err) {
				if e.Code != hecha.EINVALID {
					t.Fatalf("error %v with code %s", e, e.Code)
				}
			}
			return
		}
		if verr := res.Validate(c, r); verr != nil {
			t.Fatalf("accepted a result Validate refuses: %v", verr)
		}
		again, err := s.h.ParseResult(ResultRow(s.cols, c, &res, r), c, r)
		if err != nil {
			t.Fatalf("written back, the row fails: %v", err)
		}
		if !again.SameContent(&res) {
			t.Fatalf("written back and read again:\n%+v\nwas\n%+v", again, res)
		}
	})
}
