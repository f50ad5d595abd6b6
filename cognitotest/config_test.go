package cognitotest

import (
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	const good = `{
		"region": "us-east-1",
		"userPools": [{
			"id": "us-east-1_Example",
			"deviceTracking": "always",
			"mfa": "OPTIONAL",
			"customChallengeAnswer": "42",
			"clients": [{"id": "abc", "secret": "s", "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]}],
			"users": [{
				"username": "alice", "password": "pw",
				"attributes": {"email": "alice@example.com"},
				"status": "FORCE_CHANGE_PASSWORD",
				"totpSecret": "JBSWY3DPEHPK3PXP",
				"mfa": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
				"requiredAttributes": ["name"]
			}]
		}]
	}`
	cfg, err := LoadConfig(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	u := cfg.UserPools[0].Users[0]
	if cfg.UserPools[0].DeviceTracking != "always" || u.TOTPSecret != "JBSWY3DPEHPK3PXP" || len(u.MFA) != 2 || u.RequiredAttributes[0] != "name" {
		t.Errorf("parsed %+v", cfg)
	}

	for name, in := range map[string]string{
		"unknown field":   `{"region": "us-east-1", "userPool": []}`,
		"nested unknown":  `{"region": "us-east-1", "userPools": [{"id": "us-east-1_A", "clients": [{"id": "a", "flows": []}]}]}`,
		"wrong type":      `{"region": 1}`,
		"trailing data":   `{"region": "us-east-1"} {}`,
		"not JSON":        `region: us-east-1`,
		"empty":           ``,
		"array top level": `[]`,
	} {
		if _, err := LoadConfig(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	base := func() Config {
		return Config{Region: "us-east-1", UserPools: []UserPool{{
			ID:      "us-east-1_Example",
			Clients: []AppClient{{ID: "a"}, {ID: "b"}},
			Users: []User{
				{Username: "alice", Password: "pw", Attributes: map[string]string{"email": "a@example.com", "phone_number": "+1555"}},
				{Username: "bob", Password: "pw"},
			},
		}}}
	}
	if err := base().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		want string
		mod  func(*Config)
	}{
		{"region: empty", func(c *Config) { c.Region = "" }},
		{`region: "us_east" is not a region name`, func(c *Config) { c.Region = "us_east" }},
		{"userPools[0].id: empty", func(c *Config) { c.UserPools[0].ID = "" }},
		{`userPools[0].id: "eu-west-1_X" is not of the form us-east-1_<name>`, func(c *Config) { c.UserPools[0].ID = "eu-west-1_X" }},
		{`userPools[0].id: "us-east-1_" is not of the form`, func(c *Config) { c.UserPools[0].ID = "us-east-1_" }},
		{`userPools[1].id: "us-east-1_Example" is used twice`, func(c *Config) { c.UserPools = append(c.UserPools, c.UserPools[0]) }},
		{`userPools[0].deviceTracking: "sometimes" is not one of always, opt-in, off`, func(c *Config) { c.UserPools[0].DeviceTracking = "sometimes" }},
		{`userPools[0].mfa: "MAYBE" is not one of OFF, OPTIONAL, ON`, func(c *Config) { c.UserPools[0].MFA = "MAYBE" }},
		{"userPools[0].passwordPolicy.minimumLength: 5 is not between 6 and 99", func(c *Config) { c.UserPools[0].PasswordPolicy = &PasswordPolicy{MinimumLength: 5} }},
		{"userPools[0].passwordPolicy.temporaryPasswordValidityDays: 366 is not", func(c *Config) {
			c.UserPools[0].PasswordPolicy = &PasswordPolicy{TemporaryPasswordValidityDays: 366}
		}},
		{`userPools[0].usernameAttributes[0]: "preferred_username" is not one of email, phone_number`, func(c *Config) { c.UserPools[0].UsernameAttributes = []string{"preferred_username"} }},
		{`userPools[0].autoVerifiedAttributes[0]: "name" is not one of email, phone_number`, func(c *Config) { c.UserPools[0].AutoVerifiedAttributes = []string{"name"} }},
		{`userPools[0].groups[1].groupName: "g" is used twice`, func(c *Config) { c.UserPools[0].Groups = []Group{{GroupName: "g"}, {GroupName: "g"}} }},
		{"userPools[0].groups[0].groupName: empty", func(c *Config) { c.UserPools[0].Groups = []Group{{}} }},
		{`userPools[0].users[0].groups[0]: "h" is not one of the pool's groups`, func(c *Config) {
			c.UserPools[0].Groups = []Group{{GroupName: "g"}}
			c.UserPools[0].Users[0].Groups = []string{"h"}
		}},
		{"userPools[0].clients[1].id: empty", func(c *Config) { c.UserPools[0].Clients[1].ID = "" }},
		{`userPools[0].clients[1].id: "a" is already used by userPools[0].clients[0]`, func(c *Config) { c.UserPools[0].Clients[1].ID = "a" }},
		{`userPools[0].clients[0].id: "a b" has characters`, func(c *Config) { c.UserPools[0].Clients[0].ID = "a b" }},
		{`userPools[0].clients[0].explicitAuthFlows[0]: "USER_SRP_AUTH" is not one of`, func(c *Config) { c.UserPools[0].Clients[0].ExplicitAuthFlows = []string{"USER_SRP_AUTH"} }},
		{"userPools[0].users[1].username: empty", func(c *Config) { c.UserPools[0].Users[1].Username = "" }},
		{`userPools[0].users[1].username: "alice" is already used`, func(c *Config) { c.UserPools[0].Users[1].Username = "alice" }},
		{"userPools[0].users[0].password: empty", func(c *Config) { c.UserPools[0].Users[0].Password = "" }},
		{`userPools[0].users[0].status: "ARCHIVED" is not one of`, func(c *Config) { c.UserPools[0].Users[0].Status = "ARCHIVED" }},
		{"userPools[0].users[0].totpSecret: not base32", func(c *Config) { c.UserPools[0].Users[0].TOTPSecret = "not base32!" }},
		{`userPools[0].users[0].mfa[0]: "VOICE" is not one of`, func(c *Config) { c.UserPools[0].Users[0].MFA = []string{"VOICE"} }},
		{"userPools[0].users[0].mfa[0]: SOFTWARE_TOKEN_MFA needs totpSecret", func(c *Config) { c.UserPools[0].Users[0].MFA = []string{"SOFTWARE_TOKEN_MFA"} }},
		{"userPools[0].users[1].mfa[0]: SMS_MFA needs the phone_number attribute", func(c *Config) { c.UserPools[0].Users[1].MFA = []string{"SMS_MFA"} }},
		{"userPools[0].users[1].mfa[0]: EMAIL_OTP needs the email attribute", func(c *Config) { c.UserPools[0].Users[1].MFA = []string{"EMAIL_OTP"} }},
		{"userPools[0].users[0].mfa: the user has MFA factors but the pool's mfa is OFF", func(c *Config) {
			c.UserPools[0].MFA = "OFF"
			c.UserPools[0].Users[0].TOTPSecret = "JBSWY3DPEHPK3PXP"
		}},
		{`userPools[0].users[1].attributes.email: "a@example.com" is already used by userPools[0].users[0].attributes.email`, func(c *Config) {
			c.UserPools[0].Users[1].Attributes = map[string]string{"email": "a@example.com"}
		}},
		{`userPools[0].users[1].attributes.preferred_username: "alice" is already used by userPools[0].users[0].username`, func(c *Config) {
			c.UserPools[0].Users[1].Attributes = map[string]string{"preferred_username": "alice"}
		}},
		{"userPools[0].users[0].requiredAttributes[0]: empty", func(c *Config) { c.UserPools[0].Users[0].RequiredAttributes = []string{""} }},
	} {
		cfg := base()
		tc.mod(&cfg)
		err := cfg.Validate()
		if err == nil {
			t.Errorf("%s: accepted", tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %q, want it to contain %q", err, tc.want)
		}
		if _, err := NewHandler(cfg, WithSigningKey(testKey())); err == nil {
			t.Errorf("%s: New accepted it", tc.want)
		}
	}
}

func TestNewOptions(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	if _, err := NewHandler(cfg, WithSessionTTL(0)); err == nil {
		t.Error("zero TTL accepted")
	}
	if _, err := NewHandler(cfg, WithSigningKey(weakKey(t))); err == nil {
		t.Error("weak key accepted")
	}
	e, err := NewHandler(cfg, WithSigningKey(testKey()), WithClock(func() time.Time { return time.Unix(0, 0) }))
	if err != nil {
		t.Fatal(err)
	}
	if e.Region() != "us-east-1" {
		t.Errorf("Region %q", e.Region())
	}
	// The emulator keeps no plaintext password.
	for _, p := range e.pools {
		for _, u := range p.users {
			if u.verifier == nil {
				t.Errorf("%s has no verifier", u.name)
			}
		}
	}
}

// TestConfigAdditions loads the fields of the user, admin, group and pool
// operations and checks that they take effect; a config with no pools is a
// server to seed through the API.
func TestConfigAdditions(t *testing.T) {
	t.Parallel()
	const in = `{
		"region": "us-east-1",
		"userPools": [{
			"id": "us-east-1_Extra",
			"name": "extra pool",
			"passwordPolicy": {"minimumLength": 12, "requireNumbers": true, "temporaryPasswordValidityDays": 2},
			"autoVerifiedAttributes": ["phone_number"],
			"groups": [{"groupName": "admins", "description": "d", "precedence": 0, "roleArn": "arn:aws:iam::000000000000:role/a"}],
			"clients": [{"id": "extra", "clientName": "Extra app"}],
			"users": [
				{"username": "una", "password": "pw", "status": "UNCONFIRMED"},
				{"username": "rex", "password": "pw", "status": "RESET_REQUIRED"},
				{"username": "dan", "password": "pw", "enabled": false},
				{"username": "gus", "password": "pw", "groups": ["admins"]}
			]
		}]
	}`
	cfg, err := LoadConfig(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, cfg)
	for user, want := range map[string]string{"una": "UserNotConfirmedException", "rex": "PasswordResetRequiredException", "dan": "NotAuthorizedException"} {
		if user == "dan" {
			_, err = h.initiate("extra", "USER_SRP_AUTH", map[string]string{"USERNAME": user, "SRP_A": mustEphemeral(t).SRPA()})
		} else {
			_, err = h.srpLogin("us-east-1_Extra", "extra", user, "pw", nil)
		}
		wantAPIError(t, err, want, "")
	}
	res := h.tokens(h.srpLogin("us-east-1_Extra", "extra", "gus", "pw", nil))
	if g := parseClaims(t, *res.IdToken)["cognito:groups"]; g == nil {
		t.Error("no cognito:groups")
	}
	code, body := signedCall(h.e, "DescribeUserPool", `{"UserPoolId": "us-east-1_Extra"}`)
	for _, want := range []string{`"Name":"extra pool"`, `"MinimumLength":12`, `"RequireNumbers":true`, `"TemporaryPasswordValidityDays":2`, `"AutoVerifiedAttributes":["phone_number"]`} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("DescribeUserPool: %d %s lacks %s", code, body, want)
		}
	}
	if _, body := signedCall(h.e, "DescribeUserPoolClient", `{"UserPoolId": "us-east-1_Extra", "ClientId": "extra"}`); !strings.Contains(body, `"ClientName":"Extra app"`) {
		t.Errorf("DescribeUserPoolClient: %s", body)
	}
	if _, err := NewHandler(Config{Region: "us-east-1"}, WithSigningKey(testKey())); err != nil {
		t.Errorf("a config without pools: %v", err)
	}
}
