package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha"
)

func TestLoadDivisionDirErrors(t *testing.T) {
	if _, err := LoadDivisionDir(t.TempDir()); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("empty dir: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "regions.csv"), []byte("code,name,parent_code,level\n410000,河南省,,province\n4101,,41,city\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "henan_townships.csv"), []byte("code,name,county_code\n410102001,林山寨街道,410102\nx,y,z\n"), 0o644)
	tb, err := LoadDivisionDir(dir)
	e := hecha.AsErrors(err)
	if tb == nil || tb.Len() != 2 || hecha.ErrorCode(err) != hecha.EINVALID || len(e) != 1 || e[0].Field != "code" || e[0].Args[0] != 3 {
		t.Fatalf("LoadDivisionDir = %v, %v", tb, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "henan_townships.csv: code: line 3") || !strings.Contains(msg, "regions.csv: name: line 3") {
		t.Errorf("error %q does not name the files and lines", msg)
	}
}
