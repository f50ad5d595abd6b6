'use strict';

// Runs one recipe (cases.js) through the reference client and returns the
// finished test vector(s). Every expected value comes from the reference
// client: its CognitoUser sign-in code for SRP_A, the signature and the
// timestamp, its AuthenticationHelper for u, x, S and the key, its
// generateHashDevice and ConfirmDevice code for device verifiers, and its
// BigInteger/padHex/hash primitives for the server side. Each value is then
// checked against the independent model (model.js); any difference aborts.

const R = require('./reference');
const M = require('./model');
const F = require('./flags');
const { streamBytes } = require('./prng');
const D = require('./derive');

const { seedName, javaSalt, positiveBytes, formatHex, secretBlockFor } = D;

const { prims, big, BigInteger } = R;
const noop = () => {};

function fail(recipe, msg) {
	throw new Error(`${recipe.id}: ${msg}`);
}

function check(recipe, cond, msg) {
	if (!cond) fail(recipe, msg);
}

function toBig(bi) {
	// jsbn BigInteger -> native BigInt, through its own toString(16).
	return M.parseSignedHex(bi.toString(16));
}

function fromBig(n) {
	return big(M.hex(n));
}

function modPow(base, e) {
	return base.modPow(e, prims.N, noop);
}

// ---- the server side, with the reference client's primitives ---------------

function serverX(poolName, userId, password, salt) {
	const inner = prims.hash(`${poolName}${userId}:${password}`);
	return big(prims.hexHash(prims.padHex(salt) + inner));
}

function serverSetup(poolName, userId, password, salt, b) {
	const x = serverX(poolName, userId, password, salt);
	const v = modPow(prims.g, x);
	const B = prims.k.multiply(v).add(modPow(prims.g, b)).mod(prims.N);
	return { x, v, B };
}

function serverSecret(A, B, v, b) {
	if (A.mod(prims.N).equals(BigInteger.ZERO)) throw new Error('A mod N = 0');
	const u = big(prims.hexHash(prims.padHex(A) + prims.padHex(B)));
	const S = modPow(A.multiply(modPow(v, u)), b);
	const key = Buffer.from(
		prims.computehkdf(Buffer.from(prims.padHex(S), 'hex'), Buffer.from(prims.padHex(u), 'hex'))
	);
	return { u, S, key };
}

// deviceVerifier computes DeviceSecretVerifierConfig from a given device
// password and salt with the client's primitives, step for step as
// generateHashDevice and CognitoUser's ConfirmDevice code do.
function deviceVerifier(deviceGroupKey, deviceKey, devicePassword, saltHexPadded) {
	const hashed = prims.hash(`${deviceGroupKey}${deviceKey}:${devicePassword}`);
	const x = big(prims.hexHash(saltHexPadded + hashed));
	const v = modPow(prims.g, x);
	return {
		v,
		passwordVerifier: Buffer.from(prims.padHex(v), 'hex').toString('base64'),
		saltBase64: Buffer.from(saltHexPadded, 'hex').toString('base64'),
	};
}

// ---- whole sign-ins through CognitoUser --------------------------------------

const FAKE_JWT = (() => {
	const enc = o => Buffer.from(JSON.stringify(o)).toString('base64').replace(/=+$/, '');
	return `${enc({ alg: 'none' })}.${enc({ iat: 0, exp: 4102444800 })}.c2ln`;
})();

