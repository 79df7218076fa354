package config

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// FileName is the name of concvet's configuration file. The concvet
// command reads the nearest one found from its working directory
// upward, as staticcheck reads staticcheck.conf; command-line flags
// override it.
//
// The file is TOML, restricted to the subset concvet needs (see Parse):
//
//	enable = ["lockblock", "lockpair"]   # default: every analyzer
//	disable = ["goroutineleak"]
//	extra-blocking = ["example.com/rpc.(*Client).Flush"]
//	strict-directives = true
//	include-generated = false
//
//	[extra-context-variants]
//	"example.com/rpc.Fetch" = "example.com/rpc.FetchContext"
//
//	[analyzers.ctxprop]
//	tests = true
const FileName = "concvet.toml"

// Find returns the path of the nearest configuration file in dir or one
// of its parents, or "" when there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, FileName)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// ReadFile reads and parses a configuration file.
func ReadFile(path string) (*Settings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := Parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	return s, nil
}

// Parse decodes the content of a configuration file. It accepts the TOML
// subset that the settings need: comments, bare and quoted keys, basic
// and literal strings, booleans, arrays of strings (over several lines
// if need be), and the tables [extra-context-variants] and
// [analyzers.NAME]. Anything else, and any unknown key, is an error that
// gives the line, so that a typo is never silently ignored.
func Parse(content string) (*Settings, error) {
	p := &parser{s: new(Settings)}
	lines := strings.Split(content, "\n")
	for i := 0; i < len(lines); i++ {
		p.line = i + 1
		text := strings.TrimSpace(stripComment(lines[i]))
		// An array may continue over the following lines.
		for opensArray(text) && !strings.HasSuffix(text, "]") && i+1 < len(lines) {
			i++
			text += " " + strings.TrimSpace(stripComment(lines[i]))
		}
		if text == "" {
			continue
		}
		if err := p.parseLine(text); err != nil {
			return nil, fmt.Errorf("%d: %v", p.line, err)
		}
	}
	return p.s, nil
}

// opensArray reports whether the line is "key = [" and so on.
func opensArray(text string) bool {
	_, v, ok := strings.Cut(text, "=")
	return ok && !strings.HasPrefix(text, "[") && strings.HasPrefix(strings.TrimSpace(v), "[")
}

type parser struct {
	s     *Settings
	line  int
	table []string // the current [table] header, split at dots
	seen  map[string]bool
}

func (p *parser) parseLine(text string) error {
	if strings.HasPrefix(text, "[") {
		if strings.HasPrefix(text, "[[") {
			return errors.New("arrays of tables are not supported")
		}
		if !strings.HasSuffix(text, "]") {
			return fmt.Errorf("malformed table header %q", text)
		}
		keys, rest, err := parseKeys(strings.TrimSpace(text[1 : len(text)-1]))
		if err != nil || rest != "" {
			return fmt.Errorf("malformed table header %q", text)
		}
		switch {
		case len(keys) == 1 && keys[0] == "extra-context-variants":
		case len(keys) == 2 && keys[0] == "analyzers":
		default:
			return fmt.Errorf("unknown table [%s] (known: [extra-context-variants], [analyzers.NAME])", strings.Join(keys, "."))
		}
		p.table = keys
		return p.once("[" + strings.Join(keys, ".") + "]")
	}
	keys, rest, err := parseKeys(text)
	if err != nil {
		return err
	}
	if len(keys) != 1 {
		return fmt.Errorf("dotted key %q is not supported; use a [table]", strings.Join(keys, "."))
	}
	rest, ok := strings.CutPrefix(rest, "=")
	if !ok {
		return fmt.Errorf("want key = value, got %q", text)
	}
	v, err := parseValue(strings.TrimSpace(rest))
	if err != nil {
		return fmt.Errorf("%s: %v", keys[0], err)
	}
	if err := p.once(strings.Join(append(slices.Clone(p.table), keys[0]), ".")); err != nil {
		return err
	}
	return p.set(keys[0], v)
}

