package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// The pool and client of examplesConfig that the tests of the test-only
// powers sign up to.
const (
	examplePoolID   = "us-east-1_Example"
	exampleClientID = "exampleclient"
)

// outboxJSON is the answer of GET /_cognitosrp/outbox, exactly as DESIGN §4
// specifies it: decoding rejects any other member.
type outboxJSON struct {
	Messages []struct {
		UserPoolID     string `json:"userPoolId"`
		Username       string `json:"username"`
		DeliveryMedium string `json:"deliveryMedium"`
		Destination    string `json:"destination"`
		Reason         string `json:"reason"`
		Code           string `json:"code"`
		Time           string `json:"time"`
	} `json:"messages"`
}

// TestServeTestOnlyPowers runs serve with each test-only power (--outbox,
// --log-codes, --cognito-issuer) off and on. Off (the default): nothing is
// served under /_cognitosrp/, no code is logged, tokens have the local
// issuer. On: the outbox answers as DESIGN §4 says and its code confirms a
// sign-up; the log holds the code, which confirms a sign-up too; tokens
// carry Cognito's issuer and verify with the key set still served locally.
func TestServeTestOnlyPowers(t *testing.T) {
	for _, tc := range []struct {
		name                            string
		outbox, logCodes, cognitoIssuer bool
	}{
		{name: "none"},
		{name: "outbox", outbox: true},
		{name: "log-codes", logCodes: true},
		{name: "cognito-issuer", cognitoIssuer: true},
		{name: "all", outbox: true, logCodes: true, cognitoIssuer: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"--config", examplesConfig}
			if tc.outbox {
				args = append(args, "--outbox")
			}
			if tc.logCodes {
				args = append(args, "--log-codes")
			}
			if tc.cognitoIssuer {
				args = append(args, "--cognito-issuer")
			}
			url, stderr, stop := startServe(t, args...)
			api := cip.New(cip.Options{BaseEndpoint: aws.String(url), Region: "us-east-1", Credentials: aws.AnonymousCredentials{}})

			// A sign-up, whose code goes to erin's email.
			const username, password = "erin", "Correct-Horse-5"
			if _, err := api.SignUp(t.Context(), &cip.SignUpInput{
				ClientId: aws.String(exampleClientID), Username: aws.String(username), Password: aws.String(password),
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("erin@example.com")}},
			}); err != nil {
				t.Fatalf("SignUp: %v", err)
			}

			// The outbox over HTTP.
			var code string
			status, body := get(t, url+"/_cognitosrp/outbox?userPoolId="+examplePoolID+"&username="+username)
			if !tc.outbox {
				if status != http.StatusNotFound || strings.Contains(body, "messages") {
					t.Errorf("without --outbox, GET /_cognitosrp/outbox: %d %s, want 404", status, body)
				}
				if status, body := get(t, url+"/_cognitosrp/outbox?userPoolId="+examplePoolID); status != http.StatusNotFound {
					t.Errorf("without --outbox, GET /_cognitosrp/outbox for the pool: %d %s, want 404", status, body)
				}
			} else {
				code = checkOutbox(t, status, body, username)
				if status, body := get(t, url+"/_cognitosrp/outbox?userPoolId="+examplePoolID+"&username=nobody"); status != http.StatusOK || body != `{"messages":[]}` {
					t.Errorf("the outbox of a user without messages: %d %s", status, body)
				}
				if status, _ := get(t, url+"/_cognitosrp/outbox?userPoolId=us-east-1_Nope"); status != http.StatusNotFound {
					t.Errorf("the outbox of an unknown pool: %d, want 404", status)
				}
			}

			// The code in the log.
			logged := regexp.MustCompile(`username=` + username + ` .*reason=SignUp code=(\d+)`).FindStringSubmatch(stderr.String())
			if !tc.logCodes {
				if logged != nil || strings.Contains(stderr.String(), "code=") {
					t.Errorf("without --log-codes, the log holds a code:\n%s", stderr)
				}
				if code != "" && strings.Contains(stderr.String(), code) {
					t.Errorf("without --log-codes, the log holds the outbox's code %s:\n%s", code, stderr)
				}
			} else {
				if logged == nil {
					t.Fatalf("with --log-codes, the log has no code for the sign-up:\n%s", stderr)
				}
				if code != "" && logged[1] != code {
					t.Errorf("the log's code %s is not the outbox's %s", logged[1], code)
				}
				code = logged[1]
			}
			if warned := strings.Contains(stderr.String(), "test-only powers on"); warned != (tc.outbox || tc.logCodes || tc.cognitoIssuer) {
				t.Errorf("the test-only warning logged: %v; want it exactly when a power is on:\n%s", warned, stderr)
			}

			// The code read confirms the sign-up (after a wrong one is refused).
			if code != "" {
				wrong := "000000"
				if code == wrong {
					wrong = "111111"
				}
				_, err := api.ConfirmSignUp(t.Context(), &cip.ConfirmSignUpInput{ClientId: aws.String(exampleClientID), Username: aws.String(username), ConfirmationCode: aws.String(wrong)})
				if _, ok := errors.AsType[*types.CodeMismatchException](err); !ok {
					t.Errorf("ConfirmSignUp with a wrong code: %v, want CodeMismatchException", err)
				}
				if _, err := api.ConfirmSignUp(t.Context(), &cip.ConfirmSignUpInput{ClientId: aws.String(exampleClientID), Username: aws.String(username), ConfirmationCode: aws.String(code)}); err != nil {
					t.Fatalf("ConfirmSignUp with the code read: %v", err)
				}
			}

			// Sign in (as alice, confirmed in the config) and check the issuer.
			r := runCLI(t, strings.NewReader("Correct-Horse-1\n"), "login", "--endpoint-url", url,
				"--user-pool-id", examplePoolID, "--client-id", exampleClientID,
				"--username", "alice", "--password-stdin", "--device-store", filepath.Join(t.TempDir(), "d.json"))
			if r.code != 0 {
				t.Fatalf("login: %v", r)
			}
			tokens := decodeJSON(t, r.stdout)
			wantIss := url + "/" + examplePoolID
			if tc.cognitoIssuer {
				wantIss = "https://cognito-idp.us-east-1.amazonaws.com/" + examplePoolID
			}
			checkIssuer(t, url, wantIss, tokens.IdToken, tokens.AccessToken)

			// A user confirmed with the code signs in.
			if code != "" {
				r := runCLI(t, strings.NewReader(password+"\n"), "login", "--endpoint-url", url,
					"--user-pool-id", examplePoolID, "--client-id", exampleClientID, "--username", username, "--password-stdin")
				if r.code != 0 {
					t.Errorf("login as the user confirmed with the code read: %v", r)
				}
			}
			if c := stop(); c != 0 {
				t.Errorf("serve exited with %d", c)
			}
		})
	}
}

