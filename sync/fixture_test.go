package sync_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"hecha"
	"hecha/internal/countytest"
	"hecha/store"
	hsync "hecha/sync"
)

// The units of the fixtures: 中原区 and two of its townships.
const (
	fxCounty = hecha.Code("410102")
	townA    = hecha.Code("410102001")
	townB    = hecha.Code("410102002")
)

// fxNow is the fixed clock of the end-to-end tests.
var fxNow = time.Date(2024, 6, 15, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func fxClock() time.Time { return fxNow }

// fxRules returns rules with a small table of real division codes: 中原区
// with ten of its townships (one with a village), and districts of
// Shenzhen where the people live.
func fxRules(tb testing.TB) *hecha.Rules {
	tb.Helper()
	t := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{
		{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"}, {Code: "410102", Name: "中原区"},
		{Code: "410102001", Name: "林山寨街道"}, {Code: "410102002", Name: "建设路街道"},
		{Code: "410102003", Name: "棉纺路街道"}, {Code: "410102004", Name: "秦岭路街道"},
		{Code: "410102005", Name: "桐柏路街道"}, {Code: "410102006", Name: "三官庙街道"},
		{Code: "410102007", Name: "绿东村街道"}, {Code: "410102008", Name: "汝河路街道"},
		{Code: "410102009", Name: "航海西路街道"}, {Code: "410102010", Name: "中原西路街道"},
		{Code: "410102001002", Name: "碧沙岗社区居委会"},
		{Code: "44", Name: "广东省"}, {Code: "4403", Name: "深圳市"}, {Code: "440305", Name: "南山区"},
		{Code: "440306", Name: "宝安区"},
	} {
		if err := t.Add(d); err != nil {
			tb.Fatalf("add %v: %v", d, err)
		}
	}
	return &hecha.Rules{Divisions: t, Now: fxClock}
}

var fxNames = []string{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞", "阿依古丽·买买提"}

// fxCitizenID returns a valid ID number for the area, birth date and sex;
// seq (0–498) tells apart people born the same day.
func fxCitizenID(area string, birth hecha.Date, sex hecha.Sex, seq int) string {
	s := seq%499*2 + 1 // odd: male
	if sex == hecha.SexFemale {
		s++
	}
	first17 := fmt.Sprintf("%s%s%03d", area, birth.Compact(), s)
	return first17 + string(hecha.IDCheckDigit(first17))
}

// fxDays is the span of birth dates of the fixtures' people, in days.
const fxDays = 18000

// fxCase returns the i-th cross-province case of township: a person of the
// township living in Shenzhen, born 1950–1999. Every i gives another
// person.
func fxCase(township hecha.Code, i int) hecha.Case {
	birth := hecha.DateOf(time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%fxDays))
	sex := hecha.SexMale
	if i%2 == 1 {
		sex = hecha.SexFemale
	}
	return hecha.Case{
		ID:   fmt.Sprintf("%s-%05d", township, i),
		Kind: hecha.KindCrossProvince,
		Person: hecha.Person{
			Name:              fxNames[i%len(fxNames)],
			Sex:               sex,
			CurrentAddress:    fmt.Sprintf("深圳市南山区科技园路%d号", i+1),
			CurrentDivision:   "440305",
			HouseholdAddress:  fmt.Sprintf("郑州市中原区伊河路%d号", i+1),
			HouseholdDivision: township,
			CitizenID:         fxCitizenID(string(fxCounty), birth, sex, i/fxDays),
			BirthDate:         birth,
			OutflowDate:       hecha.NewDate(2015, 3, 1),
		},
	}
}

// fxResident returns a resident record of township for the registry.
func fxResident(township hecha.Code, i int) hecha.ResidentRecord {
	birth := hecha.DateOf(time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*11)%fxDays))
	return hecha.ResidentRecord{
		ID: fmt.Sprintf("R-%s-%04d", township, i), Name: fxNames[(i+3)%len(fxNames)],
		Sex: hecha.SexMale, BirthDate: birth,
		CitizenID:         fxCitizenID(string(fxCounty), birth, hecha.SexMale, 400+i/fxDays),
		HouseholdDivision: township,
	}
}

