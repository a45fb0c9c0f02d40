package store_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/store"
)

// The fixtures in testdata/*_v3.dump are databases written by hecha at
// schema version 3, the layout on the clerks' terminals and the county
// servers when the store's encodings were declared in schema.go: every
// bucket, its sequence and its keys and values, in hex. The matching
// *_v3.json holds what that code read back from them. TestFixtures opens
// each with today's code and checks it reads the same.
//
// -write-fixtures rewrites both; only ever run it with the code of the
// version the fixture is named after (a fixture of a newer version gets a
// new name), or the test stops proving anything.
var writeFixtures = flag.Bool("write-fixtures", false, "rewrite testdata/*_v3.dump and *_v3.json")

// fixtureRead is what a fixture's test reads back from its database.
type fixtureRead struct {
	Settings  *hecha.Settings        `json:"settings,omitempty"`
	Cases     []*hecha.Case          `json:"cases"`
	Summaries []hecha.CaseSummary    `json:"summaries,omitempty"`
	Draft     *hecha.Draft           `json:"draft,omitempty"`
	History   []hecha.ResultVersion  `json:"history,omitempty"`
	Outbox    []hecha.OutboxItem     `json:"outbox,omitempty"`
	Results   []hecha.Result         `json:"results,omitempty"`
	Floating  []hecha.FloatingRecord `json:"floating,omitempty"`
	Tokens    []hecha.Token          `json:"tokens,omitempty"`
}

// fixtureCaseIDs are the cases each fixture holds.
var fixtureCaseIDs = []string{"C0000001", "C0000002", "C0000003"}

// writeTownshipFixture fills a township database: cases, a saved result
// (history, outbox), a draft, registry records.
func writeTownshipFixture(t *testing.T, db *store.TownshipDB) {
	ctx := context.Background()
	MustApplyCases(t, db, Cases(1, 4)...)
	MustSaveResult(t, db, NotFound("C0000001"))
	d := &hecha.Draft{CaseID: "C0000002", Form: hecha.FormR1, Values: map[string]string{"reason": "died"}, SavedAt: Now}
	if err := db.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	p := Person(9)
	rec := hecha.FloatingRecord{ID: "F1", Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID,
		HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress, InflowDivision: "440305",
		InflowAddress: "深圳市南山区", InflowDate: hecha.NewDate(2016, 5, 1)}
	if err := db.PutFloating(ctx, []hecha.FloatingRecord{rec}); err != nil {
		t.Fatal(err)
	}
}

// readTownshipFixture reads back what writeTownshipFixture wrote.
func readTownshipFixture(t *testing.T, db *store.TownshipDB) fixtureRead {
	ctx := context.Background()
	var out fixtureRead
	s, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out.Settings = &s
	out.Cases = readCases(t, db.DB)
	if out.Summaries, err = db.Summaries(ctx); err != nil {
		t.Fatal(err)
	}
	if out.Draft, err = db.Draft(ctx, "C0000002"); err != nil {
		t.Fatal(err)
	}
	if out.History, err = db.History(ctx, "C0000001"); err != nil {
		t.Fatal(err)
	}
	if out.Outbox, err = db.Outbox(ctx); err != nil {
		t.Fatal(err)
	}
	if out.Floating, err = db.FloatingByCitizenID(Person(9).CitizenID); err != nil {
		t.Fatal(err)
	}
	return out
}

