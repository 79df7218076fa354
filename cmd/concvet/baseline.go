package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// A baseline records known findings so that a CI gate reports only new
// ones. Findings are matched by fingerprint (analyzer, package, enclosing
// function, message and normalised source line), never by line number, so
// that moving code does not resurrect them.
type baseline struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Analyzer    string `json:"analyzer"`
	File        string `json:"file"`
	Function    string `json:"function,omitempty"`
	Message     string `json:"message"`
}

const baselineVersion = 1

func writeBaseline(file string, findings []*finding) error {
	b := baseline{Version: baselineVersion, Tool: "concvet", Findings: []baselineEntry{}}
	for _, f := range findings {
		b.Findings = append(b.Findings, baselineEntry{
			Fingerprint: f.fingerprint(),
			Analyzer:    f.analyzer,
			File:        relPath(f.pos.Filename),
			Function:    f.function,
			Message:     f.diag.Message,
		})
	}
	sort.SliceStable(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.File != y.File {
			return x.File < y.File
		}
		return x.Fingerprint < y.Fingerprint
	})
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(data, '\n'), 0o644)
}

func readBaseline(file string) (*baseline, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading baseline: %v", err)
	}
	var b baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("baseline %s is not a concvet baseline: %v", file, err)
	}
	if b.Version != baselineVersion {
		return nil, fmt.Errorf("baseline %s has version %d; this concvet reads version %d (re-create it with -write-baseline)", file, b.Version, baselineVersion)
	}
	return &b, nil
}

// filter returns the findings that the baseline does not record.
func (b *baseline) filter(findings []*finding) []*finding {
	known := make(map[string]bool, len(b.Findings))
	for _, e := range b.Findings {
		known[e.Fingerprint] = true
	}
	var out []*finding
	for _, f := range findings {
		if !known[f.fingerprint()] {
			out = append(out, f)
		}
	}
	return out
}
