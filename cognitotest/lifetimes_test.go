package cognitotest

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestClientTokenConfig checks the token fields of app clients: Cognito's
// field names, defaults, units and ranges.
func TestClientTokenConfig(t *testing.T) {
	t.Parallel()
	load := func(t *testing.T, client string) (clientTokens, error) {
		t.Helper()
		cfg, err := LoadConfig(strings.NewReader(`{"region": "us-east-1", "userPools": [{"id": "us-east-1_A", "clients": [` + client + `], "users": []}]}`))
		if err != nil {
			t.Fatalf("LoadConfig: %v", err)
		}
		if err := cfg.Validate(); err != nil {
			return clientTokens{}, err
		}
		return parseClientTokens(cfg.UserPools[0].Clients[0])
	}
	const day = 24 * time.Hour
	for _, tc := range []struct {
		client string
		want   clientTokens
	}{
		{`{"id": "a"}`, clientTokens{access: time.Hour, id: time.Hour, refresh: 30 * day}},
		{`{"id": "a", "accessTokenValidity": 2, "idTokenValidity": 24, "refreshTokenValidity": 3650}`, clientTokens{access: 2 * time.Hour, id: day, refresh: 3650 * day}},
		{`{"id": "a", "accessTokenValidity": 300, "idTokenValidity": 5, "refreshTokenValidity": 60,
		   "tokenValidityUnits": {"accessToken": "seconds", "idToken": "minutes", "refreshToken": "minutes"}}`,
			clientTokens{access: 5 * time.Minute, id: 5 * time.Minute, refresh: time.Hour}},
		{`{"id": "a", "accessTokenValidity": 1, "tokenValidityUnits": {"accessToken": "days"}}`, clientTokens{access: day, id: time.Hour, refresh: 30 * day}},
		{`{"id": "a", "refreshTokenRotation": {"feature": "ENABLED", "retryGracePeriodSeconds": 60}}`, clientTokens{access: time.Hour, id: time.Hour, refresh: 30 * day, rotate: true, grace: time.Minute}},
		{`{"id": "a", "refreshTokenRotation": {"feature": "DISABLED"}, "explicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"]}`, clientTokens{access: time.Hour, id: time.Hour, refresh: 30 * day}},
	} {
		got, err := load(t, tc.client)
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.client, got, err, tc.want)
		}
	}

	for client, want := range map[string]string{
		`{"id": "a", "accessTokenValidity": 4, "tokenValidityUnits": {"accessToken": "minutes"}}`:                                               "clients[0].accessTokenValidity: 4 minutes is less than 5 minutes",
		`{"id": "a", "accessTokenValidity": 25}`:                                                                                                "clients[0].accessTokenValidity: 25 hours is more than 1 day",
		`{"id": "a", "idTokenValidity": 2, "tokenValidityUnits": {"idToken": "days"}}`:                                                          "clients[0].idTokenValidity: 2 days is more than 1 day",
		`{"id": "a", "idTokenValidity": -1}`:                                                                                                    "clients[0].idTokenValidity: -1 is negative",
		`{"id": "a", "refreshTokenValidity": 59, "tokenValidityUnits": {"refreshToken": "minutes"}}`:                                            "clients[0].refreshTokenValidity: 59 minutes is less than 1 hour",
		`{"id": "a", "refreshTokenValidity": 3651}`:                                                                                             "clients[0].refreshTokenValidity: 3651 days is more than 3650 days",
		`{"id": "a", "refreshTokenValidity": 9223372036854775807}`:                                                                              "clients[0].refreshTokenValidity: 9223372036854775807 days is more than 3650 days",
		`{"id": "a", "tokenValidityUnits": {"accessToken": "weeks"}}`:                                                                           `clients[0].tokenValidityUnits.accessToken: "weeks" is not one of seconds, minutes, hours, days`,
		`{"id": "a", "refreshTokenRotation": {"retryGracePeriodSeconds": 5}}`:                                                                   "clients[0].refreshTokenRotation.feature: empty",
		`{"id": "a", "refreshTokenRotation": {"feature": "ON"}}`:                                                                                `clients[0].refreshTokenRotation.feature: "ON" is not one of ENABLED, DISABLED`,
		`{"id": "a", "refreshTokenRotation": {"feature": "ENABLED", "retryGracePeriodSeconds": 61}}`:                                            "clients[0].refreshTokenRotation.retryGracePeriodSeconds: 61 is not between 0 and 60",
		`{"id": "a", "refreshTokenRotation": {"feature": "ENABLED"}, "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}`: "clients[0].explicitAuthFlows[1]: ALLOW_REFRESH_TOKEN_AUTH cannot be enabled with refresh token rotation",
	} {
		_, err := load(t, client)
		if err == nil || !strings.Contains(err.Error(), "userPools[0]."+want) {
			t.Errorf("%s: error %v, want %q", client, err, want)
		}
	}
}

// TestRotationDefaultFlows checks that the default flows of a rotating
// client leave out ALLOW_REFRESH_TOKEN_AUTH, and only of such a client.
func TestRotationDefaultFlows(t *testing.T) {
	t.Parallel()
	cfg := Config{Region: "us-east-1", UserPools: []UserPool{{ID: "us-east-1_A", Clients: []AppClient{
		{ID: "rot", RefreshTokenRotation: &RefreshTokenRotation{Feature: "ENABLED"}},
		{ID: "norot", RefreshTokenRotation: &RefreshTokenRotation{Feature: "DISABLED"}},
	}}}}
	e, err := NewHandler(cfg, WithSigningKey(testKey()))
	if err != nil {
		t.Fatal(err)
	}
	if c := e.clients["rot"]; c.allows(flowAllowRefresh) || !c.allows(flowAllowUserSRP) || !c.tokens.rotate {
		t.Errorf("rotating client: flows %v", c.perms.Load().flows)
	}
	if c := e.clients["norot"]; !c.allows(flowAllowRefresh) || c.tokens.rotate {
		t.Errorf("non-rotating client: flows %v", c.perms.Load().flows)
	}
}

// TestExampleConfigLoads checks that examples/serve.json loads, with its
// rotating client.
func TestExampleConfigLoads(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../examples/serve.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := LoadConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewHandler(cfg, WithSigningKey(testKey()))
	if err != nil {
		t.Fatal(err)
	}
	if c := e.clients["examplerotating"]; c == nil || !c.tokens.rotate {
		t.Errorf("examplerotating: %+v", c)
	}
}
