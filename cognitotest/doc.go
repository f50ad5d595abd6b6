// Package cognitotest runs a local Amazon Cognito user pools server for tests,
// like [net/http/httptest] does for HTTP servers.
//
// For most uses, call [NewServer] with the user pools, app clients and users
// the test needs, defer [Server.Close], and talk to it with the
// [*cognitoidentityprovider.Client] that [Server.Client] returns:
//
//	srv := cognitotest.NewServer(cognitotest.Config{
//		Region: "us-east-1",
//		UserPools: []cognitotest.UserPool{{
//			ID:      "us-east-1_Example",
//			Clients: []cognitotest.AppClient{{ID: "client"}},
//			Users:   []cognitotest.User{{Username: "alice", Password: "correct horse"}},
//		}},
//	})
//	defer srv.Close()
//	client := srv.Client()
//
// The server speaks Cognito's AWS JSON 1.1 protocol on 127.0.0.1 and really
// verifies what clients send: SRP password and device claims, SECRET_HASH,
// TIMESTAMP, TOTP and delivered SMS or email codes. It signs real RS256 JWTs
// (ID and access tokens with two different keys, as Cognito does) and serves
// their keys at [Server.JWKSURL]. Its state lives in memory.
//
// Besides the sign-in flows, it has the user life cycle (SignUp,
// ConfirmSignUp, ForgotPassword, ChangePassword, UpdateUserAttributes and
// the rest), the admin API (AdminCreateUser, AdminInitiateAuth and the
// rest), groups (in the tokens' cognito:groups) and pools and clients
// (CreateUserPool, CreateUserPoolClient and the rest), so that a test can
// also start from an empty Config{Region: "us-east-1"} and seed the server
// as it would seed Cognito. The admin, group and pool operations need a
// signed request, as in Cognito; [Server.Client] signs with made-up
// credentials, and no IAM policy is evaluated.
//
// Every message the server would send — codes for sign-up, password
// reset, attribute verification, MFA and one-time passwords, and the
// invitations of AdminCreateUser with their temporary password — stays in
// an outbox that [Server.Messages] and [Server.LastCode] read.
//
// # Test-only powers
//
// A few options and methods give tests powers that Cognito does not have.
// Each is off unless a test asks for it, and none should be turned on for a
// server that others can reach:
//
//   - a controlled clock: [WithClock] sets it, [Server.SetClock] replaces it
//     and [Server.Advance] moves it, so that a test steps past the expiry of
//     a session, a temporary password or a token instead of waiting;
//     [Server.Now] tells the time a client must sign its TIMESTAMP with;
//   - the outbox in process: [Server.Messages] and [Server.LastCode] (or
//     [Handler.Messages] and [Handler.LastCode]) read every code and
//     temporary password the server "sent" (see Outbox below);
//   - the outbox over HTTP ([WithOutboxHTTP]) and codes in the log
//     ([WithCodeLog]), for tests in other languages or processes;
//   - Cognito's own issuer on locally signed tokens ([WithCognitoIssuer]),
//     so that verifiers that accept only Cognito's issuer accept them;
//   - fixed signing keys ([WithSigningKey], [WithSigningKeys]) and a
//     shorter Session lifetime ([WithSessionTTL]).
//
// # Serving
//
// `cognitosrp serve` serves the same handler outside a test: [LoadConfig]
// reads the JSON configuration, [NewHandler] returns the [Handler] for it
// (an [http.Handler]), and [NewHTTPServer] wraps it in an [http.Server]
// with read, write and idle timeouts. [NewServer] does the same on
// 127.0.0.1 with a free port, and panics where NewHandler returns an error.
// Both take the same [Option] values.
//
// # Configuration
//
// A [Config] is the region and its user pools ([UserPool]), each with app
// clients ([AppClient]), users ([User]) and groups ([Group]); the doc of
// each field gives its allowed values and default. As JSON, the file that
// `cognitosrp serve --config` reads, field names are Cognito's in
// lowerCamelCase, so that values can be copied from `aws cognito-idp
// describe-user-pool-client` and friends:
//
//	{"region": "us-east-1", "userPools": [{
//	  "id": "us-east-1_Example", "deviceTracking": "opt-in",
//	  "clients": [{"id": "exampleclient", "refreshTokenRotation": {"feature": "ENABLED"}}],
//	  "users": [{"username": "alice", "password": "...", "attributes": {"email": "alice@example.com"}}]}]}
//
// [Config.Validate] names the first bad field by its JSON path; the values
// that are words (deviceTracking, mfa, status, token validity units,
// refresh token rotation) are parsed once, when the handler is made. A
// config may have no pools, and a pool no clients or users: CreateUserPool,
// CreateUserPoolClient, SignUp and AdminCreateUser add them.
//
// # Protocol
//
// The server speaks AWS JSON 1.1: POST / with the header
// X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>. Answers have
// Content-Type application/x-amz-json-1.1; errors are HTTP 400 with the body
// {"__type": "<Type>", "message": "..."} and the x-amzn-ErrorType header,
// using Cognito's error types and, where known, its wording. The sign-in
// and user operations need no AWS credentials, as in Cognito. The Admin*,
// ListUsers, group, pool and app client operations need a SigV4
// Authorization header, as in Cognito, but any signature is accepted: IAM
// is not evaluated. Without one they are answered with
// MissingAuthenticationTokenException (AWS's answer to unsigned calls of
// its JSON services; Cognito's own is not documented). CORS headers are
// sent, so that browsers can call it.
//
// It also serves each pool's JSON Web Key Set at
// GET /<poolId>/.well-known/jwks.json and an OpenID configuration at
// GET /<poolId>/.well-known/openid-configuration.
//
// # What is modelled
//
// Operations: InitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken,
// ConfirmDevice, UpdateDeviceStatus, ForgetDevice, ListDevices, GetDevice,
// GetUser, GlobalSignOut, RevokeToken, AssociateSoftwareToken,
// VerifySoftwareToken and SetUserMFAPreference; the user life cycle: SignUp, ConfirmSignUp,
// ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword,
// ChangePassword, UpdateUserAttributes, VerifyUserAttribute,
// GetUserAttributeVerificationCode, DeleteUserAttributes and DeleteUser; the
// admin API: AdminCreateUser, AdminSetUserPassword, AdminGetUser,
// AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminDeleteUser,
// AdminConfirmSignUp, AdminDisableUser, AdminEnableUser,
// AdminResetUserPassword, ListUsers, AdminUserGlobalSignOut,
// AdminListDevices, AdminGetDevice, AdminForgetDevice,
// AdminUpdateDeviceStatus, AdminInitiateAuth and AdminRespondToAuthChallenge;
// groups: CreateGroup, GetGroup, UpdateGroup, ListGroups, DeleteGroup,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser and
// ListUsersInGroup; pools and clients: CreateUserPool, DescribeUserPool,
// ListUserPools, DeleteUserPool, CreateUserPoolClient,
// DescribeUserPoolClient, UpdateUserPoolClient, ListUserPoolClients and
// DeleteUserPoolClient. Any other operation is an UnknownOperationException.
//
// Users are in one of Cognito's states: UNCONFIRMED (after SignUp, until
// ConfirmSignUp or AdminConfirmSignUp; UserNotConfirmedException),
// CONFIRMED, FORCE_CHANGE_PASSWORD (after AdminCreateUser or a temporary
// AdminSetUserPassword: NEW_PASSWORD_REQUIRED, or NotAuthorizedException
// once the temporary password is older than the policy's
// TemporaryPasswordValidityDays) and RESET_REQUIRED (after
// AdminResetUserPassword: PasswordResetRequiredException until
// ConfirmForgotPassword); and enabled or disabled (AdminDisableUser:
// NotAuthorizedException "User is disabled." at once, also on refresh;
// tokens revoked). The state is checked in one place after every first
// factor, whichever it is: the password (SRP or plain, in every flow,
// admin ones included), a one-time password of USER_AUTH or the custom
// challenge of CUSTOM_AUTH without SRP. New passwords
// follow the pool's password policy; only SRP verifiers are kept. SignUp
// and UpdateUserAttributes write only the app client's WriteAttributes;
// preferred_username, a verified email and a verified phone_number are
// unique sign-in aliases (AliasExistsException), as in Cognito's "Overview
// of aliases"; see the paragraph on NEW_PASSWORD_REQUIRED below. In pools with UsernameAttributes, users sign up
// with an email address or phone number and get a UUID as user name.
// Sign-up codes go to the auto-verified attribute
// (phone number first), reset codes to a verified phone number or email;
// codes are 6 digits and last 24 hours (reset codes 1 hour). A code proves
// only what it was sent for: its user, its purpose and the address it went
// to; changing that email or phone number drops it, and ConfirmSignUp and
// VerifyUserAttribute verify that address, nothing else. ListUsers
// filters with `name = "value"` and `name ^= "value"` on username, email,
// phone_number, name, given_name, family_name, preferred_username,
// cognito:user_status, status and sub. The groups of a user are listed in
// the cognito:groups claim of its ID and access tokens, lowest precedence
// first (the order is not documented by Cognito), and group roles in the
// ID token's cognito:roles and cognito:preferred_role.
//
// Auth flows: USER_SRP_AUTH; CUSTOM_AUTH, with or without CHALLENGE_NAME=SRP_A,
// where a pool's CustomChallengeAnswer stands in for the Lambda triggers;
// USER_AUTH (PREFERRED_CHALLENGE PASSWORD_SRP, PASSWORD, EMAIL_OTP or SMS_OTP,
// or SELECT_CHALLENGE); USER_PASSWORD_AUTH; REFRESH_TOKEN_AUTH and
// REFRESH_TOKEN. Each must be allowed by the app client's explicit auth flows.
// USER_AUTH offers the first factors of the pool's sign-in policy
// (UserPool.SignInPolicy, Cognito's Policies.SignInPolicy.AllowedFirstAuthFactors):
// PASSWORD alone by default, as in Cognito, so EMAIL_OTP and SMS_OTP must be
// listed to be offered; WEB_AUTHN is accepted in the policy but never
// offered (no passkeys). A one-time password is offered only to users with
// the email or phone_number to send it to and whose MFA does not apply (no
// MFA factor, and the pool's MFA is not ON), as Cognito offers passwordless
// sign-in only to users without MFA.
//
// Challenges: PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER,
// NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA (RFC 6238: SHA-1, 30 s, 6 digits,
// ±1 step), SMS_MFA, EMAIL_OTP, SMS_OTP, SELECT_MFA_TYPE, MFA_SETUP (with
// AssociateSoftwareToken and VerifySoftwareToken), SELECT_CHALLENGE and
// CUSTOM_CHALLENGE. SMS and email codes are random and "delivered" to an
// outbox that [Server.Messages] and [Server.LastCode] read.
//
// After the password comes, in order: NEW_PASSWORD_REQUIRED for users in
// FORCE_CHANGE_PASSWORD; DEVICE_SRP_AUTH when the client sent the DEVICE_KEY
// of a confirmed device (and, with opt-in tracking, a remembered one); then,
// unless the device sign-in succeeded (remembered devices suppress MFA), the
// custom challenge for CUSTOM_AUTH or MFA (one factor: its challenge; more:
// SELECT_MFA_TYPE; none and MFA "ON": MFA_SETUP). After a first factor of
// EMAIL_OTP or SMS_OTP, or a CUSTOM_AUTH custom challenge without SRP, a
// user in FORCE_CHANGE_PASSWORD still gets NEW_PASSWORD_REQUIRED, and one
// whose temporary password has expired NotAuthorizedException (Cognito does
// not document these cases).
//
// NEW_PASSWORD_REQUIRED writes only the attributes the app client may write
// (AppClient.WriteAttributes, by default Cognito's: the standard
// attributes); sub, the email_verified and phone_number_verified flags,
// "cognito:" names and the names of token claims (iss, aud, exp, nbf, ...)
// are never writable, and trying is Cognito's NotAuthorizedException "A
// client attempted to write unauthorized attribute". Values are at most 2048
// characters. A new email or phone number is not verified, and an email or
// phone number that is not verified is no alias: it signs no one in, need
// not be unique and blocks no one's SignUp (developer guide, "Overview of
// aliases": users sign in with a verified email or phone number). Making
// one verified (ConfirmSignUp, VerifyUserAttribute, an administrator's
// email_verified "true", AdminCreateUser) while another user holds it is an
// AliasExistsException, or with ForceAliasCreation (ConfirmSignUp,
// AdminCreateUser) moves the alias and unverifies the other user's address.
// A preferred_username is always an alias, and so is the email or phone
// number that is the sign-in name in pools with UsernameAttributes. Users
// of the configuration file keep the meaning configs always had: their
// email and phone_number are aliases whether verified or not, unless the
// config sets email_verified or phone_number_verified to "false"; a value
// the API sets later follows the rule above. All sign-in names share one
// key space, used by sign-in and by every uniqueness check alike: user
// names exactly, then the aliases, where any name with an "@" is compared
// without regard to case (so a preferred_username "Erin@Example.org" is
// refused while another user's verified email is erin@example.org). Sign-in
// by alias is deterministic: user names first, then that one index.
//
// Everything is verified: SRP password and device claims (in constant time,
// with package srp), SECRET_HASH with hmac.Equal (the typed user name in
// InitiateAuth, the internal one afterwards and in REFRESH_TOKEN_AUTH, where
// the sub is also accepted), the TIMESTAMP's exact format and a ±5-minute
// window, PASSWORD_CLAIM_SECRET_BLOCK against what was issued, A mod N ≠ 0,
// TOTP and delivered codes. A challenge's Session is single-use and expires
// after 3 minutes ([WithSessionTTL]); an SRP claim is used up by any attempt,
// a code challenge after 3 wrong codes. Failures are also counted per user,
// across sessions, as Cognito's lockout: after 5 wrong passwords (SRP or
// plain) the user is locked out for 1 second, doubling with each further
// failure up to 15 minutes, and answered NotAuthorizedException "Password
// attempts exceeded"; wrong codes (EMAIL_OTP and SMS_OTP first factors,
// SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, the MFA_SETUP and
// VerifySoftwareToken codes, and CUSTOM_CHALLENGE answers, which stand in
// for a Lambda trigger's) are counted apart by the same rule and answered
// TooManyFailedAttemptsException during a lockout (Cognito does not
// document its answer for codes). PASSWORD_VERIFIER and DEVICE_SRP_AUTH
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
// # Outbox
//
// Every message the server would send — sign-up and resent codes,
// password reset codes, invitations (with the temporary password), MFA and
// OTP codes, attribute verification codes — is kept in an outbox, with the
// reason it was sent (see [Message]): [Server.Messages] and
// [Server.LastCode] read it in process. [WithOutboxHTTP] also serves it at
// GET /_cognitosrp/outbox?userPoolId=ID[&username=NAME], and [WithCodeLog]
// logs each message. Both are test-only powers, off by default: nothing is
// served under /_cognitosrp/ without WithOutboxHTTP.
//
// # What is not modelled
//
// Hosted UI and OAuth endpoints (the OpenID configuration lists them at the
// server's URL, but they are not served), Lambda triggers (ClientMetadata is
// accepted and ignored), passkeys (WEB_AUTHN), identity pools, IAM, message
// templates and the delivery of messages (they stay in the outbox), password
// history, user pool schemas (attributes are the standard ones and
// custom:<name>), AliasAttributes (email, phone_number and preferred_username
// are always the alias attributes), UpdateUserPool, ReadAttributes (kept and
// described; tokens and GetUser show every attribute),
// PreventUserExistenceErrors (unknown users get UserNotFoundException), case
// insensitive user names (only aliases with an "@" are matched without regard
// to case), advanced security and request rate limits (only state, as in
// Limits, and concurrent requests are bounded, and failed attempts locked
// out), and reuse protection for TOTP codes. SECRET_BLOCK is random, not
// Cognito's encrypted state.
// Not documented by AWS and so guessed: the message of
// RefreshTokenReuseException, whether reuse revokes the rest of the
// sign-in's tokens (it does not here), and the messages for a missing or
// wrong ClientSecret.
//
// # Limits
//
// Request bodies over 1 MiB are answered with HTTP 413 and a
// SerializationException. Bodies are read by a strict decoder straight into
// each operation's input, checking the limits while reading, so that a body
// costs about its own size in memory and a handler receives exactly what was
// checked: strings (and keys, and numbers) over 16 KiB, objects with more
// than 100 members, arrays with more than 100 items and JSON nested more than
// 16 deep are an InvalidParameterException, in used and unknown members
// alike; malformed JSON, values of the wrong JSON type, and a key repeated in
// an object or differing from another only in ASCII case (which
// encoding/json would merge) are a SerializationException. Member names
// match exactly; any other key, including a case variant of a member, is an
// unknown member and ignored, as Cognito does. String members that Cognito's
// API reference limits are held to that length, counted in UTF-16 code
// units as Cognito counts: user names and client ids 128, passwords 256,
// user pool ids and device keys 55, device names 1024, group, pool and
// client names 128, descriptions and role ARNs 2048, attribute names 32 and
// values 2048, ListUsers filters 256, confirmation codes and sessions 2048
// and so on; a longer one is an InvalidParameterException "1 validation
// error detected: Value at 'deviceName' failed to satisfy constraint: Member
// must have length less than or equal to 1024", which never quotes the
// value. At most 32 requests are read and served at once; others wait. No
// input makes the server panic or answer 5xx; a recover() answering
// InternalErrorException is only a last resort against bugs.
//
// State is bounded so that no one client, user or pool can grow the server
// without end or crowd out another. Each user pool holds at most 10,000
// users, 10,000 groups and 1000 app clients, and all pools together 100,000
// users, 100,000 groups, 10,000 app clients and 1000 pools; beyond them
// creating one is a LimitExceededException. So that filling some pools (by
// unsigned SignUp calls, say) never refuses another, the total is a fair
// share rather than a wall: once it is reached, a pool may still add while
// it holds at most total/number-of-pools (100 users each with 1000 pools),
// up to a hard ceiling of twice the total, which a pool below its share
// never meets while the set of pools stays the same. At worst the server
// thus holds 200,000 users (each with at most 16 KiB of attributes),
// 200,000 groups and 20,000 app clients. UNCONFIRMED users are
// kept until deleted, as in Cognito. A user keeps at most 50 sign-ins with
// a live refresh token, like a limit on devices: a new sign-in ends the
// user's oldest, whose refresh token is then answered as invalid (Cognito
// documents no such limit). An app client keeps at most 50,000 and the server
// 100,000 (a new one ends the client's oldest, or the oldest of the client
// with the most); rotation keeps at most 16 refresh tokens per sign-in.
// Deleting a user, an app client or a pool forgets every refresh token of
// their sign-ins, rotated ones included. Passwords and codes are counted
// towards the lockout before they are checked, so that guesses sent at the
// same time get no more checks than guesses sent one by one.
//
// [NewHTTPServer] returns the http.Server that serve and package cognitotest
// use: read-header (10 s), read and write (30 s) and idle (60 s) timeouts
// close slow, stalled and idle connections.
//
// # State and logging
//
// All state (sessions, tokens, devices, new passwords, MFA settings,
// delivered codes) lives in memory and is lost with the Handler. Expired
// sessions and refresh tokens are purged. Sign-ins in progress are bounded
// so that no one crowds out anyone else, and a sign-in that has proven
// nothing yet (no password, code or custom answer: anyone who knows a user
// name can start one) never ends one past its first factor: a user has at
// most 20 and an app client at most 50,000 (beyond either, the oldest
// sign-in that has proven nothing is ended; only if all are past a first
// factor is a new one refused with TooManyRequestsException), and all
// together at most 100,000 (beyond which the oldest sign-in of any client
// that has proven nothing is ended). An ended sign-in's Session answers
// "Invalid session for the user, session is expired.", as does every
// sign-in in progress of a user whose password is set, changed or reset,
// who is disabled, deleted or signed out everywhere, and every sign-in
// that goes on with a device that is forgotten; this holds also for a step
// (a password or SRP check) under way when the change happens, which then
// changes nothing. A step under way when its user or pool is deleted
// answers UserNotFoundException or ResourceNotFoundException. At most 100,000
// used Session tokens are remembered, the outbox keeps the last 1000
// messages of each pool (so that one pool's messages never push out
// another's; with 1000 pools at most 1,000,000 messages of at most about
// 2.5 KB each, a destination being at most 2048 bytes) and each user at
// most 200 devices; a user has at most 64
// attributes of at most 16 KiB in all, one pending code per purpose and 100
// groups. Users, groups, app clients, pools and sign-ins with a live refresh
// token are bounded as in Limits.
// [Server.Stats] and [Handler.Stats] count all of these. The server keeps
// SRP verifiers, never plaintext passwords.
//
// [WithLogger] logs one line per request: the operation (an unknown one by
// its X-Amz-Target, at most 100 bytes, control characters escaped), status,
// duration, and when present the auth flow, challenge name, app client id,
// user name (the USERNAME sent), error type and message; never a password,
// code, token, signature, secret hash, session or SRP value. Only the
// test-only [WithCodeLog] adds a line per delivered message, with its code
// or temporary password.
//
// A [Server] and its handler are safe for concurrent use. Library packages
// must not import cognitotest; tests and commands may.
package cognitotest
