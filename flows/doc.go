// Package flows signs users in to Amazon Cognito user pools over the AWS SDK
// for Go v2, with SRP-6a as AWS's own clients do: whole round trips of
// InitiateAuth and RespondToAuthChallenge, remembered devices, MFA and the
// other challenges.
//
// For most uses, create a [Client] with [New] from a
// *cognitoidentityprovider.Client, and call [Client.Login] with the user
// name and password:
//
//	api := cognitoidentityprovider.NewFromConfig(cfg)
//	c, err := flows.New(api, "us-east-1_AbC123", "3n4c3ohh8mn7ad0fo3pqbk9mdu")
//	...
//	res, err := c.Login(ctx, "alice@example.com", password)
//	...
//	idToken := *res.AuthenticationResult.IdToken
//
// No AWS credentials are needed: the sign-in operations are unauthenticated.
// Server-side apps that hold credentials can use the admin operations
// instead ([NewAdmin]).
//
// # Sign-ins that stop at a challenge
//
// A web back-end takes the password in one request and the MFA code in the
// next, maybe in another process. [Client.Start] runs a sign-in as far as
// it goes without the user and returns a [Step]: the tokens, or a
// [Pending] challenge that says what the user must answer (a code and
// where it was sent, a choice of MFA types or first factors, a new password
// and the attributes it needs, a TOTP secret to set up). Keep the Pending
// ([Pending.MarshalBinary]), and answer it later with [Client.Resume],
// from any Client of the same user pool and app client:
//
//	step, err := c.Start(ctx, flows.UserSRP{Username: username, Password: password})
//	...
//	if !step.Done() {
//		state, err := step.Pending.MarshalBinary() // keep it on the server, briefly
//		...
//	}
//
//	// The next request, maybe in another process:
//	var p flows.Pending
//	if err := p.UnmarshalBinary(state); err != nil { ... }
//	step, err = c.Resume(ctx, &p, flows.Answer{Value: code})
//
// A Pending is a short-lived bearer credential: see [Pending] for what it
// holds and how to keep it. [Client.Login] and its kin are a loop over
// Start and Resume that asks a [ChallengeHandler].
//
// # Options
//
// [New] takes functional options that set the Client's [Options]; every
// sign-in method also takes per-call options, applied to a copy of them for
// that call only, as in the AWS SDK:
//
//	res, err := c.Login(ctx, username, password, func(o *flows.Options) {
//		o.Handler = handlerForThisRequest
//	})
//
// # Flows
//
// [Client.Login] ([UserSRP] for [Client.Start]) runs USER_SRP_AUTH.
// [Client.LoginCustom] ([CustomAuth]) runs CUSTOM_AUTH, starting with SRP
// when given a password, and [Client.LoginUserAuth] ([UserAuth]) runs
// USER_AUTH (choice-based sign-in) with PASSWORD_SRP, or passwordless with a
// factor the user chooses. [Client.Refresh] gets new tokens with
// GetTokensFromRefreshToken (or REFRESH_TOKEN_AUTH, [Options.RefreshWith]),
// and a [TokenSource] keeps a sign-in's tokens valid, refreshing them once
// for all goroutines a little before they expire and keeping a rotated
// refresh token in a [TokenStore]; it is an oauth2.TokenSource too.
//
// The password never leaves the process: Cognito receives an SRP-6a proof,
// computed by package [github.com/cognitosrp/cognitosrp/srp] in constant
// time. When the app client has a secret ([Options.ClientSecret]), every
// request carries SECRET_HASH of the right user name: InitiateAuth the name
// the user typed, every challenge response the internal user name
// (Cognito's USERNAME).
//
// # Server-side apps with AWS credentials
//
// [NewAdmin] returns a Client, over an [AdminAPI] (a
// *cognitoidentityprovider.Client with credentials), whose sign-ins call
// AdminInitiateAuth and AdminRespondToAuthChallenge, with the UserPoolId
// and signed with SigV4, instead of InitiateAuth and RespondToAuthChallenge:
// every flow, challenge and device step, [Client.Start] and [Client.Resume]
// (a [Pending] records that it is an admin sign-in, and is answered with
// the admin operation), and [Client.Refresh] with [RefreshTokenAuth]
// (AdminInitiateAuth with REFRESH_TOKEN_AUTH). GetTokensFromRefreshToken,
// ConfirmDevice, UpdateDeviceStatus, ForgetDevice, AssociateSoftwareToken
// and VerifySoftwareToken have no admin form and are called as with [New]. Only such a Client runs [AdminUserPassword]
// (ADMIN_USER_PASSWORD_AUTH, [Client.LoginAdminPassword]), the one flow of
// this package that sends the password itself to Cognito.
//
// # Challenges
//
// The Client answers PASSWORD_VERIFIER, DEVICE_SRP_AUTH and
// DEVICE_PASSWORD_VERIFIER itself. The challenges that need the user —
// NEW_PASSWORD_REQUIRED, SMS_MFA, SMS_OTP, EMAIL_OTP, SOFTWARE_TOKEN_MFA,
// SELECT_MFA_TYPE, MFA_SETUP (TOTP), CUSTOM_CHALLENGE and SELECT_CHALLENGE —
// stop [Client.Start] and [Client.Resume] with a [Pending] step, and go to
// the [ChallengeHandler] of [Client.Login] and its kin, such as the terminal
// handler of package [github.com/cognitosrp/cognitosrp/flows/terminal]. Any
// other challenge ends the sign-in with an [*UnsupportedChallengeError]
// naming it, and a sign-in that keeps being challenged ends with
// [ErrChallengeLoop].
//
// # Remembered devices
//
// With a [DeviceStore] ([NewFileStore] for command-line programs,
// [NewMemoryStore], or your own), the Client confirms the new device that
// Cognito announces after a sign-in in pools with device tracking, marks it
// remembered, and stores its key and secret password for the pool and the
// user, under the internal user name and the name the user typed. Later
// sign-ins of the user offer the device (DEVICE_KEY) and prove it with
// DEVICE_SRP_AUTH, which lets Cognito skip MFA. [Options.RememberDevices],
// for the Client or for one sign-in, decides which devices are remembered.
// When Cognito
// no longer knows a stored device, the sign-in is retried once without it,
// and the device removed from the store. [Result.DeviceEvent] and
// [Result.DeviceForgotten] say which of these happened. Device
// authentication after a pending step happens inside [Client.Resume], with
// the device password from the Client's store: a Pending holds only the
// device's key.
//
// # Errors
//
// Errors from Cognito are wrapped, so that [errors.As] finds the SDK's
// *smithy.OperationError and typed exceptions such as
// *types.NotAuthorizedException (wrong password) or
// *types.CodeMismatchException (wrong code). Failures while answering a
// challenge are wrapped in a [*ChallengeError] naming it. Context
// cancellation and deadlines end a sign-in at its next call. No error
// message contains a password, code, token, device password or secret.
// The few requests whose body must hold a secret itself (the client secret
// of GetTokensFromRefreshToken, a NEW_PASSWORD or PASSWORD answer, the
// password of ADMIN_USER_PASSWORD_AUTH) are logged by the SDK without their
// body, even with aws.LogRequestWithBody on.
//
// The SDK's retryer (if the API has one) may retry InitiateAuth and the
// device calls after a 5xx answer, throttling or a dropped connection, but
// the calls that answer a challenge are made once: Cognito may already
// have used up their Session, and a retry would only fail with a
// NotAuthorizedException ("session can only be used once") that hides the
// real error, which is returned instead.
//
// # Concurrency
//
// A [Client] is safe for concurrent use, and so are the stores of this
// package; sign-ins share nothing but the Client's [Options]. A [Pending]
// must not be answered twice: Cognito's Session can be used once.
//
// See the Amazon Cognito API Reference for [InitiateAuth] and
// [RespondToAuthChallenge] (and [NewAdmin] for their admin forms), and the
// developer guide on [remembered devices].
//
// [InitiateAuth]: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
// [RespondToAuthChallenge]: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
// [remembered devices]: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-device-tracking.html
package flows
