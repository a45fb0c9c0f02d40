package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/store"
)

// TestKDF is a cheap Argon2id setting for tests; DefaultKDF costs about
// 250 ms an unlock.
var TestKDF = store.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

// Passphrase is the tests' passphrase.
const Passphrase = "正确的口令 correct horse"

// MustNewKeys makes keys for Passphrase with TestKDF and returns them with
// the recovery key.
func MustNewKeys(tb testing.TB) (*store.Keys, string) {
	tb.Helper()
	k, recovery, err := store.NewKeys(Passphrase, TestKDF)
	if err != nil {
		tb.Fatal(err)
	}
	return k, recovery
}

// personalData returns the names, citizen ids and addresses of the
// fixture persons 0..n-1 and of the township fixture's registry record.
func personalData(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		p := Person(i)
		out = append(out, p.Name, p.CitizenID, p.CitizenID[:17], p.CurrentAddress, p.HouseholdAddress)
	}
	return append(out, "李娜", "深圳市南山区")
}

// grepFile returns the strings of want found in the raw bytes of the file.
func grepFile(t *testing.T, path string, want []string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, w := range want {
		if bytes.Contains(raw, []byte(w)) {
			found = append(found, w)
		}
	}
	return found
}

// fillTownship writes the township fixture, its settings and n more cases
// with a result each for every third.
func fillTownship(t *testing.T, db *store.TownshipDB, n int) {
	t.Helper()
	ctx := context.Background()
	if err := db.SaveSettings(ctx, hecha.Settings{Township: Township, Clerk: "李娜", Token: "secret-token"}); err != nil {
		t.Fatal(err)
	}
	writeTownshipFixture(t, db)
	MustApplyCases(t, db, Cases(10, 10+n)...)
	for i := 10; i < 10+n; i += 3 {
		MustSaveResult(t, db, NotFound(Case(i).ID))
	}
}

// readAll reads back the township fixture and every summary, as JSON.
func readAll(t *testing.T, db *store.TownshipDB) string {
	t.Helper()
	out := readTownshipFixture(t, db)
	var err error
	if out.Summaries, err = db.Summaries(context.Background()); err != nil {
		t.Fatal(err)
	}
	data, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestEncrypted_RawFile: a township database encrypted from the start and
// one encrypted in place after it was filled hold no name, citizen id or
// address anywhere in the file, and read back what was written.
func TestEncrypted_RawFile(t *testing.T) {
	const n = 300
	want := personalData(n + 10)

	t.Run("from the start", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "hecha.db")
		db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
		k, _ := MustNewKeys(t)
		if err := db.Encrypt(context.Background(), k); err != nil {
			t.Fatal(err)
		}
		fillTownship(t, db, n)
		before := readAll(t, db)
		MustCloseDB(t, db)
		if found := grepFile(t, path, want); len(found) > 0 {
			t.Fatalf("the encrypted file holds %d personal strings, e.g. %q", len(found), found[0])
		}
		db = MustOpenDBAt(t, path, store.WithRules(Rules(t)), store.WithPassphrase(Passphrase))
		if after := readAll(t, db); after != before {
			t.Fatalf("read back after reopening:\n%s\nwant\n%s", after, before)
		}
	})

	t.Run("in place", func(t *testing.T) {
		defer store.SetEncryptBatch(7)() // many transactions
		path := filepath.Join(t.TempDir(), "hecha.db")
		db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
		fillTownship(t, db, n)
		before := readAll(t, db)
		MustCloseDB(t, db)
		if found := grepFile(t, path, want); len(found) < len(want)/2 {
			t.Fatalf("the plain file holds only %d of %d personal strings: the grep finds nothing", len(found), len(want))
		}

		db = MustOpenDBAt(t, path, store.WithRules(Rules(t)))
		k, _ := MustNewKeys(t)
		if err := db.Encrypt(context.Background(), k); err != nil {
			t.Fatal(err)
		}
		if after := readAll(t, db); after != before {
			t.Fatalf("read back after encrypting:\n%s\nwant\n%s", after, before)
		}
		MustCloseDB(t, db)
		if found := grepFile(t, path, want); len(found) > 0 {
			t.Fatalf("the file encrypted in place holds %d personal strings, e.g. %q", len(found), found[0])
		}
		db = MustOpenDBAt(t, path, store.WithRules(Rules(t)), store.WithPassphrase(Passphrase))
		if after := readAll(t, db); after != before {
			t.Fatalf("read back after reopening:\n%s\nwant\n%s", after, before)
		}
	})
}

