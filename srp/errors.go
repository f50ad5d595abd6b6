package srp

import (
	"errors"
	"fmt"
)

var (
	// ErrSafetyCheck is matched (with errors.Is) by every [*SafetyError]: a
	// peer's value failed one of SRP-6a's safety checks.
	ErrSafetyCheck = errors.New("srp: SRP-6a safety check failed")

	// ErrVerification is returned when a claim does not verify. It is
	// deliberately vague.
	ErrVerification = errors.New("srp: verification failed")

	// ErrMissing means that a required parameter is absent or empty.
	ErrMissing = errors.New("missing or empty")
	// ErrMalformedHex means that a value is not a hexadecimal integer.
	ErrMalformedHex = errors.New("not a hexadecimal integer")
	// ErrMalformedBase64 means that a value is not standard base64.
	ErrMalformedBase64 = errors.New("not standard base64")
	// ErrTooLong means that a value is longer than any that Cognito sends.
	ErrTooLong = errors.New("too long")
	// ErrInvalidPoolID means that a user pool id has no "_" or nothing after it.
	ErrInvalidPoolID = errors.New("not a user pool id of the form region_name")
	// ErrMalformedTimestamp means that a TIMESTAMP is not in Cognito's format.
	ErrMalformedTimestamp = errors.New("not a timestamp like \"Tue Jan 1 06:06:09 UTC 2019\"")
)

// ParameterError reports a malformed input parameter. It names the parameter
// (such as "SRP_B") but never quotes its value.
type ParameterError struct {
	// Param is the name of the parameter, such as "SRP_B" or "SALT".
	Param string
	// Err is the reason: [ErrMissing], [ErrMalformedHex], [ErrMalformedBase64],
	// [ErrTooLong], [ErrInvalidPoolID] or [ErrMalformedTimestamp].
	Err error
}

// Error returns "srp: invalid PARAM: reason".
func (e *ParameterError) Error() string {
	return fmt.Sprintf("srp: invalid %s: %v", e.Param, e.Err)
}

// Unwrap returns e.Err.
func (e *ParameterError) Unwrap() error { return e.Err }

// SafetyError reports a peer value rejected by one of SRP-6a's safety checks.
type SafetyError struct {
	// Check names the failed check: "B mod N = 0", "A mod N = 0" or "u = 0".
	Check string
}

// Error names the failed check.
func (e *SafetyError) Error() string {
	return "srp: SRP-6a safety check failed: " + e.Check
}

// Is reports whether target is [ErrSafetyCheck].
func (e *SafetyError) Is(target error) bool { return target == ErrSafetyCheck }

func paramErr(name string, err error) error { return &ParameterError{Param: name, Err: err} }
