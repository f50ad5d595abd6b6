package cognitotest_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/srp"
)

// A whole USER_SRP_AUTH sign-in against the local server, with package srp
// doing the client's math and the AWS SDK for Go v2 doing the calls.
func Example() {
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID:      "us-east-1_Example",
			Clients: []cognitotest.AppClient{{ID: "example-client"}},
			Users: []cognitotest.User{{
				Username:   "alice",
				Password:   "correct horse battery staple",
				Attributes: map[string]string{"email": "alice@example.com"},
			}},
		}},
	})
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	eph, err := srp.NewEphemeral()
	if err != nil {
		log.Fatal(err)
	}
	// Sign in with the email alias: USER_ID_FOR_SRP is the real user name.
	init, err := client.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserSrpAuth,
		ClientId: aws.String("example-client"),
		AuthParameters: map[string]string{
			"USERNAME": "alice@example.com",
			"SRP_A":    eph.SRPA(),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("challenge:", init.ChallengeName)
	userID := init.ChallengeParameters["USER_ID_FOR_SRP"]
	fmt.Println("USER_ID_FOR_SRP:", userID)

	ch, err := srp.ParseChallengeParameters(init.ChallengeParameters)
	if err != nil {
		log.Fatal(err)
	}
	claim, err := eph.PasswordClaim("us-east-1_Example", userID, "correct horse battery staple", ch, time.Now())
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ClientId:      aws.String("example-client"),
		Session:       init.Session,
		ChallengeResponses: map[string]string{
			"USERNAME":                    init.ChallengeParameters["USERNAME"],
			"PASSWORD_CLAIM_SIGNATURE":    claim.Signature,
			"PASSWORD_CLAIM_SECRET_BLOCK": claim.SecretBlock,
			"TIMESTAMP":                   claim.Timestamp,
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	res := resp.AuthenticationResult
	fmt.Println("token type:", aws.ToString(res.TokenType), "expires in:", res.ExpiresIn)

	user, err := client.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as:", aws.ToString(user.Username))
	// Output:
	// challenge: PASSWORD_VERIFIER
	// USER_ID_FOR_SRP: alice
	// token type: Bearer expires in: 3600
	// signed in as: alice
}

// A server seeded through the API, as a test would seed Cognito: a pool, an
// app client and a user who signs up and confirms with the code from the
// outbox.
func Example_signUp() {
	srv := cognitotest.NewServer(cognitotest.Config{Region: "us-east-1"})
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	pool, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:               aws.String("example"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	})
	if err != nil {
		log.Fatal(err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	app, err := client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("web")})
	if err != nil {
		log.Fatal(err)
	}
	clientID := app.UserPoolClient.ClientId

	out, err := client.SignUp(ctx, &cip.SignUpInput{
		ClientId: clientID, Username: aws.String("bea"), Password: aws.String("Correct-h0rse"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("bea@example.com")}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("code sent to", aws.ToString(out.CodeDeliveryDetails.Destination))
	code, _ := srv.LastCode(poolID, "bea")
	if _, err := client.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: clientID, Username: aws.String("bea"), ConfirmationCode: aws.String(code)}); err != nil {
		log.Fatal(err)
	}
	user, err := client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("bea@example.com")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(aws.ToString(user.Username), user.UserStatus)
	// Output:
	// code sent to b***@e***
	// bea CONFIRMED
}

// A test of an app that signs in with package flows: the first sign-in
// remembers the device, the second proves it with DEVICE_SRP_AUTH, and the
// server says how many devices the user has.
func Example_flows() {
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID:             "us-east-1_Example",
			DeviceTracking: "always",
			Clients:        []cognitotest.AppClient{{ID: "example-client", Secret: "example-secret"}},
			Users:          []cognitotest.User{{Username: "alice", Password: "correct horse battery staple"}},
		}},
	})
	defer srv.Close()
	ctx := context.Background()

	fc, err := flows.New(srv.Client(), "us-east-1_Example", "example-client", func(o *flows.Options) {
		o.ClientSecret = "example-secret"
		o.DeviceStore = flows.NewMemoryStore()
	})
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		res, err := fc.Login(ctx, "alice", "correct horse battery staple")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Username, "device:", res.DeviceEvent)
	}
	fmt.Println("devices:", srv.DeviceCount("us-east-1_Example", "alice"))
	// Output:
	// alice device: Confirmed
	// alice device: Authenticated
	// devices: 1
}
