package cognitotest

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/cognitosrp/cognitosrp/srp"
)

// apiError is an error answered to the client in Cognito's shape: HTTP status
// (400 unless set), {"__type": Type, "message": Message} and the
// x-amzn-ErrorType header.
type apiError struct {
	Status  int
	Type    string
	Message string
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

// Error types, as Cognito names them.
const (
	errNotAuthorized         = "NotAuthorizedException"
	errUserNotFound          = "UserNotFoundException"
	errInvalidParameter      = "InvalidParameterException"
	errCodeMismatch          = "CodeMismatchException"
	errExpiredCode           = "ExpiredCodeException"
	errInvalidPassword       = "InvalidPasswordException"
	errResourceNotFound      = "ResourceNotFoundException"
	errSerialization         = "SerializationException"
	errUnknownOperation      = "UnknownOperationException"
	errInternal              = "InternalErrorException"
	errEnableSoftwareToken   = "EnableSoftwareTokenMFAException"
	errSoftwareTokenNotFound = "SoftwareTokenMFANotFoundException"
	errAliasExists           = "AliasExistsException"
	errTooManyFailedAttempts = "TooManyFailedAttemptsException"
)

// Messages, in Cognito's words where Cognito's are known.
const (
	msgIncorrect        = "Incorrect username or password."
	msgUserNotFound     = "User does not exist."
	msgInvalidSession   = "Invalid session for the user."
	msgSessionUsed      = "Invalid session for the user, session can only be used once."
	msgSessionExpired   = "Invalid session for the user, session is expired."
	msgDeviceNotFound   = "Device does not exist."
	msgInvalidAccess    = "Invalid Access Token"
	msgRevokedAccess    = "Access Token has been revoked"
	msgExpiredAccess    = "Access Token has expired"
	msgInvalidRefresh   = "Invalid Refresh Token"
	msgRevokedRefresh   = "Refresh Token has been revoked"
	msgTOTPMismatch     = "Invalid code received for user"
	msgCodeMismatch     = "Invalid code or auth state for the user."
	msgTimestampFormat  = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
	msgPasswordTooShort = "Password does not conform to policy: Password not long enough"
	msgEnableTOTP       = "Code mismatch and fail enable Software Token MFA"
	// msgPasswordAttempts is Cognito's answer during a lockout
	// (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior).
	msgPasswordAttempts = "Password attempts exceeded"
	// msgUnauthorizedAttribute is Cognito's NotAuthorizedException for an
	// attribute outside the app client's WriteAttributes (as reported in
	// aws/aws-sdk-js#1319 and amplify-js#5345; not in the API reference).
	msgUnauthorizedAttribute = "A client attempted to write unauthorized attribute"
)

// errCodeAttempts is the answer to a code while the user is locked out
// after too many wrong codes. Cognito does not document what it answers;
// TooManyFailedAttemptsException is its error "when the user has made too
// many failed attempts for a given action, such as sign-in"
// (https://docs.aws.amazon.com/botocore/latest/reference/services/cognito-idp/client/exceptions/TooManyFailedAttemptsException.html).
func errCodeAttempts() *apiError {
	return newError(errTooManyFailedAttempts, "Too many failed attempts. Try again later.")
}

// errAliasTaken is Cognito's AliasExistsException for an alias attribute
// value that another user holds.
func errAliasTaken(attr string) *apiError {
	return newError(errAliasExists, "An account with the given %s already exists.", attr)
}

func newError(typ, format string, args ...any) *apiError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &apiError{Type: typ, Message: msg}
}

func notAuthorized(msg string) *apiError { return &apiError{Type: errNotAuthorized, Message: msg} }

func invalidParam(format string, args ...any) *apiError {
	return newError(errInvalidParameter, format, args...)
}

func missingParam(name string) *apiError {
	return invalidParam("Missing required parameter %s", name)
}

// validationError is the message of Cognito's (Coral's) input validation.
func validationError(value, member, constraint string) *apiError {
	return invalidParam("1 validation error detected: Value %s at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func nullMember(member string) *apiError {
	return validationError("null", member, "Member must not be null")
}

// srpError maps an error of package srp about a client's value to Cognito's
// InvalidParameterException, naming the parameter but never its value.
func srpError(err error) error {
	if errors.Is(err, srp.ErrSafetyCheck) {
		return invalidParam("SRP_A cannot be 0 mod N")
	}
	var pe *srp.ParameterError
	if errors.As(err, &pe) {
		return invalidParam("Invalid %s: %v", pe.Param, pe.Err)
	}
	return err
}

// asAPIError maps an error that an operation returned to the error the
// client is answered with: the one place where errors become Cognito's. An
// *apiError (made by newError and friends) is answered as it is; any other
// error is a bug or a failure of the server itself (signing a token,
// reading randomness), answered InternalErrorException with HTTP 500 and
// without its text, which could hold a secret.
func asAPIError(err error) *apiError {
	if err == nil {
		return nil
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return &apiError{Status: http.StatusInternalServerError, Type: errInternal, Message: "Internal error"}
}
