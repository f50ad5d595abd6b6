#!/usr/bin/env node
'use strict';

// Generates the cognitosrp test vectors with AWS's reference client,
// amazon-cognito-identity-js (pinned in package.json).
//
//   node generate.js OUTDIR              write the vector files to OUTDIR
//   node generate.js --search            find seeds for the recipes that
//                                        want a rare property; prints the
//                                        table that belongs in seeds.js
//   node generate.js --search --write-seeds   ... and rewrite seeds.js
//
// The recipes run one after the other in this process, with the reference
// client's own arithmetic. The output is deterministic byte for byte. See
// ../README.md.

const fs = require('fs');
const path = require('path');

function allRecipes() {
	const { recipes } = require('./cases');
	const published = require('./published').cases();
	const seeds = require('./seeds');
	const all = [...recipes, ...published];
	for (const r of all) {
		if (r.vary && seeds[r.id] !== undefined) r.seedIndex = seeds[r.id];
	}
	return all;
}

// runAll runs every recipe through the reference client, one after the
// other, and returns their vectors in recipe order.
function runAll(all) {
	const { runRecipe } = require('./run');
	return all.map(r => runRecipe(r));
}

const FILES = {
	password_claim: {
		algorithm: 'Cognito SRP-6a PASSWORD_VERIFIER claim (RFC 3526 3072-bit group, g = 2, SHA-256)',
		source: 'amazon-cognito-identity-js %V (AWS\'s reference client): CognitoUser.authenticateUser against a scripted Cognito; B from the generator\'s server (the client\'s own BigInteger, padHex and hash)',
	},
	device: {
		algorithm: 'Cognito device SRP: ConfirmDevice DeviceSecretVerifierConfig and DEVICE_PASSWORD_VERIFIER claim',
		source: 'amazon-cognito-identity-js %V (AWS\'s reference client): generateHashDevice and ConfirmDevice after a sign-in, then CognitoUser.getDeviceResponse against the generator\'s server',
	},
	server: {
		algorithm: 'Cognito SRP-6a server side (RFC 3526 3072-bit group, g = 2, SHA-256)',
		source: 'computed with amazon-cognito-identity-js %V\'s own BigInteger, padHex and hash; each S and key equals the reference client\'s for the same sign-in',
	},
	invalid: {
		algorithm: 'Cognito SRP-6a inputs that must be rejected',
		source: 'cognitosrp testvectors; each comment says what amazon-cognito-identity-js %V does with the input',
	},
	secret_hash: {
		algorithm: 'Cognito SECRET_HASH = base64(HMAC-SHA256(client secret, username || client id))',
		source: 'node:crypto HMAC-SHA256, equal to the HMAC of amazon-cognito-identity-js %V\'s @aws-crypto/sha256-js (the reference client itself does not compute SECRET_HASH)',
	},
	timestamp: {
		algorithm: 'Cognito TIMESTAMP ("ddd MMM D HH:mm:ss UTC YYYY")',
		source: 'amazon-cognito-identity-js %V DateHelper.getNowString with a fixed clock',
	},
	pad_hex: {
		algorithm: 'padHex: minimal two\'s-complement big-endian hex (Java BigInteger.toByteArray)',
		source: 'amazon-cognito-identity-js %V AuthenticationHelper.padHex',
	},
	published: {
		algorithm: 'Cognito SRP-6a, SECRET_HASH, TIMESTAMP and padHex: published test vectors of other implementations',
		source: 'copied from the tests named in each comment; expected values computed by amazon-cognito-identity-js %V',
	},
	rfc5054: {
		algorithm: 'SRP-6a, RFC 5054 Appendix B (1024-bit group, g = 2, SHA-1)',
		source: 'RFC 5054 Appendix B, recomputed with amazon-cognito-identity-js %V\'s BigInteger',
	},
};

const TYPE_ORDER = ['password_claim', 'device_verifier', 'server', 'secret_hash', 'timestamp', 'pad_hex', 'rfc5054'];