// userLogin runs CognitoUser.authenticateUser (USER_SRP_AUTH) up to and
// including the PASSWORD_VERIFIER response. afterClaim(params) answers that
// response (default: stop the flow).
function userLogin(recipe, p) {
	if (p.forcedA) {
		R.seed(null);
		R.forceNextSmallA(p.forcedA);
	} else {
		R.seed(p.aSeed);
	}
	R.setClock(p.unixMillis);
	const obs = R.observe();
	const seen = { initiate: null, claim: null, confirm: null };
	const { user } = R.newUser(p.poolName, p.typedUsername, (op, params) => {
		if (op === 'InitiateAuth') {
			check(recipe, seen.initiate === null, 'InitiateAuth sent twice');
			seen.initiate = params;
			return {
				data: {
					ChallengeName: 'PASSWORD_VERIFIER',
					Session: 'testvectors-session',
					ChallengeParameters: {
						USER_ID_FOR_SRP: p.userId,
						USERNAME: p.userId,
						SRP_B: p.srpB,
						SALT: p.salt,
						SECRET_BLOCK: p.secretBlock,
					},
				},
			};
		}
		if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'PASSWORD_VERIFIER') {
			check(recipe, seen.claim === null, 'PASSWORD_VERIFIER answered twice');
			seen.claim = params;
			R.stopObserving();
			return p.afterClaim ? p.afterClaim(params) : { err: new R.Stop() };
		}
		if (op === 'ConfirmDevice' && p.onConfirmDevice) {
			seen.confirm = params;
			return p.onConfirmDevice(params);
		}
		fail(recipe, `unexpected request ${op} ${params.ChallengeName || ''}`);
	});
	const details = new R.AuthenticationDetails({ Username: p.typedUsername, Password: p.password });
	const outcome = R.runFlow(cb => user.authenticateUser(details, cb));
	R.stopObserving();
	R.seed(null);
	R.setClock(null);
	return { outcome, seen, obs };
}

// deviceLogin runs CognitoUser.getDeviceResponse (DEVICE_SRP_AUTH) up to and
// including the DEVICE_PASSWORD_VERIFIER response.
function deviceLogin(recipe, p) {
	if (p.forcedA) {
		R.seed(null);
		R.forceNextSmallA(p.forcedA);
	} else {
		R.seed(p.aSeed);
	}
	R.setClock(p.unixMillis);
	const obs = R.observe();
	const seen = { srpAuth: null, claim: null };
	const { user } = R.newUser(p.userPoolName || 'DevicePool', p.username, (op, params) => {
		if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_SRP_AUTH') {
			seen.srpAuth = params;
			return {
				data: {
					ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
					Session: 'testvectors-session-2',
					ChallengeParameters: {
						USERNAME: p.username,
						SRP_B: p.srpB,
						SALT: p.salt,
						SECRET_BLOCK: p.secretBlock,
					},
				},
			};
		}
		if (op === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_PASSWORD_VERIFIER') {
			seen.claim = params;
			R.stopObserving();
			return { err: new R.Stop() };
		}
		fail(recipe, `unexpected request ${op} ${params.ChallengeName || ''}`);
	});
	user.deviceKey = p.deviceKey;
	user.deviceGroupKey = p.deviceGroupKey;
	user.randomPassword = p.devicePassword;
	user.Session = 'testvectors-session-1';
	const outcome = R.runFlow(cb => user.getDeviceResponse(cb));
	R.stopObserving();
	R.seed(null);
	R.setClock(null);
	return { outcome, seen, obs };
}

function stoppedOK(recipe, outcome) {
	if (outcome.thrown) fail(recipe, `the reference client threw: ${outcome.thrown.stack}`);
	check(
		recipe,
		outcome.name === 'onFailure' && outcome.args[0] instanceof R.Stop,
		`unexpected end of flow: ${outcome.name} ${outcome.args && outcome.args[0]}`
	);
}

