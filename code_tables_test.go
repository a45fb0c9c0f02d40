package hecha

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha/internal/testenv"
)

// standardRows are the code,name rows of /work/shared/data/codes, copied
// here so the test runs without that directory; every one must parse by
// code and by name to its code.
var standardRows = map[*CodeTable]string{
	SexCodes:     "0,未知的性别 1,男 2,女 9,未说明的性别",
	MaritalCodes: "10,未婚 20,已婚 21,初婚 22,再婚 23,复婚 30,丧偶 40,离婚 90,未说明的婚姻状况",
	EducationCodes: "10,研究生 20,大学本科 30,大学专科和专科学校 40,中等专业学校或中等技术学校 50,技工学校 " +
		"60,高中 70,初中 80,小学 90,文盲或半文盲",
	HukouCodes: "10,农业 20,非农业 30,居民 90,其他",
	RelationshipCodes: "01,本人 02,户主 10,配偶 11,夫 12,妻 20,子 21,独生子 22,长子 23,次子 24,三子 25,四子 26,五子 " +
		"27,养子或继子 28,女婿 29,其他儿子 30,女 31,独生女 32,长女 33,次女 34,三女 35,四女 36,五女 37,养女或继女 " +
		"38,儿媳 39,其他女儿 40,孙子、孙女或外孙子、外孙女 41,孙子 42,孙女 43,外孙子 44,外孙女 45,孙媳妇或外孙媳妇 " +
		"46,孙女婿或外孙女婿 47,曾孙子或外曾孙子 48,曾孙女或外曾孙女 49,其他孙子、孙女或外孙子、外孙女 50,父母 " +
		"51,父亲 52,母亲 53,公公 54,婆婆 55,岳父 56,岳母 57,继父或养父 58,继母或养母 59,其他父母关系 " +
		"60,祖父母或外祖父母 61,祖父 62,祖母 63,外祖父 64,外祖母 65,配偶的祖父母或外祖父母 66,曾祖父 67,曾祖母 " +
		"68,配偶的曾祖父母或外曾祖父母 69,其他祖父母或外祖父母关系 70,兄弟姐妹 71,兄 72,嫂 73,弟 74,弟媳 75,姐姐 " +
		"76,姐夫 77,妹妹 78,妹夫 79,其他兄弟姐妹 80,其他 81,伯父 82,伯母 83,叔父 84,婶母 85,舅父 86,舅母 87,姨父 " +
		"88,姨母 89,姑父 90,姑母 91,堂兄弟、堂姐妹 92,表兄弟、表姐妹 93,侄子 94,侄女 95,外甥 96,外甥女 97,其他亲属 99,非亲属",
}

func TestCodeTablesMatchStandards(t *testing.T) {
	for table, rows := range standardRows {
		fields := strings.Fields(rows)
		if len(fields) != len(table.Entries) {
			t.Errorf("%s: %d entries, the standard has %d", table.Field, len(table.Entries), len(fields))
		}
		for i, row := range fields {
			code, name, _ := strings.Cut(row, ",")
			if i < len(table.Entries) && (table.Entries[i].Code != code || table.Entries[i].Zh != name) {
				t.Errorf("%s entry %d = %s %s, want %s %s", table.Field, i, table.Entries[i].Code, table.Entries[i].Zh, code, name)
			}
			for _, in := range []string{code, name, " " + name + " "} {
				if got, err := table.Parse(in); err != nil || got != code {
					t.Errorf("%s.Parse(%q) = %q, %v; want %q", table.Field, in, got, err, code)
				}
			}
		}
	}
}

// TestCodeTablesUnambiguous checks that no code, name, alias or mapped
// value of a table leads to two different codes, and every entry has both
// names.
func TestCodeTablesUnambiguous(t *testing.T) {
	rules := &Rules{}
	for _, table := range []*CodeTable{SexCodes, MaritalCodes, EducationCodes, HukouCodes, RelationshipCodes, DefaultReasons()} {
		seen := map[string]string{}
		claim := func(key, code string) {
			if prev, ok := seen[key]; ok && prev != code {
				t.Errorf("%s: %q means both %s and %s", table.Field, key, prev, code)
			}
			seen[key] = code
		}
		for _, e := range table.Entries {
			if e.Code == "" || e.Zh == "" || e.En == "" {
				t.Errorf("%s: incomplete entry %+v", table.Field, e)
			}
			claim(e.Code, e.Code)
			claim(e.Zh, e.Code)
			claim(strings.ToLower(e.En), e.Code)
			for _, a := range e.Aliases {
				claim(a, e.Code)
				if got, err := table.Parse(a); err != nil || got != e.Code {
					t.Errorf("%s.Parse(alias %q) = %q, %v; want %s", table.Field, a, got, err, e.Code)
				}
			}
			if got, err := table.Parse(strings.ToUpper(e.En)); err != nil || got != e.Code {
				t.Errorf("%s.Parse(%q) = %q, %v", table.Field, strings.ToUpper(e.En), got, err)
			}
		}
		for k, v := range table.Map {
			claim(k, v)
			if !table.Has(v) {
				t.Errorf("%s: Map[%q] = %q is not a code of the table", table.Field, k, v)
			}
		}
		if table.Field != "reason" && rules.Table(table.Field) != table {
			t.Errorf("Rules.Table(%q) is another table", table.Field)
		}
	}
}

