// Package mathbig is a variable-time reference implementation of Cognito SRP
// on math/big: the baseline of the benchmarks, an independent check of
// package srp, and the leaky control of the timing-leak test
// (bench/cmd/ctcheck). It follows DESIGN §2 directly, in the most
// straightforward way (big.Int.Exp, Mul, Mod), and shares no code with srp.
//
// Nothing here is constant time, and it must not be made so: ctcheck relies
// on its timing depending on its secrets.
package mathbig

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"time"
)

var (
	// N is the 3072-bit MODP prime of RFC 3526 (group 15).
	N, _ = new(big.Int).SetString(strings.Join([]string{
		"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
		"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
		"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
		"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
		"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
		"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
		"3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
		"A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
		"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
		"D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
		"08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
	}, ""), 16)
	// G is the generator, 2.
	G = big.NewInt(2)
	// K is the multiplier H(padHex(N) ‖ padHex(g)).
	K = new(big.Int).SetBytes(Hash(Pad(N), Pad(G)))
)

// Pad is padHex: Java's BigInteger.toByteArray.
func Pad(n *big.Int) []byte {
	if n.Sign() >= 0 {
		b := n.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	// Two's complement over the smallest width that keeps the sign.
	l := (n.BitLen()+8)/8 + 1
	m := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), uint(8*l)), n)
	b := m.FillBytes(make([]byte, l))
	for len(b) > 1 && b[0] == 0xff && b[1]&0x80 != 0 {
		b = b[1:]
	}
	return b
}

// Hash is SHA-256 over the concatenation of parts.
func Hash(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// ParseHex parses a signed hexadecimal integer as Cognito sends it. It
// panics on malformed input.
func ParseHex(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("mathbig: bad hex " + s)
	}
	return v
}

// X is x = H(padHex(salt) ‖ H(pool ‖ user ‖ ":" ‖ password)).
func X(salt *big.Int, pool, user, password string) *big.Int {
	inner := Hash([]byte(pool + user + ":" + password))
	return new(big.Int).SetBytes(Hash(Pad(salt), inner))
}

// Key is HKDF-SHA256(padHex(S), padHex(u), "Caldera Derived Key")[:16].
func Key(s, u *big.Int) []byte {
	key, err := hkdf.Key(sha256.New, Pad(s), Pad(u), "Caldera Derived Key", 16)
	if err != nil {
		panic(err)
	}
	return key
}

// Sign is PASSWORD_CLAIM_SIGNATURE: base64 of HMAC-SHA256(key, pool ‖ user ‖
// block ‖ ts).
func Sign(key []byte, pool, user string, block []byte, ts string) string {
	return base64.StdEncoding.EncodeToString(mac(key, pool, user, block, ts))
}

func mac(key []byte, pool, user string, block []byte, ts string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(pool + user))
	m.Write(block)
	m.Write([]byte(ts))
	return m.Sum(nil)
}

// ClientS is S = (B − k·g^x)^(a + u·x) mod N.
func ClientS(b, a, u, x *big.Int) *big.Int {
	gx := new(big.Int).Exp(G, x, N)
	base := new(big.Int).Sub(b, new(big.Int).Mul(K, gx))
	base.Mod(base, N)
	e := new(big.Int).Add(a, new(big.Int).Mul(u, x))
	return new(big.Int).Exp(base, e, N)
}

// ClientLogin is the whole client side of a USER_SRP_AUTH login: a fresh
// A, then the claim for the challenge.
func ClientLogin(pool, user, password, srpB, salt, secretBlock string, now time.Time) (srpA, signature string) {
	ab := make([]byte, 128)
	rand.Read(ab)
	a := new(big.Int).SetBytes(ab)
	bigA := new(big.Int).Exp(G, a, N)
	b := ParseHex(srpB)
	if new(big.Int).Mod(b, N).Sign() == 0 {
		panic("B mod N = 0")
	}
	u := new(big.Int).SetBytes(Hash(Pad(bigA), Pad(b)))
	x := X(ParseHex(salt), pool, user, password)
	s := ClientS(b, a, u, x)
	block, _ := base64.StdEncoding.DecodeString(secretBlock)
	ts := now.UTC().Format("Mon Jan 2 15:04:05 UTC 2006")
	return bigA.Text(16), Sign(Key(s, u), pool, user, block, ts)
}