// TestEncrypted_Unlock: no passphrase, a wrong one, the right one; the
// recovery key, mistyped and right; a new passphrase replaces the old.
func TestEncrypted_Unlock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hecha.db")
	db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	k, recovery := MustNewKeys(t)
	if err := db.Encrypt(ctx, k); err != nil {
		t.Fatal(err)
	}
	MustApplyCases(t, db, Case(1))
	if err := db.Encrypt(ctx, k); hecha.ErrorCode(err) != hecha.ECONFLICT {
		t.Fatalf("encrypting twice: %v, want a conflict", err)
	}
	if err := db.VerifyPassphrase(Passphrase); err != nil {
		t.Fatalf("verify the passphrase: %v", err)
	}
	if err := db.VerifyPassphrase("not it at all"); !store.WrongPassphrase(err) {
		t.Fatalf("verify a wrong passphrase: %v", err)
	}
	MustCloseDB(t, db)

	open := func(opts ...store.Option) (*store.TownshipDB, error) {
		return store.OpenTownship(path, append([]store.Option{store.WithNow(Clock), store.WithNoSync(), store.WithKDF(TestKDF)}, opts...)...)
	}
	if _, err := open(); !store.NeedsPassphrase(err) || hecha.ErrorCode(err) != hecha.EUNAUTHORIZED {
		t.Fatalf("open without a passphrase: %v", err)
	}
	_, err := open(store.WithPassphrase("正确的口令 correct horsE"))
	if !store.WrongPassphrase(err) {
		t.Fatalf("open with a wrong passphrase: %v", err)
	}
	MustField(t, err, hecha.EUNAUTHORIZED, "passphrase")
	if msg := hecha.ErrorMessage(err, hecha.Chinese); !strings.Contains(msg, "口令不对") {
		t.Fatalf("wrong passphrase message %q", msg)
	}

	// The recovery key: one digit wrong is a typing mistake; the right one
	// unlocks and sets a new passphrase.
	wrongDigit := []byte(recovery)
	wrongDigit[3] = '0' + (wrongDigit[3]-'0'+1)%10
	_, err = open(store.WithRecoveryKey(string(wrongDigit)))
	MustField(t, err, hecha.EINVALID, "recovery_key")
	other, otherRecovery := MustNewKeys(t)
	_ = other
	if _, err := open(store.WithRecoveryKey(otherRecovery)); !store.WrongPassphrase(err) {
		t.Fatalf("another database's recovery key: %v", err)
	}
	db, err = open(store.WithRecoveryKey(recovery))
	if err != nil {
		t.Fatalf("open with the recovery key %q: %v", recovery, err)
	}
	MustField(t, db.ChangePassphrase(ctx, "short"), hecha.EINVALID, "passphrase")
	if err := db.ChangePassphrase(ctx, "新的口令 new passphrase"); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, db)
	if _, err := open(store.WithPassphrase(Passphrase)); !store.WrongPassphrase(err) {
		t.Fatalf("the old passphrase after the change: %v", err)
	}
	db, err = open(store.WithPassphrase("新的口令 new passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	defer MustCloseDB(t, db)
	if c, err := db.Case(ctx, Case(1).ID); err != nil || c.Person.Name != Person(1).Name {
		t.Fatalf("case after recovery: %v, %v", c, err)
	}
	if !db.Encrypted() {
		t.Fatal("Encrypted() = false")
	}
}

// TestEncrypted_SwappedValues: a sealed value copied under another key
// does not open; the store reports the file damaged.
func TestEncrypted_SwappedValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hecha.db")
	db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	k, _ := MustNewKeys(t)
	if err := db.Encrypt(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	MustApplyCases(t, db, Case(1), Case(2))
	MustCloseDB(t, db)

	b, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bbolt.Tx) error {
		cases := tx.Bucket([]byte("cases"))
		v := bytes.Clone(cases.Get([]byte(Case(2).ID)))
		return cases.Put([]byte(Case(1).ID), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()

	db = MustOpenDBAt(t, path, store.WithRules(Rules(t)), store.WithPassphrase(Passphrase))
	_, err = db.Case(context.Background(), Case(1).ID)
	MustCode(t, err, hecha.EUNAVAILABLE)
	if _, err := db.Case(context.Background(), Case(2).ID); err != nil {
		t.Fatalf("the case not swapped: %v", err)
	}
}

// TestEncrypted_Lookups: the comparison's registry lookups find the same
// records through the hashed indexes as through the plain ones, at every
// precision, also after an in-place encryption.
func TestEncrypted_Lookups(t *testing.T) {
	ctx := context.Background()
	var recs []hecha.FloatingRecord
	var res []hecha.ResidentRecord
	for i := 0; i < 60; i++ {
		p := Person(i % 20) // names repeat
		p.BirthDate = hecha.NewDate(1960+i%3, time.Month(1+i%2), 1+i%5)
		recs = append(recs, hecha.FloatingRecord{ID: "F" + Case(i).ID, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate,
			CitizenID: CitizenID(p.BirthDate, p.Sex, i), HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress,
			InflowDivision: "440305", InflowAddress: "深圳市南山区", InflowDate: hecha.NewDate(2016, 5, 1)})
		res = append(res, hecha.ResidentRecord{ID: "R" + Case(i).ID, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate,
			CitizenID: CitizenID(p.BirthDate, p.Sex, i), HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress})
	}
	fill := func(db *store.TownshipDB) {
		if err := db.PutFloating(ctx, recs); err != nil {
			t.Fatal(err)
		}
		if err := db.PutResident(ctx, res); err != nil {
			t.Fatal(err)
		}
	}
	lookups := func(db *store.TownshipDB) string {
		var out []any
		for i := 0; i < 60; i += 7 {
			r := recs[i]
			fl, err := db.FloatingByCitizenID(r.CitizenID)
			out = append(out, fl, err)
			rs, err := db.ResidentByCitizenID(r.CitizenID)
			out = append(out, rs, err)
			for _, p := range []hecha.Precision{hecha.PrecisionDay, hecha.PrecisionMonth, hecha.PrecisionYear} {
				fl, err := db.FloatingByNameSexBirth(r.Name, r.Sex, r.BirthDate, p)
				out = append(out, len(fl), fl, err)
				rs, err := db.ResidentByNameSexBirth(r.Name, r.Sex, r.BirthDate, p)
				out = append(out, len(rs), rs, err)
			}
		}
		data, _ := json.Marshal(out)
		return string(data)
	}

	plain := MustOpenDB(t, store.WithRules(Rules(t)))
	fill(plain)
	want := lookups(plain)

	sealed := MustOpenDB(t, store.WithRules(Rules(t)))
	k, _ := MustNewKeys(t)
	if err := sealed.Encrypt(ctx, k); err != nil {
		t.Fatal(err)
	}
	fill(sealed)
	if got := lookups(sealed); got != want {
		t.Fatalf("encrypted lookups:\n%s\nplain:\n%s", got, want)
	}
	fill(sealed) // writing the same records again changes nothing
	if got := lookups(sealed); got != want {
		t.Fatalf("encrypted lookups after rewriting:\n%s\nplain:\n%s", got, want)
	}

	k2, _ := MustNewKeys(t)
	if err := plain.Encrypt(ctx, k2); err != nil {
		t.Fatal(err)
	}
	if got := lookups(plain); got != want {
		t.Fatalf("lookups after encrypting in place:\n%s\nbefore:\n%s", got, want)
	}
}

// TestRecoveryKey: the recovery key's format and check digits.
func TestRecoveryKey(t *testing.T) {
	_, recovery := MustNewKeys(t)
	if len(recovery) != 40+7 {
		t.Fatalf("recovery key %q: want 8 groups of 5 digits", recovery)
	}
	digits, err := store.ParseRecoveryKey(recovery)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.ParseRecoveryKey(" " + digits[:20] + "-" + digits[20:] + "\u3000"); err != nil {
		t.Fatalf("with other separators: %v", err)
	}
	for _, bad := range []string{"", digits[:39], digits + "1", digits[:10] + "a" + digits[11:], digits[1:] + digits[:1]} {
		if _, err := store.ParseRecoveryKey(bad); hecha.ErrorCode(err) != hecha.EINVALID {
			t.Errorf("ParseRecoveryKey(%q) = %v, want EINVALID", bad, err)
		}
	}
}

// FuzzParseRecoveryKey: whatever is typed, ParseRecoveryKey returns 40
// digits whose check passes, or an EINVALID error; it never panics.
func FuzzParseRecoveryKey(f *testing.F) {
	_, recovery := MustNewKeys(f)
	for _, s := range []string{recovery, "", "1234", "０１２３", strings.Repeat("9", 40), "12345-67890 12345\t" + strings.Repeat("0", 25)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		digits, err := store.ParseRecoveryKey(s)
		if err != nil {
			if hecha.ErrorCode(err) != hecha.EINVALID {
				t.Fatalf("ParseRecoveryKey(%q): %v", s, err)
			}
			return
		}
		if len(digits) != 40 || strings.Trim(digits, "0123456789") != "" {
			t.Fatalf("ParseRecoveryKey(%q) = %q", s, digits)
		}
		again, err := store.ParseRecoveryKey(store.FormatRecoveryKey(digits))
		if err != nil || again != digits {
			t.Fatalf("formatted %q reads back as %q, %v", digits, again, err)
		}
	})
}
