'use strict';

// Every flag a vector can carry, what it means, and how the generator
// decides whether a case has it. Property flags are computed from the
// case's values (never just declared); a recipe that was chosen for a
// property lists it in `want`, and the generator fails if the computed
// flags lack it.

const M = require('./model');

const DESCRIPTIONS = {
	// SRP values
	TopBitA: 'A >= 2^3071: padHex(A) starts with a 00 sign byte (385 bytes).',
	LeadingZeroA: 'A < 2^3064: A has a leading zero byte, so padHex(A) is shorter than 384 bytes and SRP_A has fewer than 768 digits.',
	OddLengthA: 'srpA has an odd number of hex digits.',
	LongA: 'a is longer than 128 bytes (the reference client always draws 128; this a comes from a published test). An implementation that takes a as exactly 128 bytes cannot run this case.',
	TopBitB: 'B >= 2^3071: padHex(B) starts with a 00 sign byte (385 bytes).',
	LeadingZeroB: '0 < B < 2^3064: B has a leading zero byte, so padHex(B) is shorter than 384 bytes.',
	OddLengthB: 'srpB has an odd number of hex digits.',
	NegativeB: 'srpB is negative (Cognito never sends this). The reference client accepts it (B mod N != 0), hashes the two\'s complement padHex(B) into u and computes S = (B - k*g^x)^(a+u*x) mod N with the negative B.',
	UnreducedB: 'srpB >= N (Cognito never sends this). The reference client accepts it (B mod N != 0) and hashes padHex of the unreduced B into u.',
	TopBitS: 'S >= 2^3071: padHex(S), the HKDF input key material, starts with a 00 sign byte (385 bytes).',
	LeadingZeroS: 'S < 2^3064: padHex(S), the HKDF input key material, is shorter than 384 bytes.',
	TopBitU: 'u >= 2^255: padHex(u), the HKDF salt, is 33 bytes with a 00 sign byte.',
	LeadingZeroU: 'u < 2^248: padHex(u), the HKDF salt, is shorter than 32 bytes.',
	NegativeSalt: 'salt is negative (sent with a leading "-", as Cognito does for about half of its salts); padHex(salt) is its two\'s complement.',
	TopBitSalt: 'salt > 0 and padHex(salt) starts with a 00 sign byte.',
	LeadingZeroSalt: 'padHex(salt) is shorter than 16 bytes, the size salts are drawn at.',
	OddLengthSalt: 'salt has an odd number of hex digits.',
	UpperCaseHex: 'a hex input (srpB, salt or srpA) has upper-case digits.',
	ZeroPaddedHex: 'a hex input (srpB, salt or srpA) has redundant leading zero digits; it must be parsed as a number, not decoded as bytes.',
	// text inputs
	NonASCIIPassword: 'the password has non-ASCII characters (hashed as UTF-8).',
	EmptyPassword: 'the password is empty.',
	LongPassword: 'the password is longer than 256 bytes of UTF-8.',
	ColonInPassword: 'the password contains ":".',
	NonASCIIUserId: 'the user id has non-ASCII characters (hashed as UTF-8).',
	ColonInUserId: 'the user id contains ":".',
	Alias: 'the user signed in with an alias (e.g. an e-mail address): USER_ID_FOR_SRP differs from what was typed, and the claim uses USER_ID_FOR_SRP (given as userId).',
	Device: 'a device claim (DEVICE_PASSWORD_VERIFIER): poolName is the device group key, userId the device key and password the device password.',
	// timestamps
	SingleDigitDay: 'the day of the month is 1-9 and is written without a leading zero.',
	AfternoonHour: 'the hour is 13-23 (24-hour clock).',
	MidnightHour: 'the hour is 00 (never 12).',
	December31: 'the date is 31 December.',
	LeapDay: 'the date is 29 February.',
	TruncatedMillis: 'unixMillis is not a whole second; the fraction is dropped (floor).',
	BeforeEpoch: 'unixMillis is negative (before 1970).',
	// device verifier
	TopBitVerifier: 'v >= 2^3071: padHex(v), the PasswordVerifier, starts with a 00 sign byte (385 bytes).',
	LeadingZeroVerifier: 'v < 2^3064: padHex(v), the PasswordVerifier, is shorter than 384 bytes.',
	// secret hash
	NonASCIIUsername: 'the username has non-ASCII characters (MAC\'d as UTF-8).',
	LongClientSecret: 'the client secret is longer than 64 bytes, the SHA-256 block size (HMAC hashes such keys first).',
	// padHex
	NegativeValue: 'the value is negative.',
	SignByte: 'padHex adds a sign byte: 00 before a positive value whose top bit is set, FF before a negative one whose magnitude needs it.',
	MinimalNegative: 'the value is -2^(8n-1): its two\'s complement needs no sign byte (the reference\'s "FF8" branch).',
	OddLengthValue: 'the magnitude has an odd number of hex digits.',
	ZeroValue: 'the value is zero.',
	LongValue: 'the value is longer than 32 bytes.',
	// invalid inputs
	ZeroB: 'srpB is zero.',
	BIsN: 'srpB is N (B mod N = 0).',
	BIs2N: 'srpB is 2N (B mod N = 0).',
	BIsMinusN: 'srpB is -N (B mod N = 0).',
	EmptySrpB: 'srpB is the empty string.',
	MalformedSrpB: 'srpB is not a hex string of a signed integer.',
	MalformedSalt: 'salt is not a hex string of a signed integer.',
	InvalidSecretBlock: 'secretBlock is not valid standard (padded) base64.',
	ZeroA: 'srpA is zero.',
	AIsN: 'srpA is N (A mod N = 0).',
	AIs2N: 'srpA is 2N (A mod N = 0).',
	AIsMinusN: 'srpA is -N (A mod N = 0).',
	EmptySrpA: 'srpA is the empty string.',
	MalformedSrpA: 'srpA is not a hex string of a signed integer.',
	// provenance
	Published: 'copied from a published test of another implementation (see comment); the reference client computes the same value.',
	DisagreesWithReference: 'copied from a published test of another implementation (see comment), whose published value differs from what the reference client computes; the expected values here are the reference client\'s.',
	RFC5054: 'RFC 5054 Appendix B (1024-bit group, g = 2, SHA-1), copied as published and recomputed with the reference client\'s BigInteger.',
};

