package srp

import (
	"errors"
	"fmt"
)

var (
	// ErrSafetyCheck is returned, wrapped with the name of the check, when a
	// peer's value fails one of SRP-6a's safety checks: B ≡ 0 (mod N) or
	// u = 0 for a client, A ≡ 0 (mod N) for a server.
	ErrSafetyCheck = errors.New("srp: SRP-6a safety check failed")

	// ErrVerification is returned when a claim does not verify. It is
	// deliberately vague.
	ErrVerification = errors.New("srp: verification failed")
)

// The reasons of a [ParameterError]. They are not exported: callers need
// the parameter's name, which [ParameterError.Param] holds; the reason is
// for people, in the error text.
var (
	errMissing            = errors.New("missing or empty")
	errMalformedHex       = errors.New("not a hexadecimal integer")
	errMalformedBase64    = errors.New("not standard base64")
	errTooLong            = errors.New("too long")
	errInvalidPoolID      = errors.New("not a user pool id of the form region_name")
	errMalformedTimestamp = errors.New("not a timestamp like \"Tue Jan 1 06:06:09 UTC 2019\"")
	errNotIssued          = errors.New("not the one this server issued")
)

// ParameterError reports a malformed input parameter. It names the parameter
// (such as "SRP_B") but never quotes its value.
type ParameterError struct {
	// Param is the name of the parameter, such as "SRP_B", "SALT",
	// "TIMESTAMP" or "PASSWORD_CLAIM_SECRET_BLOCK".
	Param string
	// Err says what is wrong with it, in words.
	Err error
}

// Error returns "srp: invalid PARAM: reason".
func (e *ParameterError) Error() string {
	return fmt.Sprintf("srp: invalid %s: %v", e.Param, e.Err)
}

// Unwrap returns e.Err.
func (e *ParameterError) Unwrap() error { return e.Err }

func paramErr(name string, err error) error { return &ParameterError{Param: name, Err: err} }

// safetyErr returns [ErrSafetyCheck] naming the failed check.
func safetyErr(check string) error { return fmt.Errorf("%w: %s", ErrSafetyCheck, check) }
