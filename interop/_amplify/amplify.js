// Runs AWS Amplify JS v6 (aws-amplify, pinned in package.json) against a
// Cognito-compatible server (cognitosrp serve) as a Node.js application
// would use it, and checks what it sent and what it was answered.
//
// Usage: node amplify.js URL CONFIG
//
// URL is the server's endpoint and CONFIG the JSON file the server was
// started with. The script needs, without client secrets (Amplify cannot
// send one):
//
//   - a user pool with deviceTracking "opt-in", its first user, and two of
//     its app clients: one with refreshTokenRotation.feature "ENABLED" and
//     one with "DISABLED". With the first: USER_SRP_AUTH, ConfirmDevice
//     (Amplify calls it on every sign-in that returns NewDeviceMetadata),
//     rememberDevice (UpdateDeviceStatus), signOut (RevokeToken), a second
//     sign-in through DEVICE_SRP_AUTH, fetchAuthSession({forceRefresh: true})
//     twice (GetTokensFromRefreshToken, a new refresh token each time; the
//     rotated-out ones are then refused, which needs retryGracePeriodSeconds
//     0) and signOut; with the second: sign-in, fetchAuthSession({
//     forceRefresh: true}) twice (new tokens, the same refresh token) and
//     signOut;
//   - a user pool with deviceTracking "always" and its first client and
//     user: sign-in, ConfirmDevice, signOut, and a second sign-in through
//     DEVICE_SRP_AUTH without rememberDevice.
//
// After each signOut the script checks with the server itself that the
// refresh token is revoked. Amplify refreshes only with
// GetTokensFromRefreshToken (since aws-amplify 6.15.4), so a server without
// that operation fails the refresh and sign-out steps.
//
// Each step prints "ok NAME" or "not ok NAME: why"; the last line is
// "N passed, M failed" and the exit status is 0 only when nothing failed.
// A step that depends on a failed one fails too: nothing is skipped.
'use strict';

const crypto = require('crypto');
const fs = require('fs');

const STEP_TIMEOUT_MS = 60000;

// Some of aws-amplify's dependencies (@aws-sdk/*, @smithy/*) declare
// "engines": {"node": ">=20.0.0"}.
if (Number(process.versions.node.split('.')[0]) < 20) {
	console.error(`amplify: aws-amplify's dependencies need Node.js 20 or later, this is ${process.version}`);
	process.exit(2);
}

// Amplify names the device it confirms after navigator.userAgent (its
// getDeviceName); Node.js 20 has no navigator, and without one the name
// throws, which Amplify swallows: it then never calls ConfirmDevice and
// never learns the device. Node.js 21 and later have one.
if (typeof globalThis.navigator === 'undefined') {
	globalThis.navigator = { userAgent: `cognitosrp-interop Node.js/${process.versions.node}` };
}

// Every request Amplify makes goes through global fetch. Record the
// operation and the fields that tell the flows apart, so that the steps can
// check what Amplify really sent and what it was answered. Tokens are kept
// only as short hashes. Nothing is changed.
const wire = [];
const nodeFetch = globalThis.fetch;
if (typeof nodeFetch !== 'function') {
	console.error('amplify: this Node.js has no global fetch; use Node.js 18 or later');
	process.exit(2);
}
globalThis.fetch = async (input, options = {}) => {
	const headers = new Headers(options.headers || {});
	const target = headers.get('x-amz-target') || '';
	let body = {};
	try {
		body = JSON.parse(options.body || '{}');
	} catch (err) {
		// not a Cognito request
	}
	const ap = body.AuthParameters || {};
	const cr = body.ChallengeResponses || {};
	const entry = {
		operation: target.replace(/^AWSCognitoIdentityProviderService\./, ''),
		clientId: body.ClientId,
		authFlow: body.AuthFlow,
		challengeName: body.ChallengeName,
		deviceKey: body.DeviceKey || ap.DEVICE_KEY || cr.DEVICE_KEY,
		deviceName: body.DeviceName,
		refreshToken: hash(body.RefreshToken || ap.REFRESH_TOKEN || body.Token),
		status: undefined,
		answer: undefined,
		answerRefreshToken: undefined,
		userConfirmationNecessary: undefined,
	};
	wire.push(entry);
	const response = await nodeFetch(input, options);
	entry.status = response.status;
	try {
		const data = await response.clone().json();
		const result = data.AuthenticationResult;
		entry.answer = data.ChallengeName || data.__type || (result ? 'AuthenticationResult' : '');
		entry.answerRefreshToken = hash(result && result.RefreshToken);
		entry.userConfirmationNecessary = data.UserConfirmationNecessary;
	} catch (err) {
		entry.answer = '(not JSON)';
	}
	return response;
};