const T3071 = 1n << 3071n;
const T3064 = 1n << 3064n;
const T255 = 1n << 255n;
const T1024 = 1n << 1024n;
const T248 = 1n << 248n;

const digits = s => (s.startsWith('-') ? s.slice(1) : s);
const odd = s => digits(s).length % 2 === 1;
const upper = s => s !== undefined && /[A-F]/.test(s);
const zeroPadded = s => s !== undefined && digits(s).length > 1 && digits(s).startsWith('0');
const nonASCII = s => /[^\x00-\x7f]/.test(s);
const utc = ms => new Date(ms);

// Predicates over a case's values. Each takes an object with (some of) the
// fields below; the generator passes lazily computed objects in --search
// mode, so a predicate only makes the values it reads.
//   a, A, B, S, u, v, salt (BigInt); srpA, srpB, saltStr (strings as sent);
//   password, userId, typedUsername, device, unixMillis.
const SALT = {
	NegativeSalt: v => v.salt < 0n,
	TopBitSalt: v => v.salt > 0n && M.padHex(v.salt)[0] === 0,
	LeadingZeroSalt: v => M.padHex(v.salt).length < 16,
};

const TEXT = {
	NonASCIIPassword: v => nonASCII(v.password),
	EmptyPassword: v => v.password === '',
	LongPassword: v => Buffer.byteLength(v.password, 'utf8') > 256,
	ColonInPassword: v => v.password.includes(':'),
	NonASCIIUserId: v => nonASCII(v.userId),
	ColonInUserId: v => v.userId.includes(':'),
};

const TIME = {
	SingleDigitDay: v => utc(v.unixMillis).getUTCDate() <= 9,
	AfternoonHour: v => utc(v.unixMillis).getUTCHours() >= 13,
	MidnightHour: v => utc(v.unixMillis).getUTCHours() === 0,
	December31: v => utc(v.unixMillis).getUTCMonth() === 11 && utc(v.unixMillis).getUTCDate() === 31,
	LeapDay: v => utc(v.unixMillis).getUTCMonth() === 1 && utc(v.unixMillis).getUTCDate() === 29,
	TruncatedMillis: v => v.unixMillis % 1000 !== 0,
	BeforeEpoch: v => v.unixMillis < 0,
};