// claimFromRun turns an observed sign-in into password_claim outputs and
// checks them against the model and (if given) the server's own S.
function claimFromRun(recipe, run, p, server) {
	const { seen, obs } = run;
	const claim = seen.claim;
	check(recipe, claim !== null, 'no claim was sent');
	const cr = claim.ChallengeResponses;
	const helper = obs.helper;
	check(recipe, helper !== undefined, 'calculateS was not observed');
	const a = toBig(helper.getSmallAValue());
	const Abi = helper.largeAValue;
	const srpA = p.device ? seen.srpAuth.ChallengeResponses.SRP_A : seen.initiate.AuthParameters.SRP_A;
	check(recipe, srpA === Abi.toString(16), 'SRP_A sent differs from the helper\'s A');
	const A = toBig(Abi);
	const u = toBig(obs.u);
	const x = toBig(obs.x);
	const S = toBig(obs.S);
	const key = obs.key;
	check(recipe, key && key.length === 16, 'no 16-byte key observed');
	const timestamp = cr.TIMESTAMP;
	const signature = cr.PASSWORD_CLAIM_SIGNATURE;

	// what the client sent around the claim
	check(recipe, cr.USERNAME === (p.device ? p.username : p.userId), `USERNAME ${cr.USERNAME}`);
	check(recipe, cr.PASSWORD_CLAIM_SECRET_BLOCK === p.secretBlock, 'secret block not echoed');
	if (p.device) check(recipe, cr.DEVICE_KEY === p.deviceKey, 'DEVICE_KEY not sent');

	// the model
	const B = M.parseSignedHex(p.srpB);
	const salt = M.parseSignedHex(p.salt);
	const poolName = p.device ? p.deviceGroupKey : p.poolName;
	const userId = p.device ? p.deviceKey : p.userId;
	check(recipe, u === M.computeU(A, B), 'u differs from the model');
	check(recipe, x === M.computeX(salt, poolName, userId, p.password), 'x differs from the model');
	check(recipe, key.equals(M.hkdf16(S, u)), 'key differs from the model');
	check(recipe, timestamp === M.timestamp(p.unixMillis), `timestamp ${timestamp} differs from the model`);
	const sigModel = M.signature(key, poolName, userId, p.secretBlock, timestamp);
	check(recipe, signature === sigModel, 'signature differs from node:crypto HMAC');
	const sigAws = R.hmacSha256(
		key,
		Buffer.concat([
			Buffer.from(poolName, 'utf8'),
			Buffer.from(userId, 'utf8'),
			Buffer.from(p.secretBlock, 'base64'),
			Buffer.from(timestamp, 'utf8'),
		])
	).toString('base64');
	check(recipe, signature === sigAws, 'signature differs from @aws-crypto HMAC');
	const dh = new R.DateHelper();
	R.setClock(p.unixMillis);
	check(recipe, dh.getNowString() === timestamp, 'DateHelper disagrees');
	R.setClock(null);

	if (server) {
		// The server's S for the same a, b and password, computed by the
		// model from A, v and b only: equal to the client's S iff A = g^a,
		// B = k*v + g^b and the client's x matches the verifier.
		check(recipe, M.serverS(A, toBig(server.v), u, toBig(server.b)) === S, 'server S (model) != client S');
	} else {
		check(recipe, A === M.modPow(M.g, a, M.N), 'A != g^a mod N (model)');
		check(recipe, S === M.clientS(a, B, x, u), 'S differs from the model');
	}

	const flags = F.flagsOf('password_claim', {
		a,
		A,
		B,
		S,
		u,
		salt,
		saltStr: p.salt,
		srpB: p.srpB,
		password: p.password,
		userId,
		typedUsername: p.device ? undefined : p.typedUsername,
		device: !!p.device,
		unixMillis: p.unixMillis,
	});

	const vector = {
		poolName,
		userId,
		password: p.password,
		a: M.hex(a),
		srpB: p.srpB,
		salt: p.salt,
		secretBlock: p.secretBlock,
		timestamp,
		srpA,
		u: M.hex(u),
		x: M.hex(x),
		S: M.hex(S),
		key: key.toString('hex'),
		signature,
	};
	return { vector, flags, values: { A, B, S, u, x, a, key } };
}

// ---- recipes -----------------------------------------------------------------

function claimInputs(recipe, defaultBLen) {
	const salt = D.saltOf(recipe);
	const saltStr = recipe.saltString !== undefined ? recipe.saltString : formatHex(salt, recipe.saltForm);
	const b = positiveBytes(seedName(recipe, 'b'), recipe.bLen || defaultBLen);
	return { salt, saltStr, b };
}

