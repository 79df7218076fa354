// Package concvetconfig exports the analyzer that carries concvet's
// settings, for drivers that link analyzers themselves, such as Bazel's
// nogo. It reports nothing; its flags set what the other analyzers read:
//
//	-concvetconfig.extra-blocking=pkg/path.Func,(*pkg/path.Type).Method
//	-concvetconfig.extra-context-variants=pkg/path.Fetch=pkg/path.FetchContext
//	-concvetconfig.strict-directives
//	-concvetconfig.include-generated
//
// Under nogo, list it among the analyzers and give its flags in the
// "concvetconfig" entry's analyzer_flags (see docs/configuration.md). The
// concvet command, go vet -vettool and the golangci-lint plugin need no
// import: they already take these settings.
package concvetconfig

import "github.com/concvet/concvet/internal/config"

// Analyzer is the settings carrier that concvet's analyzers require; its
// flags are the settings.
var Analyzer = config.Analyzer