// writeCountyFixture fills a county database: imported and assigned
// cases, a township's result applied, a token.
func writeCountyFixture(t *testing.T, db *store.CountyDB) {
	ctx := context.Background()
	mustImport(t, db, testCase("C0000001", 1, villageA), testCase("C0000002", 2, villageA), testCase("C0000003", 3, villageB))
	mustAssign(t, db, townA, "C0000001", "C0000002")
	res := *NotFound("C0000001")
	res.ID, res.Clerk, res.Township, res.CaseRev, res.SavedAt = "01HQ0000000000000000000001", "李娜", townA, 2, Now
	if _, err := db.ApplyResults(ctx, townA, []hecha.Result{res}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateToken(ctx, townA); err != nil {
		t.Fatal(err)
	}
}

// reimportCountyFixture imports the county fixture's cases again: the
// content hashes the version 3 code stored still match, so nothing
// changes (a change to the case layout that changed them would make every
// case of every county look changed on its next import).
func reimportCountyFixture(t *testing.T, db *store.CountyDB) {
	s := mustImport(t, db, testCase("C0000001", 1, villageA), testCase("C0000002", 2, villageA), testCase("C0000003", 3, villageB))
	if s != (hecha.ImportStats{Unchanged: 3}) {
		t.Errorf("the same cases imported again into the version 3 county database: %+v, want 3 unchanged", s)
	}
}

// readCountyFixture reads back what writeCountyFixture wrote.
func readCountyFixture(t *testing.T, db *store.CountyDB) fixtureRead {
	ctx := context.Background()
	var out fixtureRead
	var err error
	out.Cases = readCases(t, db.DB)
	if out.Results, err = db.ResultsOf(ctx, "C0000001"); err != nil {
		t.Fatal(err)
	}
	if out.Tokens, err = db.Tokens(ctx); err != nil {
		t.Fatal(err)
	}
	return out
}

func readCases(t *testing.T, db *store.DB) []*hecha.Case {
	var out []*hecha.Case
	for _, id := range fixtureCaseIDs {
		c, err := db.Case(context.Background(), id)
		if err != nil {
			t.Fatalf("case %s: %v", id, err)
		}
		out = append(out, c)
	}
	return out
}

// fixtureDB is a database of one role opened for TestFixtures, with the
// fixture's steps for that role bound to it.
type fixtureDB struct {
	db    interface{ Close() error }
	setup func(*testing.T) error // the settings or county a fixture is written with
	write func(*testing.T)
	read  func(*testing.T) fixtureRead
	after func(*testing.T) // on the first open by today's code; nil for none
}

// TestFixtures: databases written at schema version 3 open with today's
// code and read back as they did then; after the open (and whatever
// migration it ran) they still do, and a changed case is written and read
// again in today's encoding.
func TestFixtures(t *testing.T) {
	for _, fx := range []struct {
		name string
		open func(t *testing.T, path string) fixtureDB
	}{
		{"township", func(t *testing.T, path string) fixtureDB {
			db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
			return fixtureDB{
				db: db,
				setup: func(t *testing.T) error {
					return db.SaveSettings(context.Background(), hecha.Settings{Township: Township, Clerk: "李娜"})
				},
				write: func(t *testing.T) { writeTownshipFixture(t, db) },
				read:  func(t *testing.T) fixtureRead { return readTownshipFixture(t, db) },
			}
		}},
		{"county", func(t *testing.T, path string) fixtureDB {
			db := MustOpenCountyDBAt(t, path, countyOpts(newClock(), t)...)
			return fixtureDB{
				db:    db,
				setup: func(t *testing.T) error { return db.SetCounty(context.Background(), testCounty) },
				write: func(t *testing.T) { writeCountyFixture(t, db) },
				read:  func(t *testing.T) fixtureRead { return readCountyFixture(t, db) },
				after: func(t *testing.T) { reimportCountyFixture(t, db) },
			}
		}},
	} {
		t.Run(fx.name, func(t *testing.T) {
			dumpPath := filepath.Join("testdata", fx.name+"_v3.dump")
			jsonPath := filepath.Join("testdata", fx.name+"_v3.json")
			if *writeFixtures {
				path := filepath.Join(t.TempDir(), "fixture.db")
				d := fx.open(t, path)
				if err := d.setup(t); err != nil {
					t.Fatal(err)
				}
				d.write(t)
				got, err := json.MarshalIndent(d.read(t), "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				MustCloseDB(t, d.db)
				if err := os.WriteFile(dumpPath, dumpDB(t, path), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(jsonPath, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(jsonPath)
			if err != nil {
				t.Fatal(err)
			}
			dump, err := os.ReadFile(dumpPath)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "hecha.db")
			loadDB(t, path, dump)
			for round := range 2 {
				d := fx.open(t, path)
				got, err := json.MarshalIndent(d.read(t), "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if string(got)+"\n" != string(want) {
					t.Fatalf("open %d of the version 3 %s database reads\n%s\nwant (%s)\n%s", round+1, fx.name, got, jsonPath, want)
				}
				if d.after != nil && round == 0 {
					d.after(t)
				}
				MustCloseDB(t, d.db)
			}
		})
	}
}

// dumpDB returns every top-level bucket of the file at path, its sequence
// and its keys and values, in hex, one line each.
func dumpDB(t *testing.T, path string) []byte {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b bytes.Buffer
	err = db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bbolt.Bucket) error {
			fmt.Fprintf(&b, "bucket %x %d\n", name, bk.Sequence())
			return bk.ForEach(func(k, v []byte) error {
				if v == nil {
					return fmt.Errorf("bucket %s has a nested bucket %q", name, k)
				}
				fmt.Fprintf(&b, "%x %x\n", k, v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// loadDB writes a new file at path from a dump made by dumpDB.
func loadDB(t *testing.T, path string, dump []byte) {
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		var bk *bbolt.Bucket
		sc := bufio.NewScanner(bytes.NewReader(dump))
		sc.Buffer(nil, 1<<24)
		for n := 1; sc.Scan(); n++ {
			f := strings.Fields(sc.Text())
			if len(f) == 3 && f[0] == "bucket" {
				name, err := hex.DecodeString(f[1])
				if err != nil {
					return fmt.Errorf("line %d: %w", n, err)
				}
				seq, err := strconv.ParseUint(f[2], 10, 64)
				if err != nil {
					return fmt.Errorf("line %d: %w", n, err)
				}
				if bk, err = tx.CreateBucket(name); err != nil {
					return err
				}
				if err := bk.SetSequence(seq); err != nil {
					return err
				}
				continue
			}
			if len(f) == 1 {
				f = append(f, "") // an empty value
			}
			if len(f) != 2 || bk == nil {
				return fmt.Errorf("line %d: %q is not a key and a value", n, sc.Text())
			}
			k, err1 := hex.DecodeString(f[0])
			v, err2 := hex.DecodeString(f[1])
			if err1 != nil || err2 != nil {
				return fmt.Errorf("line %d: not hex", n)
			}
			if err := bk.Put(k, v); err != nil {
				return err
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