// once rejects a key or table defined twice, as TOML does.
func (p *parser) once(key string) error {
	if p.seen == nil {
		p.seen = make(map[string]bool)
	}
	if p.seen[key] {
		return fmt.Errorf("%s is defined twice", key)
	}
	p.seen[key] = true
	return nil
}

// set assigns a parsed value: a string, a bool, or a []string.
func (p *parser) set(key string, v any) error {
	switch {
	case len(p.table) == 1: // [extra-context-variants]
		variant, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want the variant's name as a string", key)
		}
		if p.s.ExtraContextVariants == nil {
			p.s.ExtraContextVariants = make(map[string]string)
		}
		p.s.ExtraContextVariants[key] = variant
		return nil
	case len(p.table) == 2: // [analyzers.NAME]
		var text string
		switch v := v.(type) {
		case string:
			text = v
		case bool:
			text = strconv.FormatBool(v)
		default:
			return fmt.Errorf("%s: want a string, number or boolean", key)
		}
		if p.s.Analyzers == nil {
			p.s.Analyzers = make(map[string]map[string]string)
		}
		name := p.table[1]
		if p.s.Analyzers[name] == nil {
			p.s.Analyzers[name] = make(map[string]string)
		}
		p.s.Analyzers[name][key] = text
		return nil
	}
	list := func(dst *[]string) error {
		l, ok := v.([]string)
		if !ok {
			return fmt.Errorf("%s: want an array of strings", key)
		}
		*dst = l
		return nil
	}
	boolean := func(dst *bool) error {
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%s: want true or false", key)
		}
		*dst = b
		return nil
	}
	switch key {
	case "enable":
		return list(&p.s.Enable)
	case "disable":
		return list(&p.s.Disable)
	case "extra-blocking":
		return list(&p.s.ExtraBlocking)
	case "strict-directives":
		return boolean(&p.s.StrictDirectives)
	case "include-generated":
		return boolean(&p.s.IncludeGenerated)
	}
	return fmt.Errorf("unknown key %q (known: enable, disable, extra-blocking, strict-directives, include-generated, [extra-context-variants], [analyzers.NAME])", key)
}

// parseKeys parses a dotted key at the start of text and returns the
// rest after it, trimmed.
func parseKeys(text string) (keys []string, rest string, err error) {
	for {
		text = strings.TrimSpace(text)
		var key string
		switch {
		case strings.HasPrefix(text, `"`) || strings.HasPrefix(text, "'"):
			var n int
			key, n, err = parseString(text)
			if err != nil {
				return nil, "", err
			}
			text = text[n:]
		default:
			n := strings.IndexFunc(text, func(r rune) bool {
				return r != '-' && r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9')
			})
			if n < 0 {
				n = len(text)
			}
			if n == 0 {
				return nil, "", fmt.Errorf("missing key in %q", text)
			}
			key, text = text[:n], text[n:]
		}
		keys = append(keys, key)
		text = strings.TrimSpace(text)
		if !strings.HasPrefix(text, ".") {
			return keys, text, nil
		}
		text = text[1:]
	}
}

// parseValue parses a string, a boolean, an integer (returned as its
// text) or an array of strings; nothing may follow it.
func parseValue(text string) (any, error) {
	switch {
	case text == "true" || text == "false":
		return text == "true", nil
	case strings.HasPrefix(text, `"`) || strings.HasPrefix(text, "'"):
		s, n, err := parseString(text)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(text[n:]) != "" {
			return nil, fmt.Errorf("unexpected %q after the value", text[n:])
		}
		return s, nil
	case strings.HasPrefix(text, "["):
		var list []string
		text = strings.TrimSpace(text[1:])
		for !strings.HasPrefix(text, "]") {
			s, n, err := parseString(text)
			if err != nil {
				return nil, fmt.Errorf("array: %v (only arrays of strings are supported)", err)
			}
			list = append(list, s)
			text = strings.TrimSpace(text[n:])
			if rest, ok := strings.CutPrefix(text, ","); ok {
				text = strings.TrimSpace(rest)
			} else if !strings.HasPrefix(text, "]") {
				return nil, fmt.Errorf("array: want , or ] at %q", text)
			}
		}
		if strings.TrimSpace(text[1:]) != "" {
			return nil, fmt.Errorf("unexpected %q after the array", text[1:])
		}
		return list, nil
	}
	if _, err := strconv.ParseInt(text, 10, 64); err == nil {
		return text, nil
	}
	return nil, fmt.Errorf("unsupported value %q (want a string, boolean, integer or array of strings)", text)
}

