package flows_test

import (
	"context"
	"fmt"
	"log"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

// A server-side app with AWS credentials signs a user in through
// AdminInitiateAuth and AdminRespondToAuthChallenge: first with SRP, so that
// the password stays in the process, then, for an app client that allows
// only the admin password flow, with ADMIN_USER_PASSWORD_AUTH; and refreshes
// with AdminInitiateAuth.
func ExampleNewAdmin() {
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID: "us-east-1_Server",
			Clients: []cognitotest.AppClient{
				{ID: "srpclient", Secret: "example-client-secret",
					ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
				{ID: "pwclient",
					ExplicitAuthFlows: []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
			},
			Users: []cognitotest.User{{Username: "frank", Password: "correct horse battery staple",
				Attributes: map[string]string{"email": "frank@example.com"}}},
		}},
	})
	defer srv.Close()
	ctx := context.Background()

	// In production: cognitoidentityprovider.NewFromConfig(cfg), with cfg
	// from config.LoadDefaultConfig, whose credentials sign the admin
	// calls. The local server's client has made-up credentials, and the
	// server accepts any signature but refuses unsigned admin calls.
	api := srv.Client()

	c, err := flows.NewAdmin(api, "us-east-1_Server", "srpclient", func(o *flows.Options) {
		o.ClientSecret = "example-client-secret"
		o.RefreshWith = flows.RefreshTokenAuth // AdminInitiateAuth REFRESH_TOKEN_AUTH
	})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Login(ctx, "frank@example.com", "correct horse battery staple")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("SRP: signed in as", res.Username)

	res, err = c.Refresh(ctx, res.Username, *res.AuthenticationResult.RefreshToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refreshed:", *res.AuthenticationResult.AccessToken != "")

	pw, err := flows.NewAdmin(api, "us-east-1_Server", "pwclient")
	if err != nil {
		log.Fatal(err)
	}
	res, err = pw.LoginAdminPassword(ctx, "frank", "correct horse battery staple")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ADMIN_USER_PASSWORD_AUTH: signed in as", res.Username)
	// Output:
	// SRP: signed in as frank
	// refreshed: true
	// ADMIN_USER_PASSWORD_AUTH: signed in as frank
}
