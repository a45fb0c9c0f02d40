package cli

import "testing"

func TestExtend(t *testing.T) {
	imp := &Command{Name: "import", Sub: []*Command{{Name: "cases"}}}
	got := Extend([]*Command{imp}, []Addition{
		{Parent: "import", Command: &Command{Name: "batch"}},
		{Parent: "export", GroupSummary: "x.export", Command: &Command{Name: "results"}},
		{Parent: "export", GroupSummary: "x.export", Command: &Command{Name: "cases"}},
		{Command: &Command{Name: "report"}},
	})
	if len(got) != 3 || got[1].Name != "export" || got[2].Name != "report" {
		t.Fatalf("top level = %v", cmdNames(got))
	}
	if n := cmdNames(imp.Sub); len(n) != 2 || n[1] != "batch" {
		t.Errorf("import subcommands = %v", n)
	}
	if n := cmdNames(got[1].Sub); len(n) != 2 || n[0] != "results" || n[1] != "cases" || got[1].Summary != "x.export" {
		t.Errorf("export group = %v (%s)", n, got[1].Summary)
	}
}

func cmdNames(cs []*Command) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}
