package flows

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Result is the outcome of a successful sign-in or refresh.
type Result struct {
	// AuthenticationResult holds the tokens, as Cognito returned them.
	// After a refresh it has no RefreshToken unless the app client rotates
	// refresh tokens: then its RefreshToken is the new one, which replaces
	// the one presented (see [Client.Refresh]).
	AuthenticationResult *types.AuthenticationResultType

	// Username is the user's internal user name in the user pool: the
	// cognito:username claim of the ID token (read without verifying the
	// token), or else the challenges' USERNAME. It differs from what the
	// user typed when signing in with an alias, and is what [Client.Refresh]
	// needs.
	Username string

	// Device is the remembered device that this sign-in proved with
	// device authentication, or the new device that it confirmed and
	// stored, as DeviceEvent says; nil if none. After a refresh, it is the
	// device whose DEVICE_KEY was sent.
	Device *Device

	// DeviceEvent says what the sign-in did with a device.
	DeviceEvent DeviceEvent

	// DeviceForgotten reports that Cognito no longer knew the remembered
	// device that was offered: it was removed from the [DeviceStore] and
	// the sign-in (or refresh) was run again without it.
	DeviceForgotten bool
}

// DeviceEvent says what a sign-in did with a device, in [Result.DeviceEvent].
type DeviceEvent int

const (
	// DeviceNone: no device was authenticated or confirmed.
	DeviceNone DeviceEvent = iota
	// DeviceAuthenticated: the remembered device [Result.Device] was
	// proved with device authentication (DEVICE_SRP_AUTH), which lets
	// Cognito skip MFA.
	DeviceAuthenticated
	// DeviceConfirmed: the sign-in's new device [Result.Device] was
	// confirmed (ConfirmDevice), remembered and stored.
	DeviceConfirmed
)

// String returns the constant's name without "Device", such as
// "Authenticated".
func (e DeviceEvent) String() string {
	switch e {
	case DeviceNone:
		return "None"
	case DeviceAuthenticated:
		return "Authenticated"
	case DeviceConfirmed:
		return "Confirmed"
	}
	return fmt.Sprintf("DeviceEvent(%d)", int(e))
}

// Login signs the user in with USER_SRP_AUTH: the password never leaves
// the process, only an SRP-6a proof of it. username is what the user typed:
// the user name or an alias such as an email address.
//
// Login runs [Client.Start] with [UserSRP] and answers each pending
// challenge with [Options.Handler] through [Client.Resume], until the
// tokens. With a [DeviceStore], a remembered device of the user is sent
// along and authenticated (DEVICE_SRP_AUTH), and a new device is confirmed
// and stored according to [Options.RememberDevices]. If Cognito no longer
// knows the remembered device, Login signs in once more without it and, if
// that succeeds, removes it from the store. When Cognito rejects a code, the
// handler is asked again, at most three times for one challenge.
//
// optFns change the Client's [Options] for this sign-in only. If the
// sign-in succeeded but its new device could not be remembered, Login
// returns the Result together with a [*DeviceError].
func (c *Client) Login(ctx context.Context, username, password string, optFns ...func(*Options)) (*Result, error) {
	return c.login(ctx, UserSRP{Username: username, Password: password}, optFns)
}

// LoginCustom signs the user in with CUSTOM_AUTH, the user pool's custom
// authentication Lambda triggers, which the [ChallengeHandler] answers
// (CUSTOM_CHALLENGE). If password is not empty, the flow starts with SRP
// (CHALLENGE_NAME=SRP_A), as for [Client.Login]; otherwise it starts with
// the user name only. Devices and options are handled as by Login.
func (c *Client) LoginCustom(ctx context.Context, username, password string, optFns ...func(*Options)) (*Result, error) {
	return c.login(ctx, CustomAuth{Username: username, Password: password}, optFns)
}

// LoginUserAuth signs the user in with USER_AUTH, choice-based sign-in. If
// password is not empty, it asks for PASSWORD_SRP (PREFERRED_CHALLENGE)
// and, should Cognito offer a choice instead (SELECT_CHALLENGE), chooses
// PASSWORD_SRP when available. Without a password, the [ChallengeHandler]
// chooses among the available challenges, such as EMAIL_OTP, and answers
// them. Devices and options are handled as by [Client.Login].
func (c *Client) LoginUserAuth(ctx context.Context, username, password string, optFns ...func(*Options)) (*Result, error) {
	return c.login(ctx, UserAuth{Username: username, Password: password}, optFns)
}