// openCounty opens a new, empty county store of the backend under test
// (countytest) with the fixed clock; durable keeps its commits durable.
func openCounty(tb testing.TB, durable bool) hecha.CountyStore {
	tb.Helper()
	return openCountyAt(tb, countytest.New(tb), durable)
}

// openCountyAt is openCounty for the store at loc (from countytest.New),
// new or written before.
func openCountyAt(tb testing.TB, loc string, durable bool) hecha.CountyStore {
	tb.Helper()
	return countytest.OpenAt(tb, loc, countytest.Options{Rules: fxRules(tb), Now: fxClock, Durable: durable})
}

// openBoltCounty opens (or creates) a bbolt county file at path with the
// fixed clock, for the tests that work on the file itself; durable keeps
// fsync on.
func openBoltCounty(tb testing.TB, path string, durable bool) *store.CountyDB {
	tb.Helper()
	opts := []store.Option{store.WithRules(fxRules(tb)), store.WithNow(fxClock)}
	if !durable {
		opts = append(opts, store.WithNoSync())
	}
	db, err := store.OpenCounty(path, opts...)
	if err != nil {
		tb.Fatalf("open county %s: %v", path, err)
	}
	return db
}

// seedCounty imports n cases and resident records for each of townships,
// assigns them, and returns a token per township.
func seedCounty(tb testing.TB, db hecha.CountyStore, n int, townships ...hecha.Code) map[hecha.Code]string {
	tb.Helper()
	ctx := context.Background()
	if err := db.SetCounty(ctx, fxCounty); err != nil {
		tb.Fatalf("set county: %v", err)
	}
	tokens := map[hecha.Code]string{}
	for _, tw := range townships {
		cases := make([]hecha.Case, n)
		ids := make([]string, n)
		recs := make([]hecha.ResidentRecord, n)
		for i := range cases {
			cases[i] = fxCase(tw, i)
			ids[i] = cases[i].ID
			recs[i] = fxResident(tw, i)
		}
		if _, err := db.ImportCases(ctx, cases); err != nil {
			tb.Fatalf("import cases: %v", err)
		}
		if err := db.PutResident(ctx, recs); err != nil {
			tb.Fatalf("put resident: %v", err)
		}
		if err := db.Assign(ctx, ids, tw, "test"); err != nil {
			tb.Fatalf("assign: %v", err)
		}
		tok, _, err := db.CreateToken(ctx, tw)
		if err != nil {
			tb.Fatalf("create token: %v", err)
		}
		tokens[tw] = tok
	}
	return tokens
}

// openTownship opens a new township database set up for township.
func openTownship(tb testing.TB, path string, township hecha.Code) *store.TownshipDB {
	tb.Helper()
	db, err := store.OpenTownship(path, store.WithRules(fxRules(tb)), store.WithNow(fxClock), store.WithNoSync())
	if err != nil {
		tb.Fatalf("open township %s: %v", path, err)
	}
	if err := db.SaveSettings(context.Background(), hecha.Settings{Township: township, Clerk: "李明"}); err != nil {
		tb.Fatalf("save settings: %v", err)
	}
	return db
}

// serveCounty serves db's sync API on an httptest server without rate
// limits, on the fixed clock unless opts set another.
func serveCounty(tb testing.TB, db hecha.CountyStore, opts ...hsync.Option) *httptest.Server {
	tb.Helper()
	return httptest.NewServer(hsync.NewServer(db, append([]hsync.Option{hsync.WithClock(fxClock), hsync.WithRateLimit(0, 0)}, opts...)...).Handler())
}

// newClient returns a client with short backoffs that tries a request
// up to 3 times.
func newClient(tb testing.TB, url, token string) *hsync.Client {
	return newClientTries(tb, url, token, 3)
}

