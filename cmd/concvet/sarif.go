package main

import (
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/concvet/concvet/internal/docutil"
)

// SARIF 2.1.0, the subset concvet writes. GitHub code scanning and other
// SARIF consumers read it.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name,omitempty"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	FullDescription      sarifMessage `json:"fullDescription"`
	Help                 sarifMessage `json:"help"`
	HelpURI              string       `json:"helpUri,omitempty"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	CodeFlows           []sarifCodeFlow   `json:"codeFlows,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]string `json:"properties,omitempty"`
}

// A codeFlow shows a finding's path step by step: where the lock was
// taken, the calls, the blocking operation.
type sarifCodeFlow struct {
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
}

type sarifThreadFlow struct {
	Locations []sarifThreadFlowLocation `json:"locations"`
}

type sarifThreadFlowLocation struct {
	Location sarifLocation `json:"location"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

const srcRoot = "%SRCROOT%"

// printSARIF writes the findings as a SARIF log. The run is successful
// when there are no errors: each error that belongs to no package and
// each package that failed is a tool execution notification, so that code
// scanning does not take a partial run for a clean one.
func printSARIF(w io.Writer, analyzers []*analysis.Analyzer, findings []*finding, errs []string, failures []failure) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "concvet",
			Version:        sarifVersion(version()),
			InformationURI: "https://github.com/concvet/concvet",
			Rules:          []sarifRule{},
		}},
		Results: []sarifResult{},
	}
	if cwd != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{
			srcRoot: {URI: fileURI(cwd) + "/"},
		}
	}
	// One rule per analyzer (for diagnostics without a category) and
	// one per code that a finding carries.
	ruleIndex := make(map[string]int)
	byName := make(map[string]*analysis.Analyzer)
	addRule := func(a *analysis.Analyzer, code string) {
		if _, ok := ruleIndex[code]; ok {
			return
		}
		ruleIndex[code] = len(run.Tool.Driver.Rules)
		r := sarifRule{
			ID: code,

			ShortDescription: sarifMessage{Text: docutil.Title(a.Name, a.Doc)},
			FullDescription:  sarifMessage{Text: docutil.Body(a.Doc)},
			Help:             sarifMessage{Text: a.Doc},
			HelpURI:          docsURL(a.Name),
		}
		if code != a.Name {
			// A name that only differs in case from the id is
			// redundant (SARIF1001); the analyzer's rule has none.
			r.Name = ruleName(code)
			r.ShortDescription.Text = code + ": " + r.ShortDescription.Text
		}
		r.DefaultConfiguration.Level = "warning"
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
	}
	for _, a := range analyzers {
		byName[a.Name] = a
		addRule(a, a.Name)
	}
	var codes []string
	for _, f := range findings {
		if byName[f.analyzer] != nil && f.code() != f.analyzer {
			codes = append(codes, f.code())
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		a, _, _ := strings.Cut(code, "/")
		addRule(byName[a], code)
	}
	inv := sarifInvocation{ExecutionSuccessful: len(errs) == 0 && len(failures) == 0}
	for _, e := range errs {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error", Message: sarifMessage{Text: e}})
	}
	for _, f := range failures {
		n := sarifNotification{Level: "error"}
		if f.analyzer == loadErrorKey {
			n.Message.Text = "errors in package " + f.pkg + ": " + f.msg
		} else {
			n.Message.Text = f.analyzer + " failed on package " + f.pkg + ": " + f.msg
		}
		for _, line := range strings.Split(f.msg, "\n") {
			posn, _, _ := strings.Cut(line, ": ")
			if p := parsePosn(posn); p.Line > 0 {
				if abs, err := filepath.Abs(p.Filename); err == nil {
					p.Filename = abs
				}
				n.Locations = append(n.Locations, sarifLocation{PhysicalLocation: physical(p, token.Position{})})
			}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	run.Invocations = []sarifInvocation{inv}
	for _, f := range findings {
		code := f.code()
		if _, ok := ruleIndex[code]; !ok {
			code = f.analyzer
		}
		res := sarifResult{
			RuleID:              code,
			RuleIndex:           ruleIndex[code],
			Level:               "warning",
			Message:             sarifMessage{Text: f.diag.Message},
			Locations:           []sarifLocation{{PhysicalLocation: physical(f.pos, f.end)}},
			PartialFingerprints: map[string]string{"concvet/v1": f.fingerprint()},
		}
		if f.diag.Category != "" {
			res.Properties = map[string]string{"category": f.diag.Category}
		}
		for i, r := range f.related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: physical(r.pos, r.end),
				Message:          &sarifMessage{Text: r.message},
			})
		}
		if len(f.related) > 0 {
			res.CodeFlows = []sarifCodeFlow{{ThreadFlows: []sarifThreadFlow{{Locations: flowOf(f)}}}}
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifVersion makes a version start with a number, as SARIF consumers
// compare tool versions (SARIF2005): "devel-0123abcd" becomes
// "0.0.0-devel-0123abcd".
func sarifVersion(v string) string {
	if v != "" && v[0] >= '0' && v[0] <= '9' {
		return v
	}
	return "0.0.0-" + v
}

// docsURL is the section of docs/analyzers.md that documents an analyzer
// and its codes.
func docsURL(analyzer string) string {
	return "https://github.com/concvet/concvet/blob/main/docs/analyzers.md#" + analyzer
}

// ruleName turns a code into the PascalCase name SARIF viewers show:
// lockpair/double-lock is LockpairDoubleLock.
func ruleName(code string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(code, func(r rune) bool { return r == '/' || r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// flowOf orders a finding's locations as a path: the related locations
// that precede the reported one in its function (where the lock was
// taken, where ctx came into scope), the reported one, then the others
// (the callee that locks again, the operation that blocks, the return
// that leaks), each in the analyzer's order.
func flowOf(f *finding) []sarifThreadFlowLocation {
	step := func(pos, end token.Position, msg string) sarifThreadFlowLocation {
		return sarifThreadFlowLocation{Location: sarifLocation{PhysicalLocation: physical(pos, end), Message: &sarifMessage{Text: msg}}}
	}
	var before, after []sarifThreadFlowLocation
	for _, r := range f.related {
		sameFunc := r.pos.Filename == f.pos.Filename && r.function == f.function && f.function != ""
		if sameFunc && (r.pos.Line < f.pos.Line || r.pos.Line == f.pos.Line && r.pos.Column < f.pos.Column) {
			before = append(before, step(r.pos, r.end, r.message))
		} else {
			after = append(after, step(r.pos, r.end, r.message))
		}
	}
	return append(append(before, step(f.pos, f.end, f.diag.Message)), after...)
}

func physical(pos, end token.Position) sarifPhysicalLocation {
	reg := sarifRegion{StartLine: max(pos.Line, 1), StartColumn: pos.Column}
	if end.IsValid() && end.Filename == pos.Filename && end.Line >= pos.Line {
		reg.EndLine, reg.EndColumn = end.Line, end.Column
	}
	return sarifPhysicalLocation{ArtifactLocation: artifact(pos.Filename), Region: reg}
}

// artifact returns the location of a file: relative to %SRCROOT% when it
// is below the working directory, else an absolute file URI.
func artifact(filename string) sarifArtifactLoc {
	if rel := relPath(filename); rel != filename || !filepath.IsAbs(filename) {
		return sarifArtifactLoc{URI: (&url.URL{Path: filepath.ToSlash(rel)}).EscapedPath(), URIBaseID: srcRoot}
	}
	return sarifArtifactLoc{URI: fileURI(filename)}
}

func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
