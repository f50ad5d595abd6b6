package flows

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestUsernameFromIDToken(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tok := func(payload string) *string {
		s := enc(`{"alg":"RS256"}`) + "." + enc(payload) + ".c2ln"
		return &s
	}
	tests := []struct {
		tok  *string
		want string
	}{
		{tok(`{"cognito:username":"a1b2-c3","email":"a@example.com"}`), "a1b2-c3"},
		{tok(`{"email":"a@example.com"}`), ""},
		{tok(`not json`), ""},
		{nil, ""},
		{new(string), ""},
	}
	for _, tt := range tests {
		if got := usernameFromIDToken(tt.tok); got != tt.want {
			t.Errorf("usernameFromIDToken(%v) = %q, want %q", tt.tok, got, tt.want)
		}
	}
}

func TestNewChallenge(t *testing.T) {
	c, err := newChallenge(types.ChallengeNameTypeNewPasswordRequired, "u", map[string]string{
		"requiredAttributes": `["userAttributes.name","userAttributes.custom:team"]`,
		"userAttributes":     `{"email":"a@example.com","email_verified":"true"}`,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.RequiredAttributes, []string{"name", "custom:team"}) || c.UserAttributes["email"] != "a@example.com" {
		t.Errorf("parsed %q, %q", c.RequiredAttributes, c.UserAttributes)
	}

	c, err = newChallenge(types.ChallengeNameTypeSelectChallenge, "u", nil, []types.ChallengeNameType{"PASSWORD_SRP", "EMAIL_OTP"})
	if err != nil || !slices.Equal(c.Options, []string{"PASSWORD_SRP", "EMAIL_OTP"}) {
		t.Errorf("SELECT_CHALLENGE: %v, %v", c, err)
	}
	c, err = newChallenge(types.ChallengeNameTypeEmailOtp, "u", map[string]string{
		"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***",
	}, nil)
	if err != nil || c.Destination != "a***@e***" || c.DeliveryMedium != "EMAIL" {
		t.Errorf("EMAIL_OTP: %+v, %v", c, err)
	}

	for _, bad := range []map[string]string{
		{"requiredAttributes": `{"secret-looking value"`},
		{"userAttributes": `["a"]`},
	} {
		_, err := newChallenge(types.ChallengeNameTypeNewPasswordRequired, "u", bad, nil)
		if !errors.Is(err, ErrMalformedChallenge) || strings.Contains(err.Error(), "secret-looking") {
			t.Errorf("malformed %v: %v", bad, err)
		}
	}
	if _, err := newChallenge(types.ChallengeNameTypeSelectMfaType, "u", map[string]string{"MFAS_CAN_CHOOSE": "SMS_MFA"}, nil); !errors.Is(err, ErrMalformedChallenge) {
		t.Errorf("malformed MFAS_CAN_CHOOSE: %v", err)
	}
}

func TestNew(t *testing.T) {
	var api API = nopAPI{}
	for _, tt := range []struct {
		api          API
		pool, client string
	}{
		{nil, "us-east-1_X", "c"},
		{api, "nounderscore", "c"},
		{api, "us-east-1_", "c"},
		{api, "us-east-1_X", ""},
	} {
		if _, err := New(tt.api, tt.pool, tt.client); err == nil {
			t.Errorf("New(%v, %q, %q) succeeded", tt.api, tt.pool, tt.client)
		}
	}
	c, err := New(api, "us-east-1_X", "c")
	if err != nil || c.opts.Clock == nil || c.opts.MaxChallenges != DefaultMaxChallenges || c.UserPoolID() != "us-east-1_X" || c.ClientID() != "c" {
		t.Errorf("New: %+v, %v", c, err)
	}
}

type nopAPI struct{ API }

func TestDeviceString(t *testing.T) {
	d := &Device{UserPoolID: "p", Username: "u", DeviceKey: "k", DeviceGroupKey: "g", DevicePassword: "hunter2"}
	for _, s := range []string{d.String(), d.GoString(),
		fmt.Sprintf("%v %+v %#v %s", d, d, d, d),
		fmt.Sprintf("%v %+v %#v %s", *d, *d, *d, *d),
		fmt.Sprintf("%v %+v %#v", []Device{*d}, struct{ D Device }{*d}, map[string]*Device{"x": d}),
	} {
		if strings.Contains(s, "hunter2") || !strings.Contains(s, `"k"`) {
			t.Errorf("%s", s)
		}
	}
	if s := fmt.Sprintf("%v %+v %#v %s", (*Device)(nil), (*Device)(nil), (*Device)(nil), (*Device)(nil)); s != "<nil> <nil> <nil> <nil>" {
		t.Errorf("nil device printed as %q", s)
	}
}
