package flows_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeImports are what the README's Go snippets may use, as they would
// in a program that imports them.
var readmeImports = []struct{ path, use string }{
	{"context", "var _ context.Context"},
	{"encoding/json", "var _ = json.Marshal"},
	{"errors", "var _ = errors.New"},
	{"fmt", "var _ = fmt.Println"},
	{"net/http", "var _ = http.NewServeMux"},
	{"os", "var _ = os.Getenv"},
	{"time", "var _ = time.Now"},
	{"github.com/aws/aws-sdk-go-v2/aws", "var _ = aws.String"},
	{"github.com/aws/aws-sdk-go-v2/config", "var _ = config.LoadDefaultConfig"},
	{"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider", "var _ = cognitoidentityprovider.NewFromConfig"},
	{"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types", "var _ types.ChallengeNameType"},
	{"github.com/cognitosrp/cognitosrp/cognitotest", "var _ = cognitotest.NewServer"},
	{"github.com/cognitosrp/cognitosrp/flows", "var _ = flows.New"},
	{"github.com/cognitosrp/cognitosrp/flows/terminal", "var _ = terminal.New"},
	{"github.com/cognitosrp/cognitosrp/secrethash", "var _ = secrethash.Compute"},
	{"github.com/cognitosrp/cognitosrp/srp", "var _ = srp.NewEphemeral"},
}

var goBlock = regexp.MustCompile("(?ms)^```go\n(.*?)^```")

// TestREADMESnippets compiles every ```go block of the README as the body
// of a function that has ctx, password, code and state in scope (and c, the
// *flows.Client, unless the snippet makes its own) and returns an error,
// with the go command and an overlay: no file is written into the module.
func TestREADMESnippets(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlock.FindAllSubmatch(readme, -1)
	if len(blocks) < 2 {
		t.Fatalf("found %d Go blocks in README.md, want at least 2", len(blocks))
	}
	dir := t.TempDir()
	pkgDir := filepath.Join(root, "internal", "readmesnippets") // exists only in the overlay
	replace := map[string]string{}
	for i, b := range blocks {
		var src bytes.Buffer
		src.WriteString("package readmesnippets\n\nimport (\n")
		for _, imp := range readmeImports {
			fmt.Fprintf(&src, "\t%q\n", imp.path)
		}
		src.WriteString(")\n\n")
		for _, imp := range readmeImports {
			src.WriteString(imp.use + "\n")
		}
		// The line directive makes errors point into README.md.
		line := 1 + bytes.Count(readme[:bytes.Index(readme, b[1])], []byte("\n"))
		params := "ctx context.Context, password, code string, state []byte"
		if !bytes.Contains(b[1], []byte("c, err := flows.New(")) {
			params += ", c *flows.Client"
		}
		fmt.Fprintf(&src, "\nfunc snippet%d(%s) error {\n//line README.md:%d\n%s\treturn nil\n}\n", i, params, line, b[1])
		file := filepath.Join(dir, fmt.Sprintf("snippet%d.go", i))
		if err := os.WriteFile(file, src.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(pkgDir, fmt.Sprintf("snippet%d.go", i))] = file
	}
	var ov bytes.Buffer
	ov.WriteString(`{"Replace":{`)
	first := true
	for k, v := range replace {
		if !first {
			ov.WriteString(",")
		}
		first = false
		fmt.Fprintf(&ov, "%q:%q", k, v)
	}
	ov.WriteString("}}")
	overlay := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlay, ov.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goCmd, "build", "-overlay", overlay, "./internal/readmesnippets")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README.md's Go snippets do not build: %v\n%s", err, strings.TrimSpace(string(out)))
	}
}
