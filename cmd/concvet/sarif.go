package main

import (
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"path/filepath"
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
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]string `json:"properties,omitempty"`
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
			Version:        version(),
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
	ruleIndex := make(map[string]int)
	for _, a := range analyzers {
		ruleIndex[a.Name] = len(run.Tool.Driver.Rules)
		r := sarifRule{
			ID:               a.Name,
			ShortDescription: sarifMessage{Text: docutil.Title(a.Name, a.Doc)},
			FullDescription:  sarifMessage{Text: docutil.Body(a.Doc)},
			Help:             sarifMessage{Text: a.Doc},
			HelpURI:          a.URL,
		}
		r.DefaultConfiguration.Level = "warning"
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
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
		res := sarifResult{
			RuleID:              f.analyzer,
			RuleIndex:           ruleIndex[f.analyzer],
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
