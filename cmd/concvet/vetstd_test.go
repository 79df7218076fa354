package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/unitchecker"
)

// unitcheckerEnv makes the test binary run unitchecker on the named vet
// configuration, with no analyzers, and exit: TestStdVetxMatchesUnitchecker
// compares its fact files with concvet's.
const unitcheckerEnv = "CONCVET_TEST_UNITCHECKER_CFG"

func init() {
	if cfg := os.Getenv(unitcheckerEnv); cfg != "" {
		unitchecker.Run(cfg, nil) // exits
	}
}

// TestStdVetxMatchesUnitchecker writes the fact files of a chain of small
// standard-library packages (each importing the previous ones) both with
// concvet's types-only writer and with unitchecker itself, and checks
// that the types sections are byte-identical, that concvet's carries no
// facts, and that each writer's files are read back by the next package
// of the chain. An x/tools upgrade that changes the layout of fact files
// or the export data format fails here, not in a user's go vet run.
func TestStdVetxMatchesUnitchecker(t *testing.T) {
	pkgs := []string{"unicode/utf8", "math/bits", "internal/cpu", "math", "math/cmplx"}
	out, err := exec.Command("go", "list", "-json=ImportPath,Dir,GoFiles,Imports", pkgs[0], pkgs[1], pkgs[2], pkgs[3], pkgs[4]).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	type listed struct {
		ImportPath, Dir  string
		GoFiles, Imports []string
	}
	byPath := make(map[string]listed)
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		byPath[p.ImportPath] = p
	}
	goVersion := strings.TrimSpace(string(must(exec.Command("go", "env", "GOVERSION").Output())))
	dir := t.TempDir()
	vetx := map[string]map[string]string{"concvet": {}, "unitchecker": {}}
	for _, path := range pkgs {
		p := byPath[path]
		var files []string
		for _, f := range p.GoFiles {
			files = append(files, filepath.Join(p.Dir, f))
		}
		importMap := make(map[string]string)
		for _, imp := range p.Imports {
			importMap[imp] = imp
		}
		for _, writer := range []string{"concvet", "unitchecker"} {
			name := strings.ReplaceAll(path, "/", "_") + "." + writer
			u := stdUnit{
				ImportPath:  path,
				GoVersion:   goVersion,
				GoFiles:     files,
				VetxOnly:    true,
				VetxOutput:  filepath.Join(dir, name+".vetx"),
				ImportMap:   importMap,
				PackageVetx: make(map[string]string),
			}
			for _, imp := range p.Imports {
				if f, ok := vetx[writer][imp]; ok {
					u.PackageVetx[imp] = f
				}
			}
			cfg := filepath.Join(dir, name+".cfg")
			data, err := json.Marshal(u)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cfg, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if writer == "concvet" {
				got, ok := readStdUnit(cfg)
				if !ok {
					t.Fatalf("%s: readStdUnit does not take a standard-library VetxOnly unit", path)
				}
				if err := got.writeTypesOnly(); err != nil {
					t.Fatalf("%s: writeTypesOnly: %v", path, err)
				}
			} else {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), unitcheckerEnv+"="+cfg)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s: unitchecker: %v\n%s", path, err, out)
				}
			}
			vetx[writer][path] = u.VetxOutput
		}
		ours, theirs := vetxSections(t, vetx["concvet"][path]), vetxSections(t, vetx["unitchecker"][path])
		if !bytes.Equal(ours[0], theirs[0]) {
			t.Errorf("%s: the types section differs from unitchecker's (%d bytes, unitchecker %d)", path, len(ours[0]), len(theirs[0]))
		}
		if len(ours[1]) != 0 {
			t.Errorf("%s: concvet's fact file carries %d bytes of facts, want none", path, len(ours[1]))
		}
	}
}

// vetxSections splits a fact file into its types and facts sections, as
// unitchecker reads it.
func vetxSections(t *testing.T, file string) [2][]byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < vetxHeader || string(data[:4]) != vetxMagic {
		t.Fatalf("%s: not a fact file", file)
	}
	nTypes, nFacts := binary.LittleEndian.Uint32(data[4:8]), binary.LittleEndian.Uint32(data[8:12])
	if uint64(vetxHeader)+uint64(nTypes)+uint64(nFacts) != uint64(len(data)) {
		t.Fatalf("%s: header claims %d+%d bytes, file has %d", file, nTypes, nFacts, len(data)-vetxHeader)
	}
	return [2][]byte{data[vetxHeader : vetxHeader+int(nTypes)], data[vetxHeader+int(nTypes):]}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
