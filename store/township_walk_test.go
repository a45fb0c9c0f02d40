package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"hecha"
)

// TestEachCase walks more cases than a page holds, skipping the ones
// keep refuses: each kept case comes once, in id order, and an error
// from fn stops the walk.
func TestEachCase(t *testing.T) {
	t.Run("plain", func(t *testing.T) { testEachCase(t, false) })
	t.Run("encrypted", func(t *testing.T) { testEachCase(t, true) })
}

func testEachCase(t *testing.T, encrypt bool) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	if encrypt {
		k, _ := MustNewKeys(t)
		if err := db.Encrypt(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	const n = 1234
	MustApplyCases(t, db, Cases(0, n)...)
	MustSaveResult(t, db, NotFound("C0000501"))

	var ids []string
	pending := func(s *hecha.CaseSummary) bool { return s.Status == hecha.StatusPending }
	err := db.EachCase(ctx, pending, func(c *hecha.Case) error {
		ids = append(ids, c.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != n-1 {
		t.Fatalf("walked %d cases, want %d", len(ids), n-1)
	}
	for i, j := 0, 0; i < n; i++ {
		if i == 501 {
			continue
		}
		if want := fmt.Sprintf("C%07d", i); ids[j] != want {
			t.Fatalf("case %d is %s, want %s", j, ids[j], want)
		}
		j++
	}

	stop := errors.New("stop")
	calls := 0
	err = db.EachCase(ctx, pending, func(*hecha.Case) error {
		calls++
		if calls == 700 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 700 {
		t.Errorf("EachCase = %v after %d calls, want the error of fn after 700", err, calls)
	}
}
