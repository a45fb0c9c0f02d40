package hecha

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDateForms(t *testing.T) {
	want := NewDate(2023, time.January, 5)
	for _, in := range []string{"2023-01-05", "20230105", "2023/1/5", "2023/01/05", "2023.1.5", "2023-1-05",
		"2023年1月5日", "2023年01月05日", "2023年1月5", " 2023-01-05 ", "２０２３－０１－０５", "２０２３年１月５日",
		"2023/1/5 0:00:00", "2023-01-05 00:00", "2023-01-05T00:00:00", "2023-01-05 23:59:59.5"} {
		got, err := ParseDate("outflow_date", in)
		if err != nil || got != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got, err := ParseDate("outflow_date", ""); err != nil || !got.IsZero() {
		t.Errorf("ParseDate(\"\") = %v, %v", got, err)
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		in, msgID string
	}{
		{"2023", "date.format"},
		{"230105", "date.format"},
		{"2023-01", "date.format"},
		{"2023-01-05-", "date.format"},
		{"2023--01-05", "date.format"},
		{"2023-01/05", "date.format"},
		{"23-01-05", "date.format"},
		{"2023-001-05", "date.format"},
		{"2023年1月", "date.format"},
		{"一九九〇年一月五日", "date.format"},
		{"2023-01-05 25:00", "date.format"},
		{"2023-01-05 noon", "date.format"},
		{"05/01/2023", "date.format"},
		{"2023-02-29", "date.nonexistent"},
		{"2023-02-30", "date.nonexistent"},
		{"20230230", "date.nonexistent"},
		{"2023-04-31", "date.nonexistent"},
		{"2023-13-01", "date.nonexistent"},
		{"2023-00-10", "date.nonexistent"},
		{"2023-01-00", "date.nonexistent"},
		{"1900-02-29", "date.nonexistent"},
		{"2100-02-29", "date.nonexistent"},
		{"1849-12-31", "date.nonexistent"},
		{"2201-01-01", "date.nonexistent"},
	}
	for _, tt := range tests {
		got, err := ParseDate("verified.birth_date", tt.in)
		if err == nil {
			t.Errorf("ParseDate(%q) = %v, want %s", tt.in, got, tt.msgID)
			continue
		}
		e := AsErrors(err)[0]
		if e.Code != EINVALID || e.Field != "verified.birth_date" || e.MsgID != tt.msgID {
			t.Errorf("ParseDate(%q): %+v, want invalid verified.birth_date %s", tt.in, e, tt.msgID)
		}
	}
}

func TestParseDateLeapYears(t *testing.T) {
	for _, y := range []int{1904, 1996, 2000, 2024, 2400 - 200} {
		leap := y%4 == 0 && (y%100 != 0 || y%400 == 0)
		_, err := ParseDate("d", NewDate(y, 2, 29).Compact())
		if leap != (err == nil) {
			t.Errorf("%d-02-29: err %v, leap %v", y, err, leap)
		}
	}
}

func TestDateStringRoundTrip(t *testing.T) {
	d := NewDate(1999, time.December, 31)
	for _, s := range []string{d.String(), d.Compact()} {
		if got, err := ParseDate("d", s); err != nil || got != d {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, err)
		}
	}
	if d.String() != "1999-12-31" || d.Compact() != "19991231" || (Date{}).String() != "" {
		t.Error("String/Compact wrong")
	}
	if !NewDate(2000, 1, 1).After(d) || !d.Before(NewDate(2000, 1, 1)) || d.Compare(d) != 0 {
		t.Error("Compare wrong")
	}
	if !d.Matches(NewDate(1999, 12, 1), PrecisionMonth) || d.Matches(NewDate(1999, 12, 1), PrecisionDay) || !d.Matches(NewDate(1999, 1, 1), PrecisionYear) {
		t.Error("Matches wrong")
	}
}

func TestDateJSONRoundTrip(t *testing.T) {
	for _, d := range []Date{{}, NewDate(2023, 1, 5), NewDate(1949, 12, 31), NewDate(2000, 2, 29)} {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if want := `"` + d.String() + `"`; string(b) != want {
			t.Errorf("Marshal(%v) = %s, want %s", d, b, want)
		}
		var got Date
		if err := json.Unmarshal(b, &got); err != nil || got != d {
			t.Errorf("Unmarshal(%s) = %v, %v", b, got, err)
		}
	}
	var got Date
	if err := json.Unmarshal([]byte(`"20230105"`), &got); err != nil || got != NewDate(2023, 1, 5) {
		t.Errorf("compact form = %v, %v", got, err)
	}
	if err := json.Unmarshal([]byte(`"2023-02-30"`), &got); ErrorCode(err) != EINVALID {
		t.Errorf("nonexistent date: err = %v", err)
	}
}
