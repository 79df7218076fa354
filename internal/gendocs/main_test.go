package main

import (
	"bytes"
	"os"
	"testing"
)

// TestAnalyzersDocIsFresh fails when docs/analyzers.md does not match the
// analyzers' doc.go files and docs/comparison.md.
func TestAnalyzersDocIsFresh(t *testing.T) {
	got, err := os.ReadFile("../../docs/analyzers.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Generate("../../docs")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/analyzers.md is stale: run `go generate ./...`")
	}
}
