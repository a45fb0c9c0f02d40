// Package gen generates a realistic, deterministic data set for one
// county: the division table, the cases to verify and the two registries
// (resident and floating) they are compared against, with a designed mix
// of comparison results, registry noise and a few defective rows. It
// feeds demonstrations, tests and benchmarks.
package gen

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"hecha"
)

// Config says what to generate. The same Config always gives the same
// Dataset, byte for byte once written.
type Config struct {
	// County is the county whose cases and registries are generated;
	// empty means DefaultCounty. With the built-in table it is one of
	// 410122 中牟县, 410223 尉氏县, 411721 西平县, 410105 金水区; with a
	// full table any Henan county.
	County hecha.Code
	// Townships is how many of the county's townships (the first ones by
	// code) the people live in; 0 or more than there are means all.
	Townships int
	// Cases is the number of cases; it must be positive.
	Cases int
	// Seed seeds the random choices.
	Seed int64
	// Divisions is the division table; nil means the built-in set (Builtin).
	Divisions *hecha.DivisionTable
	// DefectRate is the share of cases given a defect that validation
	// must catch; 0 means DefaultDefectRate, a negative value none.
	DefectRate float64
	// Now is the moment the data is made at: every date is counted from
	// its calendar date (in its location) and none lies after it. It is
	// required: the generator reads no clock, so the same Config gives
	// the same data on any day.
	Now time.Time
}

// MinYear and MaxYear bound the year of Config.Now: the people made are
// born up to about 130 years before it (the oldest people's parents), and
// no date may fall outside the years a Date holds.
const (
	MinYear = 1990
	MaxYear = 2100
)

// DefaultDefectRate is the share of defective cases when Config.DefectRate is 0.
const DefaultDefectRate = 0.02

// Dataset is a generated county.
type Dataset struct {
	Divisions *hecha.DivisionTable
	Cases     []hecha.Case
	Resident  []hecha.ResidentRecord
	Floating  []hecha.FloatingRecord
	// Defective maps the id of each defective case to its defect (one of
	// the Defect* constants).
	Defective map[string]string
}

// The defects given to about Config.DefectRate of the cases. Each makes
// Case.Validate fail.
const (
	DefectCheckDigit          = "check_digit"           // the citizen ID's check character is wrong
	DefectBirthMismatch       = "birth_mismatch"        // the birth date differs from the ID's
	DefectUnknownDivision     = "unknown_division"      // the household division is not in the table
	DefectReturnBeforeOutflow = "return_before_outflow" // the return date is before the outflow date
	DefectFutureDate          = "future_date"           // the outflow date lies in the future
)

// Share is one part of a designed mix, in percent.
type Share struct {
	Form    hecha.Form
	Percent int
}

// FormMix is the designed share of each comparison result among the
// cross-province cases, compared at day precision: the registries are
// built so that hecha.Compare finds, for R2 a floating record whose
// inflow division lies in the case's current county, for R3 one in
// another county, for R4 and R5 a resident record with an outflow
// registration to the case's county or another, for R6 one without, and
// for R1 nobody. About a tenth of the found people carry another (valid)
// ID number in the case than in the registries, so they are found by
// name, sex and birth date instead.
var FormMix = []Share{
	{hecha.FormR2, 35}, {hecha.FormR3, 10}, {hecha.FormR4, 20},
	{hecha.FormR5, 8}, {hecha.FormR6, 15}, {hecha.FormR1, 12},
}

// KindMix is the designed share of each kind of case, in percent.
var KindMix = []struct {
	Kind    hecha.Kind
	Percent int
}{{hecha.KindCrossProvince, 85}, {hecha.KindInProvince, 10}, {hecha.KindMismatch, 5}}

// Registry noise, per hundred cases.
const (
	noiseResidents    = 30 // residents who never left
	noiseOutflows     = 5  // residents who left, registered, in no case
	noiseFloating     = 8  // floating records of people in no case (a fifth withdrawn)
	namesakesPerCent  = 6  // cases given a namesake with another birth date
	idVariantsPerCent = 10 // found people whose case carries another ID number
)