// newClientTries is newClient trying each request up to tries times. It
// may use plain HTTP.
func newClientTries(tb testing.TB, url, token string, tries int) *hsync.Client {
	tb.Helper()
	c, err := hsync.NewClient(url, token, hsync.WithInsecureHTTP(), hsync.WithRetry(tries, time.Millisecond, 10*time.Millisecond), hsync.WithTimeout(10*time.Second))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// saveResults saves an R1 (died) result for up to n of the township's
// pending cases and returns the saved results.
func saveResults(tb testing.TB, db *store.TownshipDB, n int) []hecha.Result {
	tb.Helper()
	ctx := context.Background()
	sums, err := db.Summaries(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	var out []hecha.Result
	for _, s := range sums {
		if len(out) == n {
			break
		}
		if s.Status != hecha.StatusPending {
			continue
		}
		res, err := db.SaveResult(ctx, &hecha.Result{
			CaseID: s.ID, Form: hecha.FormR1,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied},
		})
		if err != nil {
			tb.Fatalf("save result for %s: %v", s.ID, err)
		}
		out = append(out, *res)
	}
	if len(out) < n {
		tb.Fatalf("only %d pending cases for %d results", len(out), n)
	}
	return out
}

// syncUntilDone runs rounds until one succeeds with nothing left to send,
// at most rounds times.
func syncUntilDone(tb testing.TB, s *hsync.Syncer, rounds int) (total hsync.Report) {
	tb.Helper()
	ctx := context.Background()
	var last error
	for i := 0; i < rounds; i++ {
		rep, err := s.Round(ctx)
		addReport(&total, rep)
		if err == nil {
			left, oerr := s.Store.Outbox(ctx, hecha.OutboxPending, hecha.OutboxSending)
			if oerr != nil {
				tb.Fatal(oerr)
			}
			if len(left) == 0 {
				return total
			}
			last = fmt.Errorf("%d results still pending after a successful round", len(left))
			continue
		}
		if code := hecha.ErrorCode(err); code != hecha.EUNAVAILABLE {
			tb.Fatalf("round %d: %v (code %s), want success or %s", i, err, code, hecha.EUNAVAILABLE)
		}
		last = err
	}
	tb.Fatalf("no successful round in %d: %v", rounds, last)
	return total
}

func addReport(t *hsync.Report, r hsync.Report) {
	t.Pushed += r.Pushed
	t.Accepted += r.Accepted
	t.Duplicate += r.Duplicate
	t.Rejected += r.Rejected
	t.Conflict += r.Conflict
	t.Requeued += r.Requeued
	t.Unanswered += r.Unanswered
	t.PulledCases += r.PulledCases
	t.PulledRegistry += r.PulledRegistry
	t.Bytes += r.Bytes
}

// assertSynced checks that the county holds exactly the saved results,
// each once, and that the township's outbox holds them all as accepted.
func assertSynced(tb testing.TB, county hecha.CountyStore, town *store.TownshipDB, township hecha.Code, saved []hecha.Result) {
	tb.Helper()
	ctx := context.Background()
	ids := make([]string, len(saved))
	for i, r := range saved {
		ids[i] = r.ID
		got, err := county.ResultsOf(ctx, r.CaseID)
		if err != nil {
			tb.Fatalf("results of %s: %v", r.CaseID, err)
		}
		if len(got) != 1 || got[0].ID != r.ID {
			gotIDs := make([]string, len(got))
			for j := range got {
				gotIDs[j] = got[j].ID
			}
			tb.Fatalf("county holds %v for case %s, want exactly [%s]", gotIDs, r.CaseID, r.ID)
		}
	}
	missing, err := county.HasResults(ctx, township, ids)
	if err != nil || len(missing) != 0 {
		tb.Fatalf("county lacks %v (%v)", missing, err)
	}
	items, err := town.Outbox(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	var accepted []string
	for _, it := range items {
		if it.State != hecha.OutboxAccepted {
			tb.Fatalf("outbox item %s is %s (%+v), want accepted", it.ResultID, it.State, it.Outcome)
		}
		accepted = append(accepted, it.ResultID)
	}
	slices.Sort(accepted)
	want := slices.Clone(ids)
	slices.Sort(want)
	if !slices.Equal(accepted, want) {
		tb.Fatalf("outbox holds %v, want %v", accepted, want)
	}
}

func tempPath(tb testing.TB, name string) string {
	return filepath.Join(tb.TempDir(), name)
}