// userClaim: a USER_SRP_AUTH sign-in whose B comes from the generator's
// server (reference primitives) for the same password.
function userClaim(recipe) {
	const { saltStr, b } = claimInputs(recipe, 32);
	const bBig = fromBig(b);
	const srv = serverSetup(recipe.poolName, recipe.userId, recipe.password, big(saltStr), bBig);
	let Bval = srv.B;
	if (recipe.bTransform === 'plusN') Bval = Bval.add(prims.N);
	else if (recipe.bTransform === 'minusN') Bval = Bval.subtract(prims.N);
	else if (recipe.bTransform === 'plus3N') Bval = Bval.add(prims.N.multiply(big('3')));
	else if (recipe.bTransform) fail(recipe, `unknown bTransform ${recipe.bTransform}`);
	const srpB = formatHex(toBig(Bval), recipe.bForm);
	const p = {
		poolName: recipe.poolName,
		typedUsername: recipe.typedUsername || recipe.userId,
		userId: recipe.userId,
		password: recipe.password,
		aSeed: seedName(recipe, 'a'),
		srpB,
		salt: saltStr,
		secretBlock: secretBlockFor(recipe),
		unixMillis: recipe.unixMillis,
	};
	const run = userLogin(recipe, p);
	stoppedOK(recipe, run.outcome);
	// With B shifted by a multiple of N the server's (A*v^u)^b uses the
	// server's own B in u and would differ; only cross-check unshifted B.
	const server = recipe.bTransform ? null : { B: srv.B, v: srv.v, b: bBig };
	const out = claimFromRun(recipe, run, p, server);
	if (recipe.vary) {
		// what --search predicted
		const model = D.claimModel(recipe);
		check(recipe, model.srpB === srpB && model.saltStr === saltStr, 'the search model derives other inputs');
		check(recipe, out.values.a === model.a, 'the search model derives another a');
	}
	check(
		recipe,
		toBig(run.obs.helper.getSmallAValue()) === positiveBytes(p.aSeed, 128),
		'a is not the first 128 bytes of its seed stream'
	);
	const typed = p.typedUsername !== p.userId ? `; typed "${p.typedUsername}", USER_ID_FOR_SRP "${p.userId}"` : '';
	return [finish(recipe, 'password_claim', out.vector, out.flags, { commentSuffix: typed })];
}

