package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cognitosrp/cognitosrp/internal/emulator"
)

const serveUsage = `Usage:
    cognitosrp serve --config FILE [--addr 127.0.0.1:0]

Runs the local Cognito-compatible server: the user pools, app clients and
users of FILE, served over the AWS JSON 1.1 protocol that the AWS SDKs and
amazon-cognito-identity-js speak, with real SRP and device SRP verification.
Point a client at it with its endpoint option (AWS_ENDPOINT_URL, the SDK's
BaseEndpoint, --endpoint-url). No AWS credentials are needed or checked.

The first line of standard output is the URL the server listens on; each
request is logged on standard error, without secrets. SIGINT or SIGTERM
stops the server cleanly (exit status 0).

Options:
    --config FILE   The JSON config, such as examples/serve.json:
                    {"region": "us-east-1", "userPools": [{
                      "id": "us-east-1_Example",
                      "deviceTracking": "always" | "opt-in" | "off",
                      "mfa": "OFF" | "OPTIONAL" | "ON",
                      "customChallengeAnswer": "...",
                      "clients": [{"id", "secret"?, "explicitAuthFlows"?}],
                      "users": [{"username", "password", "attributes"?,
                        "status": "CONFIRMED" | "FORCE_CHANGE_PASSWORD",
                        "totpSecret"?, "mfa"?, "requiredAttributes"?}]}]}
                    The attributes email, phone_number and
                    preferred_username are aliases to sign in with; a
                    totpSecret (base32) enables SOFTWARE_TOKEN_MFA.
    --addr ADDR     The address to listen on (default 127.0.0.1:0, a free
                    port on the loopback interface).

Example:
    $ cognitosrp serve --config examples/serve.json --addr 127.0.0.1:9229
    http://127.0.0.1:9229
    $ AWS_ENDPOINT_URL=http://127.0.0.1:9229 cognitosrp login \
        --user-pool-id us-east-1_Example --client-id exampleclient --username alice
`

// shutdownTimeout bounds how long serve waits for requests in flight when
// it is stopped.
const shutdownTimeout = 10 * time.Second

// serveFlagSet declares serve's flags.
func serveFlagSet(configFile, addr *string) *flag.FlagSet {
	fs := newFlagSet("serve")
	fs.StringVar(configFile, "config", "", "")
	fs.StringVar(addr, "addr", "127.0.0.1:0", "")
	return fs
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var configFile, addr string
	fs := serveFlagSet(&configFile, &addr)
	if err := parseFlags(fs, "serve", serveUsage, args, stdout); err != nil {
		return err
	}
	if configFile == "" {
		return usageError("serve", "--config FILE is required")
	}

	cfg, err := loadConfig(configFile)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	em, err := emulator.New(cfg, emulator.WithLogger(logger))
	if err != nil {
		return &cliError{code: exitUsage, err: fmt.Errorf("--config FILE: %s", strings.TrimPrefix(err.Error(), "emulator: ")),
			hints: []string{"see 'cognitosrp serve --help' for the format"}}
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &cliError{code: exitService, err: errors.New(hideArg("--addr ADDR: "+err.Error(), addr, "addr")),
			hints: []string{"use --addr 127.0.0.1:0 for any free port"}}
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		fmt.Fprintf(stderr, "cognitosrp: warning: listening on %s, not on a loopback address: anyone who can reach it can sign in as the configured users\n", ln.Addr())
	}
	return serve(ctx, ln, em, logger, stdout)
}

// loadConfig reads the emulator config in file, the value of --config. Its
// errors say "--config FILE" rather than quote the file's name.
func loadConfig(file string) (emulator.Config, error) {
	f, err := os.Open(file)
	if err != nil {
		return emulator.Config{}, &cliError{code: exitUsage, err: errors.New(hideArg("--config FILE: "+err.Error(), file, "config"))}
	}
	defer f.Close()
	cfg, err := emulator.LoadConfig(f)
	if err != nil {
		return emulator.Config{}, &cliError{code: exitUsage, err: fmt.Errorf("--config FILE: %s", strings.TrimPrefix(err.Error(), "emulator: ")),
			hints: []string{"see 'cognitosrp serve --help' for the format"}}
	}
	return cfg, nil
}

// serve serves h on ln until ctx is done, then shuts the server down. It
// prints the server's URL as the first line of stdout.
func serve(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, stdout io.Writer) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	if _, err := fmt.Fprintln(stdout, url); err != nil {
		srv.Close()
		<-done
		return fmt.Errorf("printing the URL: %w", err)
	}
	logger.Info("listening", "url", url)

	select {
	case err := <-done:
		return &cliError{code: exitService, err: err}
	case <-ctx.Done():
	}
	logger.Info("stopping", "reason", context.Cause(ctx))
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) {
		return &cliError{code: exitService, err: serveErr}
	}
	if err != nil {
		return &cliError{code: exitService, err: fmt.Errorf("stopping the server: %w", err)}
	}
	logger.Info("stopped")
	return nil
}
