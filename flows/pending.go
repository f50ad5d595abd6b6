package flows

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Pending is a sign-in that waits for the user's answer to a challenge,
// from [Client.Start] or [Client.Resume]. Answer it with [Client.Resume],
// from the same or another [Client] of the same user pool and app client,
// in this process or another: [Pending.MarshalBinary] turns it into bytes
// (JSON) that [Pending.UnmarshalBinary] reads back, so that a web server can
// keep it between two requests.
//
// # A short-lived bearer credential
//
// The serialized form holds Cognito's Session for the challenge, which
// lets whoever has it answer the challenge, and so, with the right code or
// new password, get the user's tokens. Keep it like a session cookie's
// server-side state: on the server (not in a cookie or a form field the user
// could read or change, unless you encrypt and authenticate it), for no
// longer than [Pending.Expires], and delete it once answered. Cognito's
// Session lasts 3 to 15 minutes, the app client's AuthSessionValidity
// ([Options.SessionValidity]).
//
// It holds what the next call needs and nothing more: the Session, the
// user pool and app client ids, the flow and whether it runs through the
// admin operations ([NewAdmin]), the challenge's name and parameters, the
// name the user typed and the internal user name, the key and group key of
// the remembered device offered (not its password, which stays in the
// [DeviceStore]), whether the device was already proved, and the expiry.
// It never holds the password, the device password, or the TOTP secret of
// MFA_SETUP: [Challenge.SecretCode] is set on the Pending that
// [Client.Start] or [Client.Resume] returns, for showing it to the user
// once, and empty after UnmarshalBinary.
//
// The serialized form is versioned and parsed strictly: anything else
// fails with [ErrInvalidPending]. It is not signed: Cognito checks the
// Session, and [Client.Resume] refuses a Pending of another user pool or
// app client with [ErrWrongClient].
type Pending struct {
	// Challenge is the challenge to answer, for showing to the user.
	Challenge *Challenge
	// Expires is when Cognito's Session for the challenge ends, as far as
	// the Client knows: [Options.SessionValidity] after it was issued.
	Expires time.Time

	st pendingState
}

// pendingVersion is the version of the serialized form.
const pendingVersion = 1

// maxPendingSize bounds the serialized form that UnmarshalBinary accepts.
const maxPendingSize = 64 << 10

// pendingState is the serialized form of a Pending.
type pendingState struct {
	V              int                     `json:"v"`
	Pool           string                  `json:"userPoolId"`
	Client         string                  `json:"clientId"`
	Flow           types.AuthFlowType      `json:"flow"`
	Admin          bool                    `json:"admin,omitempty"` // AdminRespondToAuthChallenge
	Session        string                  `json:"session,omitempty"`
	Challenge      types.ChallengeNameType `json:"challenge"`
	Params         map[string]string       `json:"params,omitempty"`
	Available      []string                `json:"available,omitempty"`
	Typed          string                  `json:"typed"`
	Username       string                  `json:"username,omitempty"`
	DeviceKey      string                  `json:"deviceKey,omitempty"`
	DeviceGroupKey string                  `json:"deviceGroupKey,omitempty"`
	DeviceProved   bool                    `json:"deviceProved,omitempty"`
	Forgot         bool                    `json:"deviceForgotten,omitempty"`
	Answered       int                     `json:"answered,omitempty"`
	Expires        time.Time               `json:"expires"`
}

// MarshalBinary returns the serialized form of p, a JSON object. See
// [Pending] for what it holds and how to keep it.
func (p Pending) MarshalBinary() ([]byte, error) {
	if p.st.V != pendingVersion {
		return nil, fmt.Errorf("%w: not from Client.Start or Client.Resume", ErrInvalidPending)
	}
	return json.Marshal(&p.st)
}

// UnmarshalBinary sets p from the serialized form that MarshalBinary
// returned. It fails with an error matching [ErrInvalidPending] for
// anything else: another version, unknown or missing fields, a challenge
// that does not wait for the user, malformed challenge parameters. It does
// not check the expiry: [Client.Resume] does.
func (p *Pending) UnmarshalBinary(b []byte) error {
	if len(b) > maxPendingSize {
		return fmt.Errorf("%w: longer than %d bytes", ErrInvalidPending, maxPendingSize)
	}
	var st pendingState
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidPending, syntaxOnly(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: data after the object", ErrInvalidPending)
	}
	if err := st.validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidPending, err)
	}
	var avail []types.ChallengeNameType
	for _, a := range st.Available {
		avail = append(avail, types.ChallengeNameType(a))
	}
	username := st.Username
	if username == "" {
		username = st.Typed
	}
	ch, err := newChallenge(st.Challenge, username, st.Params, avail)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidPending, err)
	}
	*p = Pending{Challenge: ch, Expires: st.Expires, st: st}
	return nil
}

// syntaxOnly returns a description of a JSON decoding error that quotes
// none of the input.
func syntaxOnly(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("JSON syntax error at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("wrong JSON type for field %q", e.Field)
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return "truncated JSON"
	}
	// DisallowUnknownFields: `json: unknown field "name"` quotes a field
	// name only, which is not secret, but keep the message fixed.
	return "not a pending step"
}

var pendingFlows = []types.AuthFlowType{types.AuthFlowTypeUserSrpAuth, types.AuthFlowTypeCustomAuth, types.AuthFlowTypeUserAuth, types.AuthFlowTypeAdminUserPasswordAuth}

func (st *pendingState) validate() error {
	switch {
	case st.V != pendingVersion:
		return fmt.Errorf("version %d, want %d", st.V, pendingVersion)
	case st.Pool == "" || st.Client == "":
		return fmt.Errorf("no user pool or app client id")
	case !slices.Contains(pendingFlows, st.Flow):
		return fmt.Errorf("flow %.32q", string(st.Flow))
	case st.Flow == types.AuthFlowTypeAdminUserPasswordAuth && !st.Admin:
		return fmt.Errorf("flow %s without the admin operations", st.Flow)
	case !slices.Contains(userChallenges, st.Challenge):
		return fmt.Errorf("challenge %.32q does not wait for the user", string(st.Challenge))
	case st.Typed == "":
		return fmt.Errorf("no user name")
	case (st.DeviceKey == "") != (st.DeviceGroupKey == ""):
		return fmt.Errorf("a device key without its group key, or the reverse")
	case st.DeviceProved && st.DeviceKey == "":
		return fmt.Errorf("a proved device without a key")
	case st.Answered < 0:
		return fmt.Errorf("negative challenge count")
	case st.Expires.IsZero():
		return fmt.Errorf("no expiry")
	}
	return nil
}

// MarshalJSON is MarshalBinary, so that a Pending, or a struct holding
// one, marshals to its serialized form. (MarshalBinary and MarshalJSON
// have value receivers, so that a Pending value marshals the same way as a
// pointer to it.)
func (p Pending) MarshalJSON() ([]byte, error) { return p.MarshalBinary() }

// UnmarshalJSON is UnmarshalBinary.
func (p *Pending) UnmarshalJSON(b []byte) error { return p.UnmarshalBinary(b) }

// String describes p without its Session.
func (p Pending) String() string {
	name := types.ChallengeNameType("")
	if p.Challenge != nil {
		name = p.Challenge.Name
	}
	return fmt.Sprintf("flows.Pending{Challenge: %s, Expires: %s}", name, p.Expires.Format(time.RFC3339))
}

// GoString is like String.
func (p Pending) GoString() string { return p.String() }
