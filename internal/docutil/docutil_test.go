package docutil

import (
	"strings"
	"testing"
)

const docGo = `// Package pool defines an Analyzer that reports pools used wrongly.
//
// # Analyzer pool
//
// pool: report pools used wrongly
//
// Body of the analyzer.
//
// # Rule pool/double-put
//
// a value put back twice
//
// Why it matters.
//
// Wrong:
//
//	p.Put(x)
//	p.Put(x)
//
// Right:
//
//	p.Put(x)
//
// # Rule pool/get-after-close
//
// get-after-close: a Get after Close
//
// Why.
//
// Wrong:
//
//	p.Close()
//	p.Get()
//
// Right:
//
//	p.Get()
//	p.Close()
//
// # History
//
// Not part of the analyzer's documentation.
package pool
`

// TestExtractWithRules checks that rule sections stay with the analyzer's
// documentation, that Body leaves them out, and that another heading ends
// it.
func TestExtractWithRules(t *testing.T) {
	doc, err := Extract(docGo, "pool")
	if err != nil {
		t.Fatal(err)
	}
	if Title("pool", doc) != "report pools used wrongly" {
		t.Errorf("Title = %q", Title("pool", doc))
	}
	if Body(doc) != "Body of the analyzer." {
		t.Errorf("Body = %q, want the analyzer's section alone", Body(doc))
	}
	if strings.Contains(doc, "History") {
		t.Errorf("Extract kept the section after the rules:\n%s", doc)
	}
	rules := Rules("pool", doc)
	if len(rules) != 2 || rules[0].Code != "pool/double-put" || rules[1].Code != "pool/get-after-close" {
		t.Fatalf("Rules = %+v", rules)
	}
	r := rules[1]
	if r.Title != "a Get after Close" || !strings.HasPrefix(r.Body, "Why.") || !strings.HasSuffix(r.Body, "p.Close()") {
		t.Errorf("rule %s: title %q, body %q", r.Code, r.Title, r.Body)
	}
	if got := RuleURL("pool/double-put"); !strings.HasSuffix(got, "/docs/analyzers.md#pool/double-put") {
		t.Errorf("RuleURL = %q", got)
	}
}

func TestExtractRuleErrors(t *testing.T) {
	for _, tt := range []struct{ old, new, want string }{
		{"# Rule pool/double-put", "# Rule pool/double put", "want"},
		{"// a value put back twice\n", "//\tp.Get()\n", "first line must be its title"},
		{"// Right:\n//\n//\tp.Put(x)\n", "", "Wrong: and Right:"},
	} {
		content := strings.Replace(docGo, tt.old, tt.new, 1)
		if _, err := Extract(content, "pool"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("with %q -> %q: Extract error %v, want one containing %q", tt.old, tt.new, err, tt.want)
		}
	}
}
