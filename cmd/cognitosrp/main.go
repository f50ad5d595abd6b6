// Command cognitosrp signs in to Amazon Cognito user pools with SRP, and runs
// a local Cognito-compatible server for offline testing.
//
// Usage:
//
//	cognitosrp login --user-pool-id ID --client-id ID --username NAME [options]
//	cognitosrp serve --config FILE [--addr 127.0.0.1:0]
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
	"strings"
	"syscall"
)

const usage = `cognitosrp signs in to Amazon Cognito user pools with SRP (USER_SRP_AUTH and
remembered devices), exactly as AWS's own clients do, and runs a local
Cognito-compatible server for offline testing.

Usage:
    cognitosrp login --user-pool-id ID --client-id ID --username NAME [options]
    cognitosrp serve --config FILE [--addr 127.0.0.1:0]
    cognitosrp demo
    cognitosrp help [COMMAND]

Commands:
    login   Sign in and print the tokens as the AWS CLI does.
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
    eyJraWQiOi... (access token)
    eyJraWQiOi... (ID token)
    eyJjdHkiOi... (refresh token)
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
	case "serve":
		err = runServe(ctx, rest, stdout, stderr)
	case "demo":
		err = runDemo(ctx, rest, stdout, stderr)
	default:
		err = usageError("", "unknown command %q: want login, serve or demo", cmd)
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
	// errors.Join and friends put one problem on each line.
	first, more, _ := strings.Cut(strings.TrimSpace(err.Error()), "\n")
	fmt.Fprintf(stderr, "cognitosrp: error: %s\n", first)
	for _, l := range strings.Split(more, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			fmt.Fprintf(stderr, "cognitosrp: error:   %s\n", l)
		}
	}
	for _, h := range hints {
		fmt.Fprintf(stderr, "cognitosrp: hint: %s\n", h)
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
func parseFlags(fs *flag.FlagSet, cmd, help string, args []string, stdout io.Writer) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, help)
			return flag.ErrHelp
		}
		return usageError(cmd, "%v", err)
	}
	if fs.NArg() > 0 {
		return usageError(cmd, "unexpected argument %q", fs.Arg(0))
	}
	return nil
}
