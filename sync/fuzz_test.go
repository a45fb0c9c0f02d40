package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
)

// FuzzServerBody posts arbitrary bodies, plain or claimed gzip, to the
// endpoints that read one: the server never panics, answers 200 or a
// client error, and always with a JSON body that the client can read.
func FuzzServerBody(f *testing.F) {
	id := hecha.NewResultID(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	f.Add([]byte(`{"results":[{"id":"`+id+`","case_id":"A0","form":"R1"}]}`), false, true)
	f.Add([]byte(`{"ids":["`+id+`"]}`), false, false)
	f.Add([]byte(`{"results":null}`), false, true)
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, true, true)
	f.Add([]byte(`{"ids":[1,2,3]}`), false, false)
	f.Add([]byte(`null`), false, true)
	f.Add([]byte(` [] `), false, false)
	f.Add([]byte(`{"results":"x"}`), false, true)
	f.Add([]byte(`{"results":[{"form":7}]}`), false, true)

	fc := newFakeCounty()
	fc.tokens["tok"] = "410102001"
	fc.addCase("410102001", "A0")
	h := NewServer(fc, WithClock(testClock), WithRateLimit(0, 0), WithMaxBody(64<<10)).Handler()
	f.Fuzz(func(t *testing.T, body []byte, gz bool, results bool) {
		path := PathCheck
		if results {
			path = PathResults
		}
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer tok")
		if gz {
			req.Header.Set("Content-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 413:
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.Bytes())
		}
		if rec.Code != 200 {
			e := decodeError(rec.Code, bytes.NewReader(rec.Body.Bytes()))
			if e.Code != hecha.EINVALID || e.MsgID == "" {
				t.Fatalf("error %+v for %q", e, body)
			}
			return
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("invalid JSON answer %q", rec.Body.Bytes())
		}
	})
}

// FuzzClientAnswer has the client read arbitrary answers to a pull and a
// push: it never panics, and either decodes them or returns a domain error.
func FuzzClientAnswer(f *testing.F) {
	f.Add(200, []byte(`{"cases":[{"id":"A","kind":"1"}],"next":3,"more":true}`), false)
	f.Add(200, []byte(`{"outcomes":[{"result_id":"x","status":"accepted"}]}`), false)
	f.Add(409, []byte(`{"error":{"code":"conflict","args":[1e999]}}`), false)
	f.Add(200, []byte{0x1f, 0x8b}, true)

	var mu stdsync.Mutex
	var status int
	var answer []byte
	var gz bool
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set(ProtocolHeader, ProtocolVersion)
		if gz {
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.WriteHeader(status)
		w.Write(answer)
	}))
	defer ts.Close()
	c, err := NewClient(ts.URL, "tok", WithInsecureHTTP(), WithRetry(1, 0, 0))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, st int, body []byte, isGzip bool) {
		if st < 200 || st > 599 || (st >= 300 && st < 400) || st == http.StatusTooManyRequests {
			return
		}
		mu.Lock()
		status, answer, gz = st, body, isGzip
		mu.Unlock()
		ctx := context.Background()
		if page, err := c.PullCases(ctx, 0, 0); err == nil && page == nil {
			t.Fatal("nil page without error")
		} else if err != nil && hecha.ErrorCode(err) == "" {
			t.Fatalf("error without code: %v", err)
		}
		outs, err := c.PushResults(ctx, []hecha.Result{{ID: "x"}})
		if err == nil && len(outs) != 1 {
			t.Fatalf("%d outcomes for one result", len(outs))
		}
	})
}
