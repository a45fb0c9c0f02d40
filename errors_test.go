package hecha

import (
	"encoding/json"
	"testing"
)

func TestErrorJSONKeepsIntegerArgs(t *testing.T) {
	in := Errors{Invalid("verified.name", "text.too_long", 40), {Code: EINTERNAL, Detail: "disk full"}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Errors
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Field != "verified.name" || out[0].MsgID != "text.too_long" || out[1].Detail != "disk full" {
		t.Fatalf("round trip = %#v", out)
	}
	if _, ok := out[0].Args[0].(int64); !ok {
		t.Fatalf("arg decoded as %T, want int64", out[0].Args[0])
	}
	if got, want := out[0].Message(English), in[0].Message(English); got != want {
		t.Errorf("message after the round trip = %q, want %q", got, want)
	}
}

func TestErrorCodeAndField(t *testing.T) {
	var es Errors
	es.Add(Invalid("sex", "code.unknown", "x"))
	es.AddField("verified", Invalid("name", "text.required"))
	tests := []struct {
		err         error
		code, field string
	}{
		{nil, "", ""},
		{es, EINVALID, "sex"},
		{Errorf(ECONFLICT, "", ""), ECONFLICT, ""},
		{json.Unmarshal([]byte("{"), new(any)), EINTERNAL, ""},
	}
	for _, tt := range tests {
		if got := ErrorCode(tt.err); got != tt.code {
			t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.code)
		}
		if got := ErrorField(tt.err); got != tt.field {
			t.Errorf("ErrorField(%v) = %q, want %q", tt.err, got, tt.field)
		}
	}
	if es[1].Field != "verified.name" {
		t.Errorf("AddField gave %q", es[1].Field)
	}
	if got := ErrorMessage(es, Chinese); got == "" || got == es.Error() {
		t.Errorf("ErrorMessage in Chinese = %q", got)
	}
}
