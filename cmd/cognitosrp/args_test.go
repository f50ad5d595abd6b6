package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestArgumentsNeverEchoed closes the class of "the command echoes a
// mistyped secret" (issue 10, item 7): a secret-looking value is put in every
// position and flag form of every subcommand, and no error or other output
// may show it. The flag package's own messages quote values
// ("invalid boolean value \"hunter2-secret\""), and so did ours.
func TestArgumentsNeverEchoed(t *testing.T) {
	var cfg, addr string
	commands := []struct {
		name string
		fs   *flag.FlagSet
		base []string // valid arguments for the command
	}{
		{"login", loginFlagSet(new(loginFlags)), []string{"--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u"}},
		{"token", tokenFlagSet(new(loginFlags)), []string{"--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--token-store", filepath.Join(t.TempDir(), "t.json")}},
		{"serve", serveFlagSet(&cfg, &addr), []string{"--config", examplesConfig, "--addr", "127.0.0.1:0"}},
		{"demo", newFlagSet("demo"), nil},
		{"help", newFlagSet("help"), nil},
	}
	dir := t.TempDir()
	for _, secret := range []string{"hunter2-secret", "Pass_word1", "x=hunter2-secret"} {
		var cases [][]string
		add := func(args ...string) { cases = append(cases, args) }
		// As the command, and around it.
		add(secret)
		add("--" + secret)
		add("-" + secret)
		add("--" + secret + "=x")
		add("---" + secret)
		add("-=" + secret)
		for _, c := range commands {
			base := func(more ...string) []string {
				return append(append([]string{c.name}, c.base...), more...)
			}
			add(c.name, secret)
			add(c.name, "--"+secret)
			add(c.name, "-"+secret)
			add(c.name, "--"+secret+"="+secret)
			add(c.name, "--nosuchflag="+secret)
			add(c.name, "--nosuchflag", secret)
			add(base(secret)...)
			add(base("--", secret)...)
			add(base("--" + secret)...)
			add(append([]string{c.name, secret}, c.base...)...)
			// The secrets that other tools take as flags.
			for _, name := range []string{"password", "p", "client-secret", "refresh-token"} {
				add(base("--"+name, secret)...)
				add(base("--" + name + "=" + secret)...)
				add(base("-" + name + "=" + secret)...)
			}
			c.fs.VisitAll(func(f *flag.Flag) {
				for _, form := range [][]string{
					{"--" + f.Name, secret}, {"--" + f.Name + "=" + secret},
					{"-" + f.Name, secret}, {"-" + f.Name + "=" + secret},
					{"--" + f.Name + "x=" + secret}, // a near miss of the flag's name
				} {
					add(base(form...)...)
					if !slices.Contains(c.base, "--"+f.Name) { // else the base's value wins
						add(append(append([]string{c.name}, form...), c.base...)...)
					}
				}
			})
			if c.name == "login" {
				// Stores that exist but are damaged, named by the secret.
				junk := filepath.Join(dir, secret)
				if err := os.WriteFile(junk, []byte("{not json"), 0o600); err != nil {
					t.Fatal(err)
				}
				add(base("--refresh", "--token-store", junk)...)
				add(base("--refresh", "--token-store", filepath.Join(junk, "sub"))...)
				add(base("--password-stdin", "--device-store", filepath.Join(junk, "sub"))...)
			}
			if c.name == "token" {
				// Stores named by the secret: damaged, missing, under a file.
				junk := filepath.Join(dir, secret)
				if err := os.WriteFile(junk, []byte("{not json"), 0o600); err != nil {
					t.Fatal(err)
				}
				add(base("--token-store", junk)...)
				add(base("--token-store", filepath.Join(junk, "sub"))...)
				add(base("--token-store", filepath.Join(dir, "missing-"+secret))...)
				add(base("--device-store", filepath.Join(junk, "sub"))...)
			}
		}
		// A password in the endpoint's user info, to a closed port.
		t.Setenv("AWS_MAX_ATTEMPTS", "1")
		u := strings.Replace(closedURL(t), "http://", "http://user:"+secret+"@", 1)
		add("login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--endpoint-url", u, "--password-stdin")
		for _, args := range cases {
			// A case that would start serve is stopped by the deadline; none
			// should.
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			r := runCLIContext(t, ctx, strings.NewReader("pw"), args...)
			cancel()
			if strings.Contains(r.stdout, secret) || strings.Contains(r.stderr, secret) {
				t.Errorf("%q: the output echoes the argument:\n%v", args, r)
			}
			if r.code == 0 && !strings.Contains(strings.Join(args, " "), "help") {
				t.Errorf("%q: exit 0", args)
			}
		}
	}
}
