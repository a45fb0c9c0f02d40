package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"hecha"
)

// generator holds the state of one Generate call.
type generator struct {
	cfg   Config
	rng   *rand.Rand
	table *hecha.DivisionTable
	now   hecha.Date
	year  int // the year of now, in case numbers

	county    hecha.Code
	idArea    string // the area code of the county's ID numbers
	townships []hecha.Code
	villages  map[hecha.Code][]hecha.Code
	dests     []hecha.Code // other provinces' counties
	destPick  *weighted    // indexes into dests
	inflows   []hecha.Code // townships of Henan outside the county

	idsOf  map[uint64]uint16 // ID numbers given out per idKey
	keys   *keySet           // personKey hashes of the people made
	places map[hecha.Code]string
	nextID [2]int // the last resident and floating person numbers

	sink   Sink
	err    error  // the first error of sink
	counts Counts // the records made so far

	// The defects: drng draws which cases get one and what it is (a
	// source of its own, so the rate changes nothing else), defectsLeft
	// is how many are still to give.
	drng        *rand.Rand
	defectsLeft int
}

func newGenerator(cfg Config) (*generator, error) {
	if cfg.Cases <= 0 {
		return nil, hecha.Invalid("cases", "gen.cases", cfg.Cases)
	}
	if cfg.County == "" {
		cfg.County = DefaultCounty
	}
	if cfg.Divisions == nil {
		cfg.Divisions = Builtin()
	}
	if cfg.Now.IsZero() {
		return nil, hecha.Invalid("now", "gen.now")
	}
	if y := cfg.Now.Year(); y < MinYear || y > MaxYear {
		return nil, hecha.Invalid("now", "gen.now_range", hecha.DateOf(cfg.Now).String(), MinYear, MaxYear)
	}
	switch {
	case cfg.DefectRate == 0:
		cfg.DefectRate = DefaultDefectRate
	case cfg.DefectRate < 0:
		cfg.DefectRate = 0
	case cfg.DefectRate > 1:
		cfg.DefectRate = 1
	}
	g := &generator{
		cfg: cfg, rng: newRand(cfg.Seed), table: cfg.Divisions,
		now: hecha.DateOf(cfg.Now), county: cfg.County,
		villages: map[hecha.Code][]hecha.Code{},
		idsOf:    map[uint64]uint16{},
		keys:     newKeySet(cfg.Cases),
		places:   map[hecha.Code]string{},
		drng:     newRand(^cfg.Seed),
	}
	g.defectsLeft = int(math.Round(cfg.DefectRate * float64(cfg.Cases)))
	g.year = g.now.Year
	if _, ok := g.table.Lookup(g.county); !ok || g.county.Level() != hecha.LevelCounty {
		return nil, hecha.Invalid("county", "gen.county", string(g.county))
	}
	for _, d := range g.table.Children(g.county) {
		if d.Code.Level() == hecha.LevelTownship {
			g.townships = append(g.townships, d.Code)
		}
	}
	if len(g.townships) == 0 {
		return nil, hecha.Invalid("county", "gen.county", string(g.county))
	}
	if n := cfg.Townships; n > 0 && n < len(g.townships) {
		g.townships = g.townships[:n]
	}
	for _, t := range g.townships {
		for _, v := range g.table.Children(t) {
			g.villages[t] = append(g.villages[t], v.Code)
		}
	}
	g.idArea = g.findIDArea()
	g.inflows = townshipsUnder(g.table, g.county.Province(), g.county)
	if err := g.findDestinations(); err != nil {
		return nil, err
	}
	return g, nil
}

// findIDArea returns the county's code when it is a valid ID area, else
// (a development zone, whose people hold numbers of the county they came
// from) the first county of the same city that is.
func (g *generator) findIDArea() string {
	if g.table.CheckIDArea("", g.county) == nil {
		return string(g.county)
	}
	city := g.county.Parent()
	for _, d := range g.table.Children(city) {
		if d.Code.Level() == hecha.LevelCounty && g.table.CheckIDArea("", d.Code) == nil {
			return string(d.Code)
		}
	}
	return string(g.county)
}

