package bench

// A variable-time reference implementation of Cognito SRP on math/big: the
// baseline of the benchmarks and an independent check of package srp. It
// follows DESIGN §2 directly and shares no code with srp.

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
	refN, _ = new(big.Int).SetString(strings.Join([]string{
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
	refG = big.NewInt(2)
	refK = new(big.Int).SetBytes(refHash(refPad(refN), refPad(refG)))
)

// refPad is Java's BigInteger.toByteArray.
func refPad(n *big.Int) []byte {
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

func refHash(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func refParseHex(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("bad hex " + s)
	}
	return v
}

func refX(salt *big.Int, pool, user, password string) *big.Int {
	inner := refHash([]byte(pool + user + ":" + password))
	return new(big.Int).SetBytes(refHash(refPad(salt), inner))
}

func refKey(s, u *big.Int) []byte {
	key, err := hkdf.Key(sha256.New, refPad(s), refPad(u), "Caldera Derived Key", 16)
	if err != nil {
		panic(err)
	}
	return key
}

func refSign(key []byte, pool, user string, block []byte, ts string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(pool + user))
	m.Write(block)
	m.Write([]byte(ts))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// refClientLogin is the whole client side of a USER_SRP_AUTH login: a fresh
// A, then the claim for the challenge.
func refClientLogin(pool, user, password, srpB, salt, secretBlock string, now time.Time) (srpA, signature string) {
	ab := make([]byte, 128)
	rand.Read(ab)
	a := new(big.Int).SetBytes(ab)
	bigA := new(big.Int).Exp(refG, a, refN)
	b := refParseHex(srpB)
	if new(big.Int).Mod(b, refN).Sign() == 0 {
		panic("B mod N = 0")
	}
	u := new(big.Int).SetBytes(refHash(refPad(bigA), refPad(b)))
	x := refX(refParseHex(salt), pool, user, password)
	gx := new(big.Int).Exp(refG, x, refN)
	base := new(big.Int).Sub(b, new(big.Int).Mul(refK, gx))
	base.Mod(base, refN)
	e := new(big.Int).Add(a, new(big.Int).Mul(u, x))
	s := new(big.Int).Exp(base, e, refN)
	block, _ := base64.StdEncoding.DecodeString(secretBlock)
	ts := now.UTC().Format("Mon Jan 2 15:04:05 UTC 2006")
	return bigA.Text(16), refSign(refKey(s, u), pool, user, block, ts)
}

// refServer is the server side of one login with a 256-bit b.
type refServer struct {
	pool, user string
	v          *big.Int
	bigB       *big.Int
	key        []byte
}

func refVerifier(pool, user, password string, salt *big.Int) *big.Int {
	return new(big.Int).Exp(refG, refX(salt, pool, user, password), refN)
}

func newRefServer(pool, user string, v *big.Int, srpA string) *refServer {
	bb := make([]byte, 32)
	rand.Read(bb)
	b := new(big.Int).SetBytes(bb)
	bigB := new(big.Int).Mul(refK, v)
	bigB.Add(bigB, new(big.Int).Exp(refG, b, refN)).Mod(bigB, refN)
	a := refParseHex(srpA)
	u := new(big.Int).SetBytes(refHash(refPad(a), refPad(bigB)))
	s := new(big.Int).Exp(v, u, refN)
	s.Mul(s, a).Mod(s, refN).Exp(s, b, refN)
	return &refServer{pool: pool, user: user, v: v, bigB: bigB, key: refKey(s, u)}
}

func (s *refServer) verify(block []byte, ts, sig string) bool {
	return hmac.Equal([]byte(sig), []byte(refSign(s.key, s.pool, s.user, block, ts)))
}

// refDeviceVerifier is what a client computes before ConfirmDevice.
func refDeviceVerifier(groupKey, deviceKey string) (password, saltB64, verifierB64 string) {
	pw := make([]byte, 40)
	rand.Read(pw)
	password = base64.StdEncoding.EncodeToString(pw)
	sb := make([]byte, 16)
	rand.Read(sb)
	salt := new(big.Int).SetBytes(sb)
	v := refVerifier(groupKey, deviceKey, password, salt)
	return password, base64.StdEncoding.EncodeToString(refPad(salt)), base64.StdEncoding.EncodeToString(refPad(v))
}
