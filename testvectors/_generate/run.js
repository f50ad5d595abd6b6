'use strict';

// runRecipe: one recipe in, its finished vectors out. The sign-in kinds are
// in compute.js; this file adds the published cases and the small types
// (secret_hash, timestamp, pad_hex, rfc5054).

const crypto = require('crypto');
const R = require('./reference');
const M = require('./model');
const F = require('./flags');
const C = require('./compute');

const { prims, big } = R;
const { check, fail, finish, toBig } = C;

// ---- comparing a published value with the reference client's ------------

const NUMBER_FIELDS = new Set(['srpA', 'srpB', 'u', 'x', 'S', 'verifier', 'A', 'B', 'a', 'b', 'salt', 'value']);

function same(field, published, computed) {
	if (NUMBER_FIELDS.has(field)) return M.parseSignedHex(published) === M.parseSignedHex(computed);
	if (field === 'key' || field === 'padded') return published.toLowerCase() === computed.toLowerCase();
	return published === computed; // base64 and text
}

function judge(recipe, fields) {
	const source = recipe.source + (recipe.note ? `; ${recipe.note}` : '');
	const differ = [];
	for (const [field, value] of Object.entries(recipe.published)) {
		if (fields[field] === undefined) fail(recipe, `published field ${field} is not an output`);
		if (!same(field, value, fields[field])) differ.push(field);
	}
	if (differ.length === 0) {
		return { flags: ['Published'], comment: `${source}; the reference client computes the published ${Object.keys(recipe.published).join(', ')}` };
	}
	const detail = differ.map(f => `${f} ${recipe.published[f]}`).join('; ');
	return {
		flags: ['DisagreesWithReference'],
		comment: `${recipe.source}; PUBLISHED VALUE DIFFERS from the reference client, published: ${detail}; the expected values here are the reference client's${recipe.note ? `; ${recipe.note}` : ''}`,
	};
}

function published(recipe, type, fields, computed) {
	const j = judge(recipe, fields);
	return finish({ ...recipe, comment: j.comment }, type, fields, computed, { extraFlags: j.flags });
}

// ---- published kinds --------------------------------------------------------

function publishedClaim(recipe) {
	const p = {
		poolName: recipe.poolName,
		typedUsername: recipe.typedUsername || recipe.userId,
		userId: recipe.userId,
		password: recipe.password,
		forcedA: big(recipe.a),
		srpB: recipe.srpB,
		salt: recipe.salt,
		secretBlock: recipe.secretBlock,
		unixMillis: recipe.unixMillis,
	};
	const run = C.userLogin(recipe, p);
	C.stoppedOK(recipe, run.outcome);
	const out = C.claimFromRun(recipe, run, p, null);
	check(recipe, out.vector.a === M.hex(M.parseSignedHex(recipe.a)), 'forced a was not used');
	return [published(recipe, 'password_claim', out.vector, out.flags)];
}

function publishedDeviceClaim(recipe) {
	const p = {
		device: true,
		username: recipe.username,
		deviceKey: recipe.deviceKey,
		deviceGroupKey: recipe.deviceGroupKey,
		devicePassword: recipe.devicePassword,
		password: recipe.devicePassword,
		forcedA: big(recipe.a),
		srpB: recipe.srpB,
		salt: recipe.salt,
		secretBlock: recipe.secretBlock,
		unixMillis: recipe.unixMillis,
	};
	const run = C.deviceLogin(recipe, p);
	C.stoppedOK(recipe, run.outcome);
	const out = C.claimFromRun(recipe, run, p, null);
	return [published(recipe, 'password_claim', out.vector, out.flags)];
}

function publishedVerifier(recipe) {
	const saltPadded = prims.padHex(big(recipe.salt));
	const dv = C.deviceVerifier(recipe.deviceGroupKey, recipe.deviceKey, recipe.devicePassword, saltPadded);
	const v = toBig(dv.v);
	const salt = M.parseSignedHex(recipe.salt);
	const x = M.computeX(salt, recipe.deviceGroupKey, recipe.deviceKey, recipe.devicePassword);
	check(recipe, v === M.modPow(M.g, x, M.N), 'verifier differs from the model');
	const fields = {
		deviceGroupKey: recipe.deviceGroupKey,
		deviceKey: recipe.deviceKey,
		devicePassword: recipe.devicePassword,
		salt: recipe.salt,
		passwordVerifier: dv.passwordVerifier,
		saltBase64: dv.saltBase64,
	};
	return [published(recipe, 'device_verifier', fields, F.flagsOf('device_verifier', { v, salt }))];
}

// ---- secret_hash --------------------------------------------------------------

function secretHashFields(recipe) {
	const { clientId, clientSecret, username } = recipe;
	const viaNode = crypto.createHmac('sha256', Buffer.from(clientSecret, 'utf8')).update(Buffer.from(username + clientId, 'utf8')).digest('base64');
	const viaAws = R.hmacSha256(Buffer.from(clientSecret, 'utf8'), Buffer.from(username + clientId, 'utf8')).toString('base64');
	check(recipe, viaNode === viaAws, 'node:crypto and @aws-crypto disagree');
	return { clientId, clientSecret, username, secretHash: viaNode };
}

