package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hecha/store"
)

// Benchmarks of the encrypted database, each against the plain one in the
// same run:
//
//	go test -run '^$' -bench 'Encrypted|Argon2id' ./store/

// BenchmarkSaveResultEncrypted saves final results alternately into a
// plain and an encrypted database (without fsync, so the figures are the
// work hecha does, not the disk's) and reports the ratio of the two
// (target: at most 1.3).
func BenchmarkSaveResultEncrypted(b *testing.B) {
	ctx := context.Background()
	const cases = 1000
	open := func(encrypt bool) *store.TownshipDB {
		db := MustOpenDB(b, store.WithRules(Rules(b)))
		if encrypt {
			k, _ := MustNewKeys(b)
			if err := db.Encrypt(ctx, k); err != nil {
				b.Fatal(err)
			}
		}
		MustApplyCases(b, db, Cases(0, cases)...)
		return db
	}
	plain, sealed := open(false), open(true)
	var tPlain, tSealed time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := Case(i % cases).ID
		t0 := time.Now()
		if _, err := plain.SaveResult(ctx, NotFound(id)); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := sealed.SaveResult(ctx, NotFound(id)); err != nil {
			b.Fatal(err)
		}
		tSealed += time.Since(t1)
		tPlain += t1.Sub(t0)
	}
	us := func(d time.Duration) float64 { return float64(d) / float64(b.N) / float64(time.Microsecond) }
	b.ReportMetric(us(tPlain), "plain_save_us")
	b.ReportMetric(us(tSealed), "encrypted_save_us")
	b.ReportMetric(float64(tSealed)/float64(tPlain), "encrypted/plain_x")
}

// BenchmarkArgon2id measures one unlock's key derivation with DefaultKDF
// (target: about 250 ms on the 2-core terminals).
func BenchmarkArgon2id(b *testing.B) {
	path := filepath.Join(b.TempDir(), "hecha.db")
	db := MustOpenDBAt(b, path)
	k, _, err := store.NewKeys(Passphrase, store.DefaultKDF)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Encrypt(context.Background(), k); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.VerifyPassphrase(Passphrase); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(time.Millisecond), "unlock_ms")
}

// BenchmarkOpenEncrypted measures the start-up of the case list: open the
// database and read every summary, plain, encrypted with the key
// derivation of DefaultKDF, and encrypted without it (the cost of opening
// the sealed summaries alone).
func BenchmarkOpenEncrypted(b *testing.B) {
	ctx := context.Background()
	cases, _, _ := benchSizes()
	dir := b.TempDir()
	build := func(name string, kdf *store.KDFParams) string {
		path := filepath.Join(dir, name)
		db := MustOpenDBAt(b, path, store.WithRules(Rules(b)))
		if kdf != nil {
			k, _, err := store.NewKeys(Passphrase, *kdf)
			if err != nil {
				b.Fatal(err)
			}
			if err := db.Encrypt(ctx, k); err != nil {
				b.Fatal(err)
			}
		}
		for from := 0; from < cases; from += 5000 {
			cs := Cases(from, min(from+5000, cases))
			for i := range cs {
				cs[i] = benchCase(from + i)
			}
			MustApplyCases(b, db, cs...)
		}
		MustCloseDB(b, db)
		return path
	}
	plain := build("plain.db", nil)
	cheap := build("cheap.db", &TestKDF)
	tuned := build("tuned.db", &store.DefaultKDF)
	start := func(path string) time.Duration {
		t0 := time.Now()
		db, err := store.OpenTownship(path, store.WithNow(Clock), store.WithPassphrase(Passphrase))
		if err != nil {
			b.Fatal(err)
		}
		sums, err := db.Summaries(ctx)
		if err != nil || len(sums) != cases {
			b.Fatalf("%d summaries, %v", len(sums), err)
		}
		d := time.Since(t0)
		MustCloseDB(b, db)
		return d
	}
	var tPlain, tCheap, tTuned time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tPlain += start(plain)
		tCheap += start(cheap)
		tTuned += start(tuned)
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(b.N) / float64(time.Millisecond) }
	b.ReportMetric(ms(tPlain), "plain_start_ms")
	b.ReportMetric(ms(tCheap), "encrypted_start_no_kdf_ms")
	b.ReportMetric(ms(tTuned), "encrypted_start_ms")
	b.ReportMetric(float64(tCheap)/float64(tPlain), "encrypted_no_kdf/plain_x")
	b.ReportMetric(float64(cases), "cases")
}
