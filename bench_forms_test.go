package hecha

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkValidateR2 measures Result.Validate of a complete R2 form: the
// verified 15 items with a household member, and the sign-off.
func BenchmarkValidateR2(b *testing.B) {
	r := fxRules(b)
	c := fxCase()
	res := fxResult(&c, FormR2)
	if err := res.Validate(&c, r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := res.Validate(&c, r); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPeople is the million-person registry of BenchmarkCompare, built
// once per process.
var benchPeople struct {
	once    sync.Once
	reg     *MemRegistry
	scan    *scanRegistry
	cases   []Case
	elapsed time.Duration
	// scanPerOp is the time of one Compare by linear scan, in ns.
	scanOnce  sync.Once
	scanPerOp float64
}

// scanRegistry answers the registry queries by a linear scan of the same
// records: the obvious alternative to MemRegistry's indexes.
type scanRegistry struct {
	floating []FloatingRecord
	resident []ResidentRecord
}

func (s *scanRegistry) FloatingByCitizenID(id string) ([]FloatingRecord, error) {
	var out []FloatingRecord
	for i := range s.floating {
		if s.floating[i].CitizenID == id {
			out = append(out, s.floating[i])
		}
	}
	return out, nil
}

func (s *scanRegistry) FloatingByNameSexBirth(name string, sex Sex, birth Date, p Precision) ([]FloatingRecord, error) {
	var out []FloatingRecord
	for i := range s.floating {
		f := &s.floating[i]
		if f.Name == name && f.Sex == sex && f.BirthDate.Matches(birth, p) {
			out = append(out, *f)
		}
	}
	return out, nil
}

func (s *scanRegistry) ResidentByCitizenID(id string) ([]ResidentRecord, error) {
	var out []ResidentRecord
	for i := range s.resident {
		if s.resident[i].CitizenID == id {
			out = append(out, s.resident[i])
		}
	}
	return out, nil
}

func (s *scanRegistry) ResidentByNameSexBirth(name string, sex Sex, birth Date, p Precision) ([]ResidentRecord, error) {
	var out []ResidentRecord
	for i := range s.resident {
		rec := &s.resident[i]
		if rec.Name == name && rec.Sex == sex && rec.BirthDate.Matches(birth, p) {
			out = append(out, *rec)
		}
	}
	return out, nil
}

// buildBenchPeople makes n people, 60% in the floating system and 40% in
// the resident system, with common surnames and given names so that
// namesakes are frequent, and 1,000 cases drawn from them (half with the
// citizen ID left out, so the name search does the work).
func buildBenchPeople(n int) {
	start := time.Now()
	rng := rand.New(rand.NewPCG(2012, 10))
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given := []rune("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯俊峰晨阳雪琳丹亮成林")
	areas := []string{"410102", "410103", "410105", "410122", "410302", "410303", "410502", "410702", "411002", "411502"}
	dests := []Code{"440305", "440306", "440106", "310115", "320106", "330106"}
	reg := NewMemRegistry()
	reg.Grow(n*6/10+1, n*4/10+1)
	var cases []Case
	buf := make([]byte, 0, 18)
	for i := range n {
		var name strings.Builder
		name.WriteRune(surnames[rng.IntN(len(surnames))])
		name.WriteRune(given[rng.IntN(len(given))])
		if rng.IntN(2) == 0 {
			name.WriteRune(given[rng.IntN(len(given))])
		}
		sex := SexMale
		if i%2 == 1 {
			sex = SexFemale
		}
		birth := NewDate(1950+rng.IntN(60), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
		area := areas[rng.IntN(len(areas))]
		buf = append(buf[:0], area...)
		buf = strconv.AppendInt(buf, int64(birth.Year*10000+int(birth.Month)*100+birth.Day), 10)
		sexDigit := byte('0' + 2*rng.IntN(5)) // even: female
		if sex == SexMale {
			sexDigit++
		}
		buf = append(buf, byte('0'+rng.IntN(10)), byte('0'+rng.IntN(10)), sexDigit)
		buf = append(buf, IDCheckDigit(string(buf)))
		id := string(buf)
		household := Code(area + "001")
		dest := dests[rng.IntN(len(dests))]
		if i%10 < 6 {
			rec := FloatingRecord{ID: "F" + strconv.Itoa(i), Name: name.String(), Sex: sex, BirthDate: birth, CitizenID: id,
				HouseholdDivision: household, InflowDivision: dest, Withdrawn: i%37 == 0}
			reg.AddFloating(rec)
		} else {
			rec := ResidentRecord{ID: "R" + strconv.Itoa(i), Name: name.String(), Sex: sex, BirthDate: birth, CitizenID: id,
				HouseholdDivision: household}
			if i%3 == 0 {
				rec.Outflow = &Outflow{Date: NewDate(2015, 1, 1), Destination: dest}
			}
			reg.AddResident(rec)
		}
		if i%(n/1000) == 0 {
			p := Person{Name: name.String(), Sex: sex, BirthDate: birth, HouseholdDivision: household, CurrentDivision: "440305"}
			if len(cases)%2 == 0 {
				p.CitizenID = id
			}
			cases = append(cases, Case{ID: "KS" + strconv.Itoa(i), Kind: KindCrossProvince, Person: p})
		}
	}
	// The scan reads the registry's own records: the same data, no index.
	scan := &scanRegistry{floating: reg.floating.recs, resident: reg.resident.recs}
	benchPeople.reg, benchPeople.scan, benchPeople.cases = reg, scan, cases
	benchPeople.elapsed = time.Since(start)
}

// BenchmarkCompare measures Compare against a registry of 1,000,000
// people: with MemRegistry's indexes (ns/op) and with a linear scan of the
// same records, reported as the ratio scan/indexed.
func BenchmarkCompare(b *testing.B) {
	const people = 1_000_000
	benchPeople.once.Do(func() { buildBenchPeople(people) })
	reg, scan, cases := benchPeople.reg, benchPeople.scan, benchPeople.cases
	if reg.Len() != people {
		b.Fatalf("registry holds %d", reg.Len())
	}

	// The scan, once per process, over a few cases: each takes
	// milliseconds. It also checks that both find the same.
	benchPeople.scanOnce.Do(func() {
		const rounds = 20
		var total time.Duration
		for i := range rounds {
			c := &cases[i*len(cases)/rounds]
			want, err := Compare(c, reg, reg, PrecisionMonth)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			got, err := Compare(c, scan, scan, PrecisionMonth)
			total += time.Since(start)
			if err != nil || len(got.Candidates) != len(want.Candidates) || got.Form != want.Form {
				b.Fatalf("case %s: scan found %d (%s), index %d (%s)", c.ID, len(got.Candidates), got.Form, len(want.Candidates), want.Form)
			}
		}
		benchPeople.scanPerOp = float64(total.Nanoseconds()) / rounds
	})

	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := Compare(&cases[i%len(cases)], reg, reg, PrecisionMonth); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.StopTimer()
	indexedPerOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(benchPeople.scanPerOp/indexedPerOp, "scan/indexed")
	b.ReportMetric(float64(benchPeople.elapsed.Milliseconds()), "build-ms")
}