function assemble(all, results, version) {
	const files = {};
	for (const name of Object.keys(FILES)) files[name] = [];
	results.forEach(vectors => {
		for (const v of vectors) {
			if (!files[v.file]) throw new Error(`unknown file ${v.file}`);
			files[v.file].push(v);
		}
	});
	const out = {};
	for (const [name, tests] of Object.entries(files)) {
		if (tests.length === 0) throw new Error(`${name}.json would be empty`);
		const used = new Set();
		for (const t of tests) for (const f of t.flags) used.add(f);
		const F = require('./flags');
		const notes = {};
		for (const f of [...used].sort()) notes[f] = F.DESCRIPTIONS[f];
		if (name === 'published') {
			notes.SkippedPublishedTests =
				'Not a flag. Published tests not included, because no vector type fits them or an input is missing: ' +
				require('./published').SKIPPED.join(' ');
		}
		out[`${name}.json`] = {
			algorithm: FILES[name].algorithm,
			source: FILES[name].source.replace('%V', version),
			notes,
			tests: tests.map((t, i) => ({
				tcId: i + 1,
				type: t.type,
				comment: t.comment,
				flags: t.flags,
				result: t.result,
				...t.fields,
			})),
		};
	}
	return out;
}

function summary(files) {
	const lines = [];
	const byType = {};
	const byFlag = {};
	for (const [name, f] of Object.entries(files)) {
		const counts = {};
		for (const t of f.tests) {
			const key = `${t.type}/${t.result}`;
			counts[key] = (counts[key] || 0) + 1;
			byType[key] = (byType[key] || 0) + 1;
			for (const fl of t.flags) byFlag[fl] = (byFlag[fl] || 0) + 1;
		}
		lines.push(`${name}: ${f.tests.length} tests (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
	}
	lines.push(`by type: ${TYPE_ORDER.flatMap(t => ['valid', 'invalid'].map(r => [`${t}/${r}`, byType[`${t}/${r}`]]).filter(([, v]) => v)).map(([k, v]) => `${k} ${v}`).join(', ')}`);
	lines.push(`by flag: ${Object.keys(byFlag).sort().map(k => `${k} ${byFlag[k]}`).join(', ')}`);
	return lines.join('\n');
}

function main() {
	const args = process.argv.slice(2);
	let outDir = null;
	let searchMode = false;
	let writeSeeds = false;
	for (const a of args) {
		if (a === '--search') searchMode = true;
		else if (a === '--write-seeds') writeSeeds = true;
		else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
		else if (outDir === null) outDir = a;
		else throw new Error(`unexpected argument ${a}`);
	}

	const all = allRecipes();
	const ids = new Set();
	for (const r of all) {
		if (ids.has(r.id)) throw new Error(`duplicate recipe id ${r.id}`);
		ids.add(r.id);
	}

	if (searchMode) {
		const { search } = require('./search');
		const table = search(all, msg => process.stderr.write(msg + '\n'));
		const text =
			"'use strict';\n\n" +
			'// Seed indexes found by `node generate.js --search` for the recipes that\n' +
			'// want a rare property (see cases.js). Do not edit by hand.\n' +
			'module.exports = {\n' +
			Object.entries(table)
				.map(([k, v]) => `\t${JSON.stringify(k)}: ${v},\n`)
				.join('') +
			'};\n';
		if (writeSeeds) fs.writeFileSync(path.join(__dirname, 'seeds.js'), text);
		else process.stdout.write(text);
		return;
	}

	if (outDir === null) throw new Error('usage: node generate.js OUTDIR | --search [--write-seeds]');
	const seeds = require('./seeds');
	for (const r of all) {
		if (r.vary && !Number.isInteger(r.seedIndex)) throw new Error(`${r.id}: no seed index in seeds.js (run: node generate.js --search --write-seeds)`);
	}
	for (const id of Object.keys(seeds)) {
		if (!ids.has(id)) throw new Error(`seeds.js names ${id}, which is no recipe`);
	}

	const t0 = Date.now();
	const results = runAll(all);
	const version = require('amazon-cognito-identity-js/package.json').version;
	const files = assemble(all, results, version);
	// Every flag stands for a property some test exercises.
	const used = new Set(Object.values(files).flatMap(f => f.tests.flatMap(t => t.flags)));
	const uncovered = Object.keys(require('./flags').DESCRIPTIONS).filter(f => !used.has(f));
	if (uncovered.length > 0) throw new Error(`no test carries the flag(s) ${uncovered.join(', ')}`);
	fs.mkdirSync(outDir, { recursive: true });
	for (const [name, content] of Object.entries(files)) {
		fs.writeFileSync(path.join(outDir, name), JSON.stringify(content, null, 2) + '\n');
	}
	process.stderr.write(`${summary(files)}\nwrote ${Object.keys(files).length} files to ${outDir} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

try {
	main();
} catch (e) {
	process.stderr.write(`generate: ${e && e.stack ? e.stack : e}\n`);
	process.exit(1);
}
