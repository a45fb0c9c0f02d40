package hecha

// Source says which system a registry record comes from.
type Source string

// The two systems the comparison looks in (DESIGN §4).
const (
	SourceFloating Source = "floating" // 流动人口系统
	SourceResident Source = "resident" // 常住人口系统
)

// FloatingRecord is one person in the floating system: a registration of
// having moved in (流入) somewhere.
type FloatingRecord struct {
	ID                string        `json:"id"`
	Name              string        `json:"name"`
	Sex               Sex           `json:"sex"`
	BirthDate         Date          `json:"birth_date"`
	CitizenID         string        `json:"citizen_id"`
	HouseholdDivision Code          `json:"household_division"`
	HouseholdAddress  string        `json:"household_address,omitempty"`
	InflowDivision    Code          `json:"inflow_division"` // 流入地行政区划
	InflowAddress     string        `json:"inflow_address,omitempty"`
	InflowDate        Date          `json:"inflow_date"`
	Withdrawn         bool          `json:"withdrawn,omitempty"` // 退档: the registration was withdrawn
	Education         Education     `json:"education,omitempty"`
	Marital           MaritalStatus `json:"marital,omitempty"`
	Reason            Reason        `json:"reason,omitempty"`
}

// Outflow is a resident's outflow registration (流出登记).
type Outflow struct {
	Date        Date   `json:"date"`
	Destination Code   `json:"destination"`
	Address     string `json:"address,omitempty"`
	Reason      Reason `json:"reason,omitempty"`
}

// ResidentRecord is one person in the resident (household) system.
type ResidentRecord struct {
	ID                string        `json:"id"`
	Name              string        `json:"name"`
	Sex               Sex           `json:"sex"`
	BirthDate         Date          `json:"birth_date"`
	CitizenID         string        `json:"citizen_id"`
	HouseholdDivision Code          `json:"household_division"`
	HouseholdAddress  string        `json:"household_address,omitempty"`
	Education         Education     `json:"education,omitempty"`
	HukouType         HukouType     `json:"hukou_type,omitempty"`
	Marital           MaritalStatus `json:"marital,omitempty"`
	Outflow           *Outflow      `json:"outflow,omitempty"` // nil: no outflow registration
}

// Candidate is one registry record the comparison found for a case.
type Candidate struct {
	Source   Source          `json:"source"`
	Floating *FloatingRecord `json:"floating,omitempty"`
	Resident *ResidentRecord `json:"resident,omitempty"`
	// ByID is true when the citizen ID matched exactly; otherwise the match
	// was by name, sex and birth date at the comparison's precision.
	ByID bool `json:"by_id,omitempty"`
	// Differs lists the items (field names of Person: "name", "sex",
	// "birth_date", "citizen_id", "household_division", ...) on which the
	// record differs from the case, for marking on screen.
	Differs []string `json:"differs,omitempty"`
	// Form is the result form that applies if the clerk picks this candidate.
	Form Form `json:"form"`
}

// RecordID returns the id of the candidate's record.
func (c Candidate) RecordID() string {
	if c.Floating != nil {
		return c.Floating.ID
	}
	if c.Resident != nil {
		return c.Resident.ID
	}
	return ""
}

// FloatingRegistry finds people in the floating system. Implementations
// answer from indexes, never by scanning.
type FloatingRegistry interface {
	// FloatingByCitizenID returns the records with exactly this 18-digit ID.
	FloatingByCitizenID(id string) ([]FloatingRecord, error)
	// FloatingByNameSexBirth returns the records with this name and sex
	// whose birth date agrees with birth at precision p.
	FloatingByNameSexBirth(name string, sex Sex, birth Date, p Precision) ([]FloatingRecord, error)
}

// ResidentRegistry finds people in the resident system, as FloatingRegistry.
type ResidentRegistry interface {
	ResidentByCitizenID(id string) ([]ResidentRecord, error)
	ResidentByNameSexBirth(name string, sex Sex, birth Date, p Precision) ([]ResidentRecord, error)
}
