'use strict';

// Loads AWS's reference client, amazon-cognito-identity-js (the exact
// version pinned in package.json), and drives its own code paths
// deterministically:
//
//   - randomness: the client draws every random byte through
//     lib/utils/cryptoSecureRandomInt.js; its export is replaced by a reader
//     of the seeded stream (prng.js). Drawing without a seed throws.
//   - the clock: DateHelper calls `new Date()`; the global Date is replaced
//     by one whose "now" is set per case. Reading it unset throws.
//   - a fixed private ephemeral (published vectors only): the helper's
//     generateRandomSmallA returns the given a, and the helper then computes
//     A with its own calculateA, as it always does.
//   - observation: calculateS and computehkdf are wrapped to record x, S, u
//     and the derived key; their results are passed through unchanged.
//
// The client's arithmetic (its bundled jsbn BigInteger and its modPow) is
// used as shipped.
//
// Whole sign-ins run through CognitoUser against a fake Client whose
// request() answers synchronously with the challenge the case defines and
// records what the client sent.

const path = require('path');
const { Stream } = require('./prng');

const PKG = 'amazon-cognito-identity-js';
const pkgDir = path.dirname(require.resolve(`${PKG}/package.json`));
const pkgVersion = require(`${PKG}/package.json`).version;
const pinned = require('./package.json').dependencies[PKG];
if (pkgVersion !== pinned) {
	throw new Error(`reference: ${PKG} ${pkgVersion} is installed, package.json pins ${pinned} (run npm install)`);
}

const lib = require(PKG);
const BigInteger = require(path.join(pkgDir, 'lib', 'BigInteger.js')).default;
const randomIntModule = require(path.join(pkgDir, 'lib', 'utils', 'cryptoSecureRandomInt.js'));
// The client's own SHA-256/HMAC implementation, resolved from its location.
const { Sha256 } = require(require.resolve('@aws-crypto/sha256-js', { paths: [pkgDir] }));

const { AuthenticationHelper, AuthenticationDetails, CognitoUser, CognitoUserPool, DateHelper } = lib;

// ---- randomness ------------------------------------------------------------

let currentStream = null;

randomIntModule.default = function seededRandomInt() {
	if (currentStream === null) {
		throw new Error('reference: the client drew randomness without a seed');
	}
	return currentStream.bytes(4).readUInt32BE(0);
};

// seed makes the client's following random draws come from the stream of s
// (null: forbid drawing).
function seed(s) {
	currentStream = s === null ? null : new Stream(s);
}

// ---- clock -----------------------------------------------------------------

const RealDate = Date;
let fixedNow = null;

class FixedDate extends RealDate {
	constructor(...args) {
		if (args.length === 0) {
			if (fixedNow === null) {
				throw new Error('reference: the client read the clock before it was set');
			}
			super(fixedNow);
		} else {
			super(...args);
		}
	}

	// The client only ever calls `new Date()`; Date.now stays real for
	// anything else in the process.
	static now() {
		return fixedNow === null ? RealDate.now() : fixedNow;
	}
}
globalThis.Date = FixedDate;

function setClock(ms) {
	if (ms !== null && !Number.isSafeInteger(ms)) {
		throw new Error(`reference: bad clock ${ms}`);
	}
	fixedNow = ms;
}

// ---- forced private ephemeral and observation hooks -------------------------

let forcedSmallA = null;
const origGenerateRandomSmallA = AuthenticationHelper.prototype.generateRandomSmallA;
AuthenticationHelper.prototype.generateRandomSmallA = function generateRandomSmallA() {
	if (forcedSmallA !== null) {
		const a = forcedSmallA;
		forcedSmallA = null; // one helper only
		return a;
	}
	return origGenerateRandomSmallA.call(this);
};

function forceNextSmallA(a) {
	if (!(a instanceof BigInteger)) throw new Error('reference: forced a must be a BigInteger');
	forcedSmallA = a;
}

let observed = null;

