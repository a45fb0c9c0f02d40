package pgstore_test

import (
	"context"
	"testing"

	"hecha"
)

// TestCopyLocks: a copy of a county cannot start while a server serves
// it, or serves the province, and a server cannot start while a copy
// runs; servers share their locks, and a copy of one county leaves the
// servers of another alone. Releasing the locks lets the other side in.
func TestCopyLocks(t *testing.T) {
	dsn := MustMigrated(t)
	c := &clock{t: Now}
	ctx := context.Background()
	a := MustOpen(t, dsn, testCounty, c)
	b := MustOpen(t, dsn, otherCounty, c)
	prov := MustOpen(t, dsn, "", c)

	serveA, err := a.HoldServing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	serveA2, err := a.HoldServing(ctx)
	if err != nil {
		t.Fatalf("a second server of the county: %v", err)
	}
	if _, err := a.LockForCopy(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("copy of a served county: %v", err)
	}
	serveA()
	if _, err := a.LockForCopy(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("copy of a county one server still serves: %v", err)
	}
	serveA2()
	copyA, err := a.LockForCopy(ctx)
	if err != nil {
		t.Fatalf("copy once the servers stopped: %v", err)
	}
	if _, err := a.HoldServing(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("server of a county being copied: %v", err)
	}
	if _, err := prov.HoldServing(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("server of the province while a county is copied: %v", err)
	}
	serveB, err := b.HoldServing(ctx)
	if err != nil {
		t.Errorf("server of another county while one is copied: %v", err)
	} else {
		serveB()
	}
	copyA()

	serveAll, err := prov.HoldServing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.LockForCopy(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("copy while the province is served: %v", err)
	}
	serveAll()
	copyB, err := b.LockForCopy(ctx)
	if err != nil {
		t.Fatalf("copy once the province's server stopped: %v", err)
	}
	copyB()
	if _, err := prov.LockForCopy(ctx); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("copy of no county: %v", err)
	}
}
