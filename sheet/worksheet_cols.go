package sheet

import "hecha"

// The constructors of the worksheet's columns, one per part of a case or
// result. Each column's cell function takes the case, the result (nil on
// a worksheet) and the rules, and returns "" for a part the case or
// result does not have.

// personCol is one of the 15 items: pre-filled from the case, read back as
// the field-verified information (verified.<item>). With a confirming
// result it shows the verified value.
func personCol(item, header string, width float64, get func(*hecha.Person, *hecha.Rules) string) WorksheetColumn {
	return WorksheetColumn{
		Key: "verified." + item, Header: header, Input: true, Width: width, Wrap: width >= 20,
		kinds: kindsCrossIn, aliases: []string{item, "person." + item},
		cell: func(c *hecha.Case, res *hecha.Result, r *hecha.Rules) string {
			if res != nil && res.Verified != nil {
				return get(res.Verified, r)
			}
			return get(&c.Person, r)
		},
	}
}

// basicCol is one basic item of a mismatch case's resident or outflow record.
func basicCol(side, item, header string, width float64) WorksheetColumn {
	return WorksheetColumn{
		Key: side + "." + item, Header: header, Width: width, kinds: kindsM,
		aliases: []string{side + "_" + item},
		cell: func(c *hecha.Case, _ *hecha.Result, _ *hecha.Rules) string {
			b := c.Resident
			if side == "outflow" {
				b = c.Outflow
			}
			if b == nil {
				return ""
			}
			switch item {
			case "name":
				return b.Name
			case "sex":
				return codeName(hecha.SexCodes, string(b.Sex))
			case "birth_date":
				return b.BirthDate.String()
			}
			return b.CitizenID
		},
	}
}

// resultCol is a column of the result itself.
func resultCol(key, header string, width float64, kinds []hecha.Kind, get func(*hecha.Result, *hecha.Rules) string, aliases ...string) WorksheetColumn {
	return WorksheetColumn{
		Key: key, Header: header, Input: true, Width: width, Wrap: width >= 20, kinds: kinds, aliases: aliases,
		cell: func(_ *hecha.Case, res *hecha.Result, r *hecha.Rules) string {
			if res == nil {
				return ""
			}
			return get(res, r)
		},
	}
}

// notFoundCol is a part of the body of R1 and P2.
func notFoundCol(item, header string, width float64, get func(*hecha.NotFound, *hecha.Rules) string, aliases ...string) WorksheetColumn {
	return resultCol("not_found."+item, header, width, kindsCrossIn, func(res *hecha.Result, r *hecha.Rules) string {
		if res.NotFound == nil {
			return ""
		}
		return get(res.NotFound, r)
	}, aliases...)
}

// reregCol is a part of R3's withdrawal and new registration.
func reregCol(item, header string, width float64, get func(*hecha.Reregistration, *hecha.Rules) string) WorksheetColumn {
	return resultCol("reregistration."+item, header, width, kindsCross, func(res *hecha.Result, r *hecha.Rules) string {
		if res.Reregistration == nil {
			return ""
		}
		return get(res.Reregistration, r)
	})
}

// correctionCol is a part of R5's corrected destination.
func correctionCol(item, header string, width float64, get func(*hecha.OutflowCorrection, *hecha.Rules) string) WorksheetColumn {
	return resultCol("correction."+item, header, width, kindsCross, func(res *hecha.Result, r *hecha.Rules) string {
		if res.Correction == nil {
			return ""
		}
		return get(res.Correction, r)
	})
}

// registrationCol is a part of the outflow registration of R6 and P1.
func registrationCol(item, header string, width float64, get func(*hecha.Outflow, *hecha.Rules) string, aliases ...string) WorksheetColumn {
	return resultCol("registration."+item, header, width, kindsCrossIn, func(res *hecha.Result, r *hecha.Rules) string {
		if res.Registration == nil {
			return ""
		}
		return get(res.Registration, r)
	}, aliases...)
}

// choiceCol is the choice for one basic item of form M.
func choiceCol(item, header string, get func(*hecha.MismatchResolution) hecha.MismatchChoice) WorksheetColumn {
	return resultCol("mismatch."+item+"_choice", header, 10, kindsM, func(res *hecha.Result, _ *hecha.Rules) string {
		if res.Mismatch == nil {
			return ""
		}
		return codeName(hecha.MismatchChoices, string(get(res.Mismatch)))
	})
}

// correctedCol is the corrected value of one basic item of form M.
func correctedCol(item, header string, width float64, get func(*hecha.Basic) string) WorksheetColumn {
	return resultCol("mismatch.corrected."+item, header, width, kindsM, func(res *hecha.Result, _ *hecha.Rules) string {
		if res.Mismatch == nil {
			return ""
		}
		return get(&res.Mismatch.Corrected)
	})
}

// metaCol is a part of the result's bookkeeping, in the export only.
func metaCol(key, header string, width float64, get func(*hecha.Result, *hecha.Rules) string) WorksheetColumn {
	col := resultCol(key, header, width, nil, get)
	col.Input, col.Wrap, col.export = false, false, true
	return col
}
