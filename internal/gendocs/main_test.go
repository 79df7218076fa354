package main

import (
	"bytes"
	"os"
	"testing"
)

// TestAnalyzersDocIsFresh fails when docs/analyzers.md does not match the
// analyzers' doc.go files.
func TestAnalyzersDocIsFresh(t *testing.T) {
	got, err := os.ReadFile("../../docs/analyzers.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := Generate(); !bytes.Equal(got, want) {
		t.Errorf("docs/analyzers.md is stale: run `go generate ./...`")
	}
}