// deviceScenario: a user signs in, Cognito returns NewDeviceMetadata, the
// client runs generateHashDevice and sends ConfirmDevice; later the device
// signs in with DEVICE_SRP_AUTH against the generator's server using the
// stored verifier. Yields three vectors: the user claim, the device
// verifier and the device claim.
function deviceScenario(recipe) {
	const out = [];
	// 1. user sign-in
	const { saltStr, b } = claimInputs(recipe, 32);
	const bBig = fromBig(b);
	const srv = serverSetup(recipe.poolName, recipe.userId, recipe.password, big(saltStr), bBig);
	const srpB = formatHex(toBig(srv.B), recipe.bForm);
	let devicePassword = null;
	const p = {
		poolName: recipe.poolName,
		typedUsername: recipe.typedUsername || recipe.userId,
		userId: recipe.userId,
		password: recipe.password,
		aSeed: seedName(recipe, 'a'),
		srpB,
		salt: saltStr,
		secretBlock: secretBlockFor(recipe),
		unixMillis: recipe.unixMillis,
		afterClaim: () => {
			// The device's randomness (password, then salt) comes from its own seed.
			R.seed(seedName(recipe, 'device'));
			return {
				data: {
					AuthenticationResult: {
						AccessToken: FAKE_JWT,
						IdToken: FAKE_JWT,
						RefreshToken: 'testvectors-refresh-token',
						ExpiresIn: 3600,
						TokenType: 'Bearer',
						NewDeviceMetadata: { DeviceKey: recipe.deviceKey, DeviceGroupKey: recipe.deviceGroupKey },
					},
				},
			};
		},
		onConfirmDevice: () => ({ err: new R.Stop() }),
	};
	const run = userLogin(recipe, p);
	stoppedOK(recipe, run.outcome);
	const uc = claimFromRun(recipe, run, p, { B: srv.B, v: srv.v, b: bBig });
	out.push(
		finish(recipe, 'password_claim', uc.vector, uc.flags, {
			file: 'password_claim',
			want: [],
			commentSuffix:
				': the user sign-in after which Cognito returns NewDeviceMetadata' +
				(p.typedUsername !== p.userId ? `; typed "${p.typedUsername}", USER_ID_FOR_SRP "${p.userId}"` : ''),
		})
	);

	// 2. ConfirmDevice
	const conf = run.seen.confirm;
	check(recipe, conf !== null, 'ConfirmDevice was not sent');
	check(recipe, conf.DeviceKey === recipe.deviceKey, 'ConfirmDevice DeviceKey');
	const cfg = conf.DeviceSecretVerifierConfig;
	const devStream = streamBytes(seedName(recipe, 'device'), 56);
	devicePassword = devStream.subarray(0, 40).toString('base64');
	const saltBytes = devStream.subarray(40, 56);
	const dsalt = M.fromBytes(saltBytes);
	const dsaltHex = prims.padHex(big(saltBytes.toString('hex')));
	check(recipe, Buffer.from(cfg.Salt, 'base64').toString('hex') === dsaltHex, 'ConfirmDevice salt is not padHex of the drawn bytes');
	const dx = M.computeX(dsalt, recipe.deviceGroupKey, recipe.deviceKey, devicePassword);
	const dv = M.modPow(M.g, dx, M.N);
	check(recipe, Buffer.from(cfg.PasswordVerifier, 'base64').equals(M.padHex(dv)), 'PasswordVerifier differs from the model');
	// the same through the helper's generateHashDevice directly
	// (a = 1 for this helper: only its generateHashDevice is used)
	R.seed(null);
	R.forceNextSmallA(big('1'));
	const h = new R.AuthenticationHelper(recipe.deviceGroupKey);
	R.seed(seedName(recipe, 'device'));
	h.generateHashDevice(recipe.deviceGroupKey, recipe.deviceKey, noop);
	R.seed(null);
	check(recipe, h.getRandomPassword() === devicePassword, 'generateHashDevice password');
	check(recipe, Buffer.from(h.getVerifierDevices(), 'hex').toString('base64') === cfg.PasswordVerifier, 'generateHashDevice verifier');
	check(recipe, Buffer.from(h.getSaltDevices(), 'hex').toString('base64') === cfg.Salt, 'generateHashDevice salt');
	const viaPrims = deviceVerifier(recipe.deviceGroupKey, recipe.deviceKey, devicePassword, dsaltHex);
	check(recipe, viaPrims.passwordVerifier === cfg.PasswordVerifier && viaPrims.saltBase64 === cfg.Salt, 'primitive path differs');
	const vflags = F.flagsOf('device_verifier', { v: dv, salt: dsalt });
	out.push(
		finish(
			recipe,
			'device_verifier',
			{
				deviceGroupKey: recipe.deviceGroupKey,
				deviceKey: recipe.deviceKey,
				devicePassword,
				salt: dsaltHex,
				passwordVerifier: cfg.PasswordVerifier,
				saltBase64: cfg.Salt,
			},
			vflags,
			{ want: recipe.wantVerifier || [], commentSuffix: `: ConfirmDevice's DeviceSecretVerifierConfig${recipe.verifierNote || ''}` }
		)
	);

	// 3. device sign-in against a server holding (salt, verifier)
	const db = positiveBytes(seedName(recipe, 'device-b'), recipe.deviceBLen || 32);
	const dbBig = fromBig(db);
	const dvBig = fromBig(dv);
	const dB = prims.k.multiply(dvBig).add(modPow(prims.g, dbBig)).mod(prims.N);
	const dp = {
		device: true,
		username: recipe.userId,
		deviceKey: recipe.deviceKey,
		deviceGroupKey: recipe.deviceGroupKey,
		devicePassword,
		password: devicePassword,
		aSeed: seedName(recipe, 'device-a'),
		srpB: formatHex(toBig(dB), recipe.deviceBForm),
		salt: formatHex(dsalt, recipe.deviceSaltForm),
		secretBlock: streamBytes(seedName(recipe, 'device-secretblock'), recipe.secretBlockLen).toString('base64'),
		unixMillis: recipe.unixMillis + recipe.deviceDelayMillis,
	};
	const drun = deviceLogin(recipe, dp);
	stoppedOK(recipe, drun.outcome);
	const dc = claimFromRun(recipe, drun, dp, { B: dB, v: dvBig, b: dbBig });
	out.push(
		finish(recipe, 'password_claim', dc.vector, dc.flags, {
			want: recipe.wantDevice || [],
			commentSuffix: `: the device's own sign-in (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER)${recipe.deviceNote || ''}`,
		})
	);
	return out;
}