// findDestinations collects the other provinces' counties people live in.
func (g *generator) findDestinations() error {
	var spec strings.Builder
	for _, c := range builtinDestinations() {
		if _, ok := g.table.Lookup(c); !ok || c.Province() == g.county.Province() {
			continue
		}
		fmt.Fprintf(&spec, "%d:%d ", len(g.dests), destinationWeights[c.Province()])
		g.dests = append(g.dests, c)
	}
	if len(g.dests) == 0 {
		return hecha.Invalid("divisions", "gen.destinations")
	}
	g.destPick = newWeighted(spec.String())
	return nil
}

// townshipsUnder returns the townships under root outside the county skip.
func townshipsUnder(t *hecha.DivisionTable, root, skip hecha.Code) []hecha.Code {
	var out []hecha.Code
	var walk func(c hecha.Code)
	walk = func(c hecha.Code) {
		for _, d := range t.Children(c) {
			switch {
			case d.Code == skip:
			case d.Code.Level() == hecha.LevelTownship:
				out = append(out, d.Code)
			case d.Code.Level() < hecha.LevelTownship:
				walk(d.Code)
			}
		}
	}
	walk(root)
	return out
}

// person is someone of the county, with the items every record shares.
type person struct {
	name      string
	sex       hecha.Sex
	birth     hecha.Date
	id        string
	household hecha.Code // township or village
	address   string
	education hecha.Education
	hukou     hecha.HukouType
	marital   hecha.MaritalStatus
}

// moverAges weighs the ages of people who left to work (16–65).
var moverAges = newWeighted(`16:6 20:30 30:30 40:20 50:10 60:4`)

// moverAge returns an age drawn from moverAges.
func (g *generator) moverAge() int {
	lo := atoi(moverAges.pick(g.rng))
	span := 10
	switch lo {
	case 16:
		span = 4
	case 60:
		span = 6
	}
	return lo + g.rng.IntN(span)
}

// newPerson makes a person of the county aged age, unique by name, sex
// and birth date among everyone made so far.
func (g *generator) newPerson(age int) person {
	var p person
	p.sex = hecha.SexFemale
	if g.rng.IntN(100) < 53 {
		p.sex = hecha.SexMale
	}
	born := func() hecha.Date { return addDays(g.now, -(age*365 + age/4 + 1 + g.rng.IntN(364))) }
	p.birth = born()
	p.name = personName(g.rng, p.sex, p.birth.Year)
	// Another day while the name, sex and day are taken or the day's ID
	// numbers are all given out: a few more draws at the same age keep
	// the dates spread, then one day back at a time, never younger. Each
	// step back passes a day taken for this name and sex or a full day,
	// and there are at most g.keys.len() + len(g.idsOf) of those, so the
	// walk ends.
	for try := 0; !g.free(p.name, p.sex, p.birth); try++ {
		if try < 8 {
			p.birth = born()
		} else {
			p.birth = addDays(p.birth, -1)
		}
	}
	g.claim(p.name, p.sex, p.birth)
	p.id, _ = g.newID(g.idArea, p.birth, p.sex)
	p.household = g.pickHousehold()
	p.address = g.householdAddress(p.household)
	p.education = hecha.Education(educationDraw.pick(g.rng))
	p.hukou = hecha.HukouType(hukouDraw.pick(g.rng))
	p.marital = g.maritalFor(g.now.Year - p.birth.Year)
	return p
}

// personKey returns a hash of what the comparison matches people by:
// name, sex and birth date. Two people whose hashes collide count as
// the same, which only moves the second to another day.
func personKey(name string, sex hecha.Sex, birth hecha.Date) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(name); i++ {
		h = (h ^ uint64(name[i])) * prime
	}
	h = (h ^ 0xff) * prime // ends the name
	for i := 0; i < len(sex); i++ {
		h = (h ^ uint64(sex[i])) * prime
	}
	return (h ^ dayNumber(birth)) * prime
}

