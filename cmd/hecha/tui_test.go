package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"hecha"
	"hecha/tui"
)

// TestInterfaceExports calls the exports the interface is given, as its
// export screen does: the worksheet in the format its name says, and the
// offline batch once the terminal has a token and a result waits.
func TestInterfaceExports(t *testing.T) {
	db := fieldTownship(t)
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	defer m.Close()
	ctx := context.Background()
	if _, err := m.OpenDB(ctx); err != nil {
		t.Fatal(err)
	}
	var cfg tui.Config
	exports(m, &cfg)
	dir := t.TempDir()

	for _, name := range []string{"核查工作表.xlsx", "核查工作表.csv"} {
		n, err := cfg.ExportWorksheet(ctx, filepath.Join(dir, name))
		if err != nil || n != 4 {
			t.Fatalf("%s: ExportWorksheet = %d, %v", name, n, err)
		}
		if _, rows := readSheet(t, filepath.Join(dir, name)); len(rows) != 4 {
			t.Errorf("%s: %d rows", name, len(rows))
		}
	}

	// No token yet: the batch cannot be signed, and says so.
	if _, _, err := cfg.ExportBatch(ctx, filepath.Join(dir, "b.hecha")); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Fatalf("ExportBatch without a token: %v", err)
	}
	st := m.Settings
	st.Token = newCounty(t).token
	if err := m.DB.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	m.Settings = st
	// Nothing waits: no file.
	if n, _, err := cfg.ExportBatch(ctx, filepath.Join(dir, "none.hecha")); err != nil || n != 0 {
		t.Fatalf("ExportBatch with nothing waiting = %d, %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.hecha")); !os.IsNotExist(err) {
		t.Errorf("a file was written with nothing waiting: %v", err)
	}
	if _, err := m.DB.SaveResult(ctx, &hecha.Result{CaseID: "C001", Form: hecha.FormR1, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}); err != nil {
		t.Fatal(err)
	}
	n, id, err := cfg.ExportBatch(ctx, filepath.Join(dir, "b.hecha"))
	if err != nil || n != 1 || id == "" {
		t.Fatalf("ExportBatch = %d, %q, %v", n, id, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.hecha")); err != nil {
		t.Fatal(err)
	}
}
