'use strict';

// An independent model of Cognito's SRP-6a in native BigInt and node:crypto.
// It is NOT the source of any expected value: the vectors hold what the
// reference client computes. The model is used (1) in --search mode, to find
// seeds with rare properties quickly, and (2) in normal mode, as a second
// implementation every reference result is checked against.

const crypto = require('crypto');

const N = BigInt(
	'0x' +
		'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1' +
		'29024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
		'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245' +
		'E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
		'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D' +
		'C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
		'83655D23DCA3AD961C62F356208552BB9ED529077096966D' +
		'670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
		'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9' +
		'DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
		'15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64' +
		'ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
		'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B' +
		'F12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
		'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31' +
		'43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF'
);
const g = 2n;

// padHex: the minimal two's-complement big-endian encoding of n (what
// Java's BigInteger.toByteArray returns), as bytes.
function padHex(n) {
	if (n >= 0n) {
		let h = n.toString(16);
		if (h.length % 2) h = '0' + h;
		if (/^[89a-f]/.test(h)) h = '00' + h;
		return Buffer.from(h, 'hex');
	}
	let len = 1;
	while (-(1n << BigInt(8 * len - 1)) > n) len++;
	const h = ((1n << BigInt(8 * len)) + n).toString(16).padStart(2 * len, '0');
	return Buffer.from(h, 'hex');
}

function fromBytes(b) {
	return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex'));
}

function sha256(...parts) {
	const h = crypto.createHash('sha256');
	for (const p of parts) h.update(p);
	return h.digest();
}

function hmac(key, ...parts) {
	const h = crypto.createHmac('sha256', key);
	for (const p of parts) h.update(p);
	return h.digest();
}

function mod(a, m) {
	const r = a % m;
	return r < 0n ? r + m : r;
}

function modPow(base, exp, m) {
	if (exp < 0n) throw new Error('model: negative exponent');
	let r = 1n;
	let b = mod(base, m);
	let e = exp;
	while (e > 0n) {
		if (e & 1n) r = (r * b) % m;
		b = (b * b) % m;
		e >>= 1n;
	}
	return r;
}

const k = fromBytes(sha256(padHex(N), padHex(g)));

// parseSignedHex parses a hex string of a signed integer strictly: an
// optional '-', then one or more hex digits. Anything else throws.
function parseSignedHex(s) {
	const m = /^(-?)([0-9a-fA-F]+)$/.exec(s);
	if (!m) throw new Error(`model: malformed hex ${JSON.stringify(s)}`);
	const v = BigInt('0x' + m[2]);
	return m[1] ? -v : v;
}

function hex(n) {
	return n < 0n ? '-' + (-n).toString(16) : n.toString(16);
}

function computeX(salt, poolName, userId, password) {
	const inner = sha256(Buffer.from(`${poolName}${userId}:${password}`, 'utf8'));
	return fromBytes(sha256(padHex(salt), inner));
}

function computeU(A, B) {
	return fromBytes(sha256(padHex(A), padHex(B)));
}

function hkdf16(S, u) {
	const prk = hmac(padHex(u), padHex(S));
	return hmac(prk, Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])).subarray(0, 16);
}

function clientS(a, B, x, u) {
	return modPow(B - k * modPow(g, x, N), a + u * x, N);
}

function serverB(v, b) {
	return mod(k * v + modPow(g, b, N), N);
}

function serverS(A, v, u, b) {
	return modPow(A * modPow(v, u, N), b, N);
}

function signature(key, poolName, userId, secretBlock, timestamp) {
	return hmac(
		key,
		Buffer.from(poolName, 'utf8'),
		Buffer.from(userId, 'utf8'),
		Buffer.from(secretBlock, 'base64'),
		Buffer.from(timestamp, 'utf8')
	).toString('base64');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// timestamp formats unixMillis as Cognito wants it, independently of
// DateHelper: "Tue Jan 1 06:06:09 UTC 2019".
function timestamp(ms) {
	const secs = Math.floor(ms / 1000);
	const days = Math.floor(secs / 86400);
	let rem = secs - days * 86400;
	const hh = Math.floor(rem / 3600);
	rem -= hh * 3600;
	const mm = Math.floor(rem / 60);
	const ss = rem - mm * 60;
	// civil-from-days (proleptic Gregorian)
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const m = mp < 10 ? mp + 3 : mp - 9;
	const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
	const wd = ((days % 7) + 11) % 7; // 1970-01-01 was a Thursday
	const p2 = n => String(n).padStart(2, '0');
	return `${WEEKDAYS[wd]} ${MONTHS[m - 1]} ${d} ${p2(hh)}:${p2(mm)}:${p2(ss)} UTC ${y}`;
}

module.exports = {
	N,
	g,
	k,
	padHex,
	fromBytes,
	sha256,
	hmac,
	mod,
	modPow,
	parseSignedHex,
	hex,
	computeX,
	computeU,
	hkdf16,
	clientS,
	serverB,
	serverS,
	signature,
	timestamp,
};