// free reports whether a person of the county can be made with name, sex
// and birth: nobody has them yet and the day has ID numbers left.
func (g *generator) free(name string, sex hecha.Sex, birth hecha.Date) bool {
	return !g.keys.has(personKey(name, sex, birth)) && g.idFree(g.idArea, birth, sex)
}

// claim records name, sex and birth as taken.
func (g *generator) claim(name string, sex hecha.Sex, birth hecha.Date) {
	g.keys.add(personKey(name, sex, birth))
}

// idSeqs is how many ID numbers an area, birth date and sex have: the
// three-digit sequence code (顺序码) is odd for men and even for women.
const idSeqs = 500

// dayNumber packs a date into an integer, distinct for distinct dates.
func dayNumber(d hecha.Date) uint64 {
	return uint64(d.Year)<<9 | uint64(d.Month)<<5 | uint64(d.Day)
}

// idKey packs an area code, a birth date and a sex into the key of idsOf.
func idKey(area string, birth hecha.Date, sex hecha.Sex) uint64 {
	k := uint64(atoi(area))<<32 | dayNumber(birth)<<1
	if sex == hecha.SexMale {
		k |= 1
	}
	return k
}

// idFree reports whether area, birth and sex have ID numbers left.
func (g *generator) idFree(area string, birth hecha.Date, sex hecha.Sex) bool {
	return g.idsOf[idKey(area, birth, sex)] < idSeqs
}

// newID returns an unused valid ID number for area, birth and sex, and
// the birth date it carries: birth, or, when all idSeqs numbers of that
// day are given out, the nearest earlier day with one left (each step
// back passes a full day, of which there are at most len(g.idsOf)).
// Within a day the numbers are handed out in an order fixed by the seed
// and the day: a stride coprime to idSeqs from a starting point, which
// visits every sequence code once without a search.
func (g *generator) newID(area string, birth hecha.Date, sex hecha.Sex) (string, hecha.Date) {
	for !g.idFree(area, birth, sex) {
		birth = addDays(birth, -1)
	}
	k := idKey(area, birth, sex)
	n := int(g.idsOf[k])
	g.idsOf[k]++
	h := mix64(k ^ uint64(g.cfg.Seed)*0x9E3779B97F4A7C15)
	start, stride := int(h%idSeqs), int(h>>32%250)*2+1
	if stride%5 == 0 {
		stride += 2 // odd and not a multiple of 5: coprime to 500
	}
	seq := (start+n*stride)%idSeqs*2 + int(k&1)

	var b [18]byte
	copy(b[:6], area)
	putDigits(b[6:10], birth.Year)
	putDigits(b[10:12], int(birth.Month))
	putDigits(b[12:14], birth.Day)
	putDigits(b[14:17], seq)
	b[17] = hecha.IDCheckDigit(string(b[:17]))
	return string(b[:]), birth
}

// mix64 is SplitMix64's finaliser: a fixed, well-spread hash of x.
func mix64(x uint64) uint64 {
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}

// putDigits writes n in decimal into b, zero-padded to its length.
func putDigits(b []byte, n int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
}

// pickHousehold returns a village (mostly) or township of the county.
func (g *generator) pickHousehold() hecha.Code {
	t := g.townships[g.rng.IntN(len(g.townships))]
	if vs := g.villages[t]; len(vs) > 0 && g.rng.IntN(100) < 85 {
		return vs[g.rng.IntN(len(vs))]
	}
	return t
}

// maritalFor draws a marital status for an age.
func (g *generator) maritalFor(age int) hecha.MaritalStatus {
	n := g.rng.IntN(100)
	switch {
	case age < 22:
		if n < 92 {
			return "10"
		}
		return "20"
	case age < 30:
		if n < 45 {
			return "10"
		}
		if n < 97 {
			return "20"
		}
		return "40"
	case age < 55:
		if n < 6 {
			return "10"
		}
		if n < 91 {
			return "20"
		}
		if n < 97 {
			return "40"
		}
		return "30"
	}
	if n < 80 {
		return "20"
	}
	if n < 92 {
		return "30"
	}
	return "40"
}

