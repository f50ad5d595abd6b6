package emulator

import "fmt"

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
)

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