const PROPS = {
	password_claim: {
		LongA: v => v.a >= T1024,
		TopBitA: v => v.A >= T3071,
		LeadingZeroA: v => v.A < T3064,
		NegativeB: v => v.B < 0n,
		UnreducedB: v => v.B >= M.N,
		TopBitB: v => v.B >= T3071 && v.B < M.N,
		LeadingZeroB: v => v.B >= 0n && v.B < T3064,
		OddLengthB: v => odd(v.srpB),
		UpperCaseHex: v => upper(v.srpB) || upper(v.saltStr),
		ZeroPaddedHex: v => zeroPadded(v.srpB) || zeroPadded(v.saltStr),
		TopBitS: v => v.S >= T3071,
		LeadingZeroS: v => v.S < T3064,
		TopBitU: v => v.u >= T255,
		LeadingZeroU: v => v.u < T248,
		...SALT,
		OddLengthSalt: v => odd(v.saltStr),
		...TEXT,
		Alias: v => v.typedUsername !== undefined && v.typedUsername !== v.userId,
		Device: v => !!v.device,
		SingleDigitDay: TIME.SingleDigitDay,
		AfternoonHour: TIME.AfternoonHour,
		MidnightHour: TIME.MidnightHour,
		December31: TIME.December31,
		LeapDay: TIME.LeapDay,
		TruncatedMillis: TIME.TruncatedMillis,
	},
	server: {
		TopBitA: v => v.A >= T3071,
		LeadingZeroA: v => v.A < T3064,
		OddLengthA: v => odd(v.srpA),
		TopBitB: v => v.B >= T3071,
		LeadingZeroB: v => v.B < T3064,
		TopBitS: v => v.S >= T3071,
		LeadingZeroS: v => v.S < T3064,
		TopBitU: v => v.u >= T255,
		LeadingZeroU: v => v.u < T248,
		...SALT,
		OddLengthSalt: v => odd(v.saltStr),
		UpperCaseHex: v => upper(v.srpA) || upper(v.saltStr),
		ZeroPaddedHex: v => zeroPadded(v.srpA) || zeroPadded(v.saltStr),
		...TEXT,
	},
	device_verifier: {
		TopBitVerifier: v => v.v >= T3071,
		LeadingZeroVerifier: v => v.v < T3064,
		TopBitSalt: SALT.TopBitSalt,
		LeadingZeroSalt: SALT.LeadingZeroSalt,
	},
	timestamp: TIME,
	secret_hash: {
		NonASCIIUsername: v => nonASCII(v.username),
		LongClientSecret: v => Buffer.byteLength(v.clientSecret, 'utf8') > 64,
	},
	pad_hex: {
		NegativeValue: v => v.value < 0n,
		ZeroValue: v => v.value === 0n,
		SignByte: v => M.padHex(v.value).length > magBytes(v.value),
		MinimalNegative: v => v.value < 0n && /^80(00)*$/.test((-v.value).toString(16)),
		OddLengthValue: v => (v.value < 0n ? -v.value : v.value).toString(16).length % 2 === 1,
		LongValue: v => magBytes(v.value) > 32,
	},
};

function magBytes(n) {
	const m = n < 0n ? -n : n;
	return m === 0n ? 1 : Math.ceil(m.toString(16).length / 2);
}

// flagsOf computes every property flag of a case of the given type.
function flagsOf(type, values) {
	const props = PROPS[type] || {};
	const set = new Set();
	for (const [flag, pred] of Object.entries(props)) {
		if (pred(values)) set.add(flag);
	}
	return set;
}

// holds reports whether flag holds for values (for --search).
function holds(type, flag, values) {
	const pred = (PROPS[type] || {})[flag];
	if (!pred) throw new Error(`flags: ${flag} is not a property of ${type}`);
	return pred(values);
}

for (const props of Object.values(PROPS)) {
	for (const f of Object.keys(props)) {
		if (!DESCRIPTIONS[f]) throw new Error(`flags: ${f} has no description`);
	}
}

module.exports = { DESCRIPTIONS, PROPS, flagsOf, holds };