// parseString parses a basic ("...") or literal ('...') string at the
// start of text and returns it and the number of bytes it took.
func parseString(text string) (string, int, error) {
	if strings.HasPrefix(text, "'") {
		end := strings.IndexByte(text[1:], '\'')
		if end < 0 {
			return "", 0, errors.New("unterminated string")
		}
		return text[1 : end+1], end + 2, nil
	}
	if !strings.HasPrefix(text, `"`) {
		return "", 0, fmt.Errorf("want a string at %q", text)
	}
	var b strings.Builder
	for i := 1; i < len(text); i++ {
		switch c := text[i]; c {
		case '"':
			return b.String(), i + 1, nil
		case '\\':
			if i+1 == len(text) {
				return "", 0, errors.New("unterminated string")
			}
			i++
			switch text[i] {
			case '"', '\\':
				b.WriteByte(text[i])
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				return "", 0, fmt.Errorf(`unsupported escape \%c`, text[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, errors.New("unterminated string")
}

// stripComment removes a # comment that is not inside a string.
func stripComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0 && c == '\\' && quote == '"':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '#':
			return line[:i]
		}
	}
	return line
}

// BindCommandLine defines the -concvetconfig.NAME flags on a command's
// flag set, for FromCommandLine to read back.
func BindCommandLine(fs *flag.FlagSet) {
	var own flag.FlagSet
	new(Settings).BindFlags(&own)
	own.VisitAll(func(f *flag.Flag) {
		fs.Var(f.Value, Name+"."+f.Name, f.Usage)
	})
}

// FromCommandLine returns the settings of a concvet command run: those of
// the nearest configuration file found from dir upward (see Find), then
// the flags set on the command line, which override it. fs must be
// parsed; analyzers lists the names whose -NAME flags select analyzers
// and whose -NAME.option flags set options. The -strict-directives flag
// and the -concvetconfig.NAME flags (see BindCommandLine) are read too.
// file is the configuration file read, or "".
func FromCommandLine(fs *flag.FlagSet, dir string, analyzers []string) (s *Settings, file string, err error) {
	file, err = Find(dir)
	if err != nil {
		return nil, "", err
	}
	s = new(Settings)
	if file != "" {
		if s, err = ReadFile(file); err != nil {
			return nil, file, err
		}
	}
	var own flag.FlagSet
	s.BindFlags(&own)
	var enable, disable []string
	var setErr error
	fs.Visit(func(f *flag.Flag) {
		name, opt, dotted := strings.Cut(f.Name, ".")
		v := f.Value.String()
		switch {
		case name == Name && dotted:
			if err := own.Set(opt, v); err != nil && setErr == nil {
				setErr = fmt.Errorf("-%s: %v", f.Name, err)
			}
		case f.Name == "strict-directives":
			s.StrictDirectives = v == "true"
		case dotted && slices.Contains(analyzers, name):
			if s.Analyzers == nil {
				s.Analyzers = make(map[string]map[string]string)
			}
			if s.Analyzers[name] == nil {
				s.Analyzers[name] = make(map[string]string)
			}
			s.Analyzers[name][opt] = v
		case !dotted && slices.Contains(analyzers, name):
			if v == "true" {
				enable = append(enable, name)
			} else {
				disable = append(disable, name)
			}
		}
	})
	if setErr != nil {
		return nil, file, setErr
	}
	// As in go vet: if any -NAME is true, run only those; -NAME=false
	// adds to the disabled analyzers.
	if len(enable) > 0 {
		s.Enable, s.Disable = enable, nil
	}
	for _, n := range disable {
		if !slices.Contains(s.Disable, n) {
			s.Disable = append(s.Disable, n)
		}
	}
	return s, file, nil
}
