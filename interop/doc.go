// Package interop checks the local Cognito-compatible server against AWS's
// reference client, amazon-cognito-identity-js, and AWS Amplify JS v6.
//
// It has no code of its own: its test builds cmd/cognitosrp, starts
// "cognitosrp serve" on 127.0.0.1, and runs the Node.js script _js/interop.js
// against it. The script drives the reference client (pinned in
// _js/package.json) through USER_SRP_AUTH, a wrong password, ConfirmDevice
// and UpdateDeviceStatus, DEVICE_SRP_AUTH, REFRESH_TOKEN_AUTH, GetUser,
// ListDevices, a forgotten device, GlobalSignOut, sign-in by email alias,
// CUSTOM_AUTH with SRP, NEW_PASSWORD_REQUIRED and SOFTWARE_TOKEN_MFA, and
// checks what it sent and what the server answered. The server runs with
// --outbox and --cognito-issuer: the script signs a new user up, reads the
// confirmation code from the outbox over HTTP, has a wrong code refused
// (CodeMismatchException), confirms the user and signs in with SRP; and AWS's
// own verifier, aws-jwt-verify's CognitoJwtVerifier (pinned in
// _js/package.json too), given the key set the server serves, accepts the
// tokens and refuses a changed signature, the wrong token use and another
// app client. A second server, started with neither flag, has no outbox,
// and aws-jwt-verify refuses its tokens for their local issuer.
//
// A second test, TestAmplify, runs AWS Amplify JS v6 (aws-amplify, pinned
// with all its dependencies in _amplify/package.json) the same way, through
// a recording proxy: USER_SRP_AUTH, ConfirmDevice, rememberDevice,
// DEVICE_SRP_AUTH on an opt-in and an always-remembering pool,
// fetchAuthSession({forceRefresh: true}) (GetTokensFromRefreshToken) with
// refresh-token rotation on and off, and signOut (RevokeToken).
//
// The tests need npm and Node.js 18 or later (TestAmplify 20 or later, as
// some of aws-amplify's dependencies say), and run only when asked:
//
//	COGNITOSRP_INTEROP=1 go test ./interop/
//
// They run "npm install" in _js and _amplify the first time (node_modules
// is not committed).
package interop