// login is the ChallengeHandler loop over Start and Resume.
func (c *Client) login(ctx context.Context, f Flow, optFns []func(*Options)) (*Result, error) {
	o := c.options(optFns)
	step, err := c.start(ctx, o, f)
	retried, resumed := false, false
	var lastErr error // Cognito's rejection of the last code
	attempts := 0     // rejected codes for this challenge
	for {
		if err != nil {
			if resumed && !retried && isResourceNotFound(err) {
				// Resume found the remembered device stale and forgot it:
				// sign in again, without it.
				retried, resumed = true, false
				step, err = c.start(ctx, o, f)
				continue
			}
			if step != nil {
				return step.Result, err
			}
			return nil, err
		}
		if step.Result != nil {
			if retried {
				step.Result.DeviceForgotten = true
			}
			return step.Result, nil
		}
		p := step.Pending
		name := p.Challenge.Name
		if p.st.Answered >= o.MaxChallenges {
			return nil, ErrChallengeLoop
		}
		if o.Handler == nil {
			return nil, &ChallengeError{Name: name, Err: ErrNoHandler}
		}
		if err := ctx.Err(); err != nil {
			return nil, &ChallengeError{Name: name, Err: err}
		}
		ch := *p.Challenge
		ch.Err = lastErr
		a, herr := o.Handler.HandleChallenge(ctx, &ch)
		if herr != nil {
			return nil, &ChallengeError{Name: name, Err: herr}
		}
		next, rerr := c.resume(ctx, o, p, a)
		if rerr != nil && isCodeChallenge(name) && isCodeMismatch(rerr) {
			attempts++
			if attempts < maxCodeAttempts {
				// Ask again for the same challenge, in the same session.
				lastErr = rerr
				continue
			}
		}
		lastErr, attempts = nil, 0
		step, err, resumed = next, rerr, true
	}
}

// maxCodeAttempts is how many codes a sign-in tries for one challenge,
// as many as Cognito accepts in one session.
const maxCodeAttempts = 3

func isCodeChallenge(name types.ChallengeNameType) bool {
	switch name {
	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSmsOtp,
		types.ChallengeNameTypeEmailOtp, types.ChallengeNameTypeSoftwareTokenMfa:
		return true
	}
	return false
}

func isCodeMismatch(err error) bool {
	var mismatch *types.CodeMismatchException
	return errors.As(err, &mismatch)
}

func isResourceNotFound(err error) bool {
	var rnf *types.ResourceNotFoundException
	return errors.As(err, &rnf)
}

// ForgetDevice makes Cognito forget the device d (with the access token of
// a session of its user) and removes it from the [DeviceStore]. A device
// that Cognito no longer knows is removed from the store all the same.
// optFns change the Client's [Options] for this call; of them,
// ClientOptions and DeviceStore apply.
func (c *Client) ForgetDevice(ctx context.Context, accessToken string, d *Device, optFns ...func(*Options)) error {
	o := c.options(optFns)
	_, err := c.api.ForgetDevice(ctx, &cip.ForgetDeviceInput{
		AccessToken: aws.String(accessToken),
		DeviceKey:   aws.String(d.DeviceKey),
	}, callOptions(o)...)
	if err != nil && !isResourceNotFound(err) {
		return fmt.Errorf("flows: %w", err)
	}
	if o.DeviceStore != nil {
		if err := o.DeviceStore.Delete(ctx, d.UserPoolID, d.DeviceKey); err != nil {
			return fmt.Errorf("flows: device store: %w", err)
		}
	}
	return nil
}

// usernameFromIDToken returns the cognito:username claim of a JWT, read
// without verifying the token, or "".
func usernameFromIDToken(tok *string) string {
	if tok == nil {
		return ""
	}
	parts := strings.Split(*tok, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		Username string `json:"cognito:username"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	return claims.Username
}
