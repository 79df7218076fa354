package atest

import "testing"

func TestApply(t *testing.T) {
	src := []byte("a := b + c")
	for _, tt := range []struct {
		name  string
		edits []edit
		want  string // "" for a conflict
	}{
		{"one", []edit{{5, 6, "x"}}, "a := x + c"},
		{"out of order", []edit{{9, 10, "z"}, {0, 1, "y"}}, "y := b + z"},
		{"identical edits count once", []edit{{5, 6, "x"}, {5, 6, "x"}}, "a := x + c"},
		{"insertion", []edit{{10, 10, " + d"}}, "a := b + c + d"},
		{"overlap", []edit{{5, 8, "x"}, {7, 10, "y"}}, ""},
		{"same range, other text", []edit{{5, 6, "x"}, {5, 6, "y"}}, ""},
		{"past the end", []edit{{9, 12, "x"}}, ""},
	} {
		got, err := apply(src, tt.edits)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%s: got %q, want a conflict", tt.name, got)
		case tt.want != "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && string(got) != tt.want:
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
