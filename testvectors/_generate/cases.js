'use strict';

// The recipes: what each generated test is about. A recipe fixes the text
// inputs (pool name, user id, password, ...) and names the seeds of its
// random inputs; compute.js runs it through the reference client.
//
// Recipes that were chosen for a rare property list it in `want` and the
// seed input(s) they searched over in `vary`; the seed index that gives
// the property is recorded in seeds.js (found by `node generate.js
// --search`). Normal runs use the recorded index and fail if the property
// no longer holds.

const { Stream } = require('./prng');
const M = require('./model');

// ---- deterministic variety -------------------------------------------------

class Meta {
	constructor(id) {
		this.s = new Stream(`meta/${id}`);
	}
	int(n) {
		// uniform in [0, n), n <= 2^32
		const lim = Math.floor(0x100000000 / n) * n;
		for (;;) {
			const x = this.s.bytes(4).readUInt32BE(0);
			if (x < lim) return x % n;
		}
	}
	pick(arr) {
		return arr[this.int(arr.length)];
	}
	chars(alphabet, len) {
		let out = '';
		for (let i = 0; i < len; i++) out += alphabet[this.int(alphabet.length)];
		return out;
	}
	alnum(len) {
		return this.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', len);
	}
	lower(len) {
		return this.chars('abcdefghijklmnopqrstuvwxyz0123456789', len);
	}
	printable(len) {
		let alpha = '';
		for (let c = 0x20; c < 0x7f; c++) alpha += String.fromCharCode(c);
		return this.chars(alpha, len);
	}
	uuid() {
		const h = this.s.bytes(16);
		h[6] = (h[6] & 0x0f) | 0x40;
		h[8] = (h[8] & 0x3f) | 0x80;
		const x = h.toString('hex');
		return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
	}
	// whole seconds between 2015-01-01 and 2040-01-01
	time() {
		const lo = Date.UTC(2015, 0, 1) / 1000;
		const hi = Date.UTC(2040, 0, 1) / 1000;
		return (lo + this.int(hi - lo)) * 1000;
	}
}

const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar', 'peggy', 'trent', 'victor', 'walter'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'corp.example'];

// baseUser returns the ordinary inputs of a sign-in: a pool, a user (with
// what they typed, which may be an alias), a password, a time.
function baseUser(id, { alias = 'maybe' } = {}) {
	const m = new Meta(id);
	const poolName = m.alnum(9);
	const style = m.int(4);
	const name = `${m.pick(FIRST)}${m.int(1000)}`;
	let userId;
	let typedUsername;
	if (style === 0) {
		userId = m.uuid(); // pools with e-mail as the username attribute
		typedUsername = `${name}@${m.pick(DOMAINS)}`;
	} else if (style === 1) {
		userId = name;
		typedUsername = name;
	} else if (style === 2) {
		userId = m.uuid();
		typedUsername = userId;
	} else {
		userId = `${name}_${m.lower(4)}`;
		typedUsername = `+1555${String(1000000 + m.int(9000000))}`; // phone-number alias
	}
	if (alias === 'no') typedUsername = userId;
	const password = m.printable(8 + m.int(33));
	let unixMillis = m.time();
	if (m.int(10) === 0) unixMillis += 1 + m.int(999);
	const secretBlockLen = 32 + m.int(225);
	return { poolName, userId, typedUsername, password, unixMillis, secretBlockLen };
}

// ---- password_claim.json ----------------------------------------------------

const recipes = [];

function add(r) {
	if (recipes.some(x => x.id === r.id)) throw new Error(`cases: duplicate id ${r.id}`);
	recipes.push(r);
	return r;
}

// Random sign-ins: ordinary inputs (baseUser) and a, b and salt from the
// recipe's own seeds (claim/random/<i>/a, .../b, .../salt), so they are
// independent of each other and of the edge cases below.
const N_RANDOM = 32;
for (let i = 0; i < N_RANDOM; i++) {
	const id = `claim/random/${i}`;
	add({ kind: 'claim', file: 'password_claim', id, ...baseUser(id), comment: `random sign-in ${i}` });
}