// serverCase: the server side of a sign-in, with the reference client's
// primitives; srpA comes from a reference client sign-in whose S and key
// must equal the server's.
function serverCase(recipe) {
	const { salt: saltVal, saltStr, b } = claimInputs(recipe, 128);
	const bBig = fromBig(b);
	const srv = serverSetup(recipe.poolName, recipe.userId, recipe.password, big(saltStr), bBig);
	// the client
	const p = {
		poolName: recipe.poolName,
		typedUsername: recipe.userId,
		userId: recipe.userId,
		password: recipe.password,
		aSeed: seedName(recipe, 'a'),
		srpB: srv.B.toString(16),
		salt: saltStr,
		secretBlock: streamBytes(seedName(recipe, 'secretblock'), 48).toString('base64'),
		unixMillis: 1700000000000,
	};
	const run = userLogin(recipe, p);
	stoppedOK(recipe, run.outcome);
	const cl = claimFromRun(recipe, run, p, { B: srv.B, v: srv.v, b: bBig });
	const A = cl.values.A;
	const srpA = formatHex(A, recipe.aForm);
	const sec = serverSecret(big(srpA), srv.B, srv.v, bBig);
	const v = toBig(srv.v);
	const B = toBig(srv.B);
	const u = toBig(sec.u);
	const S = toBig(sec.S);
	check(recipe, S === cl.values.S && u === cl.values.u && sec.key.equals(cl.values.key), 'server and client disagree');
	check(recipe, v === M.modPow(M.g, M.computeX(saltVal, recipe.poolName, recipe.userId, recipe.password), M.N), 'verifier differs from the model');
	check(recipe, B === M.serverB(v, b), 'B differs from the model');
	check(recipe, S === M.serverS(A, v, u, b), 'S differs from the model');
	const flags = F.flagsOf('server', {
		A,
		srpA,
		B,
		S,
		u,
		salt: saltVal,
		saltStr,
		password: recipe.password,
		userId: recipe.userId,
	});
	return [
		finish(
			recipe,
			'server',
			{
				poolName: recipe.poolName,
				userId: recipe.userId,
				password: recipe.password,
				salt: saltStr,
				b: M.hex(b),
				srpA,
				verifier: M.hex(v),
				srpB: M.hex(B),
				u: M.hex(u),
				S: M.hex(S),
				key: sec.key.toString('hex'),
			},
			flags
		),
	];
}

// describeReference runs a rejected input through the reference client and
// says what it did, for the comment of an invalid case.
function describeOutcome(run) {
	const o = run.outcome;
	if (o.thrown) return `the reference client throws "${o.thrown.message}"`;
	if (o.name === 'onFailure' && !(o.args[0] instanceof R.Stop)) return `the reference client fails with "${o.args[0].message}"`;
	if (run.seen.claim) {
		return `the reference client does not reject it: it sends a claim (signature ${run.seen.claim.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE})`;
	}
	return `the reference client ends with ${o.name}`;
}

