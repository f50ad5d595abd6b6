// Runs AWS's reference client, amazon-cognito-identity-js, against a
// Cognito-compatible server (cognitosrp serve) and checks every sign-in
// path that cognitosrp implements.
//
// Usage: node interop.js URL CONFIG PLAIN_URL
//
// URL is the server's endpoint (the first line that cognitosrp serve
// prints) and CONFIG the JSON file the server was started with, with
// --outbox and --cognito-issuer; PLAIN_URL is a second server started with
// CONFIG and neither flag. The script
// uses the first user pool, its first client without a secret (the reference
// client cannot send SECRET_HASH), and picks its users by what they are:
//
//   - the first CONFIRMED user with an "email" attribute and no TOTP secret:
//     a wrong password, USER_SRP_AUTH, device confirmation (ConfirmDevice)
//     and remembering (UpdateDeviceStatus), DEVICE_SRP_AUTH, refresh,
//     GetUser, ListDevices, a device forgotten by another client
//     (ForgetDevice, then the reference client's retry without it),
//     GlobalSignOut, sign-in by email alias, and CUSTOM_AUTH with SRP
//     (CHALLENGE_NAME=SRP_A) answered with the pool's customChallengeAnswer;
//   - the first FORCE_CHANGE_PASSWORD user: NEW_PASSWORD_REQUIRED;
//   - the first user with a "totpSecret": SOFTWARE_TOKEN_MFA, with a code
//     computed here from that secret (RFC 6238);
//   - a new user: SignUp, a sign-in refused until confirmed, the
//     confirmation code read from the server's outbox over HTTP (cognitosrp
//     serve --outbox), a wrong code refused, ConfirmSignUp, USER_SRP_AUTH;
//   - tokens verified with AWS's own verifier, aws-jwt-verify's
//     CognitoJwtVerifier, given the key set the server serves (cognitosrp
//     serve --cognito-issuer, which issues Cognito's iss);
//   - on the plain server: no outbox, and tokens that aws-jwt-verify refuses
//     for their local issuer.
//
// Each step prints "ok NAME" or "not ok NAME: why"; the last line is
// "N passed, M failed" and the exit status is 0 only when nothing failed.
'use strict';

const crypto = require('crypto');
const fs = require('fs');

const STEP_TIMEOUT_MS = 60000;

// Every request the reference client makes goes through global fetch (its
// isomorphic-unfetch keeps Node's own fetch when there is one). Record the
// operation and the fields that tell the flows apart, so the steps can check
// what the client really sent and what it was answered. Nothing is changed.
const wire = [];
const nodeFetch = globalThis.fetch;
if (typeof nodeFetch !== 'function') {
	console.error('interop: this Node.js has no global fetch; use Node.js 18 or later');
	process.exit(2);
}
globalThis.fetch = async (url, options) => {
	const target = (options.headers || {})['X-Amz-Target'] || '';
	const body = JSON.parse(options.body || '{}');
	const entry = {
		operation: target.replace(/^AWSCognitoIdentityProviderService\./, ''),
		authFlow: body.AuthFlow,
		challengeName: body.ChallengeName,
		authParameters: Object.keys(body.AuthParameters || {}).sort(),
		challengeResponses: Object.keys(body.ChallengeResponses || {}).sort(),
		status: undefined,
		answer: undefined,
	};
	wire.push(entry);
	const response = await nodeFetch(url, options);
	entry.status = response.status;
	try {
		const data = await response.clone().json();
		entry.answer = data.ChallengeName || data.__type || (data.AuthenticationResult ? 'AuthenticationResult' : '');
	} catch (err) {
		entry.answer = '(not JSON)';
	}
	return response;
};

const {
	AuthenticationDetails,
	CognitoUser,
	CognitoUserAttribute,
	CognitoUserPool,
} = require('amazon-cognito-identity-js');
const { CognitoJwtVerifier } = require('aws-jwt-verify');
const {
	CognitoJwtInvalidClientIdError,
	CognitoJwtInvalidTokenUseError,
	JwtBaseError,
	JwtInvalidSignatureError,
} = require('aws-jwt-verify/error');

