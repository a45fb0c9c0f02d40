package hecha

import (
	"strings"
	"testing"
)

// mod112Check computes the check character by ISO 7064 MOD 11-2, the
// formulation GB 11643 is built on (weights 2^(17-i) mod 11), independent
// of IDCheckDigit's weight table.
func mod112Check(first17 string) string {
	sum, w := 0, 1
	for i := 16; i >= 0; i-- {
		w = w * 2 % 11
		sum += int(first17[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return "X"
	}
	return string(rune('0' + c))
}

// idWithCheck appends the right check character to 17 digits.
func idWithCheck(first17 string) string { return first17 + mod112Check(first17) }

func TestIDCheckDigitStandardExamples(t *testing.T) {
	// The examples printed in GB 11643-1999.
	for _, id := range []string{"11010519491231002X", "440524188001010014"} {
		if got := IDCheckDigit(id[:17]); got != id[17] {
			t.Errorf("IDCheckDigit(%s) = %c, want %c", id[:17], got, id[17])
		}
	}
	for _, bad := range []string{"", "1234", "1101051949123100X", "110105194912310021"} {
		if got := IDCheckDigit(bad); got != 0 {
			t.Errorf("IDCheckDigit(%q) = %c, want 0", bad, got)
		}
	}
}

func TestIDCheckDigitAgreesWithMod112(t *testing.T) {
	seen := map[byte]bool{}
	for i := 0; i < 5000; i++ {
		first17 := "4101021990" + strings.Repeat("0", 7-len(itoa(i))) + itoa(i)
		want := mod112Check(first17)
		if got := string(IDCheckDigit(first17)); got != want {
			t.Fatalf("IDCheckDigit(%s) = %s, want %s", first17, got, want)
		}
		seen[want[0]] = true
	}
	if len(seen) != 11 {
		t.Errorf("only %d of the 11 check characters occurred", len(seen))
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestParseCitizenIDValid(t *testing.T) {
	male := idWithCheck("41010219900307001")   // 17th digit 1: male
	female := idWithCheck("41010219900307002") // 17th digit 2: female
	leap := idWithCheck("41010220000229004")   // 2000 is a leap year
	tests := []struct {
		in, number, legacy string
		area               Code
		birth              Date
		sex                Sex
	}{
		{"11010519491231002X", "11010519491231002X", "", "110105", NewDate(1949, 12, 31), SexFemale},
		{"11010519491231002x", "11010519491231002X", "", "110105", NewDate(1949, 12, 31), SexFemale},
		{"  11010519491231002X\t", "11010519491231002X", "", "110105", NewDate(1949, 12, 31), SexFemale},
		{"110105 19491231 002X", "11010519491231002X", "", "110105", NewDate(1949, 12, 31), SexFemale},
		{"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", "", "110105", NewDate(1949, 12, 31), SexFemale},
		{"440524188001010014", "440524188001010014", "", "440524", NewDate(1880, 1, 1), SexMale},
		{male, male, "", "410102", NewDate(1990, 3, 7), SexMale},
		{female, female, "", "410102", NewDate(1990, 3, 7), SexFemale},
		{leap, leap, "", "410102", NewDate(2000, 2, 29), SexFemale},
		// 15-digit legacy numbers: "19" goes before the year, the check is computed.
		{"410102900307001", idWithCheck("41010219900307001"), "410102900307001", "410102", NewDate(1990, 3, 7), SexMale},
		{"110105491231002", "11010519491231002X", "110105491231002", "110105", NewDate(1949, 12, 31), SexFemale},
		// An area written as a city normalises.
		{idWithCheck("41010019900307001"), idWithCheck("41010019900307001"), "", "4101", NewDate(1990, 3, 7), SexMale},
	}
	for _, tt := range tests {
		id, err := ParseCitizenID("citizen_id", tt.in)
		if err != nil {
			t.Errorf("ParseCitizenID(%q): %v", tt.in, err)
			continue
		}
		want := CitizenID{Number: tt.number, Legacy: tt.legacy, Area: tt.area, Birth: tt.birth, Sex: tt.sex}
		if id != want {
			t.Errorf("ParseCitizenID(%q) = %+v, want %+v", tt.in, id, want)
		}
	}
}

func TestParseCitizenIDEmpty(t *testing.T) {
	for _, s := range []string{"", "   ", "\u3000"} {
		id, err := ParseCitizenID("citizen_id", s)
		if err != nil || id != (CitizenID{}) {
			t.Errorf("ParseCitizenID(%q) = %+v, %v; want zero, nil", s, id, err)
		}
	}
}

func TestParseCitizenIDErrors(t *testing.T) {
	good := idWithCheck("41010219900307001")
	wrongCheck := good[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", good[17])+1)%11])
	tests := []struct {
		name, in, msgID string
	}{
		{"18 zeros", "000000000000000000", "id.placeholder"},
		{"17 zeros and X", "00000000000000000X", "id.placeholder"},
		{"17 zeros and 7", "000000000000000007", "id.placeholder"},
		{"child placeholder", "000000201501010000", "id.placeholder"},
		{"child placeholder, other check", "00000020150101000X", "id.placeholder"},
		{"child placeholder, impossible date", "000000201513990003", "id.placeholder"},
		{"all ones", "111111111111111111", "id.placeholder"},
		{"all nines", "999999999999999999", "id.placeholder"},
		{"all fours and X", "44444444444444444X", "id.placeholder"},
		{"15 zeros", "000000000000000", "id.placeholder"},
		{"15 fives", "555555555555555", "id.placeholder"},
		{"15-digit child placeholder", "000000150101000", "id.placeholder"},
		{"too short", "4101021990030700", "id.length"},
		{"too long", good + "1", "id.length"},
		{"one digit", "1", "id.length"},
		{"letter inside", "41010219900307A01" + "1", "id.chars"},
		{"X inside", "4101021990030X0011", "id.chars"},
		{"15 with X", "41010290030700X", "id.chars"},
		{"full-width letter", "41010219900307001Ａ", "id.chars"},
		{"Han character", "41010219900307001一", "id.chars"},
		{"19990230", idWithCheck("41010219990230001"), "id.birth"},
		{"month 13", idWithCheck("41010219991301001"), "id.birth"},
		{"day 00", idWithCheck("41010219990100001"), "id.birth"},
		{"not a leap year", idWithCheck("41010219000229001"), "id.birth"},
		{"15-digit bad date", "410102990230001", "id.birth"},
		{"wrong check", wrongCheck, "id.checksum"},
		{"lowercase x where digit due", "11010519491231003x", "id.checksum"},
		{"province 00", idWithCheck("00123419900307001"), "id.area"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := ParseCitizenID("members[1].citizen_id", tt.in)
			if err == nil {
				t.Fatalf("ParseCitizenID(%q) = %+v, want error %s", tt.in, id, tt.msgID)
			}
			if ErrorCode(err) != EINVALID || ErrorField(err) != "members[1].citizen_id" {
				t.Errorf("code %q field %q, want invalid members[1].citizen_id", ErrorCode(err), ErrorField(err))
			}
			if e := AsErrors(err)[0]; e.MsgID != tt.msgID {
				t.Errorf("message %s (%v), want %s", e.MsgID, err, tt.msgID)
			}
			if id != (CitizenID{}) {
				t.Errorf("an error came with %+v", id)
			}
		})
	}
}

func TestParseCitizenIDChecksumSaysExpected(t *testing.T) {
	_, err := ParseCitizenID("citizen_id", "110105194912310021")
	e := AsErrors(err)[0]
	if e.MsgID != "id.checksum" || len(e.Args) != 2 || e.Args[0] != "X" || e.Args[1] != "1" {
		t.Fatalf("got %+v, want id.checksum expecting X", e)
	}
	if msg := ErrorMessage(err, Chinese); !strings.Contains(msg, "X") {
		t.Errorf("message %q does not name the expected check character", msg)
	}
}

func TestParseCitizenIDSexParity(t *testing.T) {
	for d := byte('0'); d <= '9'; d++ {
		id, err := ParseCitizenID("citizen_id", idWithCheck("4101021990030700"+string(d)))
		if err != nil {
			t.Fatal(err)
		}
		want := SexFemale
		if (d-'0')%2 == 1 {
			want = SexMale
		}
		if id.Sex != want {
			t.Errorf("17th digit %c: sex %s, want %s", d, id.Sex, want)
		}
	}
}

func TestIsPlaceholderID(t *testing.T) {
	yes := []string{"000000000000000000", " 000000000000000000 ", "00000000000000000x", "000000201501010000",
		"000000199912310009", "222222222222222222", "000000000000000", "000000990101000"}
	no := []string{"", "11010519491231002X", "000000201501011234", "000001201501010000", "00000000000000000",
		"0000000000000000000", "22222222222222222Y", "111111111111111112" + "1"}
	for _, s := range yes {
		if !IsPlaceholderID(s) {
			t.Errorf("IsPlaceholderID(%q) = false", s)
		}
	}
	for _, s := range no {
		if IsPlaceholderID(s) {
			t.Errorf("IsPlaceholderID(%q) = true", s)
		}
	}
}