// pickDestination returns an other-province county, by destinationWeights.
func (g *generator) pickDestination() hecha.Code {
	return g.dests[atoi(g.destPick.pick(g.rng))]
}

// otherDestination returns a destination in another county than c: half
// the time in the same city, if the table has another county there.
func (g *generator) otherDestination(c hecha.Code) hecha.Code {
	if g.rng.IntN(2) == 0 {
		var same []hecha.Code
		for _, d := range g.dests {
			if d != c && d.Parent() == c.Parent() {
				same = append(same, d)
			}
		}
		if len(same) > 0 {
			return same[g.rng.IntN(len(same))]
		}
	}
	// The drawn county, or when it is c's the next one in the list that
	// is not (c itself when there is no other).
	i := atoi(g.destPick.pick(g.rng))
	for range g.dests {
		if d := g.dests[i]; d.County() != c.County() {
			return d
		}
		i = (i + 1) % len(g.dests)
	}
	return g.dests[i]
}

// placeName returns the names on c's path joined, without the placeholder
// levels (市辖区) that addresses leave out: 河南省郑州市中牟县韩寺镇.
func (g *generator) placeName(c hecha.Code) string {
	if s, ok := g.places[c]; ok {
		return s
	}
	var b strings.Builder
	for _, d := range g.table.Path(c) {
		if d.Name == "市辖区" || d.Name == "县" || strings.HasPrefix(d.Name, "省直辖") {
			continue
		}
		b.WriteString(d.Name)
	}
	g.places[c] = b.String()
	return b.String()
}

// householdAddress returns an address in the township or village c.
func (g *generator) householdAddress(c hecha.Code) string {
	base := g.placeName(c)
	if c.Level() == hecha.LevelVillage {
		for _, suf := range []string{"村民委员会", "村委会"} {
			if strings.HasSuffix(base, suf) {
				return strings.TrimSuffix(base, suf) + fmt.Sprintf("村%d组%d号", 1+g.rng.IntN(12), 1+g.rng.IntN(90))
			}
		}
		for _, suf := range []string{"社区居民委员会", "社区居委会", "居民委员会", "居委会"} {
			if strings.HasSuffix(base, suf) {
				return strings.TrimSuffix(base, suf) + fmt.Sprintf("社区%d号院%d号楼%d单元%d号",
					1+g.rng.IntN(30), 1+g.rng.IntN(12), 1+g.rng.IntN(4), 101+g.rng.IntN(20)*100+g.rng.IntN(4))
			}
		}
	}
	return base + streets.pick(g.rng) + fmt.Sprintf("%d号", 1+g.rng.IntN(300))
}

// currentAddress returns an address in the county or township c.
func (g *generator) currentAddress(c hecha.Code) string {
	s := g.placeName(c) + streets.pick(g.rng) + fmt.Sprintf("%d号", 1+g.rng.IntN(500))
	if g.rng.IntN(2) == 0 {
		s += estates.pick(g.rng) + fmt.Sprintf("%d栋%d室", 1+g.rng.IntN(30), 101+g.rng.IntN(25)*100+g.rng.IntN(6))
	}
	return s
}

// addDays returns d moved by n days.
func addDays(d hecha.Date, n int) hecha.Date {
	return hecha.DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).AddDate(0, 0, n))
}

// daysBetween returns the days from a to b.
func daysBetween(a, b hecha.Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// between returns a date from a to b inclusive (a when b is before a).
func (g *generator) between(a, b hecha.Date) hecha.Date {
	n := daysBetween(a, b)
	if n <= 0 {
		return a
	}
	return addDays(a, g.rng.IntN(n+1))
}

// outflowDate returns when someone born on birth left: after their 16th
// birthday, within the last 15 years, at least a month ago.
func (g *generator) outflowDate(birth hecha.Date) hecha.Date {
	from := addDays(birth, 16*365+4)
	if limit := addDays(g.now, -15*365); from.Before(limit) {
		from = limit
	}
	return g.between(from, addDays(g.now, -30))
}
