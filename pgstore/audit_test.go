package pgstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"hecha"
	"hecha/pgstore"
)

func auditEntry(i int, township hecha.Code, cases ...string) hecha.AuditEntry {
	e := hecha.AuditEntry{Time: Now.Add(time.Duration(i) * time.Minute), Township: township, Cases: cases,
		Count: len(cases), Outcome: hecha.AuditOK, Action: "GET /api/v1/cases", Remote: "10.0.0.9:4000"}
	if township == "" {
		e.Action, e.User = "import cases", "wang"
	}
	return e
}

// TestAudit: entries appended from two store handles at once (two serve
// processes), each by several goroutines (requests, which share commits),
// form one chain that verifies, with every entry once; each county has
// its own log.
func TestAudit(t *testing.T) {
	dsn := MustMigrated(t)
	c := &clock{t: Now}
	ctx := context.Background()
	a, b := MustOpen(t, dsn, testCounty, c), MustOpen(t, dsn, testCounty, c)
	other := MustOpen(t, dsn, otherCounty, c)
	var wg sync.WaitGroup
	for w, s := range []*pgstore.Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				if err := s.Audit().Append(ctx, auditEntry(w*100+i, townA, "C1"), auditEntry(w*100+i, "")); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := other.Audit().Append(ctx, auditEntry(0, otherTown)); err != nil {
		t.Fatal(err)
	}
	head, err := hecha.VerifyAuditLog(ctx, a.Audit())
	if err != nil || head.Seq != 80 {
		t.Fatalf("verify: head %v, %v; want 80 entries", head, err)
	}
	var n int
	err = b.Audit().Entries(ctx, hecha.AuditFilter{Township: townA}, func(e hecha.AuditEntry) error { n++; return nil })
	if err != nil || n != 40 {
		t.Errorf("entries of townA: %d, %v", n, err)
	}
	if h, err := other.Audit().Head(ctx); err != nil || h.Seq != 1 {
		t.Errorf("the other county's head: %v, %v", h, err)
	}
	if err := a.Audit().Append(ctx, hecha.AuditEntry{}); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("an invalid entry: %v", err)
	}
}
