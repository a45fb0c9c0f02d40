package sync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
	"hecha/store"
	hsync "hecha/sync"
)

// benchTownships are the ten townships of the ingest benchmark.
var benchTownships = func() []hecha.Code {
	var out []hecha.Code
	for i := 1; i <= 10; i++ {
		out = append(out, hecha.Code(fmt.Sprintf("410102%03d", i)))
	}
	return out
}()

// seedCases imports n cases for each township and assigns them, without
// registry records, and returns a token per township.
func seedCases(tb testing.TB, db hecha.CountyStore, n int, townships ...hecha.Code) map[hecha.Code]string {
	tb.Helper()
	ctx := context.Background()
	if err := db.SetCounty(ctx, fxCounty); err != nil {
		tb.Fatal(err)
	}
	tokens := map[hecha.Code]string{}
	for _, tw := range townships {
		cases := make([]hecha.Case, n)
		ids := make([]string, n)
		for i := range cases {
			cases[i] = fxCase(tw, i)
			ids[i] = cases[i].ID
		}
		if _, err := db.ImportCases(ctx, cases); err != nil {
			tb.Fatal(err)
		}
		if err := db.Assign(ctx, ids, tw, "bench"); err != nil {
			tb.Fatal(err)
		}
		tok, _, err := db.CreateToken(ctx, tw)
		if err != nil {
			tb.Fatal(err)
		}
		tokens[tw] = tok
	}
	return tokens
}

// resultChain makes results for a township's cases, each correcting the
// one before it, so the county accepts a new result per case every time.
type resultChain struct {
	township hecha.Code
	cases    []hecha.Case
	last     map[string]string // case id → result in force
	// form is the results' form: R1 (查无此人, the default), which
	// touches no registry, or a confirming one with the case's items as
	// verified, which updates or makes the person's registry records.
	form hecha.Form
}

func newResultChain(tb testing.TB, county hecha.CountyStore, tw hecha.Code) *resultChain {
	cases, err := county.Cases(context.Background(), hecha.CaseFilter{Unit: tw})
	if err != nil {
		tb.Fatal(err)
	}
	return &resultChain{township: tw, cases: cases, last: map[string]string{}}
}

// next returns a new result for each of the first n cases.
func (c *resultChain) next(n int) []hecha.Result {
	out := make([]hecha.Result, n)
	for i := range out {
		cs := c.cases[i%len(c.cases)]
		id := hecha.NewResultID(time.Now())
		out[i] = hecha.Result{
			ID: id, CaseID: cs.ID, Form: hecha.FormR1, Township: c.township, CaseRev: cs.Rev,
			Replaces: c.last[cs.ID], Clerk: "李明", SavedAt: fxNow,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied},
		}
		if c.form.Confirms() {
			v := hecha.Prefill(&cs)
			v.Education, v.HukouType, v.Marital, v.Reason = "60", hecha.HukouAgricultural, "20", "1"
			out[i].Form, out[i].NotFound, out[i].Verified = c.form, nil, &v
			out[i].SignOff = &hecha.SignOff{Confirmed: true, Name: "李建国"}
		}
		c.last[cs.ID] = id
	}
	return out
}

// pushAll sends results in batches of size and fails unless all are
// accepted.
func pushAll(tb testing.TB, c *hsync.Client, results []hecha.Result, size int) {
	pushPaced(tb, c, results, size, time.Time{}, 0)
}

// pushPaced is pushAll sending the k-th batch when it is due, at first +
// k*every, or at once when it is late (or every is 0): the batches go out
// on a schedule whatever the answers' times, as townships that each sync
// at their own moments would send them.
func pushPaced(tb testing.TB, c *hsync.Client, results []hecha.Result, size int, first time.Time, every time.Duration) {
	for k := 0; len(results) > 0; k++ {
		if every > 0 {
			time.Sleep(time.Until(first.Add(time.Duration(k) * every)))
		}
		n := min(size, len(results))
		outs, err := c.PushResults(context.Background(), results[:n])
		if err != nil {
			tb.Error(err)
			return
		}
		for _, o := range outs {
			if o.Status != hecha.ResultAccepted {
				tb.Errorf("result %s: %s %v", o.ResultID, o.Status, o.Errors)
				return
			}
		}
		results = results[n:]
	}
}

// BenchmarkIngest: 10 townships at once each push 1,000 results to a
// durable county database (one transaction per batch), in one 1,000-result
// batch and in the client's own batches of hsync.DefaultBatchSize, beside
// the same townships pushing one result per request (one commit per
// result).
func BenchmarkIngest(b *testing.B) {
	for _, size := range []int{1000, hsync.DefaultBatchSize} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) { benchIngest(b, size) })
	}
}

