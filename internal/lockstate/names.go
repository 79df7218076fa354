package lockstate

import (
	"go/types"
	"regexp"
	"strings"
)

// ClassPath is how lock classes and package-level variables write a
// package: its import path, followed by ":" and the package name when the
// name is not the path's last element ("gopkg.in/yaml.v3:yaml",
// "github.com/redis/go-redis/v9:redis"), so that [ShortClass] renders the
// package as source code names it.
func ClassPath(p *types.Package) string {
	path := p.Path()
	if path[strings.LastIndexByte(path, '/')+1:] == p.Name() {
		return path
	}
	return path + ":" + p.Name()
}

// importPath matches an import path element, or the import path written
// before a package name (see ClassPath).
var importPath = regexp.MustCompile(`[\w.\-]+[/:]`)

// Qualifier names packages in messages as source code does: by package
// name, and not at all for self, the package being analysed.
func Qualifier(self *types.Package) types.Qualifier {
	return func(p *types.Package) string {
		if p == self {
			return ""
		}
		return p.Name()
	}
}

// ShortClass drops import paths from a class, leaving package names:
// "(*example.com/pool.Pool).mu" becomes "(*pool.Pool).mu", and
// "(*gopkg.in/yaml.v3:yaml.Node).mu" becomes "(*yaml.Node).mu".
func ShortClass(class string) string {
	return importPath.ReplaceAllString(class, "")
}

// FuncString names a function in messages as source code outside self
// would: "(*pool.Pool).Get", "yaml.Marshal", and without a package name
// for self, the package being analysed.
func FuncString(f *types.Func, self *types.Package) string {
	sig, _ := f.Type().(*types.Signature)
	if sig != nil && sig.Recv() != nil {
		return "(" + types.TypeString(sig.Recv().Type(), Qualifier(self)) + ")." + f.Name()
	}
	if f.Pkg() == nil || f.Pkg() == self {
		return f.Name()
	}
	return f.Pkg().Name() + "." + f.Name()
}