const origCalculateS = AuthenticationHelper.prototype.calculateS;
AuthenticationHelper.prototype.calculateS = function calculateS(xValue, serverBValue, callback) {
	const helper = this;
	return origCalculateS.call(this, xValue, serverBValue, (err, S) => {
		if (observed !== null) {
			observed.helper = helper;
			observed.x = xValue;
			observed.S = S;
			observed.u = helper.UValue;
			observed.B = serverBValue;
		}
		return callback(err, S);
	});
};

const origComputehkdf = AuthenticationHelper.prototype.computehkdf;
AuthenticationHelper.prototype.computehkdf = function computehkdf(ikm, salt) {
	const key = origComputehkdf.call(this, ikm, salt);
	if (observed !== null) {
		observed.key = Buffer.from(key);
	}
	return key;
};

function observe() {
	observed = {};
	return observed;
}

function stopObserving() {
	observed = null;
}

// ---- primitives ------------------------------------------------------------

// One helper whose stateless methods (padHex, hash, hexHash, computehkdf)
// and constants (N, g, k) the generator uses for the server side.
seed('testvectors/primitives-helper');
const prims = new AuthenticationHelper('primitives');
seed(null);

function big(hex) {
	return new BigInteger(hex, 16);
}

// hmacSha256 computes HMAC-SHA256 with the client's own @aws-crypto/sha256-js,
// exactly as CognitoUser computes PASSWORD_CLAIM_SIGNATURE.
function hmacSha256(key, data) {
	const h = new Sha256(key);
	h.update(data);
	return Buffer.from(h.digestSync());
}

// ---- a fake Cognito endpoint -------------------------------------------------

class MemStorage {
	constructor() {
		this.m = new Map();
	}
	setItem(k, v) {
		this.m.set(k, String(v));
	}
	getItem(k) {
		return this.m.has(k) ? this.m.get(k) : null;
	}
	removeItem(k) {
		this.m.delete(k);
	}
	clear() {
		this.m.clear();
	}
}

class FakeClient {
	constructor(handler) {
		this.handler = handler;
		this.requests = [];
	}

	request(operation, params, callback) {
		this.requests.push({ operation, params: JSON.parse(JSON.stringify(params)) });
		const { err, data } = this.handler(operation, params);
		return callback(err || null, data || null);
	}
}

class Stop extends Error {
	constructor() {
		super('testvectors: stop');
		this.code = 'TestvectorsStop';
	}
}

function newUser(poolName, username, handler) {
	const storage = new MemStorage();
	const pool = new CognitoUserPool({
		UserPoolId: `us-east-1_${poolName}`,
		ClientId: 'testvectorsclientid',
		Storage: storage,
	});
	if (pool.getUserPoolName() !== poolName) {
		throw new Error(`reference: pool name ${JSON.stringify(poolName)} does not round-trip`);
	}
	const client = new FakeClient(handler);
	pool.client = client;
	const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
	return { pool, user, client };
}

// runFlow calls start(callbacks) and returns how the flow ended. Every
// callback of the client is synchronous here (the fake client answers at
// once), so the outcome is known when start returns.
function runFlow(start) {
	let outcome = null;
	const end = name => (...args) => {
		if (outcome === null) outcome = { name, args };
	};
	const callbacks = {
		onSuccess: end('onSuccess'),
		onFailure: end('onFailure'),
		newPasswordRequired: end('newPasswordRequired'),
		mfaRequired: end('mfaRequired'),
		totpRequired: end('totpRequired'),
		customChallenge: end('customChallenge'),
		mfaSetup: end('mfaSetup'),
		selectMFAType: end('selectMFAType'),
	};
	try {
		start(callbacks);
	} catch (e) {
		return { thrown: e };
	}
	if (outcome === null) {
		throw new Error('reference: the flow did not finish synchronously');
	}
	return outcome;
}

module.exports = {
	pkgVersion,
	lib,
	BigInteger,
	AuthenticationHelper,
	AuthenticationDetails,
	CognitoUser,
	CognitoUserPool,
	DateHelper,
	seed,
	setClock,
	forceNextSmallA,
	observe,
	stopObserving,
	prims,
	big,
	hmacSha256,
	newUser,
	runFlow,
	Stop,
};
