package cli

// Addition is a command that a file of a program adds to its tree under a
// parent group ("" for the top level), so that features living in their
// own files (reports, exports, offline batches) need not edit the list in
// main.go.
type Addition struct {
	// Parent names the group to add to; a group that does not exist yet is
	// made with the summary GroupSummary.
	Parent       string
	GroupSummary string
	Command      *Command
}

// Extend adds each addition to commands, in order, and returns the tree.
func Extend(commands []*Command, additions []Addition) []*Command {
	for _, a := range additions {
		if a.Parent == "" {
			commands = append(commands, a.Command)
			continue
		}
		group := find(commands, a.Parent)
		if group == nil {
			group = &Command{Name: a.Parent, Summary: a.GroupSummary}
			commands = append(commands, group)
		}
		group.Sub = append(group.Sub, a.Command)
	}
	return commands
}
