// Package stdpkg is concvet's one answer to "is this package in the
// standard library?", used by every pass and every front end.
//
// concvet never computes nor expects facts about the standard library:
// its engines carry built-in tables for it instead. Passes that export
// facts export none for standard packages, whatever the driver
// (analysistest and Bazel's nogo included); a pass cannot tell a package
// analysed for its own findings from a dependency, so they still check a
// standard package's code, which matters when concvet is run on the
// standard library itself. The concvet command and the plugin skip
// standard packages that are only dependencies before any analyzer runs.
package stdpkg

import "strings"

// IsStd reports whether path is the import path of a standard-library
// package: its first element has no dot (a module path's first element
// is a domain name) and is one of the standard library's roots. A test
// checks the roots against `go list std`.
func IsStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return roots[first]
}

// roots are the first elements of standard-library import paths.
var roots = map[string]bool{
	"archive": true, "bufio": true, "builtin": true, "bytes": true, "cmd": true, "cmp": true,
	"compress": true, "container": true, "context": true, "crypto": true, "database": true,
	"debug": true, "embed": true, "encoding": true, "errors": true, "expvar": true, "flag": true,
	"fmt": true, "go": true, "hash": true, "html": true, "image": true, "index": true,
	"internal": true, "io": true, "iter": true, "log": true, "maps": true, "math": true,
	"mime": true, "net": true, "os": true, "path": true, "plugin": true, "reflect": true,
	"regexp": true, "runtime": true, "slices": true, "sort": true, "strconv": true,
	"strings": true, "structs": true, "sync": true, "syscall": true, "testing": true,
	"text": true, "time": true, "unicode": true, "unique": true, "unsafe": true,
	"vendor": true, "weak": true,
}
