package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	stdsync "sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
)

// auditEntry returns an entry of the test log: a pull of township's
// cases, or a command when township is "".
func auditEntry(i int, township hecha.Code, cases ...string) hecha.AuditEntry {
	e := hecha.AuditEntry{Time: Now.Add(time.Duration(i) * time.Minute), Township: township, Cases: cases,
		Count: len(cases), Outcome: hecha.AuditOK, Action: "GET /api/v1/cases", Remote: "10.0.0.9:4000"}
	if township == "" {
		e.Action, e.User = "import cases", "wang"
	}
	return e
}

// mustAppend appends entries to log.
func mustAppend(tb testing.TB, log hecha.AuditLog, entries ...hecha.AuditEntry) {
	tb.Helper()
	if err := log.Append(context.Background(), entries...); err != nil {
		tb.Fatal(err)
	}
}

// collect returns the entries of log that match f.
func collect(tb testing.TB, log hecha.AuditLog, f hecha.AuditFilter) []hecha.AuditEntry {
	tb.Helper()
	var out []hecha.AuditEntry
	if err := log.Entries(context.Background(), f, func(e hecha.AuditEntry) error { out = append(out, e); return nil }); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestAuditLog_AppendAndFilter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "county.db")
	db := MustOpenCountyDBAt(t, path, countyOpts(newClock(), t)...)
	log := db.Audit()
	mustAppend(t, log, auditEntry(0, ""))
	mustAppend(t, log, auditEntry(1, townA, "A1", "A2"), auditEntry(2, townB, "B1"))
	mustAppend(t, log, auditEntry(3, townA, "A2"))

	all := collect(t, log, hecha.AuditFilter{})
	if len(all) != 4 || all[0].Seq != 1 || all[3].Seq != 4 || all[0].User != "wang" || all[2].Township != townB {
		t.Fatalf("entries: %+v", all)
	}
	for _, tc := range []struct {
		f    hecha.AuditFilter
		want []uint64
	}{
		{hecha.AuditFilter{Township: townA}, []uint64{2, 4}},
		{hecha.AuditFilter{Township: testCounty}, []uint64{2, 3, 4}},
		{hecha.AuditFilter{Case: "A2"}, []uint64{2, 4}},
		{hecha.AuditFilter{Since: Now.Add(2 * time.Minute)}, []uint64{3, 4}},
		{hecha.AuditFilter{Since: Now.Add(2 * time.Minute), Township: townA, Case: "A2"}, []uint64{4}},
	} {
		var got []uint64
		for _, e := range collect(t, log, tc.f) {
			got = append(got, e.Seq)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%+v: entries %v, want %v", tc.f, got, tc.want)
		}
	}
	head, err := hecha.VerifyAuditLog(ctx, log)
	if err != nil || head.Seq != 4 || head.Hash != all[3].Hash {
		t.Fatalf("verify: %v, head %v", err, head)
	}

	// Reopened, the log goes on from its head.
	MustCloseDB(t, db)
	db = MustOpenCountyDBAt(t, path, countyOpts(newClock(), t)...)
	log = db.Audit()
	mustAppend(t, log, auditEntry(4, townB, "B2"))
	if all := collect(t, log, hecha.AuditFilter{}); len(all) != 5 || all[4].Prev != head.Hash {
		t.Fatalf("after reopening: %+v", all)
	}
	if _, err := hecha.VerifyAuditLog(ctx, log); err != nil {
		t.Fatal(err)
	}
}

func TestAuditLog_Invalid(t *testing.T) {
	db, _ := MustOpenCounty(t)
	log := db.Audit()
	bad := auditEntry(1, townA)
	bad.Action = ""
	err := log.Append(context.Background(), auditEntry(0, townA), bad)
	MustCode(t, err, hecha.EINVALID)
	if hecha.ErrorField(err) != "entries[1].action" {
		t.Fatalf("field %q", hecha.ErrorField(err))
	}
	if got := collect(t, log, hecha.AuditFilter{}); len(got) != 0 {
		t.Fatalf("%d entries appended from a refused batch", len(got))
	}
}

// TestAuditLog_Pages: Entries reads past its page size, and fn may stop it.
func TestAuditLog_Pages(t *testing.T) {
	db, _ := MustOpenCounty(t)
	log := db.Audit()
	var batch []hecha.AuditEntry
	for i := range 2345 {
		batch = append(batch, auditEntry(i, townA, fmt.Sprintf("C%d", i)))
	}
	mustAppend(t, log, batch...)
	got := collect(t, log, hecha.AuditFilter{})
	if len(got) != 2345 || got[2344].Seq != 2345 || got[1000].Cases[0] != "C1000" {
		t.Fatalf("%d entries", len(got))
	}
	stop := errors.New("stop")
	n := 0
	err := log.Entries(context.Background(), hecha.AuditFilter{}, func(hecha.AuditEntry) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Fatalf("stopped with %v after %d", err, n)
	}
}