function hash(token) {
	return token ? crypto.createHash('sha256').update(token).digest('hex').slice(0, 16) : undefined;
}

const { Amplify } = require('aws-amplify');
const {
	fetchAuthSession,
	fetchDevices,
	rememberDevice,
	signIn,
	signOut,
} = require('aws-amplify/auth');
const { cognitoUserPoolsTokenProvider } = require('aws-amplify/auth/cognito');

// MemoryStorage is the key-value storage Amplify keeps tokens and device
// keys in (a browser's localStorage, in memory).
class MemoryStorage {
	constructor() {
		this.items = new Map();
	}
	async setItem(key, value) {
		this.items.set(key, String(value));
	}
	async getItem(key) {
		return this.items.has(key) ? this.items.get(key) : null;
	}
	async removeItem(key) {
		this.items.delete(key);
	}
	async clear() {
		this.items.clear();
	}
	// item returns the value whose key, "CognitoIdentityServiceProvider.
	// <clientId>.<username>.<name>", ends in name, for the client.
	item(clientId, name) {
		const prefix = `CognitoIdentityServiceProvider.${clientId}.`;
		for (const [key, value] of this.items) {
			if (key.startsWith(prefix) && key.endsWith(`.${name}`) && !key.endsWith('.LastAuthUser')) {
				return value;
			}
		}
		return null;
	}
}

function fail(message) {
	throw new Error(message);
}

function expect(condition, message) {
	if (!condition) {
		fail(message);
	}
}

function describeError(err) {
	if (err && err.name && err.message) {
		return `${err.name}: ${err.message}`;
	}
	return String(err && err.message ? err.message : err);
}

// within fails a promise that takes longer than STEP_TIMEOUT_MS.
function within(promise, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no answer within ${STEP_TIMEOUT_MS / 1000}s`)), STEP_TIMEOUT_MS);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// call runs one Amplify API and names it in the error when it throws.
async function call(what, promise) {
	try {
		return await within(promise, what);
	} catch (err) {
		fail(`${what} failed: ${describeError(err)}`);
	}
}

// sent returns the requests recorded since mark, as "Operation:detail".
function sent(mark) {
	return wire.slice(mark).map(e => {
		const detail = e.authFlow || e.challengeName;
		return detail ? `${e.operation}:${detail}` : e.operation;
	});
}

function expectSent(mark, want) {
	const got = sent(mark);
	expect(
		JSON.stringify(got) === JSON.stringify(want),
		`Amplify sent ${JSON.stringify(got)}, want ${JSON.stringify(want)}`
	);
	wire.slice(mark).forEach((e, i) => {
		expect(e.status === 200, `${got[i]} was answered with HTTP ${e.status} ${e.answer}`);
	});
}

function decode(jwt) {
	const part = String(jwt).split('.')[1] || '';
	return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

// session fetches Amplify's session and checks its tokens as an
// application would use them: for the user with the given internal name,
// issued by the pool for the client.
async function session(what, { username, pool, client }, options) {
	const s = await call(what, fetchAuthSession(options));
	expect(s.tokens && s.tokens.accessToken && s.tokens.idToken, `${what}: Amplify's session has no tokens`);
	const access = s.tokens.accessToken.payload;
	const id = s.tokens.idToken.payload;
	expect(access.token_use === 'access', `access token has token_use ${JSON.stringify(access.token_use)}`);
	expect(id.token_use === 'id', `ID token has token_use ${JSON.stringify(id.token_use)}`);
	expect(access.username === username, `access token has username ${JSON.stringify(access.username)}, want ${JSON.stringify(username)}`);
	expect(id['cognito:username'] === username, `ID token has cognito:username ${JSON.stringify(id['cognito:username'])}, want ${JSON.stringify(username)}`);
	expect(access.client_id === client.id, `access token has client_id ${JSON.stringify(access.client_id)}, want ${JSON.stringify(client.id)}`);
	expect(id.aud === client.id, `ID token has aud ${JSON.stringify(id.aud)}, want ${JSON.stringify(client.id)}`);
	expect(typeof access.iss === 'string' && access.iss.endsWith(`/${pool.id}`), `access token has iss ${JSON.stringify(access.iss)}, want one ending in /${pool.id}`);
	expect(typeof id.sub === 'string' && id.sub !== '' && access.sub === id.sub, 'the access and ID tokens have no sub, or different ones');
	expect(access.exp * 1000 > Date.now(), 'the access token has expired');
	return {
		access,
		id,
		accessToken: s.tokens.accessToken.toString(),
		idToken: s.tokens.idToken.toString(),
	};
}

