package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/suite"
)

// Exit codes.
const (
	exitClean    = 0 // no findings
	exitFailed   = 1 // the run itself failed
	exitUsage    = 2 // bad flags or arguments, as for the go command
	exitFindings = 3 // findings were reported
)

// options are the driver's own flags.
type options struct {
	format        string
	jsonOut       bool
	fix, diff     bool
	context       int
	tests         bool
	tags          string
	baseline      string
	writeBaseline string
	strict        bool
	output        string
	chdir         string
	enable        map[string]*triState
	printVersion  bool
	sequential    bool
	driver        string
	cpuProfile    string
	memProfile    string
}

// triState is a -NAME flag: unset, true or false.
type triState struct{ set, value bool }

func (t *triState) String() string {
	if !t.set {
		return "unset"
	}
	return strconv.FormatBool(t.value)
}
func (t *triState) IsBoolFlag() bool { return true }
func (t *triState) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	t.set, t.value = true, v
	return nil
}

// cliMain runs the standalone command and returns its exit code.
func cliMain(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "help" {
		return help(args[1:], stdout, stderr)
	}
	fs, opts := newFlagSet(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitUsage // the flag package has printed the error and usage
	}
	if opts.printVersion {
		fmt.Fprintln(stdout, "concvet", version())
		return exitClean
	}
	if msg := opts.usageError(fs); msg != "" {
		fmt.Fprintf(stderr, "concvet: %s\nRun 'concvet -h' for usage.\n", msg)
		return exitUsage
	}
	if opts.chdir != "" {
		if err := os.Chdir(opts.chdir); err != nil {
			fmt.Fprintf(stderr, "concvet: -C: %v\n", err)
			return exitFailed
		}
		cwd, _ = os.Getwd() // paths in the output are relative to dir
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	if fs.NArg() > 0 && fs.Arg(0) == "help" {
		return help(fs.Args()[1:], stdout, stderr)
	}

	settings, file, err := config.FromCommandLine(fs, ".", sortedNames(opts.enable))
	if err == nil {
		if err = suite.Check(settings); err != nil && file != "" {
			err = fmt.Errorf("%s (with the command line): %v", file, err)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return exitFailed
	}

	out := stdout
	if opts.output != "" {
		f, err := os.Create(opts.output)
		if err != nil {
			fmt.Fprintf(stderr, "concvet: %v\n", err)
			return exitFailed
		}
		defer f.Close()
		out = f
	}
	stop, err := startProfiles(opts)
	if err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return exitFailed
	}
	code := run(patterns, opts, settings, out, stderr)
	if err := stop(); err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return exitFailed
	}
	return code
}

// usageError checks the flags that depend on each other and returns what
// is wrong, or "".
func (opts *options) usageError(fs *flag.FlagSet) string {
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if opts.jsonOut {
		if set["format"] && opts.format != "json" {
			return fmt.Sprintf("-json conflicts with -format=%s", opts.format)
		}
		opts.format = "json"
	}
	switch opts.format {
	case "text", "json", "sarif":
	default:
		return fmt.Sprintf("invalid -format %q (want text, json or sarif)", opts.format)
	}
	switch opts.driver {
	case "vet", "packages":
	default:
		return fmt.Sprintf("invalid -driver %q (want vet or packages)", opts.driver)
	}
	if opts.diff && !opts.fix {
		return "-diff needs -fix (-fix -diff prints the fixes as a diff instead of applying them)"
	}
	return ""
}