function invalidClaim(recipe) {
	const saltStr = recipe.salt !== undefined ? recipe.salt : formatHex(javaSalt(seedName(recipe, 'salt')), '');
	let srpB = recipe.srpB;
	if (srpB === undefined) {
		const b = fromBig(positiveBytes(seedName(recipe, 'b'), 32));
		srpB = serverSetup(recipe.poolName, recipe.userId, recipe.password, big(saltStr), b).B.toString(16);
		const mid = srpB.length >> 1;
		switch (recipe.srpBMangle) {
			case undefined:
				break;
			case 'prefix0x':
				srpB = '0x' + srpB;
				break;
			case 'nonhex':
				srpB = srpB.slice(0, mid) + 'g' + srpB.slice(mid + 1);
				break;
			case 'space':
				srpB = srpB.slice(0, mid) + ' ' + srpB.slice(mid);
				break;
			case 'innerminus':
				srpB = srpB.slice(0, mid) + '-' + srpB.slice(mid);
				break;
			case 'doubleminus':
				srpB = '--' + srpB;
				break;
			case 'plus':
				srpB = '+' + srpB;
				break;
			case 'newline':
				srpB = srpB + '\n';
				break;
			default:
				fail(recipe, `unknown srpBMangle ${recipe.srpBMangle}`);
		}
	}
	const p = {
		poolName: recipe.poolName,
		typedUsername: recipe.userId,
		userId: recipe.userId,
		password: recipe.password,
		aSeed: seedName(recipe, 'a'),
		srpB,
		salt: saltStr,
		secretBlock: recipe.secretBlock !== undefined ? recipe.secretBlock : streamBytes(seedName(recipe, 'secretblock'), 64).toString('base64'),
		unixMillis: recipe.unixMillis,
	};
	// our own parser must reject at least one input
	let rejected = false;
	try {
		const B = M.parseSignedHex(p.srpB);
		M.parseSignedHex(p.salt);
		if (M.mod(B, M.N) === 0n) rejected = true;
		const sb = p.secretBlock;
		if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(sb)) rejected = true;
	} catch (e) {
		rejected = true;
	}
	check(recipe, rejected, 'the model accepts this "invalid" case');
	const run = userLogin(recipe, p);
	const a = positiveBytes(p.aSeed, 128);
	return [
		finish(
			recipe,
			'password_claim',
			{
				poolName: p.poolName,
				userId: p.userId,
				password: p.password,
				a: M.hex(a),
				srpB: p.srpB,
				salt: p.salt,
				secretBlock: p.secretBlock,
				timestamp: M.timestamp(p.unixMillis),
			},
			new Set(),
			{ result: 'invalid', commentSuffix: `; ${describeOutcome(run)}` }
		),
	];
}

function invalidServer(recipe) {
	const salt = javaSalt(seedName(recipe, 'salt'));
	const saltStr = M.hex(salt);
	const b = positiveBytes(seedName(recipe, 'b'), 32);
	let rejected = false;
	try {
		const A = M.parseSignedHex(recipe.srpA);
		if (M.mod(A, M.N) === 0n) rejected = true;
	} catch (e) {
		rejected = true;
	}
	check(recipe, rejected, 'the model accepts this "invalid" case');
	let ref;
	try {
		const srv = serverSetup(recipe.poolName, recipe.userId, recipe.password, big(saltStr), fromBig(b));
		serverSecret(big(recipe.srpA), srv.B, srv.v, fromBig(b));
		ref = 'the reference client\'s primitives (jsbn) compute an S for it';
	} catch (e) {
		ref = `the generator's server (reference primitives) rejects it: ${e.message}`;
	}
	return [
		finish(
			recipe,
			'server',
			{
				poolName: recipe.poolName,
				userId: recipe.userId,
				password: recipe.password,
				salt: saltStr,
				b: M.hex(b),
				srpA: recipe.srpA,
			},
			new Set(),
			{ result: 'invalid', commentSuffix: `; ${ref}` }
		),
	];
}

// ---- finishing -----------------------------------------------------------

function finish(recipe, type, fields, computed, opt = {}) {
	const want = opt.want !== undefined ? opt.want : recipe.want || [];
	for (const f of want) {
		check(recipe, computed.has(f), `wanted flag ${f} does not hold (computed: ${[...computed].join(',')})`);
	}
	const flags = new Set(computed);
	for (const f of recipe.flags || []) flags.add(f);
	if (opt.extraFlags) for (const f of opt.extraFlags) flags.add(f);
	for (const f of flags) check(recipe, F.DESCRIPTIONS[f] !== undefined, `undefined flag ${f}`);
	// seeded recipes say which recipe (and so which seeds) they come from
	const origin = ['claim', 'device', 'server', 'invalidClaim', 'invalidServer'].includes(recipe.kind) ? ` [recipe ${recipe.id}]` : '';
	return {
		file: opt.file || recipe.file,
		type,
		comment: recipe.comment + (opt.commentSuffix || '') + origin,
		flags: [...flags].sort(),
		result: opt.result || 'valid',
		fields,
	};
}

module.exports = {
	deviceVerifier,
	userClaim,
	deviceScenario,
	serverCase,
	invalidClaim,
	invalidServer,
	userLogin,
	deviceLogin,
	claimFromRun,
	stoppedOK,
	finish,
	toBig,
	check,
	fail,
};
