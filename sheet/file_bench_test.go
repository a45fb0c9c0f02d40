package sheet

import (
	"bytes"
	"encoding/csv"
	"io"
	"testing"
	"time"
)

// benchTable returns a CSV table of n rows in the encoding enc.
func benchTable(b *testing.B, n int, enc Encoding) []byte {
	b.Helper()
	rows := [][]string{sample[0]}
	for i := 0; i < n; i++ {
		rows = append(rows, sample[1+i%(len(sample)-1)])
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, CSV, enc)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rows {
		w.Write(r)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReadCSV reads 20,000 rows through Reader (detecting the
// encoding, counting lines, skipping blank rows) and reports the time as
// a ratio to encoding/csv reading the same UTF-8 bytes with no more.
func BenchmarkReadCSV(b *testing.B) {
	const n = 20_000
	for _, enc := range []Encoding{UTF8BOM, GB18030} {
		b.Run(enc.String(), func(b *testing.B) {
			data := benchTable(b, n, enc)
			plain := benchTable(b, n, UTF8)
			var ours, base time.Duration
			for b.Loop() {
				start := time.Now()
				r, err := NewReader(bytes.NewReader(data), "bench.csv")
				if err != nil {
					b.Fatal(err)
				}
				for {
					if _, _, err := r.Next(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
				ours += time.Since(start)
				start = time.Now()
				cr := csv.NewReader(bytes.NewReader(plain))
				cr.FieldsPerRecord = -1
				for {
					if _, err := cr.Read(); err == io.EOF {
						break
					}
				}
				base += time.Since(start)
			}
			b.ReportMetric(float64(n)*float64(b.N)/ours.Seconds(), "rows/s")
			b.ReportMetric(ours.Seconds()/base.Seconds(), "x_encoding/csv")
		})
	}
}