// TestAuditLog_Concurrent: appends from many goroutines at once make one
// intact chain with every entry in it.
func TestAuditLog_Concurrent(t *testing.T) {
	db, _ := MustOpenCounty(t)
	log := db.Audit()
	var wg stdsync.WaitGroup
	for g := range 40 {
		wg.Go(func() {
			for i := range 5 {
				mustAppend(t, log, auditEntry(g*5+i, townA, fmt.Sprintf("G%dI%d", g, i)))
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, e := range collect(t, log, hecha.AuditFilter{}) {
		seen[e.Cases[0]] = true
	}
	if len(seen) != 200 {
		t.Fatalf("%d distinct entries, want 200", len(seen))
	}
	if head, err := hecha.VerifyAuditLog(context.Background(), log); err != nil || head.Seq != 200 {
		t.Fatalf("verify: %v, head %v", err, head)
	}
}

// TestAuditLog_Tampered edits the raw bucket of a log of five entries the
// way someone with the file could, and checks that verify names the first
// bad entry.
func TestAuditLog_Tampered(t *testing.T) {
	bucket := []byte("county_audit")
	key := func(seq uint64) []byte { return []byte{0, 0, 0, 0, 0, 0, 0, byte(seq)} }
	read := func(b *bbolt.Bucket, seq uint64) hecha.AuditEntry {
		e, err := hecha.UnmarshalAudit(b.Get(key(seq)))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	for _, tc := range []struct {
		name  string
		edit  func(b *bbolt.Bucket) error
		msgID string
		seq   uint64
	}{
		{"edited", func(b *bbolt.Bucket) error {
			e := read(b, 3)
			e.Township = townB // hash left as it was
			return b.Put(key(3), hecha.MarshalAudit(&e))
		}, "audit.altered", 3},
		{"edited and hashed again", func(b *bbolt.Bucket) error {
			e := read(b, 3)
			e.Cases = []string{"B9"}
			e, _ = hecha.SealAudit(hecha.AuditHead{Seq: 2, Hash: e.Prev}, e)
			return b.Put(key(3), hecha.MarshalAudit(&e))
		}, "audit.relinked", 4},
		{"removed", func(b *bbolt.Bucket) error { return b.Delete(key(2)) }, "audit.missing.one", 3},
		{"two removed", func(b *bbolt.Bucket) error { _ = b.Delete(key(2)); return b.Delete(key(3)) }, "audit.missing", 4},
		{"swapped", func(b *bbolt.Bucket) error {
			v2, v3 := append([]byte(nil), b.Get(key(2))...), append([]byte(nil), b.Get(key(3))...)
			if err := b.Put(key(2), v3); err != nil {
				return err
			}
			return b.Put(key(3), v2)
		}, "audit.missing.one", 3},
		{"inserted", func(b *bbolt.Bucket) error {
			// A forged entry linked to entry 2, under a key between 2 and 3.
			prev := read(b, 2)
			forged, _ := hecha.SealAudit(hecha.AuditHead{Seq: 2, Hash: prev.Hash}, auditEntry(9, townA, "A9"))
			return b.Put(append(key(2), 0), hecha.MarshalAudit(&forged))
		}, "audit.order", 3},
		{"last removed", func(b *bbolt.Bucket) error { return b.Delete(key(5)) }, "audit.tail.one", 5},
		{"unreadable", func(b *bbolt.Bucket) error { return b.Put(key(4), []byte{1, 2, 3}) }, "audit.unreadable", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "county.db")
			db := MustOpenCountyDBAt(t, path, countyOpts(newClock(), t)...)
			log := db.Audit()
			for i := range 5 {
				mustAppend(t, log, auditEntry(i, townA, fmt.Sprintf("A%d", i)))
			}
			MustCloseDB(t, db)

			raw, err := bbolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := raw.Update(func(tx *bbolt.Tx) error { return tc.edit(tx.Bucket(bucket)) }); err != nil {
				t.Fatal(err)
			}
			raw.Close()

			db = MustOpenCountyDBAt(t, path, countyOpts(newClock(), t)...)
			_, err = hecha.VerifyAuditLog(context.Background(), db.Audit())
			var he *hecha.Error
			if !errors.As(err, &he) || he.MsgID != tc.msgID || len(he.Args) == 0 || he.Args[0] != tc.seq {
				t.Fatalf("verify: %v (%#v), want %s about entry %d", err, he, tc.msgID, tc.seq)
			}
		})
	}
}