// checkOutbox checks the outbox's answer for the user who signed up, and
// returns the code.
func checkOutbox(t *testing.T, status int, body, username string) string {
	t.Helper()
	if status != http.StatusOK {
		t.Fatalf("GET /_cognitosrp/outbox: %d %s", status, body)
	}
	var out outboxJSON
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("the outbox's answer %s: %v", body, err)
	}
	if len(out.Messages) != 1 {
		t.Fatalf("the outbox has %d messages for %s, want 1: %s", len(out.Messages), username, body)
	}
	m := out.Messages[0]
	if m.UserPoolID != examplePoolID || m.Username != username || m.DeliveryMedium != "EMAIL" ||
		m.Destination != "erin@example.com" || m.Reason != "SignUp" || !regexp.MustCompile(`^\d{6}$`).MatchString(m.Code) {
		t.Errorf("the outbox's message: %+v", m)
	}
	if tm, err := time.Parse(time.RFC3339, m.Time); err != nil || time.Since(tm) > time.Hour || time.Until(tm) > time.Minute {
		t.Errorf("the message's time %q: %v", m.Time, err)
	}
	return m.Code
}

// checkIssuer checks that the tokens have the issuer want, that the OpenID
// configuration names it with the local key set, and that the tokens verify
// against that key set.
func checkIssuer(t *testing.T, url, want string, tokens ...string) {
	t.Helper()
	status, body := get(t, url+"/"+examplePoolID+"/.well-known/openid-configuration")
	var oidc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &oidc) != nil {
		t.Fatalf("openid-configuration: %d %s", status, body)
	}
	jwksURI := url + "/" + examplePoolID + "/.well-known/jwks.json"
	if oidc.Issuer != want || oidc.JWKSURI != jwksURI {
		t.Errorf("openid-configuration: issuer %q, jwks_uri %q; want %q, %q", oidc.Issuer, oidc.JWKSURI, want, jwksURI)
	}
	status, body = get(t, jwksURI)
	var keys jose.JSONWebKeySet
	if status != http.StatusOK || json.Unmarshal([]byte(body), &keys) != nil || len(keys.Keys) == 0 {
		t.Fatalf("jwks.json: %d %s", status, body)
	}
	for _, tok := range tokens {
		parsed, err := jwt.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatalf("parsing a token: %v", err)
		}
		var claims jwt.Claims
		var use struct {
			TokenUse string `json:"token_use"`
		}
		if err := parsed.Claims(keys, &claims, &use); err != nil {
			t.Errorf("a token does not verify with the local key set: %v", err)
			continue
		}
		if err := claims.ValidateWithLeeway(jwt.Expected{Issuer: want, Time: time.Now()}, time.Minute); err != nil {
			t.Errorf("the %s token: iss %q, want %q: %v", use.TokenUse, claims.Issuer, want, err)
		}
	}
}

// get fetches url and returns the status and the body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// TestServeHelpListsConfigFields: serve --help's summary of the config
// names every field that the config file may have, so that it cannot fall
// behind the config's type.
func TestServeHelpListsConfigFields(t *testing.T) {
	// The config's type, by loadConfig, whatever package it lives in.
	cfg := reflect.TypeOf(loadConfig).Out(0)
	seen := map[reflect.Type]bool{}
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if !strings.Contains(serveUsage, `"`+name+`"`) {
				t.Errorf("serve --help does not list the config field %s.%s (%q)", path, f.Name, name)
			}
			walk(path+"."+f.Name, f.Type)
		}
	}
	walk(cfg.Name(), cfg)
	if len(seen) < 5 {
		t.Errorf("walked %d struct types of the config, want all of them", len(seen))
	}
}
