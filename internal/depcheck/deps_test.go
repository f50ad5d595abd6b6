package depcheck

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/cognitosrp/cognitosrp"

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Standard   bool
}

// list runs go list on the module's library packages.
func list(t *testing.T, patterns ...string) map[string]pkg {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	args := append([]string{"list", "-e", "-json=ImportPath,Imports,Deps,Standard"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = p
	}
	return pkgs
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// allowed reports whether a direct import of p is allowed.
type rule func(imp string) bool

func stdlibOnly(imp string) bool { return isStd(imp) && imp != "math/big" }

func prefixes(ps ...string) rule {
	return func(imp string) bool {
		for _, p := range ps {
			if imp == p || strings.HasPrefix(imp, p+"/") {
				return true
			}
		}
		return false
	}
}

func anyOf(rs ...rule) rule {
	return func(imp string) bool {
		for _, r := range rs {
			if r(imp) {
				return true
			}
		}
		return false
	}
}

var policy = map[string]rule{
	module + "/srp":                 anyOf(stdlibOnly, prefixes("golang.org/x/crypto", "filippo.io/bigmod", module+"/internal/ctmath")),
	module + "/secrethash":          stdlibOnly,
	module + "/internal/ctmath":     anyOf(stdlibOnly, prefixes("golang.org/x/sys/cpu")),
	module + "/internal/atomicfile": stdlibOnly,
	module + "/internal/safetext":   stdlibOnly,
	module + "/internal/noecho":     anyOf(stdlibOnly, prefixes("golang.org/x/sys/unix")),
	module + "/flows": anyOf(stdlibOnly, prefixes(module+"/srp", module+"/secrethash", module+"/internal/atomicfile",
		"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider", "github.com/aws/aws-sdk-go-v2/aws",
		"github.com/aws/smithy-go", "golang.org/x/oauth2")),
	module + "/flows/terminal": anyOf(stdlibOnly, prefixes(module+"/flows", module+"/internal/safetext", module+"/internal/noecho",
		"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types", "golang.org/x/term")),
	// The local server (DESIGN §1): our SRP and SECRET_HASH, the SDK's
	// client and types, one JOSE library and the standard library.
	module + "/cognitotest": anyOf(isStd, prefixes(module+"/srp", module+"/secrethash",
		"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider", "github.com/aws/aws-sdk-go-v2/aws",
		"github.com/aws/smithy-go", "github.com/go-jose/go-jose/v4")),
}

// forbidden may not be reached, even indirectly, from a library package.
var forbidden = prefixes(module+"/cognitotest", "github.com/aws/aws-sdk-go-v2/config")

func TestImportPolicy(t *testing.T) {
	pkgs := list(t, "./srp/...", "./secrethash/...", "./flows/...", "./internal/ctmath/...", "./internal/atomicfile/...", "./internal/safetext/...", "./internal/noecho/...", "./cognitotest")
	if len(pkgs) == 0 {
		t.Fatal("no packages listed")
	}
	for path, p := range pkgs {
		r, ok := policy[path]
		if !ok {
			continue
		}
		for _, imp := range p.Imports {
			if !r(imp) {
				t.Errorf("%s imports %s, which the policy forbids", path, imp)
			}
		}
		for _, dep := range p.Deps {
			if forbidden(dep) {
				t.Errorf("%s depends on %s", path, dep)
			}
		}
	}
	for path := range policy {
		if _, ok := pkgs[path]; !ok && path != module+"/flows" {
			t.Errorf("package %s not found", path)
		}
	}
}

// TestRuleCatchesMathBig proves that the rule has teeth.
func TestRuleCatchesMathBig(t *testing.T) {
	if policy[module+"/srp"]("math/big") || policy[module+"/secrethash"]("math/big") {
		t.Fatal("math/big allowed in srp or secrethash")
	}
	if !forbidden(module + "/cognitotest") {
		t.Fatal("cognitotest not forbidden")
	}
	for _, imp := range []string{module + "/flows", "github.com/aws/aws-sdk-go-v2/config"} {
		if policy[module+"/cognitotest"](imp) {
			t.Errorf("cognitotest may import %s", imp)
		}
	}
}