// plan is what one case is to be: indexes into KindMix and, for
// cross-province cases, FormMix. Two bytes a case, since a plan is held
// for every case while they are made.
type plan struct {
	kind, form uint8
}

// Sink receives the records of a generated county as they are made, so a
// county of any size is written without being held. An error from a
// method stops the generation and is returned by Stream.
type Sink interface {
	// Case receives a case and its defect (one of the Defect* constants,
	// "" for none). c is reused once Case returns.
	Case(c *hecha.Case, defect string) error
	// Resident and Floating receive a registry record, reused once they return.
	Resident(r *hecha.ResidentRecord) error
	Floating(r *hecha.FloatingRecord) error
}

// Counts says how many records Stream made.
type Counts struct {
	Cases, Resident, Floating, Defective int
}

// Stream makes the data set cfg describes and hands every record to s as
// it is made, holding only what keeps the people unique (about 40 bytes
// a person) and two bytes a case. The records and their order are those
// Generate returns. Errors are those of Generate, or the first error of s.
func Stream(cfg Config, s Sink) (Counts, error) {
	g, err := newGenerator(cfg)
	if err != nil {
		return Counts{}, err
	}
	g.sink = s
	for i, p := range g.plans() {
		g.makeCase(i, p)
		if g.err != nil {
			return g.counts, g.err
		}
	}
	g.addNoise()
	return g.counts, g.err
}

// collect is the Sink of Generate: it keeps everything.
type collect struct{ ds *Dataset }

func (c collect) Case(k *hecha.Case, defect string) error {
	c.ds.Cases = append(c.ds.Cases, *k)
	if defect != "" {
		c.ds.Defective[k.ID] = defect
	}
	return nil
}

func (c collect) Resident(r *hecha.ResidentRecord) error {
	c.ds.Resident = append(c.ds.Resident, *r)
	return nil
}

func (c collect) Floating(r *hecha.FloatingRecord) error {
	c.ds.Floating = append(c.ds.Floating, *r)
	return nil
}

// Generate makes the data set cfg describes. Errors are EINVALID about
// the Config field: an unknown county or one without townships in the
// table (gen.county), a non-positive case count (gen.cases), no Now
// (gen.now) or one outside MinYear–MaxYear (gen.now_range), a table
// without other provinces' counties (gen.destinations).
func Generate(cfg Config) (*Dataset, error) {
	if cfg.Divisions == nil {
		cfg.Divisions = Builtin()
	}
	ds := &Dataset{Divisions: cfg.Divisions, Defective: map[string]string{}}
	if _, err := Stream(cfg, collect{ds}); err != nil {
		return nil, err
	}
	return ds, nil
}

// plans returns the kind and designed result of every case, in quotas
// that follow KindMix and FormMix, shuffled.
func (g *generator) plans() []plan {
	n := g.cfg.Cases
	out := make([]plan, 0, n)
	var kinds []int
	for _, k := range KindMix {
		kinds = append(kinds, k.Percent)
	}
	counts := quotas(n, kinds)
	var forms []int
	for _, f := range FormMix {
		forms = append(forms, f.Percent)
	}
	for i, f := range quotas(counts[0], forms) {
		for range f {
			out = append(out, plan{kind: 0, form: uint8(i)})
		}
	}
	for i := 1; i < len(KindMix); i++ {
		for range counts[i] {
			out = append(out, plan{kind: uint8(i)})
		}
	}
	g.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// quotas splits n into parts in proportion to weights, the parts summing
// to n (largest remainders get the rounding).
func quotas(n int, weights []int) []int {
	total := 0
	for _, w := range weights {
		total += w
	}
	out := make([]int, len(weights))
	rem := make([]float64, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(n) * float64(w) / float64(total)
		out[i] = int(math.Floor(exact))
		rem[i] = exact - float64(out[i])
		given += out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rem[a] > rem[b]:
			return -1
		case rem[a] < rem[b]:
			return 1
		}
		return 0
	})
	for i := 0; given < n; i++ {
		out[order[i%len(order)]]++
		given++
	}
	return out
}

// newRand returns the generator's source of randomness for seed.
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9E3779B97F4A7C15))
}
