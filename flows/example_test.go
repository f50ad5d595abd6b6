package flows_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/flows/terminal"
)

// A whole USER_SRP_AUTH sign-in against the local server of package
// cognitotest, by email alias, with an app client that has a secret. With
// real Cognito, pass cognitoidentityprovider.NewFromConfig(cfg) instead of
// srv.Client().
func ExampleClient_Login() {
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID:      "us-east-1_Example",
			Clients: []cognitotest.AppClient{{ID: "exampleclient", Secret: "examplesecret"}},
			Users: []cognitotest.User{{
				Username:   "alice",
				Password:   "correct horse battery staple",
				Attributes: map[string]string{"email": "alice@example.com"},
			}},
		}},
	})
	defer srv.Close()

	c, err := flows.New(srv.Client(), "us-east-1_Example", "exampleclient", func(o *flows.Options) {
		o.ClientSecret = "examplesecret"
	})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Login(context.Background(), "alice@example.com", "correct horse battery staple")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", res.Username)
	fmt.Println("token type:", *res.AuthenticationResult.TokenType)

	_, err = c.Login(context.Background(), "alice@example.com", "wrong password")
	var notAuthorized *types.NotAuthorizedException
	fmt.Println("wrong password refused:", errors.As(err, &notAuthorized))
	// Output:
	// signed in as alice
	// token type: Bearer
	// wrong password refused: true
}

// A ChallengeHandler for MFA codes, and a remembered device: the first
// sign-in asks for the authenticator app's code and remembers the device
// in a file; the second proves the device instead (DEVICE_SRP_AUTH) and
// asks for nothing.
func ExampleChallengeHandlerFunc() {
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" // in the user's authenticator app
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID:             "us-east-1_Example",
			DeviceTracking: "always",
			Clients:        []cognitotest.AppClient{{ID: "exampleclient"}},
			Users: []cognitotest.User{{
				Username:   "bob",
				Password:   "correct horse battery staple",
				TOTPSecret: secret,
				MFA:        []string{"SOFTWARE_TOKEN_MFA"},
			}},
		}},
	})
	defer srv.Close()

	// A terminal program would use package flows/terminal, which prompts
	// and reads a line.
	handler := flows.ChallengeHandlerFunc(func(ctx context.Context, c *flows.Challenge) (flows.Answer, error) {
		fmt.Println("prompt:", terminal.Prompt(c))
		if c.Name != types.ChallengeNameTypeSoftwareTokenMfa {
			return flows.Answer{}, fmt.Errorf("cannot answer %s", c.Name)
		}
		return flows.Answer{Value: cognitotest.TOTPCode(secret, time.Now())}, nil
	})

	dir, err := os.MkdirTemp("", "cognitosrp-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	c, err := flows.New(srv.Client(), "us-east-1_Example", "exampleclient", func(o *flows.Options) {
		o.Handler = handler
		o.DeviceStore = flows.NewFileStore(filepath.Join(dir, "devices.json"))
	})
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		res, err := c.Login(context.Background(), "bob", "correct horse battery staple")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("signed in as", res.Username, "with a remembered device:", res.Device != nil)
	}
	// Output:
	// prompt: Code from your authenticator app
	// signed in as bob with a remembered device: true
	// signed in as bob with a remembered device: true
}
