package store

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/internal/codec"
	"hecha/internal/codec/codectest"
)

var updateValues = flag.Bool("update", false, "record new versions of the stored values in testdata/values")

// describeType describes t and every struct of this module inside it
// (through pointers, slices, arrays and maps): each field's name, type,
// kind and tag, one line each. Named types of this module show their
// underlying kind, so a Code that stopped being a string is seen.
func describeType(t reflect.Type) string {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	typeName := func(t reflect.Type) string {
		if t.Name() != "" && t.PkgPath() != "" && t.Kind() != reflect.Struct {
			return fmt.Sprintf("%s (%s)", t, t.Kind())
		}
		return t.String()
	}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(t.Elem())
			return
		case reflect.Map:
			walk(t.Key())
			walk(t.Elem())
			return
		case reflect.Struct:
		default:
			return
		}
		if seen[t] || !(t.PkgPath() == "hecha" || strings.HasPrefix(t.PkgPath(), "hecha/")) {
			return
		}
		seen[t] = true
		fmt.Fprintf(&b, "%s {\n", t)
		for i := range t.NumField() {
			f := t.Field(i)
			fmt.Fprintf(&b, "\t%s %s", f.Name, typeName(f.Type))
			if f.Tag != "" {
				fmt.Fprintf(&b, " `%s`", f.Tag)
			}
			b.WriteString("\n")
		}
		b.WriteString("}\n")
		for i := range t.NumField() {
			walk(t.Field(i).Type)
		}
	}
	walk(t)
	return b.String()
}

// valueFile returns the path of a stored value's description, or of its
// samples (ext "sample"), at a version.
func valueFile(v storedValue, version int, ext string) string {
	return filepath.Join("testdata", "values", fmt.Sprintf("%s.v%d.%s", v.name, version, ext))
}

// describeValue is the content of a stored value's description file.
func describeValue(v storedValue) string {
	where := string(v.bucket)
	if v.key != nil {
		where += "/" + string(v.key)
	}
	return fmt.Sprintf("# %s: %s, %s, version %d\n%s", where, v.typ, v.enc, v.version, describeType(v.typ))
}

// TestStoredValues fails when a stored type no longer matches the
// description recorded for its declared version: someone changed the type
// without bumping its version in schema_values.go and keeping the old
// values readable. With -update it records a version not recorded yet
// (never rewriting one recorded), with samples of a binary value.
func TestStoredValues(t *testing.T) {
	names := map[string]bool{}
	for _, v := range storedValues {
		if names[v.name] {
			t.Fatalf("%s is declared twice", v.name)
		}
		names[v.name] = true
		if v.enc == encBinary {
			codec := binaryCodecs[v.name]
			if codec.decode == nil {
				t.Fatalf("%s is binary but binaryCodecs has no codec for it", v.name)
			}
			data, err := codec.encode(codec.samples()[0])
			if err != nil {
				t.Fatal(err)
			}
			if int(data[0]) != v.version {
				t.Errorf("%s values are written with version byte %d, declared version %d", v.name, data[0], v.version)
			}
		}
		path := valueFile(v, v.version, "txt")
		want, err := os.ReadFile(path)
		if os.IsNotExist(err) && *updateValues {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(describeValue(v)), 0o644); err != nil {
				t.Fatal(err)
			}
			if v.enc == encBinary {
				writeSamples(t, v)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s version %d has no description (%v): run go test ./store -run TestStoredValues -update to record it", v.name, v.version, err)
		}
		if got := describeValue(v); got != string(want) {
			t.Errorf("the values of %s (%s) changed since version %d was recorded in %s:\n%s\n"+
				"Bump the version of %s in schema_values.go; make the old values still read (a binary "+
				"layout keeps decoding its old version byte, or a migration keyed by a new SchemaVersion "+
				"rewrites them); then run go test ./store -run TestStoredValues -update.",
				v.name, v.typ, v.version, path, lineDiff(string(want), got), v.name)
		}
	}
}

// TestStoredValues_Samples: every sample recorded for every version of
// each binary value still decodes, to what it decoded to when recorded.
func TestStoredValues_Samples(t *testing.T) {
	for _, v := range storedValues {
		if v.enc != encBinary {
			continue
		}
		codec := binaryCodecs[v.name]
		files, _ := filepath.Glob(filepath.Join("testdata", "values", v.name+".v*.sample"))
		if len(files) == 0 {
			t.Errorf("%s has no samples: run go test ./store -run TestStoredValues -update", v.name)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(nil, 1<<20)
			for n := 1; sc.Scan(); n += 2 {
				raw, err := hex.DecodeString(sc.Text())
				if err != nil || !sc.Scan() {
					t.Fatalf("%s:%d: not a hex line and a JSON line", file, n)
				}
				got, err := codec.decode(raw)
				if err != nil {
					t.Fatalf("%s:%d: %v", file, n, err)
				}
				// The recorded JSON, read into today's type.
				want := reflect.New(v.typ)
				if err := json.Unmarshal(sc.Bytes(), want.Interface()); err != nil {
					t.Fatalf("%s:%d: %v", file, n+1, err)
				}
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(codec.normal(want.Interface()))
				if !bytes.Equal(gj, wj) {
					t.Errorf("%s:%d decodes to\n%s\nwant\n%s", file, n, gj, wj)
				}
			}
		}
	}
}

