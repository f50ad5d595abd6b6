package flows

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// A ChallengeHandler answers the challenges of a sign-in that need the
// user: MFA and one-time codes, a new password, a choice among factors,
// custom challenges. The [Client] answers the SRP and device challenges
// itself, and adds USERNAME, SECRET_HASH and DEVICE_KEY to every answer.
//
// [Client.Login], [Client.LoginCustom] and [Client.LoginUserAuth] call
// HandleChallenge once per challenge, in the goroutine of the sign-in, and
// it should return promptly when ctx is done; they are a loop over
// [Client.Start] and [Client.Resume], which take the same answers. The challenges it
// sees, and what [Answer.Value] must hold for each, are:
//
//   - SMS_MFA, SMS_OTP, EMAIL_OTP: the code that Cognito sent to
//     [Challenge.Destination].
//   - SOFTWARE_TOKEN_MFA: the current code of the user's authenticator app.
//   - MFA_SETUP: the current code of the authenticator app after the user
//     added the secret [Challenge.SecretCode] to it (or scanned
//     [Challenge.OTPAuthURI] as a QR code). The Client has called
//     AssociateSoftwareToken and then calls VerifySoftwareToken.
//   - SELECT_MFA_TYPE, SELECT_CHALLENGE: one of [Challenge.Options]. In
//     SELECT_CHALLENGE, PASSWORD_SRP works only in a sign-in started with
//     the password, which chooses it by itself.
//   - NEW_PASSWORD_REQUIRED: the new password, with [Answer.UserAttributes]
//     holding a value for each of [Challenge.RequiredAttributes].
//   - CUSTOM_CHALLENGE: the answer to the user pool's custom challenge
//     described by [Challenge.Parameters].
//
// When Cognito rejects a code (SMS_MFA, SMS_OTP, EMAIL_OTP,
// SOFTWARE_TOKEN_MFA), the handler is asked again with [Challenge.Err] set.
// An error from HandleChallenge ends the sign-in; it is returned wrapped in
// a [*ChallengeError].
type ChallengeHandler interface {
	HandleChallenge(ctx context.Context, c *Challenge) (Answer, error)
}

// ChallengeHandlerFunc adapts an ordinary function to a [ChallengeHandler].
type ChallengeHandlerFunc func(ctx context.Context, c *Challenge) (Answer, error)

// HandleChallenge returns f(ctx, c).
func (f ChallengeHandlerFunc) HandleChallenge(ctx context.Context, c *Challenge) (Answer, error) {
	return f(ctx, c)
}

// Challenge is a challenge that a [ChallengeHandler] answers. Its fields
// are meant to be shown to the user; only SecretCode is a secret.
type Challenge struct {
	// Name is the challenge, such as types.ChallengeNameTypeSmsMfa.
	Name types.ChallengeNameType

	// Username is the user's internal user name in the user pool, which
	// differs from what the user typed when signing in with an alias, as
	// soon as Cognito has named it in a challenge (USERNAME); before that,
	// as in passwordless USER_AUTH, it is the name typed.
	Username string

	// Parameters are Cognito's ChallengeParameters, unchanged. The
	// other fields are parsed from them.
	Parameters map[string]string

	// Destination is where a code was sent, masked by Cognito (such as
	// "+*******1234"), and DeliveryMedium how ("SMS" or "EMAIL"):
	// CODE_DELIVERY_DESTINATION and CODE_DELIVERY_DELIVERY_MEDIUM.
	Destination, DeliveryMedium string

	// Options are the choices of SELECT_MFA_TYPE (MFAS_CAN_CHOOSE) and
	// SELECT_CHALLENGE (AvailableChallenges), and the factors that
	// MFA_SETUP allows (MFAS_CAN_SETUP).
	Options []string

	// RequiredAttributes are the attributes that NEW_PASSWORD_REQUIRED
	// needs a value for, without the "userAttributes." prefix, and
	// UserAttributes the user's current attributes.
	RequiredAttributes []string
	UserAttributes     map[string]string

	// SecretCode is the TOTP secret (base32) that MFA_SETUP asks the user
	// to add to an authenticator app.
	SecretCode string

	// Err is nil, except when Cognito rejected the previous answer to
	// this same challenge with a wrong code and the handler is asked again:
	// then Err is that error (matching *types.CodeMismatchException). The
	// handler can return an error to give up instead. A sign-in asks at
	// most three times for the same code challenge.
	Err error
}

// Answer is a [ChallengeHandler]'s answer to a [Challenge].
type Answer struct {
	// Value is the code, the choice, the new password or the custom
	// answer, depending on the challenge (see [ChallengeHandler]).
	Value string

	// UserAttributes are sent with NEW_PASSWORD_REQUIRED as
	// "userAttributes.<name>" responses.
	UserAttributes map[string]string
}

// OTPAuthURI returns the otpauth:// URI of the TOTP secret of an
// MFA_SETUP challenge ([Challenge.SecretCode]), which authenticator apps
// read from a QR code, in the Key Uri Format of Google Authenticator:
// otpauth://totp/ISSUER:USERNAME?secret=SECRET&issuer=ISSUER. issuer names
// the service in the app; without it the label is the user name alone. It
// returns "" when c has no secret.
func (c *Challenge) OTPAuthURI(issuer string) string {
	if c.SecretCode == "" {
		return ""
	}
	label := c.Username
	q := url.Values{"secret": {c.SecretCode}}
	if issuer != "" {
		label = issuer + ":" + label
		q.Set("issuer", issuer)
	}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + label, RawQuery: q.Encode()}
	return u.String()
}

// newChallenge parses the parameters of a challenge for a handler.
func newChallenge(name types.ChallengeNameType, username string, params map[string]string, available []types.ChallengeNameType) (*Challenge, error) {
	c := &Challenge{
		Name:           name,
		Username:       username,
		Parameters:     params,
		Destination:    params["CODE_DELIVERY_DESTINATION"],
		DeliveryMedium: params["CODE_DELIVERY_DELIVERY_MEDIUM"],
	}
	var err error
	switch name {
	case types.ChallengeNameTypeSelectMfaType:
		c.Options, err = stringList(params, "MFAS_CAN_CHOOSE")
	case types.ChallengeNameTypeMfaSetup:
		c.Options, err = stringList(params, "MFAS_CAN_SETUP")
	case types.ChallengeNameTypeSelectChallenge:
		for _, a := range available {
			c.Options = append(c.Options, string(a))
		}
	case types.ChallengeNameTypeNewPasswordRequired:
		var req []string
		if req, err = stringList(params, "requiredAttributes"); err != nil {
			break
		}
		for _, r := range req {
			c.RequiredAttributes = append(c.RequiredAttributes, strings.TrimPrefix(r, "userAttributes."))
		}
		if s := params["userAttributes"]; s != "" {
			if json.Unmarshal([]byte(s), &c.UserAttributes) != nil {
				err = fmt.Errorf("%w: userAttributes is not a JSON object of strings", ErrMalformedChallenge)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// stringList parses a challenge parameter holding a JSON array of strings.
// A missing or empty parameter is an empty list.
func stringList(params map[string]string, key string) ([]string, error) {
	s := params[key]
	if s == "" {
		return nil, nil
	}
	var l []string
	if json.Unmarshal([]byte(s), &l) != nil {
		return nil, fmt.Errorf("%w: %s is not a JSON array of strings", ErrMalformedChallenge, key)
	}
	return l, nil
}
