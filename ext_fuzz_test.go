package hecha_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hecha"
	"hecha/codefile"
)

func FuzzDivisionLoad(f *testing.F) {
	for _, name := range []string{"regions_small.csv", "regions_no_counties.csv"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"code,name,county_code\n410102001,林山寨街道,410102\n",
		"code,name,township_code\n410102001001,社区,410102001\n",
		"代码,名称,上级代码,级别\n410000,河南省,,省\n",
		"code,name,parent_code,level\n41,\"a,\"\"b\"\"\",,province\n4101,x\ny,41,city\n",
		"code,name\n4101\n", "", "\ufeff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tb := hecha.NewDivisionTable()
		err := codefile.LoadDivisions(tb, bytes.NewReader(b))
		for _, e := range hecha.AsErrors(err) {
			if e.Code != hecha.EINVALID {
				t.Fatalf("Load error %+v is not invalid", e)
			}
		}
		all := tb.All()
		codes := divCodes(all)
		if len(all) != tb.Len() || !slices.IsSorted(codes) {
			t.Fatalf("All is not the sorted table: %v", codes)
		}
		kids := len(tb.Children(""))
		for _, d := range all {
			if d.Code.Level() == hecha.LevelNone || d.Name == "" || d.Name != strings.TrimSpace(d.Name) {
				t.Fatalf("bad entry %+v", d)
			}
			kids += len(tb.Children(d.Code))
			tb.FullName(d.Code)
			tb.Search(d.Name, "", 5)
		}
		if kids != len(all) {
			t.Fatalf("the tree holds %d entries, the table %d", kids, len(all))
		}
		var buf bytes.Buffer
		if err := codefile.WriteDivisions(&buf, tb); err != nil {
			t.Fatal(err)
		}
		back := hecha.NewDivisionTable()
		if err := codefile.LoadDivisions(back, &buf); err != nil {
			t.Fatalf("reloading the written table: %v", err)
		}
		if !slices.Equal(back.All(), all) {
			t.Fatalf("round trip changed the table")
		}
		codefile.LoadHistoric(tb, bytes.NewReader(b))
	})
}