func benchIngest(b *testing.B, size int) {
	const perBatch, singles = 1000, 20
	county := openCounty(b, true)
	defer county.Close()
	tokens := seedCases(b, county, perBatch, benchTownships...)
	ts := serveCounty(b, county)
	defer ts.Close()
	chains := make([]*resultChain, len(benchTownships))
	clients := make([]*hsync.Client, len(benchTownships))
	for i, tw := range benchTownships {
		chains[i] = newResultChain(b, county, tw)
		clients[i] = newClient(b, ts.URL, tokens[tw])
	}
	// run pushes n results per township with batches of size, all
	// townships at once, and returns the time taken.
	run := func(n, size int) time.Duration {
		batches := make([][]hecha.Result, len(chains))
		for i, c := range chains {
			batches[i] = c.next(n)
		}
		start := time.Now()
		var wg stdsync.WaitGroup
		for i := range chains {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pushAll(b, clients[i], batches[i], size)
			}()
		}
		wg.Wait()
		return time.Since(start)
	}

	// One commit per result, measured on a few results.
	single := run(singles, 1)
	singleRate := float64(singles*len(chains)) / single.Seconds()

	b.ResetTimer()
	var batched time.Duration
	for i := 0; i < b.N; i++ {
		batched += run(perBatch, size)
	}
	b.StopTimer()
	rate := float64(perBatch*len(chains)*b.N) / batched.Seconds()
	b.ReportMetric(rate, "results/s")
	b.ReportMetric(singleRate, "single-results/s")
	b.ReportMetric(rate/singleRate, "x-batch-vs-single")
}

// BenchmarkPull: a fresh township database pulls 10,000 cases in pages of
// 500; the metrics give the bytes on the wire beside the same pages
// without gzip.
func BenchmarkPull(b *testing.B) {
	const n = 10000
	county := openCounty(b, false)
	defer county.Close()
	tokens := seedCases(b, county, n, townA)
	ts := serveCounty(b, county)
	defer ts.Close()

	// The alternative: the same pages as plain JSON.
	plain := int64(0)
	for since, more := uint64(0), true; more; {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s%s?since=%d&limit=500", ts.URL, hsync.PathCases, since), nil)
		req.Header.Set("Authorization", "Bearer "+tokens[townA])
		req.Header.Set("Accept-Encoding", "identity")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var page hsync.CasesResponse
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		plain += int64(len(body))
		if err := json.Unmarshal(body, &page); err != nil {
			b.Fatal(err)
		}
		since, more = page.Next, page.More
	}

	b.ResetTimer()
	var wire int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		town, err := store.OpenTownship(tempPath(b, fmt.Sprintf("town%d.db", i)), store.WithRules(fxRules(b)), store.WithNow(fxClock))
		if err != nil {
			b.Fatal(err)
		}
		if err := town.SaveSettings(context.Background(), hecha.Settings{Township: townA}); err != nil {
			b.Fatal(err)
		}
		s := &hsync.Syncer{Store: town, Client: newClient(b, ts.URL, tokens[townA]), PageSize: 500, Now: fxClock}
		b.StartTimer()
		rep, err := s.Round(context.Background())
		b.StopTimer()
		if err != nil || rep.PulledCases != n {
			b.Fatalf("pulled %d cases: %v", rep.PulledCases, err)
		}
		wire += rep.Bytes
		town.Close()
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(wire)/float64(b.N), "wire-B/op")
	b.ReportMetric(float64(plain), "plain-json-B")
	b.ReportMetric(float64(plain)/(float64(wire)/float64(b.N)), "x-smaller-than-plain")
}

// BenchmarkPushRound: a township pushes 1,000 results and pulls in the
// same round; the metrics give the round's bytes on the wire beside the
// bytes of pulling back the cases its own results changed, as a client
// that does not name them (an older one) does.
func BenchmarkPushRound(b *testing.B) {
	const n = 1000
	ctx := context.Background()
	var wire, back int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		county := openCounty(b, false)
		tokens := seedCases(b, county, n, townA)
		ts := serveCounty(b, county)
		town := openTownship(b, tempPath(b, fmt.Sprintf("town%d.db", i)), townA)
		s := &hsync.Syncer{Store: town, Client: newClient(b, ts.URL, tokens[townA]), Now: fxClock}
		if _, err := s.Round(ctx); err != nil {
			b.Fatal(err)
		}
		st, _ := town.Settings(ctx)
		saveResults(b, town, n)
		b.StartTimer()
		rep, err := s.Round(ctx)
		b.StopTimer()
		if err != nil || rep.Accepted != n {
			b.Fatalf("round: %+v, %v", rep, err)
		}
		wire += rep.Bytes
		// The alternative: the same cursor, every changed case back.
		sent0, recv0 := s.Client.Traffic()
		for since, more := st.Cursor, true; more; {
			page, err := s.Client.PullCases(ctx, since, 0)
			if err != nil {
				b.Fatal(err)
			}
			since, more = page.Next, page.More
		}
		sent1, recv1 := s.Client.Traffic()
		back += sent1 - sent0 + recv1 - recv0
		town.Close()
		ts.Close()
		county.Close()
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(wire)/float64(b.N), "wire-B/op")
	b.ReportMetric(float64(back)/float64(b.N), "pull-back-B/op")
	b.ReportMetric(float64(wire+back)/float64(wire), "x-less-than-pulling-back")
}
