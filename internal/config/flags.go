package config

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// BindFlags defines on fs one flag per setting that is not an analyzer
// selection or an analyzer's own option, bound to s. The config analyzer
// carries them, so go vet -vettool, nogo and the concvet command all take
// them as -concvetconfig.NAME.
//
// A list flag given several times accumulates; its first use replaces
// the list s held before (from a configuration file), as every flag
// overrides the file.
func (s *Settings) BindFlags(fs *flag.FlagSet) {
	fs.Var(&listFlag{p: &s.ExtraBlocking}, "extra-blocking",
		"comma-separated `functions` that block, besides the built-in table: pkg/path.Func or (*pkg/path.Type).Method")
	fs.Var(&mapFlag{p: &s.ExtraContextVariants}, "extra-context-variants",
		"comma-separated `func=variant` pairs naming the context-taking variant of a project function")
	fs.BoolVar(&s.StrictDirectives, "strict-directives", s.StrictDirectives,
		"report suppression directives that suppress nothing")
	fs.BoolVar(&s.IncludeGenerated, "include-generated", s.IncludeGenerated,
		"report findings in generated files (// Code generated ... DO NOT EDIT.)")
}

// FlagNames returns the names of the flags that BindFlags defines.
func FlagNames() []string {
	var fs flag.FlagSet
	new(Settings).BindFlags(&fs)
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return names
}

// listFlag is a comma-separated list of names.
type listFlag struct {
	p   *[]string
	set bool
}

func (l *listFlag) String() string {
	if l == nil || l.p == nil {
		return ""
	}
	return strings.Join(*l.p, ",")
}

func (l *listFlag) Set(v string) error {
	if !l.set {
		*l.p, l.set = nil, true
	}
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l.p = append(*l.p, x)
		}
	}
	return nil
}

// mapFlag is a comma-separated list of key=value pairs.
type mapFlag struct {
	p   *map[string]string
	set bool
}

func (m *mapFlag) String() string {
	if m == nil || m.p == nil {
		return ""
	}
	var pairs []string
	for k, v := range *m.p {
		pairs = append(pairs, k+"="+v)
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}

func (m *mapFlag) Set(v string) error {
	if !m.set {
		*m.p, m.set = nil, true
	}
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x == "" {
			continue
		}
		k, val, ok := strings.Cut(x, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(val) == "" {
			return fmt.Errorf("%q is not a func=variant pair", x)
		}
		if *m.p == nil {
			*m.p = make(map[string]string)
		}
		(*m.p)[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	return nil
}

// Args returns the command-line flags that give a go vet -vettool run of
// concvet these settings: -NAME=false for each analyzer of names that is
// not enabled, -NAME.option=value for analyzer options, and
// -concvetconfig.NAME=value for the rest. Names must list every analyzer.
func (s *Settings) Args(names []string) []string {
	var args []string
	for _, n := range names {
		if !s.Enabled(n) {
			args = append(args, "-"+n+"=false")
		}
	}
	if s == nil {
		return args
	}
	for _, a := range slices.Sorted(maps.Keys(s.Analyzers)) {
		for _, o := range slices.Sorted(maps.Keys(s.Analyzers[a])) {
			args = append(args, "-"+a+"."+o+"="+s.Analyzers[a][o])
		}
	}
	var cur, def flag.FlagSet
	s.Clone().BindFlags(&cur)
	new(Settings).BindFlags(&def)
	cur.VisitAll(func(f *flag.Flag) {
		if f.Value.String() != def.Lookup(f.Name).Value.String() {
			args = append(args, "-"+Name+"."+f.Name+"="+f.Value.String())
		}
	})
	return args
}