func newFlagSet(stderr io.Writer) (*flag.FlagSet, *options) {
	opts := &options{enable: make(map[string]*triState)}
	fs := flag.NewFlagSet("concvet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.format, "format", "text", "output `format`: text, json (the go vet -json shape) or sarif (SARIF 2.1.0)")
	fs.BoolVar(&opts.jsonOut, "json", false, "emit JSON output (same as -format=json)")
	fs.BoolVar(&opts.fix, "fix", false, "apply all suggested fixes")
	fs.BoolVar(&opts.diff, "diff", false, "with -fix, print the fixes as a unified diff instead of applying them")
	fs.IntVar(&opts.context, "c", -1, "display offending line with this many `lines` of context")
	fs.BoolVar(&opts.tests, "test", true, "analyze test files and test packages too")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated list of build `tags` to consider satisfied")
	fs.StringVar(&opts.baseline, "baseline", "", "report only findings that are not recorded in this baseline `file`")
	fs.StringVar(&opts.writeBaseline, "write-baseline", "", "record the current findings in this baseline `file` and exit 0")
	fs.BoolVar(&opts.strict, "strict-directives", false, "report suppression directives that suppress nothing")
	fs.StringVar(&opts.output, "o", "", "write the findings to this `file` instead of standard output")
	fs.StringVar(&opts.chdir, "C", "", "change to `dir` before doing anything else, as the go command's -C (for a go.mod below the repository root); patterns, -o and baseline files are relative to it")
	fs.BoolVar(&opts.printVersion, "V", false, "print the version and exit")
	fs.BoolVar(&opts.sequential, "p1", false, "with -driver=packages, run the analyzers sequentially (for debugging)")
	fs.StringVar(&opts.cpuProfile, "cpuprofile", "", "with -driver=packages, write a CPU profile to this `file`")
	fs.StringVar(&opts.memProfile, "memprofile", "", "with -driver=packages, write a memory profile to this `file` at the end")
	fs.StringVar(&opts.driver, "driver", "vet", "how to run the analysis: `vet` (per package through the go command, cached) or packages (in process)")

	// -NAME enables or disables an analyzer; -NAME.flag sets its options.
	for _, a := range suite.New(suite.Options{}) {
		t := new(triState)
		opts.enable[a.Name] = t
		fs.Var(t, a.Name, "enable "+a.Name+" ("+docutil.Title(a.Name, a.Doc)+")")
		prefix := a.Name + "."
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, prefix+f.Name, f.Usage)
		})
	}
	config.BindCommandLine(fs) // -concvetconfig.NAME, read by config.FromCommandLine
	fs.Usage = func() {
		fmt.Fprintf(stderr, "concvet finds concurrency bugs in Go code.\n\nUsage:\n\tconcvet [flags] [packages]\n\tconcvet help [NAME]\n\tgo vet -vettool=$(which concvet) [packages]\n\nExit codes: 0 no findings, 3 findings, 1 the run failed, 2 usage error.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs, opts
}

func sortedNames[V any](m map[string]V) []string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// version returns concvet's version: the module version when the binary
// was built by "go install module@version" (or from a tagged checkout),
// else the VCS revision the binary was built from, else "devel".
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return strings.TrimPrefix(v, "v")
	}
	var rev string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified {
		rev += "+dirty"
	}
	return "devel-" + rev
}

// help prints the list of analyzers or the documentation of one.
func help(args []string, stdout, stderr io.Writer) int {
	analyzers := suite.New(suite.Options{})
	if len(args) == 0 {
		fmt.Fprint(stdout, "concvet finds concurrency bugs in Go code.\n\nUsage:\n\tconcvet [flags] [packages]\n\tconcvet help NAME|CODE\n\tgo vet -vettool=$(which concvet) [packages]\n\nRegistered analyzers:\n\n")
		for _, a := range analyzers {
			fmt.Fprintf(stdout, "    %-14s %s\n", a.Name, docutil.Title(a.Name, a.Doc))
		}
		fmt.Fprint(stdout, "\nBy default all analyzers run. -NAME enables only the named analyzers;\n-NAME=false disables one. Run \"concvet -h\" for the flags,\n\"concvet help NAME\" for an analyzer's documentation, options and rules,\nand \"concvet help CODE\" (such as lockpair/double-lock) for one rule.\nSettings can also come from concvet.toml (docs/configuration.md).\n\nExit codes: 0 no findings, 3 findings, 1 the run failed, 2 usage error.\n")
		return exitClean
	}
	code := exitClean
	for _, name := range args {
		if r, ok := suite.Rule(name); ok {
			fmt.Fprintf(stdout, "%s: %s\n\n%s\n\nMore: %s\n", r.Code, r.Title, r.Body, docutil.RuleURL(r.Code))
			continue
		}
		var found *analysis.Analyzer
		for _, a := range analyzers {
			if a.Name == name {
				found = a
			}
		}
		if found == nil {
			fmt.Fprintf(stderr, "concvet: unknown analyzer or code %q (run \"concvet help\" for the list)\n", name)
			code = exitFailed
			continue
		}
		fmt.Fprintf(stdout, "%s: %s\n\n%s\n", found.Name, docutil.Title(found.Name, found.Doc), docutil.Body(found.Doc))
		if rules := docutil.Rules(found.Name, found.Doc); len(rules) > 0 {
			fmt.Fprintf(stdout, "\nRules (\"concvet help CODE\" explains one):\n")
			for _, r := range rules {
				fmt.Fprintf(stdout, "  %-40s %s\n", r.Code, r.Title)
			}
		}
		var flags []string
		found.Flags.VisitAll(func(f *flag.Flag) {
			flags = append(flags, fmt.Sprintf("  -%s.%s\n    \t%s (default %q)\n", found.Name, f.Name, f.Usage, f.DefValue))
		})
		if len(flags) > 0 {
			fmt.Fprintf(stdout, "\nAnalyzer flags:\n%s", strings.Join(flags, ""))
		}
		if found.URL != "" {
			fmt.Fprintf(stdout, "\nMore: %s\n", found.URL)
		}
	}
	return code
}
