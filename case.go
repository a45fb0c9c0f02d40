package hecha

import "time"

// Kind is the kind of a case (DESIGN §3). In files it is written 跨省流出,
// 省内流动 or 常住流出不一致, or 1, 2, 3.
type Kind string

// The three kinds of case.
const (
	KindCrossProvince Kind = "1" // 跨省流出: registered in another province
	KindInProvince    Kind = "2" // 省内流动: inflow registered in the province, no outflow registration at home
	KindMismatch      Kind = "3" // 常住流出不一致: outflow and resident records disagree on the four basic items
)

// Status is where a case stands on the township.
type Status string

// The states of a case. The county knows only the first three and
// StatusConflict; the others describe the township's local copy.
const (
	StatusPending  Status = "pending"  // 未核查: not verified
	StatusDraft    Status = "draft"    // 草稿: a draft is saved, no final result
	StatusDone     Status = "done"     // 已核查: a final result is in force (and acknowledged by the county)
	StatusUpload   Status = "upload"   // 待上传: a final result awaits upload
	StatusRejected Status = "rejected" // 被退回: the county rejected the result; the clerk must fix it
	StatusConflict Status = "conflict" // 冲突: the case was reassigned or changed under the result
)

// Statuses lists every Status in display order.
var Statuses = []Status{StatusPending, StatusDraft, StatusUpload, StatusDone, StatusRejected, StatusConflict}

// Member is one person of the household (家庭户信息).
type Member struct {
	Name         string       `json:"name"`
	Relationship Relationship `json:"relationship,omitempty"`
	CitizenID    string       `json:"citizen_id,omitempty"`
	Sex          Sex          `json:"sex,omitempty"`
	BirthDate    Date         `json:"birth_date"`
}

// Person holds the 15 items of a case (DESIGN §3.1), also used for the
// field-verified information (人工核查信息) of a result.
type Person struct {
	Name              string        `json:"name"`                 // 姓名
	Sex               Sex           `json:"sex"`                  // 性别
	CurrentAddress    string        `json:"current_address"`      // 现居住地地址
	CurrentDivision   Code          `json:"current_division"`     // 现居住地行政区划
	HouseholdAddress  string        `json:"household_address"`    // 户籍所在地地址
	HouseholdDivision Code          `json:"household_division"`   // 户籍地行政区划
	CitizenID         string        `json:"citizen_id"`           // 公民身份证号 (18 digits; a 15-digit number is stored converted)
	BirthDate         Date          `json:"birth_date"`           // 出生日期
	Education         Education     `json:"education,omitempty"`  // 文化程度
	HukouType         HukouType     `json:"hukou_type,omitempty"` // 户口性质
	Reason            Reason        `json:"reason,omitempty"`     // 流动原因
	OutflowDate       Date          `json:"outflow_date"`         // 流出日期
	ReturnDate        Date          `json:"return_date"`          // 返回日期
	Marital           MaritalStatus `json:"marital,omitempty"`    // 婚姻状况
	Members           []Member      `json:"members,omitempty"`    // 家庭户信息
}

// Basic holds the four basic items on which a resident record and an
// outflow record can disagree (DESIGN §3.3).
type Basic struct {
	Name      string `json:"name"`
	Sex       Sex    `json:"sex"`
	BirthDate Date   `json:"birth_date"`
	CitizenID string `json:"citizen_id"`
}

// Assignment records who distributed (分发) a case to which unit, and when.
type Assignment struct {
	Unit Code      `json:"unit"`
	At   time.Time `json:"at"`
	By   string    `json:"by,omitempty"`
}

// Case is one person's record to verify.
type Case struct {
	ID     string `json:"id"` // 个案编号
	Kind   Kind   `json:"kind"`
	Person Person `json:"person"`

	// Unit is the township (or village) the case is assigned to; empty
	// while undistributed.
	Unit       Code        `json:"unit,omitempty"`
	Assignment *Assignment `json:"assignment,omitempty"`

	// In-province cases: where the person was registered as having moved in.
	InflowDivision Code   `json:"inflow_division,omitempty"`
	InflowAddress  string `json:"inflow_address,omitempty"`
	InflowDate     Date   `json:"inflow_date"`

	// Mismatch cases: the two records' basic items.
	Resident *Basic `json:"resident,omitempty"`
	Outflow  *Basic `json:"outflow,omitempty"`

	// Candidates are the comparison's findings attached by the county when
	// the case was assigned, so the township has them offline.
	Candidates []Candidate `json:"candidates,omitempty"`

	// Rev counts the county's changes to the case; a result names the
	// revision it was made against, so a change under it is a conflict.
	Rev       int       `json:"rev"`
	UpdatedAt time.Time `json:"updated_at"`
}
