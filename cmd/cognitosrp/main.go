// Command cognitosrp signs in to Amazon Cognito user pools with SRP, and runs
// a local Cognito-compatible server for offline testing.
//
// Usage:
//
//	cognitosrp login --user-pool-id ID --client-id ID --username NAME [options]
//	cognitosrp token --user-pool-id ID --client-id ID --username NAME --token-store FILE [options]
//	cognitosrp serve --config FILE [--addr 127.0.0.1:0] [test-only options]
//	cognitosrp demo
//
// Run "cognitosrp help" or "cognitosrp COMMAND --help" for the details.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

const usage = `cognitosrp signs in to Amazon Cognito user pools with SRP (USER_SRP_AUTH and
remembered devices), exactly as AWS's own clients do, and runs a local
Cognito-compatible server for offline testing.

Usage:
    cognitosrp login --user-pool-id ID --client-id ID --username NAME [options]
    cognitosrp token --user-pool-id ID --client-id ID --username NAME --token-store FILE [options]
    cognitosrp serve --config FILE [--addr 127.0.0.1:0] [test-only options]
    cognitosrp demo
    cognitosrp help [COMMAND]

Commands:
    login   Sign in and print the tokens as the AWS CLI does.
    token   Print a valid access (or ID) token from login's token store,
            refreshing it only when needed: for scripts, as in
            curl -H "Authorization: Bearer $(cognitosrp token ...)" URL.
    serve   Run the local Cognito-compatible server from a JSON config.
    demo    Walk through an SRP sign-in, a remembered device and a refresh
            against an in-process local server. Needs no AWS account.

Run "cognitosrp COMMAND --help" for a command's options.

Exit status:
    0    success
    1    Cognito refused the sign-in (wrong password or code, unknown user,
         flow not enabled for the app client, ...)
    2    usage error (bad flags or config, no password, no terminal for a
         prompt)
    3    network or service error (endpoint unreachable, port in use,
         unknown user pool or app client, throttling, ...)
    130  interrupted

Example:
    $ cognitosrp serve --config examples/serve.json &
    http://127.0.0.1:41123
    $ echo 'Correct-Horse-1' | cognitosrp login --endpoint-url http://127.0.0.1:41123 \
        --user-pool-id us-east-1_Example --client-id exampleclient \
        --username alice --password-stdin --output text
    eyJhbGciOi... (access token)
    eyJhbGciOi... (ID token)
    b-3H0oJbzn... (refresh token: the local server's are opaque)
`

// Exit codes, documented in usage.
const (
	exitOK      = 0
	exitRefused = 1
	exitUsage   = 2
	exitService = 3
)

// cliError is an error that run prints as "cognitosrp: error: ..." with
// hints, and turns into an exit code.
type cliError struct {
	code  int
	err   error
	hints []string
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

// usageError reports a usage error (exit status 2) for the command cmd,
// with a hint to read its --help.
func usageError(cmd string, format string, args ...any) error {
	help := "cognitosrp --help"
	if cmd != "" {
		help = "cognitosrp " + cmd + " --help"
	}
	return &cliError{code: exitUsage, err: fmt.Errorf(format, args...),
		hints: []string{"run '" + help + "' for the usage"}}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole command: it runs the sub-command named by args[0] and
// returns the exit status. Cancelling ctx (SIGINT, SIGTERM) stops serve
// cleanly and interrupts any other command.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "-h", "-help", "--help", "help":
		if len(rest) > 0 && cmd == "help" {
			return run(ctx, []string{rest[0], "--help"}, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	case "login":
		err = runLogin(ctx, rest, stdin, stdout, stderr)
	case "token":
		err = runToken(ctx, rest, stdout, stderr)
	case "serve":
		err = runServe(ctx, rest, stdout, stderr)
	case "demo":
		err = runDemo(ctx, rest, stdout, stderr)
	default:
		// Not quoted: it might be a password typed at the wrong prompt.
		err = usageError("", "unknown command (not shown, in case it is a secret): want login, token, serve or demo")
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return printError(stderr, err)
	}
	return exitOK
}

// printError prints err, and the hints of a *cliError, and returns the exit
// code it calls for.
func printError(stderr io.Writer, err error) int {
	code, hints := exitService, []string(nil)
	var ce *cliError
	if errors.As(err, &ce) {
		code, hints = ce.code, ce.hints
	}
	// errors.Join and friends put one problem on each line. Each line is
	// sanitized: an error can quote a server.
	first, more, _ := strings.Cut(strings.TrimSpace(err.Error()), "\n")
	printLines(stderr, "cognitosrp: error: ", first)
	for _, l := range strings.Split(more, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			printLines(stderr, "cognitosrp: error:   ", l)
		}
	}
	for _, h := range hints {
		printLines(stderr, "cognitosrp: hint: ", h)
	}
	return code
}

// newFlagSet returns a FlagSet for the command cmd that prints nothing by
// itself: run prints usage errors, and --help prints help to stdout.
func newFlagSet(cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet("cognitosrp "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into fs. --help prints help to stdout and returns
// flag.ErrHelp; a bad flag or a stray argument is a usage error.
//
// Its errors never quote an argument, nor a flag's value: a password typed
// in the wrong place would otherwise be echoed to the terminal and into any
// log of standard error. They name the flag, or the argument's position.
// The flag package's own messages quote values, so args are checked first,
// with the flag package's rules, and its errors are never shown.
func parseFlags(fs *flag.FlagSet, cmd, help string, args []string, stdout io.Writer) error {
	if err := checkFlags(fs, cmd, args); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, help)
			return flag.ErrHelp
		}
		// checkFlags accepts only what fs.Parse accepts; this is a bug.
		return usageError(cmd, "the options cannot be parsed")
	}
	if fs.NArg() > 0 {
		return usageError(cmd, "argument %d is not an option: cognitosrp %s takes no other arguments (the argument is not shown, in case it is a secret)",
			len(args)-fs.NArg()+1, cmd)
	}
	return nil
}

