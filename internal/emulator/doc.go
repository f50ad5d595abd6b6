// Package emulator is a local, in-memory stand-in for the Amazon Cognito user
// pools API, good enough for the AWS SDK for Go v2's
// cognitoidentityprovider client and AWS's JavaScript client
// (amazon-cognito-identity-js) to sign in against it unmodified.
//
// For most uses, load a configuration with [LoadConfig], create the emulator
// with [New] and serve it with net/http; tests use package cognitotest, which
// does this on 127.0.0.1.
//
// # Protocol
//
// The emulator speaks AWS JSON 1.1: POST / with the header
// X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>. Answers have
// Content-Type application/x-amz-json-1.1; errors are HTTP 400 with the body
// {"__type": "<Type>", "message": "..."} and the x-amzn-ErrorType header,
// using Cognito's error types and, where known, its wording. Requests need
// no AWS credentials and signatures are not checked. CORS headers are sent,
// so that browsers can call it.
//
// It also serves each pool's JSON Web Key Set at
// GET /<poolId>/.well-known/jwks.json and an OpenID configuration at
// GET /<poolId>/.well-known/openid-configuration.
//
// # What is modeled
//
// Operations: InitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken,
// ConfirmDevice, UpdateDeviceStatus, ForgetDevice, ListDevices, GetDevice,
// GetUser, GlobalSignOut, RevokeToken, AssociateSoftwareToken,
// VerifySoftwareToken and SetUserMFAPreference. Any other operation is an UnknownOperationException.
//
// Auth flows: USER_SRP_AUTH; CUSTOM_AUTH, with or without CHALLENGE_NAME=SRP_A,
// where a pool's CustomChallengeAnswer stands in for the Lambda triggers;
// USER_AUTH (PREFERRED_CHALLENGE PASSWORD_SRP, PASSWORD, EMAIL_OTP or SMS_OTP,
// or SELECT_CHALLENGE); USER_PASSWORD_AUTH; REFRESH_TOKEN_AUTH and
// REFRESH_TOKEN. Each must be allowed by the app client's explicit auth flows.
//
// Challenges: PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER,
// NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA (RFC 6238: SHA-1, 30 s, 6 digits,
// ±1 step), SMS_MFA, EMAIL_OTP, SMS_OTP, SELECT_MFA_TYPE, MFA_SETUP (with
// AssociateSoftwareToken and VerifySoftwareToken), SELECT_CHALLENGE and
// CUSTOM_CHALLENGE. SMS and email codes are random and "delivered" to an
// outbox that [Emulator.Messages] and [Emulator.LastCode] read.
//
// After the password comes, in order: NEW_PASSWORD_REQUIRED for users in
// FORCE_CHANGE_PASSWORD; DEVICE_SRP_AUTH when the client sent the DEVICE_KEY
// of a confirmed device (and, with opt-in tracking, a remembered one); then,
// unless the device sign-in succeeded (remembered devices suppress MFA), the
// custom challenge for CUSTOM_AUTH or MFA (one factor: its challenge; more:
// SELECT_MFA_TYPE; none and MFA "ON": MFA_SETUP). A first factor of EMAIL_OTP
// or SMS_OTP is not followed by MFA.
//
// Everything is verified: SRP password and device claims (in constant time,
// with package srp), SECRET_HASH with hmac.Equal (the typed user name in
// InitiateAuth, the internal one afterwards and in REFRESH_TOKEN_AUTH, where
// the sub is also accepted), the TIMESTAMP's exact format and a ±5-minute
// window, PASSWORD_CLAIM_SECRET_BLOCK against what was issued, A mod N ≠ 0,
// TOTP and delivered codes. A challenge's Session is single-use and expires
// after 3 minutes ([WithSessionTTL]); an SRP claim is used up by any attempt,
// a code challenge after 3 wrong codes. PASSWORD_VERIFIER and DEVICE_SRP_AUTH
// may be answered without their Session, as some clients do: the secret
// block, or the user and device key, find the sign-in.
//
// Tokens are RS256 JWTs with Cognito's claims. As in Cognito, ID tokens and
// access tokens are signed with two different RSA keys, both in the pool's
// key set ([WithSigningKeys] to fix them). Their iss is the server's own URL
// + "/" + the pool id: [WithIssuerBase], or else "http://" + the local
// address of the connection, never the Host header, so that "localhost" and
// "127.0.0.1" see one issuer; [WithCognitoIssuer] makes it Cognito's,
// "https://cognito-idp.<region>.amazonaws.com/<poolId>", while the key set
// stays local. Access and ID tokens last the app client's accessTokenValidity
// and idTokenValidity (an hour by default; ExpiresIn is the access token's),
// refresh tokens its refreshTokenValidity (30 days by default). Refresh
// tokens are opaque random strings (Cognito's are encrypted JWTs) and are
// revoked by GlobalSignOut and RevokeToken, which also revoke the access
// tokens issued from them. Calls that take an access token check its
// signature, expiry and revocation.
//
// Refresh: REFRESH_TOKEN_AUTH (which needs ALLOW_REFRESH_TOKEN_AUTH) and
// GetTokensFromRefreshToken, whose ClientSecret is the client secret itself.
// An app client with refreshTokenRotation ENABLED returns a new refresh token
// from every GetTokensFromRefreshToken; the presented one stays usable for
// retryGracePeriodSeconds and is then answered with
// RefreshTokenReuseException; rotated tokens expire with the sign-in's first
// one. Such a client cannot have ALLOW_REFRESH_TOKEN_AUTH, so
// REFRESH_TOKEN_AUTH is refused on it. Without rotation both ways work and no
// refresh token comes back. A refresh token works only with the app client
// that issued it; in a pool that tracks devices, only with the key of the
// sign-in's device, which must have been confirmed and not forgotten, and
// not for a USER_PASSWORD_AUTH sign-in ("Invalid Refresh Token", as AWS's
// troubleshooting article lists). An expired refresh token is answered as
// expired for 10 minutes, then as invalid.
//
// # What is not modeled
//
// User management and sign-up (AdminCreateUser, SignUp, ForgotPassword,
// ChangePassword, UpdateUserAttributes and the rest), Admin* operations,
// hosted UI and OAuth endpoints (the OpenID configuration lists them at the
// server's URL, but they are not served), Lambda triggers (ClientMetadata is
// accepted and ignored), WEB_AUTHN, identity pools, pool password
// policies beyond a minimum length of 8, unconfirmed and disabled users,
// PreventUserExistenceErrors (unknown users get UserNotFoundException), case
// insensitive user names (email aliases are matched without regard to case),
// advanced security and rate limiting (only the number of sign-ins in progress
// is capped, with TooManyRequestsException), and reuse protection for TOTP
// codes. SECRET_BLOCK is random, not Cognito's encrypted state. Not
// documented by AWS and so guessed: the message of RefreshTokenReuseException,
// whether reuse revokes the rest of the sign-in's tokens (it does not here),
// and the messages for a missing or wrong ClientSecret.
//
// # Limits
//
// Request bodies over 1 MiB are answered with HTTP 413 and a
// SerializationException. Strings over 16 KiB, maps with more than 100
// entries, arrays with more than 100 items and JSON nested more than 16 deep
// are an InvalidParameterException; malformed JSON and values of the wrong
// JSON type are a SerializationException. No input makes the emulator panic
// or answer 5xx; a recover() answering InternalErrorException is only a last
// resort against bugs.
//
// # State and logging
//
// All state (sessions, tokens, devices, new passwords, MFA settings,
// delivered codes) lives in memory and is lost with the Emulator. Expired
// sessions and refresh tokens are purged; at most 100,000 sign-ins are in
// progress and 100,000 used Session tokens remembered, the outbox keeps the
// last 1000 codes and each user at most 200 devices. Only refresh tokens
// grow with the number of sign-ins, until they expire; rotation keeps at
// most 16 refresh tokens per sign-in (an older one is then answered as
// invalid rather than reused).
// [Emulator.Stats] counts all of these. The
// emulator keeps SRP verifiers, never plaintext passwords. [WithLogger] logs
// one line per request (operation, status, error type, duration) and never a
// password, code, token, signature, secret hash, session or SRP value.
//
// An Emulator is safe for concurrent use.
package emulator