// Edge cases. Their a comes from claim/edge/a/<n>, one seed for four
// consecutive edge cases: the recorded search results (seeds.js) of the
// recipes that vary b were found with these a's.
let edgeGroup = 0;
function edge(name, over) {
	const id = `claim/${name}`;
	const base = baseUser(id, { alias: 'no' });
	const g = Math.floor(edgeGroup++ / 4);
	const seeds = { a: `claim/edge/a/${g}`, ...(over.seeds || {}) };
	add({ kind: 'claim', file: 'password_claim', id, ...base, ...over, seeds });
}

// A: searched over a
for (const [n, want] of [
	[1, 'TopBitA'],
	[2, 'TopBitA'],
	[1, 'LeadingZeroA'],
	[2, 'LeadingZeroA'],
	[3, 'LeadingZeroA'],
]) {
	edge(`${want}-${n}`, { want: [want], vary: ['a'], seeds: { a: `claim/${want}-${n}/a` }, comment: `A chosen so that ${want}` });
}
// B, S, u: searched over b
for (const want of ['TopBitB', 'LeadingZeroB', 'OddLengthB', 'TopBitS', 'LeadingZeroS', 'TopBitU', 'LeadingZeroU']) {
	const n = want.startsWith('TopBit') ? 2 : 3;
	for (let i = 1; i <= n; i++) {
		edge(`${want}-${i}`, { want: [want], vary: ['b'], comment: `B chosen so that ${want}` });
	}
}
// salt: searched over the salt
for (const [want, n] of [
	['NegativeSalt', 2],
	['LeadingZeroSalt', 3],
	['OddLengthSalt', 3],
]) {
	for (let i = 1; i <= n; i++) {
		edge(`${want}-${i}`, { want: [want], vary: ['salt'], comment: `salt chosen so that ${want}` });
	}
}
for (let i = 1; i <= 2; i++) {
	edge(`TopBitSalt-${i}`, {
		want: ['TopBitSalt'],
		vary: ['salt'],
		saltKind: 'positive16',
		comment: 'a positive 16-byte salt with its top bit set (padHex adds 00)',
	});
}
edge('NegativeSalt-min', {
	want: ['NegativeSalt'],
	saltValue: -(1n << 127n),
	comment: 'salt -2^127: its two\'s complement is 80 followed by 15 zero bytes, no sign byte',
});
edge('NegativeSalt-signbyte', {
	want: ['NegativeSalt'],
	saltValue: -0xf3a1c2d4e5f60718293a4b5c6d7e8f90n,
	comment: 'a negative salt whose magnitude has its top bit set: padHex(salt) needs an FF sign byte',
});
edge('NegativeSalt-cognito', {
	want: ['NegativeSalt'],
	saltValue: -0x16e4c0d97a2b53f8e1a9c6b4d2f0e8a7n,
	comment: 'a negative salt of the shape Cognito sends ("-16e4...")',
});
// hex forms of SRP_B and SALT
edge('UpperCaseB-1', { want: ['UpperCaseHex'], bForm: 'upper', comment: 'SRP_B in upper case' });
edge('UpperCaseB-2', { want: ['UpperCaseHex'], bForm: 'upper', comment: 'SRP_B in upper case' });
edge('UpperCaseSalt-1', { want: ['UpperCaseHex'], vary: ['salt'], saltForm: 'upper', comment: 'SALT in upper case' });
edge('UpperCaseSalt-2', { want: ['UpperCaseHex', 'NegativeSalt'], vary: ['salt'], saltForm: 'upper', comment: 'a negative SALT in upper case' });
edge('ZeroPaddedB-1', { want: ['ZeroPaddedHex'], bForm: 'pad00', comment: 'SRP_B with a redundant leading 00' });
edge('ZeroPaddedB-2', {
	want: ['ZeroPaddedHex', 'OddLengthB'],
	vary: ['b'],
	bForm: 'pad00',
	comment: 'an odd-length SRP_B with redundant leading zeros (odd length still)',
});
edge('ZeroPaddedB-3', {
	want: ['ZeroPaddedHex', 'LeadingZeroB'],
	vary: ['b'],
	bForm: 'even',
	comment: 'SRP_B < 2^3064 padded to even length with one leading 0',
});
edge('ZeroPaddedSalt-1', { want: ['ZeroPaddedHex'], saltForm: 'pad00', comment: 'SALT with a redundant leading 00' });
edge('ZeroPaddedSalt-2', {
	want: ['ZeroPaddedHex', 'NegativeSalt'],
	vary: ['salt'],
	saltForm: 'pad00',
	comment: 'a negative SALT written "-00..."',
});
edge('UpperCaseBothOdd', {
	want: ['UpperCaseHex', 'OddLengthB', 'OddLengthSalt'],
	vary: ['b', 'salt'],
	bForm: 'upper',
	saltForm: 'upper',
	comment: 'odd-length SRP_B and SALT, both in upper case',
});
// B outside [1, N): accepted by the reference client
edge('NegativeB-1', { want: ['NegativeB'], bTransform: 'minusN', comment: 'SRP_B = (k*v + g^b mod N) - N, negative' });
edge('NegativeB-2', { want: ['NegativeB'], bTransform: 'minusN', comment: 'SRP_B = (k*v + g^b mod N) - N, negative' });
edge('UnreducedB-1', { want: ['UnreducedB'], bTransform: 'plusN', comment: 'SRP_B = (k*v + g^b mod N) + N, not reduced' });
edge('UnreducedB-2', { want: ['UnreducedB'], bTransform: 'plus3N', comment: 'SRP_B = (k*v + g^b mod N) + 3N, not reduced' });
// passwords
const PASSWORDS = [
	['NonASCIIPassword', 'Pässwörter-Grüße1!', 'Latin-1 letters'],
	['NonASCIIPassword', '🔑 clé 🔒', 'emoji (4-byte UTF-8)'],
	['NonASCIIPassword', '密码パスワード비밀번호', 'CJK and Hangul'],
	['NonASCIIPassword', 'cafe\u0301-NFD', 'a combining accent (NFD; hashed as given, not normalized)'],
	['NonASCIIPassword', 'caf\u00e9-NFC', 'a precomposed accent (NFC)'],
	['EmptyPassword', '', 'the empty password'],
	['EmptyPassword', '', 'the empty password'],
	['LongPassword', 'x'.repeat(300), '300 ASCII characters'],
	['LongPassword', 'Lorem ipsum dolor sit amet, äöü ß 漢字 '.repeat(25), 'about 1000 mixed characters'],
	['LongPassword', 'P@ss-'.repeat(1024), '5120 ASCII characters'],
	['ColonInPassword', 'a:b:c', 'colons'],
	['ColonInPassword', ':', 'just a colon'],
	['ColonInPassword', 'p\u0000ss word\ttab', 'NUL, space and tab'],
];
PASSWORDS.forEach(([want, password, what], i) => {
	const w = want === 'ColonInPassword' && !password.includes(':') ? [] : [want];
	edge(`password-${i}`, { want: w, password, comment: what.startsWith('the ') ? what : `a password with ${what}` });
});
// user ids and aliases
const USERS = [
	['ColonInUserId', 'user:name', 'user:name', 'a user id with a colon'],
	['ColonInUserId', ':', ':', 'the user id ":"'],
	['ColonInUserId', 'a:b', 'a:b', 'a colon in the user id and in the password', 'x:y'],
	['NonASCIIUserId', 'jürgen.müller', 'jürgen.müller', 'a non-ASCII user id'],
	['NonASCIIUserId', '用户名', '用户名', 'a CJK user id'],
	['Alias', '7d2b0f6e-4c1a-4e8b-9f3d-2a6c5e8b1d40', 'alice@example.com', 'signed in with the e-mail alias; USER_ID_FOR_SRP is the user\'s UUID'],
	['Alias', 'bob_4f2a', '+15550100007', 'signed in with the phone-number alias'],
	['Alias', 'carol', 'Carol', 'typed with different case in a case-insensitive pool; USER_ID_FOR_SRP is the stored name'],
	['Alias', '0a8e6c4f-3b2d-4f1e-8a7c-9d5b3e1f2a60', 'dave_the_pref', 'signed in with preferred_username'],
	['Alias', 'erin:2', 'erin@example.org', 'an alias whose user id has a colon'],
];
USERS.forEach(([want, userId, typedUsername, what, password], i) => {
	const w = [want];
	if (want === 'Alias' && userId.includes(':')) w.push('ColonInUserId');
	edge(`user-${i}`, { want: w, userId, typedUsername, ...(password ? { password } : {}), comment: what });
});
// timestamps
const TIMES = [
	['SingleDigitDay', Date.UTC(2019, 0, 1, 6, 6, 9), 'day 1'],
	['SingleDigitDay', Date.UTC(2023, 4, 5, 9, 0, 0), 'day 5'],
	['SingleDigitDay', Date.UTC(2031, 8, 9, 10, 10, 10), 'day 9'],
	['AfternoonHour', Date.UTC(2024, 2, 14, 13, 0, 0), '13:00:00'],
	['AfternoonHour', Date.UTC(2022, 6, 20, 18, 45, 30), '18:45:30'],
	['AfternoonHour', Date.UTC(2027, 10, 11, 23, 59, 59), '23:59:59'],
	['MidnightHour', Date.UTC(2020, 0, 15, 0, 0, 0), 'midnight'],
	['MidnightHour', Date.UTC(2026, 5, 3, 0, 30, 5), 'half past midnight, day 3'],
	['December31', Date.UTC(2021, 11, 31, 23, 59, 59), 'the last second of 2021'],
	['LeapDay', Date.UTC(2024, 1, 29, 12, 0, 0), '29 February 2024'],
	['LeapDay', Date.UTC(2000, 1, 29, 14, 15, 16), '29 February 2000'],
	['TruncatedMillis', Date.UTC(2025, 3, 30, 12, 34, 56) + 999, '12:34:56.999 (the fraction is dropped)'],
];
TIMES.forEach(([want, unixMillis, what], i) => {
	edge(`time-${i}`, { want: [want], unixMillis, comment: `signed in at ${what}` });
});
// secret blocks
edge('secretblock-long', { secretBlockLen: 1536, comment: 'a 1536-byte SECRET_BLOCK, as long as real ones' });
edge('secretblock-short', { secretBlockLen: 1, comment: 'a 1-byte SECRET_BLOCK' });