// binaryCodec is a binary value's codec, for the tests.
type binaryCodec struct {
	// samples returns values to record as samples.
	samples func() []any
	encode  func(any) ([]byte, error)
	// decode returns the decoded value, normalised.
	decode func([]byte) (any, error)
	// normal makes a value comparable as JSON on any machine (times in
	// the zone the decoder gives them).
	normal func(any) any
}

// binaryCodecs are the codecs of the binary values, by storedValue.name.
var binaryCodecs = map[string]binaryCodec{
	"cases": {
		samples: func() []any {
			r := rand.New(rand.NewPCG(11, 12))
			var out []any
			for range 4 {
				c := codectest.RandomCase(r)
				// Times in fixed zones: a sample must read the same on
				// any machine.
				c.UpdatedAt = c.UpdatedAt.UTC()
				if c.Assignment != nil {
					c.Assignment.At = c.Assignment.At.In(time.FixedZone("", 8*3600))
				}
				out = append(out, &c)
			}
			return out
		},
		encode: func(v any) ([]byte, error) { return codec.EncodeCase(v.(*hecha.Case)) },
		decode: func(data []byte) (any, error) {
			var c hecha.Case
			return &c, codec.DecodeCase(data, &c)
		},
		normal: func(v any) any { return v },
	},
	"county_state": {
		samples: func() []any {
			return []any{&caseState{}, &caseState{Status: hecha.StatusDone, ImportHash: []byte{hashBinaryV1, 1, 2, 3},
				ContentRev: 3, AssignRev: 5, Results: []string{"01J0000000000000000000000A", "01J0000000000000000000000B"},
				InForce: "01J0000000000000000000000B"}}
		},
		encode: func(v any) ([]byte, error) { return encodeState(v.(*caseState)) },
		decode: func(data []byte) (any, error) {
			var st caseState
			return &st, decodeState(data, &st)
		},
		normal: func(v any) any { return v },
	},
	"county_audit": {
		samples: func() []any {
			var head hecha.AuditHead
			var out []any
			for _, e := range []hecha.AuditEntry{
				{Time: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), User: "wang", Action: "import cases",
					Detail: "-- cases.csv", Count: 120, Outcome: hecha.AuditOK},
				{Time: time.Date(2026, 3, 1, 9, 5, 0, 123, time.UTC), Township: "410102001", TokenID: "abcdefgh",
					Device: "0123456789abcdef", Clerk: "李娜", Remote: "10.1.2.3:40000", Action: "POST /api/v1/results",
					Cases: []string{"C001", "C002"}, Count: 2, Outcome: hecha.EINVALID},
			} {
				e, head = hecha.SealAudit(head, e)
				out = append(out, &e)
			}
			return out
		},
		encode: func(v any) ([]byte, error) { return hecha.MarshalAudit(v.(*hecha.AuditEntry)), nil },
		decode: func(data []byte) (any, error) {
			e, err := hecha.UnmarshalAudit(data)
			return &e, err
		},
		normal: func(v any) any { return v },
	},
	"floating": {
		samples: func() []any {
			fl, _ := codectest.RandomRecords(rand.New(rand.NewPCG(41, 42)), 6)
			out := []any{&hecha.FloatingRecord{}}
			for i := range fl[:min(4, len(fl))] {
				out = append(out, &fl[i])
			}
			return out
		},
		encode: func(v any) ([]byte, error) { return codec.EncodeFloating(v.(*hecha.FloatingRecord)), nil },
		decode: func(data []byte) (any, error) {
			var r hecha.FloatingRecord
			return &r, codec.DecodeFloating(data, &r)
		},
		normal: func(v any) any { return v },
	},
	"resident": {
		samples: func() []any {
			_, rs := codectest.RandomRecords(rand.New(rand.NewPCG(43, 44)), 6)
			out := []any{&hecha.ResidentRecord{}}
			for i := range rs[:min(4, len(rs))] {
				out = append(out, &rs[i])
			}
			return out
		},
		encode: func(v any) ([]byte, error) { return codec.EncodeResident(v.(*hecha.ResidentRecord)), nil },
		decode: func(data []byte) (any, error) {
			var r hecha.ResidentRecord
			return &r, codec.DecodeResident(data, &r)
		},
		normal: func(v any) any { return v },
	},
	"summaries": {
		samples: func() []any { s, e := fxSummary, hecha.CaseSummary{}; return []any{&s, &e} },
		encode:  func(v any) ([]byte, error) { return encodeSummary(v.(*hecha.CaseSummary)), nil },
		decode: func(data []byte) (any, error) {
			var s hecha.CaseSummary
			err := decodeSummary(data, &s)
			return normalSummary(&s), err
		},
		normal: func(v any) any { return normalSummary(v.(*hecha.CaseSummary)) },
	},
}

// normalSummary returns s with its time in UTC (the decoder gives the
// local zone).
func normalSummary(s *hecha.CaseSummary) *hecha.CaseSummary {
	c := *s
	if !c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.UpdatedAt.UTC()
	}
	return &c
}

// writeSamples records samples of v's current version: each value's
// encoding in hex and, on the next line, its JSON.
func writeSamples(t *testing.T, v storedValue) {
	codec := binaryCodecs[v.name]
	var b bytes.Buffer
	for _, s := range codec.samples() {
		data, err := codec.encode(s)
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(codec.normal(s))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%x\n%s\n", data, js)
	}
	if err := os.WriteFile(valueFile(v, v.version, "sample"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for _, l := range w {
		if !slices.Contains(g, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
