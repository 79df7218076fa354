package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
)

// A listedPackage is a package that the patterns match, as go list -e
// reports it: it may carry an error instead of loading.
type listedPackage struct {
	ImportPath string
	Dir        string
	Error      *listError
	DepsErrors []*listError
}

type listError struct{ Pos, Err string }

func (e *listError) String() string {
	if e.Pos == "" || strings.HasPrefix(e.Err, e.Pos) {
		return e.Err
	}
	return e.Pos + ": " + e.Err
}

// loadError returns why the package cannot be analysed: its own load
// error or those of its dependencies; "" when it loads.
func (p *listedPackage) loadError() string {
	if p.Error != nil {
		return p.Error.String()
	}
	var msgs []string
	for _, e := range p.DepsErrors {
		msgs = append(msgs, e.String())
	}
	return strings.Join(dedupStrings(msgs), "\n")
}

// goList lists the packages the patterns match, the way the go command
// reads them (go list -e): a missing directory, an empty one or a missing
// import is an entry with an error, not a failure of the whole listing.
func goList(patterns []string, tags string) ([]listedPackage, error) {
	args := []string{"list", "-e", "-json=ImportPath,Dir,Error,DepsErrors"}
	if tags != "" {
		args = append(args, "-tags="+tags)
	}
	args = append(args, patterns...)
	cmd := exec.Command("go", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("go list: %s", msg)
		}
		return nil, fmt.Errorf("go list: %v", err)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(&stdout)
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// A vetFailure is what go vet printed about one package it could not
// analyse.
type vetFailure struct {
	id  string // the package ID, e.g. "p" or "p [p.test]"; "" when unknown
	msg string
}

// parseVetErrors splits what go vet printed on standard error into the
// failures of each package. The go command prints "# ID" before the
// errors of a package ("# [p]" for the test variant of p); errors printed
// before any header (load errors) are attributed to the package whose
// directory holds the file they name, through dirs.
func parseVetErrors(stderr string, dirs map[string]string) []vetFailure {
	var out []vetFailure
	id, header := "", false
	var lines []string
	flush := func() {
		if len(lines) > 0 {
			out = append(out, vetFailure{id, strings.Join(lines, "\n")})
		}
		lines = nil
	}
	for _, line := range strings.Split(stderr, "\n") {
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "# "):
			flush()
			id, header = vetHeaderID(strings.TrimPrefix(line, "# ")), true
			continue
		case strings.HasPrefix(line, "\t") && len(lines) > 0:
			lines[len(lines)-1] += "\n" + line
			continue
		}
		line = strings.TrimPrefix(line, "vet: ")
		if !header {
			// A load error: one failure per line, attributed by file.
			flush()
			id = ""
			if file := parsePosn(strings.SplitN(line, ": ", 2)[0]).Filename; strings.HasSuffix(file, ".go") {
				abs, _ := filepath.Abs(file)
				if path, ok := dirs[filepath.Dir(abs)]; ok {
					id = path
				}
			}
		}
		lines = append(lines, line)
	}
	flush()
	return mergeFailures(out)
}

// vetHeaderID turns the go command's "# ..." header into a package ID:
// it prints "# [p]" before the errors of p compiled for its tests.
func vetHeaderID(h string) string {
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		return strings.Trim(h, "[]")
	}
	return h
}

// mergeFailures joins the failures of one package, dropping repeated
// lines (the go command prints a test's load error once per variant).
func mergeFailures(fs []vetFailure) []vetFailure {
	var out []vetFailure
	index := make(map[string]int)
	seen := make(map[string]bool)
	for _, f := range fs {
		var lines []string
		for _, l := range strings.Split(f.msg, "\n") {
			if !seen[f.id+"\x00"+l] {
				seen[f.id+"\x00"+l] = true
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		msg := strings.Join(lines, "\n")
		if i, ok := index[f.id]; ok {
			out[i].msg += "\n" + msg
			continue
		}
		index[f.id] = len(out)
		out = append(out, vetFailure{f.id, msg})
	}
	return out
}

// testFailureOf reports whether a failure lies only in _test.go files,
// and returns the directory that holds them.
func testFailureOf(f vetFailure) (dir string, ok bool) {
	for _, l := range strings.Split(f.msg, "\n") {
		if strings.HasPrefix(l, "\t") {
			continue
		}
		file := parsePosn(strings.SplitN(l, ": ", 2)[0]).Filename
		if !strings.HasSuffix(file, "_test.go") {
			return "", false
		}
		abs, err := filepath.Abs(file)
		if err != nil {
			return "", false
		}
		if dir != "" && filepath.Dir(abs) != dir {
			return "", false
		}
		dir = filepath.Dir(abs)
	}
	return dir, dir != ""
}