func TestHukouGA324Mapping(t *testing.T) {
	ga := map[string]string{
		"0": "90", "未落常住户口": "90", "1": "20", "非农业家庭户口": "20", "2": "10", "农业家庭户口": "10",
		"3": "20", "非农业集体户口": "20", "4": "10", "农业集体户口": "10", "5": "10", "自理口粮户口": "10",
		"6": "90", "寄住户口": "90", "7": "90", "暂住户口": "90", "8": "90", "其他户口": "90",
		"农业户口": "10", "非农业户口": "20", "居民户口": "30", "Resident": "30",
	}
	for in, want := range ga {
		got, err := ParseHukouType(in)
		if err != nil || string(got) != want {
			t.Errorf("ParseHukouType(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
}

func TestEducation2006Mapping(t *testing.T) {
	// Every row of GB/T 4658-2006 (education_gbt4658_2006.csv) and the 1984 code it maps to.
	rows := "10,研究生教育,10 11,博士研究生毕业,10 12,博士研究生结业,10 13,博士研究生肄业,10 14,硕士研究生毕业,10 " +
		"15,硕士研究生结业,10 16,硕士研究生肄业,10 17,研究生班毕业,10 18,研究生班结业,10 19,研究生班肄业,10 " +
		"20,大学本科教育,20 21,大学本科毕业,20 22,大学本科结业,20 23,大学本科肄业,20 28,大学普通班毕业,20 " +
		"30,大学专科教育,30 31,大学专科毕业,30 32,大学专科结业,30 33,大学专科肄业,30 40,中等职业教育,40 " +
		"41,中等专科毕业,40 42,中等专科结业,40 43,中等专科肄业,40 44,职业高中毕业,60 45,职业高中结业,60 " +
		"46,职业高中肄业,60 47,技工学校毕业,50 48,技工学校结业,50 49,技工学校肄业,50 60,普通高级中学教育,60 " +
		"61,普通高中毕业,60 62,普通高中结业,60 63,普通高中肄业,60 70,初级中学教育,70 71,初中毕业,70 " +
		"73,初中肄业,70 80,小学教育,80 81,小学毕业,80 83,小学肄业,80 90,其他,90"
	for _, row := range strings.Fields(rows) {
		f := strings.Split(row, ",")
		for _, in := range f[:2] {
			got, err := ParseEducation(in)
			if err != nil || string(got) != f[2] {
				t.Errorf("ParseEducation(%q) = %q, %v; want %s", in, got, err, f[2])
			}
		}
	}
}

func TestTypedParsers(t *testing.T) {
	if s, err := ParseSex("男"); err != nil || s != SexMale {
		t.Errorf("ParseSex(男) = %q, %v", s, err)
	}
	if s, err := ParseSex("female"); err != nil || s != SexFemale {
		t.Errorf("ParseSex(female) = %q, %v", s, err)
	}
	if m, err := ParseMarital("离婚"); err != nil || m != "40" {
		t.Errorf("ParseMarital = %q, %v", m, err)
	}
	if r, err := ParseRelationship("1"); err != nil || r != "01" {
		t.Errorf("ParseRelationship(1) = %q, %v", r, err)
	}
	if r, err := ParseRelationship("妻子"); err != nil || r != "12" {
		t.Errorf("ParseRelationship(妻子) = %q, %v", r, err)
	}
	if v, err := ParseSex(""); err != nil || v != "" {
		t.Errorf("ParseSex(\"\") = %q, %v", v, err)
	}
	tests := []struct {
		field string
		parse func(string) error
	}{
		{"sex", func(s string) error { _, err := ParseSex(s); return err }},
		{"marital", func(s string) error { _, err := ParseMarital(s); return err }},
		{"education", func(s string) error { _, err := ParseEducation(s); return err }},
		{"hukou_type", func(s string) error { _, err := ParseHukouType(s); return err }},
		{"relationship", func(s string) error { _, err := ParseRelationship(s); return err }},
		{"reason", func(s string) error { _, err := (*Rules)(nil).ParseReason(s); return err }},
	}
	for _, tt := range tests {
		for _, bad := range []string{"男人", "xx", "100", "０", "-1", "1 0"} {
			err := tt.parse(bad)
			if err == nil {
				t.Errorf("%s: %q parsed", tt.field, bad)
				continue
			}
			e := AsErrors(err)[0]
			if e.Code != EINVALID || e.Field != tt.field || e.MsgID != "code.unknown" {
				t.Errorf("%s: %q: %+v", tt.field, bad, e)
			}
		}
	}
}

// TestCodeTablesMatchSharedCSV compares the tables with the standards'
// CSV files in ../shared/data/codes (testenv: needed under CI).
func TestCodeTablesMatchSharedCSV(t *testing.T) {
	dir := testenv.SharedData(t, "codes")
	files := map[string]*CodeTable{
		"gender_gbt2261_1.csv":             SexCodes,
		"marital_gbt2261_2.csv":            MaritalCodes,
		"education_gb4658_1984.csv":        EducationCodes,
		"family_relation_gbt4761_2008.csv": RelationshipCodes,
		"hukou_category_ga324_1.csv":       HukouCodes,
		"education_gbt4658_2006.csv":       EducationCodes,
	}
	for name, table := range files {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		mapped := strings.Contains(name, "ga324") || strings.Contains(name, "2006")
		if !mapped && len(rows)-1 != len(table.Entries) {
			t.Errorf("%s: %d rows, table has %d entries", name, len(rows)-1, len(table.Entries))
		}
		for i, row := range rows[1:] {
			if !mapped && (table.Entries[i].Code != row[0] || table.Entries[i].Zh != row[1]) {
				t.Errorf("%s row %d: %v, table has %s %s", name, i+2, row, table.Entries[i].Code, table.Entries[i].Zh)
			}
			for _, in := range row[:2] {
				got, err := table.Parse(in)
				if err != nil || mapped && !table.Has(got) || !mapped && got != row[0] {
					t.Errorf("%s: Parse(%q) = %q, %v", name, in, got, err)
				}
			}
		}
	}
}
