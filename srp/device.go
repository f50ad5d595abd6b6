package srp

import (
	"crypto/rand"
	"fmt"

	"github.com/cognitosrp/cognitosrp/internal/ctmath"
)

// DeviceVerifier is what a client generates when Cognito hands it a new
// device (AuthenticationResult.NewDeviceMetadata): the device password, which
// the client keeps secret and stores with the device key and group key, and
// the DeviceSecretVerifierConfig that ConfirmDevice takes.
//
// Its String and GoString methods leave out the device password, so printing
// a DeviceVerifier does not leak it.
type DeviceVerifier struct {
	// DevicePassword is the device's secret password: base64 of 40 random
	// bytes. Store it; never log it.
	DevicePassword string
	// Salt is DeviceSecretVerifierConfig.Salt: base64 of padHex(salt).
	Salt string
	// PasswordVerifier is DeviceSecretVerifierConfig.PasswordVerifier: base64
	// of padHex(v), v = g^x mod N.
	PasswordVerifier string
}

// String describes d without its device password.
func (d DeviceVerifier) String() string {
	return fmt.Sprintf("srp.DeviceVerifier{Salt: %q, PasswordVerifier: %q, DevicePassword: [redacted]}", d.Salt, d.PasswordVerifier)
}

// GoString is like String.
func (d DeviceVerifier) GoString() string { return d.String() }

const (
	devicePasswordSize = 40
	saltSize           = 16
)

// NewDeviceVerifier generates a device password and salt for the device with
// the given group key and key (from NewDeviceMetadata), and computes its
// verifier, as AWS's clients do before calling ConfirmDevice.
func NewDeviceVerifier(deviceGroupKey, deviceKey string) (*DeviceVerifier, error) {
	if deviceGroupKey == "" {
		return nil, paramErr("DeviceGroupKey", errMissing)
	}
	if deviceKey == "" {
		return nil, paramErr("DeviceKey", errMissing)
	}
	var pw [devicePasswordSize]byte
	var salt [saltSize]byte
	if _, err := rand.Read(pw[:]); err != nil {
		return nil, fmt.Errorf("srp: reading randomness: %w", err)
	}
	if _, err := rand.Read(salt[:]); err != nil {
		return nil, fmt.Errorf("srp: reading randomness: %w", err)
	}
	return deviceVerifier(deviceGroupKey, deviceKey, encodeBase64(pw[:]), signedInt{mag: trimZeros(salt[:])}), nil
}

func deviceVerifier(groupKey, key, password string, salt signedInt) *DeviceVerifier {
	v := computeVerifier(salt, groupKey, key, password)
	return &DeviceVerifier{
		DevicePassword:   password,
		Salt:             encodeBase64(salt.padded()),
		PasswordVerifier: encodeBase64(padPositiveVarTime(cognito().bytes(&v))),
	}
}

// computeVerifier computes v = g^x mod N.
func computeVerifier(salt signedInt, poolName, userID, password string) ctmath.Nat {
	return cognito().expG(hashX(salt, poolName, userID, password))
}