// MemoryStorage is the Storage the reference client keeps its tokens and
// device keys in: a browser's localStorage, in memory.
class MemoryStorage {
	constructor() {
		this.items = new Map();
	}
	setItem(key, value) {
		this.items.set(key, String(value));
	}
	getItem(key) {
		return this.items.has(key) ? this.items.get(key) : null;
	}
	removeItem(key) {
		this.items.delete(key);
	}
	clear() {
		this.items.clear();
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
	if (err && err.code) {
		return `${err.code}: ${err.message}`;
	}
	return String(err && err.message ? err.message : err);
}

// outcome turns the reference client's callback object into a promise of
// {kind, ...}: whichever callback it calls ends the wait.
function outcome(start) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`no answer within ${STEP_TIMEOUT_MS / 1000}s`)),
			STEP_TIMEOUT_MS
		);
		const done = value => {
			clearTimeout(timer);
			resolve(value);
		};
		start({
			onSuccess: (session, userConfirmationNecessary) =>
				done({ kind: 'success', session, userConfirmationNecessary }),
			onFailure: err => done({ kind: 'failure', err }),
			newPasswordRequired: (userAttributes, requiredAttributes) =>
				done({ kind: 'NEW_PASSWORD_REQUIRED', userAttributes, requiredAttributes }),
			mfaRequired: (challengeName, parameters) =>
				done({ kind: challengeName, parameters }),
			totpRequired: (challengeName, parameters) =>
				done({ kind: challengeName, parameters }),
			selectMFAType: (challengeName, parameters) =>
				done({ kind: challengeName, parameters }),
			mfaSetup: (challengeName, parameters) =>
				done({ kind: challengeName, parameters }),
			customChallenge: parameters => done({ kind: 'CUSTOM_CHALLENGE', parameters }),
		});
	});
}

function expectSuccess(result, what) {
	if (result.kind === 'failure') {
		fail(`${what} failed: ${describeError(result.err)}`);
	}
	if (result.kind !== 'success') {
		fail(`${what} ended in challenge ${result.kind}, not in tokens`);
	}
	return result;
}

function nodeCallback(start) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`no answer within ${STEP_TIMEOUT_MS / 1000}s`)),
			STEP_TIMEOUT_MS
		);
		start((err, value) => {
			clearTimeout(timer);
			if (err) {
				reject(new Error(describeError(err)));
			} else {
				resolve(value);
			}
		});
	});
}

function signIn(user, username, password) {
	const details = new AuthenticationDetails({ Username: username, Password: password });
	return outcome(callbacks => user.authenticateUser(details, callbacks));
}

// checkSession checks the tokens of a session as any application would use
// them, and that they belong to the user with the given internal name.
function checkSession(session, username) {
	expect(session.isValid(), 'the session is not valid (expired tokens or bad exp/iat claims)');
	const id = session.getIdToken().decodePayload();
	const access = session.getAccessToken().decodePayload();
	expect(id.token_use === 'id', `ID token has token_use ${JSON.stringify(id.token_use)}, want "id"`);
	expect(access.token_use === 'access', `access token has token_use ${JSON.stringify(access.token_use)}, want "access"`);
	expect(id['cognito:username'] === username, `ID token has cognito:username ${JSON.stringify(id['cognito:username'])}, want ${JSON.stringify(username)}`);
	expect(access.username === username, `access token has username ${JSON.stringify(access.username)}, want ${JSON.stringify(username)}`);
	expect(typeof id.sub === 'string' && id.sub !== '', 'ID token has no sub');
	expect(access.sub === id.sub, 'the access and ID tokens have different subs');
	expect(session.getRefreshToken().getToken(), 'no refresh token');
	return { id, access };
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
		`the reference client sent ${JSON.stringify(got)}, want ${JSON.stringify(want)}`
	);
}

