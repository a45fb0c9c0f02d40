package sync

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"hecha"
)

// pushBody is the JSON of a batch of n results of 查无此人, as a client
// pushes it.
func pushBody(tb testing.TB, n int) []byte {
	at := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	req := ResultsRequest{}
	for i := range n {
		req.Results = append(req.Results, hecha.Result{ID: hecha.NewResultID(at), CaseID: fmt.Sprintf("KS41010220260%05d", i),
			Form: hecha.FormR1, Township: "410102001", CaseRev: 2, Clerk: "李明", SavedAt: at,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}})
	}
	b, err := json.Marshal(req)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestGzipBytes: what gzipBytes makes reads back as the body, each time
// from a reused writer, whatever the body's size.
func TestGzipBytes(t *testing.T) {
	for _, b := range [][]byte{pushBody(t, 200), pushBody(t, 1), {}, pushBody(t, 200)} {
		zr, err := gzip.NewReader(bytes.NewReader(gzipBytes(b)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("read back %d bytes of %d, %v", len(got), len(b), err)
		}
	}
}

// BenchmarkGzipPushBody compresses a pushed batch of 200 results as the
// client and the server do (gzipBytes, a writer reused from a pool),
// beside the obvious alternative, a new gzip.Writer per body, which the
// client used before: that allocates and clears about a megabyte of
// compression state each time, more than compressing the batch costs.
func BenchmarkGzipPushBody(b *testing.B) {
	body := pushBody(b, 200)
	var pooled, fresh time.Duration
	for range b.N {
		start := time.Now()
		_ = gzipBytes(body)
		pooled += time.Since(start)

		start = time.Now()
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		_, _ = zw.Write(body)
		_ = zw.Close()
		fresh += time.Since(start)
	}
	b.ReportMetric(float64(pooled.Microseconds())/float64(b.N), "pooled-µs/body")
	b.ReportMetric(float64(fresh.Microseconds())/float64(b.N), "new-writer-µs/body")
	b.ReportMetric(float64(fresh)/float64(pooled), "x-faster")
}
