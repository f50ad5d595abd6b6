// Package secrethash computes the SECRET_HASH that Amazon Cognito user pools
// require from app clients that have a client secret.
//
// For most uses, call [Compute] with the app client's id and secret and the
// user name, and send the result as the SECRET_HASH authentication parameter
// or challenge response.
//
// # Which user name
//
// InitiateAuth takes the hash of the name the user typed (which may be an
// alias such as an email address). Every RespondToAuthChallenge answer, and
// REFRESH_TOKEN_AUTH, takes the hash of the internal user name: the USERNAME
// challenge parameter, or the cognito:username claim of the ID token.
//
// See [Computing secret hash values] in the Amazon Cognito Developer Guide.
//
// [Computing secret hash values]: https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
package secrethash

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// Compute returns SECRET_HASH: the standard base64 encoding of
// HMAC-SHA256 with the client secret as key over the user name followed by
// the client id.
func Compute(clientID, clientSecret, username string) string {
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(username))
	mac.Write([]byte(clientID))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
