package cognitotest

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"time"
)

// TOTP parameters, as Cognito's software tokens use them (RFC 6238 with its
// defaults): HMAC-SHA-1, 30-second steps, 6 digits.
const (
	totpStep   = 30
	totpDigits = 6
)

// totpCode returns the RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32
// secret at time t, as an authenticator app would show it.
func totpCode(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", fmt.Errorf("cognitotest: TOTP secret is not base32")
	}
	return totpAt(key, uint64(t.Unix())/totpStep), nil
}

func totpAt(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1_000_000)
}

// checkTOTP reports whether code is the TOTP code of key at now or one step
// before or after, comparing in constant time.
func checkTOTP(key []byte, code string, now time.Time) bool {
	if len(code) != totpDigits {
		return false
	}
	c := uint64(now.Unix()) / totpStep
	ok := 0
	for _, d := range []int64{-1, 0, 1} {
		ok |= subtle.ConstantTimeCompare([]byte(totpAt(key, uint64(int64(c)+d))), []byte(code))
	}
	return ok == 1
}

// newTOTPSecret returns a new secret as AssociateSoftwareToken's SecretCode:
// 32 bytes in base32 without padding.
func newTOTPSecret() ([]byte, string) {
	b := randomBytes(32)
	return b, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
