package store

import "hecha"

// validateValue calls v.Validate(rules). The registry records' Validate
// methods are being added to the root package; until a type has one, its
// values pass.
// TODO(H4): call (*FloatingRecord).Validate and (*ResidentRecord).Validate
// directly once they exist.
func validateValue(v any, rules *hecha.Rules) error {
	if val, ok := v.(interface{ Validate(*hecha.Rules) error }); ok {
		return val.Validate(rules)
	}
	return nil
}
