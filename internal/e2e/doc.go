// Package e2e holds end-to-end tests, and no code, that check cognitosrp as a
// whole from the outside: package flows with the real AWS SDK client against
// the local server of package cognitotest, over 127.0.0.1 only. Every test
// starts its own servers and stops them, and every request loop is bounded
// in count and time.
//
// # What the tests show
//
//   - TestLoad: 64 goroutines sign in at once (USER_SRP_AUTH), half of them
//     users with a remembered device (then DEVICE_SRP_AUTH), with no error
//     (also under -race). Each sign-in holds at most one session on the
//     server at a time and uses up every session it is given, and all the
//     server's state but the devices expires with its clock
//     (cognitotest.Server.Stats counts it). It logs logins/s and a SUMMARY
//     line.
//   - TestAbandonedLogins: a flood of InitiateAuth calls that are never
//     answered (USER_SRP_AUTH, and USER_AUTH, which costs the server no
//     exponentiation) holds sessions only until their TTL, and the used
//     tokens they leave only 10 minutes more; a user signs in meanwhile.
//   - TestFaults: a proxy between the SDK client and the server drops
//     connections in the middle of the headers or of the body, answers 500
//     InternalErrorException or 400 TooManyRequestsException, or stalls past
//     the deadline, at each step of a sign-in (InitiateAuth,
//     PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER,
//     ConfirmDevice, UpdateDeviceStatus). Each sign-in ends in bounded time
//     with an error that errors.As finds as *smithy.OperationError (and
//     *types.InternalErrorException, *types.TooManyRequestsException, or
//     context.DeadlineExceeded with errors.Is), wrapped in a
//     *flows.ChallengeError naming the challenge, or a *flows.DeviceError
//     with valid tokens for the device steps; no goroutine is left; the
//     device store never holds a device whose confirmation failed and never
//     loses a remembered device; and, by the proxy's log, no Session, secret
//     block or claim signature is ever sent twice.
//   - TestFaultsRetried: the same faults, once each, with the SDK's standard
//     retryer (as cognitoidentityprovider.NewFromConfig sets it up). The SDK
//     retries 500s, throttling and a connection dropped before the response
//     headers, not one dropped in the body. Retrying is safe for
//     InitiateAuth, ConfirmDevice and UpdateDeviceStatus, and they are
//     retried (the sign-in then succeeds and the device is stored);
//     RespondToAuthChallenge is never retried, since the server may have
//     used up its Session: package flows turns the SDK's retries off for it
//     (before, the SDK sent the used Session and claim again and the sign-in
//     failed with a misleading NotAuthorizedException "session can only be
//     used once").
//   - TestHostileRequests: requests no SDK would send, straight over HTTP:
//     malformed JSON, wrong JSON types, a 10 MB body, SRP_A of 0, N, 2N, -N,
//     non-hex or 10,000 digits, replayed claims, stale, future and malformed
//     timestamps, wrong or missing SECRET_HASH, another user's device key,
//     unknown or missing X-Amz-Target; one case per class of issue 10: bodies
//     at every limit (strings, escaped strings and keys over 16 KiB, 101
//     entries or items, 17 levels), repeated and case-variant members and
//     map keys (three ChallengeResponses), malformed escapes and control
//     characters; attribute writes the app client may not make (verified
//     flags, cognito:*, JWT claims, sub) and another user's email alias;
//     a passwordless first factor the pool does not allow; TOTP codes and
//     passwords guessed across fresh sessions (locked out); a session flood
//     by one user (only that user's oldest sign-in ends). Each is answered with Cognito's error
//     type in __type and x-amzn-ErrorType, with status 400 (413 for the
//     oversized body), never a 5xx; the server logs no internal error and
//     signs users in afterwards.
//   - TestNoSecretLeaks: every flow (USER_SRP_AUTH with and without a client
//     secret, by alias, devices in a FileStore, DEVICE_SRP_AUTH, refresh,
//     NEW_PASSWORD_REQUIRED, TOTP, a wrong password, wrong TOTP codes, a
//     device the server forgot, ForgetDevice) with distinctive secrets. No
//     password, new password, wrong password or client secret appears, raw,
//     in base64 or in hex, in the server's log, the default slog and log
//     output, any error printed with %v, %+v or %#v, any printed result,
//     device or challenge, or the device store; device passwords appear only
//     in the store. On the wire (the SDK's log of every request and response
//     with its body) only the new password appears, in the NEW_PASSWORD
//     answer that Cognito's API requires.
//   - TestCLINoSecretLeaks (unix): the cognitosrp command, built by the
//     test, signs in with --password-stdin, a wrong password then the right
//     one twice (remembering a device, then using it); neither its standard
//     error nor its standard output (which holds the tokens) shows a
//     password, the client secret or the device password.
//
// # Running
//
// The default run waits about 6 s on purpose on stalled requests; the
// rest is CPU bound.
//
//	go test -race ./internal/e2e/
//
// Heavier runs, with -v for the figures:
//
//	COGNITOSRP_LOAD=2000 go test -race -run 'TestLoad$' -v -timeout 60m ./internal/e2e/
//	COGNITOSRP_FLOOD=10000 go test -run TestAbandonedLogins -v ./internal/e2e/
//
// COGNITOSRP_LOAD is the number of sign-ins of TestLoad (default 128) and
// COGNITOSRP_FLOOD the number of abandoned sign-ins of each kind of
// TestAbandonedLogins (default 128). Measured durations, rates and memory
// of these runs, with the machine they were taken on, are in
// bench/README.md; BenchmarkLoginLoopback in package bench times one
// sign-in at a time over the same path.
package e2e