// checkFlags checks args as fs.Parse parses them, returning the errors
// that fs.Parse would return, in words that quote no argument. It stops at
// the first argument that is not a flag, and at "--", as fs.Parse does.
func checkFlags(fs *flag.FlagSet, cmd string, args []string) error {
	for i := 0; i < len(args); i++ {
		s := args[i]
		if len(s) < 2 || s[0] != '-' {
			return nil
		}
		name := s[1:]
		if name[0] == '-' {
			if len(name) == 1 {
				return nil // "--" ends the flags
			}
			name = name[1:]
		}
		if name == "" || name[0] == '-' || name[0] == '=' {
			return usageError(cmd, "argument %d is not an option: bad syntax (the argument is not shown, in case it is a secret)", i+1)
		}
		name, value, hasValue := strings.Cut(name, "=")
		fl := fs.Lookup(name)
		if fl == nil {
			if name == "h" || name == "help" {
				return nil // fs.Parse returns flag.ErrHelp
			}
			return unknownFlag(fs, cmd, name, i+1)
		}
		if bf, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			if _, err := strconv.ParseBool(value); hasValue && err != nil {
				return usageError(cmd, "--%s takes true or false, as --%s=false (the value given is not shown, in case it is a secret)", name, name)
			}
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return usageError(cmd, "--%s needs a value", name)
			}
			i++
		}
	}
	return nil
}

// unknownFlag is the usage error for the flag name, the argument at
// position pos, that fs does not define. It does not quote the name, which
// might be a secret ("-hunter2"), but suggests the flag of fs closest to
// it, if one is close.
func unknownFlag(fs *flag.FlagSet, cmd, name string, pos int) error {
	best, bestDist := "", 3 // suggest only flags within two edits
	fs.VisitAll(func(f *flag.Flag) {
		if d := editDistance(strings.ToLower(name), f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	err := usageError(cmd, "argument %d is not an option of cognitosrp %s (the argument is not shown, in case it is a secret)", pos, cmd)
	if best != "" {
		ce := err.(*cliError)
		ce.hints = append([]string{"did you mean --" + best + "?"}, ce.hints...)
	}
	return err
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// hideArg returns msg with every occurrence of v, the value of the flag
// --name given on the command line (a file name, an address), replaced by
// "(--name)". Errors of the os and net packages quote file names and
// addresses, and a secret typed in the wrong place must not be echoed. The
// file name alone (its last element, as in a temporary file's name) is
// replaced too.
// Values shorter than minHidden are not secrets, and hiding them would
// garble the message.
func hideArg(msg, v, name string) string {
	const minHidden = 4
	if len(v) < minHidden {
		return msg
	}
	label := "(--" + name + ")"
	msg = strings.ReplaceAll(msg, v, label)
	if base := filepath.Base(v); base != v && len(base) >= minHidden {
		msg = strings.ReplaceAll(msg, base, label)
	}
	return msg
}