// ClientClaim is the part of a client's claim that depends on its secrets,
// for a fixed challenge: S = (B − k·g^x)^(a + u·x) from the big-endian a, x
// and u, the key, and the HMAC (not base64-encoded), as srp.CTClientClaim.
func ClientClaim(a, x, u []byte, b *big.Int, pool, user string, block []byte, ts string) []byte {
	bu := new(big.Int).SetBytes(u)
	s := ClientS(b, new(big.Int).SetBytes(a), bu, new(big.Int).SetBytes(x))
	return mac(Key(s, bu), pool, user, block, ts)
}

// Server is the server side of one login.
type Server struct {
	pool, user string
	v          *big.Int
	B          *big.Int
	key        []byte
}

// Verifier is v = g^x mod N.
func Verifier(pool, user, password string, salt *big.Int) *big.Int {
	return new(big.Int).Exp(G, X(salt, pool, user, password), N)
}

// NewServer starts the server side of a login with a fresh 256-bit b.
func NewServer(pool, user string, v *big.Int, srpA string) *Server {
	bb := make([]byte, 32)
	rand.Read(bb)
	return NewServerWithB(pool, user, v, srpA, bb)
}

// NewServerWithB is [NewServer] with the big-endian secret b: B = k·v + g^b,
// u = H(A ‖ B), S = (A·v^u)^b, and the key.
func NewServerWithB(pool, user string, v *big.Int, srpA string, bb []byte) *Server {
	b := new(big.Int).SetBytes(bb)
	bigB := new(big.Int).Mul(K, v)
	bigB.Add(bigB, new(big.Int).Exp(G, b, N)).Mod(bigB, N)
	a := ParseHex(srpA)
	u := new(big.Int).SetBytes(Hash(Pad(a), Pad(bigB)))
	s := new(big.Int).Exp(v, u, N)
	s.Mul(s, a).Mod(s, N).Exp(s, b, N)
	return &Server{pool: pool, user: user, v: v, B: bigB, key: Key(s, u)}
}

// Verify reports whether sig is the claim signature over block and ts.
func (s *Server) Verify(block []byte, ts, sig string) bool {
	return hmac.Equal([]byte(sig), []byte(Sign(s.key, s.pool, s.user, block, ts)))
}

// ServerVerify is the server side of a login with the big-endian secrets b
// and v, as srp.CTServer: it returns SRP_B and whether sig verifies.
func ServerVerify(b, v []byte, srpA, pool, user string, block []byte, ts, sig string) (srpB string, ok bool) {
	s := NewServerWithB(pool, user, new(big.Int).SetBytes(v), srpA, b)
	return s.B.Text(16), s.Verify(block, ts, sig)
}

// DeviceVerifier is what a client computes before ConfirmDevice.
func DeviceVerifier(groupKey, deviceKey string) (password, saltB64, verifierB64 string) {
	pw := make([]byte, 40)
	rand.Read(pw)
	password = base64.StdEncoding.EncodeToString(pw)
	sb := make([]byte, 16)
	rand.Read(sb)
	salt := new(big.Int).SetBytes(sb)
	v := Verifier(groupKey, deviceKey, password, salt)
	return password, base64.StdEncoding.EncodeToString(Pad(salt)), base64.StdEncoding.EncodeToString(Pad(v))
}

// DeviceVerifierFromX is ConfirmDevice's PasswordVerifier, base64(padHex(g^x
// mod N)), from the big-endian x, as srp.CTDeviceVerifier.
func DeviceVerifierFromX(x []byte) string {
	v := new(big.Int).Exp(G, new(big.Int).SetBytes(x), N)
	return base64.StdEncoding.EncodeToString(Pad(v))
}
