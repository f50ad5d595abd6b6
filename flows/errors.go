package flows

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

var (
	// ErrChallengeLoop is returned when Cognito keeps issuing challenges
	// beyond [Options.MaxChallenges].
	ErrChallengeLoop = errors.New("flows: too many challenges in one sign-in")

	// ErrNoHandler means that Cognito issued a challenge that needs an
	// answer from the user, such as an MFA code, and no [ChallengeHandler]
	// was given. It is wrapped in a [*ChallengeError] naming the challenge.
	ErrNoHandler = errors.New("flows: no challenge handler for a challenge that needs one")

	// ErrNoPassword means that [Client.Login] was called without a
	// password, or that Cognito asked for a password proof
	// (PASSWORD_VERIFIER, or PASSWORD_SRP in SELECT_CHALLENGE) in a sign-in
	// that was started without one.
	ErrNoPassword = errors.New("flows: a password is needed and none was given")

	// ErrNoDevice means that Cognito started device authentication
	// (DEVICE_SRP_AUTH) although no remembered device was offered.
	ErrNoDevice = errors.New("flows: device challenge without a remembered device")

	// ErrSoftwareTokenNotVerified means that VerifySoftwareToken answered
	// with a status other than SUCCESS while setting up TOTP MFA.
	ErrSoftwareTokenNotVerified = errors.New("flows: the TOTP code was not accepted")

	// ErrMFASetupUnsupported means that an MFA_SETUP challenge offered no
	// factor that can be set up during sign-in: only TOTP
	// (SOFTWARE_TOKEN_MFA) can. SMS and email MFA need the user's phone
	// number or email address to be set and verified first.
	ErrMFASetupUnsupported = errors.New("flows: MFA_SETUP offers no TOTP (SOFTWARE_TOKEN_MFA) setup")

	// ErrMalformedChallenge means that a challenge parameter that this
	// package reads was missing or not in the documented format. It is
	// wrapped in a [*ChallengeError].
	ErrMalformedChallenge = errors.New("flows: malformed challenge parameters")

	// ErrMalformedStore means that a device store or token store file is not
	// valid.
	ErrMalformedStore = errors.New("flows: malformed store file")

	// ErrStepExpired means that a [Pending] step was answered after its
	// [Pending.Expires], or that Cognito said its session had expired
	// (NotAuthorizedException "Invalid session for the user, session is
	// expired."). The sign-in must start again. It is wrapped in a
	// [*ChallengeError] naming the challenge.
	ErrStepExpired = errors.New("flows: the pending step has expired")

	// ErrWrongClient means that a [Pending] step was given to
	// [Client.Resume] of another user pool or app client than the one
	// that started the sign-in.
	ErrWrongClient = errors.New("flows: the pending step is of another user pool or app client")

	// ErrInvalidPending means that [Pending.UnmarshalBinary] was given
	// something other than what [Pending.MarshalBinary] writes, or that a
	// Pending was not made by [Client.Start] or [Client.Resume].
	ErrInvalidPending = errors.New("flows: not a valid pending step")
)

// UnsupportedChallengeError is returned when Cognito issues a challenge
// that this package does not know how to answer, such as WEB_AUTHN.
type UnsupportedChallengeError struct {
	// Name is the challenge name, as Cognito sent it.
	Name types.ChallengeNameType
}

func (e *UnsupportedChallengeError) Error() string {
	return fmt.Sprintf("flows: unsupported challenge %q", string(e.Name))
}

// ChallengeError reports a failure while answering the challenge Name: an
// error from the [ChallengeHandler], a malformed challenge, or an error from
// Cognito (such as a *types.NotAuthorizedException for a wrong password or
// a *types.CodeMismatchException for a wrong code) in answer to it.
type ChallengeError struct {
	// Name is the challenge that was being answered.
	Name types.ChallengeNameType
	// Err is the underlying error.
	Err error
}

func (e *ChallengeError) Error() string {
	return fmt.Sprintf("flows: %s: %v", string(e.Name), e.Err)
}

// Unwrap returns e.Err.
func (e *ChallengeError) Unwrap() error { return e.Err }

// DeviceError reports that a sign-in succeeded but that the new device it
// announced could not be confirmed, remembered or stored, or that a stale
// device could not be removed from the [DeviceStore]. The sign-in methods
// return it together with a complete [Result], whose tokens are valid.
type DeviceError struct {
	// Op is the step that failed: "ConfirmDevice", "UpdateDeviceStatus",
	// "store" or "forget".
	Op string
	// Err is the underlying error.
	Err error
}

func (e *DeviceError) Error() string {
	return fmt.Sprintf("flows: signed in, but device step %s failed: %v", e.Op, e.Err)
}

// Unwrap returns e.Err.
func (e *DeviceError) Unwrap() error { return e.Err }
