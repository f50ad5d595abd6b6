package flows_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"golang.org/x/oauth2"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

// A TokenSource keeps a sign-in's tokens valid, and as an oauth2.TokenSource
// lets oauth2.NewClient send the access token as a Bearer header. Here the
// app client rotates refresh tokens, and the server's clock, which the
// Client shares, is stepped past the access token's expiry (one hour).
func ExampleTokenSource() {
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID: "us-east-1_Example",
			Clients: []cognitotest.AppClient{{
				ID:                   "exampleclient",
				RefreshTokenRotation: &cognitotest.RefreshTokenRotation{Feature: "ENABLED", RetryGracePeriodSeconds: 10},
			}},
			Users: []cognitotest.User{{Username: "alice", Password: "correct horse battery staple"}},
		}},
	})
	defer srv.Close()
	c, err := flows.New(srv.Client(), "us-east-1_Example", "exampleclient", func(o *flows.Options) {
		o.Clock = srv.Now
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	res, err := c.Login(ctx, "alice", "correct horse battery staple")
	if err != nil {
		log.Fatal(err)
	}
	first := c.NewTokens(res)
	ts, err := c.TokenSource(first, func(o *flows.TokenSourceOptions) {
		o.Store = flows.NewMemoryTokenStore() // or flows.NewFileTokenStore(path)
	})
	if err != nil {
		log.Fatal(err)
	}

	// An API that wants the access token.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, err := ts.AccessToken(r.Context())
		fmt.Println("API sees the access token:", err == nil && r.Header.Get("Authorization") == "Bearer "+tok)
	}))
	defer api.Close()
	resp, err := oauth2.NewClient(ctx, ts).Get(api.URL)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()

	srv.Advance(time.Hour)
	tok, err := ts.Tokens(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refreshed:", tok.AccessToken != first.AccessToken)
	fmt.Println("refresh token rotated:", tok.RefreshToken != first.RefreshToken)
	// Output:
	// API sees the access token: true
	// refreshed: true
	// refresh token rotated: true
}
