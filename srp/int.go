package srp

import (
	"encoding/hex"
	"strings"
)

// maxHexDigits bounds the hexadecimal integers accepted from a peer. Cognito
// sends at most 768 digits (3072 bits); we accept twice as many, which covers
// every value reduced or not, and refuse anything longer before doing work.
const maxHexDigits = 2048

// signedInt is a public signed integer as Cognito sends it: a sign and a
// minimal big-endian magnitude (no leading zero bytes; zero is empty).
//
// Only public values (A, B, u, salts) are held in a signedInt: its methods
// run in variable time.
type signedInt struct {
	neg bool
	mag []byte
}

// parseSignedHex parses a hexadecimal integer the way AWS's clients do
// (Java's and jsbn's BigInteger(s, 16)): an optional leading "-", then one or
// more hexadecimal digits of either case, of any parity.
func parseSignedHex(s string) (signedInt, error) {
	var v signedInt
	if strings.HasPrefix(s, "-") {
		v.neg = true
		s = s[1:]
	}
	if s == "" {
		return signedInt{}, errMalformedHex
	}
	if len(s) > maxHexDigits {
		return signedInt{}, errTooLong
	}
	if len(s)%2 == 1 {
		s = "0" + s
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return signedInt{}, errMalformedHex
	}
	v.mag = trimZeros(b)
	if len(v.mag) == 0 {
		v.neg = false // -0 is 0
	}
	return v, nil
}

// fromTwosComplement reads b as a big-endian two's-complement integer, as
// Java's new BigInteger(byte[]) does.
func fromTwosComplement(b []byte) signedInt {
	if len(b) == 0 || b[0]&0x80 == 0 {
		return signedInt{mag: trimZeros(b)}
	}
	// Negative: the magnitude is the two's complement of b.
	m := make([]byte, len(b))
	borrow := 1
	for i := len(b) - 1; i >= 0; i-- {
		d := int(^b[i]) + borrow
		m[i] = byte(d)
		borrow = d >> 8
	}
	return signedInt{neg: true, mag: trimZeros(m)}
}

// hexString formats v as Java's BigInteger.toString(16) does: lowercase, no
// leading zeros, "-" for negative values, "0" for zero.
func (v signedInt) hexString() string {
	if len(v.mag) == 0 {
		return "0"
	}
	s := strings.TrimPrefix(hex.EncodeToString(v.mag), "0")
	if v.neg {
		return "-" + s
	}
	return s
}

// padded returns the minimal two's-complement big-endian encoding of v
// ("padHex" in AWS's clients, Java's BigInteger.toByteArray): at least one
// byte, a leading 0x00 when a positive value has its top bit set.
func (v signedInt) padded() []byte { return v.appendPadded(nil) }

// appendPadded appends [signedInt.padded] to dst.
func (v signedInt) appendPadded(dst []byte) []byte {
	if !v.neg {
		if len(v.mag) == 0 || v.mag[0]&0x80 != 0 {
			dst = append(dst, 0)
		}
		return append(dst, v.mag...)
	}
	// -m = ^(m - 1) over enough bytes to carry the sign.
	t := make([]byte, len(v.mag))
	borrow := 1
	for i := len(v.mag) - 1; i >= 0; i-- {
		d := int(v.mag[i]) - borrow
		t[i] = byte(d)
		borrow = (d >> 8) & 1
	}
	t = trimZeros(t)
	if len(t) == 0 || t[0]&0x80 != 0 {
		dst = append(dst, 0xff)
	}
	for _, c := range t {
		dst = append(dst, ^c)
	}
	return dst
}

// padPositiveVarTime returns the minimal two's-complement encoding of the
// non-negative big-endian integer b. It leaks the number of leading zero bytes
// of b and whether its first non-zero byte has its top bit set: that length is
// what Cognito hashes, so it cannot be hidden.
func padPositiveVarTime(b []byte) []byte {
	b = trimZeros(b)
	if len(b) == 0 {
		return []byte{0}
	}
	if b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return append([]byte(nil), b...)
}

// trimZeros returns b without its leading zero bytes. It leaks their number.
func trimZeros(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}
