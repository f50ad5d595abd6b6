package srp

// Constant-time standard base64 (RFC 4648 §4, with padding) for the device
// password and the verifier, after the branch-free character arithmetic of
// libsodium's sodium_bin2base64: no branch and no table index depends on the
// data, only on its length.

import "crypto/subtle"

// b64Char maps a 6-bit value to its character without branches.
func b64Char(v int) byte {
	c := v + 'A'
	c += ((25 - v) >> 8) & 6  // a–z
	c -= ((51 - v) >> 8) & 75 // 0–9
	c -= ((61 - v) >> 8) & 15 // +
	c += ((62 - v) >> 8) & 3  // /
	return byte(c)
}

// b64Value maps a character to its 6-bit value, or -1, without branches.
func b64Value(ch byte) int {
	c := int(ch)
	v := -1
	v += (((0x40 - c) & (c - 0x5b)) >> 8) & (c - 64) // A–Z
	v += (((0x60 - c) & (c - 0x7b)) >> 8) & (c - 70) // a–z
	v += (((0x2f - c) & (c - 0x3a)) >> 8) & (c + 5)  // 0–9
	v += (((0x2a - c) & (c - 0x2c)) >> 8) & 63       // +
	v += (((0x2e - c) & (c - 0x30)) >> 8) & 64       // /
	return v
}

// encodeBase64 encodes b as standard padded base64 in constant time.
func encodeBase64(b []byte) string {
	out := make([]byte, 0, (len(b)+2)/3*4)
	for len(b) >= 3 {
		v := int(b[0])<<16 | int(b[1])<<8 | int(b[2])
		out = append(out, b64Char(v>>18&63), b64Char(v>>12&63), b64Char(v>>6&63), b64Char(v&63))
		b = b[3:]
	}
	switch len(b) {
	case 1:
		v := int(b[0]) << 16
		out = append(out, b64Char(v>>18&63), b64Char(v>>12&63), '=', '=')
	case 2:
		v := int(b[0])<<16 | int(b[1])<<8
		out = append(out, b64Char(v>>18&63), b64Char(v>>12&63), b64Char(v>>6&63), '=')
	}
	return string(out)
}

// decodeBase64 decodes standard padded base64 in constant time with respect
// to the characters (their number and the padding are public). Bits left over
// in the last character must be zero, so every input has one decoding.
func decodeBase64(s string) ([]byte, error) {
	if len(s)%4 != 0 {
		return nil, errMalformedBase64
	}
	pad := 0
	if len(s) >= 1 && s[len(s)-1] == '=' {
		pad++
		if len(s) >= 2 && s[len(s)-2] == '=' {
			pad++
		}
	}
	out := make([]byte, 0, len(s)/4*3)
	bad := 0
	for i := 0; i < len(s); i += 4 {
		n := 4
		if i+4 == len(s) {
			n -= pad
		}
		var v int
		for j := 0; j < 4; j++ {
			d := 0
			if j < n {
				d = b64Value(s[i+j])
				bad |= d >> 8 // -1 >> 8 is -1, a valid value >> 8 is 0
			}
			v = v<<6 | (d & 63)
		}
		switch n {
		case 4:
			out = append(out, byte(v>>16), byte(v>>8), byte(v))
		case 3:
			out = append(out, byte(v>>16), byte(v>>8))
			bad |= -(v & 0xff) >> 62 // leftover bits must be zero
		case 2:
			out = append(out, byte(v>>16))
			bad |= -(v & 0xffff) >> 62
		default:
			return nil, errMalformedBase64
		}
	}
	if subtle.ConstantTimeEq(int32(bad), 0) != 1 {
		return nil, errMalformedBase64
	}
	return out, nil
}