function secretHash(recipe) {
	const fields = secretHashFields(recipe);
	return [finish(recipe, 'secret_hash', fields, F.flagsOf('secret_hash', fields))];
}

function publishedSecretHash(recipe) {
	const fields = secretHashFields(recipe);
	return [published(recipe, 'secret_hash', fields, F.flagsOf('secret_hash', fields))];
}

// ---- timestamp ---------------------------------------------------------------

function timestampFields(recipe) {
	const ms = recipe.unixMillis;
	R.setClock(ms);
	const ts = new R.DateHelper().getNowString();
	R.setClock(null);
	check(recipe, ts === M.timestamp(ms), `DateHelper says ${ts}, the model ${M.timestamp(ms)}`);
	return { unixMillis: ms, timestamp: ts };
}

function timestamp(recipe) {
	const fields = timestampFields(recipe);
	return [finish(recipe, 'timestamp', fields, F.flagsOf('timestamp', fields))];
}

function publishedTimestamp(recipe) {
	const fields = timestampFields(recipe);
	return [published(recipe, 'timestamp', fields, F.flagsOf('timestamp', fields))];
}

// ---- pad_hex -------------------------------------------------------------------

function padHexFields(recipe) {
	const value = M.parseSignedHex(recipe.value);
	const padded = prims.padHex(big(recipe.value));
	check(recipe, Buffer.from(padded, 'hex').equals(M.padHex(value)), `padHex ${padded} differs from the model`);
	check(recipe, padded === padded.toLowerCase(), 'padHex printed upper case');
	return { fields: { value: recipe.value, padded }, value };
}

function padHex(recipe) {
	const { fields, value } = padHexFields(recipe);
	return [finish(recipe, 'pad_hex', fields, F.flagsOf('pad_hex', { value }))];
}

function publishedPadHex(recipe) {
	const { fields, value } = padHexFields(recipe);
	return [published(recipe, 'pad_hex', fields, F.flagsOf('pad_hex', { value }))];
}

// ---- rfc5054 -------------------------------------------------------------------

function rfc5054(recipe) {
	const r = recipe.rfc;
	const N = big(r.N);
	const g = big(r.g);
	const mp = (base, e) => base.modPow(e, N, () => {});
	const A = mp(g, big(r.a));
	const gb = mp(g, big(r.b));
	const B = big(r.k).multiply(big(r.v)).add(gb).mod(N);
	const base = big(r.B).subtract(big(r.k).multiply(mp(g, big(r.x))));
	const S = mp(base, big(r.a).add(big(r.u).multiply(big(r.x)))).mod(N);
	const Sserver = mp(big(r.A).multiply(mp(big(r.v), big(r.u))), big(r.b));
	const eq = (x, hex) => toBig(x) === BigInt('0x' + hex);
	check(recipe, eq(A, r.A), 'A differs from RFC 5054');
	check(recipe, eq(B, r.B), 'B differs from RFC 5054');
	check(recipe, eq(S, r.S), 'client S differs from RFC 5054');
	check(recipe, eq(Sserver, r.S), 'server S differs from RFC 5054');
	check(recipe, eq(mp(g, big(r.x)), r.v), 'v differs from RFC 5054');
	// the hashes of the appendix, with SHA-1 and PAD to the length of N
	const len = r.N.length / 2;
	const pad = hex => Buffer.from(hex.padStart(2 * len, '0'), 'hex');
	const sha1 = (...parts) => {
		const h = crypto.createHash('sha1');
		for (const p of parts) h.update(p);
		return h.digest('hex');
	};
	check(recipe, sha1(pad(r.N), pad(r.g)) === r.k.toLowerCase(), 'k != SHA1(N | PAD(g))');
	const inner = crypto.createHash('sha1').update(`${r.I}:${r.P}`).digest();
	check(recipe, sha1(Buffer.from(r.s, 'hex'), inner) === r.x.toLowerCase(), 'x != SHA1(s | SHA1(I ":" P))');
	check(recipe, sha1(pad(r.A), pad(r.B)) === r.u.toLowerCase(), 'u != SHA1(PAD(A) | PAD(B))');
	const lc = h => h.toLowerCase();
	return [
		finish(
			recipe,
			'rfc5054',
			{
				N: lc(r.N),
				g: lc(r.g),
				k: lc(r.k),
				x: lc(r.x),
				v: lc(r.v),
				a: lc(r.a),
				b: lc(r.b),
				u: lc(r.u),
				A: A.toString(16),
				B: B.toString(16),
				S: S.toString(16),
			},
			new Set()
		),
	];
}

const KINDS = {
	claim: C.userClaim,
	device: C.deviceScenario,
	server: C.serverCase,
	invalidClaim: C.invalidClaim,
	invalidServer: C.invalidServer,
	publishedClaim,
	publishedDeviceClaim,
	publishedVerifier,
	publishedSecretHash,
	publishedPadHex,
	publishedTimestamp,
	secretHash,
	timestamp,
	padHex,
	rfc5054,
};

function runRecipe(recipe) {
	const f = KINDS[recipe.kind];
	if (!f) throw new Error(`${recipe.id}: unknown kind ${recipe.kind}`);
	return f(recipe);
}

module.exports = { runRecipe };