// totp computes the current RFC 6238 code (HMAC-SHA1, 30 s, 6 digits) for
// a base32 secret, as an authenticator app does.
function totp(base32Secret, now = Date.now()) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	const clean = base32Secret.toUpperCase().replace(/[\s=]/g, '');
	let bits = 0;
	let value = 0;
	const bytes = [];
	for (const c of clean) {
		const index = alphabet.indexOf(c);
		expect(index >= 0, 'the TOTP secret in the config is not base32');
		value = (value << 5) | index;
		bits += 5;
		if (bits >= 8) {
			bytes.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
	const mac = crypto.createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
	const offset = mac[mac.length - 1] & 0x0f;
	const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
	return String(code).padStart(6, '0');
}

function main() {
	const [url, configFile, plainURL] = process.argv.slice(2);
	if (!url || !configFile || !plainURL) {
		console.error('usage: node interop.js URL CONFIG PLAIN_URL');
		process.exit(2);
	}
	const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
	const pool = (config.userPools || [])[0];
	if (!pool) {
		console.error(`interop: ${configFile} has no user pool`);
		process.exit(2);
	}
	const client = (pool.clients || []).find(c => !c.secret);
	if (!client) {
		console.error(`interop: the first user pool of ${configFile} has no client without a secret`);
		process.exit(2);
	}
	const users = pool.users || [];
	const status = u => u.status || 'CONFIRMED';
	const roles = {
		password: users.find(u => status(u) === 'CONFIRMED' && !u.totpSecret && u.attributes && u.attributes.email),
		newPassword: users.find(u => status(u) === 'FORCE_CHANGE_PASSWORD'),
		totp: users.find(u => u.totpSecret),
	};
	const deviceTracking = pool.deviceTracking || 'off';
	const endpoint = url.endsWith('/') ? url : `${url}/`;

	const plainEndpoint = plainURL.endsWith('/') ? plainURL : `${plainURL}/`;

	const newPool = (storage, at = endpoint) =>
		new CognitoUserPool({
			UserPoolId: pool.id,
			ClientId: client.id,
			endpoint: at,
			Storage: storage,
		});
	const newUser = (username, storage, at = endpoint) =>
		new CognitoUser({ Username: username, Pool: newPool(storage, at), Storage: storage });
	const need = (role, what) => {
		expect(roles[role], `${configFile} has no ${what}`);
		return roles[role];
	};

	// State carried from step to step of the device story.
	const device = { storage: new MemoryStorage(), user: null, session: null, deviceKey: null };
	// The user that sign-up-outbox creates, and its session.
	const signUp = {
		username: `signup-${crypto.randomBytes(4).toString('hex')}`,
		password: `Pw-${crypto.randomBytes(9).toString('base64url')}-1a`,
		session: null,
	};
	signUp.email = `${signUp.username}@example.com`;

	// getJSON fetches a URL of the server with Node's own fetch (not the
	// recording wrapper, which is for the reference client's requests).
	const getJSON = async (path, at = endpoint) => {
		const response = await nodeFetch(`${at}${path}`);
		const text = await response.text();
		expect(response.status === 200, `GET /${path}: HTTP ${response.status} ${text}`);
		try {
			return JSON.parse(text);
		} catch (err) {
			fail(`GET /${path}: not JSON: ${text}`);
		}
	};

	const steps = [
		['wrong-password', async () => {
			const u = need('password', 'CONFIRMED user with an email attribute');
			const result = await signIn(newUser(u.username, new MemoryStorage()), u.username, `${u.password}-wrong`);
			expect(result.kind === 'failure', `signing in with a wrong password ended in ${result.kind}`);
			expect(
				result.err.code === 'NotAuthorizedException',
				`a wrong password failed with ${describeError(result.err)}, want NotAuthorizedException`
			);
		}],
		['user-srp-auth', async () => {
			const u = need('password', 'CONFIRMED user with an email attribute');
			const mark = wire.length;
			device.user = newUser(u.username, device.storage);
			const result = expectSuccess(await signIn(device.user, u.username, u.password), 'USER_SRP_AUTH');
			checkSession(result.session, u.username);
			device.session = result.session;
			device.userConfirmationNecessary = result.userConfirmationNecessary;
			const want = ['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER'];
			if (deviceTracking !== 'off') {
				want.push('ConfirmDevice');
			}
			expectSent(mark, want);
		}],
		['confirm-device', async () => {
			expect(deviceTracking !== 'off', `the pool's deviceTracking is "off"; this step needs "opt-in" or "always"`);
			expect(device.user, 'no signed-in user (user-srp-auth failed)');
			const u = roles.password;
			const prefix = `CognitoIdentityServiceProvider.${client.id}.${u.username}`;
			device.deviceKey = device.storage.getItem(`${prefix}.deviceKey`);
			expect(device.deviceKey, 'the reference client stored no device key: no NewDeviceMetadata, or ConfirmDevice failed');
			expect(device.storage.getItem(`${prefix}.deviceGroupKey`), 'the reference client stored no device group key');
			expect(device.storage.getItem(`${prefix}.randomPasswordKey`), 'the reference client stored no device password');
			const want = deviceTracking === 'opt-in';
			expect(
				Boolean(device.userConfirmationNecessary) === want,
				`ConfirmDevice said UserConfirmationNecessary=${Boolean(device.userConfirmationNecessary)}, want ${want} for deviceTracking "${deviceTracking}"`
			);
		}],
		['remember-device', async () => {
			expect(device.deviceKey, 'no confirmed device (confirm-device failed)');
			const mark = wire.length;
			const result = await outcome(callbacks => device.user.setDeviceStatusRemembered(callbacks));
			if (result.kind === 'failure') {
				fail(`UpdateDeviceStatus failed: ${describeError(result.err)}`);
			}
			expectSent(mark, ['UpdateDeviceStatus']);
		}],
		['device-srp-auth', async () => {
			expect(device.deviceKey, 'no remembered device (remember-device failed)');
			const u = roles.password;
			const mark = wire.length;
			const result = expectSuccess(await signIn(device.user, u.username, u.password), 'the second sign-in');
			const { access } = checkSession(result.session, u.username);
			expectSent(mark, [
				'InitiateAuth:USER_SRP_AUTH',
				'RespondToAuthChallenge:PASSWORD_VERIFIER',
				'RespondToAuthChallenge:DEVICE_SRP_AUTH',
				'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
			]);
			const verifier = wire[mark + 1];
			expect(verifier.challengeResponses.includes('DEVICE_KEY'), 'the PASSWORD_VERIFIER answer carried no DEVICE_KEY');
			expect(
				wire[mark + 3].answer === 'AuthenticationResult',
				`DEVICE_PASSWORD_VERIFIER was answered with ${wire[mark + 3].answer}, not tokens`
			);
			expect(
				access.device_key === device.deviceKey,
				`the access token has device_key ${JSON.stringify(access.device_key)}, want the remembered device ${JSON.stringify(device.deviceKey)}`
			);
			device.session = result.session;
		}],
		['refresh-session', async () => {
			expect(device.session, 'no session to refresh (device-srp-auth failed)');
			const u = roles.password;
			const mark = wire.length;
			const before = device.session.getIdToken().decodePayload();
			const session = await nodeCallback(cb => device.user.refreshSession(device.session.getRefreshToken(), cb));
			const { id, access } = checkSession(session, u.username);
			expectSent(mark, ['InitiateAuth:REFRESH_TOKEN_AUTH']);
			expect(wire[mark].authParameters.includes('DEVICE_KEY'), 'the reference client sent no DEVICE_KEY with REFRESH_TOKEN_AUTH');
			expect(id.sub === before.sub, 'the refreshed ID token is for another user');
			expect(
				access.device_key === device.deviceKey,
				`the refreshed access token has device_key ${JSON.stringify(access.device_key)}, want ${JSON.stringify(device.deviceKey)}`
			);
		}],
		['get-user', async () => {
			expect(device.session, 'no session (device-srp-auth failed)');
			const u = roles.password;
			const attributes = await nodeCallback(cb => device.user.getUserAttributes(cb));
			const byName = Object.fromEntries(attributes.map(a => [a.getName(), a.getValue()]));
			expect(byName.email === u.attributes.email, `GetUser says email ${JSON.stringify(byName.email)}, want ${JSON.stringify(u.attributes.email)}`);
			const sub = device.session.getIdToken().decodePayload().sub;
			expect(byName.sub === sub, `GetUser says sub ${JSON.stringify(byName.sub)}, want the ID token's ${JSON.stringify(sub)}`);
		}],
		['list-devices', async () => {
			expect(device.deviceKey, 'no remembered device (remember-device failed)');
			const result = await outcome(callbacks => device.user.listDevices(60, null, callbacks));
			if (result.kind === 'failure') {
				fail(`ListDevices failed: ${describeError(result.err)}`);
			}
			const devices = result.session.Devices || [];
			const d = devices.find(x => x.DeviceKey === device.deviceKey);
			expect(d, `ListDevices does not list the remembered device ${device.deviceKey}: ${JSON.stringify(devices.map(x => x.DeviceKey))}`);
			expect(
				typeof d.DeviceCreateDate === 'number',
				`DeviceCreateDate is ${JSON.stringify(d.DeviceCreateDate)}, want epoch seconds as a JSON number (AWS JSON 1.1 timestamps)`
			);
		}],
		['forgotten-device', async () => {
			expect(device.deviceKey, 'no remembered device (remember-device failed)');
			const u = roles.password;
			const prefix = `CognitoIdentityServiceProvider.${client.id}.${u.username}`;
			// A second browser that still has the device the first forgets.
			const stale = new MemoryStorage();
			for (const key of ['deviceKey', 'deviceGroupKey', 'randomPasswordKey']) {
				stale.setItem(`${prefix}.${key}`, device.storage.getItem(`${prefix}.${key}`));
			}
			let mark = wire.length;
			const forgot = await outcome(callbacks => device.user.forgetDevice(callbacks));
			if (forgot.kind === 'failure') {
				fail(`ForgetDevice failed: ${describeError(forgot.err)}`);
			}
			expectSent(mark, ['ForgetDevice']);

			// Cognito answers the forgotten DEVICE_KEY with a
			// ResourceNotFoundException about the device, on which the
			// reference client drops the device and answers again.
			mark = wire.length;
			const result = expectSuccess(
				await signIn(newUser(u.username, stale), u.username, u.password),
				'signing in with a forgotten device'
			);
			checkSession(result.session, u.username);
			const want = ['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'RespondToAuthChallenge:PASSWORD_VERIFIER'];
			expect(
				JSON.stringify(sent(mark).slice(0, 3)) === JSON.stringify(want),
				`the reference client sent ${JSON.stringify(sent(mark))}, want ${JSON.stringify(want)} first`
			);
			expect(
				wire[mark + 1].answer === 'ResourceNotFoundException',
				`the PASSWORD_VERIFIER answer with the forgotten DEVICE_KEY was answered with ${wire[mark + 1].answer}, want ResourceNotFoundException`
			);
			const fresh = stale.getItem(`${prefix}.deviceKey`);
			expect(fresh && fresh !== device.deviceKey, 'the reference client has no new device after the forgotten one');
		}],
		['global-sign-out', async () => {
			expect(device.session, 'no session (device-srp-auth failed)');
			const result = await outcome(callbacks => device.user.globalSignOut(callbacks));
			if (result.kind === 'failure') {
				fail(`GlobalSignOut failed: ${describeError(result.err)}`);
			}
			// The access token the reference client still holds is revoked.
			let err = null;
			try {
				await nodeCallback(cb => device.user.getUserAttributes(cb));
			} catch (e) {
				err = e;
			}
			expect(err && /^NotAuthorizedException/.test(err.message), `GetUser after GlobalSignOut: ${err ? err.message : 'succeeded'}, want NotAuthorizedException`);
		}],
		['email-alias', async () => {
			const u = need('password', 'CONFIRMED user with an email attribute');
			const user = newUser(u.attributes.email, new MemoryStorage());
			const result = expectSuccess(await signIn(user, u.attributes.email, u.password), 'signing in by email');
			checkSession(result.session, u.username);
			expect(
				user.getUsername() === u.username,
				`after USER_ID_FOR_SRP the reference client calls the user ${JSON.stringify(user.getUsername())}, want ${JSON.stringify(u.username)}`
			);
		}],
		['custom-auth-srp', async () => {
			const u = need('password', 'CONFIRMED user with an email attribute');
			expect(pool.customChallengeAnswer, `the first user pool of ${configFile} has no customChallengeAnswer`);
			const user = newUser(u.username, new MemoryStorage());
			user.setAuthenticationFlowType('CUSTOM_AUTH');
			const mark = wire.length;
			const first = await signIn(user, u.username, u.password);
			if (first.kind === 'failure') {
				fail(`CUSTOM_AUTH with SRP failed: ${describeError(first.err)}`);
			}
			expect(first.kind === 'CUSTOM_CHALLENGE', `CUSTOM_AUTH with SRP ended in ${first.kind}, want CUSTOM_CHALLENGE`);
			expect(wire[mark].authParameters.includes('CHALLENGE_NAME'), 'the reference client sent no CHALLENGE_NAME=SRP_A');
			const result = expectSuccess(
				await outcome(callbacks => user.sendCustomChallengeAnswer(pool.customChallengeAnswer, callbacks)),
				'CUSTOM_CHALLENGE'
			);
			checkSession(result.session, u.username);
			const want = ['InitiateAuth:CUSTOM_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'RespondToAuthChallenge:CUSTOM_CHALLENGE'];
			expect(
				JSON.stringify(sent(mark).slice(0, 3)) === JSON.stringify(want),
				`the reference client sent ${JSON.stringify(sent(mark))}, want ${JSON.stringify(want)} first`
			);
		}],
		['new-password-required', async () => {
			const u = need('newPassword', 'FORCE_CHANGE_PASSWORD user');
			const user = newUser(u.username, new MemoryStorage());
			const first = await signIn(user, u.username, u.password);
			if (first.kind === 'failure') {
				fail(`signing in failed: ${describeError(first.err)}`);
			}
			expect(first.kind === 'NEW_PASSWORD_REQUIRED', `signing in ended in ${first.kind}, want NEW_PASSWORD_REQUIRED`);
			const attributes = {};
			for (const name of first.requiredAttributes || []) {
				attributes[name] = name === 'email' ? `${u.username}@example.com` : `interop ${name}`;
			}
			const newPassword = `${u.password}-New1!`;
			const result = expectSuccess(
				await outcome(callbacks => user.completeNewPasswordChallenge(newPassword, attributes, callbacks)),
				'NEW_PASSWORD_REQUIRED'
			);
			checkSession(result.session, u.username);
			const again = expectSuccess(
				await signIn(newUser(u.username, new MemoryStorage()), u.username, newPassword),
				'signing in with the new password'
			);
			checkSession(again.session, u.username);
			const old = await signIn(newUser(u.username, new MemoryStorage()), u.username, u.password);
			expect(
				old.kind === 'failure' && old.err.code === 'NotAuthorizedException',
				`the old password still signs in (${old.kind === 'failure' ? describeError(old.err) : old.kind})`
			);
		}],
		['software-token-mfa', async () => {
			const u = need('totp', 'user with a totpSecret');
			const user = newUser(u.username, new MemoryStorage());
			const first = await signIn(user, u.username, u.password);
			if (first.kind === 'failure') {
				fail(`signing in failed: ${describeError(first.err)}`);
			}
			expect(first.kind === 'SOFTWARE_TOKEN_MFA', `signing in ended in ${first.kind}, want SOFTWARE_TOKEN_MFA`);
			const mark = wire.length;
			const code = totp(u.totpSecret);
			const result = expectSuccess(
				await outcome(callbacks => user.sendMFACode(code, callbacks, 'SOFTWARE_TOKEN_MFA')),
				'SOFTWARE_TOKEN_MFA'
			);
			checkSession(result.session, u.username);
			expect(
				sent(mark)[0] === 'RespondToAuthChallenge:SOFTWARE_TOKEN_MFA',
				`the reference client sent ${JSON.stringify(sent(mark))}`
			);

			// A wrong code, in a sign-in of its own, is refused.
			const other = newUser(u.username, new MemoryStorage());
			const second = await signIn(other, u.username, u.password);
			expect(second.kind === 'SOFTWARE_TOKEN_MFA', `signing in again ended in ${second.kind}, want SOFTWARE_TOKEN_MFA`);
			const wrong = code === '000000' ? '111111' : '000000';
			const refused = await outcome(callbacks => other.sendMFACode(wrong, callbacks, 'SOFTWARE_TOKEN_MFA'));
			expect(
				refused.kind === 'failure' && refused.err.code === 'CodeMismatchException',
				`a wrong TOTP code ended in ${refused.kind === 'failure' ? describeError(refused.err) : refused.kind}, want CodeMismatchException`
			);
		}],
		['sign-up-outbox', async () => {
			const { username, password, email } = signUp;
			const storage = new MemoryStorage();
			const userPool = newPool(storage);
			let mark = wire.length;
			const result = await nodeCallback(cb =>
				userPool.signUp(username, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], null, cb)
			);
			expectSent(mark, ['SignUp']);
			expect(result.userConfirmed === false, `SignUp says userConfirmed ${JSON.stringify(result.userConfirmed)}, want false`);
			expect(typeof result.userSub === 'string' && result.userSub !== '', 'SignUp returned no UserSub');
			const delivery = result.codeDeliveryDetails || {};
			expect(
				delivery.DeliveryMedium === 'EMAIL' && delivery.AttributeName === 'email',
				`SignUp's CodeDeliveryDetails ${JSON.stringify(delivery)}, want the email`
			);
			expect(!String(delivery.Destination).includes(username), `CodeDeliveryDetails.Destination ${delivery.Destination} is not masked`);

			// Not confirmed yet: the password is right, the user is refused.
			const early = await signIn(newUser(username, new MemoryStorage()), username, password);
			expect(
				early.kind === 'failure' && early.err.code === 'UserNotConfirmedException',
				`signing in before confirming ended in ${early.kind === 'failure' ? describeError(early.err) : early.kind}, want UserNotConfirmedException`
			);

			// The code, from the outbox over HTTP (cognitosrp serve --outbox).
			const outbox = await getJSON(
				`_cognitosrp/outbox?userPoolId=${encodeURIComponent(pool.id)}&username=${encodeURIComponent(username)}`
			);
			const messages = outbox.messages || [];
			expect(messages.length === 1, `the outbox has ${messages.length} messages for ${username}, want 1: ${JSON.stringify(outbox)}`);
			const m = messages[0];
			expect(
				m.userPoolId === pool.id && m.username === username && m.deliveryMedium === 'EMAIL' &&
					m.destination === email && m.reason === 'SignUp' && /^\d{6}$/.test(m.code) &&
					!Number.isNaN(Date.parse(m.time)),
				`the outbox's message ${JSON.stringify({ ...m, code: m.code && m.code.replace(/./g, '#') })}`
			);

			const user = result.user;
			const wrong = m.code === '000000' ? '111111' : '000000';
			let refused = null;
			try {
				await nodeCallback(cb => user.confirmRegistration(wrong, true, cb));
			} catch (err) {
				refused = err;
			}
			expect(
				refused && /^CodeMismatchException/.test(refused.message),
				`ConfirmSignUp with a wrong code: ${refused ? refused.message : 'succeeded'}, want CodeMismatchException`
			);
			mark = wire.length;
			const confirmed = await nodeCallback(cb => user.confirmRegistration(m.code, true, cb));
			expect(confirmed === 'SUCCESS', `ConfirmSignUp answered ${JSON.stringify(confirmed)}, want SUCCESS`);
			expectSent(mark, ['ConfirmSignUp']);

			mark = wire.length;
			const signedIn = expectSuccess(await signIn(newUser(username, new MemoryStorage()), username, password), 'signing in after ConfirmSignUp');
			const { id } = checkSession(signedIn.session, username);
			expect(id.sub === result.userSub, `the ID token's sub ${id.sub} is not SignUp's UserSub ${result.userSub}`);
			expect(id.email === email, `the ID token's email is ${JSON.stringify(id.email)}, want ${JSON.stringify(email)}`);
			expect(
				JSON.stringify(sent(mark).slice(0, 2)) === JSON.stringify(['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge:PASSWORD_VERIFIER']),
				`the reference client sent ${JSON.stringify(sent(mark))}`
			);
			signUp.session = signedIn.session;
		}],
		['aws-jwt-verify', async () => {
			expect(signUp.session, 'no session (sign-up-outbox failed)');
			const cognitoIssuer = `https://cognito-idp.${pool.id.split('_')[0]}.amazonaws.com/${pool.id}`;
			const oidc = await getJSON(`${pool.id}/.well-known/openid-configuration`);
			expect(oidc.issuer === cognitoIssuer, `the OpenID configuration's issuer is ${oidc.issuer}, want ${cognitoIssuer} (cognitosrp serve --cognito-issuer)`);
			const jwksPath = `${pool.id}/.well-known/jwks.json`;
			expect(oidc.jwks_uri === `${endpoint}${jwksPath}`, `the OpenID configuration's jwks_uri is ${oidc.jwks_uri}, want the local ${endpoint}${jwksPath}`);
			const jwks = await getJSON(jwksPath);

			const idToken = signUp.session.getIdToken().getJwtToken();
			const accessToken = signUp.session.getAccessToken().getJwtToken();
			for (const [tokenUse, token] of [['id', idToken], ['access', accessToken]]) {
				const verifier = CognitoJwtVerifier.create({ userPoolId: pool.id, tokenUse, clientId: client.id });
				// The local key set: the verifier never fetches Cognito's.
				verifier.cacheJwks(jwks);
				let payload;
				try {
					payload = await verifier.verify(token);
				} catch (err) {
					fail(`aws-jwt-verify refused the ${tokenUse} token: ${err.constructor.name}: ${err.message}`);
				}
				expect(payload.iss === cognitoIssuer && payload.token_use === tokenUse, `aws-jwt-verify's payload: iss ${payload.iss}, token_use ${payload.token_use}`);
			}

			// And it does check: a changed signature, the ID token as an
			// access token, another app client are refused.
			const [head, body, sig] = idToken.split('.');
			const flipped = `${head}.${body}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
			const refusals = [
				['a changed signature', { tokenUse: 'id', clientId: client.id }, flipped, JwtInvalidSignatureError],
				['the ID token as an access token', { tokenUse: 'access', clientId: client.id }, idToken, CognitoJwtInvalidTokenUseError],
				['another app client', { tokenUse: 'id', clientId: 'someotherclient' }, idToken, CognitoJwtInvalidClientIdError],
			];
			for (const [what, props, token, want] of refusals) {
				const verifier = CognitoJwtVerifier.create({ userPoolId: pool.id, ...props });
				verifier.cacheJwks(jwks);
				let err = null;
				try {
					await verifier.verify(token);
				} catch (e) {
					err = e;
				}
				expect(err instanceof want, `aws-jwt-verify with ${what}: ${err ? `${err.constructor.name}: ${err.message}` : 'accepted'}, want ${want.name}`);
			}
		}],
		['plain-server', async () => {
			// Without --outbox nothing is served under /_cognitosrp/.
			const response = await nodeFetch(`${plainEndpoint}_cognitosrp/outbox?userPoolId=${encodeURIComponent(pool.id)}`);
			const text = await response.text();
			expect(response.status === 404 && !text.includes('messages'), `GET /_cognitosrp/outbox without --outbox: HTTP ${response.status} ${text}, want 404`);

			// Without --cognito-issuer the issuer is the server's URL, which
			// aws-jwt-verify's CognitoJwtVerifier does not accept.
			const u = need('password', 'CONFIRMED user with an email attribute');
			const result = expectSuccess(
				await signIn(newUser(u.username, new MemoryStorage(), plainEndpoint), u.username, u.password),
				'USER_SRP_AUTH on the plain server'
			);
			const { id } = checkSession(result.session, u.username);
			const localIssuer = `${plainEndpoint}${pool.id}`;
			expect(id.iss === localIssuer, `the plain server's ID token has iss ${id.iss}, want ${localIssuer}`);
			const verifier = CognitoJwtVerifier.create({ userPoolId: pool.id, tokenUse: 'id', clientId: client.id });
			verifier.cacheJwks(await getJSON(`${pool.id}/.well-known/jwks.json`, plainEndpoint));
			let err = null;
			try {
				await verifier.verify(result.session.getIdToken().getJwtToken());
			} catch (e) {
				err = e;
			}
			// aws-jwt-verify 5.2.1 says "issuer not configured" (a
			// ParameterValidationError) for an issuer it was not set up for.
			expect(
				err instanceof JwtBaseError && /issuer/i.test(err.message),
				`aws-jwt-verify with the local issuer: ${err ? `${err.constructor.name}: ${err.message}` : 'accepted'}, want a refusal of the issuer`
			);
		}],
	];

	let passed = 0;
	let failed = 0;
	let current = '';
	// The reference client throws inside its callbacks when an answer is not
	// shaped as it expects (a missing ChallengeParameters field, say): that
	// fails the step it happened in, and ends the run.
	process.on('uncaughtException', err => {
		failed++;
		console.log(`not ok ${current}: the reference client threw: ${err && err.stack ? err.stack : err}`);
		console.log(`${passed} passed, ${failed} failed`);
		process.exit(1);
	});
	(async () => {
		for (const [name, run] of steps) {
			current = name;
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
		console.error(`interop: ${err.stack || err}`);
		process.exitCode = 1;
	});
}

main();
