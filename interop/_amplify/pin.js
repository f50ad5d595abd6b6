// Prints the "overrides" that pin every package installed under
// node_modules to the version installed, so that a later npm install (there
// is no lockfile: see .npmrc) gives the same tree.
//
// Usage: npm install && node pin.js > overrides.json, then paste the object
// into package.json's "overrides". To move to a newer aws-amplify, remove
// "overrides", change the version in "dependencies", and run this again.
//
// A package installed in one version is pinned by its name alone. A package
// installed in several versions (npm nests the others) is pinned per
// dependency range, "name@range": every range some package asks for
// resolves to one version, found here as Node.js finds it (the nearest
// node_modules). pin.js refuses when two intersecting ranges resolve to
// different versions, since npm would then apply the first rule to both.
'use strict';

const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const semver = require(path.join(execSync('npm root -g', { encoding: 'utf8' }).trim(), 'npm', 'node_modules', 'semver'));

const root = __dirname;
const rootPkg = readPkg(root);

function readPkg(dir) {
	return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

// packages lists every package directory under dir/node_modules, nested
// node_modules included.
function packages(dir, out = []) {
	const nm = path.join(dir, 'node_modules');
	if (!fs.existsSync(nm)) {
		return out;
	}
	for (const entry of fs.readdirSync(nm)) {
		if (entry.startsWith('.')) {
			continue;
		}
		const names = entry.startsWith('@')
			? fs.readdirSync(path.join(nm, entry)).map(n => path.join(entry, n))
			: [entry];
		for (const name of names) {
			const p = path.join(nm, name);
			if (fs.existsSync(path.join(p, 'package.json'))) {
				out.push(p);
				packages(p, out);
			}
		}
	}
	return out;
}

// resolve finds the directory of package name as required from dir.
function resolve(dir, name) {
	for (let d = dir; ; d = path.dirname(d)) {
		const p = path.join(d, 'node_modules', name);
		if (fs.existsSync(path.join(p, 'package.json'))) {
			return p;
		}
		if (d === root || d === path.dirname(d)) {
			return null;
		}
	}
}

const versions = new Map(); // name -> Set of installed versions
const edges = new Map(); // name -> Map(range -> Set of resolved versions)
for (const dir of [root, ...packages(root)]) {
	const pkg = readPkg(dir);
	if (dir !== root) {
		if (!versions.has(pkg.name)) {
			versions.set(pkg.name, new Set());
		}
		versions.get(pkg.name).add(pkg.version);
	}
	const deps = { ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.dependencies };
	for (const [name, range] of Object.entries(deps)) {
		const at = resolve(dir, name);
		if (!at) {
			continue; // an optional or peer dependency not installed
		}
		if (!edges.has(name)) {
			edges.set(name, new Map());
		}
		const byRange = edges.get(name);
		if (!byRange.has(range)) {
			byRange.set(range, new Set());
		}
		byRange.get(range).add(readPkg(at).version);
	}
}

const overrides = {};
let bad = false;
for (const name of [...versions.keys()].sort()) {
	if (rootPkg.dependencies && name in rootPkg.dependencies) {
		continue; // pinned exactly in "dependencies" already
	}
	const installed = versions.get(name);
	if (installed.size === 1) {
		overrides[name] = [...installed][0];
		continue;
	}
	const ranges = [...edges.get(name).entries()].sort(([a], [b]) => a.localeCompare(b));
	for (const [range, resolved] of ranges) {
		if (resolved.size !== 1) {
			console.error(`pin: ${name}@${range} resolves to several versions: ${[...resolved].join(', ')}`);
			bad = true;
			continue;
		}
		const v = [...resolved][0];
		for (const [other, otherResolved] of ranges) {
			if (other !== range && ![...otherResolved].includes(v) && semver.intersects(range, other)) {
				console.error(`pin: ${name}@${range} (${v}) intersects ${name}@${other} (${[...otherResolved].join(', ')})`);
				bad = true;
			}
		}
		overrides[`${name}@${range}`] = v;
	}
}
if (bad) {
	process.exit(1);
}
console.log(JSON.stringify(overrides, null, 2));
