package flows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

// exampleServer starts the local server with the users of the examples.
func exampleServer() *cognitotest.Server {
	return cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{
			{
				ID:      "us-east-1_Example",
				MFA:     "OPTIONAL",
				Clients: []cognitotest.AppClient{{ID: "exampleclient"}},
				Users: []cognitotest.User{
					{Username: "bob", Password: "correct horse battery staple", TOTPSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", MFA: []string{"SOFTWARE_TOKEN_MFA"}},
					{Username: "carol", Password: "temporary password", Status: "FORCE_CHANGE_PASSWORD", RequiredAttributes: []string{"name"}},
					{Username: "dave", Password: "correct horse battery staple", Attributes: map[string]string{"email": "dave@example.com"}},
				},
			},
			{
				ID:      "us-east-1_MFARequired",
				MFA:     "ON",
				Clients: []cognitotest.AppClient{{ID: "exampleclient2"}},
				Users:   []cognitotest.User{{Username: "erin", Password: "correct horse battery staple"}},
			},
		},
	})
}

// A web back-end that takes the password in one HTTP request and the MFA
// code in the next: the first handler starts the sign-in and keeps the
// pending step, as JSON, in a server-side session store; the second, which
// could run in another process, resumes it with a new Client.
func ExampleClient_Resume() {
	srv := exampleServer()
	defer srv.Close()
	newClient := func() *flows.Client {
		c, err := flows.New(srv.Client(), "us-east-1_Example", "exampleclient")
		if err != nil {
			log.Fatal(err)
		}
		return c
	}

	var mu sync.Mutex
	sessions := map[string][]byte{} // a short-lived server-side store, such as Redis

	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		step, err := newClient().Start(r.Context(), flows.UserSRP{Username: r.FormValue("username"), Password: r.FormValue("password")})
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusUnauthorized)
			return
		}
		if step.Done() {
			fmt.Fprintln(w, "signed in as", step.Result.Username)
			return
		}
		state, err := json.Marshal(step.Pending)
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		mu.Lock()
		sessions["session-id-from-a-cookie"] = state
		mu.Unlock()
		fmt.Fprintln(w, "next:", step.Pending.Challenge.Name)
	})
	mux.HandleFunc("POST /mfa", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		state := sessions["session-id-from-a-cookie"]
		delete(sessions, "session-id-from-a-cookie") // a Session is used once
		mu.Unlock()
		var p flows.Pending
		if err := json.Unmarshal(state, &p); err != nil {
			http.Error(w, "no sign-in in progress", http.StatusBadRequest)
			return
		}
		step, err := newClient().Resume(r.Context(), &p, flows.Answer{Value: r.FormValue("code")})
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusUnauthorized)
			return
		}
		if step.Done() {
			fmt.Fprintln(w, "signed in as", step.Result.Username)
		}
	})
	app := httptest.NewServer(mux)
	defer app.Close()

	post := func(path string, form url.Values) {
		resp, err := http.PostForm(app.URL+path, form)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Print(path, ": ", string(body))
	}
	post("/login", url.Values{"username": {"bob"}, "password": {"correct horse battery staple"}})
	// The user reads the code from an authenticator app.
	post("/mfa", url.Values{"code": {cognitotest.TOTPCode("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", time.Now())}})
	// Output:
	// /login: next: SOFTWARE_TOKEN_MFA
	// /mfa: signed in as bob
}

// A user created by an administrator must choose a new password, and give
// the attributes that the pool requires, at the first sign-in.
func ExampleClient_Start_newPasswordRequired() {
	srv := exampleServer()
	defer srv.Close()
	c, err := flows.New(srv.Client(), "us-east-1_Example", "exampleclient")
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	step, err := c.Start(ctx, flows.UserSRP{Username: "carol", Password: "temporary password"})
	if err != nil {
		log.Fatal(err)
	}
	ch := step.Pending.Challenge
	fmt.Println(ch.Name, "requires", ch.RequiredAttributes)
	step, err = c.Resume(ctx, step.Pending, flows.Answer{
		Value:          "a new password, long enough",
		UserAttributes: map[string]string{"name": "Carol"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", step.Result.Username)
	// Output:
	// NEW_PASSWORD_REQUIRED requires [name]
	// signed in as carol
}

// In a pool that requires MFA, a user without it sets up an authenticator
// app during sign-in (MFA_SETUP): show the secret, or its otpauth:// URI as
// a QR code, and answer with the app's code.
func ExampleClient_Start_totpSetup() {
	srv := exampleServer()
	defer srv.Close()
	c, err := flows.New(srv.Client(), "us-east-1_MFARequired", "exampleclient2")
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	step, err := c.Start(ctx, flows.UserSRP{Username: "erin", Password: "correct horse battery staple"})
	if err != nil {
		log.Fatal(err)
	}
	ch := step.Pending.Challenge
	uri := ch.OTPAuthURI("Example Corp")
	fmt.Println(ch.Name, strings.HasPrefix(uri, "otpauth://totp/Example%20Corp:erin?"))

	// The user scans the QR code; the app shows its code.
	code := cognitotest.TOTPCode(ch.SecretCode, time.Now())
	step, err = c.Resume(ctx, step.Pending, flows.Answer{Value: code})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", step.Result.Username)
	// Output:
	// MFA_SETUP true
	// signed in as erin
}

// Passwordless sign-in with USER_AUTH: the user chooses a one-time code by
// email among the first factors that the pool offers, and types it.
func ExampleClient_Start_passwordless() {
	srv := exampleServer()
	defer srv.Close()
	c, err := flows.New(srv.Client(), "us-east-1_Example", "exampleclient")
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	step, err := c.Start(ctx, flows.UserAuth{Username: "dave@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(step.Pending.Challenge.Name, step.Pending.Challenge.Options)
	step, err = c.Resume(ctx, step.Pending, flows.Answer{Value: string(types.ChallengeNameTypeEmailOtp)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(step.Pending.Challenge.Name, "sent by", step.Pending.Challenge.DeliveryMedium)

	// The user reads the code in the email.
	code, _ := srv.LastCode("us-east-1_Example", "dave")
	step, err = c.Resume(ctx, step.Pending, flows.Answer{Value: code})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", step.Result.Username)
	// Output:
	// SELECT_CHALLENGE [PASSWORD_SRP PASSWORD EMAIL_OTP]
	// EMAIL_OTP sent by EMAIL
	// signed in as dave
}

// New tokens without the password: REFRESH_TOKEN_AUTH with the refresh
// token of a sign-in, for the internal user name that the sign-in returned.
func ExampleClient_Refresh() {
	srv := exampleServer()
	defer srv.Close()
	c, err := flows.New(srv.Client(), "us-east-1_Example", "exampleclient")
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	res, err := c.LoginUserAuth(ctx, "dave@example.com", "correct horse battery staple")
	if err != nil {
		log.Fatal(err)
	}
	refreshed, err := c.Refresh(ctx, res.Username, *res.AuthenticationResult.RefreshToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refreshed for", refreshed.Username, "new ID token:", *refreshed.AuthenticationResult.IdToken != "")
	// Output:
	// refreshed for dave new ID token: true
}
