'use strict';

// How a recipe's random inputs follow from its seeds, and (for --search) a
// lazily evaluated model of the values the reference client will compute
// from them. compute.js uses the same derivations, so what --search finds
// is what a normal run computes; a normal run also checks that its values
// equal this model's.

const M = require('./model');
const { streamBytes } = require('./prng');

// seedName is the PRNG seed of one of a recipe's random inputs: the
// recipe's own (recipe.seeds[what]) or `${id}/${what}`, followed by
// `#${seedIndex}` when the recipe searched over that input (recipe.vary).
function seedName(recipe, what) {
	const base = (recipe.seeds && recipe.seeds[what]) || `${recipe.id}/${what}`;
	if (recipe.vary && recipe.vary.includes(what)) {
		if (!Number.isInteger(recipe.seedIndex)) {
			throw new Error(`${recipe.id}: no seed index recorded in seeds.js (run: node generate.js --search)`);
		}
		return `${base}#${recipe.seedIndex}`;
	}
	return base;
}

// javaSalt draws 16 bytes and reads them as a signed two's-complement
// integer, as Java's new BigInteger(byte[]) does; Cognito's SALT is that
// value's toString(16) (hence its occasional leading '-').
function javaSalt(seedStr) {
	const bytes = streamBytes(seedStr, 16);
	let v = M.fromBytes(bytes);
	if (bytes[0] & 0x80) v -= 1n << 128n;
	return v;
}

function positiveBytes(seedStr, n) {
	return M.fromBytes(streamBytes(seedStr, n));
}

// formatHex writes n as hex the way a case sends it: Java's toString(16)
// (lower case, minimal, '-' for negatives), then the listed changes.
function formatHex(n, form) {
	const s = M.hex(n);
	const neg = s.startsWith('-');
	let d = neg ? s.slice(1) : s;
	for (const f of (form || '').split(',').filter(Boolean)) {
		if (f === 'upper') d = d.toUpperCase();
		else if (f === 'pad00') d = '00' + d;
		else if (f === 'even') d = d.length % 2 ? '0' + d : d;
		else if (f === 'padhex') {
			// the string padHex prints (how device salts are stored)
			if (neg) throw new Error('formatHex: padhex of a negative value');
			d = M.padHex(n).toString('hex');
		} else throw new Error(`formatHex: unknown form ${f}`);
	}
	return (neg ? '-' : '') + d;
}

function secretBlockFor(recipe) {
	if (recipe.secretBlock !== undefined) return recipe.secretBlock;
	return streamBytes(seedName(recipe, 'secretblock'), recipe.secretBlockLen).toString('base64');
}

function saltOf(recipe) {
	if (recipe.saltValue !== undefined) return recipe.saltValue;
	if (recipe.saltKind === 'positive16') return positiveBytes(seedName(recipe, 'salt'), 16);
	return javaSalt(seedName(recipe, 'salt'));
}

function transformB(recipe, B) {
	switch (recipe.bTransform) {
		case undefined:
			return B;
		case 'plusN':
			return B + M.N;
		case 'plus3N':
			return B + 3n * M.N;
		case 'minusN':
			return B - M.N;
		default:
			throw new Error(`${recipe.id}: unknown bTransform ${recipe.bTransform}`);
	}
}

// lazy returns an object whose properties are computed on first use.
function lazy(defs) {
	const obj = {};
	const cache = {};
	for (const [k, f] of Object.entries(defs)) {
		Object.defineProperty(obj, k, {
			enumerable: true,
			get() {
				if (!(k in cache)) cache[k] = f(obj);
				return cache[k];
			},
		});
	}
	return obj;
}

// --search tries many seeds of one input with the others fixed: the model's
// A (for a fixed a) and v (for a fixed x) are computed once across tries.
const memo = new Map();
function memoized(key, f) {
	if (!memo.has(key)) memo.set(key, f());
	return memo.get(key);
}

function claimModel(recipe) {
	return lazy({
		aSeed: () => seedName(recipe, 'a'),
		a: o => positiveBytes(o.aSeed, 128),
		A: o => memoized(`A:${o.aSeed}`, () => M.modPow(M.g, o.a, M.N)),
		b: () => positiveBytes(seedName(recipe, 'b'), recipe.bLen || 32),
		salt: () => saltOf(recipe),
		saltStr: o => (recipe.saltString !== undefined ? recipe.saltString : formatHex(o.salt, recipe.saltForm)),
		x: o => M.computeX(M.parseSignedHex(o.saltStr), recipe.poolName, recipe.userId, recipe.password),
		v: o => memoized(`v:${o.x}`, () => M.modPow(M.g, o.x, M.N)),
		B: o => transformB(recipe, M.serverB(o.v, o.b)),
		srpB: o => formatHex(o.B, recipe.bForm),
		u: o => M.computeU(o.A, o.B),
		S: o => M.clientS(o.a, o.B, o.x, o.u),
		password: () => recipe.password,
		userId: () => recipe.userId,
		typedUsername: () => recipe.typedUsername || recipe.userId,
		device: () => false,
		unixMillis: () => recipe.unixMillis,
	});
}

function serverModel(recipe) {
	return lazy({
		aSeed: () => seedName(recipe, 'a'),
		a: o => positiveBytes(o.aSeed, 128),
		A: o => memoized(`A:${o.aSeed}`, () => M.modPow(M.g, o.a, M.N)),
		srpA: o => formatHex(o.A, recipe.aForm),
		b: () => positiveBytes(seedName(recipe, 'b'), recipe.bLen || 128),
		salt: () => saltOf(recipe),
		saltStr: o => formatHex(o.salt, recipe.saltForm),
		x: o => M.computeX(o.salt, recipe.poolName, recipe.userId, recipe.password),
		v: o => memoized(`v:${o.x}`, () => M.modPow(M.g, o.x, M.N)),
		B: o => M.serverB(o.v, o.b),
		u: o => M.computeU(o.A, o.B),
		S: o => M.serverS(o.A, o.v, o.u, o.b),
		password: () => recipe.password,
		userId: () => recipe.userId,
	});
}

// deviceModel: the device's verifier (ConfirmDevice) from its seed.
function deviceModel(recipe) {
	return lazy({
		stream: () => streamBytes(seedName(recipe, 'device'), 56),
		devicePassword: o => o.stream.subarray(0, 40).toString('base64'),
		salt: o => M.fromBytes(o.stream.subarray(40, 56)),
		x: o => M.computeX(o.salt, recipe.deviceGroupKey, recipe.deviceKey, o.devicePassword),
		v: o => M.modPow(M.g, o.x, M.N),
		// the device's own sign-in: only the hex forms are searched for
		saltStr: o => formatHex(o.salt, recipe.deviceSaltForm),
		srpB: o => formatHex(M.serverB(o.v, positiveBytes(seedName(recipe, 'device-b'), recipe.deviceBLen || 32)), recipe.deviceBForm),
	});
}

module.exports = {
	seedName,
	javaSalt,
	positiveBytes,
	formatHex,
	secretBlockFor,
	saltOf,
	transformB,
	lazy,
	claimModel,
	serverModel,
	deviceModel,
};
