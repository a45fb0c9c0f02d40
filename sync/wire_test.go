package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"hecha"
)

// allCodes lists every error code of the root package.
var allCodes = []string{
	hecha.ECONFLICT, hecha.EINTERNAL, hecha.EINVALID, hecha.ENOTFOUND,
	hecha.EUNAUTHORIZED, hecha.EUNAVAILABLE, hecha.ELOCKED, hecha.ETOOMANY,
}

func TestStatusTable(t *testing.T) {
	want := map[string]int{
		hecha.EINVALID: 400, hecha.EUNAUTHORIZED: 401, hecha.ENOTFOUND: 404,
		hecha.ECONFLICT: 409, hecha.ETOOMANY: 429, hecha.EUNAVAILABLE: 503,
		hecha.ELOCKED: 503, hecha.EINTERNAL: 500,
	}
	for _, code := range allCodes {
		if got := StatusOf(code); got != want[code] {
			t.Errorf("StatusOf(%q) = %d, want %d", code, got, want[code])
		}
		back := CodeOf(StatusOf(code))
		if code == hecha.ELOCKED {
			// Status alone cannot tell a locked database from an
			// unreachable one; the body carries the difference.
			if back != hecha.EUNAVAILABLE {
				t.Errorf("CodeOf(StatusOf(locked)) = %q", back)
			}
			continue
		}
		if back != code {
			t.Errorf("CodeOf(StatusOf(%q)) = %q", code, back)
		}
	}
	for status, code := range map[int]string{
		422: hecha.EINVALID, 413: hecha.EINVALID, 418: hecha.EINVALID, 403: hecha.EUNAUTHORIZED,
		502: hecha.EUNAVAILABLE, 504: hecha.EUNAVAILABLE, 507: hecha.EUNAVAILABLE, 302: hecha.EINTERNAL,
	} {
		if got := CodeOf(status); got != code {
			t.Errorf("CodeOf(%d) = %q, want %q", status, got, code)
		}
	}
	if StatusOf("no_such_code") != 500 {
		t.Error("an unknown code must map to 500")
	}
}

// TestErrorRoundTrip sends every code through a real HTTP hop, the way the
// server writes it, and checks the client gets the same error back.
func TestErrorRoundTrip(t *testing.T) {
	for _, code := range allCodes {
		t.Run(code, func(t *testing.T) {
			sent := &hecha.Error{
				Code: code, Field: "verified.birth_date", MsgID: "sync.err.batch_size",
				Args: []any{MaxBatch, 2500}, Detail: "detail text",
			}
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set(ProtocolHeader, ProtocolVersion)
				w.WriteHeader(StatusOf(code))
				_ = json.NewEncoder(w).Encode(ErrorResponse{Error: sent})
			}))
			defer ts.Close()
			c := mustClient(t, ts.URL, "tok", WithRetry(1, time.Millisecond, time.Millisecond))
			_, err := c.WhoAmI(context.Background())
			var got *hecha.Error
			if e, ok := err.(*hecha.Error); ok {
				got = e
			}
			if got == nil {
				t.Fatalf("err = %T %v, want *hecha.Error", err, err)
			}
			want := *sent
			want.Args = []any{int64(MaxBatch), int64(2500)}
			if !reflect.DeepEqual(*got, want) {
				t.Fatalf("after the hop: %#v, want %#v", *got, want)
			}
			if got.Message(hecha.English) != sent.Message(hecha.English) {
				t.Fatalf("message %q, want %q", got.Message(hecha.English), sent.Message(hecha.English))
			}
		})
	}
}

func TestDecodeError_StatusOnly(t *testing.T) {
	rows := []struct {
		body string
		code string
	}{
		{"<html>bad gateway</html>", hecha.EUNAVAILABLE},
		{`{"error":{"code":"from_the_future"}}`, hecha.EUNAVAILABLE},
		{`{"error":null}`, hecha.EUNAVAILABLE},
		{``, hecha.EUNAVAILABLE},
	}
	for _, r := range rows {
		e := decodeError(502, bytes.NewReader([]byte(r.body)))
		if e.Code != r.code || e.Detail != "Bad Gateway" {
			t.Errorf("decodeError(502, %q) = %+v", r.body, e)
		}
	}
}

func TestNormalizeArgs(t *testing.T) {
	got := normalizeArgs([]any{json.Number("3"), json.Number("2.5"), json.Number("1e400"), "s", nil, true})
	want := []any{int64(3), 2.5, "1e400", "s", nil, true}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("normalizeArgs = %#v, want %#v", got, want)
	}
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(`{"error":{"code":"invalid","field":"name","msg_id":"form.required","args":[1,"x",2.5]}}`))
	f.Add(503, []byte(`{"error":{"code":"unavailable"}}`))
	f.Add(500, []byte(`{"error":{"code":"internal","args":[{"a":1},[1,2]]}}`))
	f.Add(404, []byte(`not json`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := decodeError(status, bytes.NewReader(body))
		if e == nil || !knownCode(e.Code) {
			t.Fatalf("decodeError(%d, %q) = %+v: code not known", status, body, e)
		}
		_ = e.Message(hecha.Chinese)
		_ = e.Error()
	})
}

func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Add("3")
	f.Add("-1")
	f.Add("Mon, 01 Jan 2024 00:00:10 GMT")
	f.Add("99999999999999999999")
	f.Fuzz(func(t *testing.T, h string) {
		d := retryAfter(h, now)
		if d < 0 || d > 24*time.Hour {
			t.Fatalf("retryAfter(%q) = %v", h, d)
		}
	})
}

func FuzzBearer(f *testing.F) {
	f.Add("Bearer abc")
	f.Add("bearer    ")
	f.Add("Basic xyz")
	f.Fuzz(func(t *testing.T, h string) {
		tok, ok := bearer(h)
		if ok && tok == "" {
			t.Fatalf("bearer(%q) = empty token, ok", h)
		}
	})
}