// ---- device.json (and the registering sign-ins in password_claim.json) -------

const N_DEVICE = 32;
for (let i = 0; i < N_DEVICE; i++) {
	const id = `device/${i}`;
	const m = new Meta(`${id}/device`);
	const region = m.pick(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1']);
	const deviceGroupKey = (m.int(2) ? '-' : '') + m.alnum(8);
	const deviceKey = `${region}_${m.uuid()}`;
	const r = {
		kind: 'device',
		file: 'device',
		id,
		...baseUser(id),
		deviceGroupKey,
		deviceKey,
		deviceDelayMillis: (1 + m.int(30 * 86400)) * 1000,
		seeds: { a: `device/a/${Math.floor(i / 4)}`, 'device-a': `device/device-a/${Math.floor(i / 4)}` },
		comment: `device ${i}`,
		verifierNote: '',
		deviceNote: '',
	};
	// chosen properties of the verifier (searched over the device's randomness)
	const wants = [
		['TopBitVerifier'],
		['TopBitVerifier'],
		['TopBitVerifier'],
		['LeadingZeroVerifier'],
		['LeadingZeroVerifier'],
		['LeadingZeroVerifier'],
		['TopBitSalt'],
		['TopBitSalt'],
		['TopBitSalt'],
		['LeadingZeroSalt'],
		['LeadingZeroSalt'],
	];
	if (i < wants.length) {
		r.wantVerifier = wants[i];
		r.vary = ['device'];
		r.verifierNote = `; chosen so that ${wants[i].join(', ')}`;
	}
	// how Cognito's DEVICE_PASSWORD_VERIFIER SALT and SRP_B are written
	if (i % 8 === 6) {
		r.deviceSaltForm = 'padhex';
		r.deviceNote = '; SALT sent as padHex(salt)';
	}
	if (i % 8 === 7) {
		r.deviceSaltForm = 'upper';
		r.deviceBForm = 'upper';
		r.wantDevice = ['UpperCaseHex'];
		r.deviceNote = '; SRP_B and SALT in upper case';
	}
	add(r);
}
// make sure one padHex-form SALT has its 00 byte
recipes.find(r => r.id === 'device/6').wantDevice = ['ZeroPaddedHex'];
recipes.find(r => r.id === 'device/6').wantVerifier = ['TopBitSalt'];

// ---- server.json -----------------------------------------------------------

let serverN = 0;
function server(over) {
	const id = `server/${serverN++}`;
	const base = baseUser(id, { alias: 'no' });
	add({
		kind: 'server',
		file: 'server',
		id,
		...base,
		seeds: { a: `server/a/${Math.floor(serverN / 3)}`, ...(over.seeds || {}) },
		...over,
		comment: over.comment || 'server side of a sign-in',
	});
}
for (let i = 0; i < 4; i++) server({});
server({ bLen: 32, comment: 'a 32-byte b' });
server({ bLen: 32, comment: 'a 32-byte b' });
for (const want of ['TopBitB', 'LeadingZeroB', 'LeadingZeroB', 'TopBitS', 'LeadingZeroS', 'LeadingZeroS', 'TopBitU', 'LeadingZeroU', 'LeadingZeroU']) {
	server({ want: [want], vary: ['b'], comment: `b chosen so that ${want}` });
}
for (const want of ['LeadingZeroA', 'LeadingZeroA', 'OddLengthA']) {
	server({ want: [want], vary: ['a'], seeds: { a: `server/${want}-${serverN}/a` }, comment: `a chosen so that ${want}` });
}
server({ want: ['UpperCaseHex'], aForm: 'upper', comment: 'SRP_A in upper case' });
server({ want: ['ZeroPaddedHex'], aForm: 'pad00', comment: 'SRP_A with a redundant leading 00' });
server({ want: ['NegativeSalt'], vary: ['salt'], comment: 'a negative salt' });
server({ want: ['NegativeSalt'], vary: ['salt'], comment: 'a negative salt' });
server({ want: ['LeadingZeroSalt'], vary: ['salt'], comment: 'a salt shorter than 16 bytes' });
server({ want: ['NonASCIIPassword'], password: 'Grüße 🔑', comment: 'a non-ASCII password' });
server({ want: ['EmptyPassword'], password: '', comment: 'the empty password' });
server({ want: ['ColonInUserId'], userId: 'x:y', comment: 'a user id with a colon' });

// ---- invalid.json ------------------------------------------------------------

const N_HEX = M.N.toString(16);
let invalidN = 0;
function invalidClaim(flag, over, what) {
	const id = `invalid/claim/${invalidN++}`;
	add({
		kind: 'invalidClaim',
		file: 'invalid',
		id,
		...baseUser(id, { alias: 'no' }),
		seeds: { a: 'invalid/a' },
		flags: [flag],
		...over,
		comment: what,
	});
}
invalidClaim('ZeroB', { srpB: '0' }, 'SRP_B = 0');
invalidClaim('ZeroB', { srpB: '0000' }, 'SRP_B = 0000');
invalidClaim('ZeroB', { srpB: '-0' }, 'SRP_B = -0');
invalidClaim('BIsN', { srpB: N_HEX }, 'SRP_B = N');
invalidClaim('BIsN', { srpB: N_HEX.toUpperCase() }, 'SRP_B = N, upper case');
invalidClaim('BIs2N', { srpB: M.hex(2n * M.N) }, 'SRP_B = 2N');
invalidClaim('BIsMinusN', { srpB: M.hex(-M.N) }, 'SRP_B = -N');
invalidClaim('EmptySrpB', { srpB: '' }, 'SRP_B is empty');
invalidClaim('MalformedSrpB', { srpB: 'g00d' }, 'SRP_B = "g00d" (not hex)');
invalidClaim('MalformedSrpB', { srpBMangle: 'prefix0x' }, 'SRP_B with a 0x prefix');
invalidClaim('MalformedSrpB', { srpBMangle: 'nonhex' }, 'SRP_B with a non-hex letter in the middle');
invalidClaim('MalformedSrpB', { srpBMangle: 'space' }, 'SRP_B with a space in the middle');
invalidClaim('MalformedSrpB', { srpBMangle: 'innerminus' }, 'SRP_B with a "-" in the middle');
invalidClaim('MalformedSrpB', { srpBMangle: 'doubleminus' }, 'SRP_B starting with "--"');
invalidClaim('MalformedSrpB', { srpBMangle: 'plus' }, 'SRP_B starting with "+"');
invalidClaim('MalformedSrpB', { srpB: '-' }, 'SRP_B = "-"');
invalidClaim('MalformedSrpB', { srpBMangle: 'newline' }, 'SRP_B with a trailing newline');
invalidClaim('MalformedSalt', { salt: '' }, 'SALT is empty');
invalidClaim('MalformedSalt', { salt: '0xdeadbeef' }, 'SALT with a 0x prefix');
invalidClaim('MalformedSalt', { salt: 'xyz123' }, 'SALT with non-hex letters');
invalidClaim('MalformedSalt', { salt: '12 34' }, 'SALT with a space');
invalidClaim('MalformedSalt', { salt: '-' }, 'SALT = "-"');
invalidClaim('InvalidSecretBlock', { secretBlock: 'not base64!' }, 'SECRET_BLOCK with characters outside base64');
invalidClaim('InvalidSecretBlock', { secretBlock: 'YWJjZA' }, 'SECRET_BLOCK without its padding');
invalidClaim('InvalidSecretBlock', { secretBlock: 'YW=JjZA==' }, 'SECRET_BLOCK with "=" inside');
invalidClaim('InvalidSecretBlock', { secretBlock: 'ab-_cd+/' }, 'SECRET_BLOCK in the URL-safe alphabet');
invalidClaim('InvalidSecretBlock', { secretBlock: 'YWJj\tZA==' }, 'SECRET_BLOCK with a tab inside');

let invalidServerN = 0;
function invalidServer(flag, srpA, what) {
	const id = `invalid/server/${invalidServerN++}`;
	add({
		kind: 'invalidServer',
		file: 'invalid',
		id,
		...baseUser(id, { alias: 'no' }),
		srpA,
		flags: [flag],
		comment: what,
	});
}
invalidServer('ZeroA', '0', 'SRP_A = 0');
invalidServer('ZeroA', '00', 'SRP_A = 00');
invalidServer('AIsN', N_HEX, 'SRP_A = N');
invalidServer('AIs2N', M.hex(2n * M.N), 'SRP_A = 2N');
invalidServer('AIsMinusN', M.hex(-M.N), 'SRP_A = -N');
invalidServer('EmptySrpA', '', 'SRP_A is empty');
invalidServer('MalformedSrpA', '0x' + 'ab'.repeat(384), 'SRP_A with a 0x prefix');
invalidServer('MalformedSrpA', 'ab'.repeat(190) + 'zz' + 'ab'.repeat(193), 'SRP_A with non-hex letters');
invalidServer('MalformedSrpA', 'ab'.repeat(192) + ' ' + 'ab'.repeat(192), 'SRP_A with a space');
invalidServer('MalformedSrpA', '+' + 'ab'.repeat(384), 'SRP_A starting with "+"');

module.exports = { recipes, baseUser, Meta };

// ---- secret_hash.json ----------------------------------------------------------

{
	const m = new Meta('secret_hash');
	const clientId = () => m.lower(26);
	const secret = () => m.lower(52);
	const HASHES = [
		['alice', 'a plain username'],
		['alice@example.com', 'an e-mail address'],
		['+15550100007', 'a phone number'],
		['7d2b0f6e-4c1a-4e8b-9f3d-2a6c5e8b1d40', 'a UUID (the internal USERNAME of challenges)'],
		['jürgen.müller', 'a non-ASCII username'],
		['用户名', 'a CJK username'],
		['🙂smile', 'an emoji username (4-byte UTF-8)'],
		['a:b', 'a username with a colon'],
		['x'.repeat(128), 'a 128-character username (Cognito\'s maximum)'],
		['Bob', 'a username with upper case'],
	];
	HASHES.forEach(([username, what], i) => {
		add({ kind: 'secretHash', file: 'secret_hash', id: `secret_hash/${i}`, clientId: clientId(), clientSecret: secret(), username, comment: what });
	});
	const SECRETS = [
		['s'.repeat(64), 'a 64-byte client secret (one SHA-256 block: used as is)'],
		['s'.repeat(65), 'a 65-byte client secret (hashed first by HMAC)'],
		[m.lower(100), 'a 100-byte client secret'],
		['k', 'a 1-byte client secret'],
	];
	SECRETS.forEach(([clientSecret, what], i) => {
		add({ kind: 'secretHash', file: 'secret_hash', id: `secret_hash/secret-${i}`, clientId: clientId(), clientSecret, username: 'alice', comment: what });
	});
	add({ kind: 'secretHash', file: 'secret_hash', id: 'secret_hash/longid', clientId: m.lower(128), clientSecret: secret(), username: 'alice', comment: 'a 128-character client id' });
}

// ---- timestamp.json --------------------------------------------------------------

{
	const T = [
		[0, 'the Unix epoch'],
		[Date.UTC(2019, 0, 1, 6, 6, 9), 'day 1, 06:06:09'],
		[Date.UTC(2020, 0, 1, 0, 0, 0), 'midnight on New Year\'s day'],
		[Date.UTC(2021, 11, 31, 23, 59, 59), '31 December, 23:59:59'],
		[Date.UTC(2023, 11, 31, 0, 0, 0), '31 December, midnight'],
		[Date.UTC(2024, 1, 29, 12, 0, 0), 'leap day 2024, noon'],
		[Date.UTC(2000, 1, 29, 15, 30, 0), 'leap day 2000 (a leap century)'],
		[Date.UTC(2100, 1, 28, 23, 59, 59), '28 February 2100 (2100 is not a leap year)'],
		[Date.UTC(2100, 2, 1, 0, 0, 0), '1 March 2100'],
		[Date.UTC(2038, 0, 19, 3, 14, 8), 'one second past the signed 32-bit time_t'],
		[Date.UTC(2025, 3, 30, 12, 34, 56) + 999, 'at .999 s (the fraction is dropped)'],
		[Date.UTC(2025, 3, 30, 12, 34, 56) + 1, 'at .001 s'],
		[Date.UTC(2017, 5, 15, 12, 0, 0), 'noon (12, not 00)'],
		[Date.UTC(2016, 6, 4, 0, 59, 59), 'the last second of hour 00'],
		[-1, 'one millisecond before the epoch'],
		[Date.UTC(1969, 6, 20, 20, 17, 40), 'before the epoch'],
	];
	for (let d = 1; d <= 9; d++) T.push([Date.UTC(2026, 2, d, 8, 5, 3), `day ${d}`]);
	for (let h = 13; h <= 23; h++) T.push([Date.UTC(2026, 4, 20, h, 7, 9), `hour ${h}`]);
	for (let mo = 0; mo < 12; mo++) T.push([Date.UTC(2027, mo, 10 + mo, 10, 20, 30), `month ${mo + 1}`]);
	for (let d = 0; d < 7; d++) T.push([Date.UTC(2028, 9, 1 + d, 11, 11, 11), `weekday ${d}`]);
	T.forEach(([unixMillis, what], i) => {
		add({ kind: 'timestamp', file: 'timestamp', id: `timestamp/${i}`, unixMillis, comment: what });
	});
}

// ---- pad_hex.json ----------------------------------------------------------------

{
	const V = [
		[0n, 'zero'],
		[1n, 'one'],
		[-1n, 'minus one'],
		[15n, 'one nibble'],
		[-15n, 'minus one nibble'],
		[127n, 'the largest one-byte positive'],
		[128n, 'top bit set: needs a 00 byte'],
		[-128n, '-2^7: 80, no sign byte'],
		[-129n, 'needs an FF byte'],
		[255n, '00ff'],
		[-255n, 'ff01'],
		[256n, 'three digits: padded to 0100'],
		[-256n, 'ff00'],
		[-257n, 'feff'],
		[4095n, 'fff: padded to 0fff'],
		[-4096n, 'f000'],
		[32767n, 'the largest two-byte positive'],
		[32768n, '2^15: 008000'],
		[-32768n, '-2^15: 8000'],
		[-32769n, 'ff7fff'],
		[65535n, '00ffff'],
		[65536n, '010000'],
		[-65536n, 'ff0000'],
		[0x7fffffffn, 'the largest 32-bit signed'],
		[0x80000000n, '2^31'],
		[-0x80000000n, '-2^31'],
		[-0x80000001n, '-2^31 - 1'],
		[1n << 255n, '2^255 (a 32-byte hash with its top bit set)'],
		[(1n << 256n) - 1n, '2^256 - 1'],
		[-(1n << 255n), '-2^255'],
		[-((1n << 256n) - 1n), '-(2^256 - 1)'],
		[(1n << 248n) - 1n, 'a 31-byte value'],
		[M.N, 'N'],
		[M.N - 1n, 'N - 1'],
		[-M.N, '-N'],
		[M.k, 'k'],
		[2n, 'g'],
	];
	const m = new Meta('pad_hex');
	for (const len of [16, 17, 31, 32, 33, 128, 383, 384, 385]) {
		for (const neg of [false, true]) {
			let v = M.fromBytes(m.s.bytes(len));
			if (neg) v = -v;
			V.push([v, `${neg ? 'negative ' : ''}random ${len}-byte value`]);
		}
	}
	V.forEach(([value, what], i) => {
		add({ kind: 'padHex', file: 'pad_hex', id: `pad_hex/${i}`, value: M.hex(value), comment: what });
	});
}

// ---- rfc5054.json --------------------------------------------------------------

{
	const h = s => s.replace(/\s+/g, '');
	add({
		kind: 'rfc5054',
		file: 'rfc5054',
		id: 'rfc5054/appendix-b',
		flags: ['RFC5054'],
		comment: 'RFC 5054 Appendix B: I = "alice", P = "password123", s = BEB25379 D1A8581E B5A72767 3A2441EE, 1024-bit group, SHA-1',
		rfc: {
			I: 'alice',
			P: 'password123',
			s: h('BEB25379 D1A8581E B5A72767 3A2441EE'),
			N: h(`EEAF0AB9 ADB38DD6 9C33F80A FA8FC5E8 60726187 75FF3C0B 9EA2314C
				9C256576 D674DF74 96EA81D3 383B4813 D692C6E0 E0D5D8E2 50B98BE4
				8E495C1D 6089DAD1 5DC7D7B4 6154D6B6 CE8EF4AD 69B15D49 82559B29
				7BCF1885 C529F566 660E57EC 68EDBC3C 05726CC0 2FD4CBF4 976EAA9A
				FD5138FE 8376435B 9FC61D2F C0EB06E3`),
			g: '02',
			k: h('7556AA04 5AEF2CDD 07ABAF0F 665C3E81 8913186F'),
			x: h('94B7555A ABE9127C C58CCF49 93DB6CF8 4D16C124'),
			v: h(`7E273DE8 696FFC4F 4E337D05 B4B375BE B0DDE156 9E8FA00A 9886D812
				9BADA1F1 822223CA 1A605B53 0E379BA4 729FDC59 F105B478 7E5186F5
				C671085A 1447B52A 48CF1970 B4FB6F84 00BBF4CE BFBB1681 52E08AB5
				EA53D15C 1AFF87B2 B9DA6E04 E058AD51 CC72BFC9 033B564E 26480D78
				E955A5E2 9E7AB245 DB2BE315 E2099AFB`),
			a: h('60975527 035CF2AD 1989806F 0407210B C81EDC04 E2762A56 AFD529DD DA2D4393'),
			b: h('E487CB59 D31AC550 471E81F0 0F6928E0 1DDA08E9 74A004F4 9E61F5D1 05284D20'),
			A: h(`61D5E490 F6F1B795 47B0704C 436F523D D0E560F0 C64115BB 72557EC4
				4352E890 3211C046 92272D8B 2D1A5358 A2CF1B6E 0BFCF99F 921530EC
				8E393561 79EAE45E 42BA92AE ACED8251 71E1E8B9 AF6D9C03 E1327F44
				BE087EF0 6530E69F 66615261 EEF54073 CA11CF58 58F0EDFD FE15EFEA
				B349EF5D 76988A36 72FAC47B 0769447B`),
			B: h(`BD0C6151 2C692C0C B6D041FA 01BB152D 4916A1E7 7AF46AE1 05393011
				BAF38964 DC46A067 0DD125B9 5A981652 236F99D9 B681CBF8 7837EC99
				6C6DA044 53728610 D0C6DDB5 8B318885 D7D82C7F 8DEB75CE 7BD4FBAA
				37089E6F 9C6059F3 88838E7A 00030B33 1EB76840 910440B1 B27AAEAE
				EB4012B7 D7665238 A8E3FB00 4B117B58`),
			u: h('CE38B959 3487DA98 554ED47D 70A7AE5F 462EF019'),
			S: h(`B0DC82BA BCF30674 AE450C02 87745E79 90A3381F 63B387AA F271A10D
				233861E3 59B48220 F7C4693C 9AE12B0A 6F67809F 0876E2D0 13800D6C
				41BB59B6 D5979B5C 00A172B4 A2A5903A 0BDCAF8A 709585EB 2AFAFA8F
				3499B200 210DCC1F 10EB3394 3CD67FC8 8A2F39A4 BE5BEC4E C0A3212D
				C346D7E4 74B29EDE 8A469FFE CA686E5A`),
		},
	});
}