// cognito calls the server directly, as another client would, for the
// checks Amplify offers no call for (is a token still accepted?).
async function cognito(url, operation, input) {
	const response = await nodeFetch(url, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/x-amz-json-1.1',
			'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
		},
		body: JSON.stringify(input),
	});
	const data = await response.json().catch(() => ({}));
	return { status: response.status, type: data.__type || '', message: data.message || '', data };
}

// rotation is an app client's refreshTokenRotation.feature (DESIGN §4:
// DISABLED unless the config says otherwise).
function rotation(client) {
	return (client.refreshTokenRotation && client.refreshTokenRotation.feature) || 'DISABLED';
}

function main() {
	const [url, configFile] = process.argv.slice(2);
	if (!url || !configFile) {
		console.error('usage: node amplify.js URL CONFIG');
		process.exit(2);
	}
	const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
	const pools = config.userPools || [];
	const usage = why => {
		console.error(`amplify: ${configFile}: ${why}`);
		process.exit(2);
	};
	const publicClient = (pool, feature) =>
		(pool.clients || []).find(c => !c.secret && (!feature || rotation(c) === feature));
	const optIn = pools.find(p => p.deviceTracking === 'opt-in') || usage('no user pool with deviceTracking "opt-in"');
	const always = pools.find(p => p.deviceTracking === 'always') || usage('no user pool with deviceTracking "always"');
	const firstUser = pool => (pool.users || []).find(u => (u.status || 'CONFIRMED') === 'CONFIRMED' && !u.totpSecret && !(u.mfa || []).length)
		|| usage(`user pool ${pool.id} has no CONFIRMED user without MFA`);
	const rotating = {
		pool: optIn,
		client: publicClient(optIn, 'ENABLED') || usage(`user pool ${optIn.id} has no client without a secret with refreshTokenRotation ENABLED`),
		user: firstUser(optIn),
	};
	const fixed = {
		pool: optIn,
		client: publicClient(optIn, 'DISABLED') || usage(`user pool ${optIn.id} has no client without a secret with refreshTokenRotation DISABLED`),
		user: firstUser(optIn),
	};
	const remembered = {
		pool: always,
		client: publicClient(always) || usage(`user pool ${always.id} has no client without a secret`),
		user: firstUser(always),
	};

	// configure points Amplify at one app client. Every Amplify.configure
	// resets the token provider's storage, so it is set again after it.
	const configure = (app, storage) => {
		Amplify.configure({
			Auth: {
				Cognito: {
					userPoolId: app.pool.id,
					userPoolClientId: app.client.id,
					userPoolEndpoint: url,
				},
			},
		});
		cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
		app.storage = storage;
	};
	const who = app => ({ username: app.user.username, pool: app.pool, client: app.client });

	// signInSRP signs in with USER_SRP_AUTH and checks that Amplify is done.
	const signInSRP = async app => {
		const out = await call(
			'signIn',
			signIn({ username: app.user.username, password: app.user.password, options: { authFlowType: 'USER_SRP_AUTH' } })
		);
		expect(
			out.isSignedIn && out.nextStep && out.nextStep.signInStep === 'DONE',
			`signIn ended in ${JSON.stringify(out.nextStep)}, not signed in`
		);
		return session('fetchAuthSession after signIn', who(app));
	};

	// device returns Amplify's device of app (its stored device key) as the
	// server lists it.
	const device = async app => {
		const key = app.storage.item(app.client.id, 'deviceKey');
		expect(key, 'Amplify stored no device key');
		const devices = await call('fetchDevices', fetchDevices());
		const d = devices.find(x => x.id === key);
		expect(d, `ListDevices does not list Amplify's device ${key}: ${JSON.stringify(devices.map(x => x.id))}`);
		return d;
	};

	// firstSignIn signs in on a device the server does not know yet.
	const firstSignIn = async (app, wantConfirmation) => {
		const mark = wire.length;
		await signInSRP(app);
		expectSent(mark, ['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
		expect(!wire[mark + 1].deviceKey, 'the first sign-in sent a DEVICE_KEY');
		const confirm = wire[mark + 2];
		expect(confirm.deviceName === navigator.userAgent, `ConfirmDevice sent DeviceName ${JSON.stringify(confirm.deviceName)}, want navigator.userAgent`);
		expect(
			confirm.userConfirmationNecessary === wantConfirmation,
			`ConfirmDevice answered UserConfirmationNecessary=${confirm.userConfirmationNecessary}, want ${wantConfirmation} for deviceTracking "${app.pool.deviceTracking}"`
		);
		for (const name of ['deviceKey', 'deviceGroupKey', 'randomPasswordKey']) {
			expect(app.storage.item(app.client.id, name), `Amplify stored no ${name} after ConfirmDevice`);
		}
		expect(app.storage.item(app.client.id, 'deviceKey') === confirm.deviceKey, 'Amplify stored another device key than the one it confirmed');
	};

	// deviceSignIn signs in again and checks that it went through
	// DEVICE_SRP_AUTH with the stored device.
	const deviceSignIn = async app => {
		const key = app.storage.item(app.client.id, 'deviceKey');
		expect(key, 'Amplify has no device key (an earlier step failed)');
		const mark = wire.length;
		const started = Date.now();
		const { access } = await signInSRP(app);
		expectSent(mark, [
			'InitiateAuth:USER_SRP_AUTH',
			'RespondToAuthChallenge:PASSWORD_VERIFIER',
			'RespondToAuthChallenge:DEVICE_SRP_AUTH',
			'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
		]);
		expect(wire[mark + 1].deviceKey === key, 'the PASSWORD_VERIFIER answer did not carry the stored DEVICE_KEY');
		expect(wire[mark + 1].answer === 'DEVICE_SRP_AUTH', `PASSWORD_VERIFIER was answered with ${wire[mark + 1].answer}, want DEVICE_SRP_AUTH`);
		expect(wire[mark + 2].deviceKey === key, 'the DEVICE_SRP_AUTH answer did not carry the stored DEVICE_KEY');
		expect(wire[mark + 3].answer === 'AuthenticationResult', `DEVICE_PASSWORD_VERIFIER was answered with ${wire[mark + 3].answer}, not tokens`);
		expect(access.device_key === key, `the access token has device_key ${JSON.stringify(access.device_key)}, want ${JSON.stringify(key)}`);
		const d = await device(app);
		expect(
			d.lastAuthenticatedDate && d.lastAuthenticatedDate.getTime() >= started - 1000,
			`the device's DeviceLastAuthenticatedDate is ${d.lastAuthenticatedDate && d.lastAuthenticatedDate.toISOString()}, before this sign-in`
		);
	};

	// signOutAndCheck signs out and checks, with the server, that the
	// refresh token Amplify held is revoked: refused by
	// GetTokensFromRefreshToken, and, on a client without rotation (where
	// it would work otherwise), by REFRESH_TOKEN_AUTH. On a client without
	// rotation the same calls are made before signOut too and must succeed,
	// so that a refusal after it means revoked, not a malformed request.
	const signOutAndCheck = async (app, afterSignOut) => {
		const refreshToken = app.storage.item(app.client.id, 'refreshToken');
		const key = app.storage.item(app.client.id, 'deviceKey');
		expect(refreshToken, 'Amplify holds no refresh token (an earlier step failed)');
		const rotates = rotation(app.client) === 'ENABLED';
		const viaInitiateAuth = () => cognito(url, 'InitiateAuth', {
			AuthFlow: 'REFRESH_TOKEN_AUTH',
			ClientId: app.client.id,
			AuthParameters: { REFRESH_TOKEN: refreshToken, DEVICE_KEY: key },
		});
		const viaGetTokens = () => cognito(url, 'GetTokensFromRefreshToken', {
			ClientId: app.client.id,
			RefreshToken: refreshToken,
			DeviceKey: key,
		});
		// Problems of GetTokensFromRefreshToken are reported at the end, so
		// that a server without it still has the rest checked.
		const problems = [];
		if (!rotates) {
			const r = await viaInitiateAuth();
			expect(r.status === 200 && r.data.AuthenticationResult, `before signOut, REFRESH_TOKEN_AUTH is answered with HTTP ${r.status} ${r.type} ${r.message}, want tokens`);
			const g = await viaGetTokens();
			if (!(g.status === 200 && g.data.AuthenticationResult)) {
				problems.push(`before signOut, GetTokensFromRefreshToken is answered with HTTP ${g.status} ${g.type} ${g.message}, want tokens`);
			}
		}
		const mark = wire.length;
		await call('signOut', signOut());
		expectSent(mark, ['RevokeToken']);
		expect(wire[mark].refreshToken === hash(refreshToken), 'RevokeToken was sent another token than the refresh token Amplify held');
		const s = await call('fetchAuthSession after signOut', fetchAuthSession());
		expect(!s.tokens, 'Amplify still has tokens after signOut');
		expect(app.storage.item(app.client.id, 'deviceKey') === key, 'signOut dropped the device key');
		if (!rotates) {
			const r = await viaInitiateAuth();
			expect(
				r.status === 400 && r.type === 'NotAuthorizedException',
				`after signOut, REFRESH_TOKEN_AUTH with the revoked refresh token is answered with HTTP ${r.status} ${r.type} ${r.message}, want NotAuthorizedException`
			);
		}
		const g = await viaGetTokens();
		if (!(g.status === 400 && g.type === 'NotAuthorizedException')) {
			problems.push(`after signOut, GetTokensFromRefreshToken with the revoked refresh token is answered with HTTP ${g.status} ${g.type} ${g.message}, want NotAuthorizedException`);
		}
		if (afterSignOut) {
			await afterSignOut();
		}
		expect(problems.length === 0, problems.join('; '));
	};

	// refresh runs fetchAuthSession({forceRefresh: true}) and checks that
	// it refreshed with GetTokensFromRefreshToken, that the tokens changed,
	// and that the refresh token changed exactly when rotation is on.
	const refresh = async (app, rotates) => {
		const before = await session('fetchAuthSession', who(app));
		const oldRefresh = app.storage.item(app.client.id, 'refreshToken');
		const key = app.storage.item(app.client.id, 'deviceKey');
		expect(oldRefresh, 'Amplify holds no refresh token');
		const mark = wire.length;
		const after = await session('fetchAuthSession({forceRefresh: true})', who(app), { forceRefresh: true });
		expectSent(mark, ['GetTokensFromRefreshToken']);
		const e = wire[mark];
		expect(e.clientId === app.client.id, `GetTokensFromRefreshToken was sent ClientId ${JSON.stringify(e.clientId)}`);
		expect(e.refreshToken === hash(oldRefresh), 'GetTokensFromRefreshToken was sent another token than the refresh token Amplify held');
		expect(e.deviceKey === key, `GetTokensFromRefreshToken was sent DeviceKey ${JSON.stringify(e.deviceKey)}, want the device's ${JSON.stringify(key)}`);
		expect(after.accessToken !== before.accessToken, 'the access token did not change');
		expect(after.idToken !== before.idToken, 'the ID token did not change');
		expect(after.access.jti !== before.access.jti, 'the new access token has the old jti');
		expect(after.id.sub === before.id.sub, 'the refreshed tokens are for another user');
		expect(after.access.device_key === key, `the refreshed access token has device_key ${JSON.stringify(after.access.device_key)}, want ${JSON.stringify(key)}`);
		const newRefresh = app.storage.item(app.client.id, 'refreshToken');
		if (rotates) {
			expect(e.answerRefreshToken, 'GetTokensFromRefreshToken returned no refresh token, though the client rotates them');
			expect(e.answerRefreshToken !== e.refreshToken, 'GetTokensFromRefreshToken returned the same refresh token, though the client rotates them');
			expect(hash(newRefresh) === e.answerRefreshToken, 'Amplify did not store the rotated refresh token');
		} else {
			expect(!e.answerRefreshToken, 'GetTokensFromRefreshToken returned a refresh token, though rotation is off');
			expect(newRefresh === oldRefresh, 'the refresh token changed, though rotation is off');
		}
	};

	const optInStorage = new MemoryStorage();
	const steps = [
		['user-srp-auth', async () => {
			configure(rotating, optInStorage);
			await firstSignIn(rotating, true);
			const d = await device(rotating);
			const status = d.attributes['dev:device_remembered_status'];
			expect(status === 'not_remembered', `an opt-in pool's new device is ${JSON.stringify(status)}, want "not_remembered"`);
		}],
		['remember-device', async () => {
			const mark = wire.length;
			await call('rememberDevice', rememberDevice());
			expectSent(mark, ['UpdateDeviceStatus']);
			const d = await device(rotating);
			const status = d.attributes['dev:device_remembered_status'];
			expect(status === 'remembered', `after rememberDevice the device is ${JSON.stringify(status)}, want "remembered"`);
		}],
		['sign-out', async () => {
			const { accessToken } = await session('fetchAuthSession', who(rotating));
			await signOutAndCheck(rotating, async () => {
				// Cognito's RevokeToken "revokes all of the access tokens
				// generated by, and at the same time as, the specified
				// refresh token" (API reference, RevokeToken).
				const r = await cognito(url, 'GetUser', { AccessToken: accessToken });
				expect(
					r.status === 400 && r.type === 'NotAuthorizedException',
					`GetUser with the access token of the revoked session: HTTP ${r.status} ${r.type}, want NotAuthorizedException`
				);
			});
		}],
		['device-srp-auth', async () => {
			await deviceSignIn(rotating);
		}],
		['refresh-rotation-enabled', async () => {
			// Twice: the second refresh presents the rotated token.
			const rotatedOut = [rotating.storage.item(rotating.client.id, 'refreshToken')];
			await refresh(rotating, true);
			rotatedOut.push(rotating.storage.item(rotating.client.id, 'refreshToken'));
			await refresh(rotating, true);
			// With retryGracePeriodSeconds 0, "a successful request
			// immediately invalidates the submitted refresh token" (API
			// reference, RefreshTokenRotationType). Which error Cognito
			// answers a rotated-out token with is not documented there, so
			// either of the two that fit is accepted.
			expect(rotating.client.refreshTokenRotation.retryGracePeriodSeconds === 0, `client ${rotating.client.id} has a grace period; this step needs retryGracePeriodSeconds 0`);
			for (const [i, token] of rotatedOut.entries()) {
				const r = await cognito(url, 'GetTokensFromRefreshToken', {
					ClientId: rotating.client.id,
					RefreshToken: token,
					DeviceKey: rotating.storage.item(rotating.client.id, 'deviceKey'),
				});
				expect(
					r.status === 400 && ['NotAuthorizedException', 'RefreshTokenReuseException'].includes(r.type),
					`the refresh token rotated out by refresh ${i + 1} is answered with HTTP ${r.status} ${r.type} ${r.message}, want NotAuthorizedException or RefreshTokenReuseException`
				);
			}
		}],
		['sign-out-after-rotation', async () => {
			await signOutAndCheck(rotating);
		}],
		['refresh-rotation-disabled', async () => {
			configure(fixed, new MemoryStorage());
			await firstSignIn(fixed, true);
			await refresh(fixed, false);
			await refresh(fixed, false);
			await signOutAndCheck(fixed);
		}],
		['always-user-srp-auth', async () => {
			configure(remembered, new MemoryStorage());
			await firstSignIn(remembered, false);
			await signOutAndCheck(remembered);
		}],
		['always-device-srp-auth', async () => {
			// No rememberDevice: a pool that always remembers devices
			// challenges every confirmed device.
			await deviceSignIn(remembered);
			await signOutAndCheck(remembered);
		}],
	];

	let passed = 0;
	let failed = 0;
	(async () => {
		for (const [name, run] of steps) {
			const start = Date.now();
			try {
				await run();
				passed++;
				console.log(`ok ${name} (${Date.now() - start} ms)`);
			} catch (err) {
				failed++;
				console.log(`not ok ${name}: ${err.message} (${Date.now() - start} ms)`);
			}
		}
		console.log(`${passed} passed, ${failed} failed`);
		process.exitCode = failed === 0 ? 0 : 1;
	})().catch(err => {
		console.error(`amplify: ${err.stack || err}`);
		process.exitCode = 1;
	});
}

main();
